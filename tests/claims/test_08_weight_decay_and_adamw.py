"""Claims of notebooks/08_weight_decay_and_adamw.ipynb (and its solutions), each checked by a run.

Each claim is a small function of its setting (and of a seed where the data draw enters); one test
checks it where the notebook makes it, another that it turns false where the setting is moved across
the line the claim draws. Numbers the prose quotes without a cell printing them are recomputed with the
notebook's own calls; printed numbers are left to nbval. Seeds 0..4 are data draws; seed 0 is the
notebook's own (its generator replayed). The three forms of decay of section 4 train as one batched
run (an ``optim.Group``) per draw and budget.
A bracketed [n] in a docstring or comment is the index (from 0) of the notebook cell that makes the claim.

Printed, so checked by nbval and not repeated here: least squares (0.196, 1.951, 20.275); the SGD
equivalence and the 1.209 gap; sqrt(v_hat) and the decay rates; the final weights; the ridge and box
checks; held-out 12.19 / 12.57; each grid's best decays, lowest losses (5.21, 4.49, 4.48), blow-ups and the
lr * wd edge (2.15 / 1.47); the paper form's box check (5 and 10); the 30-step rows; the row minima (6.43 ..
4.49), the 32% cell, box 6.84 against ridge 5.24; 1e-05 and 0.905. Solutions: 0.001, 1e-7 / 1e-5, 1e-4 and
the rows at 500, 100 and 30 steps.
"""

import inspect
from functools import lru_cache, wraps

import numpy as np
import pytest

from helpers import descent
from helpers.lessons.weight_decay import best_decay_per_row, lr_wd_grid, scaled_regression
from helpers.optim import Adam, AdamW, Group


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
LAM = 0.1


# ------------------------------------------------------------ sections 1 and 3: three features, two decays

@cached
def _problem(seed):
    return scaled_regression(scales=[10.0, 1.0, 0.1], w_true=[0.2, 2.0, 20.0], n=200, noise=0.5,
                             rng=np.random.default_rng(seed))


@cached
def _decay_rates(seed, scales=None):
    """[8]: Adam + L2's effective decay per step after 100 steps, lr * lam / sqrt(v_hat)."""
    problem = _problem(seed) if scales is None else scaled_regression(
        scales=list(scales), w_true=[0.2, 2.0, 20.0], n=200, noise=0.5, rng=np.random.default_rng(seed))
    adam_l2 = Adam(lr=0.05, weight_decay=LAM)
    _, v_hat = adam_l2.bias_corrected(descent.run(problem, adam_l2, np.zeros(3), 100).state)
    return 0.05 * LAM / (np.sqrt(v_hat) + 1e-8)


def test_quoted_fifty_fold_decay_ratio():
    # [9] "the small-scale feature ... at a rate about fifty times larger"
    rates = _decay_rates(0)
    assert round(rates[2] / rates[0], -1) == 50


def l2_decay_follows_scale(seed, scales=None):
    """[9] under Adam + L2 the large-scale feature is decayed least, the small-scale one most, by over
    20 times more."""
    rates = _decay_rates(seed, scales)
    return rates[0] < rates[1] < rates[2] and rates[2] > 20 * rates[0]


def test_adam_l2_decays_small_features_hardest():
    assert all(l2_decay_follows_scale(s) for s in SEEDS)


def test_features_of_one_size_are_decayed_alike():
    assert not any(l2_decay_follows_scale(s, scales=(1.0, 1.0, 1.0)) for s in SEEDS)


@cached
def _both_finals(seed):
    """[10]: Adam + L2 and AdamW (lr 0.05, lambda 0.1) after 3000 steps from zero, as one batched run."""
    pair = Group([Adam(lr=0.05, weight_decay=LAM), AdamW(lr=0.05, weight_decay=LAM)])
    return descent.run(_problem(seed), pair, np.zeros((2, 3)), 3000, keep_path=False).final


def _finals(seed, kind):
    return _both_finals(seed)[0 if kind == "Adam + L2" else 1]


@cached
def _box(seed):
    """problem.box(1/lambda), with 4000 projected-momentum steps (plenty for three features)."""
    return _problem(seed).box(1 / LAM, steps=4000)


