"""Claims of notebooks/07_momentum_and_adam.ipynb (and its solutions), each checked by a run.

Each claim is a small function of its setting (and of a seed where a noisy gradient stream enters);
one test checks it where the notebook makes it, another that it turns false where the setting is moved
across the line the claim draws. Numbers quoted in the prose without a cell printing them are
recomputed here; printed numbers are left to nbval. Seeds 0..4 draw the noise streams.
A bracketed [n] in a docstring or comment is the index (from 0) of the notebook cell that makes the claim.

Printed, so checked by nbval and not repeated here: the first five averages; the weights within
1/(1-beta) steps (0.651, 0.634, 0.632); the learning rates 0.182 / 0.231 and beta 0.270; the losses after 30
steps (1.7e-4, 3.9e-13); the rates 0.818 / 0.519 and 69 / 21 steps by the rate alone, 69 / 26 in a run; 0.949; the largest converged learning
rates 0.1991 / 0.2994 / 0.3797; Adam's first three steps; the uncorrected ratios (3.16, 6.57 at t = 12,
1.26, ...) and the beta2 = 0.9 ratios; section 4's table for one draw; the swing factors (0.83, 0.71, ...,
0.57 and plain descent's 0.82); the Adagrad / RMSprop / Adam race's table (steps 1.00 / 10.00 /
1.00 at t = 1 ... 0.06 / 0.90 / 0.85 at t = 300, distances, gradients, losses, |y|). Solutions: 0.542; a_4 0.4878 and 1.4184; the rates at beta 0.78 and 0.82 and
the runs' fates; the steps 20-23 as fractions of the final step; Adam's m, v, m_hat, v_hat and its two changes;
beta 0.4444, lr 0.0556, the rates 0.6667 and the run's 0.711 and 0.671 per step.
Nesterov and the eigen-view (cells [23] to [40]), printed: the two new points (-2.24, -1.04) and
(-2.288, -0.08) and the look-ahead check; the largest converged learning rates 0.1489 / 0.1355 against
0.1500 / 0.1357; the rates 0.690 / 0.447 / 0.724 and the measured ones, 0.722 for the whole run; the best
tuning 2.309 / 0.270 / 0.519, the grid's smallest rates 0.543 / 0.543 and the largest gap 0.004.
Solutions: the runs at 0.98 and 1.02 times 0.277; the rates 0.600 / 0.548 / 0.548 and the measured ones.
"""

import dataclasses

import numpy as np
import pytest

from helpers.descent import run
from helpers.lessons import ema, momentum
from helpers.lessons.momentum_explorer import rate_map_frame
from helpers.optim import SGD, Adagrad, Adam, Group, RMSprop
from helpers.surfaces import SURFACES, quadratic

SEEDS = range(5)
BOWL = SURFACES["bowl"]                                    # curvatures 1 (x) and 10 (y)
BETA_BEST = float(momentum.best_momentum(10.0))
GD = SGD(lr=float(momentum.best_plain_lr(1.0, 10.0)))
HB = SGD(lr=(1 + np.sqrt(BETA_BEST)) ** 2 / 10.0, momentum=BETA_BEST)
TRACES = {"plain": run(BOWL, GD, BOWL.default_start, 30), "momentum": run(BOWL, HB, BOWL.default_start, 30),
          "heavy": run(BOWL, SGD(lr=GD.lr, momentum=0.9), BOWL.default_start, 30)}


# ---------------------------------------------------------------- section 1: exponential moving averages

def _noisy_ones(seed, n=60):
    return 1.0 + 0.5 * np.random.default_rng(seed).standard_normal(n)   # the notebook's signal


def test_quoted_weight_sum_and_raw_average_after_60_steps():
    # [5] "after t steps its weights add up to only 1 - beta^t"; [9] "1 - 0.99^60 ≈ 0.45"
    assert np.isclose(ema.ema_weights(0.99, 60).sum(), 1 - 0.99**60)
    assert f"{1 - 0.99**60:.2f}" == "0.45"
    assert f"{1 - np.exp(-1):.2f}" == "0.63"                          # [11] "1 - e^-1 ≈ 0.63"


def raw_average_at_0_45(beta, seed):
    """[9] "the raw average is still only at 1 - 0.99^60 ≈ 0.45 of the truth after 60 steps"."""
    return abs(ema.ema(_noisy_ones(seed), beta)[-1] - 0.45) < 0.07


def test_raw_average_with_beta_0_99_is_at_0_45():
    assert all(raw_average_at_0_45(0.99, s) for s in SEEDS)


def test_raw_average_with_beta_0_9_has_arrived():
    assert not any(raw_average_at_0_45(0.9, s) for s in SEEDS)


def corrected_noisier_early(beta, seed):
    """[9] "the corrected one is right from the start (and noisier early, since it rests on few
    measurements)": its RMS error over the first 10 steps is over 1.25 times that over the last 10."""
    d = ema.ema(_noisy_ones(seed), beta, debias=True) - 1.0
    return np.sqrt(np.mean(d[:10] ** 2)) > 1.25 * np.sqrt(np.mean(d[-10:] ** 2))


def test_corrected_average_is_noisier_early():
    assert all(corrected_noisier_early(0.99, s) for s in SEEDS)


def test_short_memory_average_is_not_noisier_early():
    # beta = 0.5 remembers 2 steps: it rests on as few measurements at the end as at the start
    assert not all(corrected_noisier_early(0.5, s) for s in SEEDS)


# ----------------------------------------------------------------------- section 2: heavy-ball momentum

