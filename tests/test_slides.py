"""The slides (`make slides`): every stored notebook carries the slide types tools/slide_metadata.py
computes, the rule does what its docstring says, and a deck loads nothing from another machine.

The decks themselves are driven in Chromium by tests/browser/test_slides_browser.py.
"""
import base64
import copy
import io
import json
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
import setup_cell  # noqa: E402
import slide_metadata as sm  # noqa: E402

NOTEBOOKS = sorted(p for p in (ROOT / "notebooks").rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts)
PROMPT = "**Predict, then run:** what does the next cell print?"


def ids(paths):
    return [str(p.relative_to(ROOT / "notebooks")) for p in paths]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=ids(NOTEBOOKS))
def test_stored_slide_types_are_the_rules(path):
    nb = nbformat.read(path, as_version=4)
    stored, computed = sm.stored_types(nb), sm.slide_types(nb)
    wrong = [(i, s, c) for i, (s, c) in enumerate(zip(stored, computed)) if s != c]
    assert not wrong, (f"cells (index, stored, computed) {wrong[:5]}: run tests/store_notebooks.py {path.name} "
                       "(or tools/slide_metadata.py for the slide types alone)")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=ids(NOTEBOOKS))
def test_no_prompt_shows_its_answer_before_a_key_press(path):
    """The run after a "Predict, then run" prompt is a fragment (it appears one key press after the
    question) or opens a subslide of its own; it is never on screen together with the question."""
    nb = nbformat.read(path, as_version=4)
    types = sm.slide_types(nb)
    prompts = [i for i, c in enumerate(nb.cells) if c.cell_type == "markdown" and sm.PROMPT.search(c.source)]
    for i in prompts:
        answer = sm.next_code_cell(nb.cells, types, i)
        if answer is not None:
            assert types[answer] in ("fragment", "subslide"), (i, answer, types[answer])
    if path.parent.name != "solutions" and re.match(r"0[1-9]_", path.name):    # 00 only explains them
        assert prompts, "a lesson has Predict, then run prompts (STYLE.md)"
        assert types.count("slide") >= 4, "a lesson has sections"


# --- the rule, on small notebooks made here -------------------------------------------------------------

def png(height_px, width_px=640):
    """A stored PNG output of the given pixel size (only its header is read by the rule)."""
    header = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + width_px.to_bytes(4, "big") + height_px.to_bytes(4, "big")
    data = base64.b64encode(header + b"\x08\x02\x00\x00\x00" + bytes(40)).decode()
    return new_output("display_data", data={"image/png": data, "text/plain": "<Figure>"})


def stream(lines):
    return new_output("stream", name="stdout", text="".join(f"line {i}\n" for i in range(lines)))


def code(source="x = 1", *outputs):
    cell = new_code_cell(source)
    cell.outputs = list(outputs)
    return cell


def notebook(*cells):
    return new_notebook(cells=list(cells))


def test_sections_slides_subsections_subslides_prompts_fragments():
    nb = notebook(
        new_markdown_cell("# 99 · A title\n\nWhat this is about."),
        code("import numpy as np"),
        new_markdown_cell("## 1. A section\n\nSome words."),
        code("print(1)", stream(1)),
        new_markdown_cell(PROMPT),
        code("print(2)", stream(1)),
        new_markdown_cell("Why it printed 2."),
        new_markdown_cell("### A subsection\n\nMore words."),
        code("y = 2"),
        new_markdown_cell("The end of one section.\n\n## 2. Another section, mid-cell\n\nWords."),
    )
    assert sm.slide_types(nb) == ["slide", "-", "slide", "-", "fragment", "fragment", "-", "subslide", "-",
                                  "slide"]


def test_a_prompt_inside_a_section_cell_keeps_the_slide_and_still_holds_back_its_answer():
    nb = notebook(new_markdown_cell("# T"), new_markdown_cell("## S\n\nText.\n\n" + PROMPT),
                  code("print(3)", stream(1)), code("print(4)", stream(1)))
    assert sm.slide_types(nb) == ["slide", "slide", "fragment", "-"]


def test_the_setup_cell_is_skipped_and_the_title_is_still_the_first_slide():
    setup = new_code_cell(setup_cell.source("https://example.invalid/course"))
    setup.id = setup_cell.CELL_ID
    nb = notebook(new_markdown_cell("# T"), setup, code("import numpy as np"))
    assert sm.slide_types(nb) == ["slide", "skip", "-"]
    # a setup cell that lost its id is still recognised by its first line
    setup.id = "renamed"
    assert sm.slide_types(nb)[1] == "skip"


