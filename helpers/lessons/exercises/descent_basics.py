"""Self-checks for the exercises on the gradient-descent update and its learning rate.

Every ``check_...`` returns a :class:`helpers.display.feedback.Feedback` and never raises on
a wrong answer. The exercises and the facts the checkers use:

* ``check_update_step``: loss (w - 3)^2 at w = -1 with lr = 0.25. The gradient is
  2 (w - 3) = -8, the step lr * grad = -2, so w = -1 - (-2) = 1.
* ``check_largest_lr``: f(x, y) = 2 x^2 + 8 y^2 has Hessian diag(4, 16), so L = 16
  and descent converges exactly for 0 < lr < 2/L = 0.125.
* ``check_best_lr``: for the same f, mu = 4, L = 16: the best fixed lr is
  2/(L + mu) = 0.1 and the error shrinks by (kappa - 1)/(kappa + 1) = 0.6 per step.
* ``check_descent_function``: a function gradient_descent(grad, x0, lr, steps)
  returning the positions x_0 .. x_steps, shape (steps + 1, d).
* ``check_tilted_limit`` (a transfer: the notebook's bowls are all aligned with the axes):
  f(x, y) = 2 x^2 + 2 x y + 2 y^2 has Hessian [[4, 2], [2, 4]], whose eigenvalues are 2 and 6
  (along (1, -1) and (1, 1)), so descent converges exactly for lr < 2/6 = 1/3.
"""
from __future__ import annotations

import numpy as np

from helpers import descent
from helpers.display.feedback import (Feedback, agrees, almost, check_number, close, matches, no_answer,
                                      rounded_message, rounded_too_far, to_array)
from helpers.optim import SGD

__all__ = ["check_update_step", "check_largest_lr", "check_best_lr", "check_descent_function",
           "check_tilted_limit", "reference_descent", "TILTED_HESSIAN"]


def _ok(message):
    return Feedback(True, message)


def _no(message):
    return Feedback(False, message)


def check_update_step(answer):
    """One step on (w - 3)^2 from w = -1 with lr = 0.25. Right: 1.0."""
    return check_number(
        answer, 1.0,
        "the gradient is 2(w - 3) = -8 at w = -1; the step is lr * grad = -2; "
        "w = -1 - (-2) = 1. A negative gradient means the loss falls to the right, so w grows.",
        slips=[
            (7.0, "you subtracted the gradient without the learning rate: -1 - (-8) = 7 jumps far past the "
                  "minimum at 3. The step is lr * grad = 0.25 * (-8) = -2, so w = 1."),
            (-3.0, "you added the step: -1 + (-2) = -3 walks uphill, away from the minimum at 3. Descent "
                   "subtracts: w = -1 - 0.25 * (-8) = 1."),
            (0.0, "the step is half the right size: the derivative of (w - 3)^2 is 2(w - 3) = -8, not "
                  "(w - 3) = -4. Then w = -1 - 0.25 * (-8) = 1."),
            (-2.0, "-2 is the step lr * grad, not the new w. Subtract it from w = -1: -1 - (-2) = 1."),
            (-8.0, "-8 is the gradient at w = -1, not the new w. Multiply by lr = 0.25 and subtract from -1."),
            (3.0, "3 is the minimum, not where one step lands. With lr = 0.25 the step covers half the "
                  "distance: w = 1 (lr = 0.5 = 1/L would land on 3 at once)."),
            (-9.0, "you added the gradient without the learning rate: -1 + (-8) = -9. Descent moves against "
                   "the gradient, by lr times it: w = -1 - 0.25 * (-8) = 1."),
        ],
        fallback=lambda w: f"got w = {w:g}. Compute the gradient 2(w - 3) at w = -1, multiply by lr = 0.25, and "
                           "subtract that from -1.",
        what="one number (the new w)",
        no_answer_message="replace None with the new w after one step, then run this cell again.")


