"""Run an optimizer on a surface and record the path.

``run(surface, optimizer, x0, steps)`` repeats the loop of gradient descent::

    state = optimizer.init(x_0)
    for s = 1, 2, ..., steps:
        x_s, state = optimizer.step(x_{s-1}, surface.grad(x_{s-1}), state)

and returns a ``Trace`` of the positions and losses. ``surface`` is anything
with ``loss(points)`` and ``grad(points)`` working on arrays of shape (..., d):
a helpers.surfaces.Surface, or a small object written in a notebook.

A run *diverges* at step s when x_s or its loss is not finite, or the loss
exceeds ``max_loss``. The run is then cut there: the trace keeps x_0 .. x_{s-1}
and records ``diverged_at = s``. No NumPy warning is ever emitted on the way.

Pass a batch of starts, x0 of shape (K, d), to advance K runs together (for
instance with a learning rate of shape (K, 1), one per run): each run diverges
on its own, and its entries from its divergence on are NaN.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Trace:
    """Path of one run, or of K runs side by side.

    One run:  xs (n + 1, d) positions, x_0 included; losses (n + 1,);
              diverged_at: the step s at which it diverged (xs then stops at
              x_{s-1}), or None.
    K runs:   xs (steps + 1, K, d); losses (steps + 1, K), NaN from each run's
              divergence on; diverged_at: tuple of K step-or-None.
              ``single(k)`` gives run k alone.
    """

    xs: np.ndarray
    losses: np.ndarray
    diverged_at: int | None | tuple

    @property
    def batched(self) -> bool:
        return self.losses.ndim == 2

    def single(self, k: int) -> "Trace":
        """Run k of a batched trace, as a one-run Trace (cut at its divergence)."""
        if not self.batched:
            if k != 0:
                raise ValueError(f"k must be 0 for a single-run trace, got k={k!r}")
            return self
        n_runs = self.losses.shape[1]
        if not -n_runs <= k < n_runs:
            raise ValueError(f"k must index one of the {n_runs} runs, got k={k!r}")
        stop = self.diverged_at[k]
        end = len(self.losses) if stop is None else stop
        return Trace(self.xs[:end, k].copy(), self.losses[:end, k].copy(), stop)


def _alive(x, loss, max_loss):
    """True where a position and its loss are finite and the loss is <= max_loss."""
    return np.all(np.isfinite(x), axis=-1) & np.isfinite(loss) & (loss <= max_loss)


def run(surface, optimizer, x0, steps, max_loss=1e12) -> Trace:
    """Take ``steps`` optimizer steps from x0 on ``surface``; return the Trace.

    x0 of shape (d,) runs once; x0 of shape (K, d) runs K starts at once.
    Raises ValueError for a non-finite x0, a negative or non-integer number of
    steps, or a max_loss that is not a number.
    """
    x = np.array(x0, dtype=float)
    if x.ndim not in (1, 2) or x.size == 0 or not np.all(np.isfinite(x)):
        raise ValueError("x0 must be a finite point of shape (d,) or a batch of points "
                         f"of shape (K, d), got x0={x0!r}")
    if isinstance(steps, bool) or not isinstance(steps, (int, np.integer)) or steps < 0:
        raise ValueError(f"steps must be an integer >= 0, got steps={steps!r}")
    if not isinstance(max_loss, (int, float, np.number)) or math.isnan(max_loss):
        raise ValueError(f"max_loss must be a number, got max_loss={max_loss!r}")
    with np.errstate(all="ignore"):   # overflow is detected below, never printed
        if x.ndim == 1:
            return _run_one(surface, optimizer, x, int(steps), max_loss)
        return _run_batch(surface, optimizer, x, int(steps), max_loss)


def _run_one(surface, optimizer, x, steps, max_loss):
    loss = float(surface.loss(x))
    if not _alive(x, loss, max_loss):
        return Trace(np.empty((0, x.size)), np.empty(0), 0)
    xs, losses, diverged_at = [x], [loss], None
    state = optimizer.init(x)
    for s in range(1, steps + 1):
        x, state = optimizer.step(x, surface.grad(x), state)
        loss = float(surface.loss(x))
        if not _alive(x, loss, max_loss):
            diverged_at = s
            break
        xs.append(x)
        losses.append(loss)
    return Trace(np.array(xs), np.array(losses), diverged_at)


def _run_batch(surface, optimizer, x, steps, max_loss):
    n_runs = x.shape[0]
    xs = np.full((steps + 1,) + x.shape, np.nan)
    losses = np.full((steps + 1, n_runs), np.nan)
    diverged_at = np.zeros(n_runs, dtype=int)      # 0 = still running (set when it stops)
    loss = surface.loss(x)
    alive = _alive(x, loss, max_loss)
    state = optimizer.init(x)
    for s in range(steps + 1):
        if s > 0:
            x, state = optimizer.step(x, surface.grad(x), state)
            loss = surface.loss(x)
            now = alive & _alive(x, loss, max_loss)
            diverged_at[alive & ~now] = s
            alive = now
        if not alive.any():
            break
        xs[s, alive] = x[alive]
        losses[s, alive] = loss[alive]
    diverged = tuple(int(d) if not ok else None for d, ok in zip(diverged_at, alive))
    return Trace(xs, losses, diverged)
