"""helpers.optim against its own documented update rules, written out in plain Python floats.

Written against surviving mutants (make mutants): every expected number below is computed here
from the formulas in the optimizers' docstrings (torch.optim's documented algorithms), never
copied from the helpers' output.
"""

import math

import numpy as np
import pytest

from helpers import optim
from helpers.optim import SGD, Adam, AdamW, AdamState, Group, SGDState


def _sgd_reference(ps, gs_fn, lr, momentum=0.0, dampening=0.0, weight_decay=0.0, nesterov=False, steps=3):
    """SGD's docstring rule, one float at a time."""
    p, buf, out = list(ps), None, []
    for t in range(steps):
        grad = gs_fn(t, p)
        g = [gi + weight_decay * pi for gi, pi in zip(grad, p)]
        if momentum > 0:
            if buf is None:
                buf = list(g)
            else:
                buf = [momentum * b + (1 - dampening) * gi for b, gi in zip(buf, g)]
            g = [gi + momentum * b for gi, b in zip(g, buf)] if nesterov else list(buf)
        p = [pi - lr * gi for pi, gi in zip(p, g)]
        out.append(list(p))
    return out, buf


def _adam_reference(ps, gs_fn, lr, b1, b2, eps, weight_decay=0.0, decoupled=False, amsgrad=False, steps=3):
    """Adam's / AdamW's docstring rule, one float at a time, t counting from 1."""
    n = len(ps)
    p, m, v, vmax, out = list(ps), [0.0] * n, [0.0] * n, [0.0] * n, []
    for t in range(1, steps + 1):
        grad = gs_fn(t - 1, p)
        if decoupled:
            p = [pi - lr * weight_decay * pi for pi in p]
            g = list(grad)
        else:
            g = [gi + weight_decay * pi for gi, pi in zip(grad, p)]
        m = [b1 * mi + (1 - b1) * gi for mi, gi in zip(m, g)]
        v = [b2 * vi + (1 - b2) * gi * gi for vi, gi in zip(v, g)]
        vmax = [max(a, b) for a, b in zip(vmax, v)]
        use = vmax if amsgrad else v
        m_hat = [mi / (1 - b1 ** t) for mi in m]
        v_hat = [vi / (1 - b2 ** t) for vi in use]
        p = [pi - lr * mh / (math.sqrt(vh) + eps) for pi, mh, vh in zip(p, m_hat, v_hat)]
        out.append(list(p))
    return out, m, v, vmax


P0 = [1.5, -2.0, 0.25]


def grads(t, p):
    """A gradient that changes with the step and the position (not a constant)."""
    return [0.5 * p[0] + 1.0 + t, -0.3 * p[1] + 2.0 * t - 1.5, 4.0 - t * t]


def replay(opt, steps=3, start=P0):
    p = np.array(start, dtype=float)
    state = opt.init(p)
    out = []
    for t in range(steps):
        p, state = opt.step(p, np.array(grads(t, list(p))), state)
        out.append(p.copy())
    return np.array(out), state


# ------------------------------------------------------------------------------ SGD

@pytest.mark.parametrize("kwargs", [
    dict(lr=0.1),
    dict(lr=0.1, weight_decay=0.3),
    dict(lr=0.05, momentum=0.9),
    dict(lr=0.05, momentum=0.7, dampening=0.4),
    dict(lr=0.05, momentum=0.8, nesterov=True),
    dict(lr=0.05, momentum=0.6, weight_decay=0.2, nesterov=True),
])
def test_sgd_follows_its_docstring_rule(kwargs):
    got, state = replay(SGD(**kwargs), steps=4)
    want, buf = _sgd_reference(P0, grads, steps=4, **kwargs)
    np.testing.assert_allclose(got, want, rtol=1e-13, atol=1e-13)
    assert state.step == 4
    if kwargs.get("momentum", 0) > 0:
        np.testing.assert_allclose(state.momentum_buffer, buf, rtol=1e-13)
    else:
        assert state.momentum_buffer is None


def test_sgd_one_step_by_hand():
    p, st = SGD(lr=0.5).step(np.array([1.0, 2.0]), np.array([4.0, -2.0]), SGD(lr=0.5).init(None))
    np.testing.assert_array_equal(p, [-1.0, 3.0])
    assert st == SGDState(1, None)
    # momentum: the first buffer is the gradient itself, the second b = m b + (1 - d) g
    opt = SGD(lr=1.0, momentum=0.5, dampening=0.5)
    p1, s1 = opt.step(np.zeros(1), np.array([2.0]), opt.init(None))
    np.testing.assert_array_equal(s1.momentum_buffer, [2.0])
    p2, s2 = opt.step(p1, np.array([4.0]), s1)
    np.testing.assert_array_equal(s2.momentum_buffer, [0.5 * 2.0 + 0.5 * 4.0])
    np.testing.assert_array_equal(p2, [-2.0 - 3.0])


