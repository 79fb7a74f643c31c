# Two commands that work on a fresh machine: `make serve` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PORT ?= 5000

.PHONY: install serve test system-deps bench models

$(BIN)/legday: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

install: $(BIN)/legday

serve: install
	$(BIN)/legday serve --dev --port $(PORT)

system-deps:
	bash scripts/system-deps

test: install system-deps
	$(BIN)/python -m pytest

bench: install
	$(BIN)/python -m bench.run

# The English locale models (en-GB, en-CA, en-AU, en-IN) from en-US.json and intents/regional.toml.
models: install
	$(BIN)/python -m intents.locale_models
