"""Two-dimensional loss surfaces with hand-derived gradients.

Every surface is a function of a point (x, y). Functions accept points of shape (..., 2):
a single point (2,), a batch of walkers (N, 2) or a whole grid (H, W, 2). ``loss`` returns
shape ``points.shape[:-1]``; ``grad`` returns the same shape as ``points``; ``hessian``
returns shape ``points.shape[:-1] + (2, 2)``.

The surfaces in ``SURFACES``:

=============  =================================================  ==========================
key            formula                                            minimisers (loss)
=============  =================================================  ==========================
bowl           (x^2 + 10 y^2) / 2  (axis-aligned, condition 10)  (0, 0)  (0)
rosenbrock     (1 - x)^2 + 100 (y - x^2)^2                        (1, 1)  (0)
saddle         x^2/2 + y^4/4 - y^2/2   (saddle point at origin)   (0, +-1)  (-1/4)
himmelblau     (x^2 + y - 11)^2 + (x + y^2 - 7)^2                 four minima, all loss 0
double_well    x^4 - 2 x^2 + x/2 + y^2                            deep x=-1.0575 (-1.5148),
                                                                  shallow x=0.9304 (-0.5167)
bumpy          (x^2 + y^2)/10 + sin^2 x + sin^2 y                 9 in bounds; global (0, 0)
=============  =================================================  ==========================

Minimisers that have no closed form were found once by Newton's method in float64 and are
written out in full; ``tests/test_surfaces.py`` checks that the gradient vanishes there and
the Hessian is positive definite. Nothing is computed on import.

Far from the plotted region a loss can overflow; it then returns ``inf`` (or ``nan``)
silently, and the caller (for example ``helpers.descent.run``) reports the divergence.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Callable

import numpy as np

from helpers import validation as check

__all__ = ["Surface", "SURFACES", "quadratic", "bowl"]


# --------------------------------------------------------------------------- input checks
def _as_points(points) -> np.ndarray:
    """Return ``points`` as a float array of shape (..., 2), or raise ValueError."""
    return check.points("points", points)


class _PointFunction:
    """Wrap f(points) so that every call checks the shape and never warns on overflow."""

    def __init__(self, fn: Callable[[np.ndarray], np.ndarray]):
        self.__wrapped__ = fn
        self.__doc__ = fn.__doc__
        self.__name__ = getattr(fn, "__name__", "f")

    def __call__(self, points):
        arr = _as_points(points)
        with np.errstate(over="ignore", invalid="ignore"):
            return self.__wrapped__(arr)

    def __repr__(self):
        return f"<surface function {self.__name__}>"


def _wrap(name, fn):
    if fn is None or isinstance(fn, _PointFunction):
        return fn
    return _PointFunction(check.callable_(name, fn, what="a callable of points"))


def _finite_positive(name: str, value) -> float:
    return check.finite_number(name, value, minimum=0, strict=True)


# --------------------------------------------------------------------------- the dataclass
@dataclass(frozen=True, eq=False)
class Surface:
    """A loss surface f(x, y) with its gradient.

    Fields
    ------
    name : short key, e.g. "rosenbrock".
    title : LaTeX formula for a matplotlib title.
    loss : points (..., 2) -> values (...).
    grad : points (..., 2) -> gradients (..., 2) (the direction of steepest increase).
    bounds : ((xmin, xmax), (ymin, ymax)), the region worth plotting.
    minima : array (k, 2) of every local minimiser (global ones included).
    default_start : array (2,), a start point whose run shows something.
    max_curvature : sup over the plane of the largest Hessian eigenvalue, i.e. the Lipschitz
        constant L of the gradient (plain descent is stable on a quadratic for lr < 2 / L).
        None where the curvature is unbounded (quartic terms).
    hessian : points (..., 2) -> (..., 2, 2), or None.

    Equality is identity (two surfaces are equal only if they are the same object), so a
    surface can key a cache.
    """

    name: str
    title: str
    loss: Callable
    grad: Callable
    bounds: tuple
    minima: np.ndarray
    default_start: np.ndarray
    max_curvature: float | None = None
    hessian: Callable | None = field(default=None)

    def __post_init__(self):
        for name in ("loss", "grad"):
            if getattr(self, name) is None:
                check.fail(name, None, "a callable of points", wrong_kind=True)
        object.__setattr__(self, "loss", _wrap("loss", self.loss))
        object.__setattr__(self, "grad", _wrap("grad", self.grad))
        object.__setattr__(self, "hessian", _wrap("hessian", self.hessian))
        rule = "((xmin, xmax), (ymin, ymax)), finite, with xmin < xmax and ymin < ymax"
        if isinstance(self.bounds, (str, bytes)) or not hasattr(self.bounds, "__len__") or len(self.bounds) != 2:
            check.fail("bounds", self.bounds, rule, wrong_kind=not hasattr(self.bounds, "__len__"))
        b = tuple(check.interval("bounds", pair, what=rule) for pair in self.bounds)
        object.__setattr__(self, "bounds", b)
        minima = check.finite_array("minima", self.minima, nonempty=False,
                                    what="a finite array of points, shape (k, 2)")
        if minima.size % 2:
            check.fail("minima", self.minima, "a finite array of points, shape (k, 2)")
        minima = minima.reshape(-1, 2)
        minima.setflags(write=False)
        object.__setattr__(self, "minima", minima)
        start = check.finite_array("default_start", self.default_start, shape=(2,),
                                   what="a finite point of shape (2,)")
        start.setflags(write=False)
        object.__setattr__(self, "default_start", start)
        if self.max_curvature is not None:
            object.__setattr__(self, "max_curvature", _finite_positive("max_curvature", self.max_curvature))

    @property
    def min_loss(self) -> float:
        """The smallest loss over the listed minima (the global minimum value)."""
        return float(np.min(self.loss(self.minima))) if len(self.minima) else float("nan")

    def __repr__(self):
        return f"Surface(name={self.name!r}, bounds={self.bounds}, minima={len(self.minima)})"


# --------------------------------------------------------------------------- quadratics
def quadratic(a: float = 1.0, b: float = 10.0, angle: float = 0.0, name: str = "quadratic") -> Surface:
    """Quadratic bowl f(p) = p^T H p / 2 with H = R diag(a, b) R^T, R a rotation by ``angle``.

    ``a`` and ``b`` are the curvatures (Hessian eigenvalues) along the rotated x- and y-axes;
    ``angle`` is in radians, counter-clockwise. grad f = H p, minimum 0 at the origin,
    max_curvature = max(a, b), condition number max(a, b) / min(a, b).
    """
    a = _finite_positive("a", a)
    b = _finite_positive("b", b)
    angle = check.finite_number("angle", angle, what="a finite number (radians)")
    c, s = math.cos(angle), math.sin(angle)
    # H = R diag(a, b) R^T with R = [[c, -s], [s, c]]
    hxx = a * c * c + b * s * s
    hyy = a * s * s + b * c * c
    hxy = (a - b) * c * s
    H = np.array([[hxx, hxy], [hxy, hyy]])

    def loss(p):
        x, y = p[..., 0], p[..., 1]
        return 0.5 * (hxx * x * x + 2.0 * hxy * x * y + hyy * y * y)

    def grad(p):
        return p @ H  # H is symmetric

    def hessian(p):
        return np.broadcast_to(H, p.shape[:-1] + (2, 2)).copy()

    fa, fb = ("" if v == 1.0 else rf"{v:.3g}\," for v in (a, b))
    if angle == 0.0:
        title = rf"$f(x, y) = \frac{{1}}{{2}}({fa}x^2 + {fb}y^2)$"
    else:
        title = rf"$f = \frac{{1}}{{2}}({fa}u^2 + {fb}v^2)$, $(u, v)$ = $(x, y)$ rotated by {math.degrees(angle):.0f}°"
    # the plotted region stays fixed so that changing the curvature changes only the picture
    return Surface(
        name=name,
        title=title,
        loss=loss,
        grad=grad,
        hessian=hessian,
        bounds=((-5.0, 5.0), (-3.0, 3.0)),
        minima=np.zeros((1, 2)),
        default_start=np.array([-4.0, 2.0]),
        max_curvature=max(a, b),
    )


def bowl(condition_number: float, max_curvature: float = 1.0) -> Surface:
    """Axis-aligned quadratic with the given condition number and largest curvature L.

    f(x, y) = (L / kappa * x^2 + L * y^2) / 2: the y-direction is the steep one (curvature L),
    the x-direction the shallow one (curvature L / kappa). Plain descent converges for
    lr < 2 / L, and its slowest direction contracts by a factor |1 - lr * L / kappa| per step.
    """
    kappa = check.finite_number("condition_number", condition_number, minimum=1)
    L = _finite_positive("max_curvature", max_curvature)
    return quadratic(a=L / kappa, b=L, angle=0.0, name="bowl")


# --------------------------------------------------------------------------- Rosenbrock
def _rosenbrock_loss(p):
    x, y = p[..., 0], p[..., 1]
    return (1.0 - x) ** 2 + 100.0 * (y - x * x) ** 2


def _rosenbrock_grad(p):
    x, y = p[..., 0], p[..., 1]
    r = y - x * x
    return np.stack([-2.0 * (1.0 - x) - 400.0 * x * r, 200.0 * r], axis=-1)


def _rosenbrock_hessian(p):
    x, y = p[..., 0], p[..., 1]
    hxx = 2.0 - 400.0 * y + 1200.0 * x * x
    hxy = -400.0 * x
    hyy = np.full_like(x, 200.0)
    return np.stack([np.stack([hxx, hxy], -1), np.stack([hxy, hyy], -1)], -2)


# --------------------------------------------------------------------------- saddle
def _saddle_loss(p):
    x, y = p[..., 0], p[..., 1]
    y2 = y * y
    return 0.5 * x * x + 0.25 * y2 * y2 - 0.5 * y2


def _saddle_grad(p):
    x, y = p[..., 0], p[..., 1]
    return np.stack([x, y * y * y - y], axis=-1)


def _saddle_hessian(p):
    x, y = p[..., 0], p[..., 1]
    one, zero = np.ones_like(x), np.zeros_like(x)
    return np.stack([np.stack([one, zero], -1), np.stack([zero, 3.0 * y * y - 1.0], -1)], -2)


# --------------------------------------------------------------------------- Himmelblau
def _himmelblau_loss(p):
    x, y = p[..., 0], p[..., 1]
    return (x * x + y - 11.0) ** 2 + (x + y * y - 7.0) ** 2


def _himmelblau_grad(p):
    x, y = p[..., 0], p[..., 1]
    u = x * x + y - 11.0
    v = x + y * y - 7.0
    return np.stack([4.0 * x * u + 2.0 * v, 2.0 * u + 4.0 * y * v], axis=-1)


def _himmelblau_hessian(p):
    x, y = p[..., 0], p[..., 1]
    hxx = 12.0 * x * x + 4.0 * y - 42.0
    hxy = 4.0 * x + 4.0 * y
    hyy = 12.0 * y * y + 4.0 * x - 26.0
    return np.stack([np.stack([hxx, hxy], -1), np.stack([hxy, hyy], -1)], -2)


# Newton's method from (3, 2), (-2.8, 3.1), (-3.8, -3.3), (3.6, -1.8); (3, 2) is exact.
_HIMMELBLAU_MINIMA = np.array([
    [3.0, 2.0],
    [-2.805118086952745, 3.131312518250573],
    [-3.779310253377747, -3.2831859912861696],
    [3.5844283403304917, -1.8481265269644036],
])


# --------------------------------------------------------------------------- double well
# g(x) = x^4 - 2 x^2 + x / 2, g'(x) = 4 x^3 - 4 x + 1/2. Its three roots (Newton's method):
_DW_DEEP = -1.057453770738378      # g = -1.5147536412757057, g'' = 9.42
_DW_BARRIER = 0.1270508441825262   # g =  0.0315021495609548, g'' = -3.81 (the ridge)
_DW_SHALLOW = 0.9304029265558517   # g = -0.5167485082852492, g'' = 6.39


def _double_well_loss(p):
    x, y = p[..., 0], p[..., 1]
    x2 = x * x
    return x2 * x2 - 2.0 * x2 + 0.5 * x + y * y


def _double_well_grad(p):
    x, y = p[..., 0], p[..., 1]
    return np.stack([4.0 * x * x * x - 4.0 * x + 0.5, 2.0 * y], axis=-1)


def _double_well_hessian(p):
    x, y = p[..., 0], p[..., 1]
    zero = np.zeros_like(x)
    return np.stack([np.stack([12.0 * x * x - 4.0, zero], -1), np.stack([zero, np.full_like(x, 2.0)], -1)], -2)


# --------------------------------------------------------------------------- bumpy
# h(t) = t^2 / 10 + sin^2 t, h'(t) = t / 5 + sin 2t, h''(t) = 1/5 + 2 cos 2t.
# In [-5, 5], h has minima at 0 and +-t*, t* from Newton's method (h(t*) = 0.8947934195339826);
# f(x, y) = h(x) + h(y) is separable, so its minima are the 3 x 3 grid of these.
_BUMPY_T = 2.839603898157202


def _bumpy_loss(p):
    x, y = p[..., 0], p[..., 1]
    return 0.1 * (x * x + y * y) + np.sin(x) ** 2 + np.sin(y) ** 2


def _bumpy_grad(p):
    x, y = p[..., 0], p[..., 1]
    return np.stack([0.2 * x + np.sin(2.0 * x), 0.2 * y + np.sin(2.0 * y)], axis=-1)


def _bumpy_hessian(p):
    x, y = p[..., 0], p[..., 1]
    zero = np.zeros_like(x)
    return np.stack([np.stack([0.2 + 2.0 * np.cos(2.0 * x), zero], -1),
                     np.stack([zero, 0.2 + 2.0 * np.cos(2.0 * y)], -1)], -2)


_T = (-_BUMPY_T, 0.0, _BUMPY_T)
_BUMPY_MINIMA = np.array([[0.0, 0.0]] + [[a, b] for a in _T for b in _T if (a, b) != (0.0, 0.0)])


# --------------------------------------------------------------------------- the catalogue
SURFACES: dict[str, Surface] = {
    "bowl": quadratic(1.0, 10.0, 0.0, name="bowl"),
    "rosenbrock": Surface(
        name="rosenbrock",
        title=r"$f(x, y) = (1 - x)^2 + 100\,(y - x^2)^2$",
        loss=_rosenbrock_loss,
        grad=_rosenbrock_grad,
        hessian=_rosenbrock_hessian,
        bounds=((-2.0, 2.0), (-1.0, 3.0)),
        minima=np.array([[1.0, 1.0]]),
        default_start=np.array([-1.2, 1.0]),
    ),
    "saddle": Surface(
        name="saddle",
        title=r"$f(x, y) = \frac{x^2}{2} + \frac{y^4}{4} - \frac{y^2}{2}$",
        loss=_saddle_loss,
        grad=_saddle_grad,
        hessian=_saddle_hessian,
        bounds=((-2.0, 2.0), (-1.75, 1.75)),
        minima=np.array([[0.0, -1.0], [0.0, 1.0]]),
        # almost on the ridge y = 0: descent slides to the saddle at the origin and lingers
        default_start=np.array([-1.8, 1e-4]),
    ),
    "himmelblau": Surface(
        name="himmelblau",
        title=r"$f(x, y) = (x^2 + y - 11)^2 + (x + y^2 - 7)^2$",
        loss=_himmelblau_loss,
        grad=_himmelblau_grad,
        hessian=_himmelblau_hessian,
        bounds=((-5.0, 5.0), (-5.0, 5.0)),
        minima=_HIMMELBLAU_MINIMA,
        default_start=np.array([0.0, 0.0]),
    ),
    "double_well": Surface(
        name="double_well",
        title=r"$f(x, y) = x^4 - 2x^2 + \frac{x}{2} + y^2$",
        loss=_double_well_loss,
        grad=_double_well_grad,
        hessian=_double_well_hessian,
        bounds=((-2.0, 2.0), (-1.5, 1.5)),
        minima=np.array([[_DW_DEEP, 0.0], [_DW_SHALLOW, 0.0]]),
        # on the shallow side: plain descent settles in the shallow well at x = 0.93
        default_start=np.array([1.6, 1.0]),
    ),
    "bumpy": Surface(
        name="bumpy",
        title=r"$f(x, y) = \frac{x^2 + y^2}{10} + \sin^2 x + \sin^2 y$",
        loss=_bumpy_loss,
        grad=_bumpy_grad,
        hessian=_bumpy_hessian,
        bounds=((-5.0, 5.0), (-5.0, 5.0)),
        minima=_BUMPY_MINIMA,
        default_start=np.array([4.0, 3.5]),
        max_curvature=2.2,  # 1/5 + 2, at any point where cos 2x = 1
    ),
}
