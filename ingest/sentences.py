"""Sentence spans in policy text as extracted from PDFs: wrapped lines, bullet lists, headings, abbreviations.

Spans index the original text, so a quote is always a verbatim slice of the document; what lies between
spans is only whitespace and list bullets.
"""
from __future__ import annotations

import re

# Abbreviations that end in a period but do not end a sentence (Swedish policy prose and some English).
ABBREVIATIONS = {"t.ex", "t ex", "bl.a", "s.k", "m.m", "d.v.s", "dvs", "o.s.v", "osv", "etc", "jfr", "p.g.a", "pga",
                 "resp", "ca", "kap", "nr", "st", "f.d", "fr.o.m", "t.o.m", "e.g", "i.e", "dnr", "mfl", "m.fl", "enl",
                 "ang", "inkl", "exkl", "obs", "prop", "sfs", "art", "s", "p", "ff", "tel", "vs", "mr", "dr", "ref"}
BULLET = re.compile(r"[•●▪◦·\-–—*+]\s+|\(?\d{1,2}[.)]\s+|[a-zA-Z]\)\s+")
# A list item run into one line, as OCR gives a bulleted list ("… med AI o Minimal risk: …"): where one item ends.
# (Not "·", which separates a table row's cells.)
INLINE_ITEM = re.compile(r"(?:^|\s)[o•▪◦]\s++(?=[A-ZÅÄÖ])")
HEADING_MAX = 45          # a short unpunctuated line before a capitalised one is a heading, not a wrapped line
_END = re.compile(r"(?<![.!?])[.!?]++[”\"')\]]*+(?=\s)")   # starts at a run's first mark: linear
_NEXT = re.compile(r"(?<!\s)\s++(\S)")


def abbreviation_before(text: str, dot: int) -> bool:
    """Whether the period at `dot` ends an abbreviation ("t.ex.", "e.g.", "kap.") rather than a sentence."""
    word = re.search(r"([\wåäöÅÄÖ.]+(?: [a-zåäö])?)$", text[max(0, dot - 12):dot])
    if not word:
        return False
    w = word.group(1).lower().strip(".")
    return w in ABBREVIATIONS or w.split()[-1] in ABBREVIATIONS or bool(re.fullmatch(r"\d+|[a-zåäö]", w))


def split_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence, heading or list item, in text order, trimmed of whitespace and bullets."""
    cuts = {0, len(text)}
    for m in _END.finditer(text):
        nxt = _NEXT.match(text, m.end())
        if not nxt:
            continue
        following = nxt.group(1)
        if (following.isupper() or following.isdigit() or following in "•●▪-–”\"(") and not abbreviation_before(text, m.start()):
            cuts.add(m.end())
    lines, pos = [], 0
    for line in text.split("\n"):
        lines.append((pos, pos + len(line)))
        pos += len(line) + 1
    # PDF extraction leaves blank lines inside sentences too: a blank line only counts as a paragraph
    # break when the text after it starts like a new sentence.
    content = [(s, e) for s, e in lines if text[s:e].strip()]
    for (s1, e1), (s2, e2) in zip(content, content[1:]):
        prev = text[s1:e1].strip()
        nxt = text[s2:e2].strip()
        blank_between = text[e1:s2].count("\n") > 1
        if blank_between and (nxt[0].isupper() or nxt[0].isdigit() or prev[-1] in ".!?:"):
            cuts.add(s2)                      # paragraph break
        elif BULLET.match(nxt) or prev.endswith((":", ";")):
            cuts.add(s2)                      # list item
        elif prev[-1] not in ".,;:!?-" and len(prev) < HEADING_MAX and nxt[0].isupper():
            cuts.add(s2)                      # heading line
    bounds = sorted(cuts)
    spans = []
    for start, end in zip(bounds, bounds[1:]):
        piece = text[start:end]
        lead = len(piece) - len(piece.lstrip())
        m = BULLET.match(piece[lead:])
        if m and (lead == 0 or "\n" in piece[:lead] or start == 0):
            lead += m.end()
        s, e = start + lead, end - (len(piece) - len(piece.rstrip()))
        if e > s and re.search(r"\w", text[s:e]):
            spans.append((s, e))
    return spans


def split(text: str) -> list[str]:
    return [text[s:e] for s, e in split_spans(text)]
