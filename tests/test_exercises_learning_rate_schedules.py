"""Checkers of the learning-rate-schedule exercises, against helpers.schedules itself."""

import math

from helpers import schedules as S
from helpers.lessons.exercises import learning_rate_schedules as ex


def test_warmup_lr_agrees_with_the_schedule():
    right = float(S.warmup_cosine(0.4, 10, 110)(4))
    assert abs(right - 0.2) < 1e-12
    assert ex.check_warmup_lr(right).ok is True
    assert "(t + 1) / W" in ex.check_warmup_lr(0.16).message
    assert "peak" in ex.check_warmup_lr(0.4).message
    assert ex.check_warmup_lr(None).ok is None
    assert ex.check_warmup_lr("0.2").ok is False


def test_cosine_quarter_agrees_with_the_schedule():
    right = float(S.cosine(0.4, 100)(25))
    assert ex.check_cosine_quarter(right).ok is True
    assert "straight line" in ex.check_cosine_quarter(0.3).message
    assert "(1 + cos" in ex.check_cosine_quarter(0.4 * math.cos(math.pi / 4)).message
    assert "t = 50" in ex.check_cosine_quarter(0.2).message


def test_scaled_lr():
    assert ex.check_scaled_lr(0.8).ok is True
    assert "square-root" in ex.check_scaled_lr(0.1 * math.sqrt(8)).message
    assert "goes up" in ex.check_scaled_lr(0.0125).message
    assert ex.check_scaled_lr(None).ok is None


def test_largest_scale():
    assert ex.check_largest_scale(19).ok is True
    assert "strict" in ex.check_largest_scale(20).message
    assert "1 / L" in ex.check_largest_scale(10).message
    assert "whole number" in ex.check_largest_scale(18.5).message
