"""Self-checks for the exercises on slopes, derivatives and gradients.

Each ``check_...`` function takes the reader's answer and returns a
:class:`helpers.display.feedback.Feedback`. It never raises on a wrong answer: ``None``
gives "No answer yet", a right answer gives "Correct", and a wrong one says what
is off. Where a common slip produces exactly the number given (a sign error, the
chain-rule factor left out, the learning rate forgotten, the gradient added
instead of subtracted), the message names that slip and shows the right working.

The exercises, with the facts the checkers use:

* ``check_slope_underfoot``: the foggy hillside h(x) = x^4 - 2 x^2 + x/2 (the
  ``double_well`` surface along y = 0) at x = 0.5, where the lesson never stands:
  h'(x) = 4 x^3 - 4 x + 1/2, so h'(0.5) = -1 and the ground falls to the right.
* ``check_first_step``: one step x <- x - lr h'(x) from x = 0.5 with lr = 0.05
  lands at 0.55: against a negative slope, to the right.
* ``check_start_stepping_right``: a start x0 in [-2, 2] whose first step goes right
  and whose walk (lr = 0.05, 100 steps) ends in the deep valley at x = -1.0575:
  any start left of that valley's floor, where the slope is negative.
* ``check_mirrored_walk`` (transfer): on the mirrored hillside g(x) = h(-x) =
  x^4 - 2 x^2 - x/2 the walk from 1.6 settles at x = 1.0575, g's deep valley.
* ``check_hand_gradient``: f(x, y) = (x + 2y - 1)^2 at (1, 1). With r = x + 2y - 1,
  grad f = (2 r, 4 r) = (4, 8).
* ``check_one_step``: loss (w + 1)^2, w = 3, lr = 0.1. The gradient is
  2 (w + 1) = 8, and one step gives w = 3 - 0.1 * 8 = 2.2.
* ``check_steepest_descent``: the bowl f(x, y) = (x^2 + 10 y^2)/2 at (3, 1).
  grad f = (x, 10 y) = (3, 10); the unit direction of steepest decrease is
  -(3, 10)/sqrt(109) = (-0.287, -0.958), which does not point at the minimum.
* ``check_best_h_float32`` (transfer): of h in {1e-2, 1e-5, 1e-8, 1e-11}, central
  differences of g(w) = w^3 at w = 1 computed in float32 (eps = 1.2e-7) are most
  accurate at h = 1e-2: truncation h^2 and round-off eps / h balance near
  eps^(1/3), about 5e-3; at 1e-8 and below, 1 + h rounds to 1.
* ``check_fixed_gradient``: f(x, y) = (x y - 1)^2 + x^2, whose gradient is
  (2 (x y - 1) y + 2 x, 2 (x y - 1) x). The reader repairs a hand gradient that
  left out the chain-rule factor y in the first component.

The hillside and the walk come from helpers.lessons.walker.
"""
from __future__ import annotations

import math

import numpy as np

from helpers.display.feedback import (Feedback, agrees, almost, check_number, close, matches, no_answer,
                                      rounded_message, rounded_too_far, to_array, to_float)
from helpers.lessons.walker import (DEEP_VALLEY, MAP_BOUNDS, RIDGE, SHALLOW_VALLEY, hillside_height, hillside_slope,
                                    walk_downhill)

__all__ = [
    "check_slope_underfoot",
    "check_first_step",
    "check_start_stepping_right",
    "check_mirrored_walk",
    "check_hand_gradient",
    "check_one_step",
    "check_steepest_descent",
    "check_best_h_float32",
    "check_fixed_gradient",
]


def _ok(message):
    return Feedback(True, message)


def _no(message):
    return Feedback(False, message)


# --------------------------------------------------------------------------- the foggy hillside
HILLSIDE_POINT = 0.5   # where the walker stands in warm-ups 1 and 2 (the lesson never stands there)
HILLSIDE_LR = 0.05     # the learning rate of the explorer's default walk
HILLSIDE_STEPS = 100


