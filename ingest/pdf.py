"""PDF → blocks, read from the page layout (pdfplumber): what a person sees, not the order of text operators.

From each word's position, size and font:
- running headers and footers (lines in the top or bottom margin that repeat on the pages, page numbers
  "Sida 2 av 4") are dropped;
- the title is the largest text at the top of the first page (a title wrapped over two lines is one title);
- headings are lines set larger than the body text, or bold body-size lines standing alone; their sizes give the
  levels;
- paragraphs are lines at the body line pitch; a line that ends early (the next line's first word would have
  fitted) ends its paragraph; lines of a paragraph are joined, also across a page break, and line-end hyphens
  are undone (`blocks.join_lines`);
- list items start with a bullet glyph ("–", "•", …) and go on in the hanging indent;
- a line with wide gaps between its words (a boxed field block, a table) is a row of cells.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from statistics import median

from ingest.blocks import Element, ends_sentence, join_lines

BULLET_GLYPH = re.compile(r"^([•●▪◦○■□➢►–—\-*·])\s+(?=\S)")
PAGE_NUMBER = re.compile(r"^(?:(?:sida|page|s\.)\s*+)?(?:[-–]\s*+)?\d{1,4}+\s*+(?:(?:av|of|/)\s*+\d{1,4}+\s*+)?(?:[-–]\s*+)?$", re.I)
_JUNK_TITLE = re.compile(r"^(?:microsoft (?:word|powerpoint) - |untitled|namnlös|dokument\d*$|document\d*$|mall\b|"
                         r"powerpoint-presentation|presentation\d*$)|\.(?:docx?|pdf|odt|rtf|pptx?)$", re.I)
MAX_PAGES = 2000


@dataclass
class Line:
    page: int
    top: float
    bottom: float
    x0: float
    x1: float
    size: float
    bold: bool
    cells: list[list[dict]] = field(default_factory=list)   # words per cell

    @property
    def words(self) -> list[dict]:
        return [w for cell in self.cells for w in cell]

    @property
    def text(self) -> str:
        return " · ".join(" ".join(w["text"] for w in cell) for cell in self.cells)

    def cell_texts(self) -> list[str]:
        return [" ".join(w["text"] for w in cell) for cell in self.cells]


def good_title(title: str | None) -> str:
    """A metadata title worth showing, or "" (empty, a file name, a template's or a program's placeholder)."""
    title = re.sub(r"\s+", " ", title or "").strip()
    if len(title) < 3 or _JUNK_TITLE.search(title) or not re.search(r"[^\W\d_]{2}", title):
        return ""
    return title


def _bold(fontname: str) -> bool:
    return bool(re.search(r"bold|black|heavy|semibold|demi", fontname or "", re.I))


def _lines(page, number: int) -> list[Line]:
    words = page.extract_words(x_tolerance=1.5, y_tolerance=2, keep_blank_chars=False, use_text_flow=False,
                               extra_attrs=["size", "fontname"])
    words = [w for w in words if w["text"].strip()]
    words.sort(key=lambda w: (w["top"], w["x0"]))
    rows: list[list[dict]] = []
    for w in words:
        if rows and abs(w["top"] - rows[-1][0]["top"]) <= max(2.0, 0.3 * float(w["size"])):
            rows[-1].append(w)
        else:
            rows.append([w])
    out = []
    for row in rows:
        row.sort(key=lambda w: w["x0"])
        cells: list[list[dict]] = [[row[0]]]
        for prev, w in zip(row, row[1:]):
            size = max(float(prev["size"]), float(w["size"]), 1.0)
            if w["x0"] - prev["x1"] > 2.5 * size:
                cells.append([w])
            else:
                cells[-1].append(w)
        sizes = Counter()
        for w in row:
            sizes[round(float(w["size"]) * 2) / 2] += len(w["text"])
        bold_chars = sum(len(w["text"]) for w in row if _bold(w.get("fontname", "")))
        out.append(Line(number, min(w["top"] for w in row), max(w["bottom"] for w in row), row[0]["x0"],
                        max(w["x1"] for w in row), sizes.most_common(1)[0][0],
                        bold_chars >= 0.8 * sum(len(w["text"]) for w in row), cells))
    return out


def _norm(text: str) -> str:
    return re.sub(r"\d+", "#", re.sub(r"\s+", " ", text.lower())).strip()


def _drop_running(pages: list[list[Line]], heights: list[float]) -> list[list[Line]]:
    """Lines in the top or bottom margin that repeat on the pages (digits aside), and page numbers there."""
    n = len(pages)
    margin = {}
    for i, lines in enumerate(pages):
        h = heights[i] or 842.0
        margin[i] = [ln for ln in lines if ln.top < 0.09 * h or ln.bottom > 0.91 * h]
    seen = Counter()
    for i in range(n):
        seen.update({_norm(ln.text) for ln in margin[i]})
    need = max(2, (n + 1) // 2)
    out = []
    for i, lines in enumerate(pages):
        drop = set()
        for ln in margin[i]:
            text = ln.text
            cells = ln.cell_texts()
            if (n >= 2 and seen[_norm(text)] >= need) or PAGE_NUMBER.match(text) or \
                    all(PAGE_NUMBER.match(c) or (n >= 2 and seen[_norm(c)] >= need) for c in cells):
                drop.add(id(ln))
        out.append([ln for ln in lines if id(ln) not in drop])
    return out


def _cell_bold(words: list[dict]) -> bool:
    return all(_bold(w.get("fontname", "")) for w in words)


def _starts_item(line: Line) -> bool:
    return bool(BULLET_GLYPH.match(line.cell_texts()[0])) and len(line.cells) == 1


def read_pdf_layout(pdf) -> tuple[list[Element], str]:
    """(elements, title found on the first page) from an open pdfplumber document."""
    pages, heights, widths = [], [], []
    for number, page in enumerate(pdf.pages[:MAX_PAGES]):
        pages.append(_lines(page, number))
        heights.append(float(page.height or 0))
        widths.append(float(page.width or 0))
    pages = _drop_running(pages, heights)
    lines = [ln for page in pages for ln in page]
    if not lines:
        return [], ""
    sizes = Counter()
    for ln in lines:
        sizes[ln.size] += len(ln.text)
    body = sizes.most_common(1)[0][0]
    # Line pitch of body text: the usual distance between the tops of two body lines that follow each other.
    pitches = [b.top - a.top for a, b in zip(lines, lines[1:])
               if a.page == b.page and a.size == b.size == body and 0 < b.top - a.top < 3 * body]
    pitch = median(pitches) if pitches else 1.2 * body
    right = {}
    for ln in lines:
        if ln.size == body and len(ln.cells) == 1:
            right[ln.page] = max(right.get(ln.page, 0.0), ln.x1)

    # The title: the largest text near the top of the first page, when it is larger than any heading after it.
    title_lines: list[Line] = []
    first = [ln for ln in lines if ln.page == lines[0].page]
    if first:
        top_size = max(ln.size for ln in first[:12])
        if top_size >= body + 2:
            start = next(i for i, ln in enumerate(first) if ln.size == top_size)
            if start <= 3:
                for ln in first[start:]:
                    if ln.size != top_size or (title_lines and ln.top - title_lines[-1].bottom > 1.5 * top_size):
                        break
                    title_lines.append(ln)
    title = join_lines([ln.text for ln in title_lines])
    heading_sizes = sorted({ln.size for ln in lines if ln.size >= body + 1 and ln not in title_lines}, reverse=True)

    def heading_level(ln: Line) -> int:
        if ln.size in heading_sizes:
            return heading_sizes.index(ln.size) + 1
        return 0

    elements: list[Element] = []
    if title:
        elements.append(Element("heading", title, level=1))
    current: list[Line] = []
    kind = ""
    skip = {id(ln) for ln in title_lines}

    def flush():
        nonlocal current, kind
        if current:
            if kind == "item":
                first_text = BULLET_GLYPH.sub("", current[0].text, count=1)
                elements.append(Element("item", join_lines([first_text] + [ln.text for ln in current[1:]])))
            elif kind == "heading":
                elements.append(Element("heading", join_lines([ln.text for ln in current]),
                                        level=heading_level(current[0]) or len(heading_sizes) + 1))
            else:
                elements.append(Element("para", join_lines([ln.text for ln in current])))
        current, kind = [], ""

    table: list[Line] = []

    def flush_table():
        nonlocal table
        if table:
            cells = [ln.cell_texts() for ln in table]
            header: list[str] = []
            if len(table) >= 3 and all(_cell_bold(c) for c in table[0].cells) and \
                    not any(all(_cell_bold(c) for c in ln.cells) for ln in table[1:]) and \
                    all(len(c) == len(cells[0]) for c in cells):
                header, cells = cells[0], cells[1:]
            for row in cells:
                elements.append(Element("row", cells=row, header=header))
        table = []

    for i, ln in enumerate(lines):
        if id(ln) in skip:
            continue
        text = ln.text
        prev = current[-1] if current else None
        nxt = lines[i + 1] if i + 1 < len(lines) else None
        if len(ln.cells) > 1:
            flush()
            table.append(ln)
            continue
        flush_table()
        level = heading_level(ln)
        standalone_bold = (ln.bold and ln.size == body and len(text.split()) <= 12 and not ends_sentence(text)
                           and not _starts_item(ln) and not text.rstrip().endswith(","))
        if standalone_bold and nxt is not None and nxt.bold and nxt.size == body and nxt.page == ln.page \
                and nxt.top - ln.top <= 1.25 * pitch and not (prev is not None and kind == "heading"):
            standalone_bold = False               # a bold paragraph, not a heading
        if level or standalone_bold:
            same = prev is not None and kind == "heading" and prev.size == ln.size and prev.bold == ln.bold \
                and prev.page == ln.page and ln.top - prev.bottom < 0.8 * ln.size
            if not same:
                flush()
                kind = "heading"
            current.append(ln)
            continue
        if kind == "heading":
            flush()
        if _starts_item(ln):
            flush()
            kind = "item"
            current.append(ln)
            continue
        prev = current[-1] if current else None
        if prev is not None and _continues(prev, ln, kind, current[0], pitch, right):
            current.append(ln)
            continue
        flush()
        kind = "para"
        current.append(ln)
    flush()
    flush_table()
    return elements, title


def _continues(prev: Line, ln: Line, kind: str, first: Line, pitch: float, right: dict) -> bool:
    """Whether line ln goes on the paragraph (or list item) whose last line is prev."""
    if ln.size != prev.size:
        return False
    prev_text, text = prev.text, ln.text
    ends = ends_sentence(prev_text)
    lower = text[:1].islower()
    if ln.page != prev.page:                 # across a page break only a sentence that visibly goes on
        return not ends and (lower or prev_text.endswith("-"))
    if ln.top - prev.top > 1.25 * pitch or ln.top <= prev.top:
        return False
    if kind == "item" and ln.x0 < first.x0 + 2 and not lower:
        return False                         # back at the bullet's margin: a new paragraph
    first_word = ln.words[0]
    room = right.get(prev.page, prev.x1) - prev.x1
    fitted = room > (first_word["x1"] - first_word["x0"]) + 0.5 * prev.size
    if fitted and not (lower and not ends):
        return False                         # the line ended early: the paragraph ends there
    return True