def check_largest_lr(answer):
    """The stability limit of descent on 2x^2 + 8y^2. Right: 0.125 = 2/16."""
    return check_number(
        answer, 0.125,
        "the Hessian is diag(4, 16), so L = 16. In the steep direction each step multiplies y "
        "by 1 - 16 lr, which shrinks only while |1 - 16 lr| < 1, that is lr < 2/16 = 0.125.",
        slips=[
            (0.5, "0.5 = 2/4 uses the smaller curvature. The steep direction (curvature 16) is the one that "
                  "blows up first: the limit is 2/L with L the largest curvature, 2/16 = 0.125."),
            (0.25, "0.25 = 2/8 takes the coefficient 8 as the curvature. The curvature is the second "
                   "derivative: d^2/dy^2 (8 y^2) = 16, so the limit is 2/16 = 0.125."),
            (1.0, "1 = 2/2 ignores the coefficients. The curvatures are the second derivatives, 4 and 16; "
                  "the limit is 2/16 = 0.125."),
            (0.0625, "0.0625 = 1/L is the rate at which the steep direction is solved in one step. Descent "
                     "still converges (while oscillating) up to twice that: 2/L = 0.125."),
            (0.1, "0.1 = 2/(L + mu) is the best fixed learning rate, not the largest stable one. Stability "
                  "holds up to 2/L = 0.125."),
        ],
        fallback=lambda lr: f"got {lr:g}. Find the Hessian's largest eigenvalue L (second derivatives of 2x^2 and "
                            "8y^2), then use lr < 2/L.",
        no_answer_message="replace None with the largest stable learning rate, then run this cell again.")


def check_best_lr(answer):
    """(best fixed lr, error factor per step) for 2x^2 + 8y^2. Right: (0.1, 0.6)."""
    if answer is None:
        return no_answer("replace None with the pair (best_lr, factor), then run this cell again.")
    a = to_array(answer)
    if a is None or a.shape != (2,):
        return _no(f"the answer should be two numbers (best_lr, factor); got {answer!r}.")
    lr, factor = a
    if agrees(a, [0.1, 0.6]):
        return _ok("with mu = 4 and L = 16, lr = 2/(L + mu) = 0.1 makes both directions shrink equally: "
                   "|1 - 0.1*4| = |1 - 0.1*16| = 0.6 = (kappa - 1)/(kappa + 1) with kappa = 4.")
    if rounded_too_far(a, [0.1, 0.6]):
        return almost(rounded_message(a))
    if matches(lr, 0.1):
        if matches(factor, 0.75):
            return _no("0.75 = 1 - 1/kappa is the factor for lr = 1/L. At lr = 0.1 the shallow direction "
                       "shrinks by |1 - 0.1*4| = 0.6, and so does the steep one.")
        if matches(factor, 0.4) or matches(factor, 0.36):
            return _no("the best lr is right. The factor is |1 - lr * curvature| in the worst direction: "
                       "|1 - 0.4| = 0.6 (and |1 - 1.6| = 0.6): (kappa - 1)/(kappa + 1) = 3/5.")
        return _no(f"the best lr is right; the factor {factor:g} is not. Take the larger of |1 - lr * 4| "
                   "and |1 - lr * 16| at lr = 0.1.")
    if matches(lr, 0.125):
        return _no("0.125 = 2/L is the edge of stability; there the steep direction does not shrink at all "
                   "(|1 - 0.125*16| = 1). The best fixed lr balances both directions: 2/(L + mu).")
    if matches(lr, 0.0625):
        return _no("0.0625 = 1/L solves the steep direction in one step but leaves the shallow one at "
                   "|1 - 0.0625*4| = 0.75 per step. Balancing both gives 2/(L + mu) = 0.1.")
    return _no(f"got lr = {lr:g}. The best fixed lr makes the two factors |1 - lr mu| and |1 - lr L| "
               "equal: lr = 2/(L + mu) with mu = 4, L = 16.")


TILTED_HESSIAN = np.array([[4.0, 2.0], [2.0, 4.0]])
"""The Hessian of 2x^2 + 2xy + 2y^2 (check_tilted_limit): the mixed derivative of 2xy is 2."""


