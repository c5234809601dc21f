"""Claims of notebooks/00_start_here.ipynb (and its solutions), each tested with the helpers the notebook calls.

Every claim is a small function of its setting; each is checked where the notebook states it and at a
mutated setting where it must be false (so a test that cannot fail would show up here).

Numbers that a cell prints are checked by nbval and are not repeated here: the walk from 1.6
(x = 0.9304, height -0.5167 after 30 steps, slope +10.4840 at the start), the 2-D run (0.930, 0.002),
loss -0.5167, and the lowest loss on the map, -1.5148.
"""
from functools import lru_cache

import numpy as np
import pytest

from helpers.descent import run
from helpers.lessons.walker import (DEEP_VALLEY, RIDGE, SHALLOW_VALLEY, hillside_height, hillside_slope,
                                    walk_downhill)
from helpers.optim import SGD
from helpers.surfaces import SURFACES

VALLEY_TOL = 1e-3     # "in a valley": within this of its bottom (the exercise check's tolerance)
WALK_STEPS = 20       # the static figure of the four walks
CHECK_STEPS = 100     # helpers.lessons.exercises.gradients.HILLSIDE_STEPS, the deep-valley check
STARTS = np.linspace(-2.0, 2.0, 201)   # the start slider's range


@lru_cache(maxsize=None)
def _walk(x0, lr, steps):
    xs = walk_downhill(x0, lr, steps)
    xs.setflags(write=False)
    return xs


def walk(x0, lr, steps):
    """walk_downhill, computed once per setting (several claims share the same walks)."""
    return _walk(float(x0), float(lr), int(steps))


def where_it_ends(x0, lr, steps=WALK_STEPS):
    """'deep', 'shallow' or None (still moving, hopping, or off the map)."""
    xs = walk(x0, lr, steps)
    if len(xs) < steps + 1:
        return None
    if abs(xs[-1] - DEEP_VALLEY) < VALLEY_TOL:
        return "deep"
    if abs(xs[-1] - SHALLOW_VALLEY) < VALLEY_TOL:
        return "shallow"
    return None


# --------------------------------------------------------------------------- the hillside
def test_deep_valley_is_where_the_prose_puts_it():
    """"The deep valley (the figures below show it at x ~ -1.06, height -1.51)"; "a shallow valley on the
    right and a deeper one on the left". The lowest point of the drawn hillside, found on a fine grid."""
    grid = np.linspace(-2.0, 2.0, 400_001)
    lowest = grid[np.argmin(hillside_height(grid))]
    assert f"{lowest:.2f}" == "-1.06" and f"{hillside_height(lowest):.2f}" == "-1.51"
    assert abs(lowest - DEEP_VALLEY) < 1e-4
    assert DEEP_VALLEY < RIDGE < SHALLOW_VALLEY and hillside_height(DEEP_VALLEY) < hillside_height(SHALLOW_VALLEY)
    assert f"{SHALLOW_VALLEY:.2f}" == "0.93" and f"{hillside_height(SHALLOW_VALLEY):.2f}" == "-0.52"


# --------------------------------------------------------------------------- the walk from 1.6
def steps_shrink_by_themselves(lr, x0=1.6, steps=30):
    """"Nobody told the walker to slow down, the flattening ground did": every step is no longer than the
    one before, and by step 12 (the last panel) a step is under 1% of the first one."""
    lengths = np.abs(np.diff(walk_downhill(x0, lr, steps)))
    return bool(np.all(np.diff(lengths) <= 0) and lengths[12] < 0.01 * lengths[0])


def test_steps_shrink_by_themselves():
    assert steps_shrink_by_themselves(lr=0.05)


def test_steps_do_not_shrink_when_they_are_too_long():
    assert not steps_shrink_by_themselves(lr=0.25)


# --------------------------------------------------------------------------- the three walks to try
def test_start_minus_half_rolls_into_the_deep_valley():
    """Try 1 / "From -0.5 the walker rolls into the deep valley"."""
    assert where_it_ends(-0.5, 0.05) == "deep"


