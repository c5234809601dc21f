"""A two-layer tanh network for two classes, on one flat parameter vector.

Signatures (theta is (P,) for one network or (K, P) for K independent ones):

    init_params(rng, n_in=2, n_hidden=16, n_out=1, runs=None) -> theta (P,) or (runs, P)
    param_count(n_in, n_hidden, n_out=1) -> P = n_in*n_hidden + n_hidden + n_hidden*n_out + n_out
    unpack(theta, sizes) -> (W1, b1, W2, b2), views of shapes (..., n_in, n_hidden),
                            (..., n_hidden), (..., n_hidden, n_out), (..., n_out)
    pack(W1, b1, W2, b2) -> theta (inverse of unpack)
    forward(theta, X) -> logits (N,) or (K, N)
    predict_proba(theta, X) -> sigmoid(logits);  predict(theta, X) -> labels 0/1 (int)
    loss(theta, X, y) -> mean binary cross-entropy, () or (K,)
    loss_and_grad(theta, X, y) -> (loss, grad): loss () or (K,), grad shaped like theta
    accuracy(theta, X, y) -> fraction of correct labels, () or (K,)
    Objective(X, y): .loss(theta), .grad(theta), the two methods descent.run expects

X is (N, n_in) shared by every run, or (K, N, n_in) with one batch per run; y is
(N,) or (K, N) of 0/1 labels. The hidden width is read off P and n_in (n_out = 1).

The model, with a = first-layer pre-activation, h = hidden units, z = logit:

    a = X W1 + b1,   h = tanh(a),   z = h W2 + b2,   p = sigmoid(z)
    L = mean_i [ log(1 + exp(z_i)) - y_i z_i ]        (= binary cross-entropy of p)

and its gradient by hand-written backpropagation, one matrix product per layer
over the whole batch:

    dz  = (p - y) / N                 dL/dz, one number per example
    dW2 = h^T dz,   db2 = sum_i dz    (second layer)
    dh  = dz W2^T                     (back through W2)
    da  = dh * (1 - h^2)              (back through tanh: tanh' = 1 - tanh^2)
    dW1 = X^T da,   db1 = sum_i da    (first layer)
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


def _sizes(theta, X, n_out=1):
    """Check shapes and read (n_in, n_hidden, n_out) off theta and X."""
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


def _layers(theta, X):
    """Forward pass keeping what backprop needs: hidden units h and logits z."""
    theta, X, sizes = _sizes(theta, X)
    W1, b1, W2, b2 = unpack(theta, sizes)
    h = np.tanh(X @ W1 + b1[..., None, :])          # (..., N, n_hidden)
    z = (h @ W2)[..., 0] + b2[..., :1]              # (..., N) logits
    return theta, X, (W1, b1, W2, b2), h, z


def forward(theta, X):
    """Logits z = tanh(X W1 + b1) W2 + b2: shape (N,), or (K, N) for K runs."""
    return _layers(theta, X)[-1]


def _sigmoid(z):
    """1 / (1 + exp(-z)) without overflow: exp is only ever taken of -|z|."""
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def _labels(y, z):
    y = check.as_floats("y", y)
    if y.shape != z.shape[-y.ndim:] or y.ndim not in (1, z.ndim) or not np.all((y == 0) | (y == 1)):
        raise ValueError(f"y must hold 0/1 labels of shape (N,) or (K, N) matching X, "
                         f"got y.shape={y.shape} for logits of shape {z.shape}")
    return y


def predict_proba(theta, X):
    """Probability of class 1 for each example."""
    return _sigmoid(forward(theta, X))


def predict(theta, X):
    """Predicted label (0 or 1) for each example."""
    return (forward(theta, X) >= 0).astype(int)


def accuracy(theta, X, y):
    """Fraction of examples whose predicted label equals y."""
    z = forward(theta, X)
    return np.mean((z >= 0) == (_labels(y, z) == 1), axis=-1)


def _bce(z, y):
    # log(1 + e^z) - y z, with log(1 + e^z) = max(z, 0) + log(1 + e^-|z|): no overflow
    return np.mean(np.maximum(z, 0) + np.log1p(np.exp(-np.abs(z))) - y * z, axis=-1)


def loss(theta, X, y):
    """Mean binary cross-entropy: shape () for theta (P,), (K,) for theta (K, P)."""
    z = forward(theta, X)
    return _bce(z, _labels(y, z))


def loss_and_grad(theta, X, y):
    """Loss and its gradient with respect to theta, by backpropagation.
    Returns (loss, grad): loss () or (K,), grad with theta's shape."""
    theta, X, (W1, b1, W2, b2), h, z = _layers(theta, X)
    y = _labels(y, z)
    N = z.shape[-1]
    dz = (_sigmoid(z) - y)[..., None] / N            # (..., N, 1)  dL/dz
    dW2 = np.swapaxes(h, -1, -2) @ dz                # (..., n_hidden, 1)
    db2 = dz.sum(axis=-2)                            # (..., 1)
    dh = dz @ np.swapaxes(W2, -1, -2)                # (..., N, n_hidden)
    da = dh * (1.0 - h * h)                          # through tanh
    dW1 = np.swapaxes(X, -1, -2) @ da                # (..., n_in, n_hidden)
    db1 = da.sum(axis=-2)                            # (..., n_hidden)
    return _bce(z, y), pack(dW1, db1, dW2, db2)


class Objective:
    """The network's loss on fixed data as a function of theta alone, with
    ``loss(theta)`` and ``grad(theta)`` like a Surface, for helpers.descent.run."""

    def __init__(self, X, y, name="two-layer network"):
        self.X, self.y, self.name = check.as_floats("X", X), check.as_floats("y", y), name

    def loss(self, theta):
        return loss(theta, self.X, self.y)

    def grad(self, theta):
        return loss_and_grad(theta, self.X, self.y)[1]
