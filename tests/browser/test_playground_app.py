"""The playground under `make app` (Voila) in headless Chromium: what the projector page must get right.

* Changing the surface sets the start point once, to the new surface's default start, for every
  ordered pair of surfaces (the browser's slider used to write its old value back).
* Ten page loads leave at most two kernels alive once the culler has run (the culling is shortened
  here through notebooks/app/voila.py's DOWNHILL_CULL_IDLE and DOWNHILL_CULL_INTERVAL).
* Every slider and button has an accessible name, sliders tell the value set, the figure has a name
  and a live description.

No time is asserted (the budgets are benchmarks/browser_latency.py's).
"""

import contextlib
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil
import pytest

from labdriver import FIGURE_ELEMENT, REPO, _stop, _wait_until_up, chromium_page, free_port, open_app
from test_playground_browser import share_one_rate

from helpers.surfaces import SURFACES

pytestmark = pytest.mark.browser


@contextlib.contextmanager
def voila_server(**env_extra):
    """`make app`'s Voila on a free port (as labdriver.voila_app), with extra environment; yields
    (url, server process)."""
    app = REPO / "notebooks" / "app"
    port = free_port()
    logdir = Path(tempfile.mkdtemp(prefix="downhill-voila-"))
    log_path = logdir / "server.log"
    log = open(log_path, "wb")
    cmd = [sys.executable, "-m", "voila", str(REPO / "notebooks" / "playground.ipynb"), "--no-browser",
           f"--port={port}", "--Voila.ip=127.0.0.1", f"--Voila.config_file_paths={app}"]
    env = dict(os.environ, JUPYTER_PATH=str(app), JUPYTER_CONFIG_DIR=str(logdir / ".jupyter-config"),
               **{k: str(v) for k, v in env_extra.items()})
    server = subprocess.Popen(cmd, cwd=REPO, stdout=log, stderr=subprocess.STDOUT, env=env,
                              start_new_session=True)
    try:
        url = f"http://127.0.0.1:{port}/"
        _wait_until_up(server, url, log_path, "voila")
        yield url, server
    finally:
        _stop(server)
        log.close()
        with contextlib.suppress(OSError):
            server.log_text = log_path.read_text(errors="replace")
        import shutil

        shutil.rmtree(logdir, ignore_errors=True)


def kernels_alive(server):
    """The server's kernel processes (its descendants running ipykernel)."""
    alive = []
    with contextlib.suppress(psutil.Error):
        for p in psutil.Process(server.pid).children(recursive=True):
            with contextlib.suppress(psutil.Error):
                if any("ipykernel" in part for part in p.cmdline()) and p.status() != psutil.STATUS_ZOMBIE:
                    alive.append(p)
    return alive


def every_ordered_pair(names):
    """A walk through ``names`` that makes every ordered pair (a, b), a != b, one step of it
    (an Eulerian circuit of the complete directed graph, found by Hierholzer's method)."""
    out_edges = {a: [b for b in names if b != a] for a in names}
    stack, walk = [names[0]], []
    while stack:
        here = stack[-1]
        if out_edges[here]:
            stack.append(out_edges[here].pop())
        else:
            walk.append(stack.pop())
    return walk[::-1]


def test_the_walk_covers_every_ordered_pair_once():
    names = list(SURFACES)
    walk = every_ordered_pair(names)
    steps = list(zip(walk, walk[1:]))
    assert len(steps) == len(set(steps)) == len(names) * (len(names) - 1)
    assert walk[0] == names[0]


def readout(page, key):
    text = page.locator(f".downhill-control-{key} .widget-readout").first.inner_text()
    return float(text.replace("\u2212", "-"))


