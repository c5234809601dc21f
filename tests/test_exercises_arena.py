import numpy as np
import pytest

from checker_cases import assert_checker  # tests/ is on sys.path under pytest

from helpers.lessons import arena as arena_lesson
from helpers.lessons.exercises import arena
from helpers.optim import SGD, Adam, AdamW

# Exercise 1: warmup over 50 steps to a peak of 0.1, at step t = 9, read off the arena's own schedule.
WARMUP = arena_lesson.arena_schedule(0.1, "constant", 50, 200)
WARMUP_LR = float(WARMUP(9))                  # 0.1 * (9 + 1) / 50
WARMUP_FROM_ZERO = float(WARMUP(8))           # slip: ramp t / W, i.e. the schedule one step earlier
WARMUP_PEAK = float(WARMUP(199))              # slip: the peak, held after the warmup


def _decay_left(lr, weight_decay, steps):
    """Fraction of a weight left by AdamW's decay alone (zero gradient), from helpers.optim; ``lr`` may
    be a schedule."""
    opt = AdamW(lr=lr, weight_decay=weight_decay)
    p = np.ones(1)
    state = opt.init(p)
    for _ in range(steps):
        p, state = opt.step(p, np.zeros(1), state)
    return float(p[0])


# Exercise 2: the weight_decay whose decay alone halves a weight in 200 steps at lr 0.02 (constant).
HALVING_WD = (1 - 0.5 ** (1 / 200)) / 0.02
# Exercise 5 (transfer): AdamW's decay over a cosine schedule from 0.02 to 0 in 200 steps, wd 0.01.
COSINE = arena_lesson.arena_schedule(0.02, "cosine", 0, 200)
COSINE_LEFT = _decay_left(COSINE, 0.01, 200)

CASES = [
    (arena.check_warmup_lr, WARMUP_LR, [(WARMUP_FROM_ZERO, "t + 1"), (WARMUP_PEAK, "peak")]),
    (arena.check_halving_decay, HALVING_WD, [
        (0.5 / (200 * 0.02), "compound"),                  # the shrinks added up
        (0.02 * HALVING_WD, "divided by the learning rate"),   # the per-step shrink lr * wd
        (0.5 / 200, "leaves out the learning rate"),
    ]),
    (arena.check_cosine_decay_left, COSINE_LEFT, [
        (_decay_left(0.02, 0.01, 200), "constant schedule"),   # the schedule ignored
        (1 - COSINE_LEFT, "removed"),
        (_decay_left(1.0, 0.01, 200), "shrinks by wd itself"),  # shrink by wd, not lr_t * wd
    ]),
]


def test_derived_answers_agree_with_the_exercise_formulas():
    assert WARMUP_LR == pytest.approx(0.1 * (9 + 1) / 50)
    assert WARMUP_PEAK == pytest.approx(0.1)
    assert _decay_left(0.02, HALVING_WD, 200) == pytest.approx(0.5, rel=1e-12)   # it halves, by a run
    assert COSINE_LEFT == pytest.approx(arena.cosine_decay_left(), rel=1e-12)
    assert COSINE_LEFT == pytest.approx(np.exp(-0.01 * 0.02 * 200 / 2), rel=1e-3)   # about half the peak on average


@pytest.mark.parametrize("check, right, wrongs", CASES, ids=[case[0].__name__ for case in CASES])
def test_checkers(check, right, wrongs):
    assert_checker(check, right, wrongs)


def test_halving_accepts_the_continuous_approximation():
    # ln 2 / (200 * 0.02) = 0.17329 agrees with 0.17299 to three figures: a sound shortcut, not a slip
    assert arena.check_halving_decay(np.log(2) / 4).ok is True


def _widths(steps):
    """The notebook's network sweep (reproducible runs only) and its widths, at a budget of ``steps``."""
    task, lrs = arena_lesson.network_task(), np.logspace(-4, 1, 41)
    makers = {"SGD": lambda lr: SGD(lr), "SGD + momentum": lambda lr: SGD(lr, momentum=0.9),
              "Adam": lambda lr: Adam(lr), "AdamW": lambda lr: AdamW(lr, weight_decay=0.01)}
    sweep = {k: arena_lesson.reproducible_sweep(task, m, lrs, steps) for k, m in makers.items()}
    threshold = 2 * min(np.nanmin(s) for s in sweep.values())
    widths = {}
    for k, final in sweep.items():
        r = arena_lesson.good_range(lrs, final, threshold)
        widths[k] = 0.0 if r is None else np.log10(r[1] / r[0]) + 0.125
    return widths


def test_widths_at_100_steps_are_the_sweeps():
    widths = _widths(100)
    assert {k: round(v, 2) for k, v in widths.items()} == arena.WIDTHS_AT_100_STEPS
    assert max(widths, key=widths.get) == "AdamW"                 # unlike at 200 steps, where Adam's is widest


def test_check_widest_at_100_steps():
    assert arena.check_widest_at_100_steps("AdamW").ok is True
    adam = arena.check_widest_at_100_steps("Adam")                  # the 200-step answer: named as such
    assert adam.ok is False and "200 steps" in adam.message
    assert arena.check_widest_at_100_steps("SGD").ok is False
    assert arena.check_widest_at_100_steps("Adagrad").ok is False
    assert arena.check_widest_at_100_steps(3).ok is False
    assert arena.check_widest_at_100_steps(None).ok is None
