"""Downhill helpers: the engine the course teaches, what draws it, and what serves one lesson.

    helpers/            the engine: what a reader studies
        optim           SGD, Adam, AdamW (torch.optim's names, defaults and rules)
        schedules       learning rate as a function of the step
        surfaces        loss surfaces with exact gradients and Hessians
        descent         the training loop
        gradcheck       finite differences against a gradient
        autodiff        a scalar reverse-mode autodiff engine
        nn              a two-layer tanh network (two classes, or C with softmax), batched
        data            seeded synthetic data, real digits (scikit-learn's), mini-batches
    helpers/display/    what draws: plotting, the Explorer base of every slider figure, exercise feedback
    helpers/lessons/    what serves one lesson: each notebook's computations, explorers and exercise checks

Imports point one way: lessons use display and the engine, display uses the engine, the engine uses
neither (tests/test_layout.py checks it). Nothing happens on import: no style is set, no seed is drawn.
"""
