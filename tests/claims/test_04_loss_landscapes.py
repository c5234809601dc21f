"""Claims of notebooks/04_loss_landscapes.ipynb (and its solutions), tested with the helpers it calls.

Each claim is a small function of its setting, checked where the notebook states it and at a mutated
setting where it must be false.

Printed, so checked by nbval and not repeated here: where the four starts end; the basin shares at
lr = 0.01 (25.7, 26.0, 23.6, 24.7%, none 0.0%) and 0.015 (26.8, 26.8, 0.0, 23.3%, none 23.1%, 0 starts
settled in minimum 2) with L, 2/L and 1 - 0.015 L per minimum (133.8, 0.0149 and -1.007 for minimum 2);
the bouncing run at steps 396-400; the saddle run's losses and its smallest gradient norm 0.015 (step 49);
the escape steps 49, 98, 146, 194. Solutions: on the double well from (0.05, 0.5), the distances 1.22
and 1.01, the gradient (0.3005, 1.0000) and minimum 0 reached; 2/L per
minimum and the minima with settled starts at lr = 0.02 ([0, 1]); the bumpy surface's point (1.7495, 0):
its gradient and Hessian eigenvalues -1.67 and 2.20; predicted 141.6, measured 141 (lr 0.05, a factor of 1000); the double well's L and 2/L per minimum
(9.42 and 0.212 deep, 6.39 and 0.313 shallow) and the distances after 3000 steps at lr 0.2 and 0.22.
"""
import itertools
from functools import lru_cache

import numpy as np
import pytest

from helpers import descent
from helpers.lessons.landscapes import (FOG_RADIUS, FULL_ARROW_SLOPE, FogExplorer, basin_labels, basin_map,
                                        downhill_arrow, fog_frame)
from helpers.optim import SGD
from helpers.problems import NoisyGradient
from helpers.surfaces import SURFACES, quadratic

SEEDS = range(5)
HIMMELBLAU = SURFACES["himmelblau"]
SADDLE = SURFACES["saddle"]
HILLTOP = np.array([-0.2708, -0.9230])      # the central hill


@lru_cache(maxsize=None)
def basins(lr):
    """The notebook's map: 150 x 150 starts, 400 steps (computed once per learning rate)."""
    return basin_map(HIMMELBLAU, lr=lr, steps=400, resolution=150)


def largest_curvature(point):
    return float(np.linalg.eigvalsh(HIMMELBLAU.hessian(point)).max())


@lru_cache(maxsize=None)
def critical_points():
    """Every point of Himmelblau's map where the gradient vanishes (Newton's method from a grid of starts,
    all at once)."""
    grid = np.linspace(-5, 5, 21) + 0.0123            # off the symmetric points where the Hessian is singular
    p = np.array(list(itertools.product(grid, repeat=2)))
    for _ in range(60):
        p = p - np.linalg.solve(HIMMELBLAU.hessian(p), HIMMELBLAU.grad(p)[..., None])[..., 0]
    found = []
    for q in p[(np.linalg.norm(HIMMELBLAU.grad(p), axis=1) < 1e-9) & np.all(np.abs(p) <= 5, axis=1)]:
        if not any(np.linalg.norm(q - f) < 1e-6 for f in found):
            found.append(q)
    kinds = {"minimum": [], "maximum": [], "saddle": []}
    for q in found:
        ev = np.linalg.eigvalsh(HIMMELBLAU.hessian(q))
        kinds["minimum" if ev.min() > 0 else "maximum" if ev.max() < 0 else "saddle"].append(q)
    return {k: np.array(v) for k, v in kinds.items()}


# --------------------------------------------------------------------------- six landscapes
def zigzags_across_the_narrow_direction(lr, steps=30):
    bowl = SURFACES["bowl"]
    ys = descent.run(bowl, SGD(lr=lr), bowl.default_start, steps).xs[:, 1]
    return bool(np.all(np.sign(ys[1:]) == -np.sign(ys[:-1])))


def test_bowl_zigzags_across_the_narrow_direction_above_1_over_L():
    """Table: bowl, "zig-zag across the narrow direction (notebook 03)" -- at a rate above 1/L = 0.1."""
    assert zigzags_across_the_narrow_direction(0.15)


