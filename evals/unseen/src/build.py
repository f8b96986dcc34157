"""Build the DOCX and PDF test documents of evals/unseen/docs/ from the text sources in this folder.

Usage (from the repository root, with the build venv):

    python3.11 -m venv /tmp/docgen
    /tmp/docgen/bin/pip install python-docx==1.1.2 reportlab==4.2.5 pypdf
    /tmp/docgen/bin/python evals/unseen/src/build.py

Output is deterministic: fixed core properties / PDF metadata, fixed ZIP timestamps, reportlab's
invariant mode. Source markup (one item per line):

    @title / @doctitle  document title          @h1 / @h2 / @h3  headings
    @p  paragraph                               @bullet  bullet-list item
    @field  header field (PDF)                  @table ... @endtable  rows with " | " cells (DOCX)

In the PDF source, "~" marks a permitted hyphenation point inside a word; lines are justified and a
word that does not fit is split at a "~" (a hyphen is added) or after an existing "-".
"""

from __future__ import annotations

import datetime as dt
import io
import sys
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
DOCS = HERE.parent / "docs"


def parse(path: Path) -> list[tuple[str, object]]:
    items: list[tuple[str, object]] = []
    table: list[list[str]] | None = None
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.rstrip()
        if not line:
            continue
        if table is not None:
            if line == "@endtable":
                items.append(("table", table))
                table = None
            else:
                table.append([c.strip() for c in line.split(" | ")])
            continue
        if line == "@table":
            table = []
            continue
        tag, _, text = line.partition(" ")
        items.append((tag.lstrip("@"), text.strip()))
    return items


# ----------------------------------------------------------------------------------------- DOCX

def build_docx(src: Path, out: Path) -> None:
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    items = parse(src)
    doc = Document()
    section = doc.sections[0]
    hp = section.header.paragraphs[0]
    hp.text = "Gransjö kommun\tRegler för AI\tDnr KS 2024/0387"
    fp = section.footer.paragraphs[0]
    fp.text = "Fastställda av kommunstyrelsen 2025-02-11, § 23"
    fp.alignment = WD_ALIGN_PARAGRAPH.CENTER

    for tag, payload in items:
        if tag == "title":
            doc.add_paragraph(payload, style="Title")
        elif tag == "h1":
            doc.add_heading(payload, level=1)
        elif tag == "h2":
            doc.add_heading(payload, level=2)
        elif tag == "p":
            doc.add_paragraph(payload)
        elif tag == "bullet":
            term, sep, rest = payload.partition(": ")
            para = doc.add_paragraph(style="List Bullet")
            if sep and len(term) < 40:
                para.add_run(term + ":").bold = True
                para.add_run(" " + rest)
            else:
                para.add_run(payload)
        elif tag == "table":
            rows = payload
            table = doc.add_table(rows=len(rows), cols=len(rows[0]))
            table.style = "Table Grid"
            for r, row in enumerate(rows):
                for c, cell_text in enumerate(row):
                    cell = table.cell(r, c)
                    cell.text = ""
                    run = cell.paragraphs[0].add_run(cell_text)
                    run.font.size = Pt(10)
                    if r == 0:
                        run.bold = True
        else:
            raise ValueError(f"unknown tag {tag!r} in {src.name}")

    cp = doc.core_properties
    fixed = dt.datetime(2025, 2, 11, 9, 0, 0)
    cp.title = "Regler för AI"
    cp.author = "Gransjö kommun, IT-enheten"
    cp.last_modified_by = "Gransjö kommun, IT-enheten"
    cp.subject = ""
    cp.keywords = "AI, regler, informationssäkerhet"
    cp.comments = ""
    cp.category = "Regler"
    cp.revision = 3
    cp.created = fixed
    cp.modified = fixed
    cp.last_printed = fixed

    buf = io.BytesIO()
    doc.save(buf)
    _normalise_zip(buf.getvalue(), out, (2025, 2, 11, 9, 0, 0))


def _normalise_zip(data: bytes, out: Path, date_time: tuple[int, ...]) -> None:
    """Rewrite a ZIP with fixed member timestamps so the DOCX is byte-for-byte reproducible."""
    src = zipfile.ZipFile(io.BytesIO(data))
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            zi = zipfile.ZipInfo(info.filename, date_time=date_time)
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = 0o600 << 16
            dst.writestr(zi, src.read(info.filename))


