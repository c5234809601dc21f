"""Batch-size explorer (notebook on stochastic gradient descent): one slider, two views.

``batch_size_frame`` is the pure function behind a frame: SGD on the straight-line
model for a fixed budget of examples, with the chosen batch size and learning rate.
The explorer draws its path over the loss contours of (w, b) and its loss against
examples seen. Tests call ``batch_size_frame`` directly.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from helpers import descent
from helpers import validation as check
from helpers.display import plotting
from helpers.lessons import linear_model
from helpers.problems import MiniBatches
from helpers.optim import SGD
from helpers.display.widgets import Explorer

__all__ = ["BatchSizeFrame", "batch_size_frame", "BatchSizeExplorer", "BATCH_SIZES"]

BATCH_SIZES = (1, 2, 5, 10, 20, 50, 100, 200)


@dataclass(frozen=True)
class BatchSizeFrame:
    """One run: ``params`` (steps + 1, 2), ``losses`` minus the least-squares loss, ``examples_seen``."""

    params: np.ndarray
    excess_loss: np.ndarray
    examples_seen: np.ndarray
    diverged_at: int | None
    steps: int


def batch_size_frame(x, y, batch_size, lr, examples=2000, seed=0, start=(-1.0, 4.0)):
    """SGD with ``batch_size`` and ``lr`` until ``examples`` examples have been used.

    steps = examples // batch_size; the loss is reported as L - L* (L* the least-squares loss).
    """
    x, y = check.finite_array("x", x, ndim=1), check.finite_array("y", y, ndim=1)
    check.integer("batch_size", batch_size, minimum=1, maximum=len(x),
                  what=f"an integer between 1 and n={len(x)}")
    examples = check.integer("examples", examples, minimum=1)
    lr = check.finite_number("lr", lr, minimum=0)
    start = check.finite_array("start", start, shape=(2,))
    steps = max(1, int(examples) // int(batch_size))
    batches = MiniBatches(linear_model.loss, linear_model.grad, x, y, int(batch_size), steps, rng=seed)
    trace = descent.run(batches, SGD(lr=lr), np.asarray(start, dtype=float), steps)
    best = linear_model.loss(linear_model.least_squares(x, y), x, y)
    return BatchSizeFrame(trace.xs, trace.losses - best, trace.examples_seen,
                          trace.diverged_at, steps)


class BatchSizeExplorer(Explorer):
    """Slider for the batch size (and the learning rate); path on the contours and loss curve."""

    figsize = (11.0, 4.6)

    def __init__(self, x, y, examples=2000, start=(-1.0, 4.0), **initial):
        self.x, self.y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
        self.examples = int(examples)
        self.start = np.asarray(start, dtype=float)
        self.surface = linear_model.loss_surface(self.x, self.y, bounds=((-1.5, 4.5), (-1.5, 4.5)))
        super().__init__(**initial)

    def make_controls(self):
        import ipywidgets as W

        return {
            "batch_size": W.SelectionSlider(options=list(BATCH_SIZES), value=10, description="batch size",
                                            continuous_update=True),
            "lr": W.FloatLogSlider(value=0.1, base=10, min=-2.5, max=np.log10(0.6), step=0.05,
                                   description="learning rate", readout_format=".3f"),
        }

    def setup(self, fig):
        self.ax_path, self.ax_loss = fig.subplots(1, 2, gridspec_kw=dict(width_ratios=[1.0, 1.1]))
        plotting.contour(self.surface, ax=self.ax_path, levels=np.geomspace(0.14, 40, 14))
        self.ax_path.set_xlabel("slope $w$")
        self.ax_path.set_ylabel("intercept $b$")
        self.ax_path.set_title("path on the loss surface")
        sgd = plotting.style_for("SGD")
        self.path = self.animate(self.ax_path.plot([], [], color=sgd["color"], linewidth=1.2,
                                                   marker=".", markersize=3)[0])
        self.ax_path.plot(*self.start, marker="o", markersize=12, markerfacecolor="white",
                          markeredgecolor=sgd["color"], markeredgewidth=2, linestyle="none")
        self.curve = self.animate(self.ax_loss.plot([], [], color=sgd["color"], linewidth=1.5)[0])
        self.ax_loss.set_yscale("log")
        self.ax_loss.set_xlim(0, self.examples)
        self.ax_loss.set_ylim(1e-4, 50)
        self.ax_loss.set_xlabel("examples seen")
        self.ax_loss.set_ylabel(r"loss $-$ minimum")
        self.ax_loss.set_title("loss on the whole data set")

    def compute(self, settings):
        return batch_size_frame(self.x, self.y, settings["batch_size"], settings["lr"],
                                self.examples, seed=0, start=self.start)

    def draw(self, frame):
        ok = np.all(np.isfinite(frame.params), axis=1)
        self.path.set_data(frame.params[ok, 0], frame.params[ok, 1])
        self.curve.set_data(frame.examples_seen[ok], np.maximum(frame.excess_loss[ok], 1e-12))
        if frame.diverged_at is not None:
            return f"diverged at step {frame.diverged_at}"
        return None

    def describe(self, settings, frame):
        b = settings["batch_size"]
        kind = "full-batch descent" if b == len(self.x) else f"mini-batches of {b}"
        end = ("it diverged" if frame.diverged_at is not None
               else f"it ends {frame.excess_loss[-1]:.2g} above the minimum loss")
        return (f"SGD with {kind} and learning rate {settings['lr']:.3f}: {frame.steps} updates "
                f"using {self.examples} examples in all; left, its path over the contours of the "
                f"loss; right, its loss against examples seen; {end}.")
