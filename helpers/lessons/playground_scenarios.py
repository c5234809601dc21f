"""The playground's scenarios: settings that each show one effect, and say it in one line.

``SCENARIOS[name] = (PlaygroundSettings, explanation)``, the explanation in English;
``explanation(name, lang)`` gives it in any of the playground's languages (the words are in
helpers.lessons.playground_text). The playground's "scenario" menu applies one,
and ``helpers.lessons.playground`` re-exports the dict. Each explanation is a claim, and
tests/test_playground_scenarios.py checks it at every position of the slider it is about (the warmup
slider for "warmup", momentum for "momentum", start x for "adam-scale" and "basins"). The learning
rates are slider positions (10 ** (k / 20)), so the slider shows exactly the rate the claim is about,
and every scenario uses one shared rate: each claim is about that rate.
"""

from __future__ import annotations

from helpers.lessons.playground import PlaygroundSettings
from helpers.lessons.playground_text import text

__all__ = ["SCENARIOS", "WARMUP_NEEDED", "MOMENTUM_RANGE", "explanation"]

WARMUP_NEEDED = 9             # "warmup": fewer warmup steps diverge, this many or more survive
MOMENTUM_RANGE = (0.7, 0.95)  # "momentum": overshoots (by 0.1 or more) and wins at every slider position in here

SCENARIOS = {
    "warmup": (
        PlaygroundSettings(surface="rosenbrock", start=(-2.0, -1.0), lr_mode="shared", lr=10 ** -2.15,
                           schedule="warmup_cosine", warmup=20, steps=200, optimizers=("SGD",)),
        dict(lr="0.0071", n=WARMUP_NEEDED),
    ),
    "momentum": (
        PlaygroundSettings(surface="bowl", lr_mode="shared", lr=10 ** -2, schedule="constant", steps=200,
                           optimizers=("SGD", "SGD + momentum"), momentum=0.9),
        dict(lr="0.01", low=MOMENTUM_RANGE[0], high=MOMENTUM_RANGE[1]),
    ),
    "adam-scale": (
        PlaygroundSettings(surface="bowl", start=(-4.0, 2.0), lr_mode="shared", lr=10 ** -1.3,
                           schedule="constant", steps=60, optimizers=("SGD", "Adam")),
        dict(lr="0.05"),
    ),
    "basins": (
        PlaygroundSettings(surface="himmelblau", start=(0.0, 0.0), lr_mode="shared", lr=10 ** -2,
                           schedule="cosine", steps=200, optimizers=("SGD",)),
        dict(),
    ),
}
# the explanations' numbers above, their words in helpers.lessons.playground_text ("scenario.<name>")
_FIELDS = {name: fields for name, (_, fields) in SCENARIOS.items()}


def explanation(name, lang="en"):
    """Scenario ``name``'s one-line explanation in ``lang`` (one of playground_text.LANGUAGES)."""
    if name not in _FIELDS:
        raise ValueError(f"name must be one of {sorted(_FIELDS)}, got name={name!r}")
    return text(f"scenario.{name}", lang, **_FIELDS[name])


SCENARIOS = {name: (settings, explanation(name)) for name, (settings, _) in SCENARIOS.items()}
