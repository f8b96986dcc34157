"""A document that says whom it does not apply to (assistant/document_scope.py): a department's instruction decides
nothing for someone who says they work where it does not apply. With the policy beside it, the class rules."""
from types import SimpleNamespace

import pytest

from assistant.document_scope import left_out, outside
from assistant.question import analyse


def test_the_part_a_document_leaves_out_is_read_on_either_side_of_the_verb():
    assert left_out("Instruktionen gäller **inte** avdelningarna Äldreomsorg och Funktionsstöd, som följer "
                    "AI-policyn utan skärpningar.").strip() == "avdelningarna Äldreomsorg och Funktionsstöd"
    assert left_out("Praktikanter och uppdragstagare omfattas inte av riktlinjen.").strip() == \
        "Praktikanter och uppdragstagare"
    assert left_out("This guideline does not apply to the subsidiary Ekvik Nät AB.").strip() == \
        "the subsidiary Ekvik Nät AB"


def test_a_rule_that_does_not_hold_somewhere_and_a_document_that_still_speaks_to_them_leave_no_one_out():
    assert left_out("AI-policyns frist på 24 timmar gäller alltså inte inom IFO.") == ""
    assert left_out("Det gäller inte när kommunen bygger egna AI-tjänster.") == ""
    assert left_out("Familjehem omfattas inte av instruktionen, men ska informeras om att uppgifter om placerade "
                    "barn aldrig får föras in i AI-tjänster.") == ""


def _sentence(text: str, doc: str = "tallvik-ifo", title: str = "Instruktion för AI inom IFO"):
    return SimpleNamespace(text=text, passage=SimpleNamespace(doc_id=doc, organisation="tallvik", title=title))


def test_a_question_from_a_unit_the_document_leaves_out_is_outside_it_by_the_inflected_name():
    scope = _sentence("Instruktionen gäller inte avdelningarna Äldreomsorg och Funktionsstöd.")
    rule = _sentence("AI får inte användas för texter till klienter.")
    found = outside(analyse("Vi på äldreomsorgen vill låta Copilot Chat skriva ett informationsblad. Får vi det?"),
                    [rule, scope])
    assert found == {"tallvik-ifo": scope}
    # a word that only begins like the unit's name is not it ("funktionen", "Funktionsstöd")
    assert outside(analyse("Får vi använda AI-funktionen i journalsystemet?"), [rule, scope]) == {}


def test_the_organisations_own_name_names_no_one_left_out():
    scope = _sentence("De kommunala bolagen Tallvik Hamn AB och Tallvikshem AB omfattas inte av policyn.",
                      doc="tallvik-policy", title="AI-policy för Tallvik kommun")
    assert outside(analyse("Får vår chattbot på tallvik.se fråga efter personnummer?"), [scope]) == {}


POLICY = """# AI-policy för Tallvik kommun

## Godkända tjänster

Microsoft Copilot Chat med inloggning via kommunkontot är godkänd för information i klass A och B.

I Copilot Chat får personuppgifter inte användas.

## Informationsklasser

Vilken information som får användas i en AI-tjänst avgörs av informationens klass.

AI-portalen är kommunens upphandlade AI-tjänst, godkänd för information upp till klass C.

Frågor om personuppgifter besvaras av dataskyddsombudet.

Uppgifter som omfattas av sekretess till skydd för enskild inom socialtjänst eller hälso- och sjukvård är klass D.

Information i klass C får användas endast i AI-portalen.

Information i klass D får under inga omständigheter användas i några AI-tjänster.
"""

INSTRUCTION = """# Instruktion för AI inom Individ- och familjeomsorgen

## Vem instruktionen gäller

Instruktionen gäller alla som arbetar inom IFO.

Instruktionen gäller inte avdelningarna Äldreomsorg och Funktionsstöd, som följer AI-policyn utan skärpningar.

## Texter

AI får inte användas för att skriva informationsblad eller andra texter till klienter och brukare.
"""


@pytest.fixture(scope="module")
def tallvik(tmp_path_factory, embedding_cache):
    from conftest import small_store

    manifest = ('[organisations.tallvik]\nname = "Tallvik kommun"\ncontact = "AI-stödet"\n\n'
                '[[documents]]\nid = "tallvik-policy"\nfile = "policy.md"\ntitle = "AI-policy för Tallvik kommun"\n'
                'organisation = "tallvik"\n\n'
                '[[documents]]\nid = "tallvik-ifo"\nfile = "ifo.md"\n'
                'title = "Instruktion för AI inom Individ- och familjeomsorgen"\norganisation = "tallvik"\n')
    return small_store(tmp_path_factory.mktemp("tallvik"), embedding_cache, manifest,
                       {"policy.md": POLICY, "ifo.md": INSTRUCTION})


def test_the_instruction_does_not_decide_for_a_unit_it_leaves_out_and_is_quoted_as_saying_so(tallvik):
    outsider = tallvik.ask("Vi på Äldreomsorgen vill låta Copilot Chat skriva ett informationsblad om veckans "
                           "aktiviteter till de boende, utan personuppgifter. Får vi det?", "tallvik")
    assert outsider.verdict != "not_covered"
    assert outsider.citations[0].document == "tallvik-policy"
    assert not any("informationsblad" in c.quote for c in outsider.citations)
    assert any("gäller inte avdelningarna Äldreomsorg" in c.quote for c in outsider.citations)
    # the same question from inside IFO is decided by the instruction's ban
    insider = tallvik.ask("Vi på IFO vill låta Copilot Chat skriva ett informationsblad om veckans aktiviteter till "
                          "klienterna, utan personuppgifter. Får vi det?", "tallvik")
    assert insider.verdict == "no"
    assert "informationsblad" in insider.citations[0].quote


def test_the_ban_on_the_class_the_definitions_give_is_quoted_when_the_question_states_a_lower_one(tallvik):
    answer = tallvik.ask("Uppgifterna omfattas av sekretess inom hälso- och sjukvården. AI-portalen är ju godkänd "
                         "för klass C, så kan jag låta AI-portalen sammanfatta dem?", "tallvik")
    assert answer.verdict == "no"
    assert "klass D får under inga omständigheter" in answer.citations[0].quote


def test_a_yes_no_question_about_a_banned_class_gets_no(tallvik):
    answer = tallvik.ask("If the dataskyddsombud says it's fine, can class D information go into AI-portalen just "
                         "this once?", "tallvik")
    assert answer.verdict == "no"
    assert "klass D får under inga omständigheter" in answer.citations[0].quote
