"""helpers.optim against torch.optim (stored float64 trajectories), plus its contract."""

import importlib.util
import json
from pathlib import Path

import numpy as np
import pytest

from helpers import optim, schedules
from helpers.optim import SGD, Adagrad, AdagradState, Adam, AdamW, AdamState, RMSprop, RMSpropState, SGDState

# The reference script holds the gradient field and the configurations; load it by
# path (it imports torch only inside its functions, so this works without torch).
_spec = importlib.util.spec_from_file_location(
    "make_torch_reference", Path(__file__).with_name("make_torch_reference.py"))
ref = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(ref)

RTOL, ATOL = 1e-9, 1e-12


@pytest.fixture(scope="module")
def stored():
    with np.load(ref.DATA_FILE) as data:
        arrays = {k: data[k] for k in data.files}
    arrays["meta"] = json.loads(str(arrays.pop("meta_json")))
    return arrays


def make_optimizer(name):
    """helpers.optim optimizer for reference config `name` (schedule from helpers.schedules)."""
    cls_name, kwargs, schedule = ref.CONFIGS[name]
    kwargs = {k: tuple(v) if k == "betas" else v for k, v in kwargs.items()}
    if schedule:
        spec = {k: v for k, v in schedule.items() if k != "kind"}
        kwargs["lr"] = schedules.warmup_cosine(**spec)
    return getattr(optim, cls_name)(**kwargs)


def replay(opt, steps=ref.STEPS, start=ref.START):
    p = np.array(start, dtype=float)
    state = opt.init(p)
    xs = [p]
    for _ in range(steps):
        p, state = opt.step(p, ref.reference_grad(p), state)
        xs.append(p)
    return np.array(xs), state


# --------------------------------------------------------- agreement with torch

def test_stored_reference_covers_every_config(stored):
    assert set(stored["meta"]["configs"]) == set(ref.CONFIGS)
    assert stored["meta"]["steps"] == ref.STEPS
    np.testing.assert_array_equal(stored["start"], ref.START)
    for name in ref.CONFIGS:
        assert stored[name].shape == (ref.STEPS + 1, ref.START.size)
        # every run really moves, so agreement is not agreement on standing still
        assert np.abs(stored[name][-1] - stored[name][0]).max() > 0.1


@pytest.mark.parametrize("name", sorted(ref.CONFIGS))
def test_matches_torch_trajectory(stored, name):
    xs, state = replay(make_optimizer(name))
    assert state.step == ref.STEPS
    np.testing.assert_allclose(xs, stored[name], rtol=RTOL, atol=ATOL)


def test_schedule_used_by_reference_is_helpers_warmup_cosine(stored):
    spec = {k: v for k, v in ref.SCHEDULE.items() if k != "kind"}
    np.testing.assert_allclose(schedules.warmup_cosine(**spec)(np.arange(ref.STEPS)),
                               stored["schedule_lrs"], rtol=1e-15, atol=0)


def test_live_against_torch():
    pytest.importorskip("torch", reason="torch not installed: the stored reference "
                        "trajectories (test_matches_torch_trajectory) still ran")
    for name in ["sgd_nesterov", "sgd_momentum_weight_decay", "adam_amsgrad",
                 "adam_weight_decay", "adamw_betas_eps", "adamw_schedule"]:
        xs, _ = replay(make_optimizer(name), steps=100)
        np.testing.assert_allclose(xs, ref.torch_trajectory(name, steps=100),
                                   rtol=RTOL, atol=ATOL, err_msg=name)


# ---------------------------------------------------------- hand-checked steps

def test_sgd_worked_example():
    # w = 5, loss (w - 2)^2, gradient 6.0, lr 0.1: one step gives 4.4
    w, state = SGD(lr=0.1).step(np.array([5.0]), np.array([6.0]), SGD(lr=0.1).init(None))
    np.testing.assert_allclose(w, [4.4], rtol=1e-15)
    assert state == SGDState(step=1, momentum_buffer=None)


def test_adam_first_step_has_size_lr_whatever_the_gradient_scale():
    opt = Adam(lr=0.1)
    p = np.zeros(3)
    g = np.array([1e-4, 1.0, -1e4])
    new_p, _ = opt.step(p, g, opt.init(p))
    # m_hat = g and v_hat = g^2, so the step is lr * g / (|g| + eps)
    np.testing.assert_allclose(new_p, -0.1 * g / (np.abs(g) + 1e-8), rtol=1e-12)
    np.testing.assert_allclose(np.abs(new_p), 0.1, rtol=1e-3)


# ------------------------------------------------------ purity and visible state

