"""Tests for helpers.lessons.exercises.gradients: right answers pass, typical slips get their own message."""
import math

import numpy as np
import pytest

from helpers.lessons.exercises import gradients as ex
from helpers.descent import run
from helpers.gradcheck import central_difference
from helpers.lessons.step_size import Parabola
from helpers.optim import SGD
from helpers.surfaces import SURFACES
from helpers.lessons.walker import hillside_slope

ALL_CHECKERS = [ex.check_slope_sign, ex.check_step_direction, ex.check_start_for_deep_valley,
                ex.check_hand_gradient, ex.check_one_step, ex.check_steepest_descent,
                ex.check_best_h, ex.check_fixed_gradient]


@pytest.mark.parametrize("check", ALL_CHECKERS)
def test_none_means_no_answer_yet(check):
    fb = check(None)
    assert fb.ok is None
    assert repr(fb).startswith("No answer yet: ")


@pytest.mark.parametrize("check", ALL_CHECKERS)
@pytest.mark.parametrize("junk", ["banana", [1, 2, 3], {"a": 1}, float("nan"), True])
def test_junk_is_a_wrong_answer_not_an_exception(check, junk):
    fb = check(junk)
    assert fb.ok is False
    assert fb.message


# ---------------------------------------------------------------- warm-ups (notebook 00)
def test_slope_sign_matches_the_hillside():
    x = 1.6                                      # where the walker stands in notebook 00
    assert 4 * x ** 3 - 4 * x + 0.5 > 0          # h'(x) of h = x^4 - 2 x^2 + x / 2: the ground rises
    assert hillside_slope(ex.HILLSIDE_START) > 0 and ex.HILLSIDE_START == x  # the fact the checker relies on
    for right in ["rises", "Rises.", "up", 1, +1.0]:
        assert ex.check_slope_sign(right), right
    wrong = ex.check_slope_sign("falls")
    assert wrong.ok is False and "tangent" in wrong.message


def test_step_direction_is_against_the_slope():
    assert ex.check_step_direction("left")
    assert ex.check_step_direction(-1)
    wrong = ex.check_step_direction("right")
    assert wrong.ok is False and "uphill" in wrong.message


def _hillside_critical_points():
    """The roots of h'(x) = 4 x^3 - 4 x + 1/2, in increasing order: deep valley, top of the bump, shallow valley."""
    return np.sort(np.roots([4.0, 0.0, -4.0, 0.5]).real)


def test_start_for_deep_valley():
    deep, top, shallow = _hillside_critical_points()
    assert -2 <= -1.9 < -0.5 < top                       # the two starts below lie left of the bump
    assert ex.check_start_for_deep_valley(-0.5)
    assert ex.check_start_for_deep_valley(-1.9)
    shallow = ex.check_start_for_deep_valley(1.6)
    assert shallow.ok is False and "shallow valley" in shallow.message
    off = ex.check_start_for_deep_valley(3.0)
    assert off.ok is False and "off the map" in off.message
    on_top = ex.check_start_for_deep_valley(float(top))  # exactly on the top, from h'(x) = 0
    assert on_top.ok is False and "top of the bump" in on_top.message


# ---------------------------------------------------------------- notebook 01
def hand_gradient_problem(p):
    x, y = p
    return (x + 2 * y - 1) ** 2


# f = r^2 with r = x + 2y - 1: grad f = (2r * 1, 2r * 2) at (1, 1), by the chain rule.
HAND_R = 1.0 + 2 * 1.0 - 1
HAND_GRAD = np.array([2 * HAND_R * 1, 2 * HAND_R * 2])


def test_hand_gradient_right_answer_agrees_with_finite_differences():
    numeric = central_difference(hand_gradient_problem, np.array([1.0, 1.0]))
    assert np.allclose(numeric, HAND_GRAD, atol=1e-6)
    assert ex.check_hand_gradient(HAND_GRAD.tolist())
    assert ex.check_hand_gradient(numeric)               # the finite-difference answer passes too