def _mirrored_walk(x0, lr=HILLSIDE_LR, steps=HILLSIDE_STEPS):
    """The walk on g from x0: the mirror image of the walk on h from -x0."""
    return -walk_downhill(-x0, lr, steps)


def check_slope_underfoot(answer):
    """The slope h'(0.5) of the hillside h(x) = x^4 - 2 x^2 + x/2. Right answer: -1."""
    x = HILLSIDE_POINT
    right = float(hillside_slope(x))
    return check_number(
        answer, right,
        f"h'(0.5) = 4(0.5)^3 - 4(0.5) + 1/2 = 0.5 - 2 + 0.5 = {right:g}. Negative: the ground falls as "
        "x increases, towards the bottom of the shallow valley on the right.",
        slips=[
            (-right, "the size is right but the sign is flipped: 4(0.125) - 4(0.5) + 0.5 = 0.5 - 2 + 0.5, "
                     "which is negative. Here the ground falls as x increases."),
            (float(hillside_height(x)), f"{float(hillside_height(x)):g} is the height h(0.5), not the "
                                        "slope. The slope is h'(x) = 4x^3 - 4x + 1/2."),
            (4 * x**3 - 4 * x, "you left out the + 1/2 of h'(x) = 4x^3 - 4x + 1/2."),
            (4 * x**2 - 4 * x + 0.5, "you squared x where h'(x) cubes it: 4x^3 = 4(0.125) = 0.5 at x = 0.5."),
            (4 * x**3 + 4 * x + 0.5, "the middle term has the wrong sign: h'(x) = 4x^3 - 4x + 1/2, "
                                     "so it is 0.5 - 2 + 0.5."),
        ],
        fallback=lambda s: f"got {s:g}. Put x = 0.5 into h'(x) = 4x^3 - 4x + 1/2 "
                           "(or run hillside_slope(0.5)).",
        what="one number (the slope)",
        no_answer_message="replace None with the slope h'(0.5), a number, then run this cell again.")


def check_first_step(answer):
    """Where one step from x = 0.5 with lr = 0.05 lands: 0.5 - 0.05 * (-1) = 0.55."""
    x, lr = HILLSIDE_POINT, HILLSIDE_LR
    slope = float(hillside_slope(x))
    right = x - lr * slope
    return check_number(
        answer, right,
        f"x_new = x - lr * h'(x) = 0.5 - 0.05 * ({slope:g}) = {right:g}. Subtracting a negative slope "
        "moves the walker right: downhill, towards the bottom of the shallow valley (x = 0.93).",
        slips=[
            (x + lr * slope, "0.45 is a step along the slope, uphill. The rule subtracts: "
                             "x - lr * h'(x) = 0.5 - 0.05 * (-1) = 0.55."),
            (x - slope, "1.5 is x - h'(x), without the learning rate: each step is lr times the slope, "
                        "0.05 * (-1), so the walker moves only 0.05."),
            (x + slope, "-0.5 is x + h'(x): no learning rate, and the wrong sign. "
                        "The rule is x - lr * h'(x) = 0.5 - 0.05 * (-1)."),
            (-lr * slope, "0.05 is the length of the step, not where it lands. Add it to x = 0.5."),
            (SHALLOW_VALLEY, "0.93 is where the walk ends, at the bottom of the shallow valley, after many "
                             "steps. One step from 0.5 moves only lr * |h'(0.5)| = 0.05."),
        ],
        fallback=lambda v: f"got {v:g}. Compute the slope h'(0.5) (exercise 1), then x - lr * h'(x) "
                           "with lr = 0.05.",
        what="one number (the new x)",
        no_answer_message="replace None with the walker's x after one step, then run this cell again.")


