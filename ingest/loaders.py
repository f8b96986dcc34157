"""Format loaders: a file in, its text in the stored text form (see `ingest.blocks`) and its own title out.

Every loader reads its format into blocks (`ingest.blocks.Element`: heading with level, paragraph, list item,
table row with its header cells), which `blocks.serialise` writes as the light text form that chunking reads
("# Heading", "• item", one line per table row "header: cell · header: cell"). Plain text and Markdown are read
as they are; their layout (hard line wraps, line-end hyphens, page headers, text tables) is undone by
`structure.clean_layout`, which every document goes through.

Libraries, chosen by measuring them on the unseen documents (evals/unseen/docs) and the seeds (corpus/), with
the versions pinned in constraints.txt. Chrome: characters of the ingested text that are not in the page's
`<main>` (the unseen intranet page); time: CPU time per document after warm-up, on this 2-core machine;
install: what the candidate adds to this venv.

| format | candidate | chrome | tables | headings | title | time | install |
|---|---|---|---|---|---|---|---|
| HTML | hand-written HTMLParser (before) | 918 chars (8.3 %): cookie banner, menus, breadcrumbs, footer | cells glued; header row became a heading | yes | – | 4 ms | 0 |
| HTML | trafilatura 2.3.1 | 0 | Markdown table, caption as a header row | yes; `<dl>` terms and definitions as separate items | `<title>` | 12 ms | 46 MB, 8 packages |
| HTML | readability-lxml 0.9 | 0 (HTML of `<main>`, to be walked again) | HTML | yes | `<title>` | 7 ms | 2.9 MB, 4 packages |
| HTML | markitdown 0.1.8 | 1,294 chars (10.4 %): no boilerplate removal | Markdown table | yes | – | 42 ms | 38 MB (magika, onnx) |
| HTML | **lxml (installed) + semantic chrome rules, `ingest/html.py`** | **0** | **rows with header cells, caption before** | **yes; `<dl>` as "term: definition"** | **`<h1>`, else `<title>`** | **2 ms** | **0** |
| DOCX | python-docx paragraphs, then tables (before) | – | appended after the last section | yes | – | 58 ms | 0 |
| DOCX | mammoth 1.13.0 | – | in place, as HTML; header only for "repeat header row" | "Title" style unknown | – | 438 ms | 0.8 MB |
| DOCX | markitdown 0.1.8 (mammoth inside) | – | in place, Markdown | as mammoth | – | – | 38 MB |
| DOCX | **python-docx `iter_inner_content` (installed)** | – | **in place under "Regel 3", bold first row as header** | **yes** | **Title paragraph, core properties** | **70 ms** | **0** |
| PDF | pypdf 7.1.0 `extract_text()` (before) | 4 running header/footer lines per page | – | only by numbering; title split over 2 lines | metadata (empty here) | 22 ms | 0 |
| PDF | pypdf layout mode | same, columns padded with spaces | – | no | – | 19 ms | 0 |
| PDF | **pdfplumber 0.11.10** (word size, font, position) | **0** (margins + repetition) | field box as rows | **by font size** | **largest text on page 1, 2 lines joined** | **363 ms** (4 pages, incl. pypdf) | **37 MB** (pdfminer.six, pypdfium2, cryptography) |

The web-page extractors drop the chrome as well as the semantic rules do on this page, but they hand back Markdown
or HTML that must be parsed again into blocks, trafilatura drops content inside `<main>` (the page meta
"Sidansvarig: Maria Lindqvist"), and none keeps a definition list's term with its definition; the lxml walker over
the page's own markup (main, nav, header, footer, aside, roles, chrome class names) does it in one pass with no
new package. For DOCX, python-docx's body iteration keeps tables in place and knows Word's styles and core
properties, which mammoth does not. For PDF, pdfplumber's word geometry is what makes titles, headings,
paragraphs and running headers readable at all (no text-only rule can tell a wrapped title or a paragraph break);
pypdf stays for encryption, metadata and as the fallback when pdfplumber cannot read a file.
"""
from __future__ import annotations

import re
import zipfile
from pathlib import Path

from ingest.blocks import Element, LoadedDocument, clean_inline, serialise
from ingest.errors import IngestError

