"""Explorers: a persistent figure, a row of sliders and a pure function in between.

An *explorer* is what a notebook shows when the reader should move a knob and watch a
figure answer. Every explorer in Downhill (the playground, the learning-rate limit in
notebook 03, the fog view in 04, the schedule explorer in 06, the arena in 09) is built
from the same base class, :class:`Explorer`, so they all behave the same way:

* the figure is created once and updated in place (new line data, never a new figure);
* the numbers behind a frame come from a *pure* function ``compute(settings) -> frame``
  that tests call directly, without widgets;
* a burst of slider events (a drag, a held-down arrow key) produces at most one redraw
  per ``min_interval`` seconds, and the last redraw always shows the final slider values;
* a run that diverges, or a combination of settings that makes no sense, is explained in
  words *on the figure*; no slider position prints a traceback or a warning;
* a one-line text description (``explorer.caption``, an ``ipywidgets.HTML``) above the
  figure says what the figure shows, for readers who cannot see it.

How a frame reaches the screen
------------------------------
The figure is a plain matplotlib ``Figure`` on the Agg canvas (no pyplot, no backend
switch). Artists registered with :meth:`Explorer.animate` are the moving parts; everything
else is *background*. The background is drawn once, kept as pixels
(``canvas.copy_from_bbox``) and only redrawn when ``static_key(settings)`` changes (say,
a new surface). Each frame restores the background, draws the moving artists on top
(blitting), encodes the pixels as JPEG and pushes the bytes into an ``ipywidgets.Image``.
This path was chosen by measurement (see ``benchmarks/playground_latency.py`` and the
README): it needs no extra package, works the same in JupyterLab and Voila, and a frame
costs a few milliseconds instead of the ~35 ms of a full redraw.

An explorer may instead draw in the browser: ``browser_figure()`` returns a widget (the
playground's anywidget canvas, helpers.lessons.playground_canvas) that takes the figure's place,
and ``present(settings, frame, message)`` sends it the data of each frame. Then no matplotlib
figure is made; ``compute``, the caption, the banner's message and everything else stay the same.

Writing an explorer
-------------------
Subclass :class:`Explorer` and define five methods; only ``compute`` does arithmetic::

    import ipywidgets as W
    from helpers.display.widgets import Explorer

    def lr_frame(settings):                       # pure: tests call this directly
        ...                                       # run descent, return a small dataclass
        return frame

    class LearningRateExplorer(Explorer):
        figsize = (6.0, 4.0)                      # inches; dpi is Explorer.dpi

        def make_controls(self):                  # name -> ipywidgets value widget
            return {"lr": W.FloatLogSlider(value=0.1, min=-3, max=0, description="learning rate")}

        def setup(self, fig):                     # once: axes, background, moving artists
            self.ax = fig.add_subplot()
            self.path = self.animate(self.ax.plot([], [], marker="o")[0])

        def compute(self, settings):              # settings = {"lr": 0.1}
            return lr_frame(settings)

        def draw(self, frame):                    # update the moving artists' data
            self.path.set_data(frame.xs[:, 0], frame.xs[:, 1])
            return "diverged at step 7" if frame.diverged_at == 7 else None

        def describe(self, settings, frame):      # the one-line text description
            return f"Gradient descent with learning rate {settings['lr']:.3g}."

    explorer = LearningRateExplorer()
    explorer                                      # last line of a cell: shows the widget

Optional hooks: ``static_key(settings)`` returns something hashable; when it changes,
``update_static(settings)`` redraws the background (new contour, new axis limits) before
the background pixels are captured again. ``layout(controls)`` arranges the control
widgets (default: a wrapped row); ``connect()`` runs once the image widget exists. Class attributes ``figsize``, ``dpi``, ``figure_layout``, ``min_interval``,
``image_format`` ("jpeg" or "png") and ``jpeg_quality`` tune the output.

What the base class does for you: reads the current value of every control into a
``settings`` dict, calls ``compute`` then ``draw``, shows the string ``draw`` returns
(or the message of a ``ValueError`` raised by ``compute``) in a banner on the figure,
captures warnings so none is printed, and keeps ``renders`` (a count),
``last_frame``, ``last_message``, ``last_error`` and ``last_warnings`` for tests.
``explorer.set(lr=0.5)`` changes controls from code and redraws at once.

Accessibility, for every explorer at once: the figure has an accessible name (the class attribute
``figure_name``, by default the first line of the class's docstring) and is described by the caption,
a polite live region, so a screen reader hears each new description; every control gets a name (its
``description``, or its key in ``make_controls``) and every slider tells the value the reader set, as
its readout shows it ("0.002", "0.9"), never a log exponent or a float's last digits
(:func:`value_text`). The words are made here in Python; a small anywidget module
(``explorer_a11y.js``, beside this file) puts them on the page. Each control's widget carries the CSS
class ``downhill-control-<key>``; ``explorer.a11y`` is that helper widget (None without anywidget).

Nothing happens on import: no figure is created, no style is set.
"""

