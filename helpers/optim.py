"""SGD, Adagrad, RMSprop, Adam and AdamW as pure functions on explicit state.

The update rules, hyperparameter names and defaults follow torch.optim's
documented algorithms, so what a reader learns here carries over.

An optimizer is a small frozen object holding hyperparameters. It never keeps
state itself: ``opt.init(params)`` returns a state value and
``opt.step(params, grads, state)`` returns ``(new_params, new_state)`` without
touching its inputs. States are frozen dataclasses, so a notebook can print
the step count, the momentum buffer, or Adam's ``m`` and ``v``.

``lr`` is a number or a schedule: a function ``t -> lr`` called with
``t = state.step`` (the number of updates already done), see helpers.schedules.
``lr`` and ``weight_decay`` may be arrays that broadcast over a leading batch
axis, e.g. shape (K, 1) for params of shape (K, d): K runs, one learning rate
each, advance together in one NumPy operation per step.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, fields
from typing import Callable, NamedTuple, Union

import numpy as np

from helpers import validation as check

LearningRate = Union[float, np.ndarray, Callable]


class SGDState(NamedTuple):
    """State of SGD: ``step`` updates done, ``momentum_buffer`` b (None until
    the first step with momentum > 0, and always None without momentum)."""

    step: int
    momentum_buffer: np.ndarray | None


class AdamState(NamedTuple):
    """State of Adam/AdamW: ``step`` updates done; running averages ``m`` of
    the gradient and ``v`` of its square; ``v_max`` the running maximum of
    ``v`` (amsgrad only, else None)."""

    step: int
    m: np.ndarray
    v: np.ndarray
    v_max: np.ndarray | None

class AdagradState(NamedTuple):
    """State of Adagrad: ``step`` updates done; ``sum`` the running sum of squared gradients."""

    step: int
    sum: np.ndarray


class RMSpropState(NamedTuple):
    """State of RMSprop: ``step`` updates done; ``square_avg`` the running mean of the squared
    gradient; ``grad_avg`` the running mean of the gradient (centered only, else None);
    ``momentum_buffer`` (momentum > 0 only, else None)."""

    step: int
    square_avg: np.ndarray
    grad_avg: np.ndarray | None
    momentum_buffer: np.ndarray | None

# States are NamedTuples: immutable values with named fields, like optax's, and cheap to build
# (a new one every step).


# ---------------------------------------------------------------- validation

def _learning_rate(lr):
    return lr if callable(lr) else check.finite_numbers("lr", lr, minimum=0)


def _lr_at(lr, step):
    """The learning rate for the update made at step ``step``."""
    if not callable(lr):
        return lr
    value = lr(step)
    if not np.all(np.isfinite(value)) or np.any(np.less(value, 0)):
        raise ValueError(f"lr schedule must return finite values >= 0, "
                         f"got lr({step})={value!r}")
    return value


def _betas(betas):
    rule = "two numbers in [0, 1)"
    if isinstance(betas, (str, bytes)) or not hasattr(betas, "__len__") or len(betas) != 2:
        check.fail("betas", betas, rule, wrong_kind=not hasattr(betas, "__len__"))
    if not all(check.is_real(b) and 0 <= b < 1 for b in betas):
        check.fail("betas", betas, rule, wrong_kind=not all(check.is_real(b) for b in betas))
    return tuple(float(b) for b in betas)


def _arrays(params, grads):
    p, g = check.as_floats("params", params), check.as_floats("grads", grads)
    if g.shape != p.shape:
        raise ValueError(f"grads must have the shape of params {p.shape}, "
                         f"got grads.shape={g.shape}")
    return p, g


def _hyperparams(opt):
    return {f.name: getattr(opt, f.name) for f in fields(opt)}


# ---------------------------------------------------------------- speed
# The update rules below are the docstrings' arithmetic, arranged for NumPy's per-call cost, which on
# small arrays (a sweep of 16 runs of 2 parameters) outweighs the arithmetic itself. Measured on
# numpy 2.4 (benchmarks/sweep.py explains and times the whole step):
#   - a ufunc with a Python float operand costs about 0.25 us more than with a 0-d array of the same
#     value, so constants are kept as 0-d arrays (same float64 value, same result bits);
#   - an op that broadcasts lr of shape (K, 1) over (K, D) costs about three same-shape ops, so an array
#     lr is spread to the parameters' shape once and kept (_Spread);
#   - np.errstate as a decorator costs half of a `with np.errstate(...)` block.
# Every op writes into a fresh array or into one it just made: the inputs are never changed.

def _const(x):
    """A float (or array) as a float64 array: a 0-d array for a number."""
    return np.array(x, dtype=float)


class _Spread:
    """An array hyperparameter (lr of shape (K, 1), say) broadcast to the parameters' shape, made
    once for the last shape seen and reused; a number stays a 0-d array."""

    def __init__(self, value):
        self.value = _const(value)
        self.shape, self.full = None, self.value

    def to(self, shape):
        if self.value.ndim == 0:
            return self.value
        if shape != self.shape:
            full = np.broadcast_to(self.value, np.broadcast_shapes(self.value.shape, shape))
            self.shape, self.full = shape, np.ascontiguousarray(full)
        return self.full


_quiet = np.errstate(over="ignore", invalid="ignore")   # a diverging run gives inf, silently


# ----------------------------------------------------------------------- SGD

@dataclass(frozen=True, eq=False)
class SGD:
    r"""Stochastic gradient descent, with optional momentum and L2 weight decay.

    One step, with p the parameters and grad the gradient of the loss::

        g = grad + weight_decay * p                 # L2 term folded into the gradient
        if momentum > 0:
            b = g                         on the first step
            b = momentum * b + (1 - dampening) * g  afterwards
            g = g + momentum * b  if nesterov  else  b
        p = p - lr * g

    Nesterov momentum needs momentum > 0 and dampening = 0. ``momentum`` may be an array
    that broadcasts over a leading batch axis, like ``lr``: shape (K, 1) gives K runs one
    momentum each (with Nesterov, every entry must be > 0).
    """

    lr: LearningRate
    momentum: float | np.ndarray = 0.0
    dampening: float = 0.0
    weight_decay: float | np.ndarray = 0.0
    nesterov: bool = False

    def __post_init__(self):
        set_ = object.__setattr__
        set_(self, "lr", _learning_rate(self.lr))
        set_(self, "momentum", check.finite_numbers("momentum", self.momentum, minimum=0))
        set_(self, "dampening", check.finite_number("dampening", self.dampening, minimum=0))
        set_(self, "weight_decay", check.finite_numbers("weight_decay", self.weight_decay, minimum=0))
        set_(self, "nesterov", check.boolean("nesterov", self.nesterov))
        set_(self, "_decay", bool(np.any(self.weight_decay)))   # checked once, not every step
        set_(self, "_neg_lr", None if callable(self.lr) else _Spread(-self.lr))
        set_(self, "_momentum", _const(self.momentum))
        set_(self, "_has_momentum", bool(np.any(self._momentum > 0)))   # an array: any run with momentum
        set_(self, "_wd", _const(self.weight_decay))
        if self.nesterov and (np.any(self._momentum <= 0) or self.dampening != 0):
            raise ValueError("nesterov=True needs momentum > 0 and dampening = 0, "
                             f"got momentum={self.momentum!r}, dampening={self.dampening!r}")

    @property
    def label(self) -> str:
        """Display name, used to pick the colour and line style of a run."""
        if self.nesterov:
            return "Nesterov"
        return "SGD + momentum" if self._has_momentum else "SGD"

    def hyperparams(self) -> dict:
        return _hyperparams(self)

    def init(self, params) -> SGDState:
        return SGDState(step=0, momentum_buffer=None)

    def step(self, params, grads, state: SGDState):
        """Return ``(new_params, new_state)``; params, grads and state are unchanged."""
        p, g = _arrays(params, grads)
        if self._neg_lr is not None:
            neg_lr = self._neg_lr.to(p.shape)
        else:
            neg_lr = _const(-_lr_at(self.lr, state.step))
        return self._update(p, g, neg_lr, state)

    @_quiet
    def _update(self, p, g, neg_lr, state):
        if self._decay:
            g = g + self._wd * p
        buf = state.momentum_buffer
        if self._has_momentum:
            if buf is None:
                buf = g.copy()
            else:
                buf = buf * self._momentum
                buf += g if self.dampening == 0 else (1 - self.dampening) * g
            g = g + self._momentum * buf if self.nesterov else buf
        new_p = g * neg_lr   # new array: never scales buf or the caller's grads in place
        new_p += p
        return new_p, SGDState(state.step + 1, buf)


# ---------------------------------------------------------------------- Adam

@_quiet
def _adam_step(p, g, state, lr, b1, b2, eps, amsgrad, one_minus):
    """Adam's moment update and parameter step (no weight decay in here).

    The same arithmetic as the docstring's, arranged to make few passes over the arrays: every
    array op writes into a fresh output (the inputs are never changed), and the two bias
    corrections are folded into scalars. With c1 = 1 - b1^t and c2 = 1 - b2^t,

        lr * (m / c1) / (sqrt(v / c2) + eps)  =  (-lr * sqrt(c2) / c1) * m / (sqrt(v) + eps * sqrt(c2))

    up to rounding in the last bits (the torch-reference tests hold it to 1e-9). ``lr`` is a 0-d
    array or an array of p's shape; ``one_minus`` is (1 - b1, 1 - b2) as 0-d arrays.
    """
    t = state.step + 1
    m = g - state.m                 # m + (1 - b1)(g - m) = b1 m + (1 - b1) g
    m *= one_minus[0]
    m += state.m
    v = np.square(g)                # b2 v + (1 - b2) g^2
    v -= state.v
    v *= one_minus[1]
    v += state.v
    v_max = np.maximum(state.v_max, v) if amsgrad else None
    root_c2 = math.sqrt(1 - b2**t)
    denom = np.sqrt(v_max if amsgrad else v)
    denom += _const(eps * root_c2)
    new_p = np.divide(m, denom, out=denom)
    new_p *= lr * _const(-root_c2 / (1 - b1**t))   # one product, so the rounding is the formula's
    new_p += p
    return new_p, AdamState(t, m, v, v_max)


def _adam_init(params, amsgrad):
    zeros = np.zeros(np.shape(params))
    return AdamState(0, zeros, zeros.copy(), zeros.copy() if amsgrad else None)


def _bias_corrected(opt, state):
    if state.step < 1:
        raise ValueError("bias correction needs at least one step, "
                         f"got state.step={state.step}")
    b1, b2 = opt.betas
    v = state.v_max if opt.amsgrad else state.v
    return state.m / (1 - b1**state.step), v / (1 - b2**state.step)


@dataclass(frozen=True, eq=False)
class Adam:
    r"""Adam, with optional L2 regularisation folded into the gradient.

    One step, t counting from 1::

        g = grad + weight_decay * p                 # L2: decay passes through m and v
        m = b1 * m + (1 - b1) * g                   # running mean of the gradient
        v = b2 * v + (1 - b2) * g**2                # running mean of its square
        v_max = max(v_max, v) and use it for v      (amsgrad only)
        m_hat = m / (1 - b1**t);  v_hat = v / (1 - b2**t)    # bias correction
        p = p - lr * m_hat / (sqrt(v_hat) + eps)

    ``bias_corrected(state)`` returns ``(m_hat, v_hat)`` for a state.
    """

    lr: LearningRate = 1e-3
    betas: tuple = (0.9, 0.999)
    eps: float = 1e-8
    weight_decay: float | np.ndarray = 0.0
    amsgrad: bool = False

    def __post_init__(self):
        set_ = object.__setattr__
        set_(self, "lr", _learning_rate(self.lr))
        set_(self, "betas", _betas(self.betas))
        set_(self, "eps", check.finite_number("eps", self.eps, minimum=0))
        set_(self, "weight_decay", check.finite_numbers("weight_decay", self.weight_decay, minimum=0))
        set_(self, "amsgrad", check.boolean("amsgrad", self.amsgrad))
        set_(self, "_decay", bool(np.any(self.weight_decay)))   # checked once, not every step
        set_(self, "_fixed_lr", None if callable(self.lr) else _Spread(self.lr))
        set_(self, "_one_minus", (_const(1 - self.betas[0]), _const(1 - self.betas[1])))
        set_(self, "_wd", _const(self.weight_decay))

    def _lr(self, shape, step):
        """The learning rate for this step, as a 0-d array or spread to the parameters' shape."""
        if self._fixed_lr is not None:
            return self._fixed_lr.to(shape)
        return _const(_lr_at(self.lr, step))

    def _adam(self, p, g, state, lr):
        return _adam_step(p, g, state, lr, *self.betas, self.eps, self.amsgrad, self._one_minus)

    @property
    def label(self) -> str:
        """Display name, used to pick the colour and line style of a run."""
        return "Adam + L2" if self._decay else "Adam"

    def hyperparams(self) -> dict:
        return _hyperparams(self)

    def init(self, params) -> AdamState:
        return _adam_init(params, self.amsgrad)

    def bias_corrected(self, state: AdamState):
        """``(m_hat, v_hat)`` = ``(m / (1 - b1**t), v / (1 - b2**t))``, t = state.step."""
        return _bias_corrected(self, state)

    def step(self, params, grads, state: AdamState):
        """Return ``(new_params, new_state)``; params, grads and state are unchanged."""
        p, g = _arrays(params, grads)
        lr = self._lr(p.shape, state.step)
        if self._decay:
            g = g + self._wd * p
        return self._adam(p, g, state, lr)


