"""Extractive answers: the one to three sentences of the top passages that best answer the question, quoted
verbatim, scored with the same embeddings as retrieval plus term overlap.
"""
from __future__ import annotations

import re
from functools import lru_cache

import numpy as np

from assistant.domain import shipped
from assistant.language import concepts_in, expansion, expected_answers
from assistant.question import Question
from assistant.retrieval import Passage
from assistant.sentence_index import Sentence, SentenceIndex
from assistant.terms import TOKEN, stems
from assistant.verdict import applies, sentence_norms

MAX_SENTENCES = 3
PASSAGES_READ = 5          # sentences are taken from this many top passages
MARGIN = 0.035             # a further sentence must score this close to the best one
OVERLAP_WEIGHT = 0.06
RANK_WEIGHT = 0.02         # prior from the passage's fused rank
NORM_BONUS = 0.015         # a permission question is answered by a rule, not by background prose
NAMED_BONUS = 0.03         # "what does the checklist say ..." is answered from the checklist
TYPE_MARGIN = 0.1          # how far below the best a sentence holding a second kind of answer asked for may score
ANSWER_BONUS = 0.05        # a sentence holding the kind of answer asked for (a date, a role, a length of time)
CONCEPT_BONUS = 0.005      # per concept of the question the sentence names too (in its own words: "myndighetsutövning")
REDUNDANT_COS = 0.93
FACT_CONCEPTS = {"document_facts", "validity"}
FIELD_BONUS = 0.05         # a header field is short, so its cosine to the question is low for what it says
FIELD = re.compile(r"^[A-ZÅÄÖ][\w ]{1,40}+:[ \t]*+\S[^\n]{0,100}+$")   # "Beslutad av: Kommunstyrelsen"
MIN_WORDS = 4              # headings and fragments are not answers
# ... but a short whole sentence is ("Digitaliseringschefen fattar beslut."): three words, a capital, a full stop.
_SHORT_SENTENCE = re.compile(r"^[A-ZÅÄÖ]\w*+(?: [\w-]++){1,2}\.$")


def select(question: Question, query_vec, passages: list[Passage], index: SentenceIndex,
           named: set[str] = frozenset()) -> list[tuple[Sentence, float]]:
    """The best sentences, best first, at most MAX_SENTENCES, none repeating another.

    The organisation's own rules answer; general guidance is quoted when it answers better, or when the
    question asks for that document by name, and is not mixed in beside a binding rule.
    """
    q = np.asarray(query_vec, dtype=np.float32)
    q /= max(float(np.linalg.norm(q)), 1e-9)
    terms = stems(question.query + " " + expansion(question.query, question.language))
    expected = expected_answers(question.text)
    # A question about the document itself (who decided it, when, who owns it) is answered by its header fields.
    facts = bool(question.concepts & FACT_CONCEPTS)
    scored = []
    for rank, passage in enumerate(passages[:PASSAGES_READ]):
        for sentence in index.of(passage):
            text = sentence.text
            if len(TOKEN.findall(text)) < MIN_WORDS and not (facts and FIELD.match(text)) and not _SHORT_SENTENCE.match(text):
                continue
            score = float(sentence.vector @ q)
            if terms:
                score += OVERLAP_WEIGHT * len(terms & stems(text)) / len(terms)
            score += RANK_WEIGHT / (rank + 1)
            # Each kind of answer asked for that the sentence holds counts: for "vem …, och när?", the sentence
            # naming a role and a deadline answers both.
            score += ANSWER_BONUS * sum(1 for p in expected if p.search(text))
            if question.concepts:
                score += CONCEPT_BONUS * len(question.concepts & _concepts_of(text))
            if facts and FIELD.match(text):
                score += FIELD_BONUS
            if passage.doc_id in named:
                score += NAMED_BONUS
            elif not passage.binding:
                score -= RANK_WEIGHT
            if question.kind == "permission":
                n = sentence_norms(sentence)
                if n.prohibit or n.only or n.condition or n.permit:
                    score += NORM_BONUS
                if not applies(text, question):
                    score -= 2 * NORM_BONUS
            scored.append((sentence, score))
    scored.sort(key=lambda item: -item[1])
    chosen: list[tuple[Sentence, float]] = []

    def fits(sentence: Sentence, new_kind: bool = False) -> bool:
        # (a sentence holding a kind of answer none of the others holds says something else, however alike it reads)
        if any((not new_kind and float(sentence.vector @ c.vector) > REDUNDANT_COS) or _overlaps(sentence, c)
               for c, _ in chosen):
            return False
        return not (chosen and chosen[0][0].passage.binding and not sentence.passage.binding)

    for sentence, score in scored:
        if chosen and score < chosen[0][1] - MARGIN:
            break
        if fits(sentence):
            chosen.append((sentence, score))
            if len(chosen) == MAX_SENTENCES:
                break
    # A question that asks for two things ("vem beslutar, och hur lång tid tar det?") gets a sentence holding each
    # kind of answer when one scores near enough, in place of the weakest sentence that holds none.
    for pattern in expected if len(expected) > 1 else ():
        if not chosen or any(pattern.search(c.text) for c, _ in chosen):
            continue
        extra = next(((s, sc) for s, sc in scored if sc >= chosen[0][1] - TYPE_MARGIN and pattern.search(s.text)
                      and fits(s, new_kind=True)), None)
        if extra is None:
            continue
        if len(chosen) == MAX_SENTENCES:
            spare = [k for k, (c, _) in enumerate(chosen) if k and not any(p.search(c.text) for p in expected)]
            if not spare:
                continue
            del chosen[spare[-1]]
        chosen.append(extra)
    return chosen


