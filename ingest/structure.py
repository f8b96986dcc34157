"""Layout cleanup and structure-aware chunking: headings, numbered sections, lists kept with their lead-in.

`clean_layout` turns any loader's text into the stored text form (see `ingest.blocks`): tables of contents and
page-break noise dropped, running page headers and footers of "\f"-separated pages dropped, Markdown and
fixed-width text tables written as one line per row with its header cells, Markdown emphasis and link targets
dropped, and layout line wraps reflowed (a line that does not end a sentence goes on with the next line when that
one starts in lower case, or when it is as long as the text's full lines; a hyphen at the line end is undone as
`blocks.join_lines` does). Headings, list items and table rows stay lines. The stored text is this cleaned text,
so chunk spans index exactly what is shown and quoted.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Callable

from ingest.blocks import ROW_LINE, ends_sentence, join_hyphenated, row_line

# A table-of-contents entry: text, a leader (dots, an ellipsis, a tab or spaces) and a page number. The
# possessive runs and the leader of exactly three spaces (the rest is the whitespace after it) match the same
# lines as "(?:\.{2,}|…+|\t| {3,})\s*\d{1,3}\s*$" did, but never re-read a run of spaces: that was
# quadratic (a DOCX paragraph of 4,000 spaces took 23 s, of 20,000 spaces several minutes).
TOC_LINE = re.compile(r"^\s*+\S.{0,120}?(?:\.{2,}+|…++|\t| {3})\s*+\d{1,3}\s*+$")
TOC_HEAD = re.compile(r"^\s*(innehåll|innehållsförteckning|contents|table of contents)\s*$", re.I)
PAGE_NOISE = re.compile(r"^\s*(?:\d{1,3}|sida \d+(?: av \d+)?|page \d+(?: of \d+)?|[-–—_]{2,})\s*$", re.I)
BULLET = re.compile(r"^\s*(?:[•\-–*·▪◦]|[o«»e](?=\s+[A-ZÅÄÖ\"“”])|\d{1,2}[.)](?=\s+[a-zåäö]))\s+")
NUMBERED_HEAD = re.compile(r"^\s*(?:§\s*\d+[a-z]?\b|\d{1,2}(?:\.\d{1,2})*\.?\s+[A-ZÅÄÖ])")
MD_HEAD = re.compile(r"^\s*(#{1,6})\s+\S")
SENTENCE_END = re.compile(r"[.!?:;)]\s*$")
ROW_LEAD_CHARS = 200    # a paragraph this short just before a table is its caption or lead-in


def clean_layout(text: str, lexicon=None) -> str:
    """The stored text form of a loader's text: tables of contents, page-break noise and running page headers
    dropped, text tables as row lines, layout line wraps reflowed (see the module docstring)."""
    lines = _drop_running_lines(text).replace("\f", "\n").split("\n")
    keep: list[str] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        if TOC_HEAD.match(line):
            j = i + 1
            while j < len(lines) and not lines[j].strip():
                j += 1
            if j < len(lines) and TOC_LINE.match(lines[j]):
                i = j
                continue
        if TOC_LINE.match(line) and not line.rstrip().endswith((".", ":")) or PAGE_NOISE.match(line):
            i += 1
            continue
        keep.append(line.rstrip())
        i += 1
    keep = _reflow(_text_tables(keep), lexicon)
    out = "\n".join(keep)
    return re.sub(r"\n{4,}", "\n\n\n", out).strip("\n") + "\n"


# -- running page headers and footers -------------------------------------------------------------------

RUNNING_WINDOW = 3      # lines at the top and at the bottom of a page that may be a running header or footer
RUNNING_MAX_CHARS = 120  # a running header or footer is one short line


def _norm_running(line: str) -> str:
    return re.sub(r"\d+", "#", re.sub(r"\s+", " ", line.strip().lower()))


def _drop_running_lines(text: str) -> str:
    """Lines at the top or bottom of "\f"-separated pages that repeat on at least half of the pages (digits
    aside: "Sida 2 av 4"), such as a document title or a registration number printed on every page."""
    if "\f" not in text:
        return text
    pages = [p.split("\n") for p in text.split("\f")]
    if len(pages) < 2:
        return text
    edges: list[set[int]] = []
    seen: dict[str, int] = {}
    for lines in pages:
        filled = [i for i, ln in enumerate(lines) if ln.strip()]
        idx = set(filled[:RUNNING_WINDOW] + filled[-RUNNING_WINDOW:])
        edges.append(idx)
        for norm in {_norm_running(lines[i]) for i in idx}:
            seen[norm] = seen.get(norm, 0) + 1
    need = max(2, (len(pages) + 1) // 2)
    out = []
    for lines, idx in zip(pages, edges):
        out.append("\n".join(ln for i, ln in enumerate(lines)
                             if not (i in idx and seen.get(_norm_running(ln), 0) >= need and re.search(r"\w", ln)
                                     and len(ln.strip()) <= RUNNING_MAX_CHARS)))
    return "\f".join(out)


# -- text tables --------------------------------------------------------------------------------------------

MD_ROW = re.compile(r"^\s*+\|.*\|\s*+$")
MD_RULE = re.compile(r"^\s*+\|?\s*+:?-{3,}+:?\s*+(?:\|\s*+:?-{3,}+:?\s*+)*+\|?\s*+$")
DASH_RULE = re.compile(r"^\s*+-{3,}+(?:[ \t]++-{3,}+)++\s*+$")


def _md_cells(line: str) -> list[str]:
    inner = line.strip()
    inner = inner[1:] if inner.startswith("|") else inner
    inner = inner[:-1] if inner.endswith("|") else inner
    return [_md_inline(c.strip()) for c in re.split(r"(?<!\\)\|", inner)]


def _text_tables(lines: list[str]) -> list[str]:
    """Markdown pipe tables and fixed-width tables under a dashed rule, as one line per row with its header
    cells (rows separated by blank lines); other lines unchanged."""
    out: list[str] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        if MD_ROW.match(line) and i + 1 < len(lines) and MD_RULE.match(lines[i + 1]) and "|" in lines[i + 1] + line:
            header = _md_cells(line)
            j = i + 2
            rows = []
            while j < len(lines) and MD_ROW.match(lines[j]):
                rows.append(_md_cells(lines[j]))
                j += 1
            _emit_rows(out, rows, header)
            i = j
            continue
        if DASH_RULE.match(line) and out and out[-1].strip():
            spans = [(m.start(), m.end()) for m in re.finditer(r"-{3,}", line)]
            header_line = out.pop()
            header = _fixed_cells(header_line, spans)
            rows: list[list[str]] = []
            j = i + 1
            while j < len(lines) and lines[j].strip():
                cells = _fixed_cells(lines[j], spans)
                if rows and not cells[0] and any(cells):      # a wrapped cell goes on in its column
                    rows[-1] = [f"{a} {b}".strip() for a, b in zip(rows[-1], cells)]
                else:
                    rows.append(cells)
                j += 1
            _emit_rows(out, rows, header)
            i = j
            continue
        out.append(line)
        i += 1
    return out


def _fixed_cells(line: str, spans: list[tuple[int, int]]) -> list[str]:
    cells = []
    for k, (start, _) in enumerate(spans):
        end = spans[k + 1][0] if k + 1 < len(spans) else len(line)
        cells.append(line[start:end].strip() if k else line[:end].strip())
    return cells


def _emit_rows(out: list[str], rows: list[list[str]], header: list[str]) -> None:
    if out and out[-1].strip():
        out.append("")
    for cells in rows:
        line = row_line(cells, header)
        if line:
            out += [line, ""]


# -- reflow -------------------------------------------------------------------------------------------------

_MD_LINK = re.compile(r"\[([^\[\]\n]{1,300}+)\]\([^()\s]{0,500}+\)")
_MD_STRONG = re.compile(r"\*\*(?=[^\s*])([^*\n]{1,300}+)(?<=[^\s*])\*\*|__(?=[^\s_])([^_\n]{1,300}+)(?<=[^\s_])__")
_MD_EM = re.compile(r"(?<![\w*])\*(?=[^\s*])([^*\n]{1,300}+)(?<=[^\s*])\*(?![\w*])")
FULL_LINE = 0.8         # a line this share of the text's full line length was wrapped by the layout


def _md_inline(line: str) -> str:
    """Markdown emphasis and link targets dropped: "**inte**" reads "inte", "[text](url)" reads "text"."""
    if "*" not in line and "_" not in line and "](" not in line:
        return line
    line = _MD_LINK.sub(r"\1", line)
    line = _MD_STRONG.sub(lambda m: m.group(1) or m.group(2) or "", line)
    return _MD_EM.sub(r"\1", line)


def _structural(line: str) -> bool:
    """A line that is a block of its own: a heading, a list item, a table row, a § or numbered heading."""
    s = line.strip()
    return bool(MD_HEAD.match(s) or BULLET.match(line) or ROW_LINE.match(s) or s.startswith(("§", "|", ">"))
                or NUMBERED_HEAD.match(s))


def _full_width(lines: list[str]) -> int:
    lengths = sorted(len(ln.strip()) for ln in lines if len(ln.strip()) >= 20)
    if len(lengths) < 5:
        return 10 ** 6
    return lengths[int(0.9 * (len(lengths) - 1))]


def _reflow(lines: list[str], lexicon=None) -> list[str]:
    """Layout line wraps joined: see the module docstring. Lines are never reordered; blank lines go only where
    a sentence visibly goes on across them (a lower-case line after one that does not end a sentence)."""
    full = _full_width(lines)
    out: list[str] = []
    for n, line in enumerate(lines):
        line = _md_inline(line)
        blanks = 0
        while blanks < len(out) and blanks < 2 and not out[-1 - blanks].strip():
            blanks += 1
        prev = out[-1 - blanks] if blanks < len(out) else ""
        after = lines[n + 1] if n + 1 < len(lines) else ""
        joint = _joint(prev, line, after, full, lexicon) if prev.strip() and line.strip() else None
        if joint is not None and blanks and not (_first_letter(line.strip()).islower() and joint in (" ", "")):
            joint = None                    # across a blank line only a sentence that visibly goes on
        if joint is None:
            out.append(line)
            continue
        del out[len(out) - blanks:]
        out[-1] = prev.rstrip()[:-1] + joint + line.strip() if joint != " " else prev.rstrip() + " " + line.strip()
    return out


def _first_letter(s: str) -> str:
    """The first character that decides a line's case: after opening quotes and brackets."""
    stripped = s.lstrip("\"”“'‘’«»([")
    return stripped[:1] or s[:1]


