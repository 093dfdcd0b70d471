# Allyzure assistant — every habit is one command. `make help` lists them.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
UV := $(PYTHON) -m uv
RUN := $(UV) run --frozen --no-sync
INSTALLED := .venv/.installed

export RASA_TELEMETRY_ENABLED := false
export TF_CPP_MIN_LOG_LEVEL := 2
export PYTHONPATH := $(CURDIR):$(CURDIR)/bot

.PHONY: help install run run-prod db train test test-fast typecheck test-postgres test-prod lint format validate rules clean eval-nlu chromium redis vendor bench

help: ## List the commands
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(INSTALLED): pyproject.toml uv.lock
	@$(UV) --version >/dev/null 2>&1 || $(PYTHON) -m pip install --quiet uv \
		|| $(PYTHON) -m pip install --quiet --user uv
	# Bytecode compiled once here: where PYTHONDONTWRITEBYTECODE is set (as on our machines),
	# every process would otherwise compile Rasa and TensorFlow from source at each start
	# (import of Rasa's agent 31 s → 12 s; the cold start and every test server gain as much).
	$(UV) sync --frozen --compile-bytecode
	@touch $@

install: $(INSTALLED) ## Install Python 3.11 dependencies from uv.lock

db: install ## Create or migrate the shop database; load the demo data when it is empty
	$(RUN) python -m backend init-demo

train: install ## Train the Rasa model if the data or config changed
	$(RUN) python -m tools.model

run: db ## Install, prepare the database, train if stale and start everything (Ctrl-C stops)
	$(RUN) python -m tools.launcher

# Test runs write the project's own bytecode (__pycache__/, ignored by git): where
# PYTHONDONTWRITEBYTECODE is set, every test process — and every server or command a test
# starts — would compile backend/, bot/, server/ and tools/ and rewrite the test modules'
# asserts again (~4 s of CPU per process, paid by each xdist worker).
test test-fast test-postgres test-prod: export PYTHONDONTWRITEBYTECODE :=

test: install chromium redis ## Run every test but the production profile's (trains the model once if needed)
	$(RUN) pytest --ignore=tests/reliability

# Two processes (pytest-xdist): the bot tests in one (they share spaCy's French model, ~12 s
# of CPU to load: tests/conftest.py), the others beside them. `make test` stays in one
# process: its servers share ports. The tests' throw-away files (their SQLite databases above
# all) go to memory where Linux offers it: SQLite syncs every commit to the disk, and the
# backend tests commit thousands of times (tests/backend alone, on a busy machine: 70 → 45–57 s
# of wall time for the same CPU).
test-fast: export TMPDIR := $(or $(wildcard /dev/shm),$(TMPDIR),/tmp)
test-fast: install ## Unit and component tests only, on two processes: no trained model, no server, no browser
	$(RUN) pytest -q -m "not slow" --ignore=tests/reliability -n 2 --dist loadgroup

run-prod: install ## Production profile: PostgreSQL, Redis, 2 Rasa + 2 action servers behind nginx
	$(RUN) python -m tools.prod

# Two runs, one production stack at a time: the reliability tests start their own, with a
# fault proxy in front of the shop database and a crowd of customers.
test-prod: install ## Run the end-to-end scenarios and the fault tests against the production profile
	ALLYZURE_TEST_PROFILE=production $(RUN) pytest tests/e2e -q
	$(RUN) pytest tests/reliability -q

chromium: ## Install Debian's Chromium for the browser tests (once; a no-op when present)
	@bash tools/ensure_chromium.sh

redis: ## Install Debian's Redis for the lock store's tests (once; a no-op when present)
	@bash tools/ensure_infra.sh redis

vendor: ## Refresh the widget's vendored socket.io client and the tests' axe-core from web/package-lock.json (needs npm)
	cd web && npm ci --no-audit --no-fund
	mkdir -p web/static/vendor tests/web/vendor
	cp web/node_modules/socket.io-client/dist/socket.io.min.js web/static/vendor/
	cp web/node_modules/axe-core/axe.min.js tests/web/vendor/

test-postgres: install ## Run the backend tests against a throw-away local PostgreSQL
	tools/with_postgres.sh $(RUN) pytest tests/backend -q

lint: install ## Check style (ruff) and types (mypy on backend/ and server/)
	$(RUN) ruff check .
	$(RUN) ruff format --check .
	$(MAKE) --no-print-directory typecheck

typecheck: install ## Type-check backend/ and server/ (strict on backend/policies)
	$(RUN) mypy backend server

format: install ## Fix style (ruff)
	$(RUN) ruff check --fix .
	$(RUN) ruff format .

rules: install ## Rewrite bot/data/intent_rules.yml from the flow registry (bot/actions/intents.py)
	$(RUN) python -m tools.rules

validate: install ## Check the Rasa training data and domain
	cd bot && $(RUN) rasa data validate

clean: ## Remove the database, models, screenshots and caches (keeps .venv and reports/nlu)
	rm -rf var reports/web .pytest_cache .ruff_cache bot/.rasa
	find . -name __pycache__ -type d -not -path './.venv/*' -prune -exec rm -rf {} +

PROFILES ?= default production
bench: install ## Run the load benchmark (writes reports/bench/)
	$(RUN) python -m bench --profiles $(PROFILES)

eval-nlu: install ## Evaluate the NLU on the held-out set (writes reports/nlu/), with 5-fold CV
	$(RUN) python -m tools.nlu_eval
