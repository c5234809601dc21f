"""The gradient-descent checkers: right answers pass, typical slips get their own message."""

import numpy as np

from helpers import descent
from helpers.lessons.momentum import best_plain_lr, rate
from helpers.lessons.step_size import Parabola
from helpers.optim import SGD
from helpers.surfaces import quadratic
from helpers.lessons.exercises.descent_basics import (TILTED_HESSIAN, check_best_lr, check_descent_function,
                                              check_largest_lr, check_tilted_limit, check_update_step,
                                              reference_descent)


def _one_step(lr, w0=-1.0, centre=3.0):
    """w after one step of helpers.descent.run on (w - centre)^2 (curvature 2), as notebook 03 does it."""
    trace = descent.run(Parabola(curvature=2.0, centre=centre), SGD(lr=lr), [w0], steps=1)
    return float(trace.xs[1, 0])


def test_update_step():
    right = _one_step(0.25)
    assert right == -1.0 - 0.25 * 2 * (-1.0 - 3.0)     # w - lr * 2 (w - 3)
    assert check_update_step(None).ok is None
    assert check_update_step(right).ok is True
    assert "without the learning rate" in check_update_step(_one_step(1.0)).message   # w - grad
    assert "added the step" in check_update_step(-1.0 + 0.25 * 2 * (-1.0 - 3.0)).message
    assert "half the right size" in check_update_step(-1.0 - 0.25 * (-1.0 - 3.0)).message  # grad taken as w - 3
    assert check_update_step(42).ok is False and check_update_step(str(right)).ok is False


# Exercises 2-3: f(x, y) = 2 x^2 + 8 y^2 = (4 x^2 + 16 y^2) / 2, as notebook 03 builds it.
CURVATURES = np.linalg.eigvalsh(quadratic(a=4.0, b=16.0).hessian(np.zeros(2)))
MU, L = float(CURVATURES.min()), float(CURVATURES.max())


def test_largest_lr():
    right = 2 / L
    # measured: just below the limit descent converges, just above it diverges
    for lr, converges in ((right * 0.99, True), (right * 1.01, False)):
        trace = descent.run(quadratic(a=4.0, b=16.0), SGD(lr=lr), [1.0, 1.0], steps=2000)
        assert (trace.diverged_at is None) is converges, lr
    assert check_largest_lr(None).ok is None
    assert check_largest_lr(right).ok is True
    assert "smaller curvature" in check_largest_lr(2 / MU).message
    assert "second derivative" in check_largest_lr(2 / 8).message        # the coefficient 8 taken as curvature
    assert "1/L" in check_largest_lr(1 / L).message
    assert "best fixed" in check_largest_lr(float(best_plain_lr(MU, L))).message
    assert check_largest_lr(0.3).ok is False


def _factor(lr):
    """Worst per-step error factor of plain descent at ``lr`` over the two curvatures (helpers.lessons.momentum)."""
    return float(max(rate(lr, MU), rate(lr, L)))


def test_best_lr():
    best = float(best_plain_lr(MU, L))
    kappa = L / MU
    assert np.isclose(_factor(best), (kappa - 1) / (kappa + 1))
    assert check_best_lr(None).ok is None
    assert check_best_lr((best, _factor(best))).ok is True
    assert "edge of stability" in check_best_lr((2 / L, 0.0)).message
    assert "1 - 1/kappa" in check_best_lr((best, _factor(1 / L))).message    # lr = 1/L's factor
    assert "1/L" in check_best_lr((1 / L, _factor(1 / L))).message
    assert check_best_lr(best).ok is False


def test_descent_function():
    def right(grad, x0, lr, steps):
        xs = [np.asarray(x0, float)]
        for _ in range(steps):
            xs.append(xs[-1] - lr * grad(xs[-1]))
        return np.array(xs)

    assert check_descent_function(None).ok is None
    assert check_descent_function(right).ok is True
    assert check_descent_function(reference_descent).ok is True
    assert "start x_0 is missing" in check_descent_function(lambda g, x, lr, n: right(g, x, lr, n)[1:]).message
    assert "climbs" in check_descent_function(lambda g, x, lr, n: right(lambda p: -g(p), x, lr, n)).message
    assert "learning rate is not used" in check_descent_function(lambda g, x, lr, n: right(g, x, 1.0, n)).message
    assert "one point" in check_descent_function(lambda g, x, lr, n: right(g, x, lr, n)[-1]).message
    assert "raised" in check_descent_function(lambda g, x, lr, n: 1 / 0).message


def _in_place(grad, x0, lr, steps):
    """The aliasing bug: x -= ... changes the one array that every list entry refers to."""
    x = x0
    xs = [x]
    for _ in range(steps):
        x -= lr * grad(x)
        xs.append(x)
    return np.array(xs)


