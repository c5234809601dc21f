"""From toys to a real network: a two-layer tanh network on scikit-learn's 8x8 digits.

What notebook 10 computes, as pure functions (the tests call the same ones)::

    load(seed=0)                                   -> helpers.data.Digits (1,348 to train on, 449 held out)
    training(data, seeds, copies, batch_size, steps) -> (problem, starts): one batched run's problem for
                                                      helpers.descent.run and its (K, P) starts
    train(data, optimizer, seeds=(0,), copies=1, ...) -> Trace of one batched descent.run
    evaluate(data, thetas)                         -> Scores: training loss, held-out loss and accuracy
    sweep(data, makers, lrs, steps, robust=False)  -> {label: Scores} over the learning rates, one run;
                                                      robust=True: also which runs are not chaotic
    compare(data, optimizers, seeds, robust=False) -> {label: Scores over the seeds}, one run (the same)
    per_example_grads(data, theta)                 -> (n, P): one gradient per training image
    batch_noise(G, sizes, draws, rng)              -> measured RMS error of a batch-B gradient
    ramp(lo, hi, steps)                            -> the range test's exponential learning rate
    edge(losses, ramp)                             -> the rate where a range test's loss first doubles
    show_digits(data, per_class), plot_sweep(lrs, values, ax, steady)   the figures

The network is helpers.nn's with 64 inputs (one per pixel), ``N_HIDDEN`` tanh units and 10 softmax
outputs. A run takes mini-batches of ``BATCH`` training images through helpers.problems.MiniBatches,
with one change: the loss it records at every step is the loss on the first ``MONITOR`` training images
(a fixed sample, an estimate of the training loss), because evaluating all 1,348 at every step of a
sweep of 150 runs would cost most of the notebook's time. ``evaluate`` scores the final weights on every
training image and on the held-out ones.

Several runs share one batched run: row r of the (K, P) parameters is run r, and ``training`` lays the
rows out as ``copies`` blocks of ``len(seeds)`` rows (block c, row s: seed s), so that
``optim.Group([(opt_a, S), (opt_b, S)])`` gives every optimizer the same seeds. A seed fixes a run's
initial weights and its order of batches; every block sees the same ones, so optimizers are compared
on equal terms.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from helpers import data as data_sets
from helpers import descent, nn
from helpers import validation as check
from helpers.optim import Group
from helpers.problems import MiniBatches

__all__ = ["N_IN", "N_HIDDEN", "N_CLASSES", "BATCH", "STEPS", "MONITOR", "NUDGE", "RTOL", "load", "init",
           "training", "train", "Scores", "evaluate", "sweep", "compare", "per_example_grads",
           "batch_noise", "ramp", "edge", "show_digits", "plot_sweep"]

N_IN, N_HIDDEN, N_CLASSES = 64, 16, 10
BATCH, STEPS, MONITOR = 32, 200, 64
NUDGE, RTOL = 1e-9, 1e-4


def load(seed=0):
    """The digits, a quarter held out, split by ``seed`` (the notebook's split is seed 0)."""
    return data_sets.digits(held_out=0.25, rng=seed)


def _loss(p, x, y):
    return nn.loss(p, x, y, n_out=N_CLASSES)


def _grad(p, x, y):
    return nn.loss_and_grad(p, x, y, n_out=N_CLASSES)[1]


class Monitored(MiniBatches):
    """MiniBatches whose recorded loss is on a fixed sample of the training images (the first
    ``monitor``), not all of them: the same quantity for every run, at a fraction of the cost."""

    def __init__(self, x, y, batch_size, steps, indices, runs, monitor=MONITOR):
        super().__init__(_loss, _grad, x, y, batch_size, steps, runs=runs, indices=indices)
        self.monitor = check.integer("monitor", monitor, minimum=1, maximum=len(self.x))

    def loss(self, p):
        return _loss(p, self.x[:self.monitor], self.y[:self.monitor])


def _seeds(seeds):
    if isinstance(seeds, (str, bytes)) or not hasattr(seeds, "__len__") or len(seeds) == 0:
        check.fail("seeds", seeds, "a non-empty list of seeds", wrong_kind=not hasattr(seeds, "__len__"))
    return [check.integer("seed", s, minimum=0) for s in seeds]


def init(seed, n_hidden=N_HIDDEN):
    """The initial weights of seed ``seed``, (P,): helpers.nn's 1/fan_in initialisation."""
    return nn.init_params(np.random.default_rng(check.integer("seed", seed, minimum=0)),
                          n_in=N_IN, n_hidden=n_hidden, n_out=N_CLASSES)


def training(data, seeds=(0,), copies=1, batch_size=BATCH, steps=STEPS, n_hidden=N_HIDDEN, monitor=MONITOR):
    """The problem and the starts of one batched run of ``copies * len(seeds)`` networks.

    Seed s gives its run ``init(s)`` and the batch order ``minibatch_indices(..., rng=1000 + s)``
    (a fresh shuffle every epoch); every copy repeats the seeds in the same order.
    Returns ``(problem, starts)`` with starts (copies * len(seeds), P).
    """
    check.instance("data", data, data_sets.Digits, "a helpers.data.Digits (real_network.load())")
    seeds = _seeds(seeds)
    copies = check.integer("copies", copies, minimum=1)
    batch_size = check.integer("batch_size", batch_size, minimum=1, maximum=len(data.y))
    steps = check.integer("steps", steps, minimum=1)
    order = np.stack([data_sets.minibatch_indices(len(data.y), batch_size, steps, rng=1000 + s) for s in seeds],
                     axis=1)                                        # (steps, seeds, batch_size)
    starts = np.stack([init(s, n_hidden) for s in seeds])
    runs = copies * len(seeds)
    problem = Monitored(data.X, data.y, batch_size, steps, np.tile(order, (1, copies, 1)), runs, monitor)
    return problem, np.tile(starts, (copies, 1))


def train(data, optimizer, seeds=(0,), copies=1, batch_size=BATCH, steps=STEPS, keep_path=False, nudge=0.0):
    """One batched ``descent.run`` of ``optimizer`` (an optim.Group for several) on ``training(...)``.

    ``nudge`` moves every starting weight w to w + nudge * (1 + |w|): a run whose result moves by far
    more than the nudge (say 1e-9) is chaotic, and its last digits differ from machine to machine."""
    problem, starts = training(data, seeds, copies, batch_size, steps)
    nudge = check.finite_number("nudge", nudge)
    return descent.run(problem, optimizer, starts + nudge * (1 + np.abs(starts)), steps, keep_path=keep_path)


class Scores(NamedTuple):
    """Final weights scored: ``train_loss`` on every training image, ``held_loss`` and ``held_accuracy``
    on the held-out ones; each (K,), NaN for a run that diverged."""

    train_loss: np.ndarray
    held_loss: np.ndarray
    held_accuracy: np.ndarray


def evaluate(data, thetas):
    """Scores of the networks ``thetas`` (K, P) (rows of NaN, from diverged runs, score NaN)."""
    thetas = check.as_floats("thetas", thetas)
    if thetas.ndim != 2:
        raise ValueError(f"thetas must have shape (K, P), got thetas.shape={thetas.shape}")
    ok = np.all(np.isfinite(thetas), axis=1)
    safe = np.where(ok[:, None], thetas, 0.0)
    scores = (nn.loss(safe, data.X, data.y, n_out=N_CLASSES), nn.loss(safe, data.X_held, data.y_held, n_out=N_CLASSES),
              nn.accuracy(safe, data.X_held, data.y_held, n_out=N_CLASSES))
    return Scores(*(np.where(ok, s, np.nan) for s in scores))


def _checked_run(data, parts, seeds, copies, steps, robust):
    """One batched run of ``Group(parts)`` over ``copies`` blocks of the seeds; with ``robust`` the same
    rows again from starts nudged by ``NUDGE``, in the same batched run. Returns (Scores, nudged Scores
    or None)."""
    check_rows = 2 if robust else 1
    problem, starts = training(data, seeds, copies * check_rows, steps=steps)
    half = len(starts) // check_rows
    starts[half:] += NUDGE * (1 + np.abs(starts[half:]))
    trace = descent.run(problem, Group(list(parts) * check_rows), starts, steps, keep_path=False)
    scores = evaluate(data, trace.final)
    if not robust:
        return scores, None
    return Scores(*(a[:half] for a in scores)), Scores(*(a[half:] for a in scores))


def _reproducible(base, nudged):
    """True where the nudged run's final training loss is within RTOL of the run's (and finite)."""
    with np.errstate(invalid="ignore"):
        return np.isfinite(base.train_loss) & (np.abs(nudged.train_loss - base.train_loss) <= RTOL * base.train_loss)


def _split(scores, labels, size):
    return {label: Scores(*(a[i * size:(i + 1) * size] for a in scores)) for i, label in enumerate(labels)}


def sweep(data, makers, lrs, steps=STEPS, seed=0, robust=False):
    """Every optimizer at every learning rate, as one batched run: ``makers`` maps a label to
    ``make(lr)``, called with lr of shape (len(lrs), 1). Returns {label: Scores over lrs}.

    With ``robust=True`` returns ``(scores, reproducible)``, where ``reproducible[label]`` is a bool
    array: True where the run's final training loss moves by less than ``RTOL`` (0.01%) when every
    starting weight is nudged by ``NUDGE`` (one part in 10^9), False where the run is chaotic or
    diverged. A chaotic run amplifies such a nudge, and just as much the last-bit rounding differences
    between numpy versions and CPUs, so its exact result is not the same on every machine. The nudged
    copies run in the same batched run (twice the rows)."""
    if not isinstance(makers, dict) or not makers:
        check.fail("makers", makers, "a non-empty dict label -> make(lr)", wrong_kind=not isinstance(makers, dict))
    lrs = check.finite_array("lrs", lrs, ndim=1, minimum=0, strict=True, what="a 1-D array of numbers > 0")
    parts = [(make(lrs[:, None]), len(lrs)) for make in makers.values()]
    base, nudged = _checked_run(data, parts, (check.integer("seed", seed, minimum=0),),
                                len(makers) * len(lrs), steps, check.boolean("robust", robust))
    scores = _split(base, makers, len(lrs))
    if not robust:
        return scores
    moved = _split(nudged, makers, len(lrs))
    return scores, {label: _reproducible(scores[label], moved[label]) for label in makers}


def compare(data, optimizers, seeds=range(5), steps=STEPS, robust=False):
    """Each optimizer (a dict label -> optimizer) on every seed, as one batched run (``optim.Group``).
    Returns {label: Scores}, each array one entry per seed; with ``robust=True``, ``(scores,
    reproducible)`` as ``sweep`` does."""
    if not isinstance(optimizers, dict) or not optimizers:
        check.fail("optimizers", optimizers, "a non-empty dict label -> optimizer",
                    wrong_kind=not isinstance(optimizers, dict))
    seeds = _seeds(list(seeds))
    parts = [(opt, len(seeds)) for opt in optimizers.values()]
    base, nudged = _checked_run(data, parts, seeds, len(optimizers), steps, check.boolean("robust", robust))
    scores = _split(base, optimizers, len(seeds))
    if not robust:
        return scores
    moved = _split(nudged, optimizers, len(seeds))
    return scores, {label: _reproducible(scores[label], moved[label]) for label in optimizers}


# ----------------------------------------------------------------------------- gradient noise

def per_example_grads(data, theta):
    """One gradient per training image at ``theta`` (P,): shape (n, P), by one batched backward pass
    (each image its own batch of one)."""
    theta = check.finite_array("theta", theta, ndim=1)
    n = len(data.y)
    _, G = nn.loss_and_grad(np.broadcast_to(theta, (n, theta.size)), data.X[:, None, :], data.y[:, None],
                            n_out=N_CLASSES)
    return G


def batch_noise(G, sizes, draws=200, rng=0):
    """Measured size of a mini-batch gradient's error: for each batch size B, the root mean square of
    |g_B - g| over ``draws`` batches of B distinct images (g_B their mean gradient, g the mean over
    all n). Each batch mean is a row of a (draws, n) averaging matrix times G, so no (draws, B, P)
    array is ever built."""
    G = check.finite_array("G", G, ndim=2)
    n = len(G)
    sizes = np.asarray(sizes)
    if sizes.ndim != 1 or sizes.dtype.kind not in "iu" or np.any(sizes < 1) or np.any(sizes > n):
        raise ValueError(f"sizes must be integers between 1 and n={n}, got sizes={sizes!r}")
    draws = check.integer("draws", draws, minimum=1)
    gen = data_sets.as_generator(rng)
    full = G.mean(axis=0)
    out = []
    for b in sizes:
        ranks = np.argsort(np.argsort(gen.random((draws, n)), axis=1), axis=1)
        average = (ranks < b) / float(b)                     # (draws, n): 1/B on B random images
        err = average @ G - full
        out.append(np.sqrt(np.mean(np.sum(err * err, axis=1))))
    return np.array(out)


# ----------------------------------------------------------------------------- the range test

def ramp(lo=1e-5, hi=10.0, steps=STEPS):
    """The range test's learning rate: lo at t = 0, times the same factor each step, hi at t = steps - 1
    (held there after)."""
    lo = check.finite_number("lo", lo, minimum=0, strict=True)
    hi = check.finite_number("hi", hi, minimum=lo, strict=True)
    steps = check.integer("steps", steps, minimum=2)
    return lambda t: lo * (hi / lo) ** (np.minimum(t, steps - 1) / (steps - 1))


def edge(losses, rate):
    """The learning rate ``rate(t)`` of the first step t after the lowest loss at which the loss has
    climbed past twice that lowest value (or the last step's rate, if it never does). A NaN loss
    (a run that diverged) counts as past it."""
    l = check.as_floats("losses", losses)
    if l.ndim != 1 or l.size < 2:
        raise ValueError(f"losses must be one run's losses, shape (steps + 1,), got losses.shape={l.shape}")
    l = np.where(np.isfinite(l), l, np.inf)
    low = int(np.argmin(l))
    past = l[low:] > 2 * l[low]
    t = low + int(np.argmax(past)) if past.any() else len(l) - 1
    return float(rate(t - 1 if t > 0 else 0))     # losses[t] is after the step made at t - 1


# ----------------------------------------------------------------------------- figures

def show_digits(data, per_class=1, ax=None):
    """The first ``per_class`` training images of each digit, in grey levels, as one picture (a row per
    example, a column per digit, one pixel of white between images); returns the axes."""
    import matplotlib.pyplot as plt

    per_class = check.integer("per_class", per_class, minimum=1)
    ax = ax if ax is not None else plt.subplots(figsize=(1.0 * N_CLASSES, 1.1 * per_class + 0.3))[1]
    images = data.pixels(data.X)
    sheet = np.zeros((9 * per_class - 1, 9 * N_CLASSES - 1))
    for c in range(N_CLASSES):
        for r, i in enumerate(np.flatnonzero(data.y == c)[:per_class]):
            sheet[9 * r:9 * r + 8, 9 * c:9 * c + 8] = images[i]
    ax.imshow(sheet, cmap="gray_r", vmin=0, vmax=16)
    ax.set_xticks(9 * np.arange(N_CLASSES) + 3.5, [str(c) for c in range(N_CLASSES)])
    ax.set_yticks([])
    ax.tick_params(length=0)
    ax.spines[:].set_visible(False)
    ax.set_xlabel("digit")
    return ax


def plot_sweep(lrs, values, ax=None, ylabel="training loss after the run", logy=True, steady=None):
    """One line per optimizer label: ``values[label]`` against the learning rate, in its course style.
    With ``steady`` ({label: bool array}), chaotic runs (False) get hollow markers."""
    import matplotlib.pyplot as plt

    from helpers.display.plotting import style_for

    ax = ax if ax is not None else plt.subplots(figsize=(8, 4.3))[1]
    lrs = np.asarray(lrs, dtype=float)
    for label, v in values.items():
        style = style_for(label)
        (line,) = ax.plot(lrs, v, label=label, linewidth=2, markersize=6, **style)
        if steady is not None:
            line.set_marker("none")
            ok = np.asarray(steady[label], dtype=bool)
            ax.plot(lrs[ok], np.asarray(v)[ok], linestyle="none", marker=style["marker"], markersize=6,
                    color=style["color"])
            ax.plot(lrs[~ok], np.asarray(v)[~ok], linestyle="none", marker=style["marker"], markersize=7,
                    color=style["color"], markerfacecolor="white")
    ax.set_xscale("log")
    if logy:
        ax.set_yscale("log")
    ax.set_xlabel("learning rate (log scale)")
    ax.set_ylabel(ylabel)
    ax.legend(loc="center left", bbox_to_anchor=(1.01, 0.5))
    return ax
