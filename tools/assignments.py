"""Build an nbgrader course from the lesson notebooks: one graded assignment per lesson.

    .venv/bin/python tools/assignments.py                    # what `make assignments` runs
    .venv/bin/python tools/assignments.py --out /tmp/course  # somewhere else
    .venv/bin/python tools/assignments.py --no-generate      # only write source/ and the config

The course folder (default build/assignments/) is laid out as nbgrader expects:

    nbgrader_config.py                  course id, the empty code stub, the autograder's time limit
    source/NN_name/NN_name.ipynb        the instructor's version: solutions and hidden tests inside
    release/NN_name/NN_name.ipynb       the student's version (made by `nbgrader generate_assignment`)
    gradebook.db                        nbgrader's gradebook (made by the same command)

Every lesson notebook notebooks/NN_*.ipynb that has an exercise with a self-check becomes an
assignment. An exercise with a self-check is a code cell that sets ``VAR = None`` and ends with a call
``checker(VAR)``, where ``checker`` is a ``check_...`` function of ``helpers.lessons.exercises``
(imported under any name, in any cell). Each one turns into two cells:

* an autograded answer cell: the lesson's cell, unchanged, with the worked solution inserted after
  ``VAR = None`` between ``### BEGIN SOLUTION`` and ``### END SOLUTION``. nbgrader replaces that
  region by the code stub, which the config sets to nothing, so the student sees exactly the lesson's
  cell (a blank line where the solution was), practice self-check included;
* an autograder test cell after it, worth ``POINTS``: one visible comment line, then a
  ``### BEGIN HIDDEN TESTS`` block that imports the checker afresh from its module (so a student who
  rebinds the practice name cannot pass) and asserts its verdict is "Correct" (``bool(Feedback)``). The
  hidden block is removed from the release and restored from the gradebook when nbgrader autogrades.

The worked solution of exercise k is read from notebooks/solutions/NN_*_solutions.ipynb: every code
cell after the cell that checked exercise k - 1 (for k = 1: every code cell but the Colab setup cell)
up to the first cell that calls the same checker on the same variable, with the solutions' own calls
of checkers taken out. So it carries whatever the worked solution defined on the way (a helper
function, a seeded generator) and produces the answer in the lesson's kernel.

Open exercises (a question with no self-check, a markdown cell only) are left as they are: read, not
graded. Lesson cells stay as they are, outputs cleared: nbgrader clears them in the release anyway,
the autograder runs every cell again, and a student's submission should show the student's own run.

Anything that cannot be turned into a graded cell raises ``AssignmentError`` naming the notebook and
the cell: a checker called in another form, an exercise without a worked solution, solutions out of
order. Nothing is skipped silently (tests/test_assignments.py relies on that).
"""
from __future__ import annotations

import argparse
import ast
import importlib
import os
import pkgutil
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
SOLUTIONS = NOTEBOOKS / "solutions"
COURSE = ROOT / "build" / "assignments"
COURSE_ID = "downhill"
POINTS = 1
PACKAGE = "helpers.lessons.exercises"
SETUP_CELL_ID = "setup"              # the generated Colab cell (tools/setup_cell.py): never a solution
BEGIN, END = "### BEGIN SOLUTION", "### END SOLUTION"
BEGIN_TESTS, END_TESTS = "### BEGIN HIDDEN TESTS", "### END HIDDEN TESTS"
TEST_COMMENT = "# Graded when you hand in: hidden tests check the answer above ({points} {unit})."
LESSON = re.compile(r"^\d\d_\w+\.ipynb$")

CONFIG = '''\
# nbgrader's settings for the Downhill course (written by tools/assignments.py; rebuilt by
# `make assignments`). Run nbgrader's commands from this folder.
c = get_config()  # noqa: F821 (nbgrader provides it)
c.CourseDirectory.course_id = "{course_id}"
# The solution region becomes nothing: the student's answer cell is the lesson's own cell.
c.ClearSolutions.code_stub = {{"python": ""}}
# A lesson's slowest cell (an explorer's sweep) takes seconds; nbgrader's default limit is 30 s a cell.
c.Execute.timeout = 600
# Where `nbgrader release_assignment` and `collect` exchange files on a shared server (nbgrader's
# default); set it to your JupyterHub's exchange folder.
# c.Exchange.root = "/srv/nbgrader/exchange"
'''


class AssignmentError(ValueError):
    """A lesson notebook could not be turned into a graded assignment."""


