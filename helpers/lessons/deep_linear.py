"""The smallest deep network: two linear layers of width one, y_hat = b * (a * x).

Parameters are points ``p = (a, b)`` of shape (..., 2) (a single point, K runs, or a
grid); data ``x``, ``y`` have shape (..., m) and broadcast against ``p[..., 0]``.
The network computes the same functions as a line through the origin with slope
``a * b``, but its loss surface over (a, b) is not a bowl: the minimisers form the
hyperbola ``a * b = s*`` and the curvature grows with the size of the weights.

With the residual r_i = a b x_i - y_i and L = (1/m) sum_i r_i^2 / 2:

    dL/da = mean(r_i x_i) * b          dL/db = mean(r_i x_i) * a

    Hessian = [[b^2 m2,            2 a b m2 - c],
               [2 a b m2 - c,      a^2 m2      ]]      m2 = mean x^2, c = mean x y

so on the minimum set (a b = s* = c / m2) the sharpness (largest Hessian eigenvalue) is
m2 (a^2 + b^2): small weights, flat valley; large weights, steep walls.
"""

from __future__ import annotations

import numpy as np

from helpers import validation as check

__all__ = ["predict", "loss", "grad", "hessian", "sharpness", "best_slope", "minimum_curve",
           "loss_surface"]


def _params(p):
    return check.points("p", p, holding=" holding (a, b)")


def predict(p, x):
    """y_hat = b * (a * x): hidden unit a x, output b times it."""
    p = _params(p)
    return (p[..., 0] * p[..., 1])[..., None] * np.asarray(x, dtype=float)


def loss(p, x, y):
    """L = mean over the last axis of (a b x_i - y_i)^2 / 2."""
    with np.errstate(over="ignore", invalid="ignore"):
        r = predict(p, x) - np.asarray(y, dtype=float)
        return np.mean(0.5 * r * r, axis=-1)


def grad(p, x, y):
    """(dL/da, dL/db) = mean(r_i x_i) * (b, a)."""
    p = _params(p)
    with np.errstate(over="ignore", invalid="ignore"):
        r = predict(p, x) - np.asarray(y, dtype=float)
        rx = np.mean(r * np.asarray(x, dtype=float), axis=-1)
        return np.stack([rx * p[..., 1], rx * p[..., 0]], axis=-1)


def hessian(p, x, y):
    """The 2 x 2 Hessian of L at p on data (x, y); shape p.shape[:-1] + (2, 2)."""
    p = _params(p)
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    m2, c = np.mean(x * x), np.mean(x * y)
    a, b = p[..., 0], p[..., 1]
    off = 2.0 * a * b * m2 - c
    return np.stack([np.stack([b * b * m2, off], -1), np.stack([off, a * a * m2], -1)], -2)


def sharpness(p, x, y):
    """Largest Hessian eigenvalue at p: plain descent is locally stable only for lr < 2 / sharpness."""
    return np.linalg.eigvalsh(hessian(p, x, y))[..., -1]


def best_slope(x, y):
    """s* = mean(x y) / mean(x^2): every (a, b) with a b = s* is a minimiser."""
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    return float(np.mean(x * y) / np.mean(x * x))


def minimum_curve(x, y, a_values):
    """Points (a, s*/a) of the minimum hyperbola for the given nonzero a values; shape (k, 2)."""
    a_values = np.asarray(a_values, dtype=float)
    return np.stack([a_values, best_slope(x, y) / a_values], axis=-1)


def loss_surface(x, y, bounds=((-4.0, 4.0), (-4.0, 4.0)), start=(3.0, 3.0)):
    """The full-data loss over (a, b) as a helpers.surfaces.Surface.

    ``minima`` lists the two balanced minimisers a = b = +-sqrt(s*) (if s* > 0), the
    flattest points of the minimum hyperbola; draw the whole curve with ``minimum_curve``.
    """
    from helpers.surfaces import Surface

    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    s = best_slope(x, y)
    r = np.sqrt(abs(s))
    balanced = [[r, r], [-r, -r]] if s > 0 else [[r, -r], [-r, r]]
    return Surface(
        name="deep_linear",
        title=r"$L(a, b) = \frac{1}{n}\sum_i \frac{1}{2}(a\,b\,x_i - y_i)^2$",
        loss=lambda p: loss(p, x, y),
        grad=lambda p: grad(p, x, y),
        hessian=lambda p: hessian(p, x, y),
        bounds=bounds,
        minima=np.array(balanced),
        default_start=np.asarray(start, dtype=float),
    )