def _in_place_after_a_copy(grad, x0, lr, steps):
    x = np.array(x0, dtype=float)
    xs = [x.copy()]
    for _ in range(steps):
        x -= lr * grad(x)
        xs.append(x)
    return np.array(xs)


def _row_view(grad, x0, lr, steps):
    xs = np.zeros((steps + 1, len(x0)))
    xs[0] = x0
    x = xs[0]                       # a view of row 0
    for t in range(steps):
        x -= lr * grad(x)
        xs[t + 1] = x
    return xs


def test_descent_function_names_the_in_place_aliasing_bug():
    for buggy in (_in_place, _in_place_after_a_copy, _row_view):
        fb = check_descent_function(buggy)
        assert fb.ok is False, buggy.__name__
        assert "in place" in fb.message and "x = x - lr * grad(x)" in fb.message, (buggy.__name__, fb.message)
        assert "first row should be" not in fb.message


def test_rounding_policy():
    from checker_cases import assert_rounding_policy  # tests/ is on sys.path under pytest

    assert_rounding_policy(check_update_step, _one_step(0.25), [(_one_step(1.0), "without the learning rate")])
    assert_rounding_policy(check_largest_lr, 2 / L, [(2 / MU, "smaller curvature"), (1 / L, "1/L")])
    best = float(best_plain_lr(MU, L))
    assert_rounding_policy(check_best_lr, (best, _factor(best)), [((2 / L, 0.0), "edge of stability")])
    close = check_largest_lr(0.13)                       # 0.125 to two figures
    assert close.nearly is True and "edge" not in close.message


# Exercise 5 (transfer): f(x, y) = 2x^2 + 2xy + 2y^2, a valley tilted by 45 degrees
def _tilted(x, y):
    return 2 * x * x + 2 * x * y + 2 * y * y


TILTED = quadratic(a=6.0, b=2.0, angle=np.pi / 4)        # the solution's surface: curvature 6 along (1, 1)


def test_tilted_surface_is_the_exercises_function():
    points = np.random.default_rng(0).uniform(-3, 3, size=(20, 2))
    assert np.allclose(TILTED.loss(points), _tilted(points[:, 0], points[:, 1]))
    assert np.allclose(TILTED.hessian(np.zeros(2)), TILTED_HESSIAN)
    # the Hessian by finite differences of the function itself (the mixed term is 2, not 1)
    h, f = 1e-4, lambda p: _tilted(*p)
    numeric = [[(f(np.eye(2)[i] * h + np.eye(2)[j] * h) - f(np.eye(2)[i] * h) - f(np.eye(2)[j] * h) + f(np.zeros(2)))
                / h**2 for j in range(2)] for i in range(2)]
    assert np.allclose(numeric, TILTED_HESSIAN, atol=1e-4)


def test_tilted_limit():
    right = 2 / float(np.linalg.eigvalsh(TILTED_HESSIAN).max())
    # measured: just below the limit descent converges, just above it diverges
    for lr, converges in ((right * 0.99, True), (right * 1.01, False)):
        trace = descent.run(TILTED, SGD(lr=lr), [1.0, 0.0], steps=3000)
        assert (trace.diverged_at is None) is converges, lr
    diagonal = 2 / TILTED_HESSIAN[0, 0]                  # the slip the exercise is about: it diverges
    assert descent.run(TILTED, SGD(lr=0.99 * diagonal), [1.0, 0.0], steps=3000).diverged_at is not None
    assert check_tilted_limit(None).ok is None
    assert check_tilted_limit(right).ok is True
    assert "diagonal" in check_tilted_limit(diagonal).message
    assert "smallest curvature" in check_tilted_limit(2 / np.linalg.eigvalsh(TILTED_HESSIAN).min()).message
    half_mixed = np.array([[4.0, 1.0], [1.0, 4.0]])       # the mixed derivative of 2xy taken as 1
    assert "mixed derivative" in check_tilted_limit(2 / np.linalg.eigvalsh(half_mixed).max()).message
    assert "1/L" in check_tilted_limit(right / 2).message
    assert "best fixed" in check_tilted_limit(float(best_plain_lr(2.0, 6.0))).message
    assert check_tilted_limit(0.7).ok is False and check_tilted_limit("1/3").ok is False


def test_tilted_limit_rounding_policy():
    from checker_cases import assert_rounding_policy  # tests/ is on sys.path under pytest

    assert_rounding_policy(check_tilted_limit, 1 / 3, [(0.5, "diagonal"), (1 / 6, "1/L"), (0.4, "mixed")])
