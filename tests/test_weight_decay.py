import numpy as np
import pytest

from helpers.optim import SGD, Adam, AdamW
from helpers import descent
from helpers.lessons.weight_decay import (grid_heatmap, lr_wd_grid, near_best, near_best_range,
                                          reproducible_grid, scaled_regression, unstable_fraction)


@pytest.fixture(scope="module")
def problem():
    return scaled_regression([10.0, 1.0, 0.1], [0.2, 2.0, 20.0], n=200, noise=0.5, rng=0)


def test_sgd_l2_equals_decoupled_after_rescaling(problem):
    lr, lam = 0.005, 0.5
    path = descent.run(problem, SGD(lr=lr, weight_decay=lam), np.zeros(3), 200).xs
    w = np.zeros(3)
    for _ in range(200):
        w = (1 - lr * lam) * w - lr * problem.grad(w)
    np.testing.assert_allclose(path[-1], w, rtol=0, atol=1e-12)


def test_adam_l2_reaches_ridge_and_adamw_the_box(problem):
    w_l2 = descent.run(problem, Adam(lr=0.05, weight_decay=0.1), np.zeros(3), 3000, keep_path=False).final
    np.testing.assert_allclose(w_l2, problem.ridge(0.1), rtol=1e-4)
    w_w = descent.run(problem, AdamW(lr=0.005, weight_decay=0.1), np.zeros(3), 30000, keep_path=False).final
    np.testing.assert_allclose(w_w, problem.box(10.0), atol=5e-3)
    assert abs(w_w[2] - w_l2[2]) > 5


def test_grid_is_the_batch_of_single_runs(problem):
    lrs, wds = np.array([0.01, 0.1]), np.array([0.0, 0.1, 1.0])
    grid = lr_wd_grid(problem, lambda lr, wd: AdamW(lr=lr, weight_decay=wd), lrs, wds, 100)
    assert grid.shape == (2, 3)
    w = descent.run(problem, AdamW(lr=0.1, weight_decay=1.0), np.zeros(3), 100, keep_path=False).final
    assert grid[1, 2] == pytest.approx(problem.val_loss(w), rel=1e-12)


def test_bad_arguments_name_themselves():
    with pytest.raises(ValueError, match="scales"):
        scaled_regression([1.0, -1.0], [1.0, 1.0])
    with pytest.raises(ValueError, match="steps"):
        descent.run(scaled_regression([1.0], [1.0]), SGD(0.1), np.zeros(1), -1)


def test_paper_adamw_end_point_moves_with_lr_torch_adamw_does_not(problem):
    # torch's AdamW settles at |w| <= 1/wd whatever lr; the paper's form (shrink lam per step) at lr/lam.
    lrs = np.array([[0.0025], [0.005]])
    w_paper = descent.run(problem, AdamW(lr=lrs, weight_decay=5e-4 / lrs), np.zeros((2, 3)), 20000, keep_path=False).final
    np.testing.assert_allclose(np.abs(w_paper[:, 2]), [5.0, 10.0], atol=0.05)
    w_torch = descent.run(problem, AdamW(lr=lrs, weight_decay=0.2), np.zeros((2, 3)), 20000, keep_path=False).final
    np.testing.assert_allclose(np.abs(w_torch[:, 2]), [5.0, 5.0], atol=0.05)


def test_box_solution_is_optimal_even_when_ill_conditioned():
    # notebook 08's 30-feature problem: condition number ~5e4, where plain projection stalls
    rng = np.random.default_rng(0)
    scales = np.logspace(-1, 1, 30)
    w_true = rng.standard_normal(30) / scales * (rng.random(30) < 0.5)
    wide = scaled_regression(scales, w_true, n=40, n_val=200, noise=2.0, rng=rng)
    H = wide.X.T @ wide.X / len(wide.y)
    L = np.linalg.eigvalsh(H)[-1]
    for bound in (1.0, 10.0):
        w = wide.box(bound)
        assert np.all(np.abs(w) <= bound)
        # optimality of a box-constrained minimum: w is its own projected gradient step
        np.testing.assert_allclose(w, np.clip(w - wide.grad(w) / L, -bound, bound), atol=1e-9)


