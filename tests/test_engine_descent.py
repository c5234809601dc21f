"""helpers.descent.run against its documented loop, written out by hand, and its refusals against
the package's documented message form ``{name} must be {rule}, got {name}={value!r}`` (WrongKind
for a value of the wrong kind). Written against surviving mutants (make mutants)."""

import re

import numpy as np
import pytest

from helpers import descent
from helpers.descent import Trace, run
from helpers.optim import SGD, Group
from helpers.surfaces import quadratic
from helpers.validation import WrongKind


class Line:
    """f(x) = sum(x^2) / 2 with grad x: plain SGD multiplies x by (1 - lr) each step."""

    def loss(self, x):
        return 0.5 * np.sum(np.square(x), axis=-1)

    def grad(self, x):
        return np.array(x, dtype=float)


class Blowup(Line):
    """The loss is the step count passed (via x[0]): it passes max_loss on a known step."""

    def loss(self, x):
        return np.asarray(x)[..., 0]

    def grad(self, x):
        g = np.zeros(np.shape(x))
        g[..., 0] = -1.0   # SGD(lr=1) adds 1 to x[0] per step
        return g


class Stepped(Line):
    batch_size = 5

    def __init__(self):
        self.steps = []

    def grad_at(self, x, step):
        self.steps.append(step)
        return self.grad(x)

    def val_loss(self, x):
        return 2.0 * self.loss(x)


def test_one_run_is_the_documented_loop():
    tr = run(Line(), SGD(lr=0.25), [4.0, -8.0], steps=3)
    want = np.array([[4.0, -8.0]]) * (0.75 ** np.arange(4))[:, None]
    np.testing.assert_allclose(tr.xs, want)
    np.testing.assert_allclose(tr.losses, 0.5 * (want ** 2).sum(axis=1))
    assert tr.diverged_at is None and not tr.batched
    np.testing.assert_allclose(tr.final, want[-1])
    assert tr.final_loss == pytest.approx(0.5 * (want[-1] ** 2).sum())
    assert tr.state.step == 3 and tr.examples_seen is None and tr.held_out is None
    assert tr.single(0) is tr


def test_zero_steps_records_the_start():
    tr = run(Line(), SGD(lr=0.25), [1.0, 1.0], steps=0)
    np.testing.assert_array_equal(tr.xs, [[1.0, 1.0]])
    np.testing.assert_array_equal(tr.losses, [1.0])


def test_grad_at_gets_the_update_index_and_extras_are_recorded():
    prob = Stepped()
    tr = run(prob, SGD(lr=0.5), [2.0], steps=3, held_out=True)
    assert prob.steps == [0, 1, 2]
    np.testing.assert_array_equal(tr.examples_seen, [0, 5, 10, 15])
    np.testing.assert_allclose(tr.held_out, 2 * tr.losses)
    np.testing.assert_allclose(tr.losses, 0.5 * (2.0 * 0.5 ** np.arange(4)) ** 2)
    prob = Stepped()
    tr = run(prob, SGD(lr=0.5), [[2.0], [4.0]], steps=2, held_out=True)
    assert prob.steps == [0, 1]
    np.testing.assert_allclose(tr.held_out, 2 * tr.losses)
    np.testing.assert_array_equal(tr.examples_seen, [0, 5, 10])
    one = tr.single(1)
    np.testing.assert_allclose(one.held_out, 2 * one.losses)
    np.testing.assert_array_equal(one.examples_seen, [0, 5, 10])
    np.testing.assert_allclose(one.xs[:, 0], [4.0, 2.0, 1.0])


def test_divergence_cuts_the_run_at_the_step_whose_loss_passes_max_loss():
    # x[0] = 0, 1, 2, ...: the loss equals max_loss = 3 at step 3 (kept), passes it at step 4
    tr = run(Blowup(), SGD(lr=1.0), [0.0, 0.0], steps=10, max_loss=3.0)
    assert tr.diverged_at == 4
    np.testing.assert_array_equal(tr.losses, [0.0, 1.0, 2.0, 3.0])
    assert tr.xs.shape == (4, 2)
    short = run(Blowup(), SGD(lr=1.0), [0.0, 0.0], steps=10, max_loss=3.0, keep_path=False)
    np.testing.assert_array_equal(short.xs, [[0.0, 0.0], [3.0, 0.0]])
    assert short.diverged_at == 4
    # a start that is already past max_loss: nothing recorded, diverged at 0
    dead = run(Blowup(), SGD(lr=1.0), [5.0, 0.0], steps=3, max_loss=3.0, held_out=False)
    assert dead.diverged_at == 0 and dead.xs.shape == (0, 2) and dead.losses.shape == (0,)


