# JupyterLab settings for the course (make lab, and the browser tests), loaded with
# `jupyter lab --config=notebooks/app/jupyter_lab_config.py`. Nothing here calls out of the machine.
import os
from pathlib import Path

here = Path(__file__).resolve().parent

# no news feed, no update check, no PyPI extension manager
c.LabApp.news_url = ""  # noqa: F821  (c is given by traitlets)
c.LabApp.check_for_updates_class = "jupyterlab.NeverCheckForUpdate"  # noqa: F821
c.LabApp.extension_manager = "readonly"  # noqa: F821
# default settings for every user of this server: lab-settings/overrides.json answers the
# "Would you like to get notified about official Jupyter news?" toast with "never", so it never appears
# lab-settings/page_config.json hides nbgrader's menus and Notebook 7's buttons from readers (nbgrader is
# installed for `make assignments`; a teacher who wants its formgrader runs `.venv/bin/jupyter lab` plainly)
c.LabApp.app_settings_dir = str(here / "lab-settings")  # noqa: F821
# containers and CI run as root
c.ServerApp.allow_root = hasattr(os, "geteuid") and os.geteuid() == 0  # noqa: F821
