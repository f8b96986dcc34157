"""Question normalisation: words typed without å/ä/ö and misspelled words are matched to the vocabulary of the
organisation's documents, the known tool names ([tools] in assistant/data/domain.toml) and the Swedish word list,
before question analysis and retrieval. The original text is what is shown and (redacted) stored.

- Diacritics: a token without å/ä/ö whose restored form is a far more common word ("far" → "får", "anvanda" →
  "använda") or a word of the documents the token itself is not ("arende" → "ärende").
- Typos: an unknown token (or two adjacent tokens joined: "chat gtp") one edit from a document word, a tool name
  or a common word of the question's language ("mycet" → "mycket", "calude" → Claude, "dceides" → "decides"), two
  for a long word; an edit is a letter left out, added, changed or two letters swapped (rapidfuzz's optimal string
  alignment distance, a maintained C library). At equal distance a document word wins, then a tool, then the
  commoner word. An unknown Swedish compound with no word near it is read as a known first part and a last part
  mended on its own ("konsultraport", "budgetmotet").
"""
from __future__ import annotations

import re
import threading
from functools import lru_cache

from rapidfuzz import process
from rapidfuzz.distance import OSA

from assistant import domain
from assistant.terms import key
_FOLD = str.maketrans("åäöéÅÄÖÉ", "aaoeAAOE")
_TOKEN = re.compile(r"[A-Za-zÅÄÖåäöÉé]{2,40}")
MARGIN = 1.0          # zipf: a restored form must be ten times as common as the typed one
KNOWN = 3.0           # zipf: a typed token at least this common is a word, not a typo
COMMON = 3.0          # zipf: words of the word list at least this common are typo targets too
FAR_COMMONER = 3.0    # zipf: a rare word one edit from a word this much (1000 times) commoner is a typo of it
MIN_TYPO_LEN = 5
LONG_TYPO_LEN = 8     # a token this long may be two edits from its word; a shorter one, one
COMPOUND_HEAD = 6     # the shortest known first part of a compound whose last part is misspelled
PART_KNOWN = 2.0      # zipf: a part of a compound at least this common is a word


def fold(word: str) -> str:
    return word.translate(_FOLD).lower()


@lru_cache(maxsize=1)
def _restorations() -> dict[str, tuple[str, float]]:
    """{folded word: (the most common Swedish spelling with å/ä/ö, its zipf)} from wordfreq's list."""
    from wordfreq import top_n_list, zipf_frequency

    best: dict[str, tuple[str, float]] = {}
    for word in top_n_list("sv", 100_000):
        if not re.fullmatch(r"[a-zåäöé]+", word) or fold(word) == word:
            continue
        z = zipf_frequency(word, "sv")
        key = fold(word)
        if key not in best or best[key][1] < z:
            best[key] = (word, z)
    return best


def restored_zipf(word: str) -> float:
    """How common the word is in Swedish once its å/ä/ö are restored ("ocksa" → "också"); 0 when none is known."""
    hit = _restorations().get(word.lower())
    return hit[1] if hit else 0.0


def tool_names() -> tuple[str, ...]:
    """The tool names of the shipped domain file (checked and cached by assistant.domain)."""
    return domain.shipped().tools


def _zipf(word: str, language: str = "sv") -> float:
    from wordfreq import zipf_frequency

    return zipf_frequency(word, language)


@lru_cache(maxsize=2)
def _common_words(language: str) -> tuple[str, ...]:
    """The word list's words of the language at least COMMON in zipf, commonest first."""
    from wordfreq import top_n_list, zipf_frequency

    return tuple(w for w in top_n_list(language, 100_000)
                 if re.fullmatch(r"[a-zåäöé]+", w) and zipf_frequency(w, language) >= COMMON)


