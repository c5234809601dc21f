"""The playground's figure drawn in the browser: Python computes, a canvas draws.

Python stays the source of every number. What it sends, and when:

* :func:`background` (once per surface and language): the surface's filled contours as a PNG without
  axes, its bounds, minima, formula (plain Unicode, so the browser sets it as crisp text), the tick
  positions and labels of the three panels, and every word of the figure in the reader's language.
* :func:`canvas_data` (once per *recompute*, i.e. when a setting other than the learning rate, the
  step shown, the mode or the fog changes): every shown optimizer at every position of the
  learning-rate slider (``LR_POSITIONS``), one batched run (``playground.lr_sweep``), as typed arrays:
  paths ``float32 (L, P, S + 1, 2)``, loss gaps ``float32 (L, P, S + 1)``, each run's number of finite
  positions and its divergence step ``int32 (L, P)``, the schedule at peak 1 ``float64 (S,)``, and
  tuned mode's choice per optimizer. About 0.6 MB at the defaults, 1.5 MB at 500 steps.

The browser (``playground_canvas.js``, beside this file) then draws any learning rate, step, mode
and fog setting from data it already has: moving the learning-rate slider, the step slider or play
needs no kernel. :func:`scene` is the same selection in Python (which run of which optimizer, drawn
up to which point, with which message); the browser test compares what the page drew with it.
"""

from __future__ import annotations

import functools
import io
import math
import re
from pathlib import Path

import numpy as np

from helpers import validation as check
from helpers.display.plotting import _FOG_ALPHA, _FOG_RGB, _MINIMUM_STYLE, contour, style_for
from helpers.lessons import playground as pg
from helpers.lessons.playground_text import check_language, text
from helpers.surfaces import SURFACES

__all__ = ["background", "canvas_data", "scene", "formula_text", "format_2g", "payload_bytes", "PlaygroundCanvas"]

BACKGROUND_PIXELS = 720   # the long side of the contour image (drawn scaled into its panel)
_SUPERSCRIPT = str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻")


def format_2g(value):
    """Python's ``f"{value:.2g}"``; the browser's ``fmt2g`` in playground_canvas.js does the same (tested)."""
    return f"{check.finite_number('value', value):.2g}"


def formula_text(title):
    """A surface's LaTeX title as plain Unicode text: ``$f(x, y) = \\frac{x^2}{2} + y^2$`` -> "f(x, y) = x²/2 + y²"."""
    s = check.instance("title", title, str, "a string").replace("$", "")
    s = s.replace(r"\frac{1}{2}", "½").replace(r"\,", "\u2009").replace(r"\sin", "sin").replace(r"\cos", "cos")

    def frac(m):
        top, bottom = m.group(1), m.group(2)
        return (f"({top})" if re.search(r"[ +\-]", top) else top) + "/" + bottom

    s = re.sub(r"\\frac\{([^{}]*)\}\{([^{}]*)\}", frac, s)
    s = re.sub(r"\^\{?(-?\d+)\}?", lambda m: m.group(1).translate(_SUPERSCRIPT), s)
    return s.replace(" - ", " − ").replace("(-", "(−")


def _number(v):
    return f"{v:g}".replace("-", "−")


def _linear_ticks(lo, hi, nbins, integer=False):
    from matplotlib.ticker import MaxNLocator

    ticks = MaxNLocator(nbins=nbins, steps=[1, 2, 2.5, 5, 10], integer=integer).tick_values(lo, hi)
    span = hi - lo
    ticks = [float(t) for t in ticks if lo - 1e-9 * span <= t <= hi + 1e-9 * span]
    return [[t, _number(round(t, 10))] for t in ticks]


def _decade_ticks(lo, hi, most=4):
    e0, e1 = math.floor(math.log10(lo) + 1e-9), math.ceil(math.log10(hi) - 1e-9)
    stride = max(1, math.ceil((e1 - e0) / (most - 1)))
    return [[float(10.0 ** e), "10" + str(e).translate(_SUPERSCRIPT)] for e in range(e0, e1 + 1, stride)]


@functools.lru_cache(maxsize=16)
def _contour_png(surface_name):
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    surface = SURFACES[surface_name]
    (x0, x1), (y0, y1) = surface.bounds
    aspect = (x1 - x0) / (y1 - y0)
    width, height = (BACKGROUND_PIXELS, round(BACKGROUND_PIXELS / aspect)) if aspect >= 1 else (
        round(BACKGROUND_PIXELS * aspect), BACKGROUND_PIXELS)
    fig = Figure(figsize=(width / 100, height / 100), dpi=100)
    FigureCanvasAgg(fig)
    ax = fig.add_axes((0, 0, 1, 1))
    contour(surface, ax=ax, show_minima=False)
    ax.set_aspect("auto")
    ax.set_axis_off()
    fig.canvas.draw()
    from PIL import Image

    rgb = Image.fromarray(np.asarray(fig.canvas.buffer_rgba())[..., :3])
    out = io.BytesIO()   # greys and the lines' antialiasing: 64 colours look the same, at a third of the bytes
    rgb.quantize(64, dither=Image.Dither.NONE).save(out, format="png", optimize=True)
    return out.getvalue()


