"""Write tests/data/torch_reference.npz (torch.optim trajectories in float64),
tests/data/torch_onecycle.npz (OneCycleLR's learning rates) and tests/data/torch_mlp.npz (notebook 10's
digits network trained with torch.optim).

Run by a maintainer with torch installed (torch is NOT a project dependency):

    .venv/bin/pip install torch==2.13.0
    .venv/bin/python tests/make_torch_reference.py           # all three files
    .venv/bin/python tests/make_torch_reference.py --mlp     # torch_mlp.npz only

For each configuration below, torch.optim.SGD / Adagrad / RMSprop / Adam / AdamW take STEPS steps
from START on a fixed gradient field computed in NumPy (``reference_grad``),
so tests/test_optim.py can replay every run with helpers.optim, without torch,
and compare positions step by step.

The file holds one array per configuration (shape (STEPS + 1, 6), start
included), the start, the learning rates used by schedule-driven runs, the
torch version, and a JSON description of every configuration.

torch_mlp.npz: notebook 10's network (64 inputs, 16 tanh units, 10 softmax outputs, helpers.nn's layout
and initialisation) on the digits' training images (helpers.data.digits, seed 0), written out in torch
(tensors W1, b1, W2, b2 with autograd, torch.nn.functional.cross_entropy) and trained by torch.optim for
MLP_STEPS steps on the same mini-batches, float64. It stores the initial weights, the batch indices and,
for each configuration in MLP_CONFIGS, the loss on all training images after every step (start
included); tests/test_real_network_torch.py replays them with helpers.descent.run, without torch.
"""

import json
import math
from pathlib import Path

import numpy as np

STEPS = 300
START = np.array([1.5, -2.0, 0.5, 3.0, -1.0, 2.5])
CURVATURE = np.array([0.5, 1.0, 1.5, 2.0, 3.0, 4.0])
CENTRE = np.array([1.0, -1.0, 2.0, 0.0, 0.5, -0.5])
DATA_FILE = Path(__file__).parent / "data" / "torch_reference.npz"
ONE_CYCLE_FILE = Path(__file__).parent / "data" / "torch_onecycle.npz"
MLP_FILE = Path(__file__).parent / "data" / "torch_mlp.npz"

# notebook 10's network: sizes, steps, batch size, and the seeds of its weights and batches
MLP_SIZES, MLP_STEPS, MLP_BATCH, MLP_SEED = (64, 16, 10), 300, 32, 0
# name -> (torch.optim class name, keyword arguments); learning rates below each optimizer's best in
# notebook 10's sweep, where runs are not chaotic, so that 1e-9 is a meaningful tolerance
MLP_CONFIGS = {
    "sgd_momentum": ("SGD", {"lr": 0.05, "momentum": 0.9}),
    "adamw": ("AdamW", {"lr": 0.005, "weight_decay": 0.1}),
    "adam_l2": ("Adam", {"lr": 0.005, "weight_decay": 1e-3}),
    "rmsprop": ("RMSprop", {"lr": 0.002}),
}

# torch.optim.lr_scheduler.OneCycleLR (cycle_momentum off): the learning rate at every step
ONE_CYCLE_CONFIGS = {
    "default": dict(max_lr=0.1, total_steps=100),
    "linear": dict(max_lr=0.5, total_steps=37, pct_start=0.25, anneal_strategy="linear"),
    "three_phase": dict(max_lr=1.0, total_steps=200, three_phase=True, div_factor=10.0,
                        final_div_factor=100.0),
    "short_rise": dict(max_lr=0.02, total_steps=50, pct_start=0.1, div_factor=5.0),
}


def reference_loss(p):
    """f(p) = sum a_i (p_i - c_i)^2 / 2 + sum sin(2 p_i) / 2 + 0.1 sum p_i p_{i+1}."""
    return (0.5 * np.sum(CURVATURE * (p - CENTRE) ** 2) + 0.5 * np.sum(np.sin(2 * p))
            + 0.1 * np.sum(p[:-1] * p[1:]))


def reference_grad(p):
    """Gradient of reference_loss: a (p - c) + cos(2 p) + 0.1 (left + right neighbour)."""
    p = np.asarray(p, dtype=float)
    g = CURVATURE * (p - CENTRE) + np.cos(2 * p)
    g[1:] += 0.1 * p[:-1]
    g[:-1] += 0.1 * p[1:]
    return g


def warmup_cosine_lr(t, lr_max, warmup, total, lr_min=0.0):
    """Linear warmup lr_max (t+1)/W for t < W, cosine from lr_max at W to lr_min at T."""
    if t < warmup:
        return lr_max * (t + 1) / warmup
    if t >= total:
        return lr_min
    frac = (t - warmup) / (total - warmup)
    return lr_min + (lr_max - lr_min) * (1 + math.cos(math.pi * frac)) / 2


