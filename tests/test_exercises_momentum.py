import numpy as np
import pytest

from checker_cases import assert_checker  # tests/ is on sys.path under pytest

from helpers.descent import run
from helpers.lessons import momentum as momentum_lesson
from helpers.lessons.exercises import momentum
from helpers.optim import SGD
from helpers.surfaces import quadratic

# Exercise 3: lr = 0.3 on curvature 12; the boundary momentum, from helpers.lessons.momentum's limit.
LR3, L3 = 0.3, 12.0
SMALLEST_BETA = round(float((LR3 * L3 - 2) / 2), 12)      # 0.8, without the round-off of 3.6 - 2


def _steady_slope_steps(lr, beta, steps=60):
    """The steps SGD with momentum takes on the constant gradient g = 1 (helpers.optim)."""
    opt, p = SGD(lr=lr, momentum=beta), np.zeros(1)
    state, out = opt.init(p), []
    for _ in range(steps):
        p_new, state = opt.step(p, np.ones(1), state)
        out.append(float((p - p_new)[0]))
        p = p_new
    return np.array(out)


# Exercise 4: the first step (counted from 1) at 90% of the final step, measured on a run.
_STEPS = _steady_slope_steps(0.01, 0.9, 400)
FULL_SPEED = int(np.argmax(_STEPS >= 0.9 * _STEPS[-1])) + 1

# Exercise 6 (transfer): Polyak's tuning on curvatures 2 and 50, from helpers.lessons.momentum.
BETA6 = float(momentum_lesson.best_momentum(50.0 / 2.0))
LR6 = (1 + np.sqrt(BETA6)) ** 2 / 50.0
TUNED_RATE = float(momentum_lesson.rate(LR6, np.array([2.0, 50.0]), BETA6).max())

_dist6 = np.linalg.norm(run(quadratic(2.0, 50.0), SGD(lr=LR6, momentum=BETA6), quadratic(2.0, 50.0).default_start,
                            200).xs, axis=1)
MEASURED = [float((_dist6[b] / _dist6[a]) ** (1 / (b - a))) for a, b in ((10, 20), (100, 200))]   # 0.711, 0.671

# Exercise 7: Nesterov's limit with beta = 0.8 on curvature 5, from helpers.lessons.momentum.
NESTEROV_LIMIT = float(momentum_lesson.nesterov_limit(5.0, 0.8))

# Exercise 8: section 3's curvatures at lr 0.2, beta 0.3: each direction's spectral radius.
RATES8 = momentum_lesson.spectral_radius(momentum_lesson.direction_map(0.2, np.array([1.0, 4.0, 10.0]), 0.3))

CASES = [
    (momentum.check_nesterov_limit, NESTEROV_LIMIT, [
        (float(momentum_lesson.stability_limit(5.0, 0.8)), "heavy ball's limit"),
        (float(momentum_lesson.stability_limit(5.0)), "plain descent's limit"),
        ((1 + 1 / 0.8) / 5.0, "product of the roots"),
        (NESTEROV_LIMIT * 5.0, "divide by L"),
    ]),
    (momentum.check_slowest_rate, float(RATES8.max()), [
        (float(RATES8.min()), "complex roots"),                     # sqrt(beta): as if all three spiralled
        (0.5, "smaller root"),
        (1 - 0.2 * 1.0, "plain descent's factor"),
    ]),
    (momentum.check_smallest_momentum, SMALLEST_BETA, [
        (LR3 * L3 - 2, "halve it"),                                 # 2 beta, not beta
        (1 - 2 / (LR3 * L3), "scaled by 1 / (1 - beta)"),           # from lr < 2 / ((1 - beta) L)
        (float(momentum_lesson.stability_limit(L3)), "plain descent's largest"),
    ]),
    (momentum.check_tuned_rate, TUNED_RATE, [
        (float(momentum_lesson.rate(momentum_lesson.best_plain_lr(2.0, 50.0), np.array([2.0, 50.0])).max()),
         "plain descent's best"),
        (BETA6, "beta itself"),
        (float((np.sqrt(50) - 1) / (np.sqrt(50) + 1)), "largest curvature"),
        (float((np.sqrt(10) - 1) / (np.sqrt(10) + 1)), "notebook's bowl"),
        (MEASURED[0], "repeated root"), (MEASURED[1], "repeated root"),   # the run's shrink per step
    ]),
]


