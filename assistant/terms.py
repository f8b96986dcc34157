"""Content words of a text as light stems: how quoted sentences are scored against a question and how a verdict
finds the sentence that names what the question asks about."""
from __future__ import annotations

import re

TOKEN = re.compile(r"[a-zåäöéü0-9]+(?:-[a-zåäö]+)?", re.I)
# A product's name: "SkrivStöd", "ChatGPT" (a capital inside); "Ekby-Elin" (a name after a name, group 1: "Elin").
PRODUCT_NAME = re.compile(r"\b[A-ZÅÄÖ][a-zåäö]++(?:[A-ZÅÄÖ]\w*+|-([A-ZÅÄÖ][a-zåäö]{2,}+)\b)")
STOP = {"och", "att", "det", "är", "jag", "får", "som", "en", "ett", "på", "för", "med", "om", "vi", "inte", "kan", "min",
        "vad", "vem", "hur", "när", "ska", "till", "av", "eller", "mig", "i", "de", "den", "du", "man", "sig", "har", "the",
        "a", "an", "to", "of", "in", "is", "can", "may", "i", "we", "it", "and", "or", "my", "our", "what", "who", "how", "do",
        "ai", "use", "använda", "kommunen", "kommunens", "är", "be", "for", "on", "this", "that", "with", "vara", "så"}


def content_words(text: str) -> set[str]:
    """The text's words besides function words and words of one or two letters (lower-cased)."""
    return {w.lower() for w in TOKEN.findall(text) if w.lower() not in STOP and len(w) > 2}


def stems(text: str) -> set[str]:
    # A light prefix stem: Swedish inflects by suffix ("uppgifter", "uppgifterna"), and compounds share heads.
    return {w[:6] for w in content_words(text)}


# Words at least this common in general language (wordfreq's Zipf scale) say little about what a question asks for
# ("information", "använda", "system"); rarer words ("förtroendevalda", "tystnadsplikt") name it.
COMMON_ZIPF = 4.5


def specific_words(text: str, language: str, common: float = COMMON_ZIPF) -> set[str]:
    """The question's words that name something: not function words, not words as common as `common` in zipf
    (lower-cased)."""
    from wordfreq import zipf_frequency

    # A compound written with a hyphen is as common as its longest part: "AI-tjänster" as "tjänster",
    # "anläggnings-ID" as "anläggnings".
    return {w for w in content_words(text) if zipf_frequency(max(w.split("-"), key=len), language) < common}


def specific_stems(text: str, language: str) -> set[str]:
    return {w[:6] for w in specific_words(text, language)}


def key(word: str) -> str:
    """The prefix a word is matched by: six letters, eight for a long compound, whose first part alone says little
    ("kommunfullmäktige" is not "kommunen")."""
    return word[:8] if len(word) > 11 else word[:6]


def names_part_of(words: set[str], asked: set[str], whole: bool = False) -> bool:
    """Whether one of the words names an asked word, as itself or as a part of a compound: "nämndsammanträden"
    names "sammanträde" (eight letters of a long word are compared, so "sammanfatta" does not). `whole`: an asked
    compound is compared up to its last three letters, all that an inflection changes, so that "information" does
    not name "informationsklass", whose head is "klass" (for the thing a question asks for, not its topic words,
    which may be derived: "formuleringar" and "formulera")."""
    return any((a[:max(8, len(a) - 3) if whole else 8] in w) if len(a) >= 8 else w.startswith(key(a))
               for w in words for a in asked)
