"""One contract for the numeric exercise checkers, shared by the tests/test_exercises_*.py files."""


def assert_checker(check, right, wrongs):
    """The right answer passes; no answer is 'not yet'; a non-number is refused; and each typical
    wrong answer gets a message containing the phrase that names its mistake."""
    assert check(right).ok is True
    assert check(None).ok is None
    assert check("abc").ok is False
    for wrong, phrase in wrongs:
        fb = check(wrong)
        assert fb.ok is False and phrase in fb.message, (wrong, fb.message)
