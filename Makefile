# The two commands of the README: `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
# One pytest worker per core (CI has two): the suite runs both backends and many browsers.
TEST_WORKERS ?= auto

.PHONY: run install test test-deps lint screenshot bench

run: install  ## install the app and serve it with the Heeren-Werve demo on SQLite
	$(BIN)/geoapp serve --host $(HOST) --port $(PORT)

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e .
	touch $@

test-deps: install  ## what the tests need: Python test tools and Debian's Chromium
	$(BIN)/python -m pip install --quiet -e '.[test]'
	bash scripts/install-test-system-deps.sh

test: test-deps  ## install what the tests need, then lint and run every test
	$(BIN)/ruff check geoapp tests bench
	node --test --test-reporter=spec tests/js/
	$(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadfile

screenshot: test-deps  ## refresh docs/screenshot.png and docs/ogc-collection.png from the browser tests
	GEOAPP_SCREENSHOT=docs/screenshot.png $(BIN)/python -m pytest tests/browser -k screenshot
	GEOAPP_OGC_SCREENSHOT=docs/ogc-collection.png $(BIN)/python -m pytest tests/browser/test_ogc_pages.py

bench: test-deps  ## every figure of issue 14 into bench/README.md (floors from ../shared/bench)
	$(BIN)/python -m bench
