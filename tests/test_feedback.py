"""Tests for helpers.display.feedback."""
import numpy as np
import pytest

from helpers.display.feedback import (Feedback, check_number, close, correct, no_answer, not_yet, to_array,
                              to_float)


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


def _check_step(answer, **overrides):
    """A checker built on check_number: one step of w <- w - lr * grad from w = 3, lr 0.1, grad 8."""
    kwargs = dict(
        slips=[(-5.0, "lr forgotten"), (3.8, "step added"), (2.6, "half step", {"rtol": 0, "atol": 0.05})],
        fallback=lambda x: f"got {x:.3f}, not the new w.",
        what="one number (the new w)")
    kwargs.update(overrides)
    return check_number(answer, 2.2, "w = 3 - 0.8 = 2.2.", **kwargs)


def test_check_number_right_none_and_not_a_number():
    for right in (2.2, 2.2 + 1e-7, np.float64(2.2), np.array([2.2])):
        fb = _check_step(right)
        assert fb.ok is True and fb.message == "w = 3 - 0.8 = 2.2."
    fb = _check_step(None)
    assert fb.ok is None and fb.message == no_answer().message
    fb = _check_step(None, no_answer_message="replace None with the new w.")
    assert fb.ok is None and fb.message == "replace None with the new w."
    for bad in ("abc", "2.2", True, [2.2, 2.2], float("nan")):
        fb = _check_step(bad)
        assert fb.ok is False
        assert fb.message == f"the answer should be one number (the new w), got {bad!r}."


def test_check_number_names_each_slip_in_order():
    assert _check_step(-5.0).message == "lr forgotten"
    assert _check_step(3.8).message == "step added"
    assert _check_step(2.64).message == "half step"  # its own absolute tolerance, 0.05
    # the first matching slip wins, even when a later one matches too
    fb = check_number(1.0, 0.0, "zero", slips=[(1.0, "first"), (1.0, "second")])
    assert fb.ok is False and fb.message == "first"


def test_check_number_tolerance_edges():
    # default rtol 1e-6: 2.2 * (1 +- 5e-7) passes, 2.2 * (1 + 2e-6) does not
    assert _check_step(2.2 * (1 + 5e-7)).ok is True
    assert _check_step(2.2 * (1 - 5e-7)).ok is True
    assert _check_step(2.2 * (1 + 2e-6)).ok is False
    # a per-call absolute tolerance applies to the right value and to the slips without their own
    assert _check_step(2.2015, rtol=0, atol=2e-3).ok is True
    assert _check_step(2.2025, rtol=0, atol=2e-3).ok is False
    assert _check_step(3.8019, rtol=0, atol=2e-3).message == "step added"
    assert _check_step(3.8021, rtol=0, atol=2e-3).message == "got 3.802, not the new w."
    # a slip's own tolerance replaces the call's
    assert _check_step(2.645, rtol=0, atol=2e-3).message == "half step"
    assert _check_step(2.555).message == "half step"
    assert _check_step(2.651).message.startswith("got 2.651")
    # rtol = atol = 0 asks for equality
    assert check_number(258, 258, "yes", rtol=0, atol=0).ok is True
    assert check_number(258.0000001, 258, "yes", rtol=0, atol=0).ok is False


def test_check_number_fallback_str_callable_and_default():
    assert _check_step(7.0).message == "got 7.000, not the new w."
    assert _check_step(7.0, fallback="not the new w.").message == "not the new w."
    fb = check_number(7.0, 2.2, "right")
    assert fb.ok is False and fb.message == "7 is not it."


def test_check_number_is_pure():
    slips = [(1.0, "one")]
    before = list(slips)
    for _ in range(2):
        assert check_number(1.0, 0.0, "zero", slips=slips).message == "one"
    assert slips == before


@pytest.mark.parametrize("kwargs, name", [
    (dict(right=float("nan")), "right"),
    (dict(right="0.2"), "right"),
    (dict(correct_message=None), "correct_message"),
    (dict(rtol=-1e-3), "rtol"),
    (dict(atol=float("inf")), "atol"),
    (dict(fallback=3), "fallback"),
    (dict(what=None), "what"),
    (dict(no_answer_message=4), "no_answer_message"),
    (dict(slips=[(1.0,)]), "slip"),
    (dict(slips=[("x", "msg")]), "slip"),
    (dict(slips=[(1.0, "msg", {"tol": 1e-3})]), "tol"),
    (dict(slips=[(1.0, "msg", {"rtol": -1.0})]), "rtol"),
])
def test_check_number_bad_arguments_raise_even_without_an_answer(kwargs, name):
    args = dict(answer=None, right=0.2, correct_message="ok")
    args.update(kwargs)
    with pytest.raises(ValueError, match=name):
        check_number(**args)
