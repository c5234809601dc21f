"""Downhill helpers: optimizers, surfaces, schedules and plots for the notebooks.

Nothing happens on import: no style is set, no seed is drawn.
"""
