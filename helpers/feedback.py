"""Feedback returned by the exercise checkers in ``helpers.exercises``.

A checker never raises on a wrong answer. It returns a ``Feedback``:

    Feedback(True,  "one step gives w = 4.4")   ->  ✅ Correct: one step gives w = 4.4
    Feedback(False, "the step is lr * grad")     ->  ❌ Not yet: the step is lr * grad
    Feedback(None,  "replace None ...")          ->  ✏️ No answer yet: replace None ...

``repr`` and ``str`` give the same plain text, so a notebook cell that ends with a checker call
shows a deterministic ``text/plain`` output (what strict nbval compares). ``bool(feedback)`` is
True only for a correct answer, so tests can write ``assert check_x(right_answer)``.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

__all__ = ["Feedback", "correct", "not_yet", "no_answer", "close", "to_float", "to_array"]

_PREFIX = {True: "✅ Correct: ", False: "❌ Not yet: ", None: "✏️ No answer yet: "}


@dataclass(frozen=True)
class Feedback:
    """The verdict of a checker: ``ok`` is True (right), False (wrong) or None (no answer yet)."""

    ok: bool | None
    message: str

    def __post_init__(self):
        ok = self.ok
        if isinstance(ok, np.bool_):
            ok = bool(ok)
        if ok is not True and ok is not False and ok is not None:
            raise ValueError(f"ok must be True, False or None, got ok={self.ok!r}")
        if not isinstance(self.message, str):
            raise ValueError(f"message must be a str, got message={self.message!r}")
        object.__setattr__(self, "ok", ok)

    @property
    def text(self) -> str:
        """The plain-text line(s) shown in the notebook."""
        return _PREFIX[self.ok] + self.message

    def __str__(self) -> str:
        return self.text

    def __repr__(self) -> str:
        return self.text

    def _repr_pretty_(self, p, cycle):  # IPython's text/plain display
        p.text(self.text)

    def __bool__(self) -> bool:
        return self.ok is True


def correct(message: str) -> Feedback:
    """A passing verdict."""
    return Feedback(True, message)


def not_yet(message: str) -> Feedback:
    """A failing verdict; the message should say what is wrong and why."""
    return Feedback(False, message)


def no_answer(message: str = "replace None with your answer, then run this cell again.") -> Feedback:
    """The verdict for ``answer = None`` (the stored exercise notebooks show this)."""
    return Feedback(None, message)


def to_float(value) -> float | None:
    """``value`` as a finite float, or None if it is not a single finite number (never raises).

    Booleans and strings are refused, even "4.4": an answer should be a number.
    """
    if isinstance(value, (bool, np.bool_, str, bytes)) or value is None:
        return None
    try:
        arr = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        return None
    if arr.size != 1:
        return None
    v = float(arr.reshape(()))
    return v if math.isfinite(v) else None


def to_array(value, shape=None) -> np.ndarray | None:
    """``value`` as a finite float array (of ``shape`` if given), or None (never raises).

    Strings are refused even when they spell a number: an answer should be a number.
    """
    if value is None or isinstance(value, (str, bytes)):
        return None
    try:
        arr = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        return None
    if shape is not None and arr.shape != tuple(shape):
        return None
    if not np.all(np.isfinite(arr)):
        return None
    return arr


def close(a, b, rtol: float = 1e-6, atol: float = 1e-12) -> bool:
    """True if ``a`` and ``b`` are finite numbers or arrays of one shape with |a - b| <= atol + rtol |b|.

    Never raises: a value that is not a number (a string, None, a ragged list) is simply not close.
    """
    x, y = to_array(a), to_array(b)
    if x is None or y is None or x.shape != y.shape:
        return False
    return bool(np.all(np.abs(x - y) <= atol + rtol * np.abs(y)))
