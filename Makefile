# Kvinnofrid FoU report pipeline.  `make report` builds it all; `make test` runs the tests.
# Real file targets: a second `make report` with nothing changed does no work; changing one
# region's raw file reruns only that region's notebook, the combined notebook and the report.

SHELL := /bin/bash
.DEFAULT_GOAL := help
.DELETE_ON_ERROR:

# The region notebooks are independent: run them in parallel on every core (JOBS=1 to serialise).
JOBS ?= $(shell nproc 2>/dev/null || echo 1)
MAKEFLAGS += -j$(JOBS)

PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
CONFIG ?= config/default.yml
# REGION=all builds the full report; REGION=stockholm|sormland|dalarna a regional edition.
REGION ?= all
# The one date printed in the report: the last commit's date (so a rebuild of the same commit is
# identical); override with `make report BUILD_DATE=2026-01-31`.
BUILD_DATE ?= $(shell git log -1 --format=%cs 2>/dev/null || date +%F)

# Reinstall only when pyproject.toml's content changes (not its mtime: a fresh checkout or git
# worktree sharing a venv must not reinstall). Code is imported from this checkout's src/ anyway.
INSTALLED := $(VENV)/.installed-$(shell sha256sum pyproject.toml | cut -c1-16)
EXEC := build/notebooks
PROCESSED := data/processed
ASSETS := report/_generated
OUT := report/_output
STEM := $(if $(filter all,$(REGION)),rapport,rapport-$(REGION))

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

# --- which config: a stamp that changes only when CONFIG (its path or its content) changes ---
CONFIG_STAMP := build/config.stamp
$(CONFIG_STAMP): FORCE
	@mkdir -p $(@D); new="$(CONFIG) $$(sha256sum < $(CONFIG))"; \
	  [ "$$(cat $@ 2>/dev/null)" = "$$new" ] || echo "$$new" > $@

# --- generated dependencies: each notebook's raw inputs and the analysis modules it imports ----
DEPS := build/deps.mk
$(DEPS): $(CONFIG_STAMP) $(wildcard notebooks/*.ipynb) $(shell find src/analysis -name '*.py') $(INSTALLED)
	@$(PY) -m analysis.deps $(CONFIG) > $@.tmp && mv $@.tmp $@
ifneq ($(filter report verify validate,$(MAKECMDGOALS)),)
include $(DEPS)
endif

# --- notebooks (papermill into build/, parameters from here) ---------------------------------
REGION_NOTEBOOKS := $(REGIONS:%=$(EXEC)/region-%.ipynb)

$(EXEC)/region-%.ipynb: notebooks/region.ipynb $(CONFIG_STAMP) $(INSTALLED)
	$(RUN) notebook $< $@ region=$* config_path=$(CONFIG) processed_dir=$(PROCESSED) assets_dir=$(ASSETS)

$(EXEC)/combined.ipynb: notebooks/combined.ipynb $(REGION_NOTEBOOKS) $(CONFIG_STAMP) $(INSTALLED)
	$(RUN) notebook $< $@ config_path=$(CONFIG) processed_dir=$(PROCESSED) assets_dir=$(ASSETS)

# --- report -------------------------------------------------------------------------------
REPORT_SOURCES := $(wildcard report/*.qmd report/sections/*.qmd report/_quarto.yml report/*.bib report/*.css)
REPORT_CODE := $(wildcard src/analysis/render/* src/analysis/assemble.py src/analysis/static_images.py \
  src/analysis/manifest.py src/analysis/appendix.py src/analysis/report_vars.py)

$(OUT)/$(STEM).html $(OUT)/$(STEM).pdf &: $(EXEC)/combined.ipynb $(REGION_NOTEBOOKS) $(REPORT_SOURCES) $(REPORT_CODE) $(CONFIG_STAMP)
	$(RUN) assemble --config $(CONFIG) --build-date $(BUILD_DATE) --document $(STEM).qmd
	$(RUN) render $(STEM).qmd --stem $(STEM)

report: $(OUT)/$(STEM).html $(OUT)/$(STEM).pdf ## build the report (REGION=all|stockholm|sormland|dalarna) in report/_output/

verify: report ## rebuild in a temporary copy and compare with this build's manifest
	$(PY) -m analysis.verify --stem $(STEM) --config $(CONFIG) --region $(REGION) --venv $(VENV)

bench: $(INSTALLED) ## time cold, no-op, one-region, code/text-change and national-size builds and the floor (build/bench/)
	$(PY) tools/bench.py --venv $(VENV)

validate: $(INSTALLED) ## check the inputs CONFIG names (builds nothing, writes nothing)
	$(RUN) validate --config $(CONFIG)

test: $(INSTALLED) ## run the tests (unit tests and an end-to-end build in a temporary copy)
	$(PY) -m pytest

test-fast: $(INSTALLED) ## the fast loop: unit tests only (not the e2e/slow-marked ones), under 30 s
	$(PY) -m pytest -q -m "not e2e and not slow"

lint: $(INSTALLED) ## ruff: lint and format check (as CI runs it); `ruff format .` fixes the format
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

clean: ## remove everything built (keeps .venv)
	rm -rf build report/_generated report/_output report/_variables.yml
	find $(PROCESSED) -type f ! -name README.md -delete

FORCE:
.PHONY: help install report verify bench validate test test-fast lint clean FORCE
