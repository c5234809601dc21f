"""No slider position, however extreme, breaks an explorer or prints a warning.

Every Explorer in helpers is built as a notebook builds it, then each control is pushed to
its ends (sliders to min and max, every option of a menu, both states of a box), one at a
time and then all at once. A frame may explain itself on the figure ("diverged at step 37",
"Can't draw this: ..."), but it must never hit a bug (``last_error``) or let a warning out.
"""
import importlib
import logging
import pkgutil
import warnings

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pytest  # noqa: E402

import helpers  # noqa: E402
from helpers import data  # noqa: E402
from helpers.display.widgets import Explorer  # noqa: E402

for _module in pkgutil.walk_packages(helpers.__path__, "helpers."):
    importlib.import_module(_module.name)


def _subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


EXPLORERS = sorted(set(_subclasses(Explorer)), key=lambda c: c.__name__)


def build(cls):
    """An explorer as its notebook builds it (the two trained on data need the data)."""
    rng = np.random.default_rng(0)
    if cls.__name__ == "BatchSizeExplorer":
        x, y = data.linear_regression(n=200, slope=2.0, intercept=1.0, noise=0.5, rng=rng)
        return cls(x, y, examples=2000)
    if cls.__name__ == "ScheduleExplorer":
        x, y = data.linear_regression(n=200, slope=2.0, intercept=0.0, noise=0.5,
                                      x_range=(-2.0, 2.0), rng=rng)
        return cls(x, y, start=(3.0, 2.5), batch_size=20)
    return cls()


def extremes(control):
    """The values worth trying for one control widget."""
    if hasattr(control, "options") and control.options:
        values = list(getattr(control, "_options_values", None) or control.options)
        return [v[1] if isinstance(v, tuple) else v for v in values]
    if isinstance(control.value, bool):
        return [True, False]
    if hasattr(control, "min") and hasattr(control, "max"):
        if hasattr(control, "base"):   # FloatLogSlider: min and max are exponents
            return [control.base ** control.min, control.base ** control.max]
        return [control.min, control.max]
    return []


def test_every_explorer_is_covered():
    names = {c.__name__ for c in EXPLORERS}
    assert {"Playground", "LimitExplorer", "ZigZagExplorer", "FogExplorer", "BatchSizeExplorer",
            "ScheduleExplorer", "SurfaceArena", "NetworkArena", "FogWalkExplorer"} <= names


def assert_clean(explorer, where):
    assert explorer.last_error is None, f"{where}: {explorer.last_error!r}"
    assert explorer.last_warnings == [], f"{where}: {[str(w.message) for w in explorer.last_warnings]}"


@pytest.mark.parametrize("cls", EXPLORERS, ids=lambda c: c.__name__)
def test_controls_at_their_extremes(cls, caplog):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        explorer = build(cls)
        assert_clean(explorer, "default settings")
        renders = explorer.renders
        for name, control in explorer.controls.items():
            default = control.value
            for value in extremes(control):
                explorer.set(**{name: value})
                assert_clean(explorer, f"{name}={value!r}")
            explorer.set(**{name: default})
        highs = {n: extremes(c)[-1] for n, c in explorer.controls.items() if extremes(c)}
        explorer.set(**highs)
        assert_clean(explorer, f"all at once: {highs}")
    assert explorer.renders > renders
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
