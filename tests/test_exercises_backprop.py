"""The backprop checkers: right answers pass, typical slips get their own message."""

import numpy as np

from helpers import nn
from helpers.autodiff import Var
from helpers.lessons.exercises.backprop import (check_backward_ratio, check_evaluation_count, check_logistic_grad,
                                        check_neuron_gradient, check_sigmoid_op,
                                        logistic_grad_reference, matmul_counts)
from helpers.gradcheck import check_gradient


# Exercise 1: L = (w x + b - t)^2 at w = 0.5, x = 4, b = 1, t = 1.
W0, X0, B0, T0 = 0.5, 4.0, 1.0, 1.0
R0 = W0 * X0 + B0 - T0                                   # the residual


def _neuron_gradient_by_autodiff():
    """(dL/dw, dL/db) from the notebook's engine, helpers.autodiff."""
    w, b = Var(W0, name="w"), Var(B0, name="b")
    L = (w * X0 + b - T0) ** 2
    L.backward()
    return (w.grad, b.grad)


def test_neuron_gradient():
    right = _neuron_gradient_by_autodiff()
    np.testing.assert_allclose(right, (2 * R0 * X0, 2 * R0))   # the chain rule by hand
    dw, db = right
    assert check_neuron_gradient(None).ok is None
    assert check_neuron_gradient(right).ok is True
    assert "2r = 4, not r = 2" in check_neuron_gradient((dw / 2, db / 2)).message   # d(r^2)/dr taken as r
    assert "one more chain-rule factor" in check_neuron_gradient([db, db]).message  # dL/dw without the x
    assert "sign is flipped" in check_neuron_gradient((-dw, -db)).message
    assert "dL/dx" in check_neuron_gradient((2 * R0 * W0, db)).message            # dL/dx = 2r w
    assert check_neuron_gradient(f"{dw}, {db}").ok is False
    assert check_neuron_gradient((1, 2)).ok is False


def sigmoid_right(v):
    s = 1 / (1 + np.exp(-v.value))
    return Var(s, [(v, s * (1 - s))], "sigmoid")


def test_sigmoid_op():
    assert check_sigmoid_op(None).ok is None
    assert check_sigmoid_op(sigmoid_right).ok is True
    assert check_sigmoid_op(lambda v: 1.0 / (1.0 + (-v).exp())).ok is True  # composed: also right
    no_parents = check_sigmoid_op(lambda v: Var(1 / (1 + np.exp(-v.value))))
    assert no_parents.ok is False and "records no parents" in no_parents.message
    local_s = check_sigmoid_op(lambda v: Var(1 / (1 + np.exp(-v.value)), [(v, 1 / (1 + np.exp(-v.value)))]))
    assert "s (1 - s)" in local_s.message and local_s.ok is False
    flipped = check_sigmoid_op(lambda v: 1.0 / (1.0 + v.exp()))
    assert "minus sign" in flipped.message
    assert "not a Var" in check_sigmoid_op(lambda v: 1 / (1 + np.exp(-v.value))).message
    assert "raised" in check_sigmoid_op(lambda v: 1 / 0).message
    assert check_sigmoid_op(3).ok is False


def test_evaluation_count():
    P = nn.param_count(2, 32, 1)                         # the network of the exercise
    assert P == len(nn.init_params(np.random.default_rng(0), n_in=2, n_hidden=32, n_out=1))
    right = 2 * P                                        # central differences: two evaluations per parameter
    weights_only = 2 * (2 * 32 + 32 * 1)
    assert check_evaluation_count(None).ok is None
    assert check_evaluation_count(right).ok is True
    assert "number of parameters" in check_evaluation_count(P).message
    assert "forward differences" in check_evaluation_count(P + 1).message
    assert "weights only" in check_evaluation_count(weights_only).message
    assert check_evaluation_count(1000).ok is False
    assert check_evaluation_count(str(right)).ok is False


def test_logistic_grad_reference_passes_gradient_check():
    rng = np.random.default_rng(0)
    X, y, w = rng.normal(size=(9, 3)), (rng.random(9) < 0.5).astype(float), rng.normal(size=3)
    loss = lambda w: np.mean(np.log1p(np.exp(X @ w)) - y * (X @ w))
    ok, _ = check_gradient(loss, lambda w: logistic_grad_reference(w, X, y), w)
    assert ok


