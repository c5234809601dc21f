"""Self-checks for the exercises on the chain rule and backpropagation.

Every ``check_...`` returns a :class:`helpers.display.feedback.Feedback` and never raises on
a wrong answer. The exercises and the facts the checkers use:

* ``check_neuron_gradient``: a linear neuron with squared error,
  L = (w x + b - t)^2 at w = 0.5, x = 4, b = 1, t = 1. The prediction is 3, the
  residual r = 2, so dL/dw = 2 r x = 16 and dL/db = 2 r = 4.
* ``check_sigmoid_op``: a new ``Var`` operation sigmoid(v) = 1 / (1 + e^-v) whose
  local derivative is s (1 - s), s being the forward value.
* ``check_evaluation_count``: central differences need 2 loss evaluations per
  parameter. The network nn.init_params(rng, n_in=2, n_hidden=32, n_out=1) has
  P = 2*32 + 32 + 32*1 + 1 = 129 parameters, so 2P = 258 evaluations.
* ``check_logistic_grad``: the gradient of the mean binary cross-entropy of
  p = sigmoid(X w) is X^T (p - y) / N: the sigmoid's derivative p (1 - p) cancels
  against the derivative of the cross-entropy.
* ``check_backward_ratio`` (transfer): a network 2 -> 16 -> 16 -> 1 on a batch of N.
  Its forward matrix products do N (2*16 + 16*16 + 16*1) = 304 N multiply-adds; backward,
  every layer's weight gradient does as many as its forward product (304 N in all) and
  every layer but the first also passes the gradient to its input (16*16 + 16*1 = 272 N):
  576 N, so the backward pass does 576 / 304 = 1.89 times the forward's arithmetic.
"""
from __future__ import annotations

import math
import numbers

import numpy as np

from helpers import validation as check
from helpers.autodiff import Var
from helpers.display.feedback import (Feedback, agrees, almost, check_number, close, matches, no_answer,
                                      rounded_message, rounded_too_far, to_array)

__all__ = ["check_neuron_gradient", "check_sigmoid_op", "check_evaluation_count",
           "check_logistic_grad", "logistic_grad_reference", "check_backward_ratio", "matmul_counts"]


def _ok(message):
    return Feedback(True, message)


def _no(message):
    return Feedback(False, message)


# --------------------------------------------------------------------------- a neuron by hand
def check_neuron_gradient(answer):
    """(dL/dw, dL/db) for L = (w x + b - t)^2 at w=0.5, x=4, b=1, t=1. Right: (16, 4)."""
    if answer is None:
        return no_answer("replace None with the pair (dL/dw, dL/db), then run this cell again.")
    g = to_array(answer)
    if g is None or g.shape != (2,):
        return _no(f"the answer should be two numbers (dL/dw, dL/db); got {answer!r}.")
    if agrees(g, [16.0, 4.0]):
        return _ok("the prediction is 0.5*4 + 1 = 3, the residual r = 3 - 1 = 2, dL/dr = 2r = 4; "
                   "then dL/dw = 4 * x = 16 and dL/db = 4 * 1 = 4.")
    if rounded_too_far(g, [16.0, 4.0]):
        return almost(rounded_message(g))
    slips = [
        ([8.0, 2.0], "both are half the right size: the derivative of r^2 is 2r = 4, not r = 2. "
                     "Then dL/dw = 2r * x = 16 and dL/db = 2r = 4."),
        ([4.0, 4.0], "dL/db = 4 is right, but dL/dw needs one more chain-rule factor: the prediction "
                     "w x + b changes by x = 4 per unit of w, so dL/dw = 2r * x = 16."),
        ([-16.0, -4.0], "the sign is flipped. The residual is r = prediction - t = 3 - 1 = +2, and "
                        "raising w raises the prediction and so the loss: dL/dw = 2r x = +16."),
        ([16.0, 16.0], "dL/dw = 16 is right, but the bias enters the prediction with factor 1, not x: "
                       "dL/db = 2r * 1 = 4."),
        ([2.0, 4.0], "2 = 2r * w is dL/dx, the derivative with respect to the input. The question asks "
                     "for the parameter w: dL/dw = 2r * x = 16."),
        ([4.0, 1.0], "4 and 1 look like the loss value r^2 = 4 and the bias. The gradient needs the "
                     "chain rule: dL/dw = 2r * x = 16, dL/db = 2r = 4."),
    ]
    for wrong, why in slips:
        if matches(g, wrong):
            return _no(why)
    return _no(f"got ({g[0]:g}, {g[1]:g}). Forward first: prediction = w x + b, r = prediction - t; "
               "then backward: dL/dr = 2r, dL/dw = dL/dr * x, dL/db = dL/dr * 1.")


