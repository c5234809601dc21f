"""helpers.schedules: values at the start, at the end of warmup, at the end and beyond."""

import math

import numpy as np
import pytest

from helpers import schedules
from helpers.optim import SGD
from helpers.schedules import constant, cosine, exponential, step_decay, warmup_cosine


def test_constant():
    s = constant(0.1)
    assert s(0) == pytest.approx(0.1)
    np.testing.assert_allclose(s(np.arange(5)), np.full(5, 0.1))
    assert s(np.arange(5)).shape == (5,)


def test_step_decay_multiplies_every_step_size_steps():
    s = step_decay(1.0, step_size=3, gamma=0.5)
    np.testing.assert_allclose(s(np.arange(8)), [1, 1, 1, 0.5, 0.5, 0.5, 0.25, 0.25])
    assert step_decay(0.2, 10)(25) == pytest.approx(0.2 * 0.01)   # default gamma 0.1


def test_exponential():
    s = exponential(0.5, gamma=0.9)
    assert s(0) == pytest.approx(0.5)
    np.testing.assert_allclose(s(np.array([1, 2, 10])), 0.5 * 0.9 ** np.array([1, 2, 10]))


def test_cosine_start_middle_end_and_beyond():
    s = cosine(lr_max=0.1, total_steps=100, lr_min=0.01)
    assert s(0) == pytest.approx(0.1)
    assert s(50) == pytest.approx(0.055)                # halfway between the two
    assert s(25) == pytest.approx(0.01 + 0.09 * (1 + math.cos(math.pi / 4)) / 2)
    assert s(100) == pytest.approx(0.01)
    assert s(10_000) == pytest.approx(0.01)             # held at lr_min
    curve = s(np.arange(101))
    assert np.all(np.diff(curve) < 0)                   # strictly decreasing to T


def test_warmup_cosine_start_peak_end_and_beyond():
    s = warmup_cosine(lr_max=1.0, warmup_steps=10, total_steps=110, lr_min=0.1)
    assert s(0) == pytest.approx(0.1)                   # lr_max * 1 / W: near zero
    assert s(4) == pytest.approx(0.5)
    assert s(9) == pytest.approx(1.0)                   # peak reached at t = W - 1
    assert s(10) == pytest.approx(1.0)                  # cosine starts at lr_max at t = W
    assert s(60) == pytest.approx(0.55)                 # halfway through the decay
    assert s(110) == pytest.approx(0.1)
    assert s(500) == pytest.approx(0.1)
    curve = s(np.arange(200))
    assert np.all(np.diff(curve[:10]) > 0) and np.all(np.diff(curve[10:111]) < 0)
    assert curve.max() == pytest.approx(1.0)


def test_warmup_cosine_without_warmup_is_cosine():
    t = np.arange(60)
    np.testing.assert_allclose(warmup_cosine(0.3, 0, 50, 0.01)(t), cosine(0.3, 50, 0.01)(t))


def test_vectorised_equals_scalar_calls():
    for s in [constant(0.1), step_decay(0.1, 7), exponential(0.1, 0.97), cosine(0.1, 40),
              warmup_cosine(0.1, 5, 40)]:
        t = np.arange(60)
        np.testing.assert_allclose(s(t), [s(int(k)) for k in t], rtol=1e-15)
        np.testing.assert_allclose(s(t.reshape(6, 10)), s(t).reshape(6, 10))
        assert np.ndim(s(3)) == 0 and np.ndim(s(np.int64(3))) == 0


def test_repr_names_the_schedule_and_its_arguments():
    assert repr(cosine(0.1, 100)) == "cosine(lr_max=0.1, total_steps=100, lr_min=0.0)"


def test_schedule_drives_an_optimizer():
    sched = warmup_cosine(0.2, 2, 5)
    opt = SGD(lr=sched)
    p, state = np.zeros(1), opt.init(None)
    for _ in range(7):
        p, state = opt.step(p, np.ones(1), state)
    np.testing.assert_allclose(p, [-sched(np.arange(7)).sum()])