def buffer_limit(gradients, beta=0.9):
    """torch's momentum buffer b = beta b + g after many steps (the last value)."""
    opt = SGD(lr=1.0, momentum=beta)
    p, state = np.zeros(1), opt.init(np.zeros(1))
    for g in gradients:
        new, state = opt.step(p, np.array([g]), state)
        step, p = float(p[0] - new[0]), new
    return step


def test_steady_slope_builds_the_buffer_and_flips_cancel():
    # [11] "on a steady slope the buffer grows to g/(1-beta) ... Across a valley the gradient flips sign
    # every step, and those flips cancel in the buffer"
    assert np.isclose(buffer_limit(np.ones(400)), 10.0)
    assert np.isclose(abs(buffer_limit(np.resize([1.0, -1.0], 400))), 1 / 1.9)


def test_plain_descent_fastest_at_two_over_eleven():
    # [11] "Plain descent gets its fastest overall convergence at eta = 2/(1 + 10)"
    lrs = np.linspace(0.01, 0.199, 2000)
    worst = momentum.rate(lrs[:, None], np.array([1.0, 10.0])).max(axis=1)
    assert abs(lrs[np.argmin(worst)] - 2 / 11) < 1e-3


def first_swings_wider(steps=2):
    """[15] "At first, *more*: the first swings across the valley are wider than plain descent's"
    (|y| after each of the first ``steps`` steps)."""
    y_mom, y_gd = (np.abs(TRACES[k].xs[1:steps + 1, 1]) for k in ("momentum", "plain"))
    return bool(np.all(y_mom > y_gd))


def test_momentum_first_swings_are_wider():
    assert first_swings_wider(2)


def test_momentum_swings_are_not_wider_after_ten_steps():
    assert not np.abs(TRACES["momentum"].xs[10, 1]) > np.abs(TRACES["plain"].xs[10, 1])


def swing_factors(kind, first=1, last=10):
    """Ratio of each swing across the valley (|y_t|) to the one before, for swings first..last."""
    y = np.abs(TRACES[kind].xs[:, 1])
    return y[first + 1:last + 1] / y[first:last]


def factors_fall_towards_the_rate(kind, opt):
    """[15] "the second is 0.83 of the first, about plain descent's factor, and each later one is shorter than
    the one before by a factor that falls from 0.71 towards the rate 0.52 (0.57 by the tenth swing)" (cell
    [14] prints the factors): from the third swing on the factor falls by more than 0.001 a swing, stays
    above the rate and ends within 0.06 of it."""
    rate = momentum.rate(opt.lr, np.array([1.0, 10.0]), opt.momentum).max()
    later = swing_factors(kind)[1:]                       # swings 3..10, each over the one before
    return bool(np.all(np.diff(later) < -1e-3) and np.all(later > rate) and later[-1] - rate < 0.06)


def test_momentum_swing_factors_fall_towards_its_rate():
    assert factors_fall_towards_the_rate("momentum", HB)
    assert abs(swing_factors("momentum")[0] - 0.818) < 0.02           # the second swing: about plain's factor


def test_plain_swing_factors_do_not_fall():
    assert not factors_fall_towards_the_rate("plain", GD)


def test_plain_swings_shrink_by_0_82():
    assert np.allclose(swing_factors("plain"), 0.818, atol=0.001)
    # the part that holds: from the second swing on, momentum's swings shrink faster (the first, 0.83,
    # shrinks less than plain descent's 0.82)
    assert np.all(swing_factors("momentum")[1:] < swing_factors("plain")[1:])


def floor_covered(kind, steps=5):
    """[15] "along the valley floor momentum covers the distance to the minimum in a handful of steps
    while plain descent creeps": |x| falls below a tenth of its start within ``steps`` steps."""
    x = TRACES[kind].xs[:, 0]
    return abs(x[steps]) < 0.1 * abs(x[0])


def test_momentum_covers_the_valley_floor_in_a_handful_of_steps():
    assert floor_covered("momentum", 6)


def test_plain_descent_creeps_along_the_floor():
    assert not floor_covered("plain", 6)


def test_quoted_start_loss_and_kappa_steps():
    # [15] "both from 28"; [17] "For kappa = 10^4 ... about 5000 and 50 steps per factor e"
    assert BOWL.loss(BOWL.default_start) == 28.0
    k = 1e4
    plain, tuned = -1 / np.log((k - 1) / (k + 1)), -1 / np.log((np.sqrt(k) - 1) / (np.sqrt(k) + 1))
    assert round(plain, -2) == 5000 and round(tuned) == 50


def steps_to_a_millionth(opt, surface=BOWL):
    """A real run's first step whose distance to the minimum is under 1e-6 of the start's."""
    dist = np.linalg.norm(run(surface, opt, surface.default_start, 200).xs, axis=1)
    return int(np.argmax(dist < 1e-6 * dist[0]))


def rate_alone_undercounts(opt):
    """[15] "At the tuned setting the two roots coincide, and a repeated root makes the error fall like t r^t,
    so a real run needs a few more steps than the rate alone says" ([16] prints 21 and 26)."""
    r = momentum.rate(opt.lr, np.array([1.0, 10.0]), opt.momentum).max()
    return steps_to_a_millionth(opt) > np.log(1e-6) / np.log(r) + 2


def test_tuned_momentum_needs_more_steps_than_its_rate_says():
    assert rate_alone_undercounts(HB)
    beta = HB.momentum
    assert all(abs((1 + beta - HB.lr * c) ** 2 - 4 * beta) < 1e-9 for c in (1.0, 10.0))   # a repeated root


