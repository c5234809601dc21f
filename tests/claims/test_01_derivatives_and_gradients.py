"""Claims of notebooks/01_derivatives_and_gradients.ipynb (and its solutions), tested with the helpers it calls.

Each claim is a small function of its setting, checked where the notebook states it and at a mutated
setting where it must be false.

Printed, so checked by nbval and not repeated here: the secant slopes 7, 6.1, 6.01, 6.001; the step
5 -> 4.4 (gradient 6.0, loss 9.00 -> 5.76); the distances 2.4, 1.92, ...; the lr = 1 bounce 5, -1, 5,
...; grad f(3, 1) = (3, 10); the slopes +0.0000 and +10.4403; the steepest measured direction (220
degrees, 59.664) and the gradient (219.6 degrees, 59.666); the forward/central errors at h = 1e-1 ..
1e-3 and at 1e-12; the 12 shared digits; the best h (4e-9 at 1e-8, 5e-12 at 3e-6); the Rosenbrock
checks (relative errors, "passes: False", the components); 4e-8 and the relative error 1 at (1, 1).
Solutions: (4, 8), 2.2 and 16 -> 10.24, (-0.287, -0.958) and 54.9 degrees, the float32 and float64
errors at four h, exercise 5.
"""
import inspect

import matplotlib
import numpy as np
import pytest

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from helpers.descent import run  # noqa: E402
from helpers.display.plotting import gradient_field  # noqa: E402
from helpers.gradcheck import central_difference, check_gradient, forward_difference  # noqa: E402
from helpers.optim import SGD  # noqa: E402
from helpers.surfaces import SURFACES, quadratic  # noqa: E402

SEEDS = range(5)
EPS = np.finfo(float).eps


# --------------------------------------------------------------------------- 1-2: slope and step
def secant_overshoot(f, h, w=5.0):
    return (f(w + h) - f(w)) / h - 6.0


def test_each_secant_overshoots_by_exactly_h():
    """"The slopes approach 6, and each overshoots by exactly h, as the algebra promised"."""
    for h in (2.0, 1.0, 0.5, 0.1, 0.01, 0.001):
        assert secant_overshoot(lambda w: (w - 2) ** 2, h) == pytest.approx(h, abs=1e-9)


def test_a_loss_that_is_not_quadratic_does_not_overshoot_by_h():
    """The exact h is the quadratic's algebra: add a cubic term and the overshoot is no longer h."""
    def f(w):
        return (w - 2) ** 2 + 0.1 * (w - 2) ** 3
    slope = 2 * 3 + 0.3 * 3**2                      # f'(5)
    for h in (1.0, 0.1):
        assert (f(5 + h) - f(5)) / h - slope != pytest.approx(h, rel=0.1)


def distance_factors(lr, steps=20, power=2):
    """Factor by which w - 2 is multiplied at each step of descent on (w - 2)^power from w = 5."""
    w, factors = 5.0, []
    for _ in range(steps):
        new = w - lr * power * (w - 2) ** (power - 1)
        factors.append((new - 2) / (w - 2))
        w = new
    return np.array(factors)


def test_each_step_removes_the_same_fraction():
    """"Each step removes the same fraction of the remaining distance ... 0.8 (w - 2)"."""
    assert np.allclose(distance_factors(0.1), 0.8, rtol=1e-12)


def test_on_a_quartic_the_fraction_changes():
    f = distance_factors(0.01, power=4)
    assert f.max() - f.min() > 0.1


def bounces(lr, steps=1000):
    """Distances |w - 2| after each step with the given learning rate, from w = 5."""
    w, out = 5.0, []
    for _ in range(steps):
        w = w - lr * 2 * (w - 2)
        out.append(abs(w - 2))
    return np.array(out)


def test_lr_one_bounces_forever():
    """"The walker bounces forever": at lr = 1, |w - 2| is 3 after every one of 1000 steps."""
    assert np.all(bounces(1.0) == 3.0)


def test_just_below_one_the_bounces_die_out():
    assert bounces(0.95)[-1] < 1e-6


