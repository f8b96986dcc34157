"""Information-class tables (assistant/info_classes.py): a tool row permits the question's information only when its
class is known and not above the row's highest class."""
from __future__ import annotations

import pytest

from conftest import small_store

from assistant.info_classes import class_floor, comment_met, excluded_classes, question_class, rank, read_row
from assistant.question import analyse
from assistant.verdict import Evidence, Norms, decide

ORG_TEXT = ("Kommunens fyra klasser: Klass 0 (öppen), Klass 1 (intern), Klass 2 (känslig) och Klass 3 (skyddsvärd). "
            "Information som inte är publicerad på webbplatsen räknas alltid som lägst Klass 1 (intern).")
COPILOT = ("AI-verktyg: Microsoft Copilot Chat med kommunkontot · Högsta tillåtna informationsklass: Klass 1 (intern) · "
           "Villkor och kommentarer: Ingen särskild behörighet krävs.")
FREE = "AI-verktyg: ChatGPT gratisversion · Högsta tillåtna informationsklass: Klass 0 (öppen) · Villkor och kommentarer: Avråds."
LEVELS = "AI-tjänst: DeepL Pro via kommunens licens · Låg: Ja · Måttlig: Ja, med undantag för personuppgifter · Hög: Nej"
INTERNAL = "Den är inte publicerad men innehåller inga personuppgifter och ingen sekretess."


def test_classes_are_ranked_on_their_own_scale():
    assert rank("Klass 2 (känslig)") == ("number", 2)
    assert rank("information i klass C") == ("letter", 2)
    assert rank("Måttlig") == ("låg måttlig hög", 1)
    assert rank("Inte godkänt") is None


def test_rows_of_both_table_styles_are_read():
    copilot = read_row(COPILOT)
    assert copilot.highest == ("number", 1) and "Copilot Chat" in copilot.tool
    levels = read_row(LEVELS)
    assert levels.highest == ("låg måttlig hög", 1) and levels.condition == "med undantag för personuppgifter"
    assert read_row("AI-verktyg: Otter · Högsta tillåtna informationsklass: Inte godkänt").highest is None
    assert read_row("Kommunen använder nivåerna Låg, Måttlig och Hög.") is None


def test_the_question_class_is_known_only_where_the_question_says_so_plainly():
    assert question_class(analyse(f"Får jag sammanfatta en rutin i Copilot Chat? {INTERNAL}"), "number", ORG_TEXT) == ("number", 1)
    assert question_class(analyse("Får jag korta en text som redan är publicerad på webbplatsen?"), "number", ORG_TEXT) == ("number", 0)
    assert question_class(analyse("Får jag sammanfatta ett internt PM i Copilot Chat?"), "number", ORG_TEXT) is None
    assert question_class(analyse("Får jag klistra in en elevs namn och betyg i Copilot Chat?"), "number", ORG_TEXT) is None


def test_a_comment_asks_nothing_when_it_waives_or_limits_what_is_absent():
    q = analyse(f"Får jag använda Copilot Chat? {INTERNAL}")
    assert comment_met("Ingen särskild behörighet krävs.", q)
    assert comment_met("No customer personal data at all.", q)
    assert not comment_met("Kräver att din chef har beställt behörighet.", q)


def _evidence(*texts):
    return [Evidence(t, t, Norms()) for t in texts]


def test_the_row_for_the_asked_tool_decides_with_the_class():
    internal = analyse(f"Får jag använda Copilot Chat för att sammanfatta en intern rutin? {INTERNAL}")
    assert decide(internal, _evidence(COPILOT, FREE), organisation_text=ORG_TEXT).verdict == "yes"
    free = analyse(f"Får jag använda ChatGPT gratisversion för att sammanfatta en intern rutin? {INTERNAL}")
    decision = decide(free, _evidence(COPILOT, FREE), organisation_text=ORG_TEXT)
    assert (decision.verdict, decision.reason, decision.deciding) == ("no", "class_exceeds", 1)
    # A tool named inside a compound ("gratis-ChatGPT") finds its row; open information is within Klass 0, and the
    # row's comment ("Avråds.") is what the answer depends on.
    published = analyse("Får jag använda gratis-ChatGPT för att korta en text som redan är publicerad på webbplatsen?")
    decision = decide(published, _evidence(COPILOT, FREE), organisation_text=ORG_TEXT)
    assert (decision.verdict, decision.deciding) == ("conditional", 1)
    # Without a known class the row decides nothing: the answer stays conditional.
    unknown = analyse("Får jag använda Copilot Chat för att sammanfatta ett internt PM?")
    assert decide(unknown, _evidence(COPILOT), organisation_text=ORG_TEXT).verdict == "conditional"


def test_the_organisations_name_for_a_class_states_it_when_personal_data_is_ruled_out():
    from assistant.info_classes import named_class

    internal = analyse("Får jag strukturera ett utkast i Copilot Chat? Underlaget är internt, inga personuppgifter.")
    assert question_class(internal, "number", ORG_TEXT) == ("number", 1)
    decision = decide(internal, _evidence(COPILOT, FREE), organisation_text=ORG_TEXT)
    assert (decision.verdict, decision.deciding) == ("yes", 0)
    assert decide(analyse("Får jag använda ChatGPT gratisversion för ett internt underlag, inga personuppgifter?"),
                  _evidence(COPILOT, FREE), organisation_text=ORG_TEXT).verdict == "no"
    # Names from "Klass 2 Intern (internal)" in either language; a class named on its own is a floor at least.
    assert named_class(analyse("Can I summarise confidential notes?"), "number", DEFINED) == ("number", 3)
    assert class_floor(analyse("Får jag använda Copilot för känsliga underlag?"), "number", ORG_TEXT) == ("number", 2)
    # Not negated, not the lowest class (a tool's kind: "öppna AI-tjänster"), not without personal data ruled out.
    assert named_class(analyse("Det är inte internt, inga personuppgifter. Får jag använda Copilot?"), "number", ORG_TEXT) is None
    assert named_class(analyse("Får jag använda öppna AI-tjänster, inga personuppgifter?"), "number", ORG_TEXT) is None
    assert named_class(analyse("Can I use public AI tools for this?"), "number", DEFINED) is None
    assert question_class(analyse("Får jag sammanfatta ett internt PM i Copilot Chat?"), "number", ORG_TEXT) is None
    # A label in parentheses is not a name ("Klass 2 (B)" and "a b-list"): "a", "b" name nothing.
    labelled = "Klass 1 (A), Klass 2 (B) och Klass 3 (C)."
    assert named_class(analyse("Can I use a b-list of names, no personal data?"), "number", labelled) is None


