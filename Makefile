# Downhill: two commands on a fresh machine.
#   make lab   create .venv if missing, install, open JupyterLab on notebooks/
#   make test  same environment; unit tests plus strict nbval over every notebook
#   make app   the playground as a standalone page under Voila (for a projector)

PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

# JupyterLab without calls out (no news, no update check, no PyPI extension manager),
# and allowed to run as root where that is how the machine runs (containers, CI).
LAB_FLAGS := --LabApp.news_url= --LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate \
             --LabApp.extension_manager=readonly $(if $(filter 0,$(shell id -u)),--allow-root)

.PHONY: lab test app bench clean-env

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

bench: $(STAMP)
	$(PY) benchmarks/sweep.py
	$(PY) benchmarks/playground_latency.py
	$(PY) benchmarks/browser_latency.py

clean-env:
	rm -rf $(VENV)