def test_bowl_does_not_zigzag_below_1_over_L():
    assert not zigzags_across_the_narrow_direction(0.05)


def fast_into_the_valley_then_crawl(start, lr=1e-3):
    """Table: rosenbrock, "fast into the valley, then a long crawl along its floor": within 10 steps the
    run is on the floor (|y - x^2| < 0.01) and 80% of the loss is gone, yet after 2000 steps it is still
    more than 0.5 from the minimum (SGD at the arena's rate for Rosenbrock, 1e-3)."""
    surface = SURFACES["rosenbrock"]
    trace = descent.run(surface, SGD(lr=lr), start, 2000)
    x, y = trace.xs[10]
    fast = abs(y - x * x) < 0.01 and trace.losses[10] < 0.2 * trace.losses[0]
    crawl = np.linalg.norm(trace.xs[-1] - surface.minima[0]) > 0.5
    return bool(fast and crawl)


def test_rosenbrock_fast_into_the_valley_then_a_long_crawl():
    assert fast_into_the_valley_then_crawl(SURFACES["rosenbrock"].default_start)


def test_rosenbrock_from_the_valley_floor_there_is_no_fast_phase():
    assert not fast_into_the_valley_then_crawl(np.array([-1.2, 1.44]))


def stops_in_a_nearby_dip(surface, seed, n=200):
    """Table: bumpy, "many local minima: stops in a nearby dip": from random starts, at least 80% of runs
    end in the listed minimum nearest their start, and at most 20% reach the global one (0, 0)."""
    starts = np.random.default_rng(seed).uniform(-5, 5, size=(n, 2))
    trace = descent.run(surface, SGD(lr=0.1), starts, 500)
    minima = SURFACES["bumpy"].minima
    reached = basin_labels(trace.xs[-1], minima)
    nearest = np.argmin(np.linalg.norm(starts[:, None] - minima[None], axis=-1), axis=1)
    return bool(np.mean(reached == nearest) >= 0.8 and np.mean(reached == 0) <= 0.2)


@pytest.mark.parametrize("seed", SEEDS)
def test_bumpy_runs_stop_in_a_nearby_dip(seed):
    assert stops_in_a_nearby_dip(SURFACES["bumpy"], seed)


@pytest.mark.parametrize("seed", SEEDS)
def test_without_the_ripples_every_run_reaches_the_bottom(seed):
    assert not stops_in_a_nearby_dip(quadratic(a=0.2, b=0.2), seed)


def test_bumpy_default_start_ends_in_a_dip_that_is_not_the_lowest():
    bumpy = SURFACES["bumpy"]
    end = descent.run(bumpy, SGD(lr=0.1), bumpy.default_start, 500).xs[-1]
    assert basin_labels(end, bumpy.minima) > 0


def test_himmelblau_has_four_minima_four_saddles_and_one_hill():
    """"Four minima around a central hill"; "the four X-crossings between Himmelblau's minima"."""
    kinds = critical_points()
    assert len(kinds["minimum"]) == 4 and len(kinds["saddle"]) == 4 and len(kinds["maximum"]) == 1
    assert np.allclose(kinds["maximum"][0], HILLTOP, atol=1e-4)
    for m in HIMMELBLAU.minima:
        assert np.min(np.linalg.norm(kinds["minimum"] - m, axis=1)) < 1e-8


def test_saddle_surface_curves_up_along_x_and_down_along_y_at_the_origin():
    """"The ground curves up along x and down along y"; "two minima at (0, +-1), both with loss -0.25";
    the run "starts at (-1.8, 1e-4)"."""
    hessian = SADDLE.hessian(np.zeros(2))
    assert hessian[0, 0] > 0 > hessian[1, 1] and hessian[0, 1] == 0
    assert np.all(SADDLE.grad(np.zeros(2)) == 0)
    assert np.array_equal(SADDLE.minima, [[0, -1], [0, 1]]) and np.all(SADDLE.loss(SADDLE.minima) == -0.25)
    assert np.array_equal(SADDLE.default_start, [-1.8, 1e-4])


