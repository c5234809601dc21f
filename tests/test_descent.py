"""helpers.descent.run on tiny surface-like objects defined here (no helpers.surfaces)."""

import warnings
from dataclasses import dataclass

import numpy as np
import pytest

from helpers import descent
from helpers.descent import Trace, run
from helpers.optim import SGD, Adam


@dataclass(frozen=True)
class Quadratic:
    """f(x, y) = (a x^2 + b y^2) / 2: largest curvature L = max(a, b)."""

    a: float = 1.0
    b: float = 10.0

    def loss(self, p):
        p = np.asarray(p, dtype=float)
        return 0.5 * (self.a * p[..., 0] ** 2 + self.b * p[..., 1] ** 2)

    def grad(self, p):
        p = np.asarray(p, dtype=float)
        return np.stack([self.a * p[..., 0], self.b * p[..., 1]], axis=-1)


class Quartic:
    """f = x^4 + y^4: its gradient overflows quickly once a run blows up."""

    def loss(self, p):
        return np.sum(np.asarray(p) ** 4, axis=-1)

    def grad(self, p):
        return 4 * np.asarray(p) ** 3


@pytest.fixture(autouse=True)
def warnings_are_errors():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        yield


def test_single_run_shapes_and_first_step():
    surf = Quadratic()
    trace = run(surf, SGD(lr=0.05), np.array([1.0, 1.0]), steps=200)
    assert isinstance(trace, Trace) and not trace.batched
    assert trace.xs.shape == (201, 2) and trace.losses.shape == (201,)
    assert trace.diverged_at is None
    np.testing.assert_allclose(trace.xs[0], [1.0, 1.0])
    np.testing.assert_allclose(trace.xs[1], [1 - 0.05, 1 - 0.5])   # x - lr * grad
    np.testing.assert_allclose(trace.losses, surf.loss(trace.xs))
    assert trace.losses[-1] < 1e-3 * trace.losses[0]


def test_zero_steps_keeps_the_start():
    trace = run(Quadratic(), Adam(), [0.5, -0.5], steps=0)
    assert trace.xs.shape == (1, 2) and trace.diverged_at is None


def test_x0_is_not_modified():
    x0 = np.array([1.0, 2.0])
    run(Quadratic(), SGD(lr=0.1, momentum=0.9), x0, steps=5)
    np.testing.assert_array_equal(x0, [1.0, 2.0])


@pytest.mark.parametrize("factor, diverges", [(0.99, False), (1.01, True)])
def test_learning_rate_limit_two_over_L(factor, diverges):
    surf = Quadratic(a=1.0, b=10.0)        # L = 10, limit lr < 2/L = 0.2
    trace = run(surf, SGD(lr=factor * 2 / 10), np.array([1.0, 1.0]), steps=3000)
    assert (trace.diverged_at is not None) == diverges
    if diverges:
        assert len(trace.xs) == trace.diverged_at          # x_0 .. x_{s-1}
        assert np.all(np.isfinite(trace.xs)) and np.all(trace.losses <= 1e12)
        assert trace.losses[-1] > 1e11                     # it grew until the cut
    else:
        assert trace.losses[-1] < 1e-6


def test_divergence_with_overflow_ends_cleanly_without_warnings():
    # the loss overflows to inf within a few steps: no RuntimeWarning may escape
    trace = run(Quartic(), SGD(lr=1.0), np.array([3.0, -2.0]), steps=100)
    assert trace.diverged_at is not None and trace.diverged_at < 10
    assert np.all(np.isfinite(trace.xs)) and np.all(np.isfinite(trace.losses))
    trace = run(Quartic(), Adam(lr=1e300), np.array([3.0, -2.0]), steps=10)
    assert trace.diverged_at == 1


def test_max_loss_sets_the_cut():
    trace = run(Quadratic(), SGD(lr=0.25), np.array([1.0, 1.0]), steps=100, max_loss=100.0)
    assert trace.diverged_at is not None
    assert trace.losses.max() <= 100.0 < Quadratic().loss(
        SGD(lr=0.25).step(trace.xs[-1], Quadratic().grad(trace.xs[-1]),
                          SGD(lr=0.25).init(None))[0])


@pytest.mark.parametrize("x0", [[np.nan, 0.0], [0.0, np.inf], [[0.0, 1.0], [np.nan, 1.0]],
                                [], 1.0])