def check_start_stepping_right(answer):
    """A start x0 in [-2, 2] whose first step goes right (towards larger x) and whose walk
    (lr = 0.05, 100 steps) ends in the deep valley: any x0 left of the deep valley's floor."""
    if answer is None:
        return no_answer("replace None with a starting point x0 (a number between -2 and 2), "
                         "then run this cell again.")
    x0 = to_float(answer)
    if x0 is None:
        return _no(f"the answer should be one number, the walker's starting x; got {answer!r}.")
    lo, hi = MAP_BOUNDS
    if not lo <= x0 <= hi:
        return _no(f"x0 = {x0:g} is off the map: the hillside is drawn for x between {lo:g} and {hi:g}.")
    xs = walk_downhill(x0, HILLSIDE_LR, HILLSIDE_STEPS)
    first, end = xs[1] - xs[0], xs[-1]
    deep = abs(end - DEEP_VALLEY) < 1e-3
    if abs(x0 - DEEP_VALLEY) < 1e-3 or abs(x0 - RIDGE) < 1e-3:
        return _no(f"x0 = {x0:g} is where the ground is flat (a valley floor or the top of the bump), so "
                   "the first step barely moves. Stand where the ground falls to the right.")
    if deep and first > 0:
        return _ok(f"from x0 = {x0:g} the slope is {float(hillside_slope(x0)):.2f}, negative, so the first "
                   f"step goes right, and the walk ends at x = {end:.3f}, the bottom of the deep valley. "
                   f"Left of that floor (x < {DEEP_VALLEY:.3f}) the ground falls to the right, so every start "
                   "there steps right first; the walker steps downhill, whichever way that is.")
    if deep:
        return _no(f"from x0 = {x0:g} the walker does end in the deep valley, but its first step goes left: "
                   f"between the valley's floor (x = {DEEP_VALLEY:.2f}) and the bump the ground falls to "
                   "the left. Where does the ground fall to the right?")
    if abs(end - SHALLOW_VALLEY) < 1e-3:
        way = "right" if first > 0 else "left"
        return _no(f"from x0 = {x0:g} the first step goes {way}, but the walk ends at x = {end:.3f}, in the "
                   "shallow valley: it started right of the bump, which short steps never cross. "
                   "Look on the deep valley's side.")
    return _no(f"from x0 = {x0:g} the walker is at x = {end:.3f} after {HILLSIDE_STEPS} steps, not yet at "
               "the bottom of the deep valley. Try another start.")


def check_mirrored_walk(answer):
    """Where the walk from x0 = 1.6 (lr = 0.05) settles on g(x) = x^4 - 2 x^2 - x/2. Right: 1.057."""
    end = float(_mirrored_walk(1.6)[-1])
    return check_number(
        answer, end,
        f"the walker settles at x = {end:.3f}. Flipping the tilt mirrors the hillside left to right "
        "(g(x) = h(-x)), so the deep valley is now on the right and the start 1.6 lies in it. The walker "
        "did not find the deeper valley by skill: on h the same start ended in the shallow one.",
        slips=[
            (SHALLOW_VALLEY, "0.930 is where this start ended on the lesson's hillside h. On g the slope is "
                             "g'(x) = 4x^3 - 4x - 1/2: run the rule with it (or mirror the picture)."),
            (DEEP_VALLEY, "-1.057 is the deep valley of the lesson's hillside h. Flipping the tilt mirrors "
                          "the whole hillside, valleys included, left to right."),
            (-SHALLOW_VALLEY, "-0.930 is g's shallow valley, on the far side of the bump from 1.6. With "
                              "steps this short the walker never climbs the bump."),
            (1.6, "1.6 is where the walker starts. Repeat x <- x - 0.05 * g'(x) until x stops changing."),
            (-RIDGE, "-0.127 is the top of g's bump, where the slope is zero but the walker never stands."),
        ],
        fallback=lambda v: f"got {v:g}. Repeat x <- x - 0.05 * (4x^3 - 4x - 0.5) from x = 1.6 "
                           "(100 times is plenty), or mirror the lesson's picture left to right.",
        what="one number (where the walker settles)",
        no_answer_message="replace None with the x where the walker settles, then run this cell again.")


