import numpy as np
import pytest

from helpers.lessons import ema, momentum
from helpers.descent import run
from helpers.optim import SGD
from helpers.surfaces import quadratic


def test_ema_matches_loop_and_debias_recovers_constant():
    g = np.array([2.0, 2.0, 2.0])
    assert ema.ema(g, 0.9)[-1] == pytest.approx(2 * (1 - 0.9**3))
    np.testing.assert_allclose(ema.ema(g, 0.9, debias=True), 2.0)
    assert ema.ema_weights(0.9, 3).sum() == pytest.approx(1 - 0.9**3)
    with pytest.raises(ValueError, match="beta"):
        ema.ema(g, 1.0)


def test_rate_predicts_runs_on_a_quadratic():
    surf = quadratic(1.0, 10.0)
    for lr, beta in ((0.1, 0.5), (0.3, 0.9)):
        trace = run(surf, SGD(lr=lr, momentum=beta), np.array([0.0, 1.0]), 400)
        rho = momentum.rate(lr, 10.0, beta)
        observed = abs(trace.xs[-1, 1]) ** (1 / 400)
        assert observed == pytest.approx(rho, rel=0.05)


def test_stability_limit_separates_converging_from_diverging_runs():
    surf = quadratic(1.0, 10.0)
    for beta in (0.0, 0.9):
        limit = float(momentum.stability_limit(10.0, beta))
        below = run(surf, SGD(lr=0.98 * limit, momentum=beta), np.array([0.0, 1.0]), 2000)
        above = run(surf, SGD(lr=1.02 * limit, momentum=beta), np.array([0.0, 1.0]), 2000)
        assert below.losses[-1] < below.losses[0]
        assert above.diverged_at is not None or above.losses[-1] > above.losses[0]


def test_best_momentum_rate_formula():
    beta = momentum.best_momentum(10.0)
    lr = (1 + np.sqrt(beta)) ** 2 / 10
    expected = (np.sqrt(10) - 1) / (np.sqrt(10) + 1)
    assert momentum.rate(lr, np.array([1.0, 10.0]), beta) == pytest.approx([expected, expected])


# ---------------------------------------------------------------- an array momentum in helpers.optim.SGD

@pytest.mark.parametrize("nesterov", [False, True])
def test_an_array_momentum_runs_each_row_as_its_own_scalar_run(nesterov):
    lrs, betas = np.array([0.05, 0.1, 0.15, 0.2]), np.array([0.3, 0.9, 0.5, 0.7])
    surf = quadratic(1.0, 10.0, angle=0.4)
    starts = np.array([[1.0, -2.0], [0.5, 0.5], [-3.0, 1.0], [2.0, 2.0]])
    batch = run(surf, SGD(lr=lrs[:, None], momentum=betas[:, None], nesterov=nesterov), starts, 50)
    for k in range(4):
        alone = run(surf, SGD(lr=lrs[k], momentum=betas[k], nesterov=nesterov), starts[k], 50)
        n = len(alone.xs)                                             # a diverged run stops; its row turns NaN
        np.testing.assert_array_equal(batch.xs[:n, k], alone.xs)      # the same bits, row by row
        assert np.all(np.isnan(batch.xs[n:, k])) and (n < 51) == (alone.diverged_at is not None)


def test_an_array_momentum_may_hold_zeros_but_not_with_nesterov():
    opt = SGD(lr=0.1, momentum=np.array([[0.0], [0.9]]))
    assert opt.label == "SGD + momentum"
    trace = run(quadratic(1.0, 10.0), opt, np.array([[1.0, 1.0], [1.0, 1.0]]), 20)
    plain = run(quadratic(1.0, 10.0), SGD(lr=0.1), np.array([1.0, 1.0]), 20)
    np.testing.assert_array_equal(trace.xs[:, 0], plain.xs)          # momentum 0: plain descent
    with pytest.raises(ValueError, match="momentum"):
        SGD(lr=0.1, momentum=np.array([[0.0], [0.9]]), nesterov=True)
    with pytest.raises(ValueError, match="momentum"):
        SGD(lr=0.1, momentum=np.array([0.5, -0.1]))
    assert SGD(lr=0.1, momentum=np.zeros((2, 1))).label == "SGD"


# ---------------------------------------------------------------- Nesterov on one curvature

def test_nesterov_rate_predicts_runs_and_its_limit_separates_them():
    surf = quadratic(1.0, 10.0)
    for lr, beta in ((0.05, 0.5), (0.12, 0.9)):
        trace = run(surf, SGD(lr=lr, momentum=beta, nesterov=True), np.array([0.0, 1.0]), 400)
        observed = momentum.envelope_rate(trace.xs[:, 1], 200, 400, window=40)
        assert observed == pytest.approx(momentum.nesterov_rate(lr, 10.0, beta), abs=0.01)
    for beta in (0.3, 0.9):
        limit = float(momentum.nesterov_limit(10.0, beta))
        assert limit < float(momentum.stability_limit(10.0, beta))
        below = run(surf, SGD(lr=0.98 * limit, momentum=beta, nesterov=True), np.array([0.0, 1.0]), 3000)
        above = run(surf, SGD(lr=1.02 * limit, momentum=beta, nesterov=True), np.array([0.0, 1.0]), 3000)
        assert below.losses[-1] < below.losses[0]
        assert above.diverged_at is not None or above.losses[-1] > above.losses[0]
    assert momentum.nesterov_limit(10.0, 0.0) == pytest.approx(momentum.stability_limit(10.0, 0.0))
    assert momentum.nesterov_rate(1.0, 1.0, 0.9) < 1e-6              # lr L = 1: both roots 0


