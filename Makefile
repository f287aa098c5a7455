# Two set-up commands: `make run` and `make test`. Both need only Python 3.11.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 5000
export FLASK_APP := lms

TOOLS := .venv-tools

.PHONY: run test bench translations lint lock audit

# The tests run on the pinned versions of requirements.lock (make lock renews it).
$(VENV)/.installed: pyproject.toml requirements.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -r requirements.lock
	$(BIN)/python -m pip install -q --no-deps -e .
	touch $@

# pip-tools and pip-audit live apart, so that their own dependencies never change the locked ones.
$(TOOLS)/.installed:
	test -x $(TOOLS)/bin/python || $(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/python -m pip install -q 'pip-tools>=7.4' 'pip-audit>=2.7'
	touch $@

## make lock: pin every dependency, with the test and PostgreSQL extras, in requirements.lock.
lock: $(TOOLS)/.installed
	$(TOOLS)/bin/pip-compile -q --extra test --extra postgres --strip-extras \
		--no-emit-index-url --no-emit-find-links -o requirements.lock pyproject.toml

## make audit: known vulnerabilities in the locked versions (AUDIT_FLAGS=--allow-unaudited lets
## pins pass that no vulnerability source could be asked about; they are still listed).
audit: $(TOOLS)/.installed
	$(TOOLS)/bin/python tools/audit_lock.py --pip-audit $(TOOLS)/bin/pip-audit $(AUDIT_FLAGS) requirements.lock

translations: $(VENV)/.installed
	$(BIN)/pybabel -q compile -d translations

instance/secret_key:
	mkdir -p instance
	$(BIN)/python -c "import secrets; print(secrets.token_hex(32))" > $@
	chmod 600 $@

## make run: set up, migrate, load courses, create demo accounts on a new database, serve.
run: $(VENV)/.installed translations instance/secret_key
	LMS_SECRET_KEY=$$(cat instance/secret_key) LMS_DEMO_MODE=1 $(BIN)/flask db upgrade
	LMS_SECRET_KEY=$$(cat instance/secret_key) LMS_DEMO_MODE=1 $(BIN)/flask courses sync
	LMS_SECRET_KEY=$$(cat instance/secret_key) LMS_DEMO_MODE=1 $(BIN)/flask demo seed
	LMS_SECRET_KEY=$$(cat instance/secret_key) LMS_DEMO_MODE=1 LMS_PUBLIC_URL=http://$(HOST):$(PORT) \
		$(BIN)/flask run --host $(HOST) --port $(PORT)

## make test: set up and run every test on SQLite (browser tests need Debian's chromium; -rs says
## when skipped), then the unit and integration tests again on PostgreSQL if TEST_DATABASE_URL is set.
test: $(VENV)/.installed translations
	@test -x /usr/bin/chromium || echo "NOTE: Chromium not found - browser tests in tests/e2e are skipped (apt-get install chromium)."
	env -u TEST_DATABASE_URL $(BIN)/python -m pytest -q -rs
	@if [ -n "$$TEST_DATABASE_URL" ]; then \
		echo "== PostgreSQL pass: tests/ without the browser tests, against TEST_DATABASE_URL =="; \
		$(BIN)/python -m pytest -q -rs --ignore=tests/e2e; \
	elif [ -n "$$CI" ]; then \
		echo "CI requires the PostgreSQL pass: set TEST_DATABASE_URL (.ci/run starts a server)."; exit 1; \
	else \
		echo "NOTE: TEST_DATABASE_URL is not set - the PostgreSQL pass is skipped (see README, Tests)."; \
	fi

## make bench: the site under gunicorn against a bare Flask baseline; writes docs/performance.md.
bench: $(VENV)/.installed translations
	@command -v wrk >/dev/null || { echo "wrk is needed: apt-get install wrk"; exit 1; }
	$(BIN)/python bench/run.py

lint: $(VENV)/.installed
	$(BIN)/ruff check .
