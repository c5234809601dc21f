"""How the learning rate decides what gradient descent does: pure runs, figures, explorers.

Plain gradient descent, x <- x - lr * grad f(x), on a quadratic with curvatures
mu <= L moves each eigen-direction independently, multiplied by (1 - lr * curvature)
per step. So it converges exactly when |1 - lr * L| < 1, i.e. 0 < lr < 2 / L; it
overshoots (oscillates) in the steep direction when lr > 1 / L; and the best fixed
rate, lr = 2 / (L + mu), shrinks the error by (kappa - 1) / (kappa + 1) per step,
kappa = L / mu the condition number.

Pure functions (tests call them directly):
    Parabola(curvature, centre)          a 1-D loss  curvature/2 (w - centre)^2, Surface-like
    lr_sweep(surface, lrs, x0, steps)    final loss for each lr, all runs in one batched descent.run
    limit_frame(lr, steps=...)           one run on SURFACES["bowl"] (L = 10) plus the sweep
    zigzag_frame(kappa, lr_times_L, best, steps)  one run on bowl(kappa), L = 1
Figures (ax=None style, return what they drew): draw_rates_1d, draw_limit, draw_zigzag.
Explorers (helpers.display.widgets.Explorer): LimitExplorer, ZigZagExplorer.
Nothing happens on import.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from helpers import descent
from helpers import validation as check
from helpers.display import plotting
from helpers.optim import SGD
from helpers.surfaces import SURFACES, bowl
from helpers.display.widgets import Explorer

__all__ = ["Parabola", "lr_sweep", "LimitFrame", "limit_frame", "ZigZagFrame", "zigzag_frame",
           "draw_rates_1d", "draw_limit", "update_limit", "draw_zigzag", "update_zigzag",
           "LimitExplorer", "ZigZagExplorer", "LIMIT_STEPS", "ZIGZAG_STEPS"]

LIMIT_STEPS = 40
ZIGZAG_STEPS = 100
_BLUE, _RED = plotting.OKABE_ITO["blue"], plotting.OKABE_ITO["vermillion"]


def _positive(name, value, allow_zero=False):
    return check.finite_number(name, value, minimum=0, strict=not allow_zero)


@dataclass(frozen=True)
class Parabola:
    """The 1-D loss f(w) = curvature/2 * (w - centre)^2 on points of shape (..., 1).

    f'(w) = curvature * (w - centre); L = curvature, so descent converges for lr < 2 / curvature.
    The default, curvature 2 and centre 2, is the worked example's loss (w - 2)^2.
    """

    curvature: float = 2.0
    centre: float = 2.0

    def __post_init__(self):
        _positive("curvature", self.curvature)
        check.finite_number("centre", self.centre)

    def loss(self, w):
        return 0.5 * self.curvature * (np.asarray(w, dtype=float)[..., 0] - self.centre) ** 2

    def grad(self, w):
        return self.curvature * (np.asarray(w, dtype=float) - self.centre)


def lr_sweep(surface, lrs, x0, steps):
    """Final loss after ``steps`` of descent from x0 for each learning rate in ``lrs``.

    All runs advance together: x0 is repeated K times and SGD gets lr of shape (K, 1).
    A run that diverges gets +inf.
    """
    lrs = check.finite_array("lrs", lrs, minimum=0, what="finite numbers >= 0").reshape(-1)
    x0 = check.finite_array("x0", x0, ndim=1)
    trace = descent.run(surface, SGD(lr=lrs[:, None]), np.tile(x0, (lrs.size, 1)), steps)
    final = trace.losses[-1]
    return np.where(np.isfinite(final), final, np.inf)


# --------------------------------------------------------------------------- 1-D: four rates
def draw_rates_1d(lrs, w0=5.0, steps=12, parabola=Parabola(), axes=None):
    """One panel per learning rate: the parabola and the descent path on it.

    Returns the list of path lines. Titles say what happened (converged, oscillating, diverged).
    """
    if axes is None:
        import matplotlib.pyplot as plt
        _, axes = plt.subplots(1, len(lrs), figsize=(3.4 * len(lrs), 3.6), sharey=True)
    c, L = parabola.centre, parabola.curvature
    grid = np.linspace(c - 4.5, c + 4.5, 200)
    lines = []
    for ax, lr in zip(np.ravel(axes), lrs):
        trace = descent.run(parabola, SGD(lr=lr), [w0], steps, max_loss=1e6)
        w = trace.xs[:, 0]
        ax.plot(grid, parabola.loss(grid[:, None]), color="0.6", lw=1.5)
        (line,) = ax.plot(w, trace.losses, marker="o", color=_RED, lw=1.5, ms=5)
        ax.plot(c, 0, **plotting._MINIMUM_STYLE)
        factor = 1 - lr * L
        kind = ("diverges" if abs(factor) > 1 else "oscillates" if factor < 0 else
                "one step" if factor == 0 else "creeps" if factor > 0.8 else "converges")
        ax.set_title(f"lr = {lr:g}: {kind}\n(factor 1 - lr L = {factor:+.2f})", fontsize=13)
        ax.set_xlabel("$w$")
        ax.set_ylim(-1, 22)
        ax.set_xlim(grid[0], grid[-1])
        lines.append(line)
    np.ravel(axes)[0].set_ylabel("loss")
    return lines


# --------------------------------------------------------------------------- the 2/L limit
@dataclass(frozen=True)
class LimitFrame:
    lr: float
    limit: float              # 2 / L
    xs: np.ndarray            # path (n + 1, 2), cut at divergence
    losses: np.ndarray
    diverged_at: int | None
    sweep_lrs: np.ndarray
    sweep_final: np.ndarray   # final loss per sweep lr (inf where diverged)


@lru_cache(maxsize=4)
def _limit_sweep(steps):
    surface = SURFACES["bowl"]
    lrs = np.linspace(0.005, 0.25, 246)
    return lrs, lr_sweep(surface, lrs, surface.default_start, steps)


def limit_frame(lr, steps=LIMIT_STEPS):
    """Descent with one lr on SURFACES["bowl"] (curvatures 1 and 10, so 2/L = 0.2), and the
    final loss of a sweep of learning rates for the figure's right panel."""
    lr = _positive("lr", lr)
    surface = SURFACES["bowl"]
    trace = descent.run(surface, SGD(lr=lr), surface.default_start, steps, max_loss=1e8)
    lrs, final = _limit_sweep(steps)
    return LimitFrame(lr, 2.0 / surface.max_curvature, trace.xs, trace.losses, trace.diverged_at,
                      lrs, final)


