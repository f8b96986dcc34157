"""OCR repair for Swedish: undo look-alike substitutions for å/ä/ö (and "Al" for "AI") using a word list, then
let the context choose where the word list alone cannot ("stod i beslutsfattandet" -> "stöd").

Only whole tokens are replaced (and, in OCR output, a hyphen split "IT- sakerhetsansvarig" joined), each change is
recorded, and documents that do not look like OCR output are left exactly as they are.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from ingest import context as ctx
from ingest.lexicon import Lexicon, swedish

# Characters OCR engines produce for å, ä and ö in these scans, and letters that lose their dots.
SINGLE = {
    "a": "äå", "o": "ö", "d": "äöå", "i": "ä", "é": "åäö", "è": "ä", "á": "å", "ó": "ö",
    "6": "ö", "4": "åä", "1": "l", "&": "ä",
}
# Two glyphs read for one dotted vowel ("anvianda" for "använda", "allmidnna" for "allmänna").
DOUBLE = {"ia": "ä", "id": "ä", "éd": "ä", "aé": "ä", "éa": "ä", "da": "ä", "éi": "ä", "oé": "ö"}
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

# Context repair (ingest/context.py scores a spelling between its neighbours; log10 likelihood ratios). Measured on
# the two OCR'd corpus documents and validated on the clean ones (README, "How documents are read"):
# - a spelling the word list lists as a word ("stod", "sitt") is changed only when the look-alike scores
#   CONTEXT_MARGIN better in context, the neighbours alone favour it by CONTEXT_EVIDENCE (word frequency never
#   decides alone: "data" is not turned into "äta" for being commoner), and the right neighbour does not speak
#   against it ("gjort sitt bästa": a possessive before a content word stays). Right changes scored 1.08 and up,
#   wrong proposals at most 0.65 on the clean documents and 0.79 on sentences written to trap it.
# - a spelling the word list only explains as a compound ("årenden" = åren + den, "berord" = ber + ord) is
#   changed when a credible look-alike (a listed word or a compound of long parts) scores COMPOUND_MARGIN better
#   (right changes: 2.2 and up; no proposal at all on the clean documents).
CONTEXT_MARGIN = 0.9
CONTEXT_EVIDENCE = 0.75
RIGHT_VETO = -0.1
COMPOUND_MARGIN = 1.0
SNIPPET = 40  # characters of context either side in the record of a context repair
# "IT- sakerhetsansvarig": a hyphen, then spaces with at most one line break, inside one paragraph.
HYPHEN_GAP = re.compile(r"-[ \t]*\n?[ \t]*")
# A hyphen before these words is a suspended compound ("offentlighets- och sekretesslagen"), never a split word.
SUSPENDED = frozenset({"och", "eller", "samt", "respektive", "resp", "alternativt", "liksom", "som", "men", "till",
                       "utan", "än", "and", "or"})


@dataclass
class Repair:
    start: int
    original: str
    replacement: str


@dataclass
class ContextRepair:
    start: int           # where the original stands in the input text
    original: str        # the input's characters ("stod", "IT-\nsakerhetsansvarig")
    replacement: str     # what the output has instead ("stöd", "IT-säkerhetsansvarig")
    context: str         # the output around it, whitespace collapsed
    evidence: float      # log10 likelihood ratio over the word list's choice (0.0 for a joined hyphen split)
    word_list: str = ""  # the word list's choice that the context overruled (the original when it kept it)


@dataclass
class RepairResult:
    text: str
    is_ocr: bool
    repairs: list[Repair] = field(default_factory=list)
    oov_before: float = 0.0
    oov_after: float = 0.0
    context_repairs: list[ContextRepair] = field(default_factory=list)


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
        # A compound may start a new part after a common word, or after one and a linking -s- ("informations|").
        if len(segment) >= 3 and (lexicon.zipf(segment) >= 3.2 or
                                  len(segment) >= 5 and segment[-1] == "s" and lexicon.zipf(segment[:-1]) >= 3.2):
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
    protected = protected_tokens(text, tokens)
    first = [None if k in protected else cached(m.group(), strict=False) for k, m in enumerate(tokens)]
    final = list(first)
    evidence: dict[int, float] = {}
    for proposal in context_proposals(text, tokens, first, lexicon):
        if proposal.accepted:
            final[proposal.index] = _restore_case(proposal.original, proposal.replacement)
            evidence[proposal.index] = min(proposal.margin, 10.0)   # past 10, the word list cannot explain the original
    joins = _hyphen_joins(text, tokens, final, lexicon)
    return _assemble(text, tokens, first, final, evidence, joins, before, lexicon)


@dataclass
class Proposal:
    index: int            # the token's index
    original: str         # the input token
    current: str          # the word list's choice (the original when it kept it)
    replacement: str      # the spelling the context prefers
    left: str
    right: str
    margin: float         # log10 score ratio of replacement over current
    evidence: float       # the same, from the neighbours alone
    listed: bool          # the current spelling is a listed word (only context may change it)
    accepted: bool


ADDRESS = re.compile(r"@|://|www\.|\w\.[^\W\d_]{2,}", re.I)


def protected_tokens(text: str, tokens: list[re.Match]) -> set[int]:
    """Indexes of the tokens inside an e-mail address, a web address, a domain or a file name (a run of
    non-space characters holding "@", "://", "www." or "name.se"): never respelled. One pass over the text."""
    runs = [r.span() for r in re.finditer(r"\S+", text) if ADDRESS.search(r.group())]
    out: set[int] = set()
    i = 0
    for k, m in enumerate(tokens):
        while i < len(runs) and runs[i][1] <= m.start():
            i += 1
        if i < len(runs) and runs[i][0] <= m.start():
            out.add(k)
    return out


def context_proposals(text: str, tokens: list[re.Match], first: list[str | None], lexicon: Lexicon,
                      model: "ctx.ContextModel | None" = None) -> list[Proposal]:
    """For every token with a look-alike spelling that scores better in context than the word list's choice,
    a Proposal (accepted when it clears the thresholds). Left to right; an accepted change is the next token's
    left neighbour."""
    model = model or ctx.shipped()
    words: list[list] = []     # [value, token index or None]
    last = 0
    for k, m in enumerate(tokens):
        marker = ctx.gap_marker(text[last:m.start()], not words)
        if marker:
            words.append([marker, None])
        words.append([(first[k] or m.group()).lower(), k])
        last = m.end()
    words.append([ctx.BOUNDARY, None])
    memo: dict[str, list[tuple[str, int]]] = {}
    protected = protected_tokens(text, tokens)
    out: list[Proposal] = []
    for p, (value, k) in enumerate(words):
        if k is None:
            continue
        m = tokens[k]
        o = m.group()
        if not _countable(o) or o.isdigit() or len(o) > MAX_TOKEN or o == "Al" or k in protected:
            continue
        left, right = words[p - 1][0], words[p + 1][0]
        if o[0].isupper() and left != ctx.BOUNDARY and first[k] is None:
            continue   # a capitalised word inside a sentence is a name ("Sana", "Ekby"), not a misread
        lower = o.lower()
        if lower not in memo:
            memo[lower] = _candidates(lower, lexicon)
        cands = dict(memo[lower])
        if lexicon.known(lower):
            cands[lower] = 0
        current = value
        cands.setdefault(current, 0 if current == lower else 1)
        if len(cands) < 2:
            continue
        scores = {c: model.score(c, left, right, lexicon) - SUB_COST * n for c, n in cands.items()}
        best = max(scores, key=lambda c: (scores[c], c == current))
        if best == current:
            continue
        margin = scores[best] - scores[current]
        ev = model.evidence(best, left, right, lexicon) - model.evidence(current, left, right, lexicon)
        listed = lexicon.zipf(current) > 0
        if listed:
            right_says = model.right_evidence(best, right, lexicon) - model.right_evidence(current, right, lexicon)
            accepted = margin >= CONTEXT_MARGIN and ev >= CONTEXT_EVIDENCE and right_says >= RIGHT_VETO
        else:
            accepted = margin >= COMPOUND_MARGIN and lexicon.plausibility(best) > float("-inf")
        out.append(Proposal(k, o, current, best, left, right, margin, ev, listed, accepted))
        if accepted:
            words[p][0] = best
    return out


def _hyphen_joins(text: str, tokens: list[re.Match], final: list[str | None], lexicon: Lexicon) -> dict[int, str]:
    """Token index of the left part -> what replaces the gap ("-" or ""), for OCR words split at a hyphen:
    "IT- säkerhetsansvarig" -> "IT-säkerhetsansvarig" (an abbreviation keeps its hyphen when the rest is a word),
    "informations- säkerhet" -> "informationssäkerhet" (when the joined form is a word or a known compound)."""
    joins: dict[int, str] = {}
    for k in range(len(tokens) - 1):
        a, b = tokens[k], tokens[k + 1]
        gap = text[a.end():b.start()]
        if len(gap) < 2 or not HYPHEN_GAP.fullmatch(gap):
            continue
        left, right = final[k] or a.group(), final[k + 1] or b.group()
        if not right.isalpha() or not right[0].islower() or right in SUSPENDED or not lexicon.known(right):
            continue
        if left.isupper() and left.isalpha() and 2 <= len(left) <= 6:
            joins[k] = "-"
        elif left.isalpha() and left[-1].islower() and lexicon.known((left + right).lower()):
            joins[k] = ""
    return joins


def _snippet(text: str, start: int, end: int) -> str:
    """The output around [start, end), whole words only, whitespace collapsed."""
    a, b = max(0, start - SNIPPET), min(len(text), end + SNIPPET)
    if a > 0 and not text[a - 1].isspace():
        cut = re.search(r"\s", text[a:start])
        a = a + cut.end() if cut else a
    if b < len(text) and not text[b].isspace():
        cut = re.search(r"\s\S*$", text[end:b])
        b = end + cut.start() if cut else b
    return " ".join(text[a:b].split())


def _assemble(text: str, tokens: list[re.Match], first: list[str | None], final: list[str | None],
              evidence: dict[int, float], joins: dict[int, str], before: float, lexicon: Lexicon) -> RepairResult:
    parts: list[str] = []
    repairs: list[Repair] = []
    spans: dict[int, tuple[int, int]] = {}      # token index -> its span in the output
    out_len = 0
    last = 0
    for k, m in enumerate(tokens):
        gap = text[last:m.start()]
        if k - 1 in joins:
            gap = joins[k - 1]
        parts.append(gap)
        out_len += len(gap)
        word = final[k] if final[k] and final[k] != m.group() else m.group()
        if word != m.group():
            repairs.append(Repair(m.start(), m.group(), word))
        parts.append(word)
        spans[k] = (out_len, out_len + len(word))
        out_len += len(word)
        last = m.end()
    parts.append(text[last:])
    repaired = "".join(parts)
    records: list[ContextRepair] = []
    joined_right = {k + 1 for k in joins}
    for k, m in enumerate(tokens):
        if k in joins and k not in joined_right:
            # one record for a word split at several hyphens ("informations- säkerhets- ansvarig")
            last_part = k + 1
            while last_part in joins:
                last_part += 1
            b = tokens[last_part]
            s, e = spans[k][0], spans[last_part][1]
            ev = max(evidence.get(j, 0.0) for j in range(k, last_part + 1))
            word_list = "".join((first[j] or tokens[j].group()) + text[tokens[j].end():tokens[j + 1].start()]
                                for j in range(k, last_part)) + (first[last_part] or b.group())
            records.append(ContextRepair(m.start(), text[m.start():b.end()], repaired[s:e], _snippet(repaired, s, e),
                                         round(ev, 2), word_list))
        elif k in evidence and k not in joined_right and final[k] != m.group():   # not a return to the input
            s, e = spans[k]
            records.append(ContextRepair(m.start(), m.group(), repaired[s:e], _snippet(repaired, s, e),
                                         round(evidence[k], 2), first[k] or m.group()))
    return RepairResult(repaired, True, repairs, before, oov_share(repaired, lexicon), records)
