"""helpers.nn against a plain NumPy transcription of its documented model (a = X W1 + b1,
h = tanh(a), z = h W2 + b2, L = mean(log(1 + e^z) - y z)), central differences of that loss, and
the documented 1/fan_in variance of its initialisation. Written against surviving mutants."""

import numpy as np
import pytest

from helpers import nn


def plain_loss(theta, X, y, n_hidden):
    n_in = X.shape[1]
    W1 = theta[:n_in * n_hidden].reshape(n_in, n_hidden)
    b1 = theta[n_in * n_hidden:n_in * n_hidden + n_hidden]
    W2 = theta[n_in * n_hidden + n_hidden:n_in * n_hidden + 2 * n_hidden]
    b2 = theta[-1]
    z = np.tanh(X @ W1 + b1) @ W2 + b2
    return float(np.mean(np.log1p(np.exp(z)) - y * z)), z


def problem(seed=0, n=7, n_in=3, n_hidden=4):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, n_in))
    y = (rng.random(n) < 0.5).astype(float)
    theta = rng.normal(size=nn.param_count(n_in, n_hidden))
    return theta, X, y, n_hidden


def test_param_count_formula():
    assert nn.param_count(2, 16) == 2 * 16 + 16 + 16 + 1
    assert nn.param_count(3, 5, 2) == 15 + 5 + 10 + 2
    assert nn.param_count(1, 1, 1) == 4


def test_forward_and_loss_against_plain_numpy():
    theta, X, y, nh = problem()
    want_loss, want_z = plain_loss(theta, X, y, nh)
    np.testing.assert_allclose(nn.forward(theta, X), want_z, rtol=1e-13)
    assert float(nn.loss(theta, X, y)) == pytest.approx(want_loss, rel=1e-13)
    np.testing.assert_allclose(nn.predict_proba(theta, X), 1 / (1 + np.exp(-want_z)), rtol=1e-13)
    np.testing.assert_array_equal(nn.predict(theta, X), (want_z >= 0).astype(int))
    assert float(nn.accuracy(theta, X, y)) == pytest.approx(np.mean((want_z >= 0) == (y == 1)))


def test_gradient_against_central_differences_of_plain_loss():
    theta, X, y, nh = problem(seed=3)
    loss, grad = nn.loss_and_grad(theta, X, y)
    assert float(loss) == pytest.approx(plain_loss(theta, X, y, nh)[0], rel=1e-13)
    h = 1e-6
    fd = np.array([(plain_loss(theta + h * e, X, y, nh)[0] - plain_loss(theta - h * e, X, y, nh)[0]) / (2 * h)
                   for e in np.eye(theta.size)])
    np.testing.assert_allclose(grad, fd, rtol=1e-6, atol=1e-9)
    obj = nn.Objective(X, y)
    np.testing.assert_allclose(obj.grad(theta), grad)
    assert float(obj.loss(theta)) == pytest.approx(float(loss))
    assert obj.name == "two-layer network"


def test_batched_runs_agree_with_single_runs():
    theta, X, y, nh = problem(seed=5)
    thetas = np.stack([theta, theta * 0.5, -theta])
    losses, grads = nn.loss_and_grad(thetas, X, y)
    for k in range(3):
        l1, g1 = nn.loss_and_grad(thetas[k], X, y)
        assert losses[k] == pytest.approx(float(l1), rel=1e-13)
        np.testing.assert_allclose(grads[k], g1, rtol=1e-12, atol=1e-15)
    # one batch of data per run
    Xs = np.stack([X, X[::-1], X * 2])
    ys = np.stack([y, y[::-1], 1 - y])
    z = nn.forward(thetas, Xs)
    for k in range(3):
        np.testing.assert_allclose(z[k], nn.forward(thetas[k], Xs[k]), rtol=1e-13)
    np.testing.assert_allclose(nn.accuracy(thetas, Xs, ys),
                               [nn.accuracy(thetas[k], Xs[k], ys[k]) for k in range(3)])


