# Kvinnofrid FoU report pipeline.  `make report` builds it all; `make test` runs the tests.
# Real file targets: a second `make report` with nothing changed does no work.

SHELL := /bin/bash
.DEFAULT_GOAL := help
.DELETE_ON_ERROR:

PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
CONFIG ?= config/default.yml
# The one date printed in the report: the last commit's date (so a rebuild of the same commit is
# identical); override with `make report BUILD_DATE=2026-01-31`.
BUILD_DATE ?= $(shell git log -1 --format=%cs 2>/dev/null || date +%F)

INSTALLED := $(VENV)/.installed
EXEC := build/notebooks
ASSETS := report/_generated
OUT := report/_output
SRC := $(shell find src/analysis -name '*.py' -o -name '*.lua')
# This checkout's src/ comes first, also when the venv belongs to another checkout (tests, `make verify`).
export PYTHONPATH := $(CURDIR)/src
RUN := PATH="$(abspath $(VENV))/bin:$$PATH" $(PY) -m analysis

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed -E 's/:.*## /\t/' | expand -t 12

$(INSTALLED): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -e .
	@touch $@

install: $(INSTALLED) ## create .venv and install the project into it

# --- notebooks (papermill, parameters from here) -----------------------------------------
$(EXEC)/stockholm_2008.ipynb: notebooks/stockholm_2008.ipynb $(wildcard data/raw/stockholm_2008/*.csv) $(SRC) $(INSTALLED)
	$(RUN) notebook $< $@ raw_dir=data/raw/stockholm_2008 processed_dir=data/processed assets_dir=$(ASSETS)

NOTEBOOKS := $(EXEC)/stockholm_2008.ipynb

# --- report -------------------------------------------------------------------------------
REPORT_SOURCES := $(wildcard report/*.qmd report/_quarto.yml report/*.bib report/*.css) $(CONFIG)

$(OUT)/rapport.html $(OUT)/rapport.pdf &: $(NOTEBOOKS) $(REPORT_SOURCES) $(SRC)
	$(RUN) assemble --config $(CONFIG) --build-date $(BUILD_DATE)
	$(RUN) render rapport.qmd --stem rapport

report: $(OUT)/rapport.html $(OUT)/rapport.pdf ## build the report (HTML and PDF) in report/_output/

test: $(INSTALLED) ## run the tests (unit tests and an end-to-end build in a temporary copy)
	$(PY) -m pytest

clean: ## remove everything built (keeps .venv)
	rm -rf build report/_generated report/_output report/_variables.yml
	find data/processed -type f ! -name README.md -delete

.PHONY: help install report test clean
