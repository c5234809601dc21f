"""Checks for exercises on heavy-ball momentum.

    check_momentum_limit(answer)   largest stable lr with momentum 0.9 on curvature L = 10
    check_effective_lr(answer)     plain-SGD lr matching momentum 0.9 at lr 0.01 on a steady slope
"""

from __future__ import annotations

from ..feedback import close, correct, no_answer, not_yet, to_float

__all__ = ["check_momentum_limit", "check_effective_lr"]


def check_momentum_limit(answer):
    """(2 + 2 * 0.9) / 10 = 0.38."""
    if answer is None:
        return no_answer()
    x = to_float(answer)
    if x is None:
        return not_yet(f"the answer should be one learning rate, got {answer!r}.")
    beta, L = 0.9, 10.0
    if close(x, (2 + 2 * beta) / L, rtol=1e-3):
        return correct("(2 + 2 * 0.9) / 10 = 0.38: momentum almost doubles the largest stable "
                       "learning rate, from 2/L = 0.2.")
    if close(x, 2 / L, rtol=1e-3):
        return not_yet("0.2 = 2/L is the limit without momentum. With momentum beta the limit is (2 + 2 beta) / L.")
    if close(x, 2 + 2 * beta, rtol=1e-3):
        return not_yet("3.8 = 2 + 2 beta is lr * L at the limit; divide by L = 10.")
    if close(x, 2 / L / (1 - beta), rtol=1e-3) or close(x, 2 / L * (1 - beta), rtol=1e-3):
        return not_yet("the limit is not 2/L scaled by 1 - beta; it is (2 + 2 beta) / L, from the roots of "
                       "z^2 - (1 + beta - lr L) z + beta = 0.")
    return not_yet(f"{x:.4g} is not the limit. Use lr < (2 + 2 beta) / L with beta = 0.9 and L = 10.")


def check_effective_lr(answer):
    """On a steady slope, momentum's buffer settles at g / (1 - beta): same speed as SGD at lr / (1 - beta) = 0.1."""
    if answer is None:
        return no_answer()
    x = to_float(answer)
    if x is None:
        return not_yet(f"the answer should be one learning rate, got {answer!r}.")
    lr, beta = 0.01, 0.9
    if close(x, lr / (1 - beta), rtol=1e-3):
        return correct("the buffer b = 0.9 b + g settles at g / (1 - 0.9) = 10 g, so each step is "
                       "0.01 * 10 g: plain SGD needs lr = 0.1 to go as fast.")
    if close(x, lr * (1 - beta), rtol=1e-3):
        return not_yet("momentum makes the run faster on a steady slope, not slower: the buffer adds up "
                       "g + 0.9 g + 0.81 g + ... = g / (1 - 0.9).")
    if close(x, lr * (1 + beta), rtol=1e-3):
        return not_yet("that counts only two terms of the buffer, g + 0.9 g; it keeps adding: "
                       "g (1 + 0.9 + 0.81 + ...) = g / (1 - 0.9).")
    if close(x, lr, rtol=1e-3):
        return not_yet("with momentum the buffer grows past g on a steady slope: it settles at g / (1 - beta).")
    return not_yet(f"{x:.4g} is not it. Find where b = 0.9 b + g settles for a constant g, "
                   "then match lr * b with plain SGD's lr' * g.")
