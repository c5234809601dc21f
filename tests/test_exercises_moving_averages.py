import pytest

from helpers.exercises import moving_averages

CASES = [
    (moving_averages.check_ema_value, 0.542, [(2.0, "heading for"), (1.998, "other way round"), (0.2, "a_1"), (0.38, "a_2")]),
    (moving_averages.check_ema_corrected, 2.0, [(0.542, "raw average"), (5.42, "1 - beta = 0.1")]),
    (moving_averages.check_adam_first_step, 0.01, [(-0.01, "wrong direction"), (0.03, "SGD"), (0.0316, "without bias correction")]),
]


@pytest.mark.parametrize("check, right, wrongs", CASES)
def test_checkers(check, right, wrongs):
    assert check(right).ok is True
    assert check(None).ok is None
    assert check("abc").ok is False
    for wrong, phrase in wrongs:
        fb = check(wrong)
        assert fb.ok is False and phrase in fb.message, (wrong, fb.message)
