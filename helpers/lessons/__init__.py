"""What serves one lesson: each notebook's computations and explorers, one module per topic, and the
exercise self-checks in ``exercises/``. Built on the engine (helpers.*) and helpers.display; nothing
outside this package imports from it."""