def test_bad_x0_raises(x0):
    with pytest.raises(ValueError, match="x0="):
        run(Quadratic(), SGD(lr=0.1), x0, steps=5)


@pytest.mark.parametrize("steps", [-1, 2.5, True])
def test_bad_steps_raise(steps):
    with pytest.raises(ValueError, match="steps="):
        run(Quadratic(), SGD(lr=0.1), [1.0, 1.0], steps=steps)


def test_batch_of_starts_matches_single_runs():
    starts = np.array([[1.0, 1.0], [-2.0, 0.5], [0.3, -1.0]])
    opt = Adam(lr=0.1)
    trace = run(Quadratic(), opt, starts, steps=30)
    assert trace.batched
    assert trace.xs.shape == (31, 3, 2) and trace.losses.shape == (31, 3)
    assert trace.diverged_at == (None, None, None)
    for k, x0 in enumerate(starts):
        one = run(Quadratic(), opt, x0, steps=30)
        np.testing.assert_allclose(trace.single(k).xs, one.xs, rtol=1e-14)
        np.testing.assert_allclose(trace.single(k).losses, one.losses, rtol=1e-14)


def test_learning_rate_sweep_diverges_per_run_with_nan_after():
    lrs = np.array([0.05, 0.19, 0.21, 0.5])[:, None]    # limit 2/L = 0.2
    starts = np.tile([1.0, 1.0], (4, 1))
    trace = run(Quadratic(), SGD(lr=lrs), starts, steps=2000)
    assert trace.diverged_at[:2] == (None, None)
    s_slow, s_fast = trace.diverged_at[2:]
    assert s_slow is not None and s_fast is not None and s_fast < s_slow
    for k, s in [(2, s_slow), (3, s_fast)]:
        assert np.all(np.isfinite(trace.xs[:s, k])) and np.all(np.isnan(trace.xs[s:, k]))
        assert np.all(np.isnan(trace.losses[s:, k]))
        one = trace.single(k)
        assert one.diverged_at == s and one.xs.shape == (s, 2)
        single_run = run(Quadratic(), SGD(lr=float(lrs[k, 0])), starts[k], steps=2000)
        assert single_run.diverged_at == s
        np.testing.assert_allclose(one.xs, single_run.xs, rtol=1e-12)
    assert np.all(np.isfinite(trace.losses[:, :2]))
    assert trace.single(0).xs.shape == (2001, 2)


def test_single_on_a_single_trace_and_bad_k():
    trace = run(Quadratic(), SGD(lr=0.1), [1.0, 1.0], steps=3)
    assert trace.single(0) is trace
    with pytest.raises(ValueError, match="k=1"):
        trace.single(1)
    batch = run(Quadratic(), SGD(lr=0.1), [[1.0, 1.0]], steps=3)
    with pytest.raises(ValueError, match="k=5"):
        batch.single(5)


def test_start_above_max_loss_counts_as_diverged_at_zero():
    trace = run(Quadratic(), SGD(lr=0.1), [1e7, 0.0], steps=5)
    assert trace.diverged_at == 0 and trace.xs.shape == (0, 2)
    batch = run(Quadratic(), SGD(lr=0.1), [[1e7, 0.0], [1.0, 0.0]], steps=5)
    assert batch.diverged_at == (0, None)
    assert np.all(np.isnan(batch.xs[:, 0]))


def test_works_in_more_than_two_dimensions():
    class Bowl3:
        def loss(self, p):
            return 0.5 * np.sum(np.asarray(p) ** 2, axis=-1)

        def grad(self, p):
            return np.asarray(p, dtype=float)

    trace = run(Bowl3(), SGD(lr=0.5), np.ones(3), steps=4)
    np.testing.assert_allclose(trace.xs[-1], np.full(3, 0.5**4))


# ------------------------------------------------------------- the one loop's other sources

def test_keep_path_false_keeps_start_last_position_and_every_loss():
    from helpers.surfaces import SURFACES
    bowl = SURFACES["bowl"]
    full = descent.run(bowl, SGD(0.05), [1.0, 1.0], 50)
    short = descent.run(bowl, SGD(0.05), [1.0, 1.0], 50, keep_path=False)
    assert short.xs.shape == (2, 2)
    np.testing.assert_array_equal(short.xs, full.xs[[0, -1]])
    np.testing.assert_array_equal(short.losses, full.losses)
    batch = descent.run(bowl, SGD(np.array([[0.05], [0.5]])), np.ones((2, 2)), 50, keep_path=False)
    assert batch.xs.shape == (2, 2, 2) and np.isnan(batch.final[1]).all() and np.isfinite(batch.final[0]).all()


