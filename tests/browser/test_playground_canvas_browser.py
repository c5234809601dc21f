"""The playground's canvas in Chromium under Voila (`make app`): it draws what Python computes, and the
learning-rate slider, the step slider, the mode and the fog redraw it with no kernel message in between,
and a click on the contour map moves the start to the point clicked.

Each check reads what the page drew (the canvas keeps its choice: for each optimizer the column, the
rate, how many points and the last one) and compares it with the frame Python makes for the same
settings (helpers.lessons.playground.playground_frame). The probe (labdriver.PROBE) counts the kernel's
websocket messages between a key press and the new picture. Timings are measured by
benchmarks/browser_latency.py, not asserted here.
"""

import math

import numpy as np
import pytest

from helpers.lessons import playground as pg
from helpers.lessons import playground_canvas as pc
from helpers.lessons.playground_text import text
from labdriver import FIGURE_ELEMENT, chromium_page, open_app, press_on_slider
from test_playground_app import voila_server
from test_playground_browser import share_one_rate

pytestmark = pytest.mark.browser

SCENE = f"() => {FIGURE_ELEMENT}.__downhillScene"


@pytest.fixture(scope="module")
def app_url():
    with voila_server() as (url, server):
        yield url


def assert_drawn_as_python_computes(scene, settings):
    """Every walk the canvas drew is the frame's walk for these settings, up to the step shown."""
    frame = pg.playground_frame(settings.replace(show_step=scene["t"]))
    drawn = {w["label"]: w for w in scene["walks"]}
    assert sorted(drawn) == sorted(w.label for w in frame.walks)
    for walk in frame.walks:
        got = drawn[walk.label]
        assert math.isclose(got["lr"], walk.lr if walk.lr is not None else settings.lr, rel_tol=1e-12), walk.label
        n = min(scene["t"], len(walk.xs) - 1) + 1
        assert got["drawn"] == n and got["diverged_at"] == walk.diverged_at, (walk.label, got)
        np.testing.assert_allclose(got["last"], walk.xs[n - 1].astype(np.float32), rtol=1e-6, atol=1e-6)


def test_the_canvas_draws_the_frames_python_makes_and_scrubs_without_the_kernel(chromium_available, app_url):
    with chromium_page(viewport=(1280, 720)) as page:
        open_app(page, app_url)
        scene = page.evaluate(SCENE)
        assert scene["mode"] == "tuned" and scene["t"] == 200
        assert_drawn_as_python_computes(scene, pg.PlaygroundSettings())
        status = page.evaluate(f"() => {FIGURE_ELEMENT}.dataset.status")
        unit = pg.learning_rates("warmup_cosine", 1.0, 20, 200)
        assert status == text("lr_text.tuned", "en", t=200, unit=f"{unit[199]:.2g}")

        share_one_rate(page)
        for i in range(6):   # the learning rate: up three stops, down three
            changed, _, messages = press_on_slider(page, "downhill-lr", "ArrowRight" if i < 3 else "ArrowLeft",
                                                   kernel=True)
            assert changed and messages == 0, f"press {i + 1}: changed {changed}, kernel messages {messages}"
            scene = page.evaluate(SCENE)
            k = int(np.argmin(np.abs(pg.LR_EXPONENTS - math.log10(scene["lr"]))))
            assert scene["mode"] == "shared" and all(w["lr"] == pg.LR_POSITIONS[k] for w in scene["walks"])
            assert_drawn_as_python_computes(scene, pg.PlaygroundSettings(lr_mode="shared", lr=float(pg.LR_POSITIONS[k])))
            page.wait_for_timeout(120)
        lr = scene["walks"][0]["lr"]
        for i in range(5):   # the step shown: back five steps
            changed, _, messages = press_on_slider(page, "downhill-control-show_step", "ArrowLeft", kernel=True)
            assert changed and messages == 0, f"step press {i + 1}: kernel messages {messages}"
            scene = page.evaluate(SCENE)
            assert scene["t"] == 199 - i
            assert_drawn_as_python_computes(scene, pg.PlaygroundSettings(lr_mode="shared", lr=lr))
        status = page.evaluate(f"() => {FIGURE_ELEMENT}.dataset.status")
        assert status == text("lr_text.shared", "en", peak=f"{lr:.2g}", t=195, rate=f"{lr * unit[195]:.2g}")

        # another setting is a recompute: its picture comes with the kernel's data
        changed, _, messages = press_on_slider(page, "downhill-control-momentum", "ArrowLeft", kernel=True)
        assert changed and messages >= 1
        page.wait_for_function("() => document.querySelector('.downhill-explorer-caption').innerText.includes('momentum 0.89')",
                               timeout=20_000)
        scene = page.evaluate(SCENE)
        assert_drawn_as_python_computes(scene, pg.PlaygroundSettings(lr_mode="shared", lr=lr, momentum=0.89))
        assert page.outside_requests == []


