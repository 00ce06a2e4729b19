# Two commands on a fresh machine with Python 3.11+: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
LOCK := requirements.lock

# WeasyPrint, which prints the report as a PDF, needs Pango, HarfBuzz and fonts from the
# system: on Debian or Ubuntu those missing are installed with apt-get (as root, else sudo).
SYSTEM_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core
# The dashboard's browser tests drive Debian's Chromium (/usr/bin/chromium) with Playwright,
# never a browser downloaded by the test tool.
BROWSER_PACKAGES := chromium
# The HTTP load benchmark drives the servers with wrk (written in C, so the load costs the
# machine little beside the servers it measures).
BENCH_PACKAGES := wrk

.PHONY: run test bench demo lint typecheck unit clean system-packages browser-packages bench-packages

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

# $(call install-missing,PACKAGES,WHAT): the Debian packages missing from PACKAGES, installed.
define install-missing
	@missing=$$(for p in $(1); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'ok installed' || echo $$p; \
	done); \
	if [ -z "$$missing" ]; then exit 0; fi; \
	if ! command -v apt-get >/dev/null; then \
	  echo "cogov: $(2) need these (or your system's equivalent): $$missing"; exit 0; \
	fi; \
	sudo=; [ "$$(id -u)" = 0 ] || sudo=sudo; \
	echo "Installing the system packages $(2) need: $$missing"; \
	$$sudo apt-get update -qq && \
	DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y -qq --no-install-recommends $$missing
endef

system-packages:
	$(call install-missing,$(SYSTEM_PACKAGES),PDF reports)

browser-packages:
	$(call install-missing,$(BROWSER_PACKAGES),the dashboard's browser tests)

bench-packages:
	$(call install-missing,$(BENCH_PACKAGES),the benchmarks)

run: system-packages $(VENV)/.run
	$(BIN)/cogov serve --demo --host 127.0.0.1 --port 8000

demo: $(VENV)/.run
	$(BIN)/cogov demo

lint: $(VENV)/.test
	$(BIN)/ruff check .
	$(BIN)/lint-imports

typecheck: $(VENV)/.test $(VENV)/src/cogov
	$(BIN)/mypy

test: system-packages browser-packages lint typecheck
	$(BIN)/pytest

# Every benchmark, each figure beside a baseline measured in the same run; writes
# docs/performance.md. BENCH=--full runs the benchmarks' own (larger) sizes.
bench: system-packages bench-packages $(VENV)/.test
	$(BIN)/python -m bench.all $(BENCH)

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .hypothesis
