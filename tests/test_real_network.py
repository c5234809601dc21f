"""helpers.lessons.real_network: the batched runs of notebook 10 are the runs they stand for, the
reproducibility check tells chaotic runs from steady ones, the noise measurement agrees with its
formula, and bad input is refused naming the argument."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest

from helpers import data as data_sets
from helpers import descent, nn
from helpers.lessons import batch_noise as bn
from helpers.lessons import real_network as rn
from helpers.optim import SGD, Adam, AdamW, Group


@pytest.fixture(scope="module")
def digits():
    return rn.load(0)


def test_the_network_and_its_start(digits):
    theta = rn.init(0)
    assert theta.shape == (nn.param_count(64, rn.N_HIDDEN, 10),) == (1210,)
    np.testing.assert_array_equal(theta, rn.init(0))
    assert not np.array_equal(theta, rn.init(1))
    first = rn.evaluate(digits, theta[None])
    assert first.train_loss[0] == pytest.approx(np.log(10), abs=0.1)       # nearly equal probabilities


def test_training_lays_out_copies_of_the_seeds(digits):
    problem, starts = rn.training(digits, seeds=(3, 4), copies=3, steps=7)
    assert starts.shape == (6, 1210) and problem.indices.shape == (7, 6, rn.BATCH)
    for block in range(3):
        np.testing.assert_array_equal(starts[2 * block], rn.init(3))
        np.testing.assert_array_equal(starts[2 * block + 1], rn.init(4))
        np.testing.assert_array_equal(problem.indices[:, 2 * block], problem.indices[:, 0])
    assert not np.array_equal(problem.indices[:, 0], problem.indices[:, 1])   # each seed its own order
    np.testing.assert_array_equal(problem.indices[:, 1],
                                  data_sets.minibatch_indices(len(digits.y), rn.BATCH, 7, rng=1004))
    # the recorded loss is on the monitored sample, the same for every run
    np.testing.assert_allclose(problem.loss(starts),
                               nn.loss(starts, digits.X[:rn.MONITOR], digits.y[:rn.MONITOR], n_out=10))


def test_a_grouped_run_is_the_runs_one_at_a_time(digits):
    opts = [SGD(0.3, momentum=0.9), AdamW(0.01, weight_decay=0.1)]
    together = rn.train(digits, Group([(o, 2) for o in opts]), seeds=(0, 1), copies=2, steps=25)
    for block, opt in enumerate(opts):
        for r, seed in enumerate((0, 1)):
            alone = rn.train(digits, opt, seeds=(seed,), steps=25)
            np.testing.assert_allclose(together.final[2 * block + r], alone.final[0], rtol=1e-12, atol=1e-14)


def test_sweep_and_compare_split_their_rows_by_label(digits):
    lrs = np.array([0.01, 0.1])
    makers = {"SGD": lambda lr: SGD(lr), "Adam": lambda lr: Adam(lr)}
    scores = rn.sweep(digits, makers, lrs, steps=20)
    assert set(scores) == {"SGD", "Adam"} and scores["SGD"].train_loss.shape == (2,)
    alone = rn.evaluate(digits, rn.train(digits, Adam(0.1), steps=20).final)
    assert scores["Adam"].train_loss[1] == pytest.approx(alone.train_loss[0], rel=1e-12)
    assert scores["Adam"].held_accuracy[1] == alone.held_accuracy[0]
    compared = rn.compare(digits, {"a": SGD(0.01), "b": Adam(0.1)}, seeds=(0, 2), steps=20)
    assert compared["b"].train_loss.shape == (2,)
    assert compared["b"].train_loss[0] == pytest.approx(alone.train_loss[0], rel=1e-12)


def test_robust_tells_a_steady_run_from_a_chaotic_one(digits):
    # Adam at 0.003 contracts (a nudge of 1e-9 stays tiny); at 1.0 it is chaotic
    lrs = np.array([0.003, 1.0])
    scores, steady = rn.sweep(digits, {"Adam": lambda lr: Adam(lr)}, lrs, robust=True)
    assert steady["Adam"].tolist() == [True, False]
    # the base runs are the plain sweep's, untouched by their nudged copies
    plain = rn.sweep(digits, {"Adam": lambda lr: Adam(lr)}, lrs)
    np.testing.assert_array_equal(scores["Adam"].train_loss, plain["Adam"].train_loss)


def test_evaluate_scores_diverged_rows_as_nan(digits):
    thetas = np.stack([rn.init(0), np.full(1210, np.nan)])
    s = rn.evaluate(digits, thetas)
    assert np.isfinite(s.train_loss[0]) and np.isnan(s.train_loss[1]) and np.isnan(s.held_accuracy[1])


def test_per_example_grads_average_to_the_full_gradient(digits):
    theta = rn.init(0)
    G = rn.per_example_grads(digits, theta)
    assert G.shape == (1348, 1210)
    full = nn.loss_and_grad(theta, digits.X, digits.y, n_out=10)[1]
    np.testing.assert_allclose(G.mean(axis=0), full, rtol=1e-10, atol=1e-13)
    np.testing.assert_allclose(G[5], nn.loss_and_grad(theta, digits.X[5:6], digits.y[5:6], n_out=10)[1],
                               rtol=1e-12, atol=1e-15)


def test_batch_noise_agrees_with_its_formula_and_with_batch_noise_module():
    rng = np.random.default_rng(0)
    G = rng.normal(size=(60, 5)) * np.array([1.0, 2.0, 0.5, 3.0, 1.0])
    sizes = np.array([1, 4, 15, 59, 60])
    measured = rn.batch_noise(G, sizes, draws=4000, rng=1)
    predicted = bn.predicted_noise(G, sizes)
    np.testing.assert_allclose(measured[:4], predicted[:4], rtol=0.05)
    assert measured[-1] == pytest.approx(0.0, abs=1e-12)          # the whole data set: no noise
    slow = bn.gradient_noise(G, sizes[:3], draws=4000, rng=2)     # the (draws, B, d) way, other draws
    np.testing.assert_allclose(measured[:3], slow, rtol=0.05)


def test_ramp_and_edge():
    r = rn.ramp(1e-5, 10.0, 200)
    assert r(0) == pytest.approx(1e-5) and r(199) == pytest.approx(10.0) and r(500) == pytest.approx(10.0)
    assert r(100) / r(99) == pytest.approx(1e6 ** (1 / 199))
    # losses fall to 1 at t = 3, then pass 2 at t = 6: the rate of the step that led there, r(5)
    losses = np.array([5.0, 3.0, 2.0, 1.0, 1.5, 1.9, 2.5, np.nan])
    assert rn.edge(losses, r) == pytest.approx(float(r(5)))
    assert rn.edge(np.array([3.0, 2.0, 1.0, 0.5]), r) == pytest.approx(float(r(2)))   # never doubles
    assert rn.edge(np.array([1.0, 1.5, np.inf]), r) == pytest.approx(float(r(1)))      # a blow-up counts


def test_figures_draw_what_they_are_given(digits):
    ax = rn.show_digits(digits, per_class=2)
    assert ax.images[0].get_array().shape == (17, 89)
    assert [t.get_text() for t in ax.get_xticklabels()] == [str(c) for c in range(10)]
    lrs = np.array([0.01, 0.1, 1.0])
    ax = rn.plot_sweep(lrs, {"SGD": [1.0, 0.5, 0.8], "Adam": [0.3, 0.9, 2.0]},
                       steady={"SGD": [True, True, False], "Adam": [True, False, False]})
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["SGD", "Adam"]
    hollow = [line for line in ax.lines if line.get_markerfacecolor() == "white"]
    assert [len(line.get_xdata()) for line in hollow] == [1, 2]
    plt.close("all")


@pytest.mark.parametrize("call, name", [
    (lambda d: rn.training(d, seeds=()), "seeds"),
    (lambda d: rn.training(d, seeds=(-1,)), "seed"),
    (lambda d: rn.training(d, copies=0), "copies"),
    (lambda d: rn.training(d, batch_size=0), "batch_size"),
    (lambda d: rn.training(d, steps=0), "steps"),
    (lambda d: rn.training("digits"), "data"),
    (lambda d: rn.train(d, SGD(0.1), steps=2, nudge=float("nan")), "nudge"),
    (lambda d: rn.sweep(d, {}, [0.1]), "makers"),
    (lambda d: rn.sweep(d, {"SGD": SGD}, [0.0]), "lrs"),
    (lambda d: rn.sweep(d, {"SGD": SGD}, [0.1], robust="yes"), "robust"),
    (lambda d: rn.compare(d, [SGD(0.1)]), "optimizers"),
    (lambda d: rn.evaluate(d, np.zeros(1210)), "thetas"),
    (lambda d: rn.per_example_grads(d, np.zeros((2, 1210))), "theta"),
    (lambda d: rn.batch_noise(np.zeros((5, 2)), np.array([6])), "sizes"),
    (lambda d: rn.batch_noise(np.zeros((5, 2)), np.array([2]), draws=0), "draws"),
    (lambda d: rn.ramp(1.0, 0.5), "hi"),
    (lambda d: rn.ramp(0.0, 1.0), "lo"),
    (lambda d: rn.edge(np.array([1.0]), rn.ramp()), "losses"),
    (lambda d: rn.show_digits(d, per_class=0), "per_class"),
])
def test_bad_input_names_the_argument(digits, call, name):
    with pytest.raises(ValueError, match=name):
        call(digits)