def _joint(prev: str, line: str, after: str, full: int, lexicon) -> str | None:
    """How line goes on from prev: None (a new line), " " (the same paragraph), or what stands for the line-end
    hyphen of prev ("", "-", "- ")."""
    p, s = prev.rstrip(), line.strip()
    if not s or not p.strip():
        return None
    if MD_HEAD.match(p.strip()) or ROW_LINE.match(p.strip()) or p.strip().startswith(("|", ">")) or TOC_LINE.match(p):
        return None
    if _structural(line) and not s[:1].islower():
        return None
    if re.search(r"[^\W_]-$", p) and s[:1].isalnum():
        return join_hyphenated(p, s, lexicon)
    if ends_sentence(p) or p.endswith(("-", "–", "—")):
        return None
    first = _first_letter(s)
    if first.islower():
        return " "
    # A capitalised line after a full line that stops mid-sentence: the sentence goes on ("… förteckning över
    # godkända" / "AI-tjänster på intranätet."), unless the line is a heading of its own (short, unpunctuated,
    # followed by a capitalised line or nothing).
    if len(p.strip()) >= FULL_LINE * full and (first.isupper() or first.isdigit()):
        heading_like = len(s) < 45 and not ends_sentence(s) and (not after.strip() or after.strip()[:1].isupper())
        if not heading_like:
            return " "
    return None


