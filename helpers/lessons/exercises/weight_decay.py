"""Checks for exercises on L2 regularisation, decoupled weight decay and AdamW.

    check_decoupled_rate(answer)   decoupled shrink per step matching SGD + L2 (lr 0.1, L2 0.01)
    check_adam_l2_decay(answer)    the L2 part of an Adam step for a parameter with large gradients
    check_paper_decay(answer)      the AdamW paper's lambda matching torch's lr 1e-3, weight_decay 0.1
"""

from __future__ import annotations

from helpers.display.feedback import check_number

__all__ = ["check_decoupled_rate", "check_adam_l2_decay", "check_paper_decay"]


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


def check_paper_decay(answer):
    """torch's AdamW shrinks by lr * weight_decay = 1e-4 per step; the paper's eta_t * lambda with eta_t = 1 needs lambda = 1e-4."""
    return check_number(
        answer, 1e-4,
        "torch removes lr * weight_decay = 1e-3 * 0.1 = 1e-4 of each weight per step; the paper removes "
        "eta_t * lambda = lambda with a constant schedule, so lambda = 1e-4.",
        slips=[
            (0.1, "the same number means a different decay: torch multiplies weight_decay by lr, the paper "
                  "multiplies lambda only by the schedule multiplier eta_t = 1."),
            (100.0, "you divided by the learning rate; torch's per-step shrink is lr * weight_decay, a product."),
        ],
        fallback=lambda x: f"{x:.4g} is not it. Match the per-step shrink: lr * weight_decay (torch) = eta_t * lambda "
                           "(paper).",
        what="one number (the paper's lambda)")
