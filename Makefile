# The two commands of grassroots:
#   make demo   the web app on an SQLite database with a demo city, printing the URL and the logins
#   make test   lint, types, the whole suite on SQLite and on PostgreSQL, browser tests in headless chromium
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

export UV_PYTHON_DOWNLOADS := never
UV := $(shell command -v uv 2>/dev/null || echo python3 -m uv)
RUN := $(UV) run --frozen
PG_URL ?= postgres://postgres@127.0.0.1:5432/grassroots
CHROMIUM ?= /usr/bin/chromium

.PHONY: help setup demo test lint types test-sqlite test-postgres chromium postgres bench

help:
	@echo "make demo   run grassroots with a demo city (SQLite)"
	@echo "make test   run every check and test (SQLite and PostgreSQL, headless chromium)"
	@echo "make bench  run the benchmarks"

setup:
	@$(UV) --version >/dev/null 2>&1 || python3 -m pip install --quiet uv
	@$(UV) sync --frozen --quiet

demo: setup
	DEBUG=$${DEBUG:-true} $(RUN) grassroots demo

chromium:
	@test -x $(CHROMIUM) || { echo "Installing Debian's chromium for the browser tests"; \
	  apt-get update -qq && apt-get install -y -qq chromium >/dev/null; }
	@$(CHROMIUM) --version

postgres:
	@pg_isready -q -h 127.0.0.1 -p 5432 || { \
	  echo "Starting PostgreSQL"; pg_ctlcluster --skip-systemctl-redirect $$(ls /etc/postgresql) main start; \
	  for i in $$(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done; }
	@pg_isready -h 127.0.0.1 -p 5432

lint: setup
	$(RUN) ruff check .
	$(RUN) ruff format --check .

types: setup
	$(RUN) mypy grassroots

test-sqlite: setup chromium
	$(RUN) pytest -n auto

test-postgres: setup chromium postgres
	DATABASE_URL=$(PG_URL) $(RUN) pytest -n auto

test: lint types test-sqlite test-postgres

bench: setup postgres
	$(RUN) python benchmarks/demo_load.py
	$(RUN) python benchmarks/import_voters.py
	$(RUN) --group bench python benchmarks/match.py
	$(RUN) python benchmarks/results.py
	$(RUN) --group bench python benchmarks/turf.py
	$(RUN) --group bench python benchmarks/routes.py
	$(RUN) python benchmarks/api.py
	$(RUN) python benchmarks/load.py
