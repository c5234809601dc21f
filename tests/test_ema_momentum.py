import numpy as np
import pytest

from helpers.lessons import ema, momentum
from helpers.descent import run
from helpers.optim import SGD
from helpers.surfaces import quadratic


def test_ema_matches_loop_and_debias_recovers_constant():
    g = np.array([2.0, 2.0, 2.0])
    assert ema.ema(g, 0.9)[-1] == pytest.approx(2 * (1 - 0.9**3))
    np.testing.assert_allclose(ema.ema(g, 0.9, debias=True), 2.0)
    assert ema.ema_weights(0.9, 3).sum() == pytest.approx(1 - 0.9**3)
    with pytest.raises(ValueError, match="beta"):
        ema.ema(g, 1.0)


def test_rate_predicts_runs_on_a_quadratic():
    surf = quadratic(1.0, 10.0)
    for lr, beta in ((0.1, 0.5), (0.3, 0.9)):
        trace = run(surf, SGD(lr=lr, momentum=beta), np.array([0.0, 1.0]), 400)
        rho = momentum.rate(lr, 10.0, beta)
        observed = abs(trace.xs[-1, 1]) ** (1 / 400)
        assert observed == pytest.approx(rho, rel=0.05)


def test_stability_limit_separates_converging_from_diverging_runs():
    surf = quadratic(1.0, 10.0)
    for beta in (0.0, 0.9):
        limit = float(momentum.stability_limit(10.0, beta))
        below = run(surf, SGD(lr=0.98 * limit, momentum=beta), np.array([0.0, 1.0]), 2000)
        above = run(surf, SGD(lr=1.02 * limit, momentum=beta), np.array([0.0, 1.0]), 2000)
        assert below.losses[-1] < below.losses[0]
        assert above.diverged_at is not None or above.losses[-1] > above.losses[0]


def test_best_momentum_rate_formula():
    beta = momentum.best_momentum(10.0)
    lr = (1 + np.sqrt(beta)) ** 2 / 10
    expected = (np.sqrt(10) - 1) / (np.sqrt(10) + 1)
    assert momentum.rate(lr, np.array([1.0, 10.0]), beta) == pytest.approx([expected, expected])
