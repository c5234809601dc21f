import numpy as np
import pytest

from checker_cases import assert_checker  # tests/ is on sys.path under pytest

from helpers.lessons import momentum as momentum_lesson
from helpers.lessons.exercises import momentum
from helpers.optim import SGD

BETA, L, LR = 0.9, 10.0, 0.01

# Exercise 3: largest stable lr with momentum 0.9 on curvature 10, from helpers.lessons.momentum.
LIMIT = float(momentum_lesson.stability_limit(L, BETA))          # (2 + 2 beta) / L
LIMIT_PLAIN = float(momentum_lesson.stability_limit(L))          # slip: beta = 0, 2 / L


def _steady_slope_step(lr, beta, steps=200):
    """The step SGD with momentum takes after ``steps`` steps on the constant gradient g = 1."""
    opt, p = SGD(lr=lr, momentum=beta), np.zeros(1)
    state = opt.init(p)
    for _ in range(steps):
        p_new, state = opt.step(p, np.ones(1), state)
        step, p = float((p - p_new)[0]), p_new
    return step


# Exercise 4: on a steady slope (g = 1) the step equals the plain-SGD lr that goes as fast.
EFFECTIVE_LR = _steady_slope_step(LR, BETA)

CASES = [
    (momentum.check_momentum_limit, LIMIT, [
        (LIMIT_PLAIN, "without momentum"),
        (LIMIT * L, "divide by L"),                                # lr * L at the limit, 2 + 2 beta
    ]),
    (momentum.check_effective_lr, EFFECTIVE_LR, [
        (LR * (1 - BETA), "faster"),                               # multiplied by 1 - beta instead of divided
        (_steady_slope_step(LR, BETA, steps=2), "two terms"),      # the buffer after two steps: g + 0.9 g
        (_steady_slope_step(LR, 0.0), "settles"),                  # no buffer at all: lr itself
    ]),
]


def test_derived_answers_agree_with_the_exercise_formulas():
    assert LIMIT == pytest.approx((2 + 2 * BETA) / L)
    # the rate at the limit is 1: just below it the run converges, just above it diverges
    assert momentum_lesson.rate(LIMIT * 0.999, L, BETA) < 1 < momentum_lesson.rate(LIMIT * 1.001, L, BETA)
    assert EFFECTIVE_LR == pytest.approx(LR / (1 - BETA), rel=1e-6)


@pytest.mark.parametrize("check, right, wrongs", CASES, ids=[case[0].__name__ for case in CASES])
def test_checkers(check, right, wrongs):
    assert_checker(check, right, wrongs)