# --------------------------------------------------------------------------- a new operation
def check_sigmoid_op(answer):
    """``answer`` is a function Var -> Var computing 1/(1 + e^-v) with the right local derivative."""
    if answer is None:
        return no_answer("replace None with your function sigmoid (the function itself, no "
                         "parentheses), then run this cell again.")
    if not callable(answer):
        return _no(f"the answer should be a function that takes a Var and returns a Var; got {answer!r}.")
    for value in (-2.0, 0.0, 1.5):
        v = Var(value, name="v")
        try:
            out = answer(v)
        except Exception as err:  # the reader's code; report instead of raising
            return _no(f"calling your function on Var({value}) raised {type(err).__name__}: {err}"
                       + _var_for_number_hint(err))
        if not isinstance(out, Var):
            return _no(f"your function returned {type(out).__name__} {out!r}, not a Var. Without a Var "
                       "there is no graph, and backward() cannot reach v.")
        s = 1.0 / (1.0 + math.exp(-value))
        if not close(out.value, s):
            if close(out.value, 1.0 - s):
                return _no(f"at v = {value} you got {out.value:.4f} = 1/(1 + e^v); the sigmoid is "
                           f"1/(1 + e^-v) = {s:.4f} (note the minus sign).")
            return _no(f"the forward value is wrong: sigmoid({value}) = {s:.4f}, your function gave "
                       f"{out.value:.4f}.")
        out.backward()
        want = s * (1.0 - s)
        if close(v.grad, want):
            continue
        if v.grad == 0.0:
            return _no("the value is right but v.grad stays 0 after backward(): the Var you return "
                       "records no parents. Build it as Var(s, [(v, local_derivative)], 'sigmoid').")
        if close(v.grad, s):
            return _no(f"at v = {value} the local derivative you recorded is s = {s:.4f}; the derivative "
                       f"of the sigmoid is s (1 - s) = {want:.4f}.")
        if close(v.grad, -want):
            return _no("the local derivative has the wrong sign: the sigmoid increases, so its "
                       "derivative s (1 - s) is positive.")
        return _no(f"at v = {value}: v.grad = {v.grad:.4f}, but d sigmoid/dv = s (1 - s) = {want:.4f}.")
    return _ok("value and gradient match 1/(1 + e^-v) and s (1 - s) at v = -2, 0 and 1.5.")


def _var_for_number_hint(err):
    """A hint when the reader's sigmoid handed a Var to something that wants a plain number."""
    text = str(err)
    if "got value=Var(" in text:   # Var(s, ...) with s itself a Var
        return (". Your s is already a Var: np.exp(-v) on a Var calls the Var's own exp, so "
                "1 / (1 + np.exp(-v)) is a Var with its graph recorded. Either return that as it is, or do "
                "what the exercise asks: compute s from the plain number v.value, "
                "s = 1 / (1 + np.exp(-v.value)), and wrap it, Var(s, [(v, s * (1 - s))], \"sigmoid\").")
    if "Var" in text:              # math.exp(-v), float(v), ...: a plain-number function given a Var
        return (". A function for plain numbers (math.exp, float, ...) was handed a Var. Compute s from the "
                "number v.value, s = 1 / (1 + math.exp(-v.value)), then return Var(s, [(v, s * (1 - s))], "
                "\"sigmoid\").")
    return ""


