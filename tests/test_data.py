"""Tests for helpers.data: shapes, seeding, epoch coverage, shuffling, bad input."""

import itertools

import numpy as np
import pytest

from helpers import data


# ---------------------------------------------------------------- linear_regression

def test_linear_regression_shapes_and_range():
    x, y = data.linear_regression(n=57, x_range=(-1.0, 3.0), rng=1)
    assert x.shape == (57,) and y.shape == (57,)
    assert x.min() >= -1.0 and x.max() <= 3.0


def test_linear_regression_same_seed_same_data_and_different_seed_different_data():
    a = data.linear_regression(rng=3)
    b = data.linear_regression(rng=np.random.default_rng(3))
    c = data.linear_regression(rng=4)
    np.testing.assert_array_equal(a[0], b[0])
    np.testing.assert_array_equal(a[1], b[1])
    assert not np.allclose(a[0], c[0])


def test_linear_regression_default_is_reproducible():
    np.testing.assert_array_equal(data.linear_regression()[1], data.linear_regression()[1])


def test_linear_regression_without_noise_lies_on_the_line():
    x, y = data.linear_regression(n=20, slope=-1.5, intercept=0.25, noise=0.0, rng=0)
    np.testing.assert_allclose(y, -1.5 * x + 0.25, atol=1e-12)


def test_linear_regression_least_squares_recovers_the_line():
    x, y = data.linear_regression(n=5000, slope=2.0, intercept=1.0, noise=0.5, rng=0)
    slope, intercept = np.polyfit(x, y, 1)
    assert abs(slope - 2.0) < 0.03 and abs(intercept - 1.0) < 0.05
    residual_std = np.std(y - (slope * x + intercept))
    assert abs(residual_std - 0.5) < 0.02


@pytest.mark.parametrize("kwargs, name", [
    (dict(n=0), "n"), (dict(n=2.5), "n"), (dict(noise=-0.1), "noise"),
    (dict(slope=float("nan")), "slope"), (dict(intercept="1"), "intercept"),
    (dict(x_range=(2.0, 1.0)), "x_range"), (dict(x_range=3), "x_range"),
    (dict(rng=-1), "rng"), (dict(rng="seed"), "rng"),
])
def test_linear_regression_bad_arguments_name_themselves(kwargs, name):
    with pytest.raises(ValueError, match=name):
        data.linear_regression(**kwargs)


# ---------------------------------------------------------------- two_moons

def test_two_moons_shapes_labels_and_balance():
    X, y = data.two_moons(n=201, noise=0.1, rng=0)
    assert X.shape == (201, 2) and y.shape == (201,)
    assert set(np.unique(y)) == {0, 1}
    assert np.sum(y == 0) == 101 and np.sum(y == 1) == 100


def test_two_moons_without_noise_lies_on_the_arcs():
    X, y = data.two_moons(n=100, noise=0.0, rng=0)
    upper, lower = X[y == 0], X[y == 1]
    np.testing.assert_allclose(np.hypot(upper[:, 0], upper[:, 1]), 1.0, atol=1e-12)
    np.testing.assert_allclose(np.hypot(lower[:, 0] - 1.0, lower[:, 1] - 0.5), 1.0, atol=1e-12)
    assert np.all(upper[:, 1] >= -1e-12) and np.all(lower[:, 1] <= 0.5 + 1e-12)


def test_two_moons_is_shuffled_and_seeded():
    X1, y1 = data.two_moons(rng=5)
    X2, y2 = data.two_moons(rng=5)
    X3, _ = data.two_moons(rng=6)
    np.testing.assert_array_equal(X1, X2)
    np.testing.assert_array_equal(y1, y2)
    assert not np.allclose(X1, X3)
    assert 0 < np.sum(y1[:100]) < 100, "rows should be shuffled, not sorted by class"


def test_two_moons_is_not_linearly_separable_but_classes_differ():
    X, y = data.two_moons(n=400, noise=0.05, rng=0)
    # Best least-squares linear classifier still misclassifies some points.
    A = np.column_stack([X, np.ones(len(X))])
    w = np.linalg.lstsq(A, 2.0 * y - 1.0, rcond=None)[0]
    errors = np.mean((A @ w > 0) != (y == 1))
    assert 0.05 < errors < 0.3


@pytest.mark.parametrize("kwargs, name", [
    (dict(n=1), "n"), (dict(n=-3), "n"), (dict(noise=-1.0), "noise"),
    (dict(noise=float("inf")), "noise"), (dict(rng=1.5), "rng"),
])
def test_two_moons_bad_arguments_name_themselves(kwargs, name):
    with pytest.raises(ValueError, match=name):
        data.two_moons(**kwargs)


