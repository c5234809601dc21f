"""The playground's two learning-rate modes: "tuned" (each optimizer at its own best slider rate, the
default) and "shared" (one rate for all), and the batched sweep behind both."""

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pytest  # noqa: E402

from helpers.lessons import playground as pg  # noqa: E402
from helpers.surfaces import SURFACES  # noqa: E402


def test_the_slider_has_61_log_spaced_rates_from_0_001_to_1():
    assert len(pg.LR_POSITIONS) == 61
    assert pg.LR_POSITIONS[0] == pytest.approx(1e-3) and pg.LR_POSITIONS[-1] == 1.0
    np.testing.assert_allclose(np.diff(np.log10(pg.LR_POSITIONS)), 0.05)
    ex = pg.Playground()
    lr = ex.controls["lr"]
    assert (lr.min, lr.max, lr.step) == (-3.0, 0.0, 0.05)


def test_tuned_is_the_default_and_each_walk_reports_its_rate():
    frame = pg.playground_frame()
    assert frame.settings.lr_mode == "tuned"
    for walk in frame.walks:
        assert walk.tuned_of == 61 and pg.lr_position(walk.lr) is not None
        assert walk.lr_label == f"{walk.label}: lr {walk.lr:.2g}, best of 61"
    assert len({w.lr for w in frame.walks}) > 1, "four optimizers, one rate: nothing was tuned"


@pytest.mark.parametrize("surface", sorted(SURFACES))
def test_each_tuned_rate_is_the_smallest_of_the_as_good_by_the_documented_criterion(surface):
    tuned = {w.label: w for w in pg.playground_frame(surface=surface).walks}
    for label, walk in tuned.items():
        finals, dead = [], []
        for lr in pg.LR_POSITIONS:   # each rate on its own, in shared mode
            (w,) = [x for x in pg.playground_frame(surface=surface, lr_mode="shared", lr=float(lr)).walks
                    if x.label == label]
            dead.append(w.diverged_at is not None)
            finals.append(w.gaps[-1])
        finals, dead = np.array(finals), np.array(dead)
        k = pg.lr_position(walk.lr)
        if dead.all():
            assert k == 0
            continue
        best = finals[~dead].min()
        assert not dead[k] and finals[k] <= pg.AS_GOOD * max(best, pg.LOSS_FLOOR), (surface, label)
        assert not np.any(~dead[:k] & (finals[:k] <= pg.AS_GOOD * max(best, pg.LOSS_FLOOR))), (surface, label)


def test_a_tuned_walk_is_the_shared_walk_at_its_rate():
    tuned = pg.playground_frame(surface="himmelblau")
    for walk in tuned.walks:
        (same,) = [w for w in pg.playground_frame(surface="himmelblau", lr_mode="shared", lr=walk.lr).walks
                   if w.label == walk.label]
        np.testing.assert_array_equal(same.xs, walk.xs)
        assert same.diverged_at == walk.diverged_at and same.tuned_of == 0


def test_shared_mode_runs_every_optimizer_at_the_one_rate():
    frame = pg.playground_frame(lr_mode="shared", lr=0.01)
    assert {w.lr for w in frame.walks} == {0.01}
    assert all(w.lr_label == f"{w.label}: lr 0.01" for w in frame.walks)
    np.testing.assert_allclose(frame.lrs, 0.01 * frame.unit)


def test_a_rate_between_the_stops_runs_alone_with_the_same_arithmetic():
    on = pg.playground_frame(lr_mode="shared", lr=float(pg.LR_POSITIONS[20]))
    again = pg.playground_frame(lr_mode="shared", lr=float(pg.LR_POSITIONS[20]) * (1 + 1e-13))
    for a, b in zip(on.walks, again.walks):
        np.testing.assert_allclose(a.xs, b.xs, rtol=1e-9, atol=1e-12)
    assert pg.lr_position(0.002) is None and pg.lr_position(float(pg.LR_POSITIONS[7])) == 7


