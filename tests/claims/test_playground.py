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
    # [5] "SGD's step is lr times the gradient, which is about 230 at the start"; [9] "near the start the largest curvature of
    # Rosenbrock is about 1500, so notebook 03's limit 2/L is about 0.0013"
    start = np.asarray(ROSENBROCK.default_start)
    assert round(np.linalg.norm(ROSENBROCK.grad(start)), -1) == 230
    top = np.linalg.eigvalsh(ROSENBROCK.hessian(start))[-1]
    assert round(top, -2) == 1500 and f"{2 / top:.4f}" == "0.0013"


def all_four_suit(lr, settings=DEFAULT, within=0.25):
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


def test_0_002_is_about_momentums_best_and_half_sgds():
    # [5] "At 0.002, about SGD + momentum's best rate and half SGD's"
    walks = _walks(TUNED)
    assert 0.8 < 0.002 / walks["SGD + momentum"].lr < 1.25 and 0.35 < 0.002 / walks["SGD"].lr < 0.6


def sgds_best_is_an_island(settings=TUNED):
    """[5] "SGD's best is an island: the slider's positions on either side of it ... both diverge"."""
    i = int(np.argmin(np.abs(LR_STOPS - _walks(settings)["SGD"].lr)))
    shared = settings.replace(lr_mode="shared")
    return all(_walks(shared.replace(lr=float(LR_STOPS[j])))["SGD"].diverged_at is not None for j in (i - 1, i + 1))


def test_sgds_best_is_an_island():
    assert sgds_best_is_an_island()
    assert (f"{LR_STOPS[np.argmin(np.abs(LR_STOPS - _walks(TUNED)['SGD'].lr)) - 1]:.4f}",
            f"{LR_STOPS[np.argmin(np.abs(LR_STOPS - _walks(TUNED)['SGD'].lr)) + 1]:.4f}") == ("0.0040", "0.0050")


def test_on_the_bowl_sgds_best_is_no_island():
    assert not sgds_best_is_an_island(TUNED.replace(surface="bowl", start=(-4.0, 2.0)))


def on_the_floor_when_the_rate_passes(limit=0.0013, settings=DEFAULT.replace(lr=0.002)):
    """[9] "by the time the rate reaches 0.0013, after a dozen steps, SGD is already on the valley floor":
    |y - x^2| < 0.05 at the first step whose rate reaches ``limit``."""
    frame = playground_frame(settings)
    t = int(np.argmax(frame.lrs >= limit - 1e-12))
    x, y = _walks(settings)["SGD"].xs[t]
    return t, abs(y - x * x) < 0.05


def test_on_the_valley_floor_when_the_rate_passes_the_limit():
    assert on_the_floor_when_the_rate_passes() == (12, True)


def test_not_yet_on_the_floor_at_the_first_step():
    assert not on_the_floor_when_the_rate_passes(limit=0.0)[1]


def _floor_arc(x):
    """Arc length along Rosenbrock's valley floor y = x^2 from x = 0 (the integral of sqrt(1 + 4x^2))."""
    return 0.5 * x * np.sqrt(1 + 4 * x * x) + 0.25 * np.arcsinh(2 * x)


def fraction_along_the_valley(x, start_x=-1.2, end_x=1.0):
    return (_floor_arc(x) - _floor_arc(start_x)) / (_floor_arc(end_x) - _floor_arc(start_x))


def test_at_0_3_adam_and_adamw_end_a_little_over_halfway_along_the_valley():
    # [9] "Adam and AdamW end a little over halfway along the valley": measured along the floor y = x^2
    walks = _walks(DEFAULT.replace(lr=0.3))
    for label in ("Adam", "AdamW"):
        x, y = walks[label].xs[-1]
        assert abs(y - x * x) < 0.1, label                     # on the floor
        assert 0.5 < fraction_along_the_valley(x) < 0.7, (label, fraction_along_the_valley(x))


def test_on_the_valley_floor_the_gradient_falls_below_1():
    # [5] "the gradient, which is about 230 at the start (on the valley floor it falls below 1)"
    sgd = _walks(TUNED)["SGD"]
    on_floor = [x for x in sgd.xs if abs(x[1] - x[0] ** 2) < 0.05]
    assert on_floor and min(np.linalg.norm(ROSENBROCK.grad(x)) for x in on_floor) < 1


def test_where_the_rate_passes_the_limit_the_curvature_is_lower_than_at_the_start():
    # [9] "by the time the rate reaches 0.0013, after a dozen steps, SGD is already on the valley floor, where
    # the curvature is lower"
    t, _ = on_the_floor_when_the_rate_passes()
    x = _walks(DEFAULT)["SGD"].xs[t]
    top = lambda p: np.linalg.eigvalsh(ROSENBROCK.hessian(np.asarray(p)))[-1]   # noqa: E731
    assert top(x) < 0.8 * top(ROSENBROCK.default_start)


def test_below_about_0_6_momentums_overshoot_is_too_small_to_see():
    # [12] "Slide momentum from 0.7 to 0.95 and watch the walker overshoot the valley floor ... (below about 0.6 the
    # overshoot is too small to see)": the crossing of the floor, y = 0, is under 0.05 at 0.55 and over 0.1 at 0.65
    from helpers.lessons.playground_scenarios import SCENARIOS

    settings, _ = SCENARIOS["momentum"]

    def crossing(m):
        xs = _walks(settings.replace(momentum=m))["SGD + momentum"].xs
        return float(np.max(-np.sign(xs[0, 1]) * xs[:, 1]))

    assert crossing(0.55) < 0.05 and crossing(0.65) > 0.1
