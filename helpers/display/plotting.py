"""Plots for the notebooks: one look for every optimizer, contour maps, paths and curves.

Nothing happens on import. A notebook calls ``use_style()`` once, in its first cell.
Every plotting function takes ``ax=None`` (a new figure and axes are made if None) and
returns what it drew, so figures compose and widgets can update the artists in place.

Colours come from the Okabe-Ito palette, which stays distinguishable under the common
forms of colour blindness. Each optimizer label has its own colour, line style AND marker,
so the lines can be told apart in greyscale too:

==================  ==============  ===========  ======
label               colour          line style   marker
==================  ==============  ===========  ======
SGD                 vermillion      solid        o
SGD + momentum      blue            dashed       s
Nesterov            sky blue        dash-dot-dot D
Adam                bluish green    dash-dot     ^
Adam + L2           orange          long dash    X
AdamW               reddish purple  dotted       P
==================  ==============  ===========  ======
"""
from __future__ import annotations

import numbers
import weakref
from typing import NamedTuple

import numpy as np

from helpers import validation as check

__all__ = [
    "OKABE_ITO", "OPTIMIZER_STYLES", "use_style", "style_for",
    "surface_grid", "contour", "ContourArtists", "fog_alpha", "update_fog",
    "plot_path", "update_path", "gradient_field", "surface_3d", "loss_curves", "schedule_plot",
]

OKABE_ITO = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "bluish_green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish_purple": "#CC79A7",
}

NEUTRAL_GREY = "#7f7f7f"     # colour-blind safe (no hue); the one colour outside Okabe-Ito

OPTIMIZER_STYLES = {
    "SGD": dict(color=OKABE_ITO["vermillion"], linestyle="-", marker="o"),
    "SGD + momentum": dict(color=OKABE_ITO["blue"], linestyle="--", marker="s"),
    "Nesterov": dict(color=OKABE_ITO["sky_blue"], linestyle=(0, (6, 2, 1, 2, 1, 2)), marker="D"),
    "Adam": dict(color=OKABE_ITO["bluish_green"], linestyle="-.", marker="^"),
    "Adam + L2": dict(color=OKABE_ITO["orange"], linestyle=(0, (10, 3)), marker="X"),
    "AdamW": dict(color=OKABE_ITO["reddish_purple"], linestyle=":", marker="P"),
    # the Okabe-Ito colours are spent (yellow is too pale for a line): black and a mid grey, told
    # apart from each other and the rest by their dashes and markers
    "Adagrad": dict(color=OKABE_ITO["black"], linestyle=(0, (1, 1)), marker="v"),
    "RMSprop": dict(color=NEUTRAL_GREY, linestyle=(0, (5, 1, 1, 1)), marker="*"),
}

# the colour cycle for everything that is not an optimizer (yellow last: weak on white)
_CYCLE = ["blue", "vermillion", "bluish_green", "orange", "reddish_purple", "sky_blue", "black", "yellow"]

# light greys for the filled contours, so coloured paths stand out; fog is a warm off-white
_FILL_COLOURS = ["#ffffff", "#ededed", "#dadada", "#c6c6c6", "#b1b1b1", "#9a9a9a"]
_FOG_RGB = (0.96, 0.95, 0.91)
_FOG_ALPHA = 1.0
_MINIMUM_STYLE = dict(linestyle="none", marker="*", markersize=16, color=OKABE_ITO["yellow"],
                      markeredgecolor="black", markeredgewidth=1.0)


def _plt():
    import matplotlib.pyplot as plt  # imported lazily: importing pyplot picks a backend

    return plt


def _new_ax(ax):
    if ax is None:
        _, ax = _plt().subplots()
    return ax


def _check_int(name, value, minimum):
    return check.integer(name, value, minimum=minimum)


