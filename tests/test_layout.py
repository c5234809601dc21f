"""The layout shows the architecture, and imports point one way: lessons -> display -> engine."""
import ast
from pathlib import Path

import pytest

HELPERS = Path(__file__).resolve().parents[1] / "helpers"
LAYER = {"engine": 0, "display": 1, "lessons": 2}


def layer_of(module):
    """'helpers.display.plotting' -> 'display'; 'helpers.optim' -> 'engine'."""
    parts = module.split(".")
    return parts[1] if len(parts) > 2 and parts[1] in LAYER else "engine"


def helpers_imports(path):
    """Every helpers module that a source file imports (absolute or relative), anywhere in it."""
    tree = ast.parse(path.read_text())
    package = ".".join(path.relative_to(HELPERS.parent).with_suffix("").parts[:-1])
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [a.name for a in node.names if a.name.split(".")[0] == "helpers"]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(package.split(".")[: len(package.split(".")) - node.level + 1] + ([base] if base else []))
            if base.split(".")[0] == "helpers":
                found += [base] + [f"{base}.{a.name}" for a in node.names]
    return found


SOURCES = sorted(p for p in HELPERS.rglob("*.py"))


def test_the_three_layers_exist_and_the_engine_sits_on_top():
    engine = {p.stem for p in HELPERS.glob("*.py")} - {"__init__"}
    assert {"optim", "schedules", "surfaces", "descent", "gradcheck", "autodiff", "nn", "data"} <= engine
    assert (HELPERS / "display" / "widgets.py").exists() and (HELPERS / "lessons" / "playground.py").exists()


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(HELPERS)))
def test_imports_point_one_way(path):
    here = layer_of(".".join(path.relative_to(HELPERS.parent).with_suffix("").parts))
    for module in helpers_imports(path):
        there = layer_of(module)
        assert LAYER[there] <= LAYER[here], f"{path.name} ({here}) imports {module} ({there})"


def test_the_direction_check_can_fail(tmp_path):
    bad = HELPERS / "_layout_probe.py"
    try:
        bad.write_text("from helpers.lessons import arena\n")
        here = layer_of("helpers._layout_probe")
        assert any(LAYER[layer_of(m)] > LAYER[here] for m in helpers_imports(bad))
    finally:
        bad.unlink()
