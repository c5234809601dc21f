# Downhill: two commands on a fresh machine.
#   make lab   create .venv if missing, install, open JupyterLab on notebooks/
#   make test  same environment; unit tests plus strict nbval over every notebook
#   make app   the playground as a standalone page under Voila (for a projector); make app LANG=pt
#   make bench every speed budget, measured;  make matrix  the version matrix (slow)
#   make book  the course as a static website;  make slides  reveal.js decks for a projector
#   make classroom  the load test of `make app` for a class (slow)
#   make assignments  the exercises as graded nbgrader assignments in build/assignments/

PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

# JupyterLab without calls out (no news or its toast, no update check, no PyPI extension manager),
# and allowed to run as root where that is how the machine runs (containers, CI): all in one file,
# which the browser tests load too.
LAB_FLAGS := --config=notebooks/app/jupyter_lab_config.py

.PHONY: lab test app book bench matrix mutants clean-env

# local copies of MathJax and reveal.js for the book and the slides (package.json; no CDN at run time)
NODE_STAMP := node_modules/.installed
$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --silent
	@touch $(NODE_STAMP)

$(STAMP): requirements.txt pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 10) else "Downhill needs Python 3.10 or newer; $(PYTHON) is " + sys.version.split()[0])'
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet -r requirements.txt
	@touch $(STAMP)

lab: $(STAMP)
	$(VENV)/bin/jupyter lab notebooks/ $(LAB_FLAGS)

# (the local MathJax too: the book's browser test builds the book)
test: $(STAMP) $(NODE_STAMP)
	$(PY) -m pytest

# the app's language: `make app LANG=pt` (or LANG=pt make app, or APP_LANG=pt); en pt zh fr hi.
# LANG is also the locale variable: only one of those five codes counts as a language, any other value
# (en_US.UTF-8, C.UTF-8) leaves the app in English, and Voila itself runs under LANG=C.UTF-8 then.
# A page can still pick its own: http://localhost:8866/?lang=zh
APP_LANGUAGES := en pt zh fr hi
APP_LANG ?= $(or $(filter $(APP_LANGUAGES),$(LANG)),en)

app: $(STAMP)
	DOWNHILL_APP_LANG=$(APP_LANG) $(if $(filter $(APP_LANGUAGES),$(LANG)),LANG=C.UTF-8) JUPYTER_PATH=$(CURDIR)/notebooks/app $(VENV)/bin/voila notebooks/playground.ipynb --no-browser --port=8866 --Voila.config_file_paths=notebooks/app

# a class on this machine: 30 students at once on the `make app` page (2 in headless Chromium, the rest
# over the widget protocol), a slider key each every second for 2 minutes; prints p95 key -> new picture
# against the 60 ms budget, kernels, memory and CPU per student, then waits while the students leave
# until the culler has removed their kernels (notebooks/app/voila.py). About 9 minutes; not in make test.
# Other sizes: make classroom CLASSROOM_ARGS="--students 10 --seconds 60"  (see --help)
CLASSROOM_ARGS ?=
.PHONY: classroom
classroom: $(STAMP)
	$(PY) benchmarks/classroom_load.py $(CLASSROOM_ARGS)

# graded assignments: an nbgrader course in build/assignments/ (tools/assignments.py), one assignment per
# lesson; each exercise with a self-check is an answer cell holding the worked solution, followed by a
# test cell whose hidden tests award its point. Student versions in release/, gradebook.db beside them;
# run nbgrader's commands from that folder. A rebuild rewrites source/ and release/ only.
.PHONY: assignments
assignments: $(STAMP)
	$(PY) tools/assignments.py

# the course as a static website in build/book/ (open index.html): every notebook from its stored
# outputs, none executed, nothing fetched, the maths typeset by the local MathJax (book/build.py)
book: $(STAMP) $(NODE_STAMP)
	$(PY) book/build.py

