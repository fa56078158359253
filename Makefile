# The README's two commands are `make docs` and `make test`; .ci/run calls `make test`.
# Both install everything fcnet needs into .venv/ first, pinned by constraints.txt.

PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
PIP    := $(PY) -m pip --disable-pip-version-check
STAMP  := $(VENV)/.installed
export NO_MKDOCS_2_WARNING := 1

.PHONY: install docs site lint test test-quick bench clean

install: $(STAMP)

$(STAMP): pyproject.toml constraints.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	# torch alone first: with it in place no other requirement can pull a CUDA build
	$(PIP) install -q -c constraints.txt torch==2.13.0
	$(PIP) install -q -c constraints.txt -e ".[torch,test,docs,train,notebooks]"
	touch $(STAMP)

## docs: build the site (strict) and serve it at http://127.0.0.1:8000
docs: install
	$(PY) -m mkdocs serve --strict -a 127.0.0.1:8000

## site: build the static site into site/
site: install
	$(PY) -m mkdocs build --strict

## lint: ruff, the linter and the formatter (check only)
lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

## test: the whole suite: lint, unit tests, doctests, the site build, the wheel-install notebook run and the browser test
test: lint
	$(PY) -m pytest

## test-quick: everything but the site build (and the wheel-install notebook run, marked site too) and the browser
test-quick: lint
	$(PY) -m pytest -m "not browser and not site"

## bench: speed ratios against PyTorch
bench: install
	$(PY) -m fcnet bench

clean:
	rm -rf site .pytest_cache test-artifacts
