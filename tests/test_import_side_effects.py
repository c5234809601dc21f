"""Importing any helpers module must change nothing: no rcParams, no figures, no seeding."""
import pkgutil
import subprocess
import sys

import helpers

MODULES = sorted(m.name for m in pkgutil.walk_packages(helpers.__path__, "helpers."))

PROBE = r"""
import sys, importlib, random
import numpy as np
import matplotlib
matplotlib.use("Agg")
import matplotlib as mpl
before = dict(mpl.rcParams)
np.random.seed(12345); random.seed(12345)
np_state = np.random.get_state()[1].copy(); py_state = random.getstate()
for name in sys.argv[1:]:   # one at a time, checking after each, so a failure names its module
    importlib.import_module(name)
    changed = sorted(k for k, v in mpl.rcParams.items() if before.get(k) != v and k != "backend")
    assert not changed, f"{name}: rcParams changed on import: {changed}"
    assert (np.random.get_state()[1] == np_state).all(), f"{name}: NumPy's global random state changed"
    assert random.getstate() == py_state, f"{name}: Python's random state changed"
    if "matplotlib.pyplot" in sys.modules:
        import matplotlib.pyplot as plt
        assert not plt.get_fignums(), f"{name}: a figure was created on import"
print("clean")
"""


def test_there_are_modules_to_check():
    assert {"helpers.optim", "helpers.surfaces", "helpers.display.plotting"} <= set(MODULES)


def test_every_module_imports_without_side_effects():
    out = subprocess.run([sys.executable, "-c", PROBE, *MODULES], capture_output=True, text=True)
    assert out.returncode == 0 and out.stdout.strip() == "clean", out.stderr[-2000:]
