# tiplens: two commands - `make demo` and `make test`.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
OUT    ?= demo-output
PYTEST_ARGS ?=

.PHONY: demo test fuzz install lint bench bench-scaling docs clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev,web,spark]"
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(VENV)/bin/tiplens demo --out $(OUT)
	@echo "Open $(OUT)/<pillar>/report.html in a browser (all reports are self-contained)."

test: $(STAMP)
	$(PY) -m pytest -n 2 --dist loadfile $(PYTEST_ARGS)

# property tests with fresh random examples, many more of them (the suite itself runs a fixed seed)
fuzz: $(STAMP)
	HYPOTHESIS_PROFILE=explore TIPLENS_FUZZ_SCALE=25 $(PY) -m pytest -n 2 -q -p no:cacheprovider $$(grep -rl "from hypothesis" tests)

lint: $(STAMP)
	$(VENV)/bin/ruff check src tests bench
	$(VENV)/bin/mypy

bench: $(STAMP)
	$(PY) bench/run.py all

# the scaling curve of docs/performance.md (hours on two cores; resumable, one point at a time)
bench-scaling: $(STAMP)
	$(PY) bench/scaling.py run --work bench/out/data --sizes 10000,100000,1000000 --engines duckdb,spark
	$(PY) bench/scaling.py run --work bench/out/data --benchmarks cases --sizes 10000000 --engines duckdb,spark
	$(PY) bench/scaling.py plot

docs: $(STAMP)
	$(PY) docs/gen_cli_reference.py > docs/cli.md

clean:
	rm -rf $(VENV) $(OUT) .pytest_cache
