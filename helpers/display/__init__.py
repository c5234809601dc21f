"""What draws: ``plotting`` (styles, contour maps, paths, loss curves), ``widgets`` (``Explorer``, the
base of every interactive figure) and ``feedback`` (how an exercise check answers). Uses the engine,
never the lessons."""
