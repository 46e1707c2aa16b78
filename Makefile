# Almanac: `make run` to try it, `make test` to check it.
SHELL := /bin/bash
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

# The first Python >= 3.12 on PATH (pyenv shims that fail are skipped).
PYTHON := $(shell for p in python3.13 python3.12 python3; do \
	if command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1; then \
	echo $$p; break; fi; done)

.PHONY: install run check test lint format clean drill bench audit messages screenshots

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	@if [ -z "$(PYTHON)" ]; then \
		echo "Almanac needs Python 3.12 or newer (tried python3.13, python3.12, python3)."; \
		echo "Install it (e.g. 'pyenv install 3.12') and run make again."; exit 1; fi
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $@

run: install
	$(BIN)/python manage.py migrate --no-input
	$(BIN)/python manage.py createcachetable
	$(BIN)/python manage.py demo --if-empty --address $(HOST):$(PORT)
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# The inner loop: lint and the tests that take seconds, not the slow or browser ones.
check: install lint
	$(BIN)/python -m pytest -q -m "not slow and not browser"

test: install lint
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/python -m pytest

# Performance: gunicorn on 127.0.0.1, every page against a logged-in floor view.
# WRITE=1 writes docs/performance.md; ROUNDS and BLOCK (requests per page a round) trade
# time for steadiness (5 and 12: a few minutes on 2 cores). DATABASE_URL=postgres://…
# measures on a throwaway database on that server.
ROUNDS ?= 5
BLOCK ?= 12
bench: install
	$(BIN)/python bench/run.py --rounds $(ROUNDS) --block $(BLOCK) $(if $(WRITE),--write,)

LIGHTHOUSE := lighthouse@12.2.3
AXE := axe-core@4.14.1
audit: install
	@test -x node_modules/.bin/lighthouse -a -f node_modules/axe-core/axe.min.js || \
		npm i -E --no-save --no-audit --no-fund $(LIGHTHOUSE) $(AXE)
	$(BIN)/python bench/audit.py

# The README's pictures: the demo's year page, editor and share page, light and dark,
# into docs/screenshots/ (a fresh database in a temporary folder; needs Chromium).
screenshots: install
	$(BIN)/python bench/screenshots.py

# Load and crash drills on 127.0.0.1 (docs/reliability.md); DRILL_SECONDS=60 by default.
drill: install
	$(BIN)/python drills/drill.py

# Interface translations: refresh locale/zh_Hans/LC_MESSAGES/django.po from the
# sources, then (after translating what is new) compile django.mo, which is committed.
messages: install
	$(BIN)/python manage.py makemessages -l zh_Hans --add-location file --ignore node_modules \
		--ignore staticfiles --ignore bench --ignore drills --ignore tests --ignore "*.egg-info"
	$(BIN)/python manage.py compilemessages -l zh_Hans --ignore .venv --ignore node_modules \
		--ignore staticfiles

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache
