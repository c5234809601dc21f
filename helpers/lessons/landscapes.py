"""Reading loss landscapes: side-by-side views, basin maps, and the walker's fog.

Pure functions (tests call them directly):
    basin_labels(points, minima, tol)   index of the minimum each point sits at, -1 for none
    basin_map(surface, lr, steps, resolution)  one batched descent.run from a grid of starts;
                                        returns (X, Y, labels) with labels of shape (res, res)
    fog_frame(surface, start, lr, step) the walk up to ``step`` and the gradient the walker feels
Figures: side_by_side(surface), draw_basins(X, Y, labels, surface, ax).
Explorer: FogExplorer (helpers.display.widgets.Explorer): step and learning-rate sliders, the surface
hidden except for a disc around the walker.
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
from helpers.surfaces import SURFACES
from helpers.display.widgets import Explorer

__all__ = ["basin_labels", "basin_map", "draw_basins", "side_by_side", "FogFrame", "fog_frame",
           "FogExplorer", "draw_fog", "BASIN_COLOURS", "FOG_RADIUS"]

# one Okabe-Ito colour per minimum; grey for starts that reach none of them
BASIN_COLOURS = [plotting.OKABE_ITO[c] for c in ("blue", "vermillion", "bluish_green", "reddish_purple",
                                                   "orange", "sky_blue", "yellow", "black")]
_NONE_COLOUR = "#bdbdbd"
FOG_RADIUS = 1.2
SETTLE_WINDOW = 20     # basin_map: a run counts as settled if it is no farther from its minimum than 20 steps before


def basin_labels(points, minima, tol=1e-3):
    """For each point (..., 2): the index of the minimum within ``tol`` of it, else -1
    (a run that stopped elsewhere, or diverged: non-finite points get -1)."""
    points = check.points("points", points)
    minima = check.finite_array("minima", minima, nonempty=False)
    if minima.size % 2:
        check.fail("minima", minima, "an array of points (k, 2)")
    minima = minima.reshape(-1, 2)
    tol = check.finite_number("tol", tol, minimum=0, strict=True)
    with np.errstate(invalid="ignore"):
        d = np.linalg.norm(points[..., None, :] - minima, axis=-1)      # (..., k)
        nearest = np.argmin(np.where(np.isfinite(d), d, np.inf), axis=-1)
        close = np.take_along_axis(d, nearest[..., None], axis=-1)[..., 0] <= tol
    return np.where(close, nearest, -1)


def basin_map(surface, lr=0.01, steps=400, resolution=150, tol=1e-3):
    """Run plain descent from every point of a resolution x resolution grid over the surface's
    bounds, all in one batched run; return (X, Y, labels): the index of the minimum each start
    settled in (within ``tol`` at the end and no farther than SETTLE_WINDOW steps earlier), else -1."""
    resolution = check.integer("resolution", resolution, minimum=2)
    lr = check.finite_number("lr", lr, minimum=0, strict=True)
    steps = check.integer("steps", steps, minimum=0)
    tol = check.finite_number("tol", tol, minimum=0, strict=True)
    (x0, x1), (y0, y1) = surface.bounds
    X, Y = np.meshgrid(np.linspace(x0, x1, resolution), np.linspace(y0, y1, resolution))
    starts = np.stack([X.ravel(), Y.ravel()], axis=1)
    trace = descent.run(surface, SGD(lr=lr), starts, steps)
    labels = basin_labels(trace.xs[-1], surface.minima, tol)
    # Settled means close at the end AND not drifting away: a run spiralling out of a minimum too sharp
    # for this lr can still be within tol at the last step (at lr 0.015 on Himmelblau, three are).
    back = trace.xs[max(len(trace.xs) - 1 - SETTLE_WINDOW, 0)]
    target = np.asarray(surface.minima)[np.maximum(labels, 0)]
    with np.errstate(invalid="ignore"):
        leaving = (np.linalg.norm(trace.xs[-1] - target, axis=-1)
                   > np.linalg.norm(back - target, axis=-1) + 1e-12)
    labels = np.where(leaving, -1, labels)
    return X, Y, labels.reshape(X.shape)


def draw_basins(X, Y, labels, surface, ax=None):
    """Colour each start by the minimum it reached (grey: none); contour lines and minima on top."""
    from matplotlib.colors import ListedColormap

    ax = plotting._new_ax(ax)
    k = len(surface.minima)
    cmap = ListedColormap([_NONE_COLOUR] + BASIN_COLOURS[:k])
    (x0, x1), (y0, y1) = surface.bounds
    image = ax.imshow(labels + 1, origin="lower", extent=(x0, x1, y0, y1), cmap=cmap,
                      vmin=-0.5, vmax=k + 0.5, interpolation="nearest", alpha=0.75, aspect="equal")
    plotting.contour(surface, ax=ax, fill=False)
    for i, m in enumerate(surface.minima):
        ax.annotate(str(i), m, xytext=(8, 8), textcoords="offset points", fontsize=13, fontweight="bold")
    return image


def side_by_side(surface, fig=None):
    """Contour map (left) and 3-D view (right) of one surface; returns the two axes."""
    import matplotlib.pyplot as plt

    fig = fig or plt.figure(figsize=(12, 5.2), dpi=72)
    grid = fig.add_gridspec(1, 2, width_ratios=(1, 1.3), wspace=0.05)
    ax_c = fig.add_subplot(grid[0])
    ax_3 = fig.add_subplot(grid[1], projection="3d")
    plotting.contour(surface, ax=ax_c)
    art = plotting.surface_3d(surface, ax=ax_3, resolution=40)
    art.set_antialiased(False)                    # opaque, unblended facets: a PNG half the size
    art.set_alpha(1.0)
    ax_3.set_box_aspect(None, zoom=1.15)          # the 3-D box fills its panel
    ax_c.set_title(f"{surface.name}: contour map", fontsize=13)
    ax_3.set_title(f"{surface.name}: 3-D view (heights clipped)", fontsize=13)
    fig.suptitle(surface.title, fontsize=14)
    return ax_c, ax_3


# --------------------------------------------------------------------------- the fog
@dataclass(frozen=True)
class FogFrame:
    xs: np.ndarray            # positions x_0 .. x_step (cut at divergence)
    here: np.ndarray          # x_step, where the walker stands
    slope: np.ndarray         # gradient at ``here``: all the walker can feel
    loss: float
    diverged_at: int | None


@lru_cache(maxsize=16)
def _walk(surface_name, start, lr, steps):
    surface = SURFACES[surface_name]
    return descent.run(surface, SGD(lr=lr), np.array(start), steps)


def fog_frame(surface_name="himmelblau", start=(-0.5, 0.5), lr=0.01, step=10, max_steps=200):
    """The walk on SURFACES[surface_name] up to ``step``, and the gradient felt there."""
    check.choice("surface_name", surface_name, sorted(SURFACES))
    max_steps = check.integer("max_steps", max_steps, minimum=0)
    step = check.integer("step", step, minimum=0, maximum=max_steps, what=f"an integer in [0, {max_steps}]")
    lr = check.finite_number("lr", lr, minimum=0, strict=True)
    start = check.finite_array("start", start, shape=(2,))
    trace = _walk(surface_name, tuple(float(v) for v in start), float(lr), int(max_steps))
    end = min(step, len(trace.xs) - 1)
    here = trace.xs[end]
    diverged = trace.diverged_at if trace.diverged_at is not None and step >= trace.diverged_at else None
    surface = SURFACES[surface_name]
    return FogFrame(trace.xs[: end + 1], here, surface.grad(here), float(surface.loss(here)), diverged)


FULL_ARROW_SLOPE = 5.0    # a gradient this steep or steeper gets the full-length arrow


def downhill_arrow(slope, radius=FOG_RADIUS):
    """The arrow drawn at the walker's feet: along -slope, 0.8 * radius long for a gradient of size
    FULL_ARROW_SLOPE or more and proportionally shorter below it, so that on flat ground (a minimum,
    where the gradient is rounding noise in a random direction) there is no arrow to misread."""
    g = -np.asarray(slope, dtype=float)
    return 0.8 * radius * g / max(float(np.linalg.norm(g)), FULL_ARROW_SLOPE)


def draw_fog(frame, surface_name="himmelblau", ax=None, radius=FOG_RADIUS):
    """One moment of the walk: fog everywhere but a disc around the walker, the path so far,
    and an arrow along the negative gradient. Returns the ContourArtists."""
    ax = plotting._new_ax(ax)
    art = plotting.contour(SURFACES[surface_name], ax=ax, fog=(frame.here[None], radius))
    red = plotting.OKABE_ITO["vermillion"]
    ax.plot(frame.xs[:, 0], frame.xs[:, 1], color=red, marker="o", ms=3, zorder=5)
    ax.plot(*frame.here, "o", ms=12, color=red, markeredgecolor="black", zorder=6)
    d = downhill_arrow(frame.slope, radius)
    ax.annotate("", frame.here + d, frame.here, zorder=7,
                arrowprops=dict(arrowstyle="-|>", color="black", lw=2, mutation_scale=18))
    return art


class FogExplorer(Explorer):
    """The walker in fog on Himmelblau's function: only a disc around the walker is visible.

    The arrow is the negative gradient at the walker's feet (the direction it will step).
    """

    figsize = (6.4, 6.0)

    def __init__(self, surface_name="himmelblau", start=(-0.5, 0.5), **initial):
        self.surface_name, self.start = surface_name, start
        super().__init__(**initial)

    def make_controls(self):
        import ipywidgets as W
        wide = dict(style={"description_width": "initial"}, layout=W.Layout(width="360px"))
        return {"step": W.IntSlider(value=10, min=0, max=200, description="step", **wide),
                "lr": W.FloatSlider(value=0.01, min=0.001, max=0.04, step=0.001, readout_format=".3f",
                                    description="learning rate", **wide),
                "reveal": W.Checkbox(value=False, description="lift the fog")}

    def setup(self, fig):
        self.ax = fig.add_subplot()
        surface = SURFACES[self.surface_name]
        art = plotting.contour(surface, ax=self.ax, fog=(np.array([self.start]), FOG_RADIUS))
        self.fog = self.animate(art.fog)
        (self.path,) = self.ax.plot([], [], color=plotting.OKABE_ITO["vermillion"], marker="o", ms=3, zorder=5)
        (self.walker,) = self.ax.plot([], [], "o", ms=12, color=plotting.OKABE_ITO["vermillion"],
                                      markeredgecolor="black", zorder=6)
        self.arrow = self.ax.quiver([0], [0], [0], [0], angles="xy", scale_units="xy", scale=1,
                                    color="black", width=0.008, zorder=7)
        for a in (self.path, self.walker, self.arrow):
            self.animate(a)

    def compute(self, settings):
        return fog_frame(self.surface_name, self.start, settings["lr"], settings["step"])

    def draw(self, frame):
        plotting.update_fog(self.fog, frame.xs[-1:] if not self.settings()["reveal"] else
                            np.array([[0.0, 0.0]]), radius=FOG_RADIUS if not self.settings()["reveal"] else 100.0)
        self.path.set_data(frame.xs[:, 0], frame.xs[:, 1])
        self.walker.set_data(frame.here[:1], frame.here[1:])
        d = downhill_arrow(frame.slope)
        self.arrow.set_offsets(frame.here[None])
        self.arrow.set_UVC([d[0]], [d[1]])
        return f"diverged at step {frame.diverged_at}" if frame.diverged_at is not None else None

    def describe(self, settings, frame):
        view = ("Himmelblau's function with the fog lifted (the walker still feels only the slope at its feet)"
                if settings["reveal"] else "Himmelblau's function hidden in fog except near the walker")
        if frame.diverged_at is not None:
            return (f"{view}. The walk diverged at step {frame.diverged_at}: the learning rate "
                    f"{settings['lr']:.3f} is too large here, and the path left the map.")
        steep = float(np.linalg.norm(frame.slope))
        feel = ("the arrow points downhill, the only thing the walker can feel" if steep >= 1e-3 else
                "the ground is flat here (gradient below 0.001): the walker feels no slope and stops")
        return (f"{view}. Step {settings['step']} at ({frame.here[0]:.2f}, {frame.here[1]:.2f}), "
                f"loss {frame.loss:.3g}; {feel}.")
