"""A Swedish word list with frequencies (wordfreq's 'large' list, ~340k forms) plus compound splitting."""
from __future__ import annotations

import bisect
from functools import lru_cache

MIN_PART = 3  # shortest compound part; shorter ones make almost any string "valid"
MIN_PART_ZIPF = 3.2  # compound parts must be common words, or OCR garbage splits into rare ones
# Longer strings are not split into compounds: the split is quadratic in the length (12,000 characters took
# most of a minute), and no Swedish word in a policy comes near it (the corpus's longest is 33 letters).
MAX_COMPOUND = 64
# plausibility(): each extra compound part costs this much (zipf scale). A compound of unrelated common words
# ("berord" = "ber" + "ord", "hansyn" = "han" + "syn") is then far less likely than the listed word one look-alike
# away ("berörd", "hänsyn"); measured on the OCR'd corpus documents (ingest/context.py).
JOIN_PENALTY = 1.0
# ... and its parts must be at least this long: three-letter parts are mostly function words, and splits into them
# ("med" + "bor" + "går") explain OCR garbage better than the real word.
CREDIBLE_PART = 4


class Lexicon:
    def __init__(self, freqs: dict[str, float]):
        self.freqs = freqs
        self.sorted_words = sorted(freqs)

    def zipf(self, word: str) -> float:
        return self.freqs.get(word.lower(), 0.0)

    def has_prefix(self, prefix: str) -> bool:
        i = bisect.bisect_left(self.sorted_words, prefix)
        return i < len(self.sorted_words) and self.sorted_words[i].startswith(prefix)

    def score(self, word: str) -> float:
        """How plausible a (lower-case) word is: its zipf frequency, or a compound's weakest part minus a penalty."""
        word = word.lower()
        direct = self.freqs.get(word, 0.0)
        return max(direct, self._compound(word))

    def known(self, word: str) -> bool:
        return self.score(word) > 0.0

    def plausibility(self, word: str) -> float:
        """How likely a (lower-case) word is, for the OCR context repair: its zipf frequency if listed; for a
        compound of parts of CREDIBLE_PART letters or more, the product of the parts' frequencies (a sum on the
        zipf scale, below 0 for a long compound) less JOIN_PENALTY per join; -inf otherwise. Unlike score() (the
        weakest part), a split into common words is no evidence of a likely word, so "årenden" (åren + den),
        "berord" (ber + ord) and "hansyn" (han + syn) lose to "ärenden", "berörd" and "hänsyn"."""
        word = word.lower()
        direct = self.freqs.get(word, 0.0)
        if direct:
            return direct
        _LEXICONS.setdefault(id(self), self)
        return _plausibility_cached(id(self), word)

    def _compound(self, word: str) -> float:
        return _compound_score(self, word)


def _part_zipf(lexicon, part: str, min_len: int) -> float:
    """A compound part's frequency; Swedish joins parts with a linking -s- ("informations|säkerhet")."""
    z = lexicon.freqs.get(part, 0.0)
    if z < MIN_PART_ZIPF and part.endswith("s") and len(part) > min_len:
        z = lexicon.freqs.get(part[:-1], 0.0)
    return z


@lru_cache(maxsize=200_000)
def _compound_cached(lexicon_id: int, word: str) -> float:
    lexicon = _LEXICONS[lexicon_id]
    n = len(word)
    if n < 2 * MIN_PART or n > MAX_COMPOUND:
        return 0.0
    # best[i]: best (min-part) score for a split of word[:i] into known parts; Swedish adds a linking -s-.
    best = [0.0] * (n + 1)
    best[0] = 99.0
    for end in range(MIN_PART, n + 1):
        for start in range(0, end - MIN_PART + 1):
            if best[start] <= 0.0:
                continue
            z = _part_zipf(lexicon, word[start:end], MIN_PART)
            if z >= MIN_PART_ZIPF:
                best[end] = max(best[end], min(best[start], z))
    if best[n] <= 0.0 or best[n] == 99.0:
        return 0.0
    return max(best[n] - 1.0, 0.01)  # a compound is less certain than a listed word


@lru_cache(maxsize=200_000)
def _plausibility_cached(lexicon_id: int, word: str) -> float:
    lexicon = _LEXICONS[lexicon_id]
    n = len(word)
    if n < 2 * CREDIBLE_PART or n > MAX_COMPOUND:
        return float("-inf")
    # best[i]: the best sum of (zipf - 9) over a split of word[:i] into known parts, less the join penalties.
    best: list[float | None] = [None] * (n + 1)
    best[0] = 0.0
    for end in range(CREDIBLE_PART, n + 1):
        for start in range(0, end - CREDIBLE_PART + 1):
            if best[start] is None:
                continue
            z = _part_zipf(lexicon, word[start:end], CREDIBLE_PART)
            if z >= MIN_PART_ZIPF:
                value = best[start] + (z - 9.0) - (JOIN_PENALTY if start else 0.0)
                if best[end] is None or value > best[end]:
                    best[end] = value
    return float("-inf") if best[n] is None else round(best[n] + 9.0, 2)


_LEXICONS: dict[int, Lexicon] = {}


def _compound_score(lexicon: Lexicon, word: str) -> float:
    _LEXICONS.setdefault(id(lexicon), lexicon)
    return _compound_cached(id(lexicon), word)


@lru_cache(maxsize=1)
def swedish() -> Lexicon:
    import math

    from wordfreq import get_frequency_dict

    freqs = {w: round(math.log10(f) + 9, 2) for w, f in get_frequency_dict("sv", wordlist="large").items() if w.isalpha()}
    return Lexicon(freqs)
