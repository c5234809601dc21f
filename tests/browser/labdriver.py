"""Drive the playground in JupyterLab in headless Chromium: start a server, open, run, press keys.

Shared by tests/browser/test_playground_browser.py and benchmarks/browser_latency.py.
Nothing reaches the network: JupyterLab listens on 127.0.0.1 and Chromium runs with
background networking, component updates and sync switched off.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
FIGURE = ".downhill-explorer-figure"
LAB_CONFIG = REPO / "notebooks" / "app" / "jupyter_lab_config.py"
NEWS_TOAST = "official Jupyter news"  # JupyterLab's "Would you like to get notified about ..." toast

# Page-side probe: time from a keydown to the figure showing new pixels. The figure is either the
# playground's canvas (drawn in the browser; each drawing sets its data-frames attribute) or an <img>
# fed JPEG frames by the kernel (each frame a new src). A MutationObserver sees the change; for an
# image, it is decoded first. The time is taken after the next paint: in an animation frame, a message
# posted to a MessageChannel is handled once that frame has been painted.
PROBE = """
() => {
  const figure = document.querySelector('%s');
  const target = figure.tagName === 'IMG' ? figure : (figure.querySelector('canvas') || figure);
  window.__downhill = {changes: 0, lastKey: null, pressedAt: null, latencies: [], kernelMessages: [], kind: target.tagName.toLowerCase()};
  const d = window.__downhill;
  let wsAtKey = 0;
  document.addEventListener('keydown', () => {
    d.lastKey = d.pressedAt = performance.now();   // pressedAt: for other probes (benchmarks/classroom_load.py)
    wsAtKey = window.__wsIn || 0;
  }, true);
  const painted = (key) => requestAnimationFrame(() => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      d.changes += 1;
      if (key !== null) d.latencies.push(performance.now() - key);
    };
    channel.port2.postMessage(0);
  });
  new MutationObserver(() => {
    const key = d.lastKey;   // only the first new picture after a key counts for that key
    d.lastKey = null;
    // how many kernel messages arrived between the key and this new picture (0: drawn without the kernel)
    if (key !== null) d.kernelMessages.push((window.__wsIn || 0) - wsAtKey);
    if (target.tagName === 'IMG') img_decoded(target).then(() => painted(key)); else painted(key);
  }).observe(target, {attributes: true, attributeFilter: target.tagName === 'IMG' ? ['src'] : ['data-frames']});
  function img_decoded(img) { return img.decode().catch(() => null); }
}
""" % FIGURE
DRAWN = f"{FIGURE}[src^='blob:'], {FIGURE} canvas[data-frames]"   # the figure has drawn a first frame
# JavaScript: the figure's element (the canvas, or the <img> of renderer="jpeg") and its accessible name
FIGURE_ELEMENT = ("(() => { const f = document.querySelector('%s'); "
                  "return f && (f.tagName === 'IMG' ? f : f.querySelector('canvas')); })()" % FIGURE)
FIGURE_NAME = f"(({FIGURE_ELEMENT}) || {{}}).getAttribute?.('aria-label')"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _copy_notebook(notebook, target, renderer):
    """Copy REPO/notebook to target; renderer "jpeg": its playground made with Playground(renderer="jpeg")."""
    text = (REPO / notebook).read_text()
    if renderer != "canvas":
        assert "Playground()" in text, "the notebook has no Playground() to switch"
        text = text.replace("Playground()", f"Playground(renderer={renderer!r})")
    target.write_text(text)


@contextlib.contextmanager
def jupyter_lab(notebook="notebooks/playground.ipynb", renderer="canvas"):
    """Copy the notebook into a temp root (same relative path) and serve it; yields its URL.
    ``renderer="jpeg"``: the playground in the copy sends JPEG frames (the older path, for comparison).

    The server is stopped by its PID when the block ends, whatever happens inside.
    """
    root = Path(tempfile.mkdtemp(prefix="downhill-lab-"))
    target = root / notebook
    target.parent.mkdir(parents=True)
    _copy_notebook(notebook, target, renderer)
    port = free_port()
    log = open(root / "server.log", "wb")
    cmd = [
        sys.executable, "-m", "jupyterlab", "--no-browser", "--IdentityProvider.token=",
        "--ServerApp.password=", "--ServerApp.ip=127.0.0.1", f"--port={port}", f"--ServerApp.root_dir={root}",
        # the settings `make lab` uses: no calls out, no news toast, --allow-root as root
        f"--config={LAB_CONFIG}",
    ]
    env = dict(os.environ, JUPYTER_CONFIG_DIR=str(root / ".jupyter-config"),
               JUPYTERLAB_WORKSPACES_DIR=str(root / ".workspaces"))
    server = subprocess.Popen(cmd, cwd=root, stdout=log, stderr=subprocess.STDOUT, env=env,
                              start_new_session=True)
    try:
        base = f"http://127.0.0.1:{port}"
        _wait_until_up(server, f"{base}/api/status", root / "server.log", "jupyter lab")
        yield f"{base}/lab/tree/{notebook}?reset"
    finally:
        _stop(server)
        log.close()
        shutil.rmtree(root, ignore_errors=True)


def _wait_until_up(server, url, log_path, what):
    deadline = time.monotonic() + 60
    while True:
        if server.poll() is not None:
            raise RuntimeError(f"{what} exited early:\n{log_path.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(url, timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            pass
        if time.monotonic() > deadline:
            raise RuntimeError(f"{what} did not answer within 60 s")
        time.sleep(0.3)


def _stop(server):
    with contextlib.suppress(ProcessLookupError):
        os.killpg(server.pid, signal.SIGTERM)  # the server's own process group (its kernels too)
    try:
        server.wait(timeout=10)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(server.pid, signal.SIGKILL)
        server.wait(timeout=10)


@contextlib.contextmanager
def voila_app(notebook="notebooks/playground.ipynb", renderer="canvas"):
    """Serve the playground under Voila as `make app` does (keep the two in step); yields its URL.

    Voila only reads the notebook, so it is served from the repository itself (``renderer="jpeg"``:
    a copy in a temporary folder whose playground sends JPEG frames).
    """
    app = REPO / "notebooks" / "app"
    port = free_port()
    logdir = Path(tempfile.mkdtemp(prefix="downhill-voila-"))
    if renderer != "canvas":
        _copy_notebook(notebook, logdir / Path(notebook).name, renderer)
        notebook = logdir / Path(notebook).name
    log = open(logdir / "server.log", "wb")
    cmd = [sys.executable, "-m", "voila", str(REPO / notebook), "--no-browser", f"--port={port}",
           "--Voila.ip=127.0.0.1", f"--Voila.config_file_paths={app}"]
    env = dict(os.environ, JUPYTER_PATH=str(app), JUPYTER_CONFIG_DIR=str(logdir / ".jupyter-config"))
    server = subprocess.Popen(cmd, cwd=REPO, stdout=log, stderr=subprocess.STDOUT, env=env,
                              start_new_session=True)
    try:
        base = f"http://127.0.0.1:{port}"
        _wait_until_up(server, base + "/", logdir / "server.log", "voila")
        yield base + "/"
    finally:
        _stop(server)
        log.close()
        shutil.rmtree(logdir, ignore_errors=True)


# counts every message the page's websockets receive (the kernel's), before the page's own handlers run
COUNT_WEBSOCKET_MESSAGES = """
(() => {
  const Native = window.WebSocket;
  window.__wsIn = 0;
  function Counted(...args) {
    const ws = new Native(...args);
    ws.addEventListener('message', () => { window.__wsIn += 1; });
    return ws;
  }
  Counted.prototype = Native.prototype;
  for (const k of ['CONNECTING', 'OPEN', 'CLOSING', 'CLOSED']) Counted[k] = Native[k];
  window.WebSocket = Counted;
})();
"""
LOCAL = ("http://127.0.0.1", "http://localhost", "ws://127.0.0.1", "ws://localhost", "data:", "blob:")


@contextlib.contextmanager
def chromium_page(viewport=(1400, 1000), scale=1):
    """A headless Chromium page (``scale``: its device pixel ratio); ``page.outside_requests`` lists every
    request that left this machine; ``window.__wsIn`` in the page counts the websocket messages received."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            page = browser.new_page(viewport={"width": viewport[0], "height": viewport[1]}, device_scale_factor=scale)
            page.add_init_script(COUNT_WEBSOCKET_MESSAGES)
            page.outside_requests = []
            page.on("request", lambda r: None if r.url.startswith(LOCAL) else page.outside_requests.append(r.url))
            yield page
        finally:
            browser.close()