def test_near_best_marks_every_decay_within_rtol_of_the_row_best():
    grid = np.array([[1.0, 1.004, 1.2], [np.nan, 2.0, 2.02], [np.inf, np.inf, np.inf]])
    near = near_best(grid, rtol=0.005)
    np.testing.assert_array_equal(near, [[True, True, False], [False, True, False], [False, False, False]])
    assert near_best(grid, rtol=0.01)[1, 2]                                   # 2.02 is within 1% of 2.0
    span = near_best_range(grid, [0.1, 1.0, 10.0], rtol=0.005)
    np.testing.assert_allclose(span[:2], [[0.1, 1.0], [1.0, 1.0]])
    assert np.all(np.isnan(span[2]))                                          # nothing finite in that row
    with pytest.raises(ValueError, match="rtol"):
        near_best(grid, rtol=-0.1)
    with pytest.raises(ValueError, match="grid"):
        near_best_range(grid, [0.1, 1.0])


def _wide():
    """Notebook 08's 30-feature problem (its generator first draws section 1's problem)."""
    rng = np.random.default_rng(0)
    scaled_regression([10.0, 1.0, 0.1], [0.2, 2.0, 20.0], n=200, noise=0.5, rng=rng)
    scales = np.logspace(-1, 1, 30)
    w_true = rng.standard_normal(30) / scales * (rng.random(30) < 0.5)
    return scaled_regression(scales, w_true, n=40, n_val=2000, noise=2.0, rng=rng)


def test_reproducible_grid_sets_chaotic_runs_to_nan():
    # notebook 08's torch AdamW at lr 10^-1/3: wd 0.1 ends at the same loss in every order of the training
    # points; wd 10^-2/3 is chaotic (its held-out loss spreads by over 10% between orders)
    wide, make = _wide(), lambda lr, wd: AdamW(lr=lr, weight_decay=wd)
    lrs, wds = np.array([10 ** (-1 / 3)]), np.array([0.1, 10 ** (-2 / 3)])
    plain = lr_wd_grid(wide, make, lrs, wds, 500)
    kept = reproducible_grid(wide, make, lrs, wds, 500)
    assert kept[0, 0] == plain[0, 0] and np.isnan(kept[0, 1])
    assert not np.isnan(reproducible_grid(wide, make, lrs, wds, 500, rtol=1.0)[0, 1])   # a 100% spread is allowed
    short = reproducible_grid(wide, make, lrs, wds, 30)                      # 30 steps: nothing chaotic
    np.testing.assert_array_equal(short, lr_wd_grid(wide, make, lrs, wds, 30))
    with pytest.raises(ValueError, match="rtol"):
        reproducible_grid(wide, make, lrs, wds, 30, rtol=0)


def test_reproducible_grid_keeps_blown_up_runs_as_inf():
    wide, make = _wide(), lambda lr, wd: AdamW(lr=lr, weight_decay=wd)
    grid = reproducible_grid(wide, make, np.array([3.0]), np.array([1.0]), 50)   # lr * wd = 3 > 2: blows up
    assert np.isinf(grid[0, 0]) and unstable_fraction(grid) == 1.0


def test_heatmap_stars_every_near_best_cell_and_greys_chaotic_ones():
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    grid = np.array([[1.0, 1.004, 1.2], [np.nan, 2.0, 2.5]])
    fig, ax = plt.subplots()
    grid_heatmap(grid, [0.1, 1.0], [0.01, 0.1, 1.0], ax=ax)
    stars = [line for line in ax.lines if line.get_marker() == "*"][0]
    np.testing.assert_allclose(stars.get_xdata(), [-2, -1, -1])                # log10 decays of the 3 near-best cells
    np.testing.assert_allclose(stars.get_ydata(), [-1, -1, 0])
    assert len(ax.collections) == 2                                          # the losses, and the grey layer
    labels = ax.get_legend_handles_labels()[1]
    assert "chaotic run (grey)" in labels and any("0.5%" in label for label in labels)
    plt.close(fig)