DEFINED = ("Klass 1 Öppen (public): published or intended for publication, e.g. price lists and press releases.\n"
           "Klass 2 Intern (internal): ordinary internal information, e.g. meeting notes without customer data.\n"
           "Klass 3 Konfidentiell (confidential): customer data, contracts, personnel matters.\n"
           "Information that is not published on our website is at least Klass 2.")
TRANSCRIPTION = ("Meeting transcription is permitted only in internal meetings where all participants have been told "
                 "at the start and where no Klass 3 or Klass 4 information is discussed.")


def test_the_organisations_definitions_give_a_floor_for_the_questions_information():
    assert class_floor(analyse("Can we go through a supplier contract with Copilot?"), "number", DEFINED) == ("number", 3)
    assert class_floor(analyse("Can I summarise the meeting notes?"), "number", DEFINED) == ("number", 2)
    # A word every definition uses, or one only a definition by negation uses ("website"), places nothing.
    assert class_floor(analyse("Can I use AI for customer data?"), "number", DEFINED) is None
    assert class_floor(analyse("Can I summarise a page of our website?"), "number", DEFINED) is None
    # Classes defined by what comes before them.
    lettered = ("Uppgifter som omfattas av sekretess är minst klass C. Uppgifter som omfattas av sekretess inom "
                "socialtjänst eller elevhälsa är klass D.")
    q = analyse("Får jag sammanfatta anteckningar från elevhälsomöten i AI-portalen?")
    assert class_floor(q, "letter", lettered) == ("letter", 3)


def test_a_list_named_as_not_involved_places_nothing():
    # Each item of a negated list is left out, not only the first ("inte socialtjänst, hälso- och sjukvård eller
    # elevhälsa"), so the class their secrecy would be is no floor for the question.
    lettered = ("Uppgifter som omfattas av sekretess är minst klass C. Uppgifter som omfattas av sekretess inom "
                "socialtjänst, hälso- och sjukvård eller elevhälsa är klass D.")
    q = analyse("Ett företags uppgifter omfattas av sekretess – det rör alltså inte socialtjänst, hälso- och sjukvård "
                "eller elevhälsa. Får jag sammanfatta dem i AI-portalen?")
    assert {"socialtj", "sjukvå", "elevhä"} <= q.absent_words
    assert class_floor(q, "letter", lettered) is None
    said = analyse("Det rör socialtjänst, hälso- och sjukvård eller elevhälsa. Får jag sammanfatta dem i AI-portalen?")
    assert class_floor(said, "letter", lettered) == ("letter", 3)
    q = analyse("Det finns inga kunduppgifter, inga personnummer och inget om styrsystemen. Får jag det?")
    assert {"kunduppg", "personnu", "styrsyst"} <= q.absent_words
    assert "contra" in analyse("Can I use it? No customer data, contracts or anything about OT.").absent_words


def test_a_scales_only_definition_is_matched_by_two_of_the_questions_words():
    levels = "Nivåerna är Låg, Måttlig och Hög. Uppgifter som omfattas av sekretess har alltid nivå Hög."
    scale = "låg måttlig hög"
    secret = analyse("Får jag översätta ett dokument som omfattas av sekretess i DeepL?")
    assert class_floor(secret, scale, levels) == (scale, 2)
    # one word the definition shares ("uppgifter" is in every other question) places nothing
    assert class_floor(analyse("Får jag översätta uppgifter om öppettider i DeepL?"), scale, levels) is None
    row = "AI-tjänst: DeepL Pro via kommunens licens · Låg: Ja · Måttlig: Ja · Hög: Nej"
    d = decide(secret, [Evidence(row, row, Norms())], organisation_text=levels)
    assert (d.verdict, d.reason) == ("no", "class_exceeds")


def test_words_the_question_names_as_not_involved_place_it_in_no_class():
    protected = ("Klass 1 (intern). Klass 2 (känslig). Uppgifter om skyddade personuppgifter (sekretessmarkering eller "
                 "skyddad folkbokföring) är Klass 3 och får aldrig skrivas in i något AI-verktyg.")
    shield = analyse("Copilot Chat (inloggad, Skyddad syns) för ett internt utkast, inga personuppgifter. Går det?")
    assert class_floor(shield, "number", protected) is None
    pupil = analyse("En elev har skyddad folkbokföring. Får jag skriva ett brev med elevens uppgifter i Copilot?")
    assert class_floor(pupil, "number", protected) == ("number", 3)


def test_a_class_above_the_row_is_said_by_the_ban_on_that_class_where_one_is_quoted():
    protected = ("Klass 1 (intern). Klass 2 (känslig). Uppgifter om skyddade personuppgifter (sekretessmarkering eller "
                 "skyddad folkbokföring) är Klass 3 och får aldrig skrivas in i något AI-verktyg.")
    row = ("AI-verktyg: Microsoft 365 Copilot · Högsta tillåtna informationsklass: Klass 2 (känslig) · Villkor och "
           "kommentarer: Kräver AI-körkortet.")
    ban = protected.split(". ", 2)[2]
    q = analyse("En elev har skyddad folkbokföring. Jag har AI-körkortet. Får jag skriva ett brev med elevens uppgifter i "
                "Microsoft 365 Copilot?")
    d = decide(q, [Evidence(row, row, Norms()), Evidence(ban, ban, Norms(prohibit=True))], organisation_text=protected)
    assert (d.verdict, d.reason, d.deciding) == ("no", "class_exceeds", 1)


def test_an_english_definition_places_a_swedish_question_through_the_glossary():
    q = analyse("Kan jag lägga in underlaget för ett personalärende i Copilot Chat?")
    assert class_floor(q, "number", DEFINED) == ("number", 3)


