# gradwalk: `make run` installs everything and serves; `make test` installs everything and runs every test.
# Both work on a fresh Debian machine (system packages via apt-get, as root or through sudo) and are quick
# when everything is already installed.

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip
# Graphviz draws the graphs; Liberation Sans (Arial's widths: app/render.py's FONT) and the CJK font render their
# labels; bubblewrap and libseccomp jail the workers.
APT_PACKAGES := graphviz fonts-liberation2 fonts-noto-cjk bubblewrap libseccomp2
# Only for the tests: a real PostgreSQL, started on loopback by tests/postgres.sh; Chromium for the browser
# tests (Playwright drives Debian's build: `playwright install` downloads nothing here).
TEST_APT_PACKAGES := postgresql chromium
TORCH := torch==2.13.0
HOST ?= 127.0.0.1
PORT ?= 8000
# The container image (`make image`, `make test-image`): podman and buildah when no Docker engine answers, runc
# (crun fails on hosts with hybrid cgroups), mmdebstrap for the base images when no registry can be reached,
# catatonit for --init, netavark and aardvark-dns for the Kubernetes test's network, curl for the docs' examples.
IMAGE ?= gradwalk
ENGINE ?=
IMAGE_APT_PACKAGES := podman buildah runc mmdebstrap catatonit uidmap netavark aardvark-dns iptables curl

.PHONY: run test test-fast lint bench system install clean image test-image test-kube

run: install
	$(VENV)/bin/gradwalk serve --host $(HOST) --port $(PORT)

# Every check and every test: the linters, the JS unit tests, then pytest in a random order (pytest-randomly
# prints its seed; `-p randomly --randomly-seed=N` replays an order, `-p no:randomly` keeps the files' own) with
# PostgreSQL, Chromium, the jail, the soak and notebooks executed by a real Jupyter kernel (nbclient + ipykernel).
# The browser tests mostly wait on Chromium (about half a core), so they run in a second pytest beside the rest, with
# the real-world corpus (most of the second's time: 14.5 of its 17 minutes on a busy 2-core machine, the rest taking
# 17.5, before the tests' OpenMP threads slept and the oracle let go of its graphs; about 5 minutes of CPU time since),
# at a lower priority (`nice`): the rest's tests of the server's latency come first. The second keeps a cache of its
# own (`--lf` then needs `-o cache_dir=.pytest_cache/second` for its tests); its report follows the rest's, and either
# failing fails the target. Ctrl-C stops both: the second, started in the background where the shell ignores Ctrl-C,
# listens for it again, so that it closes its servers and browser as it stops.
SECOND := tests/browser tests/test_realworld.py tests/test_realworld_sandbox.py
# Each report ends with its slowest tests: what to look at when `make test` nears its 20 minutes.
SLOWEST := --durations=15
SECOND_PYTEST := $(PY) -c 'import signal, sys, pytest; signal.signal(signal.SIGINT, signal.default_int_handler); \
	sys.exit(pytest.main(sys.argv[1:]))'
test: install lint
	@$(MAKE) --no-print-directory system APT_PACKAGES="$(TEST_APT_PACKAGES)"
	npm test --silent
	@log=$$(mktemp); nice -n 10 $(SECOND_PYTEST) $(SECOND) $(SLOWEST) -o cache_dir=.pytest_cache/second > $$log 2>&1 & second=$$!; \
	trap 'kill -INT $$second 2>/dev/null' INT TERM; \
	url=$$(tests/postgres.sh) && GRADWALK_TEST_DATABASE_URL=$$url $(PY) -m pytest $(SECOND:%=--ignore=%) $(SLOWEST); rest=$$?; \
	wait $$second; seconds=$$?; echo "=== pytest $(SECOND) ==="; cat $$log; rm -f $$log; \
	test $$rest = 0 && test $$seconds = 0

# The quick loop, as any user (no root, no bubblewrap, no system package beyond Graphviz): every test but the
# browser's, PostgreSQL's, the jail's, the real servers', the few that take half a minute each and the real-world
# corpus (about 1,300 snippets and 5 minutes of CPU time: `pytest tests/test_realworld.py -k NAME` runs one). About five
# minutes.
test-fast:
	@test -x $(PY) || $(MAKE) --no-print-directory install
	GRADWALK_SOAK_S=0 $(PY) -m pytest -q -m "not browser and not postgres and not jail and not server and not slow" \
		--ignore=tests/test_realworld.py

# Python: ruff (lint and format) and mypy, strict on app/ but for app/capture and app/explain (pyproject.toml says
# why); JavaScript: eslint, pinned in package.json with the rest of the front end.
lint: install
	$(PY) -m ruff check app gradwalk tests bench
	$(PY) -m ruff format --check app gradwalk tests bench
	$(PY) -m mypy
	npm run --silent lint

# One table: capture against torchviz, TorchLens and plain torch; HTTP; the page in Chromium; peak memory.
bench: install
	@$(MAKE) --no-print-directory system APT_PACKAGES=chromium
	$(PIP) install -q -e '.[bench]'
	$(PY) bench/all.py

install: system $(VENV)/.installed static/vendor/.installed

# The image from the Dockerfile, with docker when an engine answers, else with podman (ENGINE=docker or podman
# chooses), making the two local base images with mmdebstrap when they are missing: deploy/image/build.sh.
# It prints the build time and the image's size.
image:
	@engine="$(ENGINE)"; \
	if [ -z "$$engine" ]; then \
		if command -v docker >/dev/null && timeout 20 docker info >/dev/null 2>&1; then engine=docker; else engine=podman; fi; \
	fi; \
	if [ "$$engine" = podman ]; then $(MAKE) --no-print-directory system APT_PACKAGES="$(IMAGE_APT_PACKAGES)"; fi; \
	IMAGE=$(IMAGE) ENGINE=$$engine deploy/image/build.sh

# Builds the image with podman and proves it: one container as docs/deploy.md documents it
# (tests/image/container.py), then deploy/kubernetes/ played with `podman kube play` (tests/image/kube.py).
test-image:
	@$(MAKE) --no-print-directory image ENGINE=podman
	IMAGE=$(IMAGE) tests/image/run.sh container
	IMAGE=$(IMAGE) tests/image/run.sh kube

# Only the Kubernetes part, on an image already built.
test-kube:
	@$(MAKE) --no-print-directory system APT_PACKAGES="$(IMAGE_APT_PACKAGES)"
	IMAGE=$(IMAGE) tests/image/run.sh kube

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
# The notebook extra (IPython) and the test extra (with ipykernel and nbclient, which run the notebook tests' real
# kernel) come from PyPI; the server's own install (the image's `pip install .`) has neither.
$(VENV)/.installed: pyproject.toml | $(VENV)/bin/python
	$(PIP) install -q --upgrade pip
	$(PIP) install -q $(TORCH)
	$(PIP) install -q -e '.[notebook,test]'
	touch $@

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .ruff_cache node_modules static/vendor
