"""How long notebook 09's arenas take from a slider move to a new frame, in the kernel.

Budget (notebook 09): a slider move answers within 0.5 s, at the explorers' longest settings. Each
sample moves one control to a value not yet seen (no cached frame), and the explorer's own clock
(`last_render_seconds`) times the whole frame path: settings -> pure frame function -> new line
data -> blit -> JPEG in the ipywidgets.Image. The surface arena also switches surface, the slowest
kind of move (the contour background is redrawn).

Run:  .venv/bin/python benchmarks/explorer_frames.py [--samples 12]
"""

from __future__ import annotations

import argparse
import sys

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402

from helpers.lessons import arena  # noqa: E402
from helpers.lessons.arena_explorers import NetworkArena, SurfaceArena  # noqa: E402
from helpers.display.plotting import use_style  # noqa: E402
from helpers.surfaces import SURFACES  # noqa: E402

BUDGET_S = 0.5
COMMAND = ".venv/bin/python benchmarks/explorer_frames.py"


def timed_moves(explorer, changes):
    seconds = []
    for change in changes:
        explorer.set(**change)
        if explorer.last_error is not None:
            raise RuntimeError(f"{type(explorer).__name__} failed at {change}: {explorer.last_error}")
        seconds.append(explorer.last_render_seconds)
    return np.array(seconds)


def measure(samples=12):
    """{explorer: array of seconds per uncached move}."""
    surf = SurfaceArena(steps=SurfaceArena.max_steps, schedule="cosine", warmup=100)
    names = list(SURFACES)
    surface_moves = [dict(surface=names[i % len(names)]) for i in range(1, samples + 1)]
    lr_moves = [dict(lr_adam=float(v)) for v in np.geomspace(0.01, 0.3, samples)]
    task = arena.network_task()
    net = NetworkArena(task, steps=task.max_steps, schedule="cosine", warmup=50)
    net_moves = [dict(lr_adam=float(v)) for v in np.geomspace(0.02, 0.3, samples)]
    return {
        "surface arena, surface switch": timed_moves(surf, surface_moves),
        "surface arena, learning rate": timed_moves(surf, lr_moves),
        "network arena, learning rate": timed_moves(net, net_moves),
    }


def report(title, measure, command, argv=None, width=32):
    """Parse --samples, print each kind of move's median and p90 beside the budget; 0 if all met."""
    parser = argparse.ArgumentParser(description=title)
    parser.add_argument("--samples", type=int, default=12)
    args = parser.parse_args(argv)
    use_style()
    ok = True
    print(f"{title}, {args.samples} moves each")
    for label, seconds in measure(args.samples).items():
        med, p90 = np.median(seconds), np.percentile(seconds, 90)
        met = med <= BUDGET_S
        ok &= met
        print(f"  {label:<{width}} median {med * 1e3:6.0f} ms   p90 {p90 * 1e3:6.0f} ms   "
              f"budget median <= {BUDGET_S * 1e3:.0f} ms: {'met' if met else 'NOT met'}")
    print(f"rerun: {command}")
    return 0 if ok else 1


def main(argv=None):
    return report("notebook 09 arenas: slider move -> new frame, longest settings", measure, COMMAND, argv)


if __name__ == "__main__":
    sys.exit(main())
