"""The playground's scenarios: settings that each show one effect, and say it in one line.

``SCENARIOS[name] = (PlaygroundSettings, explanation)``; the playground's "scenario" menu applies one,
and ``helpers.lessons.playground`` re-exports the dict. Each explanation is a claim, and
tests/test_playground_scenarios.py checks it at every position of the slider it is about (the warmup
slider for "warmup", momentum for "momentum", start x for "adam-scale" and "basins"). The learning
rates are slider positions (10 ** (k / 20)), so the slider shows exactly the rate the claim is about,
and every scenario uses one shared rate: each claim is about that rate.
"""

from __future__ import annotations

from helpers.lessons.playground import PlaygroundSettings

__all__ = ["SCENARIOS", "WARMUP_NEEDED", "MOMENTUM_RANGE"]

WARMUP_NEEDED = 9             # "warmup": fewer warmup steps diverge, this many or more survive
MOMENTUM_RANGE = (0.5, 0.95)  # "momentum": overshoots and wins at every slider position in here

SCENARIOS = {
    "warmup": (
        PlaygroundSettings(surface="rosenbrock", start=(-2.0, -1.0), lr_mode="shared", lr=10 ** -2.15,
                           schedule="warmup_cosine", warmup=20, steps=200, optimizers=("SGD",)),
        "Rosenbrock from its steepest corner, where the curvature is highest, at a peak learning rate of "
        f"0.0071: SGD diverges within a few steps with fewer than {WARMUP_NEEDED} warmup steps and "
        f"survives with {WARMUP_NEEDED} or more. Slide warmup.",
    ),
    "momentum": (
        PlaygroundSettings(surface="bowl", lr_mode="shared", lr=10 ** -2, schedule="constant", steps=200,
                           optimizers=("SGD", "SGD + momentum"), momentum=0.9),
        "A long, narrow bowl at learning rate 0.01: with momentum from "
        f"{MOMENTUM_RANGE[0]} to {MOMENTUM_RANGE[1]} the walker overshoots the valley floor, swings back "
        "and still ends nearer the minimum than plain SGD. Slide momentum.",
    ),
    "adam-scale": (
        PlaygroundSettings(surface="bowl", start=(-4.0, 2.0), lr_mode="shared", lr=10 ** -1.3,
                           schedule="constant", steps=60, optimizers=("SGD", "Adam")),
        "Adam's first step moves each coordinate by the learning rate, 0.05, whatever the gradient; "
        "SGD's is the rate times the gradient, at the start five times longer across the bowl than "
        "along it. Slide start x: Adam's stays the same, SGD's follows the slope.",
    ),
    "basins": (
        PlaygroundSettings(surface="himmelblau", start=(0.0, 0.0), lr_mode="shared", lr=10 ** -2,
                           schedule="cosine", steps=200, optimizers=("SGD",)),
        "Himmelblau has four minima and SGD always ends in one of them; which one is decided by where "
        "it starts. Slide start x along y = 0: all four are reached.",
    ),
}
