"""The teacher's guides in teaching/: one per notebook, and every name in them real.

A guide names a notebook cell as ``[cell <id>]`` (the cell's stable nbformat id), a playground scenario
as ``[scenario <name>]`` (a key of ``helpers.lessons.playground.SCENARIOS``), and an explorer demo as a
fenced ``python demo`` block that builds ``explorer`` and moves its controls with ``explorer.set(...)``
(a notebook without an explorer names the code cells to run live instead: ``**Run live:** [cell <id>]``).
These tests construct every such explorer (Agg canvas, no display) and check that each setting it names
is a control and holds the value given; they check that every cell id exists in the guide's notebook,
that the plans add up to 45 and 90 minutes, that references are well formed, and that the exercise
table lists exactly the notebook's exercises (tools/difficulty.py reads its stars).
"""

import ast
import json
import math
import re
import sys
from pathlib import Path

import matplotlib
import pytest

matplotlib.use("Agg")

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
import difficulty  # noqa: E402  (tools/ is not a package)

TEACHING = ROOT / "teaching"
NOTEBOOKS = difficulty.lesson_notebooks()
SECTIONS = ["## Objectives", "## 45-minute plan", "## 90-minute plan", "## Projector demo",
            "## Discussion questions", "## Misconceptions", difficulty.TABLE_HEADING, "## References"]
CELL_REF = re.compile(r"\[cell ([A-Za-z0-9_-]+)\]")
SCENARIO_REF = re.compile(r"\[scenario ([A-Za-z0-9_-]+)\]")
DEMO_BLOCK = re.compile(r"```python demo\n(.*?)```", re.S)
PLAN_ROW = re.compile(r"^\|\s*(\d+)\s*\|(.+)\|\s*$")
REFERENCE = re.compile(r"^- (?P<authors>[^()*]+?) \((?P<year>\d{4})\)\. \*(?P<title>[^*]+)\*\.? (?P<venue>[^*]+?) "
                       r"\*\*Used for:\*\* (?P<used>.{20,})$")


def ids(paths):
    return [p.stem for p in paths]


def guide(path) -> str:
    return difficulty.guide_path(path).read_text(encoding="utf-8")


def section(text, heading) -> str:
    assert heading in text, f"missing section {heading!r}"
    return text.split(heading, 1)[1].split("\n## ", 1)[0]


def notebook(path) -> dict:
    return json.loads(Path(path).read_text(encoding="utf-8"))


def test_every_notebook_has_a_guide_and_the_index_links_each():
    index = (TEACHING / "README.md").read_text(encoding="utf-8")
    for path in NOTEBOOKS:
        name = difficulty.guide_path(path).name
        assert (TEACHING / name).exists(), f"no guide teaching/{name} for {path.name}"
        assert f"]({name})" in index, f"teaching/README.md does not link {name}"
    stems = {p.stem for p in NOTEBOOKS}
    strays = [g.name for g in TEACHING.glob("*.md") if g.name != "README.md" and g.stem not in stems]
    assert not strays, f"guides without a notebook: {strays}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=ids(NOTEBOOKS))
def test_a_guide_has_its_sections_in_order(path):
    text = guide(path)
    positions = [text.find(h + "\n") for h in SECTIONS]
    assert -1 not in positions, f"missing: {[h for h, p in zip(SECTIONS, positions) if p == -1]}"
    assert positions == sorted(positions), "sections out of order"
    assert f"../notebooks/{path.name}" in text, "the guide does not link its notebook"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=ids(NOTEBOOKS))
def test_every_cell_a_guide_names_exists_in_its_notebook(path):
    text = guide(path)
    named = set(CELL_REF.findall(text))
    cells = {c.get("id") for c in notebook(path)["cells"]}
    assert named, "the guide names no cell"
    assert not named - cells, f"cells named in the guide but absent from {path.name}: {sorted(named - cells)}"