def test_zero_logit_predicts_class_one_and_half_probability():
    theta = np.zeros(nn.param_count(2, 3))
    X = np.array([[1.0, 2.0], [-1.0, 0.5]])
    np.testing.assert_array_equal(nn.forward(theta, X), [0.0, 0.0])
    np.testing.assert_array_equal(nn.predict(theta, X), [1, 1])
    np.testing.assert_array_equal(nn.predict_proba(theta, X), [0.5, 0.5])
    assert float(nn.accuracy(theta, X, np.array([1, 0]))) == 0.5
    assert float(nn.loss(theta, X, np.array([1, 0]))) == pytest.approx(np.log(2.0), rel=1e-15)


def test_sigmoid_and_loss_do_not_overflow_for_large_logits():
    # one hidden unit, W1 = 1, b1 = 0, W2 = 1, b2 = +-800: logits ~ +-800
    for b2, p1 in ((800.0, 1.0), (-800.0, 0.0)):
        theta = np.array([0.0, 0.0, 1.0, b2])
        X = np.array([[0.3]])
        with np.errstate(over="raise", invalid="raise"):
            assert nn.predict_proba(theta, X)[0] == p1
            # L = log(1 + e^z) - y z: about 0 for the right label, about |z| for the wrong one
            assert float(nn.loss(theta, X, np.array([p1]))) == pytest.approx(0.0, abs=1e-300)
            assert float(nn.loss(theta, X, np.array([1 - p1]))) == pytest.approx(800.0, rel=1e-12)
    theta = np.array([0.0, 0.0, 1.0, -30.0])
    assert nn.predict_proba(theta, np.array([[0.0]]))[0] == pytest.approx(1 / (1 + np.exp(30.0)), rel=1e-14)


def test_pack_unpack_round_trip_and_layout():
    sizes = (3, 4, 1)
    theta = np.arange(nn.param_count(*sizes), dtype=float)
    W1, b1, W2, b2 = nn.unpack(theta, sizes)
    np.testing.assert_array_equal(W1, np.arange(12.0).reshape(3, 4))
    np.testing.assert_array_equal(b1, np.arange(12.0, 16.0))
    np.testing.assert_array_equal(W2, np.arange(16.0, 20.0).reshape(4, 1))
    np.testing.assert_array_equal(b2, [20.0])
    np.testing.assert_array_equal(nn.pack(W1, b1, W2, b2), theta)
    batch = np.stack([theta, theta + 100])
    parts = nn.unpack(batch, sizes)
    assert [p.shape for p in parts] == [(2, 3, 4), (2, 4), (2, 4, 1), (2, 1)]
    np.testing.assert_array_equal(nn.pack(*parts), batch)


def test_init_scale_is_one_over_sqrt_fan_in():
    rng = np.random.default_rng(1234)
    n_in, n_hidden, runs = 8, 64, 40
    theta = nn.init_params(rng, n_in=n_in, n_hidden=n_hidden, runs=runs)
    assert theta.shape == (runs, nn.param_count(n_in, n_hidden))
    W1, b1, W2, b2 = nn.unpack(theta, (n_in, n_hidden, 1))
    # variance 1/fan_in: 1/8 and 1/64; with 20480 and 2560 draws the sample variance is within a few %
    # (1/n instead of 1/sqrt(n) would give 1/64 and 1/4096, far outside)
    assert np.var(W1) * n_in == pytest.approx(1.0, abs=0.05)
    assert np.var(W2) * n_hidden == pytest.approx(1.0, abs=0.1)
    assert abs(np.mean(W1)) < 0.02 and abs(np.mean(W2)) < 0.01
    assert not b1.any() and not b2.any()
    one = nn.init_params(np.random.default_rng(0))
    assert one.shape == (nn.param_count(2, 16),)


def test_hidden_width_is_read_off_theta():
    theta = np.zeros(nn.param_count(2, 5))
    assert nn.forward(theta, np.zeros((3, 2))).shape == (3,)
    with pytest.raises(ValueError, match="does not fit a network"):
        nn.forward(np.zeros(nn.param_count(2, 5) + 1), np.zeros((3, 2)))
    with pytest.raises(ValueError, match="does not fit a network"):
        nn.forward(np.zeros(1), np.zeros((3, 2)))


# --------------------------------------------------------------- C classes, against plain NumPy

