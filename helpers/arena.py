"""The optimizer arena: SGD, momentum, Adam and AdamW raced on the same problem.

Pure functions (tests and the notebook call them directly)::

    make_optimizers(lr_sgd, lr_momentum, lr_adam, lr_adamw, momentum, beta1, beta2,
                    weight_decay, schedule, warmup, steps)  -> {label: optimizer}
    race_surface(surface, optimizers, steps, start=None)    -> {label: Race}
    race_network(task, optimizers, steps)                   -> {label: Race}
    lr_sweep(task, make_optimizer, lrs, steps)              -> final losses, shape (len(lrs),)
    good_range(lrs, losses, threshold)                      -> (low, high) or None

``task`` is a surface from helpers.surfaces or a ``NetworkTask`` (a two-layer
tanh network from helpers.nn on two-moons data from helpers.data, trained on
fixed mini-batches so every optimizer sees the same data in the same order).

A learning-rate sweep is one batched run: the K learning rates become an array
of shape (K, 1), the parameters an array (K, P), and every step updates all K
runs with one NumPy operation (helpers.optim broadcasts lr over the batch axis).
The network race is batched the same way: the four optimizers' networks are
rows of one (4, P) array, so each step costs one forward and backward pass.

``SurfaceArena`` and ``NetworkArena`` put every knob on a slider
(helpers.widgets.Explorer); their ``compute`` methods call the functions above
and keep recent frames in a small cache, so a slider returns to a setting instantly.
"""

from __future__ import annotations

import math
from collections import OrderedDict
from dataclasses import dataclass
from functools import cached_property

import numpy as np

from . import nn, schedules
from .data import minibatch_indices, two_moons
from .optim import SGD, Adam, AdamW

__all__ = ["LABELS", "SCHEDULES", "Race", "NetworkTask", "network_task", "arena_schedule",
           "make_optimizers", "race_surface", "race_network", "lr_sweep", "good_range",
           "surface_frame", "network_frame", "SurfaceArena", "NetworkArena"]

LABELS = ("SGD", "SGD + momentum", "Adam", "AdamW")
SCHEDULES = ("constant", "cosine")
MAX_LOSS = 1e12


# ------------------------------------------------------------------ the racers

def arena_schedule(lr, schedule="constant", warmup=0, steps=100):
    """Learning rate for step t: optional linear warmup over ``warmup`` steps,
    then ``schedule`` ("constant", or "cosine" down to 0 at ``steps``)."""
    if schedule not in SCHEDULES:
        raise ValueError(f"schedule must be one of {SCHEDULES}, got schedule={schedule!r}")
    if isinstance(warmup, bool) or not isinstance(warmup, (int, np.integer)) or warmup < 0:
        raise ValueError(f"warmup must be an integer >= 0, got warmup={warmup!r}")
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
    if isinstance(steps, bool) or not isinstance(steps, (int, np.integer)) or steps < 1:
        raise ValueError(f"steps must be an integer >= 1, got steps={steps!r}")
    return int(steps)


def _blown(loss):
    return ~np.isfinite(loss) | (np.abs(loss) > MAX_LOSS)


def _batched_run(loss_and_grad, optimizers, theta0, steps):
    """Advance one row of ``theta0`` (R, P) per optimizer for ``steps`` steps.

    ``loss_and_grad(theta, t)`` returns (losses (R,), grads (R, P)) for all rows
    at once. A row that blows up is frozen (its later losses are NaN).
    Returns (losses (steps + 1, R), thetas (steps + 1, R, P), diverged_at list).
    """
    R = theta0.shape[0]
    theta = np.array(theta0, dtype=float)
    states = [opt.init(theta[i]) for i, opt in enumerate(optimizers)]
    losses = np.full((steps + 1, R), np.nan)
    thetas = np.full((steps + 1,) + theta.shape, np.nan)
    dead = [None] * R
    with np.errstate(all="ignore"):
        for t in range(steps + 1):
            loss, grad = loss_and_grad(theta, t)
            for i in range(R):
                if dead[i] is None and (_blown(loss[i]) or not np.all(np.isfinite(theta[i]))):
                    dead[i] = t
            alive = np.array([d is None for d in dead])
            losses[t, alive] = loss[alive]
            thetas[t, alive] = theta[alive]
            if t == steps or not alive.any():
                break
            new = theta.copy()
            for i, opt in enumerate(optimizers):
                if dead[i] is None:
                    new[i], states[i] = opt.step(theta[i], grad[i], states[i])
            theta = new
    return losses, thetas, dead