def test_plain_descent_takes_what_its_rate_says():
    assert not rate_alone_undercounts(GD)                        # distinct real roots: 69 and 69


def test_the_roots_are_complex_at_the_heavy_setting():
    assert np.isclose(momentum.rate(GD.lr, np.array([1.0, 10.0]), 0.9).max(), np.sqrt(0.9))
    # [15] "the largest root modulus |z| ... (with momentum the roots can be complex, as they are for the
    # beta = 0.9 run below ...)": at beta = 0.9 the discriminant is negative on both axes and |z| = sqrt(beta)
    for c in (1.0, 10.0):
        assert (1 + 0.9 - GD.lr * c) ** 2 - 4 * 0.9 < 0
    assert not (1 + 0 - GD.lr * 1.0) ** 2 - 4 * 0 < 0              # plain descent: real roots


def spirals(kind):
    """[17] "the buffer overshoots and the path spirals": the run crosses the valley floor's minimum
    (x changes sign) as well as the valley (y), within 30 steps."""
    x = TRACES[kind].xs[:, 0]
    return bool(np.any(np.diff(np.sign(x)) != 0))


def test_too_much_momentum_spirals_and_is_slower():
    assert spirals("heavy")
    assert TRACES["heavy"].losses[-1] > TRACES["plain"].losses[-1]           # "slower than plain descent's"
    assert np.isclose(momentum.rate(GD.lr, np.array([1.0, 10.0]), 0.9).max(), np.sqrt(0.9))


def test_tuned_momentum_does_not_spiral():
    assert not spirals("momentum") and not spirals("plain")


L_STEEP, LRS = 10.0, np.linspace(0.005, 0.45, 400)


def limit_matches_runs(beta, start=(0.0, 1.0)):
    """[22] "The runs agree with the formula to the grid's resolution": the largest learning rate whose
    run ends nearer than it started is within one grid step below (2 + 2 beta)/L."""
    trace = run(BOWL, SGD(lr=LRS[:, None], momentum=beta), np.tile(start, (400, 1)), 300)
    ok = LRS[trace.losses[-1] < trace.losses[0]]
    gap = momentum.stability_limit(L_STEEP, beta) - ok.max()
    return 0 <= gap < LRS[1] - LRS[0]


def test_stability_limit_matches_the_runs():
    assert all(limit_matches_runs(b) for b in (0.0, 0.5, 0.9))


def test_a_start_on_the_shallow_axis_never_shows_the_limit():
    # the limit is set by the steep direction: a start with no error along it converges at every rate
    assert not any(limit_matches_runs(b, start=(1.0, 0.0)) for b in (0.0, 0.5, 0.9))


def fastest_differs_from_largest(beta):
    """[22] "For plain descent ... past the best learning rate, 1/L, the rate *rises* again toward 1, so
    'largest stable' and 'fastest' are different learning rates": at 95% of the limit the rate is 0.05 above
    its best."""
    best = momentum.rate(LRS, L_STEEP, beta).min()
    return momentum.rate(0.95 * momentum.stability_limit(L_STEEP, beta), L_STEEP, beta) > best + 0.05


def test_plain_descent_fastest_is_not_largest():
    assert fastest_differs_from_largest(0.0)
    assert abs(LRS[np.argmin(momentum.rate(LRS, L_STEEP))] - 1 / L_STEEP) < LRS[1] - LRS[0]   # best at 1/L


def stays_at_its_best(beta, last=0.05):
    """[22] "With momentum the rate stays at its best, sqrt(beta), over most of the stable range (up to
    (1 + sqrt(beta))^2/L), and climbs to 1 only in the last few percent below the limit": the rate is
    sqrt(beta), its minimum, from (1 - sqrt(beta))^2/L to (1 + sqrt(beta))^2/L, a stretch that covers over
    half the stable range and ends within ``last`` of the limit (3% for beta = 0.5, 0.07% for 0.9)."""
    lo, hi = (1 - np.sqrt(beta)) ** 2 / L_STEEP, (1 + np.sqrt(beta)) ** 2 / L_STEEP
    limit = momentum.stability_limit(L_STEEP, beta)
    flat = momentum.rate(np.linspace(lo, hi, 200), L_STEEP, beta)
    best = momentum.rate(LRS[LRS < limit], L_STEEP, beta).min()
    return bool(np.allclose(flat, np.sqrt(beta), rtol=1e-6) and best > np.sqrt(beta) - 1e-9
                and hi - lo > 0.5 * limit and hi > (1 - last) * limit)


def test_momentum_rate_stays_at_its_best_until_near_the_limit():
    assert stays_at_its_best(0.5) and stays_at_its_best(0.9)
    assert not fastest_differs_from_largest(0.9)                       # at 95% of the limit: still the best rate


def test_plain_descent_rate_does_not_stay_at_its_best():
    assert not stays_at_its_best(0.0)


# --------------------------------------------------------------------------------- section 4: Adam

def uncorrected_steps(grads, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, debias_m=False, debias_v=False):
    """The notebook's ``adam_uncorrected_steps``."""
    m = v = 0.0
    out = []
    for t, g in enumerate(grads, start=1):
        m = betas[0] * m + (1 - betas[0]) * g
        v = betas[1] * v + (1 - betas[1]) * g * g
        m_use = m / (1 - betas[0] ** t) if debias_m else m
        v_use = v / (1 - betas[1] ** t) if debias_v else v
        out.append(lr * m_use / (np.sqrt(v_use) + eps))
    return np.array(out)


