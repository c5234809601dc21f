"""The checkers of notebook 10's exercises: right answers pass, the typical slips get their diagnosis,
and each right answer is recomputed here from the course's own functions."""
import numpy as np
import pytest

from checker_cases import assert_checker  # tests/ is on sys.path under pytest

from helpers import nn
from helpers.lessons import real_network as rn
from helpers.lessons.batch_noise import predicted_noise
from helpers.lessons.exercises import real_network as ex

# Exercise 1: the 64-32-10 network
PARAMS = nn.param_count(64, 32, 10)
# Exercise 2 (transfer): the noise ratio from the predicted noise of any per-example gradients with
# n = 1348 rows (sigma_1 cancels)
G = np.random.default_rng(0).normal(size=(ex.N_TRAIN, 3))
NOISE_RATIO = float(np.divide(*predicted_noise(G, np.array([128, 32]))))
# Exercise 3: the first step of the notebook's SGD ramp at or above 0.1, read off the ramp itself
RAMP = rn.ramp(1e-5, 10.0, 200)
RAMP_STEP = int(np.argmax(RAMP(np.arange(200)) >= 0.1))

COUNTS = [        # whole-number answers: exact, so the rounding policy of assert_checker does not apply
    (ex.check_param_count, PARAMS, [
        (64 * 32 + 32 * 10, "weights only"),
        (64 * 32 + 32 + 32 + 1, "one output"),
        (64 * 32 + 32 + 32 * 10, "10 biases, one per digit"),
        (64 * 32 + 32 * 10 + 10, "32 biases"),
        (nn.param_count(64, 16, 10), "64-16-10"),
    ]),
    (ex.check_ramp_step, RAMP_STEP, [
        (RAMP_STEP - 1, "rounds 132.67 down"),
        (134, "not t / 200"),
        (100, "0.01"),
    ]),
]


def test_derived_answers():
    assert PARAMS == 2410
    assert NOISE_RATIO == pytest.approx(ex.noise_ratio(), rel=1e-12)
    assert RAMP_STEP == ex.ramp_step() == 133
    assert RAMP(RAMP_STEP - 1) < 0.1 <= RAMP(RAMP_STEP)
    # the transfer exercise's answer is the formula's, and a measurement agrees to a few percent
    digits = rn.load(0)
    grads = rn.per_example_grads(digits, rn.init(0))
    measured = rn.batch_noise(grads, np.array([32, 128]), draws=200, rng=0)
    assert measured[1] / measured[0] == pytest.approx(NOISE_RATIO, rel=0.05)


def test_noise_ratio_checker():
    assert_checker(ex.check_noise_ratio, NOISE_RATIO, [
        (0.5, "finite-population"),
        (0.25, "not 1/B"),
        (1 / NOISE_RATIO, "below 1"),
        (NOISE_RATIO ** 2, "variances"),
    ])


@pytest.mark.parametrize("check, right, wrongs", COUNTS, ids=[case[0].__name__ for case in COUNTS])
def test_count_checkers(check, right, wrongs):
    assert check(right).ok is True and check(float(right)).ok is True
    assert check(None).ok is None
    assert check("abc").ok is False
    for wrong, phrase in wrongs:
        fb = check(wrong)
        assert fb.ok is False and phrase in fb.message, (wrong, fb.message)
    near = check(right + 0.4)                       # within three figures, but a count is a whole number
    assert near.ok is False and not near.nearly
    assert check(right + 1).ok is False
