"""The manifest's decision facts (decision_date, decision_body) are quotable, labelled as coming from the manifest,
and quoted only for a question about the document itself."""
import pytest

from ingest.manifest import FACTS_HEADING, DocumentInfo

RULES = """# Regler för AI i Videbo kommun

## Nya AI-tjänster

En förvaltning som vill använda en ny AI-tjänst skickar en förfrågan till IT-enheten.

Digitaliseringschefen beslutar om en ny AI-tjänst får användas, senast sex veckor efter att förfrågan kom in.

## Personuppgifter

Personuppgifter får inte skrivas in i öppna AI-tjänster som ChatGPT.

## Översyn

Reglerna ses över varje år i januari av kommundirektören.
"""

MANIFEST = ('[organisations.videbo]\nname = "Videbo kommun"\ncontact = "AI-stödet"\n\n'
            '[[documents]]\nid = "videbo-regler"\nfile = "regler.md"\ntitle = "Regler för AI i Videbo kommun"\n'
            'organisation = "videbo"\ndecision_date = "2025-09-16"\n'
            'decision_body = "Kommunstyrelsen, § 112 (Dnr KS 2025/0456); reglerna gäller från 2025-10-01"\n')


def test_the_facts_are_one_sentence_under_a_heading_that_says_where_they_come_from():
    info = DocumentInfo(id="d", title="T", organisation="o", decision_date="2025-09-16",
                        decision_body="Kommunstyrelsen, § 5")
    assert info.decision_facts() == f"\n\n{FACTS_HEADING}\n\nBeslutad 2025-09-16 av Kommunstyrelsen, § 5.\n"
    assert "Beslutad av Kommunstyrelsen, § 5." in DocumentInfo(id="d", title="T", organisation="o",
                                                               decision_body="Kommunstyrelsen, § 5").decision_facts()
    assert DocumentInfo(id="d", title="T", organisation="o").decision_facts() == ""


@pytest.fixture(scope="module")
def videbo(tmp_path_factory, embedding_cache):
    from conftest import small_store

    return small_store(tmp_path_factory.mktemp("videbo"), embedding_cache, MANIFEST, {"regler.md": RULES})


def _facts_quotes(answer) -> list[str]:
    return [c.quote for c in answer.citations if c.section == FACTS_HEADING]


def test_the_facts_are_stored_after_the_documents_text(videbo):
    text = videbo.retriever.document_text("videbo-regler")
    assert text.index("Personuppgifter får inte") < text.index(FACTS_HEADING) < text.index("Beslutad 2025-09-16")


@pytest.mark.parametrize("question, fact", [
    ("När beslutades AI-reglerna?", "2025-09-16"),
    ("vilket diarienummer har beslutet om ai-reglerna?", "KS 2025/0456"),
    ("Vem fastställde AI-reglerna?", "Kommunstyrelsen"),
])
def test_a_question_about_the_documents_decision_quotes_the_manifests_facts(videbo, question, fact):
    answer = videbo.ask(question, "videbo")
    assert answer.verdict == "info"
    assert any(fact in quote for quote in _facts_quotes(answer)), answer.text


def test_a_question_on_who_decides_something_else_is_not_answered_by_who_decided_the_document(videbo):
    answer = videbo.ask("Vem beslutar om vi får använda en ny AI-tjänst?", "videbo")
    assert "Digitaliseringschefen beslutar" in answer.citations[0].quote
    assert _facts_quotes(answer) == []


def test_the_facts_are_a_candidate_only_when_the_question_is_about_the_document(videbo):
    def sections(facts: bool) -> set[str]:
        found = videbo.retriever.search("Vem beslutar om nya AI-tjänster?", "videbo", k=20, facts=facts)
        return {p.section for p in found}

    assert FACTS_HEADING in sections(facts=True)
    assert FACTS_HEADING not in sections(facts=False)
    assert "Nya AI-tjänster" in " ".join(sections(facts=False))


@pytest.mark.parametrize("question, about", [
    ("När beslutades AI-reglerna?", True), ("Vilket diarienummer har riktlinjen?", True),
    ("Who adopted the guideline, and when?", True), ("Vilket datum började instruktionen gälla?", True),
    ("Från när gäller instruktionen?", True), ("Since when does the guideline apply?", True),
    ("När ses AI-reglerna över, och av vem?", False), ("When is the policy next reviewed?", False),
    ("Vem beslutar om nya AI-tjänster?", False), ("När ska en incident rapporteras?", False),
])
def test_which_questions_are_about_the_documents_decision(question, about):
    from assistant.engine import _about_the_decision
    from assistant.question import analyse

    assert _about_the_decision(analyse(question)) is about


def test_a_question_on_when_the_document_is_reviewed_is_not_answered_by_its_decision(videbo):
    answer = videbo.ask("När ses AI-reglerna över, och av vem?", "videbo")
    assert "ses över varje år i januari" in answer.citations[0].quote
    assert _facts_quotes(answer) == []


@pytest.mark.parametrize("question, verdict", [
    ("Är AI-reglerna beslutade av kommunfullmäktige?", "no"),
    ("Är AI-reglerna beslutade av kommunstyrelsen?", "yes"),
    ("Were the AI rules adopted by the kommunfullmäktige?", "no"),
])
def test_whether_a_body_decided_the_document_is_answered_by_the_body_that_did(videbo, question, verdict):
    answer = videbo.ask(question, "videbo")
    assert answer.verdict == verdict
    assert "av Kommunstyrelsen" in answer.citations[0].quote


def test_the_body_a_question_names_as_deciding():
    from assistant.verdict import asked_decider

    assert asked_decider("Är reglerna fastställda av kommunfullmäktige?") == "kommunfullmäktige"
    assert asked_decider("Har fullmäktige antagit AI-policyn?") == "fullmäktige"
    assert asked_decider("Was the guideline adopted by the board?") == "board"
    assert asked_decider("Är reglerna beslutade av KS?") is None         # an abbreviation says too little
    assert asked_decider("Vem beslutar om nya AI-tjänster?") is None
