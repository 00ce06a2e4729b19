# Two commands on a fresh machine with Python 3.11+: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
LOCK := requirements.lock

.PHONY: run test demo lint typecheck unit clean

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "cogov needs Python 3.11 or newer")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.run: $(BIN)/python pyproject.toml $(LOCK)
	$(BIN)/pip install --quiet -c $(LOCK) -e .
	@touch $@

# The checkout under its installed name, for mypy (which cannot follow the editable
# install's import hook to cogov.*).
$(VENV)/src/cogov: | $(BIN)/python
	mkdir -p $(VENV)/src
	ln -sfn "$(CURDIR)" $@

$(VENV)/.test: $(BIN)/python pyproject.toml $(LOCK)
	$(BIN)/pip install --quiet -c $(LOCK) -e '.[test]'
	@touch $@ $(VENV)/.run

run: $(VENV)/.run
	$(BIN)/cogov serve --demo --host 127.0.0.1 --port 8000

demo: $(VENV)/.run
	$(BIN)/cogov demo

lint: $(VENV)/.test
	$(BIN)/ruff check .
	$(BIN)/lint-imports

typecheck: $(VENV)/.test $(VENV)/src/cogov
	$(BIN)/mypy

test: lint typecheck
	$(BIN)/pytest

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .hypothesis