@pytest.mark.parametrize("lr", [1.01, 1.1, 1.5])
def test_above_one_the_bounces_grow(lr):
    """"Any lr above 1 makes it larger than 1 in size and the bounces grow"."""
    assert np.all(np.diff(bounces(lr, steps=50)) > 0)


def test_below_one_the_bounces_shrink():
    assert np.all(np.diff(bounces(0.99, steps=50)) < 0)


# --------------------------------------------------------------------------- 4: the gradient field
def arrows(surface, n=13):
    fig, ax = plt.subplots()
    try:
        q = gradient_field(surface, ax=ax, n=n)
        points = np.column_stack([np.ravel(q.X), np.ravel(q.Y)])
        return points, np.column_stack([np.ravel(q.U), np.ravel(q.V)])
    finally:
        plt.close(fig)


def arrows_cross_contours_uphill(surface):
    """"Each arrow crosses the contour lines at a right angle, and each points *away* from the minimum
    (the star), uphill": along each arrow the loss rises; across it (along the contour) it does not
    change to first order; the arrow points away from the surface's global minimum."""
    points, uv = arrows(surface)
    drawn = np.linalg.norm(uv, axis=1) > 0           # no arrow where the gradient is zero (the minimum)
    points, uv = points[drawn], uv[drawn]
    u = uv / np.linalg.norm(uv, axis=1, keepdims=True)
    across = np.column_stack([-u[:, 1], u[:, 0]])
    h = 1e-6
    along = (surface.loss(points + h * u) - surface.loss(points - h * u)) / (2 * h)
    side = (surface.loss(points + h * across) - surface.loss(points - h * across)) / (2 * h)
    best = surface.minima[np.argmin(surface.loss(surface.minima))]
    away = np.sum(u * (points - best), axis=1)
    return bool(np.all(along > 0) and np.all(np.abs(side) < 1e-6 * along) and np.all(away > 0))


def test_gradient_arrows_on_the_bowl_cross_contours_uphill_away_from_the_minimum():
    assert arrows_cross_contours_uphill(SURFACES["bowl"])


def test_on_a_bumpy_surface_some_arrows_point_towards_the_minimum():
    """Away-from-the-minimum is a property of the bowl: between the ripples, uphill can face the minimum."""
    assert not arrows_cross_contours_uphill(SURFACES["bumpy"])


def drops_steep_direction_first(surface, lr=0.02, steps=10):
    """"It does not head straight for the minimum: it first drops down the steep y-direction, then creeps
    along the shallow x-direction": after 10 steps from (-4, 2) y has lost over 85% of its size, x under
    20%."""
    xs = run(surface, SGD(lr=lr), [-4.0, 2.0], steps=60).xs
    x_left, y_left = abs(xs[steps, 0] / xs[0, 0]), abs(xs[steps, 1] / xs[0, 1])
    return bool(y_left < 0.15 and x_left > 0.8)


def test_small_steps_drop_the_steep_direction_first():
    assert drops_steep_direction_first(SURFACES["bowl"])


def test_on_a_round_bowl_small_steps_head_straight_for_the_minimum():
    assert not drops_steep_direction_first(quadratic(a=10.0, b=10.0))


def zigzags(lr, steps=60):
    """y changes sign at every step (the path zig-zags across the valley)."""
    ys = run(SURFACES["bowl"], SGD(lr=lr), [-4.0, 2.0], steps=steps).xs[:, 1]
    return bool(np.all(np.sign(ys[1:]) == -np.sign(ys[:-1])))


def test_lr_018_zigzags_and_gains_along_x():
    """"On the right, the learning rate is 0.18. Each step now overshoots the floor of the steep
    y-direction and the path zig-zags across the valley, while it makes faster progress along x"."""
    assert zigzags(0.18)
    x_fast = run(SURFACES["bowl"], SGD(lr=0.18), [-4.0, 2.0], steps=60).xs[-1, 0]
    x_slow = run(SURFACES["bowl"], SGD(lr=0.02), [-4.0, 2.0], steps=60).xs[-1, 0]
    assert abs(x_fast) < abs(x_slow)


