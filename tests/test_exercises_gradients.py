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
from helpers.lessons.walker import DEEP_VALLEY, RIDGE, SHALLOW_VALLEY, hillside_height, hillside_slope, walk_downhill

ALL_CHECKERS = [ex.check_slope_underfoot, ex.check_first_step, ex.check_start_stepping_right,
                ex.check_mirrored_walk, ex.check_hand_gradient, ex.check_one_step, ex.check_steepest_descent,
                ex.check_best_h_float32, ex.check_fixed_gradient]


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
X_NEW = 0.5                                   # where the walker stands in warm-ups 1 and 2
SLOPE_NEW = 4 * X_NEW**3 - 4 * X_NEW + 0.5    # h'(x) of h = x^4 - 2 x^2 + x / 2, by hand: -1


def test_slope_underfoot_right_answer():
    assert SLOPE_NEW == hillside_slope(X_NEW) == -1.0
    assert ex.HILLSIDE_POINT == X_NEW
    assert ex.check_slope_underfoot(SLOPE_NEW)
    assert ex.check_slope_underfoot(float(central_difference(lambda v: float(hillside_height(v[0])),
                                                               np.array([X_NEW]))[0]))


@pytest.mark.parametrize("wrong, phrase", [
    (-SLOPE_NEW, "sign is flipped"),
    (float(hillside_height(X_NEW)), "is the height"),
    (4 * X_NEW**3 - 4 * X_NEW, "left out the + 1/2"),
    (4 * X_NEW**2 - 4 * X_NEW + 0.5, "squared x"),
    (4 * X_NEW**3 + 4 * X_NEW + 0.5, "middle term"),
    (-0.9, "Put x = 0.5"),
])
def test_slope_underfoot_slips(wrong, phrase):
    fb = ex.check_slope_underfoot(wrong)
    assert fb.ok is False and phrase in fb.message


STEP_NEW = X_NEW - ex.HILLSIDE_LR * SLOPE_NEW    # one step from 0.5 with lr = 0.05


def test_first_step_right_answer_is_the_walk():
    assert STEP_NEW == pytest.approx(walk_downhill(X_NEW, ex.HILLSIDE_LR, 1)[1], abs=1e-15)
    assert STEP_NEW > X_NEW                           # against a negative slope: to the right
    assert ex.check_first_step(STEP_NEW) and ex.check_first_step(0.55)


@pytest.mark.parametrize("wrong, phrase", [
    (X_NEW + ex.HILLSIDE_LR * SLOPE_NEW, "along the slope, uphill"),
    (X_NEW - SLOPE_NEW, "without the learning rate"),
    (X_NEW + SLOPE_NEW, "no learning rate, and the wrong sign"),
    (-ex.HILLSIDE_LR * SLOPE_NEW, "length of the step"),
    (SHALLOW_VALLEY, "where the walk ends"),
    (0.6, "Compute the slope"),
])
def test_first_step_slips(wrong, phrase):
    fb = ex.check_first_step(wrong)
    assert fb.ok is False and phrase in fb.message


def test_start_stepping_right():
    assert DEEP_VALLEY < RIDGE < SHALLOW_VALLEY
    beyond = np.linspace(-2.0, DEEP_VALLEY - 2e-3, 30)      # left of the deep valley's floor
    for x0 in beyond:
        assert hillside_slope(x0) < 0 and ex.check_start_stepping_right(x0), x0
    between = ex.check_start_stepping_right(-0.5)            # the lesson's start: first step left
    assert between.ok is False and "first step goes left" in between.message
    shallow = ex.check_start_stepping_right(0.5)             # steps right, but into the shallow valley
    assert shallow.ok is False and "first step goes right" in shallow.message and "shallow" in shallow.message
    assert "off the map" in ex.check_start_stepping_right(-2.5).message
    for flat in (DEEP_VALLEY, RIDGE):
        fb = ex.check_start_stepping_right(float(flat))
        assert fb.ok is False and "flat" in fb.message
    assert ex.check_start_stepping_right("-1.5").ok is False


def walk_on_the_flipped_hillside(x0, lr=0.05, steps=100):
    x = x0
    for _ in range(steps):
        x = x - lr * (4 * x**3 - 4 * x - 0.5)   # g'(x) for g(x) = x^4 - 2 x^2 - x / 2
    return x


