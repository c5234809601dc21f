"""Claims of notebooks/03_gradient_descent.ipynb (and its solutions), tested with the helpers it calls.

Each claim is a small function of its setting, checked where the notebook states it and at a mutated
setting where it must be false.

Printed, so checked by nbval and not repeated here: the training loop's losses and accuracies; "same
update"; gradient 6.0 and w = 5, 4.4, 3.92, 3.536; 3.84, 40 steps and 0.96^40 = 0.195; the lr = 1 bounce;
the loss after 200 steps at 0.19 (9.95e-18) and the divergence step at 0.21 (130); the steps to 1e-6 for each kappa
(1, 12, 37, 110, 364, 1090); the two stopping rules (step 368 at 0.0990, step 597 at 0.0099); the progress
rule on the network (1188 updates). Solutions: w = 1.00, 0.12 converges and 0.13 diverges at step 167;
exercise 5's eigenvalues 2 and 6, lr 0.33 converging, 0.34 and 0.49 (2/4 read off the diagonal, nearly)
diverging.
"""
from functools import lru_cache

import matplotlib
import numpy as np
import pytest

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from helpers import descent  # noqa: E402
from helpers.lessons.step_size import (KAPPAS, LOSS_FLOOR, ZIGZAG_STEPS, Parabola, ZigZagExplorer,  # noqa: E402
                                       draw_rates_1d, limit_frame, lr_sweep, zigzag_frame)
from helpers.optim import SGD  # noqa: E402
from helpers.surfaces import SURFACES, bowl, quadratic  # noqa: E402

SEEDS = range(5)
PARABOLA = Parabola(curvature=2.0, centre=2.0)     # (w - 2)^2, L = 2


def distances(lr, steps=12, parabola=PARABOLA, w0=5.0):
    """w - centre after each step of descent.run (the run draw_rates_1d draws)."""
    trace = descent.run(parabola, SGD(lr=lr), [w0], steps, max_loss=1e6)
    return trace.xs[:, 0] - parabola.centre


# --------------------------------------------------------------------------- four learning rates
def test_lr_002_after_12_steps_leaves_061_of_the_distance():
    """"After 12 steps w is at 3.84, less than two fifths of the way (0.96^12 = 0.61 of the distance is
    left)"."""
    left = distances(0.02)[12] / 3.0
    assert f"{left:.2f}" == "0.61" and f"{0.96**12:.2f}" == "0.61"
    assert 1 - left < 2 / 5


def gets_there_in_a_few_steps(lr, steps=4):
    """"About right (0.4): there in a few steps": within 1% of the start's distance in 4 steps."""
    return bool(np.any(np.abs(distances(lr, steps)) < 0.01 * 3.0))


def test_lr_04_gets_there_in_a_few_steps():
    assert gets_there_in_a_few_steps(0.4)


def test_lr_002_does_not_get_there_in_a_few_steps():
    assert not gets_there_in_a_few_steps(0.02)


def oscillates_in(lr):
    """"Large (0.9): each step jumps over the minimum and lands on the other side, a little closer; the run
    still converges, oscillating"."""
    d = distances(lr)
    return bool(np.all(np.sign(d[1:]) == -np.sign(d[:-1])) and np.all(np.diff(np.abs(d)) < 0))


def test_lr_09_oscillates_in():
    assert oscillates_in(0.9)


def test_lr_105_does_not_oscillate_in():
    assert not oscillates_in(1.05)


def grows_without_bound(lr, steps=200):
    """"Too large (1.05): each jump lands *farther* away; the loss grows without bound"."""
    trace = descent.run(PARABOLA, SGD(lr=lr), [5.0], steps)
    return bool(np.all(np.diff(trace.losses) > 0) and trace.diverged_at is not None)


def test_lr_105_grows_without_bound():
    assert grows_without_bound(1.05)


def test_lr_09_does_not_grow():
    assert not grows_without_bound(0.9)


