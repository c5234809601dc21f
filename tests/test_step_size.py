"""Pure functions and explorers behind notebook 03's learning-rate figures."""

import warnings

import numpy as np
import pytest

from helpers.lessons import step_size
from helpers.lessons.step_size import Parabola, limit_frame, lr_sweep, zigzag_frame
from helpers.surfaces import SURFACES


def test_parabola_worked_example():
    p = Parabola()
    assert p.grad(np.array([5.0]))[0] == pytest.approx(6.0)
    assert p.loss(np.array([5.0])) == pytest.approx(9.0)


def test_sweep_flips_at_two_over_L():
    bowl = SURFACES["bowl"]
    final = lr_sweep(bowl, [0.19, 0.199, 0.201, 0.21], bowl.default_start, 400)
    start = bowl.loss(bowl.default_start)
    assert final[0] < 1e-10 and final[1] < start  # below 2/L: shrinking, if slowly near the edge
    assert final[2] > start and np.isinf(final[3])  # above: growing, then overflowing


def test_sweep_is_the_same_as_single_runs():
    bowl = SURFACES["bowl"]
    lrs = [0.05, 0.15]
    final = lr_sweep(bowl, lrs, bowl.default_start, 30)
    single = [step_size.descent.run(bowl, step_size.SGD(lr=lr), bowl.default_start, 30).losses[-1] for lr in lrs]
    np.testing.assert_allclose(final, single, rtol=1e-12)


def test_limit_frame():
    frame = limit_frame(0.1)
    assert frame.limit == pytest.approx(0.2) and frame.diverged_at is None
    assert frame.losses[-1] < 1e-2
    assert limit_frame(0.3).diverged_at is not None
    best = frame.sweep_lrs[np.argmin(frame.sweep_final)]
    assert abs(best - 2 / 11) < 0.01  # the best rate 2/(L + mu)
    with pytest.raises(ValueError, match="lr"):
        limit_frame(-1)


def test_zigzag_rate_predicts_the_loss():
    frame = zigzag_frame(30)
    assert frame.lr == pytest.approx(2 / (1 + 1 / 30))
    assert frame.rate == pytest.approx(29 / 31)
    t = len(frame.losses) - 1
    assert frame.losses[-1] <= frame.losses[0] * frame.rate ** (2 * t) * (1 + 1e-9)
    assert zigzag_frame(30, lr_times_L=2.1, best=False).diverged_at is not None
    with pytest.raises(ValueError, match="kappa"):
        zigzag_frame(0.5)


def test_explorers_show_divergence_without_warnings():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        e = step_size.LimitExplorer()
        e.set(lr=0.25)
        assert e.last_message.startswith("diverged at step") and e.last_error is None
        z = step_size.ZigZagExplorer()
        z.set(kappa=1000)
        z.set(best=False, lr_times_L=2.1)
        assert z.last_message.startswith("diverged") and z.last_error is None and not z.last_warnings
        assert "condition number 1e+03" in z.caption.value or "1000" in z.caption.value


def test_zigzag_condition_numbers_are_the_values_the_text_names():
    z = step_size.ZigZagExplorer(kappa=30)
    assert z.controls["kappa"].value == 30
    z.set(kappa=300)
    assert z.controls["kappa"].value == 300 and "condition number 300" in z.caption.value


def test_zigzag_lr_slider_is_live_only_without_best():
    z = step_size.ZigZagExplorer()
    assert z.controls["best"].value and z.controls["lr_times_L"].disabled
    z.set(best=False)
    assert not z.controls["lr_times_L"].disabled
    z.set(best=True)
    assert z.controls["lr_times_L"].disabled


def test_zigzag_loss_reaching_zero_stays_on_the_log_axis():
    z = step_size.ZigZagExplorer()
    z.set(kappa=1)                        # best lr = 1 = 1/L: the minimum in one step, loss exactly 0
    curve = z.artists[2]
    y = np.asarray(curve.get_ydata())
    assert np.all(np.isfinite(y)) and y.min() == step_size.LOSS_FLOOR and len(y) == step_size.ZIGZAG_STEPS + 1
    assert "exactly 0 from step 1" in z.caption.value
