"""Bad input is refused, by name, before any work: a property-based test (hypothesis).

Every public function and constructor of the engine, and the public entry points of display and
lessons (frame functions with bad settings, explorers with bad keyword values), is called with one
argument replaced by a generated bad value: NaN, +-inf, a negative number, zero where it is
forbidden, a huge number, a string, None, an empty or wrongly shaped array, a value of the wrong
kind. The property:

* a value that is bad for that argument ("refuse") raises ValueError or TypeError whose message
  names the argument, and never any other exception or a warning;
* a value that may be allowed ("maybe", e.g. a huge learning rate) either raises like that or
  returns without a warning (warnings are errors here).

Hypothesis runs derandomized (the same examples on every machine and every run) with no example
database, so CI cannot flake; the whole file takes well under a minute.
"""
from __future__ import annotations

import importlib
import math
import pkgutil
import tempfile
import warnings
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pytest  # noqa: E402
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402
from hypothesis.configuration import set_hypothesis_home_dir  # noqa: E402

import helpers  # noqa: E402
from helpers import autodiff, data, descent, gradcheck, nn, optim, problems, schedules, surfaces, validation  # noqa: E402
from helpers.display import feedback, plotting, widgets  # noqa: E402
from helpers.lessons import (arena, batch_noise, batch_size_explorer, deep_linear, ema, landscapes,  # noqa: E402
                             linear_model, momentum, momentum_explorer, playground, playground_canvas,
                             schedule_explorer, step_size,
                             walker, weight_decay)

# hypothesis keeps a cache directory; keep it out of the repository (no example database is used)
set_hypothesis_home_dir(str(Path(tempfile.gettempdir()) / "downhill-hypothesis"))

for _module in pkgutil.walk_packages(helpers.__path__, "helpers."):
    importlib.import_module(_module.name)

