"""Claims of notebooks/playground.ipynb, each checked by a run of the playground's own frame function.

Nothing in the playground is random, so each claim is checked at its setting (the playground's
defaults, or the change the prose describes) and, in a second test, found false at a setting moved
across the line it draws. Numbers the prose quotes without a cell printing them are recomputed here;
printed numbers (the frame descriptions) are left to nbval.
A bracketed [n] is the index (from 0) of the notebook cell that makes the claim.

Printed, so checked by nbval and not repeated here: the tuned rates and end losses at the default, the
frame description at the shared rate 0.3 ("diverged at step 3"), the summed learning rates 0.202 and the
distances moved (0.42, 2.12, 0.18, 0.17). The scenarios of [12] "Things to try" are checked, each over
every position of its slider, by tests/test_playground_scenarios.py.
"""

import numpy as np

from helpers.lessons.playground import LR_POSITIONS, PlaygroundSettings, playground_frame
from helpers.surfaces import SURFACES

DEFAULT = PlaygroundSettings(lr_mode="shared")
ROSENBROCK, HIMMELBLAU = SURFACES["rosenbrock"], SURFACES["himmelblau"]
LR_STOPS = LR_POSITIONS                                   # the playground's learning-rate slider stops


def _walks(settings):
    return {w.label: w for w in playground_frame(settings).walks}


def test_quoted_gradient_and_curvature_at_the_start():
    # [5] "on Rosenbrock the gradient is in the hundreds"; [9] "near the start the largest curvature of
    # Rosenbrock is about 1500, so notebook 03's limit 2/L is about 0.0013"
    start = np.asarray(ROSENBROCK.default_start)
    assert 100 <= np.linalg.norm(ROSENBROCK.grad(start)) < 1000
    top = np.linalg.eigvalsh(ROSENBROCK.hessian(start))[-1]
    assert round(top, -2) == 1500 and f"{2 / top:.4f}" == "0.0013"


def slides_and_stalls(label, settings=DEFAULT):
    """[5] "SGD slides into the valley and stalls": it ends on the valley floor (|y - x^2| < 0.05) and its
    loss falls by less than 10% over the second half of the run."""
    w = _walks(settings)[label]
    x, y = w.xs[-1]
    half = len(w.gaps) // 2
    return abs(y - x * x) < 0.05 and w.gaps[-1] > 0.9 * w.gaps[half]


def test_sgd_slides_into_the_valley_and_stalls():
    assert slides_and_stalls("SGD")


def test_momentum_does_not_stall():
    assert not slides_and_stalls("SGD + momentum")


def moves_at_most_the_summed_rates(label, settings=DEFAULT):
    """[5] "Adam's step is roughly lr per coordinate, whatever the gradient's size ... so the whole
    schedule lets it move each coordinate by at most about the sum of the learning rates"."""
    frame = playground_frame(settings)
    w = {walk.label: walk for walk in frame.walks}[label]
    return bool(np.all(np.abs(w.xs[-1] - w.xs[0]) <= 1.05 * frame.lrs.sum()))


def test_adam_and_adamw_move_each_coordinate_at_most_the_summed_rates():
    assert moves_at_most_the_summed_rates("Adam") and moves_at_most_the_summed_rates("AdamW")


def test_momentum_is_not_bound_by_the_summed_rates():
    assert not moves_at_most_the_summed_rates("SGD + momentum")       # 2.1 along x, against 0.20


def all_four_suit(lr, settings=DEFAULT, within=0.1):
    """[9] "Neither learning rate suits all four optimizers": no slider rate brings all four within
    ``within`` of the minimum."""
    walks = _walks(settings.replace(lr=float(lr)))
    return all(w.diverged_at is None and w.gaps[-1] < within for w in walks.values())


def test_no_single_rate_suits_all_four_on_rosenbrock():
    assert not any(all_four_suit(lr) for lr in LR_STOPS)


def test_one_rate_suits_all_four_on_himmelblau():
    assert all_four_suit(10 ** -1.7, DEFAULT.replace(surface="himmelblau", steps=500), within=0.05)


TUNED = PlaygroundSettings()                                # the playground's default: each at its own best


def test_at_the_tuned_default_each_gets_into_the_valley_and_momentum_gets_closest():
    # [5] "Each optimizer gets into the valley and heads for the star; SGD + momentum gets closest"
    walks = _walks(TUNED)
    start_gap = np.linalg.norm(np.asarray(ROSENBROCK.default_start) - 1.0)
    for label, w in walks.items():
        x, y = w.xs[-1]
        assert w.diverged_at is None and abs(y - x * x) < 0.05, label                     # on the valley floor
        assert np.linalg.norm(w.xs[-1] - 1.0) < 0.6 * start_gap, label                      # well on its way
    dist = {k: np.linalg.norm(w.xs[-1] - 1.0) for k, w in walks.items()}
    assert min(dist, key=dist.get) == "SGD + momentum"
    assert sorted(dist.values())[1] > 3 * dist["SGD + momentum"]                            # not a near-tie


def test_at_the_tuned_default_adam_wants_a_rate_over_a_hundred_times_sgds():
    # [5] "Adam and AdamW want rates more than a hundred times larger than SGD's"
    walks = _walks(TUNED)
    assert walks["Adam"].lr > 100 * walks["SGD"].lr and walks["AdamW"].lr > 100 * walks["SGD"].lr


def test_0_002_is_the_size_of_sgds_own_best_rate():
    # [5] "At 0.002, the size of SGD's own best rate": within a factor 3 of it
    best = _walks(TUNED)["SGD"].lr
    assert 1 / 3 < 0.002 / best < 3
