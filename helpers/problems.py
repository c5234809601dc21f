"""Problems for the training loop (helpers.descent.run) whose gradient is not a surface's exact one.

Each is a small object with the loop's protocol (see helpers.descent): ``loss(x)``, the loss the
trace records, and ``grad_at(x, step)``, the gradient the optimizer sees at update ``step``.

    MiniBatches(loss, grad, x, y, batch_size, steps, rng)   a model on a data set, one mini-batch
                                                             per step (fresh shuffle every epoch)
    NoisyGradient(surface, sigma, rng, runs)                 a surface's gradient plus Gaussian noise:
                                                             a model of mini-batch noise

Both draw all their randomness from the generator they are given, in a fixed order, so a run is
the same every time for the same seed.
"""

from __future__ import annotations

import numpy as np

from helpers import data
from helpers import validation as check

__all__ = ["MiniBatches", "NoisyGradient"]


class MiniBatches:
    """A model trained on a data set, one mini-batch per step.

    ``loss(p, x, y)`` and ``grad(p, x, y)`` are the model's functions (for instance
    helpers.lessons.linear_model's): parameters of shape (..., d), data of shape (..., m), averaged
    over the examples. The batches are drawn up front, ``steps`` of them, from ``rng``
    (helpers.data.minibatch_indices: a fresh shuffle every epoch), or given as ``indices`` of
    shape (steps, batch_size), or (steps, runs, batch_size). With ``runs=K`` each of K runs draws
    its own batches (start them from ``tile(x0)``). A batch of size n is the whole data set:
    full-batch gradient descent.

    The loss recorded is the loss on the *whole* data set, so runs with different batch sizes are
    compared on the same quantity, and ``batch_size`` gives the trace its ``examples_seen``.
    """

    def __init__(self, loss, grad, x, y, batch_size, steps, rng=None, runs=None, indices=None):
        check.callable_("loss", loss)
        check.callable_("grad", grad)
        x, y = check.finite_array("x", x), check.finite_array("y", y)
        if x.ndim == 0 or x.shape[:1] != y.shape[:1]:
            raise ValueError(f"x and y must hold the same number of examples, "
                             f"got x.shape={x.shape}, y.shape={y.shape}")
        if indices is None:
            indices = data.minibatch_indices(len(x), batch_size, steps, rng, runs=runs)
        else:
            batch_size, steps = check.integer("batch_size", batch_size, minimum=1), check.integer("steps", steps, minimum=1)
            if runs is not None:
                runs = check.integer("runs", runs, minimum=1)
            indices = np.asarray(indices)
            expected = (steps, batch_size) if runs is None else (steps, runs, batch_size)
            if indices.shape != expected or indices.dtype.kind not in "iu" or np.any((indices < 0) | (indices >= len(x))):
                raise ValueError(f"indices must be integers in 0..{len(x) - 1} of shape {expected}, "
                                 f"got indices.shape={indices.shape}")
        self._loss, self._grad, self.x, self.y = loss, grad, x, y
        self.indices, self.batch_size, self.steps, self.runs = indices, int(batch_size), int(steps), runs

    def tile(self, x0):
        """The start for every run: x0 (d,) as it is, or repeated to (runs, d)."""
        x0 = np.asarray(x0, dtype=float)
        return x0 if self.runs is None else np.tile(x0, (self.runs, 1))

    def loss(self, p):
        """Loss on the whole data set."""
        return self._loss(p, self.x, self.y)

    def grad_at(self, p, step):
        """Mean gradient over the batch of update ``step``."""
        if not 0 <= step < self.steps:
            raise ValueError(f"step must be in 0..{self.steps - 1} (batches drawn for {self.steps} steps), "
                             f"got step={step!r}")
        idx = self.indices[step]
        return self._grad(p, self.x[idx], self.y[idx])


class NoisyGradient:
    """A surface whose gradient arrives with Gaussian noise: grad f(p) + sigma * xi, xi ~ N(0, I).

    A model of mini-batch noise, not mini-batch sampling. ``sigma`` is a number, or one per run
    (shape (runs,)) for a batch of ``runs`` starts; the noise is drawn from ``rng`` at each step.
    The loss recorded is the surface's, without noise.
    """

    def __init__(self, surface, sigma, rng=None, runs=1):
        runs = check.integer("runs", runs, minimum=1)
        sigma = check.finite_numbers("sigma", sigma, minimum=0, what="finite and >= 0 (a number, or one per run)")
        try:
            sigma = np.broadcast_to(sigma, (runs,))
        except ValueError:
            check.fail("sigma", sigma, f"a number or an array of shape ({runs},)")
        for method in ("loss", "grad"):
            if not callable(getattr(surface, method, None)):
                check.fail("surface", surface, "a surface with loss and grad", wrong_kind=True)
        self.surface, self.sigma, self.runs = surface, sigma, int(runs)
        self.rng = data.as_generator(rng)

    def loss(self, p):
        return self.surface.loss(p)

    def grad_at(self, p, step):
        """The exact gradient plus fresh noise (the same draws, in the same order, for a seed)."""
        noise = self.sigma[:, None] * self.rng.standard_normal((self.runs, np.shape(p)[-1]))
        return self.surface.grad(p) + (noise if np.ndim(p) == 2 else noise[0])
