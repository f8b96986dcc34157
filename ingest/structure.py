"""Layout cleanup and structure-aware chunking: headings, numbered sections, lists kept with their lead-in."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Callable

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


def clean_layout(text: str) -> str:
    """Drop tables of contents and page-break noise; everything else stays character for character."""
    lines = text.replace("\f", "\n").split("\n")
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
    out = "\n".join(keep)
    return re.sub(r"\n{4,}", "\n\n\n", out).strip("\n") + "\n"


@dataclass
class Block:
    kind: str  # heading | para | item
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
