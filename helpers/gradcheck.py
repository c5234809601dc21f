"""Check a gradient with finite differences.

For a scalar function f of an array x (any shape), with e_i the unit array
that is 1 at entry i::

    forward difference   df/dx_i ~ (f(x + h e_i) - f(x)) / h               error O(h)
    central difference   df/dx_i ~ (f(x + h e_i) - f(x - h e_i)) / (2 h)   error O(h^2)

Both cost one or two evaluations of f per entry of x (n + 1 or 2n in all),
which is why backpropagation, not finite differences, computes gradients in
practice; finite differences are the independent check.

h cannot be made as small as we like: f is computed in floating point with a
relative rounding error of about 1e-16, and dividing that error by h makes it
grow as h shrinks. Total error ~ truncation (h or h^2) + rounding (1e-16 / h).
"""

from __future__ import annotations

import numpy as np

from helpers import validation as check


def _step(h):
    return check.finite_number("h", h, minimum=0, strict=True)


def _point(x):
    return check.finite_array("x", x, nonempty=False, what="finite")


def _scalar(f, x):
    value = check.as_floats("f(x)", check.callable_("f", f)(x), what="a number")
    if np.ndim(value) != 0:
        raise ValueError(f"f must return a scalar, got f(x) of shape {np.shape(value)}")
    return float(value)


def _shifted(x, i, delta):
    """A copy of x with entry i (flat index) moved by delta; x is never changed."""
    moved = x.copy()
    moved.flat[i] += delta
    return moved


def forward_difference(f, x, h=1e-6):
    """Gradient of scalar f at x by forward differences: (f(x + h e_i) - f(x)) / h."""
    x, h = _point(x), _step(h)
    f0 = _scalar(f, x)
    grad = np.empty_like(x)
    for i in range(x.size):
        grad.flat[i] = (_scalar(f, _shifted(x, i, h)) - f0) / h
    return grad


def central_difference(f, x, h=1e-5):
    """Gradient of scalar f at x by central differences: (f(x + h e_i) - f(x - h e_i)) / 2h."""
    x, h = _point(x), _step(h)
    grad = np.empty_like(x)
    for i in range(x.size):
        grad.flat[i] = (_scalar(f, _shifted(x, i, h)) - _scalar(f, _shifted(x, i, -h))) / (2 * h)
    return grad


def relative_error(a, b):
    """||a - b|| / max(||a||, ||b||) (Euclidean norms over all entries); 0 if both are 0.

    Scale-free: 1e-7 means the two agree to about seven digits, whatever their size.
    """
    a, b = check.as_floats("a", a), check.as_floats("b", b)
    if a.shape != b.shape:
        raise ValueError(f"a and b must have the same shape, got a.shape={a.shape}, "
                         f"b.shape={b.shape}")
    scale = max(np.linalg.norm(a), np.linalg.norm(b))
    return 0.0 if scale == 0 else float(np.linalg.norm(a - b) / scale)


def check_gradient(f, grad_f, x, h=1e-5, tol=1e-6):
    """Compare grad_f(x) with central differences of f at x.

    Returns ``(ok, error)``: error = relative_error(grad_f(x), central_difference(f, x, h))
    and ok = error <= tol.
    """
    tol_value = check.finite_number("tol", tol, minimum=0)
    check.callable_("grad_f", grad_f)
    x = _point(x)
    analytic = np.asarray(grad_f(x.copy()), dtype=float)
    if analytic.shape != x.shape:
        raise ValueError(f"grad_f must return the shape of x {x.shape}, "
                         f"got grad_f(x).shape={analytic.shape}")
    error = relative_error(analytic, central_difference(f, x, h))
    return error <= tol_value, error