def test_below_one_over_L_there_is_no_zigzag():
    assert not zigzags(0.09)


def zigzag_grows(lr, steps=60):
    ys = np.abs(run(SURFACES["bowl"], SGD(lr=lr), [-4.0, 2.0], steps=steps).xs[:, 1])
    return bool(np.all(np.diff(ys) > 0))


def test_past_02_the_zigzag_grows():
    """"Push the learning rate past 0.2 and the zig-zag grows instead of shrinking"."""
    assert zigzag_grows(0.21)


def test_below_02_the_zigzag_shrinks():
    assert not zigzag_grows(0.19)


# --------------------------------------------------------------------------- 5: no direction climbs faster
ANGLES = np.radians(np.arange(360))
UNITS = np.stack([np.cos(ANGLES), np.sin(ANGLES)], axis=-1)


def measured_slopes(p, t=1e-6):
    """The notebook's measurement: central differences of the loss along 360 directions."""
    f = SURFACES["himmelblau"].loss
    return (f(p + t * UNITS) - f(p - t * UNITS)) / (2 * t)


def random_point(seed):
    (x0, x1), (y0, y1) = SURFACES["himmelblau"].bounds
    rng = np.random.default_rng(seed)
    return np.array([rng.uniform(x0, x1), rng.uniform(y0, y1)])


def no_direction_climbs_faster_than(direction, p):
    """No measured direction has a larger slope than ``direction`` (up to the measurement's error)."""
    u = direction / np.linalg.norm(direction)
    f, t = SURFACES["himmelblau"].loss, 1e-6
    along = (f(p + t * u) - f(p - t * u)) / (2 * t)
    return bool(measured_slopes(p).max() <= along * (1 + 1e-6))


def rotate(v, degrees):
    a = np.radians(degrees)
    return np.array([[np.cos(a), -np.sin(a)], [np.sin(a), np.cos(a)]]) @ v


@pytest.mark.parametrize("seed", SEEDS)
def test_no_direction_climbs_faster_than_the_gradient(seed):
    """"Of all directions you could step in, the gradient's direction raises the loss fastest", at (1, 1)
    and at random points."""
    for p in (np.array([1.0, 1.0]), random_point(seed)):
        assert no_direction_climbs_faster_than(SURFACES["himmelblau"].grad(p), p)


@pytest.mark.parametrize("seed", SEEDS)
def test_a_direction_ten_degrees_off_is_beaten(seed):
    p = random_point(seed)
    assert not no_direction_climbs_faster_than(rotate(SURFACES["himmelblau"].grad(p), 10.0), p)


def slopes_trace_a_cosine(p):
    """"The measured slopes trace a cosine. Its peak sits at the gradient's direction ..., and its height
    is the gradient's length. Half a turn away, at the bottom of the curve, is the direction descent
    takes": slopes = |g| cos(angle - gradient angle); the minimum is at the gradient angle + 180."""
    g = SURFACES["himmelblau"].grad(p)
    gradient_angle = np.degrees(np.arctan2(g[1], g[0])) % 360
    slopes = measured_slopes(p)
    cosine = np.linalg.norm(g) * np.cos(ANGLES - np.radians(gradient_angle))
    bottom = np.degrees(ANGLES[np.argmin(slopes)])
    return bool(np.max(np.abs(slopes - cosine)) < 1e-4 * np.linalg.norm(g)
                and abs((bottom - gradient_angle - 180 + 180) % 360 - 180) <= 0.5 + 1e-9
                and slopes.min() == pytest.approx(-np.linalg.norm(g), rel=1e-4))


def test_slopes_at_1_1_trace_a_cosine_with_the_bottom_half_a_turn_away():
    assert slopes_trace_a_cosine(np.array([1.0, 1.0]))
    assert np.degrees(ANGLES[np.argmin(measured_slopes(np.array([1.0, 1.0])))]) == 40.0   # 220 - 180


@pytest.mark.parametrize("seed", SEEDS)
def test_slopes_trace_a_cosine_at_random_points(seed):
    assert slopes_trace_a_cosine(random_point(seed))