def fastest_of(lrs):
    """The rate whose run is nearest the minimum at every step from the first to the twelfth."""
    d = np.array([np.abs(distances(lr)) for lr in lrs])
    best = np.argmin(d[:, 1:], axis=0)
    return lrs[best[0]] if np.all(best == best[0]) else None


def test_lr_04_gets_there_fastest_of_the_four():
    """"Which runs reach the minimum at w = 2, and which one gets there fastest?" (0.4: "there in a few
    steps")."""
    assert fastest_of([0.02, 0.4, 0.9, 1.05]) == 0.4


def test_next_to_a_rate_near_1_over_L_lr_04_is_not_the_fastest():
    assert fastest_of([0.02, 0.4, 0.55, 1.05]) == 0.55


def test_titles_give_the_four_factors():
    """"The titles give the factor by which w - 2 is multiplied per step"; "the four runs above had
    factors +0.96, +0.2, -0.8, -1.1"; and what each run did."""
    fig, axes = plt.subplots(1, 4)
    try:
        draw_rates_1d([0.02, 0.4, 0.9, 1.05], w0=5.0, steps=12, axes=axes)
        titles = [ax.get_title() for ax in axes]
    finally:
        plt.close(fig)
    for title, factor, kind in zip(titles, ["+0.96", "+0.20", "-0.80", "-1.10"],
                                   ["creeps", "converges", "oscillates", "diverges"]):
        assert f"= {factor})" in title and kind in title
    for lr, factor in zip([0.02, 0.4, 0.9, 1.05], [0.96, 0.2, -0.8, -1.1]):
        d = distances(lr)
        assert np.allclose(d[1:] / d[:-1], factor, rtol=1e-9)


def test_lr_002_needs_40_steps_to_get_as_close_as_lr_04_in_one():
    """"The 0.02 run needs 40 steps (0.96^40 ~ 0.2) to get as close as the 0.4 run did in one"."""
    target = abs(distances(0.4, 1)[1])
    slow = np.abs(distances(0.02, 100))
    assert int(np.argmax(slow <= target)) == 40


# --------------------------------------------------------------------------- the limit 2/L
def test_quoted_curvatures_and_limits():
    """"The bowl 1/2 (x^2 + 10 y^2) has curvatures 1 and 10, so 2/L = 0.2"; "for (w - 2)^2, L = 2, so the
    limit is 1"; "the bowl with kappa = 100 (curvatures 1 and 0.01)"."""
    assert np.allclose(np.linalg.eigvalsh(SURFACES["bowl"].hessian(np.zeros(2))), [1.0, 10.0])
    assert limit_frame(0.1).limit == pytest.approx(0.2)
    assert behaviour(0.999, 2.0) == "oscillates" and behaviour(1.001, 2.0) == "diverges"
    assert np.allclose(np.linalg.eigvalsh(bowl(100).hessian(np.zeros(2))), [0.01, 1.0])


def behaviour(lr, curvature):
    """What the run on curvature/2 (w - 2)^2 from w = 5 does, read off the run itself."""
    d = distances(lr, 30, Parabola(curvature=curvature, centre=2.0))
    if len(d) < 31 or np.abs(d[-1]) > np.abs(d[0]):
        return "diverges"
    if np.abs(d[1]) < 1e-12:
        return "one step"
    d = d[np.abs(d) > 1e-9]               # the signs of what is left once rounding has the last word
    return "one side" if np.all(d > 0) else "oscillates" if np.all(np.sign(d[1:]) == -np.sign(d[:-1])) else "?"


@pytest.mark.parametrize("curvature", [2.0, 0.5, 10.0])
def test_the_four_regimes_sit_where_the_derivation_puts_them(curvature):
    """"Below 1/L the factor is positive: w approaches the minimum from one side. At 1/L ... one step lands
    on the minimum. Between 1/L and 2/L ... oscillating in. Above 2/L ...: divergence"."""
    for times_L, expected in [(0.3, "one side"), (0.97, "one side"), (1.0, "one step"), (1.03, "oscillates"),
                              (1.97, "oscillates"), (2.03, "diverges"), (3.0, "diverges")]:
        assert behaviour(times_L / curvature, curvature) == expected, (times_L, curvature)


