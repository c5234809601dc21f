"""The two-layer network: shapes, backprop against central differences,
batched runs equal to runs one at a time, stability, and bad input."""

import numpy as np
import pytest

from helpers import nn
from helpers.gradcheck import central_difference, relative_error


def xor_data(rng, n=60):
    X = rng.normal(size=(n, 2))
    y = (X[:, 0] * X[:, 1] > 0).astype(float)
    return X, y


def test_param_count_and_unpack_round_trip():
    rng = np.random.default_rng(0)
    theta = nn.init_params(rng, n_in=3, n_hidden=5, n_out=1)
    assert theta.shape == (nn.param_count(3, 5, 1),) == (3 * 5 + 5 + 5 * 1 + 1,)
    W1, b1, W2, b2 = nn.unpack(theta, (3, 5, 1))
    assert (W1.shape, b1.shape, W2.shape, b2.shape) == ((3, 5), (5,), (5, 1), (1,))
    assert np.all(b1 == 0) and np.all(b2 == 0) and np.std(W1) > 0
    np.testing.assert_array_equal(nn.pack(W1, b1, W2, b2), theta)


def test_init_runs_gives_independent_rows():
    theta = nn.init_params(np.random.default_rng(1), runs=4)
    assert theta.shape == (4, nn.param_count(2, 16, 1))
    assert not np.allclose(theta[0], theta[1])


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_backprop_matches_central_differences(seed):
    rng = np.random.default_rng(seed)
    X, y = xor_data(rng)
    theta = nn.init_params(rng, n_hidden=6) * 2.0  # larger weights: tanh not linear
    loss, grad = nn.loss_and_grad(theta, X, y)
    numeric = central_difference(lambda t: nn.loss(t, X, y), theta)
    assert np.isclose(loss, nn.loss(theta, X, y))
    assert relative_error(grad, numeric) < 1e-7


def test_batched_runs_equal_runs_one_at_a_time():
    rng = np.random.default_rng(3)
    X, y = xor_data(rng)
    thetas = nn.init_params(rng, runs=5)
    losses, grads = nn.loss_and_grad(thetas, X, y)
    assert losses.shape == (5,) and grads.shape == thetas.shape
    for k in range(5):
        loss_k, grad_k = nn.loss_and_grad(thetas[k], X, y)
        assert np.isclose(losses[k], loss_k, rtol=1e-12)
        np.testing.assert_allclose(grads[k], grad_k, rtol=1e-10, atol=1e-14)


def test_one_batch_per_run():
    rng = np.random.default_rng(4)
    thetas = nn.init_params(rng, runs=3)
    Xs = rng.normal(size=(3, 20, 2))
    ys = (Xs[..., 0] > 0).astype(float)
    losses, grads = nn.loss_and_grad(thetas, Xs, ys)
    for k in range(3):
        loss_k, grad_k = nn.loss_and_grad(thetas[k], Xs[k], ys[k])
        assert np.isclose(losses[k], loss_k, rtol=1e-12)
        np.testing.assert_allclose(grads[k], grad_k, rtol=1e-10, atol=1e-14)


def test_loss_is_binary_cross_entropy_and_stable_for_huge_logits():
    rng = np.random.default_rng(5)
    X, y = xor_data(rng, n=10)
    theta = nn.init_params(rng, n_hidden=4)
    p = nn.predict_proba(theta, X)
    bce = -np.mean(y * np.log(p) + (1 - y) * np.log(1 - p))
    assert np.isclose(nn.loss(theta, X, y), bce, rtol=1e-10)
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        loss, grad = nn.loss_and_grad(theta * 1e4, X, y)
    assert np.isfinite(loss) and np.all(np.isfinite(grad)) and loss > 1.0


def test_a_few_hundred_descent_steps_fit_xor():
    rng = np.random.default_rng(6)
    X, y = xor_data(rng, n=100)
    theta = nn.init_params(rng, n_hidden=16)
    start = nn.loss(theta, X, y)
    for _ in range(1500):
        theta = theta - 1.0 * nn.loss_and_grad(theta, X, y)[1]
    assert nn.loss(theta, X, y) < 0.3 * start
    assert nn.accuracy(theta, X, y) > 0.9
    assert set(np.unique(nn.predict(theta, X))) <= {0, 1}


def test_objective_matches_functions():
    rng = np.random.default_rng(7)
    X, y = xor_data(rng)
    theta = nn.init_params(rng, runs=2)
    objective = nn.Objective(X, y)
    np.testing.assert_allclose(objective.loss(theta), nn.loss(theta, X, y))
    np.testing.assert_allclose(objective.grad(theta), nn.loss_and_grad(theta, X, y)[1])


