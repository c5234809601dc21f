"""Tests for helpers.surfaces: gradients, Hessians, minima, shapes and argument checks."""
import numpy as np
import pytest

from helpers.surfaces import SURFACES, Surface, bowl, quadratic

NAMES = ["bowl", "rosenbrock", "saddle", "himmelblau", "double_well", "bumpy"]


def central_grad(f, points, h=1e-6):
    """Central differences of a vectorised scalar surface, one coordinate at a time."""
    out = np.empty_like(points)
    for i in range(2):
        e = np.zeros(2)
        e[i] = h
        out[..., i] = (f(points + e) - f(points - e)) / (2 * h)
    return out


def random_points(surface, n=200, seed=0):
    rng = np.random.default_rng(seed)
    (x0, x1), (y0, y1) = surface.bounds
    return np.stack([rng.uniform(x0, x1, n), rng.uniform(y0, y1, n)], axis=-1)


def test_catalogue_has_exactly_the_documented_keys():
    assert sorted(SURFACES) == sorted(NAMES)
    for key, s in SURFACES.items():
        assert s.name == key
        assert s.title.startswith("$")


@pytest.mark.parametrize("name", NAMES)
def test_gradient_matches_central_differences(name):
    s = SURFACES[name]
    p = random_points(s)
    numeric = central_grad(s.loss, p)
    scale = np.maximum(1.0, np.abs(numeric))
    assert np.all(np.abs(s.grad(p) - numeric) / scale < 1e-6)


@pytest.mark.parametrize("name", NAMES)
def test_hessian_matches_differences_of_the_gradient(name):
    s = SURFACES[name]
    p = random_points(s, n=50, seed=1)
    h = 1e-6
    numeric = np.stack([(s.grad(p + e) - s.grad(p - e)) / (2 * h) for e in np.eye(2) * h], axis=-1)
    H = s.hessian(p)
    assert np.allclose(H, np.swapaxes(H, -1, -2))
    assert np.all(np.abs(H - numeric) / np.maximum(1.0, np.abs(numeric)) < 1e-5)


@pytest.mark.parametrize("name", NAMES)
def test_minima_are_stationary_with_positive_definite_hessian(name):
    s = SURFACES[name]
    assert s.minima.ndim == 2 and s.minima.shape[1] == 2 and len(s.minima) >= 1
    g = s.grad(s.minima)
    assert np.all(np.abs(g) < 1e-11), g
    eig = np.linalg.eigvalsh(s.hessian(s.minima))
    assert np.all(eig > 1e-3), eig
    (x0, x1), (y0, y1) = s.bounds
    assert np.all((s.minima[:, 0] > x0) & (s.minima[:, 0] < x1))
    assert np.all((s.minima[:, 1] > y0) & (s.minima[:, 1] < y1))


@pytest.mark.parametrize("name", NAMES)
def test_no_grid_point_is_lower_than_the_global_minimum(name):
    s = SURFACES[name]
    (x0, x1), (y0, y1) = s.bounds
    X, Y = np.meshgrid(np.linspace(x0, x1, 301), np.linspace(y0, y1, 301))
    assert s.loss(np.stack([X, Y], -1)).min() >= s.min_loss - 1e-12


@pytest.mark.parametrize(
    "name, values",
    [
        ("bowl", [0.0]),
        ("rosenbrock", [0.0]),
        ("saddle", [-0.25, -0.25]),
        ("himmelblau", [0.0, 0.0, 0.0, 0.0]),
        ("double_well", [-1.5147536412757057, -0.5167485082852492]),
    ],
)
def test_documented_minimum_values(name, values):
    s = SURFACES[name]
    assert np.allclose(s.loss(s.minima), values, atol=1e-12)


def test_himmelblau_has_four_minima_of_loss_zero():
    s = SURFACES["himmelblau"]
    assert s.minima.shape == (4, 2)
    assert np.allclose(s.loss(s.minima), 0.0, atol=1e-20)
    assert [3.0, 2.0] in s.minima.tolist()


def test_bumpy_lists_nine_minima_and_global_one_first():
    s = SURFACES["bumpy"]
    assert s.minima.shape == (9, 2)
    assert np.array_equal(s.minima[0], [0.0, 0.0])
    assert sorted(np.round(s.loss(s.minima), 6).tolist()) == [0.0] + [0.894793] * 4 + [1.789587] * 4
    # a minimiser grid point is a local minimum: the loss rises a little in every direction
    for m in s.minima:
        ring = m + 1e-3 * np.stack([np.cos(np.linspace(0, 6, 12)), np.sin(np.linspace(0, 6, 12))], -1)
        assert np.all(s.loss(ring) > s.loss(m))


def test_bumpy_max_curvature_bounds_the_hessian():
    s = SURFACES["bumpy"]
    (x0, x1), (y0, y1) = s.bounds
    X, Y = np.meshgrid(np.linspace(x0, x1, 101), np.linspace(y0, y1, 101))
    eig = np.linalg.eigvalsh(s.hessian(np.stack([X, Y], -1)))
    assert eig.max() <= s.max_curvature + 1e-12
    assert eig.max() == pytest.approx(s.max_curvature)  # attained at the origin


