"""Checkers of the stochastic-gradient-descent exercises: right answers pass, typical slips are named."""

import numpy as np

from helpers.lessons import linear_model as lm
from helpers.lessons.exercises import stochastic as ex


def test_average_gradient_right_answer_matches_the_model():
    right = lm.grad([1.0, 0.0], ex.SMALL_X, ex.SMALL_Y)
    np.testing.assert_allclose(right, [-2.0, -4.0 / 3.0])
    assert ex.check_average_gradient(right).ok is True


def test_average_gradient_wrong_answers_get_specific_messages():
    assert ex.check_average_gradient(None).ok is None
    assert "sum" in ex.check_average_gradient((-6.0, -4.0)).message
    assert "sign" in ex.check_average_gradient((2.0, 4 / 3)).message
    assert "swapped" in ex.check_average_gradient((-4 / 3, -2.0)).message
    assert "r^2 / 2" in ex.check_average_gradient((-4.0, -8 / 3)).message
    assert ex.check_average_gradient("abc").ok is False


def test_noise_at_batch_size():
    assert ex.check_noise_at_batch_size(0.8 / np.sqrt(16)).ok is True
    assert "variance" in ex.check_noise_at_batch_size(0.05).message
    assert "larger" in ex.check_noise_at_batch_size(3.2).message
    assert ex.check_noise_at_batch_size(None).ok is None


def _good(n, batch_size, rng):
    order = rng.permutation(n)
    return [order[i:i + batch_size] for i in range(0, n, batch_size)]


def test_epoch_batches_accepts_a_correct_function():
    assert ex.check_epoch_batches(_good).ok is True
    assert ex.check_epoch_batches(None).ok is None


def test_epoch_batches_names_each_mistake():
    unshuffled = lambda n, b, rng: [np.arange(n)[i:i + b] for i in range(0, n, b)]
    with_replacement = lambda n, b, rng: [rng.integers(0, n, b) for _ in range(-(-n // b))]
    dropped = lambda n, b, rng: _good(n, b, rng)[:-1]
    fixed = lambda n, b, rng: _good(n, b, np.random.default_rng(0))
    crashing = lambda n, b, rng: 1 / 0
    assert "shuffle" in ex.check_epoch_batches(unshuffled).message
    assert "more than once" in ex.check_epoch_batches(with_replacement).message
    assert "never used" in ex.check_epoch_batches(dropped).message
    assert "same order" in ex.check_epoch_batches(fixed).message
    assert "ZeroDivisionError" in ex.check_epoch_batches(crashing).message
    assert ex.check_epoch_batches(42).ok is False


def test_noise_floor_factor():
    assert ex.check_noise_floor_factor(0.25).ok is True
    assert "do not cancel" in ex.check_noise_floor_factor(1.0).message
    assert "only one" in ex.check_noise_floor_factor(0.5).message
    assert ex.check_noise_floor_factor(None).ok is None
