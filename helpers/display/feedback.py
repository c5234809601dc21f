"""Feedback returned by the exercise checkers in ``helpers.lessons.exercises``.

A checker never raises on a wrong answer. It returns a ``Feedback``, one of four verdicts:

    correct("one step gives w = 4.4")     ->  Correct: one step gives w = 4.4
    not_yet("the step is lr * grad")      ->  Not yet: the step is lr * grad
    almost("give three figures")          ->  Close: give three figures
    no_answer("replace None ...")         ->  No answer yet: replace None ...

In a notebook a Feedback shows as a small HTML box (``_repr_html_``): a mark drawn in inline SVG (no
emoji font needed; where a sanitiser removes SVG, a plain text character stands in for it), the
verdict in words, then the message, wrapping between words. Its ``text/plain`` form, ``repr`` and
``str`` are the same words without the mark. Both are built from the message alone (no ids, no
randomness), so a stored output is the same on every run (what strict nbval compares).
``bool(feedback)`` is True only for a correct answer, so tests can write ``assert check_x(right)``.

The tolerance policy, one rule for every checker (``TOLERANCE_POLICY`` is the sentence notebook 00
shows the reader):

* A number the reader types counts when it agrees with the exact value to three significant
  figures: it is within half a unit of the exact value's third significant figure (``agrees``).
  For -4/3 that is anything from -1.3383 to -1.3283, so -1.33 and -1.3333 both count.
* An answer that is the exact value shortened too far, rounded or cut off at two significant figures
  (-1.3 for -4/3, 0.96 for 0.9608), cut off at three instead of rounded (0.353 for 0.35355), or one
  unit off in the third figure (-1.34 for -4/3), is "Close" (``rounded_too_far``): not accepted, not
  wrong, and never diagnosed as a slip.
* A whole-number answer (a count) must be exact (``check_number(..., whole=True)``).
* A function the reader writes is run, and its numbers must match the reference to about six
  significant figures (``close``, rtol ``CODE_RTOL``): the computer does that arithmetic, so
  anything looser would let a real mistake through.

``check_number`` is the whole body of a checker whose answer is one number: it applies the policy,
then compares the answer with the values that typical slips produce (first each slip's exact value,
then each under the same policy, so a slip rounded the reader's way is still named) and says which
one matched.
"""
from __future__ import annotations

import html
import math
from dataclasses import dataclass
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

import numpy as np

from helpers import validation as check

__all__ = ["Feedback", "correct", "not_yet", "no_answer", "almost", "to_float", "to_array", "close",
           "agrees", "rounded_too_far", "matches", "rounded_message", "check_number",
           "SIGNIFICANT_FIGURES", "CODE_RTOL", "CODE_ATOL", "TOLERANCE_POLICY", "COLOURS"]

SIGNIFICANT_FIGURES = 3
"""A typed number counts when it agrees with the exact value to this many significant figures."""

CODE_RTOL = 1e-6
CODE_ATOL = 1e-12
"""Relative and absolute tolerance for numbers computed by the reader's own function (``close``)."""

TOLERANCE_POLICY = (
    "A number you type counts as correct when it agrees with the exact answer to three significant "
    "figures (for -4/3, both -1.33 and -1.3333 count, and more digits never hurt); one rounded further, "
    "like -1.3, or cut off instead of rounded, gets Close and a request for more digits; a count must "
    "be the exact whole number, unless the question asks for an estimate (\"about how many\"), which "
    "accepts a range; and a function you write must match the reference to six significant figures, "
    "because the computer does its arithmetic.")
"""The policy in one sentence, as notebook 00 states it."""


# --------------------------------------------------------------------------- the verdict
_LABEL = {"correct": "Correct", "not_yet": "Not yet", "close": "Close", "no_answer": "No answer yet"}