# --------------------------------------------------------------------------- style
def use_style() -> None:
    """Set projector-friendly matplotlib defaults (call once, in a notebook's first cell).

    Larger fonts, 2-point lines, the Okabe-Ito colour cycle, a light grid, ~90 dpi figures.
    Undo with ``matplotlib.rcdefaults()``.
    """
    import matplotlib as mpl
    from cycler import cycler

    mpl.rcParams.update({
        "figure.figsize": (7.0, 4.5),
        "figure.dpi": 90,
        "savefig.dpi": 90,
        "figure.constrained_layout.use": True,
        "font.size": 13,
        "axes.titlesize": 14,
        "axes.labelsize": 14,
        "xtick.labelsize": 12,
        "ytick.labelsize": 12,
        "legend.fontsize": 12,
        "legend.framealpha": 0.9,
        "lines.linewidth": 2.0,
        "lines.markersize": 6.0,
        "axes.prop_cycle": cycler(color=[OKABE_ITO[c] for c in _CYCLE]),
        "axes.grid": True,
        "grid.color": "#d9d9d9",
        "grid.linewidth": 0.8,
        "grid.alpha": 0.7,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "image.cmap": "viridis",
    })


def style_for(label_or_optimizer) -> dict:
    """The style dict (color, linestyle, marker) for an optimizer label or any object with ``.label``.

    Returns a fresh copy, so the caller can modify it. Unknown labels raise ValueError.
    """
    label = getattr(label_or_optimizer, "label", label_or_optimizer)
    if not isinstance(label, str) or label not in OPTIMIZER_STYLES:
        raise ValueError(
            f"label_or_optimizer must be one of {list(OPTIMIZER_STYLES)} or have such a .label, "
            f"got label_or_optimizer={label_or_optimizer!r}"
        )
    return dict(OPTIMIZER_STYLES[label])


# --------------------------------------------------------------------------- contour maps
_GRID_CACHE: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()


def surface_grid(surface, resolution: int = 200):
    """(X, Y, Z) over ``surface.bounds``: X, Y of shape (resolution, resolution), Z the loss.

    Cached per surface object and resolution (the arrays are read-only), so widgets that
    redraw often pay for the evaluation once.
    """
    resolution = _check_int("resolution", resolution, 10)
    try:
        per_surface = _GRID_CACHE.setdefault(surface, {})
    except TypeError:  # not weak-referenceable: no caching
        per_surface = {}
    if resolution not in per_surface:
        (x0, x1), (y0, y1) = surface.bounds
        X, Y = np.meshgrid(np.linspace(x0, x1, resolution), np.linspace(y0, y1, resolution))
        with np.errstate(all="ignore"):
            Z = np.asarray(surface.loss(np.stack([X, Y], axis=-1)), dtype=float)
        for a in (X, Y, Z):
            a.setflags(write=False)
        per_surface[resolution] = (X, Y, Z)
    return per_surface[resolution]


def _default_levels(surface, Z, n=18):
    """Log-spaced levels above the lowest value, so the floor of a valley shows detail."""
    finite = Z[np.isfinite(Z)]
    z_min = finite.min()
    minima = getattr(surface, "minima", None)
    if minima is not None and len(minima):
        with np.errstate(all="ignore"):
            z_min = min(z_min, float(np.min(surface.loss(minima))))
    height = finite - z_min
    top = height.max()
    if not top > 0:
        return np.array([z_min, z_min + 1.0])
    low = max(np.percentile(height, 0.5), top * 1e-6)
    return z_min + np.concatenate([[0.0], np.geomspace(low, top, n)])


class ContourArtists(NamedTuple):
    """What ``contour`` drew: filled contours (or None), contour lines, minima markers, fog (or None)."""

    filled: object
    lines: object
    minima: object
    fog: object


def _fog_spec(fog):
    """Accept (positions, radius) or {"positions": ..., "radius": ...}."""
    if isinstance(fog, dict):
        positions, radius = fog.get("positions"), fog.get("radius")
    else:
        try:
            positions, radius = fog
        except (TypeError, ValueError):
            raise ValueError(f"fog must be None or (positions, radius), got fog={fog!r}") from None
    positions = _positions(positions)
    radius = check.finite_number("radius", radius, minimum=0, strict=True)
    return positions, radius


