"""The walker in the fog: descent on a 1-D hillside, seen the way the walker sees it.

The hillside is h(x) = x^4 - 2 x^2 + x / 2, the ``double_well`` surface along y = 0:
a shallow valley at x = 0.930, a deep one at x = -1.057, and a bump between them
whose top is at x = 0.127. The walker knows none of this. Standing at x it can feel
only the slope under its feet, h'(x) = 4 x^3 - 4 x + 1/2, and it steps against it:

    x_{t+1} = x_t - lr * h'(x_t)

That is gradient descent in one dimension. This module gives the walk as a pure
function (``walk_downhill``, ``fog_walk_frame``), a drawing of one moment of it with
everything but a small patch of ground hidden in fog (``draw_fog_walk``), and an
explorer with sliders for the start, the learning rate and the step
(``FogWalkExplorer``). Nothing happens on import.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from helpers import descent
from helpers import validation as check
from helpers.display.widgets import Explorer
from helpers.optim import SGD

__all__ = [
    "hillside_height", "hillside_slope", "walk_downhill", "FogWalkFrame", "fog_walk_frame",
    "FogWalkArtists", "draw_fog_walk", "update_fog_walk", "FogWalkExplorer", "describe_fog_walk",
    "DEEP_VALLEY", "SHALLOW_VALLEY", "RIDGE", "MAP_BOUNDS",
]

DEEP_VALLEY = -1.057453770738378     # h' = 0, h'' = 9.42 > 0, h = -1.5148
SHALLOW_VALLEY = 0.9304029265558517  # h' = 0, h'' = 6.39 > 0, h = -0.5167
RIDGE = 0.1270508441825262           # h' = 0, h'' < 0: top of the bump between the valleys
MAP_BOUNDS = (-2.0, 2.0)             # the part of the hillside that is drawn
FEEL_RADIUS = 0.3                    # half-width of the patch the walker can see
_FOG_RGB = (0.86, 0.86, 0.84)
_FOG_MAX_ALPHA = 0.9                 # the reader still glimpses the hidden hillside


def _whole(name, value, minimum=0):
    """A step count: an integer, or a float with an integral value (a slider may send 30.0)."""
    if check.is_real(value) and not isinstance(value, (int, np.integer)) and float(value).is_integer():
        value = int(value)
    return check.integer(name, value, minimum=minimum)


def hillside_height(x):
    """Height of the hillside, h(x) = x^4 - 2 x^2 + x / 2 (any array shape)."""
    x = np.asarray(x, dtype=float)
    x2 = x * x
    return x2 * x2 - 2.0 * x2 + 0.5 * x


def hillside_slope(x):
    """Slope of the hillside, h'(x) = 4 x^3 - 4 x + 1/2 (any array shape)."""
    x = np.asarray(x, dtype=float)
    return 4.0 * x * x * x - 4.0 * x + 0.5


def walk_downhill(x0, lr=0.05, steps=100, limit=10.0):
    """Positions of the walker, x_{t+1} = x_t - lr * h'(x_t), starting at x0.

    Returns an array of shape (k + 1,), x0 first. Normally k = steps; the walk stops
    early (a shorter array) as soon as a position would leave [-limit, limit], where the
    quartic makes every further step larger than the last ("fell off the map").
    """
    x0, lr = check.finite_number("x0", x0), check.finite_number("lr", lr, minimum=0)
    steps = _whole("steps", steps)
    limit = check.finite_number("limit", limit, minimum=0, strict=True)
    trace = descent.run(_Hillside(limit), SGD(lr), [x0], steps, max_loss=math.inf)
    return trace.xs[:, 0]


class _Hillside:
    """The hillside as a problem for descent.run. Off the map (|x| > limit) its height is
    unknown to the walker: inf, so the loop ends the walk there, as it ends any diverging run."""

    def __init__(self, limit):
        self.limit = limit

    def loss(self, x):
        return np.where(np.abs(x[..., 0]) <= self.limit, hillside_height(x[..., 0]), np.inf)

    def grad(self, x):
        return hillside_slope(x)


