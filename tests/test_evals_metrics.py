"""Metrics on hand-built answers (real Answer objects, no engine), with every expected number worked out by hand.

The five cases (SAMPLE) and what they score:

  case  org        lang gold verdict -> predicted  gold rank  cited (strict/doc-level)  must-mention  grounded  latency
  c1    nacka      sv   no           -> no         1          2 passages: 1 / 2         1 of 2        1 of 2    1.0
  c2    nacka      en   yes          -> conditional 3         1 passage:  1 / 1         0 of 1        0 of 1    2.0
  c3    askersund  sv   not_covered  -> not_covered -         0 (no gold: not counted)  0 of 0        refusal   3.0
  c4    askersund  sv   no           -> yes (unsafe) 6        2 passages: 0 / 1         0 of 1        1 of 1    10.0
  c5    norsjo     en   info         -> not_covered 1         0                          0 of 1        refusal   4.0
"""
from __future__ import annotations

from dataclasses import asdict

import pytest

from assistant.answer import Answer, Citation
from evals.cases import Case, Gold
from evals.metrics import aggregate, answer_sentences, groundedness, percentile, score_case


def passage(pid: str, doc: str, text: str, section: str = "") -> dict:
    """The shape of Passage.as_dict()."""
    return {"id": pid, "doc_id": doc, "title": doc, "organisation": "x", "binding": True, "doc_type": "policy", "section": section,
            "start": 0, "end": len(text), "score": 0.5, "dense": 0.5, "bm25": 1.0, "context": "", "text": text}


def cite(n: int, p: dict, quote: str | None = None) -> Citation:
    quote = quote or p["text"]
    return Citation(n=n, passage_id=p["id"], document=p["doc_id"], title=p["title"], organisation=p["organisation"],
                    binding=True, section=p["section"], quote=quote, start=0, end=len(quote), passage=p["text"])


def answer(verdict: str, text: str, citations=(), passages=(), language: str = "sv") -> dict:
    return Answer(question="q", organisation="x", language=language, verdict=verdict, text=text,
                  citations=list(citations), passages=list(passages)).as_dict()


def case(cid: str, org: str, verdict: str, gold=(), must=(), tags=()) -> Case:
    return Case(id=cid, organisation=org, question=f"question {cid}", verdict=verdict,
                gold=tuple(Gold(*g) for g in gold), must_mention=tuple(must), tags=tuple(tags))


def sample() -> list[tuple[Case, dict, float]]:
    # c1: gold passage first; cites it twice (one passage) plus a non-gold passage of the gold document.
    p1 = passage("a::1", "doc-a", "Uppgifter som omfattas av sekretess får inte delas i allmänt tillgängliga AI-tjänster.")
    p2 = passage("a::2", "doc-a", "Kontakta informationssäkerhetsansvarig vid frågor.")
    c1 = case("c1", "nacka", "no", [("doc-a", "får inte delas i allmänt tillgängliga")], ["sekretess|öppen information", "känsliga"])
    a1 = answer("no", "Uppgifter som omfattas av sekretess får inte delas i allmänt tillgängliga AI-tjänster [1]. "
                      "Fråga din chef om du är osäker [2].",
                [cite(1, p1), cite(2, p2), cite(3, p1, "Uppgifter som omfattas av sekretess")], [p1, p2])
    # c2: gold at rank 3; the English sentence shares no content word with its citation.
    px = passage("b::1", "doc-b", "Policyn gäller alla anställda.")
    py = passage("a::3", "doc-a", "AI kan vara till hjälp i arbetet.")
    pz = passage("a::4", "doc-a", "AI-tjänster får bara användas med öppen information.")
    c2 = case("c2", "nacka", "yes", [("doc-a", "får bara användas med öppen information")], ["öppen information"], ["english"])
    a2 = answer("conditional", "Only public material may be used [1].", [cite(1, pz)], [px, py, pz], language="en")
    # c3: a correct refusal.
    c3 = case("c3", "askersund", "not_covered")
    a3 = answer("not_covered", "Policyn säger inget om parkering.", [], [px])
    # c4: unsafe "yes"; gold passage only at rank 6; cites a gold-document passage that is not gold, and another document.
    fillers = [passage(f"b::f{i}", "doc-b", f"Avsnitt {i} handlar om annat.") for i in range(5)]
    gold4 = passage("b::9", "doc-b", "Personnummer får aldrig matas in i AI-tjänster.")
    open4 = passage("b::2", "doc-b", "Öppen information får användas.")
    c4 = case("c4", "askersund", "no", [("doc-b", "Personnummer får aldrig matas in")], ["personnummer"])
    a4 = answer("yes", "Öppen information får användas [1].", [cite(1, open4), cite(2, p2)], [*fillers, gold4, open4])
    # c5: refuses although the gold passage is retrieved first.
    p5 = passage("c::1", "doc-c", "Dataskyddsombud ska kontaktas innan personuppgifter behandlas.")
    c5 = case("c5", "norsjo", "info", [("doc-c", "Dataskyddsombud ska kontaktas")], ["dataskyddsombud"], ["english"])
    a5 = answer("not_covered", "The policy does not say.", [], [p5], language="en")
    return [(c1, a1, 1.0), (c2, a2, 2.0), (c3, a3, 3.0), (c4, a4, 10.0), (c5, a5, 4.0)]


