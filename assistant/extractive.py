"""Extractive answers: the one to three sentences of the top passages that best answer the question, quoted
verbatim, scored with the same embeddings as retrieval plus term overlap.
"""
from __future__ import annotations

import re
from functools import lru_cache

import numpy as np

from assistant.domain import shipped
from assistant.info_classes import read_row, stated_class
from assistant.language import ANSWER_TYPES, concepts_in, expansion, expected_answers, named_ones
from assistant.question import Question
from assistant.retrieval import Passage
from assistant.selection_weights import Ranking, default_ranking
from assistant.sentence_index import Sentence, SentenceIndex
from assistant.terms import TOKEN, stems
from assistant.verdict import applies, sentence_norms

MAX_SENTENCES = 3
PASSAGES_READ = 5          # sentences are taken from this many top passages
TYPE_MARGIN = 0.1          # how far below the best a sentence holding a second kind of answer asked for may score
REDUNDANT_COS = 0.93
FACT_CONCEPTS = {"document_facts", "validity"}
FIELD = re.compile(r"^[A-ZÅÄÖ][\w ]{1,40}+:[ \t]*+\S[^\n]{0,100}+$")   # "Beslutad av: Kommunstyrelsen"
MIN_WORDS = 4              # headings and fragments are not answers
# ... but a short whole sentence is ("Digitaliseringschefen fattar beslut."): three words, a capital, a full stop.
_SHORT_SENTENCE = re.compile(r"^[A-ZÅÄÖ]\w*+(?: [\w-]++){1,2}\.$")


def name_stems(name: str) -> frozenset[str]:
    """The stems of an organisation's own name ("Ekby Energi AB", "Nacka kommun": its capitalised words, not the
    kind of body it is, which "kommunala bolag" may ask about)."""
    return frozenset(stems(" ".join(w for w in TOKEN.findall(name) if w[:1].isupper())))


def candidates(question: Question, query_vec, passages: list[Passage], index: SentenceIndex,
               named: set[str] = frozenset(), owner: frozenset[str] = frozenset()) -> list[tuple[Sentence, np.ndarray]]:
    """Every sentence of the passages read that may answer, with its features (selection_weights.FEATURES).
    `owner`: the stems of the organisation's name, which say whose rules are asked for, not what is asked ("What
    kinds of information count as Klass 3 at Ekby Energi?" is not answered by "Ekby Energi AB is a municipal
    company")."""
    q = np.asarray(query_vec, dtype=np.float32)
    q /= max(float(np.linalg.norm(q)), 1e-9)
    terms = stems(question.query + " " + expansion(question.query, question.language)) - owner
    expected = expected_answers(question.text)
    # A question about the document itself (who decided it, when, who owns it) is answered by its header fields.
    facts = bool(question.concepts & FACT_CONCEPTS)
    permission = question.kind == "permission"
    out = []
    for rank, passage in enumerate(passages[:PASSAGES_READ]):
        for sentence in index.of(passage):
            text = sentence.text
            field = facts and bool(FIELD.match(text))
            if len(TOKEN.findall(text)) < MIN_WORDS and not field and not _SHORT_SENTENCE.match(text):
                continue
            n = sentence_norms(sentence) if permission else None
            out.append((sentence, np.asarray([
                float(sentence.vector @ q),
                len(terms & stems(text)) / len(terms) if terms else 0.0,
                1 / (rank + 1),
                # Each kind of answer asked for that the sentence holds counts: for "vem …, och när?", the sentence
                # naming a role and a deadline answers both.
                sum(1 for p in expected if p.search(text)),
                len(question.concepts & _concepts_of(text)) if question.concepts else 0,
                float(field),
                float(passage.doc_id in named),
                float(passage.doc_id not in named and not passage.binding),
                float(bool(n and (n.prohibit or n.only or n.condition or n.permit))),
                float(permission and not applies(text, question)),
            ], dtype=np.float64)))
    return out