# --------------------------------------------------------------------------- the start picks the minimum
def test_four_minima_all_with_loss_0():
    """"Himmelblau's function has four minima, all with loss exactly 0, so none is 'better'"."""
    assert HIMMELBLAU.loss(np.array([3.0, 2.0])) == 0.0
    assert np.all(HIMMELBLAU.loss(HIMMELBLAU.minima) < 1e-24)


def test_four_starts_at_most_25_apart_and_22500_starts():
    """"Four starts at most 2.5 apart"; "a 150 x 150 grid (22 500 starts)"."""
    starts = np.array([[-0.5, 0.5], [0.5, 0.5], [0.5, -1.5], [-1.0, -1.5]])
    assert max(np.linalg.norm(a - b) for a, b in itertools.combinations(starts, 2)) == pytest.approx(2.5)
    assert basins(0.01)[2].size == 22_500


def close_to_quadrants_but_not_quite(lr):
    """"Roughly a quarter each and close to quadrants, but not quite": each basin holds 20-30% of the
    starts, and the map agrees with four quadrants split through the central hill on 80-98% of them."""
    X, Y, labels = basins(lr)
    quadrant = np.where(X >= HILLTOP[0], np.where(Y >= HILLTOP[1], 0, 3), np.where(Y >= HILLTOP[1], 1, 2))
    shares = [np.mean(labels == k) for k in range(4)]
    agree = np.mean(labels == quadrant)
    return bool(min(shares) > 0.2 and max(shares) < 0.3 and 0.8 < agree < 0.98)


def test_basins_are_close_to_quadrants_but_not_quite():
    assert close_to_quadrants_but_not_quite(0.01)


def test_at_lr_0015_the_basins_are_no_longer_quarters():
    assert not close_to_quadrants_but_not_quite(0.015)


def basins_near(point, radius=0.2, lr=0.01):
    X, Y, labels = basins(lr)
    near = np.hypot(X - point[0], Y - point[1]) < radius
    return set(np.unique(labels[near]).tolist())


@pytest.mark.parametrize("k", range(4))
def test_each_boundary_passes_over_a_saddle(k):
    """"The boundaries bend, and each one passes over one of the four saddles": around each saddle the
    map holds exactly two basins."""
    assert len(basins_near(critical_points()["saddle"][k]) - {-1}) == 2


@pytest.mark.parametrize("k", range(4))
def test_around_a_minimum_there_is_one_basin(k):
    assert basins_near(HIMMELBLAU.minima[k]) == {k}


def hair_apart(point, direction, lr=0.01, hair=1e-6):
    """Minima reached from point +- hair * direction."""
    u = direction / np.linalg.norm(direction)
    trace = descent.run(HIMMELBLAU, SGD(lr=lr), np.array([point + hair * u, point - hair * u]), 1000)
    return basin_labels(trace.xs[-1], HIMMELBLAU.minima)


@pytest.mark.parametrize("k", range(4))
def test_a_hair_across_a_ridge_rolls_the_other_way(k):
    """"A start on one side of a ridge rolls one way, a start a hair away on the other side rolls the
    other way": 1e-6 either side of each saddle, across its ridge (along the downhill eigenvector)."""
    saddle = critical_points()["saddle"][k]
    vecs = np.linalg.eigh(HIMMELBLAU.hessian(saddle))[1]
    a, b = hair_apart(saddle, vecs[:, 0])
    assert a != b and a >= 0 and b >= 0


@pytest.mark.parametrize("k", range(4))
def test_a_hair_apart_inside_a_basin_rolls_the_same_way(k):
    m = HIMMELBLAU.minima[k]
    point = m + 0.5 * (HILLTOP - m) / np.linalg.norm(HILLTOP - m)
    a, b = hair_apart(point, np.array([1.0, 1.0]))
    assert a == b == k


# --------------------------------------------------------------------------- the learning rate reshapes the basins
def basin2_starts():
    X, Y, labels = basins(0.01)
    return np.stack([X.ravel(), Y.ravel()], axis=1)[labels.ravel() == 2]


@lru_cache(maxsize=None)
def basin2_runs(lr):
    return descent.run(HIMMELBLAU, SGD(lr=lr), basin2_starts(), 400)