# slides for the projector: one reveal.js deck per notebook in build/slides/ (NAME.slides.html), from
# the stored outputs and the cells' slideshow metadata (tools/slide_metadata.py sets it), with reveal.js
# and MathJax copied beside the decks, so the folder works offline, from a USB stick or file://.
# Settings and template: tools/slides/. One deck: make slides SLIDE_NOTEBOOKS=notebooks/03_gradient_descent.ipynb
SLIDES_DIR ?= build/slides
SLIDE_NOTEBOOKS ?= $(sort $(wildcard notebooks/*.ipynb notebooks/solutions/*.ipynb))
.PHONY: slides
slides: $(STAMP) $(NODE_STAMP)
	@rm -rf $(SLIDES_DIR)/reveal.js $(SLIDES_DIR)/mathjax
	@mkdir -p $(SLIDES_DIR)/reveal.js/dist/theme $(SLIDES_DIR)/reveal.js/plugin/notes \
	    $(SLIDES_DIR)/mathjax/es5/output/chtml/fonts $(SLIDES_DIR)/mathjax/es5/input/tex
	@cp node_modules/reveal.js/LICENSE node_modules/reveal.js/package.json $(SLIDES_DIR)/reveal.js/
	@cp node_modules/reveal.js/dist/reveal.js node_modules/reveal.js/dist/reveal.css $(SLIDES_DIR)/reveal.js/dist/
	@cp -r node_modules/reveal.js/dist/theme/white.css node_modules/reveal.js/dist/theme/fonts $(SLIDES_DIR)/reveal.js/dist/theme/
	@cp node_modules/reveal.js/plugin/notes/notes.js $(SLIDES_DIR)/reveal.js/plugin/notes/
	@cp node_modules/mathjax/LICENSE node_modules/mathjax/package.json $(SLIDES_DIR)/mathjax/
	@cp node_modules/mathjax/es5/tex-chtml.js $(SLIDES_DIR)/mathjax/es5/
	@cp -r node_modules/mathjax/es5/output/chtml/fonts/woff-v2 $(SLIDES_DIR)/mathjax/es5/output/chtml/fonts/
	@cp -r node_modules/mathjax/es5/input/tex/extensions $(SLIDES_DIR)/mathjax/es5/input/tex/
	$(VENV)/bin/jupyter nbconvert --config tools/slides/nbconvert_config.py --log-level=ERROR \
	    --output-dir $(SLIDES_DIR) $(SLIDE_NOTEBOOKS)
	@echo "slides in $(SLIDES_DIR)/: open NAME.slides.html, or serve the folder:" \
	    "python3 -m http.server --bind 127.0.0.1 --directory $(SLIDES_DIR)"

# every speed budget, each printed with its measured median and p90; fails if any budget is missed
# (all run even when one misses, so the report is whole)
bench: $(STAMP)
	@status=0; \
	for b in sweep playground_latency explorer_frames rate_map_explorer browser_latency; do \
	    echo "== benchmarks/$$b.py"; $(PY) benchmarks/$$b.py || status=1; \
	done; exit $$status

# strict nbval over every notebook with the oldest and the newest versions our ranges allow, and on a
# CPU without AVX2 (tests/matrix.sh; throwaway environments, about 7 minutes): run it before changing
# a pin, a printed number or anything numerical in helpers/
matrix:
	bash tests/matrix.sh

# mutation testing of the engine (the top level of helpers/) with mutmut, against the engine's unit
# tests only (configured in pyproject.toml's [tool.mutmut]; about 20 minutes on 2 cores; working folder
# mutants/, incremental: a second run re-tests only what changed). Prints the surviving mutants and the
# counts; tests/MUTANTS.md lists the survivors that are equivalent. Inspect one: mutmut show NAME
mutants: $(STAMP)
	$(VENV)/bin/mutmut run --max-children 2
	@$(VENV)/bin/mutmut results
	@$(VENV)/bin/mutmut export-cicd-stats >/dev/null
	@$(PY) -c 'import json; s = json.load(open("mutants/mutmut-cicd-stats.json")); \
	done = s["killed"] + s["timeout"]; tested = s["total"] - s["skipped"]; \
	print(", ".join(f"{k} {s[k]}" for k in ("total", "killed", "survived", "timeout", "no_tests", "skipped", "suspicious") if k in s)); \
	print(f"killed (timeouts included): {done}/{tested} = {100 * done / max(tested, 1):.1f}%")'

clean-env:
	rm -rf $(VENV)
