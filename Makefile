# Task runner: `make run` starts everything locally, `make test` runs every check and test.
PYTHON ?= python3
UV := .tools/bin/uv
VENV := .venv/bin
SERVICES := customers vouchers billing notifier gateway

.PHONY: install run test lint typecheck pytest schemas asyncapi bench fmt clean

$(UV):
	$(PYTHON) -m venv --without-pip .tools
	$(PYTHON) -m pip --python .tools/bin/python install --quiet "uv>=0.9,<1"

install: $(UV) ## Install every package of the workspace into .venv (locked versions)
	$(UV) sync --frozen

run: install ## Databases, migrations, SMTP sink, the five services and a demo shop
	bash scripts/ensure-servers.sh
	bash scripts/ensure-pdf-libs.sh
	$(VENV)/python -m devtools.devstack

test: install ## Lint, types, architecture rules, then every test against the real servers
	$(MAKE) lint typecheck
	$(VENV)/pytest

lint:
	$(VENV)/ruff check .
	$(VENV)/ruff format --check .
	$(VENV)/lint-imports

typecheck:
	$(VENV)/mypy contracts/src runtime/src tools/src $(foreach s,$(SERVICES),services/$(s)/src)

pytest:
	$(VENV)/pytest

schemas: ## Regenerate the JSON Schemas of the contracts
	$(VENV)/python -m contracts.schema_export

asyncapi: ## Regenerate every service's AsyncAPI document
	$(VENV)/python -m devtools.asyncapi

bench: ## Outbox path against the raw broker (see bench/README.md)
	$(VENV)/python bench/outbox_vs_raw.py

fmt:
	$(VENV)/ruff check --fix .
	$(VENV)/ruff format .

clean:
	rm -rf var .pytest_cache .mypy_cache .ruff_cache
