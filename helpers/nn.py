"""A two-layer tanh network on one flat parameter vector: two classes (one sigmoid output) or
C > 2 classes (C softmax outputs).

Signatures (theta is (P,) for one network or (K, P) for K independent ones; ``n_out`` is 1 for two
classes, C for C classes, and every function below takes it as a keyword, default 1):

    init_params(rng, n_in=2, n_hidden=16, n_out=1, runs=None) -> theta (P,) or (runs, P)
    param_count(n_in, n_hidden, n_out=1) -> P = n_in*n_hidden + n_hidden + n_hidden*n_out + n_out
    unpack(theta, sizes) -> (W1, b1, W2, b2), views of shapes (..., n_in, n_hidden),
                            (..., n_hidden), (..., n_hidden, n_out), (..., n_out)
    pack(W1, b1, W2, b2) -> theta (inverse of unpack)
    forward(theta, X) -> logits (N,) or (K, N); with n_out = C > 1: (N, C) or (K, N, C)
    predict_proba(theta, X) -> sigmoid(logits), or softmax over the C logits
    predict(theta, X) -> labels, int: 0/1, or the argmax 0..C-1
    loss(theta, X, y) -> mean cross-entropy, () or (K,)
    loss_and_grad(theta, X, y) -> (loss, grad): loss () or (K,), grad shaped like theta
    accuracy(theta, X, y) -> fraction of correct labels, () or (K,)
    Objective(X, y, n_out=1): .loss(theta), .grad(theta), the two methods descent.run expects

X is (N, n_in) shared by every run, or (K, N, n_in) with one batch per run; y is (N,) or (K, N) of
labels: 0/1 for n_out = 1, integers 0..C-1 for n_out = C. The hidden width is read off P, n_in and
n_out.

The model, with a = first-layer pre-activation, h = hidden units, z = logits:

    a = X W1 + b1,   h = tanh(a),   z = h W2 + b2

    two classes (n_out = 1): p = sigmoid(z),   L = mean_i [ log(1 + exp(z_i)) - y_i z_i ]
                             (= binary cross-entropy of p)
    C classes (n_out = C):   p_ic = exp(z_ic) / sum_k exp(z_ik)   (softmax of row i)
                             L = mean_i [ log sum_k exp(z_ik) - z_i,y_i ]   (= -mean_i log p_i,y_i)

and its gradient by hand-written backpropagation, one matrix product per layer
over the whole batch:

    dz  = (p - y) / N                 dL/dz: one number per example (two classes), or one row per
                                      example, p_i minus the one-hot row of y_i (C classes)
    dW2 = h^T dz,   db2 = sum_i dz    (second layer)
    dh  = dz W2^T                     (back through W2)
    da  = dh * (1 - h^2)              (back through tanh: tanh' = 1 - tanh^2)
    dW1 = X^T da,   db1 = sum_i da    (first layer)

Both losses have the same dz = (p - y) / N, with y one-hot for C classes: the softmax's derivative
and the log's cancel to that, as the sigmoid's and the log's do for two.
"""

from __future__ import annotations

import numpy as np

from helpers import validation as check


def param_count(n_in, n_hidden, n_out=1):
    """Number of parameters P of the network with these layer sizes."""
    n_in, n_hidden, n_out = (check.integer(name, n, minimum=1)
                             for name, n in (("n_in", n_in), ("n_hidden", n_hidden), ("n_out", n_out)))
    return n_in * n_hidden + n_hidden + n_hidden * n_out + n_out


def init_params(rng, n_in=2, n_hidden=16, n_out=1, runs=None):
    """Random weights with variance 1/fan_in (keeps tanh units out of saturation
    at the start), zero biases. Returns (P,), or (runs, P) for ``runs`` networks."""
    check.instance("rng", rng, np.random.Generator, "a numpy Generator (np.random.default_rng(seed))")
    P = param_count(n_in, n_hidden, n_out)
    if runs is not None:
        check.integer("runs", runs, minimum=1, what="None or an integer >= 1")
    lead = () if runs is None else (runs,)
    W1 = rng.normal(size=lead + (n_in, n_hidden)) / np.sqrt(n_in)
    W2 = rng.normal(size=lead + (n_hidden, n_out)) / np.sqrt(n_hidden)
    theta = pack(W1, np.zeros(lead + (n_hidden,)), W2, np.zeros(lead + (n_out,)))
    assert theta.shape[-1] == P
    return theta


def _array(name, value):
    """np.asarray(value), any dtype: pack and unpack also carry arrays of autodiff Vars."""
    if value is None or isinstance(value, (str, bytes)):
        check.fail(name, value, "an array", wrong_kind=True)
    return np.asarray(value)