def race_surface(surface, optimizers, steps, start=None):
    """Race each optimizer from ``start`` (default: the surface's default start)."""
    steps = _steps(steps)
    x0 = surface.default_start if start is None else np.asarray(start, dtype=float)
    labels = list(optimizers)
    opts = [optimizers[k] for k in labels]

    def loss_and_grad(theta, t):
        return surface.loss(theta), surface.grad(theta)

    losses, xs, dead = _batched_run(loss_and_grad, opts, np.tile(x0, (len(opts), 1)), steps)
    out = {}
    for i, label in enumerate(labels):
        keep = np.all(np.isfinite(xs[:, i]), axis=-1)
        out[label] = Race(losses[:, i], xs[keep, i], dead[i])
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

    def loss_and_grad(self, theta, t):
        """Full-data loss (R,) and the mini-batch gradient (R, P) at step t."""
        full = nn.loss(theta, self.X, self.y)
        if t >= self.max_steps:
            return full, np.zeros_like(theta)
        _, grad = nn.loss_and_grad(theta, self.X_batches[t], self.y_batches[t])
        return full, grad


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
    if steps > task.max_steps:
        raise ValueError(f"steps must be at most the task's {task.max_steps} batches, got steps={steps}")
    labels = list(optimizers)
    opts = [optimizers[k] for k in labels]
    losses, _, dead = _batched_run(task.loss_and_grad, opts, np.tile(task.theta0, (len(opts), 1)), steps)
    return {label: Race(losses[:, i], None, dead[i]) for i, label in enumerate(labels)}


def lr_sweep(task, make_optimizer, lrs, steps):
    """Final loss after ``steps`` steps for each learning rate in ``lrs``, as one batched run.

    ``make_optimizer(lr)`` gets lr as an array of shape (K, 1). Works for a
    surface (start: its default start) and for a NetworkTask. Runs that blow up
    read inf.
    """
    steps = _steps(steps)
    lrs = np.asarray(lrs, dtype=float)
    if lrs.ndim != 1 or lrs.size == 0 or not np.all(np.isfinite(lrs)) or np.any(lrs <= 0):
        raise ValueError(f"lrs must be a non-empty 1-D array of numbers > 0, got lrs={lrs!r}")
    opt = make_optimizer(lrs.reshape(-1, 1))
    if isinstance(task, NetworkTask):
        theta = np.tile(task.theta0, (lrs.size, 1))
        loss_and_grad = task.loss_and_grad
    else:
        theta = np.tile(task.default_start, (lrs.size, 1))

        def loss_and_grad(th, t):
            return task.loss(th), task.grad(th)

    state = opt.init(theta)
    with np.errstate(all="ignore"):
        for t in range(steps):
            _, grad = loss_and_grad(theta, t)
            theta, state = opt.step(theta, grad, state)
        final = loss_and_grad(theta, steps)[0]
    return np.where(_blown(final), np.inf, final)


def good_range(lrs, losses, threshold):
    """(lowest, highest) learning rate of the longest unbroken run of ``losses <= threshold``,
    or None if no learning rate gets there."""
    lrs, ok = np.asarray(lrs, dtype=float), np.asarray(losses, dtype=float) <= threshold
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


def _optimizers_from(settings):
    keys = ("lr_sgd", "lr_momentum", "lr_adam", "lr_adamw", "momentum", "beta1", "beta2",
            "weight_decay", "schedule", "warmup", "steps")
    return make_optimizers(**{k: settings[k] for k in keys})


def surface_frame(settings, surfaces=None):
    """Pure: the surface race for ``settings`` (a dict with the arena's knobs and ``surface``)."""
    if surfaces is None:
        from .surfaces import SURFACES as surfaces
    steps = _steps(settings["steps"])
    opts = _optimizers_from(settings)
    races = race_surface(surfaces[settings["surface"]], opts, steps)
    return ArenaFrame(races, {k: _lr_curve(o, steps) for k, o in opts.items()}, steps)


def network_frame(settings, task):
    """Pure: the network race on ``task`` for ``settings``."""
    steps = _steps(settings["steps"])
    opts = _optimizers_from(settings)
    races = race_network(task, opts, steps)
    return ArenaFrame(races, {k: _lr_curve(o, steps) for k, o in opts.items()}, steps)


# ------------------------------------------------------------------ explorers

def _explorer_base():
    from .widgets import Explorer
    return Explorer


