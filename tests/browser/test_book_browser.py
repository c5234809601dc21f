"""The static book (`make book`) as a reader opens it, in headless Chromium, with no network.

The module's fixture builds the book with book/build.py (incremental: a few seconds when nothing
changed, about 15 s from scratch) and serves build/book on 127.0.0.1. Three pages are opened: the
intro, 03 (the most maths) and 04 (the most figures, and a live explorer). On each, every request
must stay on this machine and be answered, the maths must be typeset by the local MathJax (no raw
TeX left in the visible text), every <img> must have loaded and carry a text alternative, and the
banner must link to this notebook on Colab and Binder as tools/links.py builds the links.

The tests at the bottom check book/build.py's pieces on small made-up notebooks (no browser).
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import importlib.util
import json
import re
import socketserver
import subprocess
import sys
import threading

import pytest

from labdriver import REPO, chromium_page, free_port  # tests/browser/ is on sys.path (prepend import mode)

BOOK = REPO / "build" / "book"
INTRO, MATHS, FIGURES = "intro.html", "notebooks/03_gradient_descent.html", "notebooks/04_loss_landscapes.html"


def _load(name, path):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


build = _load("downhill_book_build", REPO / "book" / "build.py")
links = _load("downhill_links_for_test", REPO / "tools" / "links.py")


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@contextlib.contextmanager
def serve(folder):
    """Serve ``folder`` on 127.0.0.1 (a free port) from a thread; yields the base URL."""
    server = socketserver.ThreadingTCPServer(("127.0.0.1", free_port()),
                                             functools.partial(_QuietHandler, directory=str(folder)))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


@pytest.fixture(scope="module")
def book_url():
    result = subprocess.run([sys.executable, str(REPO / "book" / "build.py")], cwd=REPO,
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, f"book/build.py failed:\n{result.stdout[-4000:]}\n{result.stderr[-4000:]}"
    with serve(BOOK) as url:
        yield url


# Page-side probes. The visible prose is read from text nodes outside code, scripts and typeset maths.
READ_PAGE = """
async () => {
  const article = document.querySelector('article.bd-article') || document.body;
  const skip = 'pre, code, script, style, mjx-container, .highlight';
  const walker = document.createTreeWalker(article, NodeFilter.SHOW_TEXT, {
    acceptNode: n => n.parentElement.closest(skip) ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT});
  const prose = [];
  while (walker.nextNode()) prose.push(walker.currentNode.nodeValue);
  const images = [];
  for (const img of article.querySelectorAll('img')) {
    img.loading = 'eager';
    await img.decode().catch(() => null);
    images.push({src: img.getAttribute('src'), alt: img.getAttribute('alt') || '', width: img.naturalWidth});
  }
  const maths = Array.from(article.querySelectorAll('.math'));
  return {
    prose: prose.join(' '),
    images,
    maths: maths.length,
    typeset: maths.filter(m => m.querySelector('mjx-container')).length,
    mathErrors: article.querySelectorAll('mjx-merror').length,
    banner: Array.from(document.querySelectorAll('.downhill-run-live a')).map(a => a.href),
    notes: Array.from(article.querySelectorAll('.downhill-explorer-note')).map(n => n.innerText),
    widgetScripts: document.querySelectorAll('script[type^="application/vnd.jupyter.widget"]').length,
    nav: Array.from(document.querySelectorAll('.bd-sidebar-primary nav a.reference.internal'))
              .map(a => a.getAttribute('href')),
  };
}
"""
WAIT_FOR_MATHS = """
() => !document.querySelector('.math') ||
      (window.MathJax && MathJax.startup && MathJax.startup.promise && MathJax.startup.document)
"""


def open_page(page, url, problems):
    """Open ``url``, wait for MathJax's first typesetting, and read the page (READ_PAGE's fields)."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    page.goto(url, wait_until="load", timeout=60_000)
    try:
        page.wait_for_function(WAIT_FOR_MATHS, timeout=30_000)
    except PlaywrightTimeout:
        pytest.fail(f"{url}: the page has maths but MathJax did not start within 30 s "
                    f"(requests that failed: {problems})")
    page.evaluate("() => window.MathJax && MathJax.startup ? MathJax.startup.promise.then(() => true) : true")
    found = page.evaluate(READ_PAGE)
    assert found["images"] or found["maths"] or url.endswith(INTRO), f"{url}: nothing read from the page"
    assert not problems, f"{url}: requests failed or refused: {problems}"
    return found


