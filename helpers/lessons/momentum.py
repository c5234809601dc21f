"""Momentum on a quadratic, heavy ball and Nesterov: how fast it converges, direction by direction,
and when it blows up.

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

Nesterov in torch's form (SGD(nesterov=True)) keeps the same buffer but steps along
g + beta b::

    b_t = beta * b_{t-1} + L x_t,      x_{t+1} = x_t - lr * (L x_t + beta * b_t)

which on curvature L gives x_{t+1} = (1 - lr L) ((1 + beta) x_t - beta x_{t-1}), the roots of
z^2 - (1 + beta)(1 - lr L) z + beta (1 - lr L) = 0 and the stability limit
lr < (2 + 2 beta) / ((1 + 2 beta) L), below heavy ball's for every beta > 0.

Direction by direction: on a quadratic with Hessian curvatures lambda_i (its eigenvalues), the
error's component e along each eigenvector and the buffer's component b along it evolve on
their own, by a 2 x 2 matrix (``direction_map``) acting on (e_t, b_{t-1})::

    heavy ball: [[1 - lr lambda, -lr beta  ], [lambda, beta]]
    Nesterov:   [[1 - lr lambda (1 + beta), -lr beta^2], [lambda, beta]]

Its spectral radius (``spectral_radius``) is that direction's rate, and the slowest direction
sets the run's rate (``rate_map`` over a grid of learning rates and momenta). ``best_tuning``
gives the (lr, beta) that is fastest on curvatures between mu and L.

For the notebook's figures and checks: ``lookahead_steps`` (one step of each method from the same
point and velocity), ``RotatedQuadratic`` (a d-dimensional bowl whose axes are not the
coordinates) and ``envelope_rate`` (a run's measured decay per step).
"""

from __future__ import annotations

import numpy as np

from helpers import validation as check
__all__ = ["rate", "stability_limit", "best_momentum", "best_plain_lr", "nesterov_rate", "nesterov_limit",
           "direction_map", "spectral_radius", "rate_map", "best_tuning", "lookahead_steps",
           "RotatedQuadratic", "envelope_rate"]


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


def _root_sizes(c1, c0):
    """max |z| over the roots of z^2 - c1 z + c0 = 0 (broadcasts)."""
    disc = np.sqrt((c1 * c1 - 4 * c0).astype(complex))
    return np.maximum(np.abs((c1 + disc) / 2), np.abs((c1 - disc) / 2))


def nesterov_rate(lr, curvature, beta):
    """Per-step contraction factor of torch's Nesterov momentum on curvature L (broadcasts).

    max |z| over the roots of z^2 - (1 + beta)(1 - lr L) z + beta (1 - lr L) = 0.
    """
    lr = np.asarray(check.finite_numbers("lr", lr, minimum=0, what="finite and >= 0"))
    L, b = _positive("curvature", curvature), _beta(beta)
    a = 1 - lr * L
    return _root_sizes((1 + b) * a, b * a)


def nesterov_limit(curvature, beta):
    """(2 + 2 beta) / ((1 + 2 beta) L): Nesterov converges on curvature L for 0 < lr below this.

    From the roots above: z = -1 is a root exactly when 1 + (1 + 2 beta)(1 - lr L) = 0, and the
    other two conditions for both roots inside the unit circle (lr L > 0, and
    beta |1 - lr L| < 1) hold up to that point.
    """
    b = _beta(beta)
    return (2 + 2 * b) / ((1 + 2 * b) * _positive("curvature", curvature))


def direction_map(lr, curvature, beta, nesterov=False):
    """The 2 x 2 matrix taking (error, buffer) = (e_t, b_{t-1}) along one eigen-direction of
    curvature lambda to (e_{t+1}, b_t); shape (..., 2, 2) for broadcast inputs.

    heavy ball: e_{t+1} = (1 - lr lambda) e_t - lr beta b_{t-1},   b_t = lambda e_t + beta b_{t-1}
    Nesterov:   e_{t+1} = (1 - lr lambda (1 + beta)) e_t - lr beta^2 b_{t-1},  b_t the same.
    (b_0 = 0 makes the first buffer the first gradient, as torch does.)
    """
    lr = np.asarray(check.finite_numbers("lr", lr, minimum=0, what="finite and >= 0"))
    lam, b = _positive("curvature", curvature), _beta(beta)
    nesterov = check.boolean("nesterov", nesterov)
    lr, lam, b = np.broadcast_arrays(lr, lam, b)
    out = np.empty(lr.shape + (2, 2))
    if nesterov:
        out[..., 0, 0], out[..., 0, 1] = 1 - lr * lam * (1 + b), -lr * b * b
    else:
        out[..., 0, 0], out[..., 0, 1] = 1 - lr * lam, -lr * b
    out[..., 1, 0], out[..., 1, 1] = lam, b
    return out


def spectral_radius(matrices):
    """The largest eigenvalue modulus of each 2 x 2 matrix, shape (..., 2, 2) -> (...).

    A 2 x 2 matrix's eigenvalues are the roots of z^2 - trace z + det = 0.
    """
    m = check.finite_array("matrices", matrices, what="finite 2 x 2 matrices, shape (..., 2, 2)")
    if m.ndim < 2 or m.shape[-2:] != (2, 2):
        check.fail("matrices", matrices, "finite 2 x 2 matrices, shape (..., 2, 2)")
    trace = m[..., 0, 0] + m[..., 1, 1]
    det = m[..., 0, 0] * m[..., 1, 1] - m[..., 0, 1] * m[..., 1, 0]
    return _root_sizes(trace, det)


