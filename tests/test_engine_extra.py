"""More of the engine's documented behaviour, each test aimed at a mutant that survived the others
(make mutants): default arguments, the record of a run that is dead at its start, states and
held-out losses of batched runs, warnings kept inside the engine, exact refusals."""

import numpy as np
import pytest

from helpers import data, gradcheck, nn, schedules
from helpers.descent import run
from helpers.optim import SGD, Adam, Group


class Flat:
    """A constant loss with zero gradient: the run never moves."""

    def __init__(self, value):
        self.value = value

    def loss(self, x):
        return np.full(np.shape(x)[:-1], self.value)

    def grad(self, x):
        return np.zeros(np.shape(x))

    def val_loss(self, x):
        return self.loss(x)


def test_default_max_loss_is_1e12():
    assert run(Flat(1e12), SGD(lr=0.1), [0.0], 1).diverged_at is None
    assert run(Flat(1e12 + 0.5), SGD(lr=0.1), [0.0], 1).diverged_at == 0


def test_a_run_dead_at_its_start_records_nothing():
    tr = run(Flat(np.inf), SGD(lr=0.1), [0.0, 1.0], 3, held_out=True)
    assert tr.diverged_at == 0 and tr.xs.shape == (0, 2) and tr.losses.shape == (0,)
    assert tr.held_out.shape == (0,) and tr.examples_seen is None and tr.state is None
    assert run(Flat(np.inf), SGD(lr=0.1), [0.0], 3).held_out is None


def test_the_trace_keeps_the_optimizer_state():
    tr = run(Flat(1.0), Adam(), [0.0, 1.0, 2.0], 0)
    assert tr.state.m.shape == (3,)
    batch = run(Flat(1.0), Group([SGD(lr=0.1), Adam()]), np.zeros((2, 3)), 2)
    assert batch.state[0].step == 2 and batch.state[1].m.shape == (1, 3)
    assert batch.held_out is None
    assert run(Flat(1.0), SGD(lr=0.1), np.zeros((2, 3)), 2, held_out=True).held_out.shape == (3, 2)


def test_refusals_repeat_what_they_got():
    bad = object()
    with pytest.raises(TypeError, match=f"optimizer must be an optimizer with init and step methods, got optimizer={bad!r}"):
        run(Flat(1.0), bad, [0.0], 1)
    with pytest.raises(ValueError, match=r"^x0 must be a finite point of shape \(d,\) or a batch of points of shape "
                                         r"\(K, d\), got x0="):
        run(Flat(1.0), SGD(lr=0.1), [[[0.0]]], 1)
    with pytest.raises(ValueError, match=r"^parts must hold at least one optimizer, got parts=\[\]$"):
        Group([])
    with pytest.raises(ValueError, match=r"^rng must be a numpy Generator, a non-negative int seed or None, got rng=-1$"):
        data.as_generator(-1)
    with pytest.raises(ValueError, match=r"^total_steps must be an integer >= 1, got total_steps=0$"):
        schedules.warmup_cosine(1.0, 0, 0)
    for call, text in [(lambda: data.linear_regression(n=0), "n must be"),
                       (lambda: data.linear_regression(slope=np.nan), "slope must be"),
                       (lambda: data.linear_regression(intercept=np.inf), "intercept must be"),
                       (lambda: data.linear_regression(noise=-1.0), "noise must be"),
                       (lambda: data.linear_regression(x_range=(1.0, 0.0)), "x_range must be"),
                       (lambda: data.minibatches(0, 1), "n must be"),
                       (lambda: data.minibatches(3, 0), "batch_size must be"),
                       (lambda: data.minibatch_indices(4, 2, 0), "steps must be"),
                       (lambda: data.minibatch_indices(4, 2, 1, runs=0), "runs must be"),
                       (lambda: nn.param_count(0, 1), "n_in must be"),
                       (lambda: nn.param_count(1, 0), "n_hidden must be"),
                       (lambda: nn.param_count(1, 1, 0), "n_out must be"),
                       (lambda: nn.loss(np.zeros(4), np.zeros((2, 1)), "ab"), "y must be"),
                       (lambda: nn.loss(np.zeros(4), np.zeros((2, 1)), np.zeros(3)), "y must hold 0/1 labels"),
                       (lambda: nn.forward(np.zeros((2, 4)), np.zeros((2, 5, 0))), "X must hold at least one example"),
                       (lambda: nn.unpack(None, (1, 1, 1)), "theta must be an array, got theta=None")]:
        with pytest.raises(ValueError, match="^" + text):
            call()