from __future__ import annotations

import asyncio
import contextlib
import io
import logging
import re
import time
import warnings
from pathlib import Path

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from helpers import validation as check

__all__ = ["Explorer", "Coalescer", "BlitCanvas", "value_text", "control_class"]

_log = logging.getLogger(__name__)
_log.addHandler(logging.NullHandler())  # a bug is shown on the figure, never printed in the notebook


class Coalescer:
    """Turn a burst of requests into few calls of ``callback``, the last one always made.

    ``request()`` marks the picture stale. If an asyncio event loop is running (as in a
    Jupyter kernel) the call is scheduled with ``loop.call_later``: immediately if the
    previous call ended at least ``min_interval`` seconds ago, otherwise when that much
    time has passed. Requests that arrive while a call is scheduled are merged into it,
    and since ``callback`` reads the current slider values when it runs, the trailing
    call shows the final values. Without a running loop (a plain script, a unit test)
    ``callback`` runs at once.
    """

    def __init__(self, callback, min_interval=1 / 60, clock=time.perf_counter):
        self.callback = check.callable_("callback", callback)
        self.min_interval = check.finite_number("min_interval", min_interval, minimum=0)
        self.clock = clock
        self.requests = 0
        self.calls = 0
        self._stale = False
        self._handle = None
        self._last_end = -np.inf

    @property
    def scheduled(self):
        """True while a call is waiting on the event loop."""
        return self._handle is not None

    def request(self):
        """Ask for a call; cheap, safe to make hundreds of times a second."""
        self.requests += 1
        self._stale = True
        if self._handle is not None:
            return
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            loop = None
        if loop is None:
            self._fire()
            return
        delay = max(0.0, self._last_end + self.min_interval - self.clock())
        self._handle = loop.call_later(delay, self._fire)

    def flush(self):
        """Make the pending call now (if any), cancelling the scheduled one."""
        if self._handle is not None:
            self._handle.cancel()
        self._fire()

    def _fire(self):
        self._handle = None
        if not self._stale:
            return
        self._stale = False
        self.calls += 1
        try:
            self.callback()
        finally:
            self._last_end = self.clock()