@dataclass(frozen=True)
class Exercise:
    """One exercise with a self-check: where it is and what grades it."""

    cell_id: str          # the lesson's answer cell
    variable: str         # the name the answer is given in ("answer", "grad_f_fixed", ...)
    module: str           # the checker's module, e.g. "helpers.lessons.exercises.gradients"
    checker: str          # the checker's name in that module, e.g. "check_hand_gradient"
    line: int             # the last line (1-based) of the ``VAR = None`` statement in the cell


# --------------------------------------------------------------------------- reading the notebooks
def checkers() -> dict[str, set[str]]:
    """Every exercise checker: module name -> the names of its ``check_...`` functions."""
    package = importlib.import_module(PACKAGE)
    found = {}
    for info in pkgutil.iter_modules(package.__path__):
        module = importlib.import_module(f"{PACKAGE}.{info.name}")
        # every callable check_... the module offers, made there or imported into it: a lesson may
        # call any of them, and one left out here would be an exercise skipped without a word
        found[module.__name__] = {name for name in dir(module)
                                  if name.startswith("check_") and callable(getattr(module, name))}
    return found


def _python(source: str) -> str:
    """A cell's source as plain Python (IPython's magics become calls), line for line."""
    from IPython.core.inputtransformer2 import TransformerManager
    return TransformerManager().transform_cell(source)


def _parse(cell, where: str) -> ast.Module:
    try:
        return ast.parse(_python(cell.source))
    except SyntaxError as err:
        raise AssignmentError(f"{where}: cell {cell.get('id')!r} is not valid Python ({err.msg}, line {err.lineno})")


def _aliases(nb, where: str) -> dict[str, tuple[str, str | None]]:
    """Names the notebook binds to checker modules or functions: name -> (module, function or None)."""
    names = {}
    for cell in nb.cells:
        if cell.cell_type != "code" or PACKAGE not in cell.source:
            continue
        for node in ast.walk(_parse(cell, where)):
            if isinstance(node, ast.ImportFrom) and node.module == PACKAGE:
                for a in node.names:
                    names[a.asname or a.name] = (f"{PACKAGE}.{a.name}", None)
            elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith(PACKAGE + "."):
                for a in node.names:
                    names[a.asname or a.name] = (node.module, a.name)
            elif isinstance(node, ast.Import):
                for a in node.names:
                    if a.name.startswith(PACKAGE + ".") and a.asname:
                        names[a.asname] = (a.name, None)
    return names


def _resolve(func: ast.expr, aliases, known) -> tuple[str, str] | None:
    """(module, checker) that a call's function expression names, or None if it is no checker."""
    if isinstance(func, ast.Name) and func.id in aliases:
        module, name = aliases[func.id]
    elif isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.value.id in aliases:
        module, attr = aliases[func.value.id]
        if attr is not None:
            return None
        name = func.attr
    else:
        return None
    return (module, name) if name in known.get(module, ()) else None


def checker_calls(cell, aliases, known, where: str) -> list[tuple[ast.Call, tuple[str, str]]]:
    """Every call of an exercise checker anywhere in a code cell."""
    if cell.cell_type != "code" or not any(re.search(rf"\b{re.escape(name)}\b", cell.source) for name in aliases):
        return []
    calls = []
    for node in ast.walk(_parse(cell, where)):
        if isinstance(node, ast.Call):
            target = _resolve(node.func, aliases, known)
            if target is not None:
                calls.append((node, target))
    return calls


def exercises(nb, where: str, known=None) -> list[Exercise]:
    """The exercises with a self-check in a lesson notebook, in order; AssignmentError for a checker
    called in any other form than ``VAR = None`` ... ``checker(VAR)`` as the cell's last statement."""
    known = checkers() if known is None else known
    aliases = _aliases(nb, where)
    found = []
    for cell in nb.cells:
        calls = checker_calls(cell, aliases, known, where)
        if not calls:
            continue
        body = _parse(cell, where).body
        last = body[-1]
        form = (len(calls) == 1 and isinstance(last, ast.Expr) and isinstance(last.value, ast.Call)
                and (last.value.lineno, last.value.col_offset) == (calls[0][0].lineno, calls[0][0].col_offset)
                and len(last.value.args) == 1 and not last.value.keywords
                and isinstance(last.value.args[0], ast.Name))
        if not form:
            raise AssignmentError(f"{where}: cell {cell.get('id')!r} calls a checker, but not as its last "
                                  "statement `checker(VAR)` with one variable")
        variable = last.value.args[0].id
        blank = [s for s in body[:-1] if isinstance(s, ast.Assign) and len(s.targets) == 1
                 and isinstance(s.targets[0], ast.Name) and s.targets[0].id == variable
                 and isinstance(s.value, ast.Constant) and s.value.value is None]
        if len(blank) != 1:
            raise AssignmentError(f"{where}: cell {cell.get('id')!r} checks {variable!r} but does not set "
                                  f"`{variable} = None` once before the check")
        module, checker = calls[0][1]
        found.append(Exercise(cell.get("id"), variable, module, checker, blank[0].end_lineno))
    return found