def test_quoted_run_lengths_of_oversized_steps():
    # [47] "every one of the first 117 steps is more than 3 eta and the first 287 more than 2 eta"
    r = uncorrected_steps(np.ones(3000)) / 1e-3
    assert int(np.argmax(r <= 3)) == 117 and int(np.argmax(r <= 2)) == 287


def uncorrected_over_corrected_is(formula, betas=(0.9, 0.999)):
    """[47] "The uncorrected step is (1 - beta1^t) / sqrt(1 - beta2^t) times the corrected one" (a steady slope)."""
    t = np.arange(1, 3001)
    ratio = uncorrected_steps(np.ones(3000), betas=betas) / uncorrected_steps(np.ones(3000), betas=betas,
                                                                              debias_m=True, debias_v=True)
    return bool(np.allclose(ratio, formula(t, *betas), rtol=1e-5))


def test_uncorrected_ratio_formula():
    assert uncorrected_over_corrected_is(lambda t, b1, b2: (1 - b1 ** t) / np.sqrt(1 - b2 ** t))


def test_the_ratio_is_not_eta_times_it():
    # the earlier wording put a factor eta (1e-3) in front
    assert not uncorrected_over_corrected_is(lambda t, b1, b2: 1e-3 * (1 - b1 ** t) / np.sqrt(1 - b2 ** t))


def uncorrected_too_large(beta2):
    """[47] "without any correction, Adam's early steps are too large, not too small"."""
    r = uncorrected_steps(np.ones(20), betas=(0.9, beta2)) / 1e-3
    return bool(np.all(r[:10] > 1))


def test_uncorrected_steps_too_large_with_default_betas():
    assert uncorrected_too_large(0.999)


def test_uncorrected_steps_too_small_when_beta2_equals_beta1():
    assert not uncorrected_too_large(0.9)
    r = uncorrected_steps(np.ones(20), betas=(0.9, 0.9)) / 1e-3         # [47] "sqrt(1 - 0.9^t) < 1"
    assert np.allclose(r, np.sqrt(1 - 0.9 ** np.arange(1, 21)), rtol=1e-6)


# ------------------------------------------------- section 4: Adagrad -> RMSprop -> Adam on a long valley

VALLEY = dataclasses.replace(quadratic(0.02, 2.0, name="long valley"), bounds=((-51, -29), (-1.8, 1.8)))
TRIO_LR, TRIO_T = 0.05, 300


def race_sizes(start=(-50.0, 1.5)):
    """The notebook's race: |step| / lr of (Adagrad, RMSprop, Adam) along x and y, shape (300, 3, 2)."""
    trio = Group([Adagrad(lr=TRIO_LR), RMSprop(lr=TRIO_LR), Adam(lr=TRIO_LR)])
    trace = run(VALLEY, trio, np.tile(start, (3, 1)), TRIO_T)
    return np.abs(np.diff(trace.xs, axis=0)) / TRIO_LR, trace


def adagrad_like_inverse_sqrt_t(start):
    """[53] "its step is eta / sqrt(t) to within 1.2%" on a nearly steady gradient: every step of the 300."""
    size, _ = race_sizes(start)
    return bool(np.all(np.abs(size[:, 0, 0] * np.sqrt(np.arange(1, TRIO_T + 1)) - 1) < 0.012))


def test_adagrad_step_falls_like_one_over_root_t_on_a_steady_gradient():
    assert adagrad_like_inverse_sqrt_t((-50.0, 1.5))


def test_not_where_the_gradient_changes():
    # started ten times nearer, the floor's gradient falls as Adagrad creeps, and its steps fall faster
    assert not adagrad_like_inverse_sqrt_t((-5.0, 1.5))


def levels_off(k):
    """[53] "RMSprop's step ... levels off ... Adam's ... levels off too": from step 200 to 300 the x-step
    falls by less than 10% (eta / sqrt(t) would fall by 18%)."""
    size, _ = race_sizes()
    return bool(size[299, k, 0] > 0.9 * size[199, k, 0])


def test_rmsprop_and_adam_steps_level_off():
    assert levels_off(1) and levels_off(2)


def test_adagrad_step_does_not():
    assert not levels_off(0)


def rmsprop_steady_steps(grads):
    """RMSprop(lr=1)'s step lengths fed one parameter's gradient stream."""
    opt, p = RMSprop(lr=1.0), np.zeros(1)
    state, out = opt.init(p), []
    for g in grads:
        new, state = opt.step(p, np.array([g]), state)
        out.append(abs(float(new[0] - p[0])))
        p = new
    return np.array(out)


def follows_the_uncorrected_ema(grads):
    """[49] the first step is 10 eta and [53] a little under 1 at t = 300 "because its gradient has fallen":
    on a steady gradient the step is exactly 1 / sqrt(1 - 0.99^t) (10 at t = 1, above 1 at every t)."""
    t = np.arange(1, len(grads) + 1)
    return bool(np.allclose(rmsprop_steady_steps(grads) * np.abs(grads), np.abs(grads) / np.sqrt(1 - 0.99 ** t),
                            rtol=1e-6))


def test_rmsprop_on_a_steady_gradient_starts_at_ten_and_stays_above_one():
    assert follows_the_uncorrected_ema(np.full(300, -1.0))
    assert rmsprop_steady_steps(np.full(300, -1.0))[-1] > 1


def test_rmsprop_on_a_falling_gradient_ends_under_one():
    falling = -np.linspace(1.0, 0.61, 300)                     # the race's floor gradient, roughly
    assert not follows_the_uncorrected_ema(falling)
    assert rmsprop_steady_steps(falling)[-1] < 1
    size, _ = race_sizes()
    assert size[-1, 1, 0] < 1


