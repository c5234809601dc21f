"""Tests for helpers.lessons.walker: the 1-D walk in the fog, its frames and its explorer."""
import warnings

import matplotlib
import numpy as np
import pytest

matplotlib.use("Agg")

from helpers.gradcheck import central_difference
from helpers.surfaces import SURFACES
from helpers.lessons.walker import (DEEP_VALLEY, MAP_BOUNDS, RIDGE, SHALLOW_VALLEY, FogWalkExplorer, describe_fog_walk,
                            draw_fog_walk, fog_walk_frame, hillside_height, hillside_slope,
                            update_fog_walk, walk_downhill)


def test_hillside_is_the_double_well_along_y_zero():
    xs = np.linspace(-2, 2, 41)
    points = np.stack([xs, np.zeros_like(xs)], axis=-1)
    surface = SURFACES["double_well"]
    assert np.allclose(hillside_height(xs), surface.loss(points))
    assert np.allclose(hillside_slope(xs), surface.grad(points)[:, 0])


def test_slope_is_the_derivative_of_the_height():
    for x in (-1.7, -0.3, 0.4, 1.6):
        numeric = central_difference(lambda v: float(hillside_height(v[0])), np.array([x]))
        assert np.isclose(numeric[0], hillside_slope(x), rtol=1e-7)


def test_valleys_and_ridge_are_stationary_points():
    assert np.allclose(hillside_slope([DEEP_VALLEY, RIDGE, SHALLOW_VALLEY]), 0.0, atol=1e-12)
    assert hillside_height(DEEP_VALLEY) < hillside_height(SHALLOW_VALLEY) < hillside_height(RIDGE)


def test_walk_is_the_descent_rule():
    xs = walk_downhill(1.6, lr=0.05, steps=3)
    assert xs.shape == (4,)
    for a, b in zip(xs[:-1], xs[1:]):
        assert np.isclose(b, a - 0.05 * hillside_slope(a))


def test_start_decides_the_valley_for_short_steps():
    starts = np.linspace(-2, 2, 81)
    for x0 in starts:
        end = walk_downhill(x0, lr=0.05, steps=200)[-1]
        target = DEEP_VALLEY if x0 < RIDGE else SHALLOW_VALLEY
        assert abs(end - target) < 1e-6, x0


def test_long_first_step_jumps_the_bump():
    xs = walk_downhill(1.6, lr=0.15, steps=100)
    assert xs[1] < RIDGE
    assert abs(xs[-1] - DEEP_VALLEY) < 1e-6


def test_walk_stops_when_it_leaves_the_map():
    xs = walk_downhill(1.9, lr=0.25, steps=40)
    assert len(xs) < 41
    assert np.all(np.abs(xs) <= 10)


@pytest.mark.parametrize("bad", [dict(x0=float("nan")), dict(lr=-0.1), dict(steps=-1), dict(steps=1.5)])
def test_bad_arguments_raise_value_error_naming_them(bad):
    args = dict(x0=1.0, lr=0.05, steps=3) | bad
    name = next(iter(bad))
    with pytest.raises(ValueError, match=name):
        walk_downhill(**args)


def test_frame_fields():
    frame = fog_walk_frame(1.6, 0.05, 0)
    assert frame.x == 1.6 and frame.fell_at is None
    assert np.isclose(frame.slope, 10.484)
    assert np.isclose(frame.next_x, 1.6 - 0.05 * 10.484)
    fell = fog_walk_frame(1.9, 0.25, 40)
    assert fell.fell_at == len(fell.xs)
    assert "off the map" in describe_fog_walk(1.9, 0.25, fell)
    settled = fog_walk_frame(-0.5, 0.05, 40)
    assert "deep valley" in describe_fog_walk(-0.5, 0.05, settled)


def test_drawing_updates_in_place():
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots()
    artists = draw_fog_walk(fog_walk_frame(1.6, 0.05, 0), ax=ax)
    n_lines = len(ax.lines)
    update_fog_walk(artists, fog_walk_frame(1.6, 0.05, 5))
    assert len(ax.lines) == n_lines
    x, y = artists.walker.get_data()
    assert np.isclose(x[0], walk_downhill(1.6, 0.05, 5)[-1])
    assert len(artists.footprints.get_data()[0]) == 5
    plt.close(fig)


def test_explorer_never_warns_or_raises_at_the_slider_extremes():
    explorer = FogWalkExplorer(x0=1.6, lr=0.05, step=0)
    for x0 in (-1.9, 0.127, 1.9):
        for lr in (0.01, 0.25):
            for step in (0, 40):
                with warnings.catch_warnings():
                    warnings.simplefilter("error")
                    explorer.set(x0=x0, lr=lr, step=step)
                assert explorer.last_error is None
                assert explorer.last_warnings == []
                assert explorer.caption.value.startswith("The walker started")
    explorer.set(x0=1.9, lr=0.25, step=40)
    assert "off the map at step 1" in explorer.last_message


def test_the_step_that_leaves_the_drawn_map_is_the_one_named():
    # from 1.9 at lr 0.25 the first step lands at -3.18, outside the drawn [-2, 2]; the walk only
    # ends (|x| > 10) one step later
    frame = fog_walk_frame(1.9, 0.25, 20)
    assert frame.xs[1] < MAP_BOUNDS[0] and frame.fell_at == 2 and frame.left_map_at == 1
    assert "step 1 took it off the map" in describe_fog_walk(1.9, 0.25, frame)
    calm = fog_walk_frame(1.6, 0.05, 20)
    assert calm.left_map_at is None and calm.fell_at is None
