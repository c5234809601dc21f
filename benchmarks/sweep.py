"""How fast is a batched learning-rate sweep with helpers.optim?

K runs, one learning rate each, on a quadratic with D parameters, for STEPS
steps; each optimizer (Adam, SGD + momentum) timed three ways:

  helpers  helpers.optim with lr of shape (K, 1): one NumPy op per step for all runs
  inline   the same arithmetic written out in NumPy, in the textbook form
           (m = b1*m + (1-b1)*g, ...): the floor a hand-written loop reaches
  bare     helpers' own update functions with the step's promises stripped: no argument checks,
           no np.errstate (a diverging run would warn), the state still a new NamedTuple. What
           the same calls cost with nothing around them: how much of the gap the promises make
  torch    torch.optim with one parameter group per run, stepped in a loop
           (only when torch is importable; torch is not a project dependency)

Helpers and inline run in alternating pairs; the budget is on the median of the pairs' ratios,
at four sizes (16, 200 and 2000 runs of 2 parameters, 64 runs of 300): helpers/inline <= 0.8.
Rerun with:

    .venv/bin/python benchmarks/sweep.py
"""

from __future__ import annotations

import time

import numpy as np

from helpers import optim
from helpers.optim import SGD, Adam

K, D, STEPS = 64, 300, 500
COMMAND = ".venv/bin/python benchmarks/sweep.py"


def problem(k=K, d=D, seed=0):
    """Curvatures a, centres c (both (k, d)), start p0 (k, d), learning rates (k, 1)."""
    rng = np.random.default_rng(seed)
    a = np.tile(rng.uniform(0.1, 1.0, d), (k, 1))
    c = np.tile(rng.normal(size=d), (k, 1))
    p0 = np.zeros((k, d))
    lrs = np.logspace(-3, -1, k)[:, None]
    return a, c, p0, lrs


def grad(p, a, c):
    """Gradient of sum a (p - c)^2 / 2."""
    return a * (p - c)


def make_optimizer(name, lrs):
    return Adam(lr=lrs) if name == "adam" else SGD(lr=lrs, momentum=0.9)


def helpers_sweep(name, a, c, p0, lrs, steps=STEPS):
    opt = make_optimizer(name, lrs)
    p, state = p0, opt.init(p0)
    for _ in range(steps):
        p, state = opt.step(p, grad(p, a, c), state)
    return p


def bare_sweep(name, a, c, p0, lrs, steps=STEPS):
    opt = make_optimizer(name, lrs)
    p, state = p0, opt.init(p0)
    if name == "adam":
        lr, update = opt._lr(p0.shape, 0), optim._adam_step.__wrapped__
        b1, b2 = opt.betas
        for _ in range(steps):
            p, state = update(p, grad(p, a, c), state, lr, b1, b2, opt.eps, False, opt._one_minus)
        return p
    neg_lr, update = opt._neg_lr.to(p0.shape), optim.SGD._update.__wrapped__
    for _ in range(steps):
        p, state = update(opt, p, grad(p, a, c), neg_lr, state)
    return p


def inline_sweep(name, a, c, p0, lrs, steps=STEPS):
    p = p0
    if name == "adam":
        b1, b2, eps = 0.9, 0.999, 1e-8
        m, v = np.zeros_like(p0), np.zeros_like(p0)
        for t in range(1, steps + 1):
            g = grad(p, a, c)
            m = b1 * m + (1 - b1) * g
            v = b2 * v + (1 - b2) * g * g
            m_hat = m / (1 - b1**t)
            v_hat = v / (1 - b2**t)
            p = p - lrs * m_hat / (np.sqrt(v_hat) + eps)
        return p
    b = None
    for _ in range(steps):
        g = grad(p, a, c)
        b = g if b is None else 0.9 * b + g
        p = p - lrs * b
    return p