@pytest.fixture
def records() -> list[dict]:
    return [score_case(c, a, t) for c, a, t in sample()]


def test_case_records(records):
    r1, r2, r3, r4, r5 = records
    assert (r1["gold_rank"], r2["gold_rank"], r3["gold_rank"], r4["gold_rank"], r5["gold_rank"]) == (1, 3, None, 6, 1)
    assert (r1["cited"], r1["cited_gold"], r1["cited_gold_doc"]) == (2, 1, 2)   # citations [1] and [3] are one passage
    assert (r4["cited"], r4["cited_gold"], r4["cited_gold_doc"]) == (2, 0, 1)
    assert (r1["mention_hits"], r1["mention_total"], r1["mention_missed"]) == (1, 2, ["känsliga"])
    assert (r1["sentences"], r1["supported_sentences"], r1["groundedness"]) == (2, 1, 0.5)
    assert (r2["sentences"], r2["supported_sentences"]) == (1, 0)
    assert (r4["sentences"], r4["supported_sentences"]) == (1, 1)
    assert r3["sentences"] == 0 and r3["groundedness"] is None            # refusals are not scored for grounding
    assert [r["unsafe"] for r in records] == [False, False, False, True, False]
    assert [r["passed"] for r in records] == [False, False, True, False, False]
    assert r1["failures"] == ["missing: känsliga"]
    assert r4["failures"] == ["verdict yes (gold no)", "unsafe: yes where the rules say no",
                              "no gold passage in top 5 (rank 6)", "missing: personnummer"]
    assert r3["language"] == "sv" and r2["language"] == "en"
    assert [p["gold"] for p in r4["answer"]["passages"]] == [False] * 5 + [True, False]
    assert [c["gold"] for c in r1["answer"]["citations"]] == [True, False, True]


