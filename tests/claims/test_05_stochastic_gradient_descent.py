"""Claims of notebooks/05_stochastic_gradient_descent.ipynb (and its solutions), each checked by a run.

Every claim is a small function of its setting (and of a seed where randomness enters); each test
checks it where the notebook makes it and, in a second test, that it turns false where the setting
is moved across the line the claim draws. Numbers the prose quotes without a cell printing them are
recomputed here with the notebook's own calls. Printed numbers are left to nbval.

Seeds: ``SEEDS`` are batch orders (or noise draws) 0..4; the data set is the notebook's, drawn with
seed 0. Several seeds' runs advance together as one batched ``descent.run`` where the helpers allow it
(identical arithmetic per run, one Python loop), to keep the file fast.
A bracketed [n] in a docstring or comment is the index (from 0) of the notebook cell that makes the claim.

Printed, so checked by nbval and not repeated here: n = 200 and the best line (1.968, 0.992, 0.1303); the
per-example gradients' mean; section 2's step counts (10, 2000, 200) and final excesses; the noise table
(6.438 ... 0.000, so sigma_1 ≈ 6.5); the double well's quiet run (0.930, -0.517, deep -1.515); the sigma
table; the tilted noise along x (5.44, 3.84, ...) and the deep shares (68.3%, 91.0%, 17.0%, 0%); tr Sigma =
1.023 and the floor table; the with-replacement floors (0.0009 against 0.0008). Solutions: (-2, -1.3333),
0.2, the explorer's 0.282 and 2/L_max = 0.595.
"""

import inspect
from functools import lru_cache, wraps

import numpy as np
import pytest

from claims_cache import cached
from helpers import data, descent
from helpers import schedules as S
from helpers.lessons import batch_noise
from helpers.lessons import linear_model as lm
from helpers.lessons.batch_size_explorer import batch_size_frame
from helpers.optim import SGD
from helpers.problems import MiniBatches, NoisyGradient
from helpers.surfaces import SURFACES




SEEDS = range(5)
START = np.array([-1.0, 4.0])
WELL = SURFACES["double_well"]
RIDGE = 0.127                                    # the notebook's ridge between the wells
SIGMAS = (0.0, 1.0, 2.0, 3.0, 4.0, 6.0, 8.0)    # the notebook's noise levels
WALKERS = 300


def _notebook_data():
    """The notebook's data and its generator, advanced exactly as far as the notebook's cell 3."""
    rng = np.random.default_rng(0)
    x, y = data.linear_regression(n=200, slope=2.0, intercept=1.0, noise=0.5, rng=rng)
    return x, y, rng


X, Y, _ = _notebook_data()
BEST = lm.least_squares(X, Y)
LOSS_MIN = lm.loss(BEST, X, Y)
G = lm.per_example_grads(START, X, Y)            # section 3's per-example gradients at p = (-1, 4)
SIZES = np.array([1, 2, 4, 8, 16, 32, 64, 100, 150, 200])


def _sgd(x, y, start, lr, batch_size, epochs, rng):
    """The notebook's ``sgd`` (section 2), unchanged: the path of (w, b), start included."""
    opt = SGD(lr=lr)
    p, state = np.array(start, dtype=float), opt.init(start)
    path = [p]
    for idx in data.minibatches(len(x), batch_size, rng, epochs=epochs):
        p, state = opt.step(p, lm.grad(p, x[idx], y[idx]), state)
        path.append(p)
    return np.array(path)


@cached
def _section2(batch_size, seed, lr=0.1, epochs=10):
    """Excess loss along the section-2 run (the notebook's call, batch order ``seed``)."""
    with np.errstate(all="ignore"):                 # a mutated lr may overflow: that run is "not arrived"
        path = _sgd(X, Y, START, lr, batch_size, epochs, np.random.default_rng(seed))
    return lm.loss(path, X, Y) - LOSS_MIN, path


# ----------------------------------------------------------------- section 2: three ways to run it

def minibatch_ends_closest(seed, epochs=10):
    """[14] "The mini-batch run ends closest": B = 10 ends below B = 1 and B = 200."""
    end = {b: _section2(b, seed, epochs=epochs)[0][-1] for b in (1, 10, 200)}
    return end[10] < end[1] and end[10] < end[200]


