"""Names and value texts for screen readers, made in Python for every explorer (helpers.display.widgets),
and the playground's surface change, driven without a browser (tests/browser/ drives a real one)."""

import matplotlib

matplotlib.use("Agg")

import ipywidgets as W  # noqa: E402
import pytest  # noqa: E402

from helpers.display.widgets import Explorer, control_class, value_text  # noqa: E402
from helpers.lessons.playground import Playground  # noqa: E402
from helpers.surfaces import SURFACES  # noqa: E402

from test_explorer_extremes import EXPLORERS, build  # noqa: E402  (tests/ is on sys.path)


def test_a_log_slider_tells_its_value_not_its_exponent():
    lr = W.FloatLogSlider(value=0.002, base=10, min=-4, max=0, step=0.05, readout_format=".2g")
    assert value_text(lr) == "0.002"
    lr.value = 10 ** -2.65
    assert value_text(lr) == "0.0022"


def test_a_slider_tells_the_value_set_not_a_floats_last_digits():
    momentum = W.FloatSlider(value=0.0, min=0.0, max=0.99, step=0.01)       # readout ".2f" by default
    momentum.value = 0.1 * 9 + 1e-16                                          # 0.9000000000000001
    assert repr(momentum.value) != "0.9" and value_text(momentum) == "0.9"
    assert value_text(W.FloatSlider(value=2.0)) == "2"
    assert value_text(W.FloatSlider(value=-1.25, min=-2)) == "\u22121.25"
    assert value_text(W.IntSlider(value=20)) == "20"


def test_menus_tell_their_label_and_check_boxes_speak_for_themselves():
    menu = W.Dropdown(options=[("warmup then cosine", "warmup_cosine"), ("cosine", "cosine")])
    assert value_text(menu) == "warmup then cosine"
    assert value_text(W.Checkbox(value=True)) is None


def test_control_classes_are_css_safe():
    assert control_class("SGD + momentum") == "downhill-control-SGD-momentum"
    assert control_class("lr") == "downhill-control-lr"


@pytest.mark.parametrize("cls", EXPLORERS, ids=lambda c: c.__name__)
def test_every_explorer_names_its_figure_and_every_control(cls):
    ex = build(cls)
    assert ex.a11y is not None and ex.a11y in ex.widget.children
    assert ex.a11y.figure_name and ex.a11y.figure_name == ex.accessible_name()
    assert set(ex.a11y.names) == {control_class(k) for k in ex.controls}
    assert all(name.strip() for name in ex.a11y.names.values())
    for key, control in ex.controls.items():
        assert control_class(key) in control._dom_classes
    assert "downhill-explorer-caption" in ex.caption._dom_classes


def test_value_texts_follow_the_sliders():
    ex = Playground()
    assert ex.a11y.values[control_class("lr")] == "0.002"
    assert ex.a11y.values[control_class("momentum")] == "0.9"
    ex.set(momentum=0.5, lr=10 ** -1.5)
    assert ex.a11y.values[control_class("momentum")] == "0.5"
    assert ex.a11y.values[control_class("lr")] == "0.032"


def test_the_playground_readouts_show_the_value_set():
    ex = Playground()
    for key in ("momentum", "beta1", "beta2", "weight_decay", "x", "y"):
        fmt = ex.controls[key].readout_format
        assert format(ex.controls[key].value, fmt) == value_text(ex.controls[key]).replace("\u2212", "-"), key


def test_an_explorer_without_a_docstring_is_named_after_its_class():
    class Bare(Explorer):
        figsize = (2.0, 2.0)
        dpi = 30

    Bare.__doc__ = None
    assert Bare().accessible_name() == "Bare"


def test_a_new_surface_moves_the_start_to_its_default_for_every_pair():
    ex = Playground()
    for first in SURFACES:
        for second in SURFACES:
            if first == second:
                continue
            ex.set(surface=first)
            ex.set(surface=second)
            x, y = SURFACES[second].default_start
            assert (ex.controls["x"].value, ex.controls["y"].value) == (float(x), float(y)), (first, second)
            (x0, x1), (y0, y1) = SURFACES[second].bounds
            assert (ex.controls["x"].min, ex.controls["x"].max) == (x0, x1), (first, second)
            assert (ex.controls["y"].min, ex.controls["y"].max) == (y0, y1), (first, second)
