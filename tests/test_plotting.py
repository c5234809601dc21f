"""Tests for helpers.display.plotting (Agg backend, no display)."""
import subprocess
import sys

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.colors import to_hex  # noqa: E402
from matplotlib.lines import Line2D  # noqa: E402

from helpers.display import plotting as P  # noqa: E402
from helpers.surfaces import SURFACES  # noqa: E402

LABELS = ["SGD", "SGD + momentum", "Nesterov", "Adam", "Adam + L2", "AdamW", "Adagrad", "RMSprop"]


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def test_importing_plotting_changes_no_rcparams():
    code = (
        "import matplotlib as mpl; before = dict(mpl.rcParams); "
        "import helpers.display.plotting; "
        "after = dict(mpl.rcParams); "
        "print(sorted(k for k in before if before[k] != after[k]))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_importing_plotting_does_not_import_pyplot():
    code = "import sys, helpers.display.plotting; print('matplotlib.pyplot' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_use_style_sets_projector_friendly_params():
    with matplotlib.rc_context():
        P.use_style()
        rc = matplotlib.rcParams
        assert rc["font.size"] >= 13
        assert rc["lines.linewidth"] == 2.0
        cycle = [to_hex(c["color"]).upper() for c in rc["axes.prop_cycle"]]
        assert set(cycle) <= set(P.OKABE_ITO.values())
        assert 80 <= rc["figure.dpi"] <= 100


def test_optimizer_styles_are_distinct_in_every_channel():
    assert list(P.OPTIMIZER_STYLES) == LABELS
    for key in ["color", "linestyle", "marker"]:
        values = [str(P.OPTIMIZER_STYLES[label][key]) for label in LABELS]
        assert len(set(values)) == len(LABELS), key
    for label in LABELS:
        assert P.OPTIMIZER_STYLES[label]["color"] in [*P.OKABE_ITO.values(), P.NEUTRAL_GREY]
        assert P.OPTIMIZER_STYLES[label]["color"] != P.OKABE_ITO["yellow"]  # minima are yellow


def test_style_for_accepts_label_or_object_and_returns_a_copy():
    class FakeOptimizer:
        label = "AdamW"

    assert P.style_for(FakeOptimizer()) == P.OPTIMIZER_STYLES["AdamW"]
    s = P.style_for("SGD")
    s["color"] = "red"
    assert P.OPTIMIZER_STYLES["SGD"]["color"] != "red"
    with pytest.raises(ValueError, match="label_or_optimizer"):
        P.style_for("Lion")


@pytest.mark.parametrize("name", list(SURFACES))
def test_contour_sets_equal_aspect_labels_title_and_marks_minima(name):
    s = SURFACES[name]
    fig, ax = plt.subplots()
    art = P.contour(s, ax=ax)
    assert isinstance(art, P.ContourArtists)
    assert art.filled is not None and art.lines is not None and art.fog is None
    assert ax.get_aspect() == 1.0
    assert ax.get_xlabel() == "$x$" and ax.get_ylabel() == "$y$"
    assert ax.get_title() == s.title
    assert ax.get_xlim() == s.bounds[0] and ax.get_ylim() == s.bounds[1]
    assert isinstance(art.minima, Line2D)
    assert np.allclose(np.column_stack(art.minima.get_data()), s.minima)
    assert art.minima.get_marker() == "*"
    handles, labels = ax.get_legend_handles_labels()
    assert labels.count("minimum") == 1


def test_contour_levels_are_log_spaced_above_a_negative_minimum():
    s = SURFACES["double_well"]
    art = P.contour(s)
    levels = np.asarray(art.lines.levels)
    assert levels[0] == pytest.approx(s.min_loss)
    gaps = np.diff(levels[1:] - s.min_loss)
    assert np.all(gaps > 0) and gaps[-1] > 10 * gaps[0]  # denser near the floor


def test_contour_without_fill_and_with_explicit_levels():
    art = P.contour(SURFACES["bowl"], fill=False, levels=[0.5, 1.0, 2.0, 4.0])
    assert art.filled is None
    assert np.allclose(art.lines.levels, [0.5, 1.0, 2.0, 4.0])
    with pytest.raises(ValueError, match="levels"):
        P.contour(SURFACES["bowl"], levels=[3.0, 1.0])
    with pytest.raises(ValueError, match="resolution"):
        P.contour(SURFACES["bowl"], resolution=3)


def test_surface_grid_is_cached_and_read_only():
    s = SURFACES["himmelblau"]
    a = P.surface_grid(s, 64)
    b = P.surface_grid(s, 64)
    assert a[2] is b[2]
    assert a[2].shape == (64, 64)
    assert not a[2].flags.writeable
    assert P.surface_grid(s, 65)[2].shape == (65, 65)


def test_fog_is_clear_near_walkers_and_opaque_far_away():
    X, Y = np.meshgrid(np.linspace(-2, 2, 41), np.linspace(-2, 2, 41))
    alpha = P.fog_alpha(X, Y, [[0.0, 0.0], [1.5, 1.5]], radius=0.5)
    at = lambda x, y: alpha[np.argmin(np.abs(Y[:, 0] - y)), np.argmin(np.abs(X[0] - x))]  # noqa: E731
    assert at(0.0, 0.0) == 0.0 and at(1.5, 1.5) == 0.0
    assert at(-1.5, 1.5) == pytest.approx(1.0)
    assert 0.0 < at(0.45, 0.0) < 1.0  # soft edge
    # a diverged walker (NaN) clears nothing
    assert np.all(P.fog_alpha(X, Y, [[np.nan, np.nan]], 0.5) == 1.0)


def test_contour_fog_returns_an_image_that_update_fog_moves():
    s = SURFACES["rosenbrock"]
    art = P.contour(s, fog=([[-1.2, 1.0]], 0.3))
    data = np.asarray(art.fog.get_array())
    assert data.shape[-1] == 4
    before = data[..., 3].copy()
    P.update_fog(art.fog, [[1.0, 1.0]])
    after = np.asarray(art.fog.get_array())[..., 3]
    assert not np.array_equal(before, after)
    assert after.min() == 0.0
    with pytest.raises(ValueError, match="radius"):
        P.contour(s, fog=([[0.0, 0.0]], -1.0))


def test_plot_path_uses_style_marks_start_and_markevery():
    fig, ax = plt.subplots()
    xs = np.column_stack([np.linspace(-1, 1, 50), np.zeros(50)])
    line = P.plot_path(xs, "Adam", ax=ax)
    assert isinstance(line, Line2D)
    assert line.get_label() == "Adam"
    assert to_hex(line.get_color()) == to_hex(P.OPTIMIZER_STYLES["Adam"]["color"])
    assert line.get_marker() == "^"
    assert line.get_markevery() > 1
    starts = [ln for ln in ax.lines if ln is not line and len(ln.get_xdata()) == 1]
    assert len(starts) == 1 and starts[0].get_xdata()[0] == -1.0
    assert not any(child.get_text().startswith("diverged") for child in ax.texts)


def test_plot_path_accepts_unknown_labels_and_overrides():
    line = P.plot_path(np.zeros((3, 2)), "lr = 0.1", color="black", linestyle=":")
    assert line.get_label() == "lr = 0.1"
    assert to_hex(line.get_color()) == "#000000"
    assert line.get_linestyle() == ":"


def test_plot_path_annotates_divergence_inside_the_view():
    s = SURFACES["bowl"]
    fig, ax = plt.subplots()
    P.contour(s, ax=ax)
    xs = np.array([[-4.0, 2.0], [-3.0, -6.0], [-2.0, 50.0], [np.nan, np.nan]])
    line = P.plot_path(xs, "SGD", ax=ax, diverged_at=3)
    notes = [t for t in ax.texts if t.get_text() == "diverged at step 3"]
    assert len(notes) == 1
    x, y = notes[0].xy
    assert s.bounds[0][0] <= x <= s.bounds[0][1] and s.bounds[1][0] <= y <= s.bounds[1][1]
    assert len(line.get_xdata()) == 3  # the NaN row is dropped
    assert ax.get_ylim() == s.bounds[1]  # the wild point did not rescale the map
    # update_path moves the line and removes the note when the new run converges
    P.update_path(line, np.array([[-4.0, 2.0], [-1.0, 0.5], [0.0, 0.0]]))
    assert not [t for t in ax.texts if t.get_text().startswith("diverged")]
    assert line.get_xdata()[-1] == 0.0
    P.update_path(line, xs, diverged_at=7)
    assert [t.get_text() for t in ax.texts] == ["diverged at step 7"]


def test_plot_path_rejects_bad_shapes():
    with pytest.raises(ValueError, match="xs must have shape"):
        P.plot_path(np.zeros((4, 3)), "SGD")
    with pytest.raises(ValueError, match="diverged_at"):
        P.plot_path(np.zeros((4, 2)), "SGD", diverged_at=-2)


def test_gradient_field_points_uphill():
    s = SURFACES["bowl"]
    q = P.gradient_field(s, n=7)
    X, Y = q.X, q.Y
    UV = np.column_stack([q.U, q.V])
    G = s.grad(np.column_stack([X, Y]))
    moving = np.linalg.norm(G, axis=1) > 0  # the centre cell sits on the minimum
    assert np.all(np.linalg.norm(UV[~moving], axis=1) == 0)
    UV, G = UV[moving], G[moving]
    cos = np.sum(UV * G, axis=1) / (np.linalg.norm(UV, axis=1) * np.linalg.norm(G, axis=1))
    assert np.allclose(cos, 1.0)
    assert np.allclose(np.linalg.norm(UV, axis=1), np.linalg.norm(UV, axis=1)[0])  # unit-scaled
    with pytest.raises(ValueError, match="n must be"):
        P.gradient_field(s, n=1)


def test_surface_3d_clips_heights():
    art = P.surface_3d(SURFACES["rosenbrock"], resolution=30, clip_quantile=0.5)
    X, Y, Z = P.surface_grid(SURFACES["rosenbrock"], 30)
    top = art.axes.get_zlim()[1]
    assert top == pytest.approx(np.quantile(Z, 0.5), rel=0.05)   # the axis ends (about) at the clip
    assert Z.max() > 2 * np.quantile(Z, 0.5)  # so the clip did cut something
    assert art.axes.get_zlabel() == "loss"


def test_surface_3d_has_the_contour_maps_colours_and_stars():
    import matplotlib.pyplot as plt
    s = SURFACES["himmelblau"]
    fig = plt.figure()
    ax3 = fig.add_subplot(1, 2, 2, projection="3d")
    art = P.surface_3d(s, ax=ax3, resolution=30)
    filled = P.contour(s, ax=fig.add_subplot(1, 2, 1)).filled
    band_greys = {tuple(np.round(c[:3], 3)) for c in filled.get_facecolor()}
    faces = art.get_facecolor()[:, :3]
    assert np.allclose(faces[:, 0], faces[:, 1]) and np.allclose(faces[:, 1], faces[:, 2])   # grey, not viridis
    assert faces.max() <= 1 and faces.min() > 0.3 and len(band_greys) >= 3
    stars = [line for line in ax3.get_lines() if line.get_marker() == "*"]
    assert len(stars) == 1 and len(stars[0].get_xdata()) == len(s.minima)
    plt.close(fig)


def test_loss_curves_styles_and_logy():
    curves = {"SGD": np.geomspace(10, 0.1, 20), "AdamW": np.geomspace(5, 0.01, 20)}
    lines = P.loss_curves(curves)
    assert [ln.get_label() for ln in lines] == ["SGD", "AdamW"]
    assert lines[1].get_marker() == "P"
    assert lines[0].axes.get_yscale() == "log"
    with pytest.raises(ValueError, match="subtract"):
        P.loss_curves({"SGD": [1.0, -0.2]})
    lines = P.loss_curves({"SGD": [1.0, -0.2]}, subtract=-0.25)
    assert np.allclose(lines[0].get_ydata(), [1.25, 0.05])
    lines = P.loss_curves({"run": [1.0, -0.2, np.nan]}, logy=False, x=[0, 10, 20])
    assert lines[0].axes.get_yscale() == "linear"
    assert list(lines[0].get_xdata()) == [0, 10, 20]


def test_schedule_plot_vectorised_and_scalar_schedules():
    line = P.schedule_plot(lambda t: 0.1 * 0.5 ** (np.asarray(t) // 10), 30, label="step")
    assert np.allclose(line.get_ydata()[[0, 10, 29]], [0.1, 0.05, 0.025])
    line = P.schedule_plot(lambda t: 0.1 if t < 5 else 0.01, 8)  # not vectorised
    assert np.allclose(line.get_ydata(), [0.1] * 5 + [0.01] * 3)
    assert line.axes.get_ylabel() == "learning rate"
    with pytest.raises(ValueError, match="steps"):
        P.schedule_plot(lambda t: 0.1, 0)


@pytest.mark.parametrize("corner", [(4.9, 2.9), (-4.9, -2.9), (4.9, -2.9), (-4.9, 2.9)])
def test_divergence_note_stays_inside_the_axes_at_every_corner(corner):
    fig, ax = plt.subplots(figsize=(5, 3.5))
    ax.set_xlim(-5, 5)
    ax.set_ylim(-3, 3)
    xs = np.array([[0.0, 0.0], corner, [50.0 * corner[0], 50.0 * corner[1]]])
    line = P.plot_path(xs, "SGD", ax=ax, diverged_at=7)
    fig.canvas.draw()
    note = line._downhill_note
    box = note.get_window_extent(fig.canvas.get_renderer())
    axes_box = ax.get_window_extent()
    assert "diverged at step 7" in note.get_text()
    assert axes_box.x0 - 1 <= box.x0 and box.x1 <= axes_box.x1 + 1
    assert axes_box.y0 - 1 <= box.y0 and box.y1 <= axes_box.y1 + 1
    plt.close(fig)
