# sroi-portal: developer entry points. Everything runs in .venv (made by scripts/bootstrap.sh).
#
#   make run        create .venv if needed, migrate, load demo data, serve on http://127.0.0.1:8000
#   make test       the whole test run: SQLite pass + PostgreSQL 15 pass (scripts/test.sh)
#   make test-fast  the SQLite pass only
#   make test ARGS="-k obligation"   extra arguments go to pytest
#   make bench      performance benchmark (long): generated data, timings, docs/performance.md
#   make loadtest   load test (about 7 minutes): 50 users for 2 minutes on gunicorn + PostgreSQL, docs/loadtest.md
#   make migrate / make seed / make clean

SHELL := /bin/bash
PYTHON := .venv/bin/python
ARGS ?=
# Local development: DEBUG on, so no SECRET_KEY is needed.
DEV_ENV := DEBUG=true

.PHONY: run test test-fast migrate seed clean bootstrap bench loadtest

bootstrap:
	@bash scripts/bootstrap.sh

run: migrate
	$(DEV_ENV) $(PYTHON) manage.py seed_demo
	$(DEV_ENV) $(PYTHON) manage.py runserver 127.0.0.1:8000

test:
	bash scripts/test.sh $(ARGS)

test-fast:
	bash scripts/test.sh --fast $(ARGS)

migrate: bootstrap
	$(DEV_ENV) $(PYTHON) manage.py migrate --noinput

seed: migrate
	$(DEV_ENV) $(PYTHON) manage.py seed_demo

# Performance benchmark (issue #7; long: not part of `make test`). Writes docs/performance.md/.json.
#   make bench ARGS="--scales regio"   make bench ARGS="--quick"   (see python -m bench --help)
bench: bootstrap
	bash scripts/system-deps.sh postgres
	$(PYTHON) -m bench $(ARGS)

# Load test (issue #6 item 8; not part of `make test`): region data on a private PostgreSQL, gunicorn,
# Redis and a Celery worker, 50 locust users for 2 minutes, then consistency checks; writes
# docs/loadtest.md and fails on any failed request, 5xx or inconsistency (scripts/loadtest.sh).
loadtest: bootstrap
	bash scripts/loadtest.sh

# Removes the virtualenv and generated files; keeps var/ (the local database and uploaded files).
clean:
	rm -rf .venv .pytest_cache .hypothesis staticfiles
	find . -path ./.git -prune -o -type d -name __pycache__ -prune -exec rm -rf {} +