def key_on(page, selector, key):
    """Focus ``selector`` and press ``key``; wait for a new picture: (kernel messages before it, the scene)."""
    before = page.evaluate("() => window.__downhill.changes")
    n = page.evaluate("() => window.__downhill.kernelMessages.length")
    page.locator(selector).first.focus()
    page.keyboard.press(key)
    page.wait_for_function(f"() => window.__downhill.changes > {before}", timeout=10_000)
    return page.evaluate(f"() => window.__downhill.kernelMessages[{n}]"), page.evaluate(SCENE)


def test_the_mode_and_the_fog_redraw_without_the_kernel_and_a_click_moves_the_start(chromium_available, app_url):
    with chromium_page(viewport=(1280, 720)) as page:
        open_app(page, app_url)
        messages, scene = key_on(page, ".downhill-control-lr_mode button:text-is('one shared rate')", "Enter")
        assert messages == 0 and scene["mode"] == "shared"
        lr = scene["walks"][0]["lr"]
        assert_drawn_as_python_computes(scene, pg.PlaygroundSettings(lr_mode="shared", lr=lr))
        messages, scene = key_on(page, ".downhill-control-lr_mode button:text-is('each at its own best rate')", "Enter")
        assert messages == 0 and scene["mode"] == "tuned"
        assert_drawn_as_python_computes(scene, pg.PlaygroundSettings())
        messages, scene = key_on(page, ".downhill-control-fog input", "Space")
        assert messages == 0 and scene["fog"] is True
        # a click on the contour map at the point (0.5, -0.25): the kernel starts the walks there
        c, ((x0, x1), (y0, y1)) = scene["contour"], scene["bounds"]
        target = (0.5, -0.25)
        px = c["x"] + (target[0] - x0) / (x1 - x0) * c["w"]
        py = c["y"] + c["h"] - (target[1] - y0) / (y1 - y0) * c["h"]
        page.locator(".downhill-explorer-figure canvas").first.click(position={"x": px, "y": py})
        page.wait_for_function("([x, y, tol]) => { const s = %s.__downhillScene.start;"
                               " return s && Math.abs(s[0] - x) < tol && Math.abs(s[1] - y) < tol; }" % FIGURE_ELEMENT,
                               arg=[target[0], target[1], 2 * (x1 - x0) / c["w"]], timeout=20_000)
        scene = page.evaluate(SCENE)
        assert_drawn_as_python_computes(scene, pg.PlaygroundSettings(start=tuple(scene["start"]), fog=True))


def test_the_canvas_formats_numbers_as_python_does(chromium_available, app_url):
    values = [7.6e-05, 0.0045, 0.00446, 0.89, 1.0, 0.995, 9.96, 12.0, 99.5, 123.0, 1.5e-07, 0.095, 0.0995,
              1e-4, 0.00012, 2.5, 0.25, 0.125, 0.375, 0.625, 2.25, 2.75, 1.125, 3.5e10, 1e-300, 0.1, 0.35, 0.45,
              -0.0045, -125.0, 9.5, 10.5, 99.9, 1e-5, 0.0001]
    values += list(np.asarray(pg.LR_POSITIONS, dtype=float)) + list(pg.LR_POSITIONS * 0.0123)
    with chromium_page(viewport=(1280, 720)) as page:
        open_app(page, app_url)
        got = page.evaluate(f"(vs) => vs.map({FIGURE_ELEMENT}.__downhillFmt2g)", [float(v) for v in values])
        # zero typed in the page (Playwright 1.45 hands a Python 0.0 over as -0)
        zero = page.evaluate(f"() => [{FIGURE_ELEMENT}.__downhillFmt2g(0), {FIGURE_ELEMENT}.__downhillFmt2g(-0)]")
    assert got == [pc.format_2g(v) for v in values]
    assert zero == [pc.format_2g(0.0), pc.format_2g(-0.0)] == ["0", "-0"]