class BlitCanvas:
    """A persistent Agg figure whose moving artists are drawn over cached background pixels.

    ``capture()`` draws the whole figure (moving artists are skipped because they are
    ``animated``) and keeps its pixels; ``frame(artists)`` restores those pixels, draws
    only ``artists`` on top and returns the RGBA buffer; ``encode(...)`` turns it into
    JPEG or PNG bytes.
    """

    def __init__(self, figsize=(10.0, 4.5), dpi=90, layout=None):
        self.figure = Figure(figsize=figsize, dpi=dpi, layout=layout)
        self.canvas = FigureCanvasAgg(self.figure)
        self._background = None

    @property
    def size(self):
        """(width, height) in pixels."""
        return self.canvas.get_width_height()

    def capture(self):
        """Redraw the background (everything not animated) and cache its pixels."""
        self.canvas.draw()
        self._background = self.canvas.copy_from_bbox(self.figure.bbox)

    def frame(self, artists):
        """Background plus ``artists``; returns the RGBA pixels, shape (height, width, 4)."""
        if self._background is None:
            self.capture()
        self.canvas.restore_region(self._background)
        renderer = self.canvas.get_renderer()
        for artist in artists:
            artist.draw(renderer)
        return np.asarray(self.canvas.buffer_rgba())

    @staticmethod
    def encode(pixels, image_format="jpeg", jpeg_quality=90):
        """RGBA pixels -> image bytes. JPEG takes ~2 ms for a 1000 x 400 frame, PNG ~10 ms."""
        from PIL import Image  # Pillow is a dependency of matplotlib

        out = io.BytesIO()
        height, width = pixels.shape[:2]
        image = Image.frombuffer("RGBA", (width, height), np.ascontiguousarray(pixels), "raw", "RGBA", 0, 1)
        if image_format == "jpeg":
            # 4:4:4 chroma keeps thin coloured lines crisp; RGBA -> RGB in C is faster than in NumPy
            image.convert("RGB").save(out, "JPEG", quality=jpeg_quality, subsampling=0)
        elif image_format == "png":
            image.save(out, "PNG", compress_level=1)
        else:
            raise ValueError(f"image_format must be 'jpeg' or 'png', got image_format={image_format!r}")
        return out.getvalue()


def _control_value(name, control, value):
    """Refuse a keyword value that a control cannot hold, before anything is computed: a menu takes
    one of its options, a check box True or False, a slider a number in its range."""
    options = getattr(control, "_options_values", None)
    if options is None and getattr(control, "options", None) is not None:
        options = [o[1] if isinstance(o, tuple) else o for o in control.options]
    if options is not None:
        return check.choice(name, value, options)
    if isinstance(control.value, bool):
        return check.boolean(name, value)
    if hasattr(control, "min") and hasattr(control, "max"):
        lo, hi = control.min, control.max
        if hasattr(control, "base"):   # FloatLogSlider: min and max are exponents
            lo, hi = control.base ** lo, control.base ** hi
        if isinstance(control.value, int):
            return check.integer(name, value, minimum=lo, maximum=hi)
        return check.finite_number(name, value, minimum=lo, maximum=hi,
                                   what=f"a finite number between {lo:g} and {hi:g}")
    return value


def control_class(name):
    """The CSS class an explorer puts on the control named ``name``: "downhill-control-<name>"."""
    return "downhill-control-" + re.sub(r"[^A-Za-z0-9_-]+", "-", str(name)).strip("-")


def _plain_number(value, fmt):
    text = format(value, fmt)
    if fmt.endswith("f") and "." in text:       # "0.90" -> "0.9", "2.00" -> "2"
        text = text.rstrip("0").rstrip(".")
    return text.replace("-", "\u2212") if text.startswith("-") else text


def value_text(control):
    """What a screen reader should hear for ``control``'s value: the value the reader set, written as
    its readout writes it ("0.002" on a log slider, "0.9", "warmup then cosine"), or None for a control
    that says its value itself (a check box, a text field)."""
    options = getattr(control, "options", None)
    if options is not None and hasattr(control, "label"):
        return None if control.label is None else str(control.label)
    value = getattr(control, "value", None)
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    if isinstance(value, int):
        return str(value).replace("-", "\u2212")
    fmt = getattr(control, "readout_format", None) or ".4g"   # Python's g drops trailing zeros, d3's keeps
    try:                                                      # them (explorer_a11y.js mends the readout)
        return _plain_number(float(value), fmt)
    except ValueError:
        return _plain_number(float(value), ".4g")


def _control_name(name, control):
    description = getattr(control, "description", "") or ""
    return re.sub(r"<[^>]+>", "", description).strip() or str(name).replace("_", " ")


