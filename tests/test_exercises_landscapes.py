"""The landscape checkers: right answers pass, typical slips get their own message."""

from helpers.lessons.exercises.landscapes import (check_critical_point, check_escape_steps, check_lost_basin,
                                          check_reached_minimum)
from helpers.surfaces import SURFACES


def test_reached_minimum():
    assert check_reached_minimum(None).ok is None
    assert check_reached_minimum(0).ok is True
    assert check_reached_minimum([3.0, 2.0]).ok is True
    assert "nearest" in check_reached_minimum(3).message
    assert check_reached_minimum(SURFACES["himmelblau"].minima[1]).ok is False
    assert check_reached_minimum(7).ok is False


def test_lost_basin():
    assert check_lost_basin(None).ok is None
    assert check_lost_basin(2).ok is True
    wrong = check_lost_basin(0)
    assert wrong.ok is False and "82.3" in wrong.message


def test_critical_point():
    assert check_critical_point(None).ok is None
    assert check_critical_point("Maximum").ok is True
    assert check_critical_point("local maximum").ok is True
    assert "does not make it a minimum" in check_critical_point("minimum").message
    assert "both signs" in check_critical_point("saddle").message
    assert check_critical_point(3).ok is False


def test_escape_steps():
    assert check_escape_steps(None).ok is None
    assert check_escape_steps(48).ok is True
    assert "linear guess" in check_escape_steps(9800).message
    assert "extra steps" in check_escape_steps(146).message
    assert check_escape_steps(20).ok is False