def test_a_permission_that_leaves_out_the_questions_class_is_a_no():
    assert excluded_classes(TRANSCRIPTION) == {("number", 3), ("number", 4)}
    q = analyse("Internal project meeting, everyone is told at the start, but we will go through a supplier "
                "contract. Can we run Teams transcription?")
    rule = Norms(permit=True, only=True)
    decision = decide(q, [Evidence(TRANSCRIPTION, TRANSCRIPTION, rule)], organisation_text=DEFINED)
    assert (decision.verdict, decision.reason) == ("no", "class_excluded")
    fine = analyse("Internal meeting about our routines, everyone is told at the start. Can we run Teams transcription?")
    assert decide(fine, [Evidence(TRANSCRIPTION, TRANSCRIPTION, rule)], organisation_text=DEFINED).verdict != "no"


def test_a_defined_class_above_the_tools_row_is_a_no():
    free = "AI-verktyg: ChatGPT gratisversion · Högsta tillåtna informationsklass: Klass 1 · Villkor och kommentarer: Avråds."
    q = analyse("Får jag använda ChatGPT gratisversion för att gå igenom ett av våra contracts?")
    decision = decide(q, _evidence(free), organisation_text=DEFINED)
    assert (decision.verdict, decision.reason) == ("no", "class_exceeds")


def test_a_ban_on_the_class_the_definitions_give_the_questions_information_is_a_no():
    defined = DEFINED + "\nKlass 4 Skyddad (protected): information about the control systems (SCADA/OT), network diagrams."
    ban = "4.3 Klass 4 (skyddad) information must never be entered into any AI tool, under any circumstances."
    chat = "We recommend that you use Copilot Chat for everyday writing and summarising tasks."
    evidence = [Evidence(chat, chat, Norms(permit=True)), Evidence(ban, ban, Norms(prohibit=True))]
    scada = decide(analyse("Can I use Copilot to write code for the SCADA system?"), evidence, organisation_text=defined)
    assert (scada.verdict, scada.deciding) == ("no", 1)
    assert scada.reason == "named_ban"
    # Information the definitions put in another class, or in none, is not what that ban is on.
    from assistant.info_classes import bans_its_class

    for other in ("Can I use Copilot to go through a supplier contract?", "Can I use Copilot to rewrite a text?"):
        assert not bans_its_class(ban, analyse(other), defined), other


@pytest.mark.parametrize("extra", ["", " Personuppgifter får inte skrivas in i något AI-verktyg."])
def test_a_ban_beside_the_row_still_holds_for_personal_data(extra):
    q = analyse("Får jag klistra in en elevs personnummer i Copilot Chat?")
    texts = [COPILOT] + ([extra.strip()] if extra else [])
    evidence = [Evidence(t, t, Norms(prohibit="inte" in t)) for t in texts]
    assert decide(q, evidence, organisation_text=ORG_TEXT).verdict != "yes"


MANIFEST = """
[organisations.klassby]
name = "Klassby kommun"
contact = "AI-stödet"

[[documents]]
id = "klassby-ai"
file = "klassby-ai.html"
title = "AI i arbetet"
organisation = "klassby"
"""

PAGE = """<html><body><main><h1>AI i arbetet</h1>
<h2>Informationsklasser</h2>
<p>Kommunens fyra klasser: Klass 0 (öppen), Klass 1 (intern), Klass 2 (känslig) och Klass 3 (skyddsvärd).
Information som inte är publicerad på klassby.se räknas alltid som lägst Klass 1 (intern).</p>
<h2>Godkända verktyg</h2>
<table><thead><tr><th>AI-verktyg</th><th>Högsta tillåtna informationsklass</th><th>Villkor och kommentarer</th></tr></thead>
<tbody>
<tr><td>Microsoft Copilot Chat med kommunkontot</td><td>Klass 1 (intern)</td><td>Ingen särskild behörighet krävs.</td></tr>
<tr><td>ChatGPT gratisversion</td><td>Klass 0 (öppen)</td><td>Avråds.</td></tr>
<tr><td>Microsoft 365 Copilot med licens</td><td>Klass 2 (känslig)</td><td>Kräver att chefen har beställt licens.</td></tr>
</tbody></table>
<p>Personuppgifter får inte skrivas in i något AI-verktyg.</p>
</main></body></html>
"""


@pytest.fixture(scope="module")
def klassby(tmp_path_factory, embedding_cache):
    return small_store(tmp_path_factory.mktemp("classes"), embedding_cache, MANIFEST, {"klassby-ai.html": PAGE})


def test_a_real_store_answers_from_the_table_row(klassby):
    internal = klassby.ask(f"Får jag använda Copilot Chat med kommunkontot för att sammanfatta en intern rutin? {INTERNAL}",
                           "klassby")
    assert internal.verdict == "yes" and "Klass 1" in internal.citations[0].quote
    free = klassby.ask(f"Får jag använda ChatGPT gratisversion för att sammanfatta en intern rutin? {INTERNAL}", "klassby")
    assert free.verdict == "no" and free.flags["decided_by"] == "class_exceeds"
    assert "Klass 0" in free.citations[0].quote and free.citations[0].deciding
    # The first line says why: the short row whole, the tool with its class.
    assert free.text.startswith(f"Nej: {FREE[:-1]} [1]")


def test_a_row_that_advises_against_its_tool_is_a_condition_not_a_ban():
    row = "Tool: Free AI tools (ChatGPT free, Gemini, etc.) · Highest class: Klass 1 · Conditions: Discouraged."
    q = analyse("Får man använda gratis ChatGPT på jobbet?")
    advised = Evidence(row, row, Norms(prohibit=True), advice=True)       # as the rule reader reads "Discouraged"
    assert decide(q, [advised], organisation_text=DEFINED).verdict == "conditional"
    # A row whose comment forbids ("No images of real persons") still does.
    assert decide(q, [Evidence(row, row, Norms(prohibit=True))], organisation_text=DEFINED).verdict == "no"
    # Information of the class it allows (a published price list is Klass 1): yes, and the rule that decided it is
    # read as allowing, so no check turns the yes back.
    published = analyse("Får jag använda gratis ChatGPT för att skriva om vår publicerade prislista på enklare svenska?")
    decision = decide(published, [advised], organisation_text=DEFINED)
    assert (decision.verdict, decision.rule.prohibit) == ("yes", False)
    # Information above it is still a no, and a comment that asks more than advice still a condition.
    unpublished = analyse("Får jag använda gratis ChatGPT för vår interna rutin som inte är publicerad?")
    assert decide(unpublished, [advised], organisation_text=DEFINED).verdict == "no"
    asks = row.replace("Discouraged.", "Discouraged; log in with a private account only and never upload files.")
    assert decide(published, [Evidence(asks, asks, Norms(prohibit=True), advice=True)],
                  organisation_text=DEFINED).verdict == "conditional"


