# Everything a fresh machine needs: `make demo` and `make test`.
PYTHON ?= python3
VENV ?= $(CURDIR)/.venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

export LC_ALL := C.UTF-8
export NO_COLOR := 1
export ANSIBLE_NOCOLOR := 1
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: venv test unit sanity demo bench lint docs clean

venv: $(STAMP)

$(STAMP): requirements-dev.txt requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements-dev.txt -r requirements.txt
	touch $(STAMP)

## test: sanity, then every pytest suite (unit, simulator, integration); pytest prints the closing line
test: venv sanity unit

unit: venv
	$(BIN)/pytest

sanity: venv
	VENV=$(VENV) .ci/sanity.sh

## demo: start the simulator, run the example playbooks and inventory, stop it
demo: venv
	VENV=$(VENV) examples/demo.sh

bench: venv
	PATH=$(BIN):$$PATH $(BIN)/python bench/inventory_bench.py

clean:
	rm -rf $(VENV) .pytest_cache collections tests/output
