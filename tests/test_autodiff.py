"""The scalar autodiff engine against central differences, plus the rules a
reader relies on: reuse accumulates, leaves accumulate across backward(),
zero_grad resets, bad input raises ValueError naming the value."""

import math

import numpy as np
import pytest

from helpers.autodiff import Var, zero_grad
from helpers.gradcheck import central_difference, relative_error

# Each expression takes a list of Vars (or floats-wrapped-in-Var) and returns a Var.
EXPRESSIONS = {
    "sum and product": lambda v: v[0] * v[1] + v[1] - 3.0,
    "reused node": lambda v: v[0] * v[0] + v[0],                     # x appears three times
    "division and powers": lambda v: (v[0] ** 3 - 2.0) / (v[1] ** 2 + 1.0),
    "reversed operands": lambda v: 2.0 / (1.0 + v[0] ** 2) - (5.0 - v[1]) * 0.5,
    "tanh neuron": lambda v: (v[0] * v[1] + v[2]).tanh(),
    "exp and log": lambda v: (v[0].exp() + v[1] ** 2).log() - v[2] * v[0].exp(),
    "relu": lambda v: (v[0] * 3.0 - v[1]).relu() + (-v[2]).relu(),
    "sigmoid by hand": lambda v: 1.0 / (1.0 + (-(v[0] * v[1] - v[2])).exp()),
    "square root": lambda v: (v[0] ** 2 + v[1] ** 2 + 1.0) ** 0.5,
}


def value_and_autodiff_grad(expr, point):
    xs = [Var(float(p), name=f"x{i}") for i, p in enumerate(point)]
    out = expr(xs)
    out.backward()
    return out.value, np.array([x.grad for x in xs])


@pytest.mark.parametrize("name", sorted(EXPRESSIONS))
def test_gradient_matches_central_differences(name):
    expr = EXPRESSIONS[name]
    rng = np.random.default_rng(sum(map(ord, name)))
    for _ in range(3):
        point = rng.uniform(0.3, 1.5, size=3) * rng.choice([-1.0, 1.0], size=3)
        _, grad = value_and_autodiff_grad(expr, point)
        numeric = central_difference(lambda p: value_and_autodiff_grad(expr, p)[0], point)
        assert relative_error(grad, numeric) < 1e-8, (name, point, grad, numeric)


def test_reused_node_accumulates_both_paths():
    x = Var(3.0)
    y = x * x  # two edges from x into the same node
    y.backward()
    assert x.grad == pytest.approx(6.0)  # 3 + 3, not 3


def test_shared_intermediate_node():
    x = Var(0.5)
    h = x.tanh()
    out = h * h + h  # h feeds two nodes
    out.backward()
    t = math.tanh(0.5)
    assert h.grad == pytest.approx(2 * t + 1)
    assert x.grad == pytest.approx((2 * t + 1) * (1 - t * t))


def test_leaf_gradients_accumulate_until_zero_grad():
    x, y = Var(2.0), Var(-1.0)
    out = x * y + y
    out.backward()
    first = (x.grad, y.grad)
    out.backward()  # intermediate grads restart from zero; leaves add up
    assert (x.grad, y.grad) == pytest.approx((2 * first[0], 2 * first[1]))
    zero_grad([x, y])
    out.backward()
    assert (x.grad, y.grad) == pytest.approx(first)


def test_nodes_are_in_topological_order():
    x = Var(1.0)
    a = x * 2.0
    b = a.exp() + a
    order = b.nodes()
    position = {id(n): i for i, n in enumerate(order)}
    assert order[-1] is b and len(order) == len(set(position))
    for node in order:
        for parent, _ in node.parents:
            assert position[id(parent)] < position[id(node)]


def test_graph_text_shows_values_grads_and_reuse():
    x = Var(2.0, name="x")
    h = x.tanh()
    out = h * h
    out.name = "out"
    out.backward()
    text = out.graph()
    lines = text.splitlines()
    assert lines[0].startswith("out") and "value=0.9293" in lines[0]
    assert "(again)" in text and text.count("x  value=2.0000") == 1
    assert f"grad={x.grad:.4f}" in text


@pytest.mark.parametrize("make", [
    lambda: Var(float("nan")),
    lambda: Var("3"),
    lambda: Var(-1.0).log(),
    lambda: Var(1.0) / Var(0.0),
    lambda: Var(-2.0) ** 0.5,
    lambda: Var(2.0) ** Var(2.0),
])
def test_bad_input_raises_value_error(make):
    with pytest.raises(ValueError):
        make()
