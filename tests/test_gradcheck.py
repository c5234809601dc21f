"""helpers.gradcheck: finite differences, their error against h, and check_gradient."""

import numpy as np
import pytest

from helpers.gradcheck import (central_difference, check_gradient, forward_difference,
                               relative_error)


def f(x):
    """A smooth scalar function of an array of any shape."""
    return float(np.sum(np.sin(x) * np.exp(0.5 * x)) + np.sum(x) ** 2)


def grad_f(x):
    return np.exp(0.5 * x) * (np.cos(x) + 0.5 * np.sin(x)) + 2 * np.sum(x)


X = np.array([[0.3, -1.2], [2.0, 0.7], [-0.4, 1.1]])   # shape (3, 2): any shape works


def test_worked_example_derivative():
    # loss (w - 2)^2 at w = 5 has derivative 6
    loss = lambda w: float((w[0] - 2.0) ** 2)
    np.testing.assert_allclose(central_difference(loss, np.array([5.0])), [6.0], rtol=1e-9)
    np.testing.assert_allclose(forward_difference(loss, np.array([5.0])), [6.0], rtol=1e-5)


def test_both_approximate_the_gradient_and_keep_the_shape():
    for approx in (forward_difference, central_difference):
        g = approx(f, X)
        assert g.shape == X.shape
        assert relative_error(g, grad_f(X)) < 1e-5


def test_x_is_not_modified():
    x = X.copy()
    central_difference(f, x)
    forward_difference(f, x)
    np.testing.assert_array_equal(x, X)


def test_central_beats_forward():
    for h in (1e-2, 1e-3, 1e-4):
        err_forward = relative_error(forward_difference(f, X, h), grad_f(X))
        err_central = relative_error(central_difference(f, X, h), grad_f(X))
        assert err_central < err_forward / 10, h


def test_error_orders_in_h():
    # shrinking h tenfold cuts the forward error ~10x (O(h)), the central error ~100x (O(h^2))
    e = {(name, h): relative_error(d(f, X, h), grad_f(X))
         for name, d in [("fwd", forward_difference), ("ctr", central_difference)]
         for h in (1e-2, 1e-3)}
    assert 5 < e["fwd", 1e-2] / e["fwd", 1e-3] < 20
    assert 50 < e["ctr", 1e-2] / e["ctr", 1e-3] < 200


def test_error_rises_again_when_h_is_too_small():
    hs = 10.0 ** -np.arange(1, 15)
    errors = np.array([relative_error(central_difference(f, X, h), grad_f(X)) for h in hs])
    best = int(np.argmin(errors))
    assert 2 <= best <= 8                        # the best h lies in between (about 1e-5)
    assert errors[-1] > 100 * errors[best]       # h = 1e-14: rounding error dominates
    assert errors[-1] > errors[best + 2]         # and it grows as h shrinks further
    fwd = [relative_error(forward_difference(f, X, h), grad_f(X)) for h in (1e-8, 1e-14)]
    assert fwd[1] > 100 * fwd[0]


def test_relative_error():
    assert relative_error([1.0, 0.0], [1.0, 0.0]) == 0.0
    assert relative_error([0.0, 0.0], [0.0, 0.0]) == 0.0
    assert relative_error([3.0, 4.0], [3.0, 4.0 + 5e-6]) == pytest.approx(1e-6, rel=1e-6)
    # scale-free: the same relative mismatch at any size
    assert relative_error([3e8, 4e8], [3e8, 4e8 + 500]) == pytest.approx(1e-6, rel=1e-6)
    assert relative_error([1.0], [-1.0]) == pytest.approx(2.0)
    with pytest.raises(ValueError, match="b.shape"):
        relative_error([1.0, 2.0], [1.0])


def test_check_gradient_accepts_right_and_rejects_wrong_gradients():
    ok, err = check_gradient(f, grad_f, X)
    assert ok and err < 1e-8
    ok, err = check_gradient(f, lambda x: 0.5 * grad_f(x), X)          # factor of 2 missing
    assert not ok and err == pytest.approx(0.5, rel=1e-4)
    ok, err = check_gradient(f, lambda x: grad_f(x) + 1e-3, X)         # slightly off
    assert not ok and 1e-6 < err < 1e-2


@pytest.mark.parametrize("call, needle", [
    (lambda: central_difference(f, X, h=0.0), "h=0.0"),
    (lambda: forward_difference(f, X, h=-1e-6), "h=-1e-06"),
    (lambda: central_difference(f, [np.nan, 1.0]), "x="),
    (lambda: check_gradient(f, grad_f, X, tol=-1.0), "tol=-1.0"),
    (lambda: check_gradient(f, lambda x: grad_f(x)[0], X), "grad_f(x).shape=(2,)"),
    (lambda: central_difference(lambda x: x, X), "f must return a scalar"),
])
def test_bad_arguments_raise(call, needle):
    with pytest.raises(ValueError) as info:
        call()
    assert needle in str(info.value)
