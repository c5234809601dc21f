"""The slides as a presenter uses them: `make slides` decks served on 127.0.0.1, opened in headless
Chromium and stepped through with the keys a presenter (or a clicker) presses.

Two decks, built by one `make slides` call into a temp folder: a small notebook made here, whose
structure is known (a section, a "Predict, then run" prompt and its answer, a slide taller than the
screen), for the exact key-by-key checks; and notebook 01 as stored, stepped through to its end at
1280 x 720 and 1920 x 1080, for what every real deck must do: typeset maths, show its figures, cut
nothing off, and ask nothing of any machine but this one.
"""

import base64
import contextlib
import io
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from labdriver import REPO, _stop, _wait_until_up, chromium_page, free_port

sys.path.insert(0, str(REPO / "tools"))
import slide_metadata  # noqa: E402

pytestmark = pytest.mark.browser

LESSON = "notebooks/01_derivatives_and_gradients.ipynb"
PROMPT = "**Predict, then run:** which number does the next cell print?"
STEP_LIMIT = 400                    # keys pressed at most while walking through one deck


def figure_output():
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6, 3), dpi=80)
    ax.plot([0, 1, 2], [2, 0, 1])
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    plt.close(fig)
    return new_output("display_data", data={"image/png": base64.b64encode(buffer.getvalue()).decode(),
                                            "text/plain": "<Figure>"})


def small_notebook():
    answer = new_code_cell("print(6 * 7)")
    answer.outputs = [new_output("stream", name="stdout", text="42\n")]
    tall = new_code_cell("for i in range(60):\n    print(i)")
    tall.outputs = [new_output("stream", name="stdout", text="".join(f"{i}\n" for i in range(60)))]
    plot = new_code_cell("plt.plot([0, 1, 2], [2, 0, 1])")
    plot.outputs = [figure_output()]
    nb = new_notebook(cells=[
        new_markdown_cell("# A small deck\n\nThe loss $L(w) = (w - 2)^2$ has slope $L'(w) = 2(w - 2)$."),
        plot,
        new_markdown_cell("## A prompt\n\nSix times seven."),
        new_markdown_cell(PROMPT),
        answer,
        new_markdown_cell("## A long output"),
        tall,
        new_markdown_cell("## The end\n\n$$\\frac{2}{L}$$"),
    ])
    slide_metadata.apply(nb)
    return nb


@pytest.fixture(scope="module")
def decks():
    """Build both decks with `make slides` (the Makefile's own asset copies and nbconvert settings)."""
    folder = Path(tempfile.mkdtemp(prefix="downhill-slides-"))
    small = folder / "small_deck.ipynb"
    nbformat.write(small_notebook(), small)
    out = folder / "slides"
    # -o: the running environment is the one to test; do not reinstall it if requirements.txt is newer
    subprocess.run(["make", "-s", "-o", ".venv/.installed", "slides", f"SLIDES_DIR={out}",
                    f"SLIDE_NOTEBOOKS={LESSON} {small}"], cwd=REPO, check=True, timeout=600)
    yield out
    shutil.rmtree(folder, ignore_errors=True)


@contextlib.contextmanager
def served(folder):
    """Serve ``folder`` on 127.0.0.1 (a free port) with Python's http.server; yields the base URL."""
    port = free_port()
    log_path = folder.parent / f"server-{port}.log"
    with open(log_path, "wb") as log:
        server = subprocess.Popen([sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1",
                                   "--directory", str(folder)], stdout=log, stderr=subprocess.STDOUT,
                                  start_new_session=True)
        try:
            base = f"http://127.0.0.1:{port}"
            _wait_until_up(server, base + "/", log_path, "http.server")
            yield base
        finally:
            _stop(server)


