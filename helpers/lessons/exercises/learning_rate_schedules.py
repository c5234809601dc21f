"""Self-checks for the exercises on learning-rate schedules and the large-batch rule.

* ``check_warmup_lr``: warmup_cosine(lr_max=0.4, warmup_steps=10, total_steps=110) at t = 4:
  linear warmup lr_max (t + 1) / W = 0.4 * 5 / 10 = 0.2.
* ``check_cosine_quarter``: cosine(lr_max=0.4, total_steps=100) at t = 25:
  0.4 (1 + cos(pi/4)) / 2 = 0.3414.
* ``check_scaled_lr``: base batch 32, lr 0.1; at batch 256 the large-batch rule gives
  lr = 0.1 * 256 / 32 = 0.8.
* ``check_largest_scale``: curvature L = 5, base lr 0.02; the scaled lr k * 0.02 must stay
  below 2 / L = 0.4, so the largest integer k is 19 (k = 20 sits exactly on the limit,
  where descent oscillates forever instead of converging).
* ``check_warmup_first_step``: the explorer's setting, peak 0.25 from (3, 2.5), where the sharpness
  is 30.6 (notebook 06 prints it). A warmup of W steps gives the first update lr_0 = 0.25 / W, and
  0.25 * 30.6 / W < 2 needs W > 3.83: the smallest whole W is 4. (The explorer's run survives with
  W = 3 too: its first step overshoots, onto flatter weights; the exercise asks for a stable first step.)
* ``check_decay_steps`` (a transfer: the notebook runs gamma = 0.985 for 300 steps only):
  exponential(0.1, gamma=0.99) falls below 1% of its peak, 0.001, first at t = 459, because
  0.99^t < 0.01 needs t > ln(0.01) / ln(0.99) = 458.2.

Checkers never raise on a wrong answer; they return a Feedback.
"""
from __future__ import annotations

import math

from helpers.display.feedback import check_number

__all__ = ["check_warmup_lr", "check_cosine_quarter", "check_scaled_lr", "check_largest_scale",
           "check_warmup_first_step", "check_decay_steps", "START_SHARPNESS"]

START_SHARPNESS = 30.6
"""The sharpness of the tiny network at the start (3, 2.5), as notebook 06 prints it."""


def check_warmup_lr(answer):
    """Learning rate of warmup_cosine(0.4, 10, 110) at t = 4."""
    return check_number(
        answer, 0.2, "t = 4 is the fifth update, so lr = 0.4 * (4 + 1) / 10 = 0.2.",
        slips=[
            (0.16, "that is 0.4 * 4 / 10: the warmup here uses (t + 1) / W so that the very "
                   "first update (t = 0) already moves, with lr_max / W, instead of lr = 0."),
            (0.4, "0.4 is the peak, reached only at t = W - 1 = 9; at t = 4 the warmup is half-way."),
        ],
        fallback=lambda v: f"got {v:.4g}. During warmup lr_t = lr_max * (t + 1) / W.",
        no_answer_message="replace None with the learning rate at t = 4, then run this cell again.")


def check_cosine_quarter(answer):
    """Learning rate of cosine(0.4, 100) at t = 25."""
    right = 0.4 * (1 + math.cos(math.pi / 4)) / 2
    return check_number(
        answer, right,
        f"0.4 * (1 + cos(pi/4)) / 2 = {right:.4f}: a quarter of the way through, the "
        "cosine has dropped only 15%, it decays slowly at first and last.",
        slips=[
            (0.3, "0.3 is a straight line from 0.4 to 0. The cosine schedule stays near the "
                  "peak longer: use lr_t = lr_max (1 + cos(pi t / T)) / 2."),
            (0.4 * math.cos(math.pi / 4), "that is 0.4 cos(pi/4): the schedule is (1 + cos(pi t / T)) / 2, so that "
                                          "it ends at 0 rather than at -0.4."),
            (0.2, "0.2 is the value half-way, at t = 50. At t = 25 the angle is pi/4."),
        ],
        fallback=lambda v: f"got {v:.4g}. Use lr_t = lr_max (1 + cos(pi t / T)) / 2 with t = 25, T = 100.",
        no_answer_message="replace None with the learning rate at t = 25, then run this cell again.")


def check_scaled_lr(answer):
    """Learning rate for batch 256 from lr 0.1 at batch 32 (the large-batch rule)."""
    return check_number(
        answer, 0.8, "k = 256 / 32 = 8, so lr = 8 * 0.1 = 0.8, reached after a warmup.",
        slips=[
            (0.1 * math.sqrt(8), "that is square-root scaling (lr * sqrt(k)), a different rule sometimes "
                                 "used with Adam. The rule of Goyal et al. for SGD is linear: lr * k."),
            (0.0125, "the learning rate goes up with the batch, not down: a batch k times larger "
                     "gives a gradient k times less noisy, and one step stands in for k small ones."),
        ],
        fallback=lambda v: f"got {v:.4g}. Multiply the batch by k, multiply lr by the same k.",
        no_answer_message="replace None with the learning rate for batch 256, then run this cell again.")


