"""The one internal representation every loader hands to chunking: blocks, and the text form they are stored in.

A loader reads a file into `Element`s (a heading with its level, a paragraph, a list item, a table row with its
header cells) and `serialise` writes them in the light text form that `structure.split_blocks` reads back, so
chunking, section paths and the document panel all see the same structure:

    # Heading            (one "#" per level)
    Paragraph text, one line per paragraph (layout line breaks already joined).
    • List item
    Verktyg: Copilot Chat · Högsta tillåtna informationsklass: Klass 1 (intern)    (a table row, one line)

A table row is one line with each cell behind its header cell ("header: cell", joined by " · "), so a row can be
quoted and understood alone; the header row itself is never written as a line of its own, so it can never become a
heading or a section path. Rows are separated by blank lines (each is its own block and its own quotable span).

`join_lines` is the one place where layout line breaks are undone (PDF lines, hard-wrapped text): a hyphen at a
line end is dropped when the joined word is a Swedish word ("beslutsfat-" + "tandet"), kept when the part before it
is an acronym or a number ("AI-" + "körkortet") or the joined word is not a word, and kept with a space before
"och"/"eller" ("informations- och cybersäkerhet").
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

CELL_SEP = " · "
ITEM = "• "
# A line of the text form that is a table row: cells joined by CELL_SEP (split_blocks keeps each row a block).
ROW_LINE = re.compile(r"^[^\n]*?\S · \S")
_CLOSERS = "'\")”’]"
# Words after a hyphen that show a suspended compound ("informations- och cybersäkerhet").
_CONJUNCTIONS = {"och", "eller", "samt", "respektive", "resp", "som", "till", "utan", "men", "and", "or", "to"}
_WORD_TAIL = re.compile(r"(?<![^\W_])([^\W_]+)-$")   # from the start of the word: linear
_WORD_HEAD = re.compile(r"^([^\W_]+)")
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")


def ends_sentence(line: str) -> bool:
    """Whether a line ends a sentence (or a lead-in): its last mark, behind closing quotes and brackets, is one
    of . ! ? : ; …"""
    return line.rstrip().rstrip(_CLOSERS)[-1:] in (".", "!", "?", ":", ";", "…")


@dataclass
class Element:
    kind: str                      # heading | para | item | row
    text: str = ""
    level: int = 0                 # headings: 1 = top
    cells: list[str] = field(default_factory=list)     # rows: the cells, in order
    header: list[str] = field(default_factory=list)    # rows: the table's header cells (may be empty)


@dataclass
class LoadedDocument:
    """What a loader gives: the document's text in the stored text form, and the title it gives itself."""
    text: str
    title: str = ""
    elements: list[Element] = field(default_factory=list)


def clean_inline(text: str) -> str:
    """One line of running text: runs of spaces (also no-break and thin spaces) collapsed, no line breaks."""
    return _SPACES.sub(" ", text.replace("\r", " ").replace("\n", " ").replace("\u00ad", "")).strip()


def row_line(cells: list[str], header: list[str] | None = None) -> str:
    """A table row as one line: "header: cell · header: cell"; a two-column table without a header reads
    "label: value"; cells without a header cell stand alone."""
    cells = [clean_inline(c) for c in cells]
    header = [clean_inline(h) for h in (header or [])]
    if not any(cells):
        return ""
    if not any(header) and len(cells) == 2 and cells[0] and cells[1]:
        label = cells[0].rstrip(":")
        return f"{label}: {cells[1]}"
    parts = []
    for i, cell in enumerate(cells):
        if not cell:
            continue
        head = header[i] if i < len(header) else ""
        if head and head != cell:
            parts.append(f"{head.rstrip(':')}: {cell}")
        else:
            parts.append(cell)
    return CELL_SEP.join(parts)


def serialise(elements: list[Element]) -> str:
    """The text form of a document's blocks (see the module docstring); every block ends with a blank line,
    except list items, which follow each other line by line."""
    out: list[str] = []
    prev = ""
    for el in elements:
        if el.kind == "row":
            line = row_line(el.cells, el.header)
        else:
            line = clean_inline(el.text)
        if not line:
            continue
        if el.kind == "heading":
            line = "#" * max(1, min(el.level, 6)) + " " + line
        elif el.kind == "item":
            line = ITEM + line
        if out and not (el.kind == "item" and prev == "item"):
            out.append("")
        out.append(line)
        prev = el.kind
    return "\n".join(out).strip() + "\n" if out else ""


def _is_acronym(part: str) -> bool:
    """AI, IT, EU, 24, e (e-post), and OCR's "Al" for "AI": a hyphen after these belongs to the word."""
    return any(c.isdigit() for c in part) or len(part) == 1 or \
        (len(part) <= 5 and sum(c.isupper() for c in part) >= 2) or (len(part) <= 3 and part[0].isupper())


def join_hyphenated(before: str, after: str, lexicon=None) -> str:
    """How a line ending in "-" (before, with the hyphen) continues with the next line (after): the joint text
    between them, one of "" (drop the hyphen), "-" (keep it, no space) or "- " (a suspended compound)."""
    tail = _WORD_TAIL.search(before)
    head = _WORD_HEAD.match(after)
    if not tail or not head:
        return "- " if not head else "-"
    part, nxt = tail.group(1), head.group(1)
    if nxt.lower() in _CONJUNCTIONS:
        return "- "
    if _is_acronym(part) or nxt[:1].isupper():
        return "-"                                      # AI-körkortet, EU-Kommissionen, 2025-04
    if lexicon is None:
        from ingest.lexicon import swedish

        lexicon = swedish()
    joined = (part + nxt).lower()
    if lexicon.known(joined):
        return ""
    # A compound the word list does not hold: a known word after the break and a start of a word before it
    # ("betal-" + "abonnemang"). A name before the hyphen ("Havslunda-kontoret") is no start of a listed word.
    if len(part) >= 3 and lexicon.known(nxt.lower()) and lexicon.has_prefix(part.lower()):
        return ""
    return "-"


def join_lines(lines: list[str], lexicon=None) -> str:
    """Lines of one paragraph as one line: line-end hyphenation undone (see `join_hyphenated`), the rest joined
    with one space."""
    out = ""
    for raw in lines:
        line = clean_inline(raw)
        if not line:
            continue
        if not out:
            out = line
        elif re.search(r"[^\W_]-$", out) and line[:1].isalnum():
            joint = join_hyphenated(out, line, lexicon)
            out = out[:-1] + joint + line
        else:
            out = out + " " + line
    return out
