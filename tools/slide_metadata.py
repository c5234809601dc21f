"""Set every notebook cell's slideshow type (``metadata.slideshow.slide_type``) from its content.

    .venv/bin/python tools/slide_metadata.py                 # every notebook under notebooks/
    .venv/bin/python tools/slide_metadata.py notebooks/03_gradient_descent.ipynb
    .venv/bin/python tools/slide_metadata.py --check         # list the notebooks that differ; exit 1 if any

`make slides` turns the notebooks into reveal.js decks with these types; JupyterLab shows them in the
property inspector. The rule, applied top to bottom:

1. **slide**: the title cell (the first cell) and every markdown cell with a ``# `` or ``## `` heading line;
2. **subslide**: a markdown cell that opens with a ``### `` heading;
3. **fragment**: a markdown cell with a "**Predict, then run:**" prompt (STYLE.md's name for them),
   unless rule 1 or 2 already made it a (sub)slide; and the first code cell after a prompt, so its output
   (the answer) appears one key press after the question;
4. **subslide** again where the cells since the last (sub)slide would not fit on one 1280 x 720 slide
   (the size tools/slides/downhill/index.html.j2 lays out): the cell that would overflow starts a new
   one. A prompt is kept on one screen with the code cell that answers it, and a markdown cell ending
   in a colon with the cell it introduces. Heights are estimated from the text, the line lengths and
   the stored figures' pixel sizes, not measured in a browser; a single cell taller than the slide
   scrolls in the deck;
5. **skip**: the setup cell that tools/setup_cell.py generates (it installs the course on Colab and
   has nothing to show an audience);
6. **-** (go on in the current slide) for every other cell.

The script writes ``metadata.slideshow`` and nothing else (outputs, execution counts and ids are left
as they are), with nbformat, so a file stays byte for byte what tests/store_notebooks.py writes apart
from that key. Running it twice changes nothing the second time. tests/store_notebooks.py calls it
after executing a notebook; tests/test_slides.py fails when a stored notebook differs from the rule.
"""

from __future__ import annotations

import base64
import math
import re
import struct
import sys
from pathlib import Path

import nbformat

sys.path.insert(0, str(Path(__file__).resolve().parent))
import setup_cell  # noqa: E402  (tools/ is not a package)

ROOT = Path(__file__).resolve().parents[1]

SLIDE, SUBSLIDE, FRAGMENT, CONTINUE, SKIP = "slide", "subslide", "fragment", "-", "skip"
PROMPT = re.compile(r"\*\*Predict, then run:\*\*")
SECTION = re.compile(r"^#{1,2} ", re.M)          # a # or ## heading line
SUBSECTION = re.compile(r"\A\s*### ")            # a cell that opens with a ### heading
FENCE = re.compile(r"^\s*```")

# The slide as tools/slides/downhill/index.html.j2 lays it out, in its own pixels (reveal.js then scales
# the whole slide to the screen): prose is 24 px in lines of 32 px, about 0.5 em per character; code and
# text output are 19 px monospace (0.6 em) in lines of 25 px; figures keep their stored size, scaled down
# only to the slide's width. Checked against the heights Chromium gives all 586 cells of the course's
# decks at 1280 x 720: estimate / measured has median 0.98, 10th percentile 0.92, 90th 1.08.
SLIDE_HEIGHT = 720
SLIDE_WIDTH = 1280
BUDGET = 660                    # what a (sub)slide may fill before the next cell starts a new one
PROSE_CHARS = 100               # characters in one line of prose
PROSE_LINE = 32.0
PARAGRAPH_GAP = 24.0
HEADING = {1: 64.0, 2: 56.0, 3: 48.0, 4: 40.0}
DISPLAY_MATH_LINE = 60.0
TABLE_CHARS = 88                # characters across one table row, all columns together
TABLE_ROW_PADDING = 12.0
CODE_CHARS = 108                # characters in one line of code or text output
CODE_LINE = 25.0
CODE_PADDING = 20.0             # above and below a block of code or of output
FIGURE_WIDTH = SLIDE_WIDTH - 40
CELL_GAP = 10.0
WIDGET = 40.0                   # the line the deck shows in place of a live widget
WIDGET_MIME = "application/vnd.jupyter.widget-view+json"


def _wrapped(text: str, chars: int) -> int:
    """Lines ``text`` takes when each source line wraps at ``chars`` characters."""
    return sum(max(1, math.ceil(len(line) / chars)) for line in text.splitlines()) if text else 0


