"""Checks for the optimizer-arena exercises.

    check_warmup_lr(answer)     lr at step t = 9 with linear warmup over 50 steps to a peak of 0.1
    check_halving_decay(answer)          AdamW weight_decay whose decay alone halves a weight in 200 steps at lr 0.02
    check_widest_at_100_steps(answer)    whose good learning-rate range is widest on the network in 100 steps
    check_cosine_decay_left(answer)      fraction AdamW's decay leaves after 200 cosine-scheduled steps (peak 0.02,
                                         wd 0.01): a transfer, since the notebook computes the decay only at a
                                         constant rate

``WIDTHS_AT_100_STEPS`` holds the widths the 100-step sweep gives (reproducible runs only, so the same on
every machine); tests/test_exercises_arena.py recomputes them.
"""

from __future__ import annotations

import numpy as np

from helpers.display.feedback import check_number, correct, no_answer, not_yet

__all__ = ["check_warmup_lr", "check_halving_decay", "check_widest_at_100_steps", "check_cosine_decay_left",
           "WIDTHS_AT_100_STEPS", "cosine_decay_left"]


def check_warmup_lr(answer):
    """lr_t = 0.1 * (t + 1) / 50 at t = 9: 0.02."""
    return check_number(
        answer, 0.1 * 10 / 50,
        "0.1 * (9 + 1) / 50 = 0.02: the warmup starts at 0.1/50 on step 0 and reaches 0.1 on step 49.",
        slips=[
            (0.1 * 9 / 50, "0.018 counts from t = 0 as zero; the ramp is lr_max * (t + 1) / W, so step 0 "
                           "already moves."),
            (0.1, "0.1 is the peak; step 9 is still inside the 50-step warmup."),
        ],
        fallback=lambda x: f"{x:.4g} is not it. Use lr_t = lr_max * (t + 1) / W with lr_max = 0.1, W = 50, t = 9.",
        what="one learning rate")


def check_halving_decay(answer):
    """(1 - 0.02 wd)^200 = 1/2: wd = (1 - 2^(-1/200)) / 0.02 = 0.1730."""
    right = (1 - 0.5 ** (1 / 200)) / 0.02
    return check_number(
        answer, right,
        f"each step multiplies the weight by 1 - 0.02 wd, so (1 - 0.02 wd)^200 = 1/2 gives "
        f"wd = (1 - 0.5^(1/200)) / 0.02 = {right:.4f}: about 17 times the race's 0.01. "
        "(ln 2 / (200 * 0.02) = 0.173 is the same to three figures.)",
        slips=[
            (0.5 / (200 * 0.02), "0.125 adds the 200 shrinks up (200 * 0.02 * wd = 1/2); they compound: each "
                                 "step multiplies the weight by 1 - 0.02 wd, so solve (1 - 0.02 wd)^200 = 1/2."),
            (1 - 0.5 ** (1 / 200), "0.00346 is the fraction removed per step, lr * wd; torch's weight_decay is "
                                   "that divided by the learning rate, 0.02."),
            (0.5 / 200, "0.0025 adds the shrinks up and leaves out the learning rate; solve "
                        "(1 - 0.02 wd)^200 = 1/2 for wd."),
        ],
        fallback=lambda x: f"{x:.4g} is not it. Solve (1 - lr * wd)^200 = 1/2 for wd, with lr = 0.02.",
        what="one number (the weight_decay)")


WIDTHS_AT_100_STEPS = {"SGD": 0.12, "SGD + momentum": 0.88, "Adam": 0.88, "AdamW": 1.12}
"""Decades of good learning rate on the network in 100 steps (+ one grid step), reproducible runs only."""


def check_widest_at_100_steps(answer):
    """With 100 steps instead of 200, AdamW's good range is the widest (1.12 decades against Adam's 0.88)."""
    widths = WIDTHS_AT_100_STEPS
    if answer is None:
        return no_answer()
    if not isinstance(answer, str) or answer not in widths:
        return not_yet(f"answer with one of the labels {sorted(widths)}, got {answer!r}.")
    best = max(widths, key=lambda k: widths[k])
    shown = ", ".join(f"{k} {v:.2f}" for k, v in widths.items())
    if answer == best:
        return correct(f"in 100 steps AdamW's good range is the widest, {widths[best]:.2f} decades ({shown}). "
                       "At 200 steps Adam's was: which optimizer looks most forgiving depends on the budget.")
    if answer == "Adam":
        return not_yet("Adam is the widest at 200 steps. Halve the budget and rerun the sweep: the "
                       "threshold moves too (twice the best final loss at 100 steps), and so do the widths.")
    return not_yet(f"{answer} is not the widest in 100 steps. Rerun the sweep with 100 steps and "
                   "compare the widths it prints.")


def cosine_decay_left(peak=0.02, weight_decay=0.01, steps=200):
    """What torch-style AdamW's decay alone leaves of a weight over a cosine schedule from ``peak``
    to 0: the product of (1 - lr_t * weight_decay) over the steps."""
    from helpers.lessons.arena import arena_schedule

    schedule = arena_schedule(peak, "cosine", 0, steps)
    lr = np.array([float(schedule(t)) for t in range(steps)])
    return float(np.prod(1 - lr * weight_decay))


def check_cosine_decay_left(answer):
    """prod_t (1 - 0.01 lr_t) with lr_t a cosine from 0.02 to 0 over 200 steps: 0.9801."""
    right = cosine_decay_left()
    return check_number(
        answer, right,
        f"torch's AdamW shrinks by lr_t * wd at step t, schedule included, and the cosine's rates add up "
        f"to about 0.02 * 200 / 2 = 2.0: the decay leaves {right:.4f}, about 1 - 0.01 * 2.0. Half the decay "
        "of the constant run (0.961): the schedule lowers the decay along with the step.",
        slips=[
            ((1 - 0.02 * 0.01) ** 200, "0.961 is the constant schedule: torch multiplies the decay by the "
                                       "learning rate of each step, and the cosine's rates fall to 0."),
            (1 - right, "that is the fraction removed; the question asks what is left."),
            ((1 - 0.01) ** 200, "0.134 shrinks by wd itself each step; torch's shrink is lr_t * wd."),
        ],
        fallback=lambda x: f"{x:.4g} is not it. Multiply (1 - lr_t * wd) over the 200 steps, with lr_t "
                           "from arena.arena_schedule(0.02, \"cosine\", 0, 200).",
        what="one fraction")