SCHEDULE = {"kind": "warmup_cosine", "lr_max": 0.08, "warmup_steps": 30,
            "total_steps": 250, "lr_min": 0.002}

# name -> (torch.optim class name, keyword arguments, schedule or None)
CONFIGS = {
    "sgd_plain": ("SGD", {"lr": 0.05}, None),
    "sgd_momentum": ("SGD", {"lr": 0.03, "momentum": 0.9}, None),
    "sgd_dampening": ("SGD", {"lr": 0.03, "momentum": 0.9, "dampening": 0.3}, None),
    "sgd_nesterov": ("SGD", {"lr": 0.03, "momentum": 0.9, "nesterov": True}, None),
    "sgd_weight_decay": ("SGD", {"lr": 0.05, "weight_decay": 0.1}, None),
    "sgd_momentum_weight_decay": ("SGD", {"lr": 0.02, "momentum": 0.8, "dampening": 0.1,
                                          "weight_decay": 0.3}, None),
    "sgd_schedule": ("SGD", {"lr": 0.0, "momentum": 0.9}, SCHEDULE),
    "adam_default": ("Adam", {}, None),
    "adam_lr": ("Adam", {"lr": 0.05}, None),
    "adam_amsgrad": ("Adam", {"lr": 0.05, "amsgrad": True}, None),
    "adam_weight_decay": ("Adam", {"lr": 0.05, "weight_decay": 0.1}, None),
    "adam_betas_eps": ("Adam", {"lr": 0.02, "betas": [0.0, 0.99], "eps": 1e-3}, None),
    "adamw_default": ("AdamW", {}, None),
    "adamw_lr": ("AdamW", {"lr": 0.05}, None),
    "adamw_amsgrad": ("AdamW", {"lr": 0.05, "weight_decay": 0.1, "amsgrad": True}, None),
    "adamw_betas_eps": ("AdamW", {"lr": 0.01, "betas": [0.8, 0.95], "eps": 1e-6,
                                  "weight_decay": 0.05}, None),
    "adamw_schedule": ("AdamW", {"lr": 0.0, "weight_decay": 0.2}, SCHEDULE),
    "adagrad_default": ("Adagrad", {}, None),
    "adagrad_all": ("Adagrad", {"lr": 0.3, "lr_decay": 0.01, "weight_decay": 0.1,
                                "initial_accumulator_value": 0.5, "eps": 1e-6}, None),
    "adagrad_schedule": ("Adagrad", {"lr": 0.0}, SCHEDULE),
    "rmsprop_default": ("RMSprop", {}, None),
    # (RMSprop near a minimum with a tiny eps steps by about lr * sign(g), a chaotic dance whose last
    # digits no two machines share; these settings keep every run contracting, so 1e-9 is meaningful)
    "rmsprop_centered": ("RMSprop", {"lr": 0.005, "alpha": 0.9, "eps": 0.1, "centered": True}, None),
    "rmsprop_momentum": ("RMSprop", {"lr": 0.005, "momentum": 0.9, "weight_decay": 0.1}, None),
    "rmsprop_centered_momentum": ("RMSprop", {"lr": 0.01, "alpha": 0.95, "eps": 0.1, "momentum": 0.8,
                                              "centered": True, "weight_decay": 0.05}, None),
    "rmsprop_schedule": ("RMSprop", {"lr": 0.0, "eps": 0.05}, SCHEDULE),
}


def schedule_lrs(schedule, steps=STEPS):
    """Learning rate for the update made at each step t = 0 .. steps-1."""
    kw = {k: v for k, v in schedule.items() if k != "kind"}
    return np.array([warmup_cosine_lr(t, kw["lr_max"], kw["warmup_steps"],
                                      kw["total_steps"], kw["lr_min"]) for t in range(steps)])


def torch_trajectory(name, steps=STEPS):
    """Positions (steps + 1, d) of torch.optim run `name` from START."""
    import torch

    cls_name, kwargs, schedule = CONFIGS[name]
    kwargs = {k: tuple(v) if k == "betas" else v for k, v in kwargs.items()}
    param = torch.tensor(START, dtype=torch.float64, requires_grad=True)
    opt = getattr(torch.optim, cls_name)([param], **kwargs)
    lrs = schedule_lrs(schedule, steps) if schedule else None
    xs = [START.copy()]
    for t in range(steps):
        if lrs is not None:
            opt.param_groups[0]["lr"] = float(lrs[t])
        param.grad = torch.from_numpy(reference_grad(param.detach().numpy().copy()))
        opt.step()
        xs.append(param.detach().numpy().copy())
    return np.array(xs)