def _marker(label):
    st = style_for(label)
    dash = st.get("linestyle", "-")
    dashes = {"-": [], "--": [6, 3], "-.": [6, 2, 1.5, 2], ":": [1.5, 2.5]}.get(dash) if isinstance(dash, str) \
        else list(dash[1])
    return {"color": st["color"], "dash": dashes, "marker": st.get("marker", "o")}


def _words(lang):
    """Every word of the figure in ``lang``; templates keep their {placeholders} for the browser."""
    return {
        "step": text("axis.step", lang), "loss_gap": text("axis.loss_gap", lang), "lr": text("axis.lr", lang),
        "title_loss": text("title.loss", lang), "title_schedule": text("title.schedule", lang),
        "lr_tuned": text("lr_text.tuned", lang, t="{t}", unit="{unit}"),
        "lr_shared": text("lr_text.shared", lang, peak="{peak}", t="{t}", rate="{rate}"),
        "diverged": text("diverged", lang, label="{label}", step="{step}"),
        "names": {label: pg.optimizer_name(label, lang) for label in pg.OPTIMIZERS},
        "figure_name": text("figure_name", lang),
        "drawing_error": text("banner.drawing", lang, detail="{detail}"),
    }


def background(surface_name, steps, lang="en"):
    """What the canvas draws behind the walks for ``surface_name`` and a run of ``steps``: a dict
    (JSON-able) and the contour PNG's bytes. Sent when the surface, the number of steps or the
    language changes."""
    check.choice("surface_name", surface_name, sorted(SURFACES))
    steps = check.integer("steps", steps, minimum=1)
    lang = check_language(lang)
    surface = SURFACES[surface_name]
    (x0, x1), (y0, y1) = surface.bounds
    lo, hi = pg.loss_limits(surface_name)
    minima = [] if getattr(surface, "minima", None) is None else [[float(a), float(b)] for a, b in surface.minima]
    info = {
        "surface": surface_name, "bounds": [[float(x0), float(x1)], [float(y0), float(y1)]],
        "title": formula_text(getattr(surface, "title", "") or ""), "minima": minima,
        "minimum_style": {"color": _MINIMUM_STYLE["color"], "edge": _MINIMUM_STYLE["markeredgecolor"]},
        "xticks": _linear_ticks(x0, x1, 5), "yticks": _linear_ticks(y0, y1, 5),
        "step_ticks": _linear_ticks(0, steps, 5, integer=True), "steps": steps,
        "loss_limits": [float(lo), float(hi)], "loss_ticks": _decade_ticks(lo, hi),
        "lr_ticks": [[0.0, "0"], [1.0, "1"]],
        "fog": {"rgb": [round(255 * c) for c in _FOG_RGB], "alpha": float(_FOG_ALPHA),
                "radius": float(pg._PlaygroundFigure.fog_radius(surface))},
        "styles": {label: _marker(label) for label in pg.OPTIMIZERS},
        "words": _words(lang), "lang": lang, "modes": list(pg.LR_MODES),
    }
    return info, _contour_png(surface_name)


def canvas_data(settings=None, lang="en", **changes):
    """The arrays one recompute sends (see the module docstring), as a dict of NumPy arrays plus
    ``labels`` (the shown optimizers, in OPTIMIZERS order), ``peaks`` (the rates of the P columns:
    ``LR_POSITIONS``, and the shared rate appended when it is not one of them), ``tuned`` (tuned mode's
    column per optimizer) and ``legend`` (tuned mode's legend texts, in ``lang``)."""
    s, start = pg._settings_and_start(settings, changes)
    lang = check_language(lang)
    sweep = pg._sweep_for(s, start, pg.LR_POSITIONS)
    min_loss = SURFACES[s.surface].min_loss
    labels = [label for label in pg.OPTIMIZERS if label in sweep.xs]
    tuned = pg.tuned_positions(sweep, min_loss)
    sweeps, peaks = [sweep], list(map(float, sweep.peaks))
    if s.lr_mode == "shared" and pg.lr_position(s.lr) is None:
        sweeps.append(pg._sweep_for(s, start, (float(s.lr),)))
        peaks.append(float(s.lr))
    steps = int(s.steps)
    L, P = len(labels), len(peaks)
    paths = np.empty((L, P, steps + 1, 2), dtype=np.float32)
    gaps = np.empty((L, P, steps + 1), dtype=np.float32)
    lengths = np.empty((L, P), dtype=np.int32)
    diverged = np.empty((L, P), dtype=np.int32)
    with np.errstate(all="ignore"):
        for i, label in enumerate(labels):
            xs = np.concatenate([sw.xs[label] for sw in sweeps], axis=1)          # (S + 1, P, 2)
            losses = np.concatenate([sw.losses[label] for sw in sweeps], axis=1)  # (S + 1, P)
            paths[i] = np.transpose(np.where(np.isfinite(xs), xs, np.nan), (1, 0, 2))
            gaps[i] = np.minimum(pg.loss_gaps(losses, min_loss), pg.MAX_LOSS).T   # (within float32's range)
            lengths[i] = pg.finite_prefix(xs)
            diverged[i] = [-1 if d is None else int(d) for sw in sweeps for d in sw.diverged_at[label]]
    legend = [sweep.walk(label, tuned[label], min_loss, tuned_of=len(pg.LR_POSITIONS)).lr_label_in(lang)
              for label in labels]
    return {"labels": labels, "peaks": peaks, "tuned": [int(tuned[label]) for label in labels],
            "legend": legend, "paths": paths, "gaps": gaps, "lengths": lengths, "diverged": diverged,
            "unit": np.asarray(sweep.unit, dtype=np.float64), "steps": steps,
            "start": [float(start[0]), float(start[1])]}


