import numpy as np
import pytest

from checker_cases import assert_checker  # tests/ is on sys.path under pytest

from helpers.lessons import ema
from helpers.lessons.exercises import moving_averages
from helpers.optim import SGD, Adam

# Exercises 1-2: an EMA with beta = 0.9 fed 2.0 three times from a_0 = 0, from helpers.lessons.ema.
G, BETA = 2.0, 0.9
RAW = ema.ema(np.full(3, G), BETA)                          # a_1, a_2, a_3
A3 = float(RAW[-1])                                         # 2 (1 - 0.9^3)
A3_HAT = float(ema.ema(np.full(3, G), BETA, debias=True)[-1])  # a_3 / (1 - 0.9^3)
A3_SWAPPED = float(ema.ema(np.full(3, G), 1 - BETA)[-1])    # slip: weights 0.9 and 0.1 swapped

# Exercise 5: Adam(lr=0.01) sees the gradient -3.0 once; the change p_1 - p_0 from helpers.optim.
LR, GRAD = 0.01, -3.0
_adam = Adam(lr=LR)
_p0 = np.array([1.0])
_p1, _state = _adam.step(_p0, np.array([GRAD]), _adam.init(_p0))
ADAM_STEP = float(_p1[0] - _p0[0])
_sgd_p1, _ = SGD(lr=LR).step(_p0, np.array([GRAD]), SGD(lr=LR).init(_p0))
SGD_STEP = float(_sgd_p1[0] - _p0[0])                       # slip: SGD's step, -lr * g
UNCORRECTED = float(-LR * _state.m[0] / np.sqrt(_state.v[0]))  # slip: raw m and v, no bias correction

CASES = [
    (moving_averages.check_ema_value, A3, [
        (A3_HAT, "heading for"), (A3_SWAPPED, "other way round"),
        (float(RAW[0]), "a_1"), (float(RAW[1]), "a_2"),
    ]),
    (moving_averages.check_ema_corrected, A3_HAT, [
        (A3, "raw average"),
        (A3 / (1 - BETA), "1 - beta = 0.1"),                # divided by 1 - beta instead of 1 - beta^3
    ]),
    (moving_averages.check_adam_first_step, ADAM_STEP, [
        (-ADAM_STEP, "wrong direction"), (SGD_STEP, "SGD"), (UNCORRECTED, "without bias correction"),
    ]),
]


def test_derived_answers_agree_with_the_exercise_formulas():
    assert A3 == pytest.approx(G * (1 - BETA ** 3))
    assert A3_HAT == pytest.approx(G)
    m_hat, v_hat = _adam.bias_corrected(_state)
    assert ADAM_STEP == pytest.approx(-LR * m_hat[0] / np.sqrt(v_hat[0]), rel=1e-6)
    assert ADAM_STEP == pytest.approx(LR, rel=1e-6)   # Adam's first step has size lr


@pytest.mark.parametrize("check, right, wrongs", CASES, ids=[case[0].__name__ for case in CASES])
def test_checkers(check, right, wrongs):
    assert_checker(check, right, wrongs)
