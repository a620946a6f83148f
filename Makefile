# Kvinnofrid FoU report pipeline.  `make report` builds it all; `make test` runs the tests.
# Real file targets: a second `make report` with nothing changed does no work; changing one
# region's raw file reruns only that region's notebook, the combined notebook and the report.

SHELL := /bin/bash
.DEFAULT_GOAL := help
.DELETE_ON_ERROR:

# The region notebooks are independent: run them in parallel on every core (JOBS=1 to serialise).
JOBS ?= $(shell nproc 2>/dev/null || echo 1)
ifeq ($(MAKELEVEL),0)
MAKEFLAGS += -j$(JOBS)
endif

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

# JavaScript from npm at the versions in package-lock.json: the partial plotly.js bundle the HTML
# embeds and axe-core for the browser test.
NODE_MODULES := node_modules/.package-lock.json
$(NODE_MODULES): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error

# --- which config: a stamp that changes only when CONFIG's content changes ------------------------
# Written by the build (`python -m analysis build`, after the config passed its check), never by
# `make validate`, so that checking another config does not outdate this build.
CONFIG_STAMP := build/config.stamp
$(CONFIG_STAMP): ;
# The report's date likewise (written by the build when BUILD_DATE changes): a new date rebuilds the report.
DATE_STAMP := build/build-date.stamp
$(DATE_STAMP): ;

# --- generated dependencies: each notebook's raw inputs and the analysis modules it imports ----
DEPS := build/deps.mk
$(DEPS): $(CONFIG_STAMP) $(wildcard notebooks/*.ipynb) $(shell find src/analysis -name '*.py') $(INSTALLED)
	@$(PY) -m analysis.deps "$(CONFIG)" > $@.tmp && mv $@.tmp $@
# A county mapping's config (top-level key `mapping:`) builds that county's own report instead.
MAPPING := $(if $(wildcard $(CONFIG)),$(shell grep -qE '^mapping:' "$(CONFIG)" && echo yes))
ifneq ($(filter deliverables present,$(MAKECMDGOALS)),)
ifeq ($(MAPPING),)
include $(DEPS)
endif
endif

# --- what each step writes: build/writes/<step>.mk, written by the step itself -----------------
# Every step records the files it wrote (analysis.outputs) and declares them in build/writes/<step>.mk
# as prerequisites, with an empty recipe, of the file Make runs the step for (the executed notebook;
# for the presentation step its record build/writes/present.txt). A deleted (or hand-edited) processed
# table or report asset thus reruns the one step that writes it, and what depends on that step.
WRITES := build/writes
ifneq ($(filter deliverables present verify,$(MAKECMDGOALS)),)
-include $(wildcard $(WRITES)/*.mk)
endif

# --- notebooks (papermill into build/, parameters from here): compute and write data/processed ---
REGION_NOTEBOOKS := $(REGIONS:%=$(EXEC)/region-%.ipynb)

$(EXEC)/region-%.ipynb: notebooks/region.ipynb $(CONFIG_STAMP) $(INSTALLED)
	$(RUN) notebook $< $@ region=$* "config_path=$(CONFIG)" processed_dir=$(PROCESSED)

$(EXEC)/combined.ipynb: notebooks/combined.ipynb $(REGION_NOTEBOOKS) $(CONFIG_STAMP) $(INSTALLED)
	$(RUN) notebook $< $@ "config_path=$(CONFIG)" processed_dir=$(PROCESSED)

# --- presentation: report/_generated from data/processed only (no notebook, no kernel) -------
# `python -m analysis present` builds every section's figures, tables and numbers from the
# processed tables; its record build/writes/present.txt is the file Make runs it for (its outputs
# are declared in build/writes/present.mk, above). A change to presentation code or to a text
# template (report/text/<locale>/) reruns the presentation step and the rendering, never a notebook.
PRESENTED := $(WRITES)/present.txt
PRESENT_GOALS := $(filter present verify deliverables,$(MAKECMDGOALS))
# the modules the presentation step imports (build/present/code.mk; before it exists: all of src/analysis)
PRESENT_CODE := $(shell find src/analysis -name '*.py')
PRESENT_CODE_MK := build/present/code.mk
$(PRESENT_CODE_MK): $(PRESENT_CODE) $(INSTALLED)
	@mkdir -p $(@D); $(PY) -c 'from pathlib import Path; from analysis import deps; \
	  print("PRESENT_CODE :=", *deps.module_closure({"present", "sections"}, Path("src/analysis")))' > $@.tmp && mv $@.tmp $@
ifneq ($(PRESENT_GOALS),)
-include $(PRESENT_CODE_MK)
endif
PRESENT_INPUTS := $(EXEC)/combined.ipynb $(REGION_NOTEBOOKS) $(PRESENT_CODE) \
  $(wildcard report/text/*/*.yml report/*.qmd report/sections/*.qmd data/raw/*/presentation.yml) $(CONFIG_STAMP) $(INSTALLED)

$(PRESENTED): $(PRESENT_INPUTS)
	$(RUN) present --config "$(CONFIG)" --processed-dir $(PROCESSED) --assets-dir $(ASSETS)

$(OUT)/$(STEM).html $(OUT)/$(STEM).pdf: $(PRESENTED)

present: $(PRESENTED) ## build the report's figures, tables and numbers from data/processed
.PHONY: present