def test_bad_input_names_the_argument():
    rng = np.random.default_rng(8)
    X, y = xor_data(rng)
    theta = nn.init_params(rng)
    with pytest.raises(ValueError, match="n_hidden"):
        nn.init_params(rng, n_hidden=0)
    with pytest.raises(ValueError, match="theta"):
        nn.loss(theta[:-1], X, y)
    with pytest.raises(ValueError, match="y must"):
        nn.loss(theta, X, y * 2)
    with pytest.raises(ValueError, match="X must"):
        nn.loss(theta, X[None], y)
    with pytest.raises(ValueError, match="theta"):
        nn.unpack(theta, (2, 15, 1))


# ------------------------------------------------------------------ C classes: softmax cross-entropy

def blobs(rng, n=45, n_in=3, classes=4):
    """n points around ``classes`` random centres, labels 0..classes-1 (every class present)."""
    y = np.arange(n) % classes
    centres = rng.normal(scale=2.0, size=(classes, n_in))
    return centres[y] + rng.normal(size=(n, n_in)), y


def test_softmax_shapes_and_probabilities():
    rng = np.random.default_rng(20)
    X, y = blobs(rng)
    theta = nn.init_params(rng, n_in=3, n_hidden=5, n_out=4)
    assert theta.shape == (nn.param_count(3, 5, 4),) == (3 * 5 + 5 + 5 * 4 + 4,)
    z = nn.forward(theta, X, n_out=4)
    p = nn.predict_proba(theta, X, n_out=4)
    assert z.shape == p.shape == (45, 4)
    np.testing.assert_allclose(p.sum(axis=1), 1.0, rtol=1e-14)
    np.testing.assert_array_equal(nn.predict(theta, X, n_out=4), np.argmax(z, axis=1))
    assert float(nn.accuracy(theta, X, y, n_out=4)) == pytest.approx(np.mean(np.argmax(z, axis=1) == y))


def test_softmax_loss_is_minus_mean_log_probability_of_the_label():
    rng = np.random.default_rng(21)
    X, y = blobs(rng)
    theta = nn.init_params(rng, n_in=3, n_hidden=5, n_out=4) * 3.0
    p = nn.predict_proba(theta, X, n_out=4)
    want = -np.mean(np.log(p[np.arange(len(y)), y]))
    assert float(nn.loss(theta, X, y, n_out=4)) == pytest.approx(want, rel=1e-12)
    # equal logits: log C
    zero = np.zeros(nn.param_count(3, 5, 4))
    assert float(nn.loss(zero, X, y, n_out=4)) == pytest.approx(np.log(4), rel=1e-14)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_softmax_backprop_matches_central_differences(seed):
    rng = np.random.default_rng(seed)
    X, y = blobs(rng, n=30)
    theta = nn.init_params(rng, n_in=3, n_hidden=6, n_out=4) * 2.0
    loss, grad = nn.loss_and_grad(theta, X, y, n_out=4)
    numeric = central_difference(lambda t: nn.loss(t, X, y, n_out=4), theta)
    assert np.isclose(loss, nn.loss(theta, X, y, n_out=4))
    assert relative_error(grad, numeric) < 1e-7


def test_softmax_gradient_checked_with_check_gradient():
    from helpers.gradcheck import check_gradient

    rng = np.random.default_rng(22)
    X, y = blobs(rng, n=20, n_in=4, classes=3)
    theta = nn.init_params(rng, n_in=4, n_hidden=3, n_out=3)
    ok, err = check_gradient(lambda t: nn.loss(t, X, y, n_out=3),
                             lambda t: nn.loss_and_grad(t, X, y, n_out=3)[1], theta)
    assert ok and err < 1e-7
    # a wrong gradient (the one-hot taken off twice) fails the same check
    bad = lambda t: 2 * nn.loss_and_grad(t, X, y, n_out=3)[1]
    assert not check_gradient(lambda t: nn.loss(t, X, y, n_out=3), bad, theta)[0]


