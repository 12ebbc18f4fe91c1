# The two commands that matter: `make run` (the product with demo data, on the embedded default) and
# `make test` (the test suite). Both create the virtual environment on first use.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000

.PHONY: run test browser lock lint typecheck check install worker beat acceptance bench load clean

# Installs exactly what requirements.lock pins (hashes checked), then the project itself without resolving again.
$(VENV)/.installed: pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet --require-hashes -r requirements.lock
	$(PY) -m pip install --quiet --no-deps -e .
	touch $@

install: $(VENV)/.installed

# After changing the ranges in pyproject.toml: pin again (newest releases in range), with hashes. CI fails while
# pyproject.toml and the locks disagree (tests/test_lock.py).
lock: install
	$(VENV)/bin/pip-compile --quiet --generate-hashes --allow-unsafe --extra dev --strip-extras -o requirements.lock pyproject.toml
	$(VENV)/bin/pip-compile --quiet --generate-hashes --allow-unsafe --strip-extras -o requirements-prod.lock pyproject.toml

run: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_demo
	@echo ""
	@echo "  Claim tracker: http://127.0.0.1:$(PORT)/   (admin: /admin/, API: /api/v1/, docs: /api/docs/)"
	@echo "  Editor login: editor / editor-demo-pass"
	@echo ""
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

test: install browser
	$(PY) -m pytest

# The browser tests need Debian's Chromium: installed here when missing (as root, through apt-get), else a clear
# message naming the command to run. Never a downloaded browser.
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "installing Debian's chromium for the browser tests"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else \
	    echo "the browser tests need Debian's Chromium: run 'sudo apt-get install chromium' and try again" >&2; \
	    exit 1; \
	  fi; }

lint: install
	$(VENV)/bin/ruff check .

typecheck: install
	$(VENV)/bin/mypy .

check: lint typecheck test

worker: install
	$(VENV)/bin/celery -A tracker worker --loglevel=INFO

beat: install
	$(VENV)/bin/celery -A tracker beat --loglevel=INFO --schedule data/celerybeat-schedule

acceptance: install
	$(PY) ../shared/acceptance/run.py --gold ../shared/acceptance/seeds/gold.json --start .

# 50 users for 60 s against gunicorn + PostgreSQL + worker + Redis (docs/PERFORMANCE.md); needs PostgreSQL on
# 127.0.0.1:5432 (user postgres) and redis-server on PATH; makes and drops its own database.
load: install
	$(PY) bench/load_test.py

# Every benchmark of the performance goals in one run bounded by 20 minutes (docs/PERFORMANCE.md); needs PostgreSQL
# on 127.0.0.1:5432 (user postgres) and Redis; makes its databases once and reuses them.
bench: install
	$(PY) bench/run_all.py

clean:
	rm -rf $(VENV) data artifacts
