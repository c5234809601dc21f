"""Tests for helpers.display.feedback: the verdicts, their HTML and text forms, and the tolerance policy."""
import re

import numpy as np
import pytest

from helpers.display import feedback
from helpers.display.feedback import (COLOURS, SIGNIFICANT_FIGURES, TOLERANCE_POLICY, Feedback, agrees, almost,
                                      check_number, close, correct, matches, no_answer, not_yet, rounded_message,
                                      rounded_too_far, to_array, to_float)

ALL_FOUR = [Feedback(True, "w = 4.4"), Feedback(False, "the step is lr * grad = 0.6"),
            Feedback(False, "give three figures", nearly=True), Feedback(None, "replace None")]


# --------------------------------------------------------------------------- the verdict in plain words
def test_text_for_each_verdict_and_repr_equals_str():
    texts = ["Correct: w = 4.4", "Not yet: the step is lr * grad = 0.6", "Close: give three figures",
             "No answer yet: replace None"]
    for fb, text in zip(ALL_FOUR, texts):
        assert repr(fb) == text
        assert str(fb) == text
        assert fb.text == text
    assert [fb.kind for fb in ALL_FOUR] == ["correct", "not_yet", "close", "no_answer"]


def test_plain_text_needs_no_emoji_or_symbol_font():
    # the verdict is in words; the checkers' own messages are ASCII too, so text/plain is pure ASCII
    for fb in ALL_FOUR:
        assert fb.text.isascii(), fb.text


def test_multiline_message_is_kept():
    fb = Feedback(False, "first line\nsecond line")
    assert repr(fb).splitlines() == ["Not yet: first line", "second line"]


def test_bool_is_true_only_for_correct():
    assert bool(Feedback(True, "x")) is True
    assert bool(Feedback(False, "x")) is False
    assert bool(Feedback(False, "x", nearly=True)) is False
    assert bool(Feedback(None, "x")) is False
    assert bool(Feedback(np.bool_(True), "x")) is True
    assert Feedback(np.bool_(True), "x").ok is True


def test_ipython_pretty_printer_shows_the_same_text():
    pytest.importorskip("IPython")
    from IPython.lib.pretty import pretty

    assert pretty(Feedback(False, "too big")) == "Not yet: too big"


def test_a_cell_ending_in_a_check_shows_html_and_the_same_words_as_text():
    pytest.importorskip("IPython")
    from IPython.core.formatters import DisplayFormatter

    for fb in ALL_FOUR:
        data, _ = DisplayFormatter().format(fb)
        assert set(data) == {"text/plain", "text/html"}
        assert data["text/plain"] == fb.text
        assert data["text/html"] == fb._repr_html_()


def test_constructors():
    assert correct("a").ok is True
    assert not_yet("b").ok is False and not_yet("b").nearly is False
    assert almost("c").ok is False and almost("c").nearly is True and almost("c").label == "Close"
    assert no_answer().ok is None
    assert "None" in no_answer().message


@pytest.mark.parametrize("ok", [1, "yes", 0.0])
def test_bad_ok_raises(ok):
    with pytest.raises(ValueError, match="ok must be"):
        Feedback(ok, "x")


def test_bad_message_raises():
    with pytest.raises(ValueError, match="message must be a str"):
        Feedback(True, 4.4)


@pytest.mark.parametrize("ok, nearly", [(True, True), (None, True), (False, 1), (False, "yes")])
def test_bad_nearly_raises(ok, nearly):
    with pytest.raises(ValueError, match="nearly"):
        Feedback(ok, "x", nearly=nearly)


def test_frozen():
    fb = Feedback(True, "x")
    with pytest.raises(Exception):
        fb.ok = False


# --------------------------------------------------------------------------- the verdict as HTML
def test_html_says_the_verdict_in_words_and_escapes_the_message():
    fb = Feedback(False, "use x = x - lr * g, not x -= <lr> & g\nsecond line")
    page = fb._repr_html_()
    assert "<strong>Not yet:</strong>" in page
    assert "x -= &lt;lr&gt; &amp; g<br>second line" in page
    assert "<lr>" not in page
    for fb in ALL_FOUR:
        assert f"<strong>{fb.label}:</strong> {fb.message}" in fb._repr_html_()


def test_html_wraps_between_words_only():
    for fb in ALL_FOUR:
        page = fb._repr_html_()
        for rule in ("white-space:normal", "overflow-wrap:normal", "word-break:normal"):
            assert rule in page
        assert "break-all" not in page and "pre-wrap" not in page and "<pre" not in page


