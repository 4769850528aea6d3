# gradwalk: `make run` installs everything and serves; `make test` installs everything and runs every test.
# Both work on a fresh Debian machine (system packages via apt-get, as root or through sudo) and are quick
# when everything is already installed.

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip
# Graphviz draws the graphs; the CJK font renders Korean labels; bubblewrap and libseccomp jail the workers.
APT_PACKAGES := graphviz fonts-noto-cjk bubblewrap libseccomp2
# Only for the tests: a real PostgreSQL, started on loopback by tests/postgres.sh; Chromium for the browser
# tests (Playwright drives Debian's build: `playwright install` downloads nothing here).
TEST_APT_PACKAGES := postgresql chromium
TORCH := torch==2.13.0
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test lint bench system install clean

run: install
	$(VENV)/bin/gradwalk serve --host $(HOST) --port $(PORT)

test: install
	@$(MAKE) --no-print-directory system APT_PACKAGES="$(TEST_APT_PACKAGES)"
	$(PY) -m ruff check app tests bench
	$(PY) -m ruff format --check app tests bench
	$(PY) -m mypy app/capture app/explain
	url=$$(tests/postgres.sh) && GRADWALK_TEST_DATABASE_URL=$$url $(PY) -m pytest

lint: install
	$(PY) -m ruff check app tests bench

# One table: capture against torchviz, TorchLens and plain torch; HTTP; the page in Chromium; peak memory.
bench: install
	@$(MAKE) --no-print-directory system APT_PACKAGES=chromium
	$(PIP) install -q -e '.[bench]'
	$(PY) bench/all.py

install: system $(VENV)/.installed static/vendor/.installed

system:
	@missing=$$(for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		echo "installing system packages:" $$missing; \
		sudo=$$([ "$$(id -u)" = 0 ] || echo sudo); \
		$$sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y -qq $$missing; \
	fi

# Front-end files gradwalk serves itself (no CDN): from npm, pinned by package-lock.json, install scripts off.
# `npm run vendor` (package.json) copies what the pages load: Swagger UI, CodeMirror, Viz.js (Graphviz in WASM).
static/vendor/.installed: package.json package-lock.json
	@command -v npm >/dev/null || $(MAKE) --no-print-directory system APT_PACKAGES="nodejs npm"
	npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	npm run --silent vendor
	touch $@

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)

# torch first, pinned: the project's own range (torch>=2.3) is then already met and pip fetches no other build.
$(VENV)/.installed: pyproject.toml | $(VENV)/bin/python
	$(PIP) install -q --upgrade pip
	$(PIP) install -q $(TORCH)
	$(PIP) install -q -e '.[test]'
	touch $@

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .ruff_cache node_modules static/vendor