def test_a_row_whose_class_the_information_may_exceed_stays_a_condition():
    from assistant.situation.reader import Situation

    row = ("Tool: Microsoft 365 Copilot (licensed users only) · Highest class: Klass 3 · Conditions: Licence approved "
           "by your manager; no personnummer, no Klass 4.")
    q = analyse("I've got a Microsoft 365 Copilot licence now – can I use it to summarise customer contracts?")
    # The situation reader finds the licence stated; the contracts are at least Klass 3 and may be more.
    licensed = Evidence(row, row, Norms(only=True), "", Situation("allows", 0.96, True))
    decision = decide(q, [licensed], organisation_text=DEFINED)
    assert (decision.verdict, decision.deciding) == ("conditional", 0)


def test_a_class_the_question_names_is_its_class():
    from assistant.info_classes import stated_class

    # as a participle and its level, a capital letter only
    assert stated_class(analyse("får jag använda AI-portalen för en budgetrapport som är klassad B?")) == ("letter", 1)
    assert stated_class(analyse("Får jag använda AI-portalen för ett dokument som är klassat som C?")) == ("letter", 2)
    assert stated_class(analyse("May I use Copilot for a memo classified as Klass 3?")) == ("number", 3)
    assert stated_class(analyse("May I use Copilot for a report classified as a secret document?")) is None
    # the class a tool is approved for, said in passing, is not the information's; in the asking sentence it is
    passing = analyse("Får jag sammanfatta anteckningar från elevhälsomöten i AI-portalen? De omfattas av sekretess, "
                      "men AI-portalen är ju godkänd för klass C.")
    assert stated_class(passing) is None
    assert stated_class(analyse("Är Copilot Chat godkänt för klass 3?")) == ("number", 3)
    assert stated_class(analyse("Copilot is approved up to Klass 2. Can I use it for a Klass 1 memo?")) == ("number", 1)
    only = "Information i klass C får användas endast i AI-portalen."
    ban = "Information i klass D får under inga omständigheter användas i några AI-tjänster."
    only_c, ban_d = Evidence(only, only, Norms(only=True)), Evidence(ban, ban, Norms(prohibit=True))
    defined = "Uppgifter som omfattas av sekretess inom socialtjänst eller elevhälsa är klass D."
    d = decide(passing, [only_c, ban_d], organisation_text=defined)
    assert (d.verdict, d.deciding) == ("no", 1)

    assert stated_class(analyse("Får jag använda DeepL Pro för information på nivå Hög?"), "låg måttlig hög") == ("låg måttlig hög", 2)
    assert stated_class(analyse("May I use Copilot Chat for Klass 3 information?"), "number") == ("number", 3)
    assert stated_class(analyse("kan jag köra ett klass C-dokument i copilot chat?"), "letter") == ("letter", 2)
    # Not when negated, not a level word without a class word, not on another scale.
    assert stated_class(analyse("Det är inte klass 3, får jag använda Copilot?"), "number") is None
    assert stated_class(analyse("Får vi ta i bruk en AI-tjänst som klassats som hög risk?"), "låg måttlig hög") is None
    assert stated_class(analyse("Får jag använda DeepL för nivå Hög?"), "number") is None
    # With personal data the named class is a floor, not the whole of what the information is.
    pupils = analyse("Får jag använda DeepL Pro för information på nivå Låg med elevernas personuppgifter?")
    assert question_class(pupils, "låg måttlig hög", ORG_TEXT) is None
    assert class_floor(pupils, "låg måttlig hög", ORG_TEXT) == ("låg måttlig hög", 0)


IMAGES = "AI-tjänst: Bildgenerering i Copilot Chat · Låg: Ja · Måttlig: Nej · Hög: Nej"
CHAT = "AI-tjänst: Microsoft Copilot Chat med kommunkonto · Låg: Ja · Måttlig: Ja · Hög: Nej"


def test_the_row_for_a_named_class_decides_and_a_row_for_another_activity_does_not():
    high = analyse("Får jag använda DeepL Pro via kommunens licens för information på nivå Hög?")
    decision = decide(high, _evidence(LEVELS), organisation_text=ORG_TEXT)
    assert (decision.verdict, decision.reason) == ("no", "class_exceeds")
    middle = analyse("Får jag använda DeepL Pro via kommunens licens för information på nivå Måttlig?")
    assert decide(middle, _evidence(LEVELS), organisation_text=ORG_TEXT).verdict == "conditional"   # "med undantag …"
    # "Bildgenerering i Copilot Chat" is the row for making images in Copilot Chat, not for the chat's information.
    chat = analyse("Får jag använda Copilot Chat för information på nivå Måttlig?")
    assert decide(chat, _evidence(IMAGES), organisation_text=ORG_TEXT).reason != "class_exceeds"
    decision = decide(chat, _evidence(IMAGES, CHAT), organisation_text=ORG_TEXT)
    assert (decision.verdict, decision.deciding) == ("yes", 1)
    images = analyse("Får jag göra bilder i Copilot Chat av information på nivå Måttlig?")
    assert decide(images, _evidence(IMAGES, CHAT), organisation_text=ORG_TEXT).deciding == 0


def test_a_level_column_asks_of_the_information_of_its_own_level_only():
    """"Låg: Ja · Måttlig: Ja, med undantag för personuppgifter": the exception is Måttlig's; information on nivå Låg
    may go in without it. A comment field asks what it says of every class."""
    levels = read_row(LEVELS)
    assert levels.condition_at(("låg måttlig hög", 0)) == ""
    assert levels.condition_at(("låg måttlig hög", 1)) == "med undantag för personuppgifter"
    low = analyse("Får jag använda DeepL Pro via kommunens licens för information på nivå Låg?")
    assert (decide(low, _evidence(LEVELS), organisation_text=ORG_TEXT).verdict,
            decide(low, _evidence(LEVELS), organisation_text=ORG_TEXT).deciding) == ("yes", 0)
    middle = analyse("Får jag använda DeepL Pro via kommunens licens för information på nivå Måttlig?")
    assert decide(middle, _evidence(LEVELS), organisation_text=ORG_TEXT).verdict == "conditional"
    copilot = read_row(COPILOT)
    assert copilot.condition_at(("number", 0)) == copilot.condition == "Ingen särskild behörighet krävs."