def test_the_canvas_is_sharp_fills_its_column_and_takes_the_larger_text(chromium_available, app_url):
    with chromium_page(viewport=(1280, 720), scale=2) as page:
        open_app(page, app_url)
        sizes = page.evaluate(f"""() => {{ const c = {FIGURE_ELEMENT}; const r = c.getBoundingClientRect();
            return [c.width, c.height, r.width, r.height, c.__downhillScene.font,
                    c.closest('.downhill-explorer-figure').getBoundingClientRect().width]; }}""")
        width, height, css_width, css_height, font, column = sizes
        assert abs(width - 2 * css_width) <= 1 and abs(height - 2 * css_height) <= 1, sizes
        assert abs(css_width - column) <= 1 and css_width >= 0.55 * 1280, sizes
        assert font >= 18
        page.locator("button:text-is('larger text')").first.click()
        page.wait_for_function(f"() => {FIGURE_ELEMENT}.__downhillScene.font >= 24", timeout=10_000)
        larger = page.evaluate("""() => [document.body.classList.contains('downhill-large'),
            parseFloat(getComputedStyle(document.querySelector('.downhill-explorer .widget-label')).fontSize)]""")
        assert larger == [True, 24.0]
        page.locator("button:text-is('larger text')").first.click()
        page.wait_for_function(f"() => {FIGURE_ELEMENT}.__downhillScene.font < 24", timeout=10_000)


def test_settings_that_cannot_run_are_said_on_the_canvas(chromium_available, app_url):
    with chromium_page(viewport=(1280, 720)) as page:
        open_app(page, app_url)
        handle = page.locator(".downhill-control-steps .noUi-handle").first
        handle.focus()
        page.keyboard.press("Home")   # 10 steps, shorter than the 20-step warmup
        page.wait_for_function(f"() => ({FIGURE_ELEMENT}.__downhillScene.messages || []).length > 0", timeout=20_000)
        scene = page.evaluate(SCENE)
        expected = pg.Playground().frame_for({**pg.Playground().settings(), "steps": 10})[1]
        assert scene["messages"] == [expected] and scene["walks"] == []
        page.keyboard.press("End")
        page.wait_for_function(f"() => {FIGURE_ELEMENT}.__downhillScene.walks.length === 4", timeout=20_000)


def test_a_bug_in_the_drawing_is_said_on_the_canvas_in_the_pages_language(chromium_available, app_url):
    # break the browser's drawImage, as a bug in paint() would, and count what the canvas then writes
    with chromium_page(viewport=(1280, 720)) as page:
        open_app(page, app_url + "?lang=pt")
        page.evaluate("""() => { window.__written = [];
            const fill = CanvasRenderingContext2D.prototype.fillText;
            CanvasRenderingContext2D.prototype.fillText = function (s, ...rest) {
                window.__written.push(String(s)); return fill.call(this, s, ...rest); };
            CanvasRenderingContext2D.prototype.drawImage = () => { throw new Error("broken on purpose"); }; }""")
        page.locator(".downhill-control-show_step .noUi-handle").first.focus()
        page.keyboard.press("ArrowLeft")
        page.wait_for_function(f"() => {FIGURE_ELEMENT}.dataset.error === 'broken on purpose'", timeout=10_000)
        written = page.evaluate("() => window.__written")
    assert text("banner.drawing", "pt", detail="broken on purpose") in written
