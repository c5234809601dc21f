"""helpers.schedules against the formulas in its docstring, evaluated by hand with math, and
helpers.gradcheck against the exact error terms of finite differences. Written against surviving
mutants (make mutants)."""

import math

import numpy as np
import pytest

from helpers import gradcheck, schedules


def test_constant():
    s = schedules.constant(0.3)
    assert s(0) == 0.3 and s(10**6) == 0.3
    np.testing.assert_array_equal(s(np.arange(3)), [0.3, 0.3, 0.3])
    assert repr(s) == "constant(lr=0.3)"
    assert s.name == "constant" and s.params == {"lr": 0.3}


def test_step_decay():
    s = schedules.step_decay(2.0, step_size=3, gamma=0.5)
    want = [2.0 * 0.5 ** math.floor(t / 3) for t in range(10)]
    np.testing.assert_allclose(s(np.arange(10)), want, rtol=1e-15)
    assert repr(s) == "step_decay(lr=2.0, step_size=3, gamma=0.5)"
    default = schedules.step_decay(1.0, step_size=1)
    assert default.params["gamma"] == 0.1
    assert default(2) == pytest.approx(0.01, rel=1e-14)
    assert schedules.step_decay(1.0, 2, gamma=1.0)(100) == 1.0     # gamma = 1 is allowed
    with pytest.raises(ValueError, match="gamma must be a finite number > 0 and <= 1"):
        schedules.step_decay(1.0, 2, gamma=1.5)
    with pytest.raises(ValueError, match="gamma must be a finite number > 0"):
        schedules.step_decay(1.0, 2, gamma=0.0)
    with pytest.raises(ValueError, match="step_size must be an integer >= 1"):
        schedules.step_decay(1.0, 0)


def test_exponential():
    s = schedules.exponential(0.5, 0.9)
    np.testing.assert_allclose(s(np.arange(5)), [0.5 * 0.9 ** t for t in range(5)], rtol=1e-15)
    assert repr(s) == "exponential(lr=0.5, gamma=0.9)"
    with pytest.raises(ValueError, match="lr must be a finite number >= 0"):
        schedules.exponential(-0.5, 0.9)


def test_cosine():
    s = schedules.cosine(1.0, 10, lr_min=0.2)
    want = [0.2 + 0.8 * (1 + math.cos(math.pi * t / 10)) / 2 for t in range(11)] + [0.2] * 5
    np.testing.assert_allclose(s(np.arange(16)), want, rtol=1e-14, atol=1e-15)
    assert s(5) == pytest.approx(0.6, rel=1e-14)
    assert schedules.cosine(1.0, 4)(4) == 0.0             # lr_min defaults to 0
    assert repr(s) == "cosine(lr_max=1.0, total_steps=10, lr_min=0.2)"
    assert schedules.cosine(0.5, 3, lr_min=0.5)(1) == 0.5  # lr_min = lr_max allowed
    with pytest.raises(ValueError, match=r"lr_min must be <= lr_max=0.5, got lr_min=0.6"):
        schedules.cosine(0.5, 3, lr_min=0.6)


def test_warmup_cosine():
    s = schedules.warmup_cosine(1.0, 4, 12, lr_min=0.1)
    ramp = [(t + 1) / 4 for t in range(4)]
    cos = [0.1 + 0.9 * (1 + math.cos(math.pi * (t - 4) / 8)) / 2 for t in range(4, 13)]
    np.testing.assert_allclose(s(np.arange(15)), ramp + cos + [0.1, 0.1], rtol=1e-14)
    assert repr(s) == "warmup_cosine(lr_max=1.0, warmup_steps=4, total_steps=12, lr_min=0.1)"
    no_warmup = schedules.warmup_cosine(2.0, 0, 4)
    np.testing.assert_allclose(no_warmup(np.arange(5)), [2.0 * (1 + math.cos(math.pi * t / 4)) / 2 for t in range(5)],
                               atol=1e-15)
    one = schedules.warmup_cosine(2.0, 1, 3)
    assert one(0) == 2.0 and one(1) == 2.0 and one(3) == 0.0
    with pytest.raises(ValueError, match=r"warmup_steps must be < total_steps=5, got warmup_steps=5"):
        schedules.warmup_cosine(1.0, 5, 5)


def test_call_accepts_steps_and_refuses_others():
    s = schedules.exponential(1.0, 0.5)
    assert isinstance(s(2), float) and s(2) == 0.25
    assert s(np.int64(1)) == 0.5 and s(2.0) == 0.25
    assert s(np.arange(2)).shape == (2,)
    assert s(np.array([[1, 2]])).shape == (1, 2)
    for bad in (-1, np.array([0, -1]), -0.5):
        with pytest.raises(ValueError, match="t must be a step count >= 0, got t="):
            s(bad)
    for bad in (float("nan"), float("inf")):
        with pytest.raises(ValueError, match="t must be a step count >= 0"):
            s(bad)
    with pytest.raises(TypeError, match="t must be a step count >= 0, got t='3'"):
        s("3")


# ------------------------------------------------------------------------ gradcheck

