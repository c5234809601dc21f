"""Small synthetic data sets and a mini-batch iterator, all seeded explicitly.

Nothing is downloaded and nothing is random at import. Every function that
draws numbers takes ``rng``: a ``np.random.Generator`` (used and advanced), an
int seed (a fresh generator from that seed), or None (seed 0, so that calling
with no arguments gives the same data set every time).

Data sets
    linear_regression  x uniform on x_range, y = slope * x + intercept + noise * N(0, 1)
    two_moons          two interleaved half circles, labels 0 and 1
    digits             1,797 real 8x8 images of handwritten digits 0-9 (scikit-learn ships them
                       inside the package, so nothing is downloaded), split into training and
                       held-out examples at random

Mini-batches
    One epoch is a random permutation of 0..n-1 cut into consecutive pieces of
    ``batch_size``; every index appears exactly once per epoch, and each epoch
    draws a new permutation. With ``drop_last=True`` the short final piece is
    dropped, so every batch has exactly ``batch_size`` indices.
"""

from __future__ import annotations

import numbers
from typing import NamedTuple

import numpy as np

from helpers import validation as check

__all__ = ["as_generator", "linear_regression", "two_moons", "Digits", "digits", "minibatches",
           "minibatch_indices", "steps_per_epoch"]


# ---------------------------------------------------------------- validation

def as_generator(rng):
    """Return a ``np.random.Generator`` from a Generator, an int seed or None (seed 0)."""
    if rng is None:
        return np.random.default_rng(0)
    if isinstance(rng, np.random.Generator):
        return rng
    if isinstance(rng, numbers.Integral) and not isinstance(rng, bool) and rng >= 0:
        return np.random.default_rng(int(rng))
    check.fail("rng", rng, "a numpy Generator, a non-negative int seed or None",
               wrong_kind=not isinstance(rng, numbers.Integral))


def _positive_int(name, value):
    return check.integer(name, value, minimum=1, what="a positive integer")


def _finite(name, value, minimum=None):
    return check.finite_number(name, value, minimum=minimum)


# ---------------------------------------------------------------- data sets

def linear_regression(n=200, slope=2.0, intercept=1.0, noise=0.5, x_range=(-1.0, 3.0), rng=None):
    """Noisy points on a line: ``y_i = slope * x_i + intercept + noise * e_i``.

    ``x_i`` is uniform on ``x_range`` and ``e_i`` standard normal, all drawn
    from ``rng``. Returns ``(x, y)``, two float arrays of shape (n,).
    """
    n = _positive_int("n", n)
    slope = _finite("slope", slope)
    intercept = _finite("intercept", intercept)
    noise = _finite("noise", noise, minimum=0)
    lo, hi = check.interval("x_range", x_range)
    gen = as_generator(rng)
    x = gen.uniform(lo, hi, size=n)
    y = slope * x + intercept + noise * gen.standard_normal(n)
    return x, y


def two_moons(n=200, noise=0.1, rng=None):
    """Two interleaved half circles, a classic problem no straight line separates.

    Class 0 lies on the upper arc ``(cos t, sin t)``, class 1 on the lower arc
    ``(1 - cos t, 1/2 - sin t)``, with ``t`` evenly spaced on [0, pi]; class 0
    gets ``ceil(n/2)`` points. Gaussian noise of standard deviation ``noise``
    is added to both coordinates and the rows are shuffled.
    Returns ``(X, y)``: X float (n, 2), y int (n,) with values in {0, 1}.
    """
    n = _positive_int("n", n)
    if n < 2:
        raise ValueError(f"n must be at least 2 (one point per class), got n={n!r}")
    noise = _finite("noise", noise, minimum=0)
    gen = as_generator(rng)
    n0 = (n + 1) // 2
    n1 = n - n0
    t0 = np.linspace(0.0, np.pi, n0)
    t1 = np.linspace(0.0, np.pi, n1)
    upper = np.column_stack([np.cos(t0), np.sin(t0)])
    lower = np.column_stack([1.0 - np.cos(t1), 0.5 - np.sin(t1)])
    X = np.vstack([upper, lower]) + noise * gen.standard_normal((n, 2))
    y = np.concatenate([np.zeros(n0, dtype=int), np.ones(n1, dtype=int)])
    order = gen.permutation(n)
    return X[order], y[order]


