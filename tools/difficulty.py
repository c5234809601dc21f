"""Difficulty tags for the exercises: one to three stars, read from the teacher's guides.

Each guide in ``teaching/`` (one per notebook, ``teaching/<notebook stem>.md``) has a table under the
heading "## Exercises and homework" whose rows read ``| 3 | the best fixed learning rate | ★★ | yes |``:
the exercise's number, a short title, its stars and whether to set it as homework. This module

* reads those stars (:func:`guide_exercises`, :func:`stars_for`);
* finds the exercises of a notebook (:func:`exercises`): every markdown cell at or after the
  "Exercises" heading whose line starts ``**N.`` (notebooks 00 and 01), ``**Exercise N`` or
  ``### Exercise N``;
* writes the stars into a notebook (:func:`apply`): the heading gets them right after its number
  ("**Exercise 3 ★★ (transfer).**", "### Exercise 1 ★: a neuron by hand", "**1. ★ Feel the slope...**")
  and the cell gets ``metadata["downhill"]["difficulty"] = 2``; running it twice changes nothing;
* checks a notebook against its guide (:func:`check`): every exercise carries as many stars in its
  heading as in its metadata and in its guide's table, and the guide lists exactly the notebook's
  exercises.

Command line (the lead runs it, then re-stores the notebooks with tests/store_notebooks.py)::

    python tools/difficulty.py                 # tag every lesson notebook that has a guide
    python tools/difficulty.py --check         # report what is untagged or out of step; exit 1 if any
    python tools/difficulty.py notebooks/03_gradient_descent.ipynb
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TEACHING = ROOT / "teaching"
NOTEBOOKS = ROOT / "notebooks"
STAR = "\u2605"  # ★
TABLE_HEADING = "## Exercises and homework"

# A heading that opens the exercises: "## Exercises", "## Warm-up exercises".
_EXERCISES_HEADING = re.compile(r"^#{1,4} (?:[\w-]+ )?exercises\s*$", re.IGNORECASE | re.MULTILINE)
# "**Exercise 3 (transfer).**", "### Exercise 1: a neuron", with or without stars already there.
_WORDED = re.compile(r"^(?P<pre>(?:#{2,4} |\*\*)Exercise (?P<n>\d+))(?P<stars> \u2605+)?(?P<rest>(?=[ .:(*]).*)$")
# "**1. Feel the slope somewhere new.**" (notebooks 00 and 01)
_NUMBERED = re.compile(r"^(?P<pre>\*\*(?P<n>\d+)\.)(?P<stars> \u2605+)?(?P<rest> .*)$")
_ROW = re.compile(r"^\|\s*(?P<n>\d+)\s*\|(?P<title>[^|]+)\|\s*(?P<stars>[^|]*?)\s*\|\s*(?P<homework>[^|]*?)\s*\|\s*$")


def _source(cell) -> str:
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else src


def _match(line: str):
    return _WORDED.match(line) or _NUMBERED.match(line)


# ------------------------------------------------------------------------------------------------
# the guides


def guide_path(notebook) -> Path:
    """teaching/<stem>.md for notebooks/<stem>.ipynb."""
    return TEACHING / f"{Path(notebook).stem}.md"


def guide_exercises(guide) -> dict[int, dict]:
    """{number: {"title", "stars", "homework"}} from the guide's "Exercises and homework" table.

    Raises ValueError naming the guide and the row when a row is malformed: stars other than one to
    three "★", a homework column other than yes/no, or a number listed twice.
    """
    path = Path(guide)
    text = path.read_text(encoding="utf-8")
    if TABLE_HEADING not in text:
        raise ValueError(f"guide={str(path)!r} has no {TABLE_HEADING!r} section")
    section = text.split(TABLE_HEADING, 1)[1].split("\n## ", 1)[0]
    rows = {}
    for line in section.splitlines():
        m = _ROW.match(line.strip())
        if not m:
            continue
        n, stars, homework = int(m["n"]), m["stars"], m["homework"].strip().lower()
        if not stars or set(stars) != {STAR} or not 1 <= len(stars) <= 3:
            raise ValueError(f"guide={str(path)!r}: exercise {n} has stars={stars!r}; use one to three {STAR}")
        if homework not in ("yes", "no"):
            raise ValueError(f"guide={str(path)!r}: exercise {n} has homework={homework!r}; use yes or no")
        if n in rows:
            raise ValueError(f"guide={str(path)!r}: exercise {n} is listed twice")
        rows[n] = {"title": m["title"].strip(), "stars": len(stars), "homework": homework == "yes"}
    return rows


def stars_for(notebook) -> dict[int, int]:
    """{exercise number: stars} for a notebook, from its guide."""
    return {n: row["stars"] for n, row in guide_exercises(guide_path(notebook)).items()}


# ------------------------------------------------------------------------------------------------
# the notebooks


def exercises(nb) -> list[tuple[int, int, str]]:
    """[(cell index, exercise number, heading line)] for every exercise heading of a notebook.

    Only cells from the one whose heading opens the exercises onward count, so a numbered bold line in
    a lesson's body is never taken for an exercise.
    """
    cells = nb["cells"]
    start = next((i for i, c in enumerate(cells)
                  if c["cell_type"] == "markdown" and _EXERCISES_HEADING.search(_source(c))), None)
    if start is None:
        return []
    found = []
    for i in range(start, len(cells)):
        if cells[i]["cell_type"] != "markdown":
            continue
        for line in _source(cells[i]).splitlines():
            m = _match(line)
            if m:
                found.append((i, int(m["n"]), line))
    return found


def heading_stars(line: str) -> int:
    """How many stars an exercise heading carries (0 when untagged)."""
    m = _match(line)
    if m is None:
        raise ValueError(f"line={line!r} is not an exercise heading")
    return len((m["stars"] or "").strip())


def _tagged(line: str, stars: int) -> str:
    m = _match(line)
    return f"{m['pre']} {STAR * stars}{m['rest']}"


def apply(nb, stars: dict[int, int]):
    """Write ``stars`` ({exercise number: 1..3}) into the notebook ``nb`` (an nbformat node or the
    plain dict of a .ipynb), in place, and return it: the stars go into each exercise heading and into
    its cell's ``metadata["downhill"]["difficulty"]``. Applying the same stars twice changes nothing.

    Raises ValueError, before changing anything, when ``stars`` does not give every exercise of the
    notebook exactly one value from 1 to 3, or names an exercise the notebook does not have.
    """
    found = exercises(nb)
    numbers = [n for _, n, _ in found]
    for n, s in stars.items():
        if not isinstance(s, int) or isinstance(s, bool) or not 1 <= s <= 3:
            raise ValueError(f"stars[{n}]={s!r}: give 1, 2 or 3")
    if sorted(numbers) != sorted(stars):
        raise ValueError(f"stars={stars!r} does not match the notebook's exercises {numbers}")
    by_cell = {}
    for i, n, _ in found:
        if i in by_cell:
            raise ValueError(f"cell {i} holds two exercise headings ({by_cell[i]} and {n}): one per cell")
        by_cell[i] = n
    for i, n in by_cell.items():
        cell = nb["cells"][i]
        lines = _source(cell).split("\n")
        lines = [_tagged(line, stars[n]) if _match(line) else line for line in lines]
        cell["source"] = "\n".join(lines)
        meta = cell.setdefault("metadata", {})
        downhill = dict(meta.get("downhill", {}))
        downhill["difficulty"] = stars[n]
        meta["downhill"] = downhill
    return nb


def check(nb, stars: dict[int, int]) -> list[str]:
    """What is out of step between a notebook and its guide's stars; [] when all agree.

    For every exercise: the heading's star count, the cell's metadata and the guide must be equal; the
    guide must list exactly the notebook's exercises, each once.
    """
    problems = []
    found = exercises(nb)
    numbers = [n for _, n, _ in found]
    if len(set(numbers)) != len(numbers):
        problems.append(f"exercise numbers repeat: {numbers}")
    if sorted(set(numbers)) != sorted(stars):
        problems.append(f"the notebook's exercises {sorted(set(numbers))} differ from the guide's {sorted(stars)}")
    for i, n, line in found:
        want = stars.get(n)
        shown = heading_stars(line)
        meta = nb["cells"][i].get("metadata", {}).get("downhill", {}).get("difficulty")
        if shown != want:
            problems.append(f"exercise {n}: heading has {shown} stars, the guide {want}")
        if meta != want:
            problems.append(f"exercise {n}: metadata difficulty is {meta!r}, the guide says {want}")
    return problems


def lesson_notebooks() -> list[Path]:
    """Every notebook a guide is written for: the numbered lessons and the playground."""
    paths = sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))
    playground = NOTEBOOKS / "playground.ipynb"
    return paths + ([playground] if playground.exists() else [])


def main(argv=None) -> int:
    import nbformat

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("notebooks", nargs="*", type=Path, help="default: every lesson notebook with a guide")
    parser.add_argument("--check", action="store_true", help="only report; exit 1 if anything is out of step")
    args = parser.parse_args(argv)
    paths = args.notebooks or [p for p in lesson_notebooks() if guide_path(p).exists()]
    status = 0
    for path in paths:
        nb = nbformat.read(path, as_version=4)
        stars = stars_for(path)
        if args.check:
            problems = check(nb, stars)
            for p in problems:
                print(f"{path.name}: {p}")
            status |= bool(problems)
            continue
        before = nbformat.writes(nb)
        apply(nb, stars)
        if nbformat.writes(nb) != before:
            nbformat.write(nb, path)
            print(f"tagged {path.name}: " + ", ".join(f"{n} {STAR * s}" for n, s in sorted(stars.items())))
    return status


if __name__ == "__main__":
    sys.exit(main())