def select(question: Question, query_vec, passages: list[Passage], index: SentenceIndex,
           named: set[str] = frozenset(), ranking: Ranking | None = None,
           owner: frozenset[str] = frozenset()) -> list[tuple[Sentence, float]]:
    """The best sentences, best first, at most MAX_SENTENCES, none repeating another.

    The organisation's own rules answer; general guidance is quoted when it answers better, or when the
    question asks for that document by name, and is not mixed in beside a binding rule.

    Sentences are ranked with the weights for the question's kind (assistant/data/selection.toml); the scores
    returned are on the default weights' scale, which the not-covered gate's thresholds are set on, and the first
    is the best of all the sentences read: how well the documents match at all.
    """
    ranking = ranking or default_ranking()
    weights, gate = ranking.of(question.kind), ranking.default
    found = candidates(question, query_vec, passages, index, named, owner)
    if not found:
        return []
    expected = expected_answers(question.text)
    relevance = {id(s): gate.score(f) for s, f in found}
    scored = sorted(((s, weights.score(f)) for s, f in found), key=lambda item: -item[1])
    chosen: list[tuple[Sentence, float]] = []

    def fits(sentence: Sentence, new_kind: bool = False) -> bool:
        # (a sentence holding a kind of answer none of the others holds says something else, however alike it reads)
        if any((not new_kind and float(sentence.vector @ c.vector) > REDUNDANT_COS) or _overlaps(sentence, c)
               for c, _ in chosen):
            return False
        return not (chosen and chosen[0][0].passage.binding and not sentence.passage.binding)

    for sentence, score in scored:
        if chosen and score < chosen[0][1] - weights.margin:
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
        # (near enough on the default weights' scale, which TYPE_MARGIN is set on: a kind's own weights spread
        # their scores wider)
        extra = next(((s, sc) for s, sc in scored if relevance[id(s)] >= relevance[id(chosen[0][0])] - TYPE_MARGIN
                      and pattern.search(s.text) and fits(s, new_kind=True)), None)
        if extra is None:
            continue
        if len(chosen) == MAX_SENTENCES:
            spare = [k for k, (c, _) in enumerate(chosen) if k and not any(p.search(c.text) for p in expected)]
            if not spare:
                continue
            del chosen[spare[-1]]
        chosen.append(extra)
    # A question for which ones of a kind ("vilka förvaltningar är med i piloten?") is answered first by a sentence
    # near enough that names them ("… i kommunledningsförvaltningen och samhällsbyggnadsförvaltningen"), over one
    # that only counts them ("… i de två förvaltningarna"). (Not where it asks for another kind of answer: "Vem
    # bedömer vilken riskkategori den hamnar i?" asks who.)
    for pattern in named_ones(question.text) if question.kind == "info" and not expected else ():
        if not chosen or any(pattern.search(c.text) for c, _ in chosen):
            continue
        extra = next(((s, sc) for s, sc in scored if relevance[id(s)] >= relevance[id(chosen[0][0])] - TYPE_MARGIN
                      and pattern.search(s.text) and fits(s, new_kind=True)), None)
        if extra is not None:
            chosen = [extra, *chosen][:MAX_SENTENCES]
    chosen = _rows_for_class(question, chosen, scored)
    best = max(relevance.values())
    return [(s, best if k == 0 else relevance[id(s)]) for k, (s, _) in enumerate(chosen)]


def _rows_for_class(question: Question, chosen: list, scored: list) -> list:
    """For "which tools are approved for Klass 3?", the table rows that allow that class come first and rows that do
    not are left out (another sentence stays)."""
    asks_tool = ANSWER_TYPES.get("tool")
    stated = stated_class(question) if asks_tool and asks_tool[0].search(question.text) else None
    if question.kind != "info" or stated is None:
        return chosen

    def allows(sentence: Sentence) -> bool | None:
        row = read_row(sentence.text)
        if row is None or row.highest is None or row.highest[0] != stated[0]:
            return None if row is None else False
        return row.highest[1] >= stated[1]

    fitting = [(c, v) for c, v in scored if allows(c)]
    if not fitting:
        return chosen
    rest = [(c, v) for c, v in chosen if allows(c) is None]
    return (fitting + rest)[:MAX_SENTENCES]


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
_CONTINUES, _REFERS_BACK = shipped().quoting["continues"], shipped().quoting["refers_back"]
_ITEM = re.compile(r"^\s*(?:[-•*–»▪o]|\d{1,2}[.)]|[a-z][.)])\s")
_ASKS_LIST = shipped().quoting["asks_list"]
MAX_LIST_ITEMS = 10
MAX_GOES_ON = 2             # sentences a quote may go on into after the verdict (`said_on`)


def _is_item(text: str, sentence: Sentence) -> bool:
    """Whether a sentence of a passage's text is a list item, read from the start of its line: the sentence may begin
    after its marker ("• Öppna AI-tjänster …")."""
    return bool(_ITEM.match(text[text.rfind("\n", 0, sentence.start) + 1:sentence.end]))


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
                _is_item(text, sentences[first]) and k - first < MAX_LIST_ITEMS:
            first -= 1
        last = k
        while last + 1 < len(sentences) and last - first < MAX_LIST_ITEMS and _is_item(text, sentences[last + 1]):
            last += 1
        start, end = min(start, sentences[first].start), max(end, sentences[last].end)
    elif k + 1 < len(sentences) and _CONTINUES.match(text[sentences[k + 1].start:sentences[k + 1].end]):
        end = sentences[k + 1].end
    elif k + 1 < len(sentences) and _answer_goes_on(text, sentences[k], sentences[k + 1], question):
        end = sentences[k + 1].end
    if start == sentence.start and k > 0 and _REFERS_BACK.match(text[start:sentence.end]) \
            and "\n" not in text[sentences[k - 1].end:start]:
        # "De ska tydligt informera …": the sentence before says who "de" are.
        start = sentences[k - 1].start
    if (start, end) == (sentence.start, sentence.end):
        return sentence
    return Sentence(sentence.passage, start, end, sentence.vector)