def solutions_for(lesson: Path) -> Path:
    return SOLUTIONS / f"{lesson.stem}_solutions.ipynb"


def _imports(nb, where: str) -> set[str]:
    """The top-level import statements of a notebook's code cells, each as ``ast.dump`` gives it."""
    return {ast.dump(stmt) for cell in nb.cells if cell.cell_type == "code" and "import" in cell.source
            for stmt in _parse(cell, where).body if isinstance(stmt, (ast.Import, ast.ImportFrom))}


def _without_checks(cell, aliases, known, where: str, imported=frozenset()) -> list[str]:
    """A solution cell's lines without its top-level calls of exercise checkers, and without the
    imports the lesson already made (``imported``, as ``_imports`` gives them)."""
    lines = cell.source.split("\n")
    drop = set()
    for stmt in _parse(cell, where).body:
        if ((isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Call)
                and _resolve(stmt.value.func, aliases, known) is not None)
                or (isinstance(stmt, (ast.Import, ast.ImportFrom)) and ast.dump(stmt) in imported)):
            drop.update(range(stmt.lineno - 1, stmt.end_lineno))
    kept = [line for i, line in enumerate(lines) if i not in drop]
    while kept and not kept[-1].strip():
        kept.pop()
    while kept and not kept[0].strip():
        kept.pop(0)
    return kept


def worked_solutions(solutions_nb, found: list[Exercise], where: str, known=None, imported=frozenset()) -> list[str]:
    """The code of each exercise's worked solution, in the order of ``found`` (see the module's doc);
    ``imported``: the lesson's imports (``_imports``), left out of the solutions."""
    known = checkers() if known is None else known
    aliases = _aliases(solutions_nb, where)
    cells = [c for c in solutions_nb.cells if c.cell_type == "code" and c.get("id") != SETUP_CELL_ID]
    codes, start = [], 0
    for n, ex in enumerate(found, 1):
        call = None
        for end in range(start, len(cells)):
            calls = [c for c, target in checker_calls(cells[end], aliases, known, where)
                     if target == (ex.module, ex.checker) and len(c.args) == 1 and not c.keywords]
            if calls:
                call = calls[0]
                break
        if call is None:
            raise AssignmentError(f"{where}: no worked solution calls {ex.checker} after the solution of "
                                  f"exercise {n - 1} (lesson cell {ex.cell_id!r})")
        chunks = [_without_checks(c, aliases, known, where, imported) for c in cells[start:end + 1]]
        code = "\n\n".join("\n".join(chunk) for chunk in chunks if chunk)
        argument = call.args[0]
        if not (isinstance(argument, ast.Name) and argument.id == ex.variable):
            # the worked solution checks another name (or an expression): give the lesson's name its value
            code += f"\n{ex.variable} = {ast.get_source_segment(_python(cells[end].source), argument)}"
        codes.append(code)
        start = end + 1
    return codes


# --------------------------------------------------------------------------- writing the assignment
def _nbgrader(grade_id: str, *, solution: bool, grade: bool, points: int = 0) -> dict:
    meta = {"grade": grade, "grade_id": grade_id, "locked": not solution, "schema_version": 3,
            "solution": solution, "task": False}
    if grade:
        meta["points"] = points
    return meta


def graded_notebook(lesson: Path, solutions: Path | None = None, known=None) -> tuple[nbformat.NotebookNode, int]:
    """The instructor's version of one lesson and its number of graded exercises."""
    known = checkers() if known is None else known
    solutions = solutions_for(lesson) if solutions is None else solutions
    where = lesson.name
    nb = nbformat.read(lesson, as_version=4)
    found = exercises(nb, where, known)
    if not found:
        return nb, 0
    if not solutions.exists():
        raise AssignmentError(f"{where}: {len(found)} exercise(s) with a checker but no {solutions.name}")
    codes = worked_solutions(nbformat.read(solutions, as_version=4), found, solutions.name, known,
                             _imports(nb, where))
    by_cell = {ex.cell_id: (n, ex, code) for n, (ex, code) in enumerate(zip(found, codes), 1)}
    used_ids = {c.get("id") for c in nb.cells}
    cells = []
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
            cell.metadata.pop("execution", None)
        cells.append(cell)
        if cell.get("id") not in by_cell:
            continue
        n, ex, code = by_cell[cell.get("id")]
        lines = cell.source.split("\n")
        cell.source = "\n".join(lines[:ex.line] + [BEGIN, code, END] + lines[ex.line:])
        cell.metadata["nbgrader"] = _nbgrader(f"exercise{n}_answer", solution=True, grade=False)
        test_id = f"{cell.get('id')}-graded"
        if test_id in used_ids:
            raise AssignmentError(f"{where}: a cell already has the id {test_id!r}")
        test = nbformat.v4.new_code_cell("\n".join([
            TEST_COMMENT.format(points=POINTS, unit="point" if POINTS == 1 else "points"),
            BEGIN_TESTS,
            f"from {ex.module} import {ex.checker} as _graded_check",
            f"_verdict = _graded_check({ex.variable})",
            'assert _verdict, f"not accepted: {_verdict}"',
            END_TESTS]))
        test.id = test_id
        test.metadata["nbgrader"] = _nbgrader(f"exercise{n}_tests", solution=False, grade=True, points=POINTS)
        test.metadata["slideshow"] = {"slide_type": "-"}
        cells.append(test)
    nb.cells = cells
    nb.metadata.pop("widgets", None)
    return nb, len(found)


