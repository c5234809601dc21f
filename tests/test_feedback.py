"""Tests for helpers.feedback."""
import numpy as np
import pytest

from helpers.feedback import Feedback, close, correct, no_answer, not_yet, to_array, to_float


def test_text_for_each_verdict_and_repr_equals_str():
    cases = [
        (Feedback(True, "w = 4.4"), "✅ Correct: w = 4.4"),
        (Feedback(False, "the step is lr * grad = 0.6"), "❌ Not yet: the step is lr * grad = 0.6"),
        (Feedback(None, "replace None"), "✏️ No answer yet: replace None"),
    ]
    for fb, text in cases:
        assert repr(fb) == text
        assert str(fb) == text
        assert fb.text == text


def test_multiline_message_is_kept():
    fb = Feedback(False, "first line\nsecond line")
    assert repr(fb).splitlines() == ["❌ Not yet: first line", "second line"]


def test_bool_is_true_only_for_correct():
    assert bool(Feedback(True, "x")) is True
    assert bool(Feedback(False, "x")) is False
    assert bool(Feedback(None, "x")) is False
    assert bool(Feedback(np.bool_(True), "x")) is True
    assert Feedback(np.bool_(True), "x").ok is True


def test_ipython_pretty_printer_shows_the_same_text():
    IPython = pytest.importorskip("IPython")
    from IPython.lib.pretty import pretty

    assert pretty(Feedback(False, "too big")) == "❌ Not yet: too big"


def test_constructors():
    assert correct("a").ok is True
    assert not_yet("b").ok is False
    assert no_answer().ok is None
    assert "None" in no_answer().message


@pytest.mark.parametrize("ok", [1, "yes", 0.0])
def test_bad_ok_raises(ok):
    with pytest.raises(ValueError, match="ok must be"):
        Feedback(ok, "x")


def test_bad_message_raises():
    with pytest.raises(ValueError, match="message must be a str"):
        Feedback(True, 4.4)


def test_frozen():
    fb = Feedback(True, "x")
    with pytest.raises(Exception):
        fb.ok = False


def test_close():
    assert close(4.4, 4.4000000001)
    assert not close(4.4, 4.41)
    assert close([1.0, 2.0], np.array([1.0, 2.0]))
    assert not close([1.0, 2.0], [1.0, 2.0, 3.0])
    assert close(4.4, 4.41, rtol=1e-2)
    assert close(0.0, 1e-13)
    for bad in [None, "4.4", [1, [2]], float("nan"), {"a": 1}]:
        assert close(bad, 4.4) is False


def test_to_float_and_to_array():
    assert to_float(3) == 3.0
    assert to_float(np.array([2.5])) == 2.5
    assert to_float("abc") is None
    assert to_float(None) is None
    assert to_float(True) is None
    assert to_float(float("inf")) is None
    assert to_float([1.0, 2.0]) is None
    assert to_array([1, 2], shape=(2,)).tolist() == [1.0, 2.0]
    assert to_array([1, 2], shape=(3,)) is None
    assert to_array([1, np.nan]) is None
    assert to_array(None) is None
