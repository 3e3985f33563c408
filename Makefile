# participatiebot: `make run` starts the console interview, `make test` runs the whole suite.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: run test lint bench clean

$(BIN)/participatiebot: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[test]'
	touch $@

# exit 3 is a pause (the interview goes on next time), not a failure of make
run: $(BIN)/participatiebot
	$(BIN)/participatiebot chat || [ $$? -eq 3 ]

test: $(BIN)/participatiebot
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
# one test worker per core, at most 4: each starts its own LibreOffice and Chromium
	$(BIN)/pytest -q -n auto --maxprocesses 4

bench: $(BIN)/participatiebot
	$(BIN)/python bench/understanding_bench.py
	$(BIN)/python bench/interview_bench.py
	$(BIN)/python bench/telegram_bench.py
	$(BIN)/python bench/telegram_press_bench.py
	$(BIN)/python bench/webchat_bench.py
	$(BIN)/python bench/fanout_bench.py
	$(BIN)/python bench/db_bench.py
	$(BIN)/python bench/reminders_bench.py
	$(BIN)/python bench/documents_bench.py
	$(BIN)/python bench/summary_bench.py
	$(BIN)/python bench/memory_bench.py

clean:
	rm -rf $(VENV) var .pytest_cache