def test_torch_nesterov_is_the_look_ahead_method_in_shifted_variables():
    surf, lr, beta = quadratic(1.0, 10.0, angle=0.3), 0.08, 0.8
    x, v = np.array([2.0, -1.5]), np.zeros(2)                         # the look-ahead form, by hand
    opt = SGD(lr=lr, momentum=beta, nesterov=True)
    p, state = x.copy(), opt.init(x)                                  # torch's form: p_0 = x_0 + beta v_0 = x_0
    for _ in range(40):
        s = momentum.lookahead_steps(surf.grad, x, v, lr, beta)
        x, v = s["nesterov"], s["nesterov"] - x
        p, state = opt.step(p, surf.grad(p), state)
        np.testing.assert_allclose(p, x + beta * v, rtol=1e-12, atol=1e-12)
    s = momentum.lookahead_steps(surf.grad, np.array([1.0, 1.0]), np.array([0.2, -0.3]), lr, beta)
    np.testing.assert_allclose(s["lookahead"], [1.16, 0.76])
    np.testing.assert_allclose(s["heavy_ball"] - s["nesterov"], lr * (s["grad_ahead"] - s["grad_here"]))


# ---------------------------------------------------------------- the 2 x 2 map per eigen-direction

@pytest.mark.parametrize("beta", [0.0, 0.3, 0.9])
def test_the_maps_spectral_radius_is_the_rate(beta):
    lrs = np.linspace(0.0, 0.45, 91)
    np.testing.assert_allclose(momentum.spectral_radius(momentum.direction_map(lrs, 10.0, beta)),
                               momentum.rate(lrs, 10.0, beta), atol=1e-7)
    if beta > 0:
        np.testing.assert_allclose(momentum.spectral_radius(momentum.direction_map(lrs, 10.0, beta, nesterov=True)),
                                   momentum.nesterov_rate(lrs, 10.0, beta), atol=1e-7)
    m = np.array([[0.5, 2.0], [0.0, -0.8]])                          # triangular: eigenvalues on the diagonal
    assert momentum.spectral_radius(m) == pytest.approx(0.8)


@pytest.mark.parametrize("nesterov", [False, True])
def test_the_map_steps_each_eigen_direction_of_a_run(nesterov):
    q = momentum.RotatedQuadratic([0.5, 2.0, 7.0], seed=3)
    lr, beta = 0.15, 0.6
    trace = run(q, SGD(lr=lr, momentum=beta, nesterov=nesterov), q.basis @ np.array([1.0, -2.0, 0.5]), 30)
    maps = momentum.direction_map(lr, q.curvatures, beta, nesterov)
    state = np.stack([q.to_eigen(trace.xs[0]), np.zeros(3)], axis=-1)  # (error, buffer b_0 = 0) per direction
    for t in range(1, 31):
        state = np.einsum("kij,kj->ki", maps, state)
        np.testing.assert_allclose(state[:, 0], q.to_eigen(trace.xs[t]), atol=1e-12)


def test_rotated_quadratic_has_the_curvatures_it_was_given():
    q = momentum.RotatedQuadratic([1.0, 4.0, 10.0], seed=0)
    np.testing.assert_allclose(q.basis.T @ q.basis, np.eye(3), atol=1e-12)
    np.testing.assert_allclose(np.linalg.eigvalsh(q.hessian), [1.0, 4.0, 10.0])
    assert np.max(np.abs(q.hessian - np.diag(np.diag(q.hessian)))) > 0.1       # the axes are mixed
    x = np.array([[0.3, -1.0, 2.0], [1.0, 0.0, 0.0]])
    np.testing.assert_allclose(q.grad(x), x @ q.hessian)
    np.testing.assert_allclose(q.loss(x), 0.5 * np.sum(q.to_eigen(x) ** 2 * q.curvatures, axis=-1))
    for bad in ([1.0, 0.0], [], [[1.0]], [1.0, np.nan]):
        with pytest.raises(ValueError, match="curvatures"):
            momentum.RotatedQuadratic(bad)


