import numpy as np
import pytest

from checker_cases import assert_checker  # tests/ is on sys.path under pytest

from helpers.lessons.exercises import weight_decay
from helpers.optim import SGD, AdamW


def _shrink_factor(opt):
    """What one step of ``opt`` multiplies a weight by when the loss gradient is 0 (decay only)."""
    p = np.ones(1)
    p_new, _ = opt.step(p, np.zeros(1), opt.init(p))
    return float(p_new[0])


# Exercise 1: SGD + L2 with lr 0.1, coefficient 0.01; the fraction one step removes, from helpers.optim.
L2 = 0.01
SGD_FACTOR = _shrink_factor(SGD(lr=0.1, weight_decay=L2))   # 1 - lr * lambda
DECOUPLED = 1 - SGD_FACTOR

# Exercise 2: Adam + L2 (lr 1e-3, lambda 0.01, w = 1, sqrt(v_hat) = 100): eta lambda w / sqrt(v_hat).
LR, LAM, W, ROOT_V_HAT = 1e-3, 0.01, 1.0, 100.0
ADAM_L2 = LR * LAM * W / ROOT_V_HAT
ADAMW_REMOVES = 1 - _shrink_factor(AdamW(lr=LR, weight_decay=LAM))   # AdamW's eta lambda w, from helpers.optim

# Exercise 3: torch's AdamW(lr=1e-3, weight_decay=0.1) removes lr * wd per step; the paper's eta_t = 1.
TORCH_LR, TORCH_WD = 1e-3, 0.1
PAPER_LAMBDA = 1 - _shrink_factor(AdamW(lr=TORCH_LR, weight_decay=TORCH_WD))

CASES = [
    (weight_decay.check_decoupled_rate, DECOUPLED, [
        (L2, "multiplied by the learning rate"), (SGD_FACTOR, "fraction removed"),
    ]),
    (weight_decay.check_adam_l2_decay, ADAM_L2, [
        (ADAMW_REMOVES, "AdamW"),
        (LR * LAM * W / ROOT_V_HAT ** 2, "square root"),    # divided by v_hat instead of sqrt(v_hat)
    ]),
    (weight_decay.check_paper_decay, PAPER_LAMBDA, [
        (TORCH_WD, "same number"), (TORCH_WD / TORCH_LR, "divided"),
    ]),
]


def test_derived_answers_agree_with_the_exercise_formulas():
    assert DECOUPLED == pytest.approx(0.1 * L2)
    assert ADAMW_REMOVES == pytest.approx(LR * LAM * W)
    assert PAPER_LAMBDA == pytest.approx(TORCH_LR * TORCH_WD)


@pytest.mark.parametrize("check, right, wrongs", CASES, ids=[case[0].__name__ for case in CASES])
def test_checkers(check, right, wrongs):
    assert_checker(check, right, wrongs)
