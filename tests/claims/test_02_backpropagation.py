"""Claims of notebooks/02_backpropagation.ipynb (and its solutions), tested with the helpers it calls.

Each claim is a small function of its setting, checked where the notebook states it and at a mutated
setting where it must be false.

Printed, so checked by nbval and not repeated here: L = 0.0684, dL/dw = 0.3296, dL/db = 0.2197 and the
engine's graph; x.grad = 7.0, then 14.0 and 7.0 around zero_grad; the engine's gradient check; the
shapes (65 parameters); loss 0.5954 against log 2 = 0.6931; the network's gradient check; the relative
errors 0.16 and W1 0.38, b1 0.98, W2 0.00, b2 0.00; losses 0.578445, 3106 nodes and the largest |z|;
the multiply-adds 9600 and 12800 (ratio 1.33); 130 = 2n loss evaluations. Solutions: (16, 4), n = 129 and
258 evaluations, the sigmoid and logistic checks, 304 N and 576 N (ratio 1.895).

Not tested here: the timing claims (backprop "within a small factor of one forward pass at every size",
the measured ratio "typically larger still" than the count): no test asserts wall-clock time; they belong
in benchmarks/. The arithmetic behind them (the backward pass does one to two times the forward pass's
multiply-adds, 4/3 for this network) is counted below.
"""
import ast
import inspect
import itertools
from pathlib import Path

import numpy as np
import pytest

from helpers import data, nn
from helpers.autodiff import Var, zero_grad
from helpers.gradcheck import central_difference, check_gradient, relative_error
from helpers.lessons.exercises.backprop import matmul_counts

SEEDS = range(5)
TESTS = Path(__file__).resolve().parents[1]


# --------------------------------------------------------------------------- a variable used twice
def sweep(out, accumulate, node_order, reverse_edges):
    """A reverse sweep like Var.backward's, with ``+=`` (accumulate) or ``=`` on each edge, visiting the
    nodes in ``node_order`` (outputs before inputs) and each node's edges forwards or reversed."""
    grads = {id(node): 0.0 for node in node_order}
    grads[id(out)] = 1.0
    for node in node_order:
        for parent, local in (reversed(node.parents) if reverse_edges else node.parents):
            share = local * grads[id(node)]
            grads[id(parent)] = grads[id(parent)] + share if accumulate else share
    return grads


def valid_sweeps(out):
    """Every order a reverse sweep may take: each node before all of its parents."""
    nodes = out.nodes()
    for order in itertools.permutations(nodes):
        place = {id(node): i for i, node in enumerate(order)}
        if order[0] is out and all(place[id(p)] > place[id(n)] for n in order for p, _ in n.parents):
            yield order


def answers(build, accumulate):
    """x.grad under every valid sweep (node order and edge order) of the expression ``build(x)``."""
    x = Var(3.0, name="x")
    out = build(x)
    return {sweep(out, accumulate, order, rev)[id(x)] for order in valid_sweeps(out) for rev in (False, True)}


def x_times_x_plus_x(x):
    return x * x + x


def two_separate_uses(x):
    return x * 2.0 + x * 3.0


def test_accumulating_gives_2x_plus_1_in_every_order():
    """"Each edge adds its contribution: 3 and 3 from the product, 1 from the sum, 7 in total"."""
    assert answers(x_times_x_plus_x, accumulate=True) == {7.0}
    x = Var(3.0)
    x_times_x_plus_x(x).backward()
    assert x.grad == 7.0                                            # the engine itself agrees


def test_with_assignment_the_last_edge_overwrites_the_others():
    """"With `=` the last edge to arrive would overwrite the others": the answer is no longer 7."""
    assert 7.0 not in answers(x_times_x_plus_x, accumulate=False)


def test_with_assignment_x_grad_would_be_the_products_share_alone():
    """"With `=` ... here `x.grad` would be 3, the product's share alone": in every valid sweep of
    f = x * x + x the product's edge arrives last, so `=` gives 3 whatever the order."""
    assert answers(x_times_x_plus_x, accumulate=False) == {3.0}