FAST = settings(max_examples=20, deadline=None, derandomize=True, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
SLOW = settings(FAST, max_examples=5)          # calls that run a race or build a figure

# ------------------------------------------------------------------ bad values, by kind

NON_FINITE = st.sampled_from([math.nan, math.inf, -math.inf, np.float64("nan")])
WRONG_KIND = st.one_of(
    st.none(),
    st.text(max_size=6),
    st.sampled_from(["0.1", "1", "nan", b"1", [], {}, (), [1.0, 2.0], [[1.0], [1.0, 2.0]],
                     object(), True, complex(1.0, 1.0), np.array(["a", "b"]), print]),
)
HUGE = st.sampled_from([1e300, -1e300, 1e308, np.finfo(float).max])


def numbers(minimum=None, strict=False, maximum=None, below=None):
    """Values that are not a finite number in the given bounds."""
    bad = [NON_FINITE, WRONG_KIND]
    if minimum is not None:
        bad.append(st.floats(max_value=minimum, exclude_max=not strict, allow_nan=False,
                             allow_infinity=False, width=64))
        bad.append(st.integers(max_value=math.ceil(minimum) - 1, min_value=-10**6))
    if maximum is not None:
        bad.append(st.floats(min_value=maximum, exclude_min=True, allow_nan=False, allow_infinity=False))
    if below is not None:
        bad.append(st.floats(min_value=below, allow_nan=False, allow_infinity=False))
    return st.one_of(*bad)


def integers(minimum=None, maximum=None, floats_ok=False):
    """Values that are not an int in [minimum, maximum] (floats such as 3.0 too, unless floats_ok)."""
    bad = [NON_FINITE, WRONG_KIND, st.floats(allow_nan=False, allow_infinity=False).filter(
        lambda v: not float(v).is_integer())]
    if not floats_ok:
        bad.append(st.sampled_from([1.0, 3.0, np.float64(2.0)]))
    if minimum is not None:
        bad.append(st.integers(max_value=minimum - 1, min_value=minimum - 10**6))
    if maximum is not None:
        bad.append(st.integers(min_value=maximum + 1, max_value=maximum + 10**9))
    return st.one_of(*bad)


def arrays(shape_ok=None, empty_ok=False):
    """Values that are not a finite float array: None, strings, ragged lists, NaN/inf entries,
    (optionally) empty arrays, and arrays whose shape ``shape_ok`` refuses."""
    bad = [st.none(), st.text(max_size=4), st.sampled_from([[[1.0], [1.0, 2.0]], {}, object(), np.array(["x"])]),
           st.lists(NON_FINITE, min_size=1, max_size=3).map(lambda v: np.array(v + [0.0] * (2 - len(v) % 2)))]
    if not empty_ok:
        bad.append(st.sampled_from([[], np.zeros(0), np.zeros((0, 2))]))
    if shape_ok is not None:
        shapes = st.lists(st.integers(1, 3), min_size=0, max_size=3).map(tuple).filter(lambda s: not shape_ok(s))
        bad.append(shapes.map(np.ones))
    return st.one_of(*bad)


def options(valid):
    """Values that are none of ``valid``."""
    return st.one_of(WRONG_KIND, st.integers(-3, 3), st.text(max_size=8).filter(lambda v: v not in valid),
                     st.sampled_from(["volcano", "RMSprop", "Constant"]).filter(lambda v: v not in valid))


def scalar_or_array(strategy):
    """Leave out the values that an argument taking an array (or a schedule) accepts."""
    return strategy.filter(lambda v: not callable(v) and not (isinstance(v, list) and v and all(isinstance(x, float) for x in v)))


FUNCTIONS = st.one_of(WRONG_KIND.filter(lambda v: not callable(v)), st.integers(), st.floats())
ANY_FLOAT = st.one_of(st.floats(width=64), HUGE, st.floats(min_value=-1e6, max_value=1e6))

# ------------------------------------------------------------------ the property


def outcome(call):
    """Run ``call`` with warnings as errors; return the ValueError/TypeError it raised, or None."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        try:
            call()
        except (TypeError, ValueError) as error:
            return error
    return None


def assert_refused(call, name):
    error = outcome(call)
    assert error is not None, f"bad {name} was accepted"
    assert name in str(error), f"the message does not name {name!r}: {error}"


def assert_refused_or_fine(call, name):
    error = outcome(call)
    assert error is None or name in str(error), f"the message does not name {name!r}: {error}"


# ------------------------------------------------------------------ what is called

RNG = np.random.default_rng(0)
X2, Y2 = data.two_moons(40, rng=0)
THETA = nn.init_params(np.random.default_rng(0), 2, 4)
XL, YL = data.linear_regression(n=40, rng=0)
BOWL = surfaces.SURFACES["bowl"]
SQUARE = dict(f=lambda x: float(np.sum(np.square(x))), grad_f=lambda x: 2 * x)
ARENA_SETTINGS = dict(lr_sgd=0.1, lr_momentum=0.02, lr_adam=0.1, lr_adamw=0.1, momentum=0.9, beta1=0.9,
                      beta2=0.999, weight_decay=0.01, schedule="constant", warmup=0, steps=20,
                      surface="bowl")
PROBLEM = weight_decay.scaled_regression([1.0, 3.0], [1.0, -1.0], n=20, n_val=20, rng=0)
_TASK = []


def small_task():
    if not _TASK:
        _TASK.append(arena.network_task(n=40, n_hidden=4, batch_size=8, max_steps=30))
    return _TASK[0]


def surface_kwargs(**changes):
    base = dict(name="s", title="t", loss=BOWL.loss, grad=BOWL.grad, bounds=((-1, 1), (-1, 1)),
                minima=[[0.0, 0.0]], default_start=[0.5, 0.5])
    return base | changes


def minibatch_kwargs(**changes):
    base = dict(loss=linear_model.loss, grad=linear_model.grad, x=XL, y=YL, batch_size=8, steps=5, rng=0)
    return base | changes


SCENE_DATA = playground_canvas.canvas_data(steps=20, warmup=5)

# (id, function, valid keyword arguments, {argument: (strategy, "refuse" or "maybe")}, speed)
R, M = "refuse", "maybe"
CASES = [
    # --- optim
    ("SGD", optim.SGD, dict(lr=0.1), dict(lr=(scalar_or_array(numbers(0)), R), momentum=(scalar_or_array(numbers(0)), R), dampening=(numbers(0), R),
                                          weight_decay=(scalar_or_array(numbers(0)), R), nesterov=(WRONG_KIND.filter(lambda v: v is not True), R)), FAST),
    ("SGD-maybe", optim.SGD, dict(lr=0.1), dict(lr=(ANY_FLOAT, M), momentum=(ANY_FLOAT, M)), FAST),
    ("Adam", optim.Adam, dict(), dict(lr=(scalar_or_array(numbers(0)), R), eps=(numbers(0), R), weight_decay=(scalar_or_array(numbers(0)), R),
                                      betas=(st.one_of(WRONG_KIND, st.tuples(numbers(0, below=1), st.just(0.9)),
                                                       st.tuples(st.just(0.9), numbers(0, below=1))), R),
                                      amsgrad=(WRONG_KIND.filter(lambda v: v is not True), R)), FAST),
    ("AdamW", optim.AdamW, dict(), dict(lr=(scalar_or_array(numbers(0)), R), weight_decay=(scalar_or_array(numbers(0)), R)), FAST),
    ("Adagrad", optim.Adagrad, dict(), dict(lr=(scalar_or_array(numbers(0)), R), lr_decay=(numbers(0), R), eps=(numbers(0), R),
                                            initial_accumulator_value=(numbers(0), R), weight_decay=(scalar_or_array(numbers(0)), R)), FAST),
    ("RMSprop", optim.RMSprop, dict(), dict(lr=(scalar_or_array(numbers(0)), R), alpha=(numbers(0, below=1), R), eps=(numbers(0), R),
                                            momentum=(numbers(0), R), weight_decay=(scalar_or_array(numbers(0)), R),
                                            centered=(WRONG_KIND.filter(lambda v: v is not True), R)), FAST),
    ("Group", optim.Group, dict(parts=[optim.SGD(0.1)]), dict(parts=(st.one_of(WRONG_KIND.filter(lambda v: not (isinstance(v, list) and v == [1.0, 2.0])), st.just([])), R)), FAST),
    ("SGD.step", lambda params, grads: optim.SGD(0.1, momentum=0.9).step(params, grads, optim.SGD(0.1).init(params)),
     dict(params=np.ones(3), grads=np.ones(3)), dict(grads=(arrays(lambda s: s == (3,), empty_ok=True).filter(
         lambda v: not isinstance(v, np.ndarray) or v.dtype.kind != "f" or v.shape != (3,)), R),
         params=(st.one_of(st.none(), st.text(max_size=3)), R)), FAST),
    ("Adam.step", lambda params, grads: optim.Adam(0.1).step(params, grads, optim.Adam(0.1).init(np.ones(3))),
     dict(params=np.ones(3), grads=np.ones(3)), dict(grads=(st.one_of(HUGE.map(lambda v: np.full(3, v)), NON_FINITE.map(lambda v: np.full(3, v))), M)), FAST),
    # --- schedules
    ("constant", schedules.constant, dict(lr=0.1), dict(lr=(numbers(0), R)), FAST),
    ("step_decay", schedules.step_decay, dict(lr=0.1, step_size=5), dict(lr=(numbers(0), R), step_size=(integers(1), R),
                                                                           gamma=(numbers(0, strict=True, maximum=1), R)), FAST),
    ("exponential", schedules.exponential, dict(lr=0.1, gamma=0.9), dict(lr=(numbers(0), R), gamma=(numbers(0, strict=True, maximum=1), R)), FAST),
    ("cosine", schedules.cosine, dict(lr_max=0.1, total_steps=10), dict(lr_max=(numbers(0), R), total_steps=(integers(1), R),
                                                                         lr_min=(numbers(0, maximum=0.1), R)), FAST),
    ("warmup_cosine", schedules.warmup_cosine, dict(lr_max=0.1, warmup_steps=2, total_steps=10),
     dict(lr_max=(numbers(0), R), warmup_steps=(integers(0, 9), R), total_steps=(integers(3), R)), FAST),
    ("one_cycle", schedules.one_cycle, dict(max_lr=0.1, total_steps=100),
     dict(max_lr=(numbers(0), R), total_steps=(integers(2), R), pct_start=(numbers(0, strict=True, maximum=1), R),
          anneal_strategy=(options(["cos", "linear"]), R), div_factor=(numbers(0, strict=True), R),
          final_div_factor=(numbers(0, strict=True), R), three_phase=(WRONG_KIND.filter(lambda v: v is not True), R)), FAST),
    # t may be an array of steps, and an empty one is fine (no steps, no rates): not a bad value here
    ("Schedule(t)", lambda t: schedules.cosine(0.1, 10)(t), dict(t=3), dict(t=(st.one_of(NON_FINITE, WRONG_KIND.filter(
        lambda v: not isinstance(v, (list, tuple)) or (len(v) > 0 and isinstance(v[0], list))), st.integers(-10**6, -1)), R)), FAST),
    # --- surfaces
    ("Surface", surfaces.Surface, surface_kwargs(),
     dict(bounds=(st.one_of(WRONG_KIND, st.sampled_from([((1, -1), (0, 1)), ((0, 1), (2, 2)), ((0, math.nan), (0, 1)),
                                                         ((0, 1),), ((0, 1), (0, 1), (0, 1)), ((-math.inf, 1), (0, 1))])), R),
          minima=(st.sampled_from([[[math.nan, 0.0]], [[0.0, math.inf]], "abc", None, [[0.0, 1.0, 2.0]], [[1.0], [1.0, 2.0]]]), R),
          default_start=(arrays(lambda s: s == (2,)), R), max_curvature=(numbers(0, strict=True).filter(lambda v: v is not None), R),
          loss=(FUNCTIONS, R), grad=(FUNCTIONS, R)), FAST),
    ("quadratic", surfaces.quadratic, dict(), dict(a=(numbers(0, strict=True), R), b=(numbers(0, strict=True), R), angle=(numbers(), R)), FAST),
    ("bowl", surfaces.bowl, dict(condition_number=10.0), dict(condition_number=(numbers(1), R), max_curvature=(numbers(0, strict=True), R)), FAST),
    ("surface.loss", lambda points: BOWL.loss(points), dict(points=np.zeros(2)),
     dict(points=(st.one_of(st.none(), st.text(max_size=3), st.sampled_from([[[1.0], [1.0, 2.0]], 3.0, np.ones(3), np.ones((2, 3))])), R)), FAST),
    ("surface.loss-huge", lambda points: BOWL.grad(points), dict(points=np.zeros(2)),
     dict(points=(st.one_of(HUGE, NON_FINITE).map(lambda v: np.full(2, v)), M)), FAST),
    # --- descent
    ("run", descent.run, dict(problem=BOWL, optimizer=optim.SGD(0.1), x0=[1.0, 1.0], steps=5),
     dict(x0=(arrays(lambda s: len(s) in (1, 2)), R), steps=(integers(0), R), max_loss=(st.one_of(st.just(math.nan), WRONG_KIND), R),
          problem=(WRONG_KIND, R), optimizer=(WRONG_KIND, R)), FAST),
    ("run-huge-steps", descent.run, dict(problem=BOWL, optimizer=optim.SGD(0.1), x0=[1.0, 1.0], steps=5),
     dict(steps=(st.integers(10**9, 10**12), R)), FAST),
    ("Trace.single", lambda k: descent.run(BOWL, optim.SGD(0.1), np.ones((2, 2)), 3).single(k), dict(k=0),
     dict(k=(st.one_of(integers(-2, 1), st.integers(2, 100)), R)), FAST),
    # --- problems
    ("MiniBatches", problems.MiniBatches, minibatch_kwargs(),
     dict(batch_size=(integers(1, 40), R), steps=(integers(1), R), x=(arrays(), R), y=(arrays(), R), loss=(FUNCTIONS, R),
          runs=(integers(1).filter(lambda v: v is not None), R)), FAST),
    ("NoisyGradient", problems.NoisyGradient, dict(surface=BOWL, sigma=0.1),
     dict(sigma=(numbers(0), R), runs=(integers(1), R), rng=(st.one_of(st.text(max_size=3), st.integers(-100, -1), st.floats()), R),
          surface=(WRONG_KIND, R)), FAST),
    # --- gradcheck
    ("forward_difference", gradcheck.forward_difference, dict(f=SQUARE["f"], x=np.ones(2)),
     dict(h=(numbers(0, strict=True), R), x=(arrays(empty_ok=True), R), f=(FUNCTIONS, R)), FAST),
    ("central_difference", gradcheck.central_difference, dict(f=SQUARE["f"], x=np.ones(2)),
     dict(h=(numbers(0, strict=True), R), x=(arrays(empty_ok=True), R)), FAST),
    ("check_gradient", gradcheck.check_gradient, dict(SQUARE, x=np.ones(2)),
     dict(tol=(numbers(0), R), h=(numbers(0, strict=True), R), x=(arrays(empty_ok=True), R), grad_f=(FUNCTIONS, R)), FAST),
    ("relative_error", gradcheck.relative_error, dict(a=np.ones(2), b=np.ones(2)),
     dict(b=(st.one_of(st.none(), st.text(max_size=3), st.sampled_from([np.ones(3), np.ones((2, 2)), [[1.0], [1.0, 2.0]]])), R)), FAST),
    # --- autodiff
    ("Var", autodiff.Var, dict(value=1.0), dict(value=(numbers(), R)), FAST),
    ("Var**k", lambda k: autodiff.Var(2.0) ** k, dict(k=2), dict(k=(numbers(), R)), FAST),
    ("Var-huge", lambda value: (autodiff.Var(value) ** 3).exp(), dict(value=2.0), dict(value=(HUGE, M)), FAST),
    # --- nn
    ("param_count", nn.param_count, dict(n_in=2, n_hidden=3), dict(n_in=(integers(1), R), n_hidden=(integers(1), R), n_out=(integers(1), R)), FAST),
    ("init_params", nn.init_params, dict(rng=np.random.default_rng(0), n_hidden=3),
     dict(rng=(st.one_of(WRONG_KIND, st.integers(0, 5)), R), n_in=(integers(1), R), runs=(integers(1).filter(lambda v: v is not None), R)), FAST),
    ("pack", nn.pack, dict(W1=np.ones((2, 3)), b1=np.ones(3), W2=np.ones((3, 1)), b2=np.ones(1)),
     dict(W1=(st.one_of(st.none(), st.text(max_size=2), st.sampled_from([np.ones((2, 4)), np.ones(3), np.ones((1, 2, 3))])), R),
          W2=(st.sampled_from([np.ones((4, 1)), np.ones(3), None, "x"]), R), b2=(st.sampled_from([np.ones((2, 1)), 1.0, None, "x"]), R)), FAST),
    ("unpack", nn.unpack, dict(theta=THETA, sizes=(2, 4, 1)),
     dict(sizes=(st.one_of(WRONG_KIND, st.sampled_from([(2, 4), (2, 4, 1, 1), (3, 4, 1)])), R),
          theta=(st.one_of(st.none(), st.text(max_size=2), st.sampled_from([np.ones(5), np.ones((2, 2, 17))])), R)), FAST),
    ("forward", nn.forward, dict(theta=THETA, X=X2), dict(X=(arrays(lambda s: len(s) == 2 and s[-1] == 2), R),
                                                           theta=(st.one_of(st.none(), st.text(max_size=2), st.sampled_from([np.ones(6), np.ones(()), np.ones((1, 2, 17))])), R)), FAST),
    ("loss", nn.loss, dict(theta=THETA, X=X2, y=Y2), dict(X=(st.sampled_from([np.zeros((0, 2)), None, "x", np.ones(3)]), R),
                                                          y=(st.one_of(st.none(), st.text(max_size=2), st.sampled_from([np.ones(3), Y2 + 0.5, np.zeros(0)])), R)), FAST),
    ("loss_and_grad", nn.loss_and_grad, dict(theta=THETA, X=X2, y=Y2), dict(y=(st.sampled_from([np.ones(3), Y2 * 2, None, "x"]), R)), FAST),
    ("accuracy", nn.accuracy, dict(theta=THETA, X=X2, y=Y2), dict(y=(st.sampled_from([np.ones(3), Y2 * 2, None]), R)), FAST),
    # --- data
    ("as_generator", data.as_generator, dict(rng=0), dict(rng=(st.one_of(st.integers(-10**6, -1), st.floats(), st.text(max_size=2), st.just(True)), R)), FAST),
    ("linear_regression", data.linear_regression, dict(n=10),
     dict(n=(integers(1), R), slope=(numbers(), R), intercept=(numbers(), R), noise=(numbers(0), R),
          x_range=(st.one_of(WRONG_KIND.filter(lambda v: not (isinstance(v, list) and v == [1.0, 2.0])), st.sampled_from([(1.0, 1.0), (2.0, -1.0), (0.0, math.inf), (0.0,), (0, 1, 2)])), R)), FAST),
    ("two_moons", data.two_moons, dict(n=10), dict(n=(integers(2), R), noise=(numbers(0), R)), FAST),
    ("steps_per_epoch", data.steps_per_epoch, dict(n=10, batch_size=3), dict(n=(integers(1), R), batch_size=(integers(1), R)), FAST),
    ("minibatches", data.minibatches, dict(n=10, batch_size=3),
     dict(n=(integers(3), R), batch_size=(integers(1, 10), R), epochs=(integers(1).filter(lambda v: v is not None), R),
          drop_last=(st.one_of(WRONG_KIND.filter(lambda v: v is not True), st.integers()), R)), FAST),
    ("minibatch_indices", data.minibatch_indices, dict(n=10, batch_size=3, steps=4),
     dict(steps=(integers(1), R), runs=(integers(1).filter(lambda v: v is not None), R), batch_size=(integers(1, 10), R)), FAST),
    # --- display
    ("Feedback", feedback.Feedback, dict(ok=True, message="m"), dict(ok=(st.one_of(st.text(max_size=2), st.integers(), st.floats()), R),
                                                                      message=(st.one_of(st.none(), st.integers(), st.floats()), R)), FAST),
    ("check_number", feedback.check_number, dict(answer=1.0, right=1.0, correct_message="ok"),
     dict(right=(numbers(), R), correct_message=(st.one_of(st.none(), st.integers()), R)), FAST),
    ("Coalescer", widgets.Coalescer, dict(callback=print), dict(min_interval=(numbers(0), R), callback=(FUNCTIONS, R)), FAST),
    ("style_for", plotting.style_for, dict(label_or_optimizer="SGD"), dict(label_or_optimizer=(options(list(plotting.OPTIMIZER_STYLES)), R)), FAST),
    ("surface_grid", plotting.surface_grid, dict(surface=BOWL, resolution=10), dict(resolution=(integers(10), R)), FAST),
    ("fog_alpha", plotting.fog_alpha, dict(X=np.zeros((2, 2)), Y=np.zeros((2, 2)), positions=np.zeros((1, 2)), radius=0.5),
     dict(radius=(numbers(0, strict=True), R)), FAST),
    ("plot_path", lambda xs: plotting.plot_path(xs, "SGD", ax=_ax()), dict(xs=np.zeros((3, 2))),
     dict(xs=(st.one_of(st.none(), st.text(max_size=2), st.sampled_from([np.zeros(3), np.zeros((3, 3))])), R)), SLOW),
    ("loss_curves", lambda curves: plotting.loss_curves(curves, ax=_ax()), dict(curves={"SGD": [1.0, 0.5]}),
     dict(curves=(st.one_of(WRONG_KIND.filter(lambda v: v != ()), st.just({})), R)), SLOW),
    ("schedule_plot", lambda schedule, steps: plotting.schedule_plot(schedule, steps, ax=_ax()), dict(schedule=schedules.constant(0.1), steps=5),
     dict(schedule=(FUNCTIONS, R), steps=(integers(1), R)), SLOW),
    ("contour", lambda levels: plotting.contour(BOWL, ax=_ax(), levels=levels, resolution=10), dict(levels=None),
     dict(levels=(st.one_of(st.text(max_size=2).filter(bool), st.sampled_from([1, [1.0], [2.0, 1.0], [[1.0, 2.0]], [math.nan, 1.0]])), R)), SLOW),
    ("surface_3d", lambda clip_quantile: plotting.surface_3d(BOWL, ax=_ax("3d"), resolution=10, clip_quantile=clip_quantile),
     dict(clip_quantile=0.9), dict(clip_quantile=(numbers(0, strict=True, maximum=1), R)), SLOW),
    ("encode", lambda image_format: widgets.BlitCanvas.encode(np.zeros((2, 2, 4), dtype=np.uint8), image_format),
     dict(image_format="png"), dict(image_format=(options(["jpeg", "png"]), R)), FAST),
    # --- lessons
    ("linear_model.loss", lambda p: linear_model.loss(p, XL, YL), dict(p=[1.0, 0.0]),
     dict(p=(st.sampled_from([None, "x", 1.0, [1.0, 2.0, 3.0], np.ones((2, 3))]), R)), FAST),
    ("deep_linear.loss", lambda p: deep_linear.loss(p, XL, YL), dict(p=[1.0, 1.0]),
     dict(p=(st.sampled_from([None, "x", 1.0, [1.0, 2.0, 3.0], np.ones((2, 3))]), R)), FAST),
    ("arena_schedule", arena.arena_schedule, dict(lr=0.1, warmup=2, steps=10),
     dict(lr=(numbers(0), R), schedule=(options(arena.SCHEDULES), R), warmup=(integers(0, 9), R), steps=(integers(3), R)), FAST),
    ("make_optimizers", arena.make_optimizers, dict(), dict(lr_sgd=(numbers(0), R), momentum=(numbers(0), R), beta1=(numbers(0, below=1), R),
                                                            beta2=(numbers(0, below=1), R), weight_decay=(scalar_or_array(numbers(0)), R)), FAST),
    ("surface_frame", lambda **kw: arena.surface_frame(ARENA_SETTINGS | kw), dict(),
     dict(surface=(options(sorted(surfaces.SURFACES)), R), steps=(integers(1), R), lr_sgd=(numbers(0), R),
          schedule=(options(arena.SCHEDULES), R), warmup=(integers(0, 19), R), beta2=(numbers(0, below=1), R)), FAST),
    ("surface_frame-settings", arena.surface_frame, dict(settings=ARENA_SETTINGS), dict(settings=(WRONG_KIND, R)), FAST),
    ("network_frame", lambda task, **kw: arena.network_frame(ARENA_SETTINGS | kw, small_task() if task is None else task), dict(task=None),
     dict(steps=(st.one_of(integers(1), st.integers(31, 1000)), R), task=(st.one_of(st.text(max_size=2), st.integers()), R)), SLOW),
    ("race_surface", arena.race_surface, dict(surface=BOWL, optimizers={"SGD": optim.SGD(0.1)}, steps=5),
     dict(steps=(integers(1), R), start=(arrays(lambda s: s == (2,)).filter(lambda v: v is not None), R),
          optimizers=(st.one_of(WRONG_KIND, st.just({})), R)), FAST),
    ("lr_sweep", arena.lr_sweep, dict(task=BOWL, make_optimizer=optim.SGD, lrs=[0.1, 0.2], steps=5),
     dict(lrs=(arrays(lambda s: len(s) == 1), R), steps=(integers(1), R), make_optimizer=(FUNCTIONS, R), nudge=(numbers(), R)), FAST),
    ("good_range", arena.good_range, dict(lrs=[0.1, 0.2], losses=[1.0, 2.0], threshold=1.5),
     dict(lrs=(st.sampled_from([None, "x", [[0.1], [0.2, 0.3]], [math.nan, 0.1], np.ones((2, 2))]), R),
          losses=(st.sampled_from([None, "x", [1.0], np.ones(3)]), R), threshold=(numbers(), R)), FAST),
    ("playground_frame", playground.playground_frame, dict(steps=20, warmup=5),
     dict(surface=(options(sorted(surfaces.SURFACES)), R), schedule=(options(sorted(playground.SCHEDULES)), R),
          steps=(integers(6, 100_000), R), warmup=(integers(0), R), lr=(numbers(0, strict=True), R),
          momentum=(numbers(0), R), beta1=(numbers(0, below=1), R), beta2=(numbers(0, below=1), R),
          weight_decay=(numbers(0), R), optimizers=(st.one_of(WRONG_KIND.filter(lambda v: v not in ([], ())), st.just(("RMSprop",))), R),
          start=(arrays(lambda s: s == (2,)).filter(lambda v: v is not None), R), fog=(WRONG_KIND.filter(lambda v: v is not True), R)), FAST),
    ("playground_frame-maybe", playground.playground_frame, dict(steps=20, warmup=5, optimizers=("SGD", "Adam")),
     dict(lr=(ANY_FLOAT, M), momentum=(ANY_FLOAT, M), weight_decay=(ANY_FLOAT, M), start=(st.tuples(ANY_FLOAT, ANY_FLOAT), M)), FAST),
    ("canvas_data", playground_canvas.canvas_data, dict(steps=20, warmup=5),
     dict(surface=(options(sorted(surfaces.SURFACES)), R), steps=(integers(6, 100_000), R), lr=(numbers(0, strict=True), R),
          lang=(options(["en", "pt", "zh", "fr", "hi"]), R), momentum=(numbers(0), R)), FAST),
    ("background", playground_canvas.background, dict(surface_name="bowl", steps=20),
     dict(surface_name=(options(sorted(surfaces.SURFACES)), R), steps=(integers(1), R),
          lang=(options(["en", "pt", "zh", "fr", "hi"]), R)), FAST),
    ("scene", playground_canvas.scene, dict(data=SCENE_DATA, lr=0.01, lr_mode="shared", show_step=3),
     dict(data=(st.one_of(WRONG_KIND, st.just({"steps": 3})), R), lr=(numbers(0, strict=True), R),
          lr_mode=(options(sorted(playground.LR_MODES)), R), show_step=(integers(floats_ok=False), R)), FAST),
    ("formula_text", playground_canvas.formula_text, dict(title="$x^2$"), dict(title=(WRONG_KIND.filter(lambda v: not isinstance(v, str)), R)), FAST),
    ("format_2g", playground_canvas.format_2g, dict(value=0.5), dict(value=(numbers(), R)), FAST),
    ("learning_rates", playground.learning_rates, dict(schedule="cosine", lr=0.1, warmup=2, steps=10),
     dict(schedule=(options(sorted(playground.SCHEDULES)), R), lr=(numbers(0), R), steps=(integers(1), R)), FAST),
    ("walk_downhill", walker.walk_downhill, dict(x0=1.0),
     dict(x0=(numbers(), R), lr=(numbers(0), R), steps=(integers(0, floats_ok=True), R), limit=(numbers(0, strict=True), R)), FAST),
    ("walk_downhill-maybe", walker.walk_downhill, dict(x0=1.0, steps=20), dict(x0=(ANY_FLOAT, M), lr=(ANY_FLOAT, M)), FAST),
    ("fog_walk_frame", walker.fog_walk_frame, dict(x0=1.0, lr=0.05, step=3),
     dict(x0=(numbers(), R), lr=(numbers(0), R), step=(integers(0, floats_ok=True), R)), FAST),
    ("scaled_regression", weight_decay.scaled_regression, dict(scales=[1.0, 2.0], w_true=[1.0, 1.0], n=10, n_val=10),
     dict(scales=(arrays(lambda s: len(s) == 1), R), w_true=(arrays(lambda s: s == (2,)), R), n=(integers(1), R),
          n_val=(integers(1), R), noise=(numbers(0), R)), FAST),
    ("ridge", PROBLEM.ridge, dict(lam=0.1), dict(lam=(numbers(0), R)), FAST),
    ("box", lambda bound: PROBLEM.box(bound, steps=5), dict(bound=1.0), dict(bound=(numbers(0, strict=True), R)), FAST),
    ("lr_wd_grid", lambda **kw: weight_decay.lr_wd_grid(PROBLEM, lambda lr, wd: optim.SGD(lr, weight_decay=wd), steps=5, **kw),
     dict(lrs=[0.1], weight_decays=[0.0, 0.1]), dict(lrs=(arrays(lambda s: len(s) == 1), R), weight_decays=(arrays(lambda s: len(s) == 1), R)), FAST),
    ("Parabola", step_size.Parabola, dict(), dict(curvature=(numbers(0, strict=True), R), centre=(numbers(), R)), FAST),
    ("step_size.lr_sweep", step_size.lr_sweep, dict(surface=BOWL, lrs=[0.1], x0=[1.0, 1.0], steps=5),
     dict(lrs=(arrays(empty_ok=False), R), x0=(arrays(lambda s: s == (2,)), R), steps=(integers(0), R)), FAST),
    ("limit_frame", step_size.limit_frame, dict(lr=0.1, steps=5), dict(lr=(numbers(0, strict=True), R), steps=(integers(0), R)), FAST),
    ("zigzag_frame", step_size.zigzag_frame, dict(kappa=5.0, steps=5, best=False),
     dict(kappa=(numbers(1), R), lr_times_L=(numbers(0, strict=True), R), steps=(integers(0), R)), FAST),
    ("basin_labels", landscapes.basin_labels, dict(points=np.zeros((3, 2)), minima=[[0.0, 0.0]]),
     dict(tol=(numbers(0, strict=True), R), points=(st.sampled_from([None, "x", np.zeros(3), np.zeros((2, 3))]), R),
          minima=(st.sampled_from([None, "x", [[0.0, math.nan]], [[0.0, 1.0, 2.0]]]), R)), FAST),
    ("basin_map", lambda **kw: landscapes.basin_map(BOWL, **({"steps": 3, "resolution": 3} | kw)), dict(),
     dict(resolution=(integers(2), R), lr=(numbers(0, strict=True), R), tol=(numbers(0, strict=True), R), steps=(integers(0), R)), FAST),
    ("fog_frame", landscapes.fog_frame, dict(max_steps=20, step=3),
     dict(surface_name=(options(sorted(surfaces.SURFACES)), R), step=(integers(0, 20), R), lr=(numbers(0, strict=True), R),
          start=(arrays(lambda s: s == (2,)), R)), FAST),
    ("ema", ema.ema, dict(values=[1.0, 2.0], beta=0.5), dict(beta=(numbers(0, below=1), R), values=(st.sampled_from([None, "x", [], [[1.0], [1.0, 2.0]]]), R),
                                                             debias=(WRONG_KIND.filter(lambda v: v is not True), R)), FAST),
    ("ema_weights", ema.ema_weights, dict(beta=0.5, t=3), dict(beta=(numbers(0, below=1), R), t=(integers(1), R)), FAST),
    ("memory", ema.memory, dict(beta=0.5), dict(beta=(numbers(0, below=1), R)), FAST),
    ("momentum.rate", momentum.rate, dict(lr=0.1, curvature=1.0), dict(lr=(scalar_or_array(numbers(0)), R), curvature=(scalar_or_array(numbers(0, strict=True)), R),
                                                                       beta=(scalar_or_array(numbers(0, below=1)), R)), FAST),
    ("stability_limit", momentum.stability_limit, dict(curvature=1.0), dict(curvature=(scalar_or_array(numbers(0, strict=True)), R), beta=(scalar_or_array(numbers(0, below=1)), R)), FAST),
    ("best_momentum", momentum.best_momentum, dict(condition_number=4.0), dict(condition_number=(scalar_or_array(numbers(1)), R)), FAST),
    ("nesterov_rate", momentum.nesterov_rate, dict(lr=0.1, curvature=1.0, beta=0.5), dict(lr=(scalar_or_array(numbers(0)), R), curvature=(scalar_or_array(numbers(0, strict=True)), R),
                                                                                     beta=(scalar_or_array(numbers(0, below=1)), R)), FAST),
    ("nesterov_limit", momentum.nesterov_limit, dict(curvature=1.0, beta=0.5), dict(curvature=(scalar_or_array(numbers(0, strict=True)), R), beta=(scalar_or_array(numbers(0, below=1)), R)), FAST),
    ("direction_map", momentum.direction_map, dict(lr=0.1, curvature=1.0, beta=0.5), dict(lr=(scalar_or_array(numbers(0)), R), curvature=(scalar_or_array(numbers(0, strict=True)), R),
                                                                                     beta=(scalar_or_array(numbers(0, below=1)), R), nesterov=(WRONG_KIND.filter(lambda v: v is not True), R)), FAST),
    ("spectral_radius", momentum.spectral_radius, dict(matrices=np.eye(2)), dict(matrices=(st.sampled_from([None, "x", [], np.ones(2), np.ones((3, 3)), np.full((2, 2), math.nan)]), R)), FAST),
    ("rate_map", momentum.rate_map, dict(lrs=[0.1, 0.2], betas=[0.0, 0.5], curvatures=[0.1, 1.0]),
     dict(lrs=(st.sampled_from([None, "x", [], [[0.1]], [-0.1], [math.nan]]), R), betas=(st.sampled_from([None, [], [1.0], [-0.1], [[0.5]]]), R),
          curvatures=(st.sampled_from([None, [], [0.0], [-1.0], [math.inf]]), R)), FAST),
    ("best_tuning", momentum.best_tuning, dict(mu=0.1, L=1.0), dict(mu=(st.one_of(numbers(0, strict=True), st.just(2.0)), R), L=(scalar_or_array(numbers(0, strict=True)), R)), FAST),
    ("lookahead_steps", momentum.lookahead_steps, dict(grad=np.negative, point=[1.0, 0.0], velocity=[0.0, 1.0], lr=0.1, beta=0.5),
     dict(grad=(FUNCTIONS, R), point=(arrays(lambda s: len(s) == 1 and s[0] > 0), R), velocity=(arrays(lambda s: s == (2,)), R),
          lr=(numbers(0), R), beta=(numbers(0, below=1), R)), FAST),
    ("RotatedQuadratic", momentum.RotatedQuadratic, dict(curvatures=[1.0, 4.0]), dict(curvatures=(st.sampled_from([None, "x", [], [0.0, 1.0], [[1.0]], [math.nan]]), R),
                                                                                   seed=(integers(0), R)), FAST),
    ("envelope_rate", momentum.envelope_rate, dict(values=np.ones(50), first=10, last=40, window=5),
     dict(first=(integers(1, 48), R), last=(integers(11, 49), R), window=(integers(1, 11), R), values=(st.sampled_from([None, "x"]), R)), FAST),
    ("rate_map_frame", momentum_explorer.rate_map_frame, dict(condition_number=10.0, lr=1.0, beta=0.5, n_lr=4, n_beta=3),
     dict(condition_number=(numbers(1, maximum=1e6), R), lr=(numbers(0, strict=True, maximum=4.0), R), beta=(numbers(0, maximum=0.96), R),
          n_lr=(integers(2, 400), R), n_beta=(integers(2, 400), R)), FAST),
    ("measured_rate_map", momentum_explorer.measured_rate_map, dict(condition_number=10.0, n_lr=4, n_beta=3),
     dict(condition_number=(numbers(1, maximum=1e6), R), n_lr=(integers(2, 400), R), n_beta=(integers(2, 400), R)), FAST),
    ("best_plain_lr", momentum.best_plain_lr, dict(mu=0.1, L=1.0), dict(mu=(scalar_or_array(numbers(0, strict=True)), R), L=(scalar_or_array(numbers(0, strict=True)), R)), FAST),
    ("batch_gradient_errors", batch_noise.batch_gradient_errors, dict(per_example_grads=np.ones((5, 2)), batch_size=2, draws=3),
     dict(per_example_grads=(st.sampled_from([None, "x", np.ones(3), np.ones((1, 2))]), R), batch_size=(integers(1, 5), R),
          draws=(integers(1), R)), FAST),
    ("gradient_noise", batch_noise.gradient_noise, dict(per_example_grads=np.ones((5, 2)), batch_sizes=[1, 2], draws=3),
     dict(batch_sizes=(st.sampled_from([None, "x", [0], [6], [1.5], [], [[1]]]), R)), FAST),
    ("tilted_examples", batch_noise.tilted_examples, dict(surface=BOWL, errors=np.ones((3, 2))),
     dict(errors=(st.sampled_from([None, "x", np.ones((1, 2)), np.ones((3, 3)), np.full((3, 2), math.nan)]), R)), FAST),
    ("batch_size_frame", batch_size_explorer.batch_size_frame, dict(x=XL, y=YL, batch_size=8, lr=0.1, examples=40),
     dict(batch_size=(integers(1, 40), R), lr=(numbers(0), R), examples=(integers(1), R), start=(arrays(lambda s: s == (2,)), R)), FAST),
    ("make_schedule", schedule_explorer.make_schedule, dict(peak_lr=0.1, warmup_steps=2, total_steps=10),
     dict(peak_lr=(numbers(0), R), warmup_steps=(integers(0, 9), R), total_steps=(integers(3), R)), FAST),
]


def _ax(projection=None):
    """A fresh Agg axes for each call (closed straight away by the fixture below)."""
    import matplotlib.pyplot as plt
    return plt.figure().add_subplot(projection=projection)


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    import matplotlib.pyplot as plt
    plt.close("all")


PARAMS = [pytest.param(fn, base, name, strategy, mode, id=f"{cid}:{name}")
          for cid, fn, base, args, speed in CASES for name, (strategy, mode) in args.items()]
SPEED = {f"{cid}:{name}": speed for cid, fn, base, args, speed in CASES for name in args}


def test_every_case_is_callable_with_its_valid_arguments():
    """The base arguments are valid, so a refusal below is due to the one bad value."""
    for cid, fn, base, args, speed in CASES:
        assert outcome(lambda: fn(**base)) is None, cid


@pytest.mark.parametrize("fn, base, name, strategy, mode", PARAMS)
def test_bad_value_is_refused_by_name(fn, base, name, strategy, mode, request):
    speed = SPEED[request.node.callspec.id]

    @speed
    @given(value=strategy)
    def check(value):
        call = lambda: fn(**(base | {name: value}))  # noqa: E731
        (assert_refused if mode == R else assert_refused_or_fine)(call, name)

    check()


# ------------------------------------------------------------------ explorers

def _subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


EXPLORERS = sorted(set(_subclasses(widgets.Explorer)), key=lambda c: c.__name__)


def _build(cls, **initial):
    if cls.__name__ == "BatchSizeExplorer":
        return cls(XL, YL, examples=200, **initial)
    if cls.__name__ == "ScheduleExplorer":
        return cls(XL, YL, start=(3.0, 2.5), batch_size=20, **initial)
    return cls(**initial)


_CONTROLS = {}


def _controls(cls):
    """Control name -> widget of an explorer class, read once from make_controls (no figure)."""
    if cls not in _CONTROLS:
        probe = cls.__new__(cls)
        if cls.__name__ == "NetworkArena":
            probe.task = None
        try:
            _CONTROLS[cls] = probe.make_controls()
        except AttributeError:   # make_controls needs the constructor's state: build one
            _CONTROLS[cls] = _build(cls).controls
    return _CONTROLS[cls]


EXPLORER_PARAMS = [pytest.param(cls, id=cls.__name__) for cls in EXPLORERS]
BAD_CONTROL = st.one_of(NON_FINITE, WRONG_KIND, HUGE, st.sampled_from(["volcano", -1, 10**9]))


@pytest.mark.parametrize("cls", EXPLORER_PARAMS)
def test_explorer_refuses_a_bad_keyword_value_by_name(cls):
    names = sorted(_controls(cls))

    @settings(FAST, max_examples=3 * len(names))
    @given(name=st.sampled_from(names), value=BAD_CONTROL)
    def check(name, value):
        assert_refused_or_fine(lambda: _build(cls, **{name: value}), name)

    check()


def test_playground_with_no_surface_is_refused_by_name():
    assert_refused(lambda: playground.Playground(surface=None), "surface")
    assert_refused(lambda: playground.Playground(lr=math.nan), "lr")
    assert_refused(lambda: playground.Playground(steps="many"), "steps")


# ------------------------------------------------------------------ the measured holes, one by one

def test_the_measured_holes_are_closed():
    assert_refused(lambda: optim.SGD("0.1"), "lr")
    assert_refused(lambda: schedules.constant("0.1"), "lr")
    assert_refused(lambda: nn.init_params(None), "rng")
    assert_refused(lambda: arena.surface_frame(ARENA_SETTINGS | {"surface": "volcano"}), "surface")
    assert_refused(lambda: playground.Playground(surface=None), "surface")
    assert_refused(lambda: schedules.exponential(0.1, 1e308), "gamma")
    assert_refused(lambda: nn.loss(THETA, np.zeros((0, 2)), np.zeros(0)), "X")
    assert_refused(lambda: surfaces.Surface(**surface_kwargs(minima=[[math.nan, 0.0]])), "minima")
    assert_refused(lambda: surfaces.Surface(**surface_kwargs(bounds=((1.0, -1.0), (0.0, 1.0)))), "bounds")
    assert_refused(lambda: arena.arena_schedule(-0.1, warmup=5, steps=10), "lr")
    assert_refused(lambda: nn.pack(np.ones((2, 3)), np.ones(4), np.ones((3, 1)), np.ones(1)), "b1")
    assert_refused(lambda: descent.run(BOWL, optim.SGD(0.1), [1.0, 1.0], 10**9), "steps")
    # overflow in Adam (and SGD) is silent: inf or NaN is the diverging run's result
    for opt in (optim.Adam(0.1), optim.AdamW(0.1), optim.SGD(0.1, momentum=0.9), optim.Adam(0.1, amsgrad=True)):
        g = np.full(3, 1e200)
        assert outcome(lambda: opt.step(np.ones(3), g, opt.init(np.ones(3)))) is None


def test_wrong_kind_is_a_type_error_and_a_value_error():
    with pytest.raises(TypeError, match="lr=None"):
        optim.SGD(None)
    with pytest.raises(ValueError, match="lr=None"):   # old callers that catch ValueError still do
        optim.SGD(None)
    assert issubclass(validation.WrongKind, TypeError) and issubclass(validation.WrongKind, ValueError)
