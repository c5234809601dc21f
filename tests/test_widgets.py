"""The explorer machinery (helpers.display.widgets) and the playground (helpers.lessons.playground).

The pure frame function is tested directly; the widget is driven by setting control values,
as a slider would, without a browser (tests/browser/ drives a real one).
"""

import asyncio
import warnings

import matplotlib

matplotlib.use("Agg")

import ipywidgets as W  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from helpers.lessons import playground as pg  # noqa: E402
from helpers.descent import run  # noqa: E402
from helpers.optim import SGD, Adam, AdamW  # noqa: E402
from helpers.surfaces import SURFACES  # noqa: E402
from helpers.display.widgets import Coalescer, Explorer  # noqa: E402


# ----------------------------------------------------------------------------- a tiny explorer

class Line(Explorer):
    figsize = (4.0, 3.0)
    dpi = 50

    def make_controls(self):
        return {"slope": W.FloatSlider(value=1.0, min=-3.0, max=3.0, step=0.01, description="slope")}

    def setup(self, fig):
        self.ax = fig.add_subplot()
        self.ax.set_xlim(0, 1)
        self.ax.set_ylim(-3, 3)
        self.line = self.animate(self.ax.plot([], [], lw=3)[0])

    def compute(self, settings):
        if settings["slope"] < -2:
            raise ValueError(f"slope must be >= -2, got slope={settings['slope']}")
        x = np.linspace(0, 1, 20)
        return x, settings["slope"] * x

    def draw(self, frame):
        self.line.set_data(*frame)
        return "steep" if frame[1][-1] > 2 else None

    def describe(self, settings, frame):
        return f"A line of slope {settings['slope']:.2f}."


def test_explorer_renders_in_place_on_one_persistent_figure():
    ex = Line()
    fig, image, first = ex.figure, ex.image, ex.image.value
    assert ex.renders == 1 and first[:2] == b"\xff\xd8"  # a JPEG
    ex.controls["slope"].value = -1.0
    assert ex.figure is fig and ex.image is image
    assert ex.renders == 2 and ex.image.value != first
    assert ex.caption.value == "A line of slope -1.00."
    np.testing.assert_allclose(ex.line.get_ydata()[-1], -1.0)


def test_explorer_explains_bad_settings_and_messages_on_the_figure():
    ex = Line()
    ex.set(slope=2.5)
    assert ex.last_message == "steep"
    ex.set(slope=-2.5)
    assert ex.last_frame is None and "slope must be >= -2" in ex.last_message
    assert ex.last_error is None and ex.last_warnings == []
    ex.set(slope=0.5)
    assert ex.last_message is None and ex.last_frame is not None


def test_explorer_catches_a_broken_draw_without_raising():
    class Broken(Line):
        def draw(self, frame):
            raise KeyError("oops")

    ex = Broken()
    assert isinstance(ex.last_error, KeyError)
    assert ex.last_message.startswith("Something went wrong: KeyError")


def test_coalescer_without_event_loop_calls_at_once():
    calls = []
    c = Coalescer(lambda: calls.append(1))
    for _ in range(5):
        c.request()
    assert len(calls) == 5


def test_a_burst_of_slider_changes_gives_few_renders_and_the_last_shows_the_final_value():
    async def drag():
        ex = Line()
        before = ex.renders
        values = np.linspace(-1.5, 1.5, 300)
        for v in values:  # a drag: 300 value changes in one go, as the kernel receives them
            ex.controls["slope"].value = float(v)
        during = ex.renders - before
        await asyncio.sleep(0.2)
        return ex, during, ex.renders - before

    ex, during, after = asyncio.run(drag())
    assert during == 0  # nothing rendered synchronously inside the observers
    assert after == 1  # one trailing render for the whole burst
    np.testing.assert_allclose(ex.line.get_ydata()[-1], 1.5)
    assert ex.caption.value == "A line of slope 1.50."


def test_coalescer_spaces_calls_by_min_interval_and_keeps_the_trailing_one():
    # counted, not timed: 150 requests 2 ms apart (longer on a busy machine); the calls are compared
    # with the time the stream really took, so load cannot make the test fail
    async def stream():
        calls = []
        c = Coalescer(lambda: calls.append(asyncio.get_running_loop().time()), min_interval=0.05)
        loop = asyncio.get_running_loop()
        start = loop.time()
        for _ in range(150):
            c.request()
            await asyncio.sleep(0.002)
        elapsed = loop.time() - start
        await asyncio.sleep(0.1)
        return calls, c, elapsed

    calls, c, elapsed = asyncio.run(stream())
    assert c.requests == 150
    assert 2 <= len(calls) <= elapsed / 0.045 + 2          # about one per 0.05 s, far fewer than requests
    assert len(calls) < 150 / 4
    assert np.all(np.diff(calls) >= 0.045)
    assert calls[-1] >= calls[0] and not c.scheduled         # the trailing request was served


