"""What several claim files share: a cache for their runs (not a test file; pytest collects test_*.py)."""
import inspect
from functools import lru_cache, wraps


def cached(fn):
    """``functools.lru_cache`` keyed on the bound arguments: f(1) and f(1, lr=0.1) share one entry."""
    signature, inner = inspect.signature(fn), lru_cache(maxsize=None)(fn)

    @wraps(fn)
    def wrapper(*args, **kwargs):
        bound = signature.bind(*args, **kwargs)
        bound.apply_defaults()
        return inner(*bound.args)
    return wrapper