def steep_direction(m):
    return np.linalg.eigh(HIMMELBLAU.hessian(m))[1][:, -1]


def arrivals_bounce(lr):
    """"At 0.015 the runs that arrive there neither settle nor diverge: they bounce back and forth across
    the minimum": of the runs from minimum 2's old basin, those that end within 0.5 of it have not
    diverged, cross the minimum along its steep direction at each of the last two steps, and the bounce is
    not dying out (it is already wide, over 0.05, or it is no narrower than two steps before: at 1.007 per
    step some runs are still on their way out after 400 steps)."""
    trace = basin2_runs(lr)
    m = HIMMELBLAU.minima[2]
    offsets = (trace.xs[-3:] - m) @ steep_direction(m)                 # (3, runs): steps 398, 399, 400
    distance = np.linalg.norm(trace.xs[-3:] - m, axis=-1)
    arrived = distance[-1] < 0.5
    if not np.any(arrived):
        return False
    diverged = np.array([d is not None for d in trace.diverged_at])
    crosses = (np.sign(offsets[1]) == -np.sign(offsets[0])) & (np.sign(offsets[2]) == -np.sign(offsets[1]))
    not_dying = (distance[-1] > 0.05) | (distance[-1] >= distance[0])
    return bool(not np.any(diverged[arrived]) and np.all((crosses & not_dying)[arrived]))


def test_at_lr_0015_runs_arriving_at_minimum_2_bounce():
    assert arrivals_bounce(0.015)


def test_just_below_2_over_L_the_runs_settle_instead():
    """2/L = 0.0149 at minimum 2: at 0.0145 they settle, and there is nothing left to bounce."""
    assert 0.0145 < 2 / largest_curvature(HIMMELBLAU.minima[2]) < 0.015
    assert not arrivals_bounce(0.0145)


@lru_cache(maxsize=None)
def coarse_settled(lr):
    """For 60 x 60 starts after 400 steps: the index of the minimum each run has settled in, else -1.
    Settled: within 1e-3 of it and still closing in (nearer than two steps before). At lr = 0.015 a few
    runs are within 1e-3 of minimum 2 after 400 steps only because the instability there is slow (a factor
    |1 - 0.015 * 133.8| = 1.007 per step): they are moving away, not settling."""
    X, Y = np.meshgrid(np.linspace(-5, 5, 60), np.linspace(-5, 5, 60))
    trace = descent.run(HIMMELBLAU, SGD(lr=lr), np.stack([X.ravel(), Y.ravel()], axis=1), 400)
    labels = basin_labels(trace.xs[-1], HIMMELBLAU.minima)
    gap_now = np.linalg.norm(trace.xs[-1] - HIMMELBLAU.minima[np.maximum(labels, 0)], axis=1)
    gap_before = np.linalg.norm(trace.xs[-3] - HIMMELBLAU.minima[np.maximum(labels, 0)], axis=1)
    return np.where((labels >= 0) & (gap_now < gap_before), labels, -1)


def some_run_settles_in(k, lr):
    return bool(np.any(coarse_settled(lr) == k))


@pytest.mark.parametrize("lr", [0.015, 0.02, 0.025, 0.03])
def test_no_run_settles_in_a_minimum_whose_curvature_exceeds_2_over_lr(lr):
    """Objectives and summary: "no run settles in a minimum whose largest curvature exceeds 2/lr" (60 x 60
    starts, 400 steps)."""
    for k, m in enumerate(HIMMELBLAU.minima):
        if largest_curvature(m) > 2 / lr:
            assert not some_run_settles_in(k, lr), (k, lr)


def test_below_the_limit_runs_do_settle_in_minimum_2():
    assert 2 / largest_curvature(HIMMELBLAU.minima[2]) > 0.0145
    assert some_run_settles_in(2, 0.0145)


# --------------------------------------------------------------------------- slow near a saddle
@lru_cache(maxsize=None)
def saddle_run(y0=1e-4, lr=0.1, steps=150):
    return descent.run(SADDLE, SGD(lr=lr), [-1.8, y0], steps)