def test_coalescer_validates_min_interval():
    with pytest.raises(ValueError, match="min_interval"):
        Coalescer(lambda: None, min_interval=-1)


# ----------------------------------------------------------------------------- the pure frame

def test_default_frame_runs_four_optimizers_for_200_steps_on_rosenbrock():
    f = pg.playground_frame()
    assert [w.label for w in f.walks] == list(pg.OPTIMIZERS)
    assert f.settings.surface == "rosenbrock" and f.show_step == 200
    assert f.lrs.shape == (200,)
    for w in f.walks:
        assert w.xs.shape == (201, 2) and w.gaps.shape == (201,) and w.diverged_at is None
    np.testing.assert_allclose(f.walks[0].xs[0], SURFACES["rosenbrock"].default_start)


def test_frame_matches_separate_runs_of_each_optimizer():
    s = pg.PlaygroundSettings(surface="himmelblau", lr_mode="shared", lr=0.01, schedule="cosine", steps=60,
                              momentum=0.8, beta1=0.85, beta2=0.99, weight_decay=0.05)
    f = pg.playground_frame(s)
    surface, x0 = SURFACES["himmelblau"], SURFACES["himmelblau"].default_start
    lr = lambda t: pg.learning_rates("cosine", 0.01, 0, 60)[t]  # noqa: E731
    expected = {
        "SGD": SGD(lr), "SGD + momentum": SGD(lr, momentum=0.8),
        "Adam": Adam(lr, betas=(0.85, 0.99)), "AdamW": AdamW(lr, betas=(0.85, 0.99), weight_decay=0.05),
    }
    for w in f.walks:
        ref = run(surface, expected[w.label], x0, 60)
        np.testing.assert_allclose(w.xs, ref.xs, rtol=1e-12, atol=1e-12)
        np.testing.assert_allclose(w.gaps, np.clip(ref.losses, pg.LOSS_FLOOR, None), rtol=1e-12)


def test_schedules_in_the_frame_follow_helpers_schedules():
    lrs = pg.learning_rates("warmup_cosine", 0.1, 10, 100)
    np.testing.assert_allclose(lrs[0], 0.1 / 10)
    np.testing.assert_allclose(lrs[9], 0.1)
    assert lrs[-1] < 1e-3 and np.all(np.diff(lrs[10:]) <= 0)
    step = pg.learning_rates("step", 0.1, 0, 90)
    np.testing.assert_allclose(step[[0, 29, 30, 60]], [0.1, 0.1, 0.01, 0.001])
    np.testing.assert_allclose(pg.learning_rates("constant", 0.3, 5, 7), 0.3)


def test_divergence_is_reported_with_its_step_not_raised():
    f = pg.playground_frame(lr_mode="shared", lr=0.5, schedule="constant", optimizers=("SGD",))
    (walk,) = f.walks
    assert walk.diverged_at is not None and walk.diverged_at >= 1
    assert len(walk.xs) == walk.diverged_at and np.all(np.isfinite(walk.xs))
    assert f.messages == (f"SGD diverged at step {walk.diverged_at}",)


def test_impossible_combinations_raise_valueerror_naming_the_setting():
    with pytest.raises(ValueError, match="warmup"):
        pg.playground_frame(warmup=150, steps=100)
    with pytest.raises(ValueError, match="surface"):
        pg.playground_frame(surface="volcano")
    with pytest.raises(ValueError, match="lr"):
        pg.playground_frame(lr=float("nan"))
    with pytest.raises(ValueError, match="optimizers"):
        pg.playground_frame(optimizers=("RMSprop",))


def test_show_step_marks_a_point_without_rerunning():
    full = pg.playground_frame()
    part = pg.playground_frame(show_step=50)
    assert part.show_step == 50
    assert np.shares_memory(part.walks[0].xs, full.walks[0].xs)  # the cached run, not a new one
    np.testing.assert_allclose(part.positions()[0], full.walks[0].xs[50])
    assert pg.playground_frame(show_step=10_000).show_step == 200


