# `make run` sets everything up and serves the app; `make test` sets up and runs every test.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 5000
WORKERS ?= 4
# PostgreSQL tests run whenever a server answers here (trust auth, database `test`).
TEST_POSTGRES_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/test
# What ruff checks and formats (Biome's files for the PWA are in pwa/biome.jsonc).
PY_PATHS := openparcours tests benchmarks trails/tools pwa/tools gunicorn.conf.py
PWA_SOURCES := $(shell find pwa/src pwa/public -type f 2>/dev/null) pwa/index.html \
	pwa/vite.config.ts pwa/build-plugins.ts pwa/tsconfig.json

.PHONY: setup run test bench lint format clean

setup: $(VENV)/.installed pwa/dist/index.html

$(VENV)/.installed: pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
		|| { echo "OpenParcours needs Python 3.11 or newer (PYTHON=$(PYTHON))"; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

# `npm install` with the lock file, not `npm ci`: the registry here resolves each platform's
# optional packages only, which `npm ci` takes for a lock file out of sync.
pwa/node_modules/.installed: pwa/package.json pwa/package-lock.json
	cd pwa && npm install --no-audit --no-fund
	touch $@

pwa/dist/index.html: pwa/node_modules/.installed $(PWA_SOURCES)
	cd pwa && npm run build

run: setup
	$(BIN)/flask --app openparcours db upgrade
	$(BIN)/flask --app openparcours demo
	PORT=$(PORT) $(BIN)/gunicorn --config gunicorn.conf.py --workers $(WORKERS) --bind 127.0.0.1:$(PORT) \
		--access-logfile - 'openparcours:create_app()'

test: setup
	$(BIN)/ruff check $(PY_PATHS)
	$(BIN)/ruff format --check $(PY_PATHS)
	$(BIN)/mypy
	cd pwa && npm run lint
	cd pwa && npm test
	@if [ -z "$$TEST_DATABASE_URL" ] && $(BIN)/python -c \
		"import socket; socket.create_connection(('127.0.0.1', 5432), 1)" 2>/dev/null; then \
		echo "PostgreSQL answers: the database tests run on SQLite and PostgreSQL"; \
		export TEST_DATABASE_URL=$(TEST_POSTGRES_URL); fi; \
		$(BIN)/pytest

# Figures for docs/benchmarks.md (minutes, not part of `make test`; PostgreSQL on 127.0.0.1).
bench: setup
	$(BIN)/python benchmarks/trails.py
	$(BIN)/python benchmarks/class_load.py
	$(BIN)/python benchmarks/class_load.py --postgres
	$(BIN)/python benchmarks/sync.py
	$(BIN)/python benchmarks/results.py
	$(BIN)/python benchmarks/results.py --postgres
	$(BIN)/python benchmarks/lighthouse.py  # installs Lighthouse into benchmarks/lighthouse
	cd pwa && npm run build  # the gzip sizes of the student's first load

lint: $(VENV)/.installed pwa/node_modules/.installed
	$(BIN)/ruff check $(PY_PATHS)
	$(BIN)/ruff format --check $(PY_PATHS)
	$(BIN)/mypy
	cd pwa && npm run lint

format: $(VENV)/.installed pwa/node_modules/.installed
	$(BIN)/ruff check --fix $(PY_PATHS)
	$(BIN)/ruff format $(PY_PATHS)
	cd pwa && npm run format

clean:
	rm -rf $(VENV) pwa/node_modules pwa/dist *.egg-info
