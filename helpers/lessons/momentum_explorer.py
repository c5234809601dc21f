"""Rate-map explorer (notebook 07): heavy ball's rate per step over a grid of (lr, beta), predicted and run.

The bowl has curvatures mu = 1 / kappa and L = 1 (``helpers.surfaces.quadratic(1 / kappa, 1)``), so
the learning rate reads in units of 1 / L. ``measured_rate_map`` trains every (lr, beta) pair of the
grid in one batched run (``SGD`` with an lr and a momentum of shape (K, 1)) and measures each run's
decay with ``momentum.envelope_rate``; ``rate_map_frame`` adds the prediction
(``momentum.rate_map``), the best tuning and one marked run. Tests call both directly.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from helpers import validation as check
from helpers.descent import run
from helpers.display import plotting
from helpers.display.widgets import Explorer
from helpers.lessons import momentum
from helpers.optim import SGD
from helpers.surfaces import quadratic

__all__ = ["RateMapFrame", "grid", "measured_rate_map", "rate_map_frame", "RateMapExplorer"]

LR_MAX, BETA_MAX = 4.0, 0.96
START = (1.0, 1.0)                     # both directions start with the same error
STEPS, FIRST, WINDOW = 300, 150, 40    # measure the decay from step 150 to 300, peaks over 40 steps


def grid(n_lr=50, n_beta=40):
    """The map's axes: ``n_lr`` learning rates in (0, 4] and ``n_beta`` momenta in [0, 0.96]."""
    n_lr = check.integer("n_lr", n_lr, minimum=2, maximum=400)
    n_beta = check.integer("n_beta", n_beta, minimum=2, maximum=400)
    return np.linspace(LR_MAX / n_lr, LR_MAX, n_lr), np.linspace(0.0, BETA_MAX, n_beta)


def _condition(condition_number):
    return check.finite_number("condition_number", condition_number, minimum=1, maximum=1e6)


@lru_cache(maxsize=8)
def _measured(kappa, n_lr, n_beta):
    lrs, betas = grid(n_lr, n_beta)
    lr, beta = np.meshgrid(lrs, betas)                       # row i: betas[i]
    k = lr.size
    trace = run(quadratic(1.0 / kappa, 1.0), SGD(lr=lr.reshape(k, 1), momentum=beta.reshape(k, 1)),
                np.tile(START, (k, 1)), STEPS)
    dist = np.hypot(trace.xs[..., 0], trace.xs[..., 1])      # (steps + 1, K), NaN from a divergence on;
    #                                                          hypot: no underflow of squares below 1e-154
    rates = momentum.envelope_rate(dist, FIRST, STEPS, WINDOW).reshape(lr.shape)
    rates.setflags(write=False)
    return rates


def measured_rate_map(condition_number, n_lr=50, n_beta=40):
    """Each grid run's measured rate per step, shape (n_beta, n_lr); NaN where a run diverged.

    One batched run of n_lr * n_beta runs, 300 steps each, from (1, 1) on curvatures 1/kappa and 1;
    the rate is (largest distance over steps 261-300 / largest over 111-150)^(1/150), each window's
    distances first carried to its last step at the estimated rate (``momentum.envelope_rate``).
    The result is cached per condition number (a slider drag revisits few values).
    """
    lrs, betas = grid(n_lr, n_beta)                          # checks n_lr and n_beta
    return _measured(_condition(condition_number), lrs.size, betas.size)


@dataclass(frozen=True)
class RateMapFrame:
    """The grid (``lrs``, ``betas``), the predicted and measured rates (n_beta, n_lr), the best tuning
    and the marked run: its distances to the minimum (steps + 1,) and its predicted rate."""

    condition_number: float
    lrs: np.ndarray
    betas: np.ndarray
    predicted: np.ndarray
    measured: np.ndarray
    best_lr: float
    best_beta: float
    lr: float
    beta: float
    marker_rate: float
    distances: np.ndarray
    diverged_at: int | None

    @property
    def best_rate(self):
        return float(np.sqrt(self.best_beta))

    def largest_gap(self, below=0.98):
        """The largest |measured - predicted| over the grid runs predicted to converge (rate < below)."""
        ok = self.predicted < below
        return float(np.max(np.abs(self.measured[ok] - self.predicted[ok]))) if ok.any() else 0.0