# --- report -------------------------------------------------------------------------------
REPORT_SOURCES := $(wildcard report/*.qmd report/sections/*.qmd report/_quarto.yml report/*.bib report/*.css)
REPORT_CODE := $(wildcard src/analysis/render/* src/analysis/assemble.py src/analysis/static_images.py \
  src/analysis/manifest.py src/analysis/appendix.py src/analysis/report_vars.py)

# Outputs no current step writes (a removed region's, a figure or table no longer made) are removed
# (prune) before the appendix and the manifest list what is there.
$(OUT)/$(STEM).html $(OUT)/$(STEM).pdf &: $(EXEC)/combined.ipynb $(REGION_NOTEBOOKS) $(REPORT_SOURCES) $(REPORT_CODE) $(CONFIG_STAMP) $(DATE_STAMP) $(NODE_MODULES)
	$(RUN) prune --config "$(CONFIG)"
	$(RUN) assemble --config "$(CONFIG)" --build-date $(BUILD_DATE) --document $(STEM).qmd
	$(RUN) render $(STEM).qmd --stem $(STEM)

# The deliverables, built by `report` through `python -m analysis build`: one build at a time
# (build/.lock), the config and every input checked before anything runs, and on a failure or an
# interruption everything already built put back as it was.
deliverables: $(OUT)/$(STEM).html $(OUT)/$(STEM).pdf

report: $(INSTALLED) $(NODE_MODULES) ## build the report (REGION=all|stockholm|sormland|dalarna; CONFIG=mappings/<slug>/config.yml: that county's report) in report/_output/
ifeq ($(MAPPING),)
	+@$(RUN) build --config "$(CONFIG)" --region "$(REGION)" --build-date "$(BUILD_DATE)" -- $(MAKE) --no-print-directory deliverables
else
	+@$(MAKE) --no-print-directory mapping-report
endif

# --- a county mapping: make new-mapping …, then make report CONFIG=mappings/<slug>/config.yml ------
# Its report is report/_output/rapport-<slug>.{html,pdf}; the published data's processed tables
# (for the comparison) are built first when they are missing.
new-mapping: $(INSTALLED) ## start a county mapping: COUNTY="<län>" YEAR=<år> SURVEY=<export> [CODING=<kodschema>] [CODES=] [SHEET=] [FORCE=1]
	@test -n "$(COUNTY)" -a -n "$(YEAR)" -a -n "$(SURVEY)" || { echo 'usage: make new-mapping COUNTY="<län>" YEAR=<år> SURVEY=<export .xlsx/.csv> [CODING=<kodschema>]'; exit 2; }
	@$(RUN) new-mapping --county "$(COUNTY)" --year "$(YEAR)" --survey "$(SURVEY)" $(if $(CODING),--coding "$(CODING)") \
	  $(if $(CODES),--codes "$(CODES)") $(if $(SHEET),--sheet "$(SHEET)") $(if $(FORCE),--force)

mapping-report: $(INSTALLED) $(NODE_MODULES)
	@test -f $(PROCESSED)/cross_source.csv || $(MAKE) --no-print-directory report CONFIG=config/default.yml REGION=all
	$(RUN) validate --config "$(CONFIG)"
	slug=$$($(PY) -c "import sys; from analysis.mapping.config import load; print(load(sys.argv[1]).slug)" "$(CONFIG)") && \
	$(RUN) notebook notebooks/mapping.ipynb $(EXEC)/mapping-$$slug.ipynb "config_path=$(CONFIG)" \
	  processed_dir=$(PROCESSED)/mappings/$$slug
	$(RUN) mapping-report --config "$(CONFIG)" --build-date $(BUILD_DATE)

# --- the technical companion (teknisk-bilaga.html/.pdf): method details, the audit of the sources'
# figures, exploratory tests, codebook, provenance of every edition's numbers, build manifest.
# Built after the edition (both write report/_generated), from the same sources.
COMPANION := teknisk-bilaga
$(OUT)/$(COMPANION).html $(OUT)/$(COMPANION).pdf &: $(OUT)/$(STEM).html $(OUT)/$(STEM).pdf
	$(RUN) assemble --config "$(CONFIG)" --build-date $(BUILD_DATE) --document $(COMPANION).qmd
	$(RUN) render $(COMPANION).qmd --stem $(COMPANION)

# `make report` builds the deliverables through the build wrapper; the companion is one of them
deliverables: $(OUT)/$(COMPANION).html $(OUT)/$(COMPANION).pdf
# the theme × source matrix and the sources' own conclusions (analysis/sections/themes.py, built
# by the presentation step)
$(PRESENTED): config/report_themes.csv $(wildcard data/raw/conclusions/*.csv)

verify: report ## rebuild in a temporary copy and compare with this build's manifest
	$(PY) -m analysis.verify --stem $(STEM) --config $(CONFIG) --region $(REGION) --venv $(VENV)

bench: $(INSTALLED) ## time cold, no-op, one-region, code/text-change and national-size builds and the floor (build/bench/)
	$(PY) tools/bench.py --venv $(VENV)

validate: $(INSTALLED) ## check the config and the inputs it names (builds nothing, writes nothing)
	@$(RUN) validate --config "$(CONFIG)" --region "$(REGION)"

test: $(INSTALLED) $(NODE_MODULES) ## run the tests (unit tests and an end-to-end build in a temporary copy)
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
.PHONY: help install report deliverables verify bench validate test test-fast lint clean new-mapping mapping-report FORCE