def test_with_assignment_two_separate_uses_of_x_depend_on_the_order():
    """"... and in a graph where two separate operations both use x the answer would depend on the order of
    the sweep": f = 2x + 3x, whose two products may be swept in either order."""
    assert answers(two_separate_uses, accumulate=False) == {2.0, 3.0}
    assert answers(two_separate_uses, accumulate=True) == {5.0}


# --------------------------------------------------------------------------- gradients accumulate
def steps_along_the_sum(calls, reset_between):
    """"Forget [zero_grad], and the optimizer steps along the sum of every gradient computed so far":
    after ``calls`` backward() calls on f = x * x + x at x = 3, is x.grad the sum of all of them?"""
    x = Var(3.0, name="x")
    f = x_times_x_plus_x(x)
    for _ in range(calls):
        if reset_between:
            zero_grad([x])
        f.backward()
    return x.grad == calls * 7.0


def test_without_zero_grad_the_gradients_sum():
    assert all(steps_along_the_sum(k, reset_between=False) for k in (2, 3, 5))


def test_with_zero_grad_only_the_last_gradient_remains():
    assert not steps_along_the_sum(3, reset_between=True)


def test_two_losses_sum_into_one_gradient():
    """"It lets gradients from several losses ... be summed before one update"."""
    w = Var(0.5, name="w")
    (w * w).backward()           # d/dw w^2 = 1
    (w * 3.0).backward()         # d/dw 3w = 3
    assert w.grad == pytest.approx(1.0 + 3.0)


def test_the_nine_expressions_of_test_autodiff():
    """"tests/test_autodiff.py runs the same check on nine expressions (products, quotients, powers, exp,
    log, relu, a node reused twice) at several random points"."""
    tree = ast.parse((TESTS / "test_autodiff.py").read_text())
    table = next(node.value for node in ast.walk(tree) if isinstance(node, ast.Assign)
                 and any(isinstance(t, ast.Name) and t.id == "EXPRESSIONS" for t in node.targets))
    assert len(table.keys) == 9
    source = ast.unparse(table)
    for op in ("*", "/", "**", ".exp()", ".log()", ".relu()", "v[0] * v[0] + v[0]"):
        assert op in source
    check = next(node for node in ast.walk(tree) if isinstance(node, ast.FunctionDef)
                 and node.name == "test_gradient_matches_central_differences")
    loops = [node for node in ast.walk(check) if isinstance(node, ast.For)]
    assert loops and ast.unparse(loops[0].iter) == "range(3)"     # several random points each


# --------------------------------------------------------------------------- the two-layer network
def notebook_network(seed, n=200):  # not "setup": pytest 8.0 would call a module-level setup() itself
    """The notebook's data and network, drawn in its order from another seed."""
    rng = np.random.default_rng(seed)
    X, y = data.two_moons(n=n, noise=0.15, rng=rng)
    theta = nn.init_params(rng, n_in=2, n_hidden=16, n_out=1)
    return X, y, theta


def grad_without_tanh_factor(th, X, y):
    """The notebook's backward table with (1 - H^2) left out."""
    W1, b1, W2, b2 = nn.unpack(th, (2, 16, 1))
    H, dz = np.tanh(X @ W1 + b1), (nn.predict_proba(th, X) - y)[:, None] / len(y)
    dA = dz @ W2.T
    return nn.pack(X.T @ dA, dA.sum(axis=0), H.T @ dz, dz.sum(axis=0))


def check_finds_the_missing_factor(theta, X, y):
    """"Only W1 and b1 disagree ...; the gradient check catches the missing local derivative, and checking
    it block by block points at the line that lost it": the check fails, W1 and b1 are off by more than
    1%, W2 and b2 agree to 1e-8."""
    net_loss = lambda th: nn.loss(th, X, y)  # noqa: E731
    ok, _ = check_gradient(net_loss, lambda th: grad_without_tanh_factor(th, X, y), theta)
    bad = nn.unpack(grad_without_tanh_factor(theta, X, y), (2, 16, 1))
    num = nn.unpack(central_difference(net_loss, theta), (2, 16, 1))
    errors = [relative_error(a, b) for a, b in zip(bad, num)]
    return bool(not ok and min(errors[:2]) > 1e-2 and max(errors[2:]) < 1e-8)