# text, background, accent (border and mark): dark text on a pale ground, at least 7:1 (WCAG AAA);
# the mark's white stroke on the accent at least 4.5:1. The verdict is also in words.
COLOURS = {
    "correct": ("#14532d", "#f0fdf4", "#15803d"),
    "not_yet": ("#7f1d1d", "#fef2f2", "#b91c1c"),
    "close": ("#713f12", "#fefce8", "#a16207"),
    "no_answer": ("#1e3a8a", "#eff6ff", "#1d4ed8"),
}

# The marks are inline SVG on a disc: a tick, a cross, "approximately equal", three dots. They need no
# font. JupyterLab shows the stored outputs of an untrusted notebook through a sanitiser that removes
# <svg> (and CSS transforms) but keeps text and inline styles: for that view each SVG carries its mark
# as a character in a hidden <text>, which the sanitiser leaves behind as plain text (check mark
# U+2713, ballot x U+2717, almost equal U+2248, ellipsis U+2026: in DejaVu Sans, Segoe UI Symbol and
# Apple's fonts; written as character references, so the HTML source stays ASCII).
_MARK = {
    "correct": ('<path d="M5.5 10.5l3 3 6-7" fill="none" stroke="#ffffff" stroke-width="2.2" '
                'stroke-linecap="round" stroke-linejoin="round"/>', "&#10003;"),
    "not_yet": ('<path d="M6.5 6.5l7 7M13.5 6.5l-7 7" fill="none" stroke="#ffffff" stroke-width="2.2" '
                'stroke-linecap="round"/>', "&#10007;"),
    "close": ('<path d="M5 8.5q2.5-2.2 5 0t5 0M5 12.5q2.5-2.2 5 0t5 0" fill="none" stroke="#ffffff" '
              'stroke-width="1.8" stroke-linecap="round"/>', "&#8776;"),
    "no_answer": ('<g fill="#ffffff"><circle cx="6" cy="10" r="1.5"/><circle cx="10" cy="10" r="1.5"/>'
                  '<circle cx="14" cy="10" r="1.5"/></g>', "&#8230;"),
}
_MARK_STYLE = ("flex:none;display:inline-block;min-width:1.25em;margin-top:0.05em;text-align:center;"
               "font-weight:bold;color:{accent}")

_BOX_STYLE = ("display:flex;align-items:flex-start;gap:0.6em;max-width:52em;margin:0.3em 0;"
              "padding:0.5em 0.8em;border-left:4px solid {accent};border-radius:3px;"
              "background:{background};color:{text};font-size:inherit;line-height:1.5;text-align:left;"
              "white-space:normal;overflow-wrap:normal;word-break:normal;hyphens:manual")


@dataclass(frozen=True)
class Feedback:
    """The verdict of a checker: ``ok`` is True (right), False (not yet) or None (no answer yet).

    ``nearly`` (only with ``ok=False``) marks an answer that is right but rounded too far: "Close".
    """

    ok: bool | None
    message: str
    nearly: bool = False

    def __post_init__(self):
        ok = self.ok
        if isinstance(ok, np.bool_):
            ok = bool(ok)
        if ok is not None:
            check.boolean("ok", ok, what="True, False or None")
        check.instance("message", self.message, str, "a str")
        nearly = check.boolean("nearly", self.nearly)
        if nearly and ok is not False:
            raise ValueError(f"nearly=True needs ok=False (a close answer is not yet accepted), got ok={ok!r}")
        object.__setattr__(self, "ok", ok)
        object.__setattr__(self, "nearly", nearly)

    @property
    def kind(self) -> str:
        """"correct", "not_yet", "close" or "no_answer"."""
        if self.ok is None:
            return "no_answer"
        if self.ok:
            return "correct"
        return "close" if self.nearly else "not_yet"

    @property
    def label(self) -> str:
        """The verdict in words: "Correct", "Not yet", "Close" or "No answer yet"."""
        return _LABEL[self.kind]

    @property
    def text(self) -> str:
        """The plain-text form shown where HTML is not: the verdict in words, then the message."""
        return f"{self.label}: {self.message}"

    def __str__(self) -> str:
        return self.text

    def __repr__(self) -> str:
        return self.text

    def _repr_pretty_(self, p, cycle):  # IPython's text/plain display
        p.text(self.text)

    def _repr_html_(self) -> str:
        """A box with a drawn mark, the verdict in bold words and the message; no ids, no randomness."""
        text, background, accent = COLOURS[self.kind]
        style = _BOX_STYLE.format(accent=accent, background=background, text=text)
        drawing, character = _MARK[self.kind]
        mark = (f'<span class="downhill-feedback-mark" aria-hidden="true" style="{_MARK_STYLE.format(accent=accent)}">'
                f'<svg width="1.25em" height="1.25em" viewBox="0 0 20 20" focusable="false" style="display:block">'
                f'<circle cx="10" cy="10" r="10" fill="{accent}"/>{drawing}'
                f'<text style="display:none">{character}</text></svg></span>')
        body = html.escape(self.message).replace("\n", "<br>")
        return (f'<div class="downhill-feedback downhill-feedback-{self.kind}" style="{style}">{mark}'
                f'<div style="min-width:0;overflow-x:auto"><strong>{self.label}:</strong> {body}</div></div>')

    def __bool__(self) -> bool:
        return self.ok is True


