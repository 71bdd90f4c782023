# sagwa — two commands on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
PYTEST_ARGS ?=
# test processes (pytest-xdist; each has its own embedded server and scratch databases); 1 = serial
TEST_JOBS ?= 2

.PHONY: install run test test-unit test-integration lint bench clean

install: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

## make run: install if needed, load the demo data into an empty database, serve on :8000
run: install
	$(BIN)/sagwa db upgrade
	$(BIN)/sagwa seed demo --if-empty
	$(BIN)/sagwa serve

## make test: install if needed, run the whole suite (TEST_JOBS processes, a test file per process)
test: install
	$(BIN)/python -m pytest -n $(TEST_JOBS) --dist loadfile $(PYTEST_ARGS)

test-unit: install
	$(BIN)/python -m pytest tests/unit $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check src tests bench

clean:
	rm -rf $(VENV) .sagwa .pytest_cache test-artifacts