def _positions(positions):
    """Walker positions as (k, 2) rows (NaN rows allowed: a diverged walker clears nothing)."""
    positions = check.as_floats("positions", positions)
    if positions.size % 2:
        check.fail("positions", positions, "points (x, y), shape (k, 2)")
    return positions.reshape(-1, 2)


def fog_alpha(X, Y, positions, radius: float) -> np.ndarray:
    """Opacity of the fog on a grid: clear within ``radius`` of any walker, opaque beyond.

    The edge fades over the outer quarter of the radius. Non-finite walker positions
    (a diverged run) clear nothing.
    """
    positions = _positions(positions)
    radius = check.finite_number("radius", radius, minimum=0, strict=True)
    X, Y = check.as_floats("X", X), check.as_floats("Y", Y)
    if X.shape != Y.shape:
        check.fail("Y", Y.shape, f"a grid of the shape of X {X.shape}")
    positions = positions[np.all(np.isfinite(positions), axis=1)]
    if len(positions) == 0:
        return np.full(np.shape(X), _FOG_ALPHA)
    d2 = (X[..., None] - positions[:, 0]) ** 2 + (Y[..., None] - positions[:, 1]) ** 2
    d = np.sqrt(d2.min(axis=-1))
    edge = 0.75 * radius
    t = np.clip((d - edge) / (radius - edge), 0.0, 1.0)
    return _FOG_ALPHA * t * t * (3.0 - 2.0 * t)  # smoothstep


def _fog_rgba(X, Y, positions, radius):
    rgba = np.empty(np.shape(X) + (4,))
    rgba[..., :3] = _FOG_RGB
    rgba[..., 3] = fog_alpha(X, Y, positions, radius)
    return rgba


def update_fog(fog_image, positions, radius: float | None = None):
    """Move the clear discs of a fog overlay (returned by ``contour``) to new walker positions.

    Cheap: recomputes one small RGBA image and calls ``set_data``; no contour is redrawn.
    """
    X, Y = fog_image._downhill_grid
    radius = fog_image._downhill_radius if radius is None else _fog_spec((positions, radius))[1]
    fog_image._downhill_radius = radius
    fog_image.set_data(_fog_rgba(X, Y, positions, radius))
    return fog_image


def _fill_cmap():
    from matplotlib.colors import LinearSegmentedColormap
    return LinearSegmentedColormap.from_list("downhill_fill", _FILL_COLOURS)


def _band_colours(surface, Z):
    """RGBA per grid point: the grey of the contour band it falls in (as ``contour`` fills it), so a
    3-D view and a contour map of one surface share their colours."""
    from matplotlib.colors import BoundaryNorm
    levels = _default_levels(surface, Z)
    cmap = _fill_cmap()
    norm = BoundaryNorm(levels, ncolors=cmap.N, extend="max")
    return cmap(norm(np.where(np.isfinite(Z), Z, levels[-1])))


