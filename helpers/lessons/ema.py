"""Exponential moving averages: the memory inside momentum and Adam.

An exponential moving average (EMA) of a sequence g_1, g_2, ... with decay beta::

    a_0 = 0
    a_t = beta * a_{t-1} + (1 - beta) * g_t       # = (1 - beta) * sum_k beta^(t-k) g_k

The weights (1 - beta) beta^(t-k) sum to 1 - beta^t, not to 1, because the
average starts at zero. Dividing by that sum removes the pull towards zero
(bias correction, as in Adam)::

    a_hat_t = a_t / (1 - beta^t)

Roughly the last 1 / (1 - beta) values carry most of the weight.
"""

from __future__ import annotations

import numpy as np

from helpers import validation as check
__all__ = ["ema", "ema_weights", "memory"]


def _beta(beta):
    return check.finite_number("beta", beta, minimum=0, below=1, what="a number in [0, 1)")


def ema(values, beta, debias=False):
    """The running EMA a_1..a_T of ``values`` (shape (T, ...)), same shape.

    ``debias=True`` returns a_t / (1 - beta^t) instead.
    """
    b = _beta(beta)
    g = check.as_floats("values", values, what="a non-empty sequence of numbers")
    check.boolean("debias", debias)
    if g.ndim == 0 or g.shape[0] == 0:
        raise ValueError(f"values must be a non-empty sequence, got values with shape {g.shape}")
    out = np.empty_like(g)
    a = np.zeros(g.shape[1:])
    for t in range(g.shape[0]):
        a = b * a + (1 - b) * g[t]
        out[t] = a
    if debias:
        t = np.arange(1, g.shape[0] + 1).reshape((-1,) + (1,) * (g.ndim - 1))
        out = out / (1 - b**t)
    return out


def ema_weights(beta, t):
    """The weight (1 - beta) beta^(t-k) that a_t gives to g_k, for k = 1..t (shape (t,))."""
    b = _beta(beta)
    t = check.integer("t", t, minimum=1)
    k = np.arange(1, t + 1)
    return (1 - b) * b ** (t - k)


def memory(beta):
    """1 / (1 - beta): about how many recent values an EMA remembers."""
    b = _beta(beta)
    return 1.0 / (1.0 - b)
