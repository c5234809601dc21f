"""Self-checks for the exercises on loss landscapes.

Every ``check_...`` returns a :class:`helpers.display.feedback.Feedback` and never raises on
a wrong answer. The exercises and the facts the checkers use:

* ``check_reached_minimum``: plain descent (lr = 0.01, 400 steps) on the double well
  x^4 - 2x^2 + x/2 + y^2 from (0.05, 0.5) ends at minimum 0, the deep one (-1.057, 0),
  although minimum 1, the shallow one (0.930, 0), is nearer to the start (1.01 against
  1.22): the start lies left of the ridge at x = 0.127, where df/dx = 4x^3 - 4x + 0.5 > 0.
* ``check_holding_minima``: the Hessian's largest eigenvalue at Himmelblau's minima is
  82.3, 80.6, 133.8 and 105.4, so 2/L is 0.0243, 0.0248, 0.0149 and 0.0190; a minimum
  can hold descent only if lr < 2/L there, so at lr = 0.02 only minima 0 and 1 can.
* ``check_critical_point``: on the bumpy surface h(x) + h(y), h(t) = t^2/10 + sin^2 t, the
  gradient vanishes at (1.7495, 0) (h'(1.7495) = 0: the crest of a ripple). The Hessian is
  diag(h''(1.7495), h''(0)) = diag(-1.67, 2.2): eigenvalues of both signs, a saddle.
* ``check_escape_steps``: near the saddle of x^2/2 + y^4/4 - y^2/2, y grows by a
  factor of about 1 + lr per step, so at lr = 0.05 starting 1000 times closer to the
  ridge adds log(1000)/log(1.05) = 141.6 steps (measured: 141).
* ``check_deep_well_limit`` (a transfer: notebook 04 applies 2/L to Himmelblau only): the
  double well x^4 - 2x^2 + x/2 + y^2 has its deep minimum at x = -1.0575, where the
  curvature along x is 12x^2 - 4 = 9.42, and its shallow one at x = 0.9304, curvature
  6.39 (along y it is 2 at both). So the deep minimum is the first to stop holding
  descent as lr grows, above 2/9.42 = 0.212 (the shallow one holds until 0.313).
"""
from __future__ import annotations

import numpy as np

from helpers.display.feedback import Feedback, check_number, no_answer, to_array, to_float
from helpers.surfaces import SURFACES

__all__ = ["check_reached_minimum", "check_holding_minima", "check_critical_point", "check_escape_steps",
           "check_deep_well_limit", "ESCAPE_RANGE", "HOLDING_LR", "CRITICAL_POINT"]

_DOUBLE_WELL = SURFACES["double_well"].minima     # [deep, shallow]
_CURVATURES = (82.3, 80.6, 133.8, 105.4)     # largest Hessian eigenvalue at each of Himmelblau's minima


def _ok(message):
    return Feedback(True, message)


def _no(message):
    return Feedback(False, message)


def _minimum_index(answer, minima):
    """An index into ``minima``, or the coordinates of one of them -> index; else None."""
    a = to_array(answer)
    if a is None:
        return None
    if a.shape == () and float(a) in [float(k) for k in range(len(minima))]:
        return int(a)
    if a.shape == (2,):
        d = np.linalg.norm(minima - a, axis=1)
        if d.min() < 0.05:
            return int(np.argmin(d))
    return None


def check_reached_minimum(answer):
    """Which double-well minimum does descent reach from (0.05, 0.5)? Right: 0, the deep one (-1.057, 0)."""
    if answer is None:
        return no_answer("replace None with the index (0 or 1) or coordinates of the minimum, then run this "
                         "cell again.")
    k = _minimum_index(answer, _DOUBLE_WELL)
    if k is None:
        return _no(f"give an index, 0 or 1 (see surface.minima), or the coordinates of one minimum; "
                   f"got {answer!r}.")
    if k == 0:
        return _ok("the run ends in the deep minimum, (-1.057, 0), although the shallow one is nearer to the "
                   "start (1.01 against 1.22). At (0.05, 0.5) the slope along x is 4x^3 - 4x + 0.5 = 0.30 > 0, "
                   "so descent moves left: the start lies on the deep side of the ridge at x = 0.127. Descent "
                   "follows the slope under its feet, not a straight line to the closest minimum.")
    return _no("minimum 1, the shallow one, is the nearer (1.01 against 1.22), but descent does not go to the "
               "nearest minimum: it follows the slope. Compute the gradient at the start "
               "(surface.grad([0.05, 0.5])), or run it: descent.run(surface, SGD(lr=0.01), [0.05, 0.5], "
               "400).xs[-1].")


HOLDING_LR = 0.02     # check_holding_minima: the learning rate the exercise asks about


