"""Learning-rate schedules: functions of the step count t = 0, 1, 2, ...

Each factory returns a ``Schedule``, a callable ``t -> lr`` giving the learning
rate for the update made at step t (t = the number of updates done before it,
``state.step`` in helpers.optim). It accepts an int or an integer array and
works elementwise, so ``sched(np.arange(500))`` gives the whole curve.
Pass one as ``lr`` to any optimizer in helpers.optim.

    constant(lr)                         lr_t = lr
    step_decay(lr, step_size, gamma)     lr_t = lr * gamma ** floor(t / step_size)
    exponential(lr, gamma)               lr_t = lr * gamma ** t
    cosine(lr_max, T, lr_min)            lr_t = lr_min + (lr_max - lr_min) (1 + cos(pi t / T)) / 2,
                                         held at lr_min for t >= T
    warmup_cosine(lr_max, W, T, lr_min)  lr_t = lr_max (t + 1) / W for t < W (linear warmup),
                                         then cosine from lr_max at t = W to lr_min at t = T,
                                         held at lr_min for t >= T

    one_cycle(max_lr, T, ...)            torch's OneCycleLR: up from max_lr / div_factor to max_lr over the
                                         first pct_start of the run, then down to a far smaller rate

gamma is a decay factor in (0, 1]: a larger one would grow lr_t until it overflowed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np

from helpers import validation as check


@dataclass(frozen=True)
class Schedule:
    """A learning-rate schedule: call it with a step t (int or int array)."""

    name: str
    params: dict
    rule: Callable

    def __call__(self, t):
        t_arr = np.asarray(t)
        if t_arr.dtype.kind not in "iuf":
            check.fail("t", t, "a step count >= 0", wrong_kind=True)
        if t_arr.dtype.kind == "f" and not np.all(np.isfinite(t_arr)):
            raise ValueError(f"t must be a step count >= 0, got t={t!r}")
        if np.any(t_arr < 0):
            raise ValueError(f"t must be a step count >= 0, got t={t!r}")
        with np.errstate(over="ignore", invalid="ignore"):
            lr = self.rule(t_arr.astype(float))
        if not np.all(np.isfinite(lr)):   # only a learning rate near the float limit gets here
            raise ValueError(f"the learning rate must stay finite, but {self!r} overflows for t={t!r}: "
                             "take a smaller lr")
        return lr if lr.ndim else lr[()]

    def __repr__(self):
        args = ", ".join(f"{k}={v!r}" for k, v in self.params.items())
        return f"{self.name}({args})"


# ---------------------------------------------------------------- validation

def _rate(name, value):
    return check.finite_number(name, value, minimum=0)


def _decay(name, value):
    """A decay factor in (0, 1]: a factor above 1 would grow lr_t until it overflows."""
    return check.finite_number(name, value, minimum=0, strict=True, maximum=1)


def _lr_range(lr_max, lr_min):
    lr_max, lr_min = _rate("lr_max", lr_max), _rate("lr_min", lr_min)
    if lr_min > lr_max:
        raise ValueError(f"lr_min must be <= lr_max={lr_max!r}, got lr_min={lr_min!r}")
    return lr_max, lr_min


def _cosine(t, lr_max, lr_min, start, end):
    """Cosine from lr_max at t = start down to lr_min at t = end, held after."""
    frac = np.clip((t - start) / (end - start), 0.0, 1.0)
    return lr_min + (lr_max - lr_min) * (1 + np.cos(np.pi * frac)) / 2


# ----------------------------------------------------------------- factories

def constant(lr) -> Schedule:
    """lr_t = lr for every t."""
    lr = _rate("lr", lr)
    return Schedule("constant", {"lr": lr}, lambda t: np.full(t.shape, lr))


def step_decay(lr, step_size, gamma=0.1) -> Schedule:
    """lr_t = lr * gamma ** floor(t / step_size): multiply by gamma every step_size steps."""
    lr, gamma = _rate("lr", lr), _decay("gamma", gamma)
    step_size = check.integer("step_size", step_size, minimum=1)
    return Schedule("step_decay", {"lr": lr, "step_size": step_size, "gamma": gamma},
                    lambda t: lr * gamma ** np.floor(t / step_size))


def exponential(lr, gamma) -> Schedule:
    """lr_t = lr * gamma ** t: multiply by gamma every step."""
    lr, gamma = _rate("lr", lr), _decay("gamma", gamma)
    return Schedule("exponential", {"lr": lr, "gamma": gamma}, lambda t: lr * gamma ** t)


def cosine(lr_max, total_steps, lr_min=0.0) -> Schedule:
    """lr_t = lr_min + (lr_max - lr_min) (1 + cos(pi t / T)) / 2 for t < T, lr_min after."""
    lr_max, lr_min = _lr_range(lr_max, lr_min)
    total = check.integer("total_steps", total_steps, minimum=1)
    return Schedule("cosine", {"lr_max": lr_max, "total_steps": total, "lr_min": lr_min},
                    lambda t: _cosine(t, lr_max, lr_min, 0, total))


def warmup_cosine(lr_max, warmup_steps, total_steps, lr_min=0.0) -> Schedule:
    """Linear warmup, then cosine decay.

    lr_t = lr_max (t + 1) / W                 for t < W   (near zero at t = 0, lr_max at t = W - 1)
    lr_t = cosine from lr_max at t = W to lr_min at t = T
    lr_t = lr_min                             for t >= T
    """
    lr_max, lr_min = _lr_range(lr_max, lr_min)
    warmup = check.integer("warmup_steps", warmup_steps, minimum=0)
    total = check.integer("total_steps", total_steps, minimum=1)
    if warmup >= total:
        raise ValueError(f"warmup_steps must be < total_steps={total}, "
                         f"got warmup_steps={warmup_steps!r}")

    def rule(t):
        ramp = lr_max * (t + 1) / max(warmup, 1)
        return np.where(t < warmup, ramp, _cosine(t, lr_max, lr_min, warmup, total))

    return Schedule("warmup_cosine", {"lr_max": lr_max, "warmup_steps": warmup,
                                      "total_steps": total, "lr_min": lr_min}, rule)


def one_cycle(max_lr, total_steps, pct_start=0.3, anneal_strategy="cos", div_factor=25.0,
              final_div_factor=1e4, three_phase=False) -> Schedule:
    """The one-cycle schedule (Smith & Topin 2018) as torch.optim.lr_scheduler.OneCycleLR defines
    it, for the learning rate only (torch can also cycle the momentum; here momentum stays fixed).

    With initial = max_lr / div_factor and min = initial / final_div_factor, and p = pct_start * T:

        two phases:   initial -> max_lr   over steps 0 .. p - 1,
                      max_lr  -> min      over steps p - 1 .. T - 1
        three phases: initial -> max_lr   over 0 .. p - 1,   max_lr -> initial  over p - 1 .. 2p - 2,
                      initial -> min      over 2p - 2 .. T - 1

    each leg a half cosine (anneal_strategy "cos") or a straight line ("linear"). torch refuses a step
    past T - 1; this schedule holds min there.
    """
    max_lr = _rate("max_lr", max_lr)
    total = check.integer("total_steps", total_steps, minimum=2)
    pct = check.finite_number("pct_start", pct_start, minimum=0, strict=True, maximum=1)
    check.choice("anneal_strategy", anneal_strategy, ["cos", "linear"])
    div = check.finite_number("div_factor", div_factor, minimum=0, strict=True)
    final_div = check.finite_number("final_div_factor", final_div_factor, minimum=0, strict=True)
    three = check.boolean("three_phase", three_phase)
    initial = max_lr / div
    low = initial / final_div
    rise_end = float(pct * total) - 1
    if three:
        legs = [(rise_end, initial, max_lr), (float(2 * pct * total) - 2, max_lr, initial),
                (total - 1, initial, low)]
    else:
        legs = [(rise_end, initial, max_lr), (total - 1, max_lr, low)]
    ends = [end for end, _, _ in legs]
    if not all(b > a for a, b in zip([0.0] + ends, ends)):
        raise ValueError(f"pct_start={pct_start!r} leaves a phase of no steps for total_steps={total}: "
                         f"the phases end at steps {ends}")

    def anneal(start, end, frac):
        if anneal_strategy == "linear":
            return (end - start) * frac + start
        return end + (start - end) / 2.0 * (np.cos(np.pi * frac) + 1)

    def rule(t):
        t = np.minimum(t, total - 1)
        lr, begin, placed = np.zeros(t.shape), 0.0, np.zeros(t.shape, dtype=bool)
        for i, (end, start_lr, end_lr) in enumerate(legs):
            here = ~placed & ((t <= end) | (i == len(legs) - 1))     # torch's test, leg by leg
            lr = np.where(here, anneal(start_lr, end_lr, (t - begin) / (end - begin)), lr)
            placed |= here
            begin = end
        return lr

    return Schedule("one_cycle", {"max_lr": max_lr, "total_steps": total, "pct_start": pct,
                                  "anneal_strategy": anneal_strategy, "div_factor": div,
                                  "final_div_factor": final_div, "three_phase": three}, rule)
