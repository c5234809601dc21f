import pytest

from checker_cases import assert_checker  # tests/ is on sys.path under pytest

from helpers.lessons.exercises import momentum

CASES = [
    (momentum.check_momentum_limit, 0.38, [(0.2, "without momentum"), (3.8, "divide by L")]),
    (momentum.check_effective_lr, 0.1, [(0.001, "faster"), (0.019, "two terms"), (0.01, "settles")]),
]


@pytest.mark.parametrize("check, right, wrongs", CASES)
def test_checkers(check, right, wrongs):
    assert_checker(check, right, wrongs)