def correct(message: str) -> Feedback:
    """A passing verdict."""
    return Feedback(True, message)


def not_yet(message: str) -> Feedback:
    """A failing verdict; the message should say what is wrong and why."""
    return Feedback(False, message)


def almost(message: str) -> Feedback:
    """The verdict "Close": right, but rounded too far to be accepted (see ``rounded_too_far``)."""
    return Feedback(False, message, nearly=True)


def no_answer(message: str = "replace None with your answer, then run this cell again.") -> Feedback:
    """The verdict for ``answer = None`` (the stored exercise notebooks show this)."""
    return Feedback(None, message)


# --------------------------------------------------------------------------- reading an answer
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

    Strings and booleans are refused even when they spell a number: an answer should be a number.
    """
    if value is None or isinstance(value, (str, bytes, bool, np.bool_)):
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


# --------------------------------------------------------------------------- the tolerance policy
def close(a, b, rtol: float = CODE_RTOL, atol: float = CODE_ATOL) -> bool:
    """True if ``a`` and ``b`` are finite numbers or arrays of one shape with |a - b| <= atol + rtol |b|.

    The comparison for numbers computed by the reader's own function (six significant figures by
    default); typed answers use ``agrees``. Never raises: a value that is not a number (a string,
    None, a ragged list) is simply not close.
    """
    x, y = to_array(a), to_array(b)
    if x is None or y is None or x.shape != y.shape:
        return False
    return bool(np.all(np.abs(x - y) <= atol + rtol * np.abs(y)))


def _round_figures(v: float, figures: int) -> float:
    """``v`` rounded to ``figures`` significant figures (through its decimal form)."""
    return float(f"{v:.{figures}g}")


def _half_unit(exact: float, figures: int) -> float:
    """Half a unit in the ``figures``-th significant figure of ``exact`` (0 for 0)."""
    if exact == 0:
        return 0.0
    # the leading digit's exponent, read after rounding to 12 figures so that 0.09999999999999999
    # (0.1 with round-off) counts as 0.1
    lead = math.floor(math.log10(abs(_round_figures(exact, 12))))
    return 0.5 * 10.0 ** (lead - figures + 1)


def _within(x: float, exact: float, figures: int) -> bool:
    """|x - exact| within half a unit of exact's ``figures``-th figure (plus round-off slack)."""
    slack = 1e-9 * abs(exact) + CODE_ATOL
    return abs(x - exact) <= _half_unit(exact, figures) + slack


