"""The `make app` page in Chinese and Hindi (?lang=zh, ?lang=hi) in headless Chromium.

The page is opened at 1280 x 720 and screenshotted into tests/browser/artifacts/ (look at them: the
fonts are Debian's fonts-noto-cjk and fonts-noto-core, which .ci/run installs). The test checks that
the title, the control labels, the figure's name and its live description are in the language's
script, that the English labels are gone, and that the page asked nothing of the network.
An unknown ?lang= is refused with 400. No time is asserted.
"""

import html
import os
import re
import shutil
import subprocess
import urllib.error
import urllib.request

import pytest

from labdriver import FIGURE_ELEMENT, REPO, chromium_page, open_app
from test_playground_app import voila_server

from helpers.lessons.playground_text import text

pytestmark = pytest.mark.browser

ARTIFACTS = REPO / "tests" / "browser" / "artifacts"      # git-ignored
SCRIPTS = {"zh": (re.compile(r"[\u4e00-\u9fff]"), "Noto Sans CJK"),
           "hi": (re.compile(r"[\u0900-\u097f]"), "Noto Sans Devanagari")}


def fonts_for(lang):
    """Skip (or fail, under DOWNHILL_REQUIRE_BROWSER=1) when the script's Noto font is absent."""
    family = SCRIPTS[lang][1]
    listed = subprocess.run(["fc-list"], capture_output=True, text=True).stdout if shutil.which("fc-list") else ""
    if family not in listed:
        reason = (f"font {family!r} not installed: apt-get install -y fonts-noto-cjk fonts-noto-core "
                  "(.ci/run does) to see the page in that script")
        if os.environ.get("DOWNHILL_REQUIRE_BROWSER") == "1":
            pytest.fail(f"DOWNHILL_REQUIRE_BROWSER=1 but {reason}")
        pytest.skip(reason)


@pytest.fixture(scope="module")
def app_url():
    with voila_server() as (url, server):
        yield url


@pytest.mark.parametrize("lang", ["zh", "hi"])
def test_the_app_speaks_the_language_of_its_address(chromium_available, app_url, lang):
    fonts_for(lang)
    script = SCRIPTS[lang][0]
    ARTIFACTS.mkdir(exist_ok=True)
    with chromium_page(viewport=(1280, 720)) as page:
        open_app(page, f"{app_url}?lang={lang}")
        page.wait_for_function("""() => {
            const figure = %s;
            return figure && figure.getAttribute('aria-label') && figure.getAttribute('aria-describedby');
        }""" % FIGURE_ELEMENT, timeout=10_000)
        page.wait_for_timeout(500)     # the a11y helper's last pass
        page.screenshot(path=str(ARTIFACTS / f"projector_1280x720_{lang}.png"))
        seen = page.evaluate("""() => {
            const img = %s;
            const caption = document.getElementById(img.getAttribute('aria-describedby'));
            return {lang: document.documentElement.lang,
                    title: document.querySelector('.jp-RenderedMarkdown h1')?.innerText || '',
                    labels: Array.from(document.querySelectorAll('.downhill-explorer .widget-label'))
                                 .map(e => e.innerText.trim()).filter(t => t),
                    sliders: Array.from(document.querySelectorAll('.downhill-explorer [role=slider]'))
                                  .map(h => h.getAttribute('aria-label')),
                    alt: img.getAttribute('aria-label'), caption: caption.innerText};
        }""" % FIGURE_ELEMENT)
        assert seen["lang"].startswith(lang)
        assert seen["title"].strip() == text("title", lang)
        for words in (seen["title"], seen["alt"], seen["caption"]):
            assert script.search(words), words
        for key in ("lr", "schedule", "surface"):
            assert text(f"control.{key}", lang) in seen["labels"], (key, seen["labels"])
        assert text("control.lr", lang) in seen["sliders"]
        english = {"shared learning rate", "schedule", "surface", "show step", "momentum", "steps"}
        assert not english & set(seen["labels"]), seen["labels"]
        assert sum(bool(script.search(label)) for label in seen["labels"]) >= 8, seen["labels"]
        assert "SGD" in seen["caption"] and "Adam" in seen["caption"]
        assert page.outside_requests == []


def test_an_unknown_language_is_refused(chromium_available, app_url):
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(f"{app_url}?lang=de", timeout=60)
    assert refused.value.code == 400


def test_make_app_s_language_is_the_default_and_the_address_still_wins(chromium_available):
    """`make app LANG=pt` passes DOWNHILL_APP_LANG=pt to notebooks/app/voila.py: pages are in
    Portuguese unless their address asks for another language."""
    with voila_server(DOWNHILL_APP_LANG="pt") as (url, server):
        # the page's HTML carries the title (the controls come later, over the kernel's websocket)
        page = html.unescape(urllib.request.urlopen(url, timeout=120).read().decode())
        assert text("title", "pt") in page
        french = html.unescape(urllib.request.urlopen(f"{url}?lang=fr", timeout=120).read().decode())
        assert text("title", "fr") in french and text("title", "pt") not in french
