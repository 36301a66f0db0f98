# Council Pulse: `make run` to start the dashboard, `make test` to run every test.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8501
DATA ?=
DB ?= $(or $(PULSE_DB),data/pulse.duckdb)
BENCH_REQUESTS ?= 1000000
export PULSE_DB := $(DB)

.PHONY: run test bench setup data demo chromium clean

$(VENV)/.installed: requirements.txt requirements-dev.txt constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip==25.3
	$(PY) -m pip install --quiet -r requirements-dev.txt -c constraints.txt
	touch $@

setup: $(VENV)/.installed

# With DATA=folder, ingest that folder; otherwise build the demo borough if it is missing or stale.
data: setup
ifneq ($(strip $(DATA)),)
	$(PY) -m pulse ingest "$(DATA)" --db "$(DB)"
else
	@$(PY) -m pulse status --db "$(DB)" || $(MAKE) --no-print-directory demo
endif

demo: setup
	$(PY) -m pulse demo --out data/demo
	$(PY) -m pulse ingest data/demo --db "$(DB)"

run: data
	$(PY) -m pulse.serve run server.py --server.port $(PORT) --server.headless true \
		--browser.gatherUsageStats false

chromium:
	@command -v chromium >/dev/null 2>&1 && command -v pdftoppm >/dev/null 2>&1 || \
		{ apt-get update -qq && apt-get install -y -qq chromium fonts-dejavu-core poppler-utils; }

test: data chromium
	$(PY) -m pytest -n 2 --dist loadfile

bench: setup
	$(PY) -m benchmarks.run --requests $(BENCH_REQUESTS)

clean:
	rm -rf $(VENV) data/demo data/pulse.duckdb benchmarks/work