def test_aggregate_overall(records):
    m = aggregate(records)["overall"]
    assert (m["cases"], m["passed"], m["pass_rate"], m["cases_with_gold"], m["errors"]) == (5, 1, 0.2, 4, 0)
    # gold ranks 1, 3, 6, 1 over the four cases with gold
    assert (m["hit_at_1"], m["hit_at_3"], m["hit_at_5"]) == (0.5, 0.75, 0.75)
    assert m["mrr"] == pytest.approx((1 + 1 / 3 + 1 / 6 + 1) / 4, abs=1e-4)   # 0.625
    assert m["verdict_accuracy"] == 0.4                                       # c1, c3
    assert (m["refusal_precision"], m["refusal_recall"]) == (0.5, 1.0)        # predicted nc: c3 right, c5 wrong
    assert (m["unsafe_answers"], m["unsafe_rate"]) == (1, 0.5)                # c4 of the two gold-"no" cases
    assert m["citation_precision"] == 0.4                                     # 2 gold of 5 cited passages (c1 2, c2 1, c4 2)
    assert m["citation_precision_doc"] == 0.8                                 # 4 of 5 from a gold document
    assert m["citation_recall"] == 0.5                                        # c1, c2 of c1, c2, c4, c5
    assert m["must_mention_recall"] == 0.2                                    # 1 of 5 terms
    assert m["groundedness"] == 0.5                                           # 1/2 + 0/1 + 1/1 sentences
    assert (m["latency_p50"], m["latency_p95"]) == (3.0, 8.8)                 # [1,2,3,4,10]: 4 + 0.8 * 6


def test_aggregate_groups_and_confusion(records):
    m = aggregate(records)
    assert list(m["by_organisation"]) == ["askersund", "nacka", "norsjo"]
    nacka = m["by_organisation"]["nacka"]
    assert (nacka["cases"], nacka["hit_at_1"], nacka["hit_at_5"], nacka["verdict_accuracy"]) == (2, 0.5, 1.0, 0.5)
    assert nacka["mrr"] == pytest.approx((1 + 1 / 3) / 2, abs=1e-4)
    assert (nacka["refusal_precision"], nacka["refusal_recall"], nacka["unsafe_rate"]) == (None, None, 0.0)
    en = m["by_language"]["en"]
    assert (en["cases"], en["verdict_accuracy"], en["hit_at_1"], en["refusal_precision"]) == (2, 0.0, 0.5, 0.0)
    assert list(m["by_verdict"]) == ["yes", "no", "info", "not_covered"]      # the order of VERDICTS
    no = m["by_verdict"]["no"]
    assert (no["cases"], no["unsafe_answers"], no["unsafe_rate"], no["verdict_accuracy"]) == (2, 1, 0.5, 0.5)
    conf = m["confusion"]
    assert conf["labels"] == ["yes", "no", "conditional", "info", "not_covered"]
    assert conf["matrix"]["no"] == {"yes": 1, "no": 1, "conditional": 0, "info": 0, "not_covered": 0}
    assert conf["matrix"]["yes"]["conditional"] == 1 and conf["matrix"]["info"]["not_covered"] == 1
    assert sum(sum(row.values()) for row in conf["matrix"].values()) == 5


def test_error_case_is_a_failure_with_its_own_column():
    c = case("e", "nacka", "no", [("doc-a", "x y z")])
    r = score_case(c, None, None, error="RuntimeError: boom")
    assert (r["verdict"], r["passed"], r["failures"], r["latency"]) == (None, False, ["error: RuntimeError: boom"], None)
    m = aggregate([r])
    assert m["overall"]["errors"] == 1 and m["overall"]["verdict_accuracy"] == 0.0 and m["overall"]["latency_p50"] is None
    assert m["confusion"]["labels"][-1] == "error" and m["confusion"]["matrix"]["no"]["error"] == 1


def test_empty_denominators_are_none_not_zero():
    m = aggregate([score_case(case("n", "nacka", "not_covered"), answer("not_covered", "Policyn säger inget."), 0.5)])["overall"]
    assert m["hit_at_5"] is None and m["mrr"] is None and m["citation_precision"] is None
    assert m["must_mention_recall"] is None and m["groundedness"] is None and m["unsafe_rate"] is None
    assert (m["refusal_precision"], m["refusal_recall"], m["pass_rate"]) == (1.0, 1.0, 1.0)


