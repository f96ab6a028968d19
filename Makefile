# Everything a fresh machine needs: `make demo` and `make test`.
PYTHON ?= python3
VENV ?= $(CURDIR)/.venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

export LC_ALL := C.UTF-8
export NO_COLOR := 1
export ANSIBLE_NOCOLOR := 1
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: venv test checks unit sanity lint docs docs-check changelog-lint ee-check demo bench clean

venv: $(STAMP)

$(STAMP): requirements-dev.txt requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements-dev.txt -r requirements.txt
	touch $(STAMP)

## test: every check, then every pytest suite (unit, simulator, integration); pytest prints the closing line
test: venv checks unit

checks: sanity lint docs-check changelog-lint ee-check

unit: venv
	$(BIN)/pytest

sanity: venv
	VENV=$(VENV) .ci/sanity.sh

lint: venv
	$(BIN)/ansible-lint --offline

docs: venv
	$(BIN)/python .ci/render_docs.py

docs-check: venv
	$(BIN)/python .ci/render_docs.py --check

changelog-lint: venv
	$(BIN)/antsibull-changelog lint

ee-check: venv
	VENV=$(VENV) .ci/ee_check.sh

## demo: start the simulator, run the example playbooks and inventory, stop it
demo: venv
	VENV=$(VENV) examples/demo.sh

bench: venv
	PATH=$(BIN):$$PATH $(BIN)/python bench/inventory_bench.py

clean:
	rm -rf $(VENV) .pytest_cache collections tests/output