@contextlib.contextmanager
def quiet_anywidget():
    """Around making an anywidget: anywidget 0.9 on ipywidgets 8.1.0 trips traitlets' "Deprecated in
    traitlets 4.1" warning inside ipywidgets' add_traits; nothing here uses the deprecated call (the
    version matrix's oldest leg). Only that warning is silenced."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="Deprecated in traitlets 4.1", category=DeprecationWarning)
        yield


def _a11y_widget():
    """The anywidget class that puts names and descriptions on the page (None without anywidget)."""
    global _A11Y_CLASS
    if _A11Y_CLASS is None:
        try:
            import anywidget
            import traitlets
        except ImportError:   # optional at run time: the explorer works, only unnamed
            return None

        class ExplorerA11y(anywidget.AnyWidget):
            _esm = Path(__file__).with_name("explorer_a11y.js")
            names = traitlets.Dict().tag(sync=True)        # CSS class -> accessible name
            values = traitlets.Dict().tag(sync=True)       # CSS class -> value text for sliders
            figure_name = traitlets.Unicode("").tag(sync=True)

        _A11Y_CLASS = ExplorerA11y
    return _A11Y_CLASS


_A11Y_CLASS = None


class Explorer:
    """Base class of every explorer: controls -> pure ``compute`` -> ``draw`` on a persistent figure.

    See the module docstring for a complete example. Subclasses define ``make_controls``,
    ``setup``, ``compute``, ``draw`` and ``describe``; ``static_key``/``update_static``
    and ``layout`` are optional.
    """

    figsize = (10.0, 4.5)
    dpi = 90
    figure_layout = None  # matplotlib layout engine ("constrained", "none", ...); None: rcParams
    min_interval = 1 / 60
    image_format = "jpeg"
    jpeg_quality = 90
    banner_position = (0.5, 0.985)  # figure coordinates of the message banner (top centre)
    figure_name = None  # the figure's accessible name; None: the first line of the class docstring

    def __init__(self, **initial):
        import ipywidgets as W

        self.renders = 0
        self.last_frame = None
        self.last_message = None
        self.last_error = None
        self.last_warnings = []
        self.last_render_seconds = None
        self._animated = []
        self._static_key = object()  # matches nothing, so the first render captures
        self.limits = None

        self.controls = self.make_controls()
        for control in self.controls.values():       # labels in full ("learning rate", not "learning r...")
            style = getattr(control, "style", None)
            if style is not None and hasattr(style, "description_width"):
                style.description_width = "initial"
        for name, value in initial.items():
            if name not in self.controls:
                raise ValueError(f"unknown control {name!r}; controls are {sorted(self.controls)}")
            self.controls[name].value = _control_value(name, self.controls[name], value)

        browser = self.browser_figure()
        if browser is None:   # the figure is matplotlib's, sent as JPEG frames
            self.blit = BlitCanvas(self.figsize, self.dpi, self.figure_layout)
            self.figure = self.blit.figure
            self.setup(self.figure)
            self._keep_banner_strip()
            self._banner = self.figure.text(
                *self.banner_position, "", ha="center", va="top", fontsize="large", color="black",
                bbox=dict(boxstyle="round,pad=0.4", facecolor="#fff3c4", edgecolor="#d55e00", linewidth=1.5),
                animated=True, visible=False, zorder=10,
            )
            width, _ = self.blit.size
            max_width = f"{width}px"
            self.image = W.Image(
                format=self.image_format,
                layout=W.Layout(width="100%", max_width=max_width, height="auto"),
            )
        else:                 # a widget that draws in the browser from what ``present`` sends it
            self.blit = self.figure = self._banner = None
            max_width = "100%"
            self.image = browser
        self.caption = W.HTML(layout=W.Layout(width="100%", max_width=max_width))
        self.caption.add_class("downhill-explorer-caption")
        self.image.add_class("downhill-explorer-figure")
        for name, control in self.controls.items():
            if hasattr(control, "add_class"):
                control.add_class(control_class(name))
        a11y = _a11y_widget()
        with quiet_anywidget():
            self.a11y = None if a11y is None else a11y(
                names={control_class(k): _control_name(k, c) for k, c in self.controls.items()},
                figure_name=self.accessible_name(), layout=W.Layout(display="none"))
        self.widget = W.VBox(
            [self.caption, self.image, self.layout(self.controls)] + ([self.a11y] if self.a11y else []),
            layout=W.Layout(width="100%"),
        )
        self.widget.add_class("downhill-explorer")

        self._coalescer = Coalescer(self.render, self.min_interval)
        for control in self.controls.values():
            control.observe(self._on_change, names="value")
        self.connect()
        self.render()

    def accessible_name(self):
        """The figure's accessible name: ``figure_name``, else the first line of the class docstring."""
        if self.figure_name:
            return str(self.figure_name)
        doc = (type(self).__doc__ or "").strip().splitlines()
        return doc[0].strip().rstrip(".") if doc else type(self).__name__

    def value_texts(self):
        """{CSS class of a control: what a screen reader hears as its value} (see :func:`value_text`)."""
        texts = {}
        for name, control in self.controls.items():
            text = value_text(control)
            if text is not None:
                texts[control_class(name)] = text
        return texts

    def _keep_banner_strip(self):
        """Under constrained layout, keep a strip above the panels free for the banner (an invisible
        figure title holds it), so "diverged at step 37" never covers a panel's title."""
        from matplotlib.layout_engine import ConstrainedLayoutEngine

        if isinstance(self.figure.get_layout_engine(), ConstrainedLayoutEngine) and self.figure._suptitle is None:
            self.figure.suptitle("\u2007", fontsize="x-large")

    # ---- hooks for subclasses -------------------------------------------------------------

    def make_controls(self):
        """Return {name: value widget}; ``settings[name]`` is that widget's value."""
        return {}

    def setup(self, fig):
        """Create axes, static artists, and moving artists (wrap those in ``self.animate``)."""

    def compute(self, settings):
        """Pure function of ``settings`` -> frame. Raise ValueError to explain bad settings."""
        return settings

    def draw(self, frame):
        """Update the moving artists from ``frame``; return a message for the banner, or None."""
        return None

    def describe(self, settings, frame):
        """One plain sentence (HTML allowed) saying what the figure shows."""
        return ""

    def static_key(self, settings):
        """Hashable summary of the settings the background depends on (None: never changes)."""
        return None

    def update_static(self, settings):
        """Redraw background artists after ``static_key`` changed (new surface, new limits)."""

    def view_limits(self, frame):
        """Hashable axis limits the background takes from the frame itself (for instance a log axis
        fitted to the data, snapped to whole decades so that most frames keep the same background),
        kept in ``self.limits`` for ``update_static``; None (the default): the limits are fixed."""
        return None

    def browser_figure(self):
        """None (the default): the figure is matplotlib's, drawn in the kernel and sent as JPEG frames.
        Otherwise a widget that draws the figure in the browser; then ``setup``, ``draw``,
        ``static_key`` and ``update_static`` are not used, and ``present`` sends each frame's data."""
        return None

    def present(self, settings, frame, message):
        """With a browser figure: send what ``frame`` needs (``frame`` is None when ``compute`` refused
        the settings, ``message`` says why); return the message shown on the figure, or None."""
        raise NotImplementedError("an explorer with a browser_figure defines present()")

    def banner(self, kind, detail):
        """The words on the figure when ``compute`` refused the settings (``kind`` "refused") or a bug
        broke a frame ("bug"); ``detail`` is the error's own message. An explorer in another language
        overrides this (the playground's come from its table of five languages)."""
        return {"refused": "Can't draw this: ", "bug": "Something went wrong: "}[kind] + detail

    def present_error(self, message):
        """With a browser figure: show ``message`` (a bug's) on the figure instead of the data."""

    def connect(self):
        """Called once when ``self.image`` and ``self.widget`` exist, before the first frame
        (e.g. to listen to clicks on the image with the optional ipyevents package)."""

    def layout(self, controls):
        """Arrange the control widgets; default: a wrapped row."""
        import ipywidgets as W

        return W.Box(list(controls.values()), layout=W.Layout(flex_flow="row wrap", width="100%"))

    # ---- machinery ------------------------------------------------------------------------

    def moving_artists(self):
        """The artists drawn over the background each frame, in order (default: those animated)."""
        return self._animated

    def animate(self, artist):
        """Register ``artist`` as a moving part (drawn every frame, not in the background)."""
        artist.set_animated(True)
        self._animated.append(artist)
        return artist

    def settings(self):
        """Current control values as a plain dict."""
        return {name: control.value for name, control in self.controls.items()}

    def set(self, **values):
        """Change controls from code and redraw once, at once (for notebooks and tests)."""
        with self.hold(request=False):
            for name, value in values.items():
                self.controls[name].value = value
        self.render()

    def hold(self, request=True):
        """Context manager: change several controls, then ask for one redraw (nests safely)."""
        explorer = self

        class _Hold:
            def __enter__(self):
                explorer._hold_depth += 1

            def __exit__(self, *exc):
                explorer._hold_depth -= 1
                if explorer._hold_depth == 0 and explorer._dirty:
                    explorer._dirty = False
                    if request and getattr(explorer, "_coalescer", None) is not None:
                        explorer._coalescer.request()

        return _Hold()

    _hold_depth = 0
    _dirty = False

    def _on_change(self, change):
        if self._hold_depth:
            self._dirty = True
        else:
            self._coalescer.request()

    def frame_for(self, settings):
        """compute(settings), with warnings caught: returns (frame, message, caught warnings)."""
        with warnings.catch_warnings(record=True) as caught, np.errstate(all="ignore"):
            warnings.simplefilter("always")
            try:
                frame, message = self.compute(settings), None
            except ValueError as err:
                frame, message = None, self.banner("refused", str(err))
        return frame, message, list(caught)

    def render(self):
        """Compute and show one frame for the current control values (never raises)."""
        start = time.perf_counter()
        settings = self.settings()
        with warnings.catch_warnings(record=True) as caught, np.errstate(all="ignore"):
            warnings.simplefilter("always")
            frame, message, caught_in_compute = self.frame_for(settings)
            try:
                if self.blit is None:
                    message = self.present(settings, frame, message)
                else:
                    message = self._blit_frame(settings, frame, message)
                text = self.describe(settings, frame) if frame is not None else (message or "")
                self.last_error = None
            except Exception as err:  # a bug: explain it on the figure, keep the kernel quiet
                _log.exception("explorer render failed")
                self.last_error = err
                message, text = self.banner("bug", f"{type(err).__name__}: {err}"), ""
                if self.blit is None:
                    self.present_error(message)
                else:
                    self._show_pixels(None, message)
            self.caption.value = text
            if self.a11y is not None:
                self.a11y.values = self.value_texts()
        self.last_frame, self.last_message = frame, message
        self.last_warnings = caught_in_compute + list(caught)
        self.renders += 1
        self.last_render_seconds = time.perf_counter() - start

    def _blit_frame(self, settings, frame, message):
        if frame is not None:
            self.limits = self.view_limits(frame)
        key = (self.static_key(settings), self.limits)
        if key != self._static_key:
            self.update_static(settings)
            self.blit.capture()
            self._static_key = key
        if frame is not None:
            message = self.draw(frame)
        self._show_pixels(frame, message)
        return message

    def _show_pixels(self, frame, message):
        self._banner.set_text(message or "")
        self._banner.set_visible(bool(message))
        artists = (list(self.moving_artists()) if frame is not None else []) + [self._banner]
        pixels = self.blit.frame(artists)
        self.image.value = self.blit.encode(pixels, self.image_format, self.jpeg_quality)

    def _repr_mimebundle_(self, **kwargs):
        return self.widget._repr_mimebundle_(**kwargs)
