import pytest

from checker_cases import assert_checker  # tests/ is on sys.path under pytest

from helpers.lessons.exercises import arena

CASES = [
    (arena.check_warmup_lr, 0.02, [(0.018, "t + 1"), (0.1, "peak")]),
    (arena.check_decay_left, 0.9608, [((1 - 0.01) ** 200, "multiplies weight_decay by lr"), (0.96, "compounds"), (0.0392, "removed")]),
]


@pytest.mark.parametrize("check, right, wrongs", CASES)
def test_checkers(check, right, wrongs):
    assert_checker(check, right, wrongs)


def test_check_widest():
    widths = {"SGD": 0.1, "Adam": 1.4, "AdamW": 1.0}
    assert arena.check_widest("Adam", widths).ok is True
    assert "0.10 decades" in arena.check_widest("SGD", widths).message
    assert arena.check_widest("Adagrad", widths).ok is False
    assert arena.check_widest(None, widths).ok is None