class Digits(NamedTuple):
    """The digits, split: ``X`` (n_train, 64) and ``y`` (n_train,) to train on, ``X_held`` and
    ``y_held`` kept back to measure what the training did not see. Labels are ints 0..9.

    Each feature is one pixel, centred and scaled by the *training* examples' mean and standard
    deviation (``mean``, ``scale``, shape (64,); a pixel that is constant in the training set has
    scale 1), so the held-out examples are scaled as a new image would be.
    ``pixels(X)`` undoes it: the grey levels 0..16 of the scanned image.
    """

    X: np.ndarray
    y: np.ndarray
    X_held: np.ndarray
    y_held: np.ndarray
    mean: np.ndarray
    scale: np.ndarray

    def pixels(self, X):
        """Grey levels 0..16 of scaled images X (..., 64), as images (..., 8, 8)."""
        X = check.as_floats("X", X)
        if X.shape[-1:] != (64,):
            raise ValueError(f"X must have 64 features (8 x 8 pixels) on its last axis, got X.shape={X.shape}")
        return (X * self.scale + self.mean).reshape(X.shape[:-1] + (8, 8))


def digits(held_out=0.25, rng=None):
    """The 1,797 8x8 digit images of scikit-learn (``sklearn.datasets.load_digits``, read from a
    file inside the package), split at random into training and held-out examples.

    ``held_out`` is the fraction kept back, in (0, 1): round(held_out * 1797) examples, the same
    ones for the same ``rng``. Returns a ``Digits``; see it for the scaling.
    """
    held_out = check.finite_number("held_out", held_out, minimum=0, strict=True, below=1)
    gen = as_generator(rng)
    from sklearn.datasets import load_digits      # here, so that importing helpers needs no sklearn

    images, labels = load_digits(return_X_y=True)
    n = len(labels)
    n_held = int(round(held_out * n))
    if not 1 <= n_held <= n - 2:
        raise ValueError(f"held_out must keep back at least one example and leave two to train on, "
                         f"got held_out={held_out!r} ({n_held} of {n})")
    order = gen.permutation(n)
    train, held = order[n_held:], order[:n_held]
    raw = images.astype(float)
    mean = raw[train].mean(axis=0)
    spread = raw[train].std(axis=0)
    scale = np.where(spread > 0, spread, 1.0)
    X = (raw - mean) / scale
    y = labels.astype(int)
    return Digits(X[train], y[train], X[held], y[held], mean, scale)


# ---------------------------------------------------------------- mini-batches

def steps_per_epoch(n, batch_size, drop_last=False):
    """Number of batches in one epoch: ``n // batch_size``, plus one for a short last batch."""
    n = _positive_int("n", n)
    batch_size = _positive_int("batch_size", batch_size)
    full, rest = divmod(n, batch_size)
    return full if drop_last else full + (rest > 0)


def _check_batching(n, batch_size, drop_last):
    n = _positive_int("n", n)
    batch_size = _positive_int("batch_size", batch_size)
    if batch_size > n:
        raise ValueError(f"batch_size must be at most n={n}, got batch_size={batch_size!r}")
    check.boolean("drop_last", drop_last)
    return n, batch_size


def minibatches(n, batch_size, rng=None, epochs=None, drop_last=False):
    """Iterate over index batches: each epoch is a fresh random permutation of 0..n-1.

    Yields int arrays of length ``batch_size`` (the last one of an epoch may be
    shorter unless ``drop_last``). ``epochs=None`` never stops; otherwise it
    stops after that many epochs. Arguments are checked when called, not when
    the first batch is drawn.
    """
    n, batch_size = _check_batching(n, batch_size, drop_last)
    if epochs is not None:
        epochs = _positive_int("epochs", epochs)
    gen = as_generator(rng)
    stop = n - n % batch_size if drop_last else n

    def batches():
        epoch = 0
        while epochs is None or epoch < epochs:
            order = gen.permutation(n)
            for start in range(0, stop, batch_size):
                yield order[start:start + batch_size]
            epoch += 1

    return batches()


def minibatch_indices(n, batch_size, steps, rng=None, runs=None):
    """All the index batches for ``steps`` updates at once, as one array.

    Same sampling as ``minibatches(n, batch_size, rng, drop_last=True)``: each
    epoch a fresh permutation, cut into ``n // batch_size`` full batches.
    Returns int array of shape (steps, batch_size), or (steps, runs,
    batch_size) with ``runs`` independent streams (K runs advancing together).
    """
    n, batch_size = _check_batching(n, batch_size, False)
    steps = _positive_int("steps", steps)
    gen = as_generator(rng)
    k = 1 if runs is None else _positive_int("runs", runs)
    per_epoch = n // batch_size
    epochs = -(-steps // per_epoch)
    # One permutation per (epoch, run): shape (epochs, k, n).
    orders = np.argsort(gen.random((epochs, k, n)), axis=-1)
    cut = orders[..., :per_epoch * batch_size].reshape(epochs, k, per_epoch, batch_size)
    flat = cut.transpose(0, 2, 1, 3).reshape(epochs * per_epoch, k, batch_size)[:steps]
    return flat[:, 0, :] if runs is None else flat