def check_tilted_limit(answer):
    """The stability limit of descent on 2x^2 + 2xy + 2y^2. Right: 1/3 = 2/6."""
    return check_number(
        answer, 1 / 3,
        "the Hessian is [[4, 2], [2, 4]]. Its eigenvalues are 2 (along (1, -1)) and 6 (along (1, 1)): "
        "the cross term tilts the valley by 45 degrees, and along its steep axis the curvature is "
        "L = 6. Descent converges exactly for lr < 2/6 = 0.333.",
        slips=[
            (0.5, "0.5 = 2/4 reads the curvature off the diagonal of the Hessian [[4, 2], [2, 4]]. With a "
                  "cross term the diagonal is not the curvature: the curvatures are the eigenvalues, 2 and "
                  "6, and the limit is 2/6 = 0.333."),
            (1.0, "1 = 2/2 uses the smallest curvature (or the coefficient 2 as a curvature). The steep "
                  "direction blows up first: the limit is 2/L with L = 6, the largest eigenvalue of "
                  "[[4, 2], [2, 4]]."),
            (0.4, "0.4 = 2/5 comes from an off-diagonal entry of 1. The mixed derivative of 2xy is "
                  "d^2/dx dy (2xy) = 2, so the Hessian is [[4, 2], [2, 4]], with eigenvalues 2 and 6."),
            (1 / 6, "1/6 = 1/L is the rate that solves the steep direction in one step. Descent still "
                    "converges, oscillating, up to twice that: 2/L = 0.333."),
            (0.25, "0.25 = 2/(L + mu) = 2/8 is the best fixed learning rate, not the largest stable one. "
                   "Stability holds up to 2/L = 2/6."),
        ],
        fallback=lambda lr: f"got {lr:g}. Write the Hessian (the mixed derivative too), find its largest "
                            "eigenvalue L (np.linalg.eigvalsh), then use lr < 2/L.",
        no_answer_message="replace None with the largest stable learning rate, then run this cell again.")


class _GradientOnly:
    """A problem known only by its gradient: its recorded loss is 0, so no run is cut short."""

    def __init__(self, grad):
        self.grad = grad

    def loss(self, x):
        return np.zeros(np.shape(x)[:-1])


def reference_descent(grad, x0, lr, steps):
    """Positions x_0 .. x_steps of x <- x - lr * grad(x), shape (steps + 1, d): the course's loop."""
    return descent.run(_GradientOnly(grad), SGD(lr), x0, steps, max_loss=np.inf).xs


def check_descent_function(answer):
    """``answer(grad, x0, lr, steps)`` should return every position, start included."""
    if answer is None:
        return no_answer("replace None with your function gradient_descent (no parentheses), then run "
                         "this cell again.")
    if not callable(answer):
        return _no(f"the answer should be a function (grad, x0, lr, steps) -> positions; got {answer!r}.")
    H = np.array([1.0, 4.0])
    grad = lambda x: H * np.asarray(x, dtype=float)
    x0, lr, steps = np.array([2.0, -1.0]), 0.1, 5
    want = reference_descent(grad, x0, lr, steps)
    try:
        with np.errstate(all="ignore"):
            got = answer(grad, x0.copy(), lr, steps)
    except Exception as err:
        return _no(f"calling gradient_descent(grad, x0, lr=0.1, steps=5) raised {type(err).__name__}: {err}")
    xs = to_array(got)
    if xs is None:
        return _no(f"your function returned {got!r}; it should return an array of positions.")
    if xs.shape == (2,):
        return _no("your function returned one point; return every position x_0, ..., x_steps, shape "
                   "(steps + 1, d), so that the path can be drawn.")
    if xs.shape == (steps, 2):
        if close(xs, want[1:]):
            return _no("the positions after each step are right, but the start x_0 is missing: return "
                       "steps + 1 rows, beginning with x0.")
        return _no("there are `steps` rows; there should be steps + 1, starting with x0.")
    if xs.shape != want.shape:
        return _no(f"the result has shape {xs.shape}; for steps=5 in 2-D it should be (6, 2).")
    if close(xs, want):
        return _ok("every position of x <- x - lr * grad(x), start included.")
    if close(xs, reference_descent(lambda x: -grad(x), x0, lr, steps)):
        return _no("the path climbs: you added lr * grad. Descent subtracts it.")
    if close(xs, reference_descent(grad, x0, 1.0, steps)):
        return _no("the learning rate is not used: each step subtracted the whole gradient. Multiply it by lr.")
    stale = [i for i in range(steps) if close(xs[i], want[-1]) and not close(want[i], want[-1])]
    if stale:
        rows = ", ".join(str(i) for i in stale)
        return _no(f"row{'s' if len(stale) > 1 else ''} {rows} of your path hold{'' if len(stale) > 1 else 's'} "
                   f"the last position x_{steps}, not the position of that step. That is aliasing: an update "
                   "in place, such as x -= lr * grad(x), changes the one array that your stored rows refer "
                   "to, so they all end up at the final point. Write x = x - lr * grad(x), which makes a new "
                   "array each step (or store x.copy()).")
    if not close(xs[0], x0):
        return _no("the first row should be the start x0, unchanged.")
    return _no("the positions differ from x_{t+1} = x_t - lr * grad(x_t). Compute each new position from "
               "the previous one (not from x0).")
