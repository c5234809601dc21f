"""The playground: SGD, momentum, Adam and AdamW walking down a loss surface, every knob a slider.

Two layers, as for every explorer (see helpers.display.widgets):

* ``playground_frame(settings) -> PlaygroundFrame`` is pure: it builds the schedule and the
  optimizers from a :class:`PlaygroundSettings`, runs them with ``helpers.descent.run`` and
  returns every path, loss curve and learning-rate curve the figure needs. Tests call it
  directly. Runs are cached on their settings, so moving only the "show step" slider or
  the fog switch costs no new descent.
* :class:`Playground` is the widget: sliders -> ``playground_frame`` -> new line data on a
  persistent three-panel figure (contour with paths | loss gap against step | schedule).

``draw_playground(settings, fig=None)`` draws the same three panels once, for the static
picture stored in the notebook (what a reader without a kernel sees).

Learning rates, two modes (``PlaygroundSettings.lr_mode``):

* ``"tuned"`` (the default): each optimizer runs at its own best peak learning rate for the current
  surface, start, steps and schedule. The best is chosen among the learning-rate slider's positions
  (``LR_POSITIONS``, 61 rates from 0.001 to 1 on a log scale) by one batched run of every optimizer
  at every position. The criterion (:func:`best_position`): among the runs that do not diverge, take
  the lowest final loss; every rate whose final loss is within a factor 2 of it counts as as good,
  and the smallest of those is chosen (the safest of the equally good). ``walk.lr`` is the rate
  chosen; the figure's legend says it ("Adam: lr 0.32, best of 61").
* ``"shared"``: one rate (``settings.lr``) for all four. What it is for: seeing how one rate suits
  each optimizer differently, which is what a race at a single rate really measures.

Both modes share one schedule shape; momentum applies to "SGD + momentum", the betas to Adam and
AdamW, and the weight decay to AdamW only (decoupled: p <- p - lr * weight_decay * p before the Adam
step). All the runs of a frame are one batch of ``helpers.descent.run`` (an ``optim.Group``); Adam is
AdamW with weight decay 0 inside that batch. A run's learning rate at update t is always
``peak * unit[t]``, ``unit`` the schedule at peak 1, so the same rate gives the same walk whether it
ran alone or in the sweep.

``SCENARIOS`` (in helpers.lessons.playground_scenarios, re-exported here): named settings that each
show one effect, with a one-line explanation; tests/test_playground_scenarios.py checks each claim over
every position of the slider it is about.
"""

from __future__ import annotations

import dataclasses
import functools
import math
from dataclasses import dataclass

import numpy as np

from helpers import schedules
from helpers import validation as check
from helpers.descent import run
from helpers.optim import SGD, AdamW, Group
from helpers.display.plotting import contour, style_for, update_fog
from helpers.lessons.playground_text import check_language, figure_fonts, text
from helpers.surfaces import SURFACES

__all__ = [
    "OPTIMIZERS", "SCHEDULES", "LR_MODES", "LR_EXPONENTS", "LR_POSITIONS", "PlaygroundSettings", "Walk",
    "PlaygroundFrame", "playground_frame", "lr_sweep", "best_position", "draw_playground", "describe_frame",
    "loss_limits", "Playground", "LOSS_FLOOR", "SCENARIOS",
]

OPTIMIZERS = ("SGD", "SGD + momentum", "Adam", "AdamW")
SCHEDULES = {  # value -> what the dropdown says
    "constant": "constant",
    "step": "step (x0.1 every third of the run)",
    "cosine": "cosine",
    "warmup_cosine": "warmup then cosine",
}
LR_MODES = {  # value -> what the menu says
    "tuned": "each at its own best rate",
    "shared": "one shared rate",
}
LOSS_FLOOR = 1e-10  # losses closer than this to the minimum are drawn at the floor of the log axis
MAX_LOSS = 1e12     # a run whose loss passes this has diverged (helpers.descent.run's max_loss)
LR_EXPONENT_STEP = 0.05
LR_EXPONENTS = np.round(np.arange(-3.0, 0.0 + 1e-9, LR_EXPONENT_STEP), 2)   # the learning-rate slider's stops
LR_POSITIONS = 10.0 ** LR_EXPONENTS                                        # 0.001 ... 1, 61 rates
LR_POSITIONS.setflags(write=False)
AS_GOOD = 2.0   # tuned mode: a final loss within this factor of the lowest counts as as good


@dataclass(frozen=True)
class PlaygroundSettings:
    """Everything a playground frame depends on. Defaults: four optimizers, 200 steps, Rosenbrock."""

    surface: str = "rosenbrock"
    lr: float = 2e-3
    schedule: str = "warmup_cosine"
    warmup: int = 20
    steps: int = 200
    optimizers: tuple = OPTIMIZERS
    momentum: float = 0.9
    beta1: float = 0.9
    beta2: float = 0.999
    weight_decay: float = 0.01
    start: tuple | None = None  # (x, y); None: the surface's default_start
    show_step: int | None = None  # walkers drawn at this step; None: the last one
    fog: bool = False
    lr_mode: str = "tuned"  # "tuned": each optimizer at its own best rate; "shared": lr for all

    def replace(self, **changes):
        return dataclasses.replace(self, **changes)


@dataclass(frozen=True)
class Walk:
    """One optimizer's run: positions up to divergence, loss above the minimum, divergence step."""

    label: str
    xs: np.ndarray        # (n + 1, 2), finite positions, start included
    gaps: np.ndarray      # (n + 1,), loss - surface minimum
    diverged_at: int | None
    lr: float | None = None   # the peak learning rate it ran at
    tuned_of: int = 0         # tuned mode: how many slider rates it was the best of (0: shared mode)

    @property
    def message(self):
        return self.message_in("en")

    def message_in(self, lang):
        """"SGD diverged at step 25" in ``lang`` (one of playground_text.LANGUAGES), or None."""
        if self.diverged_at is None:
            return None
        return text("diverged", lang, label=optimizer_name(self.label, lang), step=self.diverged_at)

    @property
    def lr_label(self):
        """"Adam: lr 0.32, best of 61" (tuned) or "Adam: lr 0.002" (shared)."""
        return self.lr_label_in("en")

    def lr_label_in(self, lang):
        """:attr:`lr_label` in ``lang``."""
        name = optimizer_name(self.label, lang)
        if self.lr is None:
            return name
        if self.tuned_of:
            return text("legend.tuned", lang, label=name, lr=f"{self.lr:.2g}", n=self.tuned_of)
        return text("legend.lr", lang, label=name, lr=f"{self.lr:.2g}")