def test_moving_the_rate_along_the_slider_needs_no_new_descent():
    pg.playground_frame(lr_mode="shared", lr=float(pg.LR_POSITIONS[0]))
    misses = pg._sweep.cache_info().misses
    for lr in pg.LR_POSITIONS:
        pg.playground_frame(lr_mode="shared", lr=float(lr))
    pg.playground_frame()                     # tuned: the same sweep
    assert pg._sweep.cache_info().misses == misses


def test_best_position_takes_the_smallest_of_the_as_good_and_skips_the_diverged():
    assert pg.best_position([1.0, 0.3, 0.2, 0.1], [False, False, False, False]) == 2   # 0.2 <= 2 * 0.1
    assert pg.best_position([1.0, 0.3, 0.2, 0.01], [False, False, False, True]) == 1  # 0.3 <= 2 * 0.2
    assert pg.best_position([5.0, 5.0], [True, True]) == 0
    assert pg.best_position([1e-10, 1e-10, 1e-10], [False] * 3) == 0
    assert pg.best_position([np.nan, 2.0], [False, False]) == 1


@pytest.mark.parametrize("kwargs, name", [
    (dict(final_gaps=[1.0, 2.0], diverged=[False]), "final_gaps"),
    (dict(final_gaps=[], diverged=[]), "final_gaps"),
    (dict(final_gaps=[1.0], diverged=[False], as_good=0.5), "as_good"),
])
def test_best_position_refuses_bad_input_naming_it(kwargs, name):
    with pytest.raises(ValueError, match=name):
        pg.best_position(**kwargs)


def test_lr_mode_is_checked():
    with pytest.raises(ValueError, match="lr_mode"):
        pg.playground_frame(lr_mode="fastest")


@pytest.mark.parametrize("renderer", pg.Playground.RENDERERS)
def test_the_widget_labels_each_rate_and_moving_the_rate_shares_it(renderer):
    ex = pg.Playground(renderer=renderer)

    def legend():
        if renderer == "jpeg":
            return [t.get_text() for t in ex.panels.legend.get_texts()]
        return ex.image.meta["legend"] if ex.controls["lr_mode"].value == "tuned" else list(pg.OPTIMIZERS)

    assert ex.controls["lr_mode"].value == "tuned"
    texts = legend()
    assert all(", best of 61" in t for t in texts) and texts[0].startswith("SGD: lr ")
    assert "best of 61 learning rates" in ex.caption.value
    ex.controls["lr"].value = 0.002 * (1 - 2e-16)                 # the browser writing its value back
    ex.controls["lr"].value = 10 ** -2.7                          # or snapping it to the nearest stop
    assert ex.controls["lr_mode"].value == "tuned"
    ex.controls["lr"].value = float(pg.LR_POSITIONS[30])         # as a key press on the slider does
    assert ex.controls["lr_mode"].value == "shared" and ex.last_frame.settings.lr_mode == "shared"
    assert legend() == list(pg.OPTIMIZERS)   # the rate: on the schedule panel
    if renderer == "jpeg":
        assert ex.panels.lr_text.get_text().startswith("peak 0.032")
    assert "one shared learning rate, 0.032" in ex.caption.value


def test_the_description_names_every_optimizers_settings_and_state():
    s = pg.PlaygroundSettings(momentum=0.8, beta1=0.85, beta2=0.99, weight_decay=0.05, show_step=50)
    text = pg.describe_frame(pg.playground_frame(s))
    for part in ("momentum 0.8", "beta1 0.85", "beta2 0.99", "weight decay 0.05", "step 50 shown"):
        assert part in text, part
    for label in pg.OPTIMIZERS:
        assert f"{label} (lr " in text
    assert text.count(" above the minimum") + text.count("at the minimum") + text.count("diverged") >= 5
    gone = pg.describe_frame(pg.playground_frame(lr_mode="shared", lr=0.5, schedule="constant"))
    assert "SGD (lr 0.5) diverged at step" in gone
