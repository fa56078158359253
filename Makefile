# The README's two commands are `make docs` and `make test`; .ci/run calls `make test`.
# Both install everything fcnet needs into .venv/ first, pinned by constraints.txt.

PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
PIP    := $(PY) -m pip --disable-pip-version-check
STAMP  := $(VENV)/.installed
# pytest-xdist workers for the tests: one per core (make test JOBS=0 runs them in this process)
JOBS   ?= auto
# where make docs serves
ADDR   ?= 127.0.0.1:8000
export NO_MKDOCS_2_WARNING := 1

.PHONY: install docs site lint test test-quick bench clean

install: $(STAMP)

$(STAMP): pyproject.toml constraints.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	# torch alone first: with it in place no other requirement can pull a CUDA build
	$(PIP) install -q -c constraints.txt torch==2.13.0
	$(PIP) install -q -c constraints.txt -e ".[torch,test,docs,train,notebooks]"
	touch $(STAMP)

## docs: build the site (strict) and serve it at http://127.0.0.1:8000; a save in docs/ or fcnet/ rebuilds it
## (notebook pages are executed only when their code, fcnet or a rendering package changed: .cache/notebooks/)
docs: install
	$(PY) -m mkdocs serve --strict -a $(ADDR)

## site: build the static site into site/
site: install
	$(PY) -m mkdocs build --strict

## lint: ruff, the linter and the formatter (check only)
lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

## test: the whole suite: lint, unit tests, doctests, the site build, the wheel-install notebook run and the browser test
## (on every core: pytest-xdist, an idle worker taking tests queued on a busy one, as xdist's default handed the
## site's tests to one worker in a block; the site and the wheel are built once and shared by the workers)
test: lint
	$(PY) -m pytest -n $(JOBS) --dist worksteal --durations=10

## test-quick: the unit tests and doctests: everything but the site build (the wheel and browser tests use it)
## and the tests that start Python processes (the command line, the grader's sandbox, benchmark workers)
test-quick: lint
	$(PY) -m pytest -n $(JOBS) -m "not browser and not site and not processes"

## bench: speed ratios against PyTorch
bench: install
	$(PY) -m fcnet bench

clean:
	rm -rf site .pytest_cache test-artifacts .cache