def test_on_a_crooked_measurement_the_slopes_are_no_cosine():
    """With a step t far too large the 'slopes' are secants across curved ground, not a cosine."""
    p = np.array([1.0, 1.0])
    f = SURFACES["himmelblau"].loss
    g = SURFACES["himmelblau"].grad(p)
    coarse = (f(p + 2.0 * UNITS) - f(p - 2.0 * UNITS)) / 4.0
    cosine = np.linalg.norm(g) * np.cos(ANGLES - np.arctan2(g[1], g[0]))
    assert np.max(np.abs(coarse - cosine)) > 1e-2 * np.linalg.norm(g)


# --------------------------------------------------------------------------- 6: finite differences
def cube(w):
    return w[0] * w[0] * w[0]


HS = np.logspace(-15, -1, 57)
W1 = np.array([1.0])
FORWARD_ERR = np.array([abs(forward_difference(cube, W1, h)[0] - 3) for h in HS])
CENTRAL_ERR = np.array([abs(central_difference(cube, W1, h)[0] - 3) for h in HS])


def loglog_slopes(h_lo, h_hi):
    """Fitted slopes of log(error) against log(h) over [h_lo, h_hi]: (forward, central)."""
    keep = (HS >= h_lo) & (HS <= h_hi) & (FORWARD_ERR > 0) & (CENTRAL_ERR > 0)
    logh = np.log10(HS[keep])
    return (np.polyfit(logh, np.log10(FORWARD_ERR[keep]), 1)[0],
            np.polyfit(logh, np.log10(CENTRAL_ERR[keep]), 1)[0])


def follows_truncation_lines(h_lo, h_hi):
    """"At large h both errors follow their reference lines, slope 1 for forward and slope 2 for
    central" ("ten times smaller h, a hundred times smaller error")."""
    forward, central = loglog_slopes(h_lo, h_hi)
    return bool(abs(forward - 1) < 0.05 and abs(central - 2) < 0.05)


def test_at_large_h_errors_follow_slope_1_and_2():
    assert follows_truncation_lines(1e-3, 1e-1)


def test_at_tiny_h_round_off_rules_and_errors_grow_as_h_shrinks():
    """"Then each meets the rising eps/h line and turns back up": below 1e-10 the slopes are negative."""
    assert not follows_truncation_lines(1e-14, 1e-10)
    forward, central = loglog_slopes(1e-14, 1e-10)
    assert forward < -0.5 and central < -0.5


def test_quoted_epsilon_and_best_steps():
    """"eps ~ 2.2e-16"; balance "near h ~ sqrt(eps) ~ 1e-8 for forward differences and h ~ eps^(1/3) ~
    6e-6 for central ones"; "over fourteen orders of magnitude (1e-15 to 1e-1)"."""
    assert f"{EPS:.1e}" == "2.2e-16"
    assert f"{np.sqrt(EPS):.0e}" == "1e-08" and f"{EPS ** (1 / 3):.0e}" == "6e-06"
    assert round(np.log10(HS[-1] / HS[0])) == 14
    assert f"{3 * 1e-12:.0e}" == "3e-12"              # "nowhere near the 3e-12 its rule [3h] predicts"


def test_central_reaches_a_lower_floor_at_a_larger_h():
    """"Central differences reach a much lower floor, and reach it at a larger h" (the floors are
    printed; here: at least 100 times lower, and at an h at least 10 times larger)."""
    f_best, c_best = np.argmin(FORWARD_ERR), np.argmin(np.where(CENTRAL_ERR > 0, CENTRAL_ERR, np.inf))
    assert CENTRAL_ERR[c_best] < FORWARD_ERR[f_best] / 100 and HS[c_best] > 10 * HS[f_best]


def test_quoted_defaults_of_gradcheck():
    """"central_difference uses h = 1e-5 by default ... check_gradient uses 1e-6"."""
    assert inspect.signature(central_difference).parameters["h"].default == 1e-5
    assert inspect.signature(check_gradient).parameters["tol"].default == 1e-6
    assert inspect.signature(check_gradient).parameters["h"].default == 1e-5


