import numpy as np
import pytest

from checker_cases import assert_checker  # tests/ is on sys.path under pytest

from helpers.lessons import ema
from helpers.lessons.exercises import moving_averages
from helpers.optim import SGD, Adam

# Exercise 1: an EMA with beta = 0.9 fed 2.0 three times from a_0 = 0, from helpers.lessons.ema.
G, BETA = 2.0, 0.9
RAW = ema.ema(np.full(3, G), BETA)                          # a_1, a_2, a_3
A3 = float(RAW[-1])                                         # 2 (1 - 0.9^3)
A3_HAT = float(ema.ema(np.full(3, G), BETA, debias=True)[-1])  # a_3 / (1 - 0.9^3) = 2.0
A3_SWAPPED = float(ema.ema(np.full(3, G), 1 - BETA)[-1])    # slip: weights 0.9 and 0.1 swapped

# Exercise 2: the same EMA then fed 0.0; the corrected a_4 from helpers.lessons.ema.
DROP = np.array([G, G, G, 0.0])
A4 = float(ema.ema(DROP, BETA)[-1])
A4_HAT = float(ema.ema(DROP, BETA, debias=True)[-1])

# Exercise 5: Adam(lr=0.01) sees -3.0, then +1.0; the second change p_2 - p_1 from helpers.optim.
LR, GRADS = 0.01, (-3.0, 1.0)
_adam = Adam(lr=LR)
_p = [np.array([1.0])]
_state = _adam.init(_p[0])
for _g in GRADS:
    _new, _state = _adam.step(_p[-1], np.array([_g]), _state)
    _p.append(_new)
ADAM_SECOND = float(_p[2][0] - _p[1][0])
ADAM_FIRST = float(_p[1][0] - _p[0][0])                     # slip: the first step again
_sgd_new, _ = SGD(lr=LR).step(_p[1], np.array([GRADS[1]]), SGD(lr=LR).init(_p[1]))
SGD_SECOND = float(_sgd_new[0] - _p[1][0])                  # slip: a step against the newest gradient
UNCORRECTED = float(-LR * _state.m[0] / np.sqrt(_state.v[0]))   # slip: raw m and v, no bias correction
PLAIN_MEANS = float(-LR * np.mean(GRADS) / np.sqrt(np.mean(np.square(GRADS))))  # slip: plain means

CASES = [
    (moving_averages.check_ema_value, A3, [
        (A3_HAT, "heading for"), (A3_SWAPPED, "other way round"),
        (float(RAW[0]), "a_1"), (float(RAW[1]), "a_2"),
    ]),
    (moving_averages.check_corrected_after_drop, A4_HAT, [
        (A4, "raw a_4"),
        (A4 / (1 - BETA ** 3), "after three values"),      # the weight sum of a_3, not of a_4
        (A3_HAT, "cannot undo"),                            # the corrected a_3: the drop ignored
        (float(np.mean(DROP)), "plain mean"),
    ]),
    (moving_averages.check_adam_second_step, ADAM_SECOND, [
        (-ADAM_SECOND, "wrong direction"), (SGD_SECOND, "newest gradient"), (ADAM_FIRST, "first step"),
        (UNCORRECTED, "without bias correction"), (PLAIN_MEANS, "plain means"),
    ]),
]


def test_derived_answers_agree_with_the_exercise_formulas():
    assert A3 == pytest.approx(G * (1 - BETA ** 3))
    assert A3_HAT == pytest.approx(G)
    assert A4_HAT == pytest.approx(BETA * A3 / (1 - BETA ** 4))
    m_hat, v_hat = _adam.bias_corrected(_state)
    assert ADAM_SECOND == pytest.approx(-LR * m_hat[0] / np.sqrt(v_hat[0]), rel=1e-6)
    assert ADAM_SECOND * GRADS[1] > 0 > SGD_SECOND * GRADS[1]  # it moves up, where descent on +1.0 alone goes down
    assert ADAM_FIRST == pytest.approx(LR, rel=1e-6)          # Adam's first step has size lr
    assert A3 / G == pytest.approx(0.271) and "quarter of the way (27%)" in moving_averages.check_ema_value(A3).message


@pytest.mark.parametrize("check, right, wrongs", CASES, ids=[case[0].__name__ for case in CASES])
def test_checkers(check, right, wrongs):
    assert_checker(check, right, wrongs)