def reaches_the_saddle_by(step, y0=1e-4):
    """"With lr = 0.1, the run reaches the saddle within about 30 steps": within 0.1 of the origin."""
    return bool(np.linalg.norm(saddle_run(y0).xs[step]) < 0.1)


def test_the_run_reaches_the_saddle_within_about_30_steps():
    assert reaches_the_saddle_by(30)


def test_ten_steps_are_not_enough_to_reach_the_saddle():
    assert not reaches_the_saddle_by(10)


def plateau_steps(y0):
    """Steps whose loss is within 0.01 of 0, the saddle's loss: "it sits on a plateau for dozens of steps"."""
    return int(np.sum(np.abs(saddle_run(y0).losses) < 0.01))


def test_the_run_sits_on_the_plateau_for_dozens_of_steps():
    assert plateau_steps(1e-4) >= 24


def test_a_start_far_from_the_ridge_has_no_long_plateau():
    assert plateau_steps(0.3) < 24


def gradient_rule_stops_on_the_plateau(tol):
    """"A gradient-norm stopping rule with a tolerance above that [0.015] would stop here and call it a
    minimum (notebook 03's 1e-3 would not)"."""
    trace = saddle_run()
    stop = int(np.argmax(np.linalg.norm(SADDLE.grad(trace.xs), axis=1) < tol))
    return bool(abs(trace.losses[stop]) < 0.01)


def test_a_gradient_tolerance_above_0015_stops_on_the_plateau():
    assert gradient_rule_stops_on_the_plateau(0.02)


def test_the_tolerance_1e_3_does_not_stop_on_the_plateau():
    assert not gradient_rule_stops_on_the_plateau(1e-3)
    trace = saddle_run()
    stop = int(np.argmax(np.linalg.norm(SADDLE.grad(trace.xs), axis=1) < 1e-3))
    assert trace.losses[stop] < -0.24


def test_finally_the_run_falls_into_a_minimum():
    """"Finally the tiny y grows enough to matter, and the run falls off the ridge into a minimum"."""
    assert np.allclose(saddle_run().xs[-1], [0.0, 1.0], atol=1e-4)


def y_grows_by_1_plus_lr(lr, near):
    """"Near the origin the y-part of the gradient is y^3 - y ~ -y, so a step multiplies y by about
    1 + lr" (within 1%): over the steps with |y| < 0.01 (near) or |y| > 0.3 (not near), from y0 = 1e-4."""
    ys = saddle_run(1e-4, lr, 300).xs[:, 1]
    ratios = ys[1:] / ys[:-1]
    where = np.abs(ys[:-1]) < 0.01 if near else np.abs(ys[:-1]) > 0.3
    return bool(np.all(np.abs(ratios[where] / (1 + lr) - 1) < 0.01))


@pytest.mark.parametrize("lr", [0.05, 0.1, 0.2])
def test_near_the_origin_y_grows_by_1_plus_lr(lr):
    assert y_grows_by_1_plus_lr(lr, near=True)


@pytest.mark.parametrize("lr", [0.05, 0.1, 0.2])
def test_away_from_the_ridge_y_does_not_grow_by_1_plus_lr(lr):
    assert not y_grows_by_1_plus_lr(lr, near=False)


def escape_steps(y0, lr=0.1, sigma=0.0, seed=0, steps=800):
    """The notebook's measure of leaving: the first step with loss below -0.2."""
    problem = SADDLE if sigma == 0 else NoisyGradient(SADDLE, sigma, np.random.default_rng(seed))
    losses = descent.run(problem, SGD(lr=lr), [-1.8, y0], steps).losses
    return int(np.argmax(losses < -0.2)) if np.any(losses < -0.2) else None


Y0S = (1e-2, 1e-4, 1e-6, 1e-8)


def escape_follows_the_formula(lr, sigma=0.0):
    """"Leaving takes about log(1/y0) / log(1 + lr) steps: each factor of 10 closer to the ridge adds the
    same number of steps": within 5 steps of the formula, and equal increments within 2 steps."""
    measured = [escape_steps(y0, lr, sigma) for y0 in Y0S]
    if None in measured:
        return False
    formula = [np.log(1 / y0) / np.log(1 + lr) for y0 in Y0S]
    increments = np.diff(measured)
    return bool(np.all(np.abs(np.subtract(measured, formula)) <= 5) and np.ptp(increments) <= 2)