@dataclass
class Block:
    kind: str  # heading | para | item | row
    start: int
    end: int
    level: int = 0


def _heading_level(line: str, prev: str | None, nxt: str | None, numbered_level: bool) -> int:
    s = line.strip()
    md = MD_HEAD.match(s)
    if md:
        return len(md.group(1))
    if not s or len(s) > 70 or len(s.split()) > 10 or BULLET.match(line):
        return 0
    if s.endswith((".", ",", ";", ":")) or not (s[0].isupper() or s[0].isdigit() or s[0] == "§"):
        return 0
    if ":" in s and not s.startswith("§"):
        return 0
    if prev and not SENTENCE_END.search(prev) and not BULLET.match(prev):
        return 0  # the tail of a wrapped sentence, not a heading
    if nxt and nxt.strip()[:1].islower():
        return 0  # the first line of a wrapped paragraph
    if NUMBERED_HEAD.match(s):
        return 2 if not re.match(r"^\s*\d+\.\d+", s) else 3
    return 3 if numbered_level and len(s.split()) <= 2 else 1


def split_blocks(text: str) -> list[Block]:
    blocks: list[Block] = []
    pos = 0
    prev_line: str | None = None
    in_numbered = False
    lines = text.split("\n")
    for n, line in enumerate(lines):
        start, end = pos, pos + len(line)
        pos = end + 1
        if not line.strip():
            prev_line = None
            continue
        lead = len(line) - len(line.lstrip())
        prev = None if blocks and blocks[-1].kind == "heading" and prev_line is not None and blocks[-1].end == start - 1 else prev_line
        nxt = lines[n + 1] if n + 1 < len(lines) else None
        if ROW_LINE.match(line.strip()):
            blocks.append(Block("row", start + lead, end))   # a table row: its own block, never a heading
            prev_line = line
            continue
        level = _heading_level(line, prev, nxt, in_numbered)
        if level:
            if level == 2:
                in_numbered = True
            elif level == 1:
                in_numbered = False
            blocks.append(Block("heading", start + lead, end, level))
        elif BULLET.match(line):
            blocks.append(Block("item", start + lead, end))
        elif blocks and blocks[-1].kind in ("para", "item") and prev_line:
            blocks[-1].end = end  # continuation of the paragraph or list item
        else:
            blocks.append(Block("para", start + lead, end))
        prev_line = line
    return blocks


