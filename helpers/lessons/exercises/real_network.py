"""Checks for the exercises of notebook 10 (from toys to a real network).

    check_param_count(answer)    parameters of a 64-32-10 network (the notebook's has 16 hidden units)
    check_noise_ratio(answer)    noise(128) / noise(32) on the 1,348 training images, sampled without
                                 replacement: a transfer, since the notebook measures and plots the noise
                                 but never takes this ratio
    check_ramp_step(answer)      first step at which the range test's ramp (1e-5 to 10 over 200 steps)
                                 reaches a learning rate of 0.1 or more
"""

from __future__ import annotations

import math

from helpers.display.feedback import check_number

__all__ = ["check_param_count", "check_noise_ratio", "check_ramp_step", "noise_ratio", "ramp_step",
           "N_TRAIN"]

N_TRAIN = 1348      # training images of the notebook's split (1,797 less the 449 held out)


def check_param_count(answer):
    """64 * 32 + 32 + 32 * 10 + 10 = 2410."""
    right = 64 * 32 + 32 + 32 * 10 + 10
    return check_number(
        answer, right,
        f"64 * 32 weights and 32 biases into the hidden layer, 32 * 10 weights and 10 biases out of it: "
        f"{right}, about twice the notebook's 1210. (nn.param_count(64, 32, 10) says the same.)",
        slips=[
            (64 * 32 + 32 * 10, "2368 counts the weights only; each layer also has one bias per unit "
                                "it feeds (32 and 10)."),
            (64 * 32 + 32 + 32 + 1, "2113 is the two-class network with one output; ten classes need ten "
                                    "outputs, each with 32 weights and a bias."),
            (64 * 32 + 32 + 32 * 10, "2400 leaves out the output layer's 10 biases, one per digit."),
            (64 * 32 + 32 * 10 + 10, "2378 leaves out the hidden layer's 32 biases, one per hidden unit."),
            (64 * 16 + 16 + 16 * 10 + 10, "1210 is the notebook's 64-16-10 network; this one has 32 hidden units."),
        ],
        fallback=lambda x: f"got {x:g}. Count W1 (64 x 32), b1 (32), W2 (32 x 10) and b2 (10).",
        whole=True,
        no_answer_message="replace None with a whole number of parameters, then run this cell again.")


def noise_ratio(small=32, large=128, n=N_TRAIN):
    """sqrt(small / large) * sqrt((n - large) / (n - small)): the ratio of the batch noises of two sizes,
    batches drawn without replacement from n."""
    return math.sqrt(small / large) * math.sqrt((n - large) / (n - small))


def check_noise_ratio(answer):
    """(1/sqrt(128)) sqrt(1220/1347) / ((1/sqrt(32)) sqrt(1316/1347)) = 0.5 sqrt(1220/1316) = 0.4814."""
    right = noise_ratio()
    return check_number(
        answer, right,
        f"noise(B) = sigma_1 / sqrt(B) * sqrt((n - B) / (n - 1)), so the ratio is "
        f"sqrt(32/128) * sqrt((1348 - 128) / (1348 - 32)) = 0.5 * {math.sqrt(1220 / 1316):.4f} = {right:.4f}. "
        "Four times the batch halves the noise, and a little more, because 128 is almost a tenth of the data.",
        slips=[
            (0.5, "0.5 is 1/sqrt(4) alone; the batches are drawn without replacement from 1,348 images, so the "
                  "finite-population factor sqrt((n - B) / (n - 1)) shrinks the larger batch's noise a little more."),
            (0.25, "0.25 is 32/128: the noise falls like 1/sqrt(B), not 1/B (its square, the variance, falls like 1/B)."),
            (1 / right, "that is noise(32) / noise(128): the larger batch has the smaller noise, so the ratio is below 1."),
            (right ** 2, "that is the ratio of the variances; the noise is its square root."),
        ],
        fallback=lambda x: f"{x:.4g} is not it. Take sigma_1 / sqrt(B) * sqrt((n - B) / (n - 1)) at B = 128 "
                           "over the same at B = 32, with n = 1348.",
        what="one ratio")


def ramp_step(lo=1e-5, hi=10.0, steps=200, target=0.1):
    """First step t with lo * (hi / lo) ** (t / (steps - 1)) >= target."""
    return math.ceil((steps - 1) * math.log(target / lo) / math.log(hi / lo) - 1e-12)


def check_ramp_step(answer):
    """lr_t = 1e-5 * 10^(6 t / 199) >= 0.1 when t >= 199 * 4/6 = 132.67: step 133."""
    right = ramp_step()
    rate = lambda t: 1e-5 * 1e6 ** (t / 199)
    return check_number(
        answer, right,
        f"lr_t = 1e-5 * (10 / 1e-5)^(t / 199) reaches 0.1 when 6t / 199 = 4, t = 132.67: the first whole step "
        f"is {right}, at {rate(right):.4f} (one step earlier, {rate(right - 1):.4f}).",
        slips=[
            (right - 1, f"{right - 1} rounds 132.67 down; at step {right - 1} the rate is still "
                        f"{rate(right - 1):.4f}, below 0.1."),
            (ramp_step(steps=201), "the ramp reaches 10 at the last step, t = 199, so the exponent is t / 199, "
                                   "not t / 200."),
            (ramp_step(target=0.01), "that is where it reaches 0.01; 0.1 is one decade further, 33 steps later."),
        ],
        fallback=lambda x: f"got {x:g}. Solve 1e-5 * 10^(6t / 199) = 0.1 for t, then take the next whole step.",
        whole=True,
        no_answer_message="replace None with a whole step number, then run this cell again.")