@pytest.mark.parametrize("wrong, phrase", [
    (-HAND_GRAD, "signs are flipped"),
    (HAND_GRAD[::-1], "swapped"),
    ([2 * HAND_R, 2 * HAND_R], "chain-rule factor"),                 # dr/dy = 2 left out
    (HAND_GRAD / 2, "half the right size"),                          # d(r^2)/dr taken as r
    ([HAND_R, HAND_R], "both factors of 2"),
    ([1, 1], "that is the point"),
    ([2 * HAND_R, 2 * HAND_R * 2 * 2], "one factor 2 too many"),
    ([HAND_GRAD[0], HAND_GRAD[1] - 1], "df/dx = 4 is right"),
    ([HAND_GRAD[0] - 1, HAND_GRAD[1]], "df/dy = 8 is right"),
    ([0, 0], "Write r = x + 2y - 1"),
    ([HAND_GRAD[0]], "two numbers"),
])
def test_hand_gradient_slips(wrong, phrase):
    fb = ex.check_hand_gradient(wrong)
    assert fb.ok is False
    assert phrase in fb.message


# One step on (w + 1)^2 from w = 3 with lr = 0.1: the gradient is 2 (w + 1).
W, LR = 3.0, 0.1
GRAD = 2 * (W + 1)


def test_one_step_right_answer():
    right = float(run(Parabola(curvature=2.0, centre=-1.0), SGD(lr=LR), [W], steps=1).xs[1, 0])
    assert math.isclose(right, W - LR * GRAD)
    assert ex.check_one_step(right)
    assert ex.check_one_step(W - LR * GRAD)  # float round-off in the reader's arithmetic is fine


@pytest.mark.parametrize("wrong, phrase", [
    (W - GRAD, "without the learning rate"),
    (W + LR * GRAD, "you added the step"),
    (W - LR * (W + 1), "half the right size"),               # derivative taken as w + 1
    (LR * GRAD, "is the step"),
    (GRAD, "is the gradient"),
    (5.0 - LR * 2 * (5.0 - 2), "worked example"),           # w = 5 on (w - 2)^2
    (W + GRAD, "you added the gradient"),
    (-1.0, "where the loss is smallest"),                   # the minimum of (w + 1)^2
    (1.7, "subtract the result"),
])
def test_one_step_slips(wrong, phrase):
    fb = ex.check_one_step(wrong)
    assert fb.ok is False
    assert phrase in fb.message


# The gradient of the bowl at (3, 1), from helpers.surfaces.
BOWL_POINT = np.array([3.0, 1.0])
BOWL_GRAD = SURFACES["bowl"].grad(BOWL_POINT)


def test_steepest_descent_right_answer_is_the_steepest_numerically():
    bowl = SURFACES["bowl"]
    p = BOWL_POINT
    angles = np.linspace(0, 2 * np.pi, 3601)
    units = np.stack([np.cos(angles), np.sin(angles)], axis=-1)
    h = 1e-6
    slopes = (bowl.loss(p + h * units) - bowl.loss(p - h * units)) / (2 * h)
    steepest_down = units[np.argmin(slopes)]
    assert ex.check_steepest_descent(steepest_down)
    assert ex.check_steepest_descent(-BOWL_GRAD / np.linalg.norm(BOWL_GRAD))


@pytest.mark.parametrize("wrong, phrase", [
    (BOWL_GRAD / np.linalg.norm(BOWL_GRAD), "steepest increase"),
    (-BOWL_GRAD, "length is"),                                      # not normalised
    (-BOWL_POINT / np.linalg.norm(BOWL_POINT), "straight at the minimum"),
    (-BOWL_GRAD[::-1] / np.linalg.norm(BOWL_GRAD), "swapped"),
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
    best = min(errors, key=errors.get)
    assert ex.check_best_h(best)


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
    answer = HAND_GRAD.copy()
    ex.check_hand_gradient(answer)
    assert np.array_equal(answer, HAND_GRAD)


def test_rounding_policy():
    from checker_cases import assert_rounding_policy  # tests/ is on sys.path under pytest

    assert_rounding_policy(ex.check_one_step, W - LR * GRAD, [(W - GRAD, "without the learning rate"),
                                                             (W + LR * GRAD, "you added the step")])
    assert_rounding_policy(ex.check_hand_gradient, HAND_GRAD, [(-HAND_GRAD, "signs are flipped")])
    unit = -BOWL_GRAD / np.linalg.norm(BOWL_GRAD)
    assert_rounding_policy(ex.check_steepest_descent, unit, [(-unit, "steepest increase")])
    close = ex.check_steepest_descent([-0.29, -0.96])    # two figures each: not wrong, not enough
    assert close.nearly is True
    assert "steepest increase" in ex.check_steepest_descent([0.29, 0.96]).message   # a slip, rounded the same way