@dataclass(frozen=True)
class FogWalkFrame:
    """One moment of the walk: positions so far, what the walker feels, where it goes next.

    xs : positions x_0 .. x_step (fewer if the walker fell off the map first).
    x, height, slope : where it stands now, h(x) and h'(x) there.
    next_x : where the next step x - lr * h'(x) lands (may lie off the map).
    fell_at : the step whose result fell off the hillside (|x| > 10, where each step outgrows the
        last), or None.
    left_map_at : the first step that landed outside the drawn map ``MAP_BOUNDS`` (at or before
        ``fell_at``), or None.
    """

    xs: np.ndarray
    x: float
    height: float
    slope: float
    next_x: float
    lr: float
    fell_at: int | None
    left_map_at: int | None = None


def fog_walk_frame(x0, lr, step):
    """The walk from x0 with learning rate lr, stopped after ``step`` steps (pure)."""
    step = _whole("step", step)
    xs = walk_downhill(x0, lr, step)
    fell_at = len(xs) if len(xs) < step + 1 else None
    outside = np.flatnonzero((xs < MAP_BOUNDS[0]) | (xs > MAP_BOUNDS[1]))
    left_map_at = int(outside[0]) if outside.size else fell_at
    x = float(xs[-1])
    slope = float(hillside_slope(x))
    return FogWalkFrame(xs=xs, x=x, height=float(hillside_height(x)), slope=slope,
                        next_x=x - float(lr) * slope, lr=float(lr), fell_at=fell_at,
                        left_map_at=left_map_at)


# --------------------------------------------------------------------------- drawing
class FogWalkArtists(NamedTuple):
    """The moving parts of ``draw_fog_walk`` (``update_fog_walk`` changes their data)."""

    fog: object         # AxesImage: the fog, clear around the walker
    patch: object       # Line2D: the visible piece of ground
    tangent: object     # Line2D: the slope underfoot, extended as a straight line
    footprints: object  # Line2D: where the walker has stood
    walker: object      # Line2D: the walker
    arrow: object       # Annotation: the next step, x -> x - lr * h'(x)
    note: object        # Text: the slope and the step direction in words


def _fog_image_data(x, lo, hi, n=400, radius=FEEL_RADIUS):
    grid = np.linspace(lo, hi, n)
    d = np.abs(grid - x) if math.isfinite(x) else np.full(n, np.inf)
    t = np.clip((d - 0.7 * radius) / (0.3 * radius), 0.0, 1.0)
    rgba = np.empty((1, n, 4))
    rgba[..., :3] = _FOG_RGB
    rgba[0, :, 3] = _FOG_MAX_ALPHA * t * t * (3.0 - 2.0 * t)
    return rgba


def _words(frame):
    direction = "left" if frame.slope > 0 else "right" if frame.slope < 0 else "nowhere"
    return f"slope underfoot: {frame.slope:+.2f}\nnext step: {direction}"


def draw_fog_walk(frame, ax=None, ylim=(-2.0, 7.5), animated=False):
    """Draw one moment of the walk: hillside in fog, the visible patch, tangent, footprints, step.

    ``frame`` is a FogWalkFrame (from ``fog_walk_frame``). The hillside is drawn in full
    but covered by fog except within FEEL_RADIUS of the walker, which is what the walker
    could see; the dashed tangent is all it actually uses, and the arrow
    is its next step, from x to x - lr * h'(x). Returns FogWalkArtists.
    """
    from helpers.display.plotting import OKABE_ITO

    if ax is None:
        import matplotlib.pyplot as plt

        _, ax = plt.subplots()
    lo, hi = MAP_BOUNDS
    grid = np.linspace(lo, hi, 400)
    ax.plot(grid, hillside_height(grid), color="0.35", linewidth=2.0, zorder=1)
    ax.set_xlim(lo, hi)
    ax.set_ylim(*ylim)
    ax.set_xlabel("position $x$")
    ax.set_ylabel("height $h(x)$")
    fog = ax.imshow(_fog_image_data(frame.x, lo, hi), extent=(lo, hi, ylim[0], ylim[1]),
                    aspect="auto", interpolation="bilinear", zorder=2, animated=animated)
    (patch,) = ax.plot([], [], color="black", linewidth=3.5, zorder=3, animated=animated)
    (tangent,) = ax.plot([], [], color=OKABE_ITO["blue"], linestyle="--", linewidth=2.0,
                         zorder=4, animated=animated)
    (footprints,) = ax.plot([], [], linestyle="none", marker="o", markersize=6,
                            color=OKABE_ITO["vermillion"], alpha=0.7, zorder=5, animated=animated)
    (walker,) = ax.plot([], [], linestyle="none", marker="o", markersize=15,
                        color=OKABE_ITO["vermillion"], markeredgecolor="black", zorder=6,
                        animated=animated)
    arrow = ax.annotate("", xy=(0, 0), xytext=(0, 0), zorder=7, annotation_clip=False,
                        arrowprops=dict(arrowstyle="-|>", color=OKABE_ITO["blue"], lw=2.5,
                                        mutation_scale=20),
                        animated=animated)
    # top centre: above the bump, where neither the hillside nor the walker ever reaches
    note = ax.text(0.5, 0.96, "", transform=ax.transAxes, va="top", ha="center", zorder=8,
                   bbox=dict(boxstyle="round,pad=0.3", fc="white", ec="0.6"), animated=animated)
    artists = FogWalkArtists(fog, patch, tangent, footprints, walker, arrow, note)
    update_fog_walk(artists, frame)
    return artists


