"""Every notebook's first code cell installs the course on a kernel that lacks it, and does nothing
where it is installed; both ways are run here in a fresh kernel (the install command is replaced by a
stand-in that records what it was asked to do)."""
import json
import sys
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
import links  # noqa: E402
import setup_cell  # noqa: E402

NOTEBOOKS = sorted(p for p in (ROOT / "notebooks").rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts)

# A stand-in for the %pip magic: records its argument instead of installing.
FAKE_PIP = """
calls = []
def _fake_pip(line):
    calls.append(line)
get_ipython().register_magic_function(_fake_pip, magic_kind="line", magic_name="pip")
"""

# Makes `import helpers` fail exactly as on a kernel where it was never installed.
HIDE_HELPERS = """
import sys
class _NoHelpers:
    def find_spec(self, name, path=None, target=None):
        if name == "helpers" or name.startswith("helpers."):
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)
        return None
sys.meta_path.insert(0, _NoHelpers())
"""

REPORT = 'import json, sys; print(json.dumps({"pip": calls, "helpers_imported": "helpers" in sys.modules}))'


def run_cells(*sources):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(s) for s in sources]
    NotebookClient(nb, timeout=60, kernel_name="python3").execute()
    return nb.cells


def stdout(cell):
    return "".join(o.get("text", "") for o in cell.outputs if o.get("name") == "stdout")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_every_notebook_starts_with_the_generated_setup_cell(path):
    nb = nbformat.read(path, as_version=4)
    first = next(c for c in nb.cells if c.cell_type == "code")
    assert first.get("id") == setup_cell.CELL_ID
    assert first.source == setup_cell.source(), "re-store the notebook (tests/store_notebooks.py)"
    assert first.outputs == [], "locally the setup cell prints nothing"


def test_the_install_command_is_built_from_the_one_address():
    assert f'%pip install --quiet "downhill @ git+{links.repository_url()}"' in setup_cell.source()
    other = setup_cell.source("https://github.com/someone/fork")
    assert "git+https://github.com/someone/fork" in other and links.repository_url() not in other


def test_where_the_course_is_installed_the_cell_does_nothing():
    cells = run_cells(FAKE_PIP, setup_cell.source(), REPORT)
    assert cells[1].outputs == []
    assert json.loads(stdout(cells[2])) == {"pip": [], "helpers_imported": True}


def test_where_helpers_is_missing_the_cell_installs_the_course():
    cells = run_cells(FAKE_PIP + HIDE_HELPERS, setup_cell.source(), REPORT)
    report = json.loads(stdout(cells[2]))
    assert report == {"pip": [f'install --quiet "{links.install_spec()}"'], "helpers_imported": False}
    assert "Installed the course's package" in stdout(cells[1])