def torch_sweep(name, a, c, p0, lrs, steps=STEPS):
    import torch

    params = [torch.tensor(row, dtype=torch.float64) for row in p0]
    a_t = [torch.tensor(row) for row in a]
    c_t = [torch.tensor(row) for row in c]
    groups = [{"params": [p], "lr": float(lr)} for p, lr in zip(params, lrs[:, 0])]
    opt = torch.optim.Adam(groups) if name == "adam" else torch.optim.SGD(groups, momentum=0.9)
    with torch.no_grad():
        for _ in range(steps):
            for p, ak, ck in zip(params, a_t, c_t):
                p.grad = ak * (p - ck)
            opt.step()
    return np.stack([p.numpy() for p in params])


def best_time(fn, repeats):
    best = np.inf
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def measure(name, k=K, d=D, steps=STEPS, repeats=5, bare=False):
    """Seconds for helpers and inline (and bare, if asked), timed alternately ``repeats`` times each.

    Returns {"helpers": best, "inline": best, "ratios": helpers/inline of each alternating pair}, and
    with ``bare`` also "bare" and "bare_ratios": the pairs run back to back, so a burst of load on
    the machine slows both sides of a pair alike.
    """
    args = problem(k, d)
    sides = {"helpers": helpers_sweep, "inline": inline_sweep} | ({"bare": bare_sweep} if bare else {})
    expected = inline_sweep(name, *args, steps=steps)
    for fn in sides.values():
        np.testing.assert_allclose(fn(name, *args, steps=steps), expected, rtol=1e-9, atol=1e-12)
    best = {side: np.inf for side in sides} | {"ratios": [], "bare_ratios": []}
    for _ in range(repeats):   # alternate, so a burst of load hits both alike
        t = {side: best_time(lambda: fn(name, *args, steps=steps), 1) for side, fn in sides.items()}
        for side in sides:
            best[side] = min(best[side], t[side])
        best["ratios"].append(t["helpers"] / t["inline"])
        if bare:
            best["bare_ratios"].append(t["bare"] / t["inline"])
    return best


BUDGET_RATIO = 0.8    # helpers at most 0.8x the textbook arithmetic inline (the one-loop issue)
SIZES = [(16, 2, 2000), (200, 2, 2000), (2000, 2, 500), (64, 300, 200)]   # (runs K, parameters D, steps)


def main():
    try:
        import torch
    except ImportError:
        torch = None
    print("learning-rate sweep, float64: helpers.optim batched vs the same update written inline in NumPy;")
    print(f"9 alternating pairs per size, ratio = helpers / inline time of each pair; numpy {np.__version__}"
          + (f", torch {torch.__version__}" if torch else ", torch not installed (torch column skipped)"))
    print(f"{'optimizer':<16}{'K x D':>11}{'steps':>7}{'helpers':>10}{'inline':>10}"
          f"{'ratio median':>14}{'p90':>7}{'budget':>8}{'bare/inline':>13}{'torch/helpers':>15}")
    ok = True
    for name, label in [("adam", "Adam"), ("sgd_momentum", "SGD + momentum")]:
        for k, d, steps in SIZES:
            best = measure(name, k=k, d=d, steps=steps, repeats=9, bare=True)
            median, p90 = np.median(best["ratios"]), np.percentile(best["ratios"], 90)
            met = median <= BUDGET_RATIO
            ok &= met
            torch_ratio = "-"
            if torch is not None and (k, d) == (K, D):
                args = problem()
                np.testing.assert_allclose(torch_sweep(name, *args, steps=steps),
                                           helpers_sweep(name, *args, steps=steps), rtol=1e-9, atol=1e-12)
                torch_ratio = f"{best_time(lambda: torch_sweep(name, *args, steps=steps), 2) / best['helpers']:.1f}"
            print(f"{label:<16}{f'{k} x {d}':>11}{steps:>7}{best['helpers']:>9.3f}s{best['inline']:>9.3f}s"
                  f"{median:>14.2f}{p90:>7.2f}{'met' if met else 'MISSED':>8}{np.median(best['bare_ratios']):>13.2f}{torch_ratio:>15}")
    print(f"budget: helpers/inline median <= {BUDGET_RATIO} at every size: {'met' if ok else 'NOT met'}")
    print("bare/inline: helpers' own update with no argument checks and no np.errstate, the same pairs;"
          " where even it is above the budget, the NumPy calls themselves cost more than the budget allows")
    print(f"rerun: {COMMAND}")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
