"""Checks for the optimizer-arena exercises.

    check_warmup_lr(answer)     lr at step t = 9 with linear warmup over 50 steps to a peak of 0.1
    check_decay_left(answer)    fraction of a weight AdamW's decay leaves after 200 steps (lr 0.02, wd 0.01)
    check_widest(answer)        which optimizer's good learning-rate range is widest in the sweep
"""

from __future__ import annotations

from helpers.display.feedback import check_number, correct, no_answer, not_yet

__all__ = ["check_warmup_lr", "check_decay_left", "check_widest"]


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


def check_decay_left(answer):
    """(1 - 0.02 * 0.01)^200 = 0.9608: the decay alone removes only 4% in the whole run."""
    right = (1 - 0.02 * 0.01) ** 200
    return check_number(
        answer, right,
        f"(1 - 0.02 * 0.01)^200 = {right:.4f}: about 4% in the whole run, which is why "
        "AdamW and Adam race almost side by side at these settings.",
        slips=[
            ((1 - 0.01) ** 200, "torch's AdamW multiplies weight_decay by lr: the shrink per step is 0.02 * 0.01, "
                                "not 0.01."),
            (1 - right, "that is the fraction removed; the question asks what is left."),
        ],
        # 0.96 is both the answer to two figures and 1 - 200 * 0.02 * 0.01, the shrink added up
        # instead of compounded: say both, without calling it wrong
        close_message="0.96 is close, but does not agree with the answer to three significant figures: give "
                      "at least three. "
                      "The third figure is where the shrink compounds: 1 - 200 * 0.02 * 0.01 is 0.96 as well, "
                      "but the decay multiplies the weight by (1 - lr * wd) at each of the 200 steps.",
        fallback=lambda x: f"{x:.4g} is not it. Each step multiplies the weight by 1 - lr * wd; do that 200 times.",
        what="one fraction")


def check_widest(answer, widths):
    """``widths``: {label: decades of good learning rates} measured in the notebook."""
    if answer is None:
        return no_answer()
    if not isinstance(answer, str) or answer not in widths:
        return not_yet(f"answer with one of the labels {sorted(widths)}, got {answer!r}.")
    best = max(widths, key=lambda k: widths[k])
    if answer == best:
        return correct(f"{best} keeps a good final loss over {widths[best]:.2f} decades of learning rate, "
                       "the widest of the four in this sweep.")
    return not_yet(f"{answer} covers {widths[answer]:.2f} decades; look again at the widths printed under "
                   f"the sweep: one optimizer covers {widths[best]:.2f}.")