def optimizer_name(label, lang="en"):
    """The name ``label`` (one of OPTIMIZERS) is shown under in ``lang``: "SGD + 动量" in Chinese."""
    return text(f"optimizer.{label}", lang)


@dataclass(frozen=True)
class PlaygroundFrame:
    """What one picture of the playground shows."""

    settings: PlaygroundSettings
    start: np.ndarray          # (2,)
    walks: tuple               # of Walk, in OPTIMIZERS order, only those shown
    lrs: np.ndarray            # (steps,), the shared rate's schedule: settings.lr * unit
    show_step: int             # 0..steps
    unit: np.ndarray | None = None   # (steps,), the schedule at peak 1 (each walk ran at walk.lr * unit)

    @property
    def messages(self):
        return self.messages_in("en")

    def messages_in(self, lang):
        """Every walk's divergence message, in ``lang``."""
        return tuple(m for m in (w.message_in(lang) for w in self.walks) if m)

    def positions(self):
        """(k, 2): each walker's position at ``show_step`` (its last finite one if it diverged sooner)."""
        return np.array([w.xs[min(self.show_step, len(w.xs) - 1)] for w in self.walks]).reshape(-1, 2)


# ------------------------------------------------------------------ the pure part

def _check(settings: PlaygroundSettings):
    s = check.instance("settings", settings, PlaygroundSettings, "a PlaygroundSettings")
    check.choice("surface", s.surface, sorted(SURFACES))
    check.choice("schedule", s.schedule, sorted(SCHEDULES))
    check.choice("lr_mode", s.lr_mode, sorted(LR_MODES))
    check.integer("steps", s.steps, minimum=1, maximum=100_000)
    check.integer("warmup", s.warmup, minimum=0)
    opts = s.optimizers
    if not (isinstance(opts, (tuple, list)) and all(isinstance(o, str) and o in OPTIMIZERS for o in opts)):
        check.fail("optimizers", opts, f"among {OPTIMIZERS}", wrong_kind=not isinstance(opts, (tuple, list)))
    if s.schedule == "warmup_cosine" and s.warmup >= s.steps:
        raise ValueError(f"the warmup ({s.warmup} steps) must be shorter than the run ({s.steps} steps)")
    check.finite_number("lr", s.lr, minimum=0, strict=True)
    check.finite_number("momentum", s.momentum, minimum=0)
    for name in ("beta1", "beta2"):
        check.finite_number(name, getattr(s, name), minimum=0, below=1)
    check.finite_number("weight_decay", s.weight_decay, minimum=0)
    if s.show_step is not None:
        check.integer("show_step", s.show_step)
    check.boolean("fog", s.fog)


def learning_rates(schedule: str, lr: float, warmup: int, steps: int) -> np.ndarray:
    """The learning rate used at updates t = 0..steps-1, from helpers.schedules."""
    check.choice("schedule", schedule, sorted(SCHEDULES))
    steps = check.integer("steps", steps, minimum=1)
    if schedule == "constant":
        sched = schedules.constant(lr)
    elif schedule == "step":
        sched = schedules.step_decay(lr, step_size=max(1, math.ceil(steps / 3)), gamma=0.1)
    elif schedule == "cosine":
        sched = schedules.cosine(lr, steps)
    else:
        sched = schedules.warmup_cosine(lr, warmup, steps) if warmup else schedules.cosine(lr, steps)
    lrs = np.asarray(sched(np.arange(steps)), dtype=float)
    lrs.setflags(write=False)
    return lrs


@functools.lru_cache(maxsize=64)
def _cached_lrs(schedule, lr, warmup, steps):
    return learning_rates(schedule, lr, warmup, steps)


@dataclass(frozen=True)
class Sweep:
    """Every selected optimizer at every peak rate of ``peaks``: one batched run.

    ``xs[label]`` is (steps + 1, P, 2) (NaN after a divergence), ``losses[label]`` (steps + 1, P),
    ``diverged_at[label]`` a tuple of P (None or the step).
    """

    peaks: np.ndarray
    unit: np.ndarray
    xs: dict
    losses: dict
    diverged_at: dict

    def walk(self, label, k, min_loss, tuned_of=0):
        """Row ``k`` of ``label`` as a Walk (positions up to divergence, gaps above the minimum)."""
        return _walk(label, self.xs[label][:, k], self.losses[label][:, k], self.diverged_at[label][k],
                     min_loss, float(self.peaks[k]), tuned_of)


@functools.lru_cache(maxsize=32)
def _sweep(surface, start, unit_key, optimizers, momentum, betas, weight_decay, peaks):
    """One batched descent.run: each optimizer of ``optimizers`` at each rate of ``peaks`` (a tuple);
    the rate at update t is peak * unit[t]. Adam and AdamW share one AdamW with a weight decay per row
    (0 for Adam): AdamW with weight decay 0 is exactly Adam."""
    unit = _cached_lrs(*unit_key)
    peak = np.asarray(peaks, dtype=float)
    n = len(peak)
    parts, labels = [], []

    def rates(copies):
        column = np.tile(peak, copies)[:, None]
        return lambda t: column * unit[t]

    if "SGD" in optimizers:
        parts.append((SGD(rates(1)), n))
        labels.append("SGD")
    if "SGD + momentum" in optimizers:
        parts.append((SGD(rates(1), momentum=momentum), n))
        labels.append("SGD + momentum")
    adams = [label for label in ("Adam", "AdamW") if label in optimizers]
    if adams:
        decay = np.repeat([0.0 if label == "Adam" else weight_decay for label in adams], n)[:, None]
        parts.append((AdamW(rates(len(adams)), betas=betas, weight_decay=decay), n * len(adams)))
        labels.extend(adams)
    if not parts:
        return Sweep(peak, unit, {}, {}, {})
    starts = np.tile(np.asarray(start, dtype=float), (n * len(labels), 1))
    trace = run(SURFACES[surface], Group(parts), starts, len(unit), MAX_LOSS)
    xs, losses, diverged = {}, {}, {}
    for i, label in enumerate(labels):
        rows = slice(i * n, (i + 1) * n)
        xs[label] = trace.xs[:, rows]
        losses[label] = trace.losses[:, rows]
        diverged[label] = tuple(trace.diverged_at[rows])
        for a in (xs[label], losses[label]):
            a.setflags(write=False)
    return Sweep(peak, unit, xs, losses, diverged)


