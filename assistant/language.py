"""Question language (Swedish or English) and the domain vocabulary that bridges questions and policy text.

The policies speak of "allmänt tillgängliga AI-tjänster" and "känsliga personuppgifter"; employees ask about
ChatGPT and patient notes, sometimes in English. CONCEPTS maps how people ask to how the policies say it.
It is domain vocabulary, not a list of eval questions: each entry names a concept any AI policy regulates.

The vocabulary itself is data: assistant/data/domain.toml (documented there), loaded and checked by
assistant/domain.py when this module is imported, so every start of the assistant validates it. The names
below are built from it; the code here only uses them.
"""
from __future__ import annotations

import re

from assistant import domain as _domain
from assistant.domain import Concept  # noqa: F401  (part of this module's API)

# Loaded (and validated: a bad file raises PolicyAssistantError, one line) on import.
SV_WORDS = set(_domain.shipped().swedish_words)
EN_WORDS = set(_domain.shipped().english_words)


_NAME_INSIDE = re.compile(r"(?<=[^\W\d_]|[,;:]) ++[A-ZÅÄÖ][\w-]*+")
_NAMES = re.compile(r"\b[A-ZÅÄÖ][\w-]*+(?: ++[A-ZÅÄÖ][\w-]*+)++|\b[A-ZÅÄÖ][a-zåäö]++[A-ZÅÄÖ][\w-]*+")


def detect_language(text: str) -> str:
    """'sv' or 'en' (Swedish when unsure: the users are Swedish municipal employees)."""
    words = re.findall(r"[a-zåäöéü]+", text.lower())
    # A name's å/ä/ö ("Is SkrivStöd approved …?", "Do Gransjö's rules apply …?") says nothing of the language the
    # question is asked in: a capitalised word inside a sentence is left out of that count.
    unnamed = _NAME_INSIDE.sub(" ", text)
    sv = sum(w in SV_WORDS for w in words) + 2 * len(re.findall(r"[åäö]", unnamed.lower()))
    en = sum(w in EN_WORDS for w in words)
    if en > sv:
        # Swedish typed without å/ä/ö ("galler riktlinjen for fortroendevalda ocksa") looks English to the word
        # lists ("for"): the other words vote by which language's word list knows them far better. A name of two
        # capitalised words or with a capital inside does not vote ("Can I use Solbacka Assistenten for …?"); a
        # single capitalised word may be English's way with a language ("into Arabic").
        for w in re.findall(r"[a-zåäöéü]+", _NAMES.sub(" ", text).lower()):
            if w not in SV_WORDS and w not in EN_WORDS and len(w) > 2:
                lean = _lean(w)
                sv, en = sv + (lean > 0), en + (lean < 0)
    return "en" if en > sv else "sv"


def _lean(word: str) -> int:
    """+1 for a word far more Swedish than English (with its å/ä/ö restored), -1 for the reverse, 0 if unclear."""
    from wordfreq import zipf_frequency

    from assistant.normalise import restored_zipf

    sv, en = max(zipf_frequency(word, "sv"), restored_zipf(word)), zipf_frequency(word, "en")
    return 1 if sv >= en + 1.5 else -1 if en >= sv + 1.5 else 0


# Concepts in the file's order: how people ask (pattern) and how the policies say it (swedish).
CONCEPTS = list(_domain.shipped().concepts)

# Plain English words the policies' Swedish terms answer to, for the lexical leg.
GLOSSARY = dict(_domain.shipped().glossary)


# The subject of every document here: AI, AI tools, and the policy documents themselves.
AI_DOMAIN = _domain.shipped().ai_domain


def concepts_in(text: str) -> list[Concept]:
    return [c for c in CONCEPTS if c.pattern.search(text)]


def expansion(text: str, language: str) -> str:
    """Swedish policy vocabulary for what the question is about (and, for English, its plain words)."""
    terms = [c.swedish for c in concepts_in(text)]
    if language == "en":
        terms += [GLOSSARY[w] for w in re.findall(r"[a-z]+", text.lower()) if w in GLOSSARY]
    seen, out = set(), []
    for term in " ".join(terms).split():
        if term.lower() not in seen:
            seen.add(term.lower())
            out.append(term)
    return " ".join(out)


