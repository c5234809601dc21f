"""Checks for exercises on L2 regularisation, decoupled weight decay and AdamW.

    check_decoupled_rate(answer)   decoupled shrink per step matching SGD + L2 (lr 0.1, L2 0.01)
    check_adam_l2_decay(answer)    the L2 part of an Adam step for a parameter with large gradients
    check_paper_decay(answer)      the AdamW paper's lambda matching torch's lr 1e-3, weight_decay 0.1
"""

from __future__ import annotations

from ..feedback import close, correct, no_answer, not_yet, to_float

__all__ = ["check_decoupled_rate", "check_adam_l2_decay", "check_paper_decay"]


def _number(answer, what):
    if answer is None:
        return None, no_answer()
    x = to_float(answer)
    if x is None:
        return None, not_yet(f"the answer should be one number ({what}), got {answer!r}.")
    return x, None


def check_decoupled_rate(answer):
    """SGD + L2 shrinks p by lr * lambda = 0.1 * 0.01 = 0.001 of itself per step."""
    x, fb = _number(answer, "the fraction of p removed per step")
    if fb is not None:
        return fb
    if close(x, 1e-3, rtol=1e-3):
        return correct("p - 0.1 * (g + 0.01 p) = (1 - 0.001) p - 0.1 g: the L2 term removes 0.001 of p per step, "
                       "so a decoupled decay of 0.001 per step gives the same run.")
    if close(x, 0.01, rtol=1e-3):
        return not_yet("0.01 is the L2 coefficient; in the update it is multiplied by the learning rate: "
                       "p - lr * (g + lambda p).")
    if close(x, 0.999, rtol=1e-4):
        return not_yet("0.999 is the factor p is multiplied by; the question asks for the fraction removed, 1 - 0.999.")
    if close(x, 0.1, rtol=1e-3):
        return not_yet("0.1 is the learning rate; the shrink comes from lr * lambda.")
    return not_yet(f"{x:.4g} is not it. Expand p - lr * (g + lambda p) and read off the coefficient of p.")


def check_adam_l2_decay(answer):
    """lr * lambda * w / sqrt(v_hat) = 1e-3 * 1e-2 * 1 / 100 = 1e-7."""
    x, fb = _number(answer, "the size of the L2 part of the step")
    if fb is not None:
        return fb
    if close(x, 1e-7, rtol=1e-3):
        return correct("1e-3 * 0.01 * 1.0 / 100 = 1e-7: a hundred times less than AdamW's 1e-5, because "
                       "Adam divides the L2 term by sqrt(v_hat), which large gradients make large.")
    if close(x, 1e-5, rtol=1e-3):
        return not_yet("1e-5 = lr * lambda * w is what AdamW removes. In Adam + L2 the term lambda * w goes "
                       "through the same division by sqrt(v_hat) = 100 as the gradient.")
    if close(x, 1e-3, rtol=1e-3):
        return not_yet("1e-3 would be the whole step of a steady gradient; the L2 part is lr * lambda * w / sqrt(v_hat).")
    if close(x, 1e-9, rtol=1e-3):
        return not_yet("you divided by v_hat = 1e4; Adam divides by its square root, sqrt(v_hat) = 100.")
    return not_yet(f"{x:.4g} is not it. Compute lr * (lambda * w) / sqrt(v_hat) with the numbers given.")


def check_paper_decay(answer):
    """torch's AdamW shrinks by lr * weight_decay = 1e-4 per step; the paper's eta_t * lambda with eta_t = 1 needs lambda = 1e-4."""
    x, fb = _number(answer, "the paper's lambda")
    if fb is not None:
        return fb
    if close(x, 1e-4, rtol=1e-3):
        return correct("torch removes lr * weight_decay = 1e-3 * 0.1 = 1e-4 of each weight per step; the paper removes "
                       "eta_t * lambda = lambda with a constant schedule, so lambda = 1e-4.")
    if close(x, 0.1, rtol=1e-3):
        return not_yet("the same number means a different decay: torch multiplies weight_decay by lr, the paper "
                       "multiplies lambda only by the schedule multiplier eta_t = 1.")
    if close(x, 100.0, rtol=1e-3):
        return not_yet("you divided by the learning rate; torch's per-step shrink is lr * weight_decay, a product.")
    return not_yet(f"{x:.4g} is not it. Match the per-step shrink: lr * weight_decay (torch) = eta_t * lambda (paper).")
