"""Self-checks for the exercises on loss landscapes.

Every ``check_...`` returns a :class:`helpers.display.feedback.Feedback` and never raises on
a wrong answer. The exercises and the facts the checkers use:

* ``check_reached_minimum``: plain descent (lr = 0.01, 400 steps) on Himmelblau's
  function from (0, -0.5) ends at minimum 0, (3, 2), although minimum 3,
  (3.584, -1.848), is slightly nearer to the start (3.83 against 3.91).
* ``check_lost_basin``: the Hessian's largest eigenvalue at Himmelblau's minima is
  82.3, 80.6, 133.8 and 105.4; a minimum can hold descent only if lr < 2/L there,
  so minimum 2, (-3.779, -3.283), with 2/L = 0.0149, is the first to vanish.
* ``check_critical_point``: at (-0.2708, -0.9230) the gradient of Himmelblau's
  function vanishes and both Hessian eigenvalues are negative (-45.6, -16.1): a
  local maximum.
* ``check_escape_steps``: near the saddle of x^2/2 + y^4/4 - y^2/2, y grows by a
  factor of about 1 + lr per step, so starting 100 times closer to the ridge adds
  log(100)/log(1.1) = 48.3 steps at lr = 0.1 (measured: 48 or 49).
"""
from __future__ import annotations

import numpy as np

from helpers.display.feedback import Feedback, no_answer, to_array, to_float
from helpers.surfaces import SURFACES

__all__ = ["check_reached_minimum", "check_lost_basin", "check_critical_point", "check_escape_steps"]

_HIMMELBLAU = SURFACES["himmelblau"].minima


def _ok(message):
    return Feedback(True, message)


def _no(message):
    return Feedback(False, message)


def _minimum_index(answer):
    """An index 0-3, or the coordinates of one of the four minima -> index; else None."""
    a = to_array(answer)
    if a is None:
        return None
    if a.shape == () and float(a) in (0.0, 1.0, 2.0, 3.0):
        return int(a)
    if a.shape == (2,):
        d = np.linalg.norm(_HIMMELBLAU - a, axis=1)
        if d.min() < 0.05:
            return int(np.argmin(d))
    return None


def check_reached_minimum(answer):
    """Which Himmelblau minimum does descent reach from (0, -0.5)? Right: 0, i.e. (3, 2)."""
    if answer is None:
        return no_answer("replace None with the index (0-3) or coordinates of the minimum, then run this "
                         "cell again.")
    k = _minimum_index(answer)
    if k is None:
        return _no(f"give an index 0, 1, 2 or 3 (see surface.minima) or the coordinates of one minimum; "
                   f"got {answer!r}.")
    if k == 0:
        return _ok("the run ends at minimum 0, (3, 2), although minimum 3 is slightly nearer to the start. "
                   "Descent follows the slope under its feet, not a straight line to the closest minimum.")
    if k == 3:
        return _no("minimum 3 is the nearest to (0, -0.5), by a little (3.83 against 3.91), but descent does "
                   "not go to the nearest minimum: it follows the slope. Run it: descent.run(surface, "
                   "SGD(lr=0.01), [0, -0.5], 400).xs[-1].")
    return _no(f"minimum {k} is on the far side of the central hill from (0, -0.5). Run descent from that "
               "start and look at the last position.")


def check_lost_basin(answer):
    """Which minimum's basin vanishes first as lr grows? Right: 2 (largest curvature, 133.8)."""
    if answer is None:
        return no_answer("replace None with the index (0-3) of the minimum, then run this cell again.")
    k = _minimum_index(answer)
    if k is None:
        return _no(f"give an index 0, 1, 2 or 3 (or the coordinates of one minimum); got {answer!r}.")
    L = [82.3, 80.6, 133.8, 105.4]
    if k == 2:
        return _ok("the largest Hessian eigenvalue there is L = 133.8, the largest of the four, so its "
                   "limit 2/L = 0.0149 is the first to be crossed. Above it, descent cannot settle there.")
    return _no(f"at minimum {k} the largest curvature is L = {L[k]}, so descent can settle there for any "
               f"lr < 2/L = {2 / L[k]:.4f}. The basin that vanishes first belongs to the minimum with the "
               "largest L: compute np.linalg.eigvalsh(surface.hessian(m)) at each minimum.")


def check_critical_point(answer):
    """Classify (-0.2708, -0.9230) on Himmelblau's function. Right: "maximum"."""
    if answer is None:
        return no_answer('replace None with "minimum", "maximum" or "saddle", then run this cell again.')
    if not isinstance(answer, str):
        return _no(f'answer with a word: "minimum", "maximum" or "saddle"; got {answer!r}.')
    word = answer.strip().lower()
    if word.startswith("local "):
        word = word[6:]
    if word in ("maximum", "max", "local maximum"):
        return _ok("both Hessian eigenvalues are negative (-45.6 and -16.1): the loss curves down in every "
                   "direction, a hilltop (loss 181.6). Descent leaves it in whichever direction it is nudged.")
    if word in ("minimum", "min"):
        return _no("the gradient is zero there, but that does not make it a minimum. The Hessian's "
                   "eigenvalues are both negative: the loss curves downward in every direction.")
    if word in ("saddle", "saddle point"):
        return _no("a saddle has eigenvalues of both signs. Here both are negative (-45.6, -16.1), so every "
                   "direction goes down.")
    return _no(f'answer "minimum", "maximum" or "saddle"; got {answer!r}.')


ESCAPE_RANGE = (44, 53)   # the estimates check_escape_steps accepts: 48.3 +- about 10%


def check_escape_steps(answer):
    """Extra steps near the saddle when y0 is 100 times smaller, lr = 0.1. Right: about 48."""
    if answer is None:
        return no_answer("replace None with a number of steps, then run this cell again.")
    n = to_float(answer)
    if n is None:
        return _no(f"the answer should be one number of steps; got {answer!r}.")
    # an estimate ("about how many"), so a range counts rather than three significant figures:
    # log(100)/log(1.1) = 48.3 predicted, 48 or 49 measured
    if ESCAPE_RANGE[0] <= n <= ESCAPE_RANGE[1]:
        return _ok("near the saddle y is multiplied by about 1 + lr = 1.1 per step, so a factor of 100 "
                   "costs log(100)/log(1.1) = 48 extra steps: the wait grows with log(1/y0), not with 1/y0. "
                   f"(An estimate: anything from {ESCAPE_RANGE[0]} to {ESCAPE_RANGE[1]} counts.)")
    if n >= 1000:
        return _no("that is the linear guess (100 times closer, 100 times longer). The escape is "
                   "exponential: y grows by a factor 1 + lr per step, so a factor 100 takes "
                   "log(100)/log(1 + lr) steps.")
    if 90 <= n <= 200:
        return _no("that looks like the total time spent, or a doubling. Count only the extra steps: y is "
                   "multiplied by 1.1 per step, and 1.1^t = 100 at t = log(100)/log(1.1).")
    if 0 <= n <= 5:
        return _no("the run does need longer: y has to grow 100 times more before it leaves the ridge, at "
                   "a factor 1.1 per step.")
    return _no(f"got {n:g}. Near the saddle, y_(t+1) = (1 + lr) y_t; solve (1.1)^t = 100 for t.")
