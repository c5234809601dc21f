"""Argument checks: the one way the package refuses bad input.

Every checker takes the argument's ``name`` and ``value``, returns the value in the form the
caller works with (a float, an int, a float array, ...), or raises with a message that names
the argument and repeats the value it got::

    lr must be a finite number >= 0, got lr=-0.1

A value of the wrong kind (a string or None where a number is wanted, a number where a
function is wanted) raises ``WrongKind``, which is both a ``TypeError`` and a ``ValueError``:
code that catches ValueError (an explorer's banner, say) still catches it. A value of the right
kind that breaks a rule (NaN, a negative step count, the wrong shape) raises ``ValueError``.

    is_real(value)                                             True for one real number (not a bool)
    as_floats(name, value)                                     a float array, NaN and inf allowed
    points(name, value, d=2)                                   a float array of shape (..., d)
    finite_number(name, value, minimum=None, maximum=None, strict=False, below=None)
    finite_numbers(name, value, minimum=None, strict=False)   a number or an array of them
    integer(name, value, minimum=None, maximum=None)
    finite_array(name, value, ndim=None, shape=None, nonempty=True, minimum=None, strict=False)
    interval(name, value)                                      (low, high), finite, low < high
    choice(name, value, options)
    boolean(name, value)
    callable_(name, value)
    instance(name, value, kind, what)
    fail(name, value, rule)                                    raise the message for any other rule

``what`` (most checkers) replaces the rule in the message, for a rule better said in words.
"""

from __future__ import annotations

import math
import numbers

import numpy as np

__all__ = ["WrongKind", "fail", "is_real", "as_floats", "points", "finite_number", "finite_numbers",
           "integer", "finite_array", "interval", "choice", "boolean", "callable_", "instance"]


class WrongKind(TypeError, ValueError):
    """A value of the wrong kind: a TypeError, and a ValueError for callers that catch that."""


def fail(name, value, rule, wrong_kind=False):
    """Raise ``{name} must be {rule}, got {name}={value!r}`` (WrongKind if ``wrong_kind``)."""
    raise (WrongKind if wrong_kind else ValueError)(f"{name} must be {rule}, got {name}={value!r}")


def is_real(value) -> bool:
    """A real number: int, float, NumPy integer or float scalar, or a 0-d array of one (no bools)."""
    if isinstance(value, np.ndarray):
        return value.ndim == 0 and value.dtype.kind in "iuf"
    return isinstance(value, (numbers.Real, np.integer, np.floating)) and not isinstance(value, (bool, np.bool_))


def _bounds_rule(minimum, maximum, strict, below):
    parts = []
    if minimum is not None:
        parts.append(f"{'>' if strict else '>='} {minimum}")
    if maximum is not None:
        parts.append(f"<= {maximum}")
    if below is not None:
        parts.append(f"< {below}")
    return " and ".join(parts)


def _in_bounds(x, minimum, maximum, strict, below):
    """True where x (number or array) keeps every bound."""
    ok = np.ones(np.shape(x), dtype=bool)
    if minimum is not None:
        ok &= (x > minimum) if strict else (x >= minimum)
    if maximum is not None:
        ok &= x <= maximum
    if below is not None:
        ok &= x < below
    return bool(np.all(ok))


def finite_number(name, value, minimum=None, maximum=None, strict=False, below=None, what=None) -> float:
    """``value`` as a finite float with minimum <= value <= maximum (value > minimum if
    ``strict``; value < below if ``below`` is given)."""
    bounds = _bounds_rule(minimum, maximum, strict, below)
    rule = what or ("a finite number" + (f" {bounds}" if bounds else ""))
    if not is_real(value):
        fail(name, value, rule, wrong_kind=True)
    x = float(value)
    if not (math.isfinite(x) and _in_bounds(x, minimum, maximum, strict, below)):
        fail(name, value, rule)
    return x


def finite_numbers(name, value, minimum=None, strict=False, what=None):
    """A finite number (returned as a float) or an array of them (a float array), each above
    ``minimum``: for hyperparameters that may hold one value per run."""
    bounds = _bounds_rule(minimum, None, strict, None)
    rule = what or ("a finite number" + (f" {bounds}" if bounds else "") + " (or an array of them)")
    if is_real(value):
        return finite_number(name, value, minimum, strict=strict, what=rule)
    arr = _float_array(name, value, rule)
    if arr.size == 0 or not np.all(np.isfinite(arr)) or not _in_bounds(arr, minimum, None, strict, None):
        fail(name, value, rule)
    return arr


def integer(name, value, minimum=None, maximum=None, what=None) -> int:
    """``value`` as an int (a Python or NumPy integer, not a bool) in [minimum, maximum]."""
    if what is None:
        if minimum is not None and maximum is not None:
            what = f"an integer between {minimum} and {maximum}"
        else:
            what = "an integer" + (f" >= {minimum}" if minimum is not None else "") + (
                f" <= {maximum}" if maximum is not None else "")
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (numbers.Integral, np.integer)):
        fail(name, value, what, wrong_kind=not isinstance(value, (numbers.Real, np.floating)))
    n = int(value)
    if (minimum is not None and n < minimum) or (maximum is not None and n > maximum):
        fail(name, value, what)
    return n


