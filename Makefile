# Milieu: `make run` serves the portal with its worker and scheduler; `make test` runs the suite.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
RUN_STAMP := $(VENV)/.installed-run
DEV_STAMP := $(VENV)/.installed-dev

# `make run PORT=8001` serves elsewhere; links in emails and certificates follow.
PORT ?= 8000
SITE_URL ?= http://127.0.0.1:$(PORT)
export PORT SITE_URL

.PHONY: run sso-demo test test-fast install install-dev lint typecheck format bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV) || python3 -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# What the portal needs to run.
$(RUN_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $(RUN_STAMP)

# The same plus the development tools (pytest, Playwright's client, ruff, ...).
$(DEV_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(DEV_STAMP) $(RUN_STAMP)

install: $(RUN_STAMP)

install-dev: $(DEV_STAMP)

run: install
	@echo "Preparing the database under var/ ..."
	@$(BIN)/python manage.py migrate --no-input --verbosity 0
	@$(BIN)/python manage.py collectstatic --no-input --verbosity 0
	@$(BIN)/python manage.py seed_demo --quiet
	@$(BIN)/python manage.py rebuild_readiness --verbosity 0
	@echo "Starting the portal at $(SITE_URL)/ with its worker and beat (Ctrl-C stops all) ..."
	@$(BIN)/honcho start -f Procfile -p $(PORT) || [ $$? -eq 130 ]  # 130: stopped with Ctrl-C

# A demo OpenID Connect provider (oidc-provider-mock) at http://127.0.0.1:$(SSO_DEMO_PORT),
# to try "Sign in with ..." locally: it prints the variables for `make run` in a second
# terminal, then serves until Ctrl-C. It signs in whoever's name is typed on its page
# (the demo people below are offered as buttons, with a verified email and an `amr`
# that says MFA; any other name has no verified email and is refused).
SSO_DEMO_PORT ?= 9400
SSO_DEMO_PEOPLE := newhire hr admin supervisor1
sso-demo: install-dev
	@echo "A demo identity provider is starting at http://127.0.0.1:$(SSO_DEMO_PORT)/ ."
	@echo "In a second terminal, in this folder, paste this line and then run make run:"
	@echo
	@echo "  export SSO_PROVIDERS=demo SSO_DEMO_ISSUER=http://127.0.0.1:$(SSO_DEMO_PORT) SSO_DEMO_CLIENT_ID=milieu-demo SSO_DEMO_SECRET=demo-secret SSO_DEMO_LABEL='Demo ID'"
	@echo
	@echo "Then open $(SITE_URL)/accounts/login/ and press \"Sign in with Demo ID\"."
	@echo "Ctrl-C stops the provider."
	@$(BIN)/oidc-provider-mock --host 127.0.0.1 --port $(SSO_DEMO_PORT) \
		$(foreach who,$(SSO_DEMO_PEOPLE),--user-claims '{"sub": "$(who)@demo.milieu.local", "email": "$(who)@demo.milieu.local", "email_verified": true, "amr": ["pwd", "mfa"]}') \
		|| [ $$? -eq 130 ]

# Two runs side by side: the suite on two processes, and the tests that start a real
# Celery worker (they skip unless PostgreSQL and Redis are configured; they mostly
# wait on the worker, so they take little from the other run). The worker run has its
# own broker keys and its own test database; its report follows the suite's.
# pytest's exit code 5 ("no tests collected") is not a failure here.
test: install-dev
	@mkdir -p var
	@MILIEU_TEST_BROKER_PREFIX="$${MILIEU_TEST_BROKER_PREFIX:-milieu-test-$$$$:}worker:" \
		$(BIN)/python -m pytest -p no:xdist -m worker $(PYTEST_ARGS) \
		> var/test-worker.log 2>&1 & workers=$$!; \
	$(BIN)/python -m pytest -n 2 -m "not worker" $(PYTEST_ARGS) || [ $$? -eq 5 ] || failed=1; \
	wait $$workers || [ $$? -eq 5 ] || failed=1; \
	echo "== the worker tests (-m worker)"; cat var/test-worker.log; \
	exit $${failed:-0}

# The edit-test loop: everything but the browser, worker and slow tests, on SQLite
# (under 3 minutes on an idle 2-core machine). `make test` and CI still run all.
test-fast: install-dev
	env -u DATABASE_URL -u CELERY_BROKER_URL -u CACHE_URL \
		$(BIN)/python -m pytest -n 2 -m "not browser and not worker and not slow" $(PYTEST_ARGS) || [ $$? -eq 5 ]

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

# mypy with django-stubs over the apps (configured in pyproject.toml).
typecheck: install-dev
	$(BIN)/mypy

format: install-dev
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: install-dev
	$(BIN)/python bench/expiry_scan.py
	$(BIN)/python bench/team_matrix.py
	$(BIN)/python bench/export.py
	$(BIN)/python bench/http_pages.py --staff 500 --requests 50 --seconds 5

clean:
	rm -rf $(VENV) var staticfiles
