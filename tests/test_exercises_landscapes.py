"""The landscape checkers: right answers pass, typical slips get their own message."""

import numpy as np

from helpers import descent
from helpers.lessons.exercises.landscapes import (check_critical_point, check_escape_steps, check_lost_basin,
                                          check_reached_minimum)
from helpers.optim import SGD
from helpers.surfaces import SURFACES

HIMMELBLAU = SURFACES["himmelblau"]
START = np.array([0.0, -0.5])


def test_reached_minimum():
    # Exercise 1, as the notebook solves it: run plain descent (lr 0.01, 400 steps) and see where it ends
    end = descent.run(HIMMELBLAU, SGD(lr=0.01), START, steps=400).xs[-1]
    reached = int(np.argmin(np.linalg.norm(HIMMELBLAU.minima - end, axis=1)))
    nearest = int(np.argmin(np.linalg.norm(HIMMELBLAU.minima - START, axis=1)))
    assert nearest != reached                            # the point of the exercise
    assert check_reached_minimum(None).ok is None
    assert check_reached_minimum(reached).ok is True
    assert check_reached_minimum(end).ok is True         # its coordinates
    assert "nearest" in check_reached_minimum(nearest).message
    other = next(k for k in range(4) if k not in (reached, nearest))
    assert check_reached_minimum(HIMMELBLAU.minima[other]).ok is False
    assert check_reached_minimum(7).ok is False


def test_lost_basin():
    # Exercise 2: the basin that vanishes first has the largest Hessian eigenvalue L (smallest 2/L)
    curvatures = [float(np.linalg.eigvalsh(HIMMELBLAU.hessian(m)).max()) for m in HIMMELBLAU.minima]
    first = int(np.argmax(curvatures))
    assert check_lost_basin(None).ok is None
    assert check_lost_basin(first).ok is True
    other = 0 if first != 0 else 1
    wrong = check_lost_basin(other)
    assert wrong.ok is False and f"{curvatures[other]:.1f}" in wrong.message
    assert f"{2 / curvatures[other]:.4f}" in wrong.message


def test_critical_point():
    # Exercise 3: classify the point by the signs of the Hessian's eigenvalues
    p = np.array([-0.2708, -0.9230])
    assert np.linalg.norm(HIMMELBLAU.grad(p)) < 0.01
    eigenvalues = np.linalg.eigvalsh(HIMMELBLAU.hessian(p))
    kind = "maximum" if np.all(eigenvalues < 0) else "minimum" if np.all(eigenvalues > 0) else "saddle"
    assert check_critical_point(None).ok is None
    assert check_critical_point(kind.capitalize()).ok is True
    assert check_critical_point("local " + kind).ok is True
    assert "does not make it a minimum" in check_critical_point("minimum").message
    assert "both signs" in check_critical_point("saddle").message
    assert check_critical_point(3).ok is False


def test_escape_steps():
    # Exercise 4, measured as the notebook does: steps until the loss drops below -0.2 from y0 and y0 / 100
    saddle = SURFACES["saddle"]
    escape = [int(np.argmax(descent.run(saddle, SGD(lr=0.1), [-1.8, y0], 400).losses < -0.2))
              for y0 in (1e-4, 1e-6)]
    extra = escape[1] - escape[0]
    assert abs(extra - np.log(100) / np.log(1 + 0.1)) < 1.5   # y grows by 1 + lr per step
    assert check_escape_steps(None).ok is None
    assert check_escape_steps(extra).ok is True
    assert check_escape_steps(round(np.log(100) / np.log(1.1))).ok is True
    assert "linear guess" in check_escape_steps(100 * escape[0]).message   # 100 times closer, 100 times longer
    assert "extra steps" in check_escape_steps(escape[1]).message          # the total, not the extra
    assert check_escape_steps(20).ok is False
