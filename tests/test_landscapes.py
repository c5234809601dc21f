"""Basin maps, basin labels and the fog explorer behind notebook 04."""

import warnings

import numpy as np
import pytest

from helpers.lessons import landscapes
from helpers import descent
from helpers.optim import SGD
from helpers.surfaces import SURFACES


def test_basin_labels():
    minima = np.array([[0.0, 0.0], [1.0, 1.0]])
    points = np.array([[0.0, 0.0005], [1.0, 1.0], [0.5, 0.5], [np.nan, 0.0]])
    np.testing.assert_array_equal(landscapes.basin_labels(points, minima), [0, 1, -1, -1])
    with pytest.raises(ValueError, match="tol"):
        landscapes.basin_labels(points, minima, tol=0)


def test_basin_map_matches_single_runs_and_covers_all_minima():
    himmelblau = SURFACES["himmelblau"]
    X, Y, labels = landscapes.basin_map(himmelblau, lr=0.01, steps=400, resolution=12)
    assert labels.shape == (12, 12) and set(np.unique(labels)) == {0, 1, 2, 3}
    for i, j in [(0, 0), (5, 7), (11, 3)]:
        end = landscapes.descent.run(himmelblau, landscapes.SGD(lr=0.01), [X[i, j], Y[i, j]], 400).xs[-1]
        assert landscapes.basin_labels(end, himmelblau.minima) == labels[i, j]


def test_sharp_minimum_loses_its_basin_above_two_over_L():
    himmelblau = SURFACES["himmelblau"]
    L = np.linalg.eigvalsh(himmelblau.hessian(himmelblau.minima[2])).max()
    _, _, below = landscapes.basin_map(himmelblau, lr=0.98 * 2 / L, steps=400, resolution=30)
    _, _, above = landscapes.basin_map(himmelblau, lr=1.02 * 2 / L, steps=400, resolution=30)
    assert np.mean(below == 2) > 0.1 and np.mean(above == 2) == 0


def test_fog_frame_and_explorer():
    frame = landscapes.fog_frame(step=0)
    np.testing.assert_allclose(frame.here, [-0.5, 0.5])
    later = landscapes.fog_frame(step=200)
    assert landscapes.basin_labels(later.here, SURFACES["himmelblau"].minima) == 1
    with pytest.raises(ValueError, match="step"):
        landscapes.fog_frame(step=-1)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        e = landscapes.FogExplorer()
        e.set(lr=0.04, step=200)
        assert e.last_message.startswith("diverged at step") and e.last_error is None
        e.set(reveal=True, lr=0.01)
        assert e.last_message is None and "Step 200" in e.caption.value


def test_side_by_side_draws_a_labelled_contour_map_and_a_3d_view_for_every_surface():
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from helpers.surfaces import SURFACES

    for surface in SURFACES.values():
        ax_c, ax_3 = landscapes.side_by_side(surface)
        assert ax_c.name == "rectilinear" and ax_3.name == "3d"
        assert ax_c.get_xlabel() and ax_c.get_ylabel() and ax_3.get_zlabel() == "loss"
        assert ax_c.get_aspect() == 1.0                       # distances true on the contour map
        assert surface.name in ax_3.get_title()
        plt.close(ax_c.figure)


def test_fog_arrow_vanishes_on_flat_ground_and_caption_says_what_is_shown():
    from helpers.lessons.landscapes import FogExplorer, downhill_arrow, FOG_RADIUS, FULL_ARROW_SLOPE
    assert np.allclose(np.linalg.norm(downhill_arrow([100.0, 0.0])), 0.8 * FOG_RADIUS)
    assert np.linalg.norm(downhill_arrow([1e-12, -1e-12])) < 1e-12      # rounding noise: no arrow
    assert np.allclose(downhill_arrow([FULL_ARROW_SLOPE / 2, 0]), [-0.4 * FOG_RADIUS, 0])
    e = FogExplorer()
    e.set(step=200)                                        # at a minimum after 200 steps
    assert np.hypot(e.arrow.U[0], e.arrow.V[0]) < 1e-6 and "flat here" in e.caption.value
    assert "hidden in fog" in e.caption.value
    e.set(reveal=True)
    assert "fog lifted" in e.caption.value and "hidden in fog" not in e.caption.value
    e.set(lr=0.04)
    assert e.last_message.startswith("diverged at step") and "diverged at step" in e.caption.value


def test_basin_map_does_not_count_a_run_spiralling_out_as_settled():
    himmelblau = SURFACES["himmelblau"]
    X, Y, labels = landscapes.basin_map(himmelblau, lr=0.015, steps=400, resolution=150)
    assert not np.any(labels == 2)          # lr 0.015 > 2/L at minimum 2: no run settles there
    near_end = landscapes.basin_labels(
        descent.run(himmelblau, SGD(lr=0.015), np.stack([X.ravel(), Y.ravel()], 1), 400, keep_path=False).final,
        himmelblau.minima)
    assert np.sum(near_end == 2) >= 1       # ... although some are within tol at step 400, on their way out