@pytest.mark.parametrize("seed", SEEDS)
def test_the_check_catches_the_missing_tanh_factor(seed):
    X, y, theta = notebook_network(seed)
    assert check_gradient(lambda th: nn.loss(th, X, y), lambda th: nn.loss_and_grad(th, X, y)[1], theta)[0]
    assert check_finds_the_missing_factor(theta, X, y)


@pytest.mark.parametrize("seed", SEEDS)
def test_with_tiny_first_layer_weights_the_missing_factor_goes_unnoticed(seed):
    """Where the hidden units sit near 0, 1 - H^2 is almost 1 and the broken table passes the check."""
    X, y, theta = notebook_network(seed)
    W1, b1, W2, b2 = nn.unpack(theta, (2, 16, 1))
    small = nn.pack(1e-4 * W1, b1, W2, b2)
    assert not check_finds_the_missing_factor(small, X, y)
    assert check_gradient(lambda th: nn.loss(th, X, y), lambda th: grad_without_tanh_factor(th, X, y), small)[0]


def engine_gradient(theta, X, y):
    """The notebook's engine run: the network's forward pass on an array of Vars, then backward()."""
    theta_vars = np.array([Var(v) for v in theta], dtype=object)
    W1v, b1v, W2v, b2v = nn.unpack(theta_vars, (2, 16, 1))
    z = np.tanh(X @ W1v + b1v) @ W2v[:, 0] + b2v[0]
    L = np.mean(np.log(1 + np.exp(z)) - y * z)
    L.backward()
    return L.value, np.array([v.grad for v in theta_vars])


@pytest.mark.parametrize("seed", SEEDS)
def test_engine_and_matrix_form_give_the_same_numbers(seed):
    """"Same numbers, from two independent implementations" (20 examples, agreement to 1e-10)."""
    X, y, theta = notebook_network(seed)
    value, grad = engine_gradient(theta, X[:20], y[:20])
    loss, matrix_grad = nn.loss_and_grad(theta, X[:20], y[:20])
    assert value == pytest.approx(loss, rel=1e-12) and relative_error(grad, matrix_grad) < 1e-10


@pytest.mark.parametrize("seed", SEEDS)
def test_the_broken_table_does_not_match_the_engine(seed):
    X, y, theta = notebook_network(seed)
    _, grad = engine_gradient(theta, X[:20], y[:20])
    assert relative_error(grad, grad_without_tanh_factor(theta, X[:20], y[:20])) > 1e-2


# --------------------------------------------------------------------------- what a gradient costs
def test_largest_timed_network_has_1025_parameters_and_the_count_gives_680_to_1000():
    """"At n = 1025 parameters, how many times slower ...?" and "counting alone, with c between 2 and 3,
    gives 2n/c ~ 680 to 1000 at n = 1025": the widest network of the timing sweep (width 256)."""
    widths = [2, 4, 8, 16, 32, 64, 128, 256]
    sizes = [nn.init_params(np.random.default_rng(0), n_hidden=w).size for w in widths]
    assert sizes[-1] == 1025
    assert round(2 * sizes[-1] / 3, -1) == 680 and round(2 * sizes[-1] / 2, -2) == 1000


def matmuls(function):
    """The matrix products (``@``) in the source of one of helpers.nn's functions."""
    tree = ast.parse(inspect.getsource(function).lstrip())
    return [ast.unparse(node) for node in ast.walk(tree)
            if isinstance(node, ast.BinOp) and isinstance(node.op, ast.MatMult)]


def test_the_code_has_two_products_forward_and_three_backward():
    """"Each matrix product of the forward pass becomes two products backward ..., except in the first
    layer, whose input is the data and needs no gradient": helpers.nn's forward pass has two products,
    its backward pass three (no gradient for X)."""
    assert len(matmuls(nn._layers)) == 2
    backward = matmuls(nn.loss_and_grad)
    assert len(backward) == 3
    assert any("W2" in m and "dz" in m for m in backward)       # into the hidden units (the layer's input)
    assert not any(m.startswith("da @") for m in backward)       # nothing sends da back into X


