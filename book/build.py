"""Build the course as a static website, `make book`: every notebook from its stored outputs.

    .venv/bin/python book/build.py          # writes build/book/ (open build/book/index.html)
    .venv/bin/python book/build.py --alts   # also print every figure's text alternative and its source

No notebook is executed and nothing is fetched. The steps:

1. stage a source tree in build/book-src/: the pages of book/ and a copy of every notebook (the stored
   notebooks are never changed), each copy with three additions;
2. run jupyter-book (Sphinx, execution off) on it; Sphinx's own cache is kept in build/book-work/,
   so a second build only reads what changed;
3. copy the HTML to build/book/, with the local MathJax from node_modules/ (`npm ci`, which
   `make book` runs first) in build/book/_static/mathjax/, and check it: no page may load a script,
   style sheet, font or image from another machine, and every <img> must have a text alternative.

What each staged notebook gets:

- a banner under its title: how to run it live, on your machine (`make lab`), on Colab and on Binder;
  the links come from tools/links.py, where the course's address is set once;
- in place of each live explorer (a widget; the stored notebooks keep no widget state, so a page
  cannot draw one): a note saying so, and where the static figure of the same computation is;
- a text alternative for every figure, taken from the notebook's own words (see figure_alts()).
"""
from __future__ import annotations

import argparse
import copy
import html
import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
BOOK = REPO / "book"
SRC = REPO / "build" / "book-src"
WORK = REPO / "build" / "book-work"
OUT = REPO / "build" / "book"
MATHJAX = REPO / "node_modules" / "mathjax"
# what tex-chtml.js loads at run time, from beside itself: TeX extensions (autoload), its fonts, and
# the menu's accessibility components with their speech rules
MATHJAX_PARTS = ["tex-chtml.js", "input/tex/extensions", "output/chtml/fonts/woff-v2", "a11y", "sre", "ui"]
PAGES = ["_config.yml", "_toc.yml", "downhill_book.py", "_static/downhill.css"]

WIDGET = "application/vnd.jupyter.widget-view+json"
SHORT_LEAD = 250   # characters: a paragraph before a figure this short gets the reading after it too
IMAGES = ("image/png", "image/jpeg", "image/svg+xml", "image/gif")


def _links():
    spec = importlib.util.spec_from_file_location("downhill_links", REPO / "tools" / "links.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# ---------------------------------------------------------------------------------------------------
# the table of contents


def toc_files(toc: Path = BOOK / "_toc.yml") -> list[str]:
    """The pages listed in _toc.yml, in order (paths without suffix, relative to the book's root)."""
    files = re.findall(r"^\s*-?\s*(?:file|root):\s*(\S+)\s*$", toc.read_text(encoding="utf-8"), flags=re.M)
    if not files:
        raise ValueError(f"toc lists no pages: {toc}")
    return files


def check_toc_covers_notebooks(files: list[str]) -> None:
    """Every stored notebook is a page of the book, and every page in the toc exists."""
    notebooks = {str(p.relative_to(REPO).with_suffix("")) for p in (REPO / "notebooks").rglob("*.ipynb")
                 if ".ipynb_checkpoints" not in p.parts}
    listed = {f for f in files if f.startswith("notebooks/")}
    missing, unknown = sorted(notebooks - listed), sorted(listed - notebooks)
    if missing or unknown:
        raise SystemExit(f"book/_toc.yml is out of step with notebooks/: not listed {missing}, "
                         f"listed but absent {unknown}")


# ---------------------------------------------------------------------------------------------------
# text alternatives for the figures


def _source(cell) -> str:
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else src


def _image_outputs(cell) -> list[dict]:
    return [o for o in cell.get("outputs", []) if any(m in o.get("data", {}) for m in IMAGES)]


def _has_widget(cell) -> bool:
    return any(WIDGET in o.get("data", {}) for o in cell.get("outputs", []))


def _blocks(markdown: str) -> list[str]:
    """Markdown split at blank lines (a paragraph, a list, a table or a heading each)."""
    return [b.strip() for b in re.split(r"\n\s*\n", markdown) if b.strip()]


def _is_heading(block: str) -> bool:
    return block.startswith("#")


def _table_rows(block: str) -> list[list[str]] | None:
    """The body rows of a Markdown table (cells stripped), or None if ``block`` is not a table."""
    lines = [ln.strip() for ln in block.splitlines()]
    if len(lines) < 3 or not all(ln.startswith("|") for ln in lines) or not re.fullmatch(r"[|\s:-]+", lines[1]):
        return None
    header = [c.strip() for c in lines[0].strip("|").split("|")]
    rows = []
    for ln in lines[2:]:
        cells = [c.strip() for c in ln.strip("|").split("|")]
        rows.append([f"{h[:1].upper()}{h[1:]}: {c}" if i else c for i, (h, c) in enumerate(zip(header, cells))])
    return rows


def _describes(block: str | None) -> bool:
    """Whether a paragraph reads as a description of what follows (not a question, prompt or aside)."""
    if not block or _is_heading(block) or _table_rows(block) is not None:
        return False
    text = block.strip()
    return not ("Predict, then run" in text or text.startswith("(") or text.rstrip("*_ ").endswith("?"))


_TEX = {
    r"\alpha": "α", r"\beta": "β", r"\gamma": "γ", r"\delta": "δ", r"\epsilon": "ε", r"\varepsilon": "ε",
    r"\eta": "η", r"\theta": "θ", r"\kappa": "κ", r"\lambda": "λ", r"\mu": "μ", r"\xi": "ξ", r"\pi": "π",
    r"\rho": "ρ", r"\sigma": "σ", r"\tau": "τ", r"\phi": "φ", r"\omega": "ω", r"\Delta": "Δ", r"\Sigma": "Σ",
    r"\ell": "ℓ", r"\nabla": "∇", r"\partial": "∂", r"\cdot": "·", r"\times": "×", r"\approx": "≈",
    r"\leq": "≤", r"\le": "≤", r"\geq": "≥", r"\ge": "≥", r"\neq": "≠", r"\ne": "≠", r"\ll": "≪",
    r"\gg": "≫", r"\leftarrow": "←", r"\rightarrow": "→", r"\to": "→", r"\infty": "∞", r"\pm": "±",
    r"\ldots": "…", r"\dots": "…", r"\sum": "Σ", r"\|": "‖", r"\in": "∈", r"\propto": "∝", r"\sim": "~",
}
_SUPERSCRIPT = str.maketrans("0123456789-+", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻⁺")
_SUBSCRIPT = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")


def tex_to_text(tex: str) -> str:
    """A TeX formula as plain text for an alt attribute: ``\\tfrac12`` -> 1/2, ``\\eta`` -> η, ``10^{-3}``
    -> 10⁻³, braces dropped."""
    s = re.sub(r"\\(?:left|right|big|Big|bigl|bigr|Bigl|Bigr)\b\s*", "", tex)
    s = re.sub(r"\\[,;:!]|~", " ", s)
    for command in sorted(_TEX, key=len, reverse=True):      # before \text{} is unwrapped: \cdot\text{wd}
        s = re.sub(re.escape(command) + r"(?![A-Za-z])", _TEX[command], s)
    s = re.sub(r"\\(?:text|mathrm|operatorname|mathbf|boldsymbol|mathcal|mathit)\s*(?:\{([^{}]*)\}|(\w))",
               lambda m: m.group(1) if m.group(1) is not None else m.group(2), s)
    s = re.sub(r"\\[dt]?frac\s*\{([^{}]*)\}\s*\{([^{}]*)\}", r"(\1)/(\2)", s)
    s = re.sub(r"\\[dt]?frac\s*(\w)\s*(\w)", r"\1/\2", s)
    s = re.sub(r"\(([\w.]+)\)/", r"\1/", s)
    s = re.sub(r"/\(([\w.]+)\)", r"/\1", s)
    s = re.sub(r"\\sqrt\s*\{([\w.]+)\}", r"√\1", s)
    s = re.sub(r"\\sqrt\s*\{([^{}]*)\}", r"√(\1)", s)
    s = re.sub(r"\\hat\s*\{?(\w)\}?", "\\1\u0302", s)
    s = re.sub(r"\^(?:\{([-+]?\d+)\}|(\d))", lambda m: (m.group(1) or m.group(2)).translate(_SUPERSCRIPT), s)
    s = re.sub(r"_(?:\{(\d+)\}|(\d))", lambda m: (m.group(1) or m.group(2)).translate(_SUBSCRIPT), s)
    s = re.sub(r"\\([A-Za-z]+)", r"\1", s)
    s = s.replace("{", "").replace("}", "")
    return re.sub(r"\s+", " ", s).strip()


def _prose_to_text(markdown: str) -> str:
    s = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", markdown)
    s = re.sub(r"<[^>]+>", "", s)
    s = re.sub(r"^\s*(?:[-*+]|\d+\.)\s+", "", s, flags=re.M)   # list markers
    s = re.sub(r"\*\*|__|`", "", s)                                  # bold and code marks
    return re.sub(r"(?<![\w*])[*_](?=\S)(.+?)(?<=\S)[*_](?![\w*])", r"\1", s, flags=re.S)  # italics


def markdown_to_text(markdown: str, limit: int = 450) -> str:
    """Markdown prose as one line of plain text (maths through tex_to_text, links as their text),
    cut after the last whole sentence that ends within ``limit`` characters (the first one at least)."""
    parts = re.split(r"(\$\$.+?\$\$|\$.+?\$)", markdown, flags=re.S)
    s = "".join(tex_to_text(p.strip("$")) if k % 2 else _prose_to_text(p) for k, p in enumerate(parts))
    s = re.sub(r"\s+", " ", s).strip()
    if len(s) <= limit:
        return s
    ends = [m.end() for m in re.finditer(r"[.!?][)\"']?(?= [A-Z(])", s)]
    cut = max((e for e in ends if e <= limit), default=min(ends, default=len(s)))
    return s[:cut]


def _reading(text: str) -> str:
    """The sentences of ``text`` that read a figure: up to the first question or colon (where the prose
    moves on to what comes next, "Where is the boundary between them?"), the first one at least."""
    sentences = re.split(r"(?<=[.!?:])[)\"']?\s+(?=[A-Z(])", text)
    kept = [sentences[0]]
    for sentence in sentences[1:]:
        if sentence.rstrip().endswith(("?", ":")):
            break
        kept.append(sentence)
    return " ".join(kept)


def _printed_caption(cell) -> str | None:
    """What the cell printed before its first figure: the caption line an explorer's frame prints."""
    printed = []
    for output in cell.get("outputs", []):
        if any(m in output.get("data", {}) for m in IMAGES):
            break
        if output.get("output_type") == "stream" and output.get("name") == "stdout":
            printed.append("".join(output["text"]) if isinstance(output["text"], list) else output["text"])
    text = " ".join(" ".join(printed).split())
    return text or None


def _lead_and_follow(cells, i, figure_cells):
    """The last block of the markdown just before cell ``i`` and the first block(s) just after it,
    each only if no other figure lies between it and the cell (else it belongs to that figure)."""
    before = after = None
    j = i - 1
    while j >= 0 and cells[j]["cell_type"] != "markdown":
        j -= 1
    if j >= 0 and not any(j < k < i for k in figure_cells):
        before = _blocks(_source(cells[j]))
    k = i + 1
    while k < len(cells) and cells[k]["cell_type"] != "markdown":
        k += 1
    if k < len(cells) and not any(i < m < k for m in figure_cells):
        blocks = _blocks(_source(cells[k]))
        if blocks and not _is_heading(blocks[0]):
            # a sentence that ends with a colon introduces the block after it ("Three regimes: - ...")
            after = blocks[:2] if blocks[0].rstrip().endswith(":") and len(blocks) > 1 else blocks[:1]
    return before, after


def figure_alts(cells) -> dict[int, list[dict]]:
    """A text alternative for every figure: {cell index: [{"alt": text, "source": where from}, ...]},
    one entry per image output of the cell, in order.

    The words come from the notebook itself, in this order of preference:
    1. the cell's metadata ``downhill.alt`` (a string, or a list with one per figure), if a notebook sets it;
    2. the caption the cell printed just before drawing (the playground prints its frame's description);
    3. when the paragraph just before the code cell is a table with one row per figure, that row;
    4. the paragraph just before the code cell, when it describes the figure (not a "Predict, then run"
       question or an aside); when it is short (a lead-in such as "The cell below measures ..."), with
       the first sentences of the paragraph just after the cell, which read the figure (up to a
       question or a colon, where the prose moves on);
    5. otherwise the paragraph just after the cell alone (with the list it introduces, if it ends in ":");
    6. otherwise the paragraph before, whatever it is.
    A paragraph is not taken across another figure: it belongs to the nearer one.
    """
    figure_cells = [i for i, c in enumerate(cells)
                    if c["cell_type"] == "code" and (_image_outputs(c) or _has_widget(c))]
    alts = {}
    for i in figure_cells:
        n = len(_image_outputs(cells[i]))
        if not n:
            continue
        own = cells[i].get("metadata", {}).get("downhill", {}).get("alt")
        if own:
            own = [own] * n if isinstance(own, str) else list(own)
            if len(own) != n or not all(isinstance(a, str) and a.strip() for a in own):
                raise ValueError(f"cell {i}: metadata downhill.alt must give {n} non-empty texts, got {own!r}")
            alts[i] = [{"alt": a.strip(), "source": "cell metadata"} for a in own]
            continue
        caption = _printed_caption(cells[i])
        if caption:
            alts[i] = [{"alt": caption, "source": "printed caption"}] * n
            continue
        before, after = _lead_and_follow(cells, i, figure_cells)
        rows = _table_rows(before[-1]) if before else None
        if rows is not None and len(rows) == n:
            # one row per figure ("| bowl | one stretched bowl | zig-zag ... |"), then what they share
            lead = markdown_to_text(before[-2]) if len(before) > 1 and _describes(before[-2]) else ""
            lead = re.sub(r"(?:^|(?<=[.!?] ))[^.!?]*:$", "", lead).strip()   # drop "What to look for:"
            alts[i] = [{"alt": ". ".join(markdown_to_text(c) for c in row) + ". " + lead,
                        "source": f"table row {r + 1} before"} for r, row in enumerate(rows)]
            continue
        if before and _describes(before[-1]):
            # what is drawn (the lead-in) and, when there is one, what it shows (the reading after it)
            alt, source = markdown_to_text(before[-1]), "paragraph before"
            reading = markdown_to_text(after[0], limit=300) if after and _describes(after[0]) else ""
            if (len(alt) <= SHORT_LEAD and reading and not re.match(r"[^.!:]*\?", reading)
                    and not after[0].startswith("*Explorer")):
                alt, source = alt + " " + _reading(reading), "paragraphs before and after"
        elif after:
            alt, source = markdown_to_text("\n\n".join(after)), "paragraph after"
        elif before:
            alt, source = markdown_to_text(before[-1]), "paragraph before (a prompt)"
        else:
            alt, source = "A figure drawn by the code cell above.", "none found"
        alts[i] = [{"alt": alt if n == 1 else f"Figure {k + 1} of {n}. {alt}", "source": source} for k in range(n)]
    return alts


# ---------------------------------------------------------------------------------------------------
# the banner and the explorer notes


def banner_html(notebook: str, intro: bool = False) -> str:
    """The box under each page's title: how to run ``notebook`` (a path from the repository root) live.
    On the book's first page (``intro``) it says so for the whole course, starting from ``notebook``."""
    links = _links()
    colab, binder = html.escape(links.colab_url(notebook)), html.escape(links.binder_url(notebook))
    lead = ("<p><strong>Run the course live.</strong> Every page of this book is a notebook, shown as "
            "stored; to change its code and move its sliders, run it in Jupyter. To start with 00:</p>\n"
            if intro else
            "<p><strong>Run it live.</strong> This page is the notebook as stored, with its outputs; "
            "to change the code and move the sliders, run it in Jupyter:</p>\n")
    return (
        '<div class="downhill-run-live" role="note">\n'
        + lead +
        f'<p><a class="downhill-run-colab" href="{colab}">Open in Colab</a> · '
        f'<a class="downhill-run-binder" href="{binder}">Open on Binder</a> · '
        f"on your machine: <code>make lab</code>, then open <code>{html.escape(notebook)}</code></p>\n"
        "</div>\n"
    )


def _with_banner(markdown: str, notebook: str, intro: bool = False) -> str:
    """``markdown`` with the banner after its first heading (at the top if it has none)."""
    lines = markdown.splitlines(keepends=True)
    at = next((k + 1 for k, ln in enumerate(lines) if ln.startswith("# ")), 0)
    return "".join(lines[:at]) + "\n" + banner_html(notebook, intro) + "\n" + "".join(lines[at:])


def _folder_links_to_pages(markdown: str, notebook: str, files: list[str]) -> str:
    """Links to a folder of notebooks ("[solutions/](solutions/)") pointed at the folder's first page
    in the book, since a static site has no folder listing."""
    here = Path(notebook).parent

    def first_page(match):
        target = match.group(2)
        if re.match(r"^[a-z]+:", target) or not target.endswith("/"):
            return match.group(0)
        folder = str(Path(os.path.normpath(here / target)))
        pages = [f for f in files if f.startswith(folder + "/")]
        if not pages:
            return match.group(0)
        return f"{match.group(1)}({os.path.relpath(pages[0], here)}.ipynb)"

    return re.sub(r"(\[[^\]]*\])\(([^)\s]+)\)", first_page, markdown)


def _section_bounds(cells, i):
    """The cells from the last heading at or before ``i`` to the cell before the next heading."""
    def heading(k):
        return cells[k]["cell_type"] == "markdown" and any(_is_heading(b) for b in _blocks(_source(cells[k])))
    start = next((k for k in range(i, -1, -1) if heading(k)), 0)
    end = next((k for k in range(i + 1, len(cells)) if heading(k)), len(cells))
    return start, end


def where_static_figure(cells, i) -> str | None:
    """Where the static figure of the explorer in cell ``i`` is: "figure above", "figures below", ...

    What the markdown just before or after the explorer says ("the static figures above show its
    default setting") wins; otherwise the nearest figure in the same section; None if there is none.
    """
    around = [next((k for k in range(i - 1, -1, -1) if cells[k]["cell_type"] == "markdown"), None),
              next((k for k in range(i + 1, len(cells)) if cells[k]["cell_type"] == "markdown"), None)]
    for k in around:
        said = k is not None and re.search(r"static (figures?) (above|below)", _source(cells[k]))
        if said:
            return f"{said.group(1)} {said.group(2)}"
    start, end = _section_bounds(cells, i)
    above = [k for k in range(start, i) if _image_outputs(cells[k])]
    below = [k for k in range(i + 1, end) if _image_outputs(cells[k])]
    if not above and not below:
        return None
    if above and (not below or i - above[-1] <= below[0] - i):
        return "figure above"
    return "figure below"


def explorer_note_html(where: str | None) -> str:
    """What a reader of the page sees where a live explorer would be."""
    if where is None:
        static = "the static figures on this page draw the same computations at fixed settings"
    else:
        verb = "draw" if where.startswith("figures") else "draws"
        static = f"the static {where} {verb} the same computation at fixed settings"
    return (
        '<div class="downhill-explorer-note" role="note">\n'
        "<p><strong>Live explorer.</strong> In a running notebook, a figure with sliders is drawn here. "
        f"This page has no Python behind it, so the explorer cannot draw; {static}. "
        "To move the sliders, run the notebook live (the links are at the top of the page).</p>\n"
        "</div>\n"
    )


def stage_notebook(nb: dict, notebook: str, files: list[str]) -> tuple[dict, dict[int, list[dict]]]:
    """A copy of the stored notebook ``nb`` (at ``notebook``, a path from the repository root) as the
    book shows it, and its figures' text alternatives; ``files`` are the book's pages (toc_files())."""
    nb = copy.deepcopy(nb)
    cells = nb["cells"]
    alts = figure_alts(cells)
    first_md = next((c for c in cells if c["cell_type"] == "markdown"), None)
    if first_md is None:
        cells.insert(0, {"cell_type": "markdown", "metadata": {}, "source": ""})
        first_md = cells[0]
        alts = {k + 1: v for k, v in alts.items()}
    first_md["source"] = _with_banner(_source(first_md), notebook)
    for i, cell in enumerate(cells):
        if cell["cell_type"] == "markdown":
            cell["source"] = _folder_links_to_pages(_source(cell), notebook, files)
        if cell["cell_type"] != "code":
            continue
        if i in alts:
            cell.setdefault("metadata", {})["downhill_book"] = {"alts": [a["alt"] for a in alts[i]]}
        outputs = []
        for output in cell.get("outputs", []):
            if WIDGET in output.get("data", {}):
                output = {"output_type": "display_data", "metadata": {},
                          "data": {"text/html": explorer_note_html(where_static_figure(cells, i))}}
            outputs.append(output)
        if "outputs" in cell:
            cell["outputs"] = outputs
    # no widget state is stored, but if some were, myst-nb would load the widget manager from a CDN
    nb.get("metadata", {}).pop("widgets", None)
    return nb, alts


# ---------------------------------------------------------------------------------------------------
# staging, building, checking


def _write_if_changed(path: Path, text: str) -> None:
    if not path.exists() or path.read_text(encoding="utf-8") != text:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def stage(files: list[str]) -> dict[str, dict[int, list[dict]]]:
    """Write build/book-src/; returns every notebook's figure alternatives (for --alts)."""
    for name in PAGES:
        _write_if_changed(SRC / name, (BOOK / name).read_text(encoding="utf-8"))
    _write_if_changed(SRC / "intro.md", _with_banner((BOOK / "intro.md").read_text(encoding="utf-8"),
                                                     "notebooks/00_start_here.ipynb", intro=True))
    all_alts = {}
    for page in files:
        if not page.startswith("notebooks/"):
            continue
        notebook = page + ".ipynb"
        nb, alts = stage_notebook(json.loads((REPO / notebook).read_text(encoding="utf-8")), notebook, files)
        _write_if_changed(SRC / notebook, json.dumps(nb, indent=1, ensure_ascii=False) + "\n")
        all_alts[notebook] = alts
    for stale in (SRC / "notebooks").rglob("*.ipynb"):
        if str(stale.relative_to(SRC).with_suffix("")) not in files:
            stale.unlink()
    return all_alts


def _check_mathjax() -> None:
    if not (MATHJAX / "es5" / "tex-chtml.js").exists():
        raise SystemExit(f"{MATHJAX} is missing: run `make book` (it runs `npm ci`), or `npm ci` yourself")


def copy_mathjax(target: Path) -> None:
    """The parts of npm's MathJax that the pages load, into ``target`` (the site's _static/mathjax)."""
    for part in MATHJAX_PARTS:
        source = MATHJAX / "es5" / part
        if source.is_dir():
            shutil.copytree(source, target / part)
        else:
            (target / part).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / part)
    shutil.copy2(MATHJAX / "LICENSE", target / "LICENSE")


def run_jupyter_book(full: bool = False) -> None:
    # Sphinx does not overwrite a static file it copied before, so the HTML is written afresh each
    # time; the parsed pages (build/book-work/_build/.doctrees) are kept and only changed ones re-read
    shutil.rmtree(WORK / "_build" / "html", ignore_errors=True)
    command = [str(Path(sys.executable).with_name("jupyter-book")), "build", str(SRC), "--path-output", str(WORK),
               "--builder", "html", "--warningiserror", "--keep-going", "--quiet"]
    if full:
        command.append("--all")
    # its warnings go to stderr as they come; its closing banner (which names build/book-work) only
    # if it failed
    result = subprocess.run(command, cwd=REPO, stdout=subprocess.PIPE, text=True)
    if result.returncode:
        print(result.stdout)
        raise SystemExit(f"jupyter-book failed (exit {result.returncode}); the warnings are above")


class _Collect(HTMLParser):
    def __init__(self):
        super().__init__()
        self.loads, self.images, self.script_urls, self._in_script = [], [], [], False

    def handle_data(self, data):
        if self._in_script:   # an address inside a page's own script is one it may load later
            self.script_urls += re.findall(r"(?:https?:)?//[\w.-]+\.[a-z]{2,}[^\s\"'`]*", data)

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "script":
            self._in_script = True
        if tag == "img":
            self.images.append(a)
        for key in ("src", "srcset", "poster", "data"):
            if a.get(key) and tag != "a":
                self.loads.append((tag, a[key]))
        if tag == "link" and a.get("href"):
            self.loads.append((tag, a["href"]))


_REMOTE = re.compile(r"^(?:[a-z][a-z0-9+.-]*:)?//", re.I)


def check_site(site: Path = OUT) -> list[str]:
    """Problems in the built site: anything loaded from another machine (or named in a page's inline
    script, as Thebe's CDN address was), any <img> without a text alternative (or with matplotlib's
    "<Figure size ...>"), any CSS that loads from a URL."""
    problems = []
    for page in sorted(site.rglob("*.html")):
        collect = _Collect()
        collect.feed(page.read_text(encoding="utf-8"))
        name = page.relative_to(site)
        problems += [f"{name}: <{tag}> loads {url}" for tag, url in collect.loads if _REMOTE.match(url)]
        problems += [f"{name}: a <script> names {url}" for url in collect.script_urls]
        for img in collect.images:
            alt = (img.get("alt") or "").strip()
            if not alt or alt.startswith("<Figure") or alt == img.get("src"):
                problems.append(f"{name}: <img src={img.get('src')!r}> has no text alternative (alt={alt!r})")
    for sheet in sorted(site.rglob("*.css")):
        for url in re.findall(r"url\(\s*['\"]?([^'\")]+)", sheet.read_text(encoding="utf-8", errors="replace")):
            if _REMOTE.match(url):
                problems.append(f"{sheet.relative_to(site)}: url({url})")
    return problems


def build(full: bool = False, show_alts: bool = False) -> Path:
    files = toc_files()
    check_toc_covers_notebooks(files)
    _check_mathjax()
    all_alts = stage(files)
    if show_alts:
        for notebook, alts in all_alts.items():
            for i, entries in alts.items():
                for entry in entries:
                    print(f"{notebook} cell {i} [{entry['source']}]: {entry['alt']}\n")
    run_jupyter_book(full)
    html_dir = WORK / "_build" / "html"
    shutil.rmtree(OUT, ignore_errors=True)
    shutil.copytree(html_dir, OUT, ignore=shutil.ignore_patterns(".buildinfo", ".doctrees"))
    copy_mathjax(OUT / "_static" / "mathjax")
    for page in files:   # the download button offers the notebook as stored, not the staged copy
        if page.startswith("notebooks/") and (OUT / "_sources" / f"{page}.ipynb").exists():
            shutil.copy2(REPO / f"{page}.ipynb", OUT / "_sources" / f"{page}.ipynb")
    problems = check_site(OUT)
    if problems:
        raise SystemExit("the built book is not self-contained or not accessible:\n  " + "\n  ".join(problems))
    return OUT


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--all", action="store_true", help="rebuild every page, not only the changed ones")
    parser.add_argument("--alts", action="store_true", help="print every figure's text alternative and its source")
    args = parser.parse_args(argv)
    out = build(full=args.all, show_alts=args.alts)
    print(f"book: {out.relative_to(REPO)}/index.html")


if __name__ == "__main__":
    main()