# ------------------------------------------------------------------------------------------ PDF

PAGE_W, PAGE_H = 595.2756, 841.8898  # A4 in points
LEFT, RIGHT = 72.0, 72.0
TOP_BODY = PAGE_H - 84.0
BOTTOM_BODY = 72.0
BODY_W = PAGE_W - LEFT - RIGHT
FONT, BOLD, ITALIC_BOLD = "Helvetica", "Helvetica-Bold", "Helvetica-BoldOblique"
BODY_SIZE, LEADING = 10.5, 13.6


def _width(text: str, font: str, size: float) -> float:
    from reportlab.pdfbase.pdfmetrics import stringWidth

    return stringWidth(text, font, size)


def _split_options(word: str) -> list[tuple[str, str]]:
    """(head shown at line end, tail carried to the next line), longest head first."""
    options = []
    for i, ch in enumerate(word):
        if ch == "~":
            head, tail = word[:i].replace("~", "") + "-", word[i + 1:]
        elif ch == "-" and 0 < i < len(word) - 1 and word[i + 1].isalpha():
            head, tail = word[: i + 1].replace("~", ""), word[i + 1:]
        else:
            continue
        if len(head) >= 3 and len(tail.replace("~", "")) >= 3:
            options.append((head, tail))
    return list(reversed(options))


def wrap(text: str, width: float, font: str = FONT, size: float = BODY_SIZE) -> list[tuple[str, bool]]:
    """Greedy line breaking with hyphenation. Returns (line, is_last_line_of_paragraph)."""
    space = _width(" ", font, size)
    words = text.split()
    lines: list[str] = []
    cur: list[str] = []
    cur_w = 0.0
    i = 0
    while i < len(words):
        word = words[i]
        clean = word.replace("~", "")
        w = _width(clean, font, size)
        needed = w if not cur else cur_w + space + w
        if needed <= width:
            cur.append(clean)
            cur_w = needed
            i += 1
            continue
        # does not fit: try to hyphenate
        placed = False
        for head, tail in _split_options(word):
            hw = _width(head, font, size)
            if (hw if not cur else cur_w + space + hw) <= width:
                cur.append(head)
                lines.append(" ".join(cur))
                cur, cur_w = [], 0.0
                words[i] = tail
                placed = True
                break
        if placed:
            continue
        if not cur:  # single over-long word
            cur.append(clean)
            i += 1
        lines.append(" ".join(cur))
        cur, cur_w = [], 0.0
    if cur:
        lines.append(" ".join(cur))
    return [(ln, k == len(lines) - 1) for k, ln in enumerate(lines)]


class PdfLayout:
    """Two-pass layout: collect draw operations per page, then render with 'Sida X av Y'."""

    def __init__(self) -> None:
        self.pages: list[list[tuple]] = [[]]
        self.y = TOP_BODY

    def _need(self, height: float) -> None:
        if self.y - height < BOTTOM_BODY:
            self.pages.append([])
            self.y = TOP_BODY

    def op(self, *op: object) -> None:
        self.pages[-1].append(op)

    def title(self, text: str) -> None:
        for line, _ in wrap(text, BODY_W, BOLD, 17):
            self._need(22)
            self.op("text", LEFT, self.y - 17, line, BOLD, 17, 0.0)
            self.y -= 22
        self.y -= 6

    def fields(self, fields: list[str]) -> None:
        rows = (len(fields) + 1) // 2
        height = rows * 15 + 12
        self._need(height)
        top = self.y
        self.op("rect", LEFT, top - height, BODY_W, height)
        col_w = BODY_W / 2
        for k, field in enumerate(fields):
            col, row = divmod(k, rows)
            x = LEFT + 8 + col * col_w
            y = top - 16 - row * 15
            label, sep, value = field.partition(": ")
            if sep:
                self.op("text", x, y, label + ":", BOLD, 9.5, 0.0)
                self.op("text", x + _width(label + ": ", BOLD, 9.5), y, value, FONT, 9.5, 0.0)
            else:
                self.op("text", x, y, field, BOLD, 9.5, 0.0)
        self.y = top - height - 18

    def heading(self, text: str, level: int, extra: float = 0.0) -> None:
        font, size, before = {1: (BOLD, 13, 12), 2: (BOLD, 11.5, 8), 3: (ITALIC_BOLD, 10.5, 6)}[level]
        self.y -= before
        self._need(size + 4 + 2 * LEADING + extra)  # keep with next (and with a following heading)
        self.op("text", LEFT, self.y - size, text, font, size, 0.0)
        self.y -= size + 6

    def paragraph(self, text: str, indent: float = 0.0, bullet: bool = False) -> None:
        width = BODY_W - indent
        lines = wrap(text, width)
        for k, (line, last) in enumerate(lines):
            self._need(LEADING)
            x = LEFT + indent
            if bullet and k == 0:
                self.op("text", LEFT + indent - 11, self.y - BODY_SIZE, "\u2013", FONT, BODY_SIZE, 0.0)
            ws = 0.0
            gaps = line.count(" ")
            if not last and gaps:
                ws = (width - _width(line, FONT, BODY_SIZE)) / gaps
            self.op("text", x, self.y - BODY_SIZE, line, FONT, BODY_SIZE, ws)
            self.y -= LEADING
        self.y -= 5