def test_a_yes_no_question_on_a_tool_for_a_named_class_is_decided_by_the_tools_row():
    """"Är DeepL godkänt för nivå Hög?", "funkar copilot chat för nivå hög?": whether a tool may be used for a class
    is a permission, whatever the question's form."""
    q = analyse("Är DeepL Pro via kommunens licens godkänt för information på nivå Hög?")
    assert q.kind == "factual"
    decision = decide(q, _evidence(LEVELS), organisation_text=ORG_TEXT)
    assert (decision.verdict, decision.reason) == ("no", "class_exceeds")
    low = analyse("Är DeepL Pro via kommunens licens godkänt för information på nivå Låg?")
    assert decide(low, _evidence(LEVELS), organisation_text=ORG_TEXT).verdict in ("yes", "conditional")
    # A kind of information in place of a class: the tool's row decides, as a condition when the kind's class is
    # not known; a sentence that only names the kind ("… har alltid nivå Hög") never makes it a yes.
    kind = analyse("Is DeepL approved for confidential documents?")
    assert kind.kind == "factual" and "secrecy" in kind.concepts
    level = "Uppgifter som omfattas av sekretess har alltid nivå Hög."
    row = Evidence(LEVELS, LEVELS, Norms())
    decision = decide(kind, [Evidence(level, level, Norms()), row], organisation_text=ORG_TEXT)
    assert (decision.verdict, decision.deciding) == ("conditional", 1)
    # Where classes are ruled by sentences, not rows, the class's rule decides as it would a permission: "endast i
    # AI-portalen" is not Copilot Chat, whatever a list of the approved tools names.
    listing = ("Godkända AI-tjänster är vid policyns beslut Microsoft Copilot Chat med inloggning via kommunkontot och "
               "AI-portalen.")
    only = "Information i klass C får användas endast i AI-portalen."
    q = analyse("är copilot chat godkänt för klass c?")
    decision = decide(q, [Evidence(listing, listing, Norms()), Evidence(only, only, Norms(only=True, permit=True))])
    assert (q.kind, decision.verdict, decision.deciding) == ("factual", "no", 1)
    # A class by the organisation's definitions (contracts are Klass 3) is asked about as a stated one.
    github = "Tool: GitHub Copilot Business (IT department) · Highest class: Klass 2 · Conditions: Only for web code."
    contracts = analyse("Is GitHub Copilot approved for our supplier contracts?")
    assert decide(contracts, [Evidence(github, github, Norms())], organisation_text=DEFINED).verdict == "no"
    assert decide(analyse("Is GitHub Copilot approved?"), [Evidence(github, github, Norms())],
                  organisation_text=DEFINED).verdict == "yes"


def test_a_row_for_another_product_of_the_tools_maker_is_not_the_tools_row():
    from assistant.verdict import class_row_for

    github = "Tool: GitHub Copilot Business (IT department) · Highest class: Klass 2 · Conditions: Only for office IT."
    chat = "Tool: Microsoft Copilot Chat (company account) · Highest class: Klass 2 · Conditions: No customer data."
    q = analyse("Får jag använda Copilot Chat för klass 2-information?")
    assert class_row_for(q, [github])[0] is None and class_row_for(q, [github, chat])[0] == 1
    assert class_row_for(analyse("Får jag använda GitHub Copilot för klass 2-kod?"), [github, chat])[0] == 0
    # The tool as the question names it ("Copilot Chat") over a row naming its maker's name alone.
    m365 = "Tool: Microsoft 365 Copilot (licensed users only) · Highest class: Klass 3 · Conditions: Licence approved."
    assert class_row_for(analyse("Får jag klistra in en skärmdump från SCADA i Copilot Chat?"), [m365, chat])[0] == 1


def test_the_tools_row_is_quoted_and_decides_when_the_question_names_a_class(klassby, monkeypatch):
    question = "Får jag använda ChatGPT gratisversion för information i Klass 1?"
    answer = klassby.ask(question, "klassby")
    assert answer.verdict == "no" and answer.flags["decided_by"] == "class_exceeds"
    assert "Klass 0 (öppen)" in answer.citations[0].quote and answer.citations[0].deciding
    # The row is quoted when similarity alone did not choose it.
    from assistant import engine

    def without_rows(question, vec, passages, index, *rest, **kwargs):
        # The sentences chosen, or the passages' first ones, but no table row; the gate still reads the best score.
        chosen = _select(question, vec, passages, index, *rest, **kwargs)
        others = [s for p in passages for s in index.of(p) if "·" not in s.text]
        kept = [s for s, _ in chosen if "·" not in s.text] or others[:1]
        return [(s, chosen[0][1]) for s in kept]

    monkeypatch.setattr(engine, "select", without_rows)
    alone = klassby.ask(question, "klassby")
    assert alone.verdict == "no" and alone.flags["decided_by"] == "class_exceeds"
    assert "ChatGPT gratisversion" in alone.citations[0].quote and "·" in alone.citations[0].quote


from assistant.extractive import select as _select  # noqa: E402  (the real selection, wrapped above)


def test_the_first_line_of_an_answer_depending_on_a_row_names_its_class_not_its_tool(klassby):
    answer = klassby.ask("Får jag använda Copilot Chat med kommunkontot för att sammanfatta ett internt PM?", "klassby")
    assert answer.verdict == "conditional" and "·" in answer.citations[0].quote
    first = answer.text.split("\n")[0]
    assert first.startswith("Ja, under villkor: Högsta tillåtna informationsklass: Klass 1 (intern)")
    assert "Microsoft Copilot Chat med kommunkontot ·" not in first


def test_the_tools_row_is_quoted_when_the_quoted_row_is_another_products(klassby, monkeypatch):
    from assistant import engine

    def other_row_only(question, vec, passages, index, *rest, **kwargs):
        # Similarity chose the row of another product with the same maker's name ("Microsoft 365 Copilot").
        chosen = _select(question, vec, passages, index, *rest, **kwargs)
        other = [s for p in passages for s in index.of(p) if s.text.startswith("AI-verktyg: Microsoft 365 Copilot")]
        return [(other[0], chosen[0][1])]

    monkeypatch.setattr(engine, "select", other_row_only)
    answer = klassby.ask("Får jag använda Copilot Chat med kommunkontot för information i Klass 2?", "klassby")
    assert answer.verdict == "no" and answer.flags["decided_by"] == "class_exceeds"
    assert answer.citations[0].quote.startswith("AI-verktyg: Microsoft Copilot Chat")