# What kind of answer a question expects (classic question answering: a "when" question is answered by a date, a
# "who" question by a person, role or body). A passage holding an answer of that kind is a better candidate than a
# passage that only shares the question's topic. Only the form of the answer is recognised, never its content.
# (The patterns of each type are in the domain file, [answer_types.*].)
ANSWER_TYPES = dict(_domain.shipped().answer_types)
# The kinds whose form the documents must hold for a question asking for them to be answerable; a finer kind
# (who decides, among who) only ranks.
REQUIRED_ANSWER_TYPES = {name: t for name, t in ANSWER_TYPES.items() if name not in _domain.shipped().ranks_only}
_MANIFEST_ANSWERS = [ANSWER_TYPES[name][0] for name in sorted(_domain.shipped().in_manifest)]

# What a term means or what counts as it: answered by the passage that defines a term the question uses,
# as a glossary entry ("Öppen information: Information som ...") or inline ("”shadow use” dvs verktyg ...").
DEFINITION_QUESTION = re.compile(r"\bvad (räknas|menas|avses|betyder|innebär)\b|\bräknas\b.+\bsom\b|"
                                 r"\bwhat (does|do)\b.+\bmean\b|\bwhat is meant\b|\bcounts? as\b|\bdefin", re.I)
_DEFINED_TERM = (re.compile(r"(?:^|\n)\W{0,3}([A-ZÅÄÖa-zåäö][\w\- ]{1,40}?):\s+\S"),
                 re.compile(r"[”\"'“]([^”\"'“\n]{2,40})[”\"']\s*(?:dvs|d\.v\.s\.|det vill säga|alltså|innebär)\b", re.I))


def _fold(text: str) -> str:
    return " ".join(re.sub(r"[^\w]+", " ", text.lower()).split())


_WHICH = _domain.shipped().question["asks_for"]
MIN_HEAD = 3          # letters of the stem of the noun asked for, and before it in a compound that names one
FUNCTION_ZIPF = 5.5   # a word this common after "which/what" ("are", "does") names no kind of thing


def expected_answers(question: str) -> list[re.Pattern]:
    """Patterns for the kinds of answer the question expects (a date, a role, a frequency); empty when none."""
    return [answer for ask, answer in ANSWER_TYPES.values() if ask.search(question)]


def asks_for_decision_facts(question: str) -> bool:
    """Whether the question asks for a kind of answer the manifest's decision facts hold (when, by whom, which
    reference number, from when in force)."""
    return any(ask.search(question) for ask in _MANIFEST_ANSWERS)


def named_ones(question: str) -> list[re.Pattern]:
    """For a question for which ones of a kind ("vilka förvaltningar är med i piloten?"): patterns for them named, a
    compound with that kind as its head ("kommunledningsförvaltningen", "utskottsmöten"), not the kind itself ("de
    två förvaltningarna")."""
    return [_named_ones(noun) for noun in _which_nouns(question)]


def _which_nouns(question: str) -> list[str]:
    from wordfreq import zipf_frequency

    from assistant.info_classes import stemmers

    language = detect_language(question)
    swedish, english = stemmers()
    out = []
    for m in _WHICH.finditer(question):
        noun = next(g for g in m.groups() if g).lower().rsplit("-", 1)[-1]
        if zipf_frequency(noun, language) >= FUNCTION_ZIPF:
            continue                    # "What are the six principles …?": no kind named
        stem = (english if language == "en" else swedish).stemWord(noun)
        if len(stem) >= MIN_HEAD and stem not in out:
            out.append(stem)
    return out


def _named_ones(stem: str) -> re.Pattern:
    return re.compile(rf"(?<=\w{{{MIN_HEAD}}}){re.escape(stem)}", re.I)     # (a head after three letters at least)


def defined_terms(sentences: list[str]) -> frozenset[str]:
    """The (folded) terms of at most four words that the sentences define."""
    terms = set()
    for sentence in sentences:
        for pattern in _DEFINED_TERM:
            for m in pattern.finditer(sentence):
                term = _fold(m.group(1))
                if term and len(term.split()) <= 4:
                    terms.add(term)
    return frozenset(terms)


def asks_to_define(question: str, terms: frozenset[str]) -> bool:
    """Whether the question asks what one of the terms means (or what counts as it)."""
    if not terms or not DEFINITION_QUESTION.search(question):
        return False
    asked = f" {_fold(question)} "
    return any(f" {term} " in asked for term in terms)


def defines_term_of(question: str, sentences: list[str]) -> bool:
    """Whether one of the sentences defines a term (of at most four words) that the question asks about."""
    return DEFINITION_QUESTION.search(question) is not None and asks_to_define(question, defined_terms(sentences))
