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


# ---------------------------------------------------------------- digits (scikit-learn's, read from a local file)

@pytest.fixture(scope="module")
def digits0():
    return data.digits(rng=0)


def test_digits_sizes_labels_and_split(digits0):
    d = digits0
    assert d.X.shape == (1348, 64) and d.X_held.shape == (449, 64)      # 449 = round(0.25 * 1797)
    assert d.y.shape == (1348,) and d.y_held.shape == (449,)
    assert d.y.dtype.kind == "i" and set(np.unique(d.y)) == set(range(10)) == set(np.unique(d.y_held))
    # every image is in exactly one part: the two parts' raw pixels are the 1,797 images of the file
    from sklearn.datasets import load_digits
    images, labels = load_digits(return_X_y=True)
    raw = np.vstack([d.pixels(d.X), d.pixels(d.X_held)]).reshape(-1, 64)
    np.testing.assert_allclose(np.sort(raw @ np.arange(64)), np.sort(images @ np.arange(64)), rtol=1e-12)
    assert np.bincount(np.concatenate([d.y, d.y_held])).tolist() == np.bincount(labels).tolist()


def test_digits_are_scaled_by_the_training_images_only():
    d = data.digits(rng=0)   # made here, not by the module's fixture, so that mutation testing maps it
    np.testing.assert_allclose(d.X.mean(axis=0), 0.0, atol=1e-12)
    spread = d.X.std(axis=0)
    constant = d.scale == 1.0
    np.testing.assert_allclose(spread[~constant], 1.0, rtol=1e-12)
    assert np.all(spread[constant] == 0.0) and constant.sum() >= 1        # some border pixels are always blank
    assert abs(d.X_held.mean()) > 1e-6                                     # held-out images are not re-centred
    pixels = d.pixels(d.X_held[:5])
    assert pixels.shape == (5, 8, 8)
    np.testing.assert_allclose(pixels, np.round(pixels), atol=1e-9)          # back to whole grey levels
    assert pixels.min() >= -1e-9 and pixels.max() <= 16 + 1e-9


def test_digits_split_is_seeded(digits0):
    same = data.digits(rng=np.random.default_rng(0))
    np.testing.assert_array_equal(same.X, digits0.X)
    np.testing.assert_array_equal(same.y_held, digits0.y_held)
    other = data.digits(rng=1)
    assert not np.array_equal(other.y, digits0.y)
    half = data.digits(held_out=0.5, rng=0)
    assert len(half.y_held) == 898 and len(half.y) == 899     # round(0.5 * 1797) = 898 (to even)


def test_digits_are_read_without_a_network(monkeypatch):
    # load_digits reads a file inside the package: with every socket refused it still works
    import socket

    def refuse(*args, **kwargs):
        raise OSError("no network in this test")
    monkeypatch.setattr(socket, "socket", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    assert data.digits(rng=3).X.shape == (1348, 64)


@pytest.mark.parametrize("kwargs, name", [
    (dict(held_out=0.0), "^held_out must be a finite number"), (dict(held_out=1.0), "^held_out must be a finite"),
    (dict(held_out=-0.2), "^held_out must be a finite number"), (dict(held_out="0.25"), "^held_out must be"),
    (dict(held_out=float("nan")), "^held_out must be a finite number"),
    (dict(held_out=1e-5), "^held_out must keep back at least one"),      # rounds to no held-out image at all
    (dict(held_out=0.9995), "^held_out must keep back at least one"),    # 1796 of 1797: one left to train on
    (dict(rng=-1), "rng"), (dict(rng="seed"), "rng"),
])
def test_digits_bad_arguments_name_themselves(kwargs, name):
    with pytest.raises(ValueError, match=name):
        data.digits(**kwargs)


def test_digits_smallest_and_largest_held_out_parts():
    assert len(data.digits(held_out=0.0005, rng=0).y_held) == 1      # round(0.9) = 1 image kept back
    assert len(data.digits(held_out=0.9989, rng=0).y) == 2           # round(1795.0) kept back, 2 to train on


def test_digits_pixels_refuses_a_wrong_width(digits0):
    with pytest.raises(ValueError, match="X must have 64 features"):
        digits0.pixels(np.zeros((2, 63)))