def test_headings_inside_fenced_code_do_not_start_slides():
    nb = notebook(new_markdown_cell("# T"), new_markdown_cell("An example:\n\n```\n## not a heading\n```"))
    assert sm.slide_types(nb) == ["slide", "-"]


def test_a_long_section_is_split_into_subslides_that_each_fit():
    figure_cells = [code(f"plot({i})", png(380)) for i in range(6)]
    nb = notebook(new_markdown_cell("# T"), new_markdown_cell("## Many figures"), *figure_cells)
    types = sm.slide_types(nb)
    assert types[:2] == ["slide", "slide"]
    assert types.count("subslide") >= 3, types
    # every (sub)slide with more than one cell fits the budget by the rule's own estimate
    heights = [sm.cell_height(c) for c in nb.cells]
    groups, current = [], []
    for t, h in zip(types, heights):
        if t in ("slide", "subslide") and current:
            groups.append(current)
            current = []
        current.append(h)
    groups.append(current)
    for group in groups:
        assert len(group) == 1 or sum(group) <= sm.BUDGET, groups


def test_a_prompt_that_would_not_fit_with_its_answer_moves_to_a_new_subslide_with_it():
    nb = notebook(new_markdown_cell("# T"), new_markdown_cell("## S"), code("plot()", png(420)),
                  new_markdown_cell(PROMPT), code("plot(2)", png(300)))
    types = sm.slide_types(nb)
    assert types[3] == "subslide", types          # the prompt opens the next screen ...
    assert types[4] == "fragment", types          # ... and its answer waits for a key there


def test_a_cell_taller_than_the_slide_gets_a_subslide_of_its_own():
    nb = notebook(new_markdown_cell("# T"), new_markdown_cell("## S\n\nA line."), code("print()", stream(60)),
                  new_markdown_cell("After it."))
    assert sm.cell_height(nb.cells[2]) > sm.SLIDE_HEIGHT
    assert sm.slide_types(nb) == ["slide", "slide", "subslide", "subslide"]


