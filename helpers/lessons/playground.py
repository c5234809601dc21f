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

The four optimizers share one learning rate and one schedule; momentum applies to
"SGD + momentum", the betas to Adam and AdamW, and the weight decay to AdamW only
(decoupled: p <- p - lr * weight_decay * p before the Adam step). All selected optimizers run as
one batch of ``helpers.descent.run`` (an ``optim.Group``); Adam is AdamW with weight
decay 0 inside that batch.
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
from helpers.surfaces import SURFACES

__all__ = [
    "OPTIMIZERS", "SCHEDULES", "PlaygroundSettings", "Walk", "PlaygroundFrame",
    "playground_frame", "draw_playground", "describe_frame", "loss_limits", "Playground", "LOSS_FLOOR",
]

OPTIMIZERS = ("SGD", "SGD + momentum", "Adam", "AdamW")
SCHEDULES = {  # value -> what the dropdown says
    "constant": "constant",
    "step": "step (x0.1 every third of the run)",
    "cosine": "cosine",
    "warmup_cosine": "warmup then cosine",
}
LOSS_FLOOR = 1e-10  # losses closer than this to the minimum are drawn at the floor of the log axis
MAX_LOSS = 1e12     # a run whose loss passes this has diverged (helpers.descent.run's max_loss)


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

    def replace(self, **changes):
        return dataclasses.replace(self, **changes)


@dataclass(frozen=True)
class Walk:
    """One optimizer's run: positions up to divergence, loss above the minimum, divergence step."""

    label: str
    xs: np.ndarray        # (n + 1, 2), finite positions, start included
    gaps: np.ndarray      # (n + 1,), loss - surface minimum
    diverged_at: int | None

    @property
    def message(self):
        return None if self.diverged_at is None else f"{self.label} diverged at step {self.diverged_at}"


@dataclass(frozen=True)
class PlaygroundFrame:
    """What one picture of the playground shows."""

    settings: PlaygroundSettings
    start: np.ndarray          # (2,)
    walks: tuple               # of Walk, in OPTIMIZERS order, only those shown
    lrs: np.ndarray            # (steps,), the learning rate used at each update
    show_step: int             # 0..steps

    @property
    def messages(self):
        return tuple(w.message for w in self.walks if w.message)

    def positions(self):
        """(k, 2): each walker's position at ``show_step`` (its last finite one if it diverged sooner)."""
        return np.array([w.xs[min(self.show_step, len(w.xs) - 1)] for w in self.walks]).reshape(-1, 2)


# ------------------------------------------------------------------ the pure part

def _check(settings: PlaygroundSettings):
    s = check.instance("settings", settings, PlaygroundSettings, "a PlaygroundSettings")
    check.choice("surface", s.surface, sorted(SURFACES))
    check.choice("schedule", s.schedule, sorted(SCHEDULES))
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


def _table(lrs):
    """A schedule that looks the learning rate up: the same values, far cheaper per step."""
    return lambda t: lrs[t]


@functools.lru_cache(maxsize=64)
def _cached_lrs(schedule, lr, warmup, steps):
    return learning_rates(schedule, lr, warmup, steps)


@functools.lru_cache(maxsize=128)
def _runs(surface, start, lr_key, optimizers, momentum, betas, weight_decay):
    """One batched descent.run of the selected optimizers; returns {label: single-run Trace}.

    Adam and AdamW share one AdamW with a weight decay per row, (0, weight_decay):
    AdamW with weight decay 0 is exactly Adam.
    """
    lrs = _cached_lrs(*lr_key)
    lr = _table(lrs)
    parts, labels = [], []
    if "SGD" in optimizers:
        parts.append((SGD(lr), 1))
        labels.append("SGD")
    if "SGD + momentum" in optimizers:
        parts.append((SGD(lr, momentum=momentum), 1))
        labels.append("SGD + momentum")
    adams = [label for label in ("Adam", "AdamW") if label in optimizers]
    if adams:
        decay = np.array([[0.0 if label == "Adam" else weight_decay] for label in adams])
        parts.append((AdamW(lr, betas=betas, weight_decay=decay), len(adams)))
        labels.extend(adams)
    if not parts:
        return {}
    starts = np.tile(np.asarray(start, dtype=float), (len(labels), 1))
    trace = run(SURFACES[surface], Group(parts), starts, len(lrs), MAX_LOSS)
    return {label: trace.single(k) for k, label in enumerate(labels)}