def finite_prefix(xs):
    """How many positions from the start are finite: xs of shape (S + 1, ..., 2) -> ints of shape (...)
    (a walk keeps that many; the rest came after its divergence)."""
    finite = np.all(np.isfinite(xs), axis=-1)
    return np.where(finite.all(axis=0), len(xs), np.argmin(finite, axis=0))


def loss_gaps(losses, min_loss):
    """Loss above the minimum as drawn: at least LOSS_FLOOR (the log axis's floor), MAX_LOSS where not finite."""
    gaps = np.clip(losses - min_loss, LOSS_FLOOR, None)
    return np.where(np.isfinite(gaps), gaps, MAX_LOSS)


def _walk(label, xs, losses, diverged_at, min_loss, lr=None, tuned_of=0):
    xs = np.asarray(xs, dtype=float)
    n = int(finite_prefix(xs))
    xs = xs[:n]
    gaps = loss_gaps(np.asarray(losses, dtype=float)[:n], min_loss)
    for a in (xs, gaps):
        a.setflags(write=False)
    return Walk(label, xs, gaps, diverged_at, lr, tuned_of)


def best_position(final_gaps, diverged, as_good=AS_GOOD):
    """Tuned mode's choice among P rates (in increasing order): the index of the chosen one.

    Among the runs that did not diverge (``diverged[k]`` False), take the lowest final loss above
    the minimum; every rate whose final loss is within a factor ``as_good`` of it counts as as good,
    and the smallest of those is chosen. If every run diverged: 0, the smallest rate.
    """
    gaps = np.asarray(final_gaps, dtype=float)
    dead = np.asarray(diverged, dtype=bool)
    if gaps.ndim != 1 or dead.shape != gaps.shape or len(gaps) == 0:
        raise ValueError(f"final_gaps and diverged must be 1-d of one length >= 1, got shapes "
                         f"final_gaps={gaps.shape} and diverged={dead.shape}")
    check.finite_number("as_good", as_good, minimum=1)
    alive = ~dead & np.isfinite(gaps)
    if not alive.any():
        return 0
    best = float(np.min(np.where(alive, gaps, np.inf)))
    return int(np.flatnonzero(alive & (gaps <= as_good * max(best, LOSS_FLOOR)))[0])


def _settings_and_start(settings, changes):
    s = (settings or PlaygroundSettings()).replace(**changes)
    _check(s)
    surface = SURFACES[s.surface]
    start = surface.default_start if s.start is None else check.finite_array(
        "start", s.start, shape=(2,), what="two finite numbers")
    return s, np.asarray(start, dtype=float)


def _sweep_for(s, start, peaks):
    return _sweep(s.surface, (float(start[0]), float(start[1])), (s.schedule, 1.0, int(s.warmup), int(s.steps)),
                  tuple(o for o in OPTIMIZERS if o in s.optimizers), float(s.momentum),
                  (float(s.beta1), float(s.beta2)), float(s.weight_decay), tuple(float(p) for p in peaks))


def lr_position(lr):
    """The index of the slider position equal to ``lr`` (to 1e-9 relative), or None."""
    k = int(np.argmin(np.abs(np.log10(lr) - LR_EXPONENTS)))
    return k if abs(LR_POSITIONS[k] - lr) <= 1e-9 * lr else None


def lr_sweep(settings: PlaygroundSettings | None = None, **changes) -> Sweep:
    """Every shown optimizer at every learning-rate slider position (``LR_POSITIONS``) for these
    settings (their ``lr``, ``lr_mode`` and ``show_step`` do not matter): one batched run, cached."""
    s, start = _settings_and_start(settings, changes)
    return _sweep_for(s, start, LR_POSITIONS)


def tuned_positions(sweep: Sweep, min_loss: float) -> dict:
    """{label: index into sweep.peaks of the best rate} by :func:`best_position`."""
    out = {}
    for label, losses in sweep.losses.items():
        final = np.clip(losses[-1] - min_loss, LOSS_FLOOR, None)
        out[label] = best_position(final, [d is not None for d in sweep.diverged_at[label]])
    return out


def playground_frame(settings: PlaygroundSettings | None = None, **changes) -> PlaygroundFrame:
    """Run the selected optimizers for ``settings`` and return what the figure shows.

    Pure: the same settings give the same frame (runs are cached, arrays are read-only).
    In tuned mode (the default) each walk is the best of the slider's rates (``walk.lr``); in shared
    mode every walk runs at ``settings.lr``. Raises ValueError, naming the setting, for a combination
    that cannot run (the explorer shows that message on its figure instead of the paths).
    """
    s, start = _settings_and_start(settings, changes)
    min_loss = SURFACES[s.surface].min_loss
    if s.lr_mode == "tuned":
        sweep = _sweep_for(s, start, LR_POSITIONS)
        picks = tuned_positions(sweep, min_loss)
        walks = [sweep.walk(label, k, min_loss, tuned_of=len(LR_POSITIONS)) for label, k in picks.items()]
    else:
        k = lr_position(s.lr)
        if k is None:   # a rate between the slider's stops: run it alone (the same arithmetic)
            sweep, k = _sweep_for(s, start, (float(s.lr),)), 0
        else:
            sweep = _sweep_for(s, start, LR_POSITIONS)
        walks = [sweep.walk(label, k, min_loss) for label in sweep.xs]
    unit = _cached_lrs(s.schedule, 1.0, int(s.warmup), int(s.steps))
    lrs = float(s.lr) * unit
    lrs.setflags(write=False)
    show = s.steps if s.show_step is None else int(np.clip(s.show_step, 0, s.steps))
    return PlaygroundFrame(s, start, tuple(walks), lrs, show, unit)


def loss_limits(surface_name: str):
    """Fixed log-axis limits of the loss panel for a surface: from LOSS_FLOOR to a decade above its worst point."""
    surface = SURFACES[surface_name]
    (x0, x1), (y0, y1) = surface.bounds
    X, Y = np.meshgrid(np.linspace(x0, x1, 61), np.linspace(y0, y1, 61))
    worst = float(np.max(surface.loss(np.stack([X, Y], axis=-1))) - surface.min_loss)
    return LOSS_FLOOR, 10.0 ** math.ceil(math.log10(max(worst, 1.0)) + 1)


# ------------------------------------------------------------------ drawing

