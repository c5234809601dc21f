"""Checks for exercises on L2 regularisation, decoupled weight decay and AdamW.

    check_decoupled_rate(answer)   decoupled shrink per step matching SGD + L2 (lr 0.1, L2 0.01)
    check_adam_l2_decay(answer)    the L2 part of an Adam step for a parameter with large gradients
    check_decay_after_lr_change(answer)  torch weight_decay keeping the shrink per step when lr goes 1e-3 -> 4e-3
    check_one_weight_adam_l2(answer)     where Adam + L2 (lambda 0.1) settles on f(w) = 0.02 (w - 5)^2
    check_one_weight_adamw(answer)       where torch's AdamW (weight_decay 0.1) settles on the same loss

The last two are a transfer: the notebook names the two end points (ridge, and the box |w| <= 1/wd)
on its own problems; here they are applied by hand to a loss the notebook never shows, where the
box does not bind. ``ONE_WEIGHT`` is that loss, for a run that checks the answers.
"""

from __future__ import annotations

import numpy as np

from helpers.display.feedback import check_number

__all__ = ["check_decoupled_rate", "check_adam_l2_decay", "check_decay_after_lr_change",
           "check_one_weight_adam_l2", "check_one_weight_adamw", "OneWeight", "ONE_WEIGHT"]


def check_decoupled_rate(answer):
    """SGD + L2 shrinks p by lr * lambda = 0.1 * 0.01 = 0.001 of itself per step."""
    return check_number(
        answer, 1e-3,
        "p - 0.1 * (g + 0.01 p) = (1 - 0.001) p - 0.1 g: the L2 term removes 0.001 of p per step, "
        "so a decoupled decay of 0.001 per step gives the same run.",
        slips=[
            (0.01, "0.01 is the L2 coefficient; in the update it is multiplied by the learning rate: "
                   "p - lr * (g + lambda p)."),
            (0.999, "0.999 is the factor p is multiplied by; the question asks for the fraction removed, 1 - 0.999."),
            (0.1, "0.1 is the learning rate; the shrink comes from lr * lambda."),
        ],
        fallback=lambda x: f"{x:.4g} is not it. Expand p - lr * (g + lambda p) and read off the coefficient of p.",
        what="one number (the fraction of p removed per step)")


def check_adam_l2_decay(answer):
    """lr * lambda * w / sqrt(v_hat) = 1e-3 * 1e-2 * 1 / 100 = 1e-7."""
    return check_number(
        answer, 1e-7,
        "1e-3 * 0.01 * 1.0 / 100 = 1e-7: a hundred times less than AdamW's 1e-5, because "
        "Adam divides the L2 term by sqrt(v_hat), which large gradients make large.",
        slips=[
            (1e-5, "1e-5 = lr * lambda * w is what AdamW removes. In Adam + L2 the term lambda * w goes "
                   "through the same division by sqrt(v_hat) = 100 as the gradient."),
            (1e-3, "1e-3 would be the whole step of a steady gradient; the L2 part is lr * lambda * w / sqrt(v_hat)."),
            (1e-9, "you divided by v_hat = 1e4; Adam divides by its square root, sqrt(v_hat) = 100."),
        ],
        fallback=lambda x: f"{x:.4g} is not it. Compute lr * (lambda * w) / sqrt(v_hat) with the numbers given.",
        what="one number (the size of the L2 part of the step)")


def check_decay_after_lr_change(answer):
    """torch's AdamW shrinks by lr * weight_decay per step: 1e-3 * 0.1 = 1e-4; at lr 4e-3 the same shrink
    needs weight_decay = 1e-4 / 4e-3 = 0.025."""
    return check_number(
        answer, 0.025,
        "torch's AdamW removes lr * weight_decay of each weight per step: 1e-3 * 0.1 = 1e-4 before. At "
        "lr = 4e-3 the same 1e-4 needs weight_decay = 1e-4 / 4e-3 = 0.025: in torch's form, raising the "
        "learning rate raises the decay too, so the two have to be retuned together.",
        slips=[
            (0.1, "keeping weight_decay = 0.1 would shrink each weight by 4e-3 * 0.1 = 4e-4 per step, four "
                  "times more than before: torch multiplies weight_decay by the learning rate."),
            (0.4, "0.4 multiplies by the factor 4; to keep lr * weight_decay the same, weight_decay has to "
                  "fall by the factor the learning rate rises."),
            (1e-4, "1e-4 is the shrink per step (lr * weight_decay), the number to keep; the question asks "
                   "for the weight_decay that gives it at lr = 4e-3."),
            (4e-4, "4e-4 is the shrink per step with the old weight_decay at the new learning rate; the "
                   "question asks for the weight_decay that brings it back to 1e-4."),
        ],
        fallback=lambda x: f"{x:.4g} is not it. Keep lr * weight_decay fixed: 1e-3 * 0.1 = 4e-3 * weight_decay.",
        what="one number (the new weight_decay)")