@pytest.mark.parametrize("opt", [
    SGD(lr=0.1, momentum=0.9, weight_decay=0.1), SGD(lr=0.1, momentum=0.9, nesterov=True),
    Adam(lr=0.1, weight_decay=0.1, amsgrad=True), AdamW(lr=0.1, amsgrad=True),
    Adagrad(lr=0.1, weight_decay=0.1, initial_accumulator_value=0.2),
    RMSprop(lr=0.1, momentum=0.9, centered=True, weight_decay=0.1)])
def test_step_leaves_its_inputs_unchanged(opt):
    p = np.array([1.0, -2.0, 3.0])
    g = np.array([0.5, 0.25, -1.0])
    state = opt.init(p)
    for _ in range(3):
        p_copy, g_copy = p.copy(), g.copy()
        fields = {k: (v.copy() if isinstance(v, np.ndarray) else v)
                  for k, v in state._asdict().items()}
        new_p, new_state = opt.step(p, g, state)
        np.testing.assert_array_equal(p, p_copy)
        np.testing.assert_array_equal(g, g_copy)
        for k, v in fields.items():
            np.testing.assert_array_equal(getattr(state, k), v)
        assert new_state.step == state.step + 1
        assert not np.shares_memory(new_p, p) and not np.shares_memory(new_p, g)
        p, state = new_p, new_state


def test_states_are_frozen():
    state = Adam().init(np.zeros(2))
    with pytest.raises(AttributeError):
        state.step = 3


def test_sgd_state_shows_step_and_momentum_buffer():
    opt = SGD(lr=0.1, momentum=0.9)
    state = opt.init(np.zeros(2))
    assert state == SGDState(step=0, momentum_buffer=None)
    p, state = opt.step(np.zeros(2), np.array([1.0, 2.0]), state)
    np.testing.assert_array_equal(state.momentum_buffer, [1.0, 2.0])   # b = g on step 1
    p, state = opt.step(p, np.array([1.0, 2.0]), state)
    assert state.step == 2
    np.testing.assert_allclose(state.momentum_buffer, [1.9, 3.8])      # 0.9 b + g
    np.testing.assert_allclose(p, [-0.29, -0.58])


def test_adam_state_shows_m_v_and_v_max():
    opt = Adam(lr=0.1, betas=(0.5, 0.75), amsgrad=True)
    state = opt.init(np.zeros(2))
    assert state.step == 0 and state.v_max is not None
    np.testing.assert_array_equal(state.m, [0, 0])
    _, state = opt.step(np.zeros(2), np.array([2.0, -4.0]), state)
    _, state = opt.step(np.zeros(2), np.array([0.0, 0.0]), state)
    assert state.step == 2
    np.testing.assert_allclose(state.m, [0.5, -1.0])       # 0.5 * (0.5 * g)
    np.testing.assert_allclose(state.v, [0.75, 3.0])       # 0.75 * (0.25 * g^2)
    np.testing.assert_allclose(state.v_max, [1.0, 4.0])    # max over the two steps
    assert Adam().init(np.zeros(2)).v_max is None


def test_bias_corrected():
    opt = Adam(betas=(0.9, 0.999))
    g = np.array([3.0, -0.5])
    _, state = opt.step(np.zeros(2), g, opt.init(np.zeros(2)))
    m_hat, v_hat = opt.bias_corrected(state)
    # after one step the corrected averages are exactly g and g^2, while m is 0.1 g
    np.testing.assert_allclose(m_hat, g, rtol=1e-12)
    np.testing.assert_allclose(v_hat, g**2, rtol=1e-12)
    np.testing.assert_allclose(state.m, 0.1 * g, rtol=1e-12)
    _, state = opt.step(np.zeros(2), g, state)
    m_hat, v_hat = opt.bias_corrected(state)
    np.testing.assert_allclose(m_hat, g, rtol=1e-12)   # a steady gradient stays g
    with pytest.raises(ValueError, match="state.step=0"):
        opt.bias_corrected(opt.init(np.zeros(2)))


def test_adamw_decay_is_decoupled_and_scaled_by_lr():
    # zero gradient: Adam + L2 still moves by about lr (normalised step), AdamW shrinks by lr*wd
    p = np.array([2.0, -4.0])
    zero = np.zeros(2)
    p_w, _ = AdamW(lr=0.1, weight_decay=0.5).step(p, zero, AdamW().init(p))
    np.testing.assert_allclose(p_w, p * (1 - 0.1 * 0.5), rtol=1e-15)
    p_l2, _ = Adam(lr=0.1, weight_decay=0.5).step(p, zero, Adam().init(p))
    np.testing.assert_allclose(p_l2, p - 0.1 * np.sign(p), rtol=1e-6)


# ----------------------------------------------------- schedules and batches

