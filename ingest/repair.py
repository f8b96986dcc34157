"""OCR repair for Swedish: undo look-alike substitutions for å/ä/ö (and "Al" for "AI") using a word list.

Only whole tokens are replaced, each replacement is recorded, and documents that do not look like OCR
output are left exactly as they are.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from ingest.lexicon import Lexicon, swedish

# Characters OCR engines produce for å, ä and ö in these scans, and letters that lose their dots.
SINGLE = {
    "a": "äå", "o": "ö", "d": "äöå", "i": "ä", "é": "åäö", "è": "ä", "á": "å", "ó": "ö",
    "6": "ö", "4": "åä", "1": "l", "&": "ä",
}
# Two glyphs read for one dotted vowel ("anvianda" for "använda", "allmidnna" for "allmänna").
DOUBLE = {"ia": "ä", "id": "ä", "éd": "ä", "aé": "ä", "éa": "ä", "da": "ä"}
MAX_SUBS = 4
SUB_COST = 0.3          # each substitution makes a candidate a little less likely
REPLACE_MARGIN = 1.0    # a listed word is replaced only by a candidate 10x more frequent ("for" -> "för")
OCR_SHARE = 0.02        # share of repairable tokens above which a document is treated as OCR output
# ... and at least this many distinct repairable words: in a short clean text one rare word ("integrationer")
# is already 2 %, and "repairing" it would change a clean document (the OCR'd corpus documents have 150+).
OCR_MIN_WORDS = 3
# Longer tokens are never repaired: no word in a policy is this long (the corpus's longest is 33 letters), and the
# candidate search on a hostile 1,000-letter token is wasted work.
MAX_TOKEN = 40

TOKEN = re.compile(r"[\w&]+")


@dataclass
class Repair:
    start: int
    original: str
    replacement: str


@dataclass
class RepairResult:
    text: str
    is_ocr: bool
    repairs: list[Repair] = field(default_factory=list)
    oov_before: float = 0.0
    oov_after: float = 0.0


def _countable(token: str) -> bool:
    return len(token) >= 2 and any(c.isalpha() for c in token) and not token.isupper()


def oov_share(text: str, lexicon: Lexicon | None = None) -> float:
    """Share of word tokens that neither the word list nor compound splitting knows."""
    lexicon = lexicon or swedish()
    tokens = [t for t in TOKEN.findall(text) if _countable(t) and not t.isdigit()]
    if not tokens:
        return 0.0
    unknown = sum(1 for t in tokens if not lexicon.known(t))
    return unknown / len(tokens)


def _candidates(word: str, lexicon: Lexicon) -> list[tuple[str, int]]:
    """Dictionary-valid spellings reachable by look-alike substitutions, with their substitution counts.

    A depth-first search over the substitutions, pruned by the word list's prefixes and cut after a fixed
    number of steps. It keeps its own stack (a recursive search raised RecursionError on a 1,000-letter
    token) and visits the spellings in the same order as the recursive one did, so the cut falls in the
    same place.
    """
    out: dict[str, int] = {}
    budget = 4000
    # (position in word, spelling so far, where its current compound part starts, substitutions)
    stack: list[tuple[int, str, int, int]] = [(0, "", 0, 0)]
    while stack:
        i, built, seg_start, subs = stack.pop()
        budget -= 1
        if budget < 0:
            break
        segment = built[seg_start:]
        if segment and not lexicon.has_prefix(segment):
            continue
        if i == len(word):
            if subs and lexicon.known(built):
                out[built] = min(out.get(built, 99), subs)
            continue
        ch = word[i]
        children: list[tuple[int, str, int, int]] = []
        # A compound may start a new part after a common word (optionally with a linking -s-).
        if len(segment) >= 3 and lexicon.zipf(segment) >= 3.2:
            if ch.isalpha():
                children.append((i + 1, built + ch, len(built), subs))
            if subs < MAX_SUBS:
                children += [(i + 1, built + rep, len(built), subs + 1) for rep in SINGLE.get(ch, "")]
        if ch.isalpha():
            children.append((i + 1, built + ch, seg_start, subs))
        if subs < MAX_SUBS:
            children += [(i + 1, built + rep, seg_start, subs + 1) for rep in SINGLE.get(ch, "")]
            pair = word[i:i + 2]
            if pair in DOUBLE:
                children.append((i + 2, built + DOUBLE[pair], seg_start, subs + 1))
        stack += reversed(children)
    return sorted(out.items(), key=lambda kv: -(lexicon.score(kv[0]) - SUB_COST * kv[1]))


def _restore_case(original: str, fixed: str) -> str:
    return fixed[0].upper() + fixed[1:] if original[0].isupper() else fixed


def suggest(token: str, lexicon: Lexicon, strict: bool) -> str | None:
    """The repaired spelling of one token, or None. strict: only repair tokens the word list does not know."""
    if token == "Al":
        return "AI"  # OCR reads the capital I as a lower-case l
    if not _countable(token) or token.isdigit() or len(token) > MAX_TOKEN:
        return None
    lower = token.lower()
    original = lexicon.score(lower)
    if strict and original > 0:
        return None
    best = None
    for cand, subs in _candidates(lower, lexicon)[:1]:
        gain = lexicon.score(cand) - SUB_COST * subs - original
        if original == 0 or gain >= REPLACE_MARGIN:
            best = cand
    return _restore_case(token, best) if best else None


def repair_text(text: str, force: bool | None = None, lexicon: Lexicon | None = None) -> RepairResult:
    """Repair an OCR'd Swedish text; force=None decides from the share of repairable tokens."""
    lexicon = lexicon or swedish()
    before = oov_share(text, lexicon)
    tokens = list(TOKEN.finditer(text))
    countable = [m for m in tokens if _countable(m.group())]
    memo: dict[tuple[str, bool], str | None] = {}

    def cached(token: str, strict: bool) -> str | None:   # a repeated token gets the same answer, computed once
        key = (token, strict)
        if key not in memo:
            memo[key] = suggest(token, lexicon, strict)
        return memo[key]

    if force is None:
        repairable = [m.group() for m in countable if cached(m.group(), strict=True)]
        is_ocr = bool(countable) and len(repairable) / len(countable) >= OCR_SHARE and len(set(repairable)) >= OCR_MIN_WORDS
    else:
        is_ocr = force
    if not is_ocr:
        return RepairResult(text, False, [], before, before)
    parts: list[str] = []
    repairs: list[Repair] = []
    last = 0
    for m in tokens:
        fixed = cached(m.group(), strict=False)
        if fixed and fixed != m.group():
            parts.append(text[last:m.start()])
            parts.append(fixed)
            repairs.append(Repair(m.start(), m.group(), fixed))
            last = m.end()
    parts.append(text[last:])
    repaired = "".join(parts)
    return RepairResult(repaired, True, repairs, before, oov_share(repaired, lexicon))
