"""Checks for exercises on exponential moving averages and Adam's first steps.

    check_ema_value(answer)             a_3 of an EMA with beta = 0.9 fed 2.0 three times, from a_0 = 0
    check_corrected_after_drop(answer)  the same EMA fed 0.0 next: the bias-corrected a_4 / (1 - 0.9^4)
    check_adam_second_step(answer)      change in p at Adam's second step (lr 0.01, gradients -3.0 then +1.0)

* ``check_corrected_after_drop``: a_4 = 0.9 * 0.542 = 0.4878 and 1 - 0.9^4 = 0.3439, so the corrected
  value is 1.418: bias correction rescales the weights (0.1, 0.09, 0.081, 0.0729, newest first) to sum to
  1, so the new 0 weighs most. (For a constant input the corrected value is that input: the notebook
  says so, hence the drop.)
* ``check_adam_second_step``: m_2 = 0.9 (-0.3) + 0.1 (1) = -0.17, v_2 = 0.999 (0.009) + 0.001 (1) =
  0.009991; m_hat = -0.17 / 0.19 = -0.895, v_hat = 0.009991 / 0.001999 = 4.998, so p moves by
  -0.01 * (-0.895) / 2.236 = +0.0040: up, against the newest gradient, because m_hat still remembers -3.
"""

from __future__ import annotations

from helpers.display.feedback import check_number

__all__ = ["check_ema_value", "check_corrected_after_drop", "check_adam_second_step"]

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
        "the average has climbed only about a quarter of the way (27%) to 2.0, because it started at 0.",
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


def check_corrected_after_drop(answer):
    """After 2.0, 2.0, 2.0 and then 0.0: a_4 / (1 - 0.9^4) = 0.4878 / 0.3439 = 1.418."""
    a3 = _ema(BETA, G, 3)
    a4 = BETA * a3                                    # the fourth value is 0
    right = a4 / (1 - BETA ** 4)
    return check_number(
        answer, right,
        f"a_4 = 0.9 * 0.542 + 0.1 * 0 = {a4:.4f} and 1 - 0.9^4 = 0.3439, so the corrected value is "
        f"{right:.3f}: the weights 0.1, 0.09, 0.081, 0.0729 (newest first) divided by their sum 0.3439 give "
        "the new 0 the largest share, 29%.",
        slips=[
            (a4, "that is the raw a_4; divide it by 1 - beta^t = 1 - 0.9^4 = 0.3439."),
            (a4 / (1 - BETA ** 3), "you divided by 1 - 0.9^3, the total weight after three values; after the "
                                   "fourth it is 1 - 0.9^4 = 0.3439."),
            (G, "bias correction rescales the whole average; it cannot undo the new value 0, which now "
                "carries the largest weight."),
            (0.75 * G, "1.5 is the plain mean of 2, 2, 2, 0. The corrected EMA weights the values 0.1, 0.09, "
                       "0.081, 0.0729 (newest first) over their sum, so the newest value, 0, counts most."),
            (a4 / BETA ** 4, "you divided by beta^4; the correction divides by 1 - beta^4 = 0.3439."),
        ],
        fallback=lambda x: f"{x:.4g} is not a_4 / (1 - 0.9^4). Compute a_4 = 0.9 * a_3 + 0.1 * 0 first.")


def _adam_two_steps(g1, g2, lr=0.01, betas=(0.9, 0.999), debias=True, mean_only=False):
    """The second change of Adam fed g1 then g2 (epsilon ignored); ``mean_only``: m_hat, v_hat as plain means."""
    b1, b2 = betas
    m = b1 * (1 - b1) * g1 + (1 - b1) * g2
    v = b2 * (1 - b2) * g1 ** 2 + (1 - b2) * g2 ** 2
    if mean_only:
        m, v = (g1 + g2) / 2, (g1 ** 2 + g2 ** 2) / 2
    elif debias:
        m, v = m / (1 - b1 ** 2), v / (1 - b2 ** 2)
    return -lr * m / v ** 0.5


def check_adam_second_step(answer):
    """Adam(lr=0.01) fed -3.0 then +1.0: the second change p_2 - p_1 is +0.0040."""
    lr, g1, g2 = 0.01, -3.0, 1.0
    right = _adam_two_steps(g1, g2)
    sign_of_newest = ("that is a step of size lr against the newest gradient (and SGD's step, -lr * 1.0). Adam "
                      "steps along m_hat, which still remembers the -3: m_hat_2 = (0.09 * (-3) + 0.1 * 1) / 0.19 "
                      "= -0.895.")
    return check_number(
        answer, right,
        "m_2 = -0.17 and v_2 = 0.009991, so m_hat = -0.17 / 0.19 = -0.895 and sqrt(v_hat) = sqrt(4.998) = 2.236: "
        f"p moves by -0.01 * (-0.895) / 2.236 = +{right:.4f}. Up, although the newest gradient points the "
        "other way: the first gradient, three times larger, still dominates m_hat.",
        slips=[
            (-lr * g2, sign_of_newest),
            (lr, "+0.01 is the first step's change; the second uses m_2 and v_2, which mix both gradients."),
            (-right, "right size, wrong direction: m_hat_2 = -0.895 is still negative, so p keeps moving up."),
            (_adam_two_steps(g1, g2, debias=False), "that is the step without bias correction: m_2 = -0.17 and "
             "v_2 = 0.009991 give 1.70 lr. Correct both: m_hat = m_2 / (1 - 0.9^2), v_hat = v_2 / (1 - 0.999^2)."),
            (_adam_two_steps(g1, g2, mean_only=True), "that uses the plain means of the two gradients and of their "
             "squares (-1 and 5). Bias correction weights them 0.09 : 0.1 in m_hat and 0.000999 : 0.001 in v_hat."),
            (-lr * (0.9 * 0.1 * g1 + 0.1 * g2) / (1 - 0.9 ** 2),
             "that divides by sqrt(v_hat) = 1, the newest gradient's size alone; v_hat mixes both squares: "
             "(0.000999 * 9 + 0.001 * 1) / 0.001999 = 5.0."),
        ],
        fallback=lambda x: (f"{x:.4g} is not the change. Update m and v twice, correct them with 1 - 0.9^2 and "
                            "1 - 0.999^2, then the change is -lr * m_hat / sqrt(v_hat)."),
        what="one number (the change p_2 - p_1)")