def test_a_new_surface_starts_at_its_own_default_start_for_every_pair(chromium_available):
    names = ["rosenbrock"] + [s for s in SURFACES if s != "rosenbrock"]    # from the default surface
    walk = every_ordered_pair(names)
    with voila_server() as (url, server), chromium_page(viewport=(1280, 720)) as page:
        open_app(page, url)
        wrong = []
        for before, after in zip(walk, walk[1:]):
            page.select_option(".downhill-control-surface select", after)
            want = SURFACES[after].default_start
            try:
                page.wait_for_function(
                    """([want]) => ['x', 'y'].every((k, i) => {
                        const r = document.querySelector('.downhill-control-' + k + ' .widget-readout');
                        return r && Math.abs(parseFloat(r.innerText.replace('\u2212', '-')) - want[i]) < 0.006;
                    })""", arg=[[float(want[0]), float(want[1])]], timeout=10_000)
            except Exception:
                pass
            page.wait_for_timeout(400)       # a slider that writes its old value back does so by now
            got = (readout(page, "x"), readout(page, "y"))
            if abs(got[0] - want[0]) > 0.006 or abs(got[1] - want[1]) > 0.006:
                wrong.append(f"{before} -> {after}: start {got}, want {tuple(float(v) for v in want)}")
        assert wrong == [], "\n".join(wrong)
        assert page.outside_requests == []


def test_ten_page_loads_leave_at_most_two_kernels_after_the_cull_interval(chromium_available):
    idle, every = 15, 1
    with voila_server(DOWNHILL_CULL_IDLE=idle, DOWNHILL_CULL_INTERVAL=every) as (url, server), \
            chromium_page() as page:
        browser = page.context.browser
        peak = 0
        for i in range(10):
            tab = browser.new_context().new_page()
            open_app(tab, url)
            peak = max(peak, len(kernels_alive(server)))
            if i % 2:   # a tab that vanishes (a laptop that dies): its shutdown request never arrives
                tab.route("**/voila/api/shutdown/**", lambda route: route.abort())
                tab.close(run_before_unload=False)
            else:       # a tab closed as usual: its page asks the server to shut its kernel down
                tab.close(run_before_unload=True)
        assert peak >= 1, "no kernel was seen while a page was open"
        deadline = time.monotonic() + idle + 3 * every + 30
        while time.monotonic() < deadline and len(kernels_alive(server)) > 2:
            time.sleep(1)
        alive = len(kernels_alive(server))
    assert alive <= 2, f"{alive} kernels alive {idle + 3 * every + 30} s after ten page loads"


AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"   # package.json; `make test` runs npm ci first
WIDGETS = ".downhill-explorer"                             # the project's widgets on the page


def axe_violations(page, include=WIDGETS):
    """axe-core's violations inside ``include`` (injected from node_modules, nothing fetched)."""
    page.add_script_tag(path=str(AXE))
    return page.evaluate("""async (include) => {
        const r = await axe.run({include: [[include]]}, {resultTypes: ['violations']});
        return r.violations.map(v => ({id: v.id, impact: v.impact,
                                       nodes: v.nodes.slice(0, 3).map(n => n.html.slice(0, 160))}));
    }""", include)


def test_axe_finds_nothing_wrong_in_the_playground_and_every_control_is_named(chromium_available):
    assert AXE.exists(), f"{AXE} missing: run `npm ci` (make test does)"
    with voila_server() as (url, server), chromium_page(viewport=(1280, 720)) as page:
        open_app(page, url)
        page.wait_for_function("""() => {
            const figure = %s;
            return figure && figure.getAttribute('aria-label') && figure.getAttribute('aria-describedby');
        }""" % FIGURE_ELEMENT, timeout=10_000)
        assert axe_violations(page) == []
        handles = page.evaluate("""() => Array.from(document.querySelectorAll('.downhill-explorer [role=slider]'))
            .map(h => [h.getAttribute('aria-label'), h.getAttribute('aria-valuetext')])""")
        assert len(handles) >= 10 and all(name and text for name, text in handles), handles
        named = dict(handles)
        assert named["shared learning rate"] == "0.002" and named["momentum"] == "0.9"
        figure = page.evaluate("""() => {
            const figure = %s;
            const caption = document.getElementById(figure.getAttribute('aria-describedby'));
            return [figure.getAttribute('aria-label'), caption.getAttribute('aria-live'), caption.innerText];
        }""" % FIGURE_ELEMENT)
        assert figure[0].startswith("Playground") and figure[1] == "polite" and "SGD" in figure[2]
        buttons = page.evaluate("""() => Array.from(document.querySelectorAll('.downhill-explorer button'))
            .map(b => b.getAttribute('aria-label') || b.innerText.trim())""")
        assert buttons and all(buttons), buttons
        # the learning-rate slider, one key to the right: the screen reader hears the new value
        share_one_rate(page)
        page.locator(".downhill-control-lr [role=slider]").first.focus()
        page.keyboard.press("ArrowRight")
        page.wait_for_function("""() => document.querySelector('.downhill-control-lr [role=slider]')
            .getAttribute('aria-valuetext') === '0.0022'""", timeout=10_000)
        assert page.outside_requests == []


