"""Checkers of the stochastic-gradient-descent exercises: right answers pass, typical slips are named."""

import numpy as np

from helpers.lessons import linear_model as lm
from helpers.lessons.exercises import stochastic as ex


# Exercise 1's data as the notebook states it: x = (0, 1, 2), y = (1, 1, 5), the line at (w, b) = (1, 0).
X, Y, WB = np.array([0.0, 1.0, 2.0]), np.array([1.0, 1.0, 5.0]), np.array([1.0, 0.0])


def _right_gradient():
    """The exercise's gradient, from the model the notebook uses (helpers.lessons.linear_model)."""
    return lm.grad(WB, X, Y)


def test_average_gradient_right_answer_matches_the_model():
    right = _right_gradient()
    # by hand: residuals r = w x + b - y at (w, b) = (1, 0); the gradient of the mean of r^2 / 2 is (mean r x, mean r)
    r = WB[0] * X + WB[1] - Y
    np.testing.assert_allclose(right, [np.mean(r * X), np.mean(r)])
    np.testing.assert_array_equal(ex.SMALL_X, X)         # the checker's copy of the data is the notebook's
    np.testing.assert_array_equal(ex.SMALL_Y, Y)
    assert ex.check_average_gradient(right).ok is True


def test_average_gradient_wrong_answers_get_specific_messages():
    right = _right_gradient()
    assert ex.check_average_gradient(None).ok is None
    assert "sum" in ex.check_average_gradient(len(X) * right).message   # not divided by n
    assert "sign" in ex.check_average_gradient(-right).message
    assert "swapped" in ex.check_average_gradient(right[::-1]).message
    assert "r^2 / 2" in ex.check_average_gradient(2 * right).message           # loss r^2 instead of r^2 / 2
    assert ex.check_average_gradient("abc").ok is False


def test_noise_at_batch_size():
    noise_4 = 0.8                                        # measured at B = 4; noise ~ 1 / sqrt(B)
    assert ex.check_noise_at_batch_size(noise_4 * np.sqrt(4 / 64)).ok is True
    assert "variance" in ex.check_noise_at_batch_size(noise_4 * 4 / 64).message   # as if noise ~ 1 / B
    assert "larger" in ex.check_noise_at_batch_size(noise_4 * np.sqrt(64 / 4)).message  # ratio upside down
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


def _floor(lr, batch_size):
    """The loss floor of constant-lr SGD the exercise states, lr * tr(Sigma) / (4 B), with tr(Sigma) = 1."""
    return lr * 1.0 / (4 * batch_size)


def test_noise_floor_factor():
    lr, B = 0.1, 8                                        # any values: the factor does not depend on them
    assert ex.check_noise_floor_factor(_floor(lr / 2, 2 * B) / _floor(lr, B)).ok is True
    as_if_lr_times_b = (lr / 2) * (2 * B) / (lr * B)     # slip: floor ~ lr * B, so the changes cancel
    assert "do not cancel" in ex.check_noise_floor_factor(as_if_lr_times_b).message
    assert "only one" in ex.check_noise_floor_factor(_floor(lr / 2, B) / _floor(lr, B)).message
    assert ex.check_noise_floor_factor(None).ok is None


def test_average_gradient_accepts_the_rounding_its_own_message_prints():
    # reviewers: (-2, -1.33) was rejected with "Compute the residuals...", though the message prints -1.333
    right = _right_gradient()
    assert ex.check_average_gradient((-2, -1.33)).ok is True
    assert ex.check_average_gradient(np.round(right, 3)).ok is True
    rounded = ex.check_average_gradient((-2, -1.3))                        # two significant figures
    assert rounded.ok is False and rounded.nearly is True
    assert "Compute the residuals" not in rounded.message


def test_rounding_policy():
    from checker_cases import assert_rounding_policy  # tests/ is on sys.path under pytest

    right = _right_gradient()
    assert_rounding_policy(ex.check_average_gradient, right,
                           [(-right, "sign is flipped"), (3 * right, "sum over"), (right[::-1], "swapped")])
    assert_rounding_policy(ex.check_noise_at_batch_size, 0.8 * np.sqrt(4 / 64), [(0.8 * 4 / 64, "variance")])
    assert_rounding_policy(ex.check_noise_floor_factor, 0.25, [(0.5, "only one"), (1 / (2 * np.sqrt(2)), "lr / B")])


# Exercise 5 (transfer): the noise floor on a bowl with section 5's Gaussian noise model
def _measured_bowl_floor(curvatures, seed, runs=200, steps=1000):
    """Mean excess loss over steps 200-1000 of ``runs`` noisy runs started at the bowl's minimum."""
    from helpers import descent
    from helpers.optim import SGD
    from helpers.problems import NoisyGradient
    from helpers.surfaces import quadratic

    lr, sigma, _ = ex.BOWL_FLOOR_SETTING.values()
    noisy = NoisyGradient(quadratic(*curvatures), sigma, rng=seed, runs=runs)
    return descent.run(noisy, SGD(lr=lr), np.zeros((runs, 2)), steps).losses[200:].mean()


def test_bowl_noise_floor_right_answer_and_a_run():
    lr, sigma, curvatures = ex.BOWL_FLOOR_SETTING.values()
    formula = lr * (2 * sigma**2) / 4                    # tr Sigma = 2 sigma^2 per step, B = 1
    exact = sum(lr * sigma**2 / (2 * (2 - lr * a)) for a in curvatures)
    for seed in range(3):
        measured = _measured_bowl_floor(curvatures, seed)
        assert abs(measured / exact - 1) < 0.04          # the run sits at the stationary value
        assert abs(measured / formula - 1) < 0.1         # and within 10% of the formula
        round_bowl = _measured_bowl_floor((1.0, 1.0), seed)
        assert abs(round_bowl / measured - 1) < 0.1      # ten times the curvature, about the same floor
    assert ex.check_bowl_noise_floor(None).ok is None
    assert ex.check_bowl_noise_floor(formula).ok is True
    assert ex.check_bowl_noise_floor(exact).ok is True   # the exact stationary value also counts


def test_bowl_noise_floor_slips_are_named():
    lr, sigma, curvatures = ex.BOWL_FLOOR_SETTING.values()
    assert "one coordinate" in ex.check_bowl_noise_floor(lr * sigma**2 / 4).message
    assert "not squared" in ex.check_bowl_noise_floor(lr * 2 * sigma / 4).message
    assert "curvature" in ex.check_bowl_noise_floor(lr * sigma**2 * sum(curvatures) / 4).message
    assert "1/4 is missing" in ex.check_bowl_noise_floor(lr * 2 * sigma**2).message
    assert "does not stay there" in ex.check_bowl_noise_floor(0).message
    for measured in (0.094, 0.097):                      # what runs of this setting measure (seeds 0-4)
        assert "what a run measures" in ex.check_bowl_noise_floor(measured).message
    assert ex.check_bowl_noise_floor("0.09").ok is False


def test_bowl_noise_floor_rounding_policy():
    from checker_cases import assert_rounding_policy  # tests/ is on sys.path under pytest

    assert_rounding_policy(ex.check_bowl_noise_floor, 0.09, [(0.045, "one coordinate"), (0.03, "not squared")])
