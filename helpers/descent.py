"""The training loop: the only one in the package. Every notebook's runs go through ``run``.

``run(problem, optimizer, x0, steps)`` is the loop the course teaches::

    state = optimizer.init(x_0)
    for s = 1, 2, ..., steps:
        g = the gradient at x_{s-1} for step s - 1      # exact, or from this step's mini-batch
        x_s, state = optimizer.step(x_{s-1}, g, state)
        record x_s and its loss; stop a run whose loss blows up

and returns a ``Trace`` of the positions and losses.

What feeds the gradient is ``problem``, one small object with one protocol:

    problem.loss(x)           the loss recorded for x (shape (..., d) -> (...)): for data, the loss
                              on the whole training set
    problem.grad(x)           the exact gradient, if the problem has one (a surface, a full batch)
    problem.grad_at(x, step)  optional: the gradient the optimizer sees at update ``step``
                              (0, 1, ...), e.g. the mean over that step's mini-batch. ``run`` uses
                              it when present, else ``grad(x)``.
    problem.batch_size        optional: examples per step; the trace then has ``examples_seen``
    problem.val_loss(x)       optional: a held-out loss, recorded with ``run(..., held_out=True)``

A helpers.surfaces.Surface is such a problem, and so is a small class written in a notebook
with ``loss`` and ``grad``; helpers.problems has mini-batches of a data set, a surface with Gaussian
gradient noise, and a network trained on mini-batches.

A run *diverges* at step s when x_s or its loss is not finite, or the loss exceeds ``max_loss``.
The run is then cut there: the trace keeps x_0 .. x_{s-1} and records ``diverged_at = s``. No NumPy
warning is ever emitted on the way.

Pass a batch of starts, x0 of shape (K, d), to advance K runs together (for instance with a
learning rate of shape (K, 1), one per run, or an ``optim.Group`` of optimizers, one per row):
each run diverges on its own, and its entries from its divergence on are NaN.

``keep_path=False`` keeps only the start and the last position (and every loss): for long runs
and large sweeps. A run whose record would pass ``MAX_RECORD_BYTES`` is refused before it starts.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass

import numpy as np

from helpers import validation as check

MAX_RECORD_BYTES = 2**30    # 1 GiB: a run that would record more is refused, with the reason


@dataclass(frozen=True)
class Trace:
    """Path of one run, or of K runs side by side.

    One run:  xs (n + 1, d) positions, x_0 included; losses (n + 1,);
              diverged_at: the step s at which it diverged (xs then stops at
              x_{s-1}), or None.
    K runs:   xs (steps + 1, K, d); losses (steps + 1, K), NaN from each run's
              divergence on; diverged_at: tuple of K step-or-None.
              ``single(k)`` gives run k alone.
    With ``keep_path=False`` xs holds two rows: the start and the last position.
    examples_seen: examples used up to each recorded step (problems with a ``batch_size``), else None.
    held_out: the problem's ``val_loss`` at each recorded step (``held_out=True``), else None.
    state: the optimizer's state after the last step (Adam's ``m`` and ``v``, say).
    """

    xs: np.ndarray
    losses: np.ndarray
    diverged_at: int | None | tuple
    examples_seen: np.ndarray | None = None
    held_out: np.ndarray | None = None
    state: object = None

    @property
    def batched(self) -> bool:
        return self.losses.ndim == 2

    @property
    def final(self) -> np.ndarray:
        """The last position: (d,) for one run (its last finite one); (K, d), NaN for runs that diverged."""
        if not self.batched:
            return self.xs[-1]
        diverged = np.array([d is not None for d in self.diverged_at])
        return np.where(diverged[:, None], np.nan, self.xs[-1])

    @property
    def final_loss(self):
        """Loss at the last step: a number for one run (its last finite one); (K,), NaN where diverged."""
        return self.losses[-1]

    def single(self, k: int) -> "Trace":
        """Run k of a batched trace, as a one-run Trace (cut at its divergence)."""
        k = check.integer("k", k)
        if not self.batched:
            if k != 0:
                raise ValueError(f"k must be 0 for a single-run trace, got k={k!r}")
            return self
        n_runs = self.losses.shape[1]
        if not -n_runs <= k < n_runs:
            raise ValueError(f"k must index one of the {n_runs} runs, got k={k!r}")
        stop = self.diverged_at[k]
        end = len(self.losses) if stop is None else stop
        xs = self.xs[:end, k] if len(self.xs) == len(self.losses) else self.xs[:, k]
        cut = (lambda a: None if a is None else a[:end].copy())
        return Trace(xs.copy(), self.losses[:end, k].copy(), stop,
                     cut(self.examples_seen), None if self.held_out is None else self.held_out[:end, k].copy())


def _alive(x, loss, max_loss):
    """True where a position and its loss are finite and the loss is <= max_loss."""
    return np.all(np.isfinite(x), axis=-1) & np.isfinite(loss) & (loss <= max_loss)


def _start_loss(problem, x):
    """The loss at the start, where a start that does not fit the problem is reported as x0's fault."""
    try:
        return problem.loss(x)
    except ValueError as error:
        raise ValueError(f"x0 must be a start the problem accepts, got x0 of shape {x.shape}: {error}") from None