def contour(surface, ax=None, levels=None, fill=True, fog=None, resolution: int = 200,
            show_minima: bool = True) -> ContourArtists:
    """Contour map of ``surface`` over its bounds, minima starred, equal aspect, axes labelled.

    levels : None for log-spaced levels above the lowest value (works for surfaces whose
        minimum is negative too), an int for that many log-spaced levels, or a sequence.
    fill : filled light-grey bands under the contour lines.
    fog : None, or (positions, radius): hide the surface except within ``radius`` of each
        walker position, the walker-in-fog picture. Update it with ``update_fog``.
    Returns ContourArtists(filled, lines, minima, fog).
    """
    ax = _new_ax(ax)
    X, Y, Z = surface_grid(surface, resolution)
    if levels is None:
        levels = _default_levels(surface, Z)
    elif isinstance(levels, numbers.Integral) and not isinstance(levels, bool):
        levels = _default_levels(surface, Z, n=_check_int("levels", levels, 2))
    else:
        levels = check.as_floats("levels", levels, what="None, an int >= 2 or an increasing sequence")
        if levels.ndim != 1 or len(levels) < 2 or not np.all(np.diff(levels) > 0):
            raise ValueError(f"levels must be None, an int >= 2 or an increasing sequence, got levels={levels!r}")
    Zc = np.where(np.isfinite(Z), Z, levels[-1])
    filled = None
    if fill:
        filled = ax.contourf(X, Y, Zc, levels=levels, cmap=_fill_cmap(), extend="max", zorder=0)
    lines = ax.contour(X, Y, Zc, levels=levels, colors="0.45", linewidths=0.7,
                       linestyles="solid", zorder=1)
    minima = None
    if show_minima and getattr(surface, "minima", None) is not None and len(surface.minima):
        m = np.asarray(surface.minima)
        (minima,) = ax.plot(m[:, 0], m[:, 1], label="minimum", zorder=3, **_MINIMUM_STYLE)
    fog_image = None
    if fog is not None:
        positions, radius = _fog_spec(fog)
        (x0, x1), (y0, y1) = surface.bounds
        gx, gy = np.meshgrid(np.linspace(x0, x1, 160), np.linspace(y0, y1, 160))
        fog_image = ax.imshow(_fog_rgba(gx, gy, positions, radius), extent=(x0, x1, y0, y1),
                              origin="lower", interpolation="bilinear", zorder=3.5, aspect="equal")
        fog_image._downhill_grid = (gx, gy)
        fog_image._downhill_radius = radius
    (x0, x1), (y0, y1) = surface.bounds
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    ax.set_aspect("equal")
    ax.set_xlabel("$x$")
    ax.set_ylabel("$y$")
    ax.set_title(getattr(surface, "title", ""))
    ax.grid(False)
    return ContourArtists(filled, lines, minima, fog_image)


def gradient_field(surface, ax=None, n: int = 15, normalize: bool = True, color="0.15"):
    """Arrows of the gradient on an n x n grid: each points uphill, across the contour lines.

    normalize=True draws unit arrows (direction only; the gradient's size varies by orders of
    magnitude on most surfaces); normalize=False scales them so the longest spans one cell.
    Returns the Quiver.
    """
    n = _check_int("n", n, 2)
    ax = _new_ax(ax)
    (x0, x1), (y0, y1) = surface.bounds
    # keep arrows off the frame: centres of n cells in each direction
    xs = x0 + (np.arange(n) + 0.5) * (x1 - x0) / n
    ys = y0 + (np.arange(n) + 0.5) * (y1 - y0) / n
    X, Y = np.meshgrid(xs, ys)
    with np.errstate(all="ignore"):
        G = np.asarray(surface.grad(np.stack([X, Y], axis=-1)), dtype=float)
    norm = np.hypot(G[..., 0], G[..., 1])
    cell = 0.8 * min((x1 - x0), (y1 - y0)) / n
    with np.errstate(all="ignore"):
        if normalize:
            scale = np.where(norm > 0, cell / norm, 0.0)
        else:
            top = np.nanmax(norm) if np.any(norm > 0) else 1.0
            scale = np.full_like(norm, cell / top)
    U, V = G[..., 0] * scale, G[..., 1] * scale
    return ax.quiver(X, Y, U, V, angles="xy", scale_units="xy", scale=1.0, color=color,
                     width=0.004, zorder=2.5)


# --------------------------------------------------------------------------- paths and curves
def _finite_rows(xs):
    xs = check.as_floats("xs", xs)
    if xs.ndim != 2 or xs.shape[1] != 2:
        raise ValueError(f"xs must have shape (n, 2), got xs with shape {xs.shape}")
    keep = np.all(np.isfinite(xs), axis=1)
    # stop at the first non-finite row: later rows are a run that already left the plane
    stop = len(xs) if keep.all() else int(np.argmin(keep))
    return xs[:stop]