# --------------------------------------------------------------------------- 7: checking a hand-derived gradient
ROSENBROCK = SURFACES["rosenbrock"]


def rosenbrock_grad(p):
    x, y = p
    return np.array([2 * (x - 1) - 400 * x * (y - x**2), 200 * (y - x**2)])


def rosenbrock_grad_buggy(p):
    x, y = p
    return np.array([2 * (x - 1) + 200 * (y - x**2), 200 * (y - x**2)])


def notebook_points(seed):
    """The notebook's four random points, drawn the same way with another seed."""
    rng = np.random.default_rng(seed)
    (x_lo, x_hi), (y_lo, y_hi) = ROSENBROCK.bounds
    return np.column_stack([rng.uniform(x_lo, x_hi, 4), rng.uniform(y_lo, y_hi, 4)])


def check_tells_bug_apart(q):
    """The check passes the right gradient and fails the buggy one at q."""
    return bool(check_gradient(ROSENBROCK.loss, rosenbrock_grad, q)[0]
                and not check_gradient(ROSENBROCK.loss, rosenbrock_grad_buggy, q)[0])


@pytest.mark.parametrize("seed", SEEDS)
def test_check_catches_the_forgotten_chain_rule_factor_at_random_points(seed):
    """"The check catches it at the first point" (and at every random point, the right gradient passes)."""
    assert all(check_tells_bug_apart(q) for q in notebook_points(seed))


@pytest.mark.parametrize("special", [(1.0, 1.0), (0.0, 0.0), (1.5, 2.25), (-0.7, 0.49)],
                         ids=["minimum", "origin", "on-the-curve", "on-the-curve-left"])
def test_special_points_hide_the_bug(special):
    """"Special points hide bugs ...: this bug gets only the term with y - x^2 wrong, so it is invisible
    everywhere on the curve y = x^2, the minimum and the origin included"."""
    q = np.array(special)
    assert not check_tells_bug_apart(q)
    assert np.allclose(rosenbrock_grad(q), rosenbrock_grad_buggy(q))


@pytest.mark.parametrize("point", [(2.0, 2.0), (-1.0, -1.0), (0.5, 0.5)])
def test_equal_coordinates_do_not_hide_this_bug(point):
    """The sentence no longer lists "points with equal coordinates": off the curve y = x^2 they do not hide
    the forgotten factor (at (1, 1) it hid only because (1, 1) is on the curve)."""
    assert check_tells_bug_apart(np.array(point))


def test_at_a_minimum_every_gradient_is_tiny():
    """"At a minimum every gradient is tiny": right, buggy and finite-difference gradients at (1, 1)."""
    q = np.array([1.0, 1.0])
    for g in (rosenbrock_grad(q), rosenbrock_grad_buggy(q), central_difference(ROSENBROCK.loss, q)):
        assert np.linalg.norm(g) < 1e-6
    assert np.linalg.norm(rosenbrock_grad(np.array([0.5, 0.5]))) > 1


def test_at_the_minimum_even_the_right_gradient_fails():
    """"check_gradient fails here even for the *correct* gradient: ... a relative error of 1"."""
    ok, error = check_gradient(ROSENBROCK.loss, rosenbrock_grad, np.array([1.0, 1.0]))
    assert not ok and error == pytest.approx(1.0)


def f_bug(p):
    x, y = p
    return (x * y - 1) ** 2 + x**2


def grad_f_buggy(p):
    x, y = p
    return np.array([2 * (x * y - 1) + 2 * x, 2 * (x * y - 1) * x])


@pytest.mark.parametrize("seed", SEEDS)
def test_exercise_5_bug_is_caught_away_from_special_points(seed):
    """Solutions, exercise 5: "At other points it fails"."""
    rng = np.random.default_rng(seed)
    for q in rng.uniform(-2, 2, size=(4, 2)):
        assert not check_gradient(f_bug, grad_f_buggy, q)[0]


def test_exercise_5_bug_hides_at_equal_coordinates_1_1():
    """Solutions: "At (1, 1) the check passes, because there xy - 1 = 0 and the bug multiplies zero"."""
    assert check_gradient(f_bug, grad_f_buggy, np.array([1.0, 1.0]))[0]


