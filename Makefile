# The two commands of the README. Each one installs what it needs into .venv first.
VENV ?= .venv
PYTHON ?= python3
BIN := $(VENV)/bin

.PHONY: run test test-fast lint bench

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

run: $(BIN)/.installed
	@test -f config.toml || { cp config.example.toml config.toml; echo "Created config.toml from config.example.toml: put your bot token and group id in it (without a token, this starts the local sandbox)."; }
	$(BIN)/wbs-bot run --config config.toml

test: $(BIN)/.installed
	$(BIN)/python -m pytest -q

# Unit and storage tests only (tests/speed.py): no bot over HTTP, no processes, no browser.
test-fast: $(BIN)/.installed
	$(BIN)/python -m pytest -q -m "not journey and not slow"

lint: $(BIN)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

bench: $(BIN)/.installed
	$(BIN)/python benchmarks/form_load.py