def watch(page):
    """Record failed responses, failed requests and console errors of ``page``."""
    page.problems = []
    page.on("response", lambda r: page.problems.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    page.on("requestfailed", lambda r: page.problems.append(f"failed {r.url}"))
    page.on("console", lambda m: page.problems.append(f"console {m.text}") if m.type == "error" else None)
    page.on("pageerror", lambda e: page.problems.append(f"page error {e}"))


def open_deck(page, url):
    page.goto(url)
    page.wait_for_function("() => window.Reveal && Reveal.isReady()", timeout=30_000)
    page.wait_for_function("() => document.body.getAttribute('data-mathjax') === 'typeset'", timeout=30_000)
    page.wait_for_load_state("load")


def where(page):
    """The current slide: reveal.js's indices, whether it scrolls, how far, and how tall it is."""
    return page.evaluate("""() => {
        const s = Reveal.getCurrentSlide(), i = Reveal.getIndices();
        return {h: i.h, v: i.v, f: i.f === undefined ? -1 : i.f, past: Reveal.getSlidePastCount(),
                scrolls: s.classList.contains('downhill-scroll'), top: s.scrollTop,
                height: s.scrollHeight, limit: Reveal.getConfig().height,
                visibleFragments: s.querySelectorAll('.fragment.visible').length,
                fragments: s.querySelectorAll('.fragment').length,
                text: s.innerText.slice(0, 200)};
    }""")


def press(page, key):
    page.keyboard.press(key)
    page.wait_for_timeout(60)
    return where(page)


def maths_and_figures(page):
    return page.evaluate("""() => ({
        typeset: document.querySelectorAll('mjx-container').length,
        errors: document.querySelectorAll('mjx-merror').length,
        images: Array.from(document.querySelectorAll('.reveal img')).map(i => i.complete && i.naturalWidth > 0),
    })""")


def test_keys_step_through_slides_fragments_and_a_tall_slide(chromium_available, decks):
    with served(decks) as base, chromium_page(viewport=(1280, 720)) as page:
        watch(page)
        open_deck(page, f"{base}/small_deck.slides.html")
        start = where(page)
        assert (start["h"], start["v"], start["past"]) == (0, 0, 0)
        assert maths_and_figures(page)["typeset"] >= 3
        assert maths_and_figures(page)["errors"] == 0

        at_prompt = press(page, "ArrowRight")                       # to the section with the prompt
        assert at_prompt["h"] == 1 and at_prompt["past"] == 1
        assert at_prompt["fragments"] == 2 and at_prompt["visibleFragments"] == 0
        assert "Six times seven" in at_prompt["text"]

        question = press(page, "Space")                             # the prompt appears, same slide
        assert (question["h"], question["visibleFragments"]) == (1, 1)
        assert page.locator(".present p", has_text="which number does the next cell print").is_visible()
        assert not page.locator(".present .fragment").nth(1).evaluate("e => e.classList.contains('visible')")

        answer = press(page, "ArrowDown")                           # then its answer, still the same slide
        assert (answer["h"], answer["visibleFragments"]) == (1, 2)
        assert page.locator(".present pre", has_text="42").last.is_visible()

        tall = press(page, "ArrowRight")                            # next slide: its output is too tall
        assert tall["h"] == 2 and tall["past"] == 2
        if not tall["scrolls"]:                                     # the output may open a subslide below
            tall = press(page, "ArrowDown")
        assert tall["scrolls"] and tall["height"] > tall["limit"] and tall["top"] == 0
        scrolled = press(page, "Space")                             # the key scrolls before it moves on
        assert (scrolled["h"], scrolled["v"]) == (tall["h"], tall["v"]) and scrolled["top"] > 0
        for _ in range(10):
            if (scrolled["h"], scrolled["v"]) != (tall["h"], tall["v"]):
                break
            scrolled = press(page, "Space")
        assert scrolled["h"] == 3, "Space did not move on after the end of the tall slide"
        back = press(page, "ArrowLeft")
        assert (back["h"], back["v"]) == (tall["h"], tall["v"]) and back["top"] > 0

        assert all(maths_and_figures(page)["images"])
        assert page.outside_requests == [], page.outside_requests
        assert page.problems == [], page.problems


@pytest.mark.parametrize("size", [(1280, 720), (1920, 1080)], ids=["720p", "1080p"])
def test_a_lesson_deck_from_start_to_end(chromium_available, decks, size):
    """Every step of notebook 01's deck: nothing cut off (a slide fits, or scrolls), maths typeset,
    figures loaded, no request beyond 127.0.0.1, no missing file, no script error."""
    with served(decks) as base, chromium_page(viewport=size) as page:
        watch(page)
        open_deck(page, f"{base}/{Path(LESSON).stem}.slides.html")
        total = page.evaluate("() => Reveal.getTotalSlides()")
        fragments = page.evaluate("() => document.querySelectorAll('.fragment').length")
        assert total >= 10
        state, seen, cut, steps = where(page), set(), [], 0
        while steps < STEP_LIMIT:
            seen.add((state["h"], state["v"]))
            if state["height"] > state["limit"] and not state["scrolls"]:
                cut.append(state)
            if page.evaluate("() => Reveal.isLastSlide() && !Reveal.availableFragments().next") and (
                    not state["scrolls"] or state["top"] + state["limit"] >= state["height"] - 2):
                break
            previous, state = state, press(page, "Space")
            steps += 1
            assert (state["past"], state["f"], state["top"]) != (previous["past"], previous["f"], previous["top"]), \
                f"Space did nothing on slide {previous['h']}/{previous['v']}"
        assert len(seen) == total, f"visited {len(seen)} of {total} slides"
        assert steps >= total - 1 + fragments
        assert cut == [], f"slides cut off without scrolling: {cut}"
        found = maths_and_figures(page)
        assert found["typeset"] > 20 and found["errors"] == 0
        assert found["images"] and all(found["images"])
        assert page.outside_requests == [], page.outside_requests
        assert page.problems == [], page.problems