def draw_limit(frame, axes=None, animated=False):
    """Left: path on the bowl's contour map. Right: final loss against lr, 2/L marked."""
    if axes is None:
        import matplotlib.pyplot as plt
        _, axes = plt.subplots(1, 2, figsize=(12, 4.6))
    ax_path, ax_sweep = axes
    plotting.contour(SURFACES["bowl"], ax=ax_path)
    path = plotting.plot_path(frame.xs, "SGD", ax=ax_path, diverged_at=frame.diverged_at, markevery=1)
    ax_path.set_title(f"{LIMIT_STEPS} steps on " + SURFACES["bowl"].title, fontsize=13)
    shown = np.where(np.isfinite(frame.sweep_final), frame.sweep_final, np.nan)
    ax_sweep.semilogy(frame.sweep_lrs, shown, color=_BLUE)
    ax_sweep.axvline(frame.limit, color="black", ls="--", lw=1.5)
    ax_sweep.text(frame.limit, 0.03, " lr = 2/L", transform=ax_sweep.get_xaxis_transform(),
                  va="bottom", ha="left")  # low down: the diverging curve fills the top right
    ax_sweep.axvspan(frame.limit, frame.sweep_lrs[-1], color=_RED, alpha=0.08, lw=0)
    ax_sweep.text(0.985, 0.5, "diverges", transform=ax_sweep.transAxes, ha="right", color=_RED)
    current = ax_sweep.axvline(frame.lr, color=_RED, lw=2.5)
    ax_sweep.set(xlabel="learning rate", ylabel=f"loss after {LIMIT_STEPS} steps",
                 xlim=(0, frame.sweep_lrs[-1]), title="Final loss for every learning rate")
    artists = [path, path._downhill_start, current]
    if animated:
        for a in artists:
            a.set_animated(True)
    return artists