SUPPORTED = (".txt", ".md", ".pdf", ".docx", ".html", ".htm")
MAX_FILE_BYTES = 50 * 1024 * 1024
MAX_UNZIPPED_BYTES = 200 * 1024 * 1024  # a DOCX that inflates past this is treated as a zip bomb
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


def load_text(path: Path) -> str:
    """Return the document's text or raise IngestError with a one-line reason."""
    return load_document(path).text


def document_title(path: Path) -> str:
    """The title the document gives itself ("" when it names none); IngestError for a file that cannot be read."""
    return load_document(path).title


# The last few documents read, by path, modification time and size: ingest asks for a file's title before it
# reads the file's text, and a PDF's layout takes a second to read.
_RECENT: dict[tuple[str, int, int], LoadedDocument] = {}
_RECENT_MAX = 4


def load_document(path: Path) -> LoadedDocument:
    """The document's text (the stored text form) and the title the document gives itself ("" when it names
    none), or IngestError with a one-line reason."""
    path = Path(path)
    if not path.exists():
        raise IngestError(f"{path}: file not found")
    if not path.is_file():
        raise IngestError(f"{path}: not a file")
    stat = path.stat()
    key = (str(path.resolve()), stat.st_mtime_ns, stat.st_size)
    if key in _RECENT:
        return _RECENT[key]
    doc = _load_document(path)
    while len(_RECENT) >= _RECENT_MAX:
        _RECENT.pop(next(iter(_RECENT)))
    _RECENT[key] = doc
    return doc


def _load_document(path: Path) -> LoadedDocument:
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED:
        raise IngestError(f"{path}: unsupported file type '{suffix or '(none)'}' (supported: {', '.join(SUPPORTED)})")
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise IngestError(f"{path}: file is {size // (1024 * 1024)} MB, over the {MAX_FILE_BYTES // (1024 * 1024)} MB limit")
    loader = {".pdf": _load_pdf, ".docx": _load_docx, ".html": _load_html, ".htm": _load_html, ".md": _load_markdown}
    doc = loader.get(suffix, _load_plain)(path)
    doc.text = doc.text.replace("\r\n", "\n").replace("\r", "\n")
    if not re.search(r"\w{2,}", doc.text):
        raise IngestError(f"{path}: document is empty (no text could be extracted)")
    doc.title = clean_inline(doc.title)[:300]
    return doc


def _decode(path: Path, data: bytes) -> str:
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise IngestError(f"{path}: looks like a binary file, not text")
    for encoding in ("utf-8-sig", "utf-16"):
        if encoding == "utf-16" and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
            continue
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        # Control characters decode as valid UTF-8: a text head followed by binary data would pass as text.
        if "\x00" in text or len(_CONTROL.findall(text)) > max(8, len(text) // 1000):
            raise IngestError(f"{path}: looks like a binary file, not text")
        return text
    # Older Swedish office files are often Windows-1252; accept that only when the result is clean text.
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        text = ""
    if not text or _CONTROL.search(text):
        raise IngestError(f"{path}: unreadable text encoding (save the file as UTF-8)")
    return text


def _load_plain(path: Path) -> LoadedDocument:
    # A plain text file does not name itself reliably (the first line of an extracted PDF is as often a running
    # header as a title): the manifest or --title names it.
    return LoadedDocument(_decode(path, path.read_bytes()))


def _load_markdown(path: Path) -> LoadedDocument:
    text = _decode(path, path.read_bytes())
    m = re.search(r"^#[ \t]+(\S.*?)[ \t#]*$", text, re.M)
    title = re.sub(r"[*_`]+", "", m.group(1)).strip() if m else ""
    return LoadedDocument(text, title)


def _load_pdf(path: Path) -> LoadedDocument:
    import logging

    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    # pypdf and pdfminer log their repairs of damaged files; the user gets our one-line verdict instead.
    for name in ("pypdf", "pdfminer", "pdfplumber"):
        logging.getLogger(name).setLevel(logging.CRITICAL)

    try:
        reader = PdfReader(str(path))
        if reader.is_encrypted:
            try:
                ok = reader.decrypt("")
            except Exception:
                ok = 0
            if not ok:
                raise IngestError(f"{path}: PDF is password-protected; save an unprotected copy and ingest that")
        pages = [page.extract_text() or "" for page in reader.pages]
        try:
            meta_title = (reader.metadata or {}).get("/Title") or ""
        except Exception:
            meta_title = ""
    except IngestError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, OSError, RecursionError) as exc:
        raise IngestError(f"{path}: corrupt or unreadable PDF ({type(exc).__name__})") from None
    except Exception as exc:  # pypdf raises a wide variety on hostile input
        raise IngestError(f"{path}: corrupt or unreadable PDF ({type(exc).__name__})") from None
    from ingest.pdf import good_title, read_pdf_layout

    meta_title = good_title(str(meta_title))
    try:
        import pdfplumber

        with pdfplumber.open(str(path)) as pdf:
            elements, first_page_title = read_pdf_layout(pdf)
    except Exception:                        # pdfplumber cannot read what pypdf could: pypdf's text, as before
        elements, first_page_title = [], ""
    text = serialise(elements)
    if not re.search(r"\w{2,}", text):
        text = "\n\f\n".join(pages)
    return LoadedDocument(text, meta_title or first_page_title, elements)


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _docx_bold_row(row) -> bool:
    """Whether every text run of a table row is bold (a header row set by hand)."""
    runs = [r for cell in row.cells for p in cell.paragraphs for r in p.runs if r.text.strip()]
    if not runs:
        return False
    return all(r.bold or (r.style is not None and r.style.font.bold) for r in runs)


