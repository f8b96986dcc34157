"""The plain first line of an answer: the verdict in words and the rule that decided it, or for "conditional" the
conditions, each with its [n]. Built from the analysed question and the deciding rule, not generated: every clause
is a verbatim piece of a cited quote, so the line says nothing the quotes do not.
"""
from __future__ import annotations

import re
from collections import Counter

from assistant.answer import one_line
from assistant.domain import shipped
from assistant.language import GLOSSARY
from assistant.terms import stems
from ingest.sentences import INLINE_ITEM, abbreviation_before, split_spans

LEAD = {"sv": {"yes": "Ja", "no": "Nej", "conditional": "Ja, under villkor"},
        "en": {"yes": "Yes", "no": "No", "conditional": "Yes, under conditions"}}
AND = {"sv": "och", "en": "and"}
# A "yes" from a ban whose exception the question states: the rule quoted is a ban, so the line says why it allows.
EXCEPTION_LEAD = {"sv": "Ja, undantaget gäller", "en": "Yes, the exception applies"}
# A "no" decided by a permission that does not reach the question (another unit, a condition it does not meet): the
# line says the rule quoted is what is allowed, not a ban.
ONLY_ALLOWED_LEAD = {"sv": "Nej, reglerna tillåter bara detta", "en": "No, the rules only allow this"}
# A "no" to a duty question from a rule that only recommends it ("… bör märkas"): the line says why the quote is no duty.
RECOMMENDED_LEAD = {"sv": "Nej, det rekommenderas men är inget krav", "en": "No, it is recommended but not required"}
_ANSWER = shipped().normative
MAX_WORDS = 28             # a longer rule is cut at a clause boundary
MIN_WORDS = 8              # … into a piece that still says something on its own
MIN_CONDITION = 5          # a shorter condition ("innan du använder den") is shown with its rule
_CLAUSE = re.compile(r"(?<=[,;:.!?])\s++|(?<!\s)\s++(?=(?:utan|men|but|unless)\b)")   # linear: never starts inside a run
_END = " \t\n.;:,!?"
_JOINER = re.compile(r"^(?:och|samt|men|eller|and|but|or)\s++", re.I)


def _clauses(text: str) -> list[str]:
    """The text cut at clause boundaries, never after an abbreviation's period ("e.g.", "t.ex.") nor inside
    parentheses ("(till exempel uppgifter om hälsa, etniskt ursprung, …)" is one clause with what it explains)."""
    parts, start = [], 0
    for m in _CLAUSE.finditer(text):
        if text[m.start() - 1:m.start()] == "." and abbreviation_before(text, m.start() - 1):
            continue
        if text.count("(", 0, m.start()) > text.count(")", 0, m.start()):
            continue
        parts.append(text[start:m.start()])
        start = m.end()
    return parts + [text[start:]]


