"""Schedule explorer (notebook on learning-rate schedules): peak, warmup and length on sliders.

``schedule_frame`` is the pure function behind a frame: mini-batch SGD on the two-layer
linear network (helpers.lessons.deep_linear) with a warmup-then-cosine schedule. The explorer
draws the schedule, the path over the loss contours of (a, b), and the loss curve,
all three redrawn together. Tests call ``schedule_frame`` directly.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from helpers import descent, schedules
from helpers import validation as check
from helpers.problems import MiniBatches
from helpers.display import plotting
from helpers.lessons import deep_linear
from helpers.optim import SGD
from helpers.display.widgets import Explorer

__all__ = ["ScheduleFrame", "schedule_frame", "make_schedule", "ScheduleExplorer"]


@dataclass(frozen=True)
class ScheduleFrame:
    """One run: learning rates ``lrs`` (steps,), ``params`` (steps + 1, 2), ``losses`` (steps + 1,)."""

    lrs: np.ndarray
    params: np.ndarray
    losses: np.ndarray
    diverged_at: int | None


def make_schedule(peak_lr, warmup_steps, total_steps):
    """Linear warmup over ``warmup_steps`` then cosine to 0 at ``total_steps`` (plain cosine if no warmup)."""
    check.finite_number("peak_lr", peak_lr, minimum=0)
    warmup_steps = check.integer("warmup_steps", warmup_steps, minimum=0)
    total_steps = check.integer("total_steps", total_steps, minimum=1)
    if warmup_steps >= total_steps:
        raise ValueError(f"warmup_steps must be fewer than total_steps, "
                         f"got warmup_steps={warmup_steps}, total_steps={total_steps}")
    if warmup_steps == 0:
        return schedules.cosine(peak_lr, total_steps)
    return schedules.warmup_cosine(peak_lr, warmup_steps, total_steps)


def schedule_frame(x, y, peak_lr, warmup_steps, total_steps, batch_size=20, start=(3.0, 2.5), seed=0):
    """Run SGD with ``make_schedule(peak_lr, warmup_steps, total_steps)`` for total_steps updates."""
    sched = make_schedule(peak_lr, warmup_steps, total_steps)
    batches = MiniBatches(deep_linear.loss, deep_linear.grad, x, y, batch_size, total_steps, rng=seed)
    trace = descent.run(batches, SGD(lr=sched), np.asarray(start, dtype=float), total_steps)
    return ScheduleFrame(np.asarray(sched(np.arange(total_steps)), dtype=float), trace.xs,
                         trace.losses, trace.diverged_at)


class ScheduleExplorer(Explorer):
    """Sliders for peak learning rate, warmup steps and total steps; three linked views."""

    figsize = (13.5, 4.4)
    max_steps = 400

    def __init__(self, x, y, start=(3.0, 2.5), batch_size=20, **initial):
        self.x, self.y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
        self.start = np.asarray(start, dtype=float)
        self.batch_size = int(batch_size)
        self.surface = deep_linear.loss_surface(self.x, self.y)
        self.best = float(deep_linear.loss(self.surface.minima[0], self.x, self.y))
        super().__init__(**initial)

    def make_controls(self):
        import ipywidgets as W

        return {
            "peak_lr": W.FloatLogSlider(value=0.25, base=10, min=-2, max=np.log10(0.5), step=0.02,
                                        description="peak lr", readout_format=".3f"),
            "warmup_steps": W.IntSlider(value=20, min=0, max=150, step=1, description="warmup steps"),
            "total_steps": W.IntSlider(value=200, min=20, max=self.max_steps, step=10,
                                       description="total steps"),
        }

    def setup(self, fig):
        self.ax_lr, self.ax_path, self.ax_loss = fig.subplots(
            1, 3, gridspec_kw=dict(width_ratios=[1.0, 0.9, 1.0]))
        sgd = plotting.style_for("SGD")
        self.lr_line = self.animate(self.ax_lr.plot([], [], color=sgd["color"])[0])
        self.ax_lr.set_xlim(0, self.max_steps)
        self.ax_lr.set_ylim(0, 0.52)
        self.ax_lr.set_xlabel("step $t$")
        self.ax_lr.set_ylabel("learning rate")
        self.ax_lr.set_title("schedule")
        plotting.contour(self.surface, ax=self.ax_path, levels=np.geomspace(0.15, 200, 14))
        a = np.linspace(0.45, 4.0, 100)
        for sign in (1, -1):
            curve = deep_linear.minimum_curve(self.x, self.y, sign * a)
            self.ax_path.plot(curve[:, 0], curve[:, 1], color="black", linestyle="--", linewidth=1)
        self.ax_path.plot(*self.start, marker="o", markersize=12, markerfacecolor="white",
                          markeredgecolor=sgd["color"], markeredgewidth=2, linestyle="none")
        self.ax_path.set_xlabel("first weight $a$")
        self.ax_path.set_ylabel("second weight $b$")
        self.ax_path.set_title("path (minima dashed)")
        self.path = self.animate(self.ax_path.plot([], [], color=sgd["color"], linewidth=1.2,
                                                   marker=".", markersize=3)[0])
        self.loss_line = self.animate(self.ax_loss.plot([], [], color=sgd["color"])[0])
        self.ax_loss.set_yscale("log")
        self.ax_loss.set_xlim(0, self.max_steps)
        self.ax_loss.set_ylim(1e-5, 1e3)
        self.ax_loss.set_xlabel("step $t$")
        self.ax_loss.set_ylabel(r"loss $-$ minimum")
        self.ax_loss.set_title("loss")

    def compute(self, settings):
        return schedule_frame(self.x, self.y, settings["peak_lr"], settings["warmup_steps"],
                              settings["total_steps"], self.batch_size, self.start)

    def draw(self, frame):
        self.lr_line.set_data(np.arange(len(frame.lrs)), frame.lrs)
        ok = np.all(np.isfinite(frame.params), axis=1)
        self.path.set_data(frame.params[ok, 0], frame.params[ok, 1])
        steps = np.arange(len(frame.losses))
        self.loss_line.set_data(steps[ok], np.maximum(frame.losses[ok] - self.best, 1e-12))
        if frame.diverged_at is not None:
            return f"diverged at step {frame.diverged_at}"
        return None

    def describe(self, settings, frame):
        w, t = settings["warmup_steps"], settings["total_steps"]
        warm = f"a linear warmup over {w} steps, then cosine decay" if w else "cosine decay with no warmup"
        end = (f"the run diverged at step {frame.diverged_at}" if frame.diverged_at is not None
               else f"the run ends {frame.losses[-1] - self.best:.2g} above the minimum loss")
        return (f"Peak learning rate {settings['peak_lr']:.3f} with {warm} to zero at step {t}. "
                f"Left: the schedule; middle: the path of mini-batch SGD over the loss contours of "
                f"the two weights; right: its loss; {end}.")
