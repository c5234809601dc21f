"""Claims of notebooks/06_learning_rate_schedules.ipynb (and its solutions), each checked by a run.

Each claim is a small function of its setting (and of a seed where batch order enters); one test
checks it where the notebook makes it, another that it turns false where the setting is moved across
the line the claim draws. Numbers the prose quotes without a cell printing them are recomputed with
the notebook's own calls; printed numbers are left to nbval. Seeds are batch orders 0..4; where the
notebook draws from its running generator, the seed "notebook" replays that generator exactly.
Several seeds (and the warmup / no-warmup pair) advance as rows of one batched ``descent.run``.
A bracketed [n] in a docstring or comment is the index (from 0) of the notebook cell that makes the claim.

Printed, so checked by nbval and not repeated here: the schedules at t = 0, 19, 100, 199; s* = 1.964 and the
sharpness 30.6 / 5.81; section 3's medians; the cold run's divergence at step 5 and the warm run's 0.1310;
2/L_max = 0.595 and the divergence steps 44, 116, 266; warmup + cosine at 0.7 (51, 0.130, 0.130); the
explorer's tables at 0.25, 0.4 and 0.5; the sharpness 28.6 / 5.54; the large-batch table and the k = 512
warmup table. Solutions: 0.2, 0.3414, 0.8, 19; shortest warmups 3 and 4 (5 diverging); 2.5 at step 36; 2.32.
"""

import inspect
from functools import lru_cache, wraps

import numpy as np
import pytest

from helpers import data, descent
from helpers import schedules as S
from helpers.lessons import deep_linear as dl
from helpers.lessons import linear_model as lm
from helpers.lessons.schedule_explorer import schedule_frame
from helpers.optim import SGD
from helpers.problems import MiniBatches


def cached(fn):
    """``functools.lru_cache`` keyed on the bound arguments: f(1) and f(1, lr=0.1) share one entry."""
    signature, inner = inspect.signature(fn), lru_cache(maxsize=None)(fn)

    @wraps(fn)
    def wrapper(*args, **kwargs):
        bound = signature.bind(*args, **kwargs)
        bound.apply_defaults()
        return inner(*bound.args)
    return wrapper


SEEDS = range(5)
START = np.array([3.0, 2.5])


def _notebook_rng_after_data():
    rng = np.random.default_rng(0)
    x, y = data.linear_regression(n=200, slope=2.0, intercept=0.0, noise=0.5, x_range=(-2.0, 2.0), rng=rng)
    return x, y, rng


X, Y, _ = _notebook_rng_after_data()
NET = dl.loss_surface(X, Y)
LOSS_MIN = dl.loss(NET.minima[0], X, Y)
XL, YL = data.linear_regression(n=200, rng=0)                  # notebook 05's line data (section 4)
L_MAX = np.linalg.eigvalsh(lm.hessian(XL))[-1]


# --------------------------------------------------------------------------- section 1: five schedules

T1, PEAK = 200, 0.1
FIVE = {"constant": S.constant(PEAK), "step decay": S.step_decay(PEAK, step_size=60, gamma=0.3),
        "exponential": S.exponential(PEAK, gamma=0.985), "cosine": S.cosine(PEAK, T1),
        "warmup + cosine": S.warmup_cosine(PEAK, warmup_steps=20, total_steps=T1)}


def exponential_lowest(t):
    """[5] "exponential decay falls fastest early": at step t it is below step decay and cosine."""
    return FIVE["exponential"](t) < min(FIVE["step decay"](t), FIVE["cosine"](t))


def test_exponential_falls_fastest_early():
    assert all(exponential_lowest(t) for t in range(1, 60))          # the first 30% of the run


def test_exponential_is_not_lowest_once_step_decay_drops():
    assert not exponential_lowest(60)


def middle_share(name, low=0.1, high=0.9):
    """Share of the run whose learning rate lies between ``low`` and ``high`` times the peak."""
    lr = np.asarray(FIVE[name](np.arange(T1)), dtype=float) / PEAK if name != "linear" else 1 - np.arange(T1) / T1
    return float(np.mean((lr > low) & (lr < high)))


@pytest.mark.xfail(strict=True, reason="cosine spends 59% of its steps between 10% and 90% of the peak "
                   "(a fifth within 10% of the peak, a fifth within 10% of zero): most of the run, not little")
def test_cosine_spends_little_time_in_between():
    # [5] "cosine lingers near the peak, then near zero, and spends little time in between"
    assert middle_share("cosine") < 1 / 3


