import pytest

from checker_cases import assert_checker  # tests/ is on sys.path under pytest

from helpers.lessons.exercises import moving_averages

CASES = [
    (moving_averages.check_ema_value, 0.542, [(2.0, "heading for"), (1.998, "other way round"), (0.2, "a_1"), (0.38, "a_2")]),
    (moving_averages.check_ema_corrected, 2.0, [(0.542, "raw average"), (5.42, "1 - beta = 0.1")]),
    (moving_averages.check_adam_first_step, 0.01, [(-0.01, "wrong direction"), (0.03, "SGD"), (0.0316, "without bias correction")]),
]


@pytest.mark.parametrize("check, right, wrongs", CASES)
def test_checkers(check, right, wrongs):
    assert_checker(check, right, wrongs)