def _clamp_to_view(ax, point):
    (x0, x1), (y0, y1) = sorted(ax.get_xlim()), sorted(ax.get_ylim())
    return np.array([np.clip(point[0], x0, x1), np.clip(point[1], y0, y1)])


def _place_divergence_note(line, xs, diverged_at):
    ax = line.axes
    note = getattr(line, "_downhill_note", None)
    if note is not None:
        note.remove()
        line._downhill_note = None
    if diverged_at is None:
        return None
    diverged_at = _check_int("diverged_at", diverged_at, 0)
    where = _clamp_to_view(ax, xs[-1] if len(xs) else np.zeros(2))
    # point the text towards the middle of the axes, so it never hangs over an edge
    fx, fy = ax.transLimits.transform(where)
    right, low = fx > 0.5, fy < 0.5
    note = ax.annotate(
        f"diverged at step {diverged_at}", xy=where, xytext=(-10 if right else 10, 18 if low else -18),
        ha="right" if right else "left", va="bottom" if low else "top",
        textcoords="offset points", color=line.get_color(), fontsize="medium", fontweight="bold",
        bbox=dict(boxstyle="round,pad=0.25", fc="white", ec=line.get_color(), alpha=0.9),
        zorder=6, annotation_clip=False,
    )
    line._downhill_note = note
    return note