def test_the_estimates_grow_with_the_content():
    short, long = "A sentence of words. " * 4, "A sentence of words. " * 40
    assert sm.markdown_height(long) > 3 * sm.markdown_height(short) > 0
    assert sm.cell_height(code("x", stream(20))) > sm.cell_height(code("x", stream(2)))
    assert sm.cell_height(code("x", png(400))) > sm.cell_height(code("x", png(100)))
    # a figure wider than the slide is scaled down to its width; a narrower one keeps its size
    assert sm.output_height(png(400, width_px=2 * sm.FIGURE_WIDTH)) == pytest.approx(200 + sm.CELL_GAP)
    assert sm.output_height(png(400, width_px=sm.FIGURE_WIDTH // 2)) == pytest.approx(400 + sm.CELL_GAP)
    table = "| a | b |\n|---|---|\n" + "| short | " + "many words " * 30 + "|\n"
    assert sm.markdown_height(table) > sm.markdown_height("| a | b |\n|---|---|\n| short | few |\n")


def test_apply_touches_only_the_slideshow_metadata_and_is_idempotent():
    nb = notebook(new_markdown_cell("# T"), code("print(1)", stream(1)), new_markdown_cell("## S"))
    nb.cells[1].execution_count = 1
    nb.cells[1].metadata["tags"] = ["keep-me"]
    nb.cells[2].metadata["slideshow"] = {"slide_type": "notes", "other": 1}
    before = copy.deepcopy(nb)
    assert sm.apply(nb) is True
    assert sm.stored_types(nb) == ["slide", "-", "slide"]
    assert nb.cells[2].metadata["slideshow"] == {"slide_type": "slide", "other": 1}
    for cell in list(nb.cells) + list(before.cells):
        cell.metadata.pop("slideshow", None)
    assert nb == before
    assert sm.apply(nb) is True           # slideshow was removed above: set again
    assert sm.apply(nb) is False          # and now nothing changes


def test_update_rewrites_the_file_as_nbformat_writes_it(tmp_path):
    nb = notebook(new_markdown_cell("# T"), code("print(1)", stream(1)))
    path = tmp_path / "n.ipynb"
    nbformat.write(nb, path)
    assert sm.update(path) is True
    text = path.read_text()
    assert sm.update(path) is False and path.read_text() == text
    expected = nbformat.read(path, as_version=4)
    buffer = io.StringIO()
    nbformat.write(expected, buffer)
    assert buffer.getvalue() == text          # the same bytes a store (nbformat.write) would give
    assert json.loads(text)["cells"][1]["metadata"] == {"slideshow": {"slide_type": "-"}}


def test_check_reports_a_notebook_edited_after_it_was_stored(tmp_path, capsys):
    path = tmp_path / "n.ipynb"
    nbformat.write(notebook(new_markdown_cell("# T"), new_markdown_cell("words")), path)
    sm.update(path)
    assert sm.main(["--check", str(path)]) == 0
    nb = nbformat.read(path, as_version=4)
    nb.cells.append(new_markdown_cell("## A new section, no slide type yet"))
    nbformat.write(nb, path)
    assert sm.main(["--check", str(path)]) == 1
    assert "n.ipynb" in capsys.readouterr().out


def test_bad_input_is_refused_naming_it(tmp_path):
    with pytest.raises(ValueError, match="path must be an existing .ipynb file.*nope.txt"):
        sm.update(tmp_path / "nope.txt")
    with pytest.raises(ValueError, match="nb must be a notebook"):
        sm.slide_types({"cells": "not a list"})
    with pytest.raises(ValueError, match="not a PNG"):
        sm.output_height(new_output("display_data", data={"image/png": base64.b64encode(b"GIF89a" + bytes(30)).decode()}))


# --- the deck's HTML: nothing from another machine --------------------------------------------------------

ABSOLUTE = re.compile(r"^(?:[a-z][a-z0-9+.-]*:)?//", re.I)      # http://, https://, //cdn...


@pytest.fixture(scope="module")
def deck_html(tmp_path_factory):
    """One deck, converted with `make slides`'s nbconvert settings from a small notebook with every kind of
    content the course has: maths, a figure, printed text, a widget output, a prompt."""
    folder = tmp_path_factory.mktemp("deck")
    widget = new_output("display_data", data={"application/vnd.jupyter.widget-view+json":
                                              {"model_id": "abc", "version_major": 2, "version_minor": 0},
                                              "text/plain": "VBox(children=(HTML(value='an explorer'),))"})
    nb = notebook(new_markdown_cell("# T\n\n$x^2$ and $$\\frac{1}{2}$$"), code("plot()", png(200)),
                  new_markdown_cell("## S\n\n" + PROMPT), code("print(1)", stream(1)), code("Explorer()", widget))
    sm.apply(nb)
    nbformat.write(nb, folder / "deck.ipynb")
    subprocess.run([sys.executable, "-m", "jupyter", "nbconvert", "--config",
                    str(ROOT / "tools" / "slides" / "nbconvert_config.py"), "--log-level=ERROR",
                    "--output-dir", str(folder), str(folder / "deck.ipynb")], check=True, cwd=ROOT, timeout=120)
    return (folder / "deck.slides.html").read_text()


def test_the_deck_names_only_files_beside_it(deck_html):
    addresses = re.findall(r"<(?:script|link|img|iframe|source)\b[^>]*?\b(?:src|href)=\"([^\"]*)\"", deck_html)
    addresses += re.findall(r"@import\s+(?:url\()?['\"]?([^'\");]+)", deck_html)
    addresses += re.findall(r"\bimport\s+\w+\s+from\s+['\"]([^'\"]+)", deck_html)
    assert addresses, "found no asset in the deck: the pattern is wrong"
    outside = [a for a in addresses if ABSOLUTE.match(a)]
    assert outside == [], outside
    loaded = {a for a in addresses if not a.startswith("data:")}
    assert loaded == {"reveal.js/dist/reveal.css", "reveal.js/dist/theme/white.css", "mathjax/es5/tex-chtml.js",
                      "reveal.js/dist/reveal.js", "reveal.js/plugin/notes/notes.js"}, loaded


def test_a_live_widget_becomes_a_line_saying_where_it_runs(deck_html):
    assert "VBox(children" not in deck_html
    assert deck_html.count("Live explorer: run this notebook in JupyterLab") == 1


def test_the_deck_has_no_cdn_loader_and_no_widget_manager(deck_html):
    for needle in ("require.min.js", "jquery", "mermaid", "unpkg.com", "cdnjs", "cdn.jsdelivr", "html-manager",
                   "embed-amd", "fonts.googleapis", "MathJax.Hub"):
        assert needle.lower() not in deck_html.lower(), needle


def test_the_makefile_copies_every_asset_a_deck_names():
    makefile = (ROOT / "Makefile").read_text()
    block = makefile[makefile.index("slides: $(STAMP) $(NODE_STAMP)"):]
    block = block[:block.index("\n\n")]
    for asset in ("reveal.js/dist/reveal.js", "reveal.js/dist/reveal.css", "reveal.js/dist/theme/white.css",
                  "reveal.js/plugin/notes/notes.js", "mathjax/es5/tex-chtml.js"):
        assert f"node_modules/{asset}" in block, asset
