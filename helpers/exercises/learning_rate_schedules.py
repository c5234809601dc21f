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

Checkers never raise on a wrong answer; they return a Feedback.
"""
from __future__ import annotations

import math

from helpers.feedback import Feedback, no_answer, to_float

__all__ = ["check_warmup_lr", "check_cosine_quarter", "check_scaled_lr", "check_largest_scale"]


def _number(answer, what):
    if answer is None:
        return None, no_answer(f"replace None with {what}, then run this cell again.")
    v = to_float(answer)
    if v is None:
        return None, Feedback(False, f"give one number, got {answer!r}.")
    return v, None


def check_warmup_lr(answer):
    """Learning rate of warmup_cosine(0.4, 10, 110) at t = 4."""
    v, early = _number(answer, "the learning rate at t = 4")
    if early is not None:
        return early
    if abs(v - 0.2) < 1e-6:
        return Feedback(True, "t = 4 is the fifth update, so lr = 0.4 * (4 + 1) / 10 = 0.2.")
    if abs(v - 0.16) < 1e-6:
        return Feedback(False, "that is 0.4 * 4 / 10: the warmup here uses (t + 1) / W so that the very "
                               "first update (t = 0) already moves, with lr_max / W, instead of lr = 0.")
    if abs(v - 0.4) < 1e-6:
        return Feedback(False, "0.4 is the peak, reached only at t = W - 1 = 9; at t = 4 the warmup is "
                               "half-way.")
    return Feedback(False, f"got {v:.4g}. During warmup lr_t = lr_max * (t + 1) / W.")


def check_cosine_quarter(answer):
    """Learning rate of cosine(0.4, 100) at t = 25."""
    v, early = _number(answer, "the learning rate at t = 25")
    if early is not None:
        return early
    right = 0.4 * (1 + math.cos(math.pi / 4)) / 2
    if abs(v - right) < 1e-3:
        return Feedback(True, f"0.4 * (1 + cos(pi/4)) / 2 = {right:.4f}: a quarter of the way through, the "
                              "cosine has dropped only 15%, it decays slowly at first and last.")
    if abs(v - 0.3) < 1e-3:
        return Feedback(False, "0.3 is a straight line from 0.4 to 0. The cosine schedule stays near the "
                               "peak longer: use lr_t = lr_max (1 + cos(pi t / T)) / 2.")
    if abs(v - 0.4 * math.cos(math.pi / 4)) < 1e-3:
        return Feedback(False, "that is 0.4 cos(pi/4): the schedule is (1 + cos(pi t / T)) / 2, so that it "
                               "ends at 0 rather than at -0.4.")
    if abs(v - 0.2) < 1e-3:
        return Feedback(False, "0.2 is the value half-way, at t = 50. At t = 25 the angle is pi/4.")
    return Feedback(False, f"got {v:.4g}. Use lr_t = lr_max (1 + cos(pi t / T)) / 2 with t = 25, T = 100.")


def check_scaled_lr(answer):
    """Learning rate for batch 256 from lr 0.1 at batch 32 (the large-batch rule)."""
    v, early = _number(answer, "the learning rate for batch 256")
    if early is not None:
        return early
    if abs(v - 0.8) < 1e-6:
        return Feedback(True, "k = 256 / 32 = 8, so lr = 8 * 0.1 = 0.8, reached after a warmup.")
    if abs(v - 0.1 * math.sqrt(8)) < 1e-3:
        return Feedback(False, "that is square-root scaling (lr * sqrt(k)), a different rule sometimes "
                               "used with Adam. The rule of Goyal et al. for SGD is linear: lr * k.")
    if abs(v - 0.0125) < 1e-6:
        return Feedback(False, "the learning rate goes up with the batch, not down: a batch k times larger "
                               "gives a gradient k times less noisy, and one step stands in for k small ones.")
    return Feedback(False, f"got {v:.4g}. Multiply the batch by k, multiply lr by the same k.")


def check_largest_scale(answer):
    """Largest integer k with k * 0.02 < 2 / 5."""
    v, early = _number(answer, "the largest k")
    if early is not None:
        return early
    if abs(v - 19) < 1e-9:
        return Feedback(True, "2 / L = 0.4 and 19 * 0.02 = 0.38 < 0.4; k = 20 gives exactly 0.4, where the "
                              "error along the steepest direction flips sign without shrinking.")
    if abs(v - 20) < 1e-9:
        return Feedback(False, "20 * 0.02 = 0.4 is exactly 2 / L: the factor (1 - lr L) is -1, so the "
                               "error oscillates forever. The limit is strict: lr < 2 / L.")
    if abs(v - 10) < 1e-9 or abs(v - 9) < 1e-9:
        return Feedback(False, "that uses 1 / L. On a quadratic descent converges for lr < 2 / L; between "
                               "1 / L and 2 / L it overshoots but still shrinks the error.")
    if v != int(v):
        return Feedback(False, "k multiplies the batch size, so give a whole number.")
    return Feedback(False, f"got {v:.4g}. Find the largest whole k with k * 0.02 < 2 / 5.")