def update_limit(artists, frame, note=True):
    """Move the path and the current-lr line; ``note=False`` leaves divergence to a banner."""
    path, _, current = artists
    plotting.update_path(path, frame.xs, frame.diverged_at if note else None)
    current.set_xdata([frame.lr, frame.lr])


def _limit_words(frame):
    if frame.diverged_at is not None:
        return f"lr = {frame.lr:.3f} is above 2/L = {frame.limit:.2f}: diverged at step {frame.diverged_at}"
    trend = "growing" if frame.losses[-1] > frame.losses[0] else "falling"
    return (f"lr = {frame.lr:.3f} (2/L = {frame.limit:.2f}): loss {trend}, {frame.losses[-1]:.2e} "
            f"after {len(frame.losses) - 1} steps")


class LimitExplorer(Explorer):
    """Learning-rate slider on the bowl; the sweep panel marks 2/L and the current lr."""

    figsize = (11.0, 4.2)

    def make_controls(self):
        import ipywidgets as W
        return {"lr": W.FloatSlider(value=0.1, min=0.005, max=0.25, step=0.005, readout_format=".3f",
                                    description="learning rate", continuous_update=True,
                                    style={"description_width": "initial"},
                                    layout=W.Layout(width="480px"))}

    def setup(self, fig):
        axes = fig.subplots(1, 2)
        self.artists = draw_limit(limit_frame(0.1), axes)
        for a in self.artists:
            self.animate(a)

    def compute(self, settings):
        return limit_frame(settings["lr"])

    def draw(self, frame):
        update_limit(self.artists, frame, note=False)
        return f"diverged at step {frame.diverged_at}" if frame.diverged_at is not None else None

    def describe(self, settings, frame):
        return ("Left: the descent path on the bowl (curvatures 1 and 10). Right: the loss after "
                f"{LIMIT_STEPS} steps for every learning rate, dashed line at 2/L = 0.2, red line at "
                f"the slider's value. Now: {_limit_words(frame)}.")


# --------------------------------------------------------------------------- zig-zag
@dataclass(frozen=True)
class ZigZagFrame:
    kappa: float
    lr: float
    xs: np.ndarray
    losses: np.ndarray
    diverged_at: int | None
    rate: float               # predicted worst-direction factor max |1 - lr * curvature|


def zigzag_frame(kappa, lr_times_L=1.0, best=True, steps=ZIGZAG_STEPS):
    """Descent on bowl(kappa) (largest curvature L = 1, smallest 1/kappa). The learning rate
    is 2/(L + mu) if ``best``, else ``lr_times_L`` / L."""
    kappa = check.finite_number("kappa", kappa, minimum=1)
    surface = bowl(kappa)
    L, mu = 1.0, 1.0 / kappa
    lr = 2.0 / (L + mu) if best else _positive("lr_times_L", lr_times_L) / L
    trace = descent.run(surface, SGD(lr=lr), surface.default_start, steps, max_loss=1e8)
    rate = max(abs(1 - lr * L), abs(1 - lr * mu))
    return ZigZagFrame(kappa, lr, trace.xs, trace.losses, trace.diverged_at, rate)