def test_momentum_buffer_is_its_own_array():
    opt = SGD(lr=0.1, momentum=0.9)
    p, g = np.array([1.0, 2.0]), np.array([0.5, -0.5])
    _, state = opt.step(p, g, opt.init(p))
    assert not np.shares_memory(state.momentum_buffer, g)
    g[:] = 100.0                      # the caller reuses its gradient array
    np.testing.assert_array_equal(state.momentum_buffer, [0.5, -0.5])
    _, state2 = opt.step(p, np.array([1.0, 1.0]), state)
    np.testing.assert_array_equal(state.momentum_buffer, [0.5, -0.5])   # old state untouched
    np.testing.assert_allclose(state2.momentum_buffer, [0.9 * 0.5 + 1.0, 0.9 * -0.5 + 1.0])


def test_step_changes_none_of_its_inputs():
    for opt in (SGD(lr=0.1, momentum=0.9, weight_decay=0.1), Adam(lr=0.1, weight_decay=0.1, amsgrad=True),
                AdamW(lr=0.1)):
        p, g = np.array([1.0, -2.0]), np.array([0.3, 0.7])
        state = opt.init(p)
        p1, state = opt.step(p, g, state)
        snapshot = [None if a is None else np.array(a) for a in state[1:]]
        p2, state2 = opt.step(p1, g, state)
        np.testing.assert_array_equal(p, [1.0, -2.0])
        np.testing.assert_array_equal(g, [0.3, 0.7])
        for before, after in zip(snapshot, state[1:]):
            if before is not None:
                np.testing.assert_array_equal(before, after)
        assert not np.shares_memory(p2, p1) and not np.shares_memory(p2, g)


def test_sgd_schedule_is_called_with_the_steps_done():
    seen = []

    def lr(t):
        seen.append(t)
        return 0.1 * (t + 1)

    opt = SGD(lr=lr)
    p, state = np.array([0.0]), opt.init(None)
    for _ in range(3):
        p, state = opt.step(p, np.array([1.0]), state)
    assert seen == [0, 1, 2]
    np.testing.assert_allclose(p, [-(0.1 + 0.2 + 0.3)])


def test_sgd_batched_learning_rates():
    lr = np.array([[0.1], [0.2]])
    p, _ = SGD(lr=lr).step(np.ones((2, 2)), np.full((2, 2), 2.0), SGDState(0, None))
    np.testing.assert_allclose(p, [[0.8, 0.8], [0.6, 0.6]])


def test_sgd_defaults_and_labels():
    opt = SGD(lr=0.1)
    assert opt.hyperparams() == dict(lr=0.1, momentum=0.0, dampening=0.0, weight_decay=0.0, nesterov=False)
    assert opt.label == "SGD"
    assert SGD(lr=0.1, momentum=0.5).label == "SGD + momentum"
    assert SGD(lr=0.1, momentum=0.5, nesterov=True).label == "Nesterov"
    assert opt.init(np.zeros(3)) == SGDState(0, None)


@pytest.mark.parametrize("kwargs", [dict(momentum=0.0, nesterov=True), dict(momentum=0.5, dampening=0.1, nesterov=True)])
def test_nesterov_needs_momentum_and_no_dampening(kwargs):
    with pytest.raises(ValueError, match="nesterov=True needs momentum > 0 and dampening = 0"):
        SGD(lr=0.1, **kwargs)


def test_nesterov_accepts_positive_momentum_without_dampening():
    assert SGD(lr=0.1, momentum=1e-3, nesterov=True).nesterov is True


# ------------------------------------------------------------------------------ Adam

