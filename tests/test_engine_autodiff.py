"""helpers.autodiff against plain float arithmetic (forward values) and central differences of
plain-float functions (gradients), so that an operation that is consistently wrong, forward and
backward alike, cannot pass. Written against surviving mutants (make mutants)."""

import math

import pytest

from helpers.autodiff import Var, zero_grad

H = 1e-6

# (name, Var expression, the same function on plain floats)
CASES = [
    ("add", lambda a, b: a + b, lambda a, b: a + b),
    ("sub", lambda a, b: a - b, lambda a, b: a - b),
    ("mul", lambda a, b: a * b, lambda a, b: a * b),
    ("div", lambda a, b: a / b, lambda a, b: a / b),
    ("radd", lambda a, b: 3.5 + b, lambda a, b: 3.5 + b),
    ("rsub", lambda a, b: 3.5 - b, lambda a, b: 3.5 - b),
    ("rmul", lambda a, b: 3.5 * b, lambda a, b: 3.5 * b),
    ("rtruediv", lambda a, b: 3.5 / b, lambda a, b: 3.5 / b),
    ("add number", lambda a, b: a + 2.0, lambda a, b: a + 2.0),
    ("sub number", lambda a, b: a - 2.0, lambda a, b: a - 2.0),
    ("mul number", lambda a, b: a * 2.0, lambda a, b: a * 2.0),
    ("div number", lambda a, b: a / 2.0, lambda a, b: a / 2.0),
    ("neg", lambda a, b: -a, lambda a, b: -a),
    ("pow 3", lambda a, b: a ** 3, lambda a, b: a ** 3),
    ("pow 0.5", lambda a, b: b ** 0.5, lambda a, b: b ** 0.5),
    ("pow -2", lambda a, b: a ** -2, lambda a, b: a ** -2),
    ("tanh", lambda a, b: a.tanh(), lambda a, b: math.tanh(a)),
    ("exp", lambda a, b: a.exp(), lambda a, b: math.exp(a)),
    ("log", lambda a, b: b.log(), lambda a, b: math.log(b)),
    ("relu +", lambda a, b: b.relu(), lambda a, b: max(b, 0.0)),
    ("relu -", lambda a, b: a.relu(), lambda a, b: max(a, 0.0)),
    ("composite", lambda a, b: (a * b - a / b) ** 2 + (1.0 - a).exp() * b.log(),
     lambda a, b: (a * b - a / b) ** 2 + math.exp(1.0 - a) * math.log(b)),
]
POINTS = [(-0.7, 1.3), (1.9, 0.4), (-2.2, 2.5)]


@pytest.mark.parametrize("name, expr, plain", CASES, ids=[c[0] for c in CASES])
def test_forward_and_gradient_against_plain_floats(name, expr, plain):
    for a0, b0 in POINTS:
        a, b = Var(a0), Var(b0)
        out = expr(a, b)
        assert out.value == pytest.approx(plain(a0, b0), rel=1e-14, abs=1e-15)
        out.backward()
        da = (plain(a0 + H, b0) - plain(a0 - H, b0)) / (2 * H)
        db = (plain(a0, b0 + H) - plain(a0, b0 - H)) / (2 * H)
        assert a.grad == pytest.approx(da, rel=1e-6, abs=1e-8)
        assert b.grad == pytest.approx(db, rel=1e-6, abs=1e-8)


def test_relu_at_zero_and_below_has_zero_slope():
    x = Var(0.0)
    y = x.relu()
    y.backward()
    assert (y.value, x.grad) == (0.0, 0.0)
    x = Var(1e-300)
    x.relu().backward()
    assert x.grad == 1.0


def test_exp_and_log_edges():
    assert Var(709.78).exp().value == pytest.approx(math.exp(709.78))
    with pytest.raises(ValueError, match="exp overflows"):
        Var(709.79).exp()
    with pytest.raises(ValueError, match="log needs a positive value"):
        Var(0.0).log()
    assert Var(1e-300).log().value == pytest.approx(math.log(1e-300))


def test_pow_edges():
    assert (Var(0.0) ** 1).value == 0.0          # k = 1 at 0 is fine (derivative 1)
    x = Var(0.0)
    (x ** 2).backward()
    assert x.grad == 0.0
    with pytest.raises(ValueError, match="not differentiable"):
        Var(0.0) ** 0.5
    with pytest.raises(ValueError, match="not differentiable"):
        Var(-2.0) ** 0.5
    assert (Var(-2.0) ** 3.0).value == -8.0       # integer-valued exponent of a negative base
    assert (Var(-2.0) ** 3.0).op == "**3"
    with pytest.raises(ValueError, match="overflows"):
        Var(10.0) ** 400


def test_division_by_zero_is_refused():
    with pytest.raises(ValueError, match="division by zero"):
        Var(1.0) / 0.0
    with pytest.raises(ValueError, match="division by zero"):
        1.0 / Var(0.0)


def test_backward_seed_accumulates_on_a_leaf():
    # backward() on a leaf: d x / d x = 1, added to what the leaf already holds
    x = Var(3.0)
    x.backward()
    x.backward()
    assert x.grad == 2.0
    zero_grad([x])
    assert x.grad == 0.0


def test_leaves_accumulate_and_intermediates_restart():
    x = Var(2.0)
    mid = x * x
    out = mid + 1.0
    out.backward()
    out.backward()
    assert x.grad == 8.0          # 2 * (2x) at x = 2
    assert mid.grad == 1.0        # an intermediate is reset at every backward()
    assert out.grad == 1.0


def test_ops_and_repr():
    x, y = Var(2.0, name="x"), Var(-3.0)
    assert [v.op for v in (x + y, x - y, x * y, x / y, -x, x.tanh(), x.exp(), x.log(), x.relu())] == \
        ["+", "-", "*", "/", "neg", "tanh", "exp", "log", "relu"]
    assert (x ** 2.5).op == "**2.5"
    assert x.op == "" and x.parents == () and x.grad == 0.0
    assert repr(x) == "Var(x, value=2, grad=0)"
    assert repr(y) == "Var(value=-3, grad=0)"


def test_nodes_is_a_topological_order():
    x, y = Var(1.0, name="x"), Var(2.0, name="y")
    a = x * y
    out = a + x
    order = out.nodes()
    assert len(order) == 4 and order[-1] is out
    pos = {id(n): i for i, n in enumerate(order)}
    for node in order:
        for parent, _ in node.parents:
            assert pos[id(parent)] < pos[id(node)]


def test_graph_text():
    x, y = Var(2.0, name="x"), Var(-3.0, name="y")
    f = x * y + x
    f.backward()
    assert f.graph(digits=1) == "\n".join([
        "+  value=-4.0  grad=1.0",
        "├─ *  value=-6.0  grad=1.0",
        "│  ├─ x  value=2.0  grad=-2.0",
        "│  └─ y  value=-3.0  grad=2.0",
        "└─ x  value=2.0  grad=-2.0",
    ])
    g = (x * 2.0) * (x * 2.0).tanh()
    text = g.graph()
    assert text.splitlines()[0] == f"*  value={g.value:.4f}  grad=0.0000"
    assert "const  value=2.0000" in text
    shared = x * y
    h = shared + shared
    assert h.graph(digits=0).splitlines() == [
        "+  value=-12  grad=0",
        "├─ *  value=-6  grad=0",
        "│  ├─ x  value=2  grad=-2",
        "│  └─ y  value=-3  grad=2",
        "└─ *  value=-6  grad=0 (again)",
    ]
