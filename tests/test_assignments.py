"""The graded assignments (`make assignments`, tools/assignments.py), checked with nbgrader's own commands.

The course is built into a temporary folder from the notebooks as they are now: `nbgrader
generate_assignment` makes the student versions, two students hand one in (one with every answer
cell filled in from the worked solutions, one exactly as released), `nbgrader autograde` grades them,
and nbgrader's gradebook must give the first full marks and the second none.

Autograding runs every cell of a lesson twice (one run a student), so by default only the lessons in
GRADED_IN_CI are autograded here; every lesson is built and checked for hidden tests either way. The
whole course:  DOWNHILL_ALL_ASSIGNMENTS=1 .venv/bin/python -m pytest -q -p no:cacheprovider -o addopts= tests/test_assignments.py
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
import assignments  # noqa: E402  (tools/ is not a package)

# Two lessons, chosen for what they cover at a small cost: functions as answers (the students'
# own code is run by the checker) and typed numbers, vectors and whole numbers.
GRADED_IN_CI = ["01_derivatives_and_gradients", "02_backpropagation"]
ALL = os.environ.get("DOWNHILL_ALL_ASSIGNMENTS") == "1"
HIDDEN_MARKS = ("BEGIN HIDDEN TESTS", "END HIDDEN TESTS", "BEGIN SOLUTION", "END SOLUTION", "_graded_check")


def nbgrader(course: Path, *args: str) -> subprocess.CompletedProcess:
    done = subprocess.run(assignments.nbgrader_command(*args), cwd=course, env=assignments.nbgrader_env(),
                          capture_output=True, text=True, timeout=1200)
    assert done.returncode == 0, f"nbgrader {' '.join(args)} failed:\n{done.stderr[-4000:]}"
    return done


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    out = tmp_path_factory.mktemp("course")
    built = assignments.build(out)
    return out, built


def lesson_checkers() -> set[str]:
    """Every checker's name, read from the checker modules' source (not from the builder's code)."""
    names = set()
    for path in (ROOT / "helpers" / "lessons" / "exercises").glob("*.py"):
        names.update(re.findall(r"^def (check_\w+)\(", path.read_text(), re.M))
    return names


def cells_calling_a_checker(nb) -> list[str]:
    names = lesson_checkers()
    return [c.get("id") for c in nb.cells if c.cell_type == "code"
            and any(name in names for name in re.findall(r"\b(check_\w+)\s*\(", c.source))]


def nbgrader_meta(cell) -> dict:
    return cell.metadata.get("nbgrader", {})


def test_every_exercise_with_a_checker_becomes_a_graded_answer_and_a_hidden_test(course):
    out, built = course
    for lesson in assignments.lessons():
        nb = nbformat.read(lesson, as_version=4)
        calling = cells_calling_a_checker(nb)
        if not calling:
            assert lesson.stem not in built
            continue
        source = nbformat.read(out / "source" / lesson.stem / lesson.name, as_version=4)
        answers = [c for c in source.cells if nbgrader_meta(c).get("solution")]
        tests = [c for c in source.cells if nbgrader_meta(c).get("grade")]
        assert [c.get("id") for c in answers] == calling, lesson.name
        assert built[lesson.stem] == len(calling) == len(tests), lesson.name
        for answer in answers:
            following = source.cells[source.cells.index(answer) + 1]
            assert nbgrader_meta(following).get("grade") and nbgrader_meta(following)["points"] > 0
            assert "### BEGIN HIDDEN TESTS" in following.source and "assert" in following.source
            assert "### BEGIN SOLUTION" in answer.source and "### END SOLUTION" in answer.source
    assert sum(built.values()) >= 40, built


def test_the_student_version_is_the_lesson_with_no_test_or_solution_readable(course):
    out, built = course
    for name in built:
        lesson = nbformat.read(ROOT / "notebooks" / f"{name}.ipynb", as_version=4)
        release_path = out / "release" / name / f"{name}.ipynb"
        text = release_path.read_text()
        for mark in HIDDEN_MARKS:
            assert mark not in text, f"{release_path.name} shows {mark!r} to the student"
        release = nbformat.read(release_path, as_version=4)
        source = nbformat.read(out / "source" / name / f"{name}.ipynb", as_version=4)
        instructor = {nbgrader_meta(c)["grade_id"]: c.source for c in source.cells if nbgrader_meta(c).get("solution")}
        # every cell is the lesson's, but for the hidden tests' cells (a comment line each) and the blank
        # line that the empty code stub leaves in each answer cell where the solution was
        student = [c for c in release.cells if not nbgrader_meta(c).get("grade")]
        assert [(c.cell_type, c.source) for c in lesson.cells] == \
               [(c.cell_type, drop_stub_line(c.source, instructor[nbgrader_meta(c)["grade_id"]])
                 if nbgrader_meta(c).get("solution") else c.source)
                for c in student], name
        assert all(c.source.startswith("# ") for c in release.cells if nbgrader_meta(c).get("grade")), name
        assert all(not c.get("outputs") for c in release.cells if c.cell_type == "code")


def drop_stub_line(released: str, instructor: str) -> str:
    """An answer cell of the release without the line that the empty code stub left where the
    instructor's version has its solution region."""
    lines = released.split("\n")
    at = instructor.split("\n").index(assignments.BEGIN)
    assert lines[at] == "", f"no empty stub where the solution was: {released!r}"
    return "\n".join(lines[:at] + lines[at + 1:])


def fill_in_solutions(release_nb, source_nb):
    """What a student who typed in the worked solutions hands in: each answer cell of the release gets
    the instructor's solution region (the lines between the markers) where the stub is."""
    solved = {nbgrader_meta(c)["grade_id"]: c.source for c in source_nb.cells if nbgrader_meta(c).get("solution")}
    for cell in release_nb.cells:
        if nbgrader_meta(cell).get("solution"):
            lines = solved[nbgrader_meta(cell)["grade_id"]].split("\n")
            cell.source = "\n".join(line for line in lines if line not in (assignments.BEGIN, assignments.END))
    return release_nb


def test_nbgrader_gives_the_solved_copy_full_marks_and_the_blank_copy_none(course):
    out, built = course
    names = list(built) if ALL else GRADED_IN_CI
    assert set(names) <= set(built), f"{set(names) - set(built)} are not built"
    from nbgrader.api import Gradebook

    for name in names:
        release = out / "release" / name
        source = nbformat.read(out / "source" / name / f"{name}.ipynb", as_version=4)
        for student in ("solved", "blank"):
            handed_in = out / "submitted" / student / name
            shutil.rmtree(handed_in, ignore_errors=True)
            shutil.copytree(release, handed_in)
        solved_path = out / "submitted" / "solved" / name / f"{name}.ipynb"
        nbformat.write(fill_in_solutions(nbformat.read(solved_path, as_version=4), source), solved_path)
        nbgrader(out, "autograde", name, "--force", "--log-level=ERROR")

        with Gradebook(f"sqlite:///{out / 'gradebook.db'}") as gb:
            scores = {}
            for student in ("solved", "blank"):
                notebook = gb.find_submission_notebook(name, name, student)
                scores[student] = {g.name: (g.score, g.max_score) for g in notebook.grades}
        full = built[name] * assignments.POINTS
        assert sum(m for _, m in scores["solved"].values()) == full, scores["solved"]
        missed = {cell: s for cell, s in scores["solved"].items() if s[0] != s[1]}
        assert not missed, f"{name}: the worked solutions lose marks in {missed}"
        earned = {cell: s for cell, s in scores["blank"].items() if s[0] != 0}
        assert not earned, f"{name}: the blank copy earns marks in {earned}"
        # the marks came from the hidden tests, which nbgrader put back before it ran the notebook
        graded = nbformat.read(out / "autograded" / "blank" / name / f"{name}.ipynb", as_version=4)
        tests = [c for c in graded.cells if nbgrader_meta(c).get("grade")]
        assert len(tests) == built[name] and all("BEGIN HIDDEN TESTS" in c.source for c in tests)


# --------------------------------------------------------------------------- the builder refuses, never skips
def small_lesson(tmp_path, exercise_cell: str, solution_cells: list[str] | None):
    """A lesson NN_name.ipynb with one exercise cell, and its solutions notebook if given."""
    new = nbformat.v4
    lesson = new.new_notebook(cells=[
        new.new_code_cell("from helpers.lessons.exercises.descent_basics import check_update_step as cu"),
        new.new_markdown_cell("**Exercise 1.** One step."),
        new.new_code_cell(exercise_cell)])
    path = tmp_path / "91_small.ipynb"
    nbformat.write(lesson, path)
    solutions = tmp_path / "91_small_solutions.ipynb"
    if solution_cells is not None:
        nbformat.write(new.new_notebook(cells=[
            new.new_code_cell("from helpers.lessons.exercises import descent_basics as db")]
            + [new.new_code_cell(s) for s in solution_cells]), solutions)
    return path, solutions


def test_a_solution_checked_under_another_name_gives_the_lesson_its_answer(tmp_path):
    lesson, solutions = small_lesson(tmp_path, "answer = None  # yours\ncu(answer)",
                                     ["w, lr = -1.0, 0.25\nnew_w = w - lr * 2 * (w - 3)\ndb.check_update_step(new_w)"])
    nb, count = assignments.graded_notebook(lesson, solutions)
    answer = nb.cells[2]
    assert count == 1 and nbgrader_meta(answer)["solution"] and nbgrader_meta(nb.cells[3])["points"] == 1
    assert answer.source.splitlines() == [
        "answer = None  # yours", assignments.BEGIN,
        "from helpers.lessons.exercises import descent_basics as db", "",   # the solutions' own import
        "w, lr = -1.0, 0.25", "new_w = w - lr * 2 * (w - 3)",
        "answer = new_w", assignments.END, "cu(answer)"]
    namespace = {}
    exec("\n".join(c.source for c in nb.cells if c.cell_type == "code"), namespace)  # the hidden test passes
    assert namespace["_verdict"].ok is True


@pytest.mark.parametrize("cell, solutions, complaint", [
    ("answer = None\nprint(cu(answer))", ["db.check_update_step(1.0)"], "last statement"),
    ("answer = 1.0\ncu(answer)", ["db.check_update_step(1.0)"], "= None"),
    ("answer = None\ncu(answer)", ["x = 1.0"], "no worked solution"),
    ("answer = None\ncu(answer)", None, "no 91_small_solutions.ipynb"),
])
def test_an_exercise_that_cannot_be_graded_is_an_error_not_a_skip(tmp_path, cell, solutions, complaint):
    lesson, solutions_path = small_lesson(tmp_path, cell, solutions)
    with pytest.raises(assignments.AssignmentError, match=complaint):
        assignments.graded_notebook(lesson, solutions_path)
