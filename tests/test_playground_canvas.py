"""The playground's browser figure: what Python sends is what the frames say, within the sizes promised.

The drawing itself is tested in Chromium (tests/browser/test_playground_canvas_browser.py); here the
data: every column of canvas_data is the run playground_frame makes for that rate, scene() chooses the
columns as the canvas does, a recompute sends at most 1 MB at the defaults and 4 MB at the largest
settings, and the widget sends nothing new while only the rate, step, mode or fog moves.
"""

import re

import numpy as np
import pytest

from helpers.lessons import playground as pg
from helpers.lessons import playground_canvas as pc
from helpers.surfaces import SURFACES

MB = 1024 * 1024


def _close(sent, exact):
    np.testing.assert_allclose(sent, np.asarray(exact, dtype=np.float32), rtol=1e-6, atol=1e-6)


@pytest.mark.parametrize("settings", [
    pg.PlaygroundSettings(),
    pg.PlaygroundSettings(surface="himmelblau", steps=60, schedule="constant", optimizers=("SGD", "AdamW")),
    pg.PlaygroundSettings(surface="saddle", steps=40, momentum=0.99, weight_decay=0.3, start=(1.0, 1.0)),
])
def test_each_tuned_column_is_the_walk_the_frame_shows(settings):
    data = pc.canvas_data(settings)
    frame = pg.playground_frame(settings)
    assert data["labels"] == [w.label for w in frame.walks]
    for i, walk in enumerate(frame.walks):
        k = data["tuned"][i]
        assert data["peaks"][k] == walk.lr
        assert data["legend"][i] == walk.lr_label
        n = int(data["lengths"][i, k])
        assert n == len(walk.xs)
        _close(data["paths"][i, k, :n], walk.xs)
        _close(data["gaps"][i, k, :n], walk.gaps)
        assert np.isnan(data["paths"][i, k, n:]).all()
        assert (None if data["diverged"][i, k] < 0 else int(data["diverged"][i, k])) == walk.diverged_at
    np.testing.assert_array_equal(data["unit"], frame.unit)


@pytest.mark.parametrize("column", [0, 13, 30, 47, 60])
def test_each_shared_column_is_the_shared_run_at_that_rate(column):
    lr = float(pg.LR_POSITIONS[column])
    data = pc.canvas_data(steps=80)
    for t in (0, 17, 80):
        frame = pg.playground_frame(steps=80, lr_mode="shared", lr=lr, show_step=t)
        drawn = pc.scene(data, lr, "shared", t)
        for walk in frame.walks:
            got = drawn[walk.label]
            assert got["column"] == column and got["lr"] == lr and got["diverged_at"] == walk.diverged_at
            assert got["drawn"] == min(t, len(walk.xs) - 1) + 1
            _close(got["last"], walk.xs[min(t, len(walk.xs) - 1)])


def test_a_shared_rate_between_the_stops_gets_its_own_column():
    data = pc.canvas_data(lr_mode="shared", lr=0.0035, steps=60)
    assert len(data["peaks"]) == len(pg.LR_POSITIONS) + 1 and data["peaks"][-1] == 0.0035
    frame = pg.playground_frame(lr_mode="shared", lr=0.0035, steps=60)
    drawn = pc.scene(data, 0.0035, "shared", 60)
    for walk in frame.walks:
        assert drawn[walk.label]["column"] == len(pg.LR_POSITIONS)
        _close(drawn[walk.label]["last"], walk.xs[-1])
    assert len(pc.canvas_data(lr_mode="shared", lr=float(pg.LR_POSITIONS[5]))["peaks"]) == len(pg.LR_POSITIONS)


def test_a_recompute_sends_at_most_1_mb_at_the_defaults_and_4_mb_at_the_largest():
    default = pc.payload_bytes(pc.canvas_data()) + len(pc.background("rosenbrock", 200)[1])
    assert default <= 1 * MB, default
    largest_png = max(len(pc.background(name, 500)[1]) for name in SURFACES)
    largest = pc.payload_bytes(pc.canvas_data(steps=500, lr_mode="shared", lr=0.0035)) + largest_png
    assert largest <= 4 * MB, largest
    # and the size is what the arrays say: 4 optimizers x 61 rates x 201 positions x (x, y, gap) in float32
    assert pc.payload_bytes(pc.canvas_data()) == 4 * 61 * 201 * 3 * 4 + 2 * 4 * 61 * 4 + 200 * 8