from helpers.display.widgets import Explorer, control_class  # noqa: E402  (after the pure part, which needs no widgets)


class _PlaygroundFigure:
    """The three panels and their moving artists; shared by the widget and the static picture."""

    def __init__(self, fig, animated=False, lang="en"):
        self.animated = animated  # True in the widget: moving artists are blitted, not in the background
        self.lang = lang = check_language(lang)

        self.fig = fig
        grid = fig.add_gridspec(2, 2, width_ratios=(1.15, 1.0), height_ratios=(1.3, 1.0),
                                left=0.06, right=0.98, bottom=0.11, top=0.71, wspace=0.22, hspace=0.75)
        self.ax = fig.add_subplot(grid[:, 0])
        self.ax_loss = fig.add_subplot(grid[0, 1])
        self.ax_lr = fig.add_subplot(grid[1, 1])
        self._static = []
        self.moving = []

        def add(artist):
            artist.set_animated(animated)
            self.moving.append(artist)
            return artist

        self.fog = None  # made by helpers.display.plotting.contour with each surface
        self.paths, self.curves, self.crosses, self.loss_crosses = {}, {}, {}, {}
        for label in OPTIMIZERS:
            st = style_for(label)
            color, ls, marker = st["color"], st.get("linestyle", "-"), st.get("marker", "o")
            self.paths[label] = add(self.ax.plot([], [], color=color, linestyle=ls, marker=marker,
                                                 markevery=[-1], markersize=9, lw=2, zorder=5,
                                                 markeredgecolor="white", label=optimizer_name(label, lang))[0])
            self.crosses[label] = add(self.ax.plot([], [], "X", color=color, markersize=14,
                                                   markeredgecolor="black", zorder=6, clip_on=False)[0])
            self.curves[label] = add(self.ax_loss.plot([], [], color=color, linestyle=ls, lw=2,
                                                       marker=marker, markevery=[-1],
                                                       label=optimizer_name(label, lang))[0])
            self.loss_crosses[label] = add(self.ax_loss.plot([], [], "X", color=color, markersize=12,
                                                             markeredgecolor="black", clip_on=False)[0])
        self.start = add(self.ax.plot([], [], "o", markersize=9, markerfacecolor="white",
                                      markeredgecolor="black", zorder=6)[0])
        self.lr_line = add(self.ax_lr.plot([], [], color="black", lw=2)[0])
        self.lr_now = add(self.ax_lr.axvline(0, color="#d55e00", lw=1.5, ls="--"))
        self.lr_dot = add(self.ax_lr.plot([], [], "o", color="#d55e00", markersize=8)[0])
        self.lr_text = add(self.ax_lr.text(1.0, 1.03, "", transform=self.ax_lr.transAxes,
                                           ha="right", va="bottom", fontsize="small"))
        self.loss_now = add(self.ax_loss.axvline(0, color="#d55e00", lw=1.0, ls="--"))
        self.ax_loss.set_yscale("log")
        self.ax_loss.set_xlabel(text("axis.step", lang))
        self.ax_loss.set_ylabel(text("axis.loss_gap", lang))
        self.ax_loss.set_title(text("title.loss", lang), fontsize="medium")
        self.ax_lr.set_xlabel(text("axis.step", lang))
        self.ax_lr.set_ylabel(text("axis.lr", lang))
        self.ax_lr.set_ylim(0, 1.12)
        self.ax_lr.set_title(text("title.schedule", lang), fontsize="medium", loc="left")
        handles = [self.paths[label] for label in OPTIMIZERS]
        self.legend = fig.legend(handles, [optimizer_name(label, lang) for label in OPTIMIZERS],
                                 loc="upper center", ncol=2, frameon=False,
                                 bbox_to_anchor=(0.5, 1.0), fontsize="medium", columnspacing=2.5)
        self.use_fonts(fig)

    def use_fonts(self, fig):
        """Give every text of ``fig`` fonts that have the language's script (Chinese, Hindi)."""
        fonts = figure_fonts(self.lang)
        if not fonts:
            return
        texts = list(fig.texts) + list(self.legend.get_texts())
        for ax in fig.axes:   # not fig.findobj: it would ask the empty log axis for its ticks
            texts += [ax.xaxis.label, ax.yaxis.label, ax.title] + list(ax.texts)
            texts += [t for t in (getattr(ax, "_left_title", None), getattr(ax, "_right_title", None)) if t]
        for t in texts:
            t.set_fontfamily(fonts)

    def set_labels(self, labels):
        """The legend's texts, in OPTIMIZERS order ("Adam: lr 0.32, best of 61", or just the names)."""
        for text, label in zip(self.legend.get_texts(), labels):
            text.set_text(label)

    def labels(self, frame):
        """What the legend says for ``frame``: in tuned mode each shown optimizer with the rate it
        chose ("Adam: lr 0.89, best of 61"); in shared mode the names (the schedule panel gives the
        one rate). The legend is background, redrawn only when these change: in tuned mode on a
        recompute, never while the shared rate is scrubbed."""
        names = tuple(optimizer_name(label, self.lang) for label in OPTIMIZERS)
        if frame.settings.lr_mode != "tuned":
            return names
        shown = {w.label: w for w in frame.walks}
        return tuple(shown[label].lr_label_in(self.lang) if label in shown else name
                     for label, name in zip(OPTIMIZERS, names))

    def moving_artists(self):
        """Drawn every frame, in this order (fog first, so the paths stay on top of it)."""
        return [self.fog] + self.moving

    def draw_static(self, surface_name, steps):
        """Contour of the surface (minima marked), its fog layer, and the fixed axis limits."""
        for artist in self._static:
            artist.remove()
        surface = SURFACES[surface_name]
        before = set(self.ax.get_children())
        (x0, x1), (y0, y1) = surface.bounds
        drawn = contour(surface, ax=self.ax, fog=([surface.default_start], self.fog_radius(surface)))
        self._static = [a for a in self.ax.get_children() if a not in before]
        self.fog = drawn.fog
        self.fog.set_animated(self.animated)
        for ax in (self.ax_loss, self.ax_lr):
            ax.set_xlim(0, steps)
        self.ax_loss.set_ylim(*loss_limits(surface_name))

    @staticmethod
    def fog_radius(surface):
        """The clear disc around each walker in fog: 12% of the plot's diagonal."""
        (x0, x1), (y0, y1) = surface.bounds
        return 0.12 * math.hypot(x1 - x0, y1 - y0)

    def update(self, frame: PlaygroundFrame):
        """New data for every moving artist; returns the divergence message (or None)."""
        s, t = frame.settings, frame.show_step
        shown = {w.label: w for w in frame.walks}
        top = self.ax_loss.get_ylim()[1]
        for label in OPTIMIZERS:
            walk = shown.get(label)
            path, curve, cross, lcross = (self.paths[label], self.curves[label],
                                          self.crosses[label], self.loss_crosses[label])
            for artist in (path, curve, cross, lcross):
                artist.set_visible(walk is not None)
            if walk is None:
                continue
            n = min(t, len(walk.xs) - 1) + 1
            path.set_data(walk.xs[:n, 0], walk.xs[:n, 1])
            curve.set_data(np.arange(n), np.minimum(walk.gaps[:n], top))
            gone = walk.diverged_at is not None and t >= walk.diverged_at
            cross.set_visible(gone)
            lcross.set_visible(gone)
            if gone:
                (x0, x1), (y0, y1) = SURFACES[s.surface].bounds
                last = walk.xs[-1]
                cross.set_data([np.clip(last[0], x0, x1)], [np.clip(last[1], y0, y1)])
                lcross.set_data([walk.diverged_at], [top])
        self.start.set_data([frame.start[0]], [frame.start[1]])

        if s.fog:
            update_fog(self.fog, frame.positions())
        self.fog.set_visible(bool(s.fog))

        unit = frame.unit if frame.unit is not None else frame.lrs / max(float(np.max(frame.lrs)), 1e-300)
        steps = np.arange(len(unit))
        self.lr_line.set_data(steps, unit)
        self.lr_now.set_xdata([t, t])
        self.loss_now.set_xdata([t, t])
        i = min(t, len(unit) - 1)
        self.lr_dot.set_data([i], [unit[i]])
        if s.lr_mode == "tuned":
            self.lr_text.set_text(text("lr_text.tuned", self.lang, t=t, unit=f"{unit[i]:.2g}"))
        else:
            self.lr_text.set_text(text("lr_text.shared", self.lang, peak=f"{s.lr:.2g}", t=t,
                                       rate=f"{s.lr * unit[i]:.2g}"))
        messages = frame.messages_in(self.lang)
        return "; ".join(messages) if messages else None


