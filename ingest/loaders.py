"""Format loaders: a file in, plain text with light structure (markdown-style headings, bullets) out."""
from __future__ import annotations

import re
import zipfile
from html.parser import HTMLParser
from pathlib import Path

from ingest.errors import IngestError

SUPPORTED = (".txt", ".md", ".pdf", ".docx", ".html", ".htm")
MAX_FILE_BYTES = 50 * 1024 * 1024
MAX_UNZIPPED_BYTES = 200 * 1024 * 1024  # a DOCX that inflates past this is treated as a zip bomb
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


def load_text(path: Path) -> str:
    """Return the document's text or raise IngestError with a one-line reason."""
    if not path.exists():
        raise IngestError(f"{path}: file not found")
    if not path.is_file():
        raise IngestError(f"{path}: not a file")
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED:
        raise IngestError(f"{path}: unsupported file type '{suffix or '(none)'}' (supported: {', '.join(SUPPORTED)})")
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise IngestError(f"{path}: file is {size // (1024 * 1024)} MB, over the {MAX_FILE_BYTES // (1024 * 1024)} MB limit")
    loader = {".pdf": _load_pdf, ".docx": _load_docx, ".html": _load_html, ".htm": _load_html}.get(suffix, _load_plain)
    text = loader(path)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not re.search(r"\w{2,}", text):
        raise IngestError(f"{path}: document is empty (no text could be extracted)")
    return text


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


def _load_plain(path: Path) -> str:
    return _decode(path, path.read_bytes())


def _load_pdf(path: Path) -> str:
    import logging

    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    # pypdf logs its repairs of damaged files; the user gets our one-line verdict instead.
    logging.getLogger("pypdf").setLevel(logging.CRITICAL)

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
    except IngestError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, OSError, RecursionError) as exc:
        raise IngestError(f"{path}: corrupt or unreadable PDF ({type(exc).__name__})") from None
    except Exception as exc:  # pypdf raises a wide variety on hostile input
        raise IngestError(f"{path}: corrupt or unreadable PDF ({type(exc).__name__})") from None
    return "\n\f\n".join(pages)


def _load_docx(path: Path) -> str:
    try:
        with zipfile.ZipFile(path) as archive:
            inflated = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError):
        raise IngestError(f"{path}: corrupt DOCX (not a valid zip archive)") from None
    if inflated > MAX_UNZIPPED_BYTES:
        raise IngestError(f"{path}: DOCX inflates to {inflated // (1024 * 1024)} MB; refusing a possible zip bomb")
    import docx

    try:
        document = docx.Document(str(path))
    except Exception as exc:
        raise IngestError(f"{path}: corrupt or unreadable DOCX ({type(exc).__name__})") from None
    lines: list[str] = []
    for para in document.paragraphs:
        text = para.text.strip()
        if not text:
            lines.append("")
            continue
        style = (para.style.name if para.style is not None else "") or ""
        level = re.match(r"(?:Heading|Rubrik)\s*(\d)", style)
        if level or style == "Title":
            lines += ["", "#" * (int(level.group(1)) if level else 1) + " " + text, ""]
        elif "List" in style or "Lista" in style:
            lines.append("• " + text)
        else:
            lines += [text, ""]
    for table in document.tables:
        for row in table.rows:
            lines.append(" | ".join(cell.text.strip() for cell in row.cells))
        lines.append("")
    return "\n".join(lines)


class _HTMLText(HTMLParser):
    _BLOCK = {"p", "div", "section", "article", "br", "tr", "table", "ul", "ol", "header", "footer", "main", "blockquote"}
    _SKIP = {"script", "style", "noscript", "template", "head"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in self._SKIP:
            self._skip += 1
        elif re.fullmatch(r"h[1-6]", tag):
            self.parts.append("\n\n" + "#" * int(tag[1]) + " ")
        elif tag == "li":
            self.parts.append("\n• ")
        elif tag in self._BLOCK:
            self.parts.append("\n\n" if tag != "br" else "\n")

    def handle_endtag(self, tag):
        if tag in self._SKIP:
            self._skip = max(0, self._skip - 1)
        elif re.fullmatch(r"h[1-6]", tag) or tag in self._BLOCK:
            self.parts.append("\n\n")

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(re.sub(r"\s+", " ", data))


def _load_html(path: Path) -> str:
    parser = _HTMLText()
    parser.feed(_decode(path, path.read_bytes()))
    parser.close()
    text = "".join(parser.parts)
    text = re.sub(r"[ \t]*\n[ \t]*", "\n", text)
    return re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"