def _largest_scale_fallback(v):
    if v != int(v):
        return "k multiplies the batch size, so give a whole number."
    return f"got {v:.4g}. Find the largest whole k with k * 0.02 < 2 / 5."


def check_largest_scale(answer):
    """Largest integer k with k * 0.02 < 2 / 5."""
    one_over_L = ("that uses 1 / L. On a quadratic descent converges for lr < 2 / L; between "
                  "1 / L and 2 / L it overshoots but still shrinks the error.")
    return check_number(
        answer, 19,
        "2 / L = 0.4 and 19 * 0.02 = 0.38 < 0.4; k = 20 gives exactly 0.4, where the "
        "error along the steepest direction flips sign without shrinking.",
        slips=[
            (20, "20 * 0.02 = 0.4 is exactly 2 / L: the factor (1 - lr L) is -1, so the "
                 "error oscillates forever. The limit is strict: lr < 2 / L."),
            (10, one_over_L),
            (9, one_over_L),
        ],
        fallback=_largest_scale_fallback,
        whole=True,
        no_answer_message="replace None with the largest k, then run this cell again.")


def _first_step_product(w):
    return 0.25 / w * START_SHARPNESS


def _warmup_fallback(v):
    if v != int(v):
        return (f"{v:.4g} is not a number of steps. 0.25 * 30.6 / W = 2 at W = 3.83; a warmup lasts a whole "
                "number of steps, so take the smallest whole W above that.")
    if v < 1:
        return "a warmup needs at least one step: W = 0 is no warmup at all, the run that diverged."
    if v > 4:
        return (f"W = {v:.0f} does give a stable first step ({_first_step_product(v):.2f} < 2), but so does a "
                "shorter warmup: the question asks for the smallest.")
    return (f"with W = {v:.0f} the first update has lr * sharpness = 0.25 / {v:.0f} * 30.6 = "
            f"{_first_step_product(v):.2f}, past 2.")


def check_warmup_first_step(answer):
    """Smallest whole W with 0.25 / W * 30.6 < 2 (the first update within the stability limit)."""
    return check_number(
        answer, 4,
        "0.25 / 4 * 30.6 = 1.9 < 2, while 0.25 / 3 * 30.6 = 2.55 is past the limit: four steps are the "
        "shortest warmup whose first update is stable.",
        slips=[
            (3, "3 is the shortest warmup that survived in the explorer's run, but its first update has "
                "lr * sharpness = 0.25 / 3 * 30.6 = 2.55, past 2: it survived by overshooting onto flatter "
                "weights, not by a stable first step. The question asks for a stable first step."),
            (1, "that uses the sharpness at the minimum, 5.81. The first update is taken at the start "
                "(3, 2.5), where the sharpness is 30.6."),
            (8, "that keeps lr * sharpness below 1. Plain descent on a quadratic is stable up to 2."),
        ],
        fallback=_warmup_fallback,
        whole=True,
        no_answer_message="replace None with the smallest whole number of warmup steps, then run this cell again.")


def check_decay_steps(answer):
    """First t with exponential(0.1, 0.99)(t) < 0.001: 0.99^t < 0.01, t > 458.2, so t = 459."""
    t_exact = math.log(0.01) / math.log(0.99)
    return check_number(
        answer, 459,
        f"0.99^t < 0.01 needs t > ln(0.01) / ln(0.99) = {t_exact:.1f}: 0.99^458 = 0.0100 is still just "
        "above 1%, 0.99^459 = 0.0099 is below. A gamma only 0.005 above 0.985 takes half as long again.",
        slips=[
            (458, "0.99^458 = 0.01001 is still just above 1%; the first step below it is the next one."),
            (460, "that counts the updates from 1; the schedule's t counts from 0, so lr_0 is the peak."),
            (300, "about 300 steps bring gamma = 0.985 down to 1% (section 3); gamma = 0.99 shrinks the "
                  "rate by less each step, so it takes longer."),
            (100, "100 = 1 / (1 - gamma) is the decay's time scale: after 100 steps the rate is down to "
                  "0.99^100 = 37% of the peak (about 1/e), not to 1%."),
            (461, "that uses ln(0.99) = -0.01, a rounding: ln(0.99) = -0.01005, which gives t > 458.2."),
            (688, "that is where the rate falls below 0.1% of the peak (0.0001); 1% of the peak 0.1 is 0.001."),
        ],
        fallback=lambda v: (f"{v:.4g} is not it: give a whole step t." if v != int(v) else
                            f"got t = {v:.0f}. Solve 0.1 * 0.99^t < 0.001, i.e. 0.99^t < 0.01, with logarithms."),
        whole=True,
        no_answer_message="replace None with the first step t whose learning rate is below 0.001, then run this cell again.")
