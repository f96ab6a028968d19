# Everything a fresh machine needs: `make demo` and `make test`.
PYTHON ?= python3
VENV ?= $(CURDIR)/.venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

export LC_ALL := C.UTF-8
export NO_COLOR := 1
export ANSIBLE_NOCOLOR := 1
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: venv test test-matrix checks unit sanity lint docs docs-check changelog-lint ee-check demo bench clean

venv: $(STAMP)

$(STAMP): requirements-dev.txt requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements-dev.txt -r requirements.txt
	touch $(STAMP)

## test: every check, then every pytest suite (unit, simulator, integration); pytest prints the closing line
test: venv checks unit

checks: sanity lint docs-check changelog-lint ee-check

## test-matrix: sanity, integration and demo on every ansible-core of .ci/matrix.txt, each in its own venv
## under ~/.cache/mistio.cloud-matrix (MATRIX_HOME; outside the repository); prints the table the README shows
test-matrix:
	.ci/matrix.sh

# Two pytest-xdist workers (the machine's two cores): most tests wait on ansible-playbook processes.
JOBS ?= 2

unit: venv
	$(BIN)/pytest -n $(JOBS)

sanity: venv
	VENV=$(VENV) .ci/sanity.sh

# ansible-lint resolves mistio.cloud.* (and the module_defaults group) through a collections path.
lint: venv
	d=$$(mktemp -d) && mkdir -p $$d/ansible_collections/mistio && ln -s $(CURDIR) $$d/ansible_collections/mistio/cloud && \
	ANSIBLE_COLLECTIONS_PATH=$$d $(BIN)/ansible-lint --offline; rc=$$?; rm -rf $$d; exit $$rc

docs: venv
	$(BIN)/python .ci/render_docs.py

docs-check: venv
	$(BIN)/python .ci/render_docs.py --check

changelog-lint: venv
	$(BIN)/antsibull-changelog lint
	$(BIN)/antsibull-changelog lint-changelog-yaml changelogs/changelog.yaml

ee-check: venv
	VENV=$(VENV) .ci/ee_check.sh

## demo: start the simulator, run the example playbooks and inventory, stop it
demo: venv
	VENV=$(VENV) examples/demo.sh

## bench: every benchmark in bench/ (needs a quiet machine; ~10-20 min), then the ratios they are judged by
bench: venv
	PATH=$(BIN):$$PATH $(BIN)/python bench/run_all.py
	PATH=$(BIN):$$PATH $(BIN)/python bench/resource_info_bench.py

clean:
	rm -rf $(VENV) .pytest_cache collections tests/output
