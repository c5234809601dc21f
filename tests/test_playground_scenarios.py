"""Each playground scenario's one-line claim, checked at every position of the slider it is about
(helpers.lessons.playground_scenarios), by the playground's own frame function."""

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pytest  # noqa: E402

from helpers.lessons import playground as pg  # noqa: E402
from helpers.lessons.playground_scenarios import MOMENTUM_RANGE, SCENARIOS, WARMUP_NEEDED  # noqa: E402
from helpers.surfaces import SURFACES  # noqa: E402

BUILT = pg.Playground()          # one widget: its sliders give the positions each claim runs over


def positions(name, scenario):
    """Every value the playground's slider ``name`` can take once ``scenario`` is applied (from the
    slider's min, max and step: the start sliders' range is the scenario's surface's)."""
    BUILT.controls["scenario"].value = ""
    BUILT.controls["scenario"].value = scenario
    c = BUILT.controls[name]
    n = int(round((c.max - c.min) / c.step))
    values = np.round(c.min + c.step * np.arange(n + 1), 10)
    return [int(v) for v in values] if isinstance(c.value, int) else [float(v) for v in values]


def walks(settings):
    return {w.label: w for w in pg.playground_frame(settings).walks}


def test_scenarios_are_named_settings_with_one_line_each():
    assert {"warmup", "momentum", "adam-scale", "basins"} <= set(SCENARIOS)
    assert pg.SCENARIOS is SCENARIOS
    for name, (settings, note) in SCENARIOS.items():
        assert isinstance(settings, pg.PlaygroundSettings) and settings.lr_mode == "shared", name
        assert pg.lr_position(settings.lr) is not None, f"{name}: its rate is not a slider position"
        assert note.endswith(".") and "\n" not in note and len(note) < 260, name
        assert pg.playground_frame(settings).walks, name


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_the_menu_applies_a_scenario_to_every_control(name):
    ex = pg.Playground()
    ex.controls["scenario"].value = name
    settings, note = SCENARIOS[name]
    shown = ex.playground_settings()
    expected = settings.replace(start=settings.start or tuple(SURFACES[settings.surface].default_start),
                                show_step=settings.steps)
    assert shown.replace(lr=0.0) == expected.replace(lr=0.0) and np.isclose(shown.lr, settings.lr, rtol=1e-12)
    assert ex.scenario_note.value == note and ex.last_error is None and ex.last_warnings == []


def test_warmup_rescues_sgd_from_the_steep_corner_monotonically():
    settings, _ = SCENARIOS["warmup"]
    died = []
    for w in positions("warmup", "warmup"):
        assert w < settings.steps
        (walk,) = walks(settings.replace(warmup=w)).values()
        died.append(walk.diverged_at is not None)
    died = np.array(died)
    k = int(np.argmin(died))
    assert k == WARMUP_NEEDED, f"first surviving warmup is {k}, the explanation says {WARMUP_NEEDED}"
    assert died[:k].all() and not died[k:].any(), "survival is not monotone in the warmup"
    assert k >= 3 and len(died) - k >= 3                          # three slider positions on each side
    assert settings.warmup >= WARMUP_NEEDED                       # the scenario opens on a surviving run


def test_the_warmup_scenario_starts_where_the_curvature_is_highest():
    settings, _ = SCENARIOS["warmup"]
    surface = SURFACES[settings.surface]
    (walk,) = walks(settings).values()
    top = [np.linalg.eigvalsh(surface.hessian(x))[-1] for x in walk.xs]
    assert np.argmax(top) == 0 and top[0] > 3 * top[-1]
    (x0, x1), (y0, y1) = surface.bounds
    corners = [np.linalg.eigvalsh(surface.hessian(np.array(c)))[-1]
               for c in ((x0, y0), (x0, y1), (x1, y0), (x1, y1))]
    assert top[0] == pytest.approx(max(corners))


def overshoots_and_wins(settings):
    w = walks(settings)
    sgd, mom = w["SGD"], w["SGD + momentum"]
    side = np.sign(mom.xs[0, 1])
    crossed = bool(np.max(-side * mom.xs[:, 1]) >= 0.1)             # across the valley floor, y = 0, by 0.1 or more
    return crossed, mom.diverged_at is None and mom.gaps[-1] < sgd.gaps[-1]


def test_momentum_overshoots_and_still_wins_across_its_range():
    settings, _ = SCENARIOS["momentum"]
    lo, hi = MOMENTUM_RANGE
    inside = [m for m in positions("momentum", "momentum") if lo - 1e-9 <= m <= hi + 1e-9]
    assert len(inside) == round((hi - lo) / 0.01) + 1
    for m in inside:
        assert overshoots_and_wins(settings.replace(momentum=m)) == (True, True), m
    assert settings.momentum in inside


def test_without_momentum_there_is_no_overshoot_and_no_win():
    settings, _ = SCENARIOS["momentum"]
    assert overshoots_and_wins(settings.replace(momentum=0.0)) == (False, False)


def first_steps(settings):
    w = walks(settings)
    return {label: walk.xs[1] - walk.xs[0] for label, walk in w.items()}


def test_adams_first_step_ignores_the_gradients_scale_and_sgds_follows_it():
    settings, _ = SCENARIOS["adam-scale"]
    surface = SURFACES[settings.surface]
    y = settings.start[1]
    sgd_lengths = []
    for x in positions("x", "adam-scale"):
        start = np.array([x, y])
        step = first_steps(settings.replace(start=(x, y)))
        g = surface.grad(start)
        moving = np.abs(g) > 1e-6
        assert np.allclose(np.abs(step["Adam"][moving]), settings.lr, rtol=1e-6), x
        np.testing.assert_allclose(step["SGD"], -settings.lr * g, rtol=1e-12, atol=1e-15)
        sgd_lengths.append(abs(step["SGD"][0]))
    assert max(sgd_lengths) > 50 * min(v for v in sgd_lengths if v > 0)
    # "at the start, five times longer across the bowl than along it"
    g = surface.grad(np.asarray(settings.start))
    assert abs(g[1] / g[0]) == pytest.approx(5.0)


def test_from_every_start_on_y_0_sgd_ends_in_a_minimum_and_all_four_are_reached():
    settings, _ = SCENARIOS["basins"]
    minima = SURFACES["himmelblau"].minima
    reached = set()
    for x in positions("x", "basins"):
        (walk,) = walks(settings.replace(start=(x, settings.start[1]))).values()
        gaps = np.linalg.norm(minima - walk.xs[-1], axis=1)
        assert walk.diverged_at is None and gaps.min() < 0.02, x
        reached.add(int(np.argmin(gaps)))
    assert reached == set(range(len(minima))) == {0, 1, 2, 3}
