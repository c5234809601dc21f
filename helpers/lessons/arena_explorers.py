"""Slider explorers for the optimizer arena (notebook 09).

``SurfaceArena`` races the four optimizers on a surface (paths on the contour map, loss
curves, learning-rate curves); ``NetworkArena`` races them training the two-moons network
(loss and learning-rate curves). Every knob is a slider: four peak learning rates, the
momentum, Adam's betas, AdamW's weight decay, the schedule, the warmup and the run length.

Both are thin: ``compute`` calls the pure ``helpers.lessons.arena.surface_frame`` /
``network_frame`` (which tests time directly) through a small cache of recent frames, so
returning to a slider position is instant; ``draw`` only moves line data.
"""

from __future__ import annotations

from collections import OrderedDict

import numpy as np

from helpers.lessons.arena import LABELS, SCHEDULES, network_frame, network_task, surface_frame
from helpers.display.widgets import Explorer

__all__ = ["SurfaceArena", "NetworkArena"]


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
    from helpers.display.plotting import style_for
    return style_for(label)


def _decades(curves, lowest, highest, span=1):
    """(lo, hi): whole powers of ten around every finite positive value of ``curves``, at least
    ``span`` decade(s) apart and inside [lowest, highest]."""
    values = np.concatenate([c[np.isfinite(c) & (c > 0)] for c in curves] or [np.array([])])
    if values.size == 0:
        return (lowest, highest)
    lo = int(np.clip(np.floor(np.log10(values.min())), lowest, highest - span))
    hi = int(np.clip(np.ceil(np.log10(values.max())), lo + span, highest))
    return (lo, hi)


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

    def view_limits(self, frame):
        """Log-axis limits fitted to this frame's curves, in whole decades (loss, then lr)."""
        floor = getattr(self, "_loss_floor", lambda: 0.0)()
        losses = [np.asarray(r.losses, dtype=float) - floor for r in frame.races.values()]
        lrs = [np.asarray(c, dtype=float) for c in frame.lr_curves.values()]
        return _decades(losses, lowest=-12, highest=6), _decades(lrs, lowest=-8, highest=2)

    def _fit_axes(self, default_loss, default_lr):
        loss, lr = self.limits if self.limits is not None else (default_loss, default_lr)
        self.ax_loss.set_ylim(10.0 ** loss[0], 10.0 ** loss[1])
        self.ax_lr.set_ylim(10.0 ** lr[0], 10.0 ** lr[1])

    def _draw_curves(self, frame, floor=0.0):
        for label, race in frame.races.items():
            t = np.arange(len(race.losses))
            self.loss_lines[label].set_data(t, np.maximum(race.losses - floor, 1e-12))
            self.lr_lines[label].set_data(np.arange(frame.steps), np.maximum(frame.lr_curves[label], 1e-12))


class SurfaceArena(_ArenaMixin, Explorer):
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
        from helpers.surfaces import SURFACES
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
        from helpers.display.plotting import contour
        from helpers.surfaces import SURFACES
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
        self._fit_axes((-10, 4), (-5, 1))

    def compute(self, settings):
        return self._cache.get(settings, lambda: surface_frame(settings))

    def _loss_floor(self):
        from helpers.surfaces import SURFACES
        return SURFACES[self.settings()["surface"]].min_loss

    def draw(self, frame):
        floor = self._loss_floor()
        for label, race in frame.races.items():
            self.paths[label].set_data(race.xs[:, 0], race.xs[:, 1])
        self._draw_curves(frame, floor)
        return _divergence_message(frame)

    def describe(self, settings, frame):
        return (f"Four optimizers race on the {settings['surface']} surface for {frame.steps} steps "
                f"({settings['schedule']} schedule, {settings['warmup']} warmup steps): "
                + _describe_races(frame, "loss"))


class NetworkArena(_ArenaMixin, Explorer):
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
        self._fit_axes((-3, 1), (-5, 1))

    def compute(self, settings):
        return self._cache.get(settings, lambda: network_frame(settings, self.task))

    def draw(self, frame):
        self._draw_curves(frame)
        return _divergence_message(frame)

    def describe(self, settings, frame):
        return (f"Training loss of the two-moons network under four optimizers for {frame.steps} steps "
                f"({settings['schedule']} schedule, {settings['warmup']} warmup steps): "
                + _describe_races(frame, "loss"))