def test_notebook_endpoints_replayed():
    assert np.array_equal(np.round(_finals(0, "AdamW"), 3), [0.186, 1.906, 9.613])          # printed [10]
    assert np.array_equal(np.round(_box(0), 3), [0.187, 1.918, 10.0])                         # printed [13]


def _kept(seed, kind):
    return _finals(seed, kind) / _problem(seed).least_squares()


def test_quoted_share_of_the_large_features_weight():
    # [12] "kept 91% of the large feature's weight"
    assert f"{_kept(0, 'Adam + L2')[0]:.0%}" == "91%"


def crushes_small_feature(seed, kind):
    """[12] "Adam + L2 crushed the weight of the small feature to under a tenth of its least-squares value"."""
    return _kept(seed, kind)[2] < 0.1


def test_adam_l2_crushes_the_small_features_weight():
    assert all(crushes_small_feature(s, "Adam + L2") for s in SEEDS)


def test_adamw_does_not_crush_it():
    assert not any(crushes_small_feature(s, "AdamW") for s in SEEDS)


def halves_only_the_small_feature(seed, kind):
    """[12] "AdamW left w1 and w2 close to least squares [within 10%] and cut w3 to about half [40-60%]"."""
    kept = _kept(seed, kind)
    return bool(np.all(np.abs(kept[:2] - 1) < 0.1) and 0.4 < kept[2] < 0.6)


def test_adamw_halves_only_the_small_features_weight():
    assert all(halves_only_the_small_feature(s, "AdamW") for s in SEEDS)


def test_adam_l2_does_not():
    assert not any(halves_only_the_small_feature(s, "Adam + L2") for s in SEEDS)


def endpoint_is_ridge(seed, kind):
    """[12] "Adam + L2 settles where the averaged gradient g + lam p is zero ... the ridge solution"."""
    return np.allclose(_finals(seed, kind), _problem(seed).ridge(LAM), atol=1e-3)


def test_adam_l2_ends_at_the_ridge_solution():
    assert all(endpoint_is_ridge(s, "Adam + L2") for s in SEEDS)


def test_adamw_does_not_end_at_the_ridge_solution():
    assert not any(endpoint_is_ridge(s, "AdamW") for s in SEEDS)


def hovers_below_the_box(seed, kind):
    """[12] AdamW "settles at the least-squares fit constrained to |w_j| <= 1/lam ... at eta = 0.05 [it]
    hovers a little below that bound": w1, w2 within 0.05 of the box solution, w3 in (9.5, 10)."""
    w, box = _finals(seed, kind), _box(seed)
    return bool(np.all(np.abs(w[:2] - box[:2]) < 0.05) and 9.5 < w[2] < 10.0)


def test_adamw_hovers_just_below_the_box():
    assert all(hovers_below_the_box(s, "AdamW") for s in SEEDS)


def test_adam_l2_is_nowhere_near_the_box():
    assert not any(hovers_below_the_box(s, "Adam + L2") for s in SEEDS)


# -------------------------------------------------------------------- section 4: the lr x decay grids

LRS, DECAYS = np.logspace(-2, 0.5, 16), np.logspace(-3, 2, 16)
FORMS = ("Adam + L2", "AdamW, torch", "AdamW, paper")
XS = {"Adam + L2": DECAYS, "AdamW, torch": DECAYS, "AdamW, paper": DECAYS / 100}     # paper: lambda <= 1


@cached
def _wide(seed):
    """Section 4's problem; its generator first draws section 1's problem, as the notebook's does."""
    rng = np.random.default_rng(seed)
    scaled_regression(scales=[10.0, 1.0, 0.1], w_true=[0.2, 2.0, 20.0], n=200, noise=0.5, rng=rng)
    d = 30
    scales = np.logspace(-1, 1, d)
    w_true = rng.standard_normal(d) / scales * (rng.random(d) < 0.5)
    return scaled_regression(scales, w_true, n=40, n_val=2000, noise=2.0, rng=rng)


def _three_forms(lr, wd):
    """The notebook's three makers as one Group: rows of the three blocks of 256 runs, in FORMS order.
    The third block's wd is the grid's decay (the paper's lambda = decay / 100, folded in here)."""
    k = len(lr) // 3
    a, b, c = slice(0, k), slice(k, 2 * k), slice(2 * k, 3 * k)
    return Group([(Adam(lr=lr[a], weight_decay=wd[a]), k), (AdamW(lr=lr[b], weight_decay=wd[b]), k),
                  (AdamW(lr=lr[c], weight_decay=(wd[c] / 100) / lr[c]), k)])