def check_page(found, name):
    # maths: every formula typeset, none left as TeX in the prose, no MathJax error boxes
    assert found["typeset"] == found["maths"], f"{name}: {found['maths'] - found['typeset']} formulas not typeset"
    assert found["mathErrors"] == 0, f"{name}: MathJax reported {found['mathErrors']} errors"
    raw = re.findall(r"\\\(|\\\)|\\\[|\\\]|\$\$|\$[^$\s][^$]*\$", found["prose"])
    assert not raw, f"{name}: raw TeX in the visible text: {raw[:5]}"
    assert "Loading widget" not in found["prose"] and found["widgetScripts"] == 0, f"{name}: a widget shows raw"
    # figures: loaded, each with a text alternative that says something
    for img in found["images"]:
        assert img["width"] > 0, f"{name}: {img['src']} did not load"
        alt = img["alt"].strip()
        assert len(alt) >= 20 and not alt.startswith("<Figure"), f"{name}: {img['src']} has alt {alt!r}"


@pytest.mark.browser
def test_three_pages_offline_typeset_and_described(chromium_available, book_url):
    with chromium_page(viewport=(1280, 900)) as page:
        problems = []
        page.on("requestfailed", lambda r: problems.append(f"{r.url}: {r.failure}"))
        page.on("response", lambda r: problems.append(f"{r.url}: HTTP {r.status}") if r.status >= 400 else None)

        maths = open_page(page, f"{book_url}/{MATHS}", problems)
        check_page(maths, MATHS)
        assert maths["maths"] >= 50, f"{MATHS}: only {maths['maths']} formulas found; is this the maths page?"
        assert maths["banner"] == [links.colab_url("notebooks/03_gradient_descent.ipynb"),
                                   links.binder_url("notebooks/03_gradient_descent.ipynb")]

        figures = open_page(page, f"{book_url}/{FIGURES}", problems)
        check_page(figures, FIGURES)
        assert len(figures["images"]) >= 10, f"{FIGURES}: {len(figures['images'])} figures, expected the 11 stored"
        assert len({img["alt"] for img in figures["images"]}) == len(figures["images"]), \
            "two figures on one page share a text alternative"
        # the live explorer (FogExplorer) shows as a note that points at its static figure
        assert len(figures["notes"]) == 1 and "static figure above" in figures["notes"][0]

        intro = open_page(page, f"{book_url}/{INTRO}", problems)
        check_page(intro, INTRO)
        assert intro["banner"] == [links.colab_url("notebooks/00_start_here.ipynb"),
                                   links.binder_url("notebooks/00_start_here.ipynb")]
        # the sidebar lists the course 00 ... 09, the playground, then the solutions, as _toc.yml does
        pages = [href.split("#")[0].removesuffix(".html") for href in intro["nav"]]
        expected = [f for f in build.toc_files() if f != "intro"]
        assert [p for p in pages if p.startswith("notebooks/")] == expected

        assert page.outside_requests == [], f"the book reached outside this machine: {page.outside_requests}"
        assert not problems, f"requests failed or refused: {problems}"


# ---------------------------------------------------------------------------------------------------
# book/build.py's pieces, on small made-up notebooks


def md(text):
    return {"cell_type": "markdown", "metadata": {}, "source": text}


def figure(*printed, n=1, metadata=None):
    outputs = [{"output_type": "stream", "name": "stdout", "text": p} for p in printed]
    outputs += [{"output_type": "display_data", "metadata": {},
                 "data": {"image/png": "iVBORw0KGgo=", "text/plain": "<Figure size 640x480 with 1 Axes>"}}] * n
    return {"cell_type": "code", "metadata": metadata or {}, "source": "plt.show()", "outputs": outputs,
            "execution_count": 1}


def explorer():
    data = {"application/vnd.jupyter.widget-view+json": {"model_id": "abc", "version_major": 2, "version_minor": 0},
            "text/plain": "VBox(children=(HTML(value='caption …"}
    return {"cell_type": "code", "metadata": {}, "source": "Explorer()", "execution_count": 1,
            "outputs": [{"output_type": "execute_result", "metadata": {}, "data": data, "execution_count": 1}]}


def alts(cells):
    return {i: [(a["alt"], a["source"]) for a in entries] for i, entries in build.figure_alts(cells).items()}


def test_alt_is_the_describing_paragraph_before_the_figure():
    cells = [md("## Two\n\nThe left panel shows the path, **the right** the loss at $\\text{lr} = 0.1$."), figure()]
    assert alts(cells) == {1: [("The left panel shows the path, the right the loss at lr = 0.1.", "paragraph before")]}


def test_a_prediction_prompt_gives_way_to_the_paragraph_that_reads_the_figure():
    cells = [md("**Predict, then run:** which run is fastest?"), figure(),
             md("Three regimes:\n\n- small: slow\n- large: diverges\n\n## Next")]
    assert alts(cells) == {1: [("Three regimes: small: slow large: diverges", "paragraph after")]}


def test_a_short_lead_in_is_followed_by_the_reading_up_to_where_the_prose_moves_on():
    cells = [md("The cell below measures the slope in 360 directions."), figure(),
             md("The slopes trace a cosine. Its peak is the gradient. Where is its bottom? Elsewhere.")]
    assert alts(cells) == {1: [("The cell below measures the slope in 360 directions. The slopes trace a cosine. "
                                "Its peak is the gradient.", "paragraphs before and after")]}


