"""Feedback returned by the exercise checkers in ``helpers.lessons.exercises``.

A checker never raises on a wrong answer. It returns a ``Feedback``:

    Feedback(True,  "one step gives w = 4.4")   ->  ✅ Correct: one step gives w = 4.4
    Feedback(False, "the step is lr * grad")     ->  ❌ Not yet: the step is lr * grad
    Feedback(None,  "replace None ...")          ->  ✏️ No answer yet: replace None ...

``repr`` and ``str`` give the same plain text, so a notebook cell that ends with a checker call
shows a deterministic ``text/plain`` output (what strict nbval compares). ``bool(feedback)`` is
True only for a correct answer, so tests can write ``assert check_x(right_answer)``.

``check_number`` is the whole body of a checker whose answer is one number: it compares the answer
with the right value, then with the values that typical slips produce, and says which one matched.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from helpers import validation as check

__all__ = ["Feedback", "correct", "not_yet", "no_answer", "close", "to_float", "to_array", "check_number"]

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
        if ok is not None:
            check.boolean("ok", ok, what="True, False or None")
        check.instance("message", self.message, str, "a str")
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


def _check_tolerance(name, value):
    check.finite_number(name, value, minimum=0)


def check_number(answer, right, correct_message, slips=(), fallback=None, *, what="one number",
                 rtol=1e-6, atol=1e-12, no_answer_message=None) -> Feedback:
    """The verdict on an ``answer`` that should be the single number ``right``.

    In order, the first rule that applies decides:

    1. ``answer is None``: no answer yet, with ``no_answer_message`` (None: ``no_answer()``'s text).
    2. ``answer`` is not one finite number (see ``to_float``): not yet,
       "the answer should be {what}, got {answer!r}."
    3. x = float(answer) is close to ``right``: correct, with ``correct_message``.
    4. the first slip whose value x is close to: not yet, with that slip's message. ``slips`` is a
       sequence of ``(value, message)`` or ``(value, message, tol)``, where ``tol`` is a dict with
       ``"rtol"`` and/or ``"atol"`` replacing the call's tolerances for that slip only. Two values
       that share a message are two slips.
    5. otherwise: not yet, with ``fallback`` (a str, or a function of x returning a str, for a
       message that quotes the answer; None: "{x:.4g} is not it.").

    "Close" is ``close(x, value, rtol, atol)``: |x - value| <= atol + rtol |value|. For a purely
    absolute tolerance pass ``rtol=0`` and ``atol=...``; ``rtol=0, atol=0`` asks for equality.
    Pure; never raises on a wrong answer, but raises ValueError for bad arguments of its own
    (they are programming errors in a checker, caught even while the answer is None).
    """
    if to_float(right) is None:
        raise ValueError(f"right must be one finite number, got right={right!r}")
    check.instance("correct_message", correct_message, str, "a str")
    if fallback is not None and not isinstance(fallback, str) and not callable(fallback):
        raise ValueError(f"fallback must be a str, a function of the answer or None, got fallback={fallback!r}")
    check.instance("what", what, str, "a str")
    check.instance("no_answer_message", no_answer_message, (str, type(None)), "a str or None")
    _check_tolerance("rtol", rtol)
    _check_tolerance("atol", atol)
    rules = []
    for slip in slips:
        if not isinstance(slip, tuple) or len(slip) not in (2, 3):
            raise ValueError(f"each slip must be (value, message) or (value, message, tol), got slip={slip!r}")
        value, message, tol = slip if len(slip) == 3 else (*slip, {})
        if to_float(value) is None or not isinstance(message, str):
            raise ValueError(f"a slip needs a finite number and a str message, got slip={slip!r}")
        if not isinstance(tol, dict) or not set(tol) <= {"rtol", "atol"}:
            raise ValueError(f"a slip's tol must be a dict with keys rtol and/or atol, got tol={tol!r}")
        for name, t in tol.items():
            _check_tolerance(name, t)
        rules.append((value, message, tol.get("rtol", rtol), tol.get("atol", atol)))

    if answer is None:
        return no_answer() if no_answer_message is None else no_answer(no_answer_message)
    x = to_float(answer)
    if x is None:
        return not_yet(f"the answer should be {what}, got {answer!r}.")
    if close(x, right, rtol=rtol, atol=atol):
        return correct(correct_message)
    for value, message, slip_rtol, slip_atol in rules:
        if close(x, value, rtol=slip_rtol, atol=slip_atol):
            return not_yet(message)
    if fallback is None:
        return not_yet(f"{x:.4g} is not it.")
    return not_yet(fallback if isinstance(fallback, str) else fallback(x))