def test_cosine_lingers_at_both_ends_longer_than_a_straight_line():
    # the part that holds: nearly twice a linear decay's share near the ends (41% against 20.5%)
    assert 1 - middle_share("cosine") > 1.8 * (1 - middle_share("linear"))


def test_exponential_does_not_linger_at_both_ends():
    assert not 1 - middle_share("exponential") > 1.8 * (1 - middle_share("linear"))


def test_quoted_exponential_after_300_steps():
    # [11] "Exponential decay with gamma = 0.985 is down to about 1% of its peak after 300 steps"
    assert f"{S.exponential(0.1, 0.985)(300) / 0.1:.0%}" == "1%"


# ------------------------------------------------------------------------ section 2: the tiny network

def sharpness_formula_holds(point):
    """[6] "On the minimum curve it [the sharpness] equals mean(x^2) (a^2 + b^2)"."""
    return np.isclose(dl.sharpness(point, X, Y), np.mean(X**2) * np.sum(np.square(point)), rtol=1e-9)


def test_sharpness_formula_on_the_minimum_curve():
    assert all(sharpness_formula_holds(p) for p in dl.minimum_curve(X, Y, [0.5, 1.0, 2.0, 3.0, -1.5]))


def test_sharpness_formula_off_the_minimum_curve():
    assert not sharpness_formula_holds(START)


# --------------------------------------------------------------------- section 3: decay and the floor

T3 = 300
FLOOR_SCHEDULES = {"constant": S.constant(0.1), "step decay": S.step_decay(0.1, 100, 0.3),
                   "exponential": S.exponential(0.1, 0.985), "cosine": S.cosine(0.1, T3),
                   "warmup + cosine": S.warmup_cosine(0.1, 30, T3)}


FLOOR_SEEDS = ("notebook", *SEEDS)


@cached
def _floor_runs(batch_size=10):
    """Median final loss minus the minimum over 20 runs, per (seed, schedule) (the notebook's section 3),
    every seed and schedule as rows of one batched run. Seed "notebook" draws the batches from the
    notebook's generator, in the notebook's order; seed s from the seeds 100 s + k."""
    chain = _notebook_rng_after_data()[2]
    names = list(FLOOR_SCHEDULES)
    keys, idx = [], []
    for seed in FLOOR_SEEDS if batch_size < len(X) else (0,):     # full batch: the order cannot matter
        for k, name in enumerate(names):
            rng = chain if seed == "notebook" else 100 * seed + k
            idx.append(data.minibatch_indices(len(X), batch_size, T3, rng=rng, runs=20))
            keys.append((seed, name))
    idx = np.concatenate(idx, axis=1)
    which = np.repeat([names.index(n) for _, n in keys], 20)[:, None]
    sched = lambda t: np.choose(which, [FLOOR_SCHEDULES[n](t) for n in names])
    batches = MiniBatches(dl.loss, dl.grad, X, Y, batch_size, T3, runs=idx.shape[1], indices=idx)
    final = descent.run(batches, SGD(lr=sched), batches.tile(START), T3).losses[-1]
    return {key: np.median(final[i * 20:(i + 1) * 20]) - LOSS_MIN for i, key in enumerate(keys)}


def _floor_finals(seed, batch_size=10):
    return {name: _floor_runs(batch_size)[seed, name] for name in FLOOR_SCHEDULES}


def test_notebook_floor_replayed():
    assert f"{_floor_finals('notebook')['constant']:.2e}" == "1.21e-03"      # printed by the notebook


def constant_far_above(seed, batch_size=10):
    """[11] "The constant schedule stops far above the others": over 10 times every decaying one."""
    f = _floor_finals(seed, batch_size)
    return all(f["constant"] > 10 * max(v, 1e-300) for k, v in f.items() if k != "constant") and f["constant"] > 1e-12


def test_constant_schedule_stops_far_above_the_decaying_ones():
    assert all(constant_far_above(s) for s in FLOOR_SEEDS)


def test_without_batch_noise_constant_is_not_above():
    # full batch: no noise floor, the constant rate converges to the minimum like the rest
    assert not constant_far_above(0, batch_size=200)


def test_quoted_floor_ratios_in_the_notebooks_run():
    # [11] "about 90 times above step decay, over 1000 times above cosine and exponential"
    f = _floor_finals("notebook")
    assert round(f["constant"] / f["step decay"], -1) == 90
    assert f["constant"] / f["cosine"] > 1000 and f["constant"] / f["exponential"] > 1000


