"""The optimizer arena: SGD, momentum, Adam and AdamW raced on the same problem.

Pure functions (tests and the notebook call them directly)::

    make_optimizers(lr_sgd, lr_momentum, lr_adam, lr_adamw, momentum, beta1, beta2,
                    weight_decay, schedule, warmup, steps)  -> {label: optimizer}
    race_surface(surface, optimizers, steps, start=None)    -> {label: Race}
    race_network(task, optimizers, steps)                   -> {label: Race}
    lr_sweep(task, make_optimizer, lrs, steps)              -> final losses, shape (len(lrs),)
    robust(task, make_optimizer, lrs, steps)                -> which final losses are reproducible
    best_robust(task, make_optimizer, lrs, final, steps)    -> index of the best reproducible one
    reproducible_sweep(task, make_optimizer, lrs, steps)    -> lr_sweep with chaotic runs set to NaN
    good_range(lrs, losses, threshold)                      -> (low, high) or None

``task`` is a surface from helpers.surfaces or a ``NetworkTask`` (a two-layer
tanh network from helpers.nn on two-moons data from helpers.data, trained on
fixed mini-batches so every optimizer sees the same data in the same order).

A learning-rate sweep is one batched run: the K learning rates become an array
of shape (K, 1), the parameters an array (K, P), and every step updates all K
runs with one NumPy operation (helpers.optim broadcasts lr over the batch axis).
The network race is batched the same way: the four optimizers' networks are
rows of one (4, P) array, so each step costs one forward and backward pass.

``surface_frame`` and ``network_frame`` compute what one arena figure shows for a
dict of slider settings; the slider explorers that call them live in
helpers.lessons.arena_explorers.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cached_property

import numpy as np

from helpers import descent, nn, schedules
from helpers import validation as check
from helpers.data import minibatch_indices, two_moons
from helpers.optim import SGD, Adam, AdamW, Group

__all__ = ["LABELS", "SCHEDULES", "Race", "NetworkTask", "network_task", "arena_schedule",
           "make_optimizers", "race_surface", "race_network", "lr_sweep", "robust", "best_robust", "reproducible_sweep", "good_range",
           "ArenaFrame", "surface_frame", "network_frame", "optimizers_from"]

LABELS = ("SGD", "SGD + momentum", "Adam", "AdamW")
SCHEDULES = ("constant", "cosine")
MAX_LOSS = 1e12


# ------------------------------------------------------------------ the racers

def arena_schedule(lr, schedule="constant", warmup=0, steps=100):
    """Learning rate for step t: optional linear warmup over ``warmup`` steps,
    then ``schedule`` ("constant", or "cosine" down to 0 at ``steps``)."""
    lr = check.finite_number("lr", lr, minimum=0)
    check.choice("schedule", schedule, SCHEDULES, what=f"one of {SCHEDULES}")
    warmup = check.integer("warmup", warmup, minimum=0)
    steps = _steps(steps)
    if warmup >= steps:
        raise ValueError(f"warmup must be shorter than the run ({steps} steps), got warmup={warmup}")
    if schedule == "cosine":
        return schedules.warmup_cosine(lr, warmup, steps) if warmup else schedules.cosine(lr, steps)
    if not warmup:
        return schedules.constant(lr)
    return lambda t: lr * np.minimum((np.asarray(t) + 1) / warmup, 1.0)


def make_optimizers(lr_sgd=0.1, lr_momentum=0.02, lr_adam=0.1, lr_adamw=0.1, momentum=0.9,
                    beta1=0.9, beta2=0.999, weight_decay=0.01, schedule="constant", warmup=0,
                    steps=100):
    """The four racers, each with its own peak learning rate and the shared schedule."""
    for name, value in (("lr_sgd", lr_sgd), ("lr_momentum", lr_momentum), ("lr_adam", lr_adam), ("lr_adamw", lr_adamw)):
        check.finite_number(name, value, minimum=0)
    for name, value in (("beta1", beta1), ("beta2", beta2)):
        check.finite_number(name, value, minimum=0, below=1)
    check.finite_number("momentum", momentum, minimum=0)   # one racer, one momentum (SGD would take an array)

    def lr(value):
        return arena_schedule(value, schedule, warmup, steps)

    return {
        "SGD": SGD(lr(lr_sgd)),
        "SGD + momentum": SGD(lr(lr_momentum), momentum=momentum),
        "Adam": Adam(lr(lr_adam), betas=(beta1, beta2)),
        "AdamW": AdamW(lr(lr_adamw), betas=(beta1, beta2), weight_decay=weight_decay),
    }


@dataclass(frozen=True)
class Race:
    """One racer's run: ``losses`` (steps + 1,), NaN after divergence; ``xs`` the
    positions on a surface (finite part only) or None for the network;
    ``diverged_at`` the step where the loss left the finite world (or None)."""

    losses: np.ndarray
    xs: np.ndarray | None
    diverged_at: int | None

    @property
    def final_loss(self) -> float:
        return float(self.losses[-1])


def _steps(steps):
    return check.integer("steps", steps, minimum=1)


def _racers(optimizers):
    """optimizers: a non-empty dict label -> optimizer."""
    if not isinstance(optimizers, dict) or not optimizers:
        check.fail("optimizers", optimizers, "a non-empty dict label -> optimizer",
                   wrong_kind=not isinstance(optimizers, dict))
    return optimizers


def _race(problem, optimizers, start, steps, keep_path=True):
    """One batched descent.run: row i of the batch is optimizer i, all from ``start``."""
    labels = list(optimizers)
    group = Group([optimizers[k] for k in labels])
    trace = descent.run(problem, group, np.tile(start, (len(labels), 1)), steps, MAX_LOSS, keep_path)
    return labels, trace


def race_surface(surface, optimizers, steps, start=None):
    """Race each optimizer from ``start`` (default: the surface's default start)."""
    steps = _steps(steps)
    _racers(optimizers)
    x0 = surface.default_start if start is None else check.finite_array("start", start, shape=(2,))
    labels, trace = _race(surface, optimizers, x0, steps)
    out = {}
    for i, label in enumerate(labels):
        keep = np.all(np.isfinite(trace.xs[:, i]), axis=-1)
        out[label] = Race(trace.losses[:, i], trace.xs[keep, i], trace.diverged_at[i])
    return out


@dataclass(frozen=True, eq=False)
class NetworkTask:
    """A two-layer tanh network on two-moons data with a fixed mini-batch order.

    ``X, y`` the training data, ``theta0`` the shared initial parameters (P,),
    ``batches`` index array (max_steps, batch_size): the batch used at each step.
    The loss recorded at each step is the loss on the whole training set.
    """

    X: np.ndarray
    y: np.ndarray
    theta0: np.ndarray
    batches: np.ndarray
    name: str = "two-moons network"

    @property
    def max_steps(self) -> int:
        return self.batches.shape[0]

    @cached_property
    def X_batches(self):
        return self.X[self.batches]

    @cached_property
    def y_batches(self):
        return self.y[self.batches]

    @property
    def batch_size(self) -> int:
        return self.batches.shape[1]

    def loss(self, theta):
        """Loss on the whole training set, for each row of ``theta`` (R, P)."""
        return nn.loss(theta, self.X, self.y)

    def grad_at(self, theta, t):
        """The mini-batch gradient (R, P) for update t: the t-th batch of the fixed order."""
        if not (check.is_real(t) and 0 <= t < self.max_steps):
            raise ValueError(f"t must be a step in 0..{self.max_steps - 1}, got t={t!r}")
        return nn.loss_and_grad(theta, self.X_batches[t], self.y_batches[t])[1]


def network_task(n=200, noise=0.2, n_hidden=16, batch_size=32, max_steps=400, seed=0):
    """The arena's network task: data, initial network and batch order, all from ``seed``."""
    rng = np.random.default_rng(seed)
    X, y = two_moons(n=n, noise=noise, rng=rng)
    theta0 = nn.init_params(rng, n_in=2, n_hidden=n_hidden)
    batches = minibatch_indices(n, batch_size, max_steps, rng=rng)
    return NetworkTask(X, y.astype(float), theta0, batches)


def race_network(task, optimizers, steps):
    """Race each optimizer on ``task`` from the same initial network, as one batched run."""
    steps = _steps(steps)
    _racers(optimizers)
    if steps > task.max_steps:
        raise ValueError(f"steps must be at most the task's {task.max_steps} batches, got steps={steps}")
    labels, trace = _race(task, optimizers, task.theta0, steps, keep_path=False)
    return {label: Race(trace.losses[:, i], None, trace.diverged_at[i]) for i, label in enumerate(labels)}


def lr_sweep(task, make_optimizer, lrs, steps, nudge=0.0):
    """Final loss after ``steps`` steps for each learning rate in ``lrs``, as one batched run.

    ``make_optimizer(lr)`` gets lr as an array of shape (K, 1). Works for a
    surface (start: its default start) and for a NetworkTask. Runs that blow up
    read inf. ``nudge`` moves every start coordinate x to x + nudge * (1 + |x|)
    (see ``robust``).
    """
    steps = _steps(steps)
    lrs = check.finite_array("lrs", lrs, ndim=1, minimum=0, strict=True,
                             what="a non-empty 1-D array of numbers > 0")
    check.callable_("make_optimizer", make_optimizer)
    nudge = check.finite_number("nudge", nudge)
    opt = make_optimizer(lrs.reshape(-1, 1))
    start = task.theta0 if isinstance(task, NetworkTask) else task.default_start
    theta = np.tile(start + nudge * (1 + np.abs(start)), (lrs.size, 1))
    final = descent.run(task, opt, theta, steps, MAX_LOSS, keep_path=False).final_loss
    return np.where(np.isfinite(final), final, np.inf)


NUDGE, RTOL = 1e-9, 1e-4


def robust(task, make_optimizer, lrs, steps, final=None):
    """For each learning rate: is its final loss reproducible (True) or chaotic (False)?

    A run is robust when nudging its start by one part in 10^9 (``NUDGE``, up and down) moves
    its final loss by less than ``RTOL`` (0.01%). A chaotic run amplifies such a nudge, and just
    as much the last-bit rounding differences between numpy versions and CPUs: its exact final
    loss is not the same on every machine, so a notebook must not print it. Runs that blow up
    (final loss inf) count as robust: they blow up on every machine. ``final``, if given, is
    ``lr_sweep``'s result for the same ``lrs`` (saves one run).
    """
    lrs = check.finite_array("lrs", lrs, ndim=1, minimum=0, strict=True,
                             what="a non-empty 1-D array of numbers > 0")
    base = lr_sweep(task, make_optimizer, lrs, steps) if final is None else np.asarray(final, dtype=float)
    up, down = (lr_sweep(task, make_optimizer, lrs, steps, nudge=n) for n in (NUDGE, -NUDGE))
    blown = ~np.isfinite(base) & ~np.isfinite(up) & ~np.isfinite(down)
    with np.errstate(all="ignore"):
        close = [np.abs(other - base) <= RTOL * np.abs(base) for other in (up, down)]
    return blown | (np.isfinite(base) & close[0] & close[1])


def reproducible_sweep(task, make_optimizer, lrs, steps):
    """``lr_sweep``'s final losses with every chaotic run (see ``robust``) set to NaN: the numbers
    that every machine reproduces. Costs three sweeps (the run and its two nudged copies)."""
    final = lr_sweep(task, make_optimizer, lrs, steps)
    return np.where(robust(task, make_optimizer, lrs, steps, final), final, np.nan)


def best_robust(task, make_optimizer, lrs, final, steps, chunk=4):
    """Index of the lowest final loss among robust learning rates (see ``robust``), or None.

    Checks the candidates from the lowest final loss up, ``chunk`` at a time, as batched runs.
    """
    lrs = check.finite_array("lrs", lrs, ndim=1, minimum=0, strict=True,
                             what="a non-empty 1-D array of numbers > 0")
    final = check.as_floats("final", final)
    if final.shape != lrs.shape:
        check.fail("final", final, f"one final loss per learning rate, shape {lrs.shape}")
    chunk = check.integer("chunk", chunk, minimum=1)
    order = [i for i in np.argsort(final, kind="stable") if np.isfinite(final[i])]
    for k in range(0, len(order), chunk):
        idx = np.array(order[k:k + chunk])
        ok = robust(task, make_optimizer, lrs[idx], steps, final[idx])
        if ok.any():
            return int(idx[np.argmax(ok)])
    return None


def good_range(lrs, losses, threshold):
    """(lowest, highest) learning rate of the longest unbroken run of ``losses <= threshold``,
    or None if no learning rate gets there."""
    lrs = check.finite_array("lrs", lrs, ndim=1, nonempty=False)
    losses = check.as_floats("losses", losses)
    if losses.shape != lrs.shape:
        check.fail("losses", losses, f"one loss per learning rate, shape {lrs.shape}")
    threshold = check.finite_number("threshold", threshold)
    with np.errstate(invalid="ignore"):
        ok = losses <= threshold
    best, start = None, None
    for i, flag in enumerate(list(ok) + [False]):
        if flag and start is None:
            start = i
        elif not flag and start is not None:
            if best is None or i - start > best[1] - best[0]:
                best = (start, i)
            start = None
    return None if best is None else (float(lrs[best[0]]), float(lrs[best[1] - 1]))


# ------------------------------------------------------------------- frames

@dataclass(frozen=True)
class ArenaFrame:
    """What one arena figure shows: a Race per optimizer and their lr curves (steps,)."""

    races: dict
    lr_curves: dict
    steps: int


def _lr_curve(opt, steps):
    t = np.arange(steps)
    return np.broadcast_to(np.asarray(opt.lr(t) if callable(opt.lr) else opt.lr, dtype=float), t.shape)


def optimizers_from(settings):
    """make_optimizers from a settings dict (extra keys such as ``surface`` are ignored)."""
    keys = ("lr_sgd", "lr_momentum", "lr_adam", "lr_adamw", "momentum", "beta1", "beta2",
            "weight_decay", "schedule", "warmup", "steps")
    check.instance("settings", settings, dict, "a dict of the arena's settings")
    missing = [k for k in keys if k not in settings]
    if missing:
        check.fail("settings", settings, f"a dict of the arena's settings, with {missing} too")
    return make_optimizers(**{k: settings[k] for k in keys})


def surface_frame(settings, surfaces=None):
    """Pure: the surface race for ``settings`` (a dict with the arena's knobs and ``surface``)."""
    if surfaces is None:
        from helpers.surfaces import SURFACES as surfaces
    opts = optimizers_from(settings)
    steps = _steps(settings["steps"])
    surface = surfaces[check.choice("surface", settings.get("surface"), sorted(surfaces))]
    races = race_surface(surface, opts, steps)
    return ArenaFrame(races, {k: _lr_curve(o, steps) for k, o in opts.items()}, steps)


def network_frame(settings, task):
    """Pure: the network race on ``task`` for ``settings``."""
    opts = optimizers_from(settings)
    steps = _steps(settings["steps"])
    races = race_network(check.instance("task", task, NetworkTask, "a NetworkTask"), opts, steps)
    return ArenaFrame(races, {k: _lr_curve(o, steps) for k, o in opts.items()}, steps)