def plain_softmax_loss(theta, X, y, n_hidden, C):
    """The documented C-class model, one example at a time: L = mean_i [log sum_k e^z_ik - z_i,y_i]."""
    n_in = X.shape[1]
    W1 = theta[:n_in * n_hidden].reshape(n_in, n_hidden)
    b1 = theta[n_in * n_hidden:n_in * n_hidden + n_hidden]
    W2 = theta[n_in * n_hidden + n_hidden:n_in * n_hidden + n_hidden + n_hidden * C].reshape(n_hidden, C)
    b2 = theta[-C:]
    total, rows = 0.0, []
    for x, label in zip(X, y):
        z = np.tanh(x @ W1 + b1) @ W2 + b2
        rows.append(z)
        total += np.log(np.sum(np.exp(z))) - z[label]
    return total / len(y), np.array(rows)


def softmax_problem(seed=0, n=9, n_in=3, n_hidden=4, C=5):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, n_in))
    y = rng.integers(0, C, size=n)
    theta = rng.normal(size=nn.param_count(n_in, n_hidden, C))
    return theta, X, y, n_hidden, C


def test_softmax_forward_loss_and_predictions_against_plain_numpy():
    theta, X, y, nh, C = softmax_problem()
    want_loss, want_z = plain_softmax_loss(theta, X, y, nh, C)
    np.testing.assert_allclose(nn.forward(theta, X, n_out=C), want_z, rtol=1e-13)
    assert float(nn.loss(theta, X, y, n_out=C)) == pytest.approx(want_loss, rel=1e-13)
    e = np.exp(want_z)
    np.testing.assert_allclose(nn.predict_proba(theta, X, n_out=C), e / e.sum(axis=1, keepdims=True), rtol=1e-13)
    np.testing.assert_array_equal(nn.predict(theta, X, n_out=C), np.argmax(want_z, axis=1))
    assert float(nn.accuracy(theta, X, y, n_out=C)) == pytest.approx(np.mean(np.argmax(want_z, axis=1) == y))


def test_softmax_gradient_against_central_differences_of_plain_loss():
    theta, X, y, nh, C = softmax_problem(seed=4)
    loss, grad = nn.loss_and_grad(theta, X, y, n_out=C)
    assert float(loss) == pytest.approx(plain_softmax_loss(theta, X, y, nh, C)[0], rel=1e-13)
    h = 1e-6
    fd = np.array([(plain_softmax_loss(theta + h * e, X, y, nh, C)[0]
                    - plain_softmax_loss(theta - h * e, X, y, nh, C)[0]) / (2 * h) for e in np.eye(theta.size)])
    np.testing.assert_allclose(grad, fd, rtol=1e-6, atol=1e-9)
    obj = nn.Objective(X, y, n_out=C)
    np.testing.assert_allclose(obj.grad(theta), grad)
    assert float(obj.loss(theta)) == pytest.approx(float(loss))


def test_softmax_output_gradient_is_probabilities_minus_one_hot():
    # dL/db2 = mean_i (p_i - onehot(y_i)): the documented dz, summed over the examples
    theta, X, y, nh, C = softmax_problem(seed=6)
    _, grad = nn.loss_and_grad(theta, X, y, n_out=C)
    p = nn.predict_proba(theta, X, n_out=C)
    np.testing.assert_allclose(grad[-C:], np.mean(p - np.eye(C)[y], axis=0), rtol=1e-12, atol=1e-15)


def test_softmax_of_equal_logits_is_uniform_and_argmax_takes_the_first():
    theta = np.zeros(nn.param_count(2, 3, 4))
    X = np.array([[1.0, 2.0], [-1.0, 0.5]])
    np.testing.assert_array_equal(nn.predict_proba(theta, X, n_out=4), np.full((2, 4), 0.25))
    np.testing.assert_array_equal(nn.predict(theta, X, n_out=4), [0, 0])
    assert float(nn.accuracy(theta, X, np.array([0, 3]), n_out=4)) == 0.5
    assert float(nn.loss(theta, X, np.array([0, 3]), n_out=4)) == pytest.approx(np.log(4.0), rel=1e-15)


def test_softmax_hidden_width_is_read_off_theta_and_n_out():
    theta = np.zeros(nn.param_count(2, 5, 3))
    assert nn.forward(theta, np.zeros((4, 2)), n_out=3).shape == (4, 3)
    W1, b1, W2, b2 = nn.unpack(theta, (2, 5, 3))
    assert W2.shape == (5, 3) and b2.shape == (3,)
