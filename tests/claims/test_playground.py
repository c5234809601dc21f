"""Claims of notebooks/playground.ipynb, each checked by a run of the playground's own frame function.

Nothing in the playground is random, so each claim is checked at its setting (the playground's
defaults, or the change the prose describes) and, in a second test, found false at a setting moved
across the line it draws. Numbers the prose quotes without a cell printing them are recomputed here;
printed numbers (the frame descriptions) are left to nbval.
A bracketed [n] is the index (from 0) of the notebook cell that makes the claim.

Printed, so checked by nbval and not repeated here: the frame descriptions at lr 0.002 and 0.3 (the end
losses, "diverged at step 3"), the summed learning rates 0.202 and the distances moved (0.42, 2.12, 0.18,
0.17).
"""

import numpy as np

from helpers.lessons.playground import PlaygroundSettings, playground_frame
from helpers.surfaces import SURFACES

DEFAULT = PlaygroundSettings()
ROSENBROCK, HIMMELBLAU = SURFACES["rosenbrock"], SURFACES["himmelblau"]
LR_STOPS = 10 ** np.arange(-4, 0 + 1e-9, 0.05)          # the playground's learning-rate slider stops


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


def adam_within_a_tenth(lr):
    """[12] item 3: "Raise the learning rate until Adam ends within 0.1 of the minimum": possible on the slider."""
    w = _walks(DEFAULT.replace(lr=float(lr)))["Adam"]
    return w.diverged_at is None and w.gaps[-1] < 0.1


def test_the_slider_can_bring_adam_within_a_tenth():
    hits = [lr for lr in LR_STOPS if adam_within_a_tenth(lr)]
    assert hits and all(lr > 0.6 for lr in hits)                 # from about 0.63 to the slider's top, 1


def test_at_0_3_adam_is_not_within_a_tenth():
    assert not adam_within_a_tenth(0.3)


def ends_in_a_minimum(settings, start=None, within=0.02):
    """[12] item 4: "Pick the himmelblau surface ...: which minimum does each optimizer end in?" presumes
    that each ends in one (within ``within`` of one of the four minima)."""
    walks = _walks(settings.replace(surface="himmelblau", start=start))
    dist = {k: np.min(np.linalg.norm(HIMMELBLAU.minima - w.xs[-1], axis=1)) for k, w in walks.items()}
    return {k: w.diverged_at is None and dist[k] < within for k, w in walks.items()}


def test_on_himmelblau_at_the_defaults_adam_and_adamw_barely_leave_the_start():
    # [12] item 4: "(at the default 0.002 Adam and AdamW barely leave the start)": they move about 0.3, a
    # tenth of the way to the nearest minimum (3.3 away), while SGD and momentum end in one
    walks = _walks(DEFAULT.replace(surface="himmelblau"))
    for label in ("Adam", "AdamW"):
        moved = np.linalg.norm(walks[label].xs[-1] - walks[label].xs[0])
        assert moved < 0.35 and not ends_in_a_minimum(DEFAULT)[label]
    assert ends_in_a_minimum(DEFAULT)["SGD"] and ends_in_a_minimum(DEFAULT)["SGD + momentum"]


def test_at_lr_0_02_and_500_steps_they_do_leave_it():
    walks = _walks(DEFAULT.replace(surface="himmelblau", lr=10 ** -1.7, steps=500))
    assert all(np.linalg.norm(walks[k].xs[-1] - walks[k].xs[0]) > 3 for k in ("Adam", "AdamW"))


def test_on_himmelblau_with_500_steps_at_lr_0_02_every_optimizer_ends_in_a_minimum():
    # [12] item 4: "set steps to 500 and the learning rate to about 0.02 ... which minimum does each
    # optimizer end in? From some starts momentum now diverges" (slider stops: lr 10^-1.7 = 0.020)
    settings = DEFAULT.replace(lr=10 ** -1.7, steps=500)
    assert all(ends_in_a_minimum(settings).values())
    assert not ends_in_a_minimum(settings, start=(2.0, -2.0))["SGD + momentum"]    # momentum diverges there


def test_from_every_start_each_walker_ends_by_one_minimum_unless_momentum_diverges():
    # over an 11 x 11 grid of starts on the sliders' range: SGD ends in a minimum from every start, Adam and
    # AdamW within 0.75 of one (about a fifth of the distance between minima), momentum too where it does
    # not diverge, and it diverges from some starts only
    settings = DEFAULT.replace(surface="himmelblau", lr=10 ** -1.7, steps=500)
    (x0, x1), (y0, y1) = HIMMELBLAU.bounds
    diverged = 0
    for x in np.linspace(x0, x1, 11):
        for y in np.linspace(y0, y1, 11):
            walks = _walks(settings.replace(start=(float(x), float(y))))
            for label, w in walks.items():
                if w.diverged_at is not None:
                    assert label == "SGD + momentum", (label, x, y)
                    diverged += 1
                    continue
                gap = np.min(np.linalg.norm(HIMMELBLAU.minima - w.xs[-1], axis=1))
                assert gap < (0.02 if label == "SGD" else 0.75), (label, x, y, gap)
    assert 0 < diverged < 121