def gradient_source(problem):
    """``grad(x, step)`` for a problem: its ``grad_at`` if it has one, else its exact ``grad``."""
    if hasattr(problem, "grad_at"):
        return problem.grad_at
    return lambda x, step: problem.grad(x)


def run(problem, optimizer, x0, steps, max_loss=1e12, keep_path=True, held_out=False) -> Trace:
    """Take ``steps`` optimizer steps from x0 on ``problem``; return the Trace.

    x0 of shape (d,) runs once; x0 of shape (K, d) runs K starts at once.
    Raises ValueError for a non-finite x0, a negative or non-integer number of
    steps, a max_loss that is not a number, or a record too large to keep.
    """
    x = check.finite_array("x0", x0, ndim=(1, 2),
                           what="a finite point of shape (d,) or a batch of points of shape (K, d)")
    steps = check.integer("steps", steps, minimum=0)
    if not (check.is_real(max_loss) and not math.isnan(max_loss)):
        check.fail("max_loss", max_loss, "a number", wrong_kind=not check.is_real(max_loss))
    for method in ("loss", "grad_at" if hasattr(problem, "grad_at") else "grad"):
        if not callable(getattr(problem, method, None)):
            check.fail("problem", problem, "a problem with loss and grad (or grad_at) methods", wrong_kind=True)
    for method in ("init", "step"):
        if not callable(getattr(optimizer, method, None)):
            check.fail("optimizer", optimizer, "an optimizer with init and step methods", wrong_kind=True)
    if held_out and not hasattr(problem, "val_loss"):
        raise ValueError(f"held_out=True needs a problem with val_loss, got {type(problem).__name__}")
    per_step = (x.size if keep_path else 0) + (x.size // x.shape[-1]) * (2 if held_out else 1)
    if 8 * (int(steps) + 1) * per_step > MAX_RECORD_BYTES:
        raise ValueError(f"steps={steps!r} would record {8 * (int(steps) + 1) * per_step / 2**30:.1f} GiB "
                         f"(limit {MAX_RECORD_BYTES / 2**30:.0f} GiB): take fewer steps or runs"
                         + ("" if not keep_path else ", or pass keep_path=False"))
    loop = _run_one if x.ndim == 1 else _run_batch
    with np.errstate(all="ignore"):   # overflow is detected below, never printed
        trace = loop(problem, optimizer, x, int(steps), max_loss, keep_path, held_out)
    batch_size = getattr(problem, "batch_size", None)
    if batch_size is None:
        return trace
    return dataclasses.replace(trace, examples_seen=int(batch_size) * np.arange(len(trace.losses)))


def _run_one(problem, optimizer, x, steps, max_loss, keep_path, held_out):
    grad = gradient_source(problem)
    loss = float(_start_loss(problem, x))
    if not _alive(x, loss, max_loss):
        return Trace(np.empty((0, x.size)), np.empty(0), 0, None, np.empty(0) if held_out else None, None)
    start, xs, losses, diverged_at = x, [x], [loss], None
    held = [float(problem.val_loss(x))] if held_out else None
    state = optimizer.init(x)
    for s in range(1, steps + 1):
        new, state = optimizer.step(x, grad(x, s - 1), state)
        loss = float(problem.loss(new))
        if not _alive(new, loss, max_loss):
            diverged_at = s
            break
        x = new
        if keep_path:
            xs.append(x)
        losses.append(loss)
        if held_out:
            held.append(float(problem.val_loss(x)))
    kept = np.array(xs) if keep_path else np.array([start, x])
    return Trace(kept, np.array(losses), diverged_at, None, None if held is None else np.array(held), state)


def _run_batch(problem, optimizer, x, steps, max_loss, keep_path, held_out):
    grad = gradient_source(problem)
    n_runs = x.shape[0]
    xs = np.full(((steps + 1) if keep_path else 2,) + x.shape, np.nan)
    losses = np.full((steps + 1, n_runs), np.nan)
    held = np.full((steps + 1, n_runs), np.nan) if held_out else None
    diverged_at = np.zeros(n_runs, dtype=int)      # 0 = still running (set when it stops)
    loss = _start_loss(problem, x)
    alive = _alive(x, loss, max_loss)
    xs[0, alive] = x[alive]
    last = x.copy()                                 # each run's last finite position (keep_path=False)
    state = optimizer.init(x)
    for s in range(steps + 1):
        if s > 0:
            x, state = optimizer.step(x, grad(x, s - 1), state)
            loss = problem.loss(x)
            now = alive & _alive(x, loss, max_loss)
            diverged_at[alive & ~now] = s
            alive = now
        if not alive.any():
            break
        if keep_path:
            xs[s, alive] = x[alive]
        else:
            last[alive] = x[alive]
        losses[s, alive] = loss[alive]
        if held_out:
            held[s, alive] = problem.val_loss(x)[alive]
    if not keep_path:
        xs[1] = np.where(np.isnan(xs[0]), np.nan, last)   # single(k) keeps the last finite position
    diverged = tuple(int(d) if not ok else None for d, ok in zip(diverged_at, alive))
    return Trace(xs, losses, diverged, None, held, state)