ARTIFACTS = REPO / "tests" / "browser" / "artifacts"  # screenshots of failures (git-ignored)


def open_and_run_all(page, url, timeout_ms=60_000, attempts=3):
    """Open the notebook, run all cells, and wait until the live figure is on the page.

    "Run All Cells" is chosen from the Run menu once the kernel reports idle; if the figure
    has not appeared after a while (a click that landed while the page was still settling),
    it is chosen again. On failure a screenshot is saved in tests/browser/artifacts/.
    """
    page.goto(url, timeout=timeout_ms)
    page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=timeout_ms)
    page.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status='idle']", timeout=timeout_ms)
    figure = DRAWN
    for attempt in range(attempts):
        page.locator(".jp-Notebook .jp-Cell").first.click()
        page.click(".lm-MenuBar-itemLabel:text-is('Run')", timeout=10_000)
        page.click(".lm-Menu-itemLabel:text-is('Run All Cells')", timeout=10_000)
        try:
            page.wait_for_selector(figure, timeout=timeout_ms // attempts, state="attached")
            break
        except Exception:
            print(f"no figure yet after Run All Cells (attempt {attempt + 1}); choosing it again")
            if attempt == attempts - 1:
                ARTIFACTS.mkdir(exist_ok=True)
                page.screenshot(path=str(ARTIFACTS / "run_all_failed.png"), full_page=True)
                raise
    page.locator(FIGURE).first.scroll_into_view_if_needed()
    page.evaluate(PROBE)


def open_app(page, url, timeout_ms=60_000):
    """Open the Voila page and wait until the live figure has drawn its first frame."""
    page.goto(url, timeout=timeout_ms)
    page.wait_for_selector(DRAWN, timeout=timeout_ms, state="attached")
    page.locator(FIGURE).first.scroll_into_view_if_needed()
    page.evaluate(PROBE)


def figure_changes(page):
    return page.evaluate("() => window.__downhill.changes")


def press_on_slider(page, css_class, key="ArrowRight", timeout_ms=10_000, kernel=False):
    """Focus the handle of the slider carrying ``css_class`` and press ``key``; wait for a new picture.

    Returns (changed, milliseconds from keydown to the new picture painted, or None); with
    ``kernel=True`` also the number of kernel messages that had arrived when it was drawn.
    """
    handle = page.locator(f".{css_class} .noUi-handle").first
    handle.focus()
    before = figure_changes(page)
    latencies_before = page.evaluate("() => window.__downhill.latencies.length")
    page.keyboard.press(key)
    try:
        page.wait_for_function(f"() => window.__downhill.changes > {before}", timeout=timeout_ms)
    except Exception:
        return (False, None, None) if kernel else (False, None)
    lat = page.evaluate(f"() => window.__downhill.latencies.slice({latencies_before})")
    if kernel:
        messages = page.evaluate(f"() => window.__downhill.kernelMessages.slice({latencies_before})")
        return True, (lat[0] if lat else None), (messages[0] if messages else None)
    return True, (lat[0] if lat else None)


def slider_readout(page, css_class):
    return page.locator(f".{css_class} .widget-readout").first.inner_text()


def error_outputs(page):
    """Texts of any stderr or error output in the notebook (should be none)."""
    return page.evaluate("""() => Array.from(document.querySelectorAll(
        '.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"], ' +
        '.jp-OutputArea-output.jp-mod-error, .jp-RenderedText[data-mime-type="application/vnd.jupyter.stderr"]'
      )).map(e => e.innerText.slice(0, 500))""") + page.evaluate(
        "() => Array.from(document.querySelectorAll('.jp-OutputArea-output')).map(e => e.innerText)"
        ".filter(t => t.includes('Traceback') || t.includes('Warning:')).map(t => t.slice(0, 500))")