@pytest.mark.parametrize("cls, kwargs", [
    (Adam, dict(lr=0.1, betas=(0.8, 0.9), eps=0.05)),
    (Adam, dict(lr=0.1, betas=(0.8, 0.9), eps=1e-8, weight_decay=0.3)),
    (Adam, dict(lr=0.1, betas=(0.5, 0.6), eps=0.01, amsgrad=True)),
    (AdamW, dict(lr=0.1, betas=(0.8, 0.9), eps=0.05, weight_decay=0.4)),
    (AdamW, dict(lr=0.1, betas=(0.7, 0.95), eps=1e-3, weight_decay=0.2, amsgrad=True)),
])
def test_adam_follows_its_docstring_rule(cls, kwargs):
    steps = 5
    got, state = replay(cls(**kwargs), steps=steps)
    b1, b2 = kwargs["betas"]
    want, m, v, vmax = _adam_reference(P0, grads, kwargs["lr"], b1, b2, kwargs["eps"],
                                       kwargs.get("weight_decay", 0.0), cls is AdamW,
                                       kwargs.get("amsgrad", False), steps=steps)
    np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-13)
    assert state.step == steps
    np.testing.assert_allclose(state.m, m, rtol=1e-12)
    np.testing.assert_allclose(state.v, v, rtol=1e-12)
    if kwargs.get("amsgrad"):
        np.testing.assert_allclose(state.v_max, vmax, rtol=1e-12)
    else:
        assert state.v_max is None


def test_adam_defaults_follow_torch():
    a = Adam()
    assert a.hyperparams() == dict(lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0, amsgrad=False)
    assert AdamW().hyperparams() == dict(lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=1e-2, amsgrad=False)
    assert (a.label, Adam(weight_decay=0.1).label, AdamW().label) == ("Adam", "Adam + L2", "AdamW")
    # with the defaults, Adam's first step is lr * g / (|g| + eps), t = 1 bias-corrected
    g = np.array([3.0, -1e-6])
    p, st = a.step(np.zeros(2), g, a.init(np.zeros(2)))
    np.testing.assert_allclose(p, -1e-3 * g / (np.abs(g) + 1e-8), rtol=1e-12)
    np.testing.assert_allclose(st.m, 0.1 * g, rtol=1e-15)
    np.testing.assert_allclose(st.v, 0.001 * g * g, rtol=1e-12)
    # AdamW's default decay: 1e-3 * 1e-2 of p, before a zero-gradient step (which moves nothing)
    p, _ = AdamW().step(np.array([2.0]), np.array([0.0]), AdamW().init(np.zeros(1)))
    np.testing.assert_allclose(p, [2.0 * (1 - 1e-5)], rtol=1e-15)


def test_adam_first_step_is_lr_times_sign_when_eps_is_zero():
    # bias correction makes m_hat = g and v_hat = g^2 at t = 1 for any betas
    opt = Adam(lr=0.25, betas=(0.3, 0.6), eps=0.0)
    p, st = opt.step(np.array([1.0, 1.0, 1.0]), np.array([5.0, -0.01, 2.0]), opt.init(np.zeros(3)))
    np.testing.assert_allclose(p, [0.75, 1.25, 0.75], rtol=1e-14)
    assert st.step == 1


def test_adam_init_state():
    st = Adam(amsgrad=True).init(np.ones((2, 3)))
    assert st.step == 0
    for a in (st.m, st.v, st.v_max):
        assert a.shape == (2, 3) and not a.any()
    assert not np.shares_memory(st.m, st.v) and not np.shares_memory(st.v, st.v_max)
    assert Adam().init(np.ones(2)).v_max is None


def test_bias_corrected_matches_its_formula():
    opt = Adam(betas=(0.5, 0.75))
    st = AdamState(2, np.array([1.0, -2.0]), np.array([4.0, 8.0]), None)
    m_hat, v_hat = opt.bias_corrected(st)
    np.testing.assert_allclose(m_hat, np.array([1.0, -2.0]) / 0.75)
    np.testing.assert_allclose(v_hat, np.array([4.0, 8.0]) / (1 - 0.5625))
    ams = Adam(betas=(0.5, 0.75), amsgrad=True)
    st = AdamState(1, np.array([1.0]), np.array([1.0]), np.array([2.0]))
    m_hat, v_hat = ams.bias_corrected(st)
    np.testing.assert_allclose(m_hat, [2.0])
    np.testing.assert_allclose(v_hat, [8.0])
    with pytest.raises(ValueError, match="at least one step"):
        opt.bias_corrected(opt.init(np.zeros(1)))


def test_amsgrad_keeps_the_largest_v():
    opt = Adam(lr=0.1, betas=(0.0, 0.5), eps=0.0, amsgrad=True)
    p, st = opt.step(np.zeros(1), np.array([4.0]), opt.init(np.zeros(1)))      # v = 8, v_max = 8
    p, st = opt.step(p, np.array([1.0]), st)                                    # v = 4.5, v_max = 8
    np.testing.assert_allclose(st.v, [4.5])
    np.testing.assert_allclose(st.v_max, [8.0])
    # m_hat = 1 (b1 = 0), v_hat = v_max / (1 - 0.25) = 32/3
    np.testing.assert_allclose(p, [-0.1 - 0.1 / math.sqrt(32 / 3)], rtol=1e-13)