def lead_made_early(start=(-50.0, 1.5), share=0.75):
    """[53] "4.9 of that 5.6 lead was made in the first 100 steps": over ``share`` of RMSprop's lead over Adam
    along x at step 300 was already there at step 100."""
    _, trace = race_sizes(start)
    x = trace.xs[:, :, 0] - trace.xs[0, :, 0]
    return bool(x[100, 1] - x[100, 2] > share * (x[-1, 1] - x[-1, 2]) > 0)


def test_rmsprop_lead_is_made_in_the_first_100_steps():
    assert lead_made_early()


def test_it_is_not_made_in_the_first_20():
    # the claim is about the early stretch, not the very first steps alone
    _, trace = race_sizes()
    x = trace.xs[:, :, 0] - trace.xs[0, :, 0]
    assert not x[20, 1] - x[20, 2] > 0.75 * (x[-1, 1] - x[-1, 2])


# ------------------------------------------------------------ section 5: Adam's per-parameter steps

T, LR = 300, 0.01


def _streams(seed, scale=1.0):
    rng = np.random.default_rng(seed)
    return scale * np.column_stack([np.full(T, 10.0), np.full(T, 0.01), rng.standard_normal(T),
                                    0.01 * rng.standard_normal(T)])


def steps_taken(opt, grads):
    """The notebook's ``steps_taken``: each update of a model whose loss is linear in every parameter."""
    p, state, out = np.zeros(grads.shape[1]), opt.init(np.zeros(grads.shape[1])), []
    for g in grads:
        p_new, state = opt.step(p, g, state)
        out.append(p_new - p)
        p = p_new
    return np.array(out)


def mean_step(opt, seed, scale=1.0):
    return np.abs(steps_taken(opt, _streams(seed, scale))).mean(axis=0) / LR


def test_adam_moves_steady_parameters_by_eta():
    for s in SEEDS:
        assert np.allclose(mean_step(Adam(lr=LR), s)[:2], 1.0, atol=1e-6)


def adam_moves_more_than_sgd(column, seed):
    """[58] "Small noisy parameters do move more than under SGD (about 0.17 eta against SGD's 0.008 eta)"."""
    return mean_step(Adam(lr=LR), seed)[column] > mean_step(SGD(lr=LR), seed)[column]


def test_small_noisy_parameter_moves_more_under_adam():
    assert all(adam_moves_more_than_sgd(3, s) for s in SEEDS)
    for s in SEEDS:
        assert 0.12 < mean_step(Adam(lr=LR), s)[3] < 0.25 and np.isclose(mean_step(SGD(lr=LR), s)[3], 0.008, atol=0.001)


def test_large_noisy_parameter_moves_less_under_adam():
    assert not any(adam_moves_more_than_sgd(2, s) for s in SEEDS)      # std 1: SGD 0.72-0.83, Adam ~0.2


def noise_shrinks_the_step(make, seed):
    """[58] "Noise shrinks the step; it does not enlarge it": both zero-mean streams move less per step
    than the steady small one."""
    m = mean_step(make(), seed)
    return m[2] < m[1] and m[3] < m[1]


def test_under_adam_noise_shrinks_the_step():
    assert all(noise_shrinks_the_step(lambda: Adam(lr=LR), s) for s in SEEDS)


def test_under_sgd_noise_does_not_shrink_the_step():
    assert not any(noise_shrinks_the_step(lambda: SGD(lr=LR), s) for s in SEEDS)


def test_quoted_noise_averages():
    # [58] "m_hat averages noise (its RMS is about sqrt((1-beta1)/(1+beta1)) ≈ 0.23 of the gradient's) ...
    # so Adam's steps average about 0.17 eta"
    assert f"{np.sqrt(0.1 / 1.9):.2f}" == "0.23"
    for s in SEEDS:
        g = _streams(s)[:, 2]
        m_hat = ema.ema(g, 0.9, debias=True)
        assert abs(np.sqrt(np.mean(m_hat[50:] ** 2)) / np.sqrt(np.mean(g[50:] ** 2)) - 0.23) < 0.05
        assert np.all(np.abs(mean_step(Adam(lr=LR), s)[2:] - 0.17) < 0.07)


def net_move_small(column, seed):
    """[58] "after 300 steps the net moves in this draw are about 19 and 5 learning rates, against 300 for either
    steady stream": the noisy parameters end within 45 learning rates (15% of 300) of their start."""
    return abs(steps_taken(Adam(lr=LR), _streams(seed))[:, column].sum() / LR) < 45


def test_noisy_parameters_go_nowhere():
    assert all(net_move_small(c, s) for c in (2, 3) for s in SEEDS)


def test_steady_parameters_travel():
    assert not any(net_move_small(c, s) for c in (0, 1) for s in SEEDS)


def net_move_spread(make, scale, draws=400):
    """[58] "over many draws they spread about sqrt(300) ≈ 17 either way": the standard deviation of the net
    move / lr over 400 independent zero-mean streams of one ``scale``, within 15% of 17."""
    g = scale * np.random.default_rng(7).standard_normal((T, draws))
    return abs(steps_taken(make(), g).sum(axis=0).std() / LR / np.sqrt(T) - 1) < 0.15


def test_noisy_net_moves_spread_about_17_under_adam():
    assert net_move_spread(lambda: Adam(lr=LR), 1.0) and net_move_spread(lambda: Adam(lr=LR), 0.01)


