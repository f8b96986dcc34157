"""FAQ entries as the documents' own verdicts.

Intranet pages and guidelines often end with questions and answers: a heading that is a question ("Får jag skapa
en egen chattbot eller agent i Copilot?") and an answer that opens with yes or no ("Nej, inte i dagsläget.").
When an employee asks that question, in their own words, the answer word is the verdict the document gives, and
the short answer is the sentence to quote first, though it is too short to be chosen by similarity. An entry that
asks a who/what/how question ("Vad händer om jag bryter mot reglerna?") answers it in its own sentences, in order.
How an answer opens is data (assistant/data/domain.toml, [normative] answer_yes / answer_no).
"""
from __future__ import annotations

from dataclasses import dataclass

from assistant.domain import shipped
from assistant.normalise import fold
from assistant.question import Question, question_kind
from assistant.retrieval import Passage
from assistant.sentence_index import Sentence
from assistant.terms import STOP, TOKEN, key, specific_words

_YES, _NO = shipped().normative["answer_yes"], shipped().normative["answer_no"]
MIN_SHARED = 2          # naming words the employee's question and the FAQ question share, and at least
SHARE_OF_FAQ = 0.5      # this share of the FAQ question's naming words
SHARE_OF_INFO_FAQ = 0.75   # of all its words, for a who/what/how question (see faq_answer)


@dataclass(frozen=True)
class FaqAnswer:
    question: str           # the FAQ's own question (its heading)
    sentence: Sentence      # the answer's first sentence, which opens with yes or no
    answer: str             # "yes" | "no"


def faq_entry(passage: Passage, index) -> FaqAnswer | None:
    """The FAQ answer a passage holds: its section is headed by a question and its first sentence answers yes or no."""
    heading = passage.section.rsplit(" > ", 1)[-1].strip()
    sentences = index.of(passage)
    if not heading.endswith("?") or not sentences:
        return None
    first = sentences[0]
    if _NO.search(first.text):
        return FaqAnswer(heading, first, "no")
    if _YES.search(first.text):
        return FaqAnswer(heading, first, "yes")
    return None


def asks_the_same(question: Question, faq_question: str) -> bool:
    """Whether the employee asks the FAQ's question: the same kind of question (permission, yes/no), and the naming
    words of the FAQ question are mostly in it (at least two), not said to be absent."""
    if question_kind(faq_question) != question.kind:
        return False
    theirs = {key(w) for w in specific_words(faq_question, question.language)}
    asked = {key(w) for w in specific_words(question.text, question.language)} - question.absent_words
    shared = {k for k in theirs if any(a.startswith(k) for a in asked)}
    return len(shared) >= MIN_SHARED and len(shared) >= SHARE_OF_FAQ * len(theirs)


def find_faq(question: Question, passages: list[Passage], index) -> FaqAnswer | None:
    """The first of the passages read that is an FAQ entry asking what the question asks (permission and yes/no
    questions only: an FAQ answers those with its yes or no)."""
    if question.kind not in ("permission", "factual"):
        return None
    for passage in passages:
        entry = faq_entry(passage, index)
        if entry is not None and asks_the_same(question, entry.question):
            return entry
    return None


_STOP = {fold(w) for w in STOP}


def _words(text: str) -> set[str]:
    """A text's words but function words, as keys, spelled as if typed without å, ä, ö."""
    return {key(w) for w in TOKEN.findall(fold(text)) if w not in _STOP and len(w) > 2}


def faq_answer(question: Question, passages: list[Passage], index) -> list[Sentence]:
    """For a who/what/how question: the answer of the first of the passages read that is an FAQ entry asking it
    ("Vad händer om jag bryter mot reglerna?" for "vad hander om man bryter mot ai reglerna?"), its sentences in the
    document's order, as it answers in them; none when no entry asks it."""
    if question.kind != "info":
        return []
    asked = _words(question.text)
    for passage in passages:
        heading = passage.section.rsplit(" > ", 1)[-1].strip()
        if not heading.endswith("?") or question_kind(heading) != "info":
            continue
        # An FAQ's who/what/how question is often all common words ("Vad händer om jag bryter mot reglerna?"):
        # all its words are compared, not only the naming ones, as typed (without å, ä, ö).
        theirs = _words(heading)
        shared = theirs & asked
        if len(shared) >= MIN_SHARED and len(shared) >= SHARE_OF_INFO_FAQ * len(theirs):
            return list(index.of(passage))
    return []