def _index_set(answer):
    """A collection of indices 0-3 (list, tuple, set, array; a single index counts) -> a set; else None."""
    if isinstance(answer, (str, bytes, dict)):
        return None
    if isinstance(answer, (set, frozenset)):
        answer = sorted(answer, key=repr)
    a = to_array(answer)
    if a is None or a.ndim > 1:
        return None
    values = [float(v) for v in np.atleast_1d(a)]
    if any(v not in (0.0, 1.0, 2.0, 3.0) for v in values):
        return None
    return {int(v) for v in values}


def check_holding_minima(answer):
    """Which of Himmelblau's minima can still hold descent at lr = 0.02? Right: {0, 1}."""
    if answer is None:
        return no_answer("replace None with the indices of the minima, e.g. [0, 2], then run this cell again.")
    held = _index_set(answer)
    if held is None:
        return _no(f"give the indices (0, 1, 2, 3) of the minima as a list, e.g. [0, 2]; got {answer!r}.")
    limits = ", ".join(f"{k}: {2 / L:.4f}" for k, L in enumerate(_CURVATURES))
    if held == {0, 1}:
        return _ok("a minimum holds descent only while lr < 2/L there. The limits are "
                   f"{limits}: at lr = 0.02 minima 0 and 1 (limits 0.0243 and 0.0248) still hold runs, while "
                   "2 (0.0149) and 3 (0.0190) have lost theirs.")
    if held == {0, 1, 3}:
        return _no("minimum 3 has L = 105.4, so its limit 2/L = 0.0190 is below 0.02: at this rate it can no "
                   "longer hold a run either. Removing only minimum 2 answers the question for lr = 0.015.")
    if held == {2, 3}:
        return _no("those are the two that can no longer hold a run: 0.02 is above their limits 2/L = 0.0149 "
                   "and 0.0190. The question asks for the minima that still can.")
    if held == {0, 1, 2, 3}:
        return _no("the learning rate matters here: a minimum holds descent only while lr < 2/L there, with "
                   "L its largest Hessian eigenvalue. Compare 0.02 with 2/L at each minimum.")
    if not held:
        return _no("some minima still hold runs at 0.02: those whose limit 2/L is above 0.02.")
    wrong = sorted(k for k in held if 2 / _CURVATURES[k] <= HOLDING_LR)
    if wrong:
        names = " and ".join(f"{k} (2/L = {2 / _CURVATURES[k]:.4f})" for k in wrong)
        return _no(f"minimum {names} cannot hold a run at lr = 0.02: the limit is below 0.02.")
    missing = sorted({0, 1} - held)
    names = " and ".join(f"{k} (2/L = {2 / _CURVATURES[k]:.4f})" for k in missing)
    return _no(f"minimum {names} can hold runs too: its limit is above 0.02. Compute 2/L at every minimum.")


CRITICAL_POINT = (1.7495, 0.0)    # check_critical_point: on SURFACES["bumpy"], a crest along x, a trough along y


def check_critical_point(answer):
    """Classify (1.7495, 0) on the bumpy surface. Right: "saddle" (Hessian eigenvalues -1.67 and 2.2)."""
    if answer is None:
        return no_answer('replace None with "minimum", "maximum" or "saddle", then run this cell again.')
    if not isinstance(answer, str):
        return _no(f'answer with a word: "minimum", "maximum" or "saddle"; got {answer!r}.')
    word = answer.strip().lower()
    for prefix in ("a ", "local "):
        if word.startswith(prefix):
            word = word[len(prefix):]
    if word in ("saddle", "saddle point"):
        return _ok("the Hessian is diagonal here (the surface is a sum h(x) + h(y)), with -1.67 along x, where "
                   "the point is the crest of a ripple, and +2.2 along y, where it lies at the bottom of the "
                   "trough y = 0. Eigenvalues of both signs: a saddle, the pass between the dips at (0, 0) and "
                   "(2.84, 0). A run a hair away along x rolls off into one of them.")
    if word in ("maximum", "max"):
        return _no("along x the point is a ripple's crest (curvature -1.67), but along y it lies in a trough: "
                   "the second eigenvalue is +2.2. A maximum needs every eigenvalue negative.")
    if word in ("minimum", "min"):
        return _no("the gradient is zero there, but that does not make it a minimum: along x the curvature is "
                   "-1.67, so the loss falls both ways along x. Look at the signs of the Hessian's eigenvalues.")
    return _no(f'answer "minimum", "maximum" or "saddle"; got {answer!r}.')


ESCAPE_RANGE = (128, 156)   # the estimates check_escape_steps accepts: 141.6 +- about 10%


