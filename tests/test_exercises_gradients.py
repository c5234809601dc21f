"""Tests for helpers.lessons.exercises.gradients: right answers pass, typical slips get their own message."""
import math

import numpy as np
import pytest

from helpers.lessons.exercises import gradients as ex
from helpers.gradcheck import central_difference
from helpers.surfaces import SURFACES
from helpers.lessons.walker import hillside_slope

ALL_CHECKERS = [ex.check_slope_sign, ex.check_step_direction, ex.check_start_for_deep_valley,
                ex.check_hand_gradient, ex.check_one_step, ex.check_steepest_descent,
                ex.check_best_h, ex.check_fixed_gradient]


@pytest.mark.parametrize("check", ALL_CHECKERS)
def test_none_means_no_answer_yet(check):
    fb = check(None)
    assert fb.ok is None
    assert repr(fb).startswith("✏️ No answer yet")


@pytest.mark.parametrize("check", ALL_CHECKERS)
@pytest.mark.parametrize("junk", ["banana", [1, 2, 3], {"a": 1}, float("nan"), True])
def test_junk_is_a_wrong_answer_not_an_exception(check, junk):
    fb = check(junk)
    assert fb.ok is False
    assert fb.message


# ---------------------------------------------------------------- warm-ups (notebook 00)
def test_slope_sign_matches_the_hillside():
    assert hillside_slope(ex.HILLSIDE_START) > 0  # the fact the checker relies on
    for right in ["rises", "Rises.", "up", 1, +1.0]:
        assert ex.check_slope_sign(right), right
    wrong = ex.check_slope_sign("falls")
    assert wrong.ok is False and "tangent" in wrong.message


def test_step_direction_is_against_the_slope():
    assert ex.check_step_direction("left")
    assert ex.check_step_direction(-1)
    wrong = ex.check_step_direction("right")
    assert wrong.ok is False and "uphill" in wrong.message


def test_start_for_deep_valley():
    assert ex.check_start_for_deep_valley(-0.5)
    assert ex.check_start_for_deep_valley(-1.9)
    shallow = ex.check_start_for_deep_valley(1.6)
    assert shallow.ok is False and "shallow valley" in shallow.message
    off = ex.check_start_for_deep_valley(3.0)
    assert off.ok is False and "off the map" in off.message
    on_top = ex.check_start_for_deep_valley(0.1270508441825262)  # exactly on the top
    assert on_top.ok is False and "top of the bump" in on_top.message


# ---------------------------------------------------------------- notebook 01
def hand_gradient_problem(p):
    x, y = p
    return (x + 2 * y - 1) ** 2


def test_hand_gradient_right_answer_agrees_with_finite_differences():
    numeric = central_difference(hand_gradient_problem, np.array([1.0, 1.0]))
    assert np.allclose(numeric, [4.0, 8.0], atol=1e-6)
    assert ex.check_hand_gradient([4, 8])
    assert ex.check_hand_gradient(np.array([4.0, 8.0]))


@pytest.mark.parametrize("wrong, phrase", [
    ([-4, -8], "signs are flipped"),
    ([8, 4], "swapped"),
    ([4, 4], "chain-rule factor"),
    ([2, 4], "half the right size"),
    ([2, 2], "both factors of 2"),
    ([1, 1], "that is the point"),
    ([4, 16], "one factor 2 too many"),
    ([4, 7], "df/dx = 4 is right"),
    ([3, 8], "df/dy = 8 is right"),
    ([0, 0], "Write r = x + 2y - 1"),
    ([4], "two numbers"),
])
def test_hand_gradient_slips(wrong, phrase):
    fb = ex.check_hand_gradient(wrong)
    assert fb.ok is False
    assert phrase in fb.message


def test_one_step_right_answer():
    w, lr = 3.0, 0.1
    assert math.isclose(w - lr * 2 * (w + 1), 2.2)
    assert ex.check_one_step(2.2)
    assert ex.check_one_step(3 - 0.1 * 8)  # float round-off in the reader's arithmetic is fine


@pytest.mark.parametrize("wrong, phrase", [
    (-5.0, "without the learning rate"),
    (3.8, "you added the step"),
    (2.6, "half the right size"),
    (0.8, "is the step"),
    (8.0, "is the gradient"),
    (4.4, "worked example"),
    (11.0, "you added the gradient"),
    (-1.0, "where the loss is smallest"),
    (1.7, "subtract the result"),
])
def test_one_step_slips(wrong, phrase):
    fb = ex.check_one_step(wrong)
    assert fb.ok is False
    assert phrase in fb.message


