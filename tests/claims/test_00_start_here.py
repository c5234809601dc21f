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
CHECK_STEPS = 100     # helpers.lessons.exercises.gradients.HILLSIDE_STEPS, the start checks of exercise 3
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


def every_step_goes_downhill_towards_the_deep_floor(x0, lr=0.05, steps=CHECK_STEPS):
    """Solutions, exercise 3: "Any start to the left of the top of the bump, x ~ 0.127, ends in the deep
    valley: from there every step goes downhill towards the deep valley (leftwards from between the bump
    and the valley floor, rightwards from beyond the floor), and the walker settles at its bottom"."""
    xs = walk(x0, lr, steps)
    if len(xs) < steps + 1:
        return False
    before, after = xs[:-1], xs[1:]
    moved = np.abs(after - before) > 1e-12
    downhill = np.all(np.diff(hillside_height(xs)) <= 1e-12)
    left_from_between = np.all((after < before)[moved & (before > DEEP_VALLEY)])
    right_from_beyond = np.all((after > before)[moved & (before < DEEP_VALLEY)])
    return bool(downhill and left_from_between and right_from_beyond and where_it_ends(x0, lr, steps) == "deep")


LEFT_OF_THE_BUMP = STARTS[STARTS < RIDGE - 1e-3]


def test_every_start_left_of_the_bump_steps_downhill_towards_the_deep_floor():
    assert all(every_step_goes_downhill_towards_the_deep_floor(x0) for x0 in LEFT_OF_THE_BUMP)
    # both kinds of start occur: some step right first (beyond the floor), some left (between)
    first = np.array([walk(x0, 0.05, 1)[1] - x0 for x0 in LEFT_OF_THE_BUMP])
    assert np.any(first > 0) and np.any(first < 0)


def test_with_long_steps_the_walk_left_of_the_bump_does_not_go_steadily_down():
    assert not all(every_step_goes_downhill_towards_the_deep_floor(x0, lr=0.25) for x0 in LEFT_OF_THE_BUMP)


def first_step_right_exactly_beyond(floor, lr=0.05):
    """Solutions, exercise 3: "So the starts that step right first are those beyond the floor, x0 < -1.057"
    (the check's message: "Left of that floor ... every start there steps right first"): among the starts
    left of the bump, the first step goes right exactly when x0 < floor."""
    starts = [x0 for x0 in LEFT_OF_THE_BUMP if abs(x0 - floor) > 1e-3]
    return all((walk(x0, lr, 1)[1] > x0) == (x0 < floor) for x0 in starts)


def test_the_starts_that_step_right_first_are_those_beyond_the_floor():
    assert f"{DEEP_VALLEY:.3f}" == "-1.057"
    assert first_step_right_exactly_beyond(DEEP_VALLEY)


def test_the_dividing_line_is_the_floor_not_the_bump():
    assert not first_step_right_exactly_beyond(RIDGE)
    assert not first_step_right_exactly_beyond(-0.5)


def test_right_of_the_bump_a_first_step_right_does_not_mean_the_deep_valley():
    """The check's message for x0 = 0.5: starts between the bump and the shallow floor step right too, and
    end in the shallow valley."""
    right_of_bump = STARTS[(STARTS > RIDGE + 1e-3) & (STARTS < SHALLOW_VALLEY - 1e-3)]
    assert all(walk(x0, 0.05, 1)[1] > x0 and where_it_ends(x0, 0.05, CHECK_STEPS) == "shallow" for x0 in right_of_bump)


# --------------------------------------------------------------------------- solutions, exercise 4
def mirrored_walk(x0, lr=0.05, steps=CHECK_STEPS):
    """The rule on g(x) = x^4 - 2 x^2 - x/2, written out as the exercise suggests."""
    x = float(x0)
    for _ in range(steps):
        x = x - lr * (4 * x**3 - 4 * x - 0.5)
    return x


def test_the_flip_mirrors_the_hillside_and_its_valleys():
    """Solutions, exercise 4: "Flipping the sign of the tilt term mirrors the hillside left to right: g(x) =
    h(-x). The deep valley moves to x ~ +1.06 and the shallow one to x ~ -0.93"."""
    grid = np.linspace(-2, 2, 401)
    g = grid**4 - 2 * grid**2 - grid / 2
    assert np.allclose(g, hillside_height(-grid), atol=1e-12)
    fine = np.linspace(-2, 2, 400_001)
    g_fine = fine**4 - 2 * fine**2 - fine / 2
    assert f"{fine[np.argmin(g_fine)]:+.2f}" == "+1.06"
    left_half = fine < 0
    assert f"{fine[left_half][np.argmin(g_fine[left_half])]:.2f}" == "-0.93"


def test_on_the_flipped_hillside_the_start_16_settles_in_the_deep_valley():
    """"The walker goes down into it ...: on h the same start ended in the shallow valley"."""
    assert abs(mirrored_walk(1.6) - (-DEEP_VALLEY)) < 1e-6
    assert where_it_ends(1.6, 0.05) == "shallow"


def test_on_the_flipped_hillside_a_start_left_of_its_bump_does_not():
    assert abs(mirrored_walk(-0.5) - (-SHALLOW_VALLEY)) < 1e-6


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


# --------------------------------------------------------------------------- the fog figure
def note_covers_the_walker(note_position=None, ylim=None):
    """Over the explorer's slider range (every start, both ends of the learning rate, the first steps), does
    the "slope underfoot" box ever overlap the walker, or the walker leave the axes? ``note_position``
    moves the box (axes fraction, top-left corner) and ``ylim`` sets the height axis, to test the layout
    the figure used to have."""
    import matplotlib
    matplotlib.use("Agg")
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from helpers.lessons.walker import FogWalkExplorer, draw_fog_walk, fog_walk_frame, update_fog_walk

    fig = Figure(figsize=FogWalkExplorer.figsize, dpi=90)
    ax = fig.add_subplot()
    artists = draw_fog_walk(fog_walk_frame(1.6, 0.05, 0), ax=ax, **({} if ylim is None else {"ylim": ylim}))
    if note_position is not None:
        artists.note.set_position(note_position)
        artists.note.set_horizontalalignment("left")
    renderer = FigureCanvasAgg(fig).get_renderer()
    axes = ax.get_window_extent(renderer)
    for x0 in np.arange(-1.9, 1.9001, 0.05):
        for lr in (0.01, 0.25):
            for step in (0, 1, 2):
                frame = fog_walk_frame(x0, lr, step)
                if frame.left_map_at is not None:
                    continue
                update_fog_walk(artists, frame)
                box = artists.note.get_window_extent(renderer)
                walker = artists.walker.get_window_extent(renderer)
                in_view = axes.x0 <= (walker.x0 + walker.x1) / 2 <= axes.x1 and axes.y0 <= walker.y1 <= axes.y1
                if box.overlaps(walker) or not in_view:
                    return True
    return False


def test_the_slope_box_never_covers_the_walker():
    """"In the figure the fog covers everything but a small patch around the walker (the orange dot)": the
    walker stays in view, and the box of words never sits on it, anywhere on the start slider."""
    assert not note_covers_the_walker()


def test_in_the_old_layout_the_box_covered_the_walker():
    """Top-left box, heights up to 6: at x0 = -1.9 the box sat on the walker (and at 1.9 it was off the top)."""
    assert note_covers_the_walker(note_position=(0.03, 0.96), ylim=(-2.0, 6.0))
    assert note_covers_the_walker(ylim=(-2.0, 6.0))
