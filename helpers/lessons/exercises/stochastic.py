"""Self-checks for the exercises on stochastic (mini-batch) gradient descent.

* ``check_average_gradient``: the straight-line model y_hat = w x + b on three examples
  x = (0, 1, 2), y = (1, 1, 5), at (w, b) = (1, 0). Residuals r = w x + b - y = (-1, 0, -3);
  the gradient of the mean loss is (mean r x, mean r) = (-2, -4/3).
* ``check_noise_at_batch_size``: the gradient noise is 0.8 at B = 4 (n very large);
  noise ~ 1/sqrt(B), so at B = 64 it is 0.8 / sqrt(16) = 0.2.
* ``check_epoch_batches``: the reader writes ``epoch_batches(n, batch_size, rng)`` returning
  one epoch of index batches; every index exactly once, batches of batch_size (the last
  may be short), a new order from each call.
* ``check_noise_floor_factor``: near a minimum, with small lr and independent batches, the
  loss floor of constant-lr SGD is about lr * tr(Sigma) / (4 B); halving lr and doubling B
  multiplies it by 1/2 * 1/2 = 0.25.
* ``check_bowl_noise_floor`` (a transfer: the notebook measures the floor on line data only):
  descent with lr = 0.02 on the bowl (x^2 + 10 y^2) / 2 with Gaussian gradient noise sigma = 3 per
  coordinate (section 5's model). Per step the noise has covariance sigma^2 I, so tr = 2 sigma^2 =
  18 and the formula predicts lr * 18 / 4 = 0.09, whatever the curvatures. The exact stationary
  value, sum over coordinates of lr sigma^2 / (2 (2 - lr a)), is 0.0955; a run measures about 0.095.

Checkers never raise on a wrong answer; they return a Feedback.
"""
from __future__ import annotations

import numpy as np

from helpers.display.feedback import (Feedback, agrees, almost, check_number, correct, matches, no_answer, not_yet,
                                      rounded_message, rounded_too_far, to_array, to_float)

__all__ = ["check_average_gradient", "check_noise_at_batch_size", "check_epoch_batches",
           "check_noise_floor_factor", "check_bowl_noise_floor", "SMALL_X", "SMALL_Y", "BOWL_FLOOR_SETTING"]

SMALL_X = np.array([0.0, 1.0, 2.0])
SMALL_Y = np.array([1.0, 1.0, 5.0])


def check_average_gradient(answer):
    """The gradient (dL/dw, dL/db) of the mean loss on the three examples at (w, b) = (1, 0)."""
    if answer is None:
        return no_answer("replace None with the gradient as a pair (dL/dw, dL/db), then run this cell again.")
    g = to_array(answer, shape=(2,))
    if g is None:
        return not_yet(f"give two numbers (dL/dw, dL/db), got {answer!r}.")
    right = np.array([-2.0, -4.0 / 3.0])
    if agrees(g, right):
        return correct("residuals r = (-1, 0, -3); dL/dw = mean(r x) = (0 + 0 - 6)/3 = -2 and "
                       "dL/db = mean(r) = -4/3 = -1.333. Both negative: raising w and b lowers the loss.")
    if rounded_too_far(g, right):
        return almost(rounded_message(g))
    slips = [
        (3 * right, "that is the sum over the three examples. The loss is their mean, so divide "
                    "by n = 3: (-6/3, -4/3)."),
        (-right, "the sign is flipped: with r = w x + b - y (prediction minus target) the "
                 "gradient is (mean r x, mean r). Using y - prediction gives the direction "
                 "of descent, not the gradient."),
        (right[::-1], "the two entries are swapped: dL/dw multiplies each residual by its x."),
        (2 * right, "twice too large: the loss of one example is r^2 / 2, so its gradient is "
                    "r x (not 2 r x) for w and r for b."),
    ]
    for wrong, why in slips:
        if matches(g, wrong):
            return not_yet(why)
    return not_yet(f"got ({g[0]:.4g}, {g[1]:.4g}). Compute the residuals r_i = w x_i + b - y_i "
                   "first, then average r_i x_i and r_i over the three examples.")