@pytest.mark.parametrize("lr", [0.05, 0.1, 0.2])
def test_escape_time_follows_log_1_over_y0(lr):
    assert escape_follows_the_formula(lr)


def test_with_noisy_gradients_the_start_no_longer_sets_the_escape_time():
    """The formula is for exact gradients: with noise of size 1e-3 the kicks, not y0, decide."""
    assert not escape_follows_the_formula(0.1, sigma=1e-3)


def about_48_more_steps_per_factor_100(lr):
    """"About 48 more steps per factor of 100" (and solutions: "a factor of 100 costs ... 48 extra steps")."""
    measured = [escape_steps(y0, lr) for y0 in Y0S]
    return bool(np.all(np.abs(np.diff(measured) - 48) <= 1))


def test_about_48_more_steps_per_factor_of_100_at_lr_01():
    assert about_48_more_steps_per_factor_100(0.1)


def test_at_lr_02_it_is_not_48_steps_per_factor_of_100():
    assert not about_48_more_steps_per_factor_100(0.2)


def stays_on_the_saddle(y0, steps=2000):
    """"Exactly on the ridge, y0 = 0, the run would converge to the saddle and stay there forever"."""
    trace = descent.run(SADDLE, SGD(lr=0.1), [-1.8, y0], steps)
    return bool(np.linalg.norm(trace.xs[-1]) < 1e-12 and np.all(trace.xs[:, 1] == y0))


def test_exactly_on_the_ridge_the_run_stays_at_the_saddle():
    assert stays_on_the_saddle(0.0)


def test_a_hair_off_the_ridge_the_run_leaves():
    assert not stays_on_the_saddle(1e-8)


def noise_kicks_it_off(sigma, seed):
    """"Noisy gradients (notebook 05) never sit exactly on the ridge: a random kick sets y0 != 0, and the
    escape time above takes over": from exactly y0 = 0, the run leaves (loss below -0.2) within 400 steps."""
    return escape_steps(0.0, 0.1, sigma, seed, steps=400) is not None


@pytest.mark.parametrize("seed", SEEDS)
def test_noisy_gradients_leave_the_ridge(seed):
    assert noise_kicks_it_off(1e-3, seed)


def test_without_noise_the_run_never_leaves_the_ridge():
    assert not noise_kicks_it_off(0.0, 0)


# --------------------------------------------------------------------------- the walker in fog
def test_the_arrow_shrinks_where_the_ground_flattens():
    """"The arrow points along the negative gradient ... and shrinks where the ground flattens (full length
    for a slope of 5 or more)"."""
    assert FULL_ARROW_SLOPE == 5.0
    full = 0.8 * FOG_RADIUS
    for slope, length in [((30.0, 40.0), full), ((3.0, 4.0), full), ((0.6, 0.8), 0.2 * full), ((0.0, 1e-4), 2e-5 * full)]:
        arrow = downhill_arrow(np.array(slope))
        assert np.isclose(np.linalg.norm(arrow), length) and np.dot(arrow, slope) < 0


def fog_caption(**settings):
    explorer = FogExplorer()
    explorer.set(**settings)
    return explorer.caption.value


def test_the_caption_says_lifted_flat_and_diverged():
    """"The caption gives the walker's position and loss, and says when the fog is lifted, when the ground
    under the walker is flat (it has stopped) and when the walk has diverged"."""
    assert "fog lifted" in fog_caption(step=12, reveal=True) and "fog lifted" not in fog_caption(step=12)
    assert "flat" in fog_caption(step=200, lr=0.01) and "flat" not in fog_caption(step=2, lr=0.01)
    assert "diverged" in fog_caption(step=200, lr=0.04) and "diverged" not in fog_caption(step=200, lr=0.01)
    assert "Step 12 at (-2.78, 3.13), loss" in fog_caption(step=12, lr=0.01)


SLIDER_LRS = np.round(np.arange(0.001, 0.0405, 0.001), 3)       # the explorer's learning-rate slider