def test_saddle_origin_is_a_saddle_and_default_start_stalls_there():
    s = SURFACES["saddle"]
    assert np.allclose(s.grad(np.zeros(2)), 0.0)
    eig = np.linalg.eigvalsh(s.hessian(np.zeros(2)))
    assert eig.min() < 0 < eig.max()
    p = s.default_start.copy()
    for _ in range(50):
        p = p - 0.1 * s.grad(p)
    assert np.linalg.norm(p) < 0.02  # still near the saddle after 50 steps
    assert abs(s.loss(p)) < 1e-3
    for _ in range(150):
        p = p - 0.1 * s.grad(p)
    assert np.allclose(np.abs(p), [0.0, 1.0], atol=1e-3)  # but it escapes in the end


def test_double_well_default_start_settles_in_the_shallow_well():
    s = SURFACES["double_well"]
    deep, shallow = s.minima
    assert s.loss(deep) < s.loss(shallow)
    p = s.default_start.copy()
    for _ in range(500):
        p = p - 0.05 * s.grad(p)
    assert np.allclose(p, shallow, atol=1e-8)


@pytest.mark.parametrize("name", NAMES)
def test_shapes_for_point_batch_and_grid(name):
    s = SURFACES[name]
    for shape in [(2,), (7, 2), (4, 5, 2)]:
        p = np.full(shape, 0.3)
        assert np.shape(s.loss(p)) == shape[:-1]
        assert s.grad(p).shape == shape
        assert s.hessian(p).shape == shape[:-1] + (2, 2)
    grid = random_points(s, n=12).reshape(3, 4, 2)
    assert np.allclose(s.loss(grid).ravel(), s.loss(grid.reshape(-1, 2)))
    # a list works as well as an array
    assert np.isclose(s.loss([0.3, 0.3]), s.loss(np.array([0.3, 0.3])))


@pytest.mark.parametrize("bad", [np.zeros(3), np.zeros((4, 3)), 1.0])
def test_wrong_point_shape_raises(bad):
    with pytest.raises(ValueError, match="points must have shape"):
        SURFACES["bowl"].loss(bad)
    with pytest.raises(ValueError, match="points must have shape"):
        SURFACES["rosenbrock"].grad(bad)


def test_far_away_points_overflow_without_warnings():
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert not np.isfinite(SURFACES["rosenbrock"].loss(np.array([1e200, 1e200])))
        assert not np.all(np.isfinite(SURFACES["himmelblau"].grad(np.array([1e200, -1e200]))))


def test_quadratic_factory():
    s = quadratic(2.0, 8.0)
    assert s.max_curvature == 8.0
    assert np.allclose(s.grad(np.array([1.0, 1.0])), [2.0, 8.0])
    assert s.loss(np.array([1.0, 1.0])) == pytest.approx(5.0)
    r = quadratic(1.0, 10.0, angle=np.pi / 4)
    eig = np.linalg.eigvalsh(r.hessian(np.zeros(2)))
    assert np.allclose(eig, [1.0, 10.0])
    # the steep direction (eigenvalue 10) is the rotated y-axis (-sin, cos)
    d = np.array([-1.0, 1.0]) / np.sqrt(2)
    assert r.loss(d) == pytest.approx(5.0)
    p = random_points(r, n=30)
    assert np.allclose(r.grad(p), central_grad(r.loss, p), atol=1e-6)
    assert "rotated" in r.title


def test_bowl_factory_condition_number():
    s = bowl(25.0, max_curvature=2.0)
    eig = np.linalg.eigvalsh(s.hessian(np.zeros(2)))
    assert np.allclose(eig, [2.0 / 25.0, 2.0])
    assert s.max_curvature == 2.0
    assert bowl(1.0).max_curvature == 1.0
    # lr just under 2/L converges, just over diverges
    for lr, converges in [(0.99, True), (1.01, False)]:
        p = s.default_start.copy()
        for _ in range(3000):
            p = p - lr * s.grad(p)
        assert (np.linalg.norm(p) < 1e-6) == converges


@pytest.mark.parametrize(
    "call, name",
    [
        (lambda: quadratic(a=-1.0), "a=-1.0"),
        (lambda: quadratic(b=0.0), "b=0.0"),
        (lambda: quadratic(b=float("inf")), "b=inf"),
        (lambda: quadratic(angle=float("nan")), "angle=nan"),
        (lambda: quadratic(a="x"), "a='x'"),
        (lambda: bowl(0.5), "condition_number=0.5"),
        (lambda: bowl(float("nan")), "condition_number=nan"),
        (lambda: bowl(10.0, max_curvature=0.0), "max_curvature=0.0"),
    ],
)
def test_bad_factory_arguments_raise_naming_the_argument(call, name):
    with pytest.raises(ValueError, match=name.replace("(", r"\(")):
        call()


def test_surface_is_frozen_and_validates():
    s = SURFACES["bowl"]
    with pytest.raises(Exception):
        s.name = "other"
    with pytest.raises(ValueError):
        s.minima[0, 0] = 1.0  # read-only
    kwargs = dict(name="t", title="$t$", loss=lambda p: p[..., 0] ** 2, grad=lambda p: 2 * p,
                  bounds=((-1, 1), (-1, 1)), minima=[[0, 0]], default_start=[0.5, 0.5])
    t = Surface(**kwargs)
    assert t.loss([1.0, 5.0]) == 1.0
    with pytest.raises(ValueError, match="bounds"):
        Surface(**{**kwargs, "bounds": ((1, -1), (-1, 1))})
    with pytest.raises(ValueError, match="default_start"):
        Surface(**{**kwargs, "default_start": [0.0, np.nan]})