def test_logistic_grad():
    sig = lambda z: 1 / (1 + np.exp(-z))
    assert check_logistic_grad(None).ok is None
    assert check_logistic_grad(lambda w, X, y: X.T @ (sig(X @ w) - y) / len(y)).ok is True
    assert "divide" in check_logistic_grad(lambda w, X, y: X.T @ (sig(X @ w) - y)).message
    assert "sign is flipped" in check_logistic_grad(lambda w, X, y: X.T @ (y - sig(X @ w)) / len(y)).message
    extra = check_logistic_grad(lambda w, X, y: X.T @ ((sig(X @ w) - y) * sig(X @ w) * (1 - sig(X @ w))) / len(y))
    assert "squared error" in extra.message
    assert "logit" in check_logistic_grad(lambda w, X, y: X.T @ (X @ w - y) / len(y)).message
    assert "shape" in check_logistic_grad(lambda w, X, y: X * 0.0).message
    assert "raised" in check_logistic_grad(lambda w, X, y: X @ y).message


def test_sigmoid_op_explains_a_var_passed_where_a_number_belongs():
    import math

    def wraps_a_var(v):             # np.exp(-v) on a Var gives a Var, and Var(Var) is refused
        s = 1 / (1 + np.exp(-v))
        return Var(s, [(v, s * (1 - s))], "sigmoid")

    def math_on_a_var(v):           # math.exp needs a plain number
        s = 1 / (1 + math.exp(-v))
        return Var(s, [(v, s * (1 - s))], "sigmoid")

    for buggy in (wraps_a_var, math_on_a_var):
        fb = check_sigmoid_op(buggy)
        assert fb.ok is False
        assert "v.value" in fb.message, fb.message
    assert "already a Var" in check_sigmoid_op(wraps_a_var).message


def test_evaluation_count_recognises_the_count_printed_for_the_16_unit_network():
    small = nn.param_count(2, 16, 1)                     # the notebook's demo network: 65 parameters
    fb = check_evaluation_count(2 * small)               # 130, printed as "2n = 130" in the notebook
    assert fb.ok is False
    assert "16" in fb.message and "32 hidden units" in fb.message, fb.message
    fb = check_evaluation_count(small)
    assert fb.ok is False and "16" in fb.message


def test_rounding_policy():
    from checker_cases import assert_rounding_policy  # tests/ is on sys.path under pytest

    right = np.array(_neuron_gradient_by_autodiff())
    assert_rounding_policy(check_neuron_gradient, right, [(-right, "sign is flipped"), (right / 2, "2r = 4")])


def test_evaluation_count_is_a_count_so_it_must_be_exact():
    assert check_evaluation_count(258.0).ok is True
    near = check_evaluation_count(258.4)                 # three figures, but a count is a whole number
    assert near.ok is False and not near.nearly


# Exercise 5 (transfer): a 2-16-16-1 network, multiply-adds of its matrix products per example.
def _counted_by_hand():
    """Forward: one product per layer; backward: the weight gradient of every layer, the input gradient of
    every layer but the first (written out, not through matmul_counts)."""
    forward = 2 * 16 + 16 * 16 + 16 * 1
    backward = (16 * 1 + 1 * 16) + (16 * 16 + 16 * 16) + 2 * 16
    return forward, backward


def test_backward_ratio_right_answer():
    forward, backward = _counted_by_hand()
    assert matmul_counts((2, 16, 16, 1)) == (forward, backward) == (304, 576)
    assert check_backward_ratio(backward / forward).ok is True
    assert check_backward_ratio(1.89).ok is True and check_backward_ratio(1.895).ok is True
    assert check_backward_ratio(None).ok is None
    assert check_backward_ratio("1.89").ok is False


def test_backward_ratio_slips():
    forward, backward = _counted_by_hand()
    every_input = backward + 2 * 16                      # an input gradient for the data too
    assert "first layer's input" in check_backward_ratio(every_input / forward).message
    assert "notebook's own network" in check_backward_ratio(64 / 48).message
    assert "notebook's own network" in check_backward_ratio(1.33).message
    assert "only the weight gradients" in check_backward_ratio(1.0).message
    assert "forward plus backward" in check_backward_ratio(1 + backward / forward).message
    assert "upside down" in check_backward_ratio(forward / backward).message
    assert "Count the multiply-adds" in check_backward_ratio(1.5).message


def test_backward_ratio_rounding_policy():
    from checker_cases import assert_rounding_policy  # tests/ is on sys.path under pytest

    forward, backward = _counted_by_hand()
    assert_rounding_policy(check_backward_ratio, backward / forward,
                           [(1 + backward / forward, "forward plus backward"), (forward / backward, "upside down")])


def test_matmul_counts_refuses_bad_layers():
    import pytest

    for bad in ([], [3], [2, 0, 1]):
        with pytest.raises(ValueError, match="layers"):
            matmul_counts(bad)
