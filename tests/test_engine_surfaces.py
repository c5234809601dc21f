"""helpers.surfaces, helpers.data and helpers.problems against their documented formulas:
gradients and Hessians against central differences of the losses, the quadratic's Hessian
R diag(a, b) R^T built here by hand, titles, the data sets' geometry, the batching rules.
Written against surviving mutants (make mutants)."""

import math

import numpy as np
import pytest

from helpers import data, surfaces
from helpers.problems import MiniBatches, NoisyGradient
from helpers.surfaces import SURFACES, Surface, bowl, quadratic

H = 1e-6


def numeric_grad(f, p):
    return np.array([(f(p + H * e) - f(p - H * e)) / (2 * H) for e in np.eye(2)]).T


@pytest.mark.parametrize("name", sorted(SURFACES))
def test_grad_and_hessian_against_central_differences(name):
    s = SURFACES[name]
    rng = np.random.default_rng(7)
    for p in rng.uniform(-2.0, 2.0, size=(4, 2)):
        np.testing.assert_allclose(s.grad(p), numeric_grad(s.loss, p), rtol=1e-6, atol=1e-6)
        hess = s.hessian(p)
        num = np.array([(s.grad(p + H * e) - s.grad(p - H * e)) / (2 * H) for e in np.eye(2)])
        np.testing.assert_allclose(hess, num, rtol=1e-6, atol=1e-5)
    grid = rng.uniform(-1, 1, size=(3, 4, 2))
    assert s.loss(grid).shape == (3, 4) and s.grad(grid).shape == (3, 4, 2) and s.hessian(grid).shape == (3, 4, 2, 2)


def test_documented_values():
    assert SURFACES["rosenbrock"].loss(np.array([0.0, 1.0])) == 101.0
    assert SURFACES["saddle"].loss(np.array([2.0, 2.0])) == 2.0 + 4.0 - 2.0
    np.testing.assert_array_equal(SURFACES["saddle"].hessian(np.array([0.0, 0.0])), [[1.0, 0.0], [0.0, -1.0]])
    assert SURFACES["himmelblau"].loss(np.array([0.0, 0.0])) == 170.0
    assert SURFACES["double_well"].loss(np.array([1.0, 2.0])) == 1 - 2 + 0.5 + 4
    assert SURFACES["bumpy"].loss(np.array([math.pi, 0.0])) == pytest.approx(math.pi ** 2 / 10)
    assert SURFACES["bowl"].loss(np.array([1.0, 1.0])) == 5.5
    assert SURFACES["saddle"].min_loss == -0.25
    assert SURFACES["rosenbrock"].min_loss == 0.0
    assert SURFACES["bumpy"].max_curvature == 2.2
    assert SURFACES["bowl"].max_curvature == 10.0
    assert SURFACES["rosenbrock"].max_curvature is None


def test_quadratic_is_r_diag_rt():
    a, b, angle = 2.0, 5.0, 0.6
    s = quadratic(a, b, angle)
    R = np.array([[math.cos(angle), -math.sin(angle)], [math.sin(angle), math.cos(angle)]])
    Hm = R @ np.diag([a, b]) @ R.T
    p = np.array([0.7, -1.3])
    np.testing.assert_allclose(s.hessian(p), Hm, rtol=1e-14)
    np.testing.assert_allclose(s.grad(p), Hm @ p, rtol=1e-14)
    assert s.loss(p) == pytest.approx(0.5 * p @ Hm @ p, rel=1e-14)
    # the rotated x-axis direction has curvature a
    u = R[:, 0]
    assert s.loss(u) == pytest.approx(a / 2, rel=1e-14)
    assert s.max_curvature == 5.0 and s.name == "quadratic"
    assert s.bounds == ((-5.0, 5.0), (-3.0, 3.0))
    np.testing.assert_array_equal(s.minima, [[0.0, 0.0]])
    np.testing.assert_array_equal(s.default_start, [-4.0, 2.0])
    assert s.title == r"$f = \frac{1}{2}(2\,u^2 + 5\,v^2)$, $(u, v)$ = $(x, y)$ rotated by 34°"
    assert quadratic().title == r"$f(x, y) = \frac{1}{2}(x^2 + 10\,y^2)$"
    assert quadratic(1.0, 1.0).title == r"$f(x, y) = \frac{1}{2}(x^2 + y^2)$"
    h = quadratic(1.0, 3.0).hessian(np.zeros((2, 2)))
    h[0, 0, 0] = 99.0   # a copy per call, not a view of H
    np.testing.assert_array_equal(quadratic(1.0, 3.0).hessian(np.zeros(2)), np.diag([1.0, 3.0]))