def test_schedule_is_called_with_step_before_update():
    seen = []

    def sched(t):
        seen.append(t)
        return 0.1 * (t + 1)

    opt = SGD(lr=sched)
    p, state = np.array([0.0]), opt.init(None)
    for _ in range(3):
        p, state = opt.step(p, np.array([1.0]), state)
    assert seen == [0, 1, 2]
    np.testing.assert_allclose(p, [-(0.1 + 0.2 + 0.3)])


def test_schedule_returning_bad_lr_raises():
    opt = SGD(lr=lambda t: -0.1 if t == 2 else 0.1)
    p, state = np.zeros(1), opt.init(None)
    p, state = opt.step(p, np.ones(1), state)
    p, state = opt.step(p, np.ones(1), state)
    with pytest.raises(ValueError, match=r"lr\(2\)=-0.1"):
        opt.step(p, np.ones(1), state)


@pytest.mark.parametrize("make", [
    lambda lr, wd: SGD(lr=lr, momentum=0.9, weight_decay=wd),
    lambda lr, wd: SGD(lr=lr, momentum=0.5, nesterov=True, weight_decay=wd),
    lambda lr, wd: Adam(lr=lr, weight_decay=wd, amsgrad=True),
    lambda lr, wd: AdamW(lr=lr, weight_decay=wd),
    lambda lr, wd: Adagrad(lr=lr, lr_decay=0.01, weight_decay=wd),
    lambda lr, wd: RMSprop(lr=lr, momentum=0.5, centered=True, eps=0.1, weight_decay=wd),
])
def test_batched_lr_and_weight_decay_equal_individual_runs(make):
    lrs = np.array([0.001, 0.01, 0.03, 0.05])
    wds = np.array([0.0, 0.1, 0.2, 0.3])
    K, d = lrs.size, ref.START.size
    starts = ref.START + np.linspace(-0.5, 0.5, K)[:, None]     # (K, d)
    batched = make(lrs[:, None], wds[:, None])
    P = starts.copy()
    state = batched.init(P)
    for _ in range(50):
        G = np.array([ref.reference_grad(row) for row in P])
        P, state = batched.step(P, G, state)
    for k in range(K):
        xs, _ = replay(make(float(lrs[k]), float(wds[k])), steps=50, start=starts[k])
        np.testing.assert_allclose(P[k], xs[-1], rtol=1e-13, atol=1e-15)


# ---------------------------------------------------------- labels, hyperparams

def test_labels():
    assert SGD(lr=0.1).label == "SGD"
    assert SGD(lr=0.1, momentum=0.9).label == "SGD + momentum"
    assert SGD(lr=0.1, momentum=0.9, nesterov=True).label == "Nesterov"
    assert Adam().label == "Adam"
    assert Adam(weight_decay=0.01).label == "Adam + L2"
    assert AdamW().label == "AdamW"
    assert AdamW(weight_decay=0).label == "AdamW"
    assert Adagrad().label == "Adagrad" and RMSprop(momentum=0.9, centered=True).label == "RMSprop"


def test_hyperparams_are_torch_names_and_defaults():
    assert SGD(lr=0.1).hyperparams() == {"lr": 0.1, "momentum": 0.0, "dampening": 0.0,
                                         "weight_decay": 0.0, "nesterov": False}
    assert Adam().hyperparams() == {"lr": 1e-3, "betas": (0.9, 0.999), "eps": 1e-8,
                                    "weight_decay": 0.0, "amsgrad": False}
    assert AdamW().hyperparams()["weight_decay"] == 1e-2
    assert Adagrad().hyperparams() == {"lr": 1e-2, "lr_decay": 0.0, "weight_decay": 0.0,
                                       "initial_accumulator_value": 0.0, "eps": 1e-10}
    assert RMSprop().hyperparams() == {"lr": 1e-2, "alpha": 0.99, "eps": 1e-8, "weight_decay": 0.0,
                                       "momentum": 0.0, "centered": False}


# ------------------------------------------------------------------- ValueErrors

