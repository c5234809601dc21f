"""The backprop checkers: right answers pass, typical slips get their own message."""

import numpy as np

from helpers.autodiff import Var
from helpers.lessons.exercises.backprop import (check_evaluation_count, check_logistic_grad,
                                        check_neuron_gradient, check_sigmoid_op,
                                        logistic_grad_reference)
from helpers.gradcheck import check_gradient


def test_neuron_gradient():
    assert check_neuron_gradient(None).ok is None
    assert check_neuron_gradient((16, 4)).ok is True
    assert "2r = 4, not r = 2" in check_neuron_gradient((8, 2)).message
    assert "one more chain-rule factor" in check_neuron_gradient([4, 4]).message
    assert "sign is flipped" in check_neuron_gradient((-16, -4)).message
    assert "dL/dx" in check_neuron_gradient((2, 4)).message
    assert check_neuron_gradient("16, 4").ok is False
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
    assert check_evaluation_count(None).ok is None
    assert check_evaluation_count(258).ok is True
    assert "number of parameters" in check_evaluation_count(129).message
    assert "forward differences" in check_evaluation_count(130).message
    assert "weights only" in check_evaluation_count(192).message
    assert check_evaluation_count(1000).ok is False
    assert check_evaluation_count("258").ok is False


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
