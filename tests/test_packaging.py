"""`pip install .` outside the repository gives a working package: a wheel named downhill, its
dependencies declared, and every explorer constructed from the installed copy."""
import os
import subprocess
import sys
import textwrap
import zipfile
from email.parser import Parser
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

BUILD_ALL = textwrap.dedent("""
    import importlib, pkgutil, sys
    import matplotlib
    matplotlib.use("Agg")
    import numpy as np
    import helpers
    from helpers import data
    from helpers.display.widgets import Explorer
    assert "{root}" not in helpers.__file__, helpers.__file__     # the installed copy, not the repo's
    for m in pkgutil.walk_packages(helpers.__path__, "helpers."):
        importlib.import_module(m.name)
    def subclasses(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from subclasses(sub)
    built = []
    for cls in sorted(set(subclasses(Explorer)), key=lambda c: c.__name__):  # only helpers defines any here
        rng = np.random.default_rng(0)
        if cls.__name__ in ("BatchSizeExplorer", "ScheduleExplorer"):
            ex = cls(*data.linear_regression(n=200, slope=2.0, rng=rng))
        else:
            ex = cls()
        assert ex.last_error is None, (cls.__name__, ex.last_error)
        built.append(cls.__name__)
    print("built", len(built), " ".join(built))
""")


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", str(out), str(ROOT)],
                   check=True, capture_output=True)
    wheels = list(out.glob("*.whl"))
    assert len(wheels) == 1
    return wheels[0]


def test_the_wheel_is_downhill_and_declares_what_the_explorers_import(wheel):
    assert wheel.name.startswith("downhill-")
    with zipfile.ZipFile(wheel) as z:
        meta = next(n for n in z.namelist() if n.endswith(".dist-info/METADATA"))
        requires = Parser().parsestr(z.read(meta).decode()).get_all("Requires-Dist")
        names = z.namelist()
    declared = {r.split(">")[0].split("<")[0].split("=")[0].split(";")[0].strip().lower() for r in requires}
    assert {"numpy", "matplotlib", "ipywidgets"} <= declared
    assert "helpers/lessons/playground.py" in names and "helpers/display/widgets.py" in names
    assert not any(n.startswith(("tests/", "notebooks/")) for n in names)


def test_an_installed_wheel_runs_every_explorer_outside_the_repository(wheel, tmp_path):
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    python = venv / "bin" / "python"
    subprocess.run([str(python), "-m", "pip", "install", "--quiet", str(wheel)], check=True,
                   capture_output=True)
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    done = subprocess.run([str(python), "-c", BUILD_ALL.replace("{root}", str(ROOT))], cwd=tmp_path,
                          env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-3000:]
    assert done.stdout.split()[2:] == repository_explorers(), done.stdout


def repository_explorers():
    """The names of every Explorer in this checkout's helpers (the list the extremes test walks)."""
    from test_explorer_extremes import EXPLORERS   # tests/ is on sys.path under pytest

    names = sorted({c.__name__ for c in EXPLORERS if c.__module__.startswith("helpers.")})
    assert len(names) >= 9 and "Playground" in names
    return names