def _noise_fallback(v):
    if v > 0.8:
        return "a larger batch averages more examples, so its noise is smaller, not larger."
    return f"got {v:.4g}. Use noise(B) = noise(4) * sqrt(4 / B)."


def check_noise_at_batch_size(answer):
    """Noise at B = 64, given noise 0.8 at B = 4 (n very large)."""
    wrong_base = ("compare with B = 4, not with B = 1: the ratio of batch sizes is 64/4 = 16, "
                  "and the noise shrinks by sqrt(16) = 4.")
    return check_number(
        answer, 0.2, "B grew 16-fold, so the noise shrinks by sqrt(16) = 4: 0.8 / 4 = 0.2.",
        slips=[
            (0.05, "that divides by 16, as if noise fell like 1/B. It is the noise's *variance* "
                   "that falls like 1/B; its size (standard deviation) falls like 1/sqrt(B)."),
            (0.0125, wrong_base),
            (0.1, wrong_base),
        ],
        fallback=_noise_fallback,
        no_answer_message="replace None with the noise you predict at B = 64.")


def _describe(batch):
    return "[" + ", ".join(str(int(i)) for i in batch) + "]"


def check_epoch_batches(epoch_batches):
    """Call the reader's ``epoch_batches(n, batch_size, rng)`` and test it on n = 10, batch_size = 3."""
    if epoch_batches is None:
        return no_answer("write epoch_batches(n, batch_size, rng), then run this cell again.")
    if not callable(epoch_batches):
        return Feedback(False, f"pass the function itself (epoch_batches), got {epoch_batches!r}.")
    n, size = 10, 3
    try:
        first = [np.asarray(b) for b in epoch_batches(n, size, np.random.default_rng(1))]
        second = [np.asarray(b) for b in epoch_batches(n, size, np.random.default_rng(2))]
    except Exception as err:  # the reader's code: report, never raise
        return Feedback(False, f"calling epoch_batches(10, 3, rng) raised {type(err).__name__}: {err}")
    if not first:
        return Feedback(False, "epoch_batches(10, 3, rng) returned no batches.")
    if any(b.ndim != 1 or b.dtype.kind not in "iu" for b in first):
        return Feedback(False, "each batch should be a 1-D array of integer indices.")
    sizes = [len(b) for b in first]
    idx = np.concatenate(first)
    missing = sorted(set(range(n)) - set(idx.tolist()))
    repeated = sorted({int(i) for i in idx if np.sum(idx == i) > 1})
    if repeated:
        return Feedback(False, f"indices {repeated} appear more than once in one epoch. Cut ONE permutation "
                               f"into pieces instead of drawing each batch at random.")
    if missing:
        return Feedback(False, f"indices {missing} are never used in the epoch; batch sizes were {sizes}. "
                               f"Keep the short last batch (10 = 3 + 3 + 3 + 1).")
    if sizes != [3, 3, 3, 1]:
        return Feedback(False, f"batch sizes were {sizes}; expected [3, 3, 3, 1] for n = 10, batch_size = 3.")
    if np.array_equal(idx, np.arange(n)):
        return Feedback(False, f"the batches come in order {_describe(idx)}: shuffle the indices first "
                               "(rng.permutation(n)), or every epoch visits the examples the same way.")
    if np.array_equal(idx, np.concatenate(second)):
        return Feedback(False, "two different generators gave the same order: draw the shuffle from rng.")
    return Feedback(True, f"one epoch visits every index once, in a shuffled order, e.g. "
                          f"{' '.join(_describe(b) for b in first)}.")


