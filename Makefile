# Two commands that work on a fresh machine: `make serve` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PORT ?= 5000

.PHONY: install serve test system-deps bench models lambda-package lambda-deploy

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

# The Lambda zip (`make lambda-package`) or a deploy (`make lambda-deploy STAGE=prod SKILL_ID=amzn1.ask.skill.…`),
# with the bytecode of the packaged modules in it: /var/task is read-only, so without it Python compiles
# every module from source on each cold start. Compiled for serverless.yml's runtime (a pyc's name carries
# the interpreter's tag, and any other Python ignores it), always afresh (old pycs deleted, then -f) so that no pyc of
# an older source can ride along, and as unchecked-hash pycs, which Python loads without reading the source (a
# zip's timestamps cannot be trusted to validate them). They are deleted again afterwards, whatever
# happened, so that no unchecked pyc lingers beside sources being edited.
LAMBDA_RUNTIME := $(shell sed -n 's/^  runtime: //p' serverless.yml)
LAMBDA_PYTHON ?= $(BIN)/python
LAMBDA_SOURCES := skill intents
STAGE ?= dev
SERVERLESS_OPTIONS ?=

lambda-package lambda-deploy:
	@test -n "$(SKILL_ID)" || { echo "set SKILL_ID=amzn1.ask.skill.… (your skill's id)" >&2; exit 1; }
	@$(LAMBDA_PYTHON) -c "import sys; v = 'python%d.%d' % sys.version_info[:2]; \
		sys.exit(v != '$(LAMBDA_RUNTIME)' and f'{v} cannot compile bytecode for the $(LAMBDA_RUNTIME) runtime: set LAMBDA_PYTHON')"
	trap 'find $(LAMBDA_SOURCES) -name "*.pyc" -delete' EXIT; \
	find $(LAMBDA_SOURCES) -name "*.pyc" -delete && \
	$(LAMBDA_PYTHON) -m compileall -q -f --invalidation-mode unchecked-hash $(LAMBDA_SOURCES) && \
	PATH="$(abspath $(dir $(LAMBDA_PYTHON))):$$PATH" npx serverless $(@:lambda-%=%) --stage $(STAGE) \
		--param="skillId=$(SKILL_ID)" $(SERVERLESS_OPTIONS)
