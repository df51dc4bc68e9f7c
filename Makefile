# Yaojian — the two commands: `make run` and `make test` (see README.md).
SHELL := /bin/bash
.DEFAULT_GOAL := help
export UV_LINK_MODE ?= copy
# Compile the dependencies' bytecode at install: processes start in about a third of the time.
export UV_COMPILE_BYTECODE ?= 1
UV ?= $(shell command -v uv 2>/dev/null || echo $(HOME)/.local/bin/uv)
PY := $(UV) run --frozen python
HOST ?= 127.0.0.1
PORT ?= 8000
PG_URL ?= postgres://postgres@127.0.0.1:5432/test

.PHONY: help uv install run serve setup test check lint typecheck migrations-check i18n-check openapi-check pytest-sqlite pytest-postgres messages schema bench browsers

help:
	@echo "make run   — install, migrate, load regions and the demo province, serve on http://$(HOST):$(PORT)"
	@echo "make test  — install test dependencies, run every check and the test suite (SQLite, then PostgreSQL)"

uv:
	@command -v uv >/dev/null 2>&1 || test -x $(HOME)/.local/bin/uv || { \
	  echo "==> installing uv"; python3 -m pip install --user --quiet uv || python3 -m pip install --quiet uv; }

install: uv
	$(UV) sync --frozen

setup: install
	@bash scripts/install-fonts.sh || echo "==> fonts for PDF documents not installed (see scripts/install-fonts.sh)"
	$(PY) manage.py migrate --no-input
	$(PY) manage.py load_regions
	$(PY) manage.py compile_catalogs
	$(PY) manage.py prepare_document_fonts || true
	$(PY) manage.py seed_demo --if-empty --province $${DEMO_PROVINCE:-54}
	$(PY) manage.py collectstatic --no-input -v0

run: setup
	HOST=$(HOST) PORT=$(PORT) $(UV) run --frozen python scripts/serve.py

browsers:
	@bash scripts/install-browser.sh
	@bash scripts/install-fonts.sh

check: install
	@echo "==> ruff format --check"; $(UV) run --frozen ruff format --check .
	@echo "==> ruff check"; $(UV) run --frozen ruff check .
	@echo "==> mypy"; $(UV) run --frozen mypy yaojian
	@echo "==> lint-imports"; $(UV) run --frozen lint-imports
	@echo "==> manage.py check"; $(PY) manage.py check --fail-level WARNING
	@echo "==> makemigrations --check"; $(PY) manage.py makemigrations --check --dry-run
	@echo "==> i18n gate"; bash scripts/i18n-check.sh
	@echo "==> OpenAPI snapshot"; $(PY) manage.py spectacular --lang en --file var/openapi.yaml --validate --fail-on-warn && diff -u docs/api/openapi.yaml var/openapi.yaml

test: install browsers check
	@bash scripts/test-legs.sh

messages:
	$(PY) manage.py makemessages -l zh_Hans --no-obsolete --no-location --ignore=.venv --ignore=var --ignore=bench --ignore=tests

schema:
	$(PY) manage.py spectacular --lang en --file docs/api/openapi.yaml --validate --fail-on-warn

bench: install
	$(PY) bench/run_all.py