def test_under_sgd_the_small_streams_spread_is_not_17():
    assert not net_move_spread(lambda: SGD(lr=LR), 0.01)


def scale_free(make, seed):
    """[58] "the one whose gradient is more consistent ... moves more, whatever its size": multiplying
    every gradient by 100 leaves the steps unchanged."""
    scaled, plain = steps_taken(make(), _streams(seed, 100.0)), steps_taken(make(), _streams(seed))
    return np.allclose(scaled, plain, rtol=1e-5, atol=1e-9)


def test_adam_steps_do_not_depend_on_the_gradients_scale():
    assert all(scale_free(lambda: Adam(lr=LR), s) for s in SEEDS)


def test_sgd_steps_do_depend_on_it():
    assert not any(scale_free(lambda: SGD(lr=LR), s) for s in SEEDS)


MUS = np.logspace(-2, 1.5, 40)


def _progress(seed):
    rng = np.random.default_rng(seed)
    steps = steps_taken(Adam(lr=LR), MUS + rng.standard_normal((2000, MUS.size)))
    return -steps[500:].mean(axis=0) / LR, np.abs(steps[500:]).mean(axis=0) / LR


def follows(curve, seed):
    """[60] "Progress per step follows mu / sqrt(mu^2 + sigma^2)": within 0.1 of it at every mu."""
    return bool(np.all(np.abs(_progress(seed)[0] - curve(MUS)) < 0.1))


def test_progress_follows_mean_over_rms():
    assert all(follows(lambda mu: mu / np.sqrt(mu**2 + 1), s) for s in SEEDS)


def test_progress_does_not_follow_sgds_mu():
    assert not any(follows(lambda mu: mu, s) for s in SEEDS)


def test_noise_floor_plateau_goes_nowhere():
    # [60] "The plateau of the circles at the left is the noise floor: random steps of about 0.17 eta
    # that go nowhere"
    for s in SEEDS:
        progress, size = _progress(s)
        assert np.all(np.abs(size[:5] - 0.17) < 0.05)
        assert np.all(np.abs(progress[:5]) < 0.3 * size[:5])          # the steps mostly cancel


# ----------------------------------------------------------------------------------------- solutions

def test_quoted_shares_of_the_weights():
    # ex. 2: "the newest value, 0, has the largest share, 29%"; ex. 5: "m_hat weights the two gradients almost
    # equally (0.47 and 0.53)"; ex. 4: "step 22: a little over twice the memory 1/(1 - beta) = 10"
    w = ema.ema_weights(0.9, 4)
    assert w.argmax() == 3 and f"{w[-1] / w.sum():.0%}" == "29%"
    assert (f"{0.09 / 0.19:.2f}", f"{0.1 / 0.19:.2f}") == ("0.47", "0.53")
    first = int(np.ceil(np.log(0.1) / np.log(0.9)))
    assert first == 22 and 2 < first / ema.memory(0.9) < 2.5


def repeated_root(beta, lr, curvatures=(2.0, 50.0)):
    """Solutions ex. 6: "At this tuning each axis sits exactly where the two roots of z^2 - (1 + beta - lr L) z
    + beta = 0 meet": the discriminant vanishes at both curvatures."""
    return all(abs((1 + beta - lr * c) ** 2 - 4 * beta) < 1e-9 for c in curvatures)


def test_tuned_momentum_has_repeated_roots_on_both_axes():
    beta = float(momentum.best_momentum(25.0))
    assert repeated_root(beta, (1 + np.sqrt(beta)) ** 2 / 50.0)


def test_other_settings_have_distinct_roots():
    assert not repeated_root(0.5, (1 + np.sqrt(0.5)) ** 2 / 50.0)


def error_like_t_times_rate(beta, lr, steps=300):
    """Solutions ex. 6: "a repeated root makes the error fall like t (2/3)^t instead of (2/3)^t": from step 50
    on, distance / (t r^t) stays within 10% of its value at step 50, while distance / r^t grows over 3 times."""
    steep = quadratic(2.0, 50.0)
    dist = np.linalg.norm(run(steep, SGD(lr=lr, momentum=beta), steep.default_start, steps).xs, axis=1)
    r = momentum.rate(lr, np.array([2.0, 50.0]), beta).max()
    t = np.arange(50, steps + 1)
    with_t = dist[t] / (t * r ** t)
    return bool(np.all(np.abs(with_t / with_t[0] - 1) < 0.1) and (dist[t] / r ** t)[-1] > 3 * (dist[t] / r ** t)[0])


def test_tuned_error_falls_like_t_times_the_rate():
    beta = float(momentum.best_momentum(25.0))
    assert error_like_t_times_rate(beta, (1 + np.sqrt(beta)) ** 2 / 50.0)


def test_distinct_roots_do_not():
    assert not error_like_t_times_rate(0.3, 0.03)



# ----------------------------------------------------------------- section 2: Nesterov, the look-ahead

LA_X, LA_V, LA_LR = np.array([-3.0, 1.2]), np.array([0.5, -1.0]), 0.12
LRS, L10 = np.linspace(0.005, 0.45, 400), 10.0


def nesterov_brakes(beta):
    """[25] "its step overshoots to the far wall, y = -1.04 ... Nesterov brakes before the crossing and lands at
    y = -0.08": heavy ball's new point lies beyond y = -0.5 and Nesterov's within 0.1 of the floor."""
    s = momentum.lookahead_steps(BOWL.grad, LA_X, LA_V, LA_LR, beta)
    return bool(s["heavy_ball"][1] < -0.5 and abs(s["nesterov"][1]) < 0.1)