def _pair(answer, exact):
    """``answer`` and ``exact`` as flat float arrays of one shape, or (None, None)."""
    x, e = to_array(answer), to_array(exact)
    if x is None or e is None or x.shape != e.shape:
        return None, None
    return x.ravel(), e.ravel()


def agrees(answer, exact) -> bool:
    """The policy's "correct": every number of ``answer`` agrees with ``exact`` to three significant
    figures, i.e. lies within half a unit of the exact value's third significant figure.

    -1.33 and -1.3333 agree with -4/3; -1.3 and -1.34 do not. Works on numbers and on arrays of one
    shape; never raises (a non-number does not agree).
    """
    x, e = _pair(answer, exact)
    if x is None:
        return False
    return all(_within(a, b, SIGNIFICANT_FIGURES) for a, b in zip(x, e))


def _shortened(exact: float, figures: int, rounding) -> float:
    """``exact`` shortened to ``figures`` significant figures, in decimal (so 0.29 cut off at two is
    0.29, not 0.28 from 0.28999999999999998), rounding with a ``decimal`` mode."""
    d = Decimal(f"{exact:.12g}")
    return float(d.quantize(Decimal(1).scaleb(d.adjusted() - figures + 1), rounding=rounding))


def _near_forms(exact: float) -> list[float]:
    """The ways a reader shortens ``exact`` too far: rounded or cut off at two figures, cut off at three,
    or one unit off in the third figure (a slip of the last digit)."""
    if exact == 0:
        return []
    third = _shortened(exact, SIGNIFICANT_FIGURES, ROUND_HALF_UP)
    unit = 2 * _half_unit(exact, SIGNIFICANT_FIGURES)
    return [_shortened(exact, 2, ROUND_HALF_UP), _shortened(exact, 2, ROUND_DOWN),
            _shortened(exact, SIGNIFICANT_FIGURES, ROUND_DOWN), third - unit, third + unit]


def rounded_too_far(answer, exact) -> bool:
    """The policy's "close": ``answer`` does not agree with ``exact``, but each of its numbers either
    agrees or is one of the ways a reader shortens the exact value too far: rounded or cut off at two
    significant figures (-1.3 for -4/3, 0.96 for 0.9608, -0.28 for -0.28735), cut off at three (0.353
    for 0.35355), or one unit off in the third figure (-1.34 for -4/3). Never raises.
    """
    x, e = _pair(answer, exact)
    if x is None or agrees(x, e):
        return False
    return all(_within(a, b, SIGNIFICANT_FIGURES)
               or any(abs(a - form) <= 1e-9 * abs(b) for form in _near_forms(b))
               for a, b in zip(x, e))


def matches(answer, value) -> bool:
    """``answer`` is ``value`` under the policy: it agrees with it, or is its rounding to fewer figures.

    The test for a slip's value, so that a slip rounded the way the reader rounds is still named.
    """
    return agrees(answer, value) or rounded_too_far(answer, value)


def _shown(answer) -> str:
    x = to_array(answer)
    if x is None:
        return repr(answer)
    if x.ndim == 0:
        return f"{float(x):g}"
    return "(" + ", ".join(f"{v:g}" for v in x.ravel()) + ")"


def _digits(value: float) -> int:
    """How many significant figures a typed number shows (1.07 -> 3, 0.96 -> 2, 1.0 -> 1)."""
    text = f"{abs(float(value)):.12g}".replace(".", "").lstrip("0")
    return len(text.rstrip("0")) or 1


def rounded_message(answer) -> str:
    """The message of "Close": the answer is right to fewer than three significant figures, or has
    three with the last one a unit off."""
    x = to_array(answer)
    many = x is not None and x.size > 1
    if x is not None and all(_digits(v) >= SIGNIFICANT_FIGURES for v in x.ravel()):
        return (f"{_shown(answer)} is close: the last figure is one unit off. Work it out again to four "
                "figures and round (more digits are fine).")
    return (f"{_shown(answer)} is close, but does not agree with the answer to three significant figures. "
            f"Give {'each number' if many else 'it'} to at least three, rounded rather than cut off "
            "(more digits are fine).")