def test_html_mark_is_drawn_not_an_emoji():
    for fb in ALL_FOUR:
        page = fb._repr_html_()
        assert page.count("<svg") == 1 and 'aria-hidden="true"' in page
        # apart from the (ASCII) message nothing outside ASCII: no emoji in the source; the one
        # character, for views that strip SVG, is written as a reference to a text-font symbol
        assert page.isascii()
        fallback = re.search(r'<text style="display:none">&#(\d+);</text>', page)
        assert fallback and chr(int(fallback.group(1))) in "\u2713\u2717\u2248\u2026"
    marks = {fb.kind: re.search(r"<svg.*</svg>", fb._repr_html_()).group(0) for fb in ALL_FOUR}
    assert len(set(marks.values())) == 4, "each verdict has its own mark"


def test_html_survives_a_sanitiser_that_removes_svg_as_words_and_a_text_mark():
    # what JupyterLab shows for an untrusted notebook's stored output: tags it does not allow are
    # removed and their text kept (a rough stand-in: drop every SVG tag, keep the text between)
    import html as html_module

    for fb, symbol in zip(ALL_FOUR, "\u2713\u2717\u2248\u2026"):
        stripped = re.sub(r"</?(svg|circle|path|g|text)\b[^>]*>", "", fb._repr_html_())
        visible = html_module.unescape(re.sub(r"<[^>]+>", "", stripped))
        assert visible == f"{symbol}{fb.label}: {fb.message}"


def test_html_is_deterministic_and_has_no_ids():
    for fb in ALL_FOUR:
        page = fb._repr_html_()
        assert page == Feedback(fb.ok, fb.message, fb.nearly)._repr_html_()
        assert " id=" not in page and "<script" not in page and "<style" not in page