@pytest.mark.parametrize("surface", sorted(SURFACES))
@pytest.mark.parametrize("renderer", pg.Playground.RENDERERS)
def test_every_surface_and_extreme_slider_positions_stay_quiet(surface, renderer):
    ex = pg.Playground(surface=surface, renderer=renderer)
    c = ex.controls
    corners = [
        dict(lr=c["lr"].max, schedule="constant", momentum=0.99, beta1=0.0, beta2=0.9),
        dict(lr=c["lr"].min, schedule="step", steps=10, show_step=0),
        dict(lr=c["lr"].max, schedule="warmup_cosine", warmup=150, steps=10),  # explained, not raised
        dict(lr=0.01, schedule="cosine", fog=True, x=c["x"].max, y=c["y"].min, weight_decay=0.5),
    ]
    for corner in corners:
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            ex.set(**corner)
        assert ex.last_error is None, ex.last_error
        assert ex.last_warnings == []
        if renderer == "jpeg":
            assert ex.image.value[:2] == b"\xff\xd8"
        else:   # the canvas has data for these settings, or says on the figure why there is none
            assert ex.image.error == ("" if ex.last_frame is not None else ex.last_message)
            if ex.last_frame is not None:
                meta = ex.image.meta
                assert meta["steps"] == ex.last_frame.settings.steps and ex.image.info["surface"] == surface
                assert len(ex.image.gaps) == 4 * len(meta["labels"]) * len(meta["peaks"]) * (meta["steps"] + 1)


@pytest.mark.parametrize("renderer", pg.Playground.RENDERERS)
def test_playground_widget_changes_the_image_for_lr_and_warmup_and_shows_divergence(renderer):
    ex = pg.Playground(lr_mode="shared", renderer=renderer)
    sent = (lambda: ex.image.value) if renderer == "jpeg" else (lambda: ex.image.paths)
    first = sent()
    ex.controls["lr"].value = float(pg.LR_POSITIONS[9])   # two key presses up from 0.002
    if renderer == "jpeg":
        assert sent() != first
    else:   # every slider rate is in the browser already: nothing new is sent
        assert sent() is first
    second = sent()
    ex.controls["warmup"].value += 1
    assert sent() != second
    ex.set(lr=0.05)
    assert "diverged at step" in ex.last_message and "diverged at step" in ex.caption.value
    ex.set(warmup=150, steps=100)
    assert "warmup" in ex.last_message and ex.last_frame is None


def test_surface_change_resets_the_start_sliders_to_the_new_surface():
    ex = pg.Playground()
    ex.controls["surface"].value = "himmelblau"
    s = SURFACES["himmelblau"]
    assert (ex.controls["x"].min, ex.controls["x"].max) == s.bounds[0]
    np.testing.assert_allclose([ex.controls["x"].value, ex.controls["y"].value], s.default_start)
    np.testing.assert_allclose(ex.last_frame.start, s.default_start)


def test_steps_change_keeps_show_step_at_the_end():
    ex = pg.Playground()
    ex.controls["steps"].value = 300
    assert ex.controls["show_step"].max == 300 and ex.controls["show_step"].value == 300
    assert ex.last_frame.show_step == 300


def test_static_picture_uses_the_same_frame():
    import matplotlib.pyplot as plt

    fig = pg.draw_playground()
    try:
        assert len(fig.axes) == 3
        ax = fig.axes[0]
        assert ax.get_aspect() == 1.0 and ax.get_xlabel()
        paths = [line for line in ax.get_lines() if line.get_label() in pg.OPTIMIZERS]
        frame = pg.playground_frame()
        for line, walk in zip(paths, frame.walks):
            np.testing.assert_allclose(line.get_xydata(), walk.xs)
    finally:
        plt.close(fig)


def test_every_explorer_label_is_shown_in_full_and_the_banner_keeps_off_the_panels():
    from test_explorer_extremes import EXPLORERS, build
    from matplotlib.layout_engine import ConstrainedLayoutEngine

    for cls in EXPLORERS:
        ex = build(cls)
        for name, control in ex.controls.items():
            if hasattr(getattr(control, "style", None), "description_width"):
                assert control.style.description_width == "initial", (cls.__name__, name)
        if ex.figure is not None and isinstance(ex.figure.get_layout_engine(), ConstrainedLayoutEngine):
            ex.figure.canvas.draw()
            renderer = ex.figure.canvas.get_renderer()
            strip = ex.figure._suptitle.get_window_extent(renderer)
            for ax in ex.figure.axes:
                title = ax.title.get_window_extent(renderer)
                if ax.get_visible() and ax.title.get_text():
                    assert title.y1 <= strip.y0 + 2, (cls.__name__, ax.title.get_text())