@dataclass
class Chunk:
    text: str
    start: int
    end: int
    section: list[str] = field(default_factory=list)
    context: str = ""  # the lead-in sentence of a list this chunk continues (not part of the span)

    @property
    def section_path(self) -> str:
        return " > ".join(self.section)


def _groups(blocks: list[Block], text: str) -> list[tuple[list[str], list[Block]]]:
    """Sections' body blocks grouped so that a list stays with the sentence that introduces it."""
    path: list[tuple[int, str]] = []
    groups: list[tuple[list[str], list[Block]]] = []
    for b in blocks:
        if b.kind == "heading":
            title = re.sub(r"^#+\s*", "", text[b.start:b.end]).strip()
            path = [p for p in path if p[0] < b.level] + [(b.level, title)]
            continue
        section = [t for _, t in path]
        if groups and groups[-1][0] == section and b.kind == "row":
            # A table's rows stay together, with the short paragraph just before them (its caption or lead-in).
            last = groups[-1][1]
            if last[-1].kind == "row" or (len(last) == 1 and last[0].kind == "para"
                                          and (last[0].end - last[0].start <= ROW_LEAD_CHARS
                                               or text[last[0].start:last[0].end].rstrip().endswith(":"))):
                last.append(b)
                continue
        if groups and groups[-1][0] == section and b.kind == "item":
            last = groups[-1][1][-1]
            if last.kind == "item" or text[last.start:last.end].rstrip().endswith(":"):
                groups[-1][1].append(b)
                continue
        groups.append((section, [b]))
    return groups


def _sentence_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    spans, s = [], start
    for m in re.finditer(r"(?<=[.!?])\s+(?=[A-ZÅÄÖ0-9§\"“])", text[start:end]):
        spans.append((s, start + m.start()))
        s = start + m.end()
    spans.append((s, end))
    return spans


def chunk_text(text: str, count_tokens: Callable[[str], int], target: int, maximum: int) -> list[Chunk]:
    """Pack each section's groups into chunks of about `target` tokens, never over `maximum`.

    A list that does not fit with its lead-in is split between items; each piece carries the lead-in
    as context so it is still understood (and embedded) with it.
    """
    chunks: list[Chunk] = []
    for section, group in _groups(split_blocks(text), text):
        g_start, g_end = group[0].start, group[-1].end
        lead = text[group[0].start:group[0].end].strip() if group[0].kind == "para" and len(group) > 1 else ""
        units: list[tuple[int, int]] = []
        if count_tokens(text[g_start:g_end]) <= target:
            units = [(g_start, g_end)]
        else:
            for b in group:
                if count_tokens(text[b.start:b.end]) <= maximum:
                    units.append((b.start, b.end))
                else:
                    units.extend(_sentence_spans(text, b.start, b.end))
        for u_start, u_end in units:
            prev = chunks[-1] if chunks else None
            if prev and prev.section == section and count_tokens(text[prev.start:u_end]) <= target:
                prev.end = u_end
                prev.text = text[prev.start:u_end]
            else:
                context = lead if lead and u_start > group[0].start else ""
                chunks.append(Chunk(text[u_start:u_end], u_start, u_end, list(section), context))
    return chunks