def test_a_rule_on_the_classes_the_question_names_speaks_to_it():
    from assistant.info_classes import classes_named

    rule = "Information i klass A och B får användas i samtliga godkända AI-tjänster."
    assert classes_named(rule) == {("letter", 0), ("letter", 1)}
    assert classes_named("Klass 1, 2 eller 3") == {("number", 1), ("number", 2), ("number", 3)}
    q = analyse("Får jag använda Copilot Chat för klass B-information?")
    decision = decide(q, [Evidence(rule, rule, Norms(permit=True))])
    assert (decision.verdict, decision.deciding) == ("yes", 0)
    other = analyse("Får jag använda Copilot Chat för klass D-information?")
    assert decide(other, [Evidence(rule, rule, Norms(permit=True))]).verdict != "yes"


def test_a_which_tools_question_is_answered_by_the_tools_the_documents_name(klassby):
    from assistant.language import expected_answers

    asked = expected_answers("Vilka AI-verktyg får jag använda?")
    assert any(p.search("AI-verktyg: Microsoft Copilot Chat · Högsta tillåtna informationsklass: Klass 1") for p in asked)
    assert any(p.search("Godkända AI-tjänster är Copilot Chat och AI-portalen.") for p in asked)
    assert not any(p.search("Personuppgifter får inte skrivas in i något AI-verktyg.") for p in asked)
    answer = klassby.ask("Vilka AI-verktyg får jag använda?", "klassby")
    assert read_row(answer.citations[0].quote) is not None


def test_which_tools_for_a_class_quotes_the_rows_that_allow_it(klassby):
    answer = klassby.ask("Vilka AI-verktyg får jag använda för information i Klass 2?", "klassby")
    rows = [read_row(c.quote) for c in answer.citations if read_row(c.quote) is not None]
    assert rows and all(r.highest[1] >= 2 for r in rows), answer.text
    assert "Microsoft 365 Copilot" in answer.citations[0].quote


def test_rows_for_two_products_of_a_maker_are_told_apart_by_the_plain_words_of_their_names(klassby):
    from assistant.verdict import class_row_for

    rows = ["Tool: Microsoft 365 Copilot (licensed users only) · Highest class: Klass 3 · Conditions: Licence approved.",
            "Tool: Microsoft Copilot Chat (company account) · Highest class: Klass 2 · Conditions: No customer data."]
    assert class_row_for(analyse("Is Copilot Chat approved for Klass 3?"), rows)[0] == 1
    assert class_row_for(analyse("Can I use Microsoft 365 Copilot for Klass 3?"), rows)[0] == 0
    assert class_row_for(analyse("Can I use Copilot for Klass 3?"), rows)[0] is None       # which one: not said
    # the Swedish spelling of a plain word of the name tells them apart too
    assert class_row_for(analyse("kan jag använda copilot chatt för klass 2?"), rows)[0] == 1
    answer = klassby.ask("Får jag använda Copilot Chat för information i Klass 2?", "klassby")
    assert answer.verdict == "no" and "Klass 1" in answer.citations[0].quote


_TOPICS = ["press releases", "published reports", "the website", "newsletters", "customer letters", "social media posts",
           "annual reports", "job adverts"]
FARAWAY = "# Guideline for AI tools\n\n" + "".join(
    f"## {i}. Writing {topic} with AI\n\n{topic.capitalize()} that have already been published may be rewritten "
    f"with help from AI by the communications team. Every one of the {topic} is proofread by a second person before "
    f"it is published again, and the author keeps a copy of what was published on the website.\n\n"
    for i, topic in enumerate(_TOPICS, 1)) + (
    "## 9. Tools\n\nTool: Free AI tools (ChatGPT free, Gemini) · Highest class: Klass 1 · Conditions: Discouraged.\n\n"
    "Tool: Microsoft Copilot Chat (company account) · Highest class: Klass 2 · Conditions: None.\n\n"
    "## 10. Classes\n\nKlass 1 Public: published information. Klass 2 Internal: internal information.\n")


def test_the_tools_row_is_found_where_the_search_did_not_reach_it(tmp_path, embedding_cache):
    from conftest import one_document_manifest

    manifest = one_document_manifest("faraway", "Faraway Energy", "faraway-guideline", "faraway-guideline.md",
                                     "Guideline for AI tools", language="en")
    faraway = small_store(tmp_path, embedding_cache, manifest, {"faraway-guideline.md": FARAWAY})
    answer = faraway.ask("Can I use ChatGPT to rewrite a press release that has already been published?", "faraway")
    assert any("Free AI tools" in c.quote for c in answer.citations), [c.quote for c in answer.citations]
    assert answer.verdict in ("yes", "conditional")


def test_a_rule_on_another_class_does_not_decide_a_question_about_this_one():
    from assistant.verdict import Evidence, Norms, decide, other_class

    q = analyse("kan ai-portalen användas för klass d?")
    class_c = "Information i klass C får användas endast i AI-portalen."
    assert other_class(class_c, q)
    assert not other_class("Information i klass C och D får användas endast i AI-portalen.", q)
    # a rule that leaves classes out speaks of the others
    assert not other_class("Transcription is permitted only where no Klass 3 or Klass 4 information is discussed.",
                           analyse("Can we transcribe a meeting with Klass 2 information?"))
    assert not other_class(class_c, analyse("kan ai-portalen användas för personuppgifter?"))
    # A ban on another class is still on that class: its negation leaves no class out.
    class_d = "Information i klass D får under inga omständigheter användas i några AI-tjänster."
    class_b = analyse("får jag använda copilot chat för ett internt pm i klass B?")
    assert other_class(class_d, class_b)
    assert decide(class_b, [Evidence(class_d, class_d, Norms(prohibit=True))]).verdict != "no"
    only = Evidence(class_c, class_c, Norms(only=True, permit=True))
    assert decide(q, [only]).verdict != "yes" and decide(q, [only]).deciding is None