def test_engine_arithmetic_never_warns():
    with np.errstate(all="raise"):
        opt = Adam(lr=0.1)
        p, st = opt.step(np.array([1e200]), np.array([1e200]), opt.init(np.zeros(1)))   # g^2 overflows
        assert st.step == 1
        s = schedules.warmup_cosine(1e308, 1, 3)      # the warmup ramp overflows past warmup; unused there
        assert s(2) == pytest.approx(0.5e308)
    with pytest.raises(ValueError, match=r"^the learning rate must stay finite, but cosine\(lr_max=1\.7e\+308, "
                                         r"total_steps=10, lr_min=0\.0\) overflows for t=0: take a smaller lr$"):
        schedules.cosine(1.7e308, 10)(0)


def test_schedule_edges():
    assert type(schedules.constant(0.3)(0)) in (float, np.float64)
    assert np.ndim(schedules.constant(0.3)(0)) == 0
    c = schedules.cosine(1.0, 1)
    assert (c(0), c(1)) == (1.0, 0.0)
    w = schedules.warmup_cosine(1.0, 0, 1)
    assert (w(0), w(1)) == (1.0, 0.0)


def test_gradcheck_edges():
    empty = gradcheck.central_difference(lambda x: 0.0, np.zeros(0))
    assert empty.shape == (0,)
    f = lambda x: float(np.sum(x ** 2))
    _, err = gradcheck.check_gradient(f, lambda x: 2.2 * x, np.array([1.0, 2.0]))
    assert gradcheck.check_gradient(f, lambda x: 2.2 * x, np.array([1.0, 2.0]), tol=err) == (True, err)


def test_data_defaults_and_draw_order():
    x, y = data.linear_regression()
    assert x.shape == (200,)
    gen = np.random.default_rng(0)
    xx = gen.uniform(-1.0, 3.0, size=200)
    np.testing.assert_array_equal(x, xx)
    np.testing.assert_allclose(y, 2.0 * xx + 1.0 + 0.5 * gen.standard_normal(200), rtol=1e-15)
    X, labels = data.two_moons()
    assert X.shape == (200, 2) and labels.sum() == 100
    gen = np.random.default_rng(0)
    t = np.linspace(0.0, np.pi, 100)
    clean = np.vstack([np.column_stack([np.cos(t), np.sin(t)]), np.column_stack([1 - np.cos(t), 0.5 - np.sin(t)])])
    noisy = clean + 0.1 * gen.standard_normal((200, 2))
    order = gen.permutation(200)
    np.testing.assert_allclose(X, noisy[order], rtol=1e-15)


def test_minibatch_index_streams():
    idx = data.minibatch_indices(10, 3, steps=7, rng=1)
    assert idx.max() < 10 and idx.min() >= 0
    np.testing.assert_array_equal(idx, data.minibatch_indices(10, 3, steps=7, rng=1, runs=1)[:, 0])
    np.testing.assert_array_equal(idx, data.minibatch_indices(10, 3, steps=7, rng=np.random.default_rng(1)))
    assert not np.array_equal(idx, data.minibatch_indices(10, 3, steps=7, rng=2))


def test_unpack_reads_n_out():
    sizes = (2, 3, 2)
    theta = np.arange(nn.param_count(*sizes), dtype=float)
    W1, b1, W2, b2 = nn.unpack(theta, sizes)
    assert W2.shape == (3, 2) and b2.tolist() == [theta[-2], theta[-1]]


def test_tile_gives_floats():
    from helpers.problems import MiniBatches
    prob = MiniBatches(lambda p, x, y: 0.0, lambda p, x, y: 0.0, np.arange(4.0), np.arange(4.0), 2, 2, rng=0, runs=2)
    assert prob.tile([1, 2]).dtype == float and prob.tile([1, 2]).shape == (2, 2)
