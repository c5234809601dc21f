# Downhill: two commands on a fresh machine.
#   make lab   create .venv if missing, install, open JupyterLab on notebooks/
#   make test  same environment; unit tests plus strict nbval over every notebook
#   make app   the playground as a standalone page under Voila (for a projector)
#   make bench every speed budget, measured;  make matrix  the version matrix (slow)

PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

# JupyterLab without calls out (no news or its toast, no update check, no PyPI extension manager),
# and allowed to run as root where that is how the machine runs (containers, CI): all in one file,
# which the browser tests load too.
LAB_FLAGS := --config=notebooks/app/jupyter_lab_config.py

.PHONY: lab test app bench matrix mutants clean-env

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

test: $(STAMP)
	$(PY) -m pytest

app: $(STAMP)
	JUPYTER_PATH=$(CURDIR)/notebooks/app $(VENV)/bin/voila notebooks/playground.ipynb --no-browser --port=8866 --Voila.config_file_paths=notebooks/app

# every speed budget, each printed with its measured median and p90; fails if any budget is missed
# (all run even when one misses, so the report is whole)
bench: $(STAMP)
	@status=0; \
	for b in sweep playground_latency explorer_frames browser_latency; do \
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
