"""The landscape checkers: right answers pass, typical slips get their own message."""

import numpy as np

from helpers import descent
from helpers.lessons.exercises.landscapes import (CRITICAL_POINT, ESCAPE_RANGE, HOLDING_LR, check_critical_point,
                                          check_deep_well_limit, check_escape_steps, check_holding_minima,
                                          check_reached_minimum)
from helpers.lessons.landscapes import basin_map
from helpers.optim import SGD
from helpers.surfaces import SURFACES

HIMMELBLAU = SURFACES["himmelblau"]


def test_reached_minimum():
    # Exercise 1, as the solution solves it: plain descent (lr 0.01, 400 steps) on the double well from (0.05, 0.5)
    well = SURFACES["double_well"]
    start = np.array([0.05, 0.5])
    end = descent.run(well, SGD(lr=0.01), start, steps=400).xs[-1]
    reached = int(np.argmin(np.linalg.norm(well.minima - end, axis=1)))
    nearest = int(np.argmin(np.linalg.norm(well.minima - start, axis=1)))
    assert nearest != reached and well.loss(well.minima[reached]) < well.loss(well.minima[nearest])
    assert np.linalg.norm(end - well.minima[reached]) < 1e-3
    assert well.grad(start)[0] > 0                       # the slope along x points to the deep side
    assert check_reached_minimum(None).ok is None
    assert check_reached_minimum(reached).ok is True
    assert check_reached_minimum(end).ok is True         # its coordinates
    assert "nearer" in check_reached_minimum(nearest).message
    assert "nearer" in check_reached_minimum(well.minima[nearest]).message
    assert check_reached_minimum(2).ok is False and check_reached_minimum("deep").ok is False


def _limits():
    return [2 / float(np.linalg.eigvalsh(HIMMELBLAU.hessian(m)).max()) for m in HIMMELBLAU.minima]


def test_holding_minima():
    # Exercise 2, from the Hessians (as the solution decides it) and from the basin map at lr = 0.02
    holding = {k for k, limit in enumerate(_limits()) if HOLDING_LR < limit}
    _, _, labels = basin_map(HIMMELBLAU, lr=HOLDING_LR, steps=400, resolution=60)
    assert set(np.unique(labels[labels >= 0]).tolist()) == holding == {0, 1}
    assert check_holding_minima(None).ok is None
    assert check_holding_minima(sorted(holding)).ok is True
    assert check_holding_minima(tuple(holding)).ok is True and check_holding_minima(holding).ok is True
    at_0015 = {k for k, limit in enumerate(_limits()) if 0.015 < limit}     # the notebook's own case
    assert "lr = 0.015" in check_holding_minima(sorted(at_0015)).message
    assert "still can" in check_holding_minima(sorted({0, 1, 2, 3} - holding)).message   # the lost ones
    assert "learning rate matters" in check_holding_minima([0, 1, 2, 3]).message
    assert "can hold runs too" in check_holding_minima([0]).message
    assert "cannot hold a run" in check_holding_minima([1, 2]).message
    assert check_holding_minima("0, 1").ok is False and check_holding_minima([0, 7]).ok is False


def test_critical_point():
    # Exercise 3: classify the point by the signs of the Hessian's eigenvalues
    bumpy = SURFACES["bumpy"]
    p = np.array(CRITICAL_POINT)
    assert np.linalg.norm(bumpy.grad(p)) < 1e-3
    eigenvalues = np.linalg.eigvalsh(bumpy.hessian(p))
    kind = "maximum" if np.all(eigenvalues < 0) else "minimum" if np.all(eigenvalues > 0) else "saddle"
    assert kind == "saddle"
    # and so a hair either side along x rolls into two different dips
    trace = descent.run(bumpy, SGD(lr=0.1), np.array([p + [1e-4, 0.0], p - [1e-4, 0.0]]), 600)
    ends = trace.xs[-1]
    assert np.allclose(ends[1], [0.0, 0.0], atol=1e-3) and np.allclose(ends[0], [2.8396, 0.0], atol=1e-3)
    assert check_critical_point(None).ok is None
    assert check_critical_point(kind.capitalize()).ok is True
    assert check_critical_point("saddle point").ok is True and check_critical_point("a saddle").ok is True
    assert "every eigenvalue negative" in check_critical_point("maximum").message
    assert "does not make it a minimum" in check_critical_point("local minimum").message
    assert check_critical_point(3).ok is False


