import numpy as np
import pytest

from checker_cases import assert_checker  # tests/ is on sys.path under pytest

from helpers import descent
from helpers.lessons.exercises import weight_decay
from helpers.optim import SGD, Adam, AdamW


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

# Exercise 3: torch's AdamW(lr=1e-3, weight_decay=0.1) moved to lr 4e-3 with the same shrink per step.
OLD_SHRINK = 1 - _shrink_factor(AdamW(lr=1e-3, weight_decay=0.1))           # 1e-4
NEW_WD = float(f"{OLD_SHRINK / 4e-3:.12g}")                        # 0.025, float noise rounded off
NEW_SHRINK_OLD_WD = 1 - _shrink_factor(AdamW(lr=4e-3, weight_decay=0.1))    # slip: wd kept, 4e-4

# Exercise 5 (transfer): one weight, f(w) = 0.02 (w - 5)^2; ridge end point and the box |w| <= 1/wd = 10.
RIDGE = 0.04 * 5 / (0.04 + 0.1)
BOX = min(5.0, 1 / 0.1)

CASES = [
    (weight_decay.check_decoupled_rate, DECOUPLED, [
        (L2, "multiplied by the learning rate"), (SGD_FACTOR, "fraction removed"),
    ]),
    (weight_decay.check_adam_l2_decay, ADAM_L2, [
        (ADAMW_REMOVES, "AdamW"),
        (LR * LAM * W / ROOT_V_HAT ** 2, "square root"),    # divided by v_hat instead of sqrt(v_hat)
    ]),
    (weight_decay.check_decay_after_lr_change, NEW_WD, [
        (0.1, "torch multiplies weight_decay by the learning rate"),          # kept weight_decay
        (0.1 * 4, "fall by the factor"),                                      # multiplied by 4
        (OLD_SHRINK, "shrink per step"), (NEW_SHRINK_OLD_WD, "old weight_decay"),
    ]),
    (weight_decay.check_one_weight_adam_l2, RIDGE, [
        (5.0, "stops only where g + lambda w = 0"),                           # Adam's normalisation "cancels" L2
        (1 / 0.1, "AdamW's bound"), (0.04 * 5 / (0.04 + 0.05), "lambda / 2"),
        (0.02 * 5 / (0.02 + 0.1), "derivative of 0.02 (w - 5)^2"), (5 / 1.1, "curvature of 1"),
    ]),
    (weight_decay.check_one_weight_adamw, BOX, [
        (1 / 0.1, "bound of the box"), (RIDGE, "Adam + L2"), (5 / 1.1, "fixed factor"),
    ]),
]


def test_derived_answers_agree_with_the_exercise_formulas():
    assert DECOUPLED == pytest.approx(0.1 * L2)
    assert ADAMW_REMOVES == pytest.approx(LR * LAM * W)
    assert NEW_WD == pytest.approx(0.025) and NEW_SHRINK_OLD_WD == pytest.approx(4 * OLD_SHRINK)


def test_one_weight_answers_are_where_the_runs_settle():
    # the transfer's end points, by runs on the exercise's loss (lr 0.01, 20000 steps from 0)
    problem = weight_decay.ONE_WEIGHT
    l2 = descent.run(problem, Adam(lr=0.01, weight_decay=0.1), np.zeros(1), 20000, keep_path=False).final
    adamw = descent.run(problem, AdamW(lr=0.01, weight_decay=0.1), np.zeros(1), 20000, keep_path=False).final
    assert weight_decay.check_one_weight_adam_l2(float(l2[0])).ok is True
    assert weight_decay.check_one_weight_adamw(float(adamw[0])).ok is True
    assert 5 - 0.01 < adamw[0] < 5                                 # hovers just below, by less than lr
    tight = descent.run(problem, AdamW(lr=0.01, weight_decay=0.5), np.zeros(1), 20000, keep_path=False).final
    assert tight[0] == pytest.approx(2.0, abs=0.01)                  # where the box binds, at 1/wd
    assert problem.grad(np.array([5.0]))[0] == 0 and problem.loss(np.array([3.0])) == pytest.approx(0.08)


@pytest.mark.parametrize("check, right, wrongs", CASES, ids=[case[0].__name__ for case in CASES])
def test_checkers(check, right, wrongs):
    assert_checker(check, right, wrongs)
