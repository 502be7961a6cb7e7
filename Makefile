# CareAssure. `make help` lists the targets.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?=

APT_PACKAGES := chromium libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-liberation default-jre-headless poppler-utils wrk

.PHONY: help install system-packages demo run seed-demo-data rebuild-db test test-unit test-system lint typecheck migrations-check bench clean

help: ## List the targets
	@grep -E '^[a-zA-Z_-]+:.*?## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*?## "}; {printf "  \033[36m%-18s\033[0m %s\n", $$1, $$2}'

$(VENV)/.installed: pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "Python 3.11 is needed (set PYTHON=/path/to/python3.11)"; exit 1; }
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev,spark]'
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# GOV.UK Frontend's styles compiled with CareAssure's settings (Arial, no GDS Transport).
careassure/static/vendor/govuk-frontend.min.css: careassure/assets/govuk-frontend.scss node_modules/.installed
	mkdir -p $(@D)
	node_modules/.bin/sass --no-source-map --style=compressed --quiet-deps --load-path=node_modules $< $@

system-packages: ## Install the Debian packages the browser tests, PDFs and Spark need (needs root)
	@missing=""; for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = "0" ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  else echo "Install these Debian packages first:$$missing"; exit 1; fi; \
	fi

install: system-packages $(VENV)/.installed node_modules/.installed careassure/static/vendor/govuk-frontend.min.css ## Create the virtualenv and install everything

rebuild-db: install ## Delete and re-create the local SQLite database
	rm -f var/careassure.sqlite3
	$(MANAGE) migrate --noinput

seed-demo-data: install ## Load the framework, published results, the demo council and demo users
	$(MANAGE) migrate --noinput
	$(MANAGE) demo_seed

demo: seed-demo-data ## Install, migrate SQLite, load the demo county and serve on http://127.0.0.1:8000
	$(MANAGE) collectstatic --noinput --verbosity 0
	@$(MANAGE) demo_logins
	$(MANAGE) runserver $(HOST):$(PORT)

run: install ## Serve on http://127.0.0.1:8000 without re-seeding
	$(MANAGE) runserver $(HOST):$(PORT)

test: install ## Run the whole test suite (SQLite by default; set DATABASE_URL for PostgreSQL)
	$(PY) -m pytest -n 2 --dist loadgroup $(PYTEST_ARGS)

test-unit: install ## Run the tests that need no browser
	$(PY) -m pytest -n 2 -m "not system" $(PYTEST_ARGS)

test-system: install ## Run the browser and accessibility tests
	$(PY) -m pytest -m system $(PYTEST_ARGS)

lint: install ## ruff, import contracts, ADR numbering and the view-query check
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports
	$(PY) scripts/check_adrs.py
	$(PY) scripts/check_view_queries.py

typecheck: install ## mypy (strict on careassure.core)
	$(VENV)/bin/mypy careassure

migrations-check: install ## Fail if models changed without a migration
	DJANGO_SETTINGS_MODULE=careassure.config.settings.test $(PY) manage.py makemigrations --check --dry-run

bench: install ## Benchmarks (never part of the tests); results go to bench/results/
	$(PY) -m bench.run

clean: ## Remove the virtualenv, node_modules and local data
	rm -rf $(VENV) node_modules var staticfiles