def test_steepest_descent_right_answer_is_the_steepest_numerically():
    bowl = SURFACES["bowl"]
    p = np.array([3.0, 1.0])
    angles = np.linspace(0, 2 * np.pi, 3601)
    units = np.stack([np.cos(angles), np.sin(angles)], axis=-1)
    h = 1e-6
    slopes = (bowl.loss(p + h * units) - bowl.loss(p - h * units)) / (2 * h)
    steepest_down = units[np.argmin(slopes)]
    assert ex.check_steepest_descent(steepest_down)
    assert ex.check_steepest_descent(-np.array([3.0, 10.0]) / math.sqrt(109))


@pytest.mark.parametrize("wrong, phrase", [
    (np.array([3.0, 10.0]) / math.sqrt(109), "steepest increase"),
    ([-3.0, -10.0], "length is"),
    (-np.array([3.0, 1.0]) / math.sqrt(10), "straight at the minimum"),
    (-np.array([10.0, 3.0]) / math.sqrt(109), "swapped"),
    ([1.0, 0.0], "degrees away"),
    ([0.0, 0.0], "zero vector"),
])
def test_steepest_descent_slips(wrong, phrase):
    fb = ex.check_steepest_descent(wrong)
    assert fb.ok is False
    assert phrase in fb.message


def test_best_h_is_really_best_among_the_candidates():
    cube = lambda w: float(w[0] * w[0] * w[0])  # noqa: E731
    errors = {h: abs(central_difference(cube, np.array([1.0]), h=h)[0] - 3.0)
              for h in (1e-2, 1e-5, 1e-8, 1e-11)}
    assert min(errors, key=errors.get) == 1e-5
    assert ex.check_best_h(1e-5)
    assert ex.check_best_h(0.00001)


@pytest.mark.parametrize("wrong, phrase", [
    (1e-2, "truncation error"),
    (1e-8, "forward difference"),
    (1e-11, "Round-off"),
    (1e-3, "pick one of the four"),
    (-1e-5, "positive number"),
])
def test_best_h_slips(wrong, phrase):
    fb = ex.check_best_h(wrong)
    assert fb.ok is False
    assert phrase in fb.message


def grad_right(p):
    x, y = p
    return np.array([2 * (x * y - 1) * y + 2 * x, 2 * (x * y - 1) * x])


def grad_original_bug(p):
    x, y = p
    return np.array([2 * (x * y - 1) + 2 * x, 2 * (x * y - 1) * x])


def test_fixed_gradient_passes_and_matches_finite_differences():
    f = lambda p: (p[0] * p[1] - 1) ** 2 + p[0] ** 2  # noqa: E731
    for p in ([1.5, -0.5], [0.2, 0.7]):
        assert np.allclose(central_difference(f, np.array(p)), grad_right(np.array(p)), atol=1e-7)
    assert ex.check_fixed_gradient(grad_right)


def test_fixed_gradient_recognises_the_original_bug():
    fb = ex.check_fixed_gradient(grad_original_bug)
    assert fb.ok is False
    assert "df/dx" in fb.message and "df/dy" not in fb.message
    assert "still the original bug" in fb.message


def test_fixed_gradient_other_failures():
    def wrong_y(p):
        x, y = p
        return np.array([2 * (x * y - 1) * y + 2 * x, 2 * (x * y - 1) * y])

    fb = ex.check_fixed_gradient(wrong_y)
    assert fb.ok is False and "df/dy" in fb.message and "df/dx" not in fb.message
    raises = ex.check_fixed_gradient(lambda p: 1 / 0)
    assert raises.ok is False and "ZeroDivisionError" in raises.message
    shape = ex.check_fixed_gradient(lambda p: np.zeros(3))
    assert shape.ok is False and "two numbers" in shape.message
    called = ex.check_fixed_gradient(grad_right(np.array([1.0, 2.0])))
    assert called.ok is False and "function itself" in called.message


def test_checkers_do_not_modify_their_input():
    answer = np.array([4.0, 8.0])
    ex.check_hand_gradient(answer)
    assert np.array_equal(answer, [4.0, 8.0])