def _docx_table(table) -> list[Element]:
    rows = []
    for row in table.rows:
        cells, seen = [], set()
        for cell in row.cells:
            if id(cell._tc) in seen:           # a merged cell is listed once per grid column it spans
                cells.append("")
                continue
            seen.add(id(cell._tc))
            cells.append(clean_inline(cell.text.replace("\n", " ")))
        rows.append((row, cells))
    rows = [(r, c) for r, c in rows if any(c)]
    if not rows:
        return []
    width = max(len(c) for _, c in rows)
    if width == 1:                              # a one-column table is a box of text
        return [Element("para", c[0]) for _, c in rows if c[0]]
    first_row, first = rows[0]
    trpr = first_row._tr.trPr
    repeat = trpr is not None and trpr.find(f"{_W}tblHeader") is not None
    header: list[str] = []
    if len(rows) >= 2 and (repeat or _docx_bold_row(first_row)):
        header = first
        rows = rows[1:]
    return [Element("row", cells=c, header=header) for _, c in rows]


def _load_docx(path: Path) -> LoadedDocument:
    try:
        with zipfile.ZipFile(path) as archive:
            inflated = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError):
        raise IngestError(f"{path}: corrupt DOCX (not a valid zip archive)") from None
    if inflated > MAX_UNZIPPED_BYTES:
        raise IngestError(f"{path}: DOCX inflates to {inflated // (1024 * 1024)} MB; refusing a possible zip bomb")
    import docx
    from docx.table import Table

    try:
        document = docx.Document(str(path))
    except Exception as exc:
        raise IngestError(f"{path}: corrupt or unreadable DOCX ({type(exc).__name__})") from None
    elements: list[Element] = []
    title_para = ""
    # The body in document order: paragraphs and tables where they stand (headers and footers are not body).
    for block in document.iter_inner_content():
        if isinstance(block, Table):
            elements += _docx_table(block)
            continue
        text = clean_inline(block.text)
        if not text:
            continue
        style = (block.style.name if block.style is not None else "") or ""
        level = re.match(r"(?:Heading|Rubrik)\s*(\d)", style)
        ppr = block._p.pPr
        numbered = ppr is not None and ppr.numPr is not None
        if style == "Title" or style == "Rubrik":
            elements.append(Element("heading", text, level=1))
            title_para = title_para or text
        elif level:
            elements.append(Element("heading", text, level=int(level.group(1))))
        elif "List" in style or "Lista" in style or numbered:
            elements.append(Element("item", text))
        else:
            elements.append(Element("para", text))
    try:
        core_title = document.core_properties.title or ""
    except Exception:
        core_title = ""
    from ingest.pdf import good_title

    title = title_para or good_title(core_title)
    if not title and elements and elements[0].kind == "heading":
        title = elements[0].text                # a document that opens with its heading names itself by it
    return LoadedDocument(serialise(elements), title, elements)


def _load_html(path: Path) -> LoadedDocument:
    from ingest.html import read_html

    elements, title = read_html(_decode(path, path.read_bytes()))
    return LoadedDocument(serialise(elements), title, elements)