def test_softmax_batched_runs_equal_runs_one_at_a_time():
    rng = np.random.default_rng(23)
    X, y = blobs(rng)
    thetas = nn.init_params(rng, n_in=3, n_hidden=5, n_out=4, runs=4)
    losses, grads = nn.loss_and_grad(thetas, X, y, n_out=4)
    assert losses.shape == (4,) and grads.shape == thetas.shape
    for k in range(4):
        loss_k, grad_k = nn.loss_and_grad(thetas[k], X, y, n_out=4)
        assert np.isclose(losses[k], loss_k, rtol=1e-12)
        np.testing.assert_allclose(grads[k], grad_k, rtol=1e-10, atol=1e-14)
    # one batch of data per run, labels (K, N)
    Xs, ys = rng.normal(size=(4, 10, 3)), rng.integers(0, 4, size=(4, 10))
    losses, grads = nn.loss_and_grad(thetas, Xs, ys, n_out=4)
    for k in range(4):
        loss_k, grad_k = nn.loss_and_grad(thetas[k], Xs[k], ys[k], n_out=4)
        assert np.isclose(losses[k], loss_k, rtol=1e-12)
        np.testing.assert_allclose(grads[k], grad_k, rtol=1e-10, atol=1e-14)
    np.testing.assert_allclose(nn.accuracy(thetas, Xs, ys, n_out=4),
                               [nn.accuracy(thetas[k], Xs[k], ys[k], n_out=4) for k in range(4)])


def test_softmax_is_stable_for_huge_logits():
    rng = np.random.default_rng(24)
    X, y = blobs(rng, n=12)
    theta = nn.init_params(rng, n_in=3, n_hidden=4, n_out=4) * 1e4
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        loss, grad = nn.loss_and_grad(theta, X, y, n_out=4)
        p = nn.predict_proba(theta, X, n_out=4)
    assert np.isfinite(loss) and np.all(np.isfinite(grad)) and loss > 1.0
    np.testing.assert_allclose(p.sum(axis=1), 1.0, rtol=1e-12)


def test_descent_fits_four_blobs_and_float_labels_are_accepted():
    rng = np.random.default_rng(25)
    X, y = blobs(rng, n=80)
    theta = nn.init_params(rng, n_in=3, n_hidden=8, n_out=4)
    start = nn.loss(theta, X, y, n_out=4)
    objective = nn.Objective(X, y.astype(float), n_out=4)      # whole-number floats count as labels
    for _ in range(300):
        theta = theta - 0.5 * objective.grad(theta)
    assert objective.loss(theta) < 0.3 * start
    assert nn.accuracy(theta, X, y, n_out=4) > 0.9


def test_two_classes_are_unchanged_by_the_n_out_keyword():
    rng = np.random.default_rng(26)
    X, y = xor_data(rng)
    theta = nn.init_params(rng)
    for f in (nn.forward, nn.predict_proba, nn.predict):
        np.testing.assert_array_equal(f(theta, X, n_out=1), f(theta, X))
    a, b = nn.loss_and_grad(theta, X, y, n_out=1), nn.loss_and_grad(theta, X, y)
    assert a[0] == b[0]
    np.testing.assert_array_equal(a[1], b[1])


@pytest.mark.parametrize("labels, match", [
    (lambda y: y + 4, "labels 0..3"),            # a label past the last class
    (lambda y: y - 1, "labels 0..3"),            # a negative label
    (lambda y: y + 0.5, "whole-number"),         # not a class at all
    (lambda y: y[:-1], "shape"),                 # one label short
    (lambda y: np.stack([y, y]), "shape"),       # (K, N) labels for one network
])
def test_bad_class_labels_name_y(labels, match):
    rng = np.random.default_rng(27)
    X, y = blobs(rng, n=12)
    theta = nn.init_params(rng, n_in=3, n_hidden=4, n_out=4)
    with pytest.raises(ValueError, match="y must") as info:
        nn.loss(theta, X, labels(y), n_out=4)
    assert match in str(info.value)
    with pytest.raises(ValueError, match="y must"):
        nn.accuracy(theta, X, labels(y), n_out=4)


@pytest.mark.parametrize("n_out", [0, -1, 2.0, "10", True])
def test_bad_n_out_names_itself(n_out):
    rng = np.random.default_rng(28)
    X, y = blobs(rng, n=12)
    theta = nn.init_params(rng, n_in=3, n_hidden=4, n_out=4)
    with pytest.raises(ValueError, match="n_out"):
        nn.loss(theta, X, y, n_out=n_out)
    with pytest.raises(ValueError, match="n_out"):
        nn.Objective(X, y, n_out=n_out)


def test_a_theta_for_other_n_out_is_refused():
    rng = np.random.default_rng(29)
    X, y = blobs(rng, n=12)
    theta = nn.init_params(rng, n_in=3, n_hidden=4, n_out=4)
    with pytest.raises(ValueError, match="does not fit a network"):
        nn.forward(theta, X, n_out=3)