# --------------------------------------------------------------------------- the cost of finite differences
def check_evaluation_count(answer):
    """Loss evaluations for one central-difference gradient of the 2-32-1 network. Right: 258."""
    return check_number(
        answer, 258,
        "P = 2*32 + 32 + 32*1 + 1 = 129 parameters, and central differences evaluate the "
        "loss twice per parameter (at theta + h e_i and theta - h e_i): 258. One backprop "
        "pass gives the same gradient for about the cost of 2 or 3 evaluations.",
        slips=[
            (129, "129 is the number of parameters P. Central differences need two evaluations per "
                  "parameter, f(theta + h e_i) and f(theta - h e_i): 2P."),
            (130, "130 = 2 * 65 is the count printed under \"What does a gradient cost?\" for the notebook's "
                  "own network, which has 16 hidden units (theta has 65 entries). This one has 32 hidden "
                  "units: P = 2*32 + 32 + 32*1 + 1 = 129, and two evaluations per parameter. (130 is also "
                  "P + 1, what forward differences would need here; the question is about central "
                  "differences.)"),
            (65, "65 is the number of parameters of the notebook's 16-unit network. This one has 32 hidden "
                 "units, so P = 2*32 + 32 + 32*1 + 1 = 129, and central differences need two evaluations per "
                 "parameter."),
            (192, "192 = 2 * 96 counts the weights only. The biases are parameters too: 32 in the hidden "
                  "layer and 1 at the output, so P = 129."),
            (194, "194 = 2 * 97 leaves out the 32 hidden biases. P = 2*32 + 32 + 32 + 1 = 129."),
            (256, "256 = 2 * 128 leaves out one bias. P = 2*32 + 32 + 32*1 + 1 = 129."),
            (2, "2 evaluations would be enough for a single parameter. Each of the P parameters needs "
                "its own pair: f(theta + h e_i) and f(theta - h e_i)."),
            (1, "one forward pass plus one backward pass is backpropagation's cost. Finite differences "
                "must perturb each parameter separately, twice."),
        ],
        fallback=lambda n: f"got {n:g}. Count the parameters P of a 2-32-1 network (weights and biases of both "
                           "layers), then count two loss evaluations for each.",
        whole=True,
        no_answer_message="replace None with a whole number of loss evaluations, then run this cell again.")


# --------------------------------------------------------------------------- backprop in matrix form
def logistic_grad_reference(w, X, y):
    """Gradient of mean BCE of sigmoid(X w): X^T (sigmoid(X w) - y) / N."""
    z = X @ w
    p = np.where(z >= 0, 1.0 / (1.0 + np.exp(-np.abs(z))), np.exp(-np.abs(z)) / (1.0 + np.exp(-np.abs(z))))
    return X.T @ (p - y) / len(y)


def check_logistic_grad(answer):
    """``answer(w, X, y)`` should return X^T (sigmoid(X w) - y) / N."""
    if answer is None:
        return no_answer("replace None with your function logistic_grad (no parentheses), then run "
                         "this cell again.")
    if not callable(answer):
        return _no(f"the answer should be a function (w, X, y) -> gradient; got {answer!r}.")
    rng = np.random.default_rng(123)
    X = rng.normal(size=(7, 3))
    y = (rng.random(7) < 0.5).astype(float)
    w = np.array([0.3, -0.8, 0.5])
    want = logistic_grad_reference(w, X, y)
    try:
        with np.errstate(all="ignore"):
            got = answer(w.copy(), X.copy(), y.copy())
    except Exception as err:
        return _no(f"calling logistic_grad(w, X, y) with w (3,), X (7, 3), y (7,) raised "
                   f"{type(err).__name__}: {err}")
    g = to_array(got)
    if g is None:
        return _no(f"your function returned {got!r}; it should return a finite array.")
    if g.shape != (3,):
        return _no(f"the gradient has shape {g.shape}, but w has shape (3,): one partial derivative per "
                   "weight. X^T (p - y) sums over the N = 7 examples; (p - y) X^T or X (p - y) does not.")
    if close(g, want):
        return _ok("X^T (p - y) / N: the error of each example, weighted by its inputs and averaged.")
    z = X @ w
    p = 1.0 / (1.0 + np.exp(-z))
    slips = [
        (want * len(y), "this is N = 7 times the gradient: the loss is a mean over examples, so divide "
                        "the sum X^T (p - y) by N."),
        (-want, "the sign is flipped: (y - p) instead of (p - y). The loss falls when p moves towards "
                "y, so its gradient points along p - y."),
        (X.T @ ((p - y) * p * (1 - p)) / len(y), "the extra factor p (1 - p) belongs to a squared error. "
                                                 "With cross-entropy it cancels: dL/dz = (p - y) / N."),
        (X.T @ (z - y) / len(y), "you used the logit z = X w where the probability p = sigmoid(z) "
                                 "belongs: dL/dz = (sigmoid(z) - y) / N."),
    ]
    for wrong, why in slips:
        if close(g, wrong):
            return _no(why)
    return _no(f"got {np.array2string(g, precision=4)}, expected {np.array2string(want, precision=4)}. "
               "Chain rule: dL/dz_i = (p_i - y_i) / N, then dL/dw = X^T dL/dz.")