def test_adam_schedule_is_called_with_the_steps_done():
    seen = []

    def lr(t):
        seen.append(t)
        return 0.5

    for cls in (Adam, AdamW):
        seen.clear()
        opt = cls(lr=lr, eps=0.0, weight_decay=0.0)
        p, st = np.zeros(1), opt.init(np.zeros(1))
        for _ in range(3):
            p, st = opt.step(p, np.array([1.0]), st)
        assert seen == [0, 1, 2]
        np.testing.assert_allclose(p, [-1.5], rtol=1e-12)


def test_schedule_that_returns_a_negative_rate_is_refused():
    opt = SGD(lr=lambda t: 0.1 - 0.1 * t)
    p, st = opt.step(np.zeros(1), np.ones(1), opt.init(None))       # lr(0) = 0.1
    p, st = opt.step(p, np.ones(1), st)                              # lr(1) = 0: allowed
    with pytest.raises(ValueError, match=r"lr schedule must return finite values >= 0, got lr\(2\)"):
        opt.step(p, np.ones(1), st)


def test_grads_of_another_shape_are_refused():
    with pytest.raises(ValueError, match=r"grads must have the shape of params \(2,\), got grads.shape=\(3,\)"):
        SGD(lr=0.1).step(np.zeros(2), np.zeros(3), SGDState(0, None))


# ------------------------------------------------------------------------------ Group

def test_group_routes_rows():
    a, b = SGD(lr=1.0), SGD(lr=0.5, momentum=0.9)
    group = Group([a, (b, 2)])
    assert group.rows == 3
    assert group.slices == (slice(0, 1), slice(1, 3))
    params = np.array([[1.0, 1.0], [2.0, 2.0], [3.0, 3.0]])
    state = group.init(params)
    assert state == (SGDState(0, None), SGDState(0, None))
    new, state = group.step(params, np.ones((3, 2)), state)
    np.testing.assert_allclose(new, [[0.0, 0.0], [1.5, 1.5], [2.5, 2.5]])
    np.testing.assert_allclose(state[1].momentum_buffer, np.ones((2, 2)))
    assert state[0].momentum_buffer is None
    with pytest.raises(ValueError, match=r"params must have 3 rows"):
        group.init(np.zeros((2, 2)))
    with pytest.raises(ValueError, match="at least one optimizer"):
        Group([])


@pytest.mark.parametrize("make, names", [
    (lambda: optim.Adagrad(lr=1, lr_decay=np.float32(0.5), weight_decay=2, initial_accumulator_value=1,
                           eps=np.float32(0.25)),
     ["lr", "lr_decay", "weight_decay", "initial_accumulator_value", "eps"]),
    (lambda: optim.RMSprop(lr=1, alpha=np.float32(0.5), eps=np.float32(0.25), weight_decay=2, momentum=1,
                           centered=np.bool_(True)),
     ["lr", "alpha", "eps", "weight_decay", "momentum", "centered"]),
])
def test_new_optimizers_keep_their_validated_hyperparameters(make, names):
    """Every hyperparameter is stored as validated: plain floats (and a plain bool), whatever number
    type came in, so hyperparams() prints clean values and the state is the same for 1 and 1.0."""
    hp = make().hyperparams()
    for name in names:
        value = hp[name]
        assert type(value) in (float, bool), (name, type(value))
    init = make().init(np.zeros(3))
    assert all(np.asarray(a).dtype == np.float64 for a in init[1:] if a is not None)


def test_adagrad_starts_from_its_initial_accumulator_and_rmsprop_keeps_only_what_it_needs():
    p = np.zeros((2, 3))
    assert np.array_equal(optim.Adagrad(initial_accumulator_value=0.5).init(p).sum, np.full((2, 3), 0.5))
    plain = optim.RMSprop().init(p)
    assert plain.grad_avg is None and plain.momentum_buffer is None and plain.square_avg.shape == (2, 3)
    full = optim.RMSprop(momentum=0.9, centered=True).init(p)
    assert full.grad_avg.shape == (2, 3) and full.momentum_buffer.shape == (2, 3)
    assert not np.shares_memory(full.square_avg, full.grad_avg)