def draw_zigzag(frame, axes=None, animated=False):
    """Left: the path on bowl(kappa). Right: loss against step with the predicted rate^(2t)."""
    if axes is None:
        import matplotlib.pyplot as plt
        _, axes = plt.subplots(1, 2, figsize=(12, 4.2), gridspec_kw={"width_ratios": [1.35, 1]})
    ax_path, ax_loss = axes
    plotting.contour(bowl(frame.kappa), ax=ax_path)
    path = plotting.plot_path(frame.xs, "SGD", ax=ax_path, diverged_at=frame.diverged_at, markevery=1,
                              markersize=4)
    ax_path.set_title(f"condition number {frame.kappa:g}")
    (curve,) = ax_loss.semilogy(np.arange(len(frame.losses)), np.maximum(frame.losses, LOSS_FLOOR),
                                color=_RED, label="measured")
    t = np.arange(ZIGZAG_STEPS + 1)
    (bound,) = ax_loss.semilogy(t, np.maximum(frame.losses[0] * frame.rate ** (2 * t), LOSS_FLOOR), "--",
                                color="0.3", label=r"loss$_0\times$ rate$^{2t}$")
    ax_loss.set(xlabel="step", ylabel=f"loss (0 drawn at {LOSS_FLOOR:.0e})", ylim=(LOSS_FLOOR, 1e4),
                xlim=(0, ZIGZAG_STEPS),
                title="Loss: measured and predicted")
    ax_loss.legend(loc="lower left")
    artists = [path, path._downhill_start, curve, bound]
    if animated:
        for a in artists:
            a.set_animated(True)
    return artists


def update_zigzag(artists, frame, note=True):
    """New path, loss curve and predicted line; ``note=False`` leaves divergence to a banner."""
    path, _, curve, bound = artists
    plotting.update_path(path, frame.xs, frame.diverged_at if note else None)
    curve.set_data(np.arange(len(frame.losses)), np.maximum(frame.losses, LOSS_FLOOR))
    t = np.arange(ZIGZAG_STEPS + 1)
    with np.errstate(all="ignore"):
        bound.set_data(t, np.clip(frame.losses[0] * frame.rate ** (2.0 * t), LOSS_FLOOR, 1e30))


KAPPAS = (1, 2, 3, 5, 10, 20, 30, 50, 100, 200, 300, 500, 1000)
LOSS_FLOOR = 1e-12     # the loss axis' bottom: a loss of exactly 0 is drawn there, not dropped


class ZigZagExplorer(Explorer):
    """Condition-number slider (and an optional learning rate) on bowl(kappa)."""

    figsize = (11.0, 4.2)

    def make_controls(self):
        import ipywidgets as W
        wide = dict(style={"description_width": "initial"}, layout=W.Layout(width="380px"))
        controls = {
            # the exact values the text uses (30, 300), not the nearest log-slider step (31.6, 316)
            "kappa": W.SelectionSlider(options=KAPPAS, value=10, description="condition number", **wide),
            "best": W.Checkbox(value=True, description="best fixed lr 2/(L+mu)"),
            "lr_times_L": W.FloatSlider(value=1.0, min=0.05, max=2.1, step=0.05, disabled=True,
                                        description="lr x L (untick best)", **wide),
        }
        def follow_best(change):          # the lr slider only acts when "best" is off
            controls["lr_times_L"].disabled = bool(change["new"])
        controls["best"].observe(follow_best, names="value")
        return controls

    def setup(self, fig):
        self.axes = fig.subplots(1, 2, gridspec_kw={"width_ratios": [1.35, 1]})
        self.artists = None

    def static_key(self, settings):
        return round(float(settings["kappa"]), 6)

    def update_static(self, settings):
        for ax in self.axes:
            ax.clear()
        self.artists = draw_zigzag(zigzag_frame(settings["kappa"]), self.axes)
        self._animated = []
        for a in self.artists:
            self.animate(a)

    def compute(self, settings):
        return zigzag_frame(settings["kappa"], settings["lr_times_L"], settings["best"])

    def draw(self, frame):
        update_zigzag(self.artists, frame, note=False)
        return f"diverged at step {frame.diverged_at}" if frame.diverged_at is not None else None

    def describe(self, settings, frame):
        zero = np.flatnonzero(frame.losses == 0)
        state = (f"diverged at step {frame.diverged_at}" if frame.diverged_at is not None
                 else f"loss exactly 0 from step {zero[0]} on (drawn at the axis' bottom)" if zero.size
                 else f"loss {frame.losses[-1]:.2e} after {ZIGZAG_STEPS} steps")
        return (f"Descent on a bowl with condition number {frame.kappa:g} (curvatures 1 and "
                f"{1 / frame.kappa:.3g}), lr = {frame.lr:.3f}: path on the contour map (left) and loss "
                f"per step with the predicted rate {frame.rate:.3f} per step (right); {state}.")
