import pytest

from helpers.exercises import arena, momentum, moving_averages, weight_decay

CASES = [
    (moving_averages.check_ema_value, 0.542, [(2.0, "heading for"), (1.998, "other way round"), (0.2, "a_1"), (0.38, "a_2")]),
    (moving_averages.check_ema_corrected, 2.0, [(0.542, "raw average"), (5.42, "1 - beta = 0.1")]),
    (moving_averages.check_adam_first_step, 0.01, [(-0.01, "wrong direction"), (0.03, "SGD"), (0.0316, "without bias correction")]),
    (momentum.check_momentum_limit, 0.38, [(0.2, "without momentum"), (3.8, "divide by L")]),
    (momentum.check_effective_lr, 0.1, [(0.001, "faster"), (0.019, "two terms"), (0.01, "settles")]),
    (weight_decay.check_decoupled_rate, 0.001, [(0.01, "multiplied by the learning rate"), (0.999, "fraction removed")]),
    (weight_decay.check_adam_l2_decay, 1e-7, [(1e-5, "AdamW"), (1e-9, "square root")]),
    (weight_decay.check_paper_decay, 1e-4, [(0.1, "same number"), (100.0, "divided")]),
    (arena.check_warmup_lr, 0.02, [(0.018, "t + 1"), (0.1, "peak")]),
    (arena.check_decay_left, 0.9608, [((1 - 0.01) ** 200, "multiplies weight_decay by lr"), (0.96, "compounds"), (0.0392, "removed")]),
]


@pytest.mark.parametrize("check, right, wrongs", CASES)
def test_checkers(check, right, wrongs):
    assert check(right).ok is True
    assert check(None).ok is None
    assert check("abc").ok is False
    for wrong, phrase in wrongs:
        fb = check(wrong)
        assert fb.ok is False and phrase in fb.message, (wrong, fb.message)


def test_check_widest():
    widths = {"SGD": 0.1, "Adam": 1.4, "AdamW": 1.0}
    assert arena.check_widest("Adam", widths).ok is True
    assert "0.10 decades" in arena.check_widest("SGD", widths).message
    assert arena.check_widest("Adagrad", widths).ok is False
    assert arena.check_widest(None, widths).ok is None
