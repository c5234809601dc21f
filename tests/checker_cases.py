"""One contract for the numeric exercise checkers, shared by the tests/test_exercises_*.py files."""
import numpy as np

from helpers.display.feedback import agrees


def rounded(value, figures):
    """``value`` (a number or an array) rounded to ``figures`` significant figures, the way a reader would."""
    arr = np.asarray(value, dtype=float)
    out = np.array([float(f"{v:.{figures}g}") for v in arr.ravel()]).reshape(arr.shape)
    return float(out) if out.ndim == 0 else out


def cut_off(value, figures):
    """``value`` with its digits after the ``figures``-th significant one dropped (not rounded)."""
    arr = np.asarray(value, dtype=float)
    out = []
    for v in arr.ravel():
        scale = 10.0 ** (figures - 1 - int(np.floor(np.log10(abs(v))))) if v else 1.0
        out.append(float(f"{np.trunc(v * scale) / scale:.{figures}g}"))
    out = np.array(out).reshape(arr.shape)
    return float(out) if out.ndim == 0 else out


def assert_rounding_policy(check, right, wrongs=()):
    """The tolerance policy seen from outside a checker: the right answer given to 3, 4 or 6 significant
    figures passes; given to 2, or cut off at 3, it passes or is "Close" (never "Not yet", never a
    slip's diagnosis); a typical wrong answer rounded to 4 figures still gets its own diagnosis."""
    for figures in (3, 4, 6):
        fb = check(rounded(right, figures))
        assert fb.ok is True, (figures, rounded(right, figures), fb.text)
    for near in (rounded(right, 2), cut_off(right, 3), cut_off(right, 2)):
        fb = check(near)
        assert fb.ok is True or fb.nearly is True, (near, fb.text)
        if agrees(near, right):
            assert fb.ok is True, (near, fb.text)
        if fb.nearly:
            assert fb.text.startswith("Close: ")
            assert all(phrase not in fb.message for _, phrase in wrongs), (near, fb.message)
    for wrong, phrase in wrongs:
        fb = check(rounded(wrong, 4))
        assert fb.ok is False and not fb.nearly and phrase in fb.message, (wrong, fb.message)


def assert_checker(check, right, wrongs):
    """The right answer passes; no answer is 'not yet'; a non-number is refused; each typical
    wrong answer gets a message containing the phrase that names its mistake; and the rounding
    policy holds (``assert_rounding_policy``)."""
    assert check(right).ok is True
    assert check(None).ok is None
    assert check("abc").ok is False
    for wrong, phrase in wrongs:
        fb = check(wrong)
        assert fb.ok is False and phrase in fb.message, (wrong, fb.message)
    assert_rounding_policy(check, right, wrongs)