@dataclass(frozen=True, eq=False)
class AdamW(Adam):
    r"""AdamW: Adam with decoupled weight decay.

    One step: shrink the parameters first, then take Adam's step on the plain
    gradient (no L2 term, so the decay never passes through m and v)::

        p = p - lr * weight_decay * p
        then Adam's update with g = grad

    This is torch.optim.AdamW's rule. The AdamW paper (Loshchilov & Hutter,
    "Decoupled Weight Decay Regularization") writes the decay as
    p = p - eta_t * weight_decay * p with eta_t the schedule multiplier only,
    not multiplied by the learning rate; torch (and this class) multiply by lr,
    so with a schedule the two agree up to a constant rescaling of weight_decay.
    """

    weight_decay: float | np.ndarray = 1e-2

    @property
    def label(self) -> str:
        return "AdamW"

    def step(self, params, grads, state: AdamState):
        """Return ``(new_params, new_state)``; params, grads and state are unchanged."""
        p, g = _arrays(params, grads)
        lr = self._lr(p.shape, state.step)
        if self._decay:
            p = p * (1 - lr * self._wd)
        return self._adam(p, g, state, lr)


# ------------------------------------------------------------ Adagrad, RMSprop

def _checked_step(opt, params, grads, state):
    """Validate the arrays, find this step's learning rate, and let ``opt._update`` do the arithmetic."""
    p, g = _arrays(params, grads)
    return opt._update(p, g, state, _const(_lr_at(opt.lr, state.step)))


