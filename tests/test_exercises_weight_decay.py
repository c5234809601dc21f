import pytest

from checker_cases import assert_checker  # tests/ is on sys.path under pytest

from helpers.lessons.exercises import weight_decay

CASES = [
    (weight_decay.check_decoupled_rate, 0.001, [(0.01, "multiplied by the learning rate"), (0.999, "fraction removed")]),
    (weight_decay.check_adam_l2_decay, 1e-7, [(1e-5, "AdamW"), (1e-9, "square root")]),
    (weight_decay.check_paper_decay, 1e-4, [(0.1, "same number"), (100.0, "divided")]),
]


@pytest.mark.parametrize("check, right, wrongs", CASES)
def test_checkers(check, right, wrongs):
    assert_checker(check, right, wrongs)