def check_noise_floor_factor(answer):
    """Factor by which the loss floor changes when lr is halved and B doubled."""
    not_squared = ("the floor is a loss (a squared error), so it goes like the noise's variance "
                   "lr / B, not like sqrt or a cube of it.")
    return check_number(
        answer, 0.25,
        "the floor goes like lr / B: (1/2) / 2 = 1/4. Both changes cut the noise the "
        "run feels, and they multiply.",
        slips=[
            (1.0, "the changes do not cancel: the floor is proportional to lr and to 1/B, so "
                  "halving lr halves it and doubling B halves it again."),
            (0.5, "that counts only one of the two changes; both halve the floor."),
            (1 / 8, not_squared),
            (1 / (2 * np.sqrt(2)), not_squared),
        ],
        fallback=lambda v: f"got {v:.4g}. Use floor ~ lr / B.",
        no_answer_message="replace None with the factor (e.g. 0.5 for 'halves').")


BOWL_FLOOR_SETTING = dict(lr=0.02, sigma=3.0, curvatures=(1.0, 10.0))
"""check_bowl_noise_floor's exercise: SGD on the bowl (x^2 + 10 y^2) / 2 with N(0, sigma^2) noise per coordinate."""


def _bowl_floor_exact(lr, sigma, curvatures):
    """The stationary mean excess loss of x <- x - lr (a x + sigma xi), summed over the bowl's axes."""
    return sum(lr * sigma**2 / (2 * (2 - lr * a)) for a in curvatures)


def check_bowl_noise_floor(answer):
    """The floor lr tr(Sigma) / 4 on the bowl with sigma = 3, lr = 0.02. Right: 0.09 (0.0955 exactly)."""
    lr, sigma, curvatures = BOWL_FLOOR_SETTING.values()
    formula = lr * len(curvatures) * sigma**2 / 4
    exact = _bowl_floor_exact(lr, sigma, curvatures)
    how = ("each step's noise has covariance sigma^2 I, so tr Sigma = 2 * 9 = 18 (B = 1: the model has no "
           "batch), and the floor is about lr * 18 / 4 = 0.09. The curvatures 1 and 10 do not appear: a "
           "steeper wall pulls a kicked run back faster, but the same kick costs more loss there, and the two "
           "cancel. (Exactly: sum of lr sigma^2 / (2 (2 - lr a)) over the two axes, 0.0955; the formula is "
           "its small-lr limit.)")
    v = to_float(answer)
    if v is not None and agrees(v, exact):
        return correct("that is the exact stationary value, past the formula's small-lr limit (0.09): " + how)
    if v is not None and rounded_too_far(v, exact):
        return almost(rounded_message(v))
    if v is not None and 0.093 <= v <= 0.098:             # what runs of this setting measure (seeds 0-4)
        return not_yet(f"{v:g} is near what a run measures (about 0.095), not what the formula says. Predict "
                       "first, with L - L* ~ lr tr(Sigma) / (4 B); then the run shows how close the formula is.")
    return check_number(
        answer, formula, how,
        slips=[
            (formula / 2, "that counts one coordinate. The noise kicks both: tr Sigma = sigma^2 + sigma^2 = 18."),
            (lr * len(curvatures) * sigma / 4, "sigma is not squared there. Sigma is a covariance: the variance "
                                               "of each coordinate's noise is sigma^2 = 9."),
            (lr * sigma**2 * sum(curvatures) / 4, "that weights the noise by the curvatures (1 + 10). In the "
                                                  "small-lr limit the floor does not depend on the curvature: "
                                                  "lr tr(Sigma) / (4 B) has none in it."),
            (lr * len(curvatures) * sigma**2, "the factor 1/4 is missing: the floor is lr tr(Sigma) / (4 B)."),
            (lr * len(curvatures) * sigma**2 / 2, "the formula divides by 4 B, not by 2: lr tr(Sigma) / 4."),
            (0.0, "started at the minimum, the run does not stay there: the exact gradient is zero, but the "
                  "noise is not, and it kicks the run onto a floor above the minimum."),
        ],
        fallback=lambda v: f"got {v:.4g}. Use L - L* ~ lr tr(Sigma) / (4 B): what is the noise's covariance per "
                           "step in this model?",
        no_answer_message="replace None with the excess loss you predict, then run this cell again.")
