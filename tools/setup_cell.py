"""The first code cell of every notebook: installs the course's package on a hosted kernel that lacks it.

On Google Colab (or any kernel where ``import helpers`` fails) the cell pip-installs the course from
its repository; where the course is installed (``make lab``, Binder, pip) it does nothing and prints
nothing. The cell is generated here from the address in pyproject.toml (tools/links.py), never typed:

    python tools/setup_cell.py notebooks/*.ipynb      # put or refresh the cell (tests/store_notebooks.py calls it)
"""
from __future__ import annotations

import sys
from pathlib import Path

import nbformat

sys.path.insert(0, str(Path(__file__).resolve().parent))
import links  # noqa: E402  (tools/ is not a package)

CELL_ID = "setup"
FIRST_LINE = "# Setup for hosted kernels (Google Colab): install the course's package if it is missing."


def source(url: str | None = None) -> str:
    """The cell's code, with the install command built from the repository address."""
    return "\n".join([
        FIRST_LINE,
        "# Where the course is installed (make lab, Binder, pip) this cell does nothing.",
        "try:",
        "    import helpers",
        "except ModuleNotFoundError:",
        f'    %pip install --quiet "{links.install_spec(url)}"',
        "    import importlib",
        "    importlib.invalidate_caches()",
        '    print("Installed the course\'s package. If a later cell reports an old version of a library, "',
        '          "restart the session (Runtime > Restart session) and run the notebook again.")',
    ])


def apply(nb) -> bool:
    """Make the setup cell the notebook's first code cell (insert it or refresh it); True if changed."""
    wanted = source()
    for cell in nb.cells:
        if cell.cell_type == "code":
            first = cell
            break
    else:
        first = None
    if first is not None and first.get("id") == CELL_ID:
        if first.source == wanted:
            return False
        first.source = wanted
        return True
    cell = nbformat.v4.new_code_cell(wanted)
    cell.id = CELL_ID
    cell.metadata = {}
    at = nb.cells.index(first) if first is not None else len(nb.cells)
    nb.cells.insert(at, cell)
    return True


if __name__ == "__main__":
    for name in sys.argv[1:]:
        nb = nbformat.read(name, as_version=4)
        if apply(nb):
            nbformat.write(nb, name)
            print("setup cell written:", name)
