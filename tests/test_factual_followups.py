"""Yes/no questions settled by the sentence that names what they ask, and elliptical follow-ups that keep the kind
of the question before them ("och för oss på äldreomsorgen?" after "Gäller instruktionen för konsulter?")."""
from __future__ import annotations

import pytest

from assistant.question import analyse
from conftest import small_store

EARLIER = [{"question": "Gäller IFO-instruktionen för inhyrda konsulter?",
            "answer": "Ja. Instruktionen gäller alla som arbetar inom IFO, även inhyrda konsulter."}]


def test_an_elliptical_follow_up_keeps_the_yes_no_kind():
    assert analyse("och för oss på äldreomsorgen?", EARLIER).kind == "factual"
    # A follow-up that asks something of its own keeps its own kind.
    assert analyse("och vem beslutar om det?", EARLIER).kind == "info"
    assert analyse("och för oss på äldreomsorgen?").kind == "info"



def test_a_follow_up_that_asks_the_same_of_something_else_keeps_the_kind_though_it_opens_with_a_question_word():
    permission = [{"question": "Can I use free ChatGPT for a draft with a resident's name?"}]
    assert analyse("what about Copilot Chat?", permission).kind == "permission"
    assert analyse("hur är det med copilot chat?", [{"question": "får jag använda chatgpt för ett utkast?"}]
                   ).kind == "permission"
    assert analyse("and what does the rule say about Copilot Chat?", permission).kind == "info"


MANIFEST = """
[organisations.ifoby]
name = "Ifoby kommun"
contact = "IFO"

[[documents]]
id = "ifoby-instruktion"
file = "ifoby-instruktion.md"
title = "Instruktion för AI inom Individ- och familjeomsorgen"
organisation = "ifoby"
"""

PAGE = """# Instruktion för AI inom Individ- och familjeomsorgen

## 2. Vem omfattas?

Instruktionen gäller alla som arbetar inom IFO: socialsekreterare, handläggare, behandlare, enhetschefer,
administratörer och inhyrda konsulter, till exempel bemanningssocionomer, samt studenter under
verksamhetsförlagd utbildning. Den kompletterar kommunens AI-policy med skärpta regler för socialtjänstens arbete.
Instruktionen gäller inte avdelningarna Äldreomsorg och Funktionsstöd, som följer AI-policyn utan skärpningar.
Ledamöter i socialnämnden omfattas när de använder kommunens datorer eller konton i sitt uppdrag.

## 4. Regler

Personuppgifter om klienter får inte föras in i någon AI-tjänst.
"""


@pytest.fixture(scope="module")
def ifoby(tmp_path_factory, embedding_cache):
    return small_store(tmp_path_factory.mktemp("ifo"), embedding_cache, MANIFEST, {"ifoby-instruktion.md": PAGE})


def test_the_follow_up_is_settled_by_the_sentence_that_names_it(ifoby):
    answer = ifoby.ask("och för oss på äldreomsorgen?", "ifoby", history=EARLIER)
    assert answer.verdict == "no"
    assert "Äldreomsorg" in answer.citations[0].quote and answer.citations[0].deciding


def test_a_yes_no_question_under_a_conditional_scope_reads_what_the_question_states(ifoby):
    unsaid = ifoby.ask("Omfattas ledamöterna i socialnämnden av instruktionen?", "ifoby")
    assert unsaid.verdict == "conditional" and "kommunens datorer" in unsaid.citations[0].quote
    unmet = ifoby.ask("Jag sitter i socialnämnden men använder bara min egen privata dator och mitt eget konto, inget "
                      "från kommunen. Omfattas jag av instruktionen?", "ifoby")
    assert unmet.verdict == "no" and "kommunens datorer" in unmet.citations[0].quote
    assert unmet.flags["decided_by"] == "factual_settled"


def test_a_question_whose_object_is_it_follows_up_the_one_before():
    earlier = [{"question": "hur gör jag för att få börja använda Solbacka Assistenten?"}]
    q = analyse("kan vår praktikant också få använda den? hon har fått ett kommunkonto", earlier)
    assert q.followup and "Solbacka Assistenten" in q.query
    assert not analyse("kan vår praktikant också få använda Copilot Chat med sitt kommunkonto nästa vecka?",
                       earlier).continues


def test_a_follow_up_the_patterns_read_as_information_is_read_with_the_question_before_it(ifoby):
    earlier = [{"question": "Kan Copilot hjälpa mig att skriva ett brev till en klient om hens ansökan?"}]
    follow = "och kan den avgöra om klienten ska få biståndet eller inte?"
    assert analyse(follow, earlier).kind == "info"          # (the patterns alone)
    assert ifoby.ask(follow, "ifoby", history=earlier).flags["kind"] == "permission"
