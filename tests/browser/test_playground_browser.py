"""The playground as a person uses it: JupyterLab in headless Chromium, keys on the sliders.

Starts JupyterLab on 127.0.0.1 (free port, no token) on a copy of notebooks/playground.ipynb,
runs all cells, moves the learning-rate and warmup sliders with the keyboard, and checks that
the figure's pixels change each time, that no error or warning output appears and that JupyterLab
shows no news toast. How fast the picture follows a key is measured by benchmarks/browser_latency.py
(`make bench`), not asserted here: a wall-clock budget fails on a busy machine.
"""

import pytest

from labdriver import (FIGURE, FIGURE_ELEMENT, NEWS_TOAST, chromium_page, error_outputs, jupyter_lab, open_and_run_all, open_app,
                       press_on_slider, slider_readout, voila_app)

pytestmark = pytest.mark.browser

PRESSES = 12


def test_sliders_move_the_figure_in_jupyterlab(chromium_available):
    with jupyter_lab() as url, chromium_page() as page:
        open_and_run_all(page, url)
        assert error_outputs(page) == []
        share_one_rate(page)

        lr_before = slider_readout(page, "downhill-lr")
        changed, _ = press_on_slider(page, "downhill-lr", "ArrowRight")
        assert changed, "the figure did not change after ArrowRight on the learning-rate slider"
        assert slider_readout(page, "downhill-lr") != lr_before

        warmup_before = slider_readout(page, "downhill-warmup")
        changed, _ = press_on_slider(page, "downhill-warmup", "ArrowRight")
        assert changed, "the figure did not change after ArrowRight on the warmup slider"
        assert slider_readout(page, "downhill-warmup") == str(int(warmup_before) + 1)

        readouts = []
        for i in range(PRESSES):  # alternate so the learning rate stays in a sensible range
            changed, _ = press_on_slider(page, "downhill-lr", "ArrowLeft" if i % 2 else "ArrowRight")
            assert changed, f"press {i + 1}: the figure did not change"
            readouts.append(slider_readout(page, "downhill-lr"))
            page.wait_for_timeout(150)  # one key at a time, as a person presses them
        # the readout follows each key: alternate presses land on two values, back and forth
        assert len(set(readouts)) == 2 and readouts[0] != readouts[1]
        assert error_outputs(page) == []
        assert page.outside_requests == [], "the notebook page reached outside this machine"
        assert page.get_by_text(NEWS_TOAST).count() == 0, "JupyterLab's news toast is showing"


def test_the_projector_page_under_voila_is_live_and_offline(chromium_available):
    """`make app`: the live playground alone (no static preview), sliders and clicks working, no outside requests."""
    with voila_app() as url, chromium_page() as page:
        open_app(page, url)
        assert page.locator(FIGURE).count() == 1
        assert page.get_by_text("At the default settings").count() == 0, "the static preview should be left out"
        share_one_rate(page)
        lr_before = slider_readout(page, "downhill-lr")
        changed, _ = press_on_slider(page, "downhill-lr", "ArrowRight")
        assert changed, "the figure did not change after ArrowRight on the learning-rate slider"
        assert slider_readout(page, "downhill-lr") != lr_before
        changed, _ = press_on_slider(page, "downhill-warmup", "ArrowRight")
        assert changed, "the figure did not change after ArrowRight on the warmup slider"

        # clicking the contour map (left part of the figure) moves the start point there
        start = [slider_readout_by_label(page, "start x"), slider_readout_by_label(page, "start y")]
        figure = page.locator(FIGURE).first
        box = figure.bounding_box()
        before = page.evaluate("() => window.__downhill.changes")
        figure.click(position={"x": box["width"] * 0.2, "y": box["height"] * 0.6})
        page.wait_for_function(f"() => window.__downhill.changes > {before}", timeout=10_000)
        moved = [slider_readout_by_label(page, "start x"), slider_readout_by_label(page, "start y")]
        assert moved != start, "clicking the contour map did not move the start point"
        x, y = (float(v.replace("\u2212", "-")) for v in moved)
        assert -2 <= x <= 2 and -1 <= y <= 3, f"start ({x}, {y}) outside Rosenbrock's plotted bounds"

        assert error_outputs(page) == []
        assert page.outside_requests == [], f"the page reached outside this machine: {page.outside_requests}"
        assert page.get_by_text(NEWS_TOAST).count() == 0, "a news toast is showing on the projector page"


def share_one_rate(page):
    """Switch the playground to one shared learning rate (by default each optimizer runs at its own best
    rate) with its toggle, and wait until the figure shows it: the canvas draws the shared rate at once,
    an <img> (renderer="jpeg") when the kernel's new picture is in place; the description, from the
    kernel, says so too. Waited for by the page's state, not by the key-press probe."""
    src = page.evaluate(f"() => {FIGURE_ELEMENT}.src || ''")
    page.locator(".downhill-control-lr_mode button:text-is('one shared rate')").first.click()
    page.wait_for_function("""([src]) => {
        const caption = document.querySelector('.downhill-explorer-caption');
        const figure = %s;
        const shown = figure.tagName === 'IMG' ? figure.src !== src : figure.__downhillScene?.mode === 'shared';
        return caption && caption.innerText.includes('one shared learning rate') && shown;
    }""" % FIGURE_ELEMENT, arg=[src], timeout=20_000, polling=100)
    page.wait_for_timeout(300)


def slider_readout_by_label(page, label):
    return page.locator(f".widget-slider:has(.widget-label:text-is('{label}')) .widget-readout").first.inner_text()