def quotes_of(chosen: list[tuple[Sentence, float]], index: SentenceIndex, question: Question
              ) -> tuple[list[Sentence], list[tuple[Sentence, float]]]:
    """The quotes the chosen sentences make (`continued`), none repeating another, and the chosen sentences kept."""
    quotes = [continued(s, index, question) for s, _ in chosen]
    # A list that the chunk cut ends its quote at the passage's end: its remaining items, at the start of the next
    # passage, are quoted right after it (in place of the weakest quote), for "vilka …?" and for a list lead-in.
    listed, kept_chosen = [], []
    for quote, pair in zip(quotes, chosen):
        listed.append(quote)
        kept_chosen.append(pair)
        rest = _list_goes_on(quote, pair[0], index, question)
        if rest is not None and not any(within(rest, t) for t in listed + quotes):
            listed.append(rest)
            kept_chosen.append((rest, pair[1]))
    quotes, chosen = listed[:MAX_SENTENCES], kept_chosen[:MAX_SENTENCES]
    # A quote that would go on into a sentence quoted before it stays the sentence chosen: the first line would list
    # the same rule twice.
    quotes = [c if q is not c and any(within(t, q) for t in quotes[:k]) else q
              for k, (q, (c, _)) in enumerate(zip(quotes, chosen))]
    # A quote that went on into the next sentence already holds that sentence: it is not quoted again.
    kept = [k for k, q in enumerate(quotes) if not any(within(q, t) for t in quotes[:k])]
    return [quotes[k] for k in kept], [chosen[k] for k in kept]


def _list_goes_on(quote: Sentence, sentence: Sentence, index: SentenceIndex, question: Question) -> Sentence | None:
    """The items that open the document's next passage, when the quote is a list (`continued` made it one: more than
    the sentence chosen, or a lead-in) that runs to its passage's end."""
    text = quote.passage.text
    is_list = text[sentence.start:sentence.end].rstrip().endswith(":") or (
        _ASKS_LIST.search(question.text) and _is_item(text, sentence))
    if not is_list or text[quote.end:].strip():
        return None
    following = index.following(quote.passage)
    nxt = following[0].passage.text if following else ""
    items = []
    for s in following[:MAX_LIST_ITEMS]:
        if not _is_item(nxt, s):
            break
        items.append(s)
    if not items:
        return None
    return Sentence(items[0].passage, items[0].start, items[-1].end, items[0].vector)


def said_on(quotes: list[Sentence], index: SentenceIndex, question: Question) -> list[Sentence]:
    """Each quote with the next sentences of its paragraph (up to MAX_GOES_ON) that name something the question asks
    about and the quote's own sentence does not: the answer goes on there ("… ansöker via e-tjänsten "Ny AI-tjänst"
    på intranätet. Ansökan görs av förvaltningschef … Ansökan ska beskriva syftet …" for "Vad måste stå med i
    ansökan?"). Made once the verdict is decided: the rules were read as the sentences chosen, and the longer quote
    is for the reader. A rule quoted beside the chosen ones (`quotes_of` did not make its quote) goes on, as any quote
    does, into a sentence that only makes sense with it ("Ett sådant undantag gäller längst tre månader."). For a
    permission question a quote also goes on into a ban, restriction or duty right after it: the limit of what it
    allows ("… Conditions: Only for office IT and web code. Not permitted for OT code or configuration."), or what
    must be done when doing it ("… får användas i interna möten … Deltagarna ska informeras när mötet börjar"). A
    sentence another quote holds is not taken."""
    asked = stems(question.query)
    out = []
    for k, quote in enumerate(quotes):
        text = quote.passage.text
        own = stems(text[quote.start:quote.end])
        others, sentences = quotes[:k] + quotes[k + 1:], index.of(quote.passage)
        for _ in range(MAX_GOES_ON):
            nxt = next((s for s in sentences if s.start >= quote.end), None)
            if nxt is None or "\n" in text[quote.end:nxt.start] or any(_overlaps(nxt, other) for other in others) \
                    or not (_CONTINUES.match(text[nxt.start:nxt.end])
                            or (stems(text[nxt.start:nxt.end]) & asked) - own or _limits(nxt, question)):
                break
            quote = Sentence(quote.passage, quote.start, nxt.end, quote.vector)
        out.append(quote)
    return out


def _limits(sentence: Sentence, question: Question) -> bool:
    """Whether a sentence bans, restricts or obliges, for a permission question."""
    if question.kind != "permission":
        return False
    norms = sentence_norms(sentence)
    return norms.prohibit or norms.only or norms.oblige


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