def test_the_regimes_move_with_the_curvature():
    """Mutation: the limits belong to the curvature; a rate safe for L = 2 diverges for L = 10."""
    assert behaviour(0.9, 2.0) == "oscillates" and behaviour(0.9, 10.0) == "diverges"


def random_quadratic(seed):
    rng = np.random.default_rng(seed)
    a, b = rng.uniform(0.5, 20.0, size=2)
    return quadratic(a=a, b=b, angle=rng.uniform(0, np.pi)), rng.uniform(-3, 3, size=2), min(a, b), max(a, b)


def limit_set_by(curvature_name, seed):
    """"The **largest** curvature L = lambda_max sets the limit": 5% below 2/curvature the run converges,
    5% above it diverges (a random rotated quadratic, a random start)."""
    surface, x0, mu, L = random_quadratic(seed)
    c = L if curvature_name == "largest" else mu
    below = descent.run(surface, SGD(lr=0.95 * 2 / c), x0, 2000).losses
    above = descent.run(surface, SGD(lr=1.05 * 2 / c), x0, 2000)
    return bool(below[-1] < 1e-8 * below[0] and above.diverged_at is not None)


@pytest.mark.parametrize("seed", SEEDS)
def test_the_largest_curvature_sets_the_limit(seed):
    assert limit_set_by("largest", seed)


@pytest.mark.parametrize("seed", SEEDS)
def test_the_smallest_curvature_does_not_set_the_limit(seed):
    assert not limit_set_by("smallest", seed)


def settles_near_rosenbrock_minimum(times_limit):
    """"For a non-quadratic loss L plays the same role locally": near Rosenbrock's minimum (largest
    curvature 1001.6 there), 5 starts 1e-3 away all settle (within 1e-3) below 2/L, none above it."""
    surface = SURFACES["rosenbrock"]
    L = np.linalg.eigvalsh(surface.hessian(surface.minima[0])).max()
    starts = surface.minima[0] + np.random.default_rng(0).normal(scale=1e-3, size=(len(SEEDS), 2))
    trace = descent.run(surface, SGD(lr=times_limit * 2 / L), starts, 3000)
    return np.linalg.norm(trace.xs[-1] - surface.minima[0], axis=1) < 1e-3


def test_below_the_local_limit_rosenbrock_runs_settle():
    assert np.all(settles_near_rosenbrock_minimum(0.95))


def test_above_the_local_limit_rosenbrock_runs_do_not_settle():
    assert not np.any(settles_near_rosenbrock_minimum(1.05))


# --------------------------------------------------------------------------- the explorer's four rates
def y_path(lr):
    frame = limit_frame(lr)
    return frame.xs[:, 1], frame.diverged_at


def straight_in(lr):
    """"Try 0.1 (straight in)": the steep coordinate is gone after one step and never comes back."""
    ys, _ = y_path(lr)
    return bool(np.all(np.abs(ys[1:]) < 1e-12))


def zigzag(lr):
    """y changes sign every step: the path crosses the valley each time."""
    ys, _ = y_path(lr)
    return bool(np.all(np.sign(ys[1:]) == -np.sign(ys[:-1])))


def zigzag_never_shrinks(lr):
    """"0.2 (the zig-zag never shrinks)": |y| the same at every one of the 40 steps."""
    ys, _ = y_path(lr)
    return bool(zigzag(lr) and np.allclose(np.abs(ys), abs(ys[0]), rtol=1e-9))


def test_lr_01_goes_straight_in():
    assert straight_in(0.1)


def test_lr_015_does_not_go_straight_in_but_zigzags():
    assert not straight_in(0.15)
    assert zigzag(0.15) and not zigzag_never_shrinks(0.15)


def test_lr_02_zigzag_never_shrinks():
    assert zigzag_never_shrinks(0.2)


def test_lr_019_zigzag_shrinks():
    assert not zigzag_never_shrinks(0.19)