class _Cache:
    """The last ``size`` frames by settings, so revisiting a slider position is instant."""

    def __init__(self, size=64):
        self.size, self.store = size, OrderedDict()

    def get(self, settings, make):
        key = tuple(sorted(settings.items()))
        if key in self.store:
            self.store.move_to_end(key)
            return self.store[key]
        frame = make()
        self.store[key] = frame
        if len(self.store) > self.size:
            self.store.popitem(last=False)
        return frame


def _controls(defaults, max_steps):
    import ipywidgets as W

    def log(name, desc, lo, hi):
        return W.FloatLogSlider(value=defaults[name], base=10, min=lo, max=hi, step=0.05,
                                description=desc, readout_format=".3g", continuous_update=True,
                                style={"description_width": "initial"})

    def lin(name, desc, lo, hi, step):
        return W.FloatSlider(value=defaults[name], min=lo, max=hi, step=step, description=desc,
                             readout_format=".3g", style={"description_width": "initial"})

    return {
        "lr_sgd": log("lr_sgd", "lr SGD", -4, 0.5),
        "lr_momentum": log("lr_momentum", "lr momentum", -4, 0.5),
        "lr_adam": log("lr_adam", "lr Adam", -4, 0.5),
        "lr_adamw": log("lr_adamw", "lr AdamW", -4, 0.5),
        "momentum": lin("momentum", "momentum β", 0.0, 0.99, 0.01),
        "beta1": lin("beta1", "Adam β1", 0.0, 0.99, 0.01),
        "beta2": W.SelectionSlider(options=[0.9, 0.99, 0.999, 0.9999], value=defaults["beta2"],
                                   description="Adam β2", style={"description_width": "initial"}),
        "weight_decay": log("weight_decay", "AdamW decay", -4, 0),
        "schedule": W.ToggleButtons(options=list(SCHEDULES), value=defaults["schedule"],
                                    description="schedule"),
        "warmup": W.IntSlider(value=defaults["warmup"], min=0, max=max_steps // 2, step=5,
                              description="warmup steps", style={"description_width": "initial"}),
        "steps": W.IntSlider(value=defaults["steps"], min=10, max=max_steps, step=10,
                             description="steps", style={"description_width": "initial"}),
    }


def _describe_races(frame, what):
    parts = []
    for label, race in frame.races.items():
        if race.diverged_at is not None:
            parts.append(f"{label} diverged at step {race.diverged_at}")
        else:
            parts.append(f"{label} ends at {what} {race.final_loss:.3g}")
    return "; ".join(parts) + "."


def _divergence_message(frame):
    gone = [f"{k} diverged at step {r.diverged_at}" for k, r in frame.races.items()
            if r.diverged_at is not None]
    return "; ".join(gone) or None


def _style(label):
    from .plotting import style_for
    return style_for(label)


class _ArenaMixin:
    """Shared drawing of loss curves and learning-rate curves."""

    def _make_curves(self, ax_loss, ax_lr):
        self.loss_lines, self.lr_lines = {}, {}
        for label in LABELS:
            st = _style(label)
            kw = dict(color=st["color"], linestyle=st["linestyle"])
            self.loss_lines[label] = self.animate(ax_loss.plot([], [], label=label, **kw)[0])
            self.lr_lines[label] = self.animate(ax_lr.plot([], [], label=label, **kw)[0])
        ax_loss.legend(loc="upper right", fontsize="small")
        ax_lr.set_xlabel("step")
        ax_lr.set_ylabel("learning rate")
        ax_lr.set_yscale("log")

    def _draw_curves(self, frame, floor=0.0):
        for label, race in frame.races.items():
            t = np.arange(len(race.losses))
            self.loss_lines[label].set_data(t, np.maximum(race.losses - floor, 1e-12))
            self.lr_lines[label].set_data(np.arange(frame.steps), np.maximum(frame.lr_curves[label], 1e-12))


