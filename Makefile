# The two commands a newcomer needs: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test lint typecheck unit bench docs clean system-deps server

# What `make run` needs, and what `make test` needs on top: two stamps, so running installs no test tools.
RUNTIME := $(VENV)/.installed-runtime
TESTING := $(VENV)/.installed-test

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "tactful needs Python 3.11 or newer; this python3 is " + sys.version.split()[0])'
	@$(PYTHON) -m venv $(VENV) || { echo "could not create $(VENV): on Debian or Ubuntu, install python3-venv first"; rm -rf $(VENV); exit 1; }
	$(BIN)/python -m pip install --quiet --upgrade pip

$(RUNTIME): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(TESTING): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@ $(RUNTIME)

SERVER := $(VENV)/.installed-server

$(SERVER): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[server]'
	touch $@ $(RUNTIME)

## server: install into .venv what a team server needs besides: PostgreSQL's driver, the worker's queue
server: $(SERVER)

## run: install into .venv, then start the web app on the embedded database
run: $(RUNTIME)
	$(BIN)/tactful serve

## test: install into .venv, then lint, type-check and run the whole suite
test: lint typecheck unit

lint: $(TESTING)
	$(BIN)/ruff check src tests $(wildcard bench)
	$(BIN)/ruff format --check src tests $(wildcard bench)

typecheck: $(TESTING)
	$(BIN)/mypy

## system-deps: the Debian programs the tests drive (Chromium, khal, todoman, dovecot), when missing
system-deps:
	bash tools/system-deps.sh

# The suite on SQLite, and at the same time on PostgreSQL (TACTFUL_TEST_STORE=postgres: the tests
# that use a database, each on a new one at 127.0.0.1:5432); where no server answers outside CI,
# that half skips, saying so.
unit: $(TESTING) system-deps
	@TACTFUL_TEST_STORE=postgres $(BIN)/pytest -p no:cacheprovider > $(VENV)/postgres-suite.log 2>&1 & half=$$!; \
	$(BIN)/pytest; sqlite=$$?; \
	wait $$half; postgres=$$?; \
	echo "== the same suite on PostgreSQL:"; cat $(VENV)/postgres-suite.log; \
	echo "== on SQLite: status $$sqlite; on PostgreSQL: status $$postgres"; \
	[ $$sqlite -eq 0 ] && [ $$postgres -eq 0 ]

## bench: every benchmark in turn (a few minutes); the tables go into docs/performance.md and docs/security.md
bench: $(TESTING)
	@status=0; for step in bench.py@--write bench_review.py bench_compose.py bench_exchange.py \
		bench_web.py@--write bench_cold.py@--write bench_contacts.py@--write bench_linear.py@--write \
		bench_attack.py@--write bench_mail.py@--write bench_team.py@--write; do \
		script=bench/$${step%%@*}; flags=$$(echo "$$step" | sed -n 's/^[^@]*@//p'); \
		if [ ! -f "$$script" ]; then echo "== $$script is not there; skipped"; continue; fi; \
		echo "== $(BIN)/python $$script $$flags"; \
		$(BIN)/python "$$script" $$flags || { echo "== $$script: a target was missed or it failed"; status=1; }; \
	done; exit $$status

## docs: write docs/cli.md and the README's settings table again from the code (make test checks them)
docs: $(TESTING)
	$(BIN)/cog -r docs/cli.md docs/security.md README.md

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
