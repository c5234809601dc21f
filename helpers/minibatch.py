"""The training loop on data: take a batch, compute its gradient, let the optimizer step.

    for t in 0, 1, ..., steps - 1:
        idx    = the t-th batch of indices (a fresh shuffle every epoch, helpers.data)
        g      = grad(p, x[idx], y[idx])          # mean gradient over the batch
        p, st  = optimizer.step(p, g, st)         # e.g. SGD: p = p - lr_t * g

``loss(p, x, y)`` and ``grad(p, x, y)`` are the model's functions (helpers.linear_model,
helpers.deep_linear): they take parameters of shape (..., d) and data of shape (..., m)
and average over the last axis. With ``runs=K`` the start is broadcast to (K, d) and every
run draws its own batches, so K runs advance together in one NumPy operation per step.
A batch of size n is the whole data set: full-batch gradient descent.

The loss recorded after every step is the loss on the *whole* data set, so runs with
different batch sizes are compared on the same quantity.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from helpers import data

__all__ = ["MinibatchTrace", "run_minibatch"]


@dataclass(frozen=True)
class MinibatchTrace:
    """What a mini-batch run leaves behind.

    params : (steps + 1, d), or (steps + 1, K, d) for K runs; start included.
    losses : (steps + 1,) or (steps + 1, K): full-data loss after each step.
    examples_seen : (steps + 1,): batch_size * step, the x-axis for fair comparisons.
    diverged_at : step at which the loss passed ``max_loss`` or stopped being finite,
        else None (a tuple with one entry per run for K runs). After divergence a
        run's params and losses are NaN.
    batch_size : the batch size used.
    """

    params: np.ndarray
    losses: np.ndarray
    examples_seen: np.ndarray
    diverged_at: object
    batch_size: int

    @property
    def final_loss(self):
        """Loss after the last step (NaN for a diverged run)."""
        return self.losses[-1]


def run_minibatch(loss, grad, x, y, optimizer, start, batch_size, steps, rng=None,
                  runs=None, max_loss=1e12, indices=None):
    """Run ``optimizer`` for ``steps`` mini-batch updates; return a MinibatchTrace.

    ``rng`` (Generator, seed or None) draws the batches unless ``indices`` of shape
    (steps, batch_size) or (steps, K, batch_size) is given. ``batch_size == len(x)``
    gives full-batch descent (every batch is the whole data set, in some order).
    Never emits a NumPy warning; a diverging run is reported in ``diverged_at``.
    """
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    if x.shape[:1] != y.shape[:1] or x.ndim == 0:
        raise ValueError(f"x and y must hold the same number of examples, "
                         f"got x.shape={x.shape}, y.shape={y.shape}")
    start = np.asarray(start, dtype=float)
    if start.ndim != 1 or not np.all(np.isfinite(start)):
        raise ValueError(f"start must be a finite 1-D parameter vector, got start={start!r}")
    if indices is None:
        indices = data.minibatch_indices(len(x), batch_size, steps, rng, runs=runs)
    else:
        indices = np.asarray(indices)
        expected = (steps, batch_size) if runs is None else (steps, runs, batch_size)
        if indices.shape != expected:
            raise ValueError(f"indices must have shape {expected}, got indices.shape={indices.shape}")
    shape = start.shape if runs is None else (runs,) + start.shape
    p = np.broadcast_to(start, shape).copy()
    state = optimizer.init(p)
    params = np.full((steps + 1,) + shape, np.nan)
    losses = np.full((steps + 1,) + shape[:-1], np.nan)
    alive = np.ones(shape[:-1], dtype=bool)
    diverged = np.full(shape[:-1], -1)
    with np.errstate(all="ignore"):
        params[0] = p
        losses[0] = loss(p, x, y)
        for t in range(steps):
            idx = indices[t]
            g = grad(p, x[idx], y[idx])
            g = np.where(alive[..., None], g, 0.0)
            p, state = optimizer.step(p, g, state)
            current = loss(p, x, y)
            bad = alive & ~(np.isfinite(current) & (current <= max_loss)
                            & np.all(np.isfinite(p), axis=-1))
            diverged = np.where(bad, t + 1, diverged)
            alive = alive & ~bad
            p = np.where(alive[..., None], p, 0.0)   # park dead runs at a finite point
            if runs is None and not alive:
                break
            params[t + 1] = np.where(alive[..., None], p, np.nan)
            losses[t + 1] = np.where(alive, current, np.nan)
    if runs is None:
        diverged_at = None if diverged < 0 else int(diverged)
    else:
        diverged_at = tuple(None if d < 0 else int(d) for d in diverged)
    seen = batch_size * np.arange(steps + 1)
    return MinibatchTrace(params, losses, seen, diverged_at, int(batch_size))