def _hyper(walk, s, lang="en"):
    """The settings that act on ``walk``'s optimizer, in words."""
    parts = [text("hyper.lr", lang, v=f"{walk.lr:.2g}")] if walk.lr is not None else []
    if walk.label == "SGD + momentum":
        parts.append(text("hyper.momentum", lang, v=f"{s.momentum:.3g}"))
    if walk.label in ("Adam", "AdamW"):
        parts += [text("hyper.beta1", lang, v=f"{s.beta1:.3g}"), text("hyper.beta2", lang, v=f"{s.beta2:.4g}")]
    if walk.label == "AdamW":
        parts.append(text("hyper.weight_decay", lang, v=f"{s.weight_decay:.3g}"))
    return text("list.comma", lang).join(parts)


def walk_state(walk, t, s, lang="en"):
    """One optimizer's state at step ``t``, in words: its settings, where it is and its loss."""
    head = text("walk.head", lang, label=optimizer_name(walk.label, lang), hyper=_hyper(walk, s, lang))
    if walk.diverged_at is not None and t >= walk.diverged_at:
        return text("diverged", lang, label=head, step=walk.diverged_at)
    x, y = walk.xs[min(t, len(walk.xs) - 1)]
    gap = walk.gaps[min(t, len(walk.gaps) - 1)]
    loss = text("walk.at_minimum", lang) if gap <= LOSS_FLOOR else text("walk.loss", lang, gap=f"{gap:.2g}")
    return text("walk.at", lang, head=head, x=_signed(x), y=_signed(y), loss=loss)


def _signed(v):
    return f"{v:.2f}".replace("-", "\u2212") if abs(v) >= 0.005 else "0.00"


def describe_frame(frame: PlaygroundFrame, lang: str = "en") -> str:
    """The text description of the figure, for readers who cannot see it: the setting, then every
    shown optimizer's state at the step shown (its learning rate, momentum, betas and weight decay
    included). ``lang``: one of helpers.lessons.playground_text.LANGUAGES."""
    check_language(lang)
    s, t = frame.settings, frame.show_step
    schedule = text("describe.schedule", lang, name=text(f"schedule.{s.schedule}", lang))
    if s.schedule == "warmup_cosine":
        schedule = text("describe.warmup", lang, schedule=schedule, n=s.warmup)
    rates = (text("describe.tuned", lang, n=len(LR_POSITIONS)) if s.lr_mode == "tuned"
             else text("describe.shared", lang, lr=f"{s.lr:.2g}"))
    surface = text(f"surface.{s.surface}", lang)
    if lang == "en":
        surface = surface.capitalize()
    head = text("describe.head", lang, surface=surface, x=_signed(frame.start[0]), y=_signed(frame.start[1]),
                schedule=schedule, steps=s.steps, rates=rates, t=t,
                fog=text("describe.fog", lang) if s.fog else "")
    states = (text("describe.join", lang).join(walk_state(w, t, s, lang) for w in frame.walks)
              or text("describe.none", lang))
    space = "" if lang == "zh" else " "
    return f"{head}{space}{text('describe.end', lang, states=states)}"


def draw_playground(settings: PlaygroundSettings | None = None, fig=None, figsize=(11.0, 4.8), lang="en"):
    """Draw the playground once (no widgets), e.g. the static picture in the notebook.

    Returns the figure; with ``fig=None`` a new pyplot figure is made, so ``plt.show()`` shows it.
    """
    frame = playground_frame(settings)
    if fig is None:
        import matplotlib.pyplot as plt

        fig = plt.figure(figsize=figsize, layout="none")
    panels = _PlaygroundFigure(fig, lang=lang)
    panels.draw_static(frame.settings.surface, frame.settings.steps)
    panels.set_labels(panels.labels(frame))
    message = panels.update(frame)
    if message:
        fig.text(*Playground.banner_position, message, ha="center", va="top", fontsize="large",
                 bbox=dict(boxstyle="round,pad=0.4", facecolor="#fff3c4", edgecolor="#d55e00"))
    panels.use_fonts(fig)
    return fig