def test_smallest_momentum_is_the_boundary_of_stable_runs():
    assert momentum_lesson.stability_limit(L3, SMALLEST_BETA) == pytest.approx(LR3)
    for beta, stable in ((SMALLEST_BETA - 0.01, False), (SMALLEST_BETA + 0.01, True)):
        trace = run(quadratic(1.0, L3), SGD(lr=LR3, momentum=beta), [0.0, 1.0], 2000)
        assert bool(trace.diverged_at is None and abs(trace.xs[-1, 1]) < 1e-3) is stable, beta
    fb = momentum.check_smallest_momentum(0.9)
    assert fb.ok is False and "smaller beta" in fb.message           # stable, but not the boundary
    assert "diverges" in momentum.check_smallest_momentum(0.5).message


def test_steps_to_full_speed_agree_with_the_optimizer():
    assert _STEPS[-1] == pytest.approx(0.01 / (1 - 0.9), rel=1e-9)
    assert FULL_SPEED == 22
    fb = momentum.check_steps_to_full_speed
    assert fb(FULL_SPEED).ok is True and fb(float(FULL_SPEED)).ok is True
    assert fb(FULL_SPEED + 0.3).ok is False and "whole number" in fb(FULL_SPEED + 0.3).message
    assert "memory" in fb(round(1 / (1 - 0.9))).message                 # 1 / (1 - beta) = 10
    assert "just short" in fb(FULL_SPEED - 1).message
    assert "ln(0.9) = -0.1" in fb(round(np.log(10) / (1 - 0.9))).message  # the continuous estimate, 23
    assert "final step size" in fb(round(_STEPS[-1], 6)).message      # 0.1, the final step, typed
    assert "past 90%" in fb(30).message and "short of 90%" in fb(5).message
    assert fb(None).ok is None and fb("22").ok is False


def test_tuned_rate_is_what_a_run_shows():
    assert TUNED_RATE == pytest.approx(2 / 3)
    trace = run(quadratic(2.0, 50.0), SGD(lr=LR6, momentum=BETA6), [-4.0, 2.0], 400)
    dist = np.linalg.norm(trace.xs, axis=1)
    per_step = (dist[300] / dist[200]) ** (1 / 100)                  # a double root: t r^t, so measure late
    assert abs(per_step - TUNED_RATE) < 0.01


@pytest.mark.parametrize("check, right, wrongs", CASES, ids=[case[0].__name__ for case in CASES])
def test_checkers(check, right, wrongs):
    assert_checker(check, right, wrongs)


def test_nesterov_limit_is_where_runs_stop_converging():
    assert NESTEROV_LIMIT == pytest.approx(3.6 / 13)
    surf = quadratic(1.0, 5.0)
    for lr, stable in ((0.98 * NESTEROV_LIMIT, True), (1.02 * NESTEROV_LIMIT, False)):
        trace = run(surf, SGD(lr=lr, momentum=0.8, nesterov=True), [0.0, 1.0], 2000)
        assert bool(trace.diverged_at is None and abs(trace.xs[-1, 1]) < 1e-3) is stable, lr


def test_slowest_rate_is_what_a_run_on_the_tilted_bowl_shows():
    np.testing.assert_allclose(RATES8, [0.6, np.sqrt(0.3), np.sqrt(0.3)])
    q = momentum_lesson.RotatedQuadratic([1.0, 4.0, 10.0], seed=0)
    trace = run(q, SGD(lr=0.2, momentum=0.3), q.basis @ np.ones(3), 120)
    whole = momentum_lesson.envelope_rate(np.linalg.norm(trace.xs, axis=1), 60, 120, window=6)
    assert whole == pytest.approx(RATES8.max(), abs=0.01)
    assert "not it" in momentum.check_slowest_rate(0.9).message