def pack(W1, b1, W2, b2):
    """Flatten the four arrays into one vector (or one row per run)."""
    W1, b1, W2, b2 = (_array(name, a) for name, a in (("W1", W1), ("b1", b1), ("W2", W2), ("b2", b2)))
    if b1.ndim < 1 or b2.ndim < 1:
        raise ValueError(f"b1 and b2 must have at least one axis, got b1.shape={b1.shape}, b2.shape={b2.shape}")
    lead, n_hidden, n_out = b1.shape[:-1], b1.shape[-1], b2.shape[-1]
    if (W1.ndim != len(lead) + 2 or W1.shape[:-2] != lead or W1.shape[-1] != n_hidden
            or W2.shape != lead + (n_hidden, n_out) or b2.shape[:-1] != lead):
        raise ValueError(f"W1, b1, W2, b2 must have shapes (..., n_in, n_hidden), (..., n_hidden), "
                         f"(..., n_hidden, n_out), (..., n_out), got W1.shape={W1.shape}, "
                         f"b1.shape={b1.shape}, W2.shape={W2.shape}, b2.shape={b2.shape}")
    return np.concatenate([np.reshape(a, lead + (-1,)) for a in (W1, b1, W2, b2)], axis=-1)


def unpack(theta, sizes):
    """Views (W1, b1, W2, b2) into theta for sizes = (n_in, n_hidden, n_out)."""
    if isinstance(sizes, (str, bytes)) or not hasattr(sizes, "__len__") or len(sizes) != 3:
        check.fail("sizes", sizes, "(n_in, n_hidden, n_out)", wrong_kind=not hasattr(sizes, "__len__"))
    n_in, n_hidden, n_out = sizes
    P = param_count(n_in, n_hidden, n_out)
    theta = _array("theta", theta)
    if theta.ndim not in (1, 2) or theta.shape[-1] != P:
        raise ValueError(f"theta must have shape (P,) or (K, P) with P={P} for sizes={tuple(sizes)}, "
                         f"got theta.shape={theta.shape}")
    lead = theta.shape[:-1]
    cuts = np.cumsum([n_in * n_hidden, n_hidden, n_hidden * n_out])
    W1, b1, W2, b2 = np.split(theta, cuts, axis=-1)
    return (W1.reshape(lead + (n_in, n_hidden)), b1,
            W2.reshape(lead + (n_hidden, n_out)), b2)


def _n_out(n_out):
    return check.integer("n_out", n_out, minimum=1, what="an integer >= 1 (1 for two classes, C for C classes)")


def _sizes(theta, X, n_out=1):
    """Check shapes and read (n_in, n_hidden, n_out) off theta and X."""
    n_out = _n_out(n_out)
    theta, X = check.as_floats("theta", theta), check.as_floats("X", X)
    if theta.ndim not in (1, 2):
        raise ValueError(f"theta must have shape (P,) or (K, P), got theta.shape={theta.shape}")
    if X.ndim not in (2, 3) or (X.ndim == 3 and (theta.ndim != 2 or X.shape[0] != theta.shape[0])):
        raise ValueError(f"X must have shape (N, n_in), or (K, N, n_in) with theta (K, P); "
                         f"got X.shape={X.shape}, theta.shape={theta.shape}")
    if X.shape[-2] == 0 or X.shape[-1] == 0:
        raise ValueError(f"X must hold at least one example with at least one feature, got X.shape={X.shape}")
    n_in = X.shape[-1]
    n_hidden, rest = divmod(theta.shape[-1] - n_out, n_in + 1 + n_out)
    if rest or n_hidden < 1:
        raise ValueError(f"theta.shape[-1]={theta.shape[-1]} does not fit a network with "
                         f"n_in={n_in}, n_out={n_out}")
    return theta, X, (n_in, n_hidden, n_out)


def _layers(theta, X, n_out=1):
    """Forward pass keeping what backprop needs: hidden units h and logits z."""
    theta, X, sizes = _sizes(theta, X, n_out)
    W1, b1, W2, b2 = unpack(theta, sizes)
    h = np.tanh(X @ W1 + b1[..., None, :])          # (..., N, n_hidden)
    z = h @ W2 + b2[..., None, :]                   # (..., N, n_out) logits
    if sizes[2] == 1:
        z = z[..., 0]                               # two classes: one logit per example, (..., N)
    return theta, X, (W1, b1, W2, b2), h, z


def forward(theta, X, n_out=1):
    """Logits z = tanh(X W1 + b1) W2 + b2: shape (N,) or (K, N) for K runs; (N, C) or (K, N, C)
    for n_out = C > 1."""
    return _layers(theta, X, n_out)[-1]


