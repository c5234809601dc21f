"""Checkers of the learning-rate-schedule exercises, against helpers.schedules itself."""

import math

import numpy as np

from helpers import descent
from helpers import schedules as S
from helpers.lessons.exercises import learning_rate_schedules as ex
from helpers.lessons.step_size import Parabola
from helpers.optim import SGD


def test_warmup_lr_agrees_with_the_schedule():
    schedule = S.warmup_cosine(0.4, 10, 110)
    right = float(schedule(4))
    assert math.isclose(right, 0.4 * (4 + 1) / 10)       # the exercise's formula lr_max (t + 1) / W
    assert ex.check_warmup_lr(right).ok is True
    assert "(t + 1) / W" in ex.check_warmup_lr(float(schedule(3))).message   # slip: t / W, one step early
    assert "peak" in ex.check_warmup_lr(float(schedule(9))).message          # the peak, at t = W - 1
    assert ex.check_warmup_lr(None).ok is None
    assert ex.check_warmup_lr(str(right)).ok is False


def test_cosine_quarter_agrees_with_the_schedule():
    schedule = S.cosine(0.4, 100)
    right = float(schedule(25))
    assert math.isclose(right, 0.4 * (1 + math.cos(math.pi * 25 / 100)) / 2)
    assert ex.check_cosine_quarter(right).ok is True
    assert ex.check_cosine_quarter(round(right, 3)).ok is True           # 3 significant figures
    assert "straight line" in ex.check_cosine_quarter(0.4 * (1 - 25 / 100)).message  # linear decay to 0
    assert "(1 + cos" in ex.check_cosine_quarter(0.4 * math.cos(math.pi / 4)).message
    assert "t = 50" in ex.check_cosine_quarter(float(schedule(50))).message         # half-way


def test_scaled_lr():
    base_lr, k = 0.1, 256 / 32                          # the large-batch rule: lr * k
    assert ex.check_scaled_lr(base_lr * k).ok is True
    assert "square-root" in ex.check_scaled_lr(base_lr * math.sqrt(k)).message
    assert "goes up" in ex.check_scaled_lr(base_lr / k).message
    assert ex.check_scaled_lr(None).ok is None


def _converges(lr, curvature=5.0, steps=200):
    """Does plain descent on curvature/2 * w^2 from w = 1 shrink the error (helpers.descent)?"""
    trace = descent.run(Parabola(curvature=curvature, centre=0.0), SGD(lr=lr), [1.0], steps)
    return trace.diverged_at is None and abs(trace.xs[-1, 0]) < 0.5


def test_largest_scale():
    base_lr, L = 0.02, 5.0
    ks = np.arange(1, 41)
    largest = int(max(k for k in ks if _converges(k * base_lr, L)))   # measured, not typed
    assert largest * base_lr < 2 / L <= (largest + 1) * base_lr
    assert ex.check_largest_scale(largest).ok is True
    assert "strict" in ex.check_largest_scale(largest + 1).message     # k * 0.02 = 2 / L exactly
    assert "1 / L" in ex.check_largest_scale(round(1 / L / base_lr)).message
    assert "whole number" in ex.check_largest_scale(largest - 0.5).message


def test_rounding_policy():
    from checker_cases import assert_rounding_policy  # tests/ is on sys.path under pytest

    warmup, cosine = S.warmup_cosine(0.4, 10, 110), S.cosine(0.4, 100)
    assert_rounding_policy(ex.check_warmup_lr, float(warmup(4)), [(float(warmup(3)), "(t + 1) / W")])
    assert_rounding_policy(ex.check_cosine_quarter, float(cosine(25)), [(0.4 * (1 - 25 / 100), "straight line")])
    assert_rounding_policy(ex.check_scaled_lr, 0.1 * 8, [(0.1 * math.sqrt(8), "square-root")])
    close = ex.check_cosine_quarter(0.34)                 # 0.3414 to two figures: reviewers saw it rejected
    assert close.ok is False and close.nearly is True and close.text.startswith("Close: ")
    assert ex.check_cosine_quarter(0.341).ok is True      # three figures