def test_lr_022_grows():
    """The fourth rate to try, 0.22, above 2/L: the zig-zag grows at every step."""
    ys, _ = y_path(0.22)
    assert np.all(np.diff(np.abs(ys)) > 0)


def test_best_rate_of_the_sweep_is_about_018_that_is_2_over_11():
    """"The best rate sits at about 0.18, just inside the edge: that is 2/(L + mu) = 2/11"."""
    frame = limit_frame(0.19)
    best = frame.sweep_lrs[np.argmin(frame.sweep_final)]
    assert f"{best:.2f}" == "0.18" and f"{2 / 11:.2f}" == "0.18"
    assert abs(best - 2 / 11) <= 0.005 and best < frame.limit


def tiny_rates_high(steps):
    """"At tiny rates the loss after 40 steps is high too, because the run is slow": the smallest rate of
    the sweep still has over 1% of the starting loss, while the best rate is below 1e-4 of it."""
    surface = SURFACES["bowl"]
    start = surface.loss(surface.default_start)
    tiny, best = lr_sweep(surface, [0.005, 2 / 11], surface.default_start, steps)
    return bool(tiny > 1e-2 * start and best < 1e-4 * start)


def test_tiny_rates_end_high_after_40_steps():
    assert tiny_rates_high(40)


def test_given_enough_steps_tiny_rates_do_not_end_high():
    """The reason given is slowness: with 100 times the budget the smallest rate gets there too."""
    assert not tiny_rates_high(4000)


# --------------------------------------------------------------------------- zig-zag and conditioning
def shallow_factors(kappa, lr_times_L, steps=60):
    """Per-step factor of the shallow coordinate, and whether the run stayed finite."""
    frame = zigzag_frame(kappa, lr_times_L, best=False, steps=steps)
    x = frame.xs[:, 0]
    return np.abs(x[1:] / x[:-1]), frame.diverged_at is None


def shallow_no_faster_than_bound(kappa, lr_times_L):
    """"Stability caps lr below 2/L, so each step leaves at least a factor 1 - 2 mu / L of the shallow
    error (it can shrink no faster than that)": for a run that stays finite, true; above 2/L the shallow
    coordinate does shrink faster, but the run diverges."""
    factors, _ = shallow_factors(kappa, lr_times_L)
    return bool(np.all(factors >= (1 - 2 / kappa) * (1 - 1e-12)))


@pytest.mark.parametrize("kappa", [3, 10, 30, 100])
def test_the_shallow_direction_shrinks_no_faster_than_1_minus_2mu_over_L(kappa):
    for lr_times_L in (0.2, 1.0, 1.5, 1.9, 1.99):
        assert shallow_no_faster_than_bound(kappa, lr_times_L)


@pytest.mark.parametrize("kappa", [3, 10, 30, 100])
def test_past_the_stability_cap_the_shallow_direction_shrinks_faster_and_the_run_diverges(kappa):
    assert not shallow_no_faster_than_bound(kappa, 2.3)
    assert zigzag_frame(kappa, 2.3, best=False, steps=400).diverged_at is not None


def best_rate_balances(kappa, lr_times_L):
    """"The best single rate balances the two extreme factors: lr* = 2/(L + mu), error factor (kappa - 1)
    / (kappa + 1)": at lr_times_L the worst factor is (kappa - 1)/(kappa + 1) and no rate nearby does better."""
    L, mu = 1.0, 1.0 / kappa
    worst = lambda lr: max(abs(1 - lr * L), abs(1 - lr * mu))  # noqa: E731
    lr = lr_times_L / L
    return bool(np.isclose(worst(lr), (kappa - 1) / (kappa + 1), rtol=1e-12)
                and all(worst(lr * f) > worst(lr) for f in (0.98, 1.02)))


@pytest.mark.parametrize("kappa", [3, 10, 30, 300])
def test_2_over_L_plus_mu_is_the_best_fixed_rate(kappa):
    assert best_rate_balances(kappa, zigzag_frame(kappa).lr)
    assert zigzag_frame(kappa).rate == pytest.approx((kappa - 1) / (kappa + 1), rel=1e-12)


