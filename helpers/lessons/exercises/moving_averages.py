"""Checks for exercises on exponential moving averages and Adam's first steps.

    check_ema_value(answer)       a_3 of an EMA with beta = 0.9 fed 2.0 three times, from a_0 = 0
    check_ema_corrected(answer)   the bias-corrected value a_3 / (1 - 0.9^3)
    check_adam_first_step(answer) change in p after Adam's first step (lr 0.01, grad -3.0)
"""

from __future__ import annotations

from helpers.display.feedback import check_number

__all__ = ["check_ema_value", "check_ema_corrected", "check_adam_first_step"]

BETA, G = 0.9, 2.0


def _ema(beta, g, steps):
    a = 0.0
    for _ in range(steps):
        a = beta * a + (1 - beta) * g
    return a


def check_ema_value(answer):
    """a_3 = 2.0 * (1 - 0.9^3) = 0.542."""
    right = _ema(BETA, G, 3)
    return check_number(
        answer, right,
        f"a_3 = 0.1*2 + 0.9*(0.1*2 + 0.9*0.2) = 2 * (1 - 0.9^3) = {right:.3f}: "
        "the average has climbed only about half-way to 2.0, because it started at 0.",
        slips=[
            (_ema(0.1, G, 3), "you gave the new value the weight beta = 0.9 and the old average 0.1; "
                              "it is the other way round: a_t = 0.9 * a_{t-1} + 0.1 * g_t."),
            (G, "2.0 is the value the average is heading for (and what bias correction gives), "
                "but a_0 = 0 pulls the raw average down: compute a_1, a_2, a_3 one at a time."),
            ((1 - BETA) * G, "0.2 is a_1, after one value; the question asks for a_3, after three."),
            (_ema(BETA, G, 2), "0.38 is a_2; one more update: a_3 = 0.9 * 0.38 + 0.1 * 2.0."),
        ],
        fallback=lambda x: f"{x:.4g} is not a_3. Apply a_t = 0.9 * a_(t-1) + 0.1 * 2.0 three times, "
                           "starting from a_0 = 0.")


def check_ema_corrected(answer):
    """a_3 / (1 - 0.9^3) = 2.0 exactly: for a constant input, bias correction recovers it."""
    raw = _ema(BETA, G, 3)
    return check_number(
        answer, G,
        "0.542 / (1 - 0.729) = 2.0: for a steady input the corrected average is exact "
        "from the first step, because the weights (0.1, 0.09, 0.081) sum to 1 - 0.9^3.",
        slips=[
            (raw, "that is the raw average a_3; divide it by 1 - beta^t = 1 - 0.9^3 = 0.271."),
            (raw / (1 - BETA), "you divided by 1 - beta = 0.1; the correction divides by 1 - beta^t = 1 - 0.9^3."),
            (raw / BETA**3, "you divided by beta^3; the correction divides by 1 - beta^3 = 0.271."),
        ],
        fallback=lambda x: f"{x:.4g} is not a_3 / (1 - 0.9^3). Compute a_3 first, then divide by 1 - 0.729 = 0.271.")


def check_adam_first_step(answer):
    """Adam's first update with lr = 0.01 and gradient -3.0: p changes by +0.01."""
    lr, g = 0.01, -3.0
    sgd_step = "that is SGD's step, lr * |grad| = 0.03. Adam divides m_hat = -3 by sqrt(v_hat) = 3."
    uncorrected = -lr * (0.1 * g) / (0.001 * g * g) ** 0.5
    no_correction = ("that is the step without bias correction: m = -0.3 and v = 0.009 give "
                     "|m| / sqrt(v) = 3.16. Correct both: m_hat = m / 0.1, v_hat = v / 0.001.")
    return check_number(
        answer, lr,
        "m_hat = -3 and v_hat = 9 after one step, so m_hat / sqrt(v_hat) = -1 and "
        "p moves by +lr = +0.01: Adam's first step has size lr whatever the gradient's size.",
        slips=[
            (-lr, "right size, wrong direction: the gradient is negative, so the loss falls as p grows, "
                  "and p - lr * (-1) moves p up."),
            (-lr * g, sgd_step),
            (lr * g, sgd_step),
            (uncorrected, no_correction),
            (-uncorrected, no_correction),
        ],
        fallback=lambda x: f"{x:.4g} is not the change. After one step m_hat = g and v_hat = g^2; "
                           "the change is -lr * m_hat / sqrt(v_hat).",
        what="one number (the change p_1 - p_0)")