def _span(s: Sentence) -> tuple[int, int]:
    """The sentence's character span in its document."""
    return s.passage.start + s.start, s.passage.start + s.end


def within(a: Sentence, b: Sentence) -> bool:
    """Whether a's span lies inside b's, in the same document."""
    (a0, a1), (b0, b1) = _span(a), _span(b)
    return a.passage.doc_id == b.passage.doc_id and b0 <= a0 and a1 <= b1


def _overlaps(a: Sentence, b: Sentence) -> bool:
    (a0, a1), (b0, b1) = _span(a), _span(b)
    return a.passage.doc_id == b.passage.doc_id and a0 < b1 and b0 < a1


# A sentence that only makes sense with the one before it ("Ett sådant undantag gäller längst tre månader."):
# the answer continues there, so the quote does too. A question asking which ones gets the whole list.
_CONTINUES = shipped().quoting["continues"]
_ITEM = re.compile(r"^\s*(?:[-•*–»▪o]|\d{1,2}[.)]|[a-z][.)])\s")
_ASKS_LIST = shipped().quoting["asks_list"]
MAX_LIST_ITEMS = 10


def continued(sentence: Sentence, index: SentenceIndex, question: Question) -> Sentence:
    """The quote a chosen sentence makes: with the next sentence when the answer continues there, and for a list
    lead-in ("Följande tjänster är godkända:"), or an item when the question asks which, the whole list."""
    sentences = index.of(sentence.passage)
    k = next((i for i, s in enumerate(sentences) if s.start == sentence.start), None)
    if k is None:
        return sentence
    text = sentence.passage.text
    start, end = sentence.start, sentence.end
    if text[start:end].rstrip().endswith(":") or (_ASKS_LIST.search(question.text) and sentence.lead_in()):
        # The list: from its lead-in through its last item.
        first = k
        while first > 0 and not text[sentences[first].start:sentences[first].end].rstrip().endswith(":") and \
                _ITEM.match(text[sentences[first].start:sentences[first].end]) and k - first < MAX_LIST_ITEMS:
            first -= 1
        last = k
        while last + 1 < len(sentences) and last - first < MAX_LIST_ITEMS and \
                _ITEM.match(text[sentences[last + 1].start:sentences[last + 1].end]):
            last += 1
        start, end = min(start, sentences[first].start), max(end, sentences[last].end)
    elif k + 1 < len(sentences) and _CONTINUES.match(text[sentences[k + 1].start:sentences[k + 1].end]):
        end = sentences[k + 1].end
    elif k + 1 < len(sentences) and _answer_goes_on(text, sentences[k], sentences[k + 1], question):
        end = sentences[k + 1].end
    if (start, end) == (sentence.start, sentence.end):
        return sentence
    return Sentence(sentence.passage, start, end, sentence.vector)


def _answer_goes_on(text: str, sentence: Sentence, following: Sentence, question: Question) -> bool:
    """Whether the next sentence of the same paragraph or list item holds a kind of answer the question asks for
    that the sentence does not: "Digitaliseringschefen fattar beslut. Du får besked inom 20 arbetsdagar …" for
    "vem bestämmer, och hur lång tid tar det?"."""
    if "\n" in text[sentence.end:following.start]:
        return False
    this, nxt = text[sentence.start:sentence.end], text[following.start:following.end]
    return any(p.search(nxt) and not p.search(this) for p in expected_answers(question.text))


@lru_cache(maxsize=16384)
def _concepts_of(sentence: str) -> frozenset[str]:
    """The concepts a sentence names (cached: the same sentences are scored for question after question)."""
    return frozenset(c.name for c in concepts_in(sentence))