# ---------------------------------------------------------------- minibatches

def _epochs(n, batch_size, epochs, drop_last=False, rng=0):
    per_epoch = data.steps_per_epoch(n, batch_size, drop_last)
    batches = list(data.minibatches(n, batch_size, rng, epochs=epochs, drop_last=drop_last))
    assert len(batches) == per_epoch * epochs
    return [batches[i * per_epoch:(i + 1) * per_epoch] for i in range(epochs)]


@pytest.mark.parametrize("n, batch_size", [(10, 3), (12, 4), (7, 1), (9, 9)])
def test_each_epoch_covers_every_index_exactly_once(n, batch_size):
    for epoch in _epochs(n, batch_size, epochs=4):
        idx = np.concatenate(epoch)
        assert sorted(idx.tolist()) == list(range(n))
        assert all(len(b) == batch_size for b in epoch[:-1])


def test_drop_last_gives_only_full_batches_without_repeats():
    for epoch in _epochs(10, 3, epochs=3, drop_last=True):
        assert [len(b) for b in epoch] == [3, 3, 3]
        idx = np.concatenate(epoch)
        assert len(set(idx.tolist())) == 9


def test_shuffling_differs_between_epochs():
    orders = [np.concatenate(e) for e in _epochs(50, 10, epochs=3)]
    assert not np.array_equal(orders[0], orders[1])
    assert not np.array_equal(orders[1], orders[2])
    assert not np.array_equal(orders[0], np.arange(50)), "first epoch should be shuffled too"


def test_minibatches_same_seed_same_stream():
    a = [b.tolist() for b in data.minibatches(20, 6, rng=7, epochs=2)]
    b = [b.tolist() for b in data.minibatches(20, 6, rng=np.random.default_rng(7), epochs=2)]
    assert a == b


def test_minibatches_without_epochs_keeps_going():
    stream = data.minibatches(5, 2, rng=0)
    taken = list(itertools.islice(stream, 100))
    assert len(taken) == 100


@pytest.mark.parametrize("args, kwargs, name", [
    ((0, 1), {}, "n"), ((10, 0), {}, "batch_size"), ((10, 11), {}, "batch_size"),
    ((10, 2.0), {}, "batch_size"), ((10, 2), dict(epochs=0), "epochs"),
    ((10, 2), dict(drop_last="yes"), "drop_last"), ((10, 2), dict(rng=-2), "rng"),
])
def test_minibatches_bad_arguments_raise_at_call_time(args, kwargs, name):
    with pytest.raises(ValueError, match=name):
        data.minibatches(*args, **kwargs)  # no next(): checked before the first batch


def test_steps_per_epoch():
    assert data.steps_per_epoch(10, 3) == 4
    assert data.steps_per_epoch(10, 3, drop_last=True) == 3
    assert data.steps_per_epoch(12, 4) == 3


# ---------------------------------------------------------------- minibatch_indices

def test_minibatch_indices_shape_and_epoch_coverage():
    idx = data.minibatch_indices(12, 4, steps=9, rng=0)
    assert idx.shape == (9, 4)
    for e in range(3):
        assert sorted(idx[3 * e:3 * e + 3].ravel().tolist()) == list(range(12))
    assert not np.array_equal(idx[0:3].ravel(), idx[3:6].ravel())


def test_minibatch_indices_runs_are_independent_streams():
    idx = data.minibatch_indices(10, 3, steps=7, rng=0, runs=5)
    assert idx.shape == (7, 5, 3)
    for k in range(5):
        epoch = idx[0:3, k].ravel()
        assert len(set(epoch.tolist())) == 9  # one epoch: 3 batches of 3, no repeat
    assert not np.array_equal(idx[:, 0], idx[:, 1])


def test_minibatch_indices_is_seeded():
    np.testing.assert_array_equal(data.minibatch_indices(30, 5, 20, rng=2),
                                  data.minibatch_indices(30, 5, 20, rng=2))


@pytest.mark.parametrize("args, kwargs, name", [
    ((10, 20, 5), {}, "batch_size"), ((10, 2, 0), {}, "steps"),
    ((10, 2, 5), dict(runs=0), "runs"),
])
def test_minibatch_indices_bad_arguments(args, kwargs, name):
    with pytest.raises(ValueError, match=name):
        data.minibatch_indices(*args, **kwargs)