@pytest.mark.parametrize("minutes", [45, 90])
@pytest.mark.parametrize("path", NOTEBOOKS, ids=ids(NOTEBOOKS))
def test_a_plan_adds_up_to_its_length(path, minutes):
    rows = [PLAN_ROW.match(line.strip()) for line in section(guide(path), f"## {minutes}-minute plan").splitlines()]
    parts = [(int(m[1]), m[2]) for m in rows if m]
    assert len(parts) >= 3, "a plan needs at least three parts"
    assert all(n > 0 for n, _ in parts)
    assert sum(n for n, _ in parts) == minutes, f"the parts add up to {sum(n for n, _ in parts)} minutes"
    assert any(CELL_REF.search(rest) for _, rest in parts), "no part of the plan names a cell"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=ids(NOTEBOOKS))
def test_three_discussion_questions(path):
    numbered = re.findall(r"^(\d+)\. \S", section(guide(path), "## Discussion questions"), flags=re.M)
    assert numbered == ["1", "2", "3"]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=ids(NOTEBOOKS))
def test_each_misconception_names_the_cell_that_dispels_it(path):
    items = [b for b in re.split(r"\n(?=- )", section(guide(path), "## Misconceptions").strip()) if b.startswith("- ")]
    assert len(items) >= 2, "list at least two misconceptions"
    for item in items:
        assert CELL_REF.search(item), f"no cell named for: {item[:80]}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=ids(NOTEBOOKS))
def test_references_are_well_formed(path):
    lines = [line for line in section(guide(path), "## References").strip().splitlines() if line.startswith("- ")]
    assert lines, "no reference"
    for line in lines:
        m = REFERENCE.match(line)
        assert m, f"not 'Authors (year). *Title.* Venue. **Used for:** result': {line[:120]}"
        assert 1600 <= int(m["year"]) <= 2026, line


@pytest.mark.parametrize("path", NOTEBOOKS, ids=ids(NOTEBOOKS))
def test_the_demo_has_a_question_and_something_to_run(path):
    demo = section(guide(path), "## Projector demo")
    assert re.search(r"\*\*Ask the room:\*\* \S", demo), "no question for the room"
    live = re.search(r"^\*\*Run live:\*\* (.+)$", demo, flags=re.M)
    assert DEMO_BLOCK.search(demo) or SCENARIO_REF.search(demo) or live, \
        "no explorer block, no playground scenario and no cell to run live"
    if live:                                   # a notebook without an explorer: code cells run in front of the room
        kinds = {c.get("id"): c["cell_type"] for c in notebook(path)["cells"]}
        named = CELL_REF.findall(live[1])
        assert named and all(kinds.get(i) == "code" for i in named), f"not code cells: {live[1]}"


def _literal_keywords(call):
    return {kw.arg: ast.literal_eval(kw.value) for kw in call.keywords if kw.arg is not None}


def _expected_settings(source):
    """The control values a demo block asks for: the constructor's keywords, then each explorer.set(...)."""
    tree = ast.parse(source)
    ctor, built = {}, False
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and [getattr(t, "id", None) for t in node.targets] == ["explorer"]:
            assert isinstance(node.value, ast.Call), "explorer = SomeExplorer(...)"
            ctor.update(_literal_keywords(node.value))
            built = True
    sets = [n for n in ast.walk(tree) if isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute)
            and n.func.attr == "set" and getattr(n.func.value, "id", None) == "explorer"]
    assert built, "the block does not build `explorer`"
    assert sets, "the block never calls explorer.set(...): name the exact settings to show"
    moved = {}
    for call in sorted(sets, key=lambda n: (n.lineno, n.col_offset)):
        moved.update(_literal_keywords(call))
    return ctor, moved


def _same(a, b):
    if isinstance(a, float) or isinstance(b, float):
        return math.isclose(float(a), float(b), rel_tol=1e-9, abs_tol=1e-12)
    return a == b


DEMOS = [(p, i, block) for p in NOTEBOOKS if difficulty.guide_path(p).exists()   # a missing guide fails above
         for i, block in enumerate(DEMO_BLOCK.findall(guide(p).split("## Projector demo", 1)[-1].split("\n## ", 1)[0]))]


