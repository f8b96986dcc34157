"""The context model of the OCR repair: which of two look-alike spellings fits between its neighbours.

A word-list repair only fixes non-words; OCR also turns words into other valid words ("stöd" -> "stod",
"sätt" -> "sitt", "får" -> "för"), and the compound splitter accepts spellings such as "årenden" (åren + den)
or "berord" (ber + ord). This module scores a candidate spelling in its context with

- bigram counts from the clean documents of the corpus (SOURCES), shipped as ingest/data/context_bigrams.json
  and rebuilt reproducibly with `python -m ingest.context` (`--check` verifies the shipped file);
- the same counts by word class on the left, the class being the left word's last letter, so that "på ett
  korrekt sätt" learns from "på ett ansvarsfullt sätt": most words before "sätt" are neuter adjectives in -t;
- the kind of the right neighbour (a function word or boundary, or a content word): a possessive such as
  "sitt" comes before a content word ("sitt arbete"), "sätt" before "och", "som", "i" or the end of a sentence;
- a general-language unigram prior from wordfreq (Lexicon.plausibility), which backs off every count.

Every count is lowered by DISCOUNT first: in 4,600 words a pair seen once is chance, not evidence.

    P(c | l) = LAMBDA * (n'(l, c) + BETA * p(c)) / (n(l) + BETA)
             + (1 - LAMBDA) * (n'(class(l), c) + BETA * p(c)) / (n(class(l)) + BETA)
    P(r | c) = LAMBDA * (n'(c, r) + BETA * p(r)) / (n(c) + BETA)
             + (1 - LAMBDA) * (n'(c, kind(r)) + BETA_CLASS * s(kind(r))) / (n(c) + BETA_CLASS) * p(r) / s(kind(r))
    score(c) = log10 P(c | l) + log10 P(r | c)          (n' = max(n - DISCOUNT, 0); s = a kind's share of words)

`evidence(c)` is the same score less log10 p(c) (and log10 p(r)): what the neighbours say, without the word's own
frequency; `right_evidence(c)` is the right neighbour's part of it. The decision rules and their measured
thresholds live in ingest/repair.py.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import math
import re
import sys
from collections import Counter
from functools import lru_cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data" / "context_bigrams.json"
# The clean (not OCR'd) documents of the corpus. The OCR'd ones are what the model corrects, so never a source.
SOURCES = ("nacka-handledning.txt", "askersund-policy.txt", "norstedts-checklista.txt")

WORD = re.compile(r"[\w&]+")          # the repair's token pattern (ingest.repair.TOKEN)
BOUNDARY = "."                        # start or end of a sentence, a paragraph or a list item
COMMA = ","
_SENTENCE_GAP = re.compile(r"[.!?;:]|\n[ \t]*\n|\n[ \t]*[-•–*·▪◦«»][ \t]")

BETA = 20.0       # Dirichlet smoothing: how many corpus observations the general-language prior is worth
DISCOUNT = 1.0    # subtracted from every count: a pair seen once in 4,600 words is no evidence ("det stöd i")
LAMBDA = 0.5      # weight of the word bigram against the left-word-class bigram
BETA_CLASS = 5.0  # smoothing of the right-neighbour class (function word, content word, boundary)
FLOOR_ZIPF = -30.0  # prior of a spelling the word list cannot explain credibly (Lexicon.plausibility: -inf)
# Swedish function words. A possessive such as "sitt" is followed by a content word ("sitt arbete", "sitt bästa"),
# "sätt" by a function word or the end of a sentence ("på ett korrekt sätt och ...").
FUNCTION_WORDS = frozenset("""
och i att som en ett på av för med till det den de är om eller men inte vid från ska kan har var så när där hur
vad samt utan under över efter mot genom än sin sitt sina vi du han hon man dem denna detta dessa alla också bara
även redan då nu här vilket vilken vilka ju dock både enligt inom mellan hos sig oss er dig mig jag ni sådan
sådana samma varje någon något några ingen inget inga får måste bör kommer blir vara varit sker skall
""".split())


def gap_marker(gap: str, first: bool) -> str | None:
    """The boundary token for the characters between two words: BOUNDARY, COMMA or None."""
    if first or _SENTENCE_GAP.search(gap):
        return BOUNDARY
    if "," in gap:
        return COMMA
    return None


def sequence(text: str) -> list[tuple[str, re.Match | None]]:
    """The text as lower-case words with boundary markers between them; each word comes with its match."""
    out: list[tuple[str, re.Match | None]] = []
    last = 0
    for m in WORD.finditer(text):
        marker = gap_marker(text[last:m.start()], not out)
        if marker:
            out.append((marker, None))
        out.append((m.group().lower(), m))
        last = m.end()
    out.append((BOUNDARY, None))
    return out


def word_class(word: str) -> str:
    """A crude class of a left neighbour: its last letter (boundary markers are their own class)."""
    return word if word in (BOUNDARY, COMMA) else "-" + word[-1]


def right_class(word: str) -> str:
    """The class of a right neighbour: a content word ("c"), or a function word or boundary ("f")."""
    return "f" if word in (BOUNDARY, COMMA) or word in FUNCTION_WORDS else "c"


def build(texts: dict[str, str]) -> dict:
    """The shipped resource: unigram and bigram counts of the given texts (name -> text), deterministic."""
    unigrams: Counter[str] = Counter()
    bigrams: Counter[str] = Counter()
    for text in texts.values():
        words = [w for w, _ in sequence(text)]
        unigrams.update(words)
        bigrams.update(f"{a} {b}" for a, b in zip(words, words[1:]))
    return {
        "about": "Word and bigram counts of the clean corpus documents for the OCR context repair "
                 "(ingest/context.py). Rebuild with: python -m ingest.context",
        "sources": {name: hashlib.sha256(text.encode("utf-8")).hexdigest() for name, text in sorted(texts.items())},
        "tokens": sum(unigrams.values()),
        "unigrams": dict(sorted(unigrams.items())),
        "bigrams": dict(sorted(bigrams.items())),
    }


def source_texts(corpus: Path | None = None) -> dict[str, str]:
    corpus = corpus or ROOT / "corpus"
    return {name: (corpus / name).read_text(encoding="utf-8") for name in SOURCES}


def serialise(model: dict) -> str:
    return json.dumps(model, ensure_ascii=False, indent=0, sort_keys=False) + "\n"


class ContextModel:
    def __init__(self, data: dict):
        self.sources = dict(data.get("sources", {}))
        self.uni: Counter[str] = Counter(data["unigrams"])
        self.bi: Counter[tuple[str, str]] = Counter()
        self.cls_bi: Counter[tuple[str, str]] = Counter()
        self.cls_n: Counter[str] = Counter()
        self.right_bi: Counter[tuple[str, str]] = Counter()
        for key, n in data["bigrams"].items():
            a, b = key.split(" ")
            self.bi[(a, b)] += n
            self.cls_bi[(word_class(a), b)] += n
            self.cls_n[word_class(a)] += n
            self.right_bi[(a, right_class(b))] += n
        self.total = sum(self.uni.values()) or 1
        shares = Counter()
        for word, n in self.uni.items():
            shares[right_class(word)] += n
        self.class_share = {c: n / self.total for c, n in shares.items()}

    def prior(self, word: str, lexicon) -> float:
        """General-language probability of a word (markers: their share of the corpus)."""
        if word in (BOUNDARY, COMMA):
            return max(self.uni[word], 1) / self.total
        z = lexicon.plausibility(word)
        return 10 ** ((z if z > float("-inf") else FLOOR_ZIPF) - 9.0)

    def score(self, word: str, left: str, right: str, lexicon) -> float:
        p = self.prior(word, lexicon)
        lc = word_class(left)
        p_word = (_discounted(self.bi[(left, word)]) + BETA * p) / (self.uni[left] + BETA)
        p_class = (_discounted(self.cls_bi[(lc, word)]) + BETA * p) / (self.cls_n[lc] + BETA)
        p_r = self.prior(right, lexicon)
        rc = right_class(right)
        r_word = (_discounted(self.bi[(word, right)]) + BETA * p_r) / (self.uni[word] + BETA)
        share = self.class_share.get(rc, 0.0) or 1e-3
        r_class = (_discounted(self.right_bi[(word, rc)]) + BETA_CLASS * share) / (self.uni[word] + BETA_CLASS)
        p_right = LAMBDA * r_word + (1 - LAMBDA) * r_class * p_r / share
        return math.log10(LAMBDA * p_word + (1 - LAMBDA) * p_class) + math.log10(p_right)

    def right_evidence(self, word: str, right: str, lexicon) -> float:
        """What the right neighbour alone says for the word: log10 P(right | word) / p(right)."""
        p_r = self.prior(right, lexicon)
        rc = right_class(right)
        r_word = (_discounted(self.bi[(word, right)]) + BETA * p_r) / (self.uni[word] + BETA)
        share = self.class_share.get(rc, 0.0) or 1e-3
        r_class = (_discounted(self.right_bi[(word, rc)]) + BETA_CLASS * share) / (self.uni[word] + BETA_CLASS)
        return math.log10(LAMBDA * r_word + (1 - LAMBDA) * r_class * p_r / share) - math.log10(p_r)

    def evidence(self, word: str, left: str, right: str, lexicon) -> float:
        """What the neighbours say for the word: the score less the word's own prior (and the right word's)."""
        return self.score(word, left, right, lexicon) - math.log10(self.prior(word, lexicon)) \
            - math.log10(self.prior(right, lexicon))


def _discounted(n: int) -> float:
    return max(n - DISCOUNT, 0.0)


@lru_cache(maxsize=1)
def shipped() -> ContextModel:
    return ContextModel(json.loads(DATA.read_text(encoding="utf-8")))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m ingest.context", description=__doc__.split("\n")[0])
    parser.add_argument("--check", action="store_true", help="only verify that the shipped file is up to date")
    parser.add_argument("--corpus", type=Path, help="corpus folder (default: the repository's corpus/)")
    args = parser.parse_args(argv)
    text = serialise(build(source_texts(args.corpus)))
    if args.check:
        current = DATA.read_text(encoding="utf-8") if DATA.exists() else ""
        if current != text:
            print(f"{DATA} is out of date: run python -m ingest.context", file=sys.stderr)
            return 1
        print(f"{DATA} is up to date")
        return 0
    DATA.parent.mkdir(parents=True, exist_ok=True)
    DATA.write_text(text, encoding="utf-8")
    model = json.loads(text)
    print(f"wrote {DATA}: {model['tokens']} tokens, {len(model['unigrams'])} words, {len(model['bigrams'])} bigrams")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