def test_batched_runs_diverge_each_on_their_own():
    x0 = np.array([[0.0, 0.0], [2.0, 0.0], [10.0, 0.0]])
    tr = run(Blowup(), SGD(lr=1.0), x0, steps=4, max_loss=3.0)
    assert tr.batched
    assert tr.diverged_at == (4, 2, 0)
    np.testing.assert_array_equal(tr.losses[:, 0], [0.0, 1.0, 2.0, 3.0, np.nan])
    np.testing.assert_array_equal(tr.losses[:, 1], [2.0, 3.0, np.nan, np.nan, np.nan])
    assert np.isnan(tr.losses[:, 2]).all()
    assert tr.xs.shape == (5, 3, 2)
    one = tr.single(1)
    assert one.diverged_at == 2
    np.testing.assert_array_equal(one.losses, [2.0, 3.0])
    np.testing.assert_array_equal(one.xs, [[2.0, 0.0], [3.0, 0.0]])
    np.testing.assert_array_equal(tr.single(-3).losses, [0.0, 1.0, 2.0, 3.0])
    short = run(Blowup(), SGD(lr=1.0), x0[:2], steps=1, max_loss=3.0, keep_path=False)
    np.testing.assert_array_equal(short.xs, [[[0.0, 0.0], [2.0, 0.0]], [[1.0, 0.0], [3.0, 0.0]]])
    with pytest.raises(ValueError, match="k must index one of the 3 runs, got k=3"):
        tr.single(3)
    with pytest.raises(ValueError, match="k must index one of the 3 runs, got k=-4"):
        tr.single(-4)
    with pytest.raises(ValueError, match="k must be 0 for a single-run trace, got k=1"):
        run(Line(), SGD(lr=0.1), [1.0], 1).single(1)


def test_batched_and_grouped_runs_match_single_runs():
    x0 = np.array([[3.0, 1.0], [-2.0, 4.0]])
    group = Group([SGD(lr=0.1), SGD(lr=0.3, momentum=0.5)])
    tr = run(quadratic(1.0, 3.0), group, x0, steps=5)
    for k, opt in enumerate([SGD(lr=0.1), SGD(lr=0.3, momentum=0.5)]):
        alone = run(quadratic(1.0, 3.0), opt, x0[k], steps=5)
        np.testing.assert_allclose(tr.xs[:, k], alone.xs, rtol=1e-14)
        np.testing.assert_allclose(tr.losses[:, k], alone.losses, rtol=1e-14)
    assert tr.diverged_at == (None, None)
    np.testing.assert_allclose(tr.final, tr.xs[-1])


def test_nonfinite_positions_diverge():
    class NaNAfter(Line):
        def loss(self, x):
            return np.zeros(np.shape(x)[:-1])

    # grad x, lr = -inf... use a gradient that turns inf
    class InfGrad(NaNAfter):
        def grad(self, x):
            return np.full(np.shape(x), np.inf)

    tr = run(InfGrad(), SGD(lr=1.0), [1.0], steps=3)
    assert tr.diverged_at == 1 and len(tr.losses) == 1


def _message(name, value, rule):
    return re.escape(f"{name} must be {rule}, got {name}={value!r}")


def test_refusals_name_the_argument():
    line, sgd = Line(), SGD(lr=0.1)
    with pytest.raises(WrongKind, match=_message("max_loss", "big", "a number")):
        run(line, sgd, [1.0], 1, max_loss="big")
    with pytest.raises(ValueError, match=_message("max_loss", float("nan"), "a number")) as info:
        run(line, sgd, [1.0], 1, max_loss=float("nan"))
    assert not isinstance(info.value, TypeError)
    assert run(line, sgd, [1.0], 1, max_loss=np.float64(5.0)).diverged_at is None
    with pytest.raises(WrongKind, match=_message("problem", object, "a problem with loss and grad (or grad_at) methods")):
        run(object, sgd, [1.0], 1)

    class OnlyGradAt:
        def loss(self, x):
            return 0.0

        grad_at = None

    with pytest.raises(WrongKind, match="problem must be a problem with loss and grad"):
        run(OnlyGradAt(), sgd, [1.0], 1)
    with pytest.raises(WrongKind, match=_message("optimizer", None, "an optimizer with init and step methods")):
        run(line, None, [1.0], 1)
    with pytest.raises(ValueError, match="held_out=True needs a problem with val_loss, got Line"):
        run(line, sgd, [1.0], 1, held_out=True)
    with pytest.raises(ValueError, match=_message("steps", -1, "an integer >= 0")):
        run(line, sgd, [1.0], -1)
    with pytest.raises(ValueError, match="x0 must be a finite point of shape"):
        run(line, sgd, [np.nan], 1)


def test_too_large_a_record_is_refused():
    steps = descent.MAX_RECORD_BYTES // 8 // 2   # two numbers per step for x (d = 1) plus one loss
    with pytest.raises(ValueError, match=r"would record .* GiB \(limit 1 GiB\): take fewer steps or runs, "
                                         r"or pass keep_path=False"):
        run(Line(), SGD(lr=0.1), [1.0], steps)
    with pytest.raises(ValueError, match=r"take fewer steps or runs$"):
        run(Line(), SGD(lr=0.1), [1.0], descent.MAX_RECORD_BYTES // 8, keep_path=False)
    # just under the limit with keep_path=False: (steps + 1) losses of 8 bytes, refused only above
    limit_steps = descent.MAX_RECORD_BYTES // 8 - 1
    with pytest.raises(ValueError, match="would record"):
        run(Line(), SGD(lr=0.1), [1.0], limit_steps + 1, keep_path=False)


def test_trace_defaults():
    tr = Trace(np.zeros((1, 2)), np.zeros(1), None)
    assert tr.examples_seen is None and tr.held_out is None and tr.state is None
