"""How noisy is a mini-batch gradient, and what does the noise do to a run?

Mini-batch gradient: the mean of B per-example gradients drawn without replacement
from n. Its error against the full gradient g has size (root mean square)

    noise(B) = sigma_1 / sqrt(B) * sqrt((n - B) / (n - 1))

where sigma_1^2 = (1/n) sum_i |g_i - g|^2 is the spread of the per-example gradients.
The first factor is the familiar 1/sqrt(B); the second, the finite-population
correction, is close to 1 for B << n and pulls the noise to exactly 0 at B = n
(the batch is the whole data set).

``helpers.problems.NoisyGradient`` is a *model* of mini-batch noise, not mini-batch sampling:
a surface with a Gaussian error of standard deviation sigma added to each gradient coordinate,
so that SGD steps p <- p - lr * (grad f(p) + sigma * xi),  xi ~ N(0, I).

``tilted_examples`` turns a surface into a data set, so that its noise comes from real
mini-batches: example i has loss  l_i(p) = f(p) + c_i . p,  with tilts c_i that average
to zero. The full-data loss is exactly f, and a batch S has gradient
grad f(p) + mean_{i in S} c_i: the error is the mean of B tilts drawn without replacement.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from helpers import data
from helpers import validation as check

__all__ = ["batch_gradient_errors", "gradient_noise", "predicted_noise",
           "TiltedExamples", "tilted_examples"]


def _per_example(per_example_grads):
    G = check.as_floats("per_example_grads", per_example_grads)
    if G.ndim != 2 or len(G) < 2:
        raise ValueError(f"per_example_grads must have shape (n, d) with n >= 2, "
                         f"got per_example_grads with shape {G.shape}")
    return G


def _batch_sizes(batch_sizes, n):
    try:
        sizes = np.asarray(batch_sizes)
    except ValueError:                       # ragged input: numpy's own message names no argument
        sizes = np.asarray([], dtype=float)
    if sizes.ndim != 1 or sizes.size == 0 or sizes.dtype.kind not in "iu" or np.any(sizes < 1) or np.any(sizes > n):
        raise ValueError(f"batch_sizes must be integers between 1 and n={n}, "
                         f"got batch_sizes={batch_sizes!r}")
    return sizes


def batch_gradient_errors(per_example_grads, batch_size, draws, rng=None):
    """``draws`` mini-batch gradients minus the full gradient; shape (draws, d).

    Each batch is ``batch_size`` distinct examples (without replacement).
    """
    G = _per_example(per_example_grads)
    batch_size = check.integer("batch_size", batch_size, minimum=1, maximum=len(G))
    draws = check.integer("draws", draws, minimum=1, what="a positive integer")
    gen = data.as_generator(rng)
    idx = np.argsort(gen.random((draws, len(G))), axis=1)[:, :batch_size]
    return G[idx].mean(axis=1) - G.mean(axis=0)


def gradient_noise(per_example_grads, batch_sizes, draws=400, rng=None):
    """Measured noise(B): root mean square of |g_B - g| over ``draws`` batches, for each B."""
    G = _per_example(per_example_grads)
    sizes = _batch_sizes(batch_sizes, len(G))
    gen = data.as_generator(rng)
    return np.array([np.sqrt(np.mean(np.sum(batch_gradient_errors(G, int(b), draws, gen) ** 2, axis=1)))
                     for b in sizes])


def predicted_noise(per_example_grads, batch_sizes, finite_population=True):
    """sigma_1 / sqrt(B), times sqrt((n - B)/(n - 1)) if ``finite_population``."""
    G = _per_example(per_example_grads)
    n = len(G)
    sizes = _batch_sizes(batch_sizes, n).astype(float)
    sigma1 = np.sqrt(np.mean(np.sum((G - G.mean(axis=0)) ** 2, axis=1)))
    noise = sigma1 / np.sqrt(sizes)
    return noise * np.sqrt((n - sizes) / (n - 1)) if finite_population else noise


@dataclass(frozen=True)
class TiltedExamples:
    """n examples on a surface f: example i has loss f(p) + c_i . p, with mean_i c_i = 0.

    ``loss(p, c, y)`` and ``grad(p, c, y)`` average over the examples in ``c`` (shape
    (..., m, 2)); ``y`` is ignored. They have the model signature helpers.problems.MiniBatches
    expects: pass ``tilts`` as x and any array of length n as y.
    """

    surface: object
    tilts: np.ndarray        # (n, 2), each column with mean 0

    def loss(self, p, c, y=None):
        """f(p) + p . mean(c): exactly f(p) on the whole data set."""
        return self.surface.loss(p) + np.sum(np.asarray(p) * np.mean(c, axis=-2), axis=-1)

    def grad(self, p, c, y=None):
        """grad f(p) + mean(c): the batch's error is the mean of its tilts."""
        return self.surface.grad(p) + np.mean(c, axis=-2)

    def noise(self, batch_size):
        """Standard deviation of each coordinate of the batch-gradient error, for batches of
        ``batch_size`` drawn without replacement: std(c) / sqrt(B) * sqrt((n - B) / (n - 1))."""
        n = len(self.tilts)
        sizes = _batch_sizes(np.atleast_1d(batch_size), n).astype(float)
        factor = np.sqrt((n - sizes) / (n - 1) / sizes)
        return self.tilts.std(axis=0) * factor[:, None]


def tilted_examples(surface, errors):
    """A data set on ``surface`` whose tilts are ``errors`` (n, 2) minus their mean.

    Pass, for example, per-example gradients measured on real data: the batch noise then has
    their size, shape and correlations.
    """
    c = check.as_floats("errors", errors)
    if c.ndim != 2 or c.shape[1] != 2 or len(c) < 2 or not np.all(np.isfinite(c)):
        raise ValueError(f"errors must be a finite array of shape (n, 2) with n >= 2, "
                         f"got errors with shape {c.shape}")
    return TiltedExamples(surface, c - c.mean(axis=0))
