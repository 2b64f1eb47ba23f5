# The two commands a newcomer needs: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test lint typecheck unit bench clean system-deps

$(BIN)/tactful: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

## run: install into .venv, then start the web app on the embedded database
run: $(BIN)/tactful
	$(BIN)/tactful serve

## test: install into .venv, then lint, type-check and run the whole suite
test: lint typecheck unit

lint: $(BIN)/tactful
	$(BIN)/ruff check src tests $(wildcard bench)
	$(BIN)/ruff format --check src tests $(wildcard bench)

typecheck: $(BIN)/tactful
	$(BIN)/mypy

## system-deps: the Debian programs the tests drive (Chromium, khal, todoman), when missing
system-deps:
	bash tools/system-deps.sh

unit: $(BIN)/tactful system-deps
	$(BIN)/pytest

## bench: every benchmark in turn (a few minutes); the tables go into docs/performance.md
bench: $(BIN)/tactful
	@status=0; for step in bench.py@--write bench_review.py bench_compose.py bench_exchange.py \
		bench_web.py@--write bench_cold.py@--write; do \
		script=bench/$${step%%@*}; flags=$$(echo "$$step" | sed -n 's/^[^@]*@//p'); \
		if [ ! -f "$$script" ]; then echo "== $$script is not there; skipped"; continue; fi; \
		echo "== $(BIN)/python $$script $$flags"; \
		$(BIN)/python "$$script" $$flags || { echo "== $$script: a target was missed or it failed"; status=1; }; \
	done; exit $$status

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