# --------------------------------------------------------------------------- solutions, exercise 3
def angle_steepest_vs_straight(point=(2.0, -1.0)):
    """Degrees between the steepest way down at ``point`` on the bowl and the straight line to the minimum."""
    g = SURFACES["bowl"].grad(np.array(point))
    steepest, straight = -g / np.linalg.norm(g), -np.array(point) / np.linalg.norm(point)
    return float(np.degrees(np.arccos(steepest @ straight)))


def test_steepest_way_down_is_about_52_degrees_from_straight():
    """Solutions, exercise 3: "Straight at the minimum would be (-2, 1)/sqrt(5), about 52 degrees away"
    (the solution prints 52.1)."""
    assert round(angle_steepest_vs_straight()) == 52
    assert f"{angle_steepest_vs_straight():.1f}" == "52.1"
    assert round(angle_steepest_vs_straight((3.0, 1.0))) != 52      # the setting matters: 55 at (3, 1)


def test_on_a_round_bowl_the_steepest_way_down_is_straight_at_the_minimum():
    """The 52 degrees come from the bowl's 10:1 shape: on a round bowl the two directions agree."""
    round_bowl = quadratic(a=1.0, b=1.0)
    g = round_bowl.grad(np.array([3.0, 1.0]))
    steepest, straight = -g / np.linalg.norm(g), -np.array([3.0, 1.0]) / np.sqrt(10)
    assert np.degrees(np.arccos(min(1.0, steepest @ straight))) < 1e-6


# --------------------------------------------------------------------------- solutions, exercise 4 (float32)
def float32_central(h, w=1.0):
    """The solution's estimate: central difference of w^3, every operation in float32."""
    one, h32 = np.float32(w), np.float32(h)
    estimate = (cube([one + h32]) - cube([one - h32])) / (np.float32(2) * h32)
    assert np.asarray(estimate).dtype == np.float32
    return float(estimate)


def test_float32_balance_point_and_best_candidate():
    """Solutions, exercise 4: "eps is now 1.2e-7. They balance near h = eps^(1/3) ~ 5e-3, so the best
    candidate is 1e-2, a thousand times larger than float64's 1e-5"."""
    eps32 = np.finfo(np.float32).eps
    assert f"{eps32:.1e}" == "1.2e-07" and f"{eps32 ** (1 / 3):.0e}" == "5e-03"
    errors = {h: abs(float32_central(h) - 3) for h in (1e-2, 1e-5, 1e-8, 1e-11)}
    assert min(errors, key=errors.get) == 1e-2


def test_in_float64_the_best_candidate_is_not_1e_2():
    errors = {h: abs(central_difference(cube, W1, h)[0] - 3) for h in (1e-2, 1e-5, 1e-8, 1e-11)}
    assert min(errors, key=errors.get) == 1e-5


def test_float32_neighbours_of_one_and_the_zero_estimate():
    """"The float32 numbers nearest 1 are 6e-8 below it and 1.2e-7 above it, so 1 +- h rounds to exactly 1
    and the estimate is 0" (for h = 1e-8 and 1e-11)."""
    one = np.float32(1.0)
    below, above = one - np.nextafter(one, np.float32(0)), np.nextafter(one, np.float32(2)) - one
    assert f"{below:.0e}" == "6e-08" and f"{above:.1e}" == "1.2e-07"
    for h in (1e-8, 1e-11):
        assert one + np.float32(h) == one and one - np.float32(h) == one
        assert float32_central(h) == 0.0
    assert float32_central(1e-5) != 0.0


def test_gradient_checks_belong_in_float64():
    """"The best float32 estimate, at h = 1e-2, is off by about 1e-4; float64 at h = 1e-5 is off by about
    1e-10"."""
    assert f"{abs(float32_central(1e-2) - 3):.0e}" == "1e-04"
    assert f"{abs(central_difference(cube, W1, 1e-5)[0] - 3):.0e}" == "1e-10"