def _luminance(colour):
    rgb = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def _contrast(a, b):
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def test_contrast_helper_measures_known_pairs():
    assert _contrast("#000000", "#ffffff") == pytest.approx(21.0)
    assert _contrast("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)


def test_colours_have_enough_contrast():
    for kind, (text, background, accent) in COLOURS.items():
        assert _contrast(text, background) >= 7.0, kind        # WCAG AAA for the message
        assert _contrast("#ffffff", accent) >= 4.5, kind       # the mark's white stroke on its disc
        assert _contrast(accent, background) >= 3.0, kind      # the border and disc against the box
    fb = Feedback(True, "x")
    text, background, accent = COLOURS["correct"]
    assert f"color:{text}" in fb._repr_html_() and f"background:{background}" in fb._repr_html_()


# --------------------------------------------------------------------------- the tolerance policy
def test_policy_sentence_and_constant_agree():
    assert SIGNIFICANT_FIGURES == 3
    assert "three significant figures" in TOLERANCE_POLICY and "Close" in TOLERANCE_POLICY
    assert TOLERANCE_POLICY.endswith(".") and not re.search(r"[.;:!?]\s+[A-Z]", TOLERANCE_POLICY)  # one sentence
    assert "agrees with the exact value to three significant figures" in " ".join(feedback.__doc__.split())


@pytest.mark.parametrize("answer, exact, expected", [
    (-1.33, -4 / 3, True), (-1.3333, -4 / 3, True), (-1.334, -4 / 3, True),
    (-1.3, -4 / 3, False), (-1.34, -4 / 3, False), (1.33, -4 / 3, False),
    (0.961, (1 - 2e-4) ** 200, True), (0.9608, (1 - 2e-4) ** 200, True), (0.96, (1 - 2e-4) ** 200, False),
    (0.341, 0.4 * (1 + np.cos(np.pi / 4)) / 2, True), (0.34, 0.4 * (1 + np.cos(np.pi / 4)) / 2, False),
    (0.542, 0.542, True), (0.54, 0.542, False),
    # half a unit of the third figure either side, and no more
    (0.1245, 0.125, True), (0.1255, 0.125, True), (0.1256, 0.125, False), (0.1244, 0.125, False),
    (1.005e-7, 1e-7, True), (1.006e-7, 1e-7, False), (2.55e4, 25500.0, True), (25560.0, 25500.0, False),
    # round-off in the exact value does not move the scale: 0.1 - 1e-17 is read as 0.1
    (0.1004, 0.09999999999999999, True),
    (0.0, 0.0, True), (1e-9, 0.0, False),
])
def test_agrees_is_three_significant_figures(answer, exact, expected):
    assert agrees(answer, exact) is expected


def test_agrees_on_arrays_and_non_numbers():
    assert agrees([-2, -1.33], [-2.0, -4 / 3])
    assert not agrees([-2, -1.3], [-2.0, -4 / 3])
    assert not agrees([-2.0], [-2.0, -4 / 3])
    for bad in (None, "abc", [1, [2]], float("nan"), True):
        assert agrees(bad, 1.0) is False


@pytest.mark.parametrize("answer, exact, expected", [
    (-1.3, -4 / 3, True), (0.96, 0.9608, True), (0.34, 0.3414, True), (0.54, 0.542, True), (0.13, 0.125, True),
    (0.12, 0.125, True), (0.2, 0.2049, True),
    (0.353, 1 / (2 * np.sqrt(2)), True), (0.204, 0.2049, True),   # cut off at three figures, not rounded
    (-1.34, -4 / 3, True),      # three figures, one unit off in the third
    (-1.33, -4 / 3, False),     # agrees: correct, not close
    (-1.35, -4 / 3, False), (0.207, 0.2049, False), (0.352, 1 / (2 * np.sqrt(2)), False),
    (-0.28, -0.28735, True), (-0.29, -0.28735, True), (-0.3, -0.28735, False), (0.29, -0.28735, False),
    (0.09, 0.1, False), (0.11, 0.1, False),
    (0.3536, 1 / (2 * np.sqrt(2)), False),  # agrees: correct, not close
    (0.3, 0.3414, False),       # one figure, and further than the second figure's half unit
    (0.97, 0.9608, False), (1.3, -4 / 3, False), (0.0, 0.0, False),
])
def test_rounded_too_far_is_the_exact_value_to_fewer_figures(answer, exact, expected):
    assert rounded_too_far(answer, exact) is expected


def test_rounded_too_far_on_arrays():
    assert rounded_too_far([-2, -1.3], [-2.0, -4 / 3])       # one entry agrees, one is rounded
    assert rounded_too_far([-2.0, -1.3], [-2.0, -4 / 3])
    assert not rounded_too_far([-2.1, -1.3], [-2.0, -4 / 3])  # one entry wrong
    assert not rounded_too_far([-2, -1.333], [-2.0, -4 / 3])  # agrees
    assert not rounded_too_far("abc", 1.0)


def test_matches_is_agreeing_or_rounded():
    assert matches(0.35, 1 / (2 * np.sqrt(2))) and matches(0.354, 1 / (2 * np.sqrt(2)))
    assert not matches(0.36, 1 / (2 * np.sqrt(2)))


def test_rounded_message_quotes_the_answer_without_giving_the_exact_value():
    assert rounded_message(0.96).startswith("0.96 is close, but does not agree with the answer to three "
                                            "significant figures. Give it to at least three, rounded")
    assert "0.9608" not in rounded_message(0.96)
    assert rounded_message(np.array([-2.0, -1.3])).startswith("(-2, -1.3) is close")
    assert "each number" in rounded_message([-2.0, -1.3])


def test_close_is_the_comparison_for_computed_numbers():
    assert close(4.4, 4.4000000001)
    assert not close(4.4, 4.41)
    assert close([1.0, 2.0], np.array([1.0, 2.0]))
    assert not close([1.0, 2.0], [1.0, 2.0, 3.0])
    assert close(4.4, 4.41, rtol=1e-2)
    assert close(0.0, 1e-13)
    assert close(1.0, 1.0 + 5e-7) and not close(1.0, 1.0 + 2e-6)    # six significant figures
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
    assert to_array(True) is None


# --------------------------------------------------------------------------- check_number
def _check_step(answer, **overrides):
    """A checker built on check_number: one step of w <- w - lr * grad from w = 3, lr 0.1, grad 8."""
    kwargs = dict(
        slips=[(-5.0, "lr forgotten"), (3.8, "step added"), (2.58, "half step")],
        fallback=lambda x: f"got {x:.3f}, not the new w.",
        what="one number (the new w)")
    kwargs.update(overrides)
    return check_number(answer, 2.2, "w = 3 - 0.8 = 2.2.", **kwargs)


def test_check_number_right_none_and_not_a_number():
    for right in (2.2, 2.2 + 1e-7, np.float64(2.2), np.array([2.2]), 2.204, 2.1951):
        fb = _check_step(right)
        assert fb.ok is True and fb.message == "w = 3 - 0.8 = 2.2.", right
    fb = _check_step(None)
    assert fb.ok is None and fb.message == no_answer().message
    fb = _check_step(None, no_answer_message="replace None with the new w.")
    assert fb.ok is None and fb.message == "replace None with the new w."
    for bad in ("abc", "2.2", True, [2.2, 2.2], float("nan")):
        fb = _check_step(bad)
        assert fb.ok is False and not fb.nearly
        assert fb.message == f"the answer should be one number (the new w), got {bad!r}."


def test_check_number_rounded_too_far_is_close_not_wrong():
    right = 0.9608
    fb = check_number(0.96, right, "yes", slips=[(0.958, "a slip two figures away")])
    # 0.96 is also 0.958 to two figures, but a rounded right answer is never diagnosed as a slip
    assert fb.ok is False and fb.nearly is True and fb.message == rounded_message(0.96)
    assert check_number(0.958, right, "yes", slips=[(0.958, "a slip")]).message == "a slip"
    assert check_number(0.961, right, "yes").ok is True
    fb = check_number(0.96, right, "yes", close_message="more digits, please")
    assert fb.nearly and fb.message == "more digits, please"
    fb = check_number(0.96, right, "yes", close_message=lambda x: f"{x} needs a third figure")
    assert fb.message == "0.96 needs a third figure"


def test_check_number_names_each_slip_in_order():
    assert _check_step(-5.0).message == "lr forgotten"
    assert _check_step(3.8).message == "step added"
    assert _check_step(2.58).message == "half step"
    assert _check_step(2.581).message == "half step"     # to three figures
    assert _check_step(2.6).message == "half step"       # the slip rounded to two figures
    assert _check_step(2.59).message == "half step"       # one unit off in the third figure
    assert _check_step(2.56).message.startswith("got 2.560")
    # the first matching slip wins, even when a later one matches too
    fb = check_number(1.0, 0.0, "zero", slips=[(1.0, "first"), (1.0, "second")])
    assert fb.ok is False and fb.message == "first"


def test_check_number_prefers_a_slip_it_equals_over_one_it_agrees_with():
    slips = [(1.998, "weights swapped"), (2.0, "the limit")]        # they agree to three figures
    assert check_number(2.0, 0.542, "right", slips=slips).message == "the limit"
    assert check_number(1.998, 0.542, "right", slips=slips).message == "weights swapped"
    assert check_number(1.999, 0.542, "right", slips=slips).message == "weights swapped"   # first by policy


def test_check_number_whole_numbers_must_be_exact():
    kwargs = dict(slips=[(129, "the parameters")], whole=True, fallback="count again")
    assert check_number(258, 258, "yes", **kwargs).ok is True
    assert check_number(258.0, 258, "yes", **kwargs).ok is True
    for near in (258.4, 257.9, 260):
        fb = check_number(near, 258, "yes", **kwargs)
        assert fb.ok is False and not fb.nearly and fb.message == "count again"
    assert check_number(129, 258, "yes", **kwargs).message == "the parameters"
    assert check_number(129.4, 258, "yes", **kwargs).message == "count again"


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
    (dict(fallback=3), "fallback"),
    (dict(close_message=3), "close_message"),
    (dict(what=None), "what"),
    (dict(no_answer_message=4), "no_answer_message"),
    (dict(whole=1), "whole"),
    (dict(whole=True), "whole"),                       # right = 0.2 is not a whole number
    (dict(slips=[(1.0,)]), "slip"),
    (dict(slips=[(1.0, "msg", {"rtol": 1e-3})]), "slip"),
    (dict(slips=[("x", "msg")]), "slip"),
    (dict(slips=[(0.2001, "msg")]), "slip"),           # agrees with right: the slip could never be named
    (dict(slips=[(0.2, "msg")]), "slip"),
])
def test_check_number_bad_arguments_raise_even_without_an_answer(kwargs, name):
    args = dict(answer=None, right=0.2, correct_message="ok")
    args.update(kwargs)
    with pytest.raises(ValueError, match=name):
        check_number(**args)


def test_close_says_which_kind_of_close():
    from helpers.display.feedback import check_number
    third_off = check_number(1.34, 4 / 3, "right")           # three figures, the last a unit off
    too_short = check_number(1.3, 4 / 3, "right")            # two figures
    assert third_off.nearly and too_short.nearly
    assert "one unit off" in third_off.message and "one unit off" not in too_short.message
    assert "at least three" in too_short.message