SCREENS = [(1280, 720), (1920, 1080)]
ARTIFACTS = REPO / "tests" / "browser" / "artifacts"      # git-ignored; look at the screenshots there


def test_the_projector_page_fits_one_screen_at_both_sizes(chromium_available):
    ARTIFACTS.mkdir(exist_ok=True)
    with voila_server() as (url, server):
        for width, height in SCREENS:
            with chromium_page(viewport=(width, height)) as page:
                open_app(page, url)
                page.wait_for_timeout(500)     # the a11y helper's last pass
                page.screenshot(path=str(ARTIFACTS / f"projector_{width}x{height}.png"))
                layout = page.evaluate("""() => {
                    const box = (e) => { const r = e.getBoundingClientRect();
                                         return [r.left, r.top, r.right, r.bottom]; };
                    const root = document.querySelector('.downhill-explorer');
                    const controls = Array.from(root.querySelectorAll('[class*="downhill-control-"], .widget-play'))
                        .filter(e => e.offsetParent !== null);
                    const labels = Array.from(root.querySelectorAll('.widget-label, .widget-readout, select'));
                    return {scroll: [document.documentElement.scrollWidth, document.documentElement.scrollHeight],
                            figure: box(root.querySelector('.downhill-explorer-figure')),
                            figureFont: root.querySelector('.downhill-explorer-figure canvas')?.__downhillScene?.font,
                            controls: controls.map(e => [e.className.match(/downhill-control-\\S+/)?.[0] || 'play', box(e)]),
                            smallest: Math.min(...labels.map(e => parseFloat(getComputedStyle(e).fontSize))),
                            prose: document.querySelectorAll('.jp-RenderedMarkdown p, .jp-RenderedMarkdown li').length,
                            title: document.querySelector('.jp-RenderedMarkdown h1')?.innerText};
                }""")
                where = f"at {width} x {height}"
                assert layout["scroll"][0] <= width and layout["scroll"][1] <= height, f"scrolls {where}"
                x0, y0, x1, y1 = layout["figure"]
                assert x0 >= 0 and y1 <= height and x1 - x0 >= 0.55 * width, f"figure {layout['figure']} {where}"
                assert len(layout["controls"]) >= 17
                for name, (a, b, c, d) in layout["controls"]:
                    assert a >= -1 and b >= -1 and c <= width + 1 and d <= height + 1, f"{name} off screen {where}"
                assert layout["smallest"] >= 18, f"control text {layout['smallest']} px {where}"
                assert layout["figureFont"] >= 18, f"the figure's text {layout['figureFont']} px {where}"
                assert layout["prose"] == 0 and layout["title"] == "Playground"
        # the back row: ?large=1 makes the controls' text larger still
        with chromium_page(viewport=SCREENS[1]) as page:
            open_app(page, url + "?large=1")
            page.screenshot(path=str(ARTIFACTS / "projector_1920x1080_large.png"))
            sizes = page.evaluate("""() => [document.body.classList.contains('downhill-large'),
                parseFloat(getComputedStyle(document.querySelector('.downhill-explorer .widget-label')).fontSize)]""")
            assert sizes[0] and sizes[1] >= 24