@cached
def _grids(seed, steps):
    """The three grids of section 4 (held-out loss, rows: lr, columns: the form's decay)."""
    grid = lr_wd_grid(_wide(seed), _three_forms, np.tile(LRS, 3), DECAYS, steps)
    return dict(zip(FORMS, np.split(grid, 3)))


def _best(seed, steps, form):
    return np.log10(best_decay_per_row(_grids(seed, steps)[form], XS[form]))


def test_grouped_grids_reproduce_the_notebook():
    printed = {"Adam + L2": "-1.33 -1.67 " + "-2.00 " * 14, "AdamW, torch": "-2.00 -1.33 " + "-1.00 " * 14,
               "AdamW, paper": "-4.00 -3.00 -2.67 -2.33 -2.33 -2.00 -2.00 -1.67 -1.67 -1.33 -1.33 -1.00 -1.00 "
                               "-0.67 -0.67 -0.67"}
    for form, text in printed.items():
        assert " ".join(f"{b:5.2f}" for b in _best(0, 500, form)) == text.strip()


def one_column(seed, steps, form):
    """[20] "No coupling": the best decay of the eight fastest rows (lr >= 0.3) is one grid column."""
    return bool(np.ptp(_best(seed, steps, form)[8:]) < 0.01)


def test_adam_l2_stars_stand_in_one_column():
    assert all(one_column(s, 500, "Adam + L2") for s in SEEDS)


def test_adam_l2_stars_move_after_30_steps():
    assert not one_column(0, 30, "Adam + L2")


@pytest.mark.xfail(strict=True, reason="true for the notebook's draw only: over data draws 0-4 the best "
                   "torch weight_decay of the eight fastest rows spans 0, 1.0, 0.67, 0.67 and 2.33 decades "
                   "(these runs have not reached their end points)")
def test_torch_adamw_stars_stand_in_one_column_for_every_draw():
    # [20] "AdamW, torch's form: the best weight_decay is 10^-1 on every row but the two slowest.
    # No coupling either"
    assert all(one_column(s, 500, "AdamW, torch") for s in SEEDS)


def test_torch_adamw_stars_stand_in_one_column_for_the_notebooks_draw():
    assert one_column(0, 500, "AdamW, torch")


def climb(seed, steps, form):
    """Slope of the best log10 decay against log10 lr, over the 16 rows."""
    return np.polyfit(np.log10(LRS), _best(seed, steps, form), 1)[0]


def best_decay_climbs(seed, steps, form):
    """[20] "AdamW, the paper's form: the best lambda climbs with the learning rate, roughly a decade for
    every decade": slope between 0.5 and 1.5."""
    return 0.5 < climb(seed, steps, form) < 1.5


def test_paper_form_best_decay_climbs_for_the_notebooks_draw():
    assert best_decay_climbs(0, 500, "AdamW, paper")
    assert f"{10 ** _best(0, 500, 'AdamW, paper')[-1]:.1f}" == "0.2"      # "levelling off near lambda ≈ 0.2"


def test_torch_form_best_decay_does_not_climb():
    assert not best_decay_climbs(0, 500, "AdamW, torch")


@pytest.mark.xfail(strict=True, reason="over data draws 0-4 the slope is 1.14, 0.58, -1.21, 0.91, -0.44: "
                   "it climbs in three draws; in draws 2 and 4 the best decay sits at the grid's low edge in "
                   "the fast rows (decay barely helps there)")
def test_paper_form_best_decay_climbs_for_every_draw():
    assert all(best_decay_climbs(s, 500, "AdamW, paper") for s in SEEDS)


def test_paper_form_climbs_at_every_budget():
    # solutions, exercise 4: "the paper's form climbs with eta at every budget" (the notebook's draw)
    assert all(climb(0, steps, "AdamW, paper") > 0.5 for steps in (500, 100, 30))


