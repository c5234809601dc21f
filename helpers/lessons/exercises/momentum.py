"""Checks for exercises on heavy-ball momentum.

    check_smallest_momentum(answer)    the boundary beta above which lr = 0.3 is stable on curvature L = 12
    check_steps_to_full_speed(answer)  the first step on a steady slope at 90% of momentum's final step
    check_tuned_rate(answer)           tuned momentum's rate on a bowl with curvatures 2 and 50 (a transfer)
    check_nesterov_limit(answer)       Nesterov's largest stable lr with beta = 0.8 on curvature 5
    check_slowest_rate(answer)         the whole run's rate on curvatures 1, 4, 10 at lr 0.2, beta 0.3

* ``check_smallest_momentum``: momentum is stable while lr L < 2 + 2 beta; lr L = 3.6, so beta > 0.8.
* ``check_steps_to_full_speed``: with beta = 0.9 the buffer after t steps is g (1 - 0.9^t) / (1 - 0.9);
  1 - 0.9^t >= 0.9 first at t = 22 (0.9^21 = 0.109, 0.9^22 = 0.098).
* ``check_tuned_rate`` (a transfer: the notebook tunes momentum on its bowl, kappa = 10, only): on
  curvatures 2 and 50, kappa = 25 and Polyak's tuning gives the rate (sqrt(25) - 1) / (sqrt(25) + 1) = 2/3
  along both axes (beta = 4/9, lr = (1 + 2/3)^2 / 50). A run measures 0.711 per step over steps 10-20 and
  0.671 over 100-200: the roots coincide at this tuning, so the error falls like t r^t (a slip named).
* ``check_nesterov_limit``: (2 + 2 beta) / ((1 + 2 beta) L) = 3.6 / 13 = 0.2769.
* ``check_slowest_rate``: eta lambda = 0.2, 0.8, 2.0 against the complex band ((1 - sqrt 0.3)^2,
  (1 + sqrt 0.3)^2) = (0.205, 2.395): the flat direction is just outside it, with real roots 0.6 and
  0.5 of z^2 - 1.1 z + 0.3; the other two spiral at sqrt(0.3) = 0.548. The run goes at 0.6.
"""

from __future__ import annotations

import math

import numpy as np

from helpers.display.feedback import check_number

__all__ = ["check_smallest_momentum", "check_steps_to_full_speed", "check_tuned_rate", "check_nesterov_limit",
           "check_slowest_rate"]


def check_smallest_momentum(answer):
    """lr L = 0.3 * 12 = 3.6 < 2 + 2 beta needs beta > 0.8."""
    lr, L = 0.3, 12.0
    right = round((lr * L - 2) / 2, 12)                # 0.8 (3.6 - 2 carries a round-off)

    def fallback(x):
        if 0 <= x < 1 and x > right:
            return (f"beta = {x:.4g} is stable here (its limit (2 + 2 beta) / L = {(2 + 2 * x) / L:.3f} is above 0.3), "
                    "but so is a smaller beta: find the beta where 0.3 is exactly on the limit.")
        if 0 <= x < right:
            return (f"with beta = {x:.4g} the limit (2 + 2 beta) / L = {(2 + 2 * x) / L:.3f} is below lr = 0.3: "
                    "the run diverges. Solve lr L = 2 + 2 beta for beta.")
        return f"{x:.4g} is not a momentum: beta lies between 0 and 1. Solve lr L = 2 + 2 beta for beta."

    return check_number(
        answer, right,
        "lr L = 0.3 * 12 = 3.6, and momentum is stable while lr L < 2 + 2 beta, so beta must exceed "
        "(3.6 - 2) / 2 = 0.8: plain descent (beta = 0) would need lr < 2 / 12 = 0.167.",
        slips=[
            (lr * L - 2, "1.6 = lr L - 2 is 2 beta at the limit: halve it."),
            (1 - 2 / (lr * L), "that solves lr < 2 / ((1 - beta) L), the plain limit scaled by 1 / (1 - beta). The "
                               "roots of z^2 - (1 + beta - lr L) z + beta = 0 give lr L < 2 + 2 beta instead."),
            (2 / L, "0.167 = 2 / L is plain descent's largest learning rate, not a momentum. Solve "
                    "0.3 * 12 = 2 + 2 beta for beta."),
        ],
        fallback=fallback,
        what="one number (a momentum beta)")


