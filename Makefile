# Two commands on a fresh machine with Python 3.11+: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
LOCK := requirements.lock

# WeasyPrint, which prints the report as a PDF, needs Pango, HarfBuzz and fonts from the
# system: on Debian or Ubuntu those missing are installed with apt-get (as root, else sudo).
SYSTEM_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core

.PHONY: run test demo lint typecheck unit clean system-packages

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

system-packages:
	@missing=$$(for p in $(SYSTEM_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'ok installed' || echo $$p; \
	done); \
	if [ -z "$$missing" ]; then exit 0; fi; \
	if ! command -v apt-get >/dev/null; then \
	  echo "cogov: PDF reports need these (or your system's equivalent): $$missing"; exit 0; \
	fi; \
	sudo=; [ "$$(id -u)" = 0 ] || sudo=sudo; \
	echo "Installing the system packages PDF reports need: $$missing"; \
	$$sudo apt-get update -qq && \
	DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y -qq --no-install-recommends $$missing

run: system-packages $(VENV)/.run
	$(BIN)/cogov serve --demo --host 127.0.0.1 --port 8000

demo: $(VENV)/.run
	$(BIN)/cogov demo

lint: $(VENV)/.test
	$(BIN)/ruff check .
	$(BIN)/lint-imports

typecheck: $(VENV)/.test $(VENV)/src/cogov
	$(BIN)/mypy

test: system-packages lint typecheck
	$(BIN)/pytest

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .hypothesis