def test_mirrored_walk_right_answer_is_the_loop():
    end = walk_on_the_flipped_hillside(1.6)
    assert end == pytest.approx(-DEEP_VALLEY, abs=1e-9)
    assert ex.check_mirrored_walk(end) and ex.check_mirrored_walk(1.06) and ex.check_mirrored_walk(1.057)


@pytest.mark.parametrize("wrong, phrase", [
    (SHALLOW_VALLEY, "lesson's hillside h"),
    (DEEP_VALLEY, "deep valley of the lesson's hillside"),
    (walk_on_the_flipped_hillside(-0.5), "far side of the bump"),    # g's shallow valley
    (1.6, "where the walker starts"),
    (-RIDGE, "top of g's bump"),
    (0.5, "Repeat x <-"),
])
def test_mirrored_walk_slips(wrong, phrase):
    fb = ex.check_mirrored_walk(wrong)
    assert fb.ok is False and phrase in fb.message, fb.message


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


# The gradient of the bowl at exercise 3's point, from helpers.surfaces.
BOWL_POINT = np.array(ex.STEEPEST_POINT)
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


def float32_central_error(h, w=1.0):
    """|central difference of w^3 at w, computed in float32, - 3 w^2|."""
    w, h = np.array([w], dtype=np.float32), np.float32(h)    # an array: float32 on numpy 1.x too
    estimate = ((w + h) ** 3 - (w - h) ** 3) / (np.float32(2) * h)
    assert estimate.dtype == np.float32
    return abs(float(estimate[0]) - 3 * float(w[0]) ** 2)


def test_best_h_in_float32_is_really_best_among_the_candidates():
    errors = {h: float32_central_error(h) for h in (1e-2, 1e-5, 1e-8, 1e-11)}
    best = min(errors, key=errors.get)
    assert best == 1e-2 and sorted(errors.values())[1] > 10 * errors[best]   # a wide margin, no near tie
    assert errors[1e-8] == errors[1e-11] == 3.0                                 # 1 + h rounds to 1
    assert ex.check_best_h_float32(best)
    assert ex.FLOAT32_EPS == np.finfo(np.float32).eps
    for w in (0.7, 1.3, 2.0):                                                   # not a quirk of w = 1
        assert min((1e-2, 1e-5, 1e-8, 1e-11), key=lambda h: float32_central_error(h, w)) == 1e-2


@pytest.mark.parametrize("wrong, phrase", [
    (1e-5, "best choice in float64"),
    (1e-8, "round to exactly 1"),
    (1e-11, "round to exactly 1"),
    (1e-3, "pick one of the four"),
    (-1e-2, "positive number"),
])
def test_best_h_float32_slips(wrong, phrase):
    fb = ex.check_best_h_float32(wrong)
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

    assert_rounding_policy(ex.check_slope_underfoot, SLOPE_NEW, [(-SLOPE_NEW, "sign is flipped")])
    assert_rounding_policy(ex.check_first_step, STEP_NEW, [(X_NEW - SLOPE_NEW, "without the learning rate")])
    assert_rounding_policy(ex.check_mirrored_walk, walk_on_the_flipped_hillside(1.6),
                           [(SHALLOW_VALLEY, "lesson's hillside h"), (DEEP_VALLEY, "deep valley of the lesson's")])
    assert_rounding_policy(ex.check_one_step, W - LR * GRAD, [(W - GRAD, "without the learning rate"),
                                                             (W + LR * GRAD, "you added the step")])
    assert_rounding_policy(ex.check_hand_gradient, HAND_GRAD, [(-HAND_GRAD, "signs are flipped")])
    unit = -BOWL_GRAD / np.linalg.norm(BOWL_GRAD)
    assert_rounding_policy(ex.check_steepest_descent, unit, [(-unit, "steepest increase")])
    close = ex.check_steepest_descent([-0.20, 0.98])     # two figures each: not wrong, not enough
    assert close.nearly is True
    assert "steepest increase" in ex.check_steepest_descent([0.20, -0.98]).message  # a slip, rounded the same way