def test_bowl():
    s = bowl(4.0, max_curvature=2.0)
    np.testing.assert_allclose(s.hessian(np.zeros(2)), np.diag([0.5, 2.0]))
    assert s.name == "bowl" and s.max_curvature == 2.0
    np.testing.assert_allclose(bowl(10.0).hessian(np.zeros(2)), np.diag([0.1, 1.0]))
    assert bowl(1.0).loss(np.array([1.0, 1.0])) == 1.0
    with pytest.raises(ValueError, match="condition_number must be a finite number >= 1"):
        bowl(0.5)


def test_surface_fields_are_checked_and_frozen():
    s = Surface("s", "t", lambda p: p[..., 0], lambda p: p, ((0, 1), (2, 3)), [[0.0, 0.0]], [1.0, 2.0])
    assert s.bounds == ((0.0, 1.0), (2.0, 3.0))
    assert s.minima.shape == (1, 2) and not s.minima.flags.writeable
    assert not s.default_start.flags.writeable
    assert s.hessian is None and s.max_curvature is None
    assert repr(s) == "Surface(name='s', bounds=((0.0, 1.0), (2.0, 3.0)), minima=1)"
    assert "surface function" in repr(s.loss)
    with pytest.raises(ValueError, match=r"points must have shape \(\.\.\., 2\), got points with shape \(3,\)"):
        s.loss(np.zeros(3))
    with pytest.raises(ValueError, match="bounds must be"):
        Surface("s", "t", s.loss, s.grad, ((1, 0), (2, 3)), [[0.0, 0.0]], [1.0, 2.0])
    with pytest.raises(ValueError, match="minima must be a finite array of points"):
        Surface("s", "t", s.loss, s.grad, ((0, 1), (2, 3)), [0.0, 0.0, 1.0], [1.0, 2.0])
    with pytest.raises(ValueError, match="max_curvature must be a finite number > 0"):
        Surface("s", "t", s.loss, s.grad, ((0, 1), (2, 3)), [[0.0, 0.0]], [1.0, 2.0], max_curvature=0.0)
    empty = Surface("s", "t", s.loss, s.grad, ((0, 1), (2, 3)), np.zeros((0, 2)), [1.0, 2.0])
    assert math.isnan(empty.min_loss)


# ------------------------------------------------------------------------------ data

def test_linear_regression_without_noise_is_the_line():
    x, y = data.linear_regression(n=50, slope=-3.0, intercept=0.5, noise=0.0, x_range=(2.0, 4.0), rng=1)
    assert x.shape == y.shape == (50,)
    assert x.min() >= 2.0 and x.max() < 4.0 and x.max() - x.min() > 1.5
    np.testing.assert_allclose(y, -3.0 * x + 0.5)
    x, y = data.linear_regression(n=4000, noise=0.5)
    resid = y - (2.0 * x + 1.0)
    assert np.std(resid) == pytest.approx(0.5, rel=0.05)
    assert x.min() >= -1.0 and x.max() < 3.0 and x.min() < -0.9 and x.max() > 2.9
    np.testing.assert_array_equal(data.linear_regression()[0], data.linear_regression(rng=0)[0])


def test_two_moons_geometry():
    X, y = data.two_moons(n=9, noise=0.0, rng=3)
    assert X.shape == (9, 2) and y.dtype.kind == "i"
    assert (y == 0).sum() == 5 and (y == 1).sum() == 4
    upper, lower = X[y == 0], X[y == 1]
    np.testing.assert_allclose(np.hypot(upper[:, 0], upper[:, 1]), 1.0)
    assert (upper[:, 1] >= -1e-12).all()
    np.testing.assert_allclose(np.hypot(1.0 - lower[:, 0], 0.5 - lower[:, 1]), 1.0)
    # t evenly spaced on [0, pi]: both arcs include their ends
    assert sorted(np.round(upper[:, 0], 12)) == sorted(np.round(np.cos(np.linspace(0, np.pi, 5)), 12))
    assert sorted(np.round(lower[:, 0], 12)) == sorted(np.round(1 - np.cos(np.linspace(0, np.pi, 4)), 12))
    X2, y2 = data.two_moons(n=2, noise=0.0)
    assert sorted(y2) == [0, 1]
    with pytest.raises(ValueError, match="n must be at least 2"):
        data.two_moons(n=1)


def test_two_moons_noise_scale():
    # class 0 lies on the unit circle before the noise: its radii spread by about sigma
    X, y = data.two_moons(n=4000, noise=0.1, rng=5)
    r0 = np.hypot(X[y == 0, 0], X[y == 0, 1])
    assert np.std(r0 - 1.0) == pytest.approx(0.1, rel=0.15)


