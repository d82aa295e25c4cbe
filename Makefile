# The ATMP Expert Platform. `make run` serves the demo; `make test` runs the whole suite.
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
PIP    := $(VENV)/bin/pip
HOST   ?= 127.0.0.1
# `make run PORT=8731`: links in e-mails (and the Sites row) point at that port too, unless SITE_URL is set.
ifdef PORT
ifndef SITE_URL
export SITE_URL := http://$(HOST):$(PORT)
endif
endif
PORT   ?= 8000
# Services for `make test-services` (override on the command line or in the environment).
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/atmp_ci
TEST_REDIS_URL    ?= redis://127.0.0.1:6379/5
PYTEST_ARGS ?=

.PHONY: run test test-services worker beat lint format bench vendor clean-venv migrate demo

$(VENV)/.installed: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements-dev.txt $(VENV)/.installed
	$(PIP) install --quiet -r requirements-dev.txt
	touch $@

migrate: $(VENV)/.installed
	$(PY) manage.py migrate --noinput

demo: migrate
	$(PY) manage.py load_demo

run: demo
	@echo "Serving the ATMP Expert Platform on http://$(HOST):$(PORT)/ (Ctrl-C stops it)"
	$(PY) manage.py runserver $(HOST):$(PORT)

test: $(VENV)/.installed-dev
	$(VENV)/bin/pytest $(PYTEST_ARGS)

# The whole suite on PostgreSQL + Redis; the worker tests start a real Celery
# worker process against the test database and stop it afterwards.
test-services: $(VENV)/.installed-dev
	DATABASE_URL=$(TEST_DATABASE_URL) REDIS_URL=$(TEST_REDIS_URL) CELERY_BROKER_URL=$(TEST_REDIS_URL) \
		$(VENV)/bin/pytest --create-db $(PYTEST_ARGS)

worker: $(VENV)/.installed
	$(VENV)/bin/celery -A platform_site worker --loglevel=INFO

# One per deployment: re-sends jobs recorded while the broker was down (CELERY_BEAT_SCHEDULE).
beat: $(VENV)/.installed
	mkdir -p var
	$(VENV)/bin/celery -A platform_site beat --loglevel=INFO --schedule=var/celerybeat-schedule

lint: $(VENV)/.installed-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(VENV)/.installed-dev
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# BENCH picks the suites (a folder or file under bench/); PYTEST_ARGS adds options.
BENCH ?= bench
bench: $(VENV)/.installed-dev
	$(VENV)/bin/pytest $(BENCH) -o addopts="-ra --strict-markers" --benchmark-only --benchmark-columns=min,median,max,rounds --benchmark-sort=name $(PYTEST_ARGS)

# Refresh static/vendor/ (and the test-only tests/e2e/vendor/) from package.json (needs npm; CI and production never run it).
vendor:
	bin/vendor-assets

clean-venv:
	rm -rf $(VENV)