class Playground(Explorer):
    """The one-page playground: every knob of ``PlaygroundSettings`` on a slider.

    ``Playground()`` shows the defaults; keyword arguments set controls by name, e.g.
    ``Playground(surface="himmelblau", lr=0.01)``. Clicking the figure moves the start
    point (with ``renderer="jpeg"``, only when the optional ``ipyevents`` package is installed).
    ``lang`` (one of helpers.lessons.playground_text.LANGUAGES; English by default) is the language
    of every label, message, scenario note and the text description: ``Playground(lang="zh")``.

    ``renderer``: ``"canvas"`` (the default) draws the figure in the browser
    (helpers.lessons.playground_canvas): a recompute sends every slider rate's paths at once, and
    the learning-rate slider, the step slider and play redraw there without the kernel.
    ``"jpeg"``: matplotlib draws it in the kernel and sends each frame as a JPEG (the older path,
    kept for comparison: benchmarks/browser_latency.py times both).
    """

    figsize = (11.0, 4.8)
    dpi = 90
    figure_layout = "none"  # the panels are placed by hand (a gridspec with fixed margins)
    banner_position = (0.5, 0.852)  # under the legend, above the panels
    figure_name = "Playground: optimizer paths on the contour map, loss and learning rate per step"
    lang = "en"

    RENDERERS = ("canvas", "jpeg")

    def __init__(self, lang=None, renderer="canvas", **initial):
        self.renderer = check.choice("renderer", renderer, self.RENDERERS)
        self.last_payload_bytes = None
        if lang is None:
            from helpers.lessons import playground_text

            lang = playground_text.default_language()
        self.lang = check_language(lang)
        self.figure_name = text("figure_name", self.lang)
        super().__init__(**initial)

    def make_controls(self):
        import ipywidgets as W

        from helpers.lessons.playground_scenarios import SCENARIOS

        d = PlaygroundSettings()
        surface = SURFACES[d.surface]
        (x0, x1), (y0, y1) = surface.bounds
        wide = dict(style={"description_width": "165px"}, layout=W.Layout(width="385px"))
        lang = self.lang

        def say(key):
            return text(f"control.{key}", lang)

        surfaces = list(SURFACES)
        if lang != "en":   # English keeps the surfaces' own names (the menu's values)
            surfaces = [(text(f"surface.{k}", lang), k) for k in SURFACES]
        c = {
            "scenario": W.Dropdown(options=[(say("choose"), "")] + [(k, k) for k in SCENARIOS], value="",
                                   description=say("scenario"), **wide),
            "lr_mode": W.ToggleButtons(options=[(text(f"mode.{k}", lang), k) for k in LR_MODES], value=d.lr_mode,
                                       description=say("lr_mode"), style={"button_width": "170px"}),
            "lr": W.FloatLogSlider(value=d.lr, base=10, min=float(LR_EXPONENTS[0]),
                                   max=float(LR_EXPONENTS[-1]), step=LR_EXPONENT_STEP,
                                   description=say("lr"), readout_format=".2g", **wide),
            "schedule": W.Dropdown(options=[(text(f"schedule.{k}", lang), k) for k in SCHEDULES],
                                   value=d.schedule, description=say("schedule"), **wide),
            "warmup": W.IntSlider(value=d.warmup, min=0, max=150, step=1, description=say("warmup"), **wide),
            "steps": W.IntSlider(value=d.steps, min=10, max=500, step=10, description=say("steps"), **wide),
            "show_step": W.IntSlider(value=d.steps, min=0, max=d.steps, step=1,
                                     description=say("show_step"), **wide),
        }
        for label in OPTIMIZERS:
            c[label] = W.Checkbox(value=label in d.optimizers, description=optimizer_name(label, lang),
                                  indent=False, layout=W.Layout(width="160px"))
        c.update({
            "momentum": W.FloatSlider(value=d.momentum, min=0.0, max=0.99, step=0.01,
                                      description=say("momentum"), readout_format=".3g", **wide),
            "beta1": W.FloatSlider(value=d.beta1, min=0.0, max=0.99, step=0.01,
                                   description=say("beta1"), readout_format=".3g", **wide),
            "beta2": W.FloatSlider(value=d.beta2, min=0.9, max=0.9999, step=0.0001,
                                   description=say("beta2"), readout_format=".4g", **wide),
            "weight_decay": W.FloatSlider(value=d.weight_decay, min=0.0, max=0.5, step=0.01,
                                          description=say("weight_decay"), readout_format=".3g", **wide),
            "surface": W.Dropdown(options=surfaces, value=d.surface, description=say("surface"), **wide),
            "x": self._start_slider("x", surface, lang),
            "y": self._start_slider("y", surface, lang),
            "fog": W.Checkbox(value=d.fog, description=say("fog"),
                              indent=False, layout=W.Layout(width="385px")),
        })
        if self.renderer == "canvas":   # the back row: every text of the page larger (the projector page's CSS)
            c["large"] = W.ToggleButton(value=False, description=say("large"), icon="",
                                        layout=W.Layout(width="max-content", min_width="8em"))
        c["lr"].add_class("downhill-lr")
        c["warmup"].add_class("downhill-warmup")
        c["scenario"].observe(self._scenario_changed, names="value")
        c["lr"].observe(self._lr_moved, names="value")
        c["surface"].observe(self._surface_changed, names="value")
        c["steps"].observe(self._steps_changed, names="value")
        c["schedule"].observe(self._schedule_changed, names="value")
        return c

    def layout(self, c):
        import ipywidgets as W

        self.play = W.Play(value=c["show_step"].value, min=0, max=c["show_step"].max, step=1,
                           interval=40, description=text("control.play", self.lang))
        W.jslink((self.play, "value"), (c["show_step"], "value"))
        W.jslink((self.play, "max"), (c["show_step"], "max"))
        column = W.Layout(margin="0 12px 0 0")
        self._start_box = W.VBox([c["surface"], c["x"], c["y"], c["fog"]])
        self.scenario_note = W.HTML(layout=W.Layout(width="100%"))
        self.scenario_note.add_class("downhill-scenario-note")
        # CSS classes for the projector page's layout (notebooks/app/voila/templates/downhill)
        scenario = W.HBox([c["scenario"]] + ([c["large"]] if "large" in c else []) + [self.scenario_note])
        run = W.VBox([c["lr"], c["schedule"], c["warmup"], c["steps"],
                      W.HBox([self.play, c["show_step"]])], layout=column)
        optimizers = W.VBox([W.HBox([c["SGD"], c["SGD + momentum"]]), W.HBox([c["Adam"], c["AdamW"]]),
                             c["momentum"], c["beta1"], c["beta2"], c["weight_decay"]], layout=column)
        for box, name in ((scenario, "scenario"), (run, "run"), (optimizers, "optimizers"),
                          (self._start_box, "surface")):
            box.add_class(f"downhill-pg-{name}")
        row = W.HBox([run, optimizers, self._start_box], layout=W.Layout(flex_flow="row wrap"))
        row.add_class("downhill-pg-row")
        controls = W.VBox([scenario, c["lr_mode"], row])
        controls.add_class("downhill-pg-controls")
        return controls

    def setup(self, fig):   # renderer="jpeg" only
        self.panels = _PlaygroundFigure(fig, animated=True, lang=self.lang)

    def browser_figure(self):
        if self.renderer != "canvas":
            return None
        from helpers.lessons.playground_canvas import PlaygroundCanvas

        c = self.controls
        return PlaygroundCanvas(figure_name=self.figure_name, lr=float(c["lr"].value),
                                lr_mode_index=int(c["lr_mode"].index),
                                show_step=int(c["show_step"].value), fog=bool(c["fog"].value))

    def connect(self):
        if self.renderer == "canvas":
            import ipywidgets as W

            # in the browser, straight from the sliders to the canvas: these redraw without the kernel
            c = self.controls   # (a menu syncs its index, not its value: the canvas maps it by LR_MODES)
            self._links = [W.jsdlink((c[k], "value"), (self.image, k)) for k in ("lr", "show_step", "fog")]
            self._links.append(W.jsdlink((c["lr_mode"], "index"), (self.image, "lr_mode_index")))
            # both ways: the page may start large (?large=1 in the make app address) and say so to the button
            self._links.append(W.jslink((c["large"], "value"), (self.image, "large")))
            self.image.observe(self._on_canvas_click, names="click")
            return
        self.panels.use_fonts(self.figure)   # the banner too, made after setup
        try:
            from ipyevents import Event
        except ImportError:  # optional: without it the start point is set by the sliders only
            self._click = None
            return
        self._click = Event(source=self.image, watched_events=["click"])
        self._click.on_dom_event(self._on_click)

    def _on_canvas_click(self, change):
        """The canvas was clicked at data coordinates (x, y): start there."""
        point = change["new"]
        if isinstance(point, (list, tuple)) and len(point) >= 2:
            self._start_at(float(point[0]), float(point[1]))

    @staticmethod
    def _data_key(s, start):
        """The settings the canvas's data depends on: all but those the canvas applies itself (the rate,
        the mode, the step shown, the fog), with the start made explicit."""
        return s.replace(lr=1.0, lr_mode="tuned", show_step=None, fog=False, start=(float(start[0]), float(start[1])))

    _sent_background = _sent_data = None   # canvas: the keys of what was sent last
    _sent_rates = frozenset()              # and the shared rates between the slider's stops sent with the data

    def present(self, settings, frame, message):
        """The canvas renderer: send the background when the surface or the steps change, and every
        slider rate's paths when any setting but the rate, the step, the mode and the fog changes (or
        when a shared rate between the slider's stops, set from code, is not among the rates sent)."""
        from helpers.lessons import playground_canvas as canvas

        cv = self.image
        if frame is None:
            cv.error = message or ""
            return message
        s = frame.settings
        background, data_key = (s.surface, int(s.steps), self.lang), self._data_key(s, frame.start)
        off_stop = s.lr_mode == "shared" and lr_position(s.lr) is None
        with cv.hold_sync():
            sent = 0
            if background != self._sent_background:
                cv.info, cv.contour_png = canvas.background(s.surface, s.steps, self.lang)
                self._sent_background, sent = background, len(cv.contour_png)
            if data_key != self._sent_data or (off_stop and float(s.lr) not in self._sent_rates):
                data = canvas.canvas_data(s, self.lang)
                cv.send(data)
                self._sent_data, self._sent_rates = data_key, frozenset(data["peaks"][len(LR_POSITIONS):])
                self.last_payload_bytes = canvas.payload_bytes(data) + sent
            cv.error = ""
        messages = frame.messages_in(self.lang)
        return "; ".join(messages) if messages else None

    def present_error(self, message):
        self.image.error = message

    def banner(self, kind, detail):
        return text(f"banner.{kind}", self.lang, detail=detail)

    def _on_click(self, event):
        """Move the start point to where the figure was clicked (pixel -> data coordinates)."""
        if "dataX" not in event:
            return
        _, height = self.blit.size
        x, y = self.panels.ax.transData.inverted().transform((event["dataX"], height - event["dataY"]))
        self._start_at(float(x), float(y))

    def _start_at(self, x, y):
        """Start the walks at (x, y) if it lies within the surface's plotted bounds (a click's target)."""
        (x0, x1), (y0, y1) = SURFACES[self.controls["surface"].value].bounds
        if x0 <= x <= x1 and y0 <= y <= y1:
            with self.hold():
                self.controls["x"].value = x
                self.controls["y"].value = y

    def playground_settings(self, values=None) -> PlaygroundSettings:
        """Control values -> PlaygroundSettings (the argument of ``playground_frame``)."""
        v = self.settings() if values is None else values
        return PlaygroundSettings(
            surface=v["surface"], lr=float(v["lr"]), schedule=v["schedule"], warmup=int(v["warmup"]),
            steps=int(v["steps"]), optimizers=tuple(o for o in OPTIMIZERS if v[o]),
            momentum=float(v["momentum"]), beta1=float(v["beta1"]), beta2=float(v["beta2"]),
            weight_decay=float(v["weight_decay"]), start=(float(v["x"]), float(v["y"])),
            show_step=int(v["show_step"]), fog=bool(v["fog"]), lr_mode=v["lr_mode"],
        )

    def show(self, settings: PlaygroundSettings):
        """Set every control from ``settings`` (a scenario, say), then redraw once."""
        s = check.instance("settings", settings, PlaygroundSettings, "a PlaygroundSettings")
        _check(s)
        c = self.controls
        with self.hold():
            c["surface"].value = s.surface          # its observer puts the start at the default
            if s.start is not None:
                c["x"].value, c["y"].value = float(s.start[0]), float(s.start[1])
            c["steps"].value = int(s.steps)
            c["lr"].value = float(s.lr)             # (moving it switches to shared: lr_mode comes after)
            for name in ("schedule", "warmup", "momentum", "beta1", "beta2", "weight_decay", "fog", "lr_mode"):
                c[name].value = getattr(s, name)
            for label in OPTIMIZERS:
                c[label].value = label in s.optimizers
            c["show_step"].value = int(s.steps if s.show_step is None else s.show_step)

    def compute(self, values):
        return playground_frame(self.playground_settings(values))

    def moving_artists(self):
        return self.panels.moving_artists()

    def draw(self, frame):
        return self.panels.update(frame)

    def describe(self, values, frame):
        return describe_frame(frame, self.lang)

    def static_key(self, values):
        return (values["surface"], int(values["steps"]))

    def view_limits(self, frame):
        """The legend's labels are background (see _PlaygroundFigure.labels): new ones redraw it."""
        return self.panels.labels(frame)

    def update_static(self, values):
        key = (values["surface"], int(values["steps"]))
        if key != getattr(self, "_drawn", None):
            self.panels.draw_static(*key)
            self._drawn = key
        if self.limits is not None:
            self.panels.set_labels(self.limits)

    # keep dependent controls consistent (each change is coalesced into one redraw)
    @staticmethod
    def _start_slider(name, surface, lang="en"):
        """The start x or y slider for ``surface``: its bounds, its default start."""
        import ipywidgets as W

        i = "xy".index(name)
        lo, hi = surface.bounds[i]
        return W.FloatSlider(value=float(surface.default_start[i]), min=lo, max=hi, step=0.05,
                             description=text("control.start", lang, axis=name), readout_format=".3g",
                             style={"description_width": "initial"}, layout=W.Layout(width="385px"))

    def _surface_changed(self, change):
        """A new surface gets new start sliders, made with its bounds and its default start.

        Changing the old sliders' range and value instead is not safe in the browser: the slider
        clamps its value into whatever range it has when an update arrives and writes that back, so
        the start could stay where the last surface had it (rosenbrock -> bowl gave (-1.20, 2.00)),
        depending on the order the changes reached it.
        """
        surface = SURFACES[change["new"]]
        if not hasattr(self, "_start_box"):   # Playground(surface=...) while building: the base class
            for name in ("x", "y"):           # adds classes and observers to whatever is here
                self.controls[name] = self._start_slider(name, surface, self.lang)
            return
        with self.hold():
            fresh = {}
            for name in ("x", "y"):
                old = self.controls[name]
                new = self._start_slider(name, surface, self.lang)
                new.add_class(control_class(name))
                new.observe(self._on_change, names="value")
                fresh[name] = new
                old.unobserve(self._on_change, names="value")
            old_x, old_y = self.controls["x"], self.controls["y"]
            self.controls["x"], self.controls["y"] = fresh["x"], fresh["y"]
            self._start_box.children = [self.controls["surface"], fresh["x"], fresh["y"], self.controls["fog"]]
            self._dirty = True
            old_x.close()
            old_y.close()

    def _steps_changed(self, change):
        w = self.controls["show_step"]
        at_end = w.value >= change["old"]
        with self.hold():
            w.max = change["new"]
            if at_end:
                w.value = change["new"]

    def _schedule_changed(self, change):
        self.controls["warmup"].disabled = change["new"] != "warmup_cosine"

    def _lr_moved(self, change):
        """Moving the learning-rate slider means racing at that one rate: it switches to shared mode.

        A change of less than half a slider step is no move: the browser's log slider writes its value
        back when its page opens, rounded through its exponent or snapped to its nearest stop
        (0.002 -> 0.0019953), and a key press moves a whole step (x 1.12)."""
        old, new = float(change["old"]), float(change["new"])
        if old > 0 and new > 0 and abs(math.log10(new / old)) < LR_EXPONENT_STEP / 2:
            return
        if self.controls["lr_mode"].value != "shared":
            with self.hold():
                self.controls["lr_mode"].value = "shared"

    def _scenario_changed(self, change):
        name = change["new"]
        if not name:
            self.scenario_note.value = ""
            return
        from helpers.lessons.playground_scenarios import SCENARIOS

        from helpers.lessons.playground_scenarios import explanation

        settings, _ = SCENARIOS[name]
        self.show(settings)
        self.scenario_note.value = explanation(name, self.lang)


