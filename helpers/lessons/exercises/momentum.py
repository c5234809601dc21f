"""Checks for exercises on heavy-ball momentum.

    check_momentum_limit(answer)   largest stable lr with momentum 0.9 on curvature L = 10
    check_effective_lr(answer)     plain-SGD lr matching momentum 0.9 at lr 0.01 on a steady slope
"""

from __future__ import annotations

from helpers.display.feedback import check_number

__all__ = ["check_momentum_limit", "check_effective_lr"]


def check_momentum_limit(answer):
    """(2 + 2 * 0.9) / 10 = 0.38."""
    beta, L = 0.9, 10.0
    not_scaled = ("the limit is not 2/L scaled by 1 - beta; it is (2 + 2 beta) / L, from the roots of "
                  "z^2 - (1 + beta - lr L) z + beta = 0.")
    return check_number(
        answer, (2 + 2 * beta) / L,
        "(2 + 2 * 0.9) / 10 = 0.38: momentum almost doubles the largest stable "
        "learning rate, from 2/L = 0.2.",
        slips=[
            (2 / L, "0.2 = 2/L is the limit without momentum. With momentum beta the limit is (2 + 2 beta) / L."),
            (2 + 2 * beta, "3.8 = 2 + 2 beta is lr * L at the limit; divide by L = 10."),
            (2 / L / (1 - beta), not_scaled),
            (2 / L * (1 - beta), not_scaled),
        ],
        fallback=lambda x: f"{x:.4g} is not the limit. Use lr < (2 + 2 beta) / L with beta = 0.9 and L = 10.",
        what="one learning rate")


def check_effective_lr(answer):
    """On a steady slope, momentum's buffer settles at g / (1 - beta): same speed as SGD at lr / (1 - beta) = 0.1."""
    lr, beta = 0.01, 0.9
    return check_number(
        answer, lr / (1 - beta),
        "the buffer b = 0.9 b + g settles at g / (1 - 0.9) = 10 g, so each step is "
        "0.01 * 10 g: plain SGD needs lr = 0.1 to go as fast.",
        slips=[
            (lr * (1 - beta), "momentum makes the run faster on a steady slope, not slower: the buffer adds up "
                              "g + 0.9 g + 0.81 g + ... = g / (1 - 0.9)."),
            (lr * (1 + beta), "that counts only two terms of the buffer, g + 0.9 g; it keeps adding: "
                              "g (1 + 0.9 + 0.81 + ...) = g / (1 - 0.9)."),
            (lr, "with momentum the buffer grows past g on a steady slope: it settles at g / (1 - beta)."),
        ],
        fallback=lambda x: f"{x:.4g} is not it. Find where b = 0.9 b + g settles for a constant g, "
                           "then match lr * b with plain SGD's lr' * g.",
        what="one learning rate")