@pytest.mark.xfail(strict=True, reason="batch-order specific: over five other batch orders the constant "
                   "schedule ends 56-339 times above step decay and 410-979 times above cosine (exponential "
                   "12600-79000); the notebook's order gives 87 and 1265")
def test_floor_ratios_hold_for_other_batch_orders():
    for s in SEEDS:
        f = _floor_finals(s)
        assert 70 < f["constant"] / f["step decay"] < 110
        assert f["constant"] / f["cosine"] > 1000


# ------------------------------------------------------------------------------ section 4: warmup

@cached
def _full_batch(peak, warmup, steps=200):
    """The notebook's ``full_batch``: full-batch SGD from (3, 2.5), cosine (after ``warmup`` steps)."""
    sched = S.warmup_cosine(peak, warmup, steps) if warmup else S.cosine(peak, steps)
    batches = MiniBatches(dl.loss, dl.grad, X, Y, len(X), steps, rng=0)
    return descent.run(batches, SGD(lr=sched), START, steps), sched


def warmup_rescues(warmup, peak=0.25):
    """[13]/[16] a run that diverges without warmup converges with it (full batch: no randomness)."""
    cold, _ = _full_batch(peak, 0)
    warm, _ = _full_batch(peak, warmup)
    return cold.diverged_at is not None and warm.diverged_at is None


def test_twenty_step_warmup_rescues():
    assert warmup_rescues(20)


def test_one_step_warmup_does_not_rescue():
    assert not warmup_rescues(1)


def test_quoted_sharpness_numbers():
    # [14] "about 31 at the large starting weights and about 7 where the run ends up ... 0.25 x 31 ≈ 7.7";
    # "the constant rate 0.1 ... starts at 0.1 x 31 ≈ 3.1"
    warm, _ = _full_batch(0.25, 20)
    assert round(float(dl.sharpness(START, X, Y))) == 31
    assert round(float(dl.sharpness(warm.xs[-1], X, Y))) == 7
    assert f"{0.25 * dl.sharpness(START, X, Y):.1f}" == "7.7"
    assert f"{0.1 * dl.sharpness(START, X, Y):.1f}" == "3.1"


def product_below_2_at_peak(warmup):
    """[14] "by the time the learning rate reaches 0.25 the product [lr_t x sharpness] is below 2"."""
    run, sched = _full_batch(0.25, warmup)
    t = np.arange(len(run.xs))
    first_peak = int(t[np.isclose(sched(t), 0.25)][0])
    return bool(sched(first_peak) * dl.sharpness(run.xs[first_peak], X, Y) < 2)


def test_warm_run_reaches_the_peak_below_the_limit():
    assert product_below_2_at_peak(20)


def test_cold_run_reaches_the_peak_far_past_the_limit():
    assert not product_below_2_at_peak(0)


@cached
def _section3_constant(seed, lr=0.1):
    batches = MiniBatches(dl.loss, dl.grad, X, Y, 10, T3, rng=seed, runs=20)
    return descent.run(batches, SGD(lr=lr), batches.tile(START), T3)


def constant_rate_overshoots_and_settles(seed, lr=0.1):
    """[14] "the constant rate 0.1 of section 3 ... its first step overshoots onto small weights where
    the sharpness is only about 3.5, and it settles from there" (20 runs of batches of 10)."""
    run = _section3_constant(seed, lr)
    if any(d is not None for d in run.diverged_at):
        return False
    first = np.median(dl.sharpness(run.xs[1], X, Y))
    return 3.0 < first < 4.0 and np.median(run.losses[-1]) - LOSS_MIN < 1e-2


def test_constant_rate_overshoots_to_flat_weights_and_settles():
    assert all(constant_rate_overshoots_and_settles(s) for s in SEEDS)
    full = _full_batch_constant_first_sharpness()
    assert f"{full:.1f}" == "3.5"


def _full_batch_constant_first_sharpness():
    batches = MiniBatches(dl.loss, dl.grad, X, Y, len(X), 1, rng=0)
    return float(dl.sharpness(descent.run(batches, SGD(lr=0.1), START, 1).xs[1], X, Y))


def test_constant_rate_at_the_warmup_peak_does_not_settle():
    assert not any(constant_rate_overshoots_and_settles(s, lr=0.25) for s in SEEDS)


