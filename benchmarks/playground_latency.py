"""How long the playground takes from a slider change to a frame ready to send, in the kernel.

Budget (the playground issue): at most 25 ms median with four optimizers x 200 steps on
Rosenbrock. Each sample moves the learning-rate slider to a new value (so every run is
recomputed: the run cache is cleared) and times the whole redraw: settings -> descent ->
new line data -> blit -> JPEG bytes in the ipywidgets.Image.

It also times the other rendering paths that were considered, on the same figure, so the
choice stays checkable:
  full-draw   the same persistent figure redrawn completely each time (no blitting)
  png         blitting, but PNG instead of JPEG

Run:  .venv/bin/python benchmarks/playground_latency.py [--samples 60]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402

from helpers.display.plotting import use_style  # noqa: E402
from helpers.lessons import playground  # noqa: E402

BUDGET_MS = 25.0
COMMAND = ".venv/bin/python benchmarks/playground_latency.py"


def _lr_values(n):
    # sweep the slider over a stable range, back and forth, so every sample is a new value
    up = np.geomspace(5e-4, 2e-3, n // 2 + 1)
    return np.concatenate([up, up[::-1][1:]])[:n]


def measure(samples=60, mode="blit-jpeg"):
    """Median and 90th percentile (ms) of slider-change-to-frame-ready, for one rendering path."""
    pg = playground.Playground()
    assert len(pg.settings()) and pg.last_error is None
    if mode == "png":
        pg.image_format = "png"
        pg.image.format = "png"
    times = []
    for lr in _lr_values(samples + 5):
        playground._runs.cache_clear()
        start = time.perf_counter()
        if mode == "full-draw":
            with pg.hold(request=False):
                pg.controls["lr"].value = float(lr)
            frame = pg.compute(pg.settings())
            pg.draw(frame)
            for a in pg.moving_artists():
                a.set_animated(False)
            pg.figure.canvas.draw()
            pg.image.value = pg.blit.encode(np.asarray(pg.figure.canvas.buffer_rgba()))
            for a in pg.moving_artists():
                a.set_animated(True)
        else:
            pg.controls["lr"].value = float(lr)  # the observer renders (no event loop: at once)
        times.append(time.perf_counter() - start)
        assert pg.last_error is None and not pg.last_warnings, (pg.last_error, pg.last_warnings)
    times = np.array(times[5:]) * 1e3  # the first few warm caches up
    return float(np.median(times)), float(np.percentile(times, 90))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=60)
    parser.add_argument("--all", action="store_true", help="also time the rejected rendering paths")
    args = parser.parse_args(argv)
    use_style()
    modes = ["blit-jpeg", "png", "full-draw"] if args.all else ["blit-jpeg"]
    print("playground, 4 optimizers x 200 steps on Rosenbrock, learning-rate slider moves")
    result = None
    for mode in modes:
        med, p90 = measure(args.samples, mode)
        result = result or med
        print(f"  {mode:<10} median {med:6.1f} ms   p90 {p90:6.1f} ms   ({args.samples} changes)")
    ok = result <= BUDGET_MS
    print(f"budget: median <= {BUDGET_MS:.0f} ms (blit-jpeg, the path used): {'met' if ok else 'NOT met'}")
    print(f"rerun: {COMMAND}{' --all' if args.all else ''}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
