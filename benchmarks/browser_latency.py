"""Key press on a playground slider -> the new picture painted, in headless Chromium, under JupyterLab and
under Voila (`make app`), for the canvas figure (drawn in the browser, the default) and the older JPEG
path (frames drawn by matplotlib in the kernel), in one run; and the bytes one recompute sends.

For each front end and each figure: start the server (127.0.0.1, free port, no token), open the
playground in headless Debian Chromium, press a momentum key once in the default (tuned) mode and count
the bytes the page's websockets receive for it (the recompute at the default settings); switch to one
shared learning rate; then press ArrowRight/ArrowLeft, one key at a time, on the learning-rate slider,
the step slider and the momentum slider, and print the median and 90th percentile of the time from the
keydown event to the first paint that shows the new picture (measured in the page: tests/browser/
labdriver.PROBE), and how many of those pictures were drawn before any kernel message arrived. Last,
the steps slider to its end (500 steps, the largest payload) and one more momentum press's bytes.

Budgets (canvas): learning-rate and step slider median <= 16 ms, any other slider <= 60 ms; a recompute
sends at most 1 MB at the default settings and 4 MB at the largest. The JPEG path's old budget was
80 ms; it is printed beside for comparison. Medians on this 2-core machine; run it when it is quiet.

Run:  .venv/bin/python benchmarks/browser_latency.py [--presses 25] [--only lab|voila] [--figure canvas|jpeg]
"""

import argparse
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "browser"))

from labdriver import (chromium_page, jupyter_lab, open_and_run_all, open_app, press_on_slider,  # noqa: E402
                       voila_app)
from test_playground_browser import share_one_rate  # noqa: E402

SLIDERS = {"learning rate": "downhill-lr", "show step": "downhill-control-show_step",
           "momentum": "downhill-control-momentum"}
BUDGET_MS = {"canvas": {"learning rate": 16.0, "show step": 16.0, "momentum": 60.0},
             "jpeg": {"learning rate": 80.0, "show step": 80.0, "momentum": 80.0}}
BUDGET_BYTES = {"default": 1 * 1024 * 1024, "largest": 4 * 1024 * 1024}


def presses(page, css_class, n):
    """n key presses on one slider, alternating (the step slider starts at its end, so left first):
    (latencies in ms, kernel messages seen)."""
    keys = ("ArrowLeft", "ArrowRight") if css_class.endswith("show_step") else ("ArrowRight", "ArrowLeft")
    press_on_slider(page, css_class, keys[0])  # warm-up press, not counted
    press_on_slider(page, css_class, keys[1])
    out, kernel = [], []
    for i in range(n):
        changed, ms, messages = press_on_slider(page, css_class, keys[i % 2], kernel=True)
        if changed and ms is not None:
            out.append(ms)
            kernel.append(messages)
        page.wait_for_timeout(150)
    return out, kernel


def recompute_bytes(page, received):
    """Bytes the page's websockets receive for one momentum key press (a recompute), settled."""
    before = len(received)
    press_on_slider(page, "downhill-control-momentum", "ArrowLeft")
    page.wait_for_timeout(1500)
    total = sum(received[before:])
    press_on_slider(page, "downhill-control-momentum", "ArrowRight")
    page.wait_for_timeout(1500)
    return total


def summary(latencies, kernel):
    if not latencies:
        return None
    q = statistics.quantiles(latencies, n=10) if len(latencies) > 1 else [latencies[0]]
    return {"n": len(latencies), "median": statistics.median(latencies), "p90": q[-1],
            "min": min(latencies), "max": max(latencies), "no_kernel": sum(1 for m in kernel if m == 0)}


def measure(front_end, figure, n):
    results = {}
    server = jupyter_lab(renderer=figure) if front_end == "lab" else voila_app(renderer=figure)
    with server as url, chromium_page() as page:
        received = []
        page.on("websocket", lambda ws: ws.on("framereceived", lambda payload: received.append(len(payload))))
        (open_and_run_all if front_end == "lab" else open_app)(page, url)
        page.wait_for_timeout(1000)
        results["bytes default"] = recompute_bytes(page, received)
        share_one_rate(page)
        for name, css_class in SLIDERS.items():
            results[name] = summary(*presses(page, css_class, n))
        handle = page.locator(".downhill-control-steps .noUi-handle").first
        handle.focus()
        page.keyboard.press("End")     # 500 steps: the largest arrays
        page.wait_for_timeout(3000)
        results["bytes largest"] = recompute_bytes(page, received)
    return results


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--presses", type=int, default=25)
    parser.add_argument("--only", choices=("lab", "voila"))
    parser.add_argument("--figure", choices=("canvas", "jpeg"))
    args = parser.parse_args(argv)
    ok = True
    for front_end in ("voila", "lab"):
        if args.only and front_end != args.only:
            continue
        name = {"lab": "JupyterLab", "voila": "Voila (make app)"}[front_end]
        for figure in ("canvas", "jpeg"):
            if args.figure and figure != args.figure:
                continue
            what = "canvas, drawn in the browser" if figure == "canvas" else "JPEG frames from the kernel"
            print(f"{name} + Chromium, {what}: key press -> new picture painted, {args.presses} presses per slider")
            r = measure(front_end, figure, args.presses)
            for slider in SLIDERS:
                s, budget = r[slider], BUDGET_MS[figure][slider]
                if s is None:
                    print(f"  {slider:<14} no picture change was seen")
                    ok = False
                    continue
                met = s["median"] <= budget
                if figure == "canvas":
                    ok &= met
                print(f"  {slider:<14} median {s['median']:5.1f} ms   p90 {s['p90']:5.1f} ms   min {s['min']:.1f}   "
                      f"max {s['max']:.0f}   drawn before any kernel message: {s['no_kernel']}/{s['n']}   "
                      f"budget median <= {budget:.0f} ms: {'met' if met else 'NOT met'}")
            for key, label in (("bytes default", "default settings"), ("bytes largest", "500 steps")):
                size, budget = r[key], BUDGET_BYTES[key.split()[1]]
                met = size <= budget
                if figure == "canvas":
                    ok &= met
                print(f"  one recompute at the {label}: {size / 1e6:.2f} MB received "
                      f"(budget {budget / 1048576:.0f} MB: {'met' if met else 'NOT met'})")
    print("rerun: .venv/bin/python benchmarks/browser_latency.py")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