def build_pdf(src: Path, out: Path) -> None:
    from reportlab.pdfgen import canvas

    items = parse(src)
    lay = PdfLayout()
    fields = [p for t, p in items if t == "field"]
    doc_title = ""
    for k, (tag, payload) in enumerate(items):
        if tag == "doctitle":
            doc_title = payload
            lay.title(payload)
            lay.fields(fields)
        elif tag == "field":
            continue
        elif tag in ("h1", "h2", "h3"):
            following = items[k + 1][0] if k + 1 < len(items) else ""
            lay.heading(payload, int(tag[1]), extra=30.0 if following in ("h1", "h2", "h3") else 0.0)
        elif tag == "p":
            lay.paragraph(payload)
        elif tag == "bullet":
            lay.paragraph(payload, indent=16, bullet=True)
        else:
            raise ValueError(f"unknown tag {tag!r} in {src.name}")

    c = canvas.Canvas(str(out), pagesize=(PAGE_W, PAGE_H), invariant=1, pageCompression=0)
    # Real exported PDFs are inconsistent: this one carries an author but no title in its metadata.
    c.setTitle("")
    c.setAuthor("Havslunda kommun")
    c.setSubject("")
    c.setCreator("Microsoft Word")
    c.setProducer("Havslunda kommun dokumentexport")
    total = len(lay.pages)
    for n, ops in enumerate(lay.pages, start=1):
        # running header
        c.setFont(FONT, 8.5)
        c.drawString(LEFT, PAGE_H - 48, "Havslunda kommun")
        c.drawRightString(PAGE_W - RIGHT, PAGE_H - 48, "Policy för användning av artificiell intelligens")
        c.setLineWidth(0.5)
        c.line(LEFT, PAGE_H - 54, PAGE_W - RIGHT, PAGE_H - 54)
        # running footer
        c.line(LEFT, 54, PAGE_W - RIGHT, 54)
        c.drawString(LEFT, 42, "Dnr KS 2024/0912")
        c.drawRightString(PAGE_W - RIGHT, 42, f"Sida {n} av {total}")
        for op in ops:
            if op[0] == "rect":
                _, x, y, w, h = op
                c.setLineWidth(0.6)
                c.rect(x, y, w, h)
            else:
                _, x, y, text, font, size, ws = op
                t = c.beginText(x, y)
                t.setFont(font, size)
                t.setWordSpace(ws)
                t.textOut(text)
                c.drawText(t)
        c.showPage()
    c.save()
    del doc_title


def main() -> int:
    DOCS.mkdir(parents=True, exist_ok=True)
    build_docx(HERE / "gransjo-regler-for-ai.txt", DOCS / "gransjo-regler-for-ai.docx")
    build_pdf(HERE / "havslunda-ai-policy.txt", DOCS / "havslunda-ai-policy.pdf")
    print("wrote", DOCS / "gransjo-regler-for-ai.docx")
    print("wrote", DOCS / "havslunda-ai-policy.pdf")
    return 0


if __name__ == "__main__":
    sys.exit(main())