@pytest.mark.parametrize("path, k, source", DEMOS, ids=[f"{p.stem}-{k}" for p, k, _ in DEMOS])
def test_an_explorer_demo_runs_with_the_settings_it_names(path, k, source):
    from helpers.display.widgets import Explorer

    ctor, moved = _expected_settings(source)
    namespace = {}
    exec(compile(source, f"{path.stem} demo {k}", "exec"), namespace)   # the guide's own block
    explorer = namespace["explorer"]
    assert isinstance(explorer, Explorer)
    settings = explorer.settings()
    assert set(moved) <= set(settings), f"not controls of {type(explorer).__name__}: {sorted(set(moved) - set(settings))}"
    wanted = {k: v for k, v in ctor.items() if k in settings} | moved
    for name, value in wanted.items():
        assert _same(settings[name], value), f"{name}: asked for {value!r}, the control holds {settings[name]!r}"
    assert explorer.last_error is None, explorer.last_error


def _scenarios():
    from helpers.lessons import playground

    assert hasattr(playground, "SCENARIOS"), "helpers.lessons.playground.SCENARIOS does not exist yet"
    return playground.SCENARIOS


def test_every_playground_scenario_a_guide_names_exists():
    named = {(p.name, s) for p in NOTEBOOKS for s in SCENARIO_REF.findall(guide(p))}
    assert any(p == "playground.ipynb" for p, _ in named), "the playground's guide names no scenario"
    scenarios = _scenarios()
    missing = sorted((p, s) for p, s in named if s not in scenarios)
    assert not missing, f"scenarios named in the guides but not in SCENARIOS: {missing}"
    for _, s in named:
        settings, explanation = scenarios[s]
        assert isinstance(explanation, str) and explanation.strip()


# ---------------------------------------------------------------------------------------------------
# difficulty


@pytest.mark.parametrize("path", NOTEBOOKS, ids=ids(NOTEBOOKS))
def test_the_exercise_table_lists_exactly_the_notebooks_exercises(path):
    rows = difficulty.guide_exercises(difficulty.guide_path(path))
    numbers = sorted({n for _, n, _ in difficulty.exercises(notebook(path))})
    assert sorted(rows) == numbers
    if numbers:
        assert any(r["homework"] for r in rows.values()), "no exercise set as homework"
        assert any(r["stars"] == 3 for r in rows.values()) or len(numbers) < 4, "no transfer exercise marked 3 stars"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=ids(NOTEBOOKS))
def test_apply_tags_every_exercise_and_is_idempotent(path):
    nb = notebook(path)
    stars = difficulty.stars_for(path)
    before = [c["source"] for c in nb["cells"]]
    once = json.dumps(difficulty.apply(nb, stars), sort_keys=True)
    assert difficulty.check(nb, stars) == []
    assert json.dumps(difficulty.apply(nb, stars), sort_keys=True) == once
    changed = [i for i, c in enumerate(nb["cells"]) if ("".join(c["source"]) if isinstance(c["source"], list)
                                                        else c["source"]) != "".join(before[i])]
    assert set(changed) <= {i for i, _, _ in difficulty.exercises(nb)}      # only exercise headings move
    for i, n, line in difficulty.exercises(nb):
        assert line.count(difficulty.STAR) == stars[n]


def test_check_reports_a_heading_that_disagrees_with_the_guide():
    path = next(p for p in NOTEBOOKS if difficulty.stars_for(p))
    nb = notebook(path)
    stars = difficulty.stars_for(path)
    difficulty.apply(nb, stars)
    i, n, _ = difficulty.exercises(nb)[0]
    wrong = dict(stars) | {n: 1 + stars[n] % 3}
    problems = difficulty.check(nb, wrong)
    assert any(f"exercise {n}:" in p for p in problems)
    with pytest.raises(ValueError, match=r"stars\["):
        difficulty.apply(nb, {**stars, n: 4})
    with pytest.raises(ValueError, match="does not match"):
        difficulty.apply(nb, {k: v for k, v in stars.items() if k != n})


@pytest.mark.parametrize("path", [p for p in NOTEBOOKS if difficulty.exercises(notebook(p))],
                         ids=ids([p for p in NOTEBOOKS if difficulty.exercises(notebook(p))]))
def test_the_notebooks_carry_their_guides_stars(path):
    assert difficulty.check(notebook(path), difficulty.stars_for(path)) == []