# --------------------------------------------------------------------------- gradients by hand
def check_hand_gradient(answer):
    """Gradient of f(x, y) = (x + 2y - 1)^2 at (1, 1), as [df/dx, df/dy]. Right answer: [4, 8]."""
    if answer is None:
        return no_answer("replace None with [df/dx, df/dy] at (1, 1), then run this cell again.")
    g = to_array(answer)
    if g is None or g.shape != (2,):
        return _no(f"the gradient of a function of two variables has two numbers, [df/dx, df/dy]; "
                   f"got {answer!r}.")
    right = np.array([4.0, 8.0])
    if agrees(g, right):
        return _ok("with r = x + 2y - 1 = 2 at (1, 1), df/dx = 2r * 1 = 4 and df/dy = 2r * 2 = 8.")
    if rounded_too_far(g, right):
        return almost(rounded_message(g))
    slips = [
        (-right, "both signs are flipped. (x + 2y - 1)^2 grows as x or y grows here, because "
                 "r = 2 is positive, so both partial derivatives are positive."),
        (right[::-1], "the two entries are swapped: the first entry is df/dx (hold y fixed), "
                      "the second is df/dy."),
        (np.array([4.0, 4.0]), "df/dx = 4 is right, but df/dy misses the chain-rule factor: the inside "
                               "x + 2y - 1 changes by 2 when y changes by 1, so df/dy = 2r * 2 = 8."),
        (np.array([2.0, 4.0]), "both entries are half the right size: the derivative of r^2 is 2r, "
                               "not r. With r = 2: df/dx = 2r = 4, df/dy = 2r * 2 = 8."),
        (np.array([2.0, 2.0]), "this misses both factors of 2: the 2 from differentiating r^2 and "
                               "the 2 from the 2y inside. df/dx = 2r = 4, df/dy = 2r * 2 = 8."),
        (np.array([1.0, 1.0]), "that is the point (1, 1), not the gradient there. Differentiate first, "
                               "then put in x = 1, y = 1."),
        (np.array([4.0, 16.0]), "df/dy has one factor 2 too many: 2r * 2 = 8 with r = 2."),
    ]
    for wrong, why in slips:
        if matches(g, wrong):
            return _no(why)
    if matches(g[0], 4.0):
        return _no(f"df/dx = 4 is right; df/dy should be 2r times the derivative of the inside with "
                   f"respect to y, which is 2, so 8 (you gave {g[1]:g}).")
    if matches(g[1], 8.0):
        return _no(f"df/dy = 8 is right; df/dx should be 2r times 1 = 4 (you gave {g[0]:g}).")
    return _no(f"got [{g[0]:g}, {g[1]:g}]. Write r = x + 2y - 1, so f = r^2 and df/dx = 2r * dr/dx, "
               "df/dy = 2r * dr/dy; then put in x = 1, y = 1.")


def check_one_step(answer):
    """One descent step on (w + 1)^2 from w = 3 with lr = 0.1. Right answer: 2.2."""
    return check_number(
        answer, 2.2,
        "the gradient is 2(w + 1) = 8 at w = 3, the step is lr * 8 = 0.8, and w = 3 - 0.8 = 2.2.",
        slips=[
            (-5.0, "you subtracted the gradient without the learning rate: 3 - 8 = -5. "
                   "The step is lr * grad = 0.1 * 8 = 0.8, so w = 3 - 0.8 = 2.2."),
            (3.8, "you added the step: 3 + 0.8 = 3.8 goes uphill (the loss grows from 16 to 23.04). "
                  "Descent subtracts: w = 3 - 0.1 * 8 = 2.2."),
            (2.6, "the step 0.4 is half the right size: the derivative of (w + 1)^2 is 2(w + 1) = 8, "
                  "not (w + 1) = 4 (and not 2(w - 1) = 4 either). w = 3 - 0.1 * 8 = 2.2."),
            (0.8, "0.8 is the step lr * grad, not the new w. Subtract it from w = 3."),
            (8.0, "8 is the gradient at w = 3, not the new w. Multiply by lr = 0.1 and subtract from 3."),
            (4.4, "4.4 is the worked example's answer (w = 5, loss (w - 2)^2). Here w = 3 and the loss "
                  "is (w + 1)^2."),
            (11.0, "you added the gradient: 3 + 8 = 11. Descent moves against it, by lr times it: "
                   "w = 3 - 0.1 * 8 = 2.2."),
            (-1.0, "-1 is where the loss is smallest, not where one step lands. One step of size "
                   "lr * grad = 0.8 takes w from 3 to 2.2."),
        ],
        fallback=lambda w: f"got w = {w:g}. Compute the gradient 2(w + 1) at w = 3, multiply it by lr = 0.1, "
                           "and subtract the result from 3.",
        what="one number (the new w)",
        no_answer_message="replace None with the new value of w after one step, then run this cell again.")