def test_the_look_ahead_gradient_brakes_before_the_crossing():
    assert nesterov_brakes(0.8)


def test_without_a_coast_there_is_nothing_to_look_ahead_to():
    assert not nesterov_brakes(0.0)                     # beta = 0: both take the gradient at x


def _largest_converged(beta, nesterov):
    trace = run(BOWL, SGD(lr=LRS[:, None], momentum=beta, nesterov=nesterov), np.tile([0.0, 1.0], (400, 1)), 300)
    return LRS[trace.losses[-1] < trace.losses[0]].max()


def found_within_two_steps(beta, limit):
    """[30] "The runs stop converging within two grid steps (0.0011 each) of the predicted limits"."""
    gap = limit - _largest_converged(beta, True)
    return bool(0 <= gap < 2 * (LRS[1] - LRS[0]))


def test_nesterov_runs_stop_at_the_predicted_limit():
    assert f"{LRS[1] - LRS[0]:.4f}" == "0.0011"
    assert all(found_within_two_steps(b, momentum.nesterov_limit(L10, b)) for b in (0.5, 0.9))


def test_nor_at_heavy_balls_limit():
    assert not any(found_within_two_steps(b, momentum.stability_limit(L10, b)) for b in (0.5, 0.9))


def below_limit_but_grown(beta):
    """[30] "Just below the limit at beta = 0.5 the rate is still under 1, but so close to it that 300 steps
    leave the run farther away than it started": the grid's last learning rate below the limit."""
    lr = LRS[LRS < momentum.nesterov_limit(L10, beta)].max()
    trace = run(BOWL, SGD(lr=lr, momentum=beta, nesterov=True), np.array([0.0, 1.0]), 300)
    return bool(momentum.nesterov_rate(lr, L10, beta) < 1 and trace.losses[-1] > trace.losses[0])


def test_just_below_the_limit_at_beta_0_5_the_run_has_grown():
    assert below_limit_but_grown(0.5)


def test_quoted_overshoot_just_below_the_limit():
    # [30] "(0.9998 at the grid's last learning rate below it), but the first step overshoots to 1.25 times
    # the starting error, and so slow a rate wins back only 6% of it in 300 steps"
    beta = 0.5
    lr = LRS[LRS < momentum.nesterov_limit(L10, beta)].max()
    rate = float(momentum.nesterov_rate(lr, L10, beta))
    first = abs(1 - lr * L10 * (1 + beta))                  # the first step: buffer g, step along g + beta g
    trace = run(BOWL, SGD(lr=lr, momentum=beta, nesterov=True), np.array([0.0, 1.0]), 1)
    assert np.isclose(abs(trace.xs[1][1]), first)            # the first step's |y|, from y = 1
    assert (f"{rate:.4f}", f"{first:.2f}", f"{1 - rate ** 300:.2f}") == ("0.9998", "1.25", "0.06")


def test_at_beta_0_9_the_last_rate_below_the_limit_converges():
    assert not below_limit_but_grown(0.9)


def about_a_third_of_heavy_ball(beta):
    """[30] "At beta = 0.9 Nesterov tolerates only 1.36/L, about a third of heavy ball's 3.8/L"."""
    ratio = float(momentum.nesterov_limit(1.0, beta) / momentum.stability_limit(1.0, beta))
    return abs(ratio - 1 / 3) < 0.05


def test_nesterov_limit_is_about_a_third_of_heavy_balls_at_beta_0_9():
    assert f"{float(momentum.nesterov_limit(1.0, 0.9)):.2f}" == "1.36" and about_a_third_of_heavy_ball(0.9)
    assert f"{float(momentum.stability_limit(1.0, 0.9)):.1f}" == "3.8"


def test_not_at_beta_0_5():
    assert not about_a_third_of_heavy_ball(0.5)


def nesterov_faster_up_to(upto, beta=0.9):
    """[30] "its rate is under heavy ball's sqrt(beta) = 0.949 for every learning rate up to 0.133" (on the
    figure's grid of 400 learning rates)."""
    lrs = LRS[LRS <= upto]
    return bool(np.all(momentum.nesterov_rate(lrs, L10, beta) < momentum.rate(lrs, L10, beta)))


def test_nesterov_is_faster_up_to_0_133():
    assert f"{np.sqrt(0.9):.3f}" == "0.949" and nesterov_faster_up_to(0.1335)


def test_but_not_up_to_0_135():
    assert not nesterov_faster_up_to(0.135)


def test_nesterov_rate_is_zero_at_one_over_l_only():
    # [30] "it reaches 0 at eta = 1/L, where 1 - eta L = 0 makes both roots 0"
    assert momentum.nesterov_rate(1 / L10, L10, 0.9) < 1e-6
    assert momentum.nesterov_rate(1.1 / L10, L10, 0.9) > 0.1


# ----------------------------------------------------------------- section 3: direction by direction

TILTED = momentum.RotatedQuadratic([1.0, 4.0, 10.0], seed=0)


def roots_are_complex(lr, curvatures, beta):
    return (1 + beta - lr * np.asarray(curvatures)) ** 2 < 4 * beta


def test_middle_direction_spirals_and_the_ends_do_not():
    # [35] "The middle curvature has complex roots, so its error spirals in at sqrt(beta) = 0.447 ...
    # The other two have real roots"
    assert list(roots_are_complex(0.22, TILTED.curvatures, 0.2)) == [False, True, False]
    assert f"{np.sqrt(0.2):.3f}" == "0.447"