def multiply_adds_of_the_network(X, theta):
    """The notebook's count: multiply-adds of the matrix products, forward and backward, for the 2-16-1
    network on X, from the shapes of the arrays loss_and_grad multiplies."""
    n_hidden = 16
    H, dz = np.zeros((len(X), n_hidden)), np.zeros((len(X), 1))
    W1, _, W2, _ = nn.unpack(theta, (2, n_hidden, 1))
    prod = lambda A, B: A.shape[0] * A.shape[1] * B.shape[1]  # noqa: E731
    forward = prod(X, W1) + prod(H, W2)
    backward = prod(H.T, dz) + prod(dz, W2.T) + prod(X.T, H)
    return forward, backward


@pytest.mark.parametrize("seed", SEEDS)
def test_backward_does_four_thirds_of_the_forward_arithmetic(seed):
    """"Backward does 4/3 of the forward arithmetic here ... A whole gradient is then about 1 + 4/3 ~ 2.3
    forward passes" (the cell prints 9600 and 12800)."""
    X, y, theta = notebook_network(seed)
    forward, backward = multiply_adds_of_the_network(X, theta)
    assert (forward, backward) == (9600, 12800) and backward / forward == pytest.approx(4 / 3)
    assert f"{1 + backward / forward:.1f}" == "2.3"
    assert matmul_counts((2, 16, 1)) == (48, 64)                 # the exercises' counter agrees, per example


def test_backward_does_one_to_two_times_the_forward_arithmetic():
    """"So the backward pass does one to two times the forward pass's arithmetic, and a whole gradient costs
    two to three forward passes, whatever n is", for any stack of layers."""
    rng = np.random.default_rng(0)
    for _ in range(200):
        layers = rng.integers(1, 300, size=rng.integers(2, 7))
        forward, backward = matmul_counts(layers)
        assert 1 <= backward / forward < 2 and 2 <= 1 + backward / forward < 3


def test_a_gradient_for_the_data_too_would_cost_exactly_two():
    """The first layer's exception is what keeps the ratio below 2: with an input gradient for every layer
    it is 2 exactly, and a single layer (logistic regression) needs only its weight gradient, 1."""
    assert matmul_counts((2, 16, 16, 1), input_gradient=True)[1] == 2 * matmul_counts((2, 16, 16, 1))[0]
    forward, backward = matmul_counts((5, 1))
    assert backward == forward


# --------------------------------------------------------------------------- the loss, typed as displayed
def test_the_displayed_loss_overflows_near_710_and_the_stable_form_does_not():
    """"Typed exactly as shown, e^z overflows once z passes about 710; helpers.nn computes log(1 + e^z) as
    max(z, 0) + log(1 + e^-|z|), the same number, which never overflows"."""
    with np.errstate(over="ignore"):
        assert np.isfinite(np.exp(709.7)) and np.isinf(np.exp(709.8)) and np.isinf(np.exp(710.0))
        assert np.isinf(np.log(1 + np.exp(710.0)))
    z = np.linspace(-30, 30, 601)
    stable = np.maximum(z, 0) + np.log1p(np.exp(-np.abs(z)))
    assert np.allclose(stable, np.log(1 + np.exp(z)), rtol=1e-12, atol=1e-15)
    huge = np.array([-1e4, -710.0, 710.0, 1e4])
    assert np.all(np.isfinite(nn._bce(huge, np.array([0.0, 1.0, 0.0, 1.0]))))
    assert nn._bce(np.array([710.0]), np.array([0.0])) == pytest.approx(710.0)


@pytest.mark.parametrize("seed", SEEDS)
def test_the_engine_cells_logits_are_small(seed):
    """"Safe here, because these logits are small": the 20 logits of the engine cell, at other seeds too,
    are nowhere near 710."""
    X, y, theta = notebook_network(seed)
    assert np.max(np.abs(nn.forward(theta, X[:20]))) < 10


