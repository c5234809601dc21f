import pytest

from helpers.exercises import weight_decay

CASES = [
    (weight_decay.check_decoupled_rate, 0.001, [(0.01, "multiplied by the learning rate"), (0.999, "fraction removed")]),
    (weight_decay.check_adam_l2_decay, 1e-7, [(1e-5, "AdamW"), (1e-9, "square root")]),
    (weight_decay.check_paper_decay, 1e-4, [(0.1, "same number"), (100.0, "divided")]),
]


@pytest.mark.parametrize("check, right, wrongs", CASES)
def test_checkers(check, right, wrongs):
    assert check(right).ok is True
    assert check(None).ok is None
    assert check("abc").ok is False
    for wrong, phrase in wrongs:
        fb = check(wrong)
        assert fb.ok is False and phrase in fb.message, (wrong, fb.message)
