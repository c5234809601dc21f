"""Execute notebooks top to bottom in a fresh kernel and store them the way the tests expect.

    .venv/bin/python tests/store_notebooks.py                 # every notebook
    .venv/bin/python tests/store_notebooks.py notebooks/03_gradient_descent.ipynb

Each notebook runs in its own directory, like a reader's kernel. Widget state is dropped from the
stored file: the live widgets need a kernel anyway, and every explorer has a static figure beside it
for readers without one. Afterwards run `make test` (strict nbval compares a new run with this one).
"""
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
import setup_cell  # noqa: E402  (the generated first code cell: installs the course on Colab)
import slide_metadata  # noqa: E402  (each cell's slide type for `make slides`)


def store(path: Path) -> float:
    nb = nbformat.read(path, as_version=4)
    setup_cell.apply(nb)
    start = time.perf_counter()
    NotebookClient(nb, timeout=300, kernel_name="python3",
                   resources={"metadata": {"path": str(path.parent)}}).execute()
    elapsed = time.perf_counter() - start
    nb.metadata.pop("widgets", None)
    slide_metadata.apply(nb)  # after the run: the rule reads the outputs (figure sizes)
    nbformat.write(nb, path)
    return elapsed


def main(args):
    paths = [Path(a).resolve() for a in args] or sorted((ROOT / "notebooks").rglob("*.ipynb"))
    for path in paths:
        if ".ipynb_checkpoints" in path.parts:
            continue
        print(f"{store(path):6.1f} s  {path.relative_to(ROOT)}", flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