def rate_map(lrs, betas, curvatures, nesterov=False):
    """The rate of every (beta, lr) pair of a grid: the slowest direction's spectral radius.

    ``lrs`` (n,) and ``betas`` (m,) -> array (m, n), row i for betas[i]: max over ``curvatures``
    of spectral_radius(direction_map(lr, lambda, beta)). For heavy ball on curvatures between
    mu and L, the two ends suffice: a direction's rate is sqrt(beta) while its roots are complex
    and larger the farther lr lambda lies outside that band, on either side, so over [mu, L] the
    slowest curvature is mu or L.
    """
    lrs = check.finite_array("lrs", lrs, ndim=1, minimum=0)
    betas = check.finite_array("betas", betas, ndim=1, minimum=0, what="a 1-d array of numbers in [0, 1)")
    if np.any(betas >= 1):
        check.fail("betas", betas, "a 1-d array of numbers in [0, 1)")
    lams = check.finite_array("curvatures", curvatures, ndim=1, minimum=0, strict=True)
    maps = direction_map(lrs[None, :, None], lams[None, None, :], betas[:, None, None], nesterov)
    return spectral_radius(maps).max(axis=-1)


def best_tuning(mu, L):
    """(lr, beta) fastest on curvatures mu..L: lr = (2 / (sqrt L + sqrt mu))^2,
    beta = ((sqrt L - sqrt mu) / (sqrt L + sqrt mu))^2; its rate is sqrt(beta)."""
    mu, L = _positive("mu", mu), _positive("L", L)
    if np.any(mu > L):
        raise ValueError(f"mu must be <= L, got mu={mu!r}, L={L!r}")
    root_mu, root_L = np.sqrt(mu), np.sqrt(L)
    return (2 / (root_L + root_mu)) ** 2, ((root_L - root_mu) / (root_L + root_mu)) ** 2


def lookahead_steps(grad, point, velocity, lr, beta):
    """One step of heavy ball and of Nesterov from the same ``point`` and ``velocity`` (the last
    step taken), in the velocity form: v' = beta v - lr grad(at), new point = point + v'.

    Heavy ball takes the gradient at ``point``; Nesterov at the look-ahead point + beta v.
    Returns a dict of 2-vectors: "lookahead", "grad_here", "grad_ahead", "heavy_ball", "nesterov".
    """
    grad = check.callable_("grad", grad)
    x = check.finite_array("point", point, ndim=1)
    v = check.finite_array("velocity", velocity, shape=x.shape)
    lr = check.finite_number("lr", lr, minimum=0)
    b = float(_beta(beta))
    ahead = x + b * v
    g_here, g_ahead = np.asarray(grad(x), dtype=float), np.asarray(grad(ahead), dtype=float)
    return {"lookahead": ahead, "grad_here": g_here, "grad_ahead": g_ahead,
            "heavy_ball": ahead - lr * g_here, "nesterov": ahead - lr * g_ahead}


class RotatedQuadratic:
    """f(x) = x^T H x / 2 in d dimensions, H = Q diag(curvatures) Q^T with Q a rotation drawn from
    ``seed``: a problem for helpers.descent.run whose coordinates mix the eigen-directions.

    ``basis`` is Q (column i: the eigenvector of curvatures[i]); ``to_eigen(x)`` gives x's
    components along the eigenvectors, x @ Q (works on batches and paths).
    """

    def __init__(self, curvatures, seed=0):
        self.curvatures = check.finite_array("curvatures", curvatures, ndim=1, minimum=0, strict=True)
        seed = check.integer("seed", seed, minimum=0)
        d = self.curvatures.size
        q, r = np.linalg.qr(np.random.default_rng(seed).standard_normal((d, d)))
        self.basis = q * np.where(np.diag(r) < 0, -1.0, 1.0)      # the signs fixed: the same Q everywhere
        self.hessian = (self.basis * self.curvatures) @ self.basis.T

    def loss(self, x):
        return 0.5 * np.einsum("...i,ij,...j->...", x, self.hessian, x)

    def grad(self, x):
        return x @ self.hessian

    def to_eigen(self, x):
        return np.asarray(x, dtype=float) @ self.basis


def envelope_rate(values, first, last, window=40, refine=3):
    """The per-step decay of an oscillating, shrinking sequence, measured between two steps.

    ``values`` (steps + 1, ...): |values| over the ``window`` steps up to ``first`` and up to ``last``;
    the largest in each window is compared, and (late / early)^(1 / (last - first)) returned (shape
    values.shape[1:]). A spiral's largest sample can sit anywhere in its window, which jitters the
    baseline, so each estimate r is refined ``refine`` times by carrying every sample to its window's
    last step first (|v_t| r^(end - t)) and comparing again. NaN (a diverged run) stays NaN; a
    sequence that has reached 0 gives 0.
    """
    v = np.abs(check.as_floats("values", values))
    first = check.integer("first", first, minimum=1, maximum=max(len(v) - 2, 1))
    last = check.integer("last", last, minimum=first + 1, maximum=len(v) - 1 if len(v) > 1 else 1)
    window = check.integer("window", window, minimum=1, maximum=first + 1)
    refine = check.integer("refine", refine, minimum=0)
    to_end = np.arange(window - 1, -1, -1).reshape((window,) + (1,) * (v.ndim - 1))   # steps to the window's end
    early, late = v[first - window + 1:first + 1], v[last - window + 1:last + 1]
    r = np.ones(v.shape[1:])
    with np.errstate(divide="ignore", invalid="ignore", over="ignore", under="ignore"):
        for _ in range(refine + 1):
            carry = np.where(np.isfinite(r) & (r > 0), r, 1.0) ** to_end
            a, b = np.max(early * carry, axis=0), np.max(late * carry, axis=0)
            ratio = np.where(a > 0, b / np.where(a > 0, a, 1.0), 0.0)
            r = np.where(np.isnan(a) | np.isnan(b), np.nan, ratio) ** (1.0 / (last - first))
    return r
