# IEI — the two commands of the README, and a few more.
#   make demo   set everything up and analyse the bundled example (examples/demo)
#   make test   set everything up and run the whole test suite (what CI runs)
#   make bench  benchmarks against rdflib + owlrl and pyoxigraph (bench/README.md)

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)

.PHONY: demo test lint bench bench-smoke system-deps clean docs

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	rm -f $(VENV)/.installed-* && touch $@

venv: $(STAMP)

system-deps:
	sh scripts/install-system-deps.sh

demo: $(STAMP) system-deps
	$(BIN)/iei validate examples/demo
	$(BIN)/iei analyze examples/demo -o out/demo
	@echo
	@echo "Report: $(CURDIR)/out/demo/report.html"

test: $(STAMP) system-deps lint
	$(BIN)/python -m pytest -q

lint: $(STAMP)
	$(BIN)/ruff check .

bench: $(STAMP)
	$(BIN)/python bench/run.py

bench-smoke: $(STAMP)
	$(BIN)/python bench/run.py --sizes tiny --limit 60

docs: $(STAMP)
	$(BIN)/python scripts/gen_namespace.py

clean:
	rm -rf out build dist *.egg-info .pytest_cache .ruff_cache