def test_differences_have_their_documented_error():
    # f = x0^3 + 2 x1^2: forward error h f''/2 + h^2 f'''/6, central error h^2 f'''/6
    f = lambda x: x[0] ** 3 + 2.0 * x[1] ** 2
    x = np.array([1.0, -1.5])
    h = 1e-3
    fwd = gradcheck.forward_difference(f, x, h=h)
    np.testing.assert_allclose(fwd, [3.0 + 3.0 * h + h * h, -6.0 + 2.0 * h], rtol=1e-8)
    cen = gradcheck.central_difference(f, x, h=h)
    np.testing.assert_allclose(cen, [3.0 + h * h, -6.0], rtol=1e-9)
    np.testing.assert_array_equal(x, [1.0, -1.5])          # x never changed
    # the default steps: 1e-6 forward, 1e-5 central
    np.testing.assert_allclose(gradcheck.forward_difference(f, x)[0], 3.0 + 3e-6, rtol=1e-8, atol=0)
    np.testing.assert_allclose(gradcheck.central_difference(lambda x: x[0] ** 3, x)[0], 3.0 + 1e-10,
                               rtol=1e-10)


def test_relative_error_and_check_gradient():
    assert gradcheck.relative_error([3.0, 4.0], [3.0, 4.0]) == 0.0
    assert gradcheck.relative_error([0.0], [0.0]) == 0.0
    assert gradcheck.relative_error([3.0, 4.0], [0.0, 0.0]) == 1.0
    assert gradcheck.relative_error([1.0, 0.0], [0.0, 2.0]) == pytest.approx(math.sqrt(5) / 2)
    with pytest.raises(ValueError, match=r"a and b must have the same shape"):
        gradcheck.relative_error([1.0], [1.0, 2.0])
    f = lambda x: float(np.sum(x ** 2))
    ok, err = gradcheck.check_gradient(f, lambda x: 2 * x, np.array([1.0, 2.0]))
    assert ok and err < 1e-9
    ok, err = gradcheck.check_gradient(f, lambda x: 2.2 * x, np.array([1.0, 2.0]))
    assert not ok and err == pytest.approx(0.2 / 2.2, rel=1e-8)
    ok, _ = gradcheck.check_gradient(f, lambda x: 2.2 * x, np.array([1.0, 2.0]), tol=0.1)
    assert ok
    with pytest.raises(ValueError, match=r"grad_f must return the shape of x \(2,\)"):
        gradcheck.check_gradient(f, lambda x: np.zeros(3), np.array([1.0, 2.0]))
    with pytest.raises(ValueError, match="f must return a scalar"):
        gradcheck.central_difference(lambda x: x, np.array([1.0]))
    with pytest.raises(ValueError, match="h must be a finite number > 0"):
        gradcheck.central_difference(f, np.array([1.0]), h=0.0)


def test_one_cycle_names_its_arguments_as_torch_does_and_refuses_each_bad_one():
    s = schedules.one_cycle(1.0, 10)
    assert s.name == "one_cycle"
    assert repr(s) == ("one_cycle(max_lr=1.0, total_steps=10, pct_start=0.3, anneal_strategy='cos', "
                       "div_factor=25.0, final_div_factor=10000.0, three_phase=False)")
    for bad in [dict(total_steps=1), dict(pct_start=0.0), dict(pct_start=1.5), dict(div_factor=0.0),
                dict(final_div_factor=0.0), dict(final_div_factor=-1.0), dict(anneal_strategy="cosine")]:
        (name, value), = bad.items()
        with pytest.raises(ValueError, match=rf"^{name} must be .*got {name}={value!r}"):
            schedules.one_cycle(**({"max_lr": 1.0, "total_steps": 10} | bad))
    # the edges that are allowed: two steps, a start above max_lr (div_factor < 1) and an end above
    # it (final_div_factor < 1)
    assert math.isclose(schedules.one_cycle(1.0, 2, pct_start=0.9)(1), 1.0 / 25 / 1e4)
    assert math.isclose(schedules.one_cycle(1.0, 10, div_factor=0.5)(0), 2.0)
    assert math.isclose(schedules.one_cycle(1.0, 10, div_factor=1.0, final_div_factor=0.5)(9), 2.0)


def test_one_cycle_refuses_a_phase_of_no_steps_but_not_a_short_one():
    # p = pct_start * total_steps: the rise ends at step p - 1, which must be after step 0
    with pytest.raises(ValueError, match=r"^pct_start=0.1 leaves a phase of no steps for total_steps=10"):
        schedules.one_cycle(1.0, 10, pct_start=0.1)     # the rise would end at step 0
    short = schedules.one_cycle(1.0, 10, pct_start=0.15, anneal_strategy="linear")   # ends at step 0.5
    assert math.isclose(short(0), 1.0 / 25) and short(1) < 1.0
    # step 1 is half a step into the fall: torch's line from (0.5, max_lr) to (9, min)
    low = 1.0 / 25 / 1e4
    assert math.isclose(short(1), 1.0 + (low - 1.0) * 0.5 / 8.5)
    schedules.one_cycle(1.0, 10, pct_start=0.5, three_phase=True)   # phases end at steps 4, 8 and 9
    with pytest.raises(ValueError, match="leaves a phase of no steps"):
        schedules.one_cycle(1.0, 10, pct_start=0.55, three_phase=True)  # 4.5, 9 and 9: the last is empty