STEEPEST_POINT = (2.0, -1.0)     # where exercise 3 stands on the bowl (x^2 + 10 y^2)/2


def check_steepest_descent(answer):
    """Unit direction of steepest decrease of (x^2 + 10 y^2)/2 at (2, -1). Right: (-2, 10)/sqrt(104)."""
    if answer is None:
        return no_answer("replace None with a unit vector [dx, dy], then run this cell again.")
    u = to_array(answer)
    if u is None or u.shape != (2,):
        return _no(f"the answer should be a direction in the plane, two numbers [dx, dy]; got {answer!r}.")
    x, y = STEEPEST_POINT
    grad = np.array([x, 10.0 * y])
    right = -grad / np.linalg.norm(grad)
    length = float(np.linalg.norm(u))
    if length == 0:
        return _no("the zero vector has no direction. Start from the gradient (x, 10y) at (2, -1).")
    direction = u / length
    to_minimum = -np.array([x, y]) / math.hypot(x, y)
    if agrees(u, right):
        return _ok("the gradient is (2, -10), and the steepest way down is against it: "
                   "(-2, 10)/sqrt(104) = (-0.196, 0.981). It points mostly along y, where the bowl "
                   "is ten times steeper, not straight at the minimum.")
    if rounded_too_far(u, right):
        return almost(rounded_message(u))
    # the slips are directions: the answer as typed (perhaps rounded), or scaled to length 1, matches
    # the slip's unit vector under the policy
    def points_along(d):
        return matches(u, d) or matches(direction, d)

    if matches(direction, right):
        return _no(f"right direction, but its length is {length:.3g}: divide by the length "
                   "to make it a unit vector.")
    if points_along(-right):
        return _no("that is the direction of steepest increase, the gradient itself. "
                   "The walker goes down, so flip the sign.")
    if points_along(to_minimum):
        return _no("that points straight at the minimum at (0, 0), which is a fine guess but not the "
                   "steepest way down. The walker only feels the slope underfoot; compute the gradient "
                   "(x, 10y) and go against it.")
    if points_along(-right[::-1]) or points_along(right[::-1]):
        return _no("the components look swapped: df/dx = x = 2 and df/dy = 10y = -10.")
    angle = math.degrees(math.acos(max(-1.0, min(1.0, float(direction @ right)))))
    return _no(f"your direction is {angle:.0f} degrees away from the steepest way down. "
               "Compute the gradient (df/dx, df/dy) = (x, 10y) at (2, -1), negate it, and divide by "
               "its length.")


_H_CANDIDATES = (1e-2, 1e-5, 1e-8, 1e-11)
FLOAT32_EPS = 2.0 ** -23   # np.finfo(np.float32).eps, about 1.2e-7