@cached
def _hold(peak, warmup, steps):
    """[17]: warm up linearly to ``peak``, then hold it, full batch on notebook 05's line model."""
    sched = lambda t: peak * min(1.0, (t + 1) / warmup) if warmup else peak
    batches = MiniBatches(lm.loss, lm.grad, XL, YL, 200, steps, rng=0)
    return descent.run(batches, SGD(lr=sched), [-1.0, 4.0], steps)


def warmup_only_postpones(peak, warmup):
    """[18] "Warmup only postpones the divergence: once lr_t passes 2/L_max and stays there, the error
    along the steepest direction grows each step": the held run diverges (within 1500 steps)."""
    return _hold(peak, warmup, 1500).diverged_at is not None


def test_warmup_only_postpones_divergence_on_constant_curvature():
    assert f"{2 / L_MAX:.3f}" == "0.595"
    assert all(warmup_only_postpones(0.7, w) for w in (0, 20, 100, 250))


def test_below_two_over_l_nothing_diverges():
    assert not any(warmup_only_postpones(0.58, w) for w in (0, 20, 100, 250))


def error_shrank_before_the_unstable_stretch(warmup, peak=0.7):
    """[18] "the error first has to grow back from the tiny value it had shrunk to while the learning rate
    was still safe": along the steepest direction, the error when lr_t first passes 2/L_max is below
    1e-3 of its starting size."""
    v = np.linalg.eigh(lm.hessian(XL))[1][:, -1]
    run = _hold(peak, warmup, 300)
    err = (run.xs - lm.least_squares(XL, YL)) @ v
    lrs = np.array([peak * min(1.0, (t + 1) / warmup) if warmup else peak for t in range(300)])
    cross = int(np.argmax(lrs > 2 / L_MAX))
    return abs(err[cross]) < 1e-3 * abs(err[0])


def test_warmups_shrink_the_steep_error_before_it_regrows():
    assert error_shrank_before_the_unstable_stretch(20) and error_shrank_before_the_unstable_stretch(100)
    d = [_hold(0.7, w, 300).diverged_at for w in (0, 20, 100)]
    assert d == sorted(d) and len(set(d)) == 3                   # hence later divergence, the longer the warmup


def test_without_warmup_nothing_shrinks_first():
    assert not error_shrank_before_the_unstable_stretch(0)


def survives_with_cosine(peak, warmup):
    """[18]/[19] "With a cosine decay after the peak a run can even survive, but only warmed up"."""
    sched = S.warmup_cosine(peak, warmup, 300) if warmup else S.cosine(peak, 300)
    run = descent.run(MiniBatches(lm.loss, lm.grad, XL, YL, 200, 300, rng=0), SGD(lr=sched), [-1.0, 4.0], 300)
    return run.diverged_at is None


def test_cosine_run_survives_only_warmed_up():
    assert survives_with_cosine(0.7, 20) and not survives_with_cosine(0.7, 0)


def test_higher_peak_needs_more_than_twenty_warmup_steps():
    assert not survives_with_cosine(0.8, 20)


# ------------------------------------------------------------------- section 5: the schedule explorer

@cached
def _frame(peak, warmup, seed=0, steps=200):
    return schedule_frame(X, Y, peak, warmup, steps, batch_size=20, start=START, seed=seed)


def explorer_warmup_rescues(peak, seed):
    """[20] at the peak slider's top, 0.5, "a warmup still rescues it": no warmup diverges, 20 steps do not."""
    return _frame(peak, 0, seed).diverged_at is not None and _frame(peak, 20, seed).diverged_at is None


def test_warmup_still_rescues_at_the_slider_top():
    assert all(explorer_warmup_rescues(0.5, s) for s in SEEDS)


def test_at_a_lower_peak_some_batch_orders_need_no_rescue():
    # at 0.25 two of five batch orders (2 and 3) converge without warmup; the explorer's own order (0)
    # diverges, as the notebook says
    assert not all(explorer_warmup_rescues(0.25, s) for s in SEEDS)
    assert explorer_warmup_rescues(0.25, 0)


def settles_after_the_unstable_stretch(peak, warmup=20):
    """Solutions ex. 5: at peak 0.4 the surviving run "climb[s] back up after the peak ... it settles only
    when the cosine decay has brought lr_t x sharpness back under 2" (the explorer's batch order): there
    is an unstable stretch (lr_t x sharpness > 2) after the warmup, and the excess loss stays below 0.01
    only from a step after its end."""
    f = _frame(peak, warmup)
    if f.diverged_at is not None:
        return False
    product = f.lrs * dl.sharpness(f.params[:-1], X, Y)
    unstable = np.flatnonzero(product > 2)
    high = np.flatnonzero(f.losses - LOSS_MIN > 0.01)
    settled_from = high[-1] + 1
    return unstable.size > 0 and unstable[-1] > warmup and unstable[-1] < settled_from < len(f.losses)