def test_sentences_keep_markers_written_after_the_full_stop():
    text = "Du får inte dela personuppgifter. [1] Använd bara öppen information, t.ex. texter från webben [2]."
    assert answer_sentences(text) == ["Du får inte dela personuppgifter [1].", "Använd bara öppen information, t.ex. texter från webben [2]."]
    # one statement per line, as the engine writes them, even without a full stop after the quote mark
    lines = "Enligt handledningen: ”Dela inte andras personuppgifter” [1]\nVidare: ”Använd öppen information” [2]"
    assert answer_sentences(lines) == ["Enligt handledningen: ”Dela inte andras personuppgifter” [1]", "Vidare: ”Använd öppen information” [2]"]
    assert answer_sentences("  \n") == []


def test_groundedness_share_threshold_and_dangling_markers():
    p = passage("a::1", "doc-a", "Medarbetare ska granska allt material som AI har genererat innan det publiceras.")
    c = [asdict(cite(1, p, "Medarbetare ska granska allt material"))]
    # content words: granska, materialet, publiceras, webben, idag -> 3 of 5 = 0.6 supported (stems match "materialet")
    assert groundedness("Granska materialet innan det publiceras på webben idag [1].", c) == (1, 1, 0)
    # granska, materialet, publiceras, webben, idag, snabbt -> 3 of 6 = 0.5: not "most"
    assert groundedness("Granska materialet innan det publiceras på webben idag snabbt [1].", c) == (1, 0, 0)
    # the same sentence without a marker is not supported; a verbatim quote is, marker or not
    assert groundedness("Granska materialet innan det publiceras på webben idag.", c) == (1, 0, 0)
    assert groundedness("Medarbetare ska granska allt material som AI har genererat.", c) == (1, 1, 0)
    # naming the cited document is grounded in the citation: content words enligt, kommunens, handledning, granska,
    # materialet; with the citation's title 4 of 5 are supported (all but "enligt"), without it only 2 of 5
    titled = [{**c[0], "title": "Kommunens handledning för AI"}]
    assert groundedness("Enligt kommunens handledning: ”granska materialet” [1].", titled) == (1, 1, 0)
    assert groundedness("Enligt kommunens handledning: ”granska materialet” [1].", c) == (1, 0, 0)
    # [7] names no citation: counted as dangling, and supports nothing
    assert groundedness("Granska materialet innan det publiceras på webben idag [7]. Ja.", c) == (1, 0, 1)


def test_a_quote_of_two_sentences_is_supported_by_the_marker_that_ends_its_line():
    """"Enligt …: ”A. B.” [1]" is one statement with one marker: its first sentence, cut from the marker, is
    supported by that citation too; a sentence on a line of its own without a marker is not."""
    text = "Medarbetare ska granska allt material som AI har genererat. Granskningen dokumenteras i ärendet."
    c = [asdict(cite(1, passage("a::1", "doc-a", text), text))]
    quoted = "Enligt riktlinjen: ”Medarbetare ska granska allt material. Granskningen dokumenteras i ärendet.” [1]"
    assert groundedness(quoted, c) == (2, 2, 0)
    marked = "Granskningen dokumenteras i ärendet [1]."
    assert groundedness(f"Medarbetare ska granska allt material noga. {marked}", c) == (2, 2, 0)
    # the marker it takes must still support it
    assert groundedness(f"Chefen beslutar om undantag från regeln. {marked}", c) == (2, 1, 0)
    assert groundedness(f"Chefen beslutar om undantag från regeln.\n{marked}", c) == (2, 1, 0)


def test_percentile_interpolates_like_numpy():
    assert percentile([], 50) is None
    assert percentile([4.0], 95) == 4.0
    assert percentile([1, 2, 3, 4], 50) == 2.5
    assert percentile([10, 1, 2, 3, 4], 95) == pytest.approx(8.8)
    assert percentile([1, 2, 3, 4, 10], 0) == 1 and percentile([1, 2, 3, 4, 10], 100) == 10
