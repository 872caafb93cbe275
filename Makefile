# The two commands a new user needs: `make run` and `make test` (see README.md).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
SQLITE_TEST_URL := sqlite:///:memory:

.PHONY: run test lint migrations-check test-postgres test-sqlite messages clean assets serve chromium

# A stamp per requirements file, so a second run does not reinstall anything.
$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.requirements: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.requirements-dev: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

# Front-end libraries from the npm registry (package-lock.json), copied to static/vendor/.
VENDOR_FILES := node_modules/bootstrap/dist/css/bootstrap.min.css node_modules/bootstrap/dist/css/bootstrap.min.css.map \
	node_modules/bootstrap/dist/js/bootstrap.bundle.min.js node_modules/bootstrap/dist/js/bootstrap.bundle.min.js.map \
	node_modules/echarts/dist/echarts.min.js node_modules/echarts/i18n/langZH.js \
	node_modules/tom-select/dist/js/tom-select.complete.min.js node_modules/tom-select/dist/js/tom-select.complete.min.js.map \
	node_modules/tom-select/dist/css/tom-select.bootstrap5.min.css node_modules/tom-select/dist/css/tom-select.bootstrap5.min.css.map \
	node_modules/workbox-window/build/workbox-window.prod.umd.js node_modules/workbox-window/build/workbox-window.prod.umd.js.map
# Workbox's service-worker modules, loaded by workbox-sw from static/vendor/workbox/ (never from a CDN).
WORKBOX_MODULES := core routing strategies precaching background-sync expiration cacheable-response
static/vendor/.stamp: package.json package-lock.json
	@command -v npm >/dev/null || { echo "npm is needed for the front-end assets: apt-get install npm (or Node.js from nodejs.org)"; exit 1; }
	npm ci --no-audit --no-fund
	mkdir -p static/vendor/workbox
	cp $(VENDOR_FILES) static/vendor/
	cp node_modules/workbox-sw/build/workbox-sw.js node_modules/workbox-sw/build/workbox-sw.js.map static/vendor/workbox/
	for module in $(WORKBOX_MODULES); do cp node_modules/workbox-$$module/build/workbox-$$module.prod.js* static/vendor/workbox/; done
	touch $@

assets: static/vendor/.stamp

## run: install, migrate, load reference and demo data, create the demo admin, serve on http://127.0.0.1:8000 (SQLite)
## with a task worker (db_worker) started and stopped with the server
run: $(VENV)/.requirements static/vendor/.stamp
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_pinghu
	$(BIN)/python manage.py create_demo_admin
	$(BIN)/python manage.py generate_demo_data --projects 300 --visits 600 --seed 1
	$(BIN)/python scripts/run_with_worker.py -- $(BIN)/python manage.py runserver 127.0.0.1:8000

## serve: gunicorn with production-like settings (DEBUG off, collected static files) on http://127.0.0.1:8000,
## with a task worker beside it (in production, workers are systemd units: docs/deploy.md)
serve: $(VENV)/.requirements static/vendor/.stamp
	DJANGO_DEBUG=0 DJANGO_HTTPS=$${DJANGO_HTTPS:-0} DJANGO_SECRET_KEY=$${DJANGO_SECRET_KEY:-local-serve-$$(hostname)-not-for-production-0123456789} \
	DJANGO_ALLOWED_HOSTS=$${DJANGO_ALLOWED_HOSTS:-127.0.0.1,localhost} sh -c '\
	$(BIN)/python manage.py collectstatic --noinput -v0 && $(BIN)/python manage.py migrate --noinput && \
	$(BIN)/python manage.py createcachetable && \
	exec $(BIN)/python scripts/run_with_worker.py -- $(BIN)/gunicorn pinghu.wsgi --worker-class gthread --workers 2 \
	--threads 4 --bind 127.0.0.1:8000 --keep-alive 75 --access-logfile - --graceful-timeout 20 --timeout 180'

## test: lint, check migrations, then the whole suite on PostgreSQL and on SQLite, the two side by side
## (each prints its output whole when it ends; `make test-postgres` or `make test-sqlite` runs one alone)
# Side by side because the suites are independent (separate databases, their own Chromium) and each is mostly
# one process waiting on its database or its browser: on two cores the pair takes about as long as the slower one,
# where one after the other took the sum (which passed CI's 90 minutes on a slow machine no more).
test: lint migrations-check $(VENV)/.requirements-dev static/vendor/.stamp chromium
	$(MAKE) --no-print-directory -j2 --output-sync=target test-postgres test-sqlite

# The browser tests drive Debian's Chromium (or the build PINGHU_CHROMIUM names). When it is missing
# and we may install packages (root with apt-get), install it once; otherwise stop before the tests
# with one line that says what to do. Nothing happens when it is there.
CHROMIUM ?= $(or $(PINGHU_CHROMIUM),/usr/bin/chromium)
chromium:
	@if [ -x "$(CHROMIUM)" ] || command -v "$(CHROMIUM)" >/dev/null 2>&1; then exit 0; fi; \
	if [ -z "$(PINGHU_CHROMIUM)" ] && [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
		echo "Chromium not found at $(CHROMIUM): installing Debian's chromium package (apt-get) for the browser tests"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null || exit 1; \
	else \
		echo "Chromium not found at $(CHROMIUM): the browser tests need it. Install it (as root: apt-get install chromium) or set PINGHU_CHROMIUM to a Chromium executable." >&2; \
		exit 1; \
	fi

lint: $(VENV)/.requirements-dev
	$(BIN)/ruff check .

migrations-check: $(VENV)/.requirements-dev
	DATABASE_URL=$(SQLITE_TEST_URL) $(BIN)/python manage.py makemigrations --check --dry-run

test-postgres: $(VENV)/.requirements-dev static/vendor/.stamp chromium
	@echo "== pytest on PostgreSQL =="
	$(BIN)/python scripts/with_postgres.py -- $(BIN)/pytest --create-db

test-sqlite: $(VENV)/.requirements-dev static/vendor/.stamp chromium
	@echo "== pytest on SQLite =="
	DATABASE_URL=$(SQLITE_TEST_URL) $(BIN)/pytest

## messages: refresh locale/ after changing translatable strings (needs GNU gettext)
# Chinese: every msgid translated by hand. English: only the msgids that carry a Chinese term get their English,
# filled by scripts/english_catalogue.py (which lists what it cannot write itself).
messages: $(VENV)/.requirements-dev
	$(BIN)/python manage.py makemessages -l zh_Hans -l en --no-obsolete --ignore=.venv --ignore=staticfiles --ignore=tests --ignore=bench --ignore=node_modules --ignore=static
	$(BIN)/python scripts/english_catalogue.py
	$(BIN)/python manage.py compilemessages -l zh_Hans -l en --ignore=.venv --ignore=node_modules

clean:
	rm -rf $(VENV) staticfiles
