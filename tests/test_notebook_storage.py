"""How the notebooks are stored and shaped (STYLE.md, CURRICULUM.md).

nbval checks that a new run reproduces the stored outputs; these tests check that the stored file is a
complete top-to-bottom run a reader can trust without a kernel, and that every lesson has its parts.
Re-store notebooks with `.venv/bin/python tests/store_notebooks.py`.
"""
import json
import re
from pathlib import Path

import pytest

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"
LESSONS = sorted(p for p in NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))
ALL = sorted(p for p in NOTEBOOKS.rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts)
WIDGET_MIME = "application/vnd.jupyter.widget-view+json"
MAX_BYTES = 2_000_000          # a notebook has to open quickly on a code-hosting site
MAX_CODE_LINES = 15            # STYLE.md: code cells about 5 lines, 15 at most
MEMORY_ADDRESS = re.compile(r" at 0x[0-9a-f]{6,}")                 # differs on every run
MACHINE_PATH = re.compile(r"(/home/|/root/|/tmp/|/work/|C:\\Users)")  # differs on every machine


def load(path):
    return json.loads(path.read_text())


def code_cells(nb):
    return [c for c in nb["cells"] if c["cell_type"] == "code"]


def text(cell):
    return "".join(cell["source"])


def ids(paths):
    return [str(p.relative_to(NOTEBOOKS)) for p in paths]


def test_the_whole_sequence_is_here():
    numbers = [p.name[:2] for p in LESSONS]
    assert numbers == [f"{i:02d}" for i in range(11)]
    assert (NOTEBOOKS / "playground.ipynb").exists()


@pytest.mark.parametrize("path", ALL, ids=ids(ALL))
def test_stored_as_one_clean_top_to_bottom_run(path):
    nb = load(path)
    cells = code_cells(nb)
    assert [c["execution_count"] for c in cells] == list(range(1, len(cells) + 1)), \
        "not executed top to bottom in one fresh kernel: run tests/store_notebooks.py"
    for i, cell in enumerate(cells, 1):
        for out in cell["outputs"]:
            assert out["output_type"] != "error", f"cell [{i}] stored an error"
            assert out.get("name") != "stderr", f"cell [{i}] printed to stderr: {''.join(out['text'])[:200]}"
            shown = "".join(out.get("text", "")) + "".join(out.get("data", {}).get("text/plain", ""))
            assert not MEMORY_ADDRESS.search(shown), f"cell [{i}] stored a repr with a memory address"
            assert not MACHINE_PATH.search(shown), f"cell [{i}] stored a path of this machine"
    assert "widgets" not in nb["metadata"], "widget state stored: run tests/store_notebooks.py"
    assert nb["metadata"]["kernelspec"]["name"] == "python3"
    assert path.stat().st_size < MAX_BYTES


@pytest.mark.parametrize("path", ALL, ids=ids(ALL))
def test_widget_cells_are_excluded_from_output_comparison(path):
    for cell in code_cells(load(path)):
        shows_widget = any(WIDGET_MIME in out.get("data", {}) for out in cell["outputs"])
        if shows_widget:
            assert "nbval-ignore-output" in cell["metadata"].get("tags", []), text(cell)[:200]


@pytest.mark.parametrize("path", ALL, ids=ids(ALL))
def test_code_cells_are_short(path):
    for cell in code_cells(load(path)):
        assert len(text(cell).splitlines()) <= MAX_CODE_LINES, text(cell)[:300]


@pytest.mark.parametrize("path", LESSONS, ids=ids(LESSONS))
def test_a_lesson_has_its_parts(path):
    nb = load(path)
    markdown = [text(c) for c in nb["cells"] if c["cell_type"] == "markdown"]
    first_code = text(code_cells(nb)[1])   # [0] is the setup cell (tests/test_setup_cell.py)
    assert "SEED" in first_code and "rng = np.random.default_rng(SEED)" in first_code
    assert "use_style()" in first_code
    assert re.search(r"objectives|you will be able|by the end you can", " ".join(markdown[:2]), re.I), \
        "learning objectives belong at the top"
    headings = [line for m in markdown for line in m.splitlines() if line.startswith("## ")]
    assert any("Summary" in h for h in headings)
    assert any("xercise" in h for h in headings)
    assert "Predict, then run" in " ".join(markdown)
    figures = sum("image/png" in out.get("data", {}) for c in code_cells(nb) for out in c["outputs"])
    assert figures >= 1, "a reader without a kernel should see the figures"


@pytest.mark.parametrize("path", LESSONS, ids=ids(LESSONS))
def test_solutions_are_kept_apart_and_use_the_checkers(path):
    solutions = NOTEBOOKS / "solutions" / f"{path.stem}_solutions.ipynb"
    assert solutions.exists()
    outputs = " ".join(
        "".join(out.get("text", "")) + "".join(out.get("data", {}).get("text/plain", ""))
        for c in code_cells(load(solutions)) for out in c["outputs"])
    assert outputs.count("Correct") >= 3, "solutions should show at least three checkers passing"