class OneWeight:
    """One weight with loss f(w) = 0.02 (w - 5)^2: minimum at 5, curvature f'' = 0.04."""

    def loss(self, w):
        return 0.02 * (np.asarray(w, dtype=float)[..., 0] - 5.0) ** 2

    def grad(self, w):
        return 0.04 * (np.asarray(w, dtype=float) - 5.0)


ONE_WEIGHT = OneWeight()


def check_one_weight_adam_l2(answer):
    """Adam + L2 settles where g + lambda w = 0: 0.04 (w - 5) + 0.1 w = 0, w = 0.2 / 0.14 = 10/7."""
    return check_number(
        answer, 0.2 / 0.14,
        "Adam + L2 stops where the averaged gradient g + lambda w is zero, whatever Adam's normalisation "
        "does on the way: 0.04 (w - 5) + 0.1 w = 0, so w = 0.2 / 0.14 = 1.43, the ridge solution. "
        "The decay moves the end point a long way because the curvature, 0.04, is small beside lambda.",
        slips=[
            (5.0, "5 is the minimum of the loss without decay. Adam divides the L2 term by sqrt(v_hat) on "
                  "the way, but it stops only where g + lambda w = 0: 0.04 (w - 5) + 0.1 w = 0."),
            (10.0, "10 = 1/lambda is AdamW's bound |w| <= 1/wd; Adam + L2 ends at the ridge solution, "
                   "where 0.04 (w - 5) + 0.1 w = 0."),
            (0.2 / 0.09, "2.22 uses lambda / 2 w as the penalty's gradient; the gradient of lambda/2 w^2 "
                         "is lambda w, so 0.04 (w - 5) + 0.1 w = 0."),
            (0.1 / 0.12, "0.833 takes 0.02 (w - 5) as the loss's gradient; the derivative of 0.02 (w - 5)^2 "
                         "is 0.04 (w - 5)."),
            (5.0 / 1.1, "5 / (1 + lambda) would be right for a curvature of 1; here it is 0.04, so "
                        "w = 0.04 * 5 / (0.04 + 0.1)."),
        ],
        fallback=lambda x: f"{x:.4g} is not it. Set the gradient of 0.02 (w - 5)^2 + 0.05 w^2 to zero.",
        what="one number (the weight Adam + L2 settles at)")


def check_one_weight_adamw(answer):
    """torch's AdamW settles at the minimum of f under |w| <= 1/wd = 10; the minimum, 5, is inside: 5."""
    return check_number(
        answer, 5.0,
        "full-batch AdamW settles at the minimum of the loss within the box |w| <= 1/wd = 10. The "
        "unregularised minimum, 5, lies inside the box, so the decay does not move the end point at all: "
        "w = 5 (a run hovers a little below it, by less than the learning rate). Adam + L2 with the same "
        "number ends at 1.43.",
        slips=[
            (10.0, "10 = 1/wd is the bound of the box, where a weight stops only if the loss pulls it "
                   "further out; this loss's minimum, 5, lies inside the box."),
            (0.2 / 0.14, "1.43 is where Adam + L2 ends (the ridge solution). AdamW's decay is balanced by "
                         "Adam's step, of size up to lr, which holds any weight up to 1/wd = 10."),
            (5.0 / 1.1, "5 / (1 + wd) shrinks the minimum by a fixed factor; AdamW's end point is the "
                        "minimum within |w| <= 1/wd."),
        ],
        fallback=lambda x: f"{x:.4g} is not it. Where is the minimum of 0.02 (w - 5)^2 within |w| <= 1/wd?",
        what="one number (the weight AdamW settles at)")