def _shown_length(text: str) -> int:
    """Roughly how many characters a line of markdown shows: markup gone, TeX commands one character."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)             # [label](url) -> label
    text = re.sub(r"\\[A-Za-z]+", "x", text)                         # \frac, \text, ... -> one glyph
    text = re.sub(r"[*`${}^_]", "", text)
    return len(text.strip())


def _table_height(rows: list[str]) -> float:
    """A markdown table: columns share the width in proportion to their text, and each row is as
    tall as its most wrapped cell."""
    cells = [[_shown_length(c) for c in row.strip().strip("|").split("|")] for row in rows
             if not set(row.strip()) <= set("|-: ")]
    if not cells:
        return 0.0
    columns = max(len(r) for r in cells)
    cells = [r + [0] * (columns - len(r)) for r in cells]
    widths = [max(1.0, sum(r[j] for r in cells) / len(cells)) for j in range(columns)]
    chars = [max(6.0, TABLE_CHARS * w / sum(widths)) for w in widths]
    lines = [max(1, max(math.ceil(n / c) for n, c in zip(row, chars))) for row in cells]
    return sum(n * PROSE_LINE + TABLE_ROW_PADDING for n in lines) + PARAGRAPH_GAP


def markdown_height(source: str) -> float:
    """Estimated height in slide pixels of a markdown cell."""
    height, paragraph, in_fence, in_math, table = 0.0, 0, False, False, []

    def end_block():
        nonlocal height, paragraph, table
        if paragraph:
            height += math.ceil(paragraph / PROSE_CHARS) * PROSE_LINE + PARAGRAPH_GAP
            paragraph = 0
        if table:
            height += _table_height(table)
            table = []

    for line in source.splitlines():
        stripped = line.strip()
        if FENCE.match(line):
            end_block()
            in_fence = not in_fence
            height += 0 if in_fence else CODE_PADDING
            continue
        if in_fence:
            height += CODE_LINE * max(1, math.ceil(len(line) / CODE_CHARS))
            continue
        if in_math or stripped.startswith("$$"):           # display maths: one line per source line
            end_block()
            height += DISPLAY_MATH_LINE
            closes = stripped.endswith("$$") and (in_math or len(stripped) > 2)
            in_math = not closes
            height += PARAGRAPH_GAP / 2 if closes else 0
            continue
        if stripped.startswith("|"):
            if paragraph:
                end_block()
            table.append(stripped)
            continue
        if table:
            end_block()
        heading = re.match(r"(#{1,6}) ", stripped)
        if heading:
            end_block()
            size = HEADING.get(len(heading.group(1)), PROSE_LINE)
            height += size * math.ceil(_shown_length(stripped) / (PROSE_CHARS * PROSE_LINE / size))
            continue
        if not stripped:
            end_block()
            continue
        if re.match(r"([-*+]|\d+\.) ", stripped):               # a list item starts a new line
            end_block()
            paragraph = _shown_length(stripped) + 4
            height -= PARAGRAPH_GAP * 0.75                     # list items sit closer than paragraphs
            continue
        paragraph += _shown_length(stripped) + 1
    end_block()
    return height


def _png_size(data: str) -> tuple[int, int]:
    header = base64.b64decode(data[:64])
    if header[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError(f"image/png output is not a PNG (starts {header[:8]!r})")
    return struct.unpack(">II", header[16:24])


def output_height(output) -> float:
    """Estimated height in slide pixels of one output of a code cell."""
    if output.get("output_type") == "stream":
        return _wrapped(output.get("text", "").rstrip("\n"), CODE_CHARS) * CODE_LINE + CODE_PADDING
    data = output.get("data", {})
    if WIDGET_MIME in data:
        return WIDGET                   # a live widget needs a kernel: the deck says so in one line
    if "image/png" in data:
        width, height = _png_size(data["image/png"])
        return height * min(1.0, FIGURE_WIDTH / width) + CELL_GAP
    if "text/plain" in data:
        return _wrapped(data["text/plain"].rstrip("\n"), CODE_CHARS) * CODE_LINE + CODE_PADDING
    if output.get("output_type") == "error":
        return _wrapped("\n".join(output.get("traceback", [])), CODE_CHARS) * CODE_LINE + CODE_PADDING
    return 0.0


def is_setup_cell(cell) -> bool:
    return cell.cell_type == "code" and (cell.get("id") == setup_cell.CELL_ID
                                         or cell.source.startswith(setup_cell.FIRST_LINE))


def cell_height(cell) -> float:
    """Estimated height in slide pixels of a cell as the deck shows it (0 for a skipped cell)."""
    if is_setup_cell(cell):
        return 0.0
    if cell.cell_type == "markdown":
        return markdown_height(cell.source) + CELL_GAP
    if cell.cell_type == "code":
        code = _wrapped(cell.source, CODE_CHARS) * CODE_LINE + CODE_PADDING
        return code + sum(output_height(o) for o in cell.get("outputs", [])) + CELL_GAP
    return _wrapped(cell.source, CODE_CHARS) * CODE_LINE + CELL_GAP


def slide_types(nb) -> list[str]:
    """The slideshow type of each cell of ``nb`` (an nbformat v4 notebook), by the rule above."""
    if not isinstance(getattr(nb, "cells", None), list):
        raise ValueError(f"nb must be a notebook read by nbformat (with a list of cells), got {nb!r:.80}")
    cells = nb.cells
    types = [SKIP if is_setup_cell(c) else CONTINUE for c in cells]
    shown = [i for i, t in enumerate(types) if t != SKIP]
    answers = set()                      # indices of code cells that answer a prompt
    for i, cell in enumerate(cells):
        if cell.cell_type != "markdown":
            continue
        if i == 0 or SECTION.search(_outside_fences(cell.source)):
            types[i] = SLIDE
        elif SUBSECTION.match(cell.source):
            types[i] = SUBSLIDE
        if PROMPT.search(cell.source):
            if types[i] == CONTINUE:
                types[i] = FRAGMENT
            answer = next_code_cell(cells, types, i)
            if answer is not None:
                answers.add(answer)
    for i in answers:
        types[i] = FRAGMENT
    if shown:
        types[shown[0]] = SLIDE          # a deck starts with a slide

    heights = [cell_height(c) for c in cells]
    filled = 0.0
    for i, cell in enumerate(cells):
        if types[i] == SKIP:
            continue
        if types[i] in (SLIDE, SUBSLIDE):
            filled = heights[i]
            continue
        needed = heights[i]
        keep_with = _kept_with(cells, types, answers, i)
        if keep_with is not None:
            needed += heights[keep_with]
        if filled > 0 and filled + needed > BUDGET:
            types[i] = SUBSLIDE
            filled = heights[i]
        else:
            filled += heights[i]
    return types


def _outside_fences(source: str) -> str:
    kept, fenced = [], False
    for line in source.splitlines():
        if FENCE.match(line):
            fenced = not fenced
        elif not fenced:
            kept.append(line)
    return "\n".join(kept)


def next_code_cell(cells, types, i):
    """Index of the first code cell after cell ``i`` and before the next (sub)slide, or None."""
    for j in range(i + 1, len(cells)):
        if types[j] in (SLIDE, SUBSLIDE):
            return None
        if cells[j].cell_type == "code" and types[j] != SKIP:
            return j
    return None


def _kept_with(cells, types, answers, i):
    """The cell that must share a screen with cell ``i``: a prompt's answer, or what a colon introduces."""
    after = next((j for j in range(i + 1, len(cells)) if types[j] != SKIP), None)
    if after is None or types[after] in (SLIDE, SUBSLIDE) or cells[i].cell_type != "markdown":
        return None
    if PROMPT.search(cells[i].source):
        return after if after in answers else None
    if cells[i].source.rstrip().endswith(":"):
        return after
    return None