def clause(quote: str, question: str) -> str:
    """The piece of a quoted rule that the first line repeats: the whole sentence when short, else the clause that
    shares most words with the question (the first one on a tie)."""
    text = one_line(quote)
    # An English question about a Swedish rule shares its words through the glossary ("elected officials" and
    # "… samt för förtroendevalda när de använder AI"): a word it names in the policy's own words counts twice,
    # over a word as plain as "policy".
    own = stems(question)
    glossed = stems(" ".join(GLOSSARY.get(w, "") for w in re.findall(r"[a-z]+", question.lower()))) - own
    asked = Counter(own) + Counter({s: 2 for s in glossed})

    def shared(part: str) -> int:
        return sum(asked[s] for s in stems(part))

    # as the documents' sentences are cut, and the items of a list OCR ran into one line
    sentences = [p for a, b in split_spans(text) for p in INLINE_ITEM.split(text[a:b]) if p.strip()]
    if len(sentences) > 1:
        # A quote that goes on into the next sentence: the line repeats one sentence, so that the [n] after it
        # stands at the end of everything it marks.
        text = max(sentences, key=lambda p: (len(p.split()) >= 3, shared(p), -sentences.index(p)))
    if len(text.split()) <= MAX_WORDS:
        return text.rstrip(_END)
    parts = _clauses(text)
    k = max(range(len(parts)), key=lambda j: (len(parts[j].split()) >= 3, shared(parts[j]), -j))
    # A clause too short to stand alone ("detta genom att granska,") takes the clauses before it, which it refers
    # back to, and then those after it, while the whole stays within the limit.
    first, last = k, k
    while _words(parts[first:last + 1]) < MIN_WORDS:
        if first > 0 and _words(parts[first - 1:last + 1]) <= MAX_WORDS:
            first -= 1
        elif last + 1 < len(parts) and _words(parts[first:last + 2]) <= MAX_WORDS:
            last += 1
        else:
            break
    # A short clause ending in a comma before the one chosen is its head ("Skriv aldrig in personnummer," before
    # "samordningsnummer eller känsliga personuppgifter … i en AI-tjänst"): it is said too, though the whole is then
    # cut at the limit.
    while first > 0 and len(parts[first - 1].split()) < MIN_WORDS and parts[first - 1].endswith(","):
        first -= 1
    # (a clause cut after its list's comma does not open with the "och"/"and" that joined it)
    best = _JOINER.sub("", " ".join(parts[first:last + 1]))
    words = best.split()
    if len(words) <= MAX_WORDS:
        return best.rstrip(_END)
    return " ".join(words[:MAX_WORDS]).rstrip(_END) + " …"   # cut mid-clause: say so, so no one reads it as whole


def _words(parts: list[str]) -> int:
    return sum(len(p.split()) for p in parts)


def first_line(language: str, verdict: str, question: str, quotes: list[str], conditions: list[str],
               condition_numbers: list[int], exception: bool = False, permits: bool = False,
               recommended: bool = False) -> str:
    """`quotes` are the cited quotes in citation order (the deciding rule first); `conditions` the condition each
    open rule states (empty when the rule states none) and `condition_numbers` their [n]; `exception`: a "yes" that
    the deciding ban's own exception gives; `permits`: the deciding rule is a permission; `recommended`: a "no" to a
    duty that the deciding rule only recommends."""
    if verdict not in LEAD[language] or not quotes:
        return ""
    if verdict == "yes" and exception:
        return f"{EXCEPTION_LEAD[language]}: {clause(quotes[0], question)} [1]."
    if verdict == "no" and recommended:
        return f"{RECOMMENDED_LEAD[language]}: {clause(quotes[0], question)} [1]."
    if verdict == "no" and permits:
        return f"{ONLY_ALLOWED_LEAD[language]}: {_unanswered(clause(quotes[0], question), verdict)} [1]."
    if verdict == "conditional" and condition_numbers:
        pieces = [f"{clause(cond if len(cond.split()) >= MIN_CONDITION else quotes[n - 1], question)} [{n}]"
                  for cond, n in zip(conditions, condition_numbers)]
        listed = "; ".join(pieces[:-1]) + f"; {AND[language]} " + pieces[-1] if len(pieces) > 1 else pieces[0]
        return f"{LEAD[language][verdict]}: {listed}."
    return f"{LEAD[language][verdict]}: {_unanswered(clause(quotes[0], question), verdict)} [1]."


def _unanswered(piece: str, verdict: str) -> str:
    """An FAQ answer's own "Ja," or "Nej," left off after the verdict: "Nej: i Solbacka Assistenten, om brevet inte
    innehåller personnummer …", not "Nej: Ja, i Solbacka Assistenten …" (the answer to the FAQ's question, which is
    not this one), and not "Ja: Ja, …"."""
    if verdict not in ("yes", "no"):
        return piece
    m = _ANSWER["answer_yes"].match(piece) or _ANSWER["answer_no"].match(piece)
    if m is None or not piece[m.end():].startswith(","):
        return piece
    return piece[m.end() + 1:].lstrip()