def walker_stops(lr, last=200):
    """The caption's "flat" (gradient below 1e-3) at some step from 150 to ``last``, without diverging."""
    for step in range(150, last + 1):
        frame = fog_frame("himmelblau", (-0.5, 0.5), float(lr), step)
        if frame.diverged_at is None and np.linalg.norm(frame.slope) < 1e-3:
            return True
    return False


def test_above_0025_no_minimum_holds_the_walker_and_it_never_stops():
    """"Then try a learning rate above 0.025: the largest limit 2/L of the four minima is 0.0248 (minimum
    1) ..., so no minimum can hold the walker any more and it never stops; at 0.04 the walk diverges"."""
    limits = [2 / largest_curvature(m) for m in HIMMELBLAU.minima]
    assert int(np.argmax(limits)) == 1 and f"{max(limits):.4f}" == "0.0248"
    for lr in SLIDER_LRS[SLIDER_LRS >= 0.025]:
        assert not walker_stops(lr), lr
        diverged = fog_frame("himmelblau", (-0.5, 0.5), float(lr), 200).diverged_at
        assert (diverged is not None) == bool(lr == 0.04), lr


def test_below_the_limits_the_walker_stops():
    for lr in (0.005, 0.01, 0.02, 0.024):
        assert walker_stops(lr), lr


# --------------------------------------------------------------------------- solutions, exercise 5
DOUBLE_WELL = SURFACES["double_well"]


def double_well_runs(lr, steps=3000):
    """Runs started 0.05 off each minimum (both coordinates), as the solution runs them: the distance to
    the own minimum after ``steps`` and ``steps`` - 1 steps."""
    xs = descent.run(DOUBLE_WELL, SGD(lr=lr), DOUBLE_WELL.minima + 0.05, steps).xs
    return np.linalg.norm(xs[-1] - DOUBLE_WELL.minima, axis=1), np.linalg.norm(xs[-2] - DOUBLE_WELL.minima, axis=1)


def deep_run_keeps_bouncing(lr):
    """"At 0.22 the run in the deep valley keeps bouncing across its minimum instead of settling, while
    the shallow valley still holds its run still": the deep run is still over 0.05 away after 3000 and
    after 6000 steps (on alternate sides), the shallow one within 1e-9."""
    (deep, shallow), _ = double_well_runs(lr)
    (deep_later, _), _ = double_well_runs(lr, 6000)
    xs = descent.run(DOUBLE_WELL, SGD(lr=lr), DOUBLE_WELL.minima + 0.05, 3000).xs[-3:, 0, 0] - DOUBLE_WELL.minima[0, 0]
    alternates = bool(np.all(np.sign(xs[1:]) == -np.sign(xs[:-1])))
    return bool(deep > 0.05 and deep_later > 0.05 and alternates and shallow < 1e-9)


def test_at_022_the_deep_run_keeps_bouncing():
    assert deep_run_keeps_bouncing(0.22)


def test_at_02_the_deep_run_settles():
    assert not deep_run_keeps_bouncing(0.2)
    (deep, shallow), _ = double_well_runs(0.2)
    assert deep < 1e-9 and shallow < 1e-9


def settles_in(lr, k, n=400, steps=3000):
    """Of ``n`` random starts in the double well's box, whether any settles (within 1e-6) in minimum k."""
    starts = np.random.default_rng(0).uniform([-2, -1.5], [2, 1.5], size=(n, 2))
    trace = descent.run(DOUBLE_WELL, SGD(lr=lr), starts, steps)
    ends = trace.xs[-1][np.array([d is None for d in trace.diverged_at])]
    return bool(np.any(np.linalg.norm(ends - DOUBLE_WELL.minima[k], axis=1) < 1e-6))


@pytest.mark.parametrize("lr", [0.215, 0.25, 0.3])
def test_between_0212_and_0313_runs_settle_only_in_the_shallow_valley(lr):
    """"Between 0.212 and 0.313 descent can settle only in the shallow valley"."""
    assert not settles_in(lr, 0) and settles_in(lr, 1)


def test_below_0212_runs_settle_in_the_deep_valley_too():
    assert settles_in(0.2, 0) and settles_in(0.2, 1)