def apply(nb) -> bool:
    """Set ``metadata.slideshow.slide_type`` on every cell of ``nb``; True if anything changed."""
    changed = False
    for cell, slide_type in zip(nb.cells, slide_types(nb)):
        slideshow = cell.metadata.get("slideshow")
        if not isinstance(slideshow, dict) or slideshow.get("slide_type") != slide_type:
            cell.metadata["slideshow"] = {**(slideshow if isinstance(slideshow, dict) else {}),
                                          "slide_type": slide_type}
            changed = True
    return changed


def stored_types(nb) -> list[str | None]:
    """The slide types as stored in ``nb`` (None where a cell has none)."""
    return [c.metadata.get("slideshow", {}).get("slide_type") for c in nb.cells]


def notebooks(args=()) -> list[Path]:
    paths = [Path(a).resolve() for a in args] or sorted((ROOT / "notebooks").rglob("*.ipynb"))
    return [p for p in paths if ".ipynb_checkpoints" not in p.parts]


def update(path: Path) -> bool:
    """Apply the rule to the notebook file at ``path``; rewrite it only if a slide type changed."""
    path = Path(path)
    if path.suffix != ".ipynb" or not path.is_file():
        raise ValueError(f"path must be an existing .ipynb file, got {str(path)!r}")
    nb = nbformat.read(path, as_version=4)
    if not apply(nb):
        return False
    nbformat.write(nb, path)
    return True


def main(argv) -> int:
    check = "--check" in argv
    paths = notebooks([a for a in argv if a != "--check"])
    stale = []
    for path in paths:
        name = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path
        if check:
            nb = nbformat.read(path, as_version=4)
            if stored_types(nb) != slide_types(nb):
                stale.append(name)
        elif update(path):
            print(f"slide types updated: {name}")
    for name in stale:
        print(f"slide types differ from tools/slide_metadata.py's rule: {name}")
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
