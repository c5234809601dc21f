"""The engine's refusals, each against the package's documented message form
(helpers/validation.py): ``{name} must be {rule}, got {name}={value!r}``, raised as WrongKind (a
TypeError and a ValueError) for a value of the wrong kind and as a plain ValueError for a value of
the right kind that breaks a rule. A refusal that names the wrong argument, repeats the wrong
value or raises the wrong kind is a bug a reader meets. Written against surviving mutants."""

import re

import numpy as np
import pytest

from helpers import autodiff, data, gradcheck, nn, optim, schedules, surfaces
from helpers.descent import run
from helpers.problems import NoisyGradient
from helpers.validation import WrongKind


def message(name, value, rule):
    return f"{name} must be {rule}, got {name}={value!r}"


ANY_RULE = object()   # a rule whose wording this file does not pin (the generic array checks)


def refuses(call, kind, text):
    with pytest.raises(ValueError) as info:
        call()
    if isinstance(text, tuple):   # (name, value): the documented form with any rule
        name, value = text
        assert re.fullmatch(re.escape(f"{name} must be ") + ".+" + re.escape(f", got {name}={value!r}"),
                            str(info.value)), str(info.value)
    else:
        assert str(info.value) == text
    assert isinstance(info.value, TypeError) == (kind is WrongKind)


class NoGrad:
    def loss(self, x):
        return 0.0


