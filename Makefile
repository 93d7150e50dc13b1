# Ensemblier — `make help` lists the targets.
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
MANAGE := $(PY) manage.py
HOST ?= 127.0.0.1
PORT ?= 8000
CHROMIUM ?= /usr/bin/chromium
# Test processes (pytest-xdist): one per core by default; WORKERS=0 runs in this process only.
WORKERS ?= auto
# First interpreter found that is Python 3.11 or newer.
PYTHON ?= $(shell for p in python3.13 python3.12 python3.11 python3; do \
	command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null && { echo $$p; break; }; done)

.PHONY: help setup run test test-fast lint format seed bench chromium fonts serve-prod clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "}; {printf "  make %-11s %s\n", $$1, $$2}'

$(VENV)/.installed: pyproject.toml
	@test -n "$(PYTHON)" || { echo "Python 3.11 ou plus récent est requis."; exit 1; }
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -e .
	@touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	$(PIP) install --quiet -e ".[test]"
	@touch $@

$(VENV)/.installed-bench: $(VENV)/.installed-test
	$(PIP) install --quiet -e ".[test,bench]"
	@touch $@

setup: $(VENV)/.installed fonts ## Install, migrate and load the demo content (SQLite)
	$(MANAGE) migrate --no-input
	$(MANAGE) seed_demo

run: setup ## Set up, then serve the site on http://127.0.0.1:8000 with the task worker
	@echo "Site : http://$(HOST):$(PORT)/  ·  administration : http://$(HOST):$(PORT)/admin/"
	@echo "Tâches de fond (e-mails, notifications) : manage.py db_worker, arrêté avec le serveur."
	@$(MANAGE) db_worker --interval 2 & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	$(MANAGE) runserver $(HOST):$(PORT)

fonts: ## Install the Debian fonts embedded in the PDFs when absent (DejaVu, WenQuanYi Zen Hei)
	@if [ ! -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || [ ! -f /usr/share/fonts/truetype/wqy/wqy-zenhei.ttc ]; then \
		echo "Installation des polices des PDF (Debian)…"; \
		if [ "$$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi; \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq fonts-dejavu-core fonts-wqy-zenhei; \
	fi

chromium: ## Install Debian's chromium for the browser tests when absent
	@if [ ! -x "$(CHROMIUM)" ]; then \
		echo "Installation de chromium (Debian)…"; \
		if [ "$$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi; \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium fonts-dejavu-core; \
	fi

test: $(VENV)/.installed-test chromium fonts ## Run the whole test suite (unit, views, browser)
	$(PY) -m pytest -n $(WORKERS)

test-fast: $(VENV)/.installed-test fonts ## Run the suite without the browser journeys
	$(PY) -m pytest -n $(WORKERS) -m "not browser"

lint: $(VENV)/.installed-test ## Check style (ruff) and the layers between apps (import-linter)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

format: $(VENV)/.installed-test ## Reformat the code (ruff)
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

seed: $(VENV)/.installed ## Load the demo content again (idempotent)
	$(MANAGE) seed_demo

bench: $(VENV)/.installed-bench ## Run every benchmark in benchmarks/
	@for script in benchmarks/*.py; do case $$script in */settings*|*_urls.py) continue;; esac; echo "== $$script"; $(PY) $$script || exit 1; done

serve-prod: $(VENV)/.installed ## Serve with gunicorn (gthread, a worker per core, 2 threads) and production settings (needs DJANGO_SECRET_KEY)
	DJANGO_SETTINGS_MODULE=lms.settings.production $(MANAGE) collectstatic --no-input
	DJANGO_SETTINGS_MODULE=lms.settings.production $(VENV)/bin/gunicorn lms.wsgi -b $(HOST):$(PORT) \
		-k gthread -w $${GUNICORN_WORKERS:-$$(nproc)} --threads $${GUNICORN_THREADS:-2} \
		--max-requests 2000 --max-requests-jitter 200 --timeout 30 --graceful-timeout 30

clean: ## Remove the virtualenv, the SQLite database and caches
	rm -rf $(VENV) db.sqlite3 staticfiles .pytest_cache .ruff_cache test-artifacts