def test_largest_scale_is_a_count_so_it_must_be_exact():
    assert ex.check_largest_scale(19.0).ok is True
    near = ex.check_largest_scale(19.04)                  # within three figures, but k is a whole number
    assert near.ok is False and not near.nearly and "whole number" in near.message


# --------------------------------------------------------------- exercise 5: a stable first warmup step

def _notebook_data():
    from helpers import data

    rng = np.random.default_rng(0)          # notebook 06's generator, first draw
    return data.linear_regression(n=200, slope=2.0, intercept=0.0, noise=0.5, x_range=(-2.0, 2.0), rng=rng)


def _smallest_stable_first_warmup(peak=0.25, start=(3.0, 2.5)):
    """The smallest W whose first update (the schedule the explorer runs) has lr * sharpness < 2."""
    from helpers.lessons import deep_linear as dl
    from helpers.lessons.schedule_explorer import make_schedule

    x, y = _notebook_data()
    sharp = dl.sharpness(np.array(start), x, y)
    return next(W for W in range(1, 100) if make_schedule(peak, W, 200)(0) * sharp < 2), sharp


def test_warmup_first_step_agrees_with_the_explorers_schedule():
    right, sharp = _smallest_stable_first_warmup()
    assert f"{sharp:.1f}" == f"{ex.START_SHARPNESS}"                 # the printed sharpness the question quotes
    assert ex.check_warmup_first_step(right).ok is True
    assert "explorer's run" in ex.check_warmup_first_step(right - 1).message   # read off the table: 3 survived
    assert "at the minimum" in ex.check_warmup_first_step(1).message           # sharpness 5.81 instead of 30.6
    assert "below 1" in ex.check_warmup_first_step(8).message                  # lr * sharpness < 1
    assert "whole number" in ex.check_warmup_first_step(0.25 * ex.START_SHARPNESS / 2).message   # W = 3.83
    assert "smallest" in ex.check_warmup_first_step(20).message                # the notebook's default
    assert "past 2" in ex.check_warmup_first_step(2).message
    assert ex.check_warmup_first_step(None).ok is None
    assert ex.check_warmup_first_step("4").ok is False


def test_the_explorers_run_survives_a_shorter_warmup_than_the_answer():
    # why the likeliest slip (3) is named: in the explorer's batch order W = 3 survives, although its first
    # step is past the limit; W = 2 diverges
    from helpers.lessons.schedule_explorer import schedule_frame

    right, _ = _smallest_stable_first_warmup()
    x, y = _notebook_data()
    runs = {W: schedule_frame(x, y, 0.25, W, 200, batch_size=20, start=(3.0, 2.5)) for W in (2, right - 1, right)}
    assert runs[2].diverged_at is not None
    assert runs[right - 1].diverged_at is None and runs[right].diverged_at is None


# ------------------------------------------------------------ exercise 6 (transfer): how long a decay takes

def test_decay_steps_agree_with_the_schedule():
    schedule = S.exponential(0.1, 0.99)
    lrs = np.asarray(schedule(np.arange(2000)), dtype=float)
    right = int(np.argmax(lrs < 0.001))                              # measured, not typed
    assert lrs[right - 1] >= 0.001 > lrs[right]
    assert ex.check_decay_steps(right).ok is True
    assert ex.check_decay_steps(float(right)).ok is True
    assert "next one" in ex.check_decay_steps(right - 1).message     # the last step still above 1%
    assert "from 0" in ex.check_decay_steps(right + 1).message       # counted the updates from 1
    assert "0.985" in ex.check_decay_steps(300).message              # read off section 3
    assert "time scale" in ex.check_decay_steps(round(1 / (1 - 0.99))).message
    slow = np.asarray(S.exponential(0.1, 0.99)(np.arange(2000)), dtype=float)
    assert "0.1%" in ex.check_decay_steps(int(np.argmax(slow < 0.0001))).message
    assert "whole step" in ex.check_decay_steps(math.log(0.01) / math.log(0.99)).message   # 458.2
    assert ex.check_decay_steps(None).ok is None
