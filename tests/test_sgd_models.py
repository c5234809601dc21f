"""The models, training loop, noise measurements and explorer frames behind notebooks 05 and 06."""

import numpy as np
import pytest

from helpers import data
from helpers import descent
from helpers.lessons import batch_noise
from helpers.problems import MiniBatches, NoisyGradient
from helpers.lessons import deep_linear as dl
from helpers.lessons import linear_model as lm
from helpers import schedules as S
from helpers.gradcheck import check_gradient
from helpers.optim import SGD
from helpers.surfaces import SURFACES


@pytest.fixture
def line_data():
    return data.linear_regression(n=200, rng=0)


def test_linear_model_gradient_matches_finite_differences(line_data):
    x, y = line_data
    ok, err = check_gradient(lambda p: lm.loss(p, x, y), lambda p: lm.grad(p, x, y), np.array([-1.0, 4.0]))
    assert ok, err


def test_full_gradient_is_the_mean_of_per_example_gradients(line_data):
    x, y = line_data
    p = np.array([0.3, -0.7])
    np.testing.assert_allclose(lm.per_example_grads(p, x, y).mean(axis=0), lm.grad(p, x, y), atol=1e-12)


def test_least_squares_zeroes_the_gradient_and_matches_polyfit(line_data):
    x, y = line_data
    best = lm.least_squares(x, y)
    np.testing.assert_allclose(lm.grad(best, x, y), 0.0, atol=1e-12)
    np.testing.assert_allclose(best, np.polyfit(x, y, 1), atol=1e-10)


def test_linear_model_broadcasts_over_runs_and_grids(line_data):
    x, y = line_data
    grid = np.zeros((3, 4, 2))
    assert lm.loss(grid, x, y).shape == (3, 4)
    idx = data.minibatch_indices(200, 5, 1, rng=0, runs=7)[0]
    assert lm.grad(np.zeros((7, 2)), x[idx], y[idx]).shape == (7, 2)


def test_deep_linear_gradient_and_hessian(line_data):
    x, y = line_data
    p = np.array([1.3, -0.4])
    ok, err = check_gradient(lambda q: dl.loss(q, x, y), lambda q: dl.grad(q, x, y), p)
    assert ok, err
    h = 1e-5
    numeric = np.column_stack([(dl.grad(p + h * e, x, y) - dl.grad(p - h * e, x, y)) / (2 * h) for e in np.eye(2)])
    np.testing.assert_allclose(dl.hessian(p, x, y), numeric, atol=1e-6)


def test_deep_linear_sharpness_on_the_minimum_curve_is_m2_times_norm(line_data):
    x, y = line_data
    for a in (0.7, 1.0, 2.5):
        p = dl.minimum_curve(x, y, [a])[0]
        np.testing.assert_allclose(dl.grad(p, x, y), 0.0, atol=1e-10)
        assert abs(dl.sharpness(p, x, y) - np.mean(x * x) * (p @ p)) < 1e-9


def test_full_batch_run_equals_plain_descent(line_data):
    x, y = line_data
    trace = descent.run(MiniBatches(lm.loss, lm.grad, x, y, 200, 20, rng=0), SGD(lr=0.1), [-1.0, 4.0], 20)
    p = np.array([-1.0, 4.0])
    for _ in range(20):
        p = p - 0.1 * lm.grad(p, x, y)
    np.testing.assert_allclose(trace.xs[-1], p, atol=1e-12)
    assert trace.examples_seen[-1] == 4000 and trace.diverged_at is None


def test_batched_runs_report_divergence_per_run(line_data):
    x, y = line_data
    lr = np.array([[0.1], [0.7]])                       # 0.7 > 2 / L_max ~ 0.59
    batches = MiniBatches(lm.loss, lm.grad, x, y, 200, 300, rng=0, runs=2)
    trace = descent.run(batches, SGD(lr=lr), batches.tile([-1.0, 4.0]), 300)
    assert trace.diverged_at[0] is None and trace.diverged_at[1] is not None
    assert np.isnan(trace.losses[-1, 1]) and np.isfinite(trace.losses[-1, 0])


def test_warmup_rescues_the_tiny_network_but_not_the_line():
    x, y = data.linear_regression(n=200, slope=2.0, intercept=0.0, noise=0.5, x_range=(-2.0, 2.0), rng=0)
    run = lambda sched: descent.run(MiniBatches(dl.loss, dl.grad, x, y, 200, 200, rng=0), SGD(lr=sched), [3.0, 2.5], 200)
    assert run(S.cosine(0.25, 200)).diverged_at is not None
    assert run(S.warmup_cosine(0.25, 20, 200)).diverged_at is None
    xl, yl = data.linear_regression(n=200, rng=0)
    hold = lambda t: 0.7 * min(1.0, (t + 1) / 100)
    line = descent.run(MiniBatches(lm.loss, lm.grad, xl, yl, 200, 300, rng=0), SGD(lr=hold), [-1.0, 4.0], 300)
    assert line.diverged_at is not None


def test_measured_noise_follows_one_over_sqrt_b(line_data):
    x, y = line_data
    G = lm.per_example_grads([-1.0, 4.0], x, y)
    sizes = np.array([1, 4, 16, 64])
    measured = batch_noise.gradient_noise(G, sizes, draws=2000, rng=0)
    predicted = batch_noise.predicted_noise(G, sizes)
    np.testing.assert_allclose(measured, predicted, rtol=0.08)
    assert batch_noise.gradient_noise(G, [200], draws=10, rng=0)[0] < 1e-12