@pytest.mark.parametrize("make, needle", [
    (lambda: SGD(lr=-0.1), "lr=-0.1"),
    (lambda: SGD(lr=float("nan")), "lr=nan"),
    (lambda: SGD(lr=float("inf")), "lr=inf"),
    (lambda: SGD(lr="fast"), "lr='fast'"),
    (lambda: SGD(lr=np.array([[0.1], [-0.2]])), "lr=array"),
    (lambda: Adam(lr=-1e-3), "lr=-0.001"),
    (lambda: AdamW(lr=np.inf), "lr=inf"),
    (lambda: SGD(lr=0.1, momentum=-0.9), "momentum=-0.9"),
    (lambda: SGD(lr=0.1, momentum=0.9, dampening=-0.1), "dampening=-0.1"),
    (lambda: SGD(lr=0.1, weight_decay=-1e-4), "weight_decay=-0.0001"),
    (lambda: Adam(weight_decay=-0.1), "weight_decay=-0.1"),
    (lambda: AdamW(weight_decay=np.array([[0.1], [-0.1]])), "weight_decay=array"),
    (lambda: Adam(eps=-1e-8), "eps=-1e-08"),
    (lambda: Adam(betas=(1.0, 0.999)), "betas=(1.0, 0.999)"),
    (lambda: AdamW(betas=(0.9, -0.1)), "betas=(0.9, -0.1)"),
    (lambda: Adam(betas=0.9), "betas=0.9"),
    (lambda: SGD(lr=0.1, nesterov=True), "momentum=0.0"),
    (lambda: SGD(lr=0.1, momentum=0.9, dampening=0.1, nesterov=True), "dampening=0.1"),
    (lambda: Adagrad(lr=-0.01), "lr=-0.01"),
    (lambda: Adagrad(lr_decay=-1.0), "lr_decay=-1.0"),
    (lambda: Adagrad(initial_accumulator_value=float("nan")), "initial_accumulator_value=nan"),
    (lambda: Adagrad(eps=-1e-10), "eps=-1e-10"),
    (lambda: RMSprop(alpha=1.0), "alpha=1.0"),
    (lambda: RMSprop(alpha=-0.5), "alpha=-0.5"),
    (lambda: RMSprop(momentum=-0.9), "momentum=-0.9"),
    (lambda: RMSprop(centered="yes"), "centered='yes'"),
    (lambda: RMSprop(weight_decay=np.inf), "weight_decay=inf"),
])
def test_bad_hyperparameters_raise_naming_argument_and_value(make, needle):
    with pytest.raises(ValueError) as info:
        make()
    assert needle in str(info.value)


@pytest.mark.parametrize("opt", [SGD(lr=0.1), Adam(), AdamW(), Adagrad(), RMSprop()])
def test_grads_of_wrong_shape_raise(opt):
    p = np.zeros((2, 3))
    with pytest.raises(ValueError, match=r"grads.shape=\(3,\)"):
        opt.step(p, np.zeros(3), opt.init(p))


def test_state_types():
    assert isinstance(SGD(lr=0.1).init(np.zeros(2)), SGDState)
    assert isinstance(AdamW().init(np.zeros(2)), AdamState)
    assert isinstance(Adagrad().init(np.zeros(2)), AdagradState)
    assert isinstance(RMSprop().init(np.zeros(2)), RMSpropState)


def test_adagrad_steps_shrink_for_ever_and_rmsprop_forgets():
    """The line the notebooks draw: Adagrad's sum only grows, RMSprop's running mean forgets."""
    g = np.array([1.0])
    ada, rms = Adagrad(lr=0.1), RMSprop(lr=0.1, alpha=0.9)
    sizes = {}
    for opt in (ada, rms):
        p, state, steps = np.zeros(1), opt.init(np.zeros(1)), []
        for _ in range(200):
            new_p, state = opt.step(p, g, state)     # a constant gradient
            steps.append(abs(float(new_p[0] - p[0])))
            p = new_p
        sizes[opt.label] = np.array(steps)
    np.testing.assert_allclose(sizes["Adagrad"], 0.1 / np.sqrt(np.arange(1, 201)), rtol=1e-9)
    assert sizes["RMSprop"][-1] == pytest.approx(0.1, rel=1e-6)       # sqrt(v) -> |g|: the step returns to lr
    assert sizes["RMSprop"][0] == pytest.approx(0.1 / np.sqrt(0.1), rel=1e-6)   # no bias correction: too large


def test_reference_runs_are_not_chaotic():
    """1e-9 agreement means something only where a run does not amplify rounding: nudging the start
    by 1e-12 must move every reference run by less than 1e-9."""
    for name in ref.CONFIGS:
        xs, _ = replay(make_optimizer(name))
        nudged, _ = replay(make_optimizer(name), start=ref.START * (1 + 1e-12))
        assert np.abs(nudged - xs).max() < 1e-9, name


@pytest.mark.parametrize("make", [lambda: SGD(0.1, momentum=0.9), Adam, AdamW, Adagrad, RMSprop])
def test_a_bad_step_names_the_argument_and_the_value(make):
    # found by mutation testing: nothing checked which argument a bad step's message names
    opt, p = make(), np.zeros(2)
    state = opt.init(p)
    with pytest.raises(TypeError, match=r"^params must be .*got params='oops'$"):
        opt.step("oops", p, state)
    with pytest.raises(TypeError, match=r"^grads must be .*got grads=None$"):
        opt.step(p, None, state)
    with pytest.raises(ValueError, match=r"^grads must have the shape of params \(2,\), got grads.shape=\(3,\)$"):
        opt.step(p, np.zeros(3), state)
