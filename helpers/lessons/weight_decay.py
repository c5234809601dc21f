"""Linear regression with features of very different scales, for comparing
L2 regularisation with decoupled weight decay (notebook on AdamW).

The problem: predict y from d features, feature j having scale s_j::

    X[i, j] = s_j * N(0, 1),    y = X w_true + noise * N(0, 1)
    loss(w) = mean_i (x_i . w - y_i)^2 / 2,     grad(w) = X^T (X w - y) / n

Every function accepts one weight vector w of shape (d,) or a batch W of
shape (K, d) (K runs), so a whole learning-rate x weight-decay grid trains as
one NumPy computation per step.

At large learning rates a full-batch AdamW run can be *chaotic*: the same run with the training
points in another order (the same loss and gradient, summed in another order, so only the rounding
differs) ends somewhere else. ``reproducible_grid`` re-runs a grid in four other orders and marks
such runs NaN, and ``near_best`` / ``near_best_range`` report every decay within 0.5% of a row's
best rather than the single best, because two decays often tie to a part in a thousand and the last
digits of the arithmetic (numpy version, CPU) would decide between them.

Two regularised answers are computed in closed form for reference:

    ridge(lam)  = argmin loss(w) + lam |w|^2 / 2 = (X^T X / n + lam I)^-1 X^T y / n
                  (where SGD + L2 and Adam + L2 settle, whatever the learning rate)
    box(c)      = argmin loss(w) subject to |w_j| <= c for every j
                  (where full-batch AdamW settles for small lr, with c = 1 / weight_decay)
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from helpers import descent
from helpers import validation as check
from helpers.optim import SGD
from helpers.data import as_generator

__all__ = ["ScaledRegression", "scaled_regression", "lr_wd_grid", "reproducible_grid", "unstable_fraction",
           "near_best", "near_best_range", "grid_heatmap"]


@dataclass(frozen=True)
class ScaledRegression:
    """Training data (X, y), held-out data (X_val, y_val) and the true weights."""

    X: np.ndarray
    y: np.ndarray
    X_val: np.ndarray
    y_val: np.ndarray
    w_true: np.ndarray
    scales: np.ndarray

    @property
    def dim(self) -> int:
        return self.X.shape[1]

    def loss(self, w):
        """Training loss, shape w.shape[:-1]."""
        r = np.asarray(w, dtype=float) @ self.X.T - self.y
        return 0.5 * np.mean(r * r, axis=-1)

    def val_loss(self, w):
        """Held-out loss (data the optimizer never sees), shape w.shape[:-1]."""
        r = np.asarray(w, dtype=float) @ self.X_val.T - self.y_val
        return 0.5 * np.mean(r * r, axis=-1)

    def grad(self, w):
        """X^T (X w - y) / n, same shape as w."""
        r = np.asarray(w, dtype=float) @ self.X.T - self.y
        return r @ self.X / len(self.y)

    def least_squares(self):
        """The unregularised minimiser (needs n >= d)."""
        return np.linalg.lstsq(self.X, self.y, rcond=None)[0]

    def ridge(self, lam):
        """argmin loss(w) + lam |w|^2 / 2."""
        lam = check.finite_number("lam", lam, minimum=0)
        n = len(self.y)
        return np.linalg.solve(self.X.T @ self.X / n + lam * np.eye(self.dim), self.X.T @ self.y / n)

    def box(self, bound, steps=20000):
        """argmin loss(w) subject to |w_j| <= bound: projected descent with Nesterov momentum.

        Plain projected descent stalls on an ill-conditioned problem (condition number ~5e4 for
        notebook 08's 30 features: 20000 steps leave it far from the box); momentum
        (sqrt(L) - sqrt(mu)) / (sqrt(L) + sqrt(mu)) with lr 1/L converges to rounding error.
        """
        bound = check.finite_number("bound", bound, minimum=0, strict=True)
        curvatures = np.linalg.eigvalsh(self.X.T @ self.X / len(self.y))
        L, mu = curvatures[-1], max(curvatures[0], 0.0)
        beta = min((np.sqrt(L) - np.sqrt(mu)) / (np.sqrt(L) + np.sqrt(mu)), 0.999)
        opt = _Projected(SGD(1.0 / L, momentum=float(beta), nesterov=True), bound)
        return descent.run(self, opt, np.zeros(self.dim), steps, keep_path=False).final


class _Projected:
    """An optimizer followed by clipping every weight into [-bound, bound] (projected descent)."""

    def __init__(self, optimizer, bound):
        self.optimizer, self.bound = optimizer, bound

    def init(self, params):
        return self.optimizer.init(params)

    def step(self, params, grads, state):
        new, state = self.optimizer.step(params, grads, state)
        return np.clip(new, -self.bound, self.bound), state


def scaled_regression(scales, w_true, n=200, n_val=1000, noise=0.5, rng=None):
    """Draw a ScaledRegression problem: feature j has scale ``scales[j]``."""
    s = check.finite_array("scales", scales, ndim=1, minimum=0, strict=True,
                           what="a 1-D array of finite numbers > 0")
    w = check.finite_array("w_true", w_true, shape=s.shape,
                           what=f"finite with the shape of scales {s.shape}")
    n, n_val = check.integer("n", n, minimum=1), check.integer("n_val", n_val, minimum=1)
    noise = check.finite_number("noise", noise, minimum=0)
    g = as_generator(rng)
    X = g.normal(size=(n, len(s))) * s
    y = X @ w + noise * g.normal(size=n)
    X_val = g.normal(size=(n_val, len(s))) * s
    y_val = X_val @ w + noise * g.normal(size=n_val)
    return ScaledRegression(X, y, X_val, y_val, w, s)


def lr_wd_grid(problem, make_optimizer, lrs, weight_decays, steps):
    """Held-out loss after ``steps`` updates for every (lr, weight_decay) pair.

    ``make_optimizer(lr, weight_decay)`` receives arrays of shape (K, 1) (K =
    len(lrs) * len(weight_decays)) and returns one optimizer, so the whole grid
    is one batched run from w = 0. Returns an array (len(lrs), len(weight_decays));
    a run that blew up reads inf.
    """
    lrs = check.finite_array("lrs", lrs, ndim=1, minimum=0, what="a non-empty 1-D array of numbers >= 0")
    wds = check.finite_array("weight_decays", weight_decays, ndim=1, minimum=0,
                             what="a non-empty 1-D array of numbers >= 0")
    check.callable_("make_optimizer", make_optimizer)
    LR, WD = np.meshgrid(lrs, wds, indexing="ij")
    opt = make_optimizer(LR.reshape(-1, 1), WD.reshape(-1, 1))
    w = descent.run(problem, opt, np.zeros((LR.size, problem.dim)), steps, keep_path=False).final
    with np.errstate(all="ignore"):
        val = problem.val_loss(w)
    return np.where(np.isfinite(val), val, np.inf).reshape(LR.shape)


def reproducible_grid(problem, make_optimizer, lrs, weight_decays, steps, rtol=0.03):
    """``lr_wd_grid`` with every chaotic run set to NaN (a run that blew up still reads inf).

    The grid is trained five times, on the same training points in five orders (as given, reversed,
    odd before even, second half first, every third point first): the same loss and gradient, only
    summed in another order, so only the rounding differs, as it does from one numpy version or CPU
    to the next. A run is chaotic when its held-out losses over the five orders spread by more than
    ``rtol`` (relative to the lowest), or when it blows up in some orders and not in others. The
    finite entries are the runs of the first order whose result every machine agrees on.
    """
    rtol = check.finite_number("rtol", rtol, minimum=0, strict=True)
    n = len(problem.y)
    runs = np.array([lr_wd_grid(_reordered(problem, order), make_optimizer, lrs, weight_decays, steps)
                     for order in _orders(n)])
    grid, finite = runs[0], np.isfinite(runs)
    with np.errstate(invalid="ignore"):
        spread = np.max(runs, axis=0) - np.min(runs, axis=0) > rtol * np.min(runs, axis=0)
    chaotic = np.where(finite.all(axis=0), spread, finite.any(axis=0))
    return np.where(chaotic, np.nan, grid)


def _orders(n):
    """Five orders of n training points: as given, reversed, odd before even, halves swapped,
    every third point first."""
    i = np.arange(n)
    return [i, i[::-1], np.r_[i[1::2], i[::2]], np.roll(i, -(n // 2)), np.r_[i[::3], i[1::3], i[2::3]]]


def _reordered(problem, order):
    """``problem`` with its training points in ``order``: the same loss, summed in another order."""
    return ScaledRegression(problem.X[order], problem.y[order], problem.X_val, problem.y_val,
                            problem.w_true, problem.scales)


def unstable_fraction(grid):
    """Fraction of grid cells whose run blew up (inf)."""
    return float(np.mean(np.isinf(np.asarray(grid, dtype=float))))


def _grid_and_decays(grid, weight_decays):
    grid = check.as_floats("grid", grid)
    wds = check.finite_array("weight_decays", weight_decays, ndim=1)
    if grid.ndim != 2 or grid.shape[1] != wds.size:
        raise ValueError(f"grid must have shape (len(lrs), {wds.size}), got grid.shape={grid.shape}")
    return grid, wds


def near_best(grid, rtol=0.005):
    """True for every cell whose held-out loss is within ``rtol`` (relative) of its row's lowest
    finite one; NaN (chaotic) and inf (blew up) cells are never near-best. Shape of ``grid``."""
    grid = check.as_floats("grid", grid)
    if grid.ndim != 2:
        raise ValueError(f"grid must be 2-D (rows: learning rates), got grid.shape={grid.shape}")
    rtol = check.finite_number("rtol", rtol, minimum=0)
    finite = np.isfinite(grid)
    best = np.min(np.where(finite, grid, np.inf), axis=1, keepdims=True)
    with np.errstate(invalid="ignore"):
        return finite & (grid <= best + rtol * np.abs(best))


def near_best_range(grid, weight_decays, rtol=0.005):
    """(lowest, highest) weight decay within ``rtol`` of each row's best, shape (len(lrs), 2);
    NaN for a row with no finite run. Equal ends: one decay is best by more than ``rtol``.
    The decays in between need not all be near-best (``near_best`` says which are)."""
    grid, wds = _grid_and_decays(grid, weight_decays)
    near = near_best(grid, rtol)
    low = np.where(near, wds, np.inf).min(axis=1)
    high = np.where(near, wds, -np.inf).max(axis=1)
    return np.where(near.any(axis=1)[:, None], np.stack([low, high], axis=1), np.nan)


def grid_heatmap(grid, lrs, weight_decays, ax=None, vmin=None, vmax=None, rtol=0.005):
    """Draw log10 of a ``lr_wd_grid`` / ``reproducible_grid`` result (rows: lrs, columns:
    weight_decays, both on log axes) with a star on every decay within ``rtol`` of its row's best
    (``near_best``). Blown-up runs stay white; chaotic runs (NaN) are grey.
    Returns the QuadMesh (for a colorbar)."""
    import matplotlib.pyplot as plt
    from matplotlib.colors import ListedColormap
    from matplotlib.patches import Rectangle

    if ax is None:
        ax = plt.gca()
    grid, wds = _grid_and_decays(grid, weight_decays)
    x, y = np.log10(wds), np.log10(check.finite_array("lrs", lrs, ndim=1))
    logs = np.log10(np.where(np.isfinite(grid) & (grid > 0), grid, np.nan))
    mesh = ax.pcolormesh(x, y, logs, vmin=vmin, vmax=vmax, cmap="viridis", shading="nearest")
    if np.isnan(grid).any():
        ax.pcolormesh(x, y, np.where(np.isnan(grid), 1.0, np.nan), cmap=ListedColormap(["0.7"]),
                      shading="nearest")
        ax.add_patch(Rectangle((x[0], y[0]), 0, 0, color="0.7", label="chaotic run (grey)"))   # legend entry
    rows, cols = np.nonzero(near_best(grid, rtol))
    ax.plot(x[cols], y[rows], "*", color="white", markersize=13, markeredgecolor="black",
            markeredgewidth=1.0, linestyle="none", label=f"held-out loss within {100 * rtol:g}% of the row's best")
    ax.set_ylabel("log10 learning rate")
    ax.grid(False)
    return mesh