def test_noise_moves_walkers_out_of_the_shallow_well():
    well = SURFACES["double_well"]
    noisy = NoisyGradient(well, [0.0] * 50 + [3.0] * 50, rng=0, runs=100)
    xs = descent.run(noisy, SGD(0.05), np.tile(well.default_start, (100, 1)), 600).xs
    deep = xs[-1, :, 0] < 0.127
    assert not deep[:50].any()
    assert deep[50:].mean() > 0.6


def test_noisy_gradient_rejects_bad_arguments():
    well = SURFACES["double_well"]
    with pytest.raises(ValueError, match="runs"):
        NoisyGradient(well, 1.0, runs=0)
    with pytest.raises(ValueError, match="sigma"):
        NoisyGradient(well, -1.0)
    with pytest.raises(ValueError, match="batch_sizes"):
        batch_noise.gradient_noise(np.zeros((5, 2)), [6])


def test_tilted_examples_average_to_the_surface_and_batches_carry_their_tilts(line_data):
    well = SURFACES["double_well"]
    x, y = line_data
    errors = lm.per_example_grads([-1.0, 4.0], x, y)
    examples = batch_noise.tilted_examples(well, errors)
    c = examples.tilts
    p = np.array([[0.5, 0.2], [-1.0, 0.3]])
    np.testing.assert_allclose(c.mean(axis=0), 0.0, atol=1e-12)
    np.testing.assert_allclose(examples.loss(p, c), well.loss(p), atol=1e-12)      # whole data set: f
    np.testing.assert_allclose(examples.grad(p, c), well.grad(p), atol=1e-12)
    batch = c[[3, 7, 11]]
    np.testing.assert_allclose(examples.grad(p[0], batch), well.grad(p[0]) + batch.mean(axis=0))
    ok, _ = check_gradient(lambda q: examples.loss(q, batch), lambda q: examples.grad(q, batch), p[1])
    assert ok


def test_tilted_noise_formula_matches_measured_batches(line_data):
    x, y = line_data
    examples = batch_noise.tilted_examples(SURFACES["double_well"], lm.per_example_grads([-1.0, 4.0], x, y))
    for B in (1, 8, 50):
        errors = batch_noise.batch_gradient_errors(examples.tilts, B, draws=4000, rng=0)
        np.testing.assert_allclose(errors.std(axis=0), examples.noise(B)[0], rtol=0.06)
    assert np.all(examples.noise(200) == 0.0)


def test_real_batches_escape_the_shallow_well_only_when_small(line_data):
    well = SURFACES["double_well"]
    x, y = line_data
    examples = batch_noise.tilted_examples(well, lm.per_example_grads([-1.0, 4.0], x, y))
    deep = {}
    for B in (2, 16):
        batches = MiniBatches(examples.loss, examples.grad, examples.tilts, y, B, 600, rng=0, runs=100)
        run = descent.run(batches, SGD(lr=0.05), batches.tile(well.default_start), 600)
        deep[B] = np.mean(run.xs[-1, :, 0] < 0.127)
    assert deep[2] > 0.6 and deep[16] == 0.0


def test_tilted_examples_reject_bad_errors():
    with pytest.raises(ValueError, match="errors"):
        batch_noise.tilted_examples(SURFACES["double_well"], np.zeros((5, 3)))
    with pytest.raises(ValueError, match="errors"):
        batch_noise.tilted_examples(SURFACES["double_well"], [[np.nan, 0.0], [1.0, 2.0]])


def test_batch_size_frame_and_explorer(line_data):
    from helpers.lessons.batch_size_explorer import BatchSizeExplorer, batch_size_frame

    x, y = line_data
    frame = batch_size_frame(x, y, 10, 0.1, examples=2000)
    assert frame.steps == 200 and frame.excess_loss[-1] < 0.01
    assert batch_size_frame(x, y, 1, 0.59).diverged_at is not None
    with pytest.raises(ValueError, match="batch_size"):
        batch_size_frame(x, y, 0, 0.1)
    explorer = BatchSizeExplorer(x, y)
    for b in (1, 200):
        explorer.set(batch_size=b, lr=0.59)
        assert explorer.last_error is None and explorer.last_warnings == []
    assert "diverged" in (explorer.last_message or "") or explorer.last_frame.diverged_at is None


def test_schedule_frame_and_explorer():
    from helpers.lessons.schedule_explorer import ScheduleExplorer, schedule_frame

    x, y = data.linear_regression(n=200, slope=2.0, intercept=0.0, noise=0.5, x_range=(-2.0, 2.0), rng=0)
    assert schedule_frame(x, y, 0.25, 0, 200).diverged_at is not None
    ok = schedule_frame(x, y, 0.25, 20, 200)
    assert ok.diverged_at is None and ok.lrs.shape == (200,)
    with pytest.raises(ValueError, match="warmup_steps"):
        schedule_frame(x, y, 0.25, 150, 100)
    explorer = ScheduleExplorer(x, y)
    explorer.set(warmup_steps=150, total_steps=100)
    assert explorer.last_error is None and "warmup_steps" in explorer.last_message
    explorer.set(peak_lr=0.5, warmup_steps=0, total_steps=400)
    assert explorer.last_error is None and explorer.last_warnings == []
    assert "diverged" in explorer.last_message


def test_mini_batches_refuse_a_step_past_the_batches_drawn(line_data):
    x, y = line_data
    batches = MiniBatches(lm.loss, lm.grad, x, y, 10, 5, rng=0)
    with pytest.raises(ValueError, match="step"):
        descent.run(batches, SGD(lr=0.1), [-1.0, 4.0], 6)


def test_noisy_gradient_with_zero_noise_is_plain_descent():
    well = SURFACES["double_well"]
    quiet = descent.run(NoisyGradient(well, 0.0, rng=0), SGD(0.05), well.default_start, 100).xs
    exact = descent.run(well, SGD(0.05), well.default_start, 100).xs
    np.testing.assert_array_equal(quiet, exact)