def as_floats(name, value, what="an array of numbers"):
    """``value`` as a float array, not copied if it is one already; NaN and inf pass (a diverging run
    makes them), but None, strings and ragged or non-numeric input raise WrongKind."""
    if type(value) is np.ndarray and value.dtype == np.float64:
        return value
    if value is None or isinstance(value, (str, bytes)) or (
            isinstance(value, np.ndarray) and value.dtype.kind not in "iufb"):
        fail(name, value, what, wrong_kind=True)
    try:
        return np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        fail(name, value, what, wrong_kind=True)


def points(name, value, d=2, holding=""):
    """``value`` as a float array of shape (..., d): one point, a batch, or a grid of them (NaN and
    inf allowed, as in ``as_floats``). ``holding`` names the coordinates in the message."""
    arr = as_floats(name, value, what=f"an array of shape (..., {d})")
    if arr.ndim == 0 or arr.shape[-1] != d:
        raise ValueError(f"{name} must have shape (..., {d}){holding}, got {name} with shape {arr.shape}")
    return arr


def _float_array(name, value, rule):
    """np.asarray(value, dtype=float), refusing None, strings, bools and anything ragged."""
    if value is None or isinstance(value, (str, bytes, bool, np.bool_)):
        fail(name, value, rule, wrong_kind=True)
    if isinstance(value, np.ndarray) and value.dtype.kind not in "iuf":
        fail(name, value, rule, wrong_kind=True)
    try:
        arr = np.array(value, dtype=float)
    except (TypeError, ValueError):
        fail(name, value, rule, wrong_kind=True)
    return arr


def _describe_shape(ndim, shape):
    if shape is not None:
        return f" of shape {shape}"
    if ndim is None:
        return ""
    dims = (ndim,) if isinstance(ndim, int) else tuple(ndim)
    return " with " + " or ".join(str(d) for d in dims) + (" dimension" if dims == (1,) else " dimensions")


def finite_array(name, value, ndim=None, shape=None, nonempty=True, minimum=None, strict=False, what=None):
    """``value`` as a float array (a copy) of finite entries. ``ndim``: an int or a tuple of allowed
    ones; ``shape``: the exact shape (None in it matches any length); ``nonempty``: at least one
    entry; ``minimum``: every entry >= minimum (> if ``strict``)."""
    bounds = _bounds_rule(minimum, None, strict, None)
    rule = what or ("a finite array" + _describe_shape(ndim, shape) + (" of numbers " + bounds if bounds else ""))
    arr = _float_array(name, value, rule)
    if ndim is not None and arr.ndim not in ((ndim,) if isinstance(ndim, int) else tuple(ndim)):
        fail(name, value, rule)
    if shape is not None and (arr.ndim != len(shape)
                              or any(s is not None and s != a for s, a in zip(shape, arr.shape))):
        fail(name, value, rule)
    if (nonempty and arr.size == 0) or not np.all(np.isfinite(arr)) or not _in_bounds(arr, minimum, None, strict, None):
        fail(name, value, rule)
    return arr


def interval(name, value, what=None):
    """``(low, high)``: two finite numbers with low < high, as floats."""
    rule = what or "two finite numbers (low, high) with low < high"
    if isinstance(value, (str, bytes)) or not hasattr(value, "__len__") or len(value) != 2:
        fail(name, value, rule, wrong_kind=not hasattr(value, "__len__") or isinstance(value, (str, bytes)))
    lo, hi = (finite_number(name, v, what=rule) for v in value)
    if not lo < hi:
        fail(name, value, rule)
    return lo, hi


def choice(name, value, options, what=None):
    """``value`` if it is one of ``options`` (compared with ==, never raising on unhashables)."""
    options = list(options)
    shown = what or f"one of {options}"
    try:
        found = any(value is o or (not isinstance(value, bool) and bool(value == o)) for o in options)
    except (TypeError, ValueError):
        found = False
    if not found:
        fail(name, value, shown, wrong_kind=not isinstance(value, tuple(type(o) for o in options)))
    return value


def boolean(name, value, what="True or False") -> bool:
    """``value`` if it is True or False (or a NumPy bool)."""
    if not isinstance(value, (bool, np.bool_)):
        fail(name, value, what, wrong_kind=True)
    return bool(value)


def callable_(name, value, what="a function"):
    """``value`` if it can be called."""
    if not callable(value):
        fail(name, value, what, wrong_kind=True)
    return value


def instance(name, value, kind, what):
    """``value`` if it is an instance of ``kind`` (a class or a tuple of them)."""
    if not isinstance(value, kind):
        fail(name, value, what, wrong_kind=True)
    return value