def test_rate_map_is_the_slowest_end_and_best_tuning_its_floor():
    lrs, betas = np.linspace(0.05, 4.0, 30), np.linspace(0.0, 0.95, 20)
    rates = momentum.rate_map(lrs, betas, [0.1, 1.0])
    assert rates.shape == (20, 30)
    np.testing.assert_allclose(rates, np.maximum(momentum.rate(lrs, 0.1, betas[:, None]),
                                                 momentum.rate(lrs, 1.0, betas[:, None])))
    lr, beta = momentum.best_tuning(0.1, 1.0)
    best = float(momentum.rate_map([lr], [beta], [0.1, 1.0])[0, 0])
    assert best == pytest.approx(np.sqrt(beta)) and best == pytest.approx((10**0.5 - 1) / (10**0.5 + 1))
    assert rates.min() > best
    for d_lr, d_beta in ((0.02, 0), (-0.02, 0), (0, 0.02), (0, -0.02)):
        assert momentum.rate_map([lr + d_lr], [beta + d_beta], [0.1, 1.0])[0, 0] > best
    with pytest.raises(ValueError, match="mu"):
        momentum.best_tuning(2.0, 1.0)


def test_envelope_rate_measures_a_spiral_and_keeps_nan():
    t = np.arange(301)
    spiral = 0.9 ** t * np.cos(0.7 * t + 0.3)
    assert momentum.envelope_rate(spiral, 100, 300, window=20) == pytest.approx(0.9, abs=1e-3)
    both = np.stack([spiral, np.full(301, np.nan), np.zeros(301)], axis=1)
    out = momentum.envelope_rate(both, 100, 300, window=20)
    assert out[0] == pytest.approx(0.9, abs=1e-3) and np.isnan(out[1]) and out[2] == 0.0
    for kwargs, name in ((dict(first=0), "first"), (dict(last=400), "last"), (dict(window=200), "window"),
                         (dict(first=300, last=300), "first")):
        with pytest.raises(ValueError, match=name):
            momentum.envelope_rate(spiral, **(dict(first=100, last=300, window=20) | kwargs))


@pytest.mark.parametrize("call, name", [
    (lambda: momentum.nesterov_rate(0.1, 0.0, 0.5), "curvature"),
    (lambda: momentum.nesterov_limit(1.0, 1.0), "beta"),
    (lambda: momentum.direction_map(-0.1, 1.0, 0.5), "lr"),
    (lambda: momentum.direction_map(0.1, 1.0, 0.5, nesterov="yes"), "nesterov"),
    (lambda: momentum.spectral_radius(np.ones((3, 3))), "matrices"),
    (lambda: momentum.spectral_radius([[1.0, np.inf], [0.0, 1.0]]), "matrices"),
    (lambda: momentum.rate_map([0.1], [1.2], [1.0]), "beta"),
    (lambda: momentum.rate_map([[0.1]], [0.5], [1.0]), "lrs"),
    (lambda: momentum.rate_map([0.1], [0.5], [0.0]), "curvatures"),
    (lambda: momentum.lookahead_steps(None, [0.0, 0.0], [0.0, 0.0], 0.1, 0.5), "grad"),
    (lambda: momentum.lookahead_steps(np.negative, [0.0, 0.0], [0.0], 0.1, 0.5), "velocity"),
    (lambda: momentum.RotatedQuadratic([1.0, 2.0], seed=-1), "seed"),
])
def test_bad_input_is_refused_by_name(call, name):
    with pytest.raises(ValueError, match=name):
        call()


# ---------------------------------------------------------------- the rate-map explorer

def test_measured_map_follows_the_predicted_one():
    from helpers.lessons.momentum_explorer import rate_map_frame
    frame = rate_map_frame(10.0, lr=1.0, beta=0.5)
    assert frame.measured.shape == frame.predicted.shape == (40, 50)
    ok = frame.predicted < 0.98
    assert np.nanmax(np.abs(frame.measured[ok] - frame.predicted[ok])) < 0.01
    grown = frame.predicted > 1.02
    assert np.all(np.isnan(frame.measured[grown]) | (frame.measured[grown] > 1))
    assert frame.largest_gap() < 0.01
    assert frame.marker_rate == pytest.approx(np.sqrt(0.5))
    assert frame.distances.shape == (301,) and frame.diverged_at is None
    assert (frame.distances[300] / frame.distances[150]) ** (1 / 150) == pytest.approx(np.sqrt(0.5), abs=0.01)
    off = rate_map_frame(10.0, lr=3.9, beta=0.5)                      # past (2 + 2 beta) / L = 3
    assert off.diverged_at is not None and off.marker_rate > 1


def test_explorer_shows_the_settings_it_is_given():
    from helpers.lessons.momentum_explorer import RateMapExplorer
    explorer = RateMapExplorer(condition_number=100.0, lr=2.0, beta=0.9)
    assert explorer.last_error is None and explorer.last_warnings == []
    assert "1/100" in explorer.caption.value and "lr 2.00, beta 0.90" in explorer.caption.value
    renders = explorer.renders
    explorer.set(lr=3.95, beta=0.0)                                   # diverges: said on the figure
    assert explorer.renders == renders + 1 and "diverged" in explorer.last_message
    assert "diverged at step" in explorer.caption.value
    with pytest.raises(ValueError, match="condition_number"):
        RateMapExplorer(condition_number=0.5)