def lessons(notebooks: Path = NOTEBOOKS) -> list[Path]:
    """The lesson notebooks, in order (00_..., 01_..., and any added later)."""
    return sorted(p for p in notebooks.glob("*.ipynb") if LESSON.match(p.name))


def nbgrader_command(*args: str) -> list[str]:
    """nbgrader run by this Python (its own environment), as a command list."""
    return [sys.executable, "-m", "nbgrader", *args]


def nbgrader_env() -> dict[str, str]:
    """The environment to run nbgrader in: this Python's bin folder first on PATH, because nbgrader
    runs the ``alembic`` command (its database migrations) by name."""
    env = dict(os.environ)
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
    return env


def build(out: Path = COURSE, generate: bool = True, notebooks=None) -> dict[str, int]:
    """Write the course to ``out`` (source/ and nbgrader_config.py; with ``generate``, run
    ``nbgrader generate_assignment`` for each assignment, which makes release/ and gradebook.db).
    Returns assignment name -> number of graded exercises. The gradebook and any submitted or
    autograded folders already in ``out`` are kept: a rebuild never throws grades away.
    ``notebooks``: the lesson notebooks to build (paths); None, every lesson."""
    out = Path(out)
    chosen = lessons() if notebooks is None else [Path(p).resolve() for p in notebooks]
    for path in chosen:
        if not (path.exists() and LESSON.match(path.name)):
            raise ValueError(f"notebooks must be lesson notebooks NN_name.ipynb that exist, got {str(path)!r}")
    known = checkers()
    built = {}
    graded = []
    for lesson in chosen:
        nb, count = graded_notebook(lesson, known=known)
        if count:
            graded.append((lesson.stem, nb))
            built[lesson.stem] = count
    if not built:
        raise AssignmentError(f"no lesson notebook in {NOTEBOOKS} has an exercise with a checker")
    out.mkdir(parents=True, exist_ok=True)
    (out / "nbgrader_config.py").write_text(CONFIG.format(course_id=COURSE_ID))
    shutil.rmtree(out / "source", ignore_errors=True)
    for name, nb in graded:
        folder = out / "source" / name
        folder.mkdir(parents=True)
        nbformat.write(nb, folder / f"{name}.ipynb")
    if generate:  # one nbgrader command for every assignment in source/ (each start costs seconds)
        done = subprocess.run(nbgrader_command("generate_assignment", "--CourseDirectory.assignment_id=*",
                                               "--force", "--log-level=ERROR"),
                              cwd=out, env=nbgrader_env(), capture_output=True, text=True)
        if done.returncode != 0:
            raise AssignmentError(f"nbgrader generate_assignment failed in {out}:\n{done.stderr[-3000:]}")
    return built


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=COURSE, help=f"the course folder (default {COURSE.relative_to(ROOT)})")
    parser.add_argument("notebooks", nargs="*", type=Path, help="lesson notebooks to build (default: all)")
    parser.add_argument("--no-generate", action="store_true", help="write source/ only; no nbgrader commands")
    args = parser.parse_args(argv)
    built = build(args.out, generate=not args.no_generate, notebooks=args.notebooks or None)
    total = sum(built.values())
    print(f"{len(built)} assignments, {total} graded exercises ({total * POINTS} points) in {args.out}/")
    for name, count in built.items():
        print(f"  {name}: {count}")
    if not args.no_generate:
        print(f"student versions in {args.out}/release/; run nbgrader's commands from {args.out}/")
    return 0


if __name__ == "__main__":
    sys.exit(main())