# --------------------------------------------------------------------------- one-number checkers
def check_number(answer, right, correct_message, slips=(), fallback=None, *, what="one number",
                 whole=False, close_message=None, no_answer_message=None) -> Feedback:
    """The verdict on an ``answer`` that should be the single number ``right``, under the policy.

    In order, the first rule that applies decides:

    1. ``answer is None``: no answer yet, with ``no_answer_message`` (None: ``no_answer()``'s text).
    2. ``answer`` is not one finite number (see ``to_float``): not yet,
       "the answer should be {what}, got {answer!r}."
    3. x = float(answer) agrees with ``right`` to three significant figures (``agrees``; with
       ``whole=True``, a count: x == right exactly): correct, with ``correct_message``.
    4. (not with ``whole``) x is ``right`` rounded to fewer figures (``rounded_too_far``): "Close",
       with ``close_message`` (a str, or a function of x; None: ``rounded_message(x)``). A rounded
       right answer is never diagnosed as a slip, because this rule comes first.
    5. the first slip whose value x equals (``close``, six figures; with ``whole``, exactly), else the
       first slip whose value x matches under the policy (``matches``): not yet, with that slip's
       message. Equality comes first because two slips can agree to three figures (1.998 and 2.0)
       while the reader's number is one of them exactly. ``slips`` is a sequence of
       ``(value, message)``; two values that share a message are two slips.
    6. otherwise: not yet, with ``fallback`` (a str, or a function of x returning a str, for a
       message that quotes the answer; None: "{x:.4g} is not it.").

    Pure; never raises on a wrong answer, but raises ValueError for bad arguments of its own
    (they are programming errors in a checker, caught even while the answer is None).
    """
    if to_float(right) is None:
        raise ValueError(f"right must be one finite number, got right={right!r}")
    right = to_float(right)
    check.instance("correct_message", correct_message, str, "a str")
    for name, value in (("fallback", fallback), ("close_message", close_message)):
        if value is not None and not isinstance(value, str) and not callable(value):
            raise ValueError(f"{name} must be a str, a function of the answer or None, got {name}={value!r}")
    check.instance("what", what, str, "a str")
    whole = check.boolean("whole", whole)
    if whole and right != int(right):
        raise ValueError(f"whole=True needs a whole number as right, got right={right!r}")
    check.instance("no_answer_message", no_answer_message, (str, type(None)), "a str or None")
    rules = []
    for slip in slips:
        if not isinstance(slip, tuple) or len(slip) != 2:
            raise ValueError(f"each slip must be a pair (value, message), got slip={slip!r}")
        value, message = slip
        if to_float(value) is None or not isinstance(message, str):
            raise ValueError(f"a slip needs a finite number and a str message, got slip={slip!r}")
        if (right == to_float(value)) if whole else matches(value, right):
            raise ValueError(f"a slip's value must differ from right under the policy, got slip={slip!r}")
        rules.append((to_float(value), message))

    if answer is None:
        return no_answer() if no_answer_message is None else no_answer(no_answer_message)
    x = to_float(answer)
    if x is None:
        return not_yet(f"the answer should be {what}, got {answer!r}.")
    if (x == right) if whole else agrees(x, right):
        return correct(correct_message)
    if not whole and rounded_too_far(x, right):
        if close_message is None:
            return almost(rounded_message(x))
        return almost(close_message if isinstance(close_message, str) else close_message(x))
    # a slip's own value first: two slips can agree to three figures (1.998 and 2.0)
    for value, message in rules:
        if (x == value) if whole else close(x, value):
            return not_yet(message)
    for value, message in rules:
        if not whole and matches(x, value):
            return not_yet(message)
    if fallback is None:
        return not_yet(f"{x:.4g} is not it.")
    return not_yet(fallback if isinstance(fallback, str) else fallback(x))
