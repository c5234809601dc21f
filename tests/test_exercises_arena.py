import numpy as np
import pytest

from checker_cases import assert_checker  # tests/ is on sys.path under pytest

from helpers.lessons import arena as arena_lesson
from helpers.lessons.exercises import arena
from helpers.optim import AdamW

# Exercise 1: warmup over 50 steps to a peak of 0.1, at step t = 9, read off the arena's own schedule.
WARMUP = arena_lesson.arena_schedule(0.1, "constant", 50, 200)
WARMUP_LR = float(WARMUP(9))                  # 0.1 * (9 + 1) / 50
WARMUP_FROM_ZERO = float(WARMUP(8))           # slip: ramp t / W, i.e. the schedule one step earlier
WARMUP_PEAK = float(WARMUP(199))              # slip: the peak, held after the warmup


def _decay_left(lr, weight_decay, steps):
    """Fraction of a weight left by AdamW's decay alone (zero gradient), from helpers.optim."""
    opt = AdamW(lr=lr, weight_decay=weight_decay)
    p = np.ones(1)
    state = opt.init(p)
    for _ in range(steps):
        p, state = opt.step(p, np.zeros(1), state)
    return float(p[0])


# Exercise 2: AdamW with lr 0.02 and weight_decay 0.01, decay only, for 200 steps.
DECAY_LEFT = _decay_left(0.02, 0.01, 200)

CASES = [
    (arena.check_warmup_lr, WARMUP_LR, [(WARMUP_FROM_ZERO, "t + 1"), (WARMUP_PEAK, "peak")]),
    (arena.check_decay_left, DECAY_LEFT, [
        (_decay_left(1.0, 0.01, 200), "multiplies weight_decay by lr"),  # shrink by wd, not lr * wd
        (1 - DECAY_LEFT, "removed"),                                     # the fraction removed
    ]),
]


def test_derived_answers_agree_with_the_exercise_formulas():
    assert WARMUP_LR == pytest.approx(0.1 * (9 + 1) / 50)
    assert WARMUP_PEAK == pytest.approx(0.1)
    assert DECAY_LEFT == pytest.approx((1 - 0.02 * 0.01) ** 200, rel=1e-12)


@pytest.mark.parametrize("check, right, wrongs", CASES, ids=[case[0].__name__ for case in CASES])
def test_checkers(check, right, wrongs):
    assert_checker(check, right, wrongs)


def test_check_widest():
    widths = {"SGD": 0.1, "Adam": 1.4, "AdamW": 1.0}
    widest = max(widths, key=widths.get)
    assert arena.check_widest(widest, widths).ok is True
    assert f"{widths['SGD']:.2f} decades" in arena.check_widest("SGD", widths).message
    assert arena.check_widest("Adagrad", widths).ok is False
    assert arena.check_widest(None, widths).ok is None


def test_decay_left_accepts_three_significant_figures_and_calls_two_close():
    # reviewers: 0.961 (three significant figures of 0.9608) was rejected
    assert arena.check_decay_left(round(DECAY_LEFT, 3)).ok is True          # 0.961
    assert arena.check_decay_left(round(DECAY_LEFT, 4)).ok is True          # 0.9608
    two_figures = arena.check_decay_left(round(DECAY_LEFT, 2))              # 0.96: rounded too far
    assert two_figures.ok is False and two_figures.nearly is True
    # 0.96 is also 1 - 200 * lr * wd, the shrinks added instead of compounded: "Close", with that hint
    linear = arena.check_decay_left(1 - 0.02 * 0.01 * 200)
    assert linear == two_figures and "compounds" in linear.message