def _sigmoid(z):
    """1 / (1 + exp(-z)) without overflow: exp is only ever taken of -|z|."""
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def _softmax(z):
    """exp(z) / sum exp(z) over the last axis, without overflow: the row's largest logit is taken
    off first, so exp is only ever taken of numbers <= 0."""
    e = np.exp(z - np.max(z, axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def _labels(y, z):
    y = check.as_floats("y", y)
    if y.shape != z.shape[-y.ndim:] or y.ndim not in (1, z.ndim) or not np.all((y == 0) | (y == 1)):
        raise ValueError(f"y must hold 0/1 labels of shape (N,) or (K, N) matching X, "
                         f"got y.shape={y.shape} for logits of shape {z.shape}")
    return y


def _classes(y, z):
    """Integer labels 0..C-1 for logits z of shape (..., N, C), broadcast to z's (..., N)."""
    lead, C = z.shape[:-1], z.shape[-1]
    y_arr = check.as_floats("y", y)
    if y_arr.ndim not in (1, len(lead)) or y_arr.shape != lead[len(lead) - y_arr.ndim:]:
        raise ValueError(f"y must hold class labels of shape (N,) or (K, N) matching X, "
                         f"got y.shape={y_arr.shape} for logits of shape {z.shape}")
    if not np.all((y_arr >= 0) & (y_arr < C) & (y_arr == np.round(y_arr))):
        raise ValueError(f"y must hold whole-number labels 0..{C - 1} (n_out={C}), "
                         f"got labels from {np.nanmin(y_arr)!r} to {np.nanmax(y_arr)!r}")
    return np.broadcast_to(y_arr.astype(np.intp), lead)


def predict_proba(theta, X, n_out=1):
    """Probability of class 1 for each example (n_out = 1), or of each of the C classes: (..., N, C)."""
    z = forward(theta, X, n_out)
    return _sigmoid(z) if n_out == 1 else _softmax(z)


def predict(theta, X, n_out=1):
    """Predicted label for each example: 0 or 1 (n_out = 1), or the class with the largest logit."""
    z = forward(theta, X, n_out)
    if n_out == 1:
        return (z >= 0).astype(int)
    return np.argmax(z, axis=-1)


def accuracy(theta, X, y, n_out=1):
    """Fraction of examples whose predicted label equals y."""
    z = forward(theta, X, n_out)
    if n_out == 1:
        return np.mean((z >= 0) == (_labels(y, z) == 1), axis=-1)
    return np.mean(np.argmax(z, axis=-1) == _classes(y, z), axis=-1)


def _bce(z, y):
    # log(1 + e^z) - y z, with log(1 + e^z) = max(z, 0) + log(1 + e^-|z|): no overflow
    return np.mean(np.maximum(z, 0) + np.log1p(np.exp(-np.abs(z))) - y * z, axis=-1)


def _softmax_ce(z, labels):
    """mean_i [log sum_k exp(z_ik) - z_i,y_i], with the row maximum taken out of the exponentials."""
    top = np.max(z, axis=-1)
    log_sum = top + np.log(np.sum(np.exp(z - top[..., None]), axis=-1))
    picked = np.take_along_axis(z, labels[..., None], axis=-1)[..., 0]
    return np.mean(log_sum - picked, axis=-1)


def loss(theta, X, y, n_out=1):
    """Mean cross-entropy (binary for n_out = 1, softmax over the C classes for n_out = C):
    shape () for theta (P,), (K,) for theta (K, P)."""
    z = forward(theta, X, n_out)
    if n_out == 1:
        return _bce(z, _labels(y, z))
    return _softmax_ce(z, _classes(y, z))


def loss_and_grad(theta, X, y, n_out=1):
    """Loss and its gradient with respect to theta, by backpropagation.
    Returns (loss, grad): loss () or (K,), grad with theta's shape."""
    theta, X, (W1, b1, W2, b2), h, z = _layers(theta, X, n_out)
    if n_out == 1:                                   # two classes: one logit per example
        y = _labels(y, z)
        value = _bce(z, y)
        dz = (_sigmoid(z) - y)[..., None]            # (..., N, 1)
    else:                                            # C classes: one row of C logits per example
        labels = _classes(y, z)
        value = _softmax_ce(z, labels)
        one_hot = labels[..., None] == np.arange(z.shape[-1])
        dz = _softmax(z) - one_hot                   # (..., N, C): p minus the one-hot row of y
    dz /= X.shape[-2]                                # dL/dz, the mean over the N examples
    dW2 = np.swapaxes(h, -1, -2) @ dz                # (..., n_hidden, n_out)
    db2 = dz.sum(axis=-2)                            # (..., n_out)
    dh = dz @ np.swapaxes(W2, -1, -2)                # (..., N, n_hidden)
    da = dh * (1.0 - h * h)                          # through tanh
    dW1 = np.swapaxes(X, -1, -2) @ da                # (..., n_in, n_hidden)
    db1 = da.sum(axis=-2)                            # (..., n_hidden)
    return value, pack(dW1, db1, dW2, db2)


class Objective:
    """The network's loss on fixed data as a function of theta alone, with
    ``loss(theta)`` and ``grad(theta)`` like a Surface, for helpers.descent.run."""

    def __init__(self, X, y, name="two-layer network", n_out=1):
        self.X, self.y, self.name = check.as_floats("X", X), check.as_floats("y", y), name
        self.n_out = _n_out(n_out)

    def loss(self, theta):
        return loss(theta, self.X, self.y, self.n_out)

    def grad(self, theta):
        return loss_and_grad(theta, self.X, self.y, self.n_out)[1]