def check_best_h_float32(answer):
    """Which h in {1e-2, 1e-5, 1e-8, 1e-11} gives the most accurate central difference of w^3 at w = 1
    when the arithmetic is float32? Right: 1e-2 (the balance point eps^(1/3) is about 5e-3)."""
    if answer is None:
        return no_answer("replace None with one of 1e-2, 1e-5, 1e-8, 1e-11, then run this cell again.")
    h = to_float(answer)
    if h is None or h <= 0:
        return _no(f"the answer should be one positive number, a step size h; got {answer!r}.")
    match = [c for c in _H_CANDIDATES if abs(math.log10(h) - math.log10(c)) < 0.05]
    if not match:
        return _no(f"pick one of the four candidates 1e-2, 1e-5, 1e-8, 1e-11 (got {h:g}).")
    h = match[0]
    balance = FLOAT32_EPS ** (1 / 3)
    if h == 1e-2:
        return _ok(f"truncation error about h^2 and round-off about eps/h balance near h = eps^(1/3); in "
                   f"float32, eps = {FLOAT32_EPS:.1e}, so near {balance:.0e}, and 1e-2 is the candidate "
                   "closest to it. Its error is about 1e-4, about four correct digits at best, which is why "
                   "gradient checks are run in float64.")
    if h == 1e-5:
        return _no(f"1e-5 is the best choice in float64, where eps = 2.2e-16. In float32 eps is "
                   f"{FLOAT32_EPS:.1e}, so at h = 1e-5 round-off can reach eps/h, about 1e-2, a hundred "
                   "times the truncation error h^2 = 1e-4 at h = 1e-2. Redo the balance h = eps^(1/3) "
                   "with float32's eps.")
    return _no(f"the float32 numbers nearest 1 are 6e-8 below it and {FLOAT32_EPS:.1e} above it, so "
               f"1 + {h:g} and 1 - {h:g} both round to exactly 1: g(1 + h) - g(1 - h) is 0 and the estimate "
               "is 0, wrong by 100%. At this h round-off is everything.")


def _bug_hunt_grad(p):
    x, y = p
    r = x * y - 1.0
    return np.array([2.0 * r * y + 2.0 * x, 2.0 * r * x])


_BUG_HUNT_POINTS = np.array([[1.5, -0.5], [-2.0, 1.0], [0.3, 2.0], [1.0, 1.0]])


def check_fixed_gradient(grad_fn):
    """Is grad_fn(p) the gradient of f(x, y) = (x y - 1)^2 + x^2? Tested at four points."""
    if grad_fn is None:
        return no_answer("replace None with your repaired gradient function, then run this cell again.")
    if not callable(grad_fn):
        return _no(f"pass the function itself (for example grad_f_fixed, without brackets); got {grad_fn!r}.")
    wrong_x = wrong_y = None
    for p in _BUG_HUNT_POINTS:
        try:
            g = np.asarray(grad_fn(p.copy()), dtype=float)
        except Exception as err:  # the reader's code: report, never raise
            return _no(f"calling your function at p = {p.tolist()} raised {type(err).__name__}: {err}")
        if g.shape != (2,):
            return _no(f"your function should return two numbers [df/dx, df/dy]; at p = {p.tolist()} "
                       f"it returned shape {g.shape}.")
        truth = _bug_hunt_grad(p)
        bad = np.array([not close(got, want) for got, want in zip(g, truth)])
        if bad[0] and wrong_x is None:
            wrong_x = (p, g[0], truth[0])
        if bad[1] and wrong_y is None:
            wrong_y = (p, g[1], truth[1])
    if wrong_x is None and wrong_y is None:
        return _ok("both components agree with finite differences at every test point. The missing "
                   "piece was the chain-rule factor y in df/dx: d/dx (xy - 1)^2 = 2(xy - 1) * y.")
    parts = []
    for name, wrong in (("df/dx", wrong_x), ("df/dy", wrong_y)):
        if wrong is not None:
            p, got, want = wrong
            parts.append(f"{name} at (x, y) = ({p[0]:g}, {p[1]:g}) is {got:.4g}, but finite "
                         f"differences say {want:.4g}")
    hint = ""
    if wrong_x is not None:
        x, y = _BUG_HUNT_POINTS[0]
        g = np.asarray(grad_fn(_BUG_HUNT_POINTS[0].copy()), dtype=float)
        if close(g[0], 2.0 * (x * y - 1.0) + 2.0 * x):
            hint = " That is still the original bug."
        hint += " Differentiate (xy - 1)^2 with respect to x: the outside gives 2(xy - 1), the inside xy gives y."
    return _no("; ".join(parts) + "." + hint)