def _walk(label, trace, min_loss):
    xs = np.asarray(trace.xs, dtype=float)
    keep = np.all(np.isfinite(xs), axis=1)
    n = int(np.argmin(keep)) if not keep.all() else len(xs)
    xs = xs[:n]
    losses = np.asarray(trace.losses, dtype=float)[:n]
    gaps = np.clip(losses - min_loss, LOSS_FLOOR, None)
    gaps = np.where(np.isfinite(gaps), gaps, MAX_LOSS)
    for a in (xs, gaps):
        a.setflags(write=False)
    return Walk(label, xs, gaps, trace.diverged_at)


def playground_frame(settings: PlaygroundSettings | None = None, **changes) -> PlaygroundFrame:
    """Run the selected optimizers for ``settings`` and return what the figure shows.

    Pure: the same settings give the same frame (runs are cached, arrays are read-only).
    Raises ValueError, naming the setting, for a combination that cannot run (the
    explorer shows that message on its figure instead of the paths).
    """
    s = (settings or PlaygroundSettings()).replace(**changes)
    _check(s)
    surface = SURFACES[s.surface]
    start = surface.default_start if s.start is None else check.finite_array(
        "start", s.start, shape=(2,), what="two finite numbers")
    start_key = (float(start[0]), float(start[1]))
    lr_key = (s.schedule, float(s.lr), int(s.warmup), int(s.steps))
    min_loss = surface.min_loss

    traces = _runs(s.surface, start_key, lr_key, tuple(o for o in OPTIMIZERS if o in s.optimizers),
                   float(s.momentum), (float(s.beta1), float(s.beta2)), float(s.weight_decay))
    walks = [_walk(label, trace, min_loss) for label, trace in traces.items()]
    show = s.steps if s.show_step is None else int(np.clip(s.show_step, 0, s.steps))
    return PlaygroundFrame(s, start, tuple(walks), _cached_lrs(*lr_key), show)


def loss_limits(surface_name: str):
    """Fixed log-axis limits of the loss panel for a surface: from LOSS_FLOOR to a decade above its worst point."""
    surface = SURFACES[surface_name]
    (x0, x1), (y0, y1) = surface.bounds
    X, Y = np.meshgrid(np.linspace(x0, x1, 61), np.linspace(y0, y1, 61))
    worst = float(np.max(surface.loss(np.stack([X, Y], axis=-1))) - surface.min_loss)
    return LOSS_FLOOR, 10.0 ** math.ceil(math.log10(max(worst, 1.0)) + 1)


# ------------------------------------------------------------------ drawing

from helpers.display.widgets import Explorer  # noqa: E402  (after the pure part, which needs no widgets)


class _PlaygroundFigure:
    """The three panels and their moving artists; shared by the widget and the static picture."""

    def __init__(self, fig, animated=False):
        self.animated = animated  # True in the widget: moving artists are blitted, not in the background

        self.fig = fig
        grid = fig.add_gridspec(2, 2, width_ratios=(1.15, 1.0), height_ratios=(1.3, 1.0),
                                left=0.06, right=0.98, bottom=0.11, top=0.77, wspace=0.22, hspace=0.75)
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
                                                 markeredgecolor="white", label=label)[0])
            self.crosses[label] = add(self.ax.plot([], [], "X", color=color, markersize=14,
                                                   markeredgecolor="black", zorder=6, clip_on=False)[0])
            self.curves[label] = add(self.ax_loss.plot([], [], color=color, linestyle=ls, lw=2,
                                                       marker=marker, markevery=[-1], label=label)[0])
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
        self.ax_loss.set_xlabel("step")
        self.ax_loss.set_ylabel("loss − minimum")
        self.ax_loss.set_title("loss (log scale)", fontsize="medium")
        self.ax_lr.set_xlabel("step")
        self.ax_lr.set_ylabel("lr ÷ peak lr")
        self.ax_lr.set_ylim(0, 1.12)
        self.ax_lr.set_title("schedule", fontsize="medium", loc="left")
        handles = [self.paths[label] for label in OPTIMIZERS]
        fig.legend(handles, OPTIMIZERS, loc="upper center", ncol=4, frameon=False,
                   bbox_to_anchor=(0.5, 1.0), fontsize="medium")

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

        steps = np.arange(len(frame.lrs))
        peak = float(np.max(frame.lrs)) if len(frame.lrs) else 0.0
        self.lr_line.set_data(steps, frame.lrs / peak if peak > 0 else frame.lrs)
        self.lr_now.set_xdata([t, t])
        self.loss_now.set_xdata([t, t])
        i = min(t, len(frame.lrs) - 1)
        self.lr_dot.set_data([i], [frame.lrs[i] / peak if peak > 0 else 0.0])
        self.lr_text.set_text(f"peak {peak:.2g}; step {t}: {frame.lrs[i]:.2g}")
        messages = frame.messages
        return "; ".join(messages) if messages else None