def __getattr__(name):
    """``SCENARIOS`` lives in helpers.lessons.playground_scenarios (which needs PlaygroundSettings from
    here); it is looked up on first use, so either module can be imported first."""
    if name == "SCENARIOS":
        from helpers.lessons.playground_scenarios import SCENARIOS

        return SCENARIOS
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


STATIC_PREVIEW_TAG = "static-preview"


def drop_static_preview(req_handler=None, notebook=None, cwd=None, lang="en"):
    """Voila prelaunch hook: the projector page. Leaves out the cells tagged "static-preview" (the
    picture for readers without a kernel) and every piece of prose; the first markdown cell gives the
    page its title (its first heading) and nothing else, so the page is the title, then the live
    playground.

    ``lang`` other than "en": the title is that language's, and a first code cell makes ``lang`` the
    kernel's default (helpers.lessons.playground_text.set_default_language), so the notebook's
    ``Playground()`` speaks it. Used by notebooks/app/voila.py; returns the notebook so changed.
    """
    check_language(lang)
    cells, titled = [], False
    for c in notebook.cells:
        if STATIC_PREVIEW_TAG in c.get("metadata", {}).get("tags", []):
            continue
        if c.get("cell_type") == "markdown":
            if titled:
                continue
            lines = [line for line in c.get("source", "").splitlines() if line.startswith("# ")]
            if not lines:
                continue
            c = type(c)(c)   # a copy (a NotebookNode stays one)
            c["source"] = lines[0].split(":")[0] if lang == "en" else "# " + text("title", lang)
            titled = True
        cells.append(c)
    if lang != "en":
        import nbformat

        first_code = next((i for i, c in enumerate(cells) if c.get("cell_type") == "code"), len(cells))
        cells.insert(first_code, nbformat.v4.new_code_cell(
            "from helpers.lessons.playground_text import set_default_language\n"
            f"set_default_language({lang!r});"))
    notebook.cells = cells
    return notebook


def app_language(req_handler=None, default="en"):
    """The `make app` page's language: ``?lang=`` in its address, else ``default`` (make app's
    APP_LANG). ValueError naming ``lang`` for one that is not in playground_text.LANGUAGES."""
    lang = default
    if req_handler is not None:
        lang = req_handler.get_argument("lang", None) or default
    return check_language(lang.strip().lower() if isinstance(lang, str) else lang)