@pytest.mark.parametrize("kappa", [3, 10, 30, 300])
def test_a_rate_5_percent_off_is_not_the_best(kappa):
    assert not best_rate_balances(kappa, 1.05 * zigzag_frame(kappa).lr)


def steep_oscillates_at(kappa, lr_times_L):
    """"At that rate the steep direction oscillates (factor -(kappa - 1)/(kappa + 1))"."""
    frame = zigzag_frame(kappa, lr_times_L, best=False, steps=40)
    y = frame.xs[:, 1]
    return bool(np.allclose(y[1:] / y[:-1], -(kappa - 1) / (kappa + 1), rtol=1e-9))


def test_at_the_best_rate_the_steep_direction_oscillates():
    assert steep_oscillates_at(30, zigzag_frame(30).lr)


def test_below_1_over_L_the_steep_direction_does_not_oscillate():
    assert not steep_oscillates_at(30, 0.9)


def prediction_vs_measured(kappa, lr_times_L=1.0, best=True, use="slower"):
    """The dashed line loss_0 * rate^(2t), with rate the slower direction's factor (as drawn), or the
    faster one's (``use="faster"``), against the measured loss."""
    frame = zigzag_frame(kappa, lr_times_L, best)
    lr, t = frame.lr, np.arange(len(frame.losses))
    factors = [abs(1 - lr * 1.0), abs(1 - lr / kappa)]
    rate = max(factors) if use == "slower" else min(factors)
    return frame.losses, frame.losses[0] * rate ** (2 * t)


def prediction_exact(kappa, **setting):
    measured, predicted = prediction_vs_measured(kappa, **setting)
    return bool(np.allclose(measured, predicted, rtol=1e-9))


def prediction_bounds(kappa, **setting):
    measured, predicted = prediction_vs_measured(kappa, **setting)
    return bool(np.all(measured <= predicted * (1 + 1e-9)))


def test_at_the_best_rate_the_prediction_is_exact():
    """"At the best rate both directions shrink by the *same* factor, so the prediction is exact and the two
    lines coincide" (kappa = 30, as drawn)."""
    assert prediction_exact(30)


def test_at_another_rate_the_bound_separates():
    """"Untick the box ... and choose another rate: the bound separates"."""
    assert not prediction_exact(30, lr_times_L=1.5, best=False)
    measured, predicted = prediction_vs_measured(30, lr_times_L=1.5, best=False)
    assert measured[-1] < 0.5 * predicted[-1]


@pytest.mark.parametrize("lr_times_L", [0.5, 1.0, 1.5, 1.9])
def test_in_general_the_line_is_an_upper_bound(lr_times_L):
    """"Here rate = max_i |1 - lr lambda_i|, the slower direction's factor. In general the line is an upper
    bound"."""
    assert prediction_bounds(30, lr_times_L=lr_times_L, best=False)


@pytest.mark.parametrize("lr_times_L", [0.5, 1.5])
def test_the_faster_directions_factor_is_no_bound(lr_times_L):
    assert not prediction_bounds(30, lr_times_L=lr_times_L, best=False, use="faster")