def test_peak_0_4_settles_when_the_decay_restores_stability():
    assert settles_after_the_unstable_stretch(0.4)


def test_peak_0_25_never_climbs_back():
    assert not settles_after_the_unstable_stretch(0.25)


# ----------------------------------------------------------------------- section 6: the large-batch rule

def _big_data():
    """The notebook's 1000-example data: its generator after section 3's five schedules' batches."""
    rng = _notebook_rng_after_data()[2]
    for _ in FLOOR_SCHEDULES:
        MiniBatches(dl.loss, dl.grad, X, Y, 10, T3, rng=rng, runs=20)
    return data.linear_regression(n=1000, slope=2.0, intercept=0.0, noise=0.5, x_range=(-2.0, 2.0), rng=rng)


XB, YB = _big_data()
MIN_B = dl.loss_surface(XB, YB).minima[0]
BEST_B = dl.loss(MIN_B, XB, YB)
BASE_LR, BUDGET, RUNS = 0.001, 8000, 8


@cached
def _scaled(k, warmup_steps=None):
    """The notebook's ``scaled_run(k, warmup)`` for batch orders 0..4 (seed 0 is the notebook's), with
    and without warmup, as one batched run. ``warmup_steps`` overrides the rule's 1000 // k.
    Returns {(seed, warm): (median excess per step, number of runs that diverged)}."""
    steps = BUDGET // k
    w = max(1, 1000 // k) if warmup_steps is None else warmup_steps
    warm, cold = S.warmup_cosine(BASE_LR * k, w, steps), S.cosine(BASE_LR * k, steps)
    idx = np.concatenate([data.minibatch_indices(1000, k, steps, rng=s, runs=RUNS) for s in SEEDS], axis=1)
    idx = np.concatenate([idx, idx], axis=1)                         # rows: warm runs, then cold ones
    rows = idx.shape[1]
    is_warm = (np.arange(rows) < rows // 2)[:, None]
    sched = lambda t: np.where(is_warm, warm(t), cold(t))
    batches = MiniBatches(dl.loss, dl.grad, XB, YB, k, steps, runs=rows, indices=idx)
    run = descent.run(batches, SGD(lr=sched), batches.tile(START), steps)
    out = {}
    for part, is_w in ((0, True), (1, False)):
        for s in SEEDS:
            cols = slice((part * len(SEEDS) + s) * RUNS, (part * len(SEEDS) + s + 1) * RUNS)
            med = np.median(run.losses[:, cols], axis=1) - BEST_B
            out[s, is_w] = (med, sum(d is not None for d in run.diverged_at[cols]))
    return out


def test_batched_rows_reproduce_the_notebook_table():
    printed = {(1, True): ("3.7e-03", "1.4e-07"), (1, False): ("1.4e-04", "3.6e-07"),
               (64, True): ("1.2e-03", "2.3e-06"), (256, True): ("8.9e-03", "5.3e-06")}
    for (k, w), (at_1000, at_end) in printed.items():
        med, _ = _scaled(k)[0, w]
        assert (f"{med[1000 // k]:.1e}", f"{med[-1]:.1e}") == (at_1000, at_end)
    assert _scaled(256)[0, False][1] == 6


def test_quoted_sharpness_ratios():
    # [30] "2/28.6 ≈ 0.070", "k eta x 28.6 ≈ 1.8" (k = 64), "about 7" (k = 256), "2/5.54 ≈ 0.36"
    start_sharp, flat = dl.sharpness(START, XB, YB), dl.sharpness(MIN_B, XB, YB)
    assert f"{2 / start_sharp:.3f}" == "0.070"
    assert f"{0.064 * start_sharp:.1f}" == "1.8"
    assert round(0.256 * start_sharp) == 7
    assert f"{2 / flat:.2f}" == "0.36"


def curves_coincide(k, seed):
    """[30] "k <= 16: the rule works. With or without warmup the curves nearly coincide": at 1000 and
    8000 examples the median excess is within a factor 4 of k = 1's, for both schedules (the notebook's
    own k = 16 gap is 2.9; the k = 64 gap it calls drifting apart is 17)."""
    out = []
    for w in (True, False):
        base, _ = _scaled(1)[seed, w]
        med, n_div = _scaled(k)[seed, w]
        if n_div:
            return False
        out += [abs(np.log10(med[1000 // k] / base[1000])) < np.log10(4),
                abs(np.log10(med[-1] / base[-1])) < np.log10(4)]
    return all(out)


def test_rule_works_up_to_k_16():
    assert all(curves_coincide(k, s) for k in (4, 16) for s in SEEDS)


def test_rule_curves_part_at_k_256():
    assert not any(curves_coincide(256, s) for s in SEEDS)


def k64_ahead_at_first(seed, k=64):
    """[30] k = 64's "curve leaves the pack early: ahead of it at first (with warmup ... after 1000
    examples)": at least twice below k = 1."""
    return _scaled(k)[seed, True][0][1000 // k] < 0.5 * _scaled(1)[seed, True][0][1000]


def test_k64_ahead_of_k1_after_1000_examples():
    assert all(k64_ahead_at_first(s) for s in SEEDS)


def test_k4_stays_in_the_pack():
    assert not any(k64_ahead_at_first(s, k=4) for s in SEEDS)


@pytest.mark.xfail(strict=True, reason="the unrounded medians give 2.348e-6 / 1.377e-7 = 17.0; 16 is the "
                   "ratio of the rounded printed values 2.3e-6 / 1.4e-7")
def test_quoted_k64_ratio_at_the_end():
    # [30] "2.3e-6 against 1.4e-7 after 8000, 16 times worse, in this batch order"
    assert round(_scaled(64)[0, True][0][-1] / _scaled(1)[0, True][0][-1]) == 16


@pytest.mark.xfail(strict=True, reason="behind k = 1 at 8000 examples in 4 of 5 batch orders: the ratio "
                   "k=64 / k=1 is 17.0, 5.6, 0.83, 3.1, 1.03 (orders 0-4); in order 2 it ends ahead")
def test_k64_behind_k1_at_the_end_in_every_batch_order():
    assert all(_scaled(64)[s, True][0][-1] > _scaled(1)[s, True][0][-1] for s in SEEDS)


def warmup_matters(k, seed):
    """[30] "At k = 256 ... without warmup [most] of the 8 runs diverge; with warmup all 8 converge"."""
    return _scaled(k)[seed, True][1] == 0 and _scaled(k)[seed, False][1] >= RUNS // 2


def test_warmup_matters_at_k_256():
    assert all(warmup_matters(256, s) for s in SEEDS)


def test_warmup_does_not_matter_at_k_64():
    assert not any(warmup_matters(64, s) for s in SEEDS)


def rule_breaks(k, seed, warmup_steps=None):
    """[30] "k = 512: the rule, as stated, breaks ... all 8 diverge" (with the rule's warmup)."""
    return _scaled(k, warmup_steps)[seed, True][1] == RUNS


def test_rule_breaks_at_k_512():
    assert all(rule_breaks(512, s) for s in SEEDS)


def test_rule_holds_at_k_256():
    assert not any(rule_breaks(256, s) for s in SEEDS)


def test_one_step_warmup_is_no_warmup_at_k_512():
    # [30] "the rule's warmup of 1000 examples is a single step at this batch size: the same run as no
    # warmup": the same first step and the same fate (all 8 runs diverge, in every batch order)
    warm, cold = S.warmup_cosine(0.512, 1, 15), S.cosine(0.512, 15)
    assert warm(0) == cold(0)
    for s in SEEDS:
        w, c = _scaled(512)[s, True], _scaled(512)[s, False]
        assert w[0][1] == c[0][1] and w[1] == c[1] == RUNS


@pytest.mark.xfail(strict=True, reason="only the first step is the same: the one-step warmup hands over to a "
                   "cosine that starts again at the peak (0.512 at step 1, against 0.506 without warmup), so "
                   "the loss after step 2 differs by 4.6%; both runs diverge at step 3")
def test_one_step_warmup_is_the_same_run_as_no_warmup():
    # [30] "... a single step at this batch size: the same run as no warmup"
    for s in SEEDS:
        assert np.allclose(_scaled(512)[s, True][0][:3], _scaled(512)[s, False][0][:3], rtol=1e-9)


def test_a_longer_warmup_rescues_k_512():
    # [30]/[31] "A longer warmup does rescue it"; summary: "a warmup of a few of its 15 steps rescued it"
    assert all(_scaled(512, 4)[s, True][1] == 0 for s in SEEDS)
    assert all(rule_breaks(512, s, warmup_steps=2) for s in SEEDS)      # two steps are not enough
