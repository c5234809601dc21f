"""How long notebook 07's rate-map explorer takes from a slider move to a new frame, in the kernel.

Budget (the same as notebook 09's arenas): a slider move answers within 0.5 s. Two kinds of move:
the marked (lr, beta), which reuses the cached map and makes one 300-step run; and a new condition
number, never seen before (no cached map), which makes the whole map's batched run (2000 runs of
300 steps) and its measurement. The explorer's own clock (`last_render_seconds`) times the whole
frame path: settings -> pure frame function -> new image and line data -> blit -> JPEG.

Run:  .venv/bin/python benchmarks/rate_map_explorer.py [--samples 12]
"""

from __future__ import annotations

import sys

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402

from helpers.lessons.momentum_explorer import RateMapExplorer  # noqa: E402

from explorer_frames import report, timed_moves  # noqa: E402  (the same budget and clock as 09's arenas)

COMMAND = ".venv/bin/python benchmarks/rate_map_explorer.py"


def measure(samples=12):
    """{kind of move: array of seconds per move}."""
    explorer = RateMapExplorer()
    marker = [dict(lr=float(lr), beta=float(b)) for lr, b in
              zip(np.linspace(0.1, 3.9, samples), np.linspace(0.0, 0.95, samples))]
    # condition numbers off the slider's 0.05-decade steps, so none is in the cache yet
    kappa = [dict(condition_number=float(k)) for k in np.geomspace(2.013, 987.0, samples)]
    return {"marked (lr, beta)": timed_moves(explorer, marker), "new condition number": timed_moves(explorer, kappa)}


def main(argv=None):
    return report("notebook 07 rate-map explorer: slider move -> new frame", measure, COMMAND, argv, width=24)


if __name__ == "__main__":
    sys.exit(main())
