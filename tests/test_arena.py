import time

import numpy as np
import pytest

from helpers import arena
from helpers.optim import SGD, Adam
from helpers.surfaces import SURFACES

KNOBS = dict(lr_sgd=0.5, lr_momentum=0.05, lr_adam=0.02, lr_adamw=0.02, momentum=0.9, beta1=0.9,
             beta2=0.999, weight_decay=0.01, schedule="cosine", warmup=50, steps=400)


@pytest.fixture(scope="module")
def task():
    return arena.network_task()


def test_network_frame_is_fast_at_the_longest_setting(task):
    arena.network_frame(KNOBS, task)                      # warm caches (cached_property batches)
    start = time.perf_counter()
    frame = arena.network_frame(dict(KNOBS, lr_adam=0.03), task)
    assert time.perf_counter() - start < 0.5
    assert set(frame.races) == set(arena.LABELS)


@pytest.mark.parametrize("name", list(SURFACES))
def test_surface_frame_is_fast_on_every_surface(name):
    start = time.perf_counter()
    frame = arena.surface_frame(dict(KNOBS, lr_sgd=1e-3, lr_momentum=5e-4, lr_adam=0.05, lr_adamw=0.05,
                                     surface=name, steps=1000))
    assert time.perf_counter() - start < 0.5
    assert all(r.losses.shape == (1001,) for r in frame.races.values())


def test_batched_network_race_matches_one_optimizer_alone(task):
    opts = arena.make_optimizers(**dict(KNOBS, steps=50, warmup=0, schedule="constant"))
    together = arena.race_network(task, opts, 50)
    alone = arena.race_network(task, {"Adam": opts["Adam"]}, 50)
    np.testing.assert_allclose(together["Adam"].losses, alone["Adam"].losses, rtol=1e-12)


def test_race_reports_divergence_and_keeps_finite_positions():
    races = arena.race_surface(SURFACES["rosenbrock"], {"SGD": SGD(0.3)}, 100)
    race = races["SGD"]
    assert race.diverged_at is not None and race.diverged_at < 10
    assert np.all(np.isfinite(race.xs)) and np.isnan(race.losses[-1])


def test_lr_sweep_equals_separate_runs():
    lrs = np.array([1e-3, 1e-2, 1e-1])
    batched = arena.lr_sweep(SURFACES["bowl"], lambda lr: Adam(lr), lrs, 50)
    for lr, value in zip(lrs, batched):
        single = arena.race_surface(SURFACES["bowl"], {"Adam": Adam(lr)}, 50)["Adam"].final_loss
        assert value == pytest.approx(single, rel=1e-9, abs=1e-300)


def test_lr_sweep_marks_blown_runs_inf():
    final = arena.lr_sweep(SURFACES["bowl"], lambda lr: SGD(lr), np.array([0.1, 0.5]), 200)
    assert np.isfinite(final[0]) and final[1] == np.inf


def test_good_range_picks_longest_run():
    lrs = np.array([1, 2, 3, 4, 5, 6.0])
    assert arena.good_range(lrs, [0, 9, 0, 0, 0, 9], 1) == (3.0, 5.0)
    assert arena.good_range(lrs, [9] * 6, 1) is None


def test_schedule_warmup_and_validation():
    sched = arena.arena_schedule(0.1, "constant", 50, 200)
    assert sched(9) == pytest.approx(0.02) and sched(120) == pytest.approx(0.1)
    with pytest.raises(ValueError, match="schedule"):
        arena.arena_schedule(0.1, "linear", 0, 10)
    with pytest.raises(ValueError, match="warmup"):
        arena.arena_schedule(0.1, "cosine", 10, 10)


def test_explorers_render_without_warnings_and_cache(task):
    pytest.importorskip("ipywidgets")
    from helpers.arena_explorers import NetworkArena, SurfaceArena
    net = NetworkArena(task)
    net.set(lr_adam=3.0, steps=100)
    assert net.last_error is None and net.last_warnings == []
    surf = SurfaceArena()
    surf.set(lr_sgd=0.3)
    assert surf.last_error is None and "diverged" in surf.last_message
    surf.set(surface="himmelblau")
    assert surf.last_error is None


def _worst_render(explorer, changes):
    """Slowest of several uncached slider moves, timed through the whole frame path
    (settings -> compute -> draw -> blit -> JPEG -> widget), as a reader's drag would be."""
    seconds = []
    for change in changes:
        explorer.set(**change)
        assert explorer.last_error is None and explorer.last_warnings == []
        seconds.append(explorer.last_render_seconds)
    return max(seconds)


def test_network_explorer_answers_within_half_a_second_at_its_longest_setting(task):
    pytest.importorskip("ipywidgets")
    from helpers.arena_explorers import NetworkArena
    net = NetworkArena(task, steps=task.max_steps, schedule="cosine", warmup=50)
    changes = [dict(lr_adam=v) for v in (0.03, 0.05, 0.2)] + [dict(weight_decay=0.1), dict(warmup=100),
                                                              dict(steps=task.max_steps - 10)]
    assert _worst_render(net, changes) < 0.5
    assert net.last_frame.steps == task.max_steps - 10


def test_surface_explorer_answers_within_half_a_second_on_every_surface():
    pytest.importorskip("ipywidgets")
    from helpers.arena_explorers import SurfaceArena
    surf = SurfaceArena(steps=SurfaceArena.max_steps, schedule="cosine", warmup=100)
    # a new surface also redraws the contour background: the slowest kind of frame
    changes = [dict(surface=name) for name in SURFACES] + [dict(lr_adam=0.2), dict(momentum=0.5)]
    assert _worst_render(surf, changes) < 0.5