# --------------------------------------------------------------------------- what the backward pass costs
DEEP_LAYERS = (2, 16, 16, 1)   # the transfer exercise's network: input, two hidden layers, output


def matmul_counts(layers, input_gradient=False):
    """Multiply-adds per example of the matrix products of a fully connected network ``layers``
    (widths, input first): (forward, backward). Forward, layer k does layers[k] * layers[k+1];
    backward, it does as many again for its weight gradient and, except the first layer (its input
    is the data, unless ``input_gradient``), as many again to pass the gradient to its input."""
    rule = "a sequence of at least two whole widths >= 1, input first"
    if isinstance(layers, (str, bytes)) or not hasattr(layers, "__len__"):
        check.fail("layers", layers, rule, wrong_kind=True)
    if len(layers) < 2 or not all(isinstance(n, (numbers.Integral, np.integer)) and not isinstance(n, (bool, np.bool_))
                                  and n >= 1 for n in layers):
        check.fail("layers", layers, rule)
    sizes = [int(n) for n in layers]
    input_gradient = check.boolean("input_gradient", input_gradient)
    products = [a * b for a, b in zip(sizes[:-1], sizes[1:])]
    forward = sum(products)
    backward = forward + sum(products if input_gradient else products[1:])
    return forward, backward


def check_backward_ratio(answer):
    """Backward / forward multiply-adds of the matrix products of a 2-16-16-1 network: 576/304 = 1.89."""
    forward, backward = matmul_counts(DEEP_LAYERS)
    first = DEEP_LAYERS[0] * DEEP_LAYERS[1]
    return check_number(
        answer, backward / forward,
        f"forward, the three products do 2*16 + 16*16 + 16*1 = {forward} multiply-adds per example. "
        f"Backward, each weight gradient costs as much as its forward product ({forward} in all), and the "
        f"second and third layers also pass the gradient to their inputs ({backward - forward}); the "
        f"first layer's input is the data and needs none. {backward} / {forward} = {backward / forward:.3f}: "
        "only the first layer is spared, so the more of the arithmetic sits in later layers, the closer "
        "the ratio comes to 2.",
        slips=[
            (2.0, f"2 counts an input gradient for every layer, the first included. The first layer's input "
                  f"is the data, which nobody updates, so its {first} multiply-adds per example are skipped."),
            (4 / 3, "4/3 is the notebook's own network, 2 -> 16 -> 1. This one has a second hidden layer, "
                    "16 -> 16, whose input gradient must be computed (the layer below needs it)."),
            (1.0, "1 counts only the weight gradients. The gradient must also travel back through each "
                  "layer to the one below it: one more product per layer, except the first."),
            (1 + backward / forward, "that is forward plus backward, the cost of a whole gradient in forward "
                                     "passes. The question asks for the backward pass alone."),
            (forward / backward, "that is forward / backward, upside down: the backward pass does more work, "
                                 "so the ratio is above 1."),
        ],
        fallback=lambda r: f"got {r:g}. Count the multiply-adds of each forward product (an (N, a) by (a, b) "
                           "product does N a b), then the backward products: one per layer for the weights, one "
                           "per layer except the first for the layer's input.",
        what="one number (backward multiply-adds / forward multiply-adds)",
        no_answer_message="replace None with the ratio (a number), then run this cell again.")