@pytest.mark.parametrize("make, needle", [
    (lambda: constant(-0.1), "lr=-0.1"),
    (lambda: constant(float("nan")), "lr=nan"),
    (lambda: step_decay(0.1, 0), "step_size=0"),
    (lambda: step_decay(0.1, 2.5), "step_size=2.5"),
    (lambda: step_decay(0.1, 10, gamma=0), "gamma=0"),
    (lambda: exponential(0.1, -0.5), "gamma=-0.5"),
    (lambda: exponential(float("inf"), 0.5), "lr=inf"),
    (lambda: cosine(0.1, 0), "total_steps=0"),
    (lambda: cosine(-0.1, 10), "lr_max=-0.1"),
    (lambda: cosine(0.1, 10, lr_min=0.2), "lr_min=0.2"),
    (lambda: warmup_cosine(0.1, -1, 10), "warmup_steps=-1"),
    (lambda: warmup_cosine(0.1, 10, 10), "warmup_steps=10"),
    (lambda: warmup_cosine(0.1, 5, 10, lr_min=-0.01), "lr_min=-0.01"),
])
def test_bad_arguments_raise_naming_argument_and_value(make, needle):
    with pytest.raises(ValueError) as info:
        make()
    assert needle in str(info.value)


def test_negative_step_raises():
    with pytest.raises(ValueError, match="t=-1"):
        cosine(0.1, 10)(-1)


def test_module_exports():
    for name in ["constant", "step_decay", "exponential", "cosine", "warmup_cosine"]:
        assert callable(getattr(schedules, name))


# ---------------------------------------------------------------- one-cycle, against torch

def _one_cycle_reference():
    import importlib.util, json
    from pathlib import Path
    path = Path(__file__).with_name("make_torch_reference.py")
    spec = importlib.util.spec_from_file_location("make_torch_reference", path)
    ref = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(ref)
    with np.load(ref.ONE_CYCLE_FILE) as data:
        stored = {k: data[k] for k in data.files}
    return ref, stored, json.loads(str(stored.pop("meta_json")))


@pytest.mark.parametrize("name", ["default", "linear", "three_phase", "short_rise"])
def test_one_cycle_equals_torch_onecyclelr(name):
    ref, stored, meta = _one_cycle_reference()
    assert meta["configs"][name] == ref.ONE_CYCLE_CONFIGS[name]
    kw = ref.ONE_CYCLE_CONFIGS[name]
    sched = schedules.one_cycle(**kw)
    t = np.arange(kw["total_steps"])
    np.testing.assert_allclose(sched(t), stored[name], rtol=1e-12, atol=1e-15)
    assert sched(kw["total_steps"] + 5) == pytest.approx(stored[name][-1])    # held after the end


def test_one_cycle_shape():
    s = schedules.one_cycle(max_lr=0.1, total_steps=100)
    lr = s(np.arange(100))
    assert lr[0] == pytest.approx(0.1 / 25) and lr.max() == pytest.approx(0.1)
    assert int(np.argmax(lr)) == 29                      # pct_start 0.3: the peak at step 0.3 * 100 - 1
    assert lr[-1] == pytest.approx(0.1 / 25 / 1e4)
    assert np.all(np.diff(lr[:30]) > 0) and np.all(np.diff(lr[29:]) < 0)


@pytest.mark.parametrize("kwargs, needle", [
    (dict(max_lr=-0.1, total_steps=10), "max_lr=-0.1"),
    (dict(max_lr=0.1, total_steps=1), "total_steps=1"),
    (dict(max_lr=0.1, total_steps=10, pct_start=0.0), "pct_start=0.0"),
    (dict(max_lr=0.1, total_steps=10, pct_start=0.05), "pct_start=0.05"),
    (dict(max_lr=0.1, total_steps=10, anneal_strategy="cosine"), "anneal_strategy='cosine'"),
    (dict(max_lr=0.1, total_steps=10, div_factor=0), "div_factor=0"),
    (dict(max_lr=0.1, total_steps=10, three_phase="no"), "three_phase='no'"),
])
def test_one_cycle_refuses_bad_arguments(kwargs, needle):
    with pytest.raises(ValueError) as info:
        schedules.one_cycle(**kwargs)
    assert needle in str(info.value)
