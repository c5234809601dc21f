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
