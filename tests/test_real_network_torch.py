"""Notebook 10's digits network against torch.optim: helpers.nn's backprop, helpers.optim's updates and
helpers.descent.run's loop give the same training losses as torch (autograd, cross_entropy, torch.optim)
to 1e-9 over 300 steps, from the same weights on the same mini-batches, in float64.

The torch losses are stored in tests/data/torch_mlp.npz (tests/make_torch_reference.py --mlp writes
them), so the comparison runs without torch; a second test recomputes a shorter stretch with torch live
when it is importable."""

import importlib.util
import json
from pathlib import Path

import numpy as np
import pytest

from helpers import descent, nn
from helpers.optim import SGD, Adam, AdamW, RMSprop
from helpers.problems import MiniBatches

_spec = importlib.util.spec_from_file_location(
    "make_torch_reference", Path(__file__).with_name("make_torch_reference.py"))
ref = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(ref)

RTOL = 1e-9
CLASSES = {"SGD": SGD, "Adam": Adam, "AdamW": AdamW, "RMSprop": RMSprop}


@pytest.fixture(scope="module")
def stored():
    with np.load(ref.MLP_FILE) as f:
        return {k: f[k] for k in f.files}


@pytest.fixture(scope="module")
def setup():
    return ref.mlp_setup()


def helpers_losses(name, X, y, theta0, batches, steps=ref.MLP_STEPS):
    """The same training with the course's code: the loss on all of X after every step."""
    n_out = ref.MLP_SIZES[2]
    cls_name, kwargs = ref.MLP_CONFIGS[name]
    problem = MiniBatches(lambda p, x, t: nn.loss(p, x, t, n_out=n_out),
                          lambda p, x, t: nn.loss_and_grad(p, x, t, n_out=n_out)[1],
                          X, y, ref.MLP_BATCH, steps, indices=np.asarray(batches[:steps], dtype=int))
    trace = descent.run(problem, CLASSES[cls_name](**kwargs), theta0, steps, keep_path=False)
    assert trace.diverged_at is None
    return trace.losses


def test_stored_reference_is_the_notebooks_setting(stored, setup):
    X, y, theta0, batches = setup
    meta = json.loads(str(stored["meta_json"]))
    assert meta["steps"] == ref.MLP_STEPS and tuple(meta["sizes"]) == ref.MLP_SIZES
    assert set(meta["configs"]) == set(ref.MLP_CONFIGS) >= {"sgd_momentum", "adamw"}
    # helpers still draws the same initial weights and batches as when the file was written
    np.testing.assert_array_equal(stored["theta0"], theta0)
    np.testing.assert_array_equal(stored["batches"], batches)
    # the runs train: each loss falls from about ln 10 to well below it
    for name in ref.MLP_CONFIGS:
        losses = stored[name]
        assert losses.shape == (ref.MLP_STEPS + 1,)
        assert losses[0] == pytest.approx(np.log(10), abs=0.1) and losses[-1] < 0.3 * losses[0]


@pytest.mark.parametrize("name", sorted(ref.MLP_CONFIGS))
def test_same_losses_as_torch(stored, setup, name):
    X, y, theta0, batches = setup
    np.testing.assert_allclose(helpers_losses(name, X, y, theta0, batches), stored[name], rtol=RTOL, atol=0)


def test_the_comparison_can_fail(stored, setup):
    # a learning rate 1% off moves the losses far more than the tolerance: the test above has teeth
    X, y, theta0, batches = setup
    cls_name, kwargs = ref.MLP_CONFIGS["adamw"]
    saved = ref.MLP_CONFIGS["adamw"]
    ref.MLP_CONFIGS["adamw"] = (cls_name, dict(kwargs, lr=kwargs["lr"] * 1.01))
    try:
        moved = helpers_losses("adamw", X, y, theta0, batches, steps=50)
    finally:
        ref.MLP_CONFIGS["adamw"] = saved
    assert np.max(np.abs(moved - stored["adamw"][:51]) / stored["adamw"][:51]) > 1e3 * RTOL


def test_live_against_torch(setup):
    pytest.importorskip("torch", reason="torch not installed: the stored losses (test_same_losses_as_torch) "
                        "still ran")
    X, y, theta0, batches = setup
    for name in ("sgd_momentum", "adamw"):
        np.testing.assert_allclose(helpers_losses(name, X, y, theta0, batches, steps=60),
                                   ref.torch_mlp_losses(name, X, y, theta0, batches, steps=60),
                                   rtol=RTOL, atol=0, err_msg=name)