@dataclass(frozen=True, eq=False)
class Adagrad:
    r"""Adagrad: each parameter's step divided by the root of its summed squared gradients.

    One step, t counting from 1::

        g = grad + weight_decay * p                 # L2 term folded into the gradient
        clr = lr / (1 + (t - 1) * lr_decay)
        sum = sum + g**2                            # starts at initial_accumulator_value
        p = p - clr * g / (sqrt(sum) + eps)

    The sum only grows, so every parameter's step shrinks for ever: the problem RMSprop fixes.
    """

    lr: LearningRate = 1e-2
    lr_decay: float = 0.0
    weight_decay: float | np.ndarray = 0.0
    initial_accumulator_value: float = 0.0
    eps: float = 1e-10

    def __post_init__(self):
        set_ = object.__setattr__
        set_(self, "lr", _learning_rate(self.lr))
        set_(self, "lr_decay", check.finite_number("lr_decay", self.lr_decay, minimum=0))
        set_(self, "weight_decay", check.finite_numbers("weight_decay", self.weight_decay, minimum=0))
        set_(self, "initial_accumulator_value", check.finite_number(
            "initial_accumulator_value", self.initial_accumulator_value, minimum=0))
        set_(self, "eps", check.finite_number("eps", self.eps, minimum=0))
        set_(self, "_decay", bool(np.any(self.weight_decay)))
        set_(self, "_wd", _const(self.weight_decay))

    label = "Adagrad"

    def hyperparams(self) -> dict:
        return _hyperparams(self)

    def init(self, params) -> AdagradState:
        return AdagradState(0, np.full(np.shape(params), self.initial_accumulator_value, dtype=float))

    def step(self, params, grads, state: AdagradState):
        """Return ``(new_params, new_state)``; params, grads and state are unchanged."""
        return _checked_step(self, params, grads, state)

    @_quiet
    def _update(self, p, g, state, lr):
        if self._decay:
            g = g + self._wd * p
        clr = lr / (1 + state.step * self.lr_decay)     # state.step = t - 1
        total = np.square(g)
        total += state.sum
        denom = np.sqrt(total)
        denom += self.eps
        new_p = np.divide(g, denom, out=denom)
        new_p *= -clr
        new_p += p
        return new_p, AdagradState(state.step + 1, total)