def check_escape_steps(answer):
    """Extra steps near the saddle when y0 is 1000 times smaller, lr = 0.05. Right: about 142."""
    if answer is None:
        return no_answer("replace None with a number of steps, then run this cell again.")
    n = to_float(answer)
    if n is None:
        return _no(f"the answer should be one number of steps; got {answer!r}.")
    # an estimate ("about how many"), so a range counts rather than three significant figures:
    # log(1000)/log(1.05) = 141.6 predicted, 141 measured
    if ESCAPE_RANGE[0] <= n <= ESCAPE_RANGE[1]:
        return _ok("near the saddle y is multiplied by about 1 + lr = 1.05 per step, so a factor of 1000 costs "
                   "log(1000)/log(1.05) = 142 extra steps (the run measures 141): half the learning rate, "
                   "about twice the steps per factor, and three factors of 10 instead of two. "
                   f"(An estimate: anything from {ESCAPE_RANGE[0]} to {ESCAPE_RANGE[1]} counts.)")
    if n >= 1000:
        return _no("that is the linear guess (1000 times closer, 1000 times longer). The escape is "
                   "exponential: y grows by a factor 1 + lr per step, so a factor 1000 takes "
                   "log(1000)/log(1 + lr) steps.")
    if 44 <= n <= 53:
        return _no("48 is the notebook's case: lr = 0.1 and a factor of 100. Here both change: y grows by "
                   "only 1.05 per step, and it has to grow 1000 times more. Solve 1.05^t = 1000.")
    if 66 <= n <= 78:
        return _no("that is right for lr = 0.1 (log(1000)/log(1.1) = 72). At lr = 0.05 y grows by only 1.05 "
                   "per step, so each factor of 10 takes about twice as many steps.")
    if 88 <= n <= 100:
        return _no("that is a factor of 100 at lr = 0.05 (log(100)/log(1.05) = 94). The start is 1000 times "
                   "closer: three factors of 10, not two.")
    if 170 <= n <= 500:
        return _no("that looks like the total time spent, not the extra. Count only the extra steps: y is "
                   "multiplied by 1.05 per step, and 1.05^t = 1000 at t = log(1000)/log(1.05).")
    if 0 <= n <= 5:
        return _no("the run does need longer: y has to grow 1000 times more before it leaves the ridge, at "
                   "a factor 1.05 per step.")
    return _no(f"got {n:g}. Near the saddle, y_(t+1) = (1 + lr) y_t; solve (1.05)^t = 1000 for t.")


_DEEP_X, _SHALLOW_X = -1.0574537737, 0.9304029266      # the double well's minima (along y = 0)


def check_deep_well_limit(answer):
    """The learning rate above which the double well's first minimum stops holding descent. Right: 0.212,
    2/L at the deep minimum (L = 12 x^2 - 4 = 9.42 at x = -1.0575)."""
    deep_L, shallow_L = 12 * _DEEP_X**2 - 4, 12 * _SHALLOW_X**2 - 4
    return check_number(
        answer, 2 / deep_L,
        f"the curvature along x is 12x^2 - 4: {deep_L:.2f} at the deep minimum (x = {_DEEP_X:.3f}) and "
        f"{shallow_L:.2f} at the shallow one (x = {_SHALLOW_X:.3f}); along y it is 2 at both. The deep valley "
        f"has the steeper walls, so it is the first to stop holding runs, above 2/{deep_L:.2f} = "
        f"{2 / deep_L:.3f}. Between that and {2 / shallow_L:.3f} descent can settle only in the shallow valley.",
        slips=[
            (2 / shallow_L, f"{2 / shallow_L:.3f} is the shallow minimum's limit (L = {shallow_L:.2f}). The deep "
                            f"minimum sits in a steeper valley, L = {deep_L:.2f}, so it goes first, at 2/L = "
                            f"{2 / deep_L:.3f}. Deeper does not mean wider."),
            (1.0, "1 = 2/2 uses the curvature along y, 2 at both minima. The limit is set by the largest "
                  "curvature, the one along x: 12x^2 - 4 at each minimum."),
            (0.25, "0.25 = 2/8 puts the deep minimum at x = -1 exactly; it is at x = -1.0575, where "
                   f"12x^2 - 4 = {deep_L:.2f} (surface.minima has it)."),
            (1 / deep_L, f"{1 / deep_L:.3f} = 1/L is the rate that lands on the minimum in one step along x; runs "
                         f"still settle, oscillating, up to 2/L = {2 / deep_L:.3f}."),
        ],
        fallback=lambda v: f"got {v:g}. Compute the largest Hessian eigenvalue L at each minimum "
                           "(np.linalg.eigvalsh(surface.hessian(m)) for m in surface.minima); the first "
                           "limit crossed is the smallest 2/L.",
        no_answer_message="replace None with the learning rate, then run this cell again.")