def _full_speed_fallback(x):
    if x != int(x):
        return f"{x:.4g} is not a step number: give a whole number (the first step is step 1)."
    share = 1 - 0.9 ** x
    side = "short of" if share < 0.9 else "past"
    return (f"step {x:.0f} is 1 - 0.9^{x:.0f} = {share:.1%} of the final size, {side} 90%. "
            "Find the first t with 0.9^t <= 0.1.")


def check_steps_to_full_speed(answer):
    """The first t with 1 - 0.9^t >= 0.9: t = 22."""
    return check_number(
        answer, 22,
        "after t steps the buffer is g (1 + 0.9 + ... + 0.9^(t-1)) = 10 g (1 - 0.9^t), so step t is "
        "1 - 0.9^t of the final size: 0.9^21 = 0.109 leaves step 21 at 89%, 0.9^22 = 0.098 puts step 22 at 90.2%.",
        slips=[
            (10, "10 = 1 / (1 - beta) is the buffer's memory, not the time to full speed: step 10 is only "
                 "1 - 0.9^10 = 65% of the final size."),
            (21, "step 21 is 1 - 0.9^21 = 89.1% of the final size, just short of 90%."),
            (23, "23 = ln(10) / (1 - beta) comes from ln(0.9) = -0.1, a rounding: ln(0.9) = -0.105, and "
                 "0.9^22 = 0.098 is already below 0.1."),
            (0.1, "0.1 = 0.01 / (1 - 0.9) is the final step size per unit gradient; the question asks which "
                  "step first reaches 90% of it."),
        ],
        fallback=_full_speed_fallback,
        whole=True,
        what="one whole number (a step count)")


def _measured_rates():
    """Per-step shrink factors of the tuned run on curvatures 2 and 50, as the solutions measure them
    (steps 10 to 20: 0.711; 100 to 200: 0.671)."""
    from helpers.descent import run
    from helpers.lessons import momentum as lesson
    from helpers.optim import SGD
    from helpers.surfaces import quadratic
    steep, beta = quadratic(2.0, 50.0), float(lesson.best_momentum(25.0))
    dist = np.linalg.norm(run(steep, SGD(lr=(1 + beta ** 0.5) ** 2 / 50.0, momentum=beta),
                              steep.default_start, 200).xs, axis=1)
    return {(a, b): float((dist[b] / dist[a]) ** (1 / (b - a))) for a, b in ((10, 20), (100, 200))}


def check_tuned_rate(answer):
    """(sqrt(kappa) - 1) / (sqrt(kappa) + 1) with kappa = 50 / 2 = 25: 2/3."""
    kappa = 50.0 / 2.0
    root = math.sqrt(kappa)
    right = (root - 1) / (root + 1)
    return check_number(
        answer, right,
        "kappa = 50 / 2 = 25, so tuned momentum shrinks the error by (5 - 1) / (5 + 1) = 0.667 per step along "
        "both axes; plain descent's best is (25 - 1) / (25 + 1) = 0.923. At these rates a millionfold takes "
        "about 34 steps against 173.",
        slips=[
            ((kappa - 1) / (kappa + 1), "0.923 = (kappa - 1) / (kappa + 1) is plain descent's best rate; tuned "
                                        "momentum's goes through sqrt(kappa): (sqrt(kappa) - 1) / (sqrt(kappa) + 1)."),
            (right ** 2, "0.444 is the tuned momentum beta itself, ((sqrt(kappa) - 1) / (sqrt(kappa) + 1))^2; the rate "
                         "per step is its square root."),
            ((math.sqrt(50) - 1) / (math.sqrt(50) + 1), "that takes kappa = 50, the largest curvature; the "
                                                        "condition number is the ratio of the two curvatures, 50 / 2."),
            ((math.sqrt(10) - 1) / (math.sqrt(10) + 1), "0.519 is the rate on the notebook's bowl, kappa = 10; this "
                                                        "bowl's kappa is 50 / 2 = 25."),
        ] + [(measured, f"{measured:.3f} is what a run measures per step (from step {a} to {b}), a little slower "
                        "than the rate: at this tuning the two roots coincide, and a repeated root makes the error "
                        "fall like t r^t, not r^t. The rate r itself is (sqrt(kappa) - 1) / (sqrt(kappa) + 1).")
             for (a, b), measured in _measured_rates().items()],
        fallback=lambda x: (f"{x:.4g} is not it. Find kappa = largest / smallest curvature, then tuned "
                            "momentum's rate (sqrt(kappa) - 1) / (sqrt(kappa) + 1)."),
        what="one number (a rate per step)")


