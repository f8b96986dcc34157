"""Approximate text matching for gold quotes and must-mention terms.

Gold quotes are written in correct Swedish, but two of the corpus documents are OCR output whose repaired text
still has leftovers ("mäste" for "måste", "andamal" for "ändamål", "Al" for "AI"). Folding case and diacritics
absorbs most of those; a fuzzy ratio over a sliding window absorbs the rest (a dropped or doubled letter, a
line-break hyphen). The exact folded substring test runs first because almost every real match is exact.
"""
from __future__ import annotations

import re
import unicodedata
from difflib import SequenceMatcher
from functools import lru_cache
from typing import Any, Iterable

THRESHOLD = 0.85
_NON_WORD = re.compile(r"[\W_]+")


@lru_cache(maxsize=4096)
def fold(text: str) -> str:
    """Lower case, no diacritics (å→a, é→e), punctuation as spaces, whitespace collapsed."""
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _NON_WORD.sub(" ", stripped.casefold()).strip()


@lru_cache(maxsize=4096)
def _word_starts(folded: str) -> tuple[int, ...]:
    return tuple(m.start() for m in re.finditer(r"\S+", folded))


# Ingest writes a table row as its cells, each after its column's header ("Tool: Microsoft Copilot Chat (company
# account) · Highest class: Klass 2 · Conditions: No customer personal data at all."); a gold quote written from the
# table as a person reads it ("Microsoft Copilot Chat (company account) Klass 2 No customer personal data at all.")
# is that row without the headers.
_ROW_SEPARATOR = " · "
_CELL_HEADER = re.compile(r"(?:^|(?<= · ))[^:·]{1,40}+:\s++")      # (applied to one line at a time)


def _cells(text: str) -> str:
    """The text with the column headers of its table rows left out (rows are the lines that hold a separator)."""
    return "\n".join(_CELL_HEADER.sub("", line) if _ROW_SEPARATOR in line else line for line in text.split("\n"))


# Bounded: keys hold whole passage texts. An eval run of a few hundred cases sees a few thousand pairs.
@lru_cache(maxsize=8192)
def contains(text: str, quote: str, threshold: float = THRESHOLD) -> bool:
    """Whether `quote` occurs in `text` after folding, allowing a fuzzy ratio of `threshold`; in a table row, with or
    without its column headers."""
    if _ROW_SEPARATOR in text and _contains(_cells(text), quote, threshold):
        return True
    return _contains(text, quote, threshold)


def _contains(text: str, quote: str, threshold: float) -> bool:
    q, t = fold(quote), fold(text)
    if not q or not t:
        return False
    if q in t:
        return True
    if threshold >= 1.0:
        return False
    # Windows start at word starts (a quote starts at a word) and are the quote's length plus or minus a few
    # characters, so an OCR letter dropped or inserted does not push the window off the quote's end.
    slack = max(1, len(q) // 12)
    lengths = (len(q), len(q) - slack, len(q) + slack)
    matcher = SequenceMatcher(None, autojunk=False)
    matcher.set_seq2(q)          # seq2 is the side SequenceMatcher caches, so it is the one that stays fixed
    for start in _word_starts(t):
        if len(t) - start < len(q) - slack:
            break
        for length in lengths:
            matcher.set_seq1(t[start:start + length])
            # real_quick_ratio and quick_ratio are cheap upper bounds on ratio; most windows stop there.
            if matcher.real_quick_ratio() >= threshold and matcher.quick_ratio() >= threshold and matcher.ratio() >= threshold:
                return True
    return False


def mentions(text: str, term: str, threshold: float = THRESHOLD) -> bool:
    """Whether the answer text mentions `term`; "a|b" is found when either alternative is."""
    return any(contains(text, alt, threshold) for alt in term.split("|") if alt.strip())


def _field(gold: Any, name: str) -> str:
    return gold[name] if isinstance(gold, dict) else getattr(gold, name)


def is_gold(doc_id: str, text: str, gold: Iterable[Any]) -> bool:
    """Whether a passage (its document id and text) is a gold passage: from a gold document and holding its quote.

    `gold` holds objects with `document` and `quote` attributes (evals.cases.Gold) or dicts with those keys.
    """
    return any(_field(g, "document") == doc_id and contains(text or "", _field(g, "quote")) for g in gold)


def is_gold_document(doc_id: str, gold: Iterable[Any]) -> bool:
    return any(_field(g, "document") == doc_id for g in gold)