def test_minibatch_run_ends_closest():
    assert all(minibatch_ends_closest(s) for s in SEEDS)


def test_minibatch_run_ends_closest_fails_on_a_two_epoch_budget():
    # with 2 epochs B = 10 has only 40 steps; the single-example run (400 steps) ends closer
    assert not any(minibatch_ends_closest(s, epochs=2) for s in SEEDS)


def single_example_arrives_first(seed, lr=0.1, within=0.02):
    """[14] the single-example run "reaches the star's neighbourhood first" (per example seen):
    B = 1 gets within ``within`` of the minimum loss after fewer examples than B = 10."""
    def first(b):
        excess = _section2(b, seed, lr=lr)[0]
        hit = np.flatnonzero(excess < within)
        return np.inf if hit.size == 0 else hit[0] * b
    return first(1) < first(10)


def test_single_example_run_arrives_first():
    assert all(single_example_arrives_first(s) for s in SEEDS)


def test_single_example_run_arrives_first_fails_above_its_stability_limit():
    # at lr 0.5 (< 2/L_max = 0.595, so B = 10 is stable) single examples overshoot: for most batch
    # orders they arrive after B = 10 or never (two orders touch the neighbourhood early, by luck)
    assert sum(single_example_arrives_first(s, lr=0.5) for s in SEEDS) <= 2


def full_batch_not_yet_halfway(epochs=10):
    """[14] "full-batch descent is not yet halfway to the star" (it was "has barely left the start",
    false: it covers 46% of the way, 1.95 of 4.23): its distance from the start is under half the
    start's distance to the star (full batch: no randomness)."""
    path = _section2(200, 0, epochs=epochs)[1]
    return np.linalg.norm(path[-1] - path[0]) < 0.5 * np.linalg.norm(BEST - path[0])


def test_full_batch_is_not_yet_halfway():
    assert full_batch_not_yet_halfway()


def test_full_batch_is_past_halfway_with_more_epochs():
    assert not full_batch_not_yet_halfway(epochs=20)


# ------------------------------------------------------------ section 4: the static batch-size figure

@cached
def _frame(batch_size, seed=0, lr=0.1):
    return batch_size_frame(X, Y, batch_size, lr, examples=2000, seed=seed)