CASES = {
    "group of a number": (lambda: optim.Group(3), WrongKind, message("parts", 3, "a list of optimizers")),
    "group of a string": (lambda: optim.Group("sgd"), WrongKind, message("parts", "sgd", "a list of optimizers")),
    "group of a non-optimizer": (lambda: optim.Group([NoGrad()]), WrongKind, None),
    "group rows": (lambda: optim.Group([(optim.SGD(lr=0.1), 0)]), ValueError, message("rows", 0, "an integer >= 1")),
    "var of a string": (lambda: autodiff.Var("2"), WrongKind, message("value", "2", "a finite real number")),
    "var of nan": (lambda: autodiff.Var(float("nan")), ValueError, message("value", float("nan"), "a finite real number")),
    "var to a var power": (lambda: autodiff.Var(2.0) ** autodiff.Var(2.0), WrongKind, None),
    "var to a nan power": (lambda: autodiff.Var(2.0) ** float("nan"), ValueError,
                           message("k", float("nan"), "a plain finite number (the exponent)")),
    "objective X": (lambda: nn.Objective("X", [0, 1]), WrongKind, ("X", "X")),
    "objective y": (lambda: nn.Objective([[0.0]], None), WrongKind, ("y", None)),
    "noisy runs": (lambda: NoisyGradient(surfaces.SURFACES["bowl"], 0.1, runs=0), ValueError,
                   message("runs", 0, "an integer >= 1")),
    "noisy sigma": (lambda: NoisyGradient(surfaces.SURFACES["bowl"], -1.0), ValueError,
                    message("sigma", -1.0, "finite and >= 0 (a number, or one per run)")),
    "noisy sigma shape": (lambda: NoisyGradient(surfaces.SURFACES["bowl"], np.ones(2), runs=3), ValueError,
                          message("sigma", np.ones(2), "a number or an array of shape (3,)")),
    "noisy surface": (lambda: NoisyGradient(NoGrad(), 0.1), WrongKind, None),
    "quadratic angle": (lambda: surfaces.quadratic(angle="x"), WrongKind,
                        message("angle", "x", "a finite number (radians)")),
    "quadratic a": (lambda: surfaces.quadratic(a=0.0), ValueError, message("a", 0.0, "a finite number > 0")),
    "quadratic b": (lambda: surfaces.quadratic(b=-1.0), ValueError, message("b", -1.0, "a finite number > 0")),
    "bowl curvature": (lambda: surfaces.bowl(2.0, 0.0), ValueError, message("max_curvature", 0.0, "a finite number > 0")),
    "relative error a": (lambda: gradcheck.relative_error("a", [1.0]), WrongKind, ("a", "a")),
    "relative error b": (lambda: gradcheck.relative_error([1.0], "b"), WrongKind, ("b", "b")),
    "check_gradient grad_f": (lambda: gradcheck.check_gradient(sum, 3, [1.0]), WrongKind, message("grad_f", 3, "a function")),
    "difference f": (lambda: gradcheck.central_difference(3, [1.0]), WrongKind, message("f", 3, "a function")),
    "difference f(x)": (lambda: gradcheck.central_difference(lambda x: "a", np.array([1.0])), WrongKind,
                        message("f(x)", "a", "a number")),
    "difference x": (lambda: gradcheck.central_difference(sum, [np.nan]), ValueError, message("x", [np.nan], "finite")),
    "step_decay lr": (lambda: schedules.step_decay(-1.0, 2), ValueError, message("lr", -1.0, "a finite number >= 0")),
    "exponential lr": (lambda: schedules.exponential(-1.0, 0.5), ValueError, message("lr", -1.0, "a finite number >= 0")),
    "exponential gamma": (lambda: schedules.exponential(1.0, 2.0), ValueError,
                          message("gamma", 2.0, "a finite number > 0 and <= 1")),
    "constant lr": (lambda: schedules.constant(-1.0), ValueError, message("lr", -1.0, "a finite number >= 0")),
    "trace k": (lambda: run(surfaces.SURFACES["bowl"], optim.SGD(lr=0.1), [1.0, 1.0], 1).single(0.5), ValueError,
                message("k", 0.5, "an integer")),
    "two_moons n": (lambda: data.two_moons(n=0), ValueError, message("n", 0, "a positive integer")),
    "two_moons noise": (lambda: data.two_moons(noise=-1.0), ValueError, message("noise", -1.0, "a finite number >= 0")),
    "steps_per_epoch n": (lambda: data.steps_per_epoch(0, 1), ValueError, message("n", 0, "a positive integer")),
    "steps_per_epoch batch": (lambda: data.steps_per_epoch(3, 0), ValueError, message("batch_size", 0, "a positive integer")),
    "minibatches epochs": (lambda: data.minibatches(4, 2, epochs=0), ValueError, message("epochs", 0, "a positive integer")),
    "minibatches drop_last": (lambda: data.minibatches(4, 2, drop_last=1), WrongKind, message("drop_last", 1, "True or False")),
    "lr": (lambda: optim.SGD(lr=-0.1), ValueError, message("lr", -0.1, "a finite number >= 0 (or an array of them)")),
    "momentum": (lambda: optim.SGD(lr=0.1, momentum=-0.5), ValueError, message("momentum", -0.5, "a finite number >= 0 (or an array of them)")),
    "betas": (lambda: optim.Adam(betas=(0.9, 1.0)), ValueError, message("betas", (0.9, 1.0), "two numbers in [0, 1)")),
    "betas kind": (lambda: optim.Adam(betas=0.9), WrongKind, message("betas", 0.9, "two numbers in [0, 1)")),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_refusal_names_the_argument(name):
    call, kind, text = CASES[name]
    if text is None:
        with pytest.raises(kind) as info:
            call()
        assert isinstance(info.value, TypeError) == (kind is WrongKind)
        return
    refuses(call, kind, text)


def test_group_refuses_non_optimizers_by_name():
    class HalfOptimizer:
        def init(self, p):
            return None

    for bad in (NoGrad(), HalfOptimizer()):
        with pytest.raises(WrongKind, match=re.escape(message("parts", bad, "optimizers (with init and step)"))):
            optim.Group([bad])
    with pytest.raises(ValueError, match=re.escape("params must have 2 rows (one per optimizer row), "
                                                   "got params.shape=(3, 2)")):
        optim.Group([optim.SGD(lr=0.1), optim.SGD(lr=0.1)]).init(np.zeros((3, 2)))


def test_group_initialises_each_part_on_its_own_rows():
    group = optim.Group([optim.Adam(), (optim.Adam(amsgrad=True), 2)])
    state = group.init(np.zeros((3, 4)))
    assert state[0].m.shape == (1, 4) and state[1].m.shape == (2, 4) and state[1].v_max.shape == (2, 4)


def test_noisy_gradient_refuses_a_surface_without_grad():
    bad = NoGrad()
    refuses(lambda: NoisyGradient(bad, 0.1), WrongKind, message("surface", bad, "a surface with loss and grad"))
    assert NoisyGradient(surfaces.SURFACES["bowl"], 0.1).runs == 1


def test_bias_correction_refusal_and_f_shape():
    opt = optim.Adam()
    refuses(lambda: opt.bias_corrected(opt.init(np.zeros(1))), ValueError,
            "bias correction needs at least one step, got state.step=0")
    refuses(lambda: gradcheck.central_difference(lambda x: np.zeros(2), np.array([1.0])), ValueError,
            "f must return a scalar, got f(x) of shape (2,)")


def test_var_pow_at_zero_for_exponents_at_least_one():
    x = autodiff.Var(0.0)
    y = x ** 1.5
    y.backward()
    assert (y.value, x.grad) == (0.0, 0.0)
    assert autodiff.Var(2.0) ** np.float64(2.0) is not None


def test_graph_indents_children_of_a_last_child_with_spaces():
    x, y = autodiff.Var(2.0, name="x"), autodiff.Var(3.0, name="y")
    f = x + x * y
    assert f.graph(digits=0).splitlines() == [
        "+  value=8  grad=0",
        "├─ x  value=2  grad=0",
        "└─ *  value=6  grad=0",
        "   ├─ x  value=2  grad=0",
        "   └─ y  value=3  grad=0",
    ]


def test_predictions_are_ints_and_accuracy_is_per_run():
    theta = np.zeros((2, nn.param_count(2, 3)))
    X = np.array([[1.0, 2.0], [-1.0, 0.5]])
    assert nn.predict(theta[0], X).dtype.kind == "i"
    acc = nn.accuracy(theta, X, np.array([1, 1]))      # logits exactly 0 count as class 1
    assert acc.shape == (2,)
    np.testing.assert_array_equal(acc, [1.0, 1.0])
    theta[1, -1] = -1.0                                  # run 1: b2 = -1, every logit -1, class 0
    np.testing.assert_array_equal(nn.accuracy(theta, X, np.array([1, 1])), [1.0, 0.0])


def test_schedule_names_and_params():
    assert schedules.constant(0.5).name == "constant"
    s = schedules.step_decay(1.0, 2, 0.5)
    assert (s.name, s.params) == ("step_decay", {"lr": 1.0, "step_size": 2, "gamma": 0.5})
    assert s(1) == 1.0 and s(2) == 0.5                 # step_size 2 (1 would give 0.5 at t = 1)
    e = schedules.exponential(1.0, 0.5)
    assert (e.name, e.params) == ("exponential", {"lr": 1.0, "gamma": 0.5})
    c = schedules.constant(0.5)
    assert c.params == {"lr": 0.5}


# ------------------------------------------------------------- normalised hyperparameters and fields

def test_optimizers_store_their_hyperparameters_normalised():
    opt = optim.Adam(lr=1, betas=[0.5, 0.25], eps=0, weight_decay=[0.1, 0.2], amsgrad=np.True_)
    assert type(opt.lr) is float and opt.lr == 1.0
    assert opt.betas == (0.5, 0.25) and type(opt.betas) is tuple
    assert type(opt.eps) is float
    assert isinstance(opt.weight_decay, np.ndarray) and opt.weight_decay.tolist() == [0.1, 0.2]
    assert opt.amsgrad is True
    sgd = optim.SGD(lr=1, momentum=1, dampening=0, weight_decay=1, nesterov=np.False_)
    assert [type(v) for v in (sgd.lr, sgd.momentum, sgd.dampening, sgd.weight_decay)] == [float] * 4
    assert sgd.nesterov is False
    refuses(lambda: optim.Adam(betas=("a", 0.5)), WrongKind, message("betas", ("a", 0.5), "two numbers in [0, 1)"))
    refuses(lambda: optim.Adam(betas=(0.5,)), ValueError, message("betas", (0.5,), "two numbers in [0, 1)"))
    refuses(lambda: optim.Adam(amsgrad=1), WrongKind, message("amsgrad", 1, "True or False"))
    refuses(lambda: optim.Adam(eps=-1.0), ValueError, message("eps", -1.0, "a finite number >= 0"))
    refuses(lambda: optim.Adam(weight_decay=-1.0), ValueError,
            message("weight_decay", -1.0, "a finite number >= 0 (or an array of them)"))
    refuses(lambda: optim.Adam(lr="fast"), WrongKind, message("lr", "fast", "a finite number >= 0 (or an array of them)"))


def test_surface_fields_are_normalised_and_refusals_name_them():
    def f(p):
        """doc"""
        return p[..., 0]

    s = surfaces.Surface("s", "t", f, f, [[0, 1], [2, 3]], [0.0, 0.0, 1.0, 1.0], [1, 2], max_curvature=3,
                         hessian=f)
    assert s.bounds == ((0.0, 1.0), (2.0, 3.0))
    assert s.minima.shape == (2, 2) and not s.minima.flags.writeable
    assert s.default_start.dtype == float and not s.default_start.flags.writeable
    assert type(s.max_curvature) is float
    assert s.loss.__name__ == "f" and s.loss.__doc__ == "doc" and repr(s.grad) == "<surface function f>"
    assert repr(s.hessian) == "<surface function f>"
    assert repr(surfaces.Surface("s", "t", lambda p: p, lambda p: p, ((0, 1), (2, 3)), [], [1, 2]).loss) \
        == "<surface function <lambda>>"

    class Unnamed:
        def __call__(self, p):
            return p

    assert repr(surfaces.Surface("s", "t", Unnamed(), f, ((0, 1), (2, 3)), [], [1, 2]).loss) == "<surface function f>"
    rule = "((xmin, xmax), (ymin, ymax)), finite, with xmin < xmax and ymin < ymax"
    ok = dict(name="s", title="t", loss=f, grad=f, bounds=((0, 1), (2, 3)), minima=[], default_start=[1.0, 2.0])
    for field, bad, kind, rule_ in [
        ("bounds", 3, WrongKind, rule), ("bounds", ((0, 1),), ValueError, rule), 
        ("bounds", "ab", ValueError, rule),
        ("minima", [0.0, 1.0, 2.0], ValueError, "a finite array of points, shape (k, 2)"),
        ("minima", [np.nan, 0.0], ValueError, "a finite array of points, shape (k, 2)"),
        ("default_start", [1.0], ValueError, "a finite point of shape (2,)"),
        ("max_curvature", -1.0, ValueError, "a finite number > 0"),
        ("loss", 3, WrongKind, "a callable of points"), ("grad", 3, WrongKind, "a callable of points"),
        ("hessian", 3, WrongKind, "a callable of points"),
    ]:
        refuses(lambda: surfaces.Surface(**{**ok, field: bad}), kind, message(field, bad, rule_))
    refuses(lambda: surfaces.Surface(**{**ok, "bounds": ((1, 0), (2, 3))}), ValueError, message("bounds", (1, 0), rule))
    # the wrapped functions never warn on overflow
    with np.errstate(over="raise", invalid="raise"):
        assert surfaces.SURFACES["rosenbrock"].loss(np.array([1e200, 0.0])) == np.inf


def test_network_refusals_name_their_argument():
    refuses(lambda: nn.unpack(np.zeros(9), 3), WrongKind, message("sizes", 3, "(n_in, n_hidden, n_out)"))
    refuses(lambda: nn.unpack(np.zeros(9), (1, 2)), ValueError, message("sizes", (1, 2), "(n_in, n_hidden, n_out)"))
    refuses(lambda: nn.unpack(np.zeros(9), "abc"), ValueError, message("sizes", "abc", "(n_in, n_hidden, n_out)"))
    refuses(lambda: nn.unpack("theta", (1, 1, 1)), WrongKind, ("theta", "theta"))
    refuses(lambda: nn.forward("theta", np.zeros((1, 1))), WrongKind, ("theta", "theta"))
    refuses(lambda: nn.forward(np.zeros(4), "X"), WrongKind, ("X", "X"))
    for name in ("W1", "b1", "W2", "b2"):
        parts = dict(W1=np.zeros((1, 1)), b1=np.zeros(1), W2=np.zeros((1, 1)), b2=np.zeros(1))
        parts[name] = "bad"
        refuses(lambda: nn.pack(**parts), WrongKind, (name, "bad"))
    refuses(lambda: nn.init_params(0), WrongKind, message("rng", 0, "a numpy Generator (np.random.default_rng(seed))"))
    refuses(lambda: nn.init_params(np.random.default_rng(0), runs=0), ValueError,
            message("runs", 0, "None or an integer >= 1"))
    assert nn.init_params(np.random.default_rng(0), runs=1, n_in=2, n_hidden=3).shape == (1, 13)
    assert nn.init_params(np.random.default_rng(0), n_in=2, n_hidden=3, n_out=2).shape == (2 * 3 + 3 + 6 + 2,)
    # pack checks every shape against b1 and b2
    good = dict(W1=np.zeros((2, 3)), b1=np.zeros(3), W2=np.zeros((3, 1)), b2=np.zeros(1))
    assert nn.pack(**good).shape == (13,)
    for name, bad in [("W1", np.zeros((2, 4))), ("W1", np.zeros(3)), ("W2", np.zeros((4, 1))),
                      ("b2", np.zeros((2, 1))), ("b1", np.zeros(())), ("b2", np.zeros(()))]:
        with pytest.raises(ValueError, match="must have"):
            nn.pack(**{**good, name: bad})
    with pytest.raises(ValueError, match="X must hold at least one example"):
        nn.forward(np.zeros(4), np.zeros((0, 1)))
    with pytest.raises(ValueError, match="X must hold at least one example"):
        nn.forward(np.zeros(4), np.zeros((2, 0)))
    with pytest.raises(ValueError, match=r"X must have shape \(N, n_in\), or \(K, N, n_in\) with theta \(K, P\)"):
        nn.forward(np.zeros((2, 4)), np.zeros((3, 1, 1)))
    with pytest.raises(ValueError, match=r"X must have shape"):
        nn.forward(np.zeros(4), np.zeros((2, 1, 1)))
    assert nn.forward(np.zeros((2, 4)), np.zeros((2, 5, 1))).shape == (2, 5)


def test_minibatches_refusals_and_given_indices():
    from helpers.problems import MiniBatches

    def loss(p, x, y):
        return 0.0

    x, y = np.arange(4.0), np.arange(4.0)
    refuses(lambda: MiniBatches(3, loss, x, y, 2, 2, rng=0), WrongKind, message("loss", 3, "a function"))
    refuses(lambda: MiniBatches(loss, 3, x, y, 2, 2, rng=0), WrongKind, message("grad", 3, "a function"))
    with pytest.raises(ValueError, match="^x must be"):
        MiniBatches(loss, loss, [np.nan], y, 2, 2, rng=0)
    with pytest.raises(ValueError, match="^y must be"):
        MiniBatches(loss, loss, x, [np.nan], 2, 2, rng=0)
    idx = np.array([[0, 3], [1, 2]])
    for kw, name, value, rule in [(dict(batch_size=0), "batch_size", 0, "an integer >= 1"),
                                  (dict(steps=0), "steps", 0, "an integer >= 1"),
                                  (dict(runs=0), "runs", 0, "an integer >= 1")]:
        args = {**dict(batch_size=2, steps=2, indices=idx), **kw}
        refuses(lambda: MiniBatches(loss, loss, x, y, **args), ValueError, message(name, value, rule))
    prob = MiniBatches(loss, loss, x, y, 2, 2, indices=idx.tolist())
    assert prob.indices.shape == (2, 2) and prob.batch_size == 2 and prob.steps == 2
    three = MiniBatches(loss, loss, x, y, 2, 1, runs=3, indices=np.zeros((1, 3, 2), dtype=int))
    assert three.runs == 3 and three.tile([1.0]).shape == (3, 1)
    for bad in (np.array([[0, 4], [1, 2]]), np.array([[-1, 0], [1, 2]]), np.array([[0.0, 1.0], [1.0, 2.0]]),
                np.zeros((2, 3), dtype=int)):
        with pytest.raises(ValueError, match=r"indices must be integers in 0\.\.3 of shape \(2, 2\), got indices.shape="):
            MiniBatches(loss, loss, x, y, 2, 2, indices=bad)
    with pytest.raises(ValueError, match=r"of shape \(2, 3, 2\)"):
        MiniBatches(loss, loss, x, y, 2, 2, runs=3, indices=idx)
    assert np.all(MiniBatches(loss, loss, x, y, 2, 2, indices=np.array([[0, 3], [3, 0]])).indices < 4)
    assert MiniBatches(loss, loss, x, y, 2, 3, rng=7).indices.tolist() == data.minibatch_indices(4, 2, 3, 7).tolist()
    with pytest.raises(ValueError, match="x and y must hold the same number of examples"):
        MiniBatches(loss, loss, np.zeros((4, 2)), np.zeros(3), 2, 2, rng=0)
    assert MiniBatches(loss, loss, np.zeros((4, 2)), np.zeros((4, 2)), 2, 2, rng=0).x.shape == (4, 2)


def test_schedule_call_refusals():
    s = schedules.constant(1.0)
    refuses(lambda: s("2"), WrongKind, message("t", "2", "a step count >= 0"))
    refuses(lambda: s(None), WrongKind, message("t", None, "a step count >= 0"))
    with pytest.raises(ValueError, match="t must be a step count >= 0"):
        s(np.array([1.0, np.inf]))
    assert s(np.array([1.0, 2.0])).tolist() == [1.0, 1.0]
    assert s(np.uint8(3)) == 1.0
    out = schedules.exponential(1.0, 0.5)(np.array(2))
    assert np.ndim(out) == 0 and out == 0.25
    assert schedules.step_decay(1.0, 2, 0.5)(np.array([3])).tolist() == [0.5]
