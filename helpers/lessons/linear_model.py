"""The straight-line model y_hat = w x + b, its loss per example and on average.

Parameters are points ``p = (w, b)`` of shape (..., 2), as on the loss surfaces in
helpers.surfaces, so one call can evaluate a single point, K runs at once (K, 2)
or a whole grid (H, W, 2). Data ``x``, ``y`` have shape (..., m) and broadcast
against ``p[..., 0]``: pass the full data set (m = n) or a batch per run (K, B).

Loss of one example and of a batch of m examples (the mean):

    l_i(w, b) = (w x_i + b - y_i)^2 / 2
    L(w, b)   = (1/m) sum_i l_i(w, b)

Gradient: with the residual r_i = w x_i + b - y_i,

    grad l_i = (r_i x_i, r_i)                 grad L = (mean_i r_i x_i, mean_i r_i)

L is a quadratic with constant Hessian H = [[mean x^2, mean x], [mean x, 1]]; its
largest eigenvalue is the curvature L_max that caps the stable learning rate at 2 / L_max.
"""

from __future__ import annotations

import numpy as np

from helpers import validation as check

__all__ = ["predict", "residuals", "loss", "grad", "per_example_loss", "per_example_grads",
           "least_squares", "hessian", "loss_surface"]


def _params(p):
    return check.points("p", p, holding=" holding (w, b)")


def predict(p, x):
    """y_hat = w x + b; shape: broadcast of p.shape[:-1] + (1,) with x."""
    p = _params(p)
    return p[..., 0, None] * np.asarray(x, dtype=float) + p[..., 1, None]


def residuals(p, x, y):
    """r_i = w x_i + b - y_i (prediction minus target)."""
    return predict(p, x) - np.asarray(y, dtype=float)


def per_example_loss(p, x, y):
    """l_i = r_i^2 / 2 for every example; shape like ``residuals``."""
    return 0.5 * residuals(p, x, y) ** 2


def loss(p, x, y):
    """L = mean over the last axis of r_i^2 / 2; shape p.shape[:-1] (broadcast with x[..., 0])."""
    with np.errstate(over="ignore", invalid="ignore"):
        return np.mean(per_example_loss(p, x, y), axis=-1)


def per_example_grads(p, x, y):
    """grad l_i = (r_i x_i, r_i) for every example; shape (..., m, 2)."""
    r = residuals(p, x, y)
    x = np.broadcast_to(np.asarray(x, dtype=float), r.shape)
    return np.stack([r * x, r], axis=-1)


def grad(p, x, y):
    """grad L = (mean r_i x_i, mean r_i): the average of the per-example gradients."""
    with np.errstate(over="ignore", invalid="ignore"):
        r = residuals(p, x, y)
        return np.stack([np.mean(r * np.asarray(x, dtype=float), axis=-1), np.mean(r, axis=-1)], axis=-1)


def least_squares(x, y):
    """The minimiser (w*, b*) of L on the data, from the normal equations H p = (mean xy, mean y)."""
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    rhs = np.array([np.mean(x * y), np.mean(y)])
    return np.linalg.solve(hessian(x), rhs)


def hessian(x):
    """The constant Hessian of L: [[mean x^2, mean x], [mean x, 1]]."""
    x = np.asarray(x, dtype=float)
    return np.array([[np.mean(x * x), np.mean(x)], [np.mean(x), 1.0]])


def loss_surface(x, y, bounds=None, start=(-2.0, 4.0)):
    """The full-data loss L(w, b) as a helpers.surfaces.Surface (for contour plots and descent.run).

    ``bounds`` defaults to a box of half-width 3 around the least-squares point.
    ``max_curvature`` is the largest eigenvalue of the Hessian.
    """
    from helpers.surfaces import Surface

    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    best = least_squares(x, y)
    if bounds is None:
        bounds = ((best[0] - 3.0, best[0] + 3.0), (best[1] - 3.0, best[1] + 3.0))
    return Surface(
        name="linear_regression",
        title=r"$L(w, b) = \frac{1}{n}\sum_i \frac{1}{2}(w x_i + b - y_i)^2$",
        loss=lambda p: loss(p, x, y),
        grad=lambda p: grad(p, x, y),
        hessian=lambda p: np.broadcast_to(hessian(x), p.shape[:-1] + (2, 2)).copy(),
        bounds=bounds,
        minima=best[None, :],
        default_start=np.asarray(start, dtype=float),
        max_curvature=float(np.linalg.eigvalsh(hessian(x))[-1]),
    )