def small_batches_race_ahead(seed, lr=0.1):
    """[27] "Small batches race ahead": after 200 examples the excess loss is ordered B = 1 < 10 < 50 < 200."""
    frames = [_frame(b, seed, lr) for b in (1, 10, 50, 200)]
    if any(f.diverged_at is not None and f.diverged_at <= 200 // b for f, b in zip(frames, (1, 10, 50, 200))):
        return False
    at = [f.excess_loss[200 // b] for f, b in zip(frames, (1, 10, 50, 200))]
    return bool(np.all(np.diff(at) > 0))


def test_small_batches_race_ahead():
    assert all(small_batches_race_ahead(s) for s in SEEDS)


def test_small_batches_race_ahead_fails_where_single_examples_diverge():
    assert not any(small_batches_race_ahead(s, lr=0.5) for s in SEEDS)


def stays_smooth(batch_size, seed):
    """[27] "large batches crawl but stay smooth": no step raises the excess loss by 5% or more."""
    excess = _frame(batch_size, seed).excess_loss
    return bool(np.max(np.diff(excess) / excess[:-1]) < 0.05)


def test_large_batches_stay_smooth():
    assert all(stays_smooth(b, s) for b in (50, 200) for s in SEEDS)


def test_small_batches_are_not_smooth():
    assert not any(stays_smooth(b, s) for b in (1, 10) for s in SEEDS)


def still_descending(batch_size, seed):
    """[27] "while B = 50 and B = 200 are still descending when the 2000 examples run out" (the sentence
    once said B = 1 "levels off well above the others", false for these two): every step of the last
    quarter of the run lowers the excess loss."""
    excess = _frame(batch_size, seed).excess_loss
    return bool(np.all(np.diff(excess[-(len(excess) // 4):]) < 0))


def test_batches_of_50_and_200_are_still_descending_at_the_end():
    assert all(still_descending(b, s) for b in (50, 200) for s in SEEDS)


def test_batches_of_1_and_10_are_not_still_descending():
    assert not any(still_descending(b, s) for b in (1, 10) for s in SEEDS)


def test_single_example_levels_off_above_batches_of_ten():
    # the part that holds: well above B = 10 (over 5 times its level over the same last 500 examples)
    for s in SEEDS:
        assert np.mean(_frame(1, s).excess_loss[-500:]) > 5 * np.mean(_frame(10, s).excess_loss[-50:])


def explorer_single_example_diverges(lr):
    """[27] "Raise its learning rate to about 0.3 in the explorer and it diverges" (the explorer's
    batch order is seed 0)."""
    return _frame(1, 0, lr).diverged_at is not None


def test_explorer_single_example_diverges_at_about_0_3():
    # the explorer's slider stops near 0.3 are 10^-0.55 = 0.282 and 10^-0.5 = 0.316
    assert explorer_single_example_diverges(10 ** -0.5)
    assert not explorer_single_example_diverges(10 ** -0.55)
    assert not explorer_single_example_diverges(0.2)


def single_example_reckless(lr, seed):
    """[27] "a step that is safe for the mean can be reckless for a single example": B = 1 diverges
    at ``lr`` while full batch does not (2/L_max = 0.595)."""
    return (_frame(1, seed, lr).diverged_at is not None) and (_frame(200, seed, lr).diverged_at is None)


def test_single_examples_diverge_below_the_full_batch_limit():
    top = 10 ** -0.25                                                 # 0.562, the slider's last stop < 0.595
    assert all(single_example_reckless(top, s) for s in SEEDS)


def test_single_examples_do_not_diverge_at_a_small_rate():
    assert not any(single_example_reckless(0.2, s) for s in SEEDS)


def test_quoted_curvatures_and_limit():
    # [27] "2/L_max ≈ 0.59", "curvature x_i^2 + 1, up to 10 here, against 3.4 for the mean loss"
    l_max = np.linalg.eigvalsh(lm.hessian(X))[-1]
    assert f"{2 / l_max:.2f}" == "0.59"
    assert f"{l_max:.1f}" == "3.4"
    assert round(float(np.max(X**2 + 1))) == 10


# ------------------------------------------------------------------- section 3: noise and batch size

@cached
def _noise(seed):
    """Measured noise(B) for SIZES, 400 batches per size; seed "notebook" continues the notebook's rng."""
    rng = _notebook_data()[2] if seed == "notebook" else seed
    return batch_noise.gradient_noise(G, SIZES, draws=400, rng=rng)


def on_sqrt_law(batch_size, seed, tolerance=0.12):
    """[22] "the measurements sit on [sigma_1/sqrt(B)] until B is a sizeable fraction of n"."""
    plain = batch_noise.predicted_noise(G, SIZES, finite_population=False)
    i = int(np.flatnonzero(SIZES == batch_size)[0])
    return abs(_noise(seed)[i] / plain[i] - 1) < tolerance


def test_noise_sits_on_one_over_sqrt_b_for_small_batches():
    assert all(on_sqrt_law(b, s) for b in (1, 2, 4, 8, 16) for s in SEEDS)


def test_noise_leaves_one_over_sqrt_b_at_three_quarters_of_the_data():
    assert not any(on_sqrt_law(150, s) for s in SEEDS)               # measured ~half of sigma_1/sqrt(150)


def test_noise_meets_the_corrected_curve():
    # [22] "... bend down to meet the corrected curve": within 10% of it at every B < n, every seed
    corrected = batch_noise.predicted_noise(G, SIZES)
    for s in SEEDS:
        assert np.all(np.abs(_noise(s)[:-1] / corrected[:-1] - 1) < 0.10)
        assert _noise(s)[-1] < 1e-12                                  # B = n: the batch is the data set


def test_quoted_noise_ratio_and_correction():
    # [22] "6.44/0.47 ≈ 14" and "sqrt(100/199) ≈ 0.71" (the notebook's own measurement)
    m = _noise("notebook")
    assert f"{m[0]:.2f}" == "6.44" and f"{m[7]:.2f}" == "0.47"
    assert round(m[0] / m[7]) == 14
    assert f"{np.sqrt(100 / 199):.2f}" == "0.71"


# ------------------------------------------------------------ section 5: the double well, as a model

def test_quoted_double_well_geometry():
    # [28] minima near 0.93 and -1.06, ridge near 0.13; [33]/[42] barriers 0.55 and 1.55
    grid = np.linspace(-2.0, 2.0, 400_001)
    gx = WELL.grad(np.column_stack([grid, np.zeros_like(grid)]))[:, 0]
    roots = grid[:-1][np.sign(gx[:-1]) != np.sign(gx[1:])]
    deep, ridge, shallow = roots
    assert [f"{r:.2f}" for r in roots] == ["-1.06", "0.13", "0.93"]
    height = lambda a: float(WELL.loss(np.array([a, 0.0])))
    assert f"{height(ridge) - height(shallow):.2f}" == "0.55"
    assert f"{height(ridge) - height(deep):.2f}" == "1.55"


@cached
def _model(seed):
    """The notebook's Gaussian-noise walkers (300 per sigma, lr 0.05, 600 steps), noise seed ``seed``.
    Returns per sigma: share that ever crossed the ridge, share in the deep well at the end, mean final loss."""
    noisy = NoisyGradient(WELL, sigma=np.repeat(SIGMAS, WALKERS), rng=seed, runs=len(SIGMAS) * WALKERS)
    xs = descent.run(noisy, SGD(lr=0.05), np.tile(WELL.default_start, (noisy.runs, 1)), 600).xs
    crossed = (xs[:, :, 0] < RIDGE).any(axis=0).reshape(len(SIGMAS), WALKERS).mean(axis=1)
    deep = (xs[-1, :, 0] < RIDGE).reshape(len(SIGMAS), WALKERS).mean(axis=1)
    final = WELL.loss(xs[-1]).reshape(len(SIGMAS), WALKERS).mean(axis=1)
    return {s: (c, d, f) for s, c, d, f in zip(SIGMAS, crossed, deep, final)}


def nobody_leaves(sigma, seed):
    """[33] "Small noise changes nothing: the walkers jiggle inside the shallow well"."""
    return _model(seed)[sigma][0] == 0.0


def test_small_noise_changes_nothing():
    assert all(nobody_leaves(s, seed) for s in (0.0, 1.0) for seed in SEEDS)


def test_noise_of_two_already_lets_walkers_across():
    assert not any(nobody_leaves(2.0, seed) for seed in SEEDS)


def most_hop_and_stay(sigma, seed):
    """[33] "Around sigma = 3 to 4 most walkers hop the ridge and ... most of them stay there"."""
    crossed, deep, _ = _model(seed)[sigma]
    return crossed > 0.5 and deep > 0.5


def test_most_walkers_hop_and_stay_at_sigma_3_and_4():
    assert all(most_hop_and_stay(s, seed) for s in (3.0, 4.0) for seed in SEEDS)


def test_most_walkers_do_not_hop_at_sigma_2():
    assert not any(most_hop_and_stay(2.0, seed) for seed in SEEDS)


def more_noise_fewer_settle(low, high, seed):
    """[33] "Past that, everyone crosses but fewer are in the deep well at the end ... and the mean
    final loss climbs": at ``high`` everyone crossed, fewer are deep and the mean final loss is higher
    than at ``low``."""
    (_, d_low, f_low), (c_high, d_high, f_high) = _model(seed)[low], _model(seed)[high]
    return c_high == 1.0 and d_high < d_low and f_high > f_low


def test_past_sigma_4_fewer_settle_in_the_deep_well():
    assert all(more_noise_fewer_settle(lo, hi, seed) for lo, hi in ((4.0, 6.0), (6.0, 8.0)) for seed in SEEDS)


def test_from_3_to_4_more_noise_does_not_cost():
    assert not any(more_noise_fewer_settle(3.0, 4.0, seed) for seed in SEEDS)


def settles_nowhere(sigma, seed):
    """Summary: "too much [noise] kept them from settling anywhere": the mean final loss is above
    even the shallow minimum's."""
    return _model(seed)[sigma][2] > float(WELL.loss(np.array([0.9304, 0.0])))


def test_too_much_noise_settles_nowhere():
    assert all(settles_nowhere(8.0, seed) for seed in SEEDS)


def test_right_noise_settles():
    assert not any(settles_nowhere(3.0, seed) for seed in SEEDS)


# ----------------------------------------------------------------- section 5: from the model to batches

TILTED = batch_noise.tilted_examples(WELL, G)


@cached
def _deep_share(batch_size):
    """Share of the notebook's 300 walkers in the deep well after 600 steps of real batches (lr 0.05),
    for each batch order seed in SEEDS; all seeds advance as one batched run."""
    idx = np.concatenate([data.minibatch_indices(200, batch_size, 600, rng=s, runs=WALKERS) for s in SEEDS], axis=1)
    batches = MiniBatches(TILTED.loss, TILTED.grad, TILTED.tilts, Y, batch_size, 600,
                          runs=WALKERS * len(SEEDS), indices=idx)
    run = descent.run(batches, SGD(lr=0.05), batches.tile(WELL.default_start), 600, keep_path=False)
    return (run.xs[-1, :, 0] < RIDGE).reshape(len(SEEDS), WALKERS).mean(axis=1)


def test_batched_seeds_reproduce_the_notebook():
    # seed 0 of the batched run is the notebook's own: "B = 4 ... carries 17%"
    assert f"{_deep_share(4)[0]:.1%}" == "17.0%"


def carries_most(batch_size):
    """[36] "Batches of 1 and 2 ... carry most walkers into the deep well" (every seed)."""
    return bool(np.all(_deep_share(batch_size) > 0.5))


def test_batches_of_1_and_2_carry_most_walkers():
    assert carries_most(1) and carries_most(2)


def test_batches_of_4_do_not_carry_most():
    assert not carries_most(4)


def nobody_leaves_with_batches(batch_size):
    """[36] "from B = 8 (1.9) on, nobody leaves" (every seed)."""
    return bool(np.all(_deep_share(batch_size) == 0.0))


def test_from_batches_of_8_nobody_leaves():
    assert nobody_leaves_with_batches(8)


def test_batches_of_4_let_some_leave():
    assert not nobody_leaves_with_batches(4)


def model_lets_some_across_where_batches_of_8_let_none(sigma):
    """[36] "from B = 8 (1.9) on, nobody leaves, although sigma = 2 let 13.7% of the model's walkers across
    the ridge" (it once said "as with sigma <= 2 in the model", false: sigma = 2 lets 12-17% across):
    batches of 8 keep every walker, every seed, while the model at ``sigma`` lets over 5% across."""
    return nobody_leaves_with_batches(8) and all(_model(seed)[sigma][0] > 0.05 for seed in SEEDS)


def test_the_model_at_sigma_2_lets_some_across_where_batches_of_8_let_none():
    assert model_lets_some_across_where_batches_of_8_let_none(2.0)


def test_the_model_at_sigma_1_lets_none_across_either():
    assert not model_lets_some_across_where_batches_of_8_let_none(1.0)


def test_quoted_batch_sizes_for_sigma_3():
    # [36] "the model's sigma ≈ 3 means batches of 3 or 4"; [34] "about 5.4/sqrt(B)"
    assert [round(float(TILTED.noise(b)[0, 0])) for b in (3, 4)] == [3, 3]
    assert f"{TILTED.tilts[:, 0].std():.1f}" == "5.4"


def noisier_lands_fewer(noisy, quiet):
    """[36] "B = 1 lands fewer walkers in the deep well than B = 2" (too much noise), every seed."""
    return bool(np.all(_deep_share(noisy) < _deep_share(quiet)))


def test_single_examples_land_fewer_than_pairs():
    assert noisier_lands_fewer(1, 2)


def test_pairs_land_more_than_fours():
    assert not noisier_lands_fewer(2, 4)


def test_summary_of_the_notebooks_batch_sizes_1_and_2_carry_most_walkers():
    # Summary: "Noise of the right size carried most walkers out of the shallow well, ... as real
    # batches of 1 or 2 examples" (it said "1 to 4", false: batches of 4 carry 17-22%). Of the batch
    # sizes the notebook runs, exactly these two carry most, every seed.
    assert {b for b in (1, 2, 4, 8) if carries_most(b)} == {1, 2}     # 16 and 200: less noise than 8


# ------------------------------------------------------------- section 6: the noise floor at a minimum

FLOOR_LRS = (0.2, 0.1, 0.05)
FLOOR_RUNS = 40


def _floor_indices(batch_size):
    """Batch orders for (seed, lr): seed "notebook" replays the notebook's rng draws in its order."""
    out = {}
    chain = _notebook_data()[2]
    batch_noise.gradient_noise(G, SIZES, draws=400, rng=chain)                    # section 3
    chain.standard_normal(600 * len(SIGMAS) * WALKERS * 2)                        # section 5's noise
    for lr in FLOOR_LRS:                                                          # section 6, in order
        for b in (1, 4, 16):
            idx = data.minibatch_indices(200, b, 600, rng=chain, runs=FLOOR_RUNS)
            if b == batch_size:
                out["notebook", lr] = idx
    for seed in range(1, 5):
        for k, lr in enumerate(FLOOR_LRS):
            out[seed, lr] = data.minibatch_indices(200, batch_size, 600, rng=1000 * seed + 10 * k + batch_size,
                                                   runs=FLOOR_RUNS)
    return out


FLOOR_SEEDS = ("notebook", 1, 2, 3, 4)


@cached
def _floors(batch_size, noiseless=False):
    """Mean excess loss over steps 200-600 (and over 200-400, 400-600) of 40 runs started at the
    minimum, for every (seed, lr); all of them as one batched run."""
    x, y = (X, Y) if not noiseless else data.linear_regression(n=200, noise=0.0, rng=0)
    best = lm.least_squares(x, y)
    base = lm.loss(best, x, y)
    if noiseless:           # every example's gradient vanishes at the minimum: no seed can matter
        orders = {("notebook", lr): data.minibatch_indices(200, batch_size, 600, rng=0, runs=FLOOR_RUNS)
                  for lr in FLOOR_LRS}
    elif batch_size in (1, 4, 16):
        orders = _floor_indices(batch_size)
    else:
        orders = {(s, lr): data.minibatch_indices(200, batch_size, 600, rng=7 * s + 100, runs=FLOOR_RUNS)
                  for s in range(5) for lr in FLOOR_LRS}
    keys = list(orders)
    idx = np.concatenate([orders[k] for k in keys], axis=1)
    lrs = np.repeat([lr for _, lr in keys], FLOOR_RUNS)[:, None]
    batches = MiniBatches(lm.loss, lm.grad, x, y, batch_size, 600, runs=idx.shape[1], indices=idx)
    losses = descent.run(batches, SGD(lr=lrs), batches.tile(best), 600).losses - base
    out = {}
    for i, k in enumerate(keys):
        part = losses[:, i * FLOOR_RUNS:(i + 1) * FLOOR_RUNS]
        out[k] = (part[200:].mean(), part[200:400].mean(), part[400:].mean())
    return out


TRACE_SIGMA = np.trace(np.cov(lm.per_example_grads(BEST, X, Y).T, bias=True))


def _formula(lr, batch_size):
    return lr * TRACE_SIGMA / (4 * batch_size)


def test_batched_floors_reproduce_the_notebook():
    printed = {(0.2, 1): "0.1357", (0.2, 4): "0.0205", (0.2, 16): "0.0040", (0.1, 1): "0.0367",
               (0.1, 4): "0.0071", (0.1, 16): "0.0013", (0.05, 1): "0.0143", (0.05, 4): "0.0028",
               (0.05, 16): "0.0004"}
    for (lr, b), text in printed.items():
        assert f"{_floors(b)['notebook', lr][0]:.4f}" == text


def floor_persists(batch_size, seed, lr, schedule=None, noiseless=False):
    """[40] "Every run leaves the minimum at once and never returns ... no number of steps removes
    it": the excess over steps 400-600 is at least 70% of that over 200-400, and not zero."""
    if schedule is None:
        _, early, late = _floors(batch_size, noiseless)[seed, lr]
    else:
        batches = MiniBatches(lm.loss, lm.grad, X, Y, batch_size, 600, rng=seed, runs=FLOOR_RUNS)
        losses = descent.run(batches, SGD(lr=schedule), batches.tile(BEST), 600).losses - LOSS_MIN
        early, late = losses[200:400].mean(), losses[400:].mean()
    return late > 1e-12 and late >= 0.7 * early


def test_constant_lr_floor_never_goes_away():
    assert all(floor_persists(b, s, lr) for b in (1, 4, 16) for s in FLOOR_SEEDS for lr in FLOOR_LRS)


def test_floor_goes_away_under_a_cosine_decay():
    assert not any(floor_persists(4, s, 0.1, schedule=S.cosine(0.1, 600)) for s in SEEDS)


def test_without_disagreeing_examples_there_is_no_floor():
    assert not any(floor_persists(4, "notebook", lr, noiseless=True) for lr in FLOOR_LRS)


def floor_falls(seed, noiseless=False):
    """[40] "A smaller lr and a larger B lower it": the floor strictly falls as lr falls or B grows."""
    f = {(lr, b): _floors(b, noiseless)[seed, lr][0] for lr in FLOOR_LRS for b in (1, 4, 16)}
    lower = lambda a, b: b > 1e-12 and a > 1.1 * b          # a clearly above b, b a real floor
    by_b = all(lower(f[lr, 1], f[lr, 4]) and lower(f[lr, 4], f[lr, 16]) for lr in FLOOR_LRS)
    by_lr = all(lower(f[0.2, b], f[0.1, b]) and lower(f[0.1, b], f[0.05, b]) for b in (1, 4, 16))
    return by_b and by_lr


def test_floor_falls_with_smaller_lr_and_larger_batches():
    assert all(floor_falls(s) for s in FLOOR_SEEDS)


def test_floor_does_not_fall_without_disagreeing_examples():
    # noiseless data: every example's gradient is zero at the minimum, so every floor is 0
    assert not floor_falls("notebook", noiseless=True)


def near_formula(lr, batch_size, seed, tolerance=0.175):
    """[40] "At lr = 0.05 it is within about 15% for B = 1 and 4"."""
    return abs(_floors(batch_size)[seed, lr][0] / _formula(lr, batch_size) - 1) < tolerance


def test_floor_near_formula_at_small_lr():
    assert all(near_formula(0.05, b, s) for b in (1, 4) for s in FLOOR_SEEDS)


def test_floor_far_from_formula_at_large_lr_single_examples():
    assert not any(near_formula(0.2, 1, s) for s in FLOOR_SEEDS)


def test_quoted_ratio_at_large_lr():
    # [40] "at lr = 0.2 with B = 1 the measured floor is 2.7 times the formula ... lr (x_i^2 + 1)
    # reaches 2 for the steepest example"
    assert f"{_floors(1)['notebook', 0.2][0] / _formula(0.2, 1):.1f}" == "2.7"
    assert round(0.2 * float(np.max(X**2 + 1)), 1) == 2.0


def sixteen_below_formula(lr):
    """[40] "At B = 16 and the two smaller rates the measured floor is *below* the formula, by up to half"
    (it once said so for every rate, false at lr = 0.2, 1.25-1.27 times the formula): below it for every
    seed, and never below 45% of it."""
    ratios = [_floors(16)[s, lr][0] / _formula(lr, 16) for s in FLOOR_SEEDS]
    return all(0.45 < r < 1 for r in ratios)


@pytest.mark.parametrize("lr", [0.1, 0.05])
def test_batches_of_16_floor_below_formula_at_the_smaller_rates(lr):
    assert sixteen_below_formula(lr)


def test_batches_of_16_floor_not_below_formula_at_lr_02():
    assert not sixteen_below_formula(0.2)


@cached
def _with_replacement(batch_size, seed):
    """[41]: floor at lr 0.05 with every batch drawn independently, with replacement (40 runs)."""
    rng = np.random.default_rng(500 + seed)
    idx = rng.integers(0, len(X), size=(600, FLOOR_RUNS, batch_size))
    batches = MiniBatches(lm.loss, lm.grad, X, Y, batch_size, 600, runs=FLOOR_RUNS, indices=idx)
    return descent.run(batches, SGD(lr=0.05), batches.tile(BEST), 600).losses[200:].mean() - LOSS_MIN


def back_to_formula(batch_size, seed, replacement=True):
    """[42] "Drawing every batch independently, with replacement, brings the floor back to the formula"
    (within 15%), at B = 16."""
    floor = _with_replacement(batch_size, seed) if replacement else _floors(batch_size)[FLOOR_SEEDS[seed], 0.05][0]
    return abs(floor / _formula(0.05, batch_size) - 1) < 0.15


def test_with_replacement_floor_is_back_at_the_formula():
    assert all(back_to_formula(16, s) for s in SEEDS)


def test_reshuffled_floor_is_not_at_the_formula():
    assert not any(back_to_formula(16, s, replacement=False) for s in SEEDS)


def reshuffling_lowers(batch_size, seed):
    """[42] "With reshuffled epochs ... the errors of one epoch's batches partly cancel, and the floor is
    lower": at least 25% below the with-replacement floor."""
    return _floors(batch_size)[FLOOR_SEEDS[seed], 0.05][0] < 0.75 * _with_replacement(batch_size, seed)


def test_reshuffled_epochs_lower_the_floor():
    assert all(reshuffling_lowers(16, s) for s in SEEDS)


def test_reshuffling_barely_matters_for_single_examples():
    # 200 batches per epoch: little cancellation (reshuffled is 92-96% of with replacement)
    assert not any(reshuffling_lowers(1, s) for s in SEEDS)


def test_solution_4_measured_factor_below_a_quarter():
    # solutions, exercise 4: "with reshuffled epochs ... a measured factor comes out below 0.25" (it said
    # "a bit more than this", false): halving lr (0.1 -> 0.05) and doubling B (4 -> 8) multiplies the
    # measured floor by 0.154-0.158 over five batch orders
    factors = [_floors(8)[s, 0.05][0] / _floors(4)[FLOOR_SEEDS[s], 0.1][0] for s in range(5)]
    assert all(0.1 < f < 0.25 for f in factors)


# ------------------------------------------------------------- solutions, exercise 5: a floor on a bowl

@cached
def _bowl_floor(curvatures, seed, lr=0.02, sigma=3.0, runs=200, steps=1000):
    """The solution's run: mean excess loss over steps 200-1000 of 200 noisy runs from the minimum."""
    from helpers.surfaces import quadratic
    noisy = NoisyGradient(quadratic(*curvatures), sigma, rng=np.random.default_rng(seed), runs=runs)
    return descent.run(noisy, SGD(lr=lr), np.zeros((runs, 2)), steps).losses[200:].mean()


def within_10_per_cent(lr, seed):
    """"Both runs land within 10% of the prediction 0.09, and ten times the curvature changes the floor by
    less than 10%": each run within 10% of lr tr(Sigma)/4 (the bowl's exact stationary value is 6% above
    it), and the two within 10% of each other."""
    formula = lr * 2 * 3.0**2 / 4
    bowl, round_bowl = _bowl_floor((1.0, 10.0), seed, lr), _bowl_floor((1.0, 1.0), seed, lr)
    return all(abs(f / formula - 1) < 0.1 for f in (bowl, round_bowl)) and abs(bowl / round_bowl - 1) < 0.1


def test_bowl_floors_within_10_per_cent_of_the_prediction():
    assert all(within_10_per_cent(0.02, seed) for seed in SEEDS)


def test_at_a_large_rate_the_floor_is_not_near_the_prediction():
    # lr = 0.1: lr * 10 = 1 along the bowl's steep axis is not small
    assert not any(within_10_per_cent(0.1, seed) for seed in SEEDS)
