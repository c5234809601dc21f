"""Heavy-ball momentum on a quadratic: how fast it converges and when it blows up.

torch's SGD with momentum beta (dampening 0) on f(x) = L x^2 / 2 (gradient L x)::

    b_t = beta * b_{t-1} + L x_t,      x_{t+1} = x_t - lr * b_t

Eliminating b gives a two-term recurrence::

    x_{t+1} = (1 + beta - lr L) x_t - beta x_{t-1}

whose behaviour is set by the roots of z^2 - (1 + beta - lr L) z + beta = 0.
The error shrinks like rho^t, rho = the largest root modulus (the *rate*).
rho < 1 (convergence) exactly when 0 < lr L < 2 + 2 beta, so the largest stable
learning rate is (2 + 2 beta) / L; beta = 0 gives plain descent's 2 / L.
On a bowl with curvatures between mu and L (condition number kappa = L / mu)
the best plain descent rate is (kappa - 1) / (kappa + 1); with
beta = ((sqrt(kappa) - 1) / (sqrt(kappa) + 1))^2 and lr = (1 + sqrt(beta))^2 / L
momentum reaches (sqrt(kappa) - 1) / (sqrt(kappa) + 1) in every direction.
"""

from __future__ import annotations

import numpy as np

from helpers import validation as check
__all__ = ["rate", "stability_limit", "best_momentum", "best_plain_lr"]


def _positive(name, value):
    return np.asarray(check.finite_numbers(name, value, minimum=0, strict=True, what="finite and > 0"))


def _beta(beta):
    arr = np.asarray(check.finite_numbers("beta", beta, minimum=0, what="in [0, 1)"))
    if np.any(arr >= 1):
        check.fail("beta", beta, "in [0, 1)")
    return arr


def rate(lr, curvature, beta=0.0):
    """Per-step contraction factor rho of heavy ball on curvature L (broadcasts).

    rho = max |z| over the roots of z^2 - (1 + beta - lr L) z + beta = 0;
    rho < 1 means the run converges, rho > 1 that it diverges.
    """
    lr = np.asarray(check.finite_numbers("lr", lr, minimum=0, what="finite and >= 0"))
    L, b = _positive("curvature", curvature), _beta(beta)
    c = 1 + b - lr * L
    disc = np.sqrt((c * c - 4 * b).astype(complex))
    return np.maximum(np.abs((c + disc) / 2), np.abs((c - disc) / 2))


def stability_limit(curvature, beta=0.0):
    """(2 + 2 beta) / L: heavy ball converges on curvature L for 0 < lr below this."""
    return (2 + 2 * _beta(beta)) / _positive("curvature", curvature)


def best_momentum(condition_number):
    """((sqrt(kappa) - 1) / (sqrt(kappa) + 1))^2, the momentum that is fastest on a bowl."""
    k = np.asarray(check.finite_numbers("condition_number", condition_number, minimum=1, what=">= 1"))
    return ((np.sqrt(k) - 1) / (np.sqrt(k) + 1)) ** 2


def best_plain_lr(mu, L):
    """2 / (mu + L): the plain-descent learning rate that is fastest on curvatures mu..L."""
    return 2 / (_positive("mu", mu) + _positive("L", L))