def counts_2n_evaluations(n_hidden):
    calls = 0
    X, y, _ = notebook_network(0)
    theta = nn.init_params(np.random.default_rng(1), n_hidden=n_hidden)

    def counted(th):
        nonlocal calls
        calls += 1
        return nn.loss(th, X, y)

    central_difference(counted, theta)
    return calls == 2 * theta.size


def test_finite_differences_cost_2n_evaluations_at_every_width():
    """"Finite differences evaluate the loss twice per parameter: 2n evaluations" (printed for n = 65)."""
    assert all(counts_2n_evaluations(w) for w in (2, 16, 32))


# --------------------------------------------------------------------------- not an approximation
def polynomial_gradient_error(seed, method):
    """Largest relative error of d/dx (x^3 y - 2 x y^2 + y) against the exact derivative, at 20 points."""
    rng = np.random.default_rng(seed)
    worst = 0.0
    for x0, y0 in rng.uniform(-2, 2, size=(20, 2)):
        exact = np.array([3 * x0**2 * y0 - 2 * y0**2, x0**3 - 4 * x0 * y0 + 1])
        if method == "backprop":
            x, y = Var(x0), Var(y0)
            (x ** 3 * y - 2.0 * x * y ** 2 + y).backward()
            got = np.array([x.grad, y.grad])
        else:
            got = central_difference(lambda p: p[0] ** 3 * p[1] - 2 * p[0] * p[1] ** 2 + p[1], np.array([x0, y0]))
        worst = max(worst, relative_error(got, exact))
    return worst


@pytest.mark.parametrize("seed", SEEDS)
def test_backprop_is_exact_up_to_rounding(seed):
    """"It is not an approximation. Its gradient is exact up to rounding, unlike finite differences"."""
    assert polynomial_gradient_error(seed, "backprop") < 1e-14


@pytest.mark.parametrize("seed", SEEDS)
def test_finite_differences_are_not_exact(seed):
    assert polynomial_gradient_error(seed, "central") > 1e-12


# --------------------------------------------------------------------------- solutions, exercise 2
def operation_nodes(out):
    return [node for node in out.nodes() if node.op]


def test_composed_sigmoid_takes_four_nodes_and_gets_the_same_gradient():
    """Solutions: "Composing existing operations, 1 / (1 + (-v).exp()), also gives the right gradient,
    through four nodes instead of one"."""
    for value in (-2.0, 0.0, 1.5):
        v = Var(value)
        s = 1 / (1 + (-v).exp())
        s.backward()
        assert len(operation_nodes(s)) == 4
        expected = 1 / (1 + np.exp(-value))
        assert v.grad == pytest.approx(expected * (1 - expected), rel=1e-12)

        w = Var(value)
        t = 1.0 / (1.0 + np.exp(-w.value))
        one = Var(t, [(w, t * (1 - t))], "sigmoid")
        assert len(operation_nodes(one)) == 1


# --------------------------------------------------------------------------- solutions, exercise 5
def test_the_deeper_network_is_nearer_two_because_the_spared_product_is_a_smaller_share():
    """Solutions, exercise 5: "backward / forward = 576/304 ~ 1.89, nearer 2 than the notebook's 4/3: the one
    product that is spared, the first layer's, is now a smaller share of the work"."""
    shallow, deep = matmul_counts((2, 16, 1)), matmul_counts((2, 16, 16, 1))
    assert deep == (304, 576) and f"{deep[1] / deep[0]:.2f}" == "1.89"
    assert abs(2 - deep[1] / deep[0]) < abs(2 - shallow[1] / shallow[0])
    spared_share = lambda layers: layers[0] * layers[1] / matmul_counts(layers)[0]  # noqa: E731
    assert spared_share((2, 16, 16, 1)) < spared_share((2, 16, 1))
    # and where the first layer is most of the work (a wide input), the ratio stays near 1
    assert matmul_counts((1000, 16, 16, 1))[1] / matmul_counts((1000, 16, 16, 1))[0] < 1.05
