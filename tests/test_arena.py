import numpy as np
import pytest

from helpers.lessons import arena
from helpers.optim import SGD, Adam
from helpers.surfaces import SURFACES

KNOBS = dict(lr_sgd=0.5, lr_momentum=0.05, lr_adam=0.02, lr_adamw=0.02, momentum=0.9, beta1=0.9,
             beta2=0.999, weight_decay=0.01, schedule="cosine", warmup=50, steps=400)


@pytest.fixture(scope="module")
def task():
    return arena.network_task()


def test_network_frame_races_every_optimizer_at_the_longest_setting(task):
    frame = arena.network_frame(dict(KNOBS, lr_adam=0.03), task)
    assert set(frame.races) == set(arena.LABELS)
    assert all(r.losses.shape == (KNOBS["steps"] + 1,) for r in frame.races.values())


@pytest.mark.parametrize("name", list(SURFACES))
def test_surface_frame_races_every_optimizer_on_every_surface(name):
    frame = arena.surface_frame(dict(KNOBS, lr_sgd=1e-3, lr_momentum=5e-4, lr_adam=0.05, lr_adamw=0.05,
                                     surface=name, steps=1000))
    assert set(frame.races) == set(arena.LABELS)
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
    from helpers.lessons.arena_explorers import NetworkArena, SurfaceArena
    net = NetworkArena(task)
    net.set(lr_adam=3.0, steps=100)
    assert net.last_error is None and net.last_warnings == []
    surf = SurfaceArena()
    surf.set(lr_sgd=0.3)
    assert surf.last_error is None and "diverged" in surf.last_message
    surf.set(surface="himmelblau")
    assert surf.last_error is None


def _render_all(explorer, changes):
    """Move the explorer through uncached settings, the whole frame path each time
    (settings -> compute -> draw -> blit -> JPEG -> widget). How long that takes is measured by
    benchmarks/explorer_frames.py (`make bench`), not asserted here."""
    for change in changes:
        before = explorer.renders
        explorer.set(**change)
        assert explorer.last_error is None and explorer.last_warnings == []
        assert explorer.renders == before + 1          # one change, one frame


def test_network_explorer_renders_its_longest_setting_and_shows_the_last_one(task):
    pytest.importorskip("ipywidgets")
    from helpers.lessons.arena_explorers import NetworkArena
    net = NetworkArena(task, steps=task.max_steps, schedule="cosine", warmup=50)
    changes = [dict(lr_adam=v) for v in (0.03, 0.05, 0.2)] + [dict(weight_decay=0.1), dict(warmup=100),
                                                              dict(steps=task.max_steps - 10)]
    _render_all(net, changes)
    assert net.last_frame.steps == task.max_steps - 10


def test_surface_explorer_renders_every_surface_and_shows_the_last_one():
    pytest.importorskip("ipywidgets")
    from helpers.lessons.arena_explorers import SurfaceArena
    surf = SurfaceArena(steps=SurfaceArena.max_steps, schedule="cosine", warmup=100)
    changes = [dict(surface=name) for name in SURFACES] + [dict(lr_adam=0.2), dict(momentum=0.5)]
    _render_all(surf, changes)
    assert surf.last_frame is surf.compute(surf.settings())


def test_explorer_frame_cache_is_hit_when_a_setting_comes_back(task, monkeypatch):
    pytest.importorskip("ipywidgets")
    from helpers.lessons import arena_explorers
    net = arena_explorers.NetworkArena(task, steps=50)
    calls = []
    real = arena_explorers.network_frame
    monkeypatch.setattr(arena_explorers, "network_frame", lambda s, t: calls.append(1) or real(s, t))
    net.set(lr_adam=0.05)
    net.set(lr_adam=0.07)
    net.set(lr_adam=0.05)               # back to a setting already computed: from the cache
    assert len(calls) == 2


def test_robust_tells_reproducible_runs_from_chaotic_ones(task):
    # SGD with cosine decay on the network: small peaks settle, peaks past ~10 are chaotic (notebook 09 §4)
    shape = arena.arena_schedule(1.0, "cosine", 0, 200)
    make = lambda lr: SGD(lambda t: lr * shape(t))  # noqa: E731
    lrs = np.array([0.01, 0.1, 17.8, 31.6])
    ok = arena.robust(task, make, lrs, 200)
    assert ok.tolist() == [True, True, False, False]


def test_robust_counts_blown_runs_as_reproducible():
    ok = arena.robust(SURFACES["bowl"], lambda lr: SGD(lr), np.array([0.05, 0.5]), 200)
    assert ok.tolist() == [True, True]
    assert arena.lr_sweep(SURFACES["bowl"], lambda lr: SGD(lr), np.array([0.5]), 200)[0] == np.inf


def test_best_robust_passes_over_a_chaotic_minimum(task):
    shape = arena.arena_schedule(1.0, "cosine", 0, 200)
    make = lambda lr: SGD(lambda t: lr * shape(t))  # noqa: E731
    lrs = np.logspace(-4, 2, 49)
    final = arena.lr_sweep(task, make, lrs, 200)
    i = arena.best_robust(task, make, lrs, final, 200)
    assert arena.robust(task, make, lrs[[i]], 200)[0]
    chaotic_better = final < final[i]
    assert chaotic_better.any()                      # the raw minimum is a chaotic run...
    assert not arena.robust(task, make, lrs[chaotic_better], 200).any()   # ...and every run below i is


def test_nudge_moves_the_start():
    a = arena.lr_sweep(SURFACES["bowl"], lambda lr: SGD(lr), np.array([0.01]), 1)
    b = arena.lr_sweep(SURFACES["bowl"], lambda lr: SGD(lr), np.array([0.01]), 1, nudge=1e-3)
    assert b[0] > a[0]


def test_arena_loss_axis_fits_the_curves_in_whole_decades():
    from helpers.lessons.arena_explorers import NetworkArena, SurfaceArena, _decades
    assert _decades([np.array([0.17, 0.69])], lowest=-12, highest=6) == (-1, 0)
    assert _decades([np.array([np.nan, 0.0, 3e-5, 2e3])], lowest=-12, highest=6) == (-5, 4)
    assert _decades([np.array([1e-30])], lowest=-12, highest=6) == (-12, -11)
    net = NetworkArena()
    lo, hi = net.ax_loss.get_ylim()
    finals = [r.losses[-1] for r in net.last_frame.races.values()]
    assert lo <= min(finals) and max(r.losses[0] for r in net.last_frame.races.values()) <= hi
    assert np.log10(hi / lo) <= 2          # the curves fill the panel, not 3 of its decades
    surf = SurfaceArena()
    before = surf.ax_loss.get_ylim()
    surf.set(surface="bowl")               # converges to 1e-12 and below: the axis follows
    assert surf.ax_loss.get_ylim()[0] < before[0]
