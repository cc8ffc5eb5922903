# maroc-eval — deux commandes : `make report` (évaluation complète sur l'échantillon) et `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
KEY := $(shell cat pyproject.toml | sha256sum | cut -c1-16)
STAMP := $(VENV)/.installed-$(KEY)
TEST_STAMP := $(VENV)/.installed-test-$(KEY)
OUTPUTS ?= outputs
JOBS ?=

.PHONY: report test lint lab bench clean-outputs venv browser

# The virtual environment is rebuilt when pyproject.toml changes (stamp keyed on its content).
$(STAMP):
	@if [ -d $(VENV) ] && [ ! -x $(BIN)/python ]; then rm -rf $(VENV); fi
	@rm -f $(VENV)/.installed-*
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e .
	$(BIN)/python -m ipykernel install --sys-prefix --name python3 --display-name "Python 3 (maroc-eval)" >/dev/null
	touch $@

$(TEST_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

venv: $(STAMP)

# Debian's Chromium for the browser tests (never a browser downloaded by Playwright).
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "Installation de Chromium (paquet Debian)…"; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium >/dev/null; }

# The whole evaluation on the embedded sample: validate, run the battery, build the reports.
report: $(STAMP)
	$(BIN)/maroc-eval validate
	$(BIN)/maroc-eval summary
	$(BIN)/maroc-eval run --sorties $(OUTPUTS) $(if $(JOBS),--taches $(JOBS))
	$(BIN)/maroc-eval report --sorties $(OUTPUTS)

test: $(TEST_STAMP) browser
	$(BIN)/ruff check src tests bench scripts
	$(BIN)/python -m pytest -q

lint: $(TEST_STAMP)
	$(BIN)/ruff check src tests bench scripts

lab: $(STAMP)
	$(BIN)/jupyter lab --notebook-dir=. notebooks

bench: $(STAMP)
	$(BIN)/python bench/run_bench.py

clean-outputs:
	find $(OUTPUTS) -mindepth 1 ! -name .gitkeep -delete