def payload_bytes(data):
    """How many bytes of arrays one recompute sends (the typed arrays of :func:`canvas_data`)."""
    return sum(data[k].nbytes for k in ("paths", "gaps", "lengths", "diverged", "unit"))


def _nearest(peaks, lr):
    logs = np.log10(np.asarray(peaks, dtype=float))
    return int(np.argmin(np.abs(logs - math.log10(lr))))


def scene(data, lr, lr_mode, show_step):
    """What the canvas draws for ``data`` (from :func:`canvas_data`) at this learning rate, mode and
    step, as the browser chooses it: {label: {"column", "lr", "drawn" (points drawn), "last" (the last
    drawn point, float32 as sent), "diverged_at"}}. The browser test reads the page's choice and
    compares it with this."""
    check.instance("data", data, dict, "the dict canvas_data() returns")
    missing = {"labels", "peaks", "tuned", "paths", "lengths", "diverged", "steps"} - set(data)
    if missing:
        check.fail("data", f"a dict without {sorted(missing)}", "the dict canvas_data() returns")
    check.choice("lr_mode", lr_mode, sorted(pg.LR_MODES))
    t = int(np.clip(check.integer("show_step", show_step), 0, data["steps"]))
    shared = _nearest(data["peaks"], check.finite_number("lr", lr, minimum=0, strict=True))
    out = {}
    for i, label in enumerate(data["labels"]):
        k = data["tuned"][i] if lr_mode == "tuned" else shared
        n = min(t, int(data["lengths"][i, k]) - 1) + 1
        d = int(data["diverged"][i, k])
        out[label] = {"column": k, "lr": data["peaks"][k], "drawn": n,
                      "last": [float(v) for v in data["paths"][i, k, n - 1]],
                      "diverged_at": None if d < 0 else d}
    return out


# ------------------------------------------------------------------ the widget

def _widget_class():
    global _CLASS
    if _CLASS is None:
        import anywidget
        import traitlets as T

        class PlaygroundCanvas(anywidget.AnyWidget):
            """The playground's figure, drawn in the browser from the arrays Python sends."""

            _esm = Path(__file__).with_name("playground_canvas.js")
            info = T.Dict().tag(sync=True)              # background(): bounds, ticks, words, styles
            contour_png = T.Bytes(b"").tag(sync=True)   # the surface's contour image
            meta = T.Dict().tag(sync=True)              # canvas_data() without its arrays
            paths = T.Bytes(b"").tag(sync=True)
            gaps = T.Bytes(b"").tag(sync=True)
            lengths = T.Bytes(b"").tag(sync=True)
            diverged = T.Bytes(b"").tag(sync=True)
            unit = T.Bytes(b"").tag(sync=True)
            error = T.Unicode("").tag(sync=True)        # a setting that cannot run: said on the figure
            # set in the browser by the sliders (jsdlink); Python only reads them
            lr = T.Float(2e-3).tag(sync=True)
            lr_mode_index = T.Int(0).tag(sync=True)     # the mode menu's index into info["modes"]
            show_step = T.Int(0).tag(sync=True)
            fog = T.Bool(False).tag(sync=True)
            large = T.Bool(False).tag(sync=True)        # the "larger text" button: the page's class downhill-large
            click = T.List().tag(sync=True)             # [x, y, n]: the reader clicked the contour at (x, y)
            figure_name = T.Unicode("").tag(sync=True)

            def send(self, data):
                """Replace the arrays (one message: ipywidgets' hold_sync)."""
                with self.hold_sync():
                    self.meta = {k: data[k] for k in ("labels", "peaks", "tuned", "legend", "steps", "start")}
                    for k in ("paths", "gaps", "lengths", "diverged", "unit"):
                        setattr(self, k, np.ascontiguousarray(data[k]).tobytes())

        _CLASS = PlaygroundCanvas
    return _CLASS


_CLASS = None


def PlaygroundCanvas(**kwargs):   # noqa: N802  (a class, made on first use: anywidget is imported then)
    """The canvas widget (an anywidget); made on first call so importing this module needs no widgets."""
    from helpers.display.widgets import quiet_anywidget

    with quiet_anywidget():
        return _widget_class()(**kwargs)