def test_a_paragraph_is_not_claimed_across_another_figure():
    cells = [md("The first figure shows a bowl."), figure(), figure(), md("The second reads as a valley.")]
    found = alts(cells)
    assert found[1] == [("The first figure shows a bowl.", "paragraph before")]
    assert found[2] == [("The second reads as a valley.", "paragraph after")]


def test_one_table_row_per_figure_of_a_looping_cell():
    table = "| surface | shape |\n|---|---|\n| `bowl` | one bowl |\n| `saddle` | a saddle |"
    cells = [md("Each figure shows one surface. What to look for:\n\n" + table), figure(n=2)]
    assert alts(cells)[1] == [("bowl. Shape: one bowl. Each figure shows one surface.", "table row 1 before"),
                              ("saddle. Shape: a saddle. Each figure shows one surface.", "table row 2 before")]


def test_a_printed_caption_and_a_metadata_alt_take_precedence():
    cells = [md("Some paragraph."), figure("SGD on the bowl; left: paths.\n"),
             figure(metadata={"downhill": {"alt": "Written for this figure."}})]
    assert alts(cells) == {1: [("SGD on the bowl; left: paths.", "printed caption")],
                           2: [("Written for this figure.", "cell metadata")]}


def test_a_metadata_alt_of_the_wrong_length_is_refused():
    cells = [figure(n=2, metadata={"downhill": {"alt": ["only one"]}})]
    with pytest.raises(ValueError, match="downhill.alt"):
        build.figure_alts(cells)


def test_tex_becomes_readable_text():
    assert build.tex_to_text(r"\eta\cdot\text{wd} \le 10^{-3}") == "η·wd ≤ 10⁻³"
    assert build.tex_to_text(r"x^4 - 2x^2 + \tfrac{x}{2}") == "x⁴ - 2x² + x/2"
    assert build.tex_to_text(r"\sqrt{1-\beta_2^t}") == "√(1-β₂^t)"


def test_a_widget_becomes_a_note_pointing_at_its_static_figure():
    nb = {"metadata": {"widgets": {"state": {}}}, "nbformat": 4, "nbformat_minor": 5,
          "cells": [md("# 03 · A title\n\nIntro."), md("## Part"), figure(), md("Move the slider."), explorer(),
                    md("## Next part"), figure()]}
    staged, _ = build.stage_notebook(nb, "notebooks/03_x.ipynb", ["intro", "notebooks/03_x"])
    note = staged["cells"][4]["outputs"][0]
    assert note["output_type"] == "display_data" and list(note["data"]) == ["text/html"]
    assert "static figure above" in note["data"]["text/html"]
    assert "widgets" not in staged["metadata"]
    # a heading says nothing about the figure under it: the paragraph after it does
    assert staged["cells"][2]["metadata"]["downhill_book"]["alts"] == ["Move the slider."]
    banner = staged["cells"][0]["source"]
    assert banner.startswith("# 03 · A title\n") and links.colab_url("notebooks/03_x.ipynb") in banner
    assert nb["cells"][4]["outputs"][0]["output_type"] == "execute_result", "the stored notebook was changed"


def test_the_check_finds_a_remote_script_and_a_missing_alt(tmp_path):
    (tmp_path / "page.html").write_text(
        '<html><head><script src="https://cdn.example.org/x.js"></script>'
        '<script>const LIB = "https://unpkg.example.com/lib.js"; const n = 2 // 1;</script>'
        '<link rel="stylesheet" href="_static/local.css"></head>'
        '<body><img src="a.png" alt="A curve falling to zero."><img src="b.png">'
        '<a href="https://colab.research.google.com/x">a link is not a load</a></body></html>')
    (tmp_path / "style.css").write_text("@font-face { src: url(https://fonts.example.org/f.woff2); }")
    problems = build.check_site(tmp_path)
    assert len(problems) == 4, problems
    assert any("cdn.example.org" in p for p in problems) and any("b.png" in p for p in problems)
    assert any("unpkg.example.com" in p for p in problems)
    assert any("fonts.example.org" in p for p in problems)


def test_every_stored_figure_has_words_of_its_own():
    """Each figure in the course finds a describing text in its notebook (else give it metadata downhill.alt)."""
    for page in build.toc_files():
        if not page.startswith("notebooks/"):
            continue
        cells = json.loads((REPO / f"{page}.ipynb").read_text(encoding="utf-8"))["cells"]
        for i, entries in build.figure_alts(cells).items():
            for entry in entries:
                assert entry["source"] != "none found", f"{page} cell {i}: no text to describe its figure"
                assert len(entry["alt"]) >= 40, f"{page} cell {i}: alt too short: {entry['alt']!r}"