_LETTERS = ("# Regler för AI\n\n## 1. Om reglerna\n\n" + "".join(
    f"AI-portalen kan hjälpa till med {topic}. Den som skriver {topic} i AI-portalen läser igenom texten innan den "
    f"skickas vidare.\n\n" for topic in ("kallelser", "protokoll", "nyhetsbrev", "rapporter", "utredningar"))
    + "## 2. Informationsklasser\n\nInformation i klass A och B får användas i samtliga godkända AI-tjänster, "
      "Copilot Chat och AI-portalen.\n\n"
      "Information i klass C får användas endast i AI-portalen.\n\n"
      "## 3. Särskilt skyddad information\n\nInformation i klass D får under inga omständigheter användas i några "
      "AI-tjänster.\n")


def test_the_rule_on_the_class_the_question_states_is_found_and_decides(tmp_path, embedding_cache):
    from conftest import one_document_manifest

    manifest = one_document_manifest("bokstavby", "Bokstavby kommun", "bokstavby-regler", "bokstavby-regler.md",
                                     "Regler för AI")
    store = small_store(tmp_path, embedding_cache, manifest, {"bokstavby-regler.md": _LETTERS})
    answer = store.ask("kan ai-portalen användas för klass d?", "bokstavby")
    assert answer.verdict == "no", answer.text
    assert "klass D" in answer.citations[0].quote
    b = store.ask("får jag använda AI-portalen för klass B?", "bokstavby")
    assert b.verdict == "yes", b.text
    # asked as a yes/no question whether a tool is approved for the class, the same rule decides
    c = store.ask("är copilot chat godkänt för klass c?", "bokstavby")
    assert c.verdict == "no" and "klass C" in c.citations[0].quote, c.text


def test_a_class_limit_on_another_activity_does_not_decide():
    from assistant.verdict import Evidence, Norms, decide

    rule = ("Meeting transcription (e.g. Teams transcription with Copilot) is permitted only in internal meetings where "
            "no Klass 3 or Klass 4 information is discussed.")
    row = "Tool: Microsoft Copilot Chat (company account) · Highest class: Klass 2 · Conditions: None."
    transcription = Evidence(rule, rule, Norms(only=True, permit=True))
    drafting = analyse("Is Copilot Chat ok for drafting a contract with a supplier (Klass 3)?")
    d = decide(drafting, [transcription, Evidence(row, row, Norms())])
    assert (d.verdict, d.deciding) == ("no", 1)
    meeting = analyse("Can we use Teams transcription in a meeting where we discuss Klass 3 information?")
    assert decide(meeting, [transcription]).reason == "class_excluded"


def test_unpublished_information_is_at_least_the_class_the_documents_give_it():
    levels = ("Kommunen använder nivåerna Låg, Måttlig och Hög. Information som inte är publicerad eller på annat sätt "
              "offentlig ska alltid behandlas som lägst nivå Måttlig.")
    scale = "låg måttlig hög"
    # a floor, whatever else the information holds (personal data or not said)
    assert class_floor(analyse("får jag använda gratis chatgpt för ett internt pm?"), scale, levels) == (scale, 1)
    assert class_floor(analyse("får jag använda gratis chatgpt för en publicerad nyhet?"), scale, levels) is None
    row = "AI-tjänst: Öppna AI-tjänster (t.ex. ChatGPT gratis, Gemini, Claude) · Låg: Ja · Måttlig: Nej · Hög: Nej"
    d = decide(analyse("får jag använda gratis chatgpt för ett internt pm?"), [Evidence(row, row, Norms())],
               organisation_text=levels)
    assert (d.verdict, d.reason) == ("no", "class_exceeds")


def test_a_row_for_another_product_of_the_tools_maker_decides_nothing():
    github = "Tool: GitHub Copilot Business (IT department) · Highest class: Klass 2 · Conditions: Only for office IT and web code."
    q = analyse("får jag använda copilot för att sammanfatta ett styrelseprotokoll?")
    d = decide(q, [Evidence(github, github, Norms(only=True, permit=True))])
    assert d.deciding is None and 0 not in d.conditions
    coder = analyse("får jag använda github copilot för att skriva kod till hemsidan?")
    assert decide(coder, [Evidence(github, github, Norms(only=True, permit=True))]).deciding == 0


DEFINED_PAGE = """<html><body><main><h1>AI-riktlinje för Vattenby Vatten</h1>
<h2>Informationsklasser</h2>
<p>Klass 1 (öppen): publicerad information, till exempel taxor och pressmeddelanden.</p>
<p>Klass 2 (intern): vanlig intern information, till exempel minnesanteckningar utan kunduppgifter.</p>
<p>Klass 3 (skyddad): uppgifter om styrsystemen för vattenverken (SCADA), ledningskartor och larmrutiner.</p>
<h2>Regler</h2>
<p>Information i Klass 3 får aldrig skrivas in i något AI-verktyg.</p>
<p>Vi rekommenderar Copilot Chat för vardagliga texter och sammanfattningar.</p>
<p>Copilot Chat med företagskontot får användas för information i Klass 1 och Klass 2.</p>
<p>Frågor om riktlinjen besvaras av informationssäkerhetssamordnaren.</p>
</main></body></html>
"""


def test_the_ban_on_the_class_the_definitions_give_is_quoted_and_decides(tmp_path_factory, embedding_cache):
    manifest = MANIFEST.replace("klassby-ai", "vattenby-ai").replace(".html\"\ntitle = \"AI i arbetet\"",
                                                                     ".html\"\ntitle = \"AI-riktlinje\"")
    store = small_store(tmp_path_factory.mktemp("defined"), embedding_cache, manifest, {"vattenby-ai.html": DEFINED_PAGE})
    scada = store.ask("får jag använda copilot chat för att skriva kod till scada-systemet?", "klassby")
    assert scada.verdict == "no" and "Klass 3 får aldrig" in scada.citations[0].quote
    assert scada.flags["decided_by"] == "named_ban"     # by the class, not as the only rule quoted
    notes = store.ask("får jag använda copilot chat för att skriva minnesanteckningar?", "klassby")
    assert notes.verdict != "no"


def test_a_class_named_by_a_compound_whose_head_is_the_class_word_is_a_class():
    from assistant.info_classes import classes_named

    assert classes_named("… endast för information med konfidentialitetsnivå Låg, och endast utan inloggning") \
        == {("låg måttlig hög", 0)}
    assert classes_named("Högsta informationsklass 2 gäller") == {("number", 2)}
    assert classes_named("en klassisk bild från 2024") == set()