def test_batching():
    assert data.steps_per_epoch(10, 3) == 4
    assert data.steps_per_epoch(10, 3, drop_last=True) == 3
    assert data.steps_per_epoch(9, 3) == 3
    batches = list(data.minibatches(10, 3, rng=0, epochs=2))
    assert [len(b) for b in batches] == [3, 3, 3, 1] * 2
    assert sorted(np.concatenate(batches[:4])) == list(range(10))
    assert sorted(np.concatenate(batches[4:])) == list(range(10))
    dropped = list(data.minibatches(10, 3, rng=0, epochs=1, drop_last=True))
    assert [len(b) for b in dropped] == [3, 3, 3]
    forever = data.minibatches(4, 4)
    assert [len(next(forever)) for _ in range(5)] == [4] * 5
    idx = data.minibatch_indices(10, 3, steps=7, rng=1)
    assert idx.shape == (7, 3)
    assert sorted(idx[:3].ravel()) == sorted(set(idx[:3].ravel()))       # one epoch: no repeats
    assert len(set(idx[:3].ravel())) == 9
    many = data.minibatch_indices(6, 2, steps=4, rng=1, runs=3)
    assert many.shape == (4, 3, 2)
    for k in range(3):
        assert sorted(many[:3, k].ravel()) == list(range(6))
    with pytest.raises(ValueError, match="batch_size must be at most n=3, got batch_size=4"):
        data.minibatch_indices(3, 4, 1)
    assert isinstance(data.as_generator(None), np.random.Generator)
    g = np.random.default_rng(1)
    assert data.as_generator(g) is g
    assert data.as_generator(5).random() == np.random.default_rng(5).random()
    assert data.as_generator(None).random() == np.random.default_rng(0).random()
    with pytest.raises(ValueError, match="rng must be a numpy Generator, a non-negative int seed or None"):
        data.as_generator(-1)
    with pytest.raises(TypeError):
        data.as_generator("seed")


# ------------------------------------------------------------------------------ problems

def _mse_loss(p, x, y):
    return np.mean((p[..., :1] * x - y) ** 2, axis=-1)


def _mse_grad(p, x, y):
    return np.stack([np.mean(2 * (p[..., 0:1] * x - y) * x, axis=-1)], axis=-1)


def test_minibatches_uses_the_batch_of_each_step():
    x = np.arange(6.0)
    y = 2 * x
    indices = np.array([[0, 1], [4, 5]])
    prob = MiniBatches(_mse_loss, _mse_grad, x, y, 2, 2, indices=indices)
    p = np.array([1.0])
    np.testing.assert_allclose(prob.grad_at(p, 0), [np.mean(2 * (x[:2] - y[:2]) * x[:2])])
    np.testing.assert_allclose(prob.grad_at(p, 1), [np.mean(2 * (x[4:] - y[4:]) * x[4:])])
    assert prob.loss(p) == pytest.approx(np.mean((x - y) ** 2))
    assert prob.batch_size == 2 and prob.steps == 2 and prob.runs is None
    with pytest.raises(ValueError, match=r"step must be in 0\.\.1"):
        prob.grad_at(p, 2)
    with pytest.raises(ValueError, match="step must be in"):
        prob.grad_at(p, -1)
    np.testing.assert_array_equal(prob.tile([3.0]), [3.0])
    drawn = MiniBatches(_mse_loss, _mse_grad, x, y, 3, 5, rng=0, runs=2)
    assert drawn.indices.shape == (5, 2, 3)
    np.testing.assert_array_equal(drawn.tile([3.0]), [[3.0], [3.0]])
    with pytest.raises(ValueError, match=r"indices must be integers in 0\.\.5 of shape \(2, 2\)"):
        MiniBatches(_mse_loss, _mse_grad, x, y, 2, 2, indices=np.array([[0, 6], [1, 2]]))
    with pytest.raises(ValueError, match="x and y must hold the same number of examples"):
        MiniBatches(_mse_loss, _mse_grad, x, y[:5], 2, 2, rng=0)


def test_noisy_gradient_adds_sigma_scaled_noise():
    s = quadratic(1.0, 1.0)
    prob = NoisyGradient(s, sigma=np.array([0.0, 2.0]), rng=0, runs=2)
    p = np.ones((2, 2))
    draws = np.array([prob.grad_at(p, t) - s.grad(p) for t in range(3000)])
    assert not draws[:, 0].any()
    assert np.std(draws[:, 1]) == pytest.approx(2.0, rel=0.05)
    one = NoisyGradient(s, sigma=0.5, rng=1)
    g = one.grad_at(np.ones(2), 0)
    assert g.shape == (2,)
    np.testing.assert_allclose(g - 1.0, 0.5 * np.random.default_rng(1).standard_normal((1, 2))[0])
    assert one.loss(np.ones(2)) == 1.0
    with pytest.raises(ValueError, match=r"sigma must be a number or an array of shape \(3,\)"):
        NoisyGradient(s, sigma=np.ones(2), runs=3)