@dataclass(frozen=True, eq=False)
class RMSprop:
    r"""RMSprop: Adagrad with a running mean of squared gradients instead of their sum.

    One step::

        g = grad + weight_decay * p
        v = alpha * v + (1 - alpha) * g**2          # square_avg, starts at 0
        if centered:
            a = alpha * a + (1 - alpha) * g         # grad_avg, starts at 0
            v_tilde = v - a**2                      # a variance, not a raw second moment
        else:
            v_tilde = v
        if momentum > 0:
            b = momentum * b + g / (sqrt(v_tilde) + eps);  p = p - lr * b
        else:
            p = p - lr * g / (sqrt(v_tilde) + eps)

    Unlike Adam there is no bias correction: v starts at 0, so the first steps are large.
    """

    lr: LearningRate = 1e-2
    alpha: float = 0.99
    eps: float = 1e-8
    weight_decay: float | np.ndarray = 0.0
    momentum: float = 0.0
    centered: bool = False

    def __post_init__(self):
        set_ = object.__setattr__
        set_(self, "lr", _learning_rate(self.lr))
        alpha = check.finite_number("alpha", self.alpha, minimum=0)
        if alpha >= 1:
            raise ValueError(f"alpha must be in [0, 1), got alpha={self.alpha!r}")
        set_(self, "alpha", alpha)
        set_(self, "eps", check.finite_number("eps", self.eps, minimum=0))
        set_(self, "weight_decay", check.finite_numbers("weight_decay", self.weight_decay, minimum=0))
        set_(self, "momentum", check.finite_number("momentum", self.momentum, minimum=0))
        set_(self, "centered", check.boolean("centered", self.centered))
        set_(self, "_decay", bool(np.any(self.weight_decay)))
        set_(self, "_wd", _const(self.weight_decay))
        set_(self, "_one_minus_alpha", _const(1 - alpha))

    label = "RMSprop"

    def hyperparams(self) -> dict:
        return _hyperparams(self)

    def init(self, params) -> RMSpropState:
        zeros = np.zeros(np.shape(params))
        return RMSpropState(0, zeros, zeros.copy() if self.centered else None,
                            zeros.copy() if self.momentum > 0 else None)

    def step(self, params, grads, state: RMSpropState):
        """Return ``(new_params, new_state)``; params, grads and state are unchanged."""
        return _checked_step(self, params, grads, state)

    @_quiet
    def _update(self, p, g, state, lr):
        if self._decay:
            g = g + self._wd * p
        v = np.square(g)                       # v + (1 - alpha)(g^2 - v) = alpha v + (1 - alpha) g^2
        v -= state.square_avg
        v *= self._one_minus_alpha
        v += state.square_avg
        a = None
        if self.centered:
            a = g - state.grad_avg
            a *= self._one_minus_alpha
            a += state.grad_avg
            denom = np.sqrt(v - np.square(a))
        else:
            denom = np.sqrt(v)
        denom += self.eps
        b = None
        if self.momentum > 0:
            b = state.momentum_buffer * self.momentum
            b += g / denom
            new_p = b * -lr
        else:
            new_p = np.divide(g, denom, out=denom)
            new_p *= -lr
        new_p += p
        return new_p, RMSpropState(state.step + 1, v, a, b)