def check_nesterov_limit(answer):
    """Nesterov with beta = 0.8 on curvature L = 5: lr < (2 + 2 beta) / ((1 + 2 beta) L) = 3.6 / 13."""
    beta, L = 0.8, 5.0
    right = (2 + 2 * beta) / ((1 + 2 * beta) * L)
    return check_number(
        answer, right,
        "(2 + 2 beta) / ((1 + 2 beta) L) = 3.6 / (2.6 * 5) = 0.277: past it a root of "
        "z^2 - (1 + beta)(1 - lr L) z + beta (1 - lr L) = 0 leaves the unit circle through -1. Heavy ball "
        "at the same beta would take up to 0.72.",
        slips=[
            ((2 + 2 * beta) / L, "0.72 = (2 + 2 beta) / L is heavy ball's limit. Nesterov's look-ahead lowers it: "
                                 "divide by 1 + 2 beta as well."),
            (2 / L, "0.4 = 2 / L is plain descent's limit; with Nesterov momentum the limit is "
                    "(2 + 2 beta) / ((1 + 2 beta) L)."),
            ((1 + 1 / beta) / L, "0.45 comes from beta |1 - lr L| < 1, the condition on the product of the roots; "
                                 "the root at z = -1 arrives first, at (2 + 2 beta) / ((1 + 2 beta) L)."),
            ((2 + 2 * beta) / (1 + 2 * beta), "1.385 is lr L at the limit, for curvature 1: divide by L = 5."),
        ],
        fallback=lambda x: (f"{x:.4g} is not it. Use the limit for Nesterov's recurrence, "
                            "(2 + 2 beta) / ((1 + 2 beta) L), with beta = 0.8 and L = 5."),
        what="one number (a learning rate)")


def _direction_rates(lr=0.2, beta=0.3, curvatures=(1.0, 4.0, 10.0)):
    from helpers.lessons import momentum as lesson
    return lesson.spectral_radius(lesson.direction_map(lr, np.array(curvatures), beta))


def check_slowest_rate(answer):
    """Curvatures 1, 4, 10 with lr 0.2 and beta 0.3: direction rates 0.6, 0.548, 0.548; the run's is 0.6."""
    rates = _direction_rates()
    right = float(rates.max())
    return check_number(
        answer, right,
        "lr lambda = 0.2, 0.8 and 2.0. The middle and steep directions have complex roots and spiral in at "
        "sqrt(0.3) = 0.548; the flat one is just outside the complex band (lr lambda > (1 - sqrt 0.3)^2 = 0.205 "
        "would be needed), with real roots 0.6 and 0.5. The slowest direction sets the run: 0.6 per step.",
        slips=[
            (math.sqrt(0.3), "0.548 = sqrt(beta) is the rate of a direction with complex roots, true for curvatures 4 "
                             "and 10. Curvature 1 has lr lambda = 0.2, below (1 - sqrt 0.3)^2 = 0.205: real roots, "
                             "and the larger one is slower."),
            (0.5, "0.5 is the smaller root of the flat direction's z^2 - 1.1 z + 0.3; its rate is the larger, 0.6."),
            (1 - 0.2 * 1.0, "0.8 = 1 - lr lambda is plain descent's factor on the flat direction; momentum changes "
                            "each direction's factor to the largest root of z^2 - (1 + beta - lr lambda) z + beta."),
        ],
        fallback=lambda x: (f"{x:.4g} is not it. Find each direction's largest |root| of "
                            "z^2 - (1 + beta - lr lambda) z + beta = 0 and take the largest of the three."),
        what="one number (a rate per step)")