def describe_frame(frame: PlaygroundFrame) -> str:
    """The one-line description of the figure, for readers who cannot see it."""
    s = frame.settings
    names = ", ".join(w.label for w in frame.walks) or "no optimizer"
    parts = []
    for w in frame.walks:
        if w.diverged_at is not None:
            parts.append(f"{w.label} diverged at step {w.diverged_at}")
        else:
            parts.append(f"{w.label} ends at loss {w.gaps[-1]:.2g} above the minimum")
    outcome = ("; ".join(parts) + ".") if parts else ""
    return (f"{names} on the {s.surface.replace('_', ' ')} surface from ({frame.start[0]:.2f}, "
            f"{frame.start[1]:.2f}), peak learning rate {s.lr:.2g}, {SCHEDULES[s.schedule]} schedule, "
            f"{s.steps} steps; left: paths on the contour map{' in fog' if s.fog else ''}, "
            f"right: loss above the minimum and the learning rate per step. {outcome}")


def draw_playground(settings: PlaygroundSettings | None = None, fig=None, figsize=(11.0, 4.8)):
    """Draw the playground once (no widgets), e.g. the static picture in the notebook.

    Returns the figure; with ``fig=None`` a new pyplot figure is made, so ``plt.show()`` shows it.
    """
    frame = playground_frame(settings)
    if fig is None:
        import matplotlib.pyplot as plt

        fig = plt.figure(figsize=figsize, layout="none")
    panels = _PlaygroundFigure(fig)
    panels.draw_static(frame.settings.surface, frame.settings.steps)
    message = panels.update(frame)
    if message:
        fig.text(*Playground.banner_position, message, ha="center", va="top", fontsize="large",
                 bbox=dict(boxstyle="round,pad=0.4", facecolor="#fff3c4", edgecolor="#d55e00"))
    return fig