def plot_path(xs, label, ax=None, diverged_at=None, markevery=None, **overrides):
    """Draw a run's positions xs (n, 2) as a line with markers every few points.

    Style comes from ``OPTIMIZER_STYLES`` when ``label`` is an optimizer label (or an object
    with ``.label``); any other label gets the next colour of the axes' cycle. ``overrides``
    are passed to ``ax.plot`` (e.g. color=..., alpha=...). The start is marked with a large
    hollow circle. If ``diverged_at`` is not None the last finite point is annotated
    "diverged at step N" (kept inside the view). Rows after the first non-finite row are
    dropped. Returns the Line2D; ``update_path`` moves it, its start marker and note in place.
    """
    ax = _new_ax(ax)
    xs = _finite_rows(xs)
    text = getattr(label, "label", label)
    text = str(text) if text is not None else None
    style = dict(OPTIMIZER_STYLES[text]) if text in OPTIMIZER_STYLES else {"marker": "o"}
    if markevery is None:
        markevery = max(1, len(xs) // 12)
    style.update(markevery=markevery, markersize=6, zorder=4, label=text)
    style.update(overrides)
    (line,) = ax.plot(xs[:, 0], xs[:, 1], **style)
    (start,) = ax.plot(xs[:1, 0], xs[:1, 1], linestyle="none", marker="o", markersize=12,
                       markerfacecolor="white", markeredgecolor=line.get_color(),
                       markeredgewidth=2.0, zorder=5, label="_nolegend_")
    line._downhill_start = start
    line._downhill_note = None
    _place_divergence_note(line, xs, diverged_at)
    return line


def update_path(line, xs, diverged_at=None):
    """Give a line drawn by ``plot_path`` new positions (and divergence note) without redrawing the axes."""
    xs = _finite_rows(xs)
    line.set_data(xs[:, 0], xs[:, 1])
    start = getattr(line, "_downhill_start", None)
    if start is not None:
        start.set_data(xs[:1, 0], xs[:1, 1])
    _place_divergence_note(line, xs, diverged_at)
    return line


def surface_3d(surface, ax=None, resolution: int = 80, clip_quantile: float = 0.9):
    """3-D view of the loss over the surface's bounds, heights clipped for readability.

    Heights above the ``clip_quantile`` quantile of the grid are cut flat, so a steep wall
    (Rosenbrock's) does not squash the interesting floor. Returns the Poly3DCollection.
    """
    resolution = _check_int("resolution", resolution, 10)
    check.finite_number("clip_quantile", clip_quantile, minimum=0, strict=True, maximum=1,
                        what="a number in (0, 1]")
    if ax is None:
        fig = _plt().figure()
        ax = fig.add_subplot(projection="3d")
    X, Y, Z = surface_grid(surface, resolution)
    finite = Z[np.isfinite(Z)]
    top = np.quantile(finite, clip_quantile)
    Zc = np.minimum(np.where(np.isfinite(Z), Z, top), top)
    # the contour map's grey bands (same levels, same greys), lit from above so the shape reads
    from matplotlib.colors import LightSource
    art = ax.plot_surface(X, Y, Zc, facecolors=_band_colours(surface, Z), shade=True, rstride=1, cstride=1,
                          lightsource=LightSource(azdeg=300, altdeg=70), linewidth=0, antialiased=True,
                          alpha=0.9)
    minima = getattr(surface, "minima", None)
    if minima is not None and len(minima):        # the same stars as on the contour map
        m = np.asarray(minima, dtype=float)
        ax.plot(m[:, 0], m[:, 1], np.asarray(surface.loss(m), dtype=float), zorder=10, **_MINIMUM_STYLE)
    ax.set_xlabel("$x$")
    ax.set_ylabel("$y$")
    ax.set_zlabel("loss", labelpad=10)
    ax.set_title(getattr(surface, "title", ""))
    return art


def loss_curves(curves: dict, ax=None, logy: bool = True, x=None, subtract=None):
    """Loss against step for each label -> losses in ``curves``; returns the list of Line2D.

    Optimizer labels get their styles. NaN entries (after a divergence) are left as gaps.
    logy needs positive losses: for surfaces whose minimum is not 0 pass
    ``subtract=surface.min_loss`` (the curves then show loss - f*), or logy=False.
    ``x``: shared x values (default 0, 1, 2, ...).
    """
    if not isinstance(curves, dict) or not curves:
        raise ValueError(f"curves must be a non-empty dict label -> losses, got curves={curves!r}")
    ax = _new_ax(ax)
    lines = []
    for label, losses in curves.items():
        y = np.asarray(losses, dtype=float).ravel()
        if subtract is not None:
            y = y - float(subtract)
        if logy and np.any(y[np.isfinite(y)] <= 0):
            raise ValueError(
                f"logy=True needs positive losses, but curve {label!r} has a value <= 0; pass "
                f"subtract=surface.min_loss or logy=False"
            )
        xv = np.arange(len(y)) if x is None else np.asarray(x, dtype=float)
        if xv.shape != y.shape:
            raise ValueError(f"x must have one value per loss ({len(y)}), got x with shape {xv.shape}")
        style = dict(OPTIMIZER_STYLES[label]) if label in OPTIMIZER_STYLES else {}
        style.setdefault("markevery", max(1, len(y) // 10))
        if "marker" not in style:
            style.pop("markevery")
        (line,) = ax.plot(xv, y, label=str(label), **style)
        lines.append(line)
    if logy:
        ax.set_yscale("log")
    ax.set_xlabel("step")
    ax.set_ylabel("loss" if subtract is None else r"loss $-$ minimum")
    ax.legend()
    return lines


def schedule_plot(schedule, steps: int, ax=None, label=None, **overrides):
    """Plot learning rate against step t = 0 .. steps-1 for ``schedule`` (a function of t).

    A vectorised schedule is called once on an int array; otherwise it is called per step.
    Returns the Line2D.
    """
    steps = _check_int("steps", steps, 1)
    if not callable(schedule):
        raise ValueError(f"schedule must be a function of the step t, got schedule={schedule!r}")
    ax = _new_ax(ax)
    t = np.arange(steps)
    try:
        lr = np.asarray(schedule(t), dtype=float)
        if lr.shape != t.shape:
            raise ValueError
    except (TypeError, ValueError):
        lr = np.array([float(schedule(int(k))) for k in t])
    (line,) = ax.plot(t, lr, label=label, **overrides)
    ax.set_xlabel("step $t$")
    ax.set_ylabel("learning rate")
    if label is not None:
        ax.legend()
    return line