def half_kappa_steps_per_factor_e(kappa):
    """"About kappa/2 steps per factor e of error": over kappa/2 steps at the best rate the error (distance
    to the minimum) shrinks by e, within 2%."""
    steps = int(kappa)          # an even kappa, so that kappa/2 is a whole number of steps
    frame = zigzag_frame(kappa, steps=steps)
    error = np.linalg.norm(frame.xs, axis=1)
    per_half_kappa = error[steps // 2] / error[0]
    return bool(abs(per_half_kappa * np.e - 1) < 0.02)


@pytest.mark.parametrize("kappa", [10, 30, 100, 300])
def test_about_kappa_over_2_steps_per_factor_e(kappa):
    assert half_kappa_steps_per_factor_e(kappa)


def test_at_small_kappa_the_approximation_fails():
    """log((kappa + 1)/(kappa - 1)) ~ 2/kappa holds only for large kappa."""
    assert not half_kappa_steps_per_factor_e(2)


@lru_cache(maxsize=None)
def steps_to_1e_6(kappa, momentum):
    """Steps to a loss below 1e-6 on bowl(kappa): plain descent at the best rate, or heavy-ball momentum at
    its best rate and momentum (4/(sqrt L + sqrt mu)^2, ((sqrt kappa - 1)/(sqrt kappa + 1))^2)."""
    surface, L, mu = bowl(kappa), 1.0, 1.0 / kappa
    if momentum:
        opt = SGD(lr=4 / (np.sqrt(L) + np.sqrt(mu)) ** 2, momentum=((np.sqrt(kappa) - 1) / (np.sqrt(kappa) + 1)) ** 2)
    else:
        opt = SGD(lr=2 / (L + mu))
    losses = descent.run(surface, opt, surface.default_start, 5000, keep_path=False).losses
    return int(np.argmax(losses < 1e-6))


def growth_exponent(momentum, kappas=(10, 30, 100, 300)):
    steps = [steps_to_1e_6(k, momentum) for k in kappas]
    return np.polyfit(np.log(kappas), np.log(steps), 1)[0]


def test_plain_descent_steps_grow_linearly_with_kappa():
    """"Linear in kappa ... Ten times worse conditioning, ten times more steps"."""
    assert abs(growth_exponent(momentum=False) - 1) < 0.05


def test_momentum_improves_it_to_about_sqrt_kappa():
    """"This is the problem momentum (notebook 07) improves to about sqrt(kappa)"."""
    assert abs(growth_exponent(momentum=True) - 0.5) < 0.15


# --------------------------------------------------------------------------- when to stop
def distance_within(curvature_name, seed, n_points=50):
    """"On a quadratic, grad f(x) = H (x - x*), so the distance to the minimum is at most |grad f| / mu" at
    random points of a random quadratic; with L in place of mu the bound is false."""
    surface, _, mu, L = random_quadratic(seed)
    c = mu if curvature_name == "smallest" else L
    points = np.random.default_rng(100 + seed).uniform(-3, 3, size=(n_points, 2))
    distance = np.linalg.norm(points - surface.minima[0], axis=1)
    return bool(np.all(distance <= np.linalg.norm(surface.grad(points), axis=1) / c * (1 + 1e-12)))


@pytest.mark.parametrize("seed", SEEDS)
def test_distance_is_at_most_grad_over_mu(seed):
    assert distance_within("smallest", seed)


@pytest.mark.parametrize("seed", SEEDS)
def test_distance_is_not_bounded_by_grad_over_L(seed):
    assert not distance_within("largest", seed)


def progress_rule_stops_on_the_plateau(tol):
    """"On a plateau (notebook 04's saddle) the improvement per step shrinks long before the minimum, and a
    tolerance too loose for the problem stops there": the first step whose improvement is below ``tol``
    has a loss near 0 (the saddle), far above the minima's -0.25."""
    saddle = SURFACES["saddle"]
    trace = descent.run(saddle, SGD(lr=0.1), saddle.default_start, 300)
    stop = int(np.argmax(-np.diff(trace.losses) < tol)) + 1
    return bool(abs(trace.losses[stop]) < 0.01)


def test_a_loose_progress_tolerance_stops_at_the_saddle():
    assert progress_rule_stops_on_the_plateau(1e-4)


def test_the_bowls_tolerance_1e_8_does_not_stop_at_the_saddle():
    assert not progress_rule_stops_on_the_plateau(1e-8)


# --------------------------------------------------------------------------- the zig-zag explorer's tour
def test_the_condition_number_slider_takes_the_values_the_text_lists():
    """"a condition-number slider (1, 2, 3, 5, 10, 20, 30, 50, 100, 200, 300, 500, 1000)"; the box and
    slider labels as quoted; the lr slider greyed out while "best" is ticked."""
    explorer = ZigZagExplorer(kappa=30)
    assert tuple(explorer.controls["kappa"].options) == KAPPAS == (1, 2, 3, 5, 10, 20, 30, 50, 100, 200, 300, 500, 1000)
    assert explorer.controls["best"].description == "best fixed lr 2/(L+mu)"
    assert explorer.controls["lr_times_L"].description == "lr x L (untick best)"
    assert explorer.controls["best"].value and explorer.controls["lr_times_L"].disabled
    explorer.set(best=False)
    assert not explorer.controls["lr_times_L"].disabled


def loss_exactly_zero_after_one_step(kappa):
    """"Try kappa = 1: one step lands on the minimum, and the loss, exactly 0 from then on, is drawn along
    the bottom of the panel at 1e-12"."""
    explorer = ZigZagExplorer(kappa=kappa)
    drawn = np.asarray(explorer.artists[2].get_ydata())
    frame = zigzag_frame(kappa)
    return bool(np.all(frame.losses[1:] == 0) and np.all(drawn[1:] == LOSS_FLOOR) and LOSS_FLOOR == 1e-12)


def test_at_kappa_1_the_loss_is_exactly_0_after_one_step_and_drawn_at_1e_12():
    assert loss_exactly_zero_after_one_step(1)


def test_at_kappa_2_the_loss_is_not_exactly_0():
    assert not loss_exactly_zero_after_one_step(2)


def loss_after_the_steps_shown(kappa):
    frame = zigzag_frame(kappa)
    assert len(frame.losses) == ZIGZAG_STEPS + 1 == 101        # "after the 100 steps shown"
    return float(frame.losses[-1])


def test_at_kappa_300_the_loss_is_still_about_05():
    """"Then kappa = 300: after the 100 steps shown the loss is still about 0.5" (0.53)."""
    assert 0.4 < loss_after_the_steps_shown(300) < 0.7


def test_at_kappa_30_the_loss_is_not_still_about_05():
    assert loss_after_the_steps_shown(30) < 1e-4


def zigzag_grows(kappa, lr_times_L):
    """"Push lr x L past 2: the zig-zag grows instead of shrinking": the steep coordinate changes sign at
    every step and grows in size."""
    y = zigzag_frame(kappa, lr_times_L, best=False).xs[:, 1]
    return bool(np.all(np.sign(y[1:]) == -np.sign(y[:-1])) and np.all(np.diff(np.abs(y)) > 0))


@pytest.mark.parametrize("kappa", [1, 30, 300, 1000])
def test_past_lr_times_L_2_the_zigzag_grows(kappa):
    assert zigzag_grows(kappa, 2.05)


@pytest.mark.parametrize("kappa", [30, 300, 1000])
def test_below_lr_times_L_2_the_zigzag_shrinks(kappa):
    assert not zigzag_grows(kappa, 1.95)


@pytest.mark.parametrize("kappa", KAPPAS)
def test_at_21_the_run_diverges(kappa):
    """"and at 2.1 the run diverges" (within the 100 steps shown, whatever the condition number)."""
    assert zigzag_frame(kappa, 2.1, best=False).diverged_at is not None


def test_at_205_the_run_does_not_yet_diverge_within_the_steps_shown():
    assert zigzag_frame(300, 2.05, best=False).diverged_at is None


def test_the_gradient_rule_stops_just_inside_the_bound():
    """"The gradient rule fired while the run was still 0.0990 from the minimum, just inside the bound
    1e-3/mu = 0.1" (kappa = 100, lr = 1)."""
    surface = bowl(100)
    trace = descent.run(surface, SGD(lr=1.0), surface.default_start, steps=3000)
    stop = int(np.argmax(np.linalg.norm(surface.grad(trace.xs), axis=1) < 1e-3))
    distance = np.linalg.norm(trace.xs[stop] - surface.minima[0])
    assert 0.95 * 1e-3 / 0.01 < distance <= 1e-3 / 0.01