def torch_one_cycle(name):
    """The learning rate torch's OneCycleLR gives the update at each step t = 0 .. total_steps - 1."""
    import torch

    kwargs = ONE_CYCLE_CONFIGS[name]
    param = torch.zeros(1, requires_grad=True)
    opt = torch.optim.SGD([param], lr=1.0)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, cycle_momentum=False, **kwargs)
    lrs = []
    for t in range(kwargs["total_steps"]):
        lrs.append(opt.param_groups[0]["lr"])
        opt.step()
        if t < kwargs["total_steps"] - 1:      # torch refuses to step past the last one
            sched.step()
    return np.array(lrs)


def mlp_setup():
    """What both sides share, from helpers: the training images and labels, the initial weights
    (P,) and the batch indices (MLP_STEPS, MLP_BATCH)."""
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from helpers import data, nn

    digits = data.digits(held_out=0.25, rng=MLP_SEED)
    n_in, n_hidden, n_out = MLP_SIZES
    theta0 = nn.init_params(np.random.default_rng(MLP_SEED), n_in=n_in, n_hidden=n_hidden, n_out=n_out)
    batches = data.minibatch_indices(len(digits.y), MLP_BATCH, MLP_STEPS, rng=1000 + MLP_SEED)
    return digits.X, digits.y, theta0, batches


def torch_mlp_losses(name, X, y, theta0, batches, steps=MLP_STEPS):
    """Training loss (all of X) after each of ``steps`` torch.optim steps of configuration ``name``."""
    import torch
    import torch.nn.functional as F

    n_in, n_hidden, n_out = MLP_SIZES
    cuts = np.cumsum([n_in * n_hidden, n_hidden, n_hidden * n_out])
    shapes = [(n_in, n_hidden), (n_hidden,), (n_hidden, n_out), (n_out,)]
    params = [torch.tensor(part.reshape(shape), dtype=torch.float64, requires_grad=True)
              for part, shape in zip(np.split(theta0, cuts), shapes)]
    W1, b1, W2, b2 = params
    X_all, y_all = torch.tensor(X, dtype=torch.float64), torch.tensor(y, dtype=torch.long)

    def loss_on(idx=None):
        xb, yb = (X_all, y_all) if idx is None else (X_all[idx], y_all[idx])
        return F.cross_entropy(torch.tanh(xb @ W1 + b1) @ W2 + b2, yb)

    cls_name, kwargs = MLP_CONFIGS[name]
    opt = getattr(torch.optim, cls_name)(params, **kwargs)
    with torch.no_grad():
        losses = [loss_on().item()]
    for t in range(steps):
        opt.zero_grad()
        loss_on(torch.from_numpy(np.asarray(batches[t], dtype=np.int64))).backward()
        opt.step()
        with torch.no_grad():
            losses.append(loss_on().item())
    return np.array(losses)


def write_mlp():
    import torch

    X, y, theta0, batches = mlp_setup()
    arrays = {name: torch_mlp_losses(name, X, y, theta0, batches) for name in MLP_CONFIGS}
    arrays["theta0"], arrays["batches"] = theta0, batches.astype(np.int16)
    arrays["meta_json"] = np.array(json.dumps({"torch_version": torch.__version__, "steps": MLP_STEPS,
                                               "sizes": MLP_SIZES, "batch": MLP_BATCH, "seed": MLP_SEED,
                                               "configs": MLP_CONFIGS}))
    np.savez_compressed(MLP_FILE, **arrays)
    print(f"wrote {len(MLP_CONFIGS)} loss curves of {MLP_STEPS} steps to {MLP_FILE} "
          f"({MLP_FILE.stat().st_size / 1024:.0f} KiB) with torch {torch.__version__}")


def main():
    import sys

    import torch

    if sys.argv[1:] == ["--mlp"]:          # only the network's file (it needs scikit-learn too)
        write_mlp()
        return

    cycles = {name: torch_one_cycle(name) for name in ONE_CYCLE_CONFIGS}
    cycles["meta_json"] = np.array(json.dumps({"torch_version": torch.__version__,
                                               "configs": ONE_CYCLE_CONFIGS}))
    np.savez_compressed(ONE_CYCLE_FILE, **cycles)

    arrays = {name: torch_trajectory(name) for name in CONFIGS}
    arrays["start"] = START
    arrays["schedule_lrs"] = schedule_lrs(SCHEDULE)
    meta = {"torch_version": torch.__version__, "steps": STEPS, "configs": CONFIGS}
    arrays["meta_json"] = np.array(json.dumps(meta))
    DATA_FILE.parent.mkdir(exist_ok=True)
    np.savez_compressed(DATA_FILE, **arrays)
    print(f"wrote {len(CONFIGS)} trajectories of {STEPS} steps to {DATA_FILE} "
          f"({DATA_FILE.stat().st_size / 1024:.0f} KiB) with torch {torch.__version__}")
    write_mlp()


if __name__ == "__main__":
    main()
