"""Key press on a playground slider -> the new picture painted, in headless Chromium, under JupyterLab and
under Voila (`make app`), in one run.

For each front end: start the server (127.0.0.1, free port, no token), open the playground in headless
Debian Chromium, switch it to one shared learning rate (the default runs each optimizer at its own best
rate), then press ArrowRight/ArrowLeft, one key at a
time, on the learning-rate slider and on the momentum slider, and print the median and 90th percentile
of the time from the keydown event to the new image decoded and painted (measured in the page), beside
the budget. Budget of this path (JPEG frames from the kernel): median <= 80 ms.

The learning-rate key presses cost no descent in the kernel (every slider rate is computed in one
batched sweep when another setting changes, helpers.lessons.playground.lr_sweep); the momentum presses
each start that sweep (61 rates x 4 optimizers), so they show the cost of a recompute.

Run:  .venv/bin/python benchmarks/browser_latency.py [--presses 25] [--only lab|voila]
"""

import argparse
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "browser"))

from labdriver import (chromium_page, jupyter_lab, open_and_run_all, open_app, press_on_slider,  # noqa: E402
                       voila_app)
from test_playground_browser import share_one_rate  # noqa: E402

BUDGET_MS = 80.0
SLIDERS = {"learning rate": "downhill-lr", "momentum": "downhill-control-momentum"}


def presses(page, css_class, n):
    """n key presses on one slider, alternating right and left; the latencies seen (ms)."""
    press_on_slider(page, css_class)  # warm-up press, not counted
    out = []
    for i in range(n):
        changed, ms = press_on_slider(page, css_class, "ArrowLeft" if i % 2 else "ArrowRight")
        if changed and ms is not None:
            out.append(ms)
        page.wait_for_timeout(150)
    return out


def summary(latencies):
    if not latencies:
        return None
    q = statistics.quantiles(latencies, n=10) if len(latencies) > 1 else [latencies[0]]
    return {"n": len(latencies), "median": statistics.median(latencies), "p90": q[-1],
            "min": min(latencies), "max": max(latencies)}


def measure(front_end, n):
    results = {}
    server = jupyter_lab() if front_end == "lab" else voila_app()
    with server as url, chromium_page() as page:
        (open_and_run_all if front_end == "lab" else open_app)(page, url)
        share_one_rate(page)
        for name, css_class in SLIDERS.items():
            results[name] = summary(presses(page, css_class, n))
    return results


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--presses", type=int, default=25)
    parser.add_argument("--only", choices=("lab", "voila"))
    args = parser.parse_args(argv)
    ok = True
    for front_end in ("lab", "voila"):
        if args.only and front_end != args.only:
            continue
        name = {"lab": "JupyterLab", "voila": "Voila (make app)"}[front_end]
        print(f"{name} + Chromium, key press -> new picture painted (JPEG from the kernel), "
              f"{args.presses} presses per slider")
        for slider, s in measure(front_end, args.presses).items():
            if s is None:
                print(f"  {slider:<14} no picture change was seen")
                ok = False
                continue
            met = s["median"] <= BUDGET_MS
            ok &= met
            print(f"  {slider:<14} median {s['median']:5.0f} ms   p90 {s['p90']:5.0f} ms   min {s['min']:.0f}   "
                  f"max {s['max']:.0f}   budget median <= {BUDGET_MS:.0f} ms: {'met' if met else 'NOT met'}")
    print("rerun: .venv/bin/python benchmarks/browser_latency.py")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
