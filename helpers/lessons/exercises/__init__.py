"""Self-checks for the notebook exercises: one module per concept.

Each module is named by the idea it checks, never by a chapter number (``gradients.py``,
``learning_rate.py``, ...). Its functions ``check_...(answer)`` never raise on a wrong answer:
they return a ``helpers.display.feedback.Feedback`` saying what is right, or what is wrong and why,
"Close" for a right answer rounded too far, and "No answer yet" while the answer is still ``None``.
Every numeric comparison follows the one tolerance policy of ``helpers.display.feedback``
(``TOLERANCE_POLICY``): ``check_number``, ``agrees``/``rounded_too_far``/``matches`` for typed numbers,
``close`` for numbers the reader's own function computes.
"""