class SurfaceArena(_ArenaMixin, _explorer_base()):
    """Race the four optimizers on a surface: paths on the contour plot, loss curves, lr curves."""

    figsize = (13.0, 4.6)
    defaults = dict(surface="rosenbrock", lr_sgd=1e-3, lr_momentum=5e-4, lr_adam=0.05, lr_adamw=0.05,
                    momentum=0.9, beta1=0.9, beta2=0.999, weight_decay=0.01, schedule="constant",
                    warmup=0, steps=300)
    max_steps = 1000

    def __init__(self, **initial):
        self._cache = _Cache()
        super().__init__(**initial)

    def make_controls(self):
        import ipywidgets as W
        from .surfaces import SURFACES
        controls = {"surface": W.Dropdown(options=list(SURFACES), value=self.defaults["surface"],
                                          description="surface")}
        controls.update(_controls(self.defaults, self.max_steps))
        return controls

    def setup(self, fig):
        self.ax_map = fig.add_subplot(1, 3, 1)
        self.ax_loss = fig.add_subplot(1, 3, 2)
        self.ax_lr = fig.add_subplot(1, 3, 3)
        self.paths = {}
        for label in LABELS:
            st = _style(label)
            self.paths[label] = self.animate(self.ax_map.plot(
                [], [], color=st["color"], linestyle=st["linestyle"], marker=st["marker"],
                markersize=3, markevery=10, linewidth=1.5)[0])
        self._make_curves(self.ax_loss, self.ax_lr)
        self.ax_loss.set_xlabel("step")
        self.ax_loss.set_ylabel("loss − minimum")
        self.ax_loss.set_yscale("log")
        fig.set_layout_engine("constrained")

    def static_key(self, settings):
        return (settings["surface"], settings["steps"])

    def update_static(self, settings):
        from .plotting import contour
        from .surfaces import SURFACES
        surface = SURFACES[settings["surface"]]
        for coll in list(self.ax_map.collections) + list(self.ax_map.texts):
            coll.remove()
        for line in list(self.ax_map.lines):
            if line not in self.paths.values():
                line.remove()
        contour(surface, ax=self.ax_map)
        (x0, x1), (y0, y1) = surface.bounds
        self.ax_map.set_xlim(x0, x1)
        self.ax_map.set_ylim(y0, y1)
        self.ax_map.set_title(surface.name)
        self.ax_loss.set_xlim(0, settings["steps"])
        self.ax_lr.set_xlim(0, settings["steps"])
        self.ax_loss.set_ylim(1e-10, 1e4)
        self.ax_lr.set_ylim(1e-5, 5)

    def compute(self, settings):
        return self._cache.get(settings, lambda: surface_frame(settings))

    def draw(self, frame):
        from .surfaces import SURFACES
        floor = SURFACES[self.settings()["surface"]].min_loss
        for label, race in frame.races.items():
            self.paths[label].set_data(race.xs[:, 0], race.xs[:, 1])
        self._draw_curves(frame, floor)
        return _divergence_message(frame)

    def describe(self, settings, frame):
        return (f"Four optimizers race on the {settings['surface']} surface for {frame.steps} steps "
                f"({settings['schedule']} schedule, {settings['warmup']} warmup steps): "
                + _describe_races(frame, "loss"))


class NetworkArena(_ArenaMixin, _explorer_base()):
    """Race the four optimizers training the two-moons network: loss curves and lr curves."""

    figsize = (11.0, 4.4)
    defaults = dict(lr_sgd=0.5, lr_momentum=0.05, lr_adam=0.02, lr_adamw=0.02, momentum=0.9,
                    beta1=0.9, beta2=0.999, weight_decay=0.01, schedule="constant", warmup=0, steps=200)

    def __init__(self, task=None, **initial):
        self.task = network_task() if task is None else task
        self.max_steps = self.task.max_steps
        self._cache = _Cache()
        super().__init__(**initial)

    def make_controls(self):
        return _controls(self.defaults, self.max_steps)

    def setup(self, fig):
        self.ax_loss = fig.add_subplot(1, 2, 1)
        self.ax_lr = fig.add_subplot(1, 2, 2)
        self._make_curves(self.ax_loss, self.ax_lr)
        self.ax_loss.set_xlabel("step")
        self.ax_loss.set_ylabel("training loss (cross-entropy)")
        self.ax_loss.set_yscale("log")
        self.ax_loss.set_title(f"{self.task.name}: {len(self.task.y)} points, "
                               f"batches of {self.task.batches.shape[1]}")
        fig.set_layout_engine("constrained")

    def static_key(self, settings):
        return settings["steps"]

    def update_static(self, settings):
        self.ax_loss.set_xlim(0, settings["steps"])
        self.ax_lr.set_xlim(0, settings["steps"])
        self.ax_loss.set_ylim(1e-3, 2.0)
        self.ax_lr.set_ylim(1e-5, 5)

    def compute(self, settings):
        return self._cache.get(settings, lambda: network_frame(settings, self.task))

    def draw(self, frame):
        self._draw_curves(frame)
        return _divergence_message(frame)

    def describe(self, settings, frame):
        return (f"Training loss of the two-moons network under four optimizers for {frame.steps} steps "
                f"({settings['schedule']} schedule, {settings['warmup']} warmup steps): "
                + _describe_races(frame, "loss"))
