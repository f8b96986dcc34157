"""Question normalisation: words typed without å/ä/ö and misspelled words are matched to the vocabulary of the
organisation's documents, the known tool names ([tools] in assistant/data/domain.toml) and the Swedish word list,
before question analysis and retrieval. The original text is what is shown and (redacted) stored.

- Diacritics: a token without å/ä/ö whose restored form is a far more common word ("far" → "får", "anvanda" →
  "använda") or a word of the documents the token itself is not ("arende" → "ärende").
- Typos: an unknown token (or two adjacent tokens joined: "chat gtp") close to a document word or a tool name
  (rapidfuzz's ratio, a maintained C library, over the vocabulary of similar length).
"""
from __future__ import annotations

import re
import threading
from functools import lru_cache

from rapidfuzz import fuzz, process

from assistant import domain
_FOLD = str.maketrans("åäöéÅÄÖÉ", "aaoeAAOE")
_TOKEN = re.compile(r"[A-Za-zÅÄÖåäöÉé]{2,40}")
MARGIN = 1.0          # zipf: a restored form must be ten times as common as the typed one
KNOWN = 3.0           # zipf: a typed token at least this common is a word, not a typo
TYPO_RATIO = 85       # rapidfuzz ratio for a typo match
MIN_TYPO_LEN = 5


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


def _zipf(word: str) -> float:
    from wordfreq import zipf_frequency

    return zipf_frequency(word, "sv")


class Normaliser:
    """Built from the store's vocabulary (the words of its documents), once per store generation. The tool names
    are the shipped domain file's unless given (a domain.load(path).tools, for another file)."""

    def __init__(self, document_words: set[str], tools: tuple[str, ...] | None = None):
        self.words = {w.lower() for w in document_words}
        by_fold: dict[str, str] = {}
        for w in sorted(self.words, key=lambda w: (-_zipf(w), w)):   # the commonest spelling wins ("ar": "är", not "år")
            if fold(w) != w:
                by_fold.setdefault(fold(w), w)
        self.document_restorations = by_fold
        display = {t.lower().replace(" ", ""): t for t in (tool_names() if tools is None else tools)}
        self.targets = sorted(self.words | set(display))
        self.display = display

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

    def _typo(self, token: str) -> str | None:
        low = token.lower()
        if len(low) < MIN_TYPO_LEN or low in self.words or _zipf(low) >= KNOWN:
            return None
        pool = [w for w in self.targets if abs(len(w) - len(low)) <= 2]
        hit = process.extractOne(low, pool, scorer=fuzz.ratio, score_cutoff=TYPO_RATIO)
        return self.display.get(hit[0], hit[0]) if hit else None

    def __call__(self, text: str, language: str = "sv") -> str:
        tokens = list(_TOKEN.finditer(text))
        out, pos, i = [], 0, 0
        while i < len(tokens):
            m = tokens[i]
            replacement, end = None, m.end()
            nxt = tokens[i + 1] if i + 1 < len(tokens) else None
            if nxt is not None and text[m.end():nxt.start()] == " " and self._typo(nxt.group(0)) is None \
                    and m.group(0).lower() not in self.display and _zipf(nxt.group(0).lower()) < KNOWN:
                # Two tokens typed for one tool name ("chat gtp"), unless the second is already one by itself
                # ("är midjourny" is "är" and a misspelled Midjourney), the first is a tool name already, or the
                # second is a common word ("chatgpt om det …").
                joined = m.group(0) + nxt.group(0)           # "chat gtp" → "chatgtp" → ChatGPT
                hit = self._typo(joined) if len(joined) <= 12 else None
                # ... and not when the name found is the second token itself ("be Copilot" is "be" and Copilot).
                if hit and hit.lower().replace(" ", "") in self.display and hit.lower() != nxt.group(0).lower():
                    replacement, end = hit, nxt.end()
                    i += 1
            if replacement is None:
                if language == "sv":
                    replacement = self._restore(m.group(0)) or self._typo(m.group(0))
                else:                                    # English words are not Swedish words typed badly
                    hit = self._typo(m.group(0))
                    replacement = hit if hit and hit.lower().replace(" ", "") in self.display else None
            if replacement is not None:
                out.append(text[pos:m.start()] + _case_like(m.group(0), replacement))
                pos = end
            i += 1
        out.append(text[pos:])
        return "".join(out)


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