def test_whether_information_counts_as_a_class_is_settled_by_the_sentence_giving_its_class_not_by_a_tools_rule():
    q = analyse("Räknas ett internt PM som inte har publicerats som konfidentialitetsnivå Låg?")
    q.kind = "factual"             # as the engine's learned reader reads it (assistant/question_kind)
    tool = "Öppna AI-tjänster får användas endast för information med konfidentialitetsnivå Låg."
    floor = ("Information som inte är publicerad eller på annat sätt offentlig ska alltid behandlas som lägst nivå "
             "Måttlig.")
    d = decide(q, [Evidence(tool, tool, Norms(only=True, permit=True)), Evidence(floor, floor, Norms(oblige=True))])
    assert (d.verdict, d.deciding, d.reason) == ("no", 1, "factual_class")


LICENSED = ("Tool: Microsoft 365 Copilot (licensed users only) · Highest class: Klass 3 · Conditions: Licence approved "
            "by your manager; no personnummer, no Klass 4.")
APPROVAL = ("AI-verktyg: Microsoft Copilot Chat med kommunkontot · Högsta tillåtna informationsklass: Klass 2 (känslig) · "
            "Villkor och kommentarer: Kräver att din chef har beställt behörighet och att du har gått AI-körkortet.")


def test_a_row_of_several_requirements_is_met_when_the_question_states_each():
    """Each part of a row's comment asks something of its own: a requirement the question states in its words (in
    Swedish under an English row too), a limit on data it says is not there, a limit on classes above its own."""
    stated = analyse("Jag har en licens för Microsoft 365 Copilot som min chef har godkänt. Jag vill sammanfatta en "
                     "intern prognos som är Klass 2, inga personnummer. Får jag det?")
    assert decide(stated, _evidence(LICENSED), organisation_text=DEFINED).verdict == "yes"
    # Without the approval, or with personnummer, or at the class the row leaves out, the row stays a condition.
    for text in ("Jag har en licens för Microsoft 365 Copilot. Jag vill sammanfatta en intern prognos som är Klass 2, "
                 "inga personnummer. Får jag det?",
                 "Jag har en licens för Microsoft 365 Copilot som min chef har godkänt. Jag vill sammanfatta en intern "
                 "prognos som är Klass 2. Får jag det?"):
        assert decide(analyse(text), _evidence(LICENSED), organisation_text=DEFINED).verdict == "conditional", text
    above = analyse("Jag har en licens för Microsoft 365 Copilot som min chef har godkänt. Underlaget är Klass 4, inga "
                    "personnummer. Får jag det?")
    assert decide(above, _evidence(LICENSED), organisation_text=DEFINED).verdict != "yes"
    # A requirement of two words is said by its uncommon one, whatever the verb's tense.
    told = analyse("Min chef beställde behörighet till Copilot Chat åt mig och jag gick AI-körkortet i våras. Jag ska "
                   "sammanfatta ett underlag som är Klass 2. Får jag använda Copilot Chat?")
    assert decide(told, _evidence(APPROVAL), organisation_text=ORG_TEXT).verdict == "yes"
    half = analyse("Min chef beställde behörighet till Copilot Chat åt mig. Jag ska sammanfatta ett underlag som är "
                   "Klass 2. Får jag använda Copilot Chat?")
    assert decide(half, _evidence(APPROVAL), organisation_text=ORG_TEXT).verdict == "conditional"


def test_a_ban_on_tools_below_the_informations_least_class_does_not_hold_for_a_tool_approved_for_it():
    floor = ("4.5 Information that is not published on our website is at least Klass 2, and must not be entered into "
             "a tool approved only for Klass 1.")
    free = "Tool: Free AI tools (ChatGPT free, Gemini) · Highest class: Klass 1 · Conditions: Discouraged."
    licensed = analyse("My manager approved my Microsoft 365 Copilot licence. Can I use it to summarise an unpublished "
                       "internal forecast? It is Klass 2, no personnummer.")
    evidence = [Evidence(LICENSED, LICENSED, Norms()), Evidence(floor, floor, Norms(prohibit=True))]
    assert decide(licensed, evidence, organisation_text=DEFINED).verdict == "yes"
    # For the tool approved only below it, the ban holds.
    unpublished = analyse("Can I use ChatGPT free to summarise an unpublished internal forecast? It is Klass 2, no "
                          "personnummer.")
    evidence = [Evidence(free, free, Norms()), Evidence(floor, floor, Norms(prohibit=True))]
    assert decide(unpublished, evidence, organisation_text=DEFINED).verdict == "no"



def test_a_rows_ban_the_question_says_is_not_the_case_is_met_and_decides_yes():
    designer = ("AI-verktyg: Microsoft Designer med kommunkontot · Högsta tillåtna informationsklass: Klass 0 (öppen) "
                "· Villkor och kommentarer: Bilder får inte föreställa eller efterlikna verkliga, igenkännbara personer.")
    made_up = analyse("Affischen står redan på webbplatsen. Jag vill att Microsoft Designer gör en bild på en påhittad "
                      "familj – det är ingen riktig eller igenkännbar person. Får jag det?")
    decision = decide(made_up, _evidence(designer), organisation_text=ORG_TEXT)
    assert (decision.verdict, decision.deciding) == ("yes", 0)
    # A question that restates the ban does not deny it, nor does one that says nothing of who is in the picture.
    for text in ("Affischen står redan på webbplatsen. Jag vet att bilder inte får föreställa verkliga personer, men "
                 "får jag låta Microsoft Designer göra en bild på vår kommundirektör?",
                 "Affischen står redan på webbplatsen. Får jag låta Microsoft Designer göra en bild till den?"):
        assert decide(analyse(text), _evidence(designer), organisation_text=ORG_TEXT).verdict != "yes", text


def test_a_common_word_the_question_names_only_as_not_involved_places_it_in_no_class():
    org = ("Klass 1 Intern (internal): ordinary internal information, e.g. meeting notes.\n"
           "Klass 2 Konfidentiell (confidential): customer records, contracts.\n")
    none = analyse("Can I summarise internal meeting notes in Copilot Chat? No customer records in them.")
    assert class_floor(none, "number", org) == ("number", 1)
    some = analyse("Can I summarise internal meeting notes about a customer in Copilot Chat?")
    assert class_floor(some, "number", org) == ("number", 2)