def rate_map_frame(condition_number=10.0, lr=1.0, beta=0.5, n_lr=50, n_beta=40):
    """The frame for curvatures 1/kappa and 1 with the marker at (lr, beta)."""
    kappa = _condition(condition_number)
    lr = check.finite_number("lr", lr, minimum=0, strict=True, maximum=LR_MAX)
    beta = check.finite_number("beta", beta, minimum=0, maximum=BETA_MAX)
    lrs, betas = grid(n_lr, n_beta)
    curvatures = np.array([1.0 / kappa, 1.0])
    best_lr, best_beta = (float(v) for v in momentum.best_tuning(1.0 / kappa, 1.0))
    trace = run(quadratic(1.0 / kappa, 1.0), SGD(lr=lr, momentum=beta), np.array(START), STEPS)
    return RateMapFrame(kappa, lrs, betas, momentum.rate_map(lrs, betas, curvatures),
                        measured_rate_map(kappa, n_lr, n_beta), best_lr, best_beta, lr, beta,
                        float(momentum.rate(lr, curvatures, beta).max()),
                        np.hypot(trace.xs[:, 0], trace.xs[:, 1]), trace.diverged_at)


class RateMapExplorer(Explorer):
    """Sliders for the condition number and a marked (lr, beta): the predicted map, the measured map
    (one batched run over the whole grid) and the marked run's distance to the minimum."""

    figsize = (13.5, 4.6)
    figure_layout = "constrained"
    banner_position = (0.5, 0.97)   # keeps the banner off the top pixel row, which the blit does not restore
    figure_name = "Heavy-ball momentum's rate per step over learning rate and momentum, predicted and measured"

    def make_controls(self):
        import ipywidgets as W

        return {
            "condition_number": W.FloatLogSlider(value=10.0, base=10, min=np.log10(2.0), max=3.0, step=0.05,
                                                 description="condition number L/mu", readout_format=".3g"),
            "lr": W.FloatSlider(value=1.0, min=0.05, max=LR_MAX, step=0.01, description="lr (units of 1/L)",
                                readout_format=".2f"),
            "beta": W.FloatSlider(value=0.5, min=0.0, max=BETA_MAX, step=0.01, description="beta",
                                  readout_format=".2f"),
        }

    def setup(self, fig):
        import matplotlib as mpl

        self.ax_pred, self.ax_meas, self.ax_run = fig.subplots(1, 3, gridspec_kw=dict(width_ratios=[1, 1, 1.05]))
        maps = (self.ax_pred, self.ax_meas)
        cmap = mpl.colormaps["viridis"].with_extremes(over="0.85", bad="0.85")   # grey: no convergence
        lrs, betas = grid()
        half = 0.5 * (betas[1] - betas[0])
        # The maps change with the condition number, so they are moving parts too (two small images, a few
        # ms a frame): the background (axes, labels, colour bar) is drawn once and never redrawn.
        self.images = [self.animate(ax.imshow(np.zeros((betas.size, lrs.size)), origin="lower", cmap=cmap,
                                              extent=(0.0, LR_MAX, -half, BETA_MAX + half), aspect="auto",
                                              vmin=0.0, vmax=1.0, interpolation="nearest")) for ax in maps]
        beta_line = np.linspace(0.0, BETA_MAX, 50)
        for ax, title in zip(maps, ("predicted rate (slowest direction)", "measured: one run per cell, all at once")):
            self.animate(ax.plot(2 + 2 * beta_line, beta_line, color="white", linestyle="--", linewidth=1.2)[0])
            ax.set_xlim(0, LR_MAX)
            ax.set_ylim(-half, BETA_MAX + half)
            ax.grid(False)
            ax.set_xlabel("learning rate (units of 1/L)")
            ax.set_title(title, fontsize="medium")
        self.ax_pred.set_ylabel(r"momentum $\beta$")
        fig.colorbar(self.images[0], ax=list(maps), extend="max", label="rate per step", pad=0.02, fraction=0.05)
        self.stars = [self.animate(ax.plot([], [], marker="*", markersize=16, color="#d55e00", markeredgecolor="white",
                                           linestyle="none")[0]) for ax in maps]
        self.markers = [self.animate(ax.plot([], [], marker="o", markersize=10, markerfacecolor="none",
                                             markeredgecolor="black", markeredgewidth=2, linestyle="none")[0])
                        for ax in maps]
        hb = plotting.style_for("SGD + momentum")
        steps = np.arange(STEPS + 1.0)
        self.run_line = self.animate(self.ax_run.plot(steps, np.ones_like(steps), color=hb["color"],
                                                      label="the marked run")[0])
        self.theory_line = self.animate(self.ax_run.plot(steps, np.ones_like(steps), color="black", linestyle="--",
                                                         linewidth=1, label=r"its predicted rate$^t$")[0])
        self.best_line = self.animate(self.ax_run.plot(steps, np.ones_like(steps), color="#d55e00", linestyle=":",
                                                       linewidth=1.5, label=r"best rate$^t$ (the star)")[0])
        self.ax_run.set_yscale("log")
        self.ax_run.set_xlim(0, STEPS)
        self.ax_run.set_ylim(1e-12, 1e3)
        self.ax_run.set_xlabel("step")
        self.ax_run.set_ylabel("distance to the minimum")
        self.ax_run.set_title("the marked run", fontsize="medium")
        self.ax_run.legend(loc="upper right", fontsize="small")

    def compute(self, settings):
        return rate_map_frame(settings["condition_number"], settings["lr"], settings["beta"])

    def draw(self, frame):
        self.images[0].set_data(frame.predicted)
        self.images[1].set_data(frame.measured)                   # NaN (diverged) shows grey
        for star, marker in zip(self.stars, self.markers):
            star.set_data([frame.best_lr], [frame.best_beta])
            marker.set_data([frame.lr], [frame.beta])
        steps = np.arange(STEPS + 1)
        shown = np.full(STEPS + 1, np.nan)
        shown[:frame.distances.size] = np.clip(frame.distances, 1e-30, 1e30)
        self.run_line.set_data(steps, shown)
        start = frame.distances[0]
        with np.errstate(all="ignore"):
            self.theory_line.set_data(steps, np.clip(start * frame.marker_rate ** steps, 1e-30, 1e30))
            self.best_line.set_data(steps, np.clip(start * frame.best_rate ** steps, 1e-30, 1e30))
        if frame.diverged_at is not None:
            return f"the marked run diverged at step {frame.diverged_at}"
        return None

    def describe(self, settings, frame):
        fate = (f"it diverged at step {frame.diverged_at}" if frame.diverged_at is not None
                else f"predicted rate {frame.marker_rate:.3f} per step")
        return (f"Heavy-ball momentum on curvatures 1/{frame.condition_number:.3g} and 1. Left: the rate per step "
                f"predicted for each (learning rate, beta), the slower direction's; middle: the rate measured on "
                f"{frame.predicted.size} runs made at once (grey: no convergence; dashed: the limit (2 + 2 beta)/L); "
                f"the star is the best tuning, lr {frame.best_lr:.2f}, beta {frame.best_beta:.2f}, rate "
                f"{frame.best_rate:.3f}, and the largest gap between the two maps where runs converge is "
                f"{frame.largest_gap():.3f}. Right: the marked run, lr {frame.lr:.2f}, beta {frame.beta:.2f}, "
                f"{fate}.")