def test_start_right_of_the_bump_does_not_reach_the_deep_valley():
    assert where_it_ends(0.5, 0.05) == "shallow"


def first_step_jumps_the_bump(lr, x0=1.6):
    """Try 2: "The first step is now three times longer" (than with 0.05); "the very first step is so long
    that it lands beyond the bump", and the walk then ends in the deep valley."""
    xs = walk_downhill(x0, lr, 1)
    three_times = np.isclose(abs(xs[1] - x0), 3 * abs(walk_downhill(x0, 0.05, 1)[1] - x0))
    return bool(three_times and xs[1] < RIDGE and where_it_ends(x0, lr) == "deep")


def test_lr_015_jumps_the_bump():
    """Also notebook 03: "0.15 happened to jump over the bump into the deep one"."""
    assert first_step_jumps_the_bump(0.15)


def test_a_slightly_shorter_first_step_stays_right_of_the_bump():
    assert not first_step_jumps_the_bump(0.13)
    assert where_it_ends(1.6, 0.13) == "shallow"


def hops_forever(lr, x0=1.6, steps=200):
    """Try 3: "the walker reaches the deep valley but keeps hopping from side to side": after the first
    step it stays left of the bump, and to the end it lands on alternate sides of the valley floor without
    the hops dying out (each landing at least 0.1 from the floor)."""
    xs = walk_downhill(x0, lr, steps)
    if len(xs) < steps + 1:
        return False
    late = xs[steps // 2:] - DEEP_VALLEY
    return bool(np.all(xs[1:] < RIDGE) and np.all(np.sign(late[1:]) != np.sign(late[:-1]))
                and np.all(np.abs(late) > 0.1))


def test_lr_025_hops_forever():
    assert hops_forever(0.25)


def test_below_two_over_the_valley_curvature_the_hops_die_out():
    """2 / h''(deep valley) = 0.212: a rate just below it settles (over the same 200 steps)."""
    curvature = 12 * DEEP_VALLEY**2 - 4
    assert 0.2 < 2 / curvature < 0.25
    assert not hops_forever(0.2)
    assert where_it_ends(1.6, 0.2, steps=200) == "deep"


# --------------------------------------------------------------------------- the start decides
def start_decides(lr, steps=CHECK_STEPS):
    """Solutions, exercise 3 (check message): "With steps this short, every start left of the top of the
    bump (x = 0.127) ends there [deep] and every start right of it ends in the shallow valley"; and "from
    inside the shallow valley every direction goes up, so the walker stays"."""
    away = STARTS[np.abs(STARTS - RIDGE) > 1e-3]
    return all(where_it_ends(x0, lr, steps) == ("deep" if x0 < RIDGE else "shallow") for x0 in away)


def test_start_decides_the_valley_with_short_steps():
    assert start_decides(0.05)


def test_with_longer_steps_the_start_alone_does_not_decide():
    assert not start_decides(0.15)


def never_climbs(lr, steps=CHECK_STEPS):
    """Solutions, exercise 3: "With steps this short every step goes downhill, so the walker can never
    climb the bump between the valleys" (the height never rises, from any start on the map)."""
    for x0 in STARTS:
        heights = hillside_height(walk(x0, lr, steps))
        if np.any(np.diff(heights) > 1e-12):
            return False
    return True


def test_short_steps_never_climb():
    assert never_climbs(0.05)


def test_long_steps_climb():
    assert not never_climbs(0.25)


def every_step_goes_left(x0, lr=0.05, steps=CHECK_STEPS):
    """Solutions, exercise 3: "Any start to the left of the top of the bump, x ~ 0.127, works: from there
    every step goes left and the walker rolls into the deep valley"."""
    xs = walk(x0, lr, steps)
    return bool(np.all(np.diff(xs) <= 0) and where_it_ends(x0, lr, steps) == "deep")


def test_every_step_goes_left_between_the_deep_valley_and_the_bump():
    """The part of the sentence that holds: starts between the deep valley's floor and the bump."""
    assert all(every_step_goes_left(x0) for x0 in STARTS[(STARTS > DEEP_VALLEY) & (STARTS < RIDGE - 1e-3)])


@pytest.mark.xfail(strict=True, reason="false as worded: from a start left of the deep valley's floor "
                   "(x0 < -1.057, e.g. -2) the slope is negative and the walker steps right, into the valley")
def test_every_step_goes_left_from_every_start_left_of_the_bump():
    assert all(every_step_goes_left(x0) for x0 in STARTS[STARTS < RIDGE - 1e-3])


# --------------------------------------------------------------------------- the whole run on one page
def run_2d(x0, steps=60, lr=0.05, momentum=0.0):
    return run(SURFACES["double_well"], SGD(lr=lr, momentum=momentum), x0, steps)


def steps_cross_contours_at_right_angles(momentum):
    """"Each step leaves its contour line at a right angle, the steepest way down": every step is
    parallel to minus the gradient where it starts (cosine 1)."""
    trace = run_2d([1.6, 1.0], momentum=momentum)
    steps = np.diff(trace.xs, axis=0)
    down = -SURFACES["double_well"].grad(trace.xs[:-1])
    keep = np.linalg.norm(steps, axis=1) > 1e-9
    cos = np.sum(steps * down, axis=1)[keep] / (np.linalg.norm(steps, axis=1) * np.linalg.norm(down, axis=1))[keep]
    return bool(np.all(cos > 1 - 1e-9))


def test_plain_descent_steps_leave_contours_at_right_angles():
    assert steps_cross_contours_at_right_angles(momentum=0.0)


def test_momentum_steps_do_not_leave_contours_at_right_angles():
    assert not steps_cross_contours_at_right_angles(momentum=0.9)


def falls_fast_then_flattens(lr):
    """"The path turns at once towards the shallow valley ... The loss falls fast, then flattens": every
    step lowers the loss, the first 10 of 60 steps do 90% of the fall, the last 10 under 0.1%; the path
    never crosses to the left of the bump."""
    trace = run_2d([1.6, 1.0], lr=lr)
    fall = trace.losses[0] - trace.losses
    return bool(np.all(np.diff(trace.losses) < 0) and fall[10] > 0.9 * fall[-1]
                and fall[-1] - fall[-11] < 1e-3 * fall[-1] and np.all(trace.xs[:, 0] > RIDGE))


def test_loss_falls_fast_then_flattens():
    assert falls_fast_then_flattens(0.05)


def test_with_a_tenth_of_the_rate_the_loss_does_not_flatten_in_60_steps():
    assert not falls_fast_then_flattens(0.005)


def gap_above_lowest(x0):
    trace = run_2d(x0)
    return trace.losses[-1] - SURFACES["double_well"].min_loss


def test_loss_minus_lowest_levels_off_near_one():
    """"The right panel levels off near 1, not near 0": converged, but to the shallow valley."""
    trace = run_2d([1.6, 1.0])
    assert abs(trace.losses[-1] - trace.losses[-11]) < 1e-4          # levelled off
    assert f"{gap_above_lowest([1.6, 1.0]):.1f}" == "1.0"


def test_start_minus_half_walks_into_the_deep_valley():
    """"Change one setting: start at (-0.5, 1.0) instead, and the same rule walks into the deep valley"."""
    assert np.allclose(run_2d([-0.5, 1.0]).xs[-1], [DEEP_VALLEY, 0.0], atol=5e-3)
    assert gap_above_lowest([-0.5, 1.0]) < 1e-4


def test_the_default_start_does_not_walk_into_the_deep_valley():
    assert not np.allclose(run_2d([1.6, 1.0]).xs[-1], [DEEP_VALLEY, 0.0], atol=5e-3)
    assert abs(hillside_slope(run_2d([1.6, 1.0]).xs[-1, 0])) < 1e-3    # it did settle, elsewhere