def test_a_run_too_large_to_record_is_refused_before_it_starts():
    from helpers.surfaces import SURFACES
    with pytest.raises(ValueError, match="GiB"):
        descent.run(SURFACES["bowl"], SGD(0.1), [1.0, 1.0], 10**9)
    with pytest.raises(ValueError, match="fewer steps"):
        descent.run(SURFACES["bowl"], SGD(0.1), np.ones((1000, 2)), 10**6, keep_path=False)


class _Counting:
    """A problem that says which step each gradient was asked for, with a held-out loss."""

    batch_size = 3

    def __init__(self):
        self.asked = []

    def loss(self, x):
        return np.sum(x * x, axis=-1)

    def val_loss(self, x):
        return 2.0 * np.sum(x * x, axis=-1)

    def grad_at(self, x, step):
        self.asked.append(step)
        return 2.0 * x


def test_grad_at_is_asked_for_steps_0_to_n_minus_1_and_the_trace_records_what_it_should():
    problem = _Counting()
    trace = descent.run(problem, SGD(0.1), [1.0, 2.0], 4, held_out=True)
    assert problem.asked == [0, 1, 2, 3]
    np.testing.assert_array_equal(trace.examples_seen, [0, 3, 6, 9, 12])
    np.testing.assert_allclose(trace.held_out, 2.0 * trace.losses)
    assert trace.state.step == 4


def test_held_out_needs_a_val_loss():
    from helpers.surfaces import SURFACES
    with pytest.raises(ValueError, match="val_loss"):
        descent.run(SURFACES["bowl"], SGD(0.1), [1.0, 1.0], 3, held_out=True)


def test_group_steps_each_row_with_its_own_optimizer_exactly_as_alone():
    from helpers.optim import Adam, Group
    from helpers.surfaces import SURFACES
    rosen = SURFACES["rosenbrock"]
    opts = [SGD(1e-3), SGD(5e-4, momentum=0.9), Adam(0.05)]
    together = descent.run(rosen, Group(opts), np.tile(rosen.default_start, (3, 1)), 200)
    for i, opt in enumerate(opts):
        alone = descent.run(rosen, opt, rosen.default_start, 200)
        np.testing.assert_array_equal(together.single(i).xs, alone.xs)
    with pytest.raises(ValueError, match="rows"):
        Group(opts).init(np.zeros((2, 2)))


class Line:
    """loss = x: with SGD(1.0) every run walks right and its loss grows by 1 per step."""

    def loss(self, x):
        return x[..., 0]

    def grad(self, x):
        return np.broadcast_to([-1.0, 0.0], x.shape).copy()


def test_keep_path_false_single_run_of_a_batch_keeps_its_last_finite_position():
    # found by mutation testing: a diverged run of a batch lost its last position without the path
    batch = descent.run(Line(), SGD(1.0), np.array([[0.0, 0.0], [2.0, 0.0]]), 2, max_loss=3.0, keep_path=False)
    alone = descent.run(Line(), SGD(1.0), np.array([2.0, 0.0]), 2, max_loss=3.0, keep_path=False)
    assert batch.diverged_at == (None, 2) and alone.diverged_at == 2
    np.testing.assert_array_equal(batch.single(1).xs[-1], alone.xs[-1])     # [3, 0]
    assert np.isnan(batch.final[1]).all() and batch.final[0].tolist() == [2.0, 0.0]


def test_keep_path_false_leaves_a_run_dead_at_its_start_without_a_position():
    # found by mutation testing: a mutant that, with keep_path=False, gave a run already past max_loss
    # at its start that start as its "last position" (instead of NaN, as the full path has) survived
    start = np.array([[0.0, 0.0], [5.0, 0.0]])   # the second run starts above max_loss
    full = descent.run(Line(), SGD(1.0), start, 2, max_loss=3.0)
    short = descent.run(Line(), SGD(1.0), start, 2, max_loss=3.0, keep_path=False)
    assert short.diverged_at == full.diverged_at == (None, 0)
    np.testing.assert_array_equal(short.xs, full.xs[[0, -1]])   # NaN where the full path has NaN
    assert np.isnan(short.xs[:, 1]).all() and short.xs[1, 0].tolist() == [2.0, 0.0]
