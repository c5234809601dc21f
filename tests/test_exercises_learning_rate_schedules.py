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