class Normaliser:
    """Built from the store's vocabulary (the words of its documents), once per store generation. The tool names
    are the shipped domain file's unless given (a domain.load(path).tools, for another file)."""

    def __init__(self, document_words: set[str], tools: tuple[str, ...] | None = None):
        self.words = {w.lower() for w in document_words}
        # The documents' own spelling of a name with capitals inside ("SkrivStöd"), for a misspelling of it.
        self.spelling = {w.lower(): w for w in sorted(document_words) if any(c.isupper() for c in w[1:])}
        by_fold: dict[str, str] = {}
        for w in sorted(self.words, key=lambda w: (-_zipf(w), w)):   # the commonest spelling wins ("ar": "är", not "år")
            if fold(w) != w:
                by_fold.setdefault(fold(w), w)
        self.document_restorations = by_fold
        display = {t.lower().replace(" ", ""): t for t in (tool_names() if tools is None else tools)}
        self.display = display
        self._documents = sorted(self.words, key=lambda w: (-_zipf(w), w))
        self._own = self.words | set(display)
        self._pools: dict[str, tuple[dict[int, list[str]], dict[str, int]]] = {}
        self.keys = {key(w) for w in self._own}     # the documents' words as a question's words are matched to them

    def _pool(self, language: str) -> tuple[dict[int, list[str]], dict[str, int]]:
        """Typo targets by length, and each one's rank where two are as near: for a Swedish question the documents'
        words, the tool names, then common Swedish words; for an English one the tool names and common English words
        before the (mostly Swedish) words of the documents."""
        pool = self._pools.get(language)
        if pool is None:
            common = _common_words(language)
            order = [*self._documents, *self.display, *common] if language == "sv" else \
                [*self.display, *common, *self._documents]
            # Compared without å/ä/ö ("gaaller" is one edit from "gäller"); a folded form stands for its best word.
            best: dict[str, tuple[int, str]] = {}
            for i, w in enumerate(order):
                best.setdefault(fold(w), (i, w))
            by_length: dict[int, list[str]] = {}
            for f in best:
                by_length.setdefault(len(f), []).append(f)
            pool = self._pools[language] = (by_length, best)
        return pool

    def _restore(self, token: str) -> str | None:
        low = token.lower()
        if fold(low) != low:
            return None                              # typed with å/ä/ö: taken as typed
        doc = self.document_restorations.get(low)
        if doc and low not in self.words:
            return doc
        restored = _restorations().get(low)
        if restored and restored[1] >= _zipf(low) + MARGIN:
            return restored[0]
        return None

    def _compound_typo(self, low: str) -> str | None:
        """A Swedish compound whose last part is misspelled ("konsultraport", "bygglovsärnde"): a known first part
        (with or without its linking s), and the rest, a word of its own, read as a typo ("rapport", "ärende")."""
        def word(part: str) -> bool:
            return part in self.words or _zipf(part) >= PART_KNOWN

        def first_part(head: str) -> bool:
            return word(head) or word(head.removesuffix("s"))

        splits = [(low[:k], low[k:]) for k in range(len(low) - 3, 2, -1)]
        if any(first_part(head) and (word(tail) or tail[:1] == "s" and word(tail[1:])) for head, tail in splits):
            return None                              # two known words, with or without a linking s: a compound
        for head, tail in splits:
            if len(head) < COMPOUND_HEAD or len(tail) < MIN_TYPO_LEN or not first_part(head):
                continue
            # Typed without å/ä/ö ("budgetmotet"), else misspelled ("konsultraport").
            fixed = self._restore(tail) or self._typo(tail, compound=False)
            # Its first letter as typed: else the split took a linking s ("affär|sförhållanden") or a letter of the
            # head for the tail's.
            if fixed is not None and " " not in fixed and fold(fixed[:1].lower()) == fold(tail[:1]):
                return head + fixed.lower()
        return None

    def _typo(self, token: str, language: str = "sv", compound: bool = True) -> str | None:
        low = token.lower()
        zipf = _zipf(low, language)
        if len(low) < MIN_TYPO_LEN or low in self.words or zipf >= KNOWN:
            return None
        # A word the word list knows ("mallen", "renskriva") is a word, if a rare one: only a document word or a tool
        # one edit away may stand for it (not "målen", not "beskriva"), or the documents' form of it with an ending
        # ("platsannons": "platsannonser").
        known = zipf > 0
        edits = 2 if len(low) >= LONG_TYPO_LEN else 1
        by_length, best = self._pool(language)
        typed = fold(low)
        candidates = [f for n in range(len(typed) - edits, len(typed) + edits + 1) for f in by_length.get(n, ())]

        def may_stand_for(folded: str, distance: int) -> bool:
            own = best[folded][1] in self._own
            if known:
                # ... or a word with its first letter one edit away that is far commoner ("räker": "räcker")
                commoner = distance <= 1 and folded[:1] == typed[:1] and \
                    _zipf(best[folded][1], language) >= zipf + FAR_COMMONER
                return (own and (distance <= 1 or folded.startswith(typed))) or commoner
            # Two edits only to a word of the documents or a tool: a common word two edits away is as likely another
            # word, or a name ("askersund" is not "östersund").
            return distance <= 1 or own

        # At equal distance, a word with the typed first letter first: typos seldom fall on it ("ofattas" is
        # "omfattas", not "fattas"; "cpilot" is Copilot, not "pilot"); then a longer word: a letter left out is a
        # commoner slip than one put in ("kollga" is "kollega", not "kolla").
        near = [(d, f[:1] != typed[:1], len(f) <= len(typed), *best[f])
                for f, d, _ in process.extract(typed, candidates, scorer=OSA.distance, score_cutoff=edits, limit=None)
                if may_stand_for(f, d)]
        if not near:
            # An unknown Swedish word no word is near may be a compound with a misspelled last part.
            # (Not a name: "Björkstrands" is no misspelled compound.)
            return self._compound_typo(low) if compound and language == "sv" and not known and token[:1].islower() \
                else None
        word = min(near)[-1]
        if word not in self.display and typed.startswith(fold(word)) and len(typed) > len(word):
            # The word with an ending ("fjarrvarmen" and "fjärrvärme"): its å/ä/ö, the typed ending.
            return word + low[len(word):]
        return self.display.get(word) or self.spelling.get(word, word)

    def __call__(self, text: str, language: str = "sv") -> str:
        tokens = list(_TOKEN.finditer(text))
        out, pos, i = [], 0, 0
        while i < len(tokens):
            m = tokens[i]
            replacement, end = None, m.end()
            nxt = tokens[i + 1] if i + 1 < len(tokens) else None
            if nxt is not None and text[m.end():nxt.start()] == " " and self._typo(nxt.group(0), language) is None \
                    and m.group(0).lower() not in self.display and _zipf(nxt.group(0).lower(), language) < KNOWN:
                # Two tokens typed for one tool name ("chat gtp"), unless the second is already one by itself
                # ("är midjourny" is "är" and a misspelled Midjourney), the first is a tool name already, or the
                # second is a common word ("chatgpt om det …").
                joined = m.group(0) + nxt.group(0)           # "chat gtp" → "chatgtp" → ChatGPT
                hit = self._typo(joined, language) if len(joined) <= 12 else None
                # ... and not when the name found is the second token itself ("be Copilot" is "be" and Copilot).
                if hit and hit.lower().replace(" ", "") in self.display and hit.lower() != nxt.group(0).lower():
                    replacement, end = hit, nxt.end()
                    i += 1
            if replacement is None and _in_address(text, m):
                pass                                     # "askersund.se", "karin.ek@…": part of an address, not a word
            elif replacement is None:
                if language == "sv":
                    replacement = self._restore(m.group(0)) or self._typo(m.group(0))
                else:                                    # English words are not Swedish words typed badly
                    replacement = self._typo(m.group(0), "en")
            if replacement is not None:
                out.append(text[pos:m.start()] + _case_like(m.group(0), replacement))
                pos = end
            i += 1
        out.append(text[pos:])
        return "".join(out)


_ADDRESS = re.compile(r"[.@][A-Za-zÅÄÖåäö]")


def _in_address(text: str, m: re.Match) -> bool:
    """Whether the token is part of a web or e-mail address: "." or "@" joins it to letters on either side."""
    return bool(_ADDRESS.match(text, m.end())) or (m.start() >= 2 and text[m.start() - 1] in ".@"
                                                   and text[m.start() - 2].isalpha())


def _case_like(original: str, replacement: str) -> str:
    if replacement != replacement.lower():
        return replacement                           # a tool's own spelling
    return replacement.capitalize() if original[:1].isupper() else replacement


_LOCK = threading.Lock()
_BY_GENERATION: dict[str, Normaliser] = {}


def for_generation(name: str, texts) -> Normaliser:
    with _LOCK:
        if name not in _BY_GENERATION:
            words = {w for t in texts for w in _TOKEN.findall(t)}
            _BY_GENERATION.clear()
            _BY_GENERATION[name] = Normaliser(words)
        return _BY_GENERATION[name]
