"""The gradient-descent checkers: right answers pass, typical slips get their own message."""

import numpy as np

from helpers.lessons.exercises.descent_basics import (check_best_lr, check_descent_function,
                                              check_largest_lr, check_update_step, reference_descent)


def test_update_step():
    assert check_update_step(None).ok is None
    assert check_update_step(1.0).ok is True
    assert "without the learning rate" in check_update_step(7).message
    assert "added the step" in check_update_step(-3).message
    assert "half the right size" in check_update_step(0).message
    assert check_update_step(42).ok is False and check_update_step("1").ok is False


def test_largest_lr():
    assert check_largest_lr(None).ok is None
    assert check_largest_lr(0.125).ok is True
    assert "smaller curvature" in check_largest_lr(0.5).message
    assert "second derivative" in check_largest_lr(0.25).message
    assert "1/L" in check_largest_lr(1 / 16).message
    assert "best fixed" in check_largest_lr(0.1).message
    assert check_largest_lr(0.3).ok is False


def test_best_lr():
    assert check_best_lr(None).ok is None
    assert check_best_lr((0.1, 0.6)).ok is True
    assert "edge of stability" in check_best_lr((0.125, 0.0)).message
    assert "1 - 1/kappa" in check_best_lr((0.1, 0.75)).message
    assert "1/L" in check_best_lr((0.0625, 0.75)).message
    assert check_best_lr(0.1).ok is False


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