def test_the_widget_sends_nothing_new_while_only_the_rate_step_mode_or_fog_move():
    ex = pg.Playground()
    cv = ex.image
    sent = (cv.paths, cv.meta, cv.contour_png)
    for change in (dict(lr=float(pg.LR_POSITIONS[20])), dict(show_step=40), dict(lr_mode="tuned"),
                   dict(fog=True), dict(lr=float(pg.LR_POSITIONS[50]), show_step=7)):
        ex.set(**change)
        assert (cv.paths, cv.meta, cv.contour_png) == sent and all(a is b for a, b in zip(
            (cv.paths, cv.meta, cv.contour_png), sent)), change
        assert ex.last_error is None and ex.last_frame.settings.show_step == ex.controls["show_step"].value
    ex.set(momentum=0.5)
    assert cv.paths is not sent[0] and cv.contour_png is sent[2]
    ex.set(surface="bumpy")
    assert cv.contour_png is not sent[2] and cv.info["surface"] == "bumpy"
    assert ex.last_payload_bytes == pc.payload_bytes(pc.canvas_data(ex.last_frame.settings)) + len(cv.contour_png)


def test_a_setting_that_cannot_run_is_said_on_the_canvas_and_cleared_after():
    ex = pg.Playground()
    ex.set(warmup=150, steps=100)
    assert ex.last_frame is None and "warmup" in ex.image.error and ex.image.error == ex.last_message
    ex.set(warmup=20)
    assert ex.image.error == "" and ex.last_frame is not None


def test_a_click_on_the_contour_moves_the_start_and_one_outside_the_bounds_does_not():
    ex = pg.Playground()
    ex.image.click = [0.5, -0.25, 1]
    assert (ex.controls["x"].value, ex.controls["y"].value) == (0.5, -0.25)
    np.testing.assert_allclose(ex.last_frame.start, (0.5, -0.25))
    assert ex.image.meta["start"] == [0.5, -0.25]
    ex.image.click = [9.0, 0.0, 2]
    assert (ex.controls["x"].value, ex.controls["y"].value) == (0.5, -0.25)


def test_the_sliders_reach_the_canvas_in_the_browser_by_links():
    ex = pg.Playground()
    links = {(l.source[0], l.source[1], l.target[1]) for l in ex._links}
    c = ex.controls
    assert links == {(c["lr"], "value", "lr"), (c["show_step"], "value", "show_step"), (c["fog"], "value", "fog"),
                     (c["lr_mode"], "index", "lr_mode_index"), (c["large"], "value", "large")}
    from ipywidgets.widgets.widget_link import DirectionalLink

    directional = {l.source[0] for l in ex._links if isinstance(l, DirectionalLink)}
    assert directional == {c["lr"], c["show_step"], c["fog"], c["lr_mode"]}   # "larger text" goes both ways
    assert ex.image.info["modes"] == [v for _, v in c["lr_mode"].options]


@pytest.mark.parametrize("name", sorted(SURFACES))
def test_every_surface_formula_becomes_plain_text_and_its_ticks_lie_in_its_bounds(name):
    info, png = pc.background(name, 200)
    assert info["title"].startswith("f(x, y) = ") and not re.search(r"[\\{}$^]", info["title"]), info["title"]
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    (x0, x1), (y0, y1) = SURFACES[name].bounds
    assert 3 <= len(info["xticks"]) <= 7 and all(x0 <= v <= x1 for v, _ in info["xticks"])
    assert 3 <= len(info["yticks"]) <= 7 and all(y0 <= v <= y1 for v, _ in info["yticks"])
    lo, hi = info["loss_limits"]
    assert (lo, hi) == pg.loss_limits(name)
    assert all(lo <= v <= hi for v, _ in info["loss_ticks"]) and info["loss_ticks"][0][1] == "10⁻¹⁰"
    assert [v for v, _ in info["step_ticks"]][0] == 0 and info["step_ticks"][-1][0] <= 200


def test_formula_text_of_a_few_forms():
    assert pc.formula_text(r"$f(x, y) = \frac{1}{2}(x^2 + 10\,y^2)$") == "f(x, y) = ½(x² + 10\u2009y²)"
    assert pc.formula_text(r"$\frac{x^2 + y^2}{10} - x^{12}$") == "(x² + y²)/10 − x¹²"
    with pytest.raises(ValueError, match="title"):
        pc.formula_text(None)


@pytest.mark.parametrize("lang", ["en", "zh", "hi"])
def test_the_canvas_templates_keep_their_placeholders_in_each_language(lang):
    words = pc.background("rosenbrock", 50, lang)[0]["words"]
    assert "{label}" in words["diverged"] and "{step}" in words["diverged"]
    assert {"{t}", "{unit}"} <= set(re.findall(r"\{\w+\}", words["lr_tuned"]))
    assert {"{peak}", "{t}", "{rate}"} <= set(re.findall(r"\{\w+\}", words["lr_shared"]))
    assert set(words["names"]) == set(pg.OPTIMIZERS)


def test_scene_refuses_bad_input_naming_it():
    data = pc.canvas_data(steps=30)
    for kwargs, name in ((dict(lr=0.0), "lr"), (dict(lr_mode="best"), "lr_mode"), (dict(show_step=1.5), "show_step")):
        args = dict(lr=0.01, lr_mode="shared", show_step=3) | kwargs
        with pytest.raises((ValueError, TypeError), match=name):
            pc.scene(data, **args)
