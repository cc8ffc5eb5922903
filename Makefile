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
# The suite's worker processes (pytest-xdist), one per core of CI's 2-core machine.
TEST_WORKERS ?= 2

.PHONY: report test lint lab tableau bench clean-outputs venv browser office catalogues

# The virtual environment is rebuilt when pyproject.toml changes (stamp keyed on its content).
$(STAMP):
	@if [ -d $(VENV) ] && [ ! -x $(BIN)/python ]; then rm -rf $(VENV); fi
	@rm -f $(VENV)/.installed-*
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e .
	$(BIN)/python -m ipykernel install --sys-prefix --name python3 --display-name "Python 3 (maroc-eval)" >/dev/null
	$(BIN)/python -m maroc_eval.run.kernelspec >/dev/null
	touch $@

$(TEST_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

venv: $(STAMP)

# Debian's Chromium: it prints the PDF reports and runs the browser tests (never a browser
# downloaded by Playwright); DejaVu (fonts-dejavu-core) has the Arabic glyphs of the communes' names.
browser:
	@{ command -v chromium && fc-list :lang=ar | grep -q .; } >/dev/null 2>&1 || { \
	  echo "Installation de Chromium (paquet Debian)…"; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium fonts-dejavu-core >/dev/null; }

# Debian's LibreOffice Calc: a test opens a data-entry form in it and saves it back (~20 s to install).
office:
	@command -v soffice >/dev/null 2>&1 || { \
	  echo "Installation de LibreOffice Calc (paquet Debian)…"; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends libreoffice-calc >/dev/null; }

# The whole evaluation on the embedded sample: validate, run the battery, build the reports.
report: $(STAMP) browser
	$(BIN)/maroc-eval validate
	$(BIN)/maroc-eval summary
	$(BIN)/maroc-eval run --sorties $(OUTPUTS) $(if $(JOBS),--taches $(JOBS))
	$(BIN)/maroc-eval report --sorties $(OUTPUTS)

test: $(TEST_STAMP) browser office
	$(BIN)/ruff check src tests bench scripts
	$(BIN)/python -m pytest -q -n $(TEST_WORKERS) --dist loadfile

lint: $(TEST_STAMP)
	$(BIN)/ruff check src tests bench scripts

# JupyterLab and the Voilà dashboard. PORT= (8888 and 8866 by default) and IP= choose where they
# listen (IP=0.0.0.0 on a shared machine); TOKEN=secret fixes the access token, TOKEN=none
# removes it (trusted machine only); unset, a token is generated and printed in the URL.
# As root, JupyterLab needs --allow-root.
PORT ?=
IP ?= 127.0.0.1
TOKEN ?=
AS_ROOT := $(if $(filter 0,$(shell id -u)),--allow-root)
LAB_TOKEN := $(if $(filter none,$(TOKEN)),--IdentityProvider.token=,$(if $(TOKEN),--IdentityProvider.token=$(TOKEN)))
VOILA_TOKEN := $(if $(filter none,$(TOKEN)),,$(if $(TOKEN),--token=$(TOKEN),--token))

# The project root is the file browser's root (params/, data/, outputs/ reachable); it opens on
# notebooks/ (no positional path: it would replace --notebook-dir).
lab: $(STAMP)
	$(BIN)/jupyter lab --notebook-dir=. --LabApp.default_url=/lab/tree/notebooks \
	  --ip=$(IP) --port=$(or $(PORT),8888) --ServerApp.port_retries=0 $(LAB_TOKEN) $(AS_ROOT)

# The exploration notebook served without code as a dashboard (Voilà).
tableau: $(STAMP)
	$(BIN)/voila notebooks/exploration.ipynb --no-browser --Voila.ip=$(IP) \
	  --port=$(or $(PORT),8866) $(VOILA_TOKEN)

bench: $(STAMP)
	$(BIN)/python bench/run_bench.py

# The gettext catalogues: extract (babel.cfg) to locale/maroc_eval.pot, update fr and en .po
# (French translates to itself), compile the .mo; lists the English messages left to translate.
catalogues: $(STAMP)
	$(BIN)/python scripts/catalogues.py

# Empties an outputs folder, only if maroc-eval made it: the marker .maroc-eval-sorties that
# run and formulaire write in a folder they create or find empty (maroc_eval/output_folder.py);
# never the filesystem root, the home folder or the project root, marker or not.
MARKER := .maroc-eval-sorties
clean-outputs: export OUTPUTS := $(OUTPUTS)
clean-outputs: export PROJECT_DIR := $(CURDIR)
clean-outputs:
	@where="$$(realpath -e -- "$$OUTPUTS" 2>/dev/null)"; \
	if [ -z "$$where" ] || [ ! -d "$$where" ]; then \
	  echo "Rien à vider : « $$OUTPUTS » n'est pas un dossier." >&2; exit 2; fi; \
	if [ "$$where" = / ] || [ "$$where" = "$$(realpath -- "$${HOME:-/}")" ] \
	   || [ "$$where" = "$$(realpath -- "$$PROJECT_DIR")" ]; then \
	  echo "Refusé : « $$OUTPUTS » est la racine, le dossier personnel ou le projet : rien n'est supprimé." >&2; exit 2; fi; \
	if [ ! -f "$$where/$(MARKER)" ]; then \
	  if [ -z "$$(find "$$where" -mindepth 1 -maxdepth 1 ! -name .gitkeep -print -quit)" ]; then \
	    echo "« $$OUTPUTS » est déjà vide."; exit 0; fi; \
	  echo "Refusé : « $$OUTPUTS » n'a pas été créé par maroc-eval (pas de fichier $(MARKER)) : rien n'est supprimé." >&2; exit 2; fi; \
	find "$$where" -mindepth 1 ! -name .gitkeep ! -name $(MARKER) -delete; \
	echo "« $$OUTPUTS » vidé (sauf .gitkeep et $(MARKER))."
