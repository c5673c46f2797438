# tiplens: two commands - `make demo` and `make test`.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
OUT    ?= demo-output
PYTEST_ARGS ?=

.PHONY: demo test install lint bench docs clean

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

lint: $(STAMP)
	$(VENV)/bin/ruff check src tests bench
	$(VENV)/bin/mypy

bench: $(STAMP)
	$(PY) bench/run.py all

docs: $(STAMP)
	$(PY) docs/gen_cli_reference.py > docs/cli.md

clean:
	rm -rf $(VENV) $(OUT) .pytest_cache