def _escape(y0, lr):
    """Steps until the loss drops below -0.2, as notebook 04 measures leaving the saddle."""
    return int(np.argmax(descent.run(SURFACES["saddle"], SGD(lr=lr), [-1.8, y0], 800).losses < -0.2))


def test_escape_steps():
    # Exercise 4: lr = 0.05 and a start 1000 times closer, measured as the notebook does
    extra = _escape(1e-7, 0.05) - _escape(1e-4, 0.05)
    predicted = np.log(1000) / np.log(1 + 0.05)               # y grows by 1 + lr per step
    assert abs(extra - predicted) < 1.5
    assert ESCAPE_RANGE[0] <= 0.91 * predicted and 1.09 * predicted <= ESCAPE_RANGE[1]   # about +-10%
    assert check_escape_steps(None).ok is None
    assert check_escape_steps(extra).ok is True
    assert check_escape_steps(round(predicted)).ok is True
    assert check_escape_steps(np.log(1000) / 0.05).ok is True      # log(1 + lr) ~ lr: a fair estimate
    notebook_case = _escape(1e-6, 0.1) - _escape(1e-4, 0.1)       # lr 0.1, a factor of 100: 48
    assert "notebook's case" in check_escape_steps(notebook_case).message
    assert "right for lr = 0.1" in check_escape_steps(_escape(1e-7, 0.1) - _escape(1e-4, 0.1)).message
    assert "three factors of 10" in check_escape_steps(_escape(1e-6, 0.05) - _escape(1e-4, 0.05)).message
    assert "linear guess" in check_escape_steps(1000 * extra).message
    assert "extra" in check_escape_steps(_escape(1e-7, 0.05)).message      # the total, not the extra
    assert check_escape_steps(20).ok is False


DOUBLE_WELL = SURFACES["double_well"]


def _double_well_limits():
    return [2 / float(np.linalg.eigvalsh(DOUBLE_WELL.hessian(m)).max()) for m in DOUBLE_WELL.minima]


def settles(lr, k):
    """Descent started near the double well's minimum k (0.05 off, both coordinates) ends within 1e-6."""
    m = DOUBLE_WELL.minima[k]
    end = descent.run(DOUBLE_WELL, SGD(lr=lr), m + 0.05, 3000).xs[-1]
    return bool(np.linalg.norm(end - m) < 1e-6)


def test_deep_well_limit():
    # Exercise 5 (transfer): the deep minimum (index 0, lower loss) has the smaller 2/L
    deep, shallow = _double_well_limits()
    assert DOUBLE_WELL.loss(DOUBLE_WELL.minima[0]) < DOUBLE_WELL.loss(DOUBLE_WELL.minima[1])
    assert deep < shallow
    # measured: 2% below the deep limit both minima hold a run; 2% above it only the shallow one does
    assert settles(0.98 * deep, 0) and settles(0.98 * deep, 1)
    assert not settles(1.02 * deep, 0) and settles(1.02 * deep, 1)
    assert check_deep_well_limit(None).ok is None
    assert check_deep_well_limit(deep).ok is True
    assert "shallow minimum's limit" in check_deep_well_limit(shallow).message
    assert "along y" in check_deep_well_limit(2 / 2).message
    assert "x = -1 exactly" in check_deep_well_limit(2 / (12 * 1.0 - 4)).message
    assert "1/L" in check_deep_well_limit(deep / 2).message
    assert check_deep_well_limit(0.5).ok is False


def test_rounding_policy():
    from checker_cases import assert_rounding_policy  # tests/ is on sys.path under pytest

    deep, shallow = _double_well_limits()
    assert_rounding_policy(check_deep_well_limit, deep, [(shallow, "shallow minimum"), (1.0, "along y")])