def test_quoted_30_step_losses():
    # [24] Adam + L2 at the three largest rates: "only a very large lambda keeps the held-out loss down
    # (to about 10)"; torch's AdamW: "at the largest learning rates it reaches a held-out loss of about 5"
    l2, torch = _grids(0, 30)["Adam + L2"], _grids(0, 30)["AdamW, torch"]
    assert np.all(np.abs(l2[13:].min(axis=1) - 10) < 0.75)
    assert np.all(np.round(torch[13:].min(axis=1)) == 5)


def edge_rows_tie(seed, steps, below=0.1):
    """[24] "Two of torch's rows pick the grid's left edge, 10^-3, because every decay below 0.1 gives
    them the same loss": in those rows, the losses for decays below ``below`` agree to 0.5%."""
    grid = _grids(seed, steps)["AdamW, torch"]
    rows = np.flatnonzero(_best(seed, steps, "AdamW, torch") == np.log10(DECAYS[0]))
    part = grid[rows][:, DECAYS < below]
    return rows.size == 2 and bool(np.all(part.max(axis=1) < 1.005 * part.min(axis=1)))


def test_torch_edge_rows_are_ties():
    assert edge_rows_tie(0, 30)


def test_torch_edge_rows_differ_for_decays_up_to_1():
    assert not edge_rows_tie(0, 30, below=1.0)


def span(seed, steps, form):
    """Decades spanned by the best decay across the rows, rows at the grid's low edge aside."""
    best = _best(seed, steps, form)
    return float(np.ptp(best[best > np.log10(XS[form][0]) + 1e-9]))


def test_quoted_30_step_spans():
    # [24]/summary: "Adam + L2's best decay moves with the learning rate across 3.7 decades, torch's
    # AdamW's across 1.3 (its two edge rows aside)"
    assert f"{span(0, 30, 'Adam + L2'):.1f}" == "3.7" and f"{span(0, 30, 'AdamW, torch'):.1f}" == "1.3"


def l2_moves_more(seed, steps):
    """[24] "Stopped after 30 steps, Adam + L2's best decay moves with the learning rate across 3.7
    decades, torch's AdamW's across 1.3, which resembles the paper's observation": more for Adam + L2."""
    return span(seed, steps, "Adam + L2") > span(seed, steps, "AdamW, torch")


def test_after_30_steps_adam_l2_moves_more_than_torch_adamw():
    assert l2_moves_more(0, 30)


def test_after_500_steps_it_does_not():
    assert not l2_moves_more(0, 500)


@pytest.mark.xfail(strict=True, reason="over data draws 0-4 (30 steps), Adam + L2 / torch AdamW spans are "
                   "3.7/1.3, 1.7/1.0, 0.3/2.3, 3.0/1.3, 1.3/1.7 decades: Adam + L2 moves more in 3 of 5 draws")
def test_after_30_steps_adam_l2_moves_more_for_every_draw():
    assert all(l2_moves_more(s, 30) for s in SEEDS)


def test_torch_adamw_within_about_a_decade_at_every_budget():
    # solutions, exercise 4: "torch's AdamW keeps its best decay within about a decade at every budget,
    # apart from a few rows where every decay below 0.1 ties and the grid's edge wins"
    assert all(span(0, steps, "AdamW, torch") <= 4 / 3 + 1e-9 for steps in (500, 100, 30))
    assert span(0, 30, "Adam + L2") > 4 / 3                        # Adam + L2's does not, at 30 steps


# --------------------------------------------------------------------- section 5: torch's AdamW and the paper's

def decay_doubles_with_lr(paper):
    """[27] "doubling torch's learning rate doubles its decay too, which the paper's form would not do":
    with a zero gradient (Adam's step is 0), one AdamW step shrinks p by lr * weight_decay."""
    shrink = []
    for lr in (1e-3, 2e-3):
        opt = AdamW(lr=lr, weight_decay=(1e-5 / lr) if paper else 0.01)
        p = np.ones(1)
        new, _ = opt.step(p, np.zeros(1), opt.init(p))
        shrink.append(float(p[0] - new[0]))
    return np.isclose(shrink[1], 2 * shrink[0])


def test_torch_decay_doubles_with_the_learning_rate():
    assert decay_doubles_with_lr(paper=False)


def test_paper_decay_does_not():
    assert not decay_doubles_with_lr(paper=True)