def test_with_more_momentum_the_flat_direction_spirals_too():
    assert roots_are_complex(0.22, 1.0, 0.5)


def flips_sign_every_step(direction, lr=0.22, beta=0.2):
    """[35] the steep direction's "error flips sign every step" (from step 2 on: the first step keeps b = g)."""
    trace = run(TILTED, SGD(lr=lr, momentum=beta), TILTED.basis @ np.ones(3), 40)
    e = TILTED.to_eigen(trace.xs)[2:, direction]
    return bool(np.all(e[1:] * e[:-1] < 0))


def test_the_steep_direction_flips_sign_every_step():
    assert flips_sign_every_step(2)
    assert f"{float(momentum.stability_limit(10.0, 0.2)):.2f}" == "0.24"     # "its limit (2 + 2 beta)/10 = 0.24"


def test_the_flat_direction_does_not():
    assert not flips_sign_every_step(0)


def the_ends_suffice(curvatures_between, lr, beta):
    """[35] "For curvatures between mu and L the slowest is always mu or L": the rate over 200 curvatures in
    [mu, L] is never above the larger of the two ends' rates."""
    mu, L = curvatures_between
    inside = momentum.rate(lr, np.linspace(mu, L, 200), beta).max()
    return bool(inside <= max(momentum.rate(lr, mu, beta), momentum.rate(lr, L, beta)) + 1e-12)


def test_the_slowest_direction_is_an_end():
    rng = np.random.default_rng(0)
    for lr, beta in zip(rng.uniform(0.01, 3.0, 50), rng.uniform(0.0, 0.95, 50)):
        assert the_ends_suffice((0.1, 1.0), lr, beta)


def test_an_interior_curvature_alone_would_not_do():
    # the claim is about the ends: the middle curvature alone is often faster than the slowest
    assert momentum.rate(1.0, 0.55, 0.1) < max(momentum.rate(1.0, 0.1, 0.1), momentum.rate(1.0, 1.0, 0.1))


def both_ends_just_complex(lr, beta, mu=0.1, L=1.0):
    """[35] "the best is where both ends are just complex" (a double root at each end), rate sqrt(beta)."""
    disc = (1 + beta - lr * np.array([mu, L])) ** 2 - 4 * beta
    return bool(np.all(np.abs(disc) < 1e-9) and np.allclose(momentum.rate(lr, np.array([mu, L]), beta), np.sqrt(beta)))


def test_best_tuning_makes_both_ends_just_complex():
    lr, beta = momentum.best_tuning(0.1, 1.0)
    assert both_ends_just_complex(lr, beta)
    assert np.isclose(lr, (1 + np.sqrt(beta)) ** 2 / 1.0)               # "the tuning section 2 used"


def test_a_nearby_tuning_does_not():
    lr, beta = momentum.best_tuning(0.1, 1.0)
    assert not both_ends_just_complex(1.05 * lr, beta)


def no_cell_beats(rate, kappa, measured=True):
    """[40] "No grid cell beats the star: the smallest rate on the grid, predicted or measured, is above
    sqrt(beta*)" (said at kappa = 10; the measured map's error, under 0.01, can reach below it elsewhere)."""
    frame = rate_map_frame(kappa)
    return bool(frame.predicted.min() > rate and (not measured or np.nanmin(frame.measured) > rate))


def test_no_grid_cell_beats_the_best_tuning():
    assert no_cell_beats(rate_map_frame(10.0).best_rate, 10.0)
    assert f"{rate_map_frame(10.0).best_rate:.3f}" == "0.519"
    for kappa in (2.0, 100.0, 1000.0):
        assert no_cell_beats(rate_map_frame(kappa).best_rate, kappa, measured=False)


def test_many_cells_beat_plain_descents_best():
    assert not no_cell_beats((10 - 1) / (10 + 1), 10.0)


def maps_agree(kappa, predicted_by=None):
    """[40] "The two maps agree to within 0.01 wherever the runs converge" (predicted rate below 0.98)."""
    frame = rate_map_frame(kappa)
    predicted = frame.predicted if predicted_by is None else predicted_by(frame)
    ok = predicted < 0.98
    return bool(np.nanmax(np.abs(frame.measured[ok] - predicted[ok])) < 0.01)


def test_the_maps_agree_at_every_condition_number():
    assert all(maps_agree(k) for k in (2.0, 10.0, 100.0, 1000.0))


def test_the_heavy_ball_runs_do_not_follow_nesterovs_map():
    def nesterov_map(frame):
        return momentum.rate_map(frame.lrs, frame.betas, np.array([1 / frame.condition_number, 1.0]), nesterov=True)
    assert not maps_agree(10.0, nesterov_map)


def star_moves_out(kappas):
    """[40] "Raise the condition number: the star moves towards beta = 1 and eta = 4/L, and the best rate creeps
    towards 1 (0.939 at kappa = 1000)"."""
    frames = [rate_map_frame(k) for k in kappas]
    beta, lr, rate = (np.array([getattr(f, a) for f in frames]) for a in ("best_beta", "best_lr", "best_rate"))
    return bool(np.all(np.diff(beta) > 0) and np.all(np.diff(lr) > 0) and np.all(lr < 4)
                and np.all(np.diff(rate) > 0) and np.all(rate < 1))


def test_the_star_moves_out_as_kappa_grows():
    assert star_moves_out([2.0, 10.0, 100.0, 1000.0])
    assert f"{rate_map_frame(1000.0).best_rate:.3f}" == "0.939"


def test_and_back_as_it_falls():
    assert not star_moves_out([1000.0, 100.0, 10.0])