def update_fog_walk(artists, frame, radius=FEEL_RADIUS):
    """Move the artists of ``draw_fog_walk`` to show ``frame`` (no new artists are made)."""
    lo, hi = MAP_BOUNDS
    x, y, s = frame.x, frame.height, frame.slope
    artists.fog.set_data(_fog_image_data(x, lo, hi, radius=radius))
    near = np.linspace(x - radius, x + radius, 41)
    artists.patch.set_data(near, hillside_height(near))
    reach = 1.6 * radius
    artists.tangent.set_data([x - reach, x + reach], [y - s * reach, y + s * reach])
    past = frame.xs[:-1]
    artists.footprints.set_data(past, hillside_height(past))
    artists.walker.set_data([x], [y])
    # the step itself: horizontal, from x to x - lr * h'(x), clipped to the drawn map
    shown = float(np.clip(frame.next_x, lo, hi))
    artists.arrow.xy = (shown, y)
    artists.arrow.set_position((x, y))
    artists.arrow.set_visible(abs(shown - x) > 1e-3)
    artists.note.set_text(_words(frame))
    return artists


class FogWalkExplorer(Explorer):
    """Sliders for the start x0, the learning rate and the step; the fog view answers.

    ``FogWalkExplorer(x0=1.6, lr=0.05, step=0)`` as the last line of a cell shows it.
    The numbers come from ``fog_walk_frame``, which tests call directly.
    """

    figsize = (8.0, 4.6)

    def make_controls(self):
        import ipywidgets as W

        style = {"description_width": "initial"}
        return {
            "x0": W.FloatSlider(value=1.6, min=-1.9, max=1.9, step=0.05, description="start x0",
                                style=style),
            "lr": W.FloatSlider(value=0.05, min=0.01, max=0.25, step=0.01,
                                description="learning rate", style=style),
            "step": W.IntSlider(value=0, min=0, max=40, description="step", style=style),
        }

    def setup(self, fig):
        self.ax = fig.add_subplot()
        self.parts = draw_fog_walk(fog_walk_frame(1.6, 0.05, 0), ax=self.ax, animated=True)
        for artist in self.parts:
            self.animate(artist)

    def compute(self, settings):
        return fog_walk_frame(settings["x0"], settings["lr"], settings["step"])

    def draw(self, frame):
        update_fog_walk(self.parts, frame)
        if frame.fell_at is not None:
            return f"off the map at step {frame.left_map_at}: each step was longer than the last"
        return None

    def describe(self, settings, frame):
        return describe_fog_walk(settings["x0"], settings["lr"], frame)


def describe_fog_walk(x0, lr, frame):
    """One sentence saying what the fog view of ``frame`` shows (for readers who cannot see it)."""
    if abs(frame.x - DEEP_VALLEY) < 0.02:
        where = "at the bottom of the deep valley"
    elif abs(frame.x - SHALLOW_VALLEY) < 0.02:
        where = "at the bottom of the shallow valley"
    else:
        where = "on a slope"
    steps = len(frame.xs) - 1
    plural = "step" if steps == 1 else "steps"
    if frame.fell_at is not None:
        return (f"The walker started at x = {x0:.2f} with learning rate {lr:.2f}; each step "
                f"overshot further than the last, and step {frame.left_map_at} took it off the map.")
    return (f"The walker started at x = {x0:.2f}; after {steps} {plural} with learning rate "
            f"{lr:.2f} it stands at x = {frame.x:.2f}, {where}, and feels a slope of "
            f"{frame.slope:+.2f}.")