class Playground(Explorer):
    """The one-page playground: every knob of ``PlaygroundSettings`` on a slider.

    ``Playground()`` shows the defaults; keyword arguments set controls by name, e.g.
    ``Playground(surface="himmelblau", lr=0.01)``. Clicking the figure moves the start
    point when the optional ``ipyevents`` package is installed.
    """

    figsize = (11.0, 4.8)
    dpi = 90
    figure_layout = "none"  # the panels are placed by hand (a gridspec with fixed margins)
    banner_position = (0.5, 0.915)  # under the legend, above the panels

    def make_controls(self):
        import ipywidgets as W

        d = PlaygroundSettings()
        surface = SURFACES[d.surface]
        (x0, x1), (y0, y1) = surface.bounds
        wide = dict(style={"description_width": "165px"}, layout=W.Layout(width="385px"))
        c = {
            "lr": W.FloatLogSlider(value=d.lr, base=10, min=-4, max=0, step=0.05,
                                   description="learning rate", readout_format=".2g", **wide),
            "schedule": W.Dropdown(options=[(v, k) for k, v in SCHEDULES.items()], value=d.schedule,
                                   description="schedule", **wide),
            "warmup": W.IntSlider(value=d.warmup, min=0, max=150, step=1, description="warmup", **wide),
            "steps": W.IntSlider(value=d.steps, min=10, max=500, step=10, description="steps", **wide),
            "show_step": W.IntSlider(value=d.steps, min=0, max=d.steps, step=1,
                                     description="show step", **wide),
        }
        for label in OPTIMIZERS:
            c[label] = W.Checkbox(value=label in d.optimizers, description=label, indent=False,
                                  layout=W.Layout(width="160px"))
        c.update({
            "momentum": W.FloatSlider(value=d.momentum, min=0.0, max=0.99, step=0.01,
                                      description="momentum", **wide),
            "beta1": W.FloatSlider(value=d.beta1, min=0.0, max=0.99, step=0.01,
                                   description="beta1 (Adam)", **wide),
            "beta2": W.FloatSlider(value=d.beta2, min=0.9, max=0.9999, step=0.0001,
                                   description="beta2 (Adam)", readout_format=".4f", **wide),
            "weight_decay": W.FloatSlider(value=d.weight_decay, min=0.0, max=0.5, step=0.01,
                                          description="weight decay (AdamW)", **wide),
            "surface": W.Dropdown(options=list(SURFACES), value=d.surface, description="surface", **wide),
            "x": W.FloatSlider(value=float(surface.default_start[0]), min=x0, max=x1, step=0.05,
                               description="start x", **wide),
            "y": W.FloatSlider(value=float(surface.default_start[1]), min=y0, max=y1, step=0.05,
                               description="start y", **wide),
            "fog": W.Checkbox(value=d.fog, description="fog (feel only the slope underfoot)",
                              indent=False, layout=W.Layout(width="385px")),
        })
        c["lr"].add_class("downhill-lr")
        c["warmup"].add_class("downhill-warmup")
        c["surface"].observe(self._surface_changed, names="value")
        c["steps"].observe(self._steps_changed, names="value")
        c["schedule"].observe(self._schedule_changed, names="value")
        return c

    def layout(self, c):
        import ipywidgets as W

        self.play = W.Play(value=c["show_step"].value, min=0, max=c["show_step"].max, step=1,
                           interval=40, description="play")
        W.jslink((self.play, "value"), (c["show_step"], "value"))
        W.jslink((self.play, "max"), (c["show_step"], "max"))
        column = W.Layout(margin="0 12px 0 0")
        return W.HBox([
            W.VBox([c["lr"], c["schedule"], c["warmup"], c["steps"],
                    W.HBox([self.play, c["show_step"]])], layout=column),
            W.VBox([W.HBox([c["SGD"], c["SGD + momentum"]]), W.HBox([c["Adam"], c["AdamW"]]),
                    c["momentum"], c["beta1"], c["beta2"], c["weight_decay"]], layout=column),
            W.VBox([c["surface"], c["x"], c["y"], c["fog"]]),
        ], layout=W.Layout(flex_flow="row wrap"))

    def setup(self, fig):
        self.panels = _PlaygroundFigure(fig, animated=True)

    def connect(self):
        try:
            from ipyevents import Event
        except ImportError:  # optional: without it the start point is set by the sliders only
            self._click = None
            return
        self._click = Event(source=self.image, watched_events=["click"])
        self._click.on_dom_event(self._on_click)

    def _on_click(self, event):
        """Move the start point to where the figure was clicked (pixel -> data coordinates)."""
        if "dataX" not in event:
            return
        _, height = self.blit.size
        x, y = self.panels.ax.transData.inverted().transform((event["dataX"], height - event["dataY"]))
        (x0, x1), (y0, y1) = SURFACES[self.controls["surface"].value].bounds
        if x0 <= x <= x1 and y0 <= y <= y1:
            with self.hold():
                self.controls["x"].value = float(x)
                self.controls["y"].value = float(y)

    def playground_settings(self, values=None) -> PlaygroundSettings:
        """Control values -> PlaygroundSettings (the argument of ``playground_frame``)."""
        v = self.settings() if values is None else values
        return PlaygroundSettings(
            surface=v["surface"], lr=float(v["lr"]), schedule=v["schedule"], warmup=int(v["warmup"]),
            steps=int(v["steps"]), optimizers=tuple(o for o in OPTIMIZERS if v[o]),
            momentum=float(v["momentum"]), beta1=float(v["beta1"]), beta2=float(v["beta2"]),
            weight_decay=float(v["weight_decay"]), start=(float(v["x"]), float(v["y"])),
            show_step=int(v["show_step"]), fog=bool(v["fog"]),
        )

    def compute(self, values):
        return playground_frame(self.playground_settings(values))

    def moving_artists(self):
        return self.panels.moving_artists()

    def draw(self, frame):
        return self.panels.update(frame)

    def describe(self, values, frame):
        return describe_frame(frame)

    def static_key(self, values):
        return (values["surface"], int(values["steps"]))

    def update_static(self, values):
        self.panels.draw_static(values["surface"], int(values["steps"]))

    # keep dependent controls consistent (each change is coalesced into one redraw)
    def _surface_changed(self, change):
        surface = SURFACES[change["new"]]
        (x0, x1), (y0, y1) = surface.bounds
        with self.hold():
            for name, lo, hi, value in (("x", x0, x1, surface.default_start[0]),
                                        ("y", y0, y1, surface.default_start[1])):
                w = self.controls[name]
                w.min, w.max = min(w.min, lo), max(w.max, hi)   # widen first so value fits
                w.value = float(value)
                w.min, w.max = lo, hi

    def _steps_changed(self, change):
        w = self.controls["show_step"]
        at_end = w.value >= change["old"]
        with self.hold():
            w.max = change["new"]
            if at_end:
                w.value = change["new"]

    def _schedule_changed(self, change):
        self.controls["warmup"].disabled = change["new"] != "warmup_cosine"


STATIC_PREVIEW_TAG = "static-preview"


def drop_static_preview(req_handler=None, notebook=None, cwd=None):
    """Voila prelaunch hook: leave out the cells tagged "static-preview" (the picture for readers
    without a kernel), so the projector page shows only the live playground.

    Used by notebooks/app/voila.py; returns the notebook with those cells removed.
    """
    notebook.cells = [c for c in notebook.cells
                      if STATIC_PREVIEW_TAG not in c.get("metadata", {}).get("tags", [])]
    return notebook