# --------------------------------------------------------------------- Group

class Group:
    """Several optimizers side by side, each stepping its own rows of one batch of parameters.

    ``Group([opt_a, opt_b])`` steps row 0 with ``opt_a`` and row 1 with ``opt_b``;
    ``Group([(opt_a, 1), (opt_b, 2)])`` gives ``opt_b`` rows 1-2. It only routes rows: each update is
    the optimizer's own ``step``, and the state is the tuple of their states. Racing four optimizers
    as one batch of ``descent.run`` evaluates the gradient, the loss and the divergence check once
    per step for all of them.
    """

    def __init__(self, parts):
        if isinstance(parts, (str, bytes)) or not hasattr(parts, "__iter__"):
            check.fail("parts", parts, "a list of optimizers", wrong_kind=True)
        parts = [p if isinstance(p, tuple) else (p, 1) for p in parts]
        for opt, rows in parts:
            if not (hasattr(opt, "init") and hasattr(opt, "step")):
                check.fail("parts", opt, "optimizers (with init and step)", wrong_kind=True)
            check.integer("rows", rows, minimum=1)
        if not parts:
            raise ValueError("parts must hold at least one optimizer, got parts=[]")
        self.parts = tuple((opt, int(rows)) for opt, rows in parts)
        edges = np.cumsum([0] + [rows for _, rows in self.parts])
        self.rows = int(edges[-1])
        self.slices = tuple(slice(int(a), int(b)) for a, b in zip(edges[:-1], edges[1:]))

    def init(self, params):
        if np.shape(params)[:1] != (self.rows,):
            raise ValueError(f"params must have {self.rows} rows (one per optimizer row), "
                             f"got params.shape={np.shape(params)}")
        return tuple(opt.init(params[sl]) for (opt, _), sl in zip(self.parts, self.slices))

    def step(self, params, grads, state):
        """Return ``(new_params, new_state)``: each optimizer steps its rows."""
        new_rows, new_state = [], []
        for (opt, _), sl, st in zip(self.parts, self.slices, state):
            p, st = opt.step(params[sl], grads[sl], st)
            new_rows.append(p)
            new_state.append(st)
        return np.concatenate(new_rows), tuple(new_state)
