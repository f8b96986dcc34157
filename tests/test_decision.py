"""The decision (issue 14) and the answer's shape (issue 15): the deciding rule, the question's situation, factual
yes/no questions, the contradiction check, follow-ups that keep refusals, true sensitive-data notices and the plain
first line. Unit tests on `decide` with hand-made evidence, then the engine on the real corpus store."""
import re
from dataclasses import replace

import pytest

from assistant.answer import Answer
from assistant.engine import hold_to_deciding_rule, sensitive_notice
from assistant.question import analyse
from assistant.summary import first_line
from assistant.verdict import Evidence, Norms, contradicts, decide, norms


def ev(text: str, n: Norms | None = None, condition: str = "") -> Evidence:
    return Evidence(text, text, n if n is not None else norms(text), condition)


# -- decide -----------------------------------------------------------------------------------------------
def test_the_deciding_rule_is_named():
    q = analyse("Får jag klistra in en brukares personnummer i ChatGPT?")
    evidence = [ev("AI kan ge felaktiga svar."), ev("Personuppgifter får inte matas in i allmänt tillgängliga AI-tjänster.")]
    d = decide(q, evidence)
    assert (d.verdict, d.deciding) == ("no", 1) and d.rule.prohibit


def test_a_concession_is_no_condition():
    assert not norms("Ansvaret gäller oavsett om du använder allmänt tillgängliga AI-tjänster eller andra.").condition
    assert not norms("Du ansvarar för texten även om du tagit bort namnen.").condition
    assert norms("Om du använder en allmänt tillgänglig AI-tjänst ska du undvika personuppgifter.").condition


def test_an_only_if_rule_is_a_condition_but_an_only_scope_still_limits():
    q = analyse("Kan vi på socialtjänsten börja använda AI-funktionen i journalsystemet direkt?")
    assert q.risky
    only_if = ev("AI-funktioner i journalsystemet är tillåtna endast om funktionen har godkänts av nämnden.",
                 Norms(only=True))
    d = decide(q, [only_if])
    assert (d.verdict, d.reason) == ("conditional", "condition")
    scope = ev("AI-funktioner får användas endast när det behövs och endast i AI-portalen.", Norms(only=True))
    assert decide(q, [scope]).verdict == "no"
    # "bara" a few words before its "om" is as much a condition
    letter = analyse("Behöver översätta ett brev till Anna Test (anna.test@example.se). Kan jag köra det i Copilot Chat?")
    assert letter.risky
    only_after = ev("I Copilot Chat får du bara översätta brevet om du först har tagit bort namn och andra uppgifter "
                    "som kan identifiera mottagaren.", Norms(only=True))
    assert decide(letter, [only_after]).verdict == "conditional"


def test_an_only_rule_with_a_condition_and_a_place_is_a_condition_where_the_question_names_the_place():
    from assistant.verdict import only_place_named

    rule = "Personuppgifter får användas i en AI-tjänst endast när det är nödvändigt för uppgiften och endast i AI-portalen."
    scope = ev(rule, Norms(only=True, permit=True))
    named = analyse("får man använda personuppgifter i AI-portalen?")
    assert named.risky and only_place_named(rule, named)
    assert (decide(named, [scope]).verdict, decide(named, [scope]).reason) == ("conditional", "condition")
    for elsewhere in ("får man använda personuppgifter i Copilot Chat?", "får man använda personuppgifter i AI?",
                      "får man använda personuppgifter utanför AI-portalen?",
                      "får man använda personuppgifter i något annat än AI-portalen?"):
        assert not only_place_named(rule, analyse(elsewhere)), elsewhere
        assert decide(analyse(elsewhere), [scope]).verdict == "no", elsewhere
    # a rule of places only is met or not met by its place, as before
    assert not only_place_named("Personuppgifter får användas endast i AI-portalen.", named)


def test_a_situation_against_an_exception_to_the_scope_decides_nothing():
    from assistant.situation.reader import Situation

    q = analyse("Får jag använda Copilot Chat för att korta en text som redan är publicerad?")
    forbids = Situation("forbids", 0.9, True)
    permit = ev("Copilot Chat får användas för öppen information.", Norms(permit=True))
    scope = Evidence("Riktlinjen gäller inte när kommunen köper in AI-tjänster som invånare använder.", "",
                     Norms(condition=True), "när kommunen köper in AI-tjänster", forbids)
    advice = ev("Vi avråder från gratisversioner när ett godkänt alternativ finns.", Norms(prohibit=True, condition=True))
    assert decide(q, [permit, advice, scope]).verdict == "conditional"
    # The same reading under a permission that requires it is still a no.
    required = Evidence("Copilot Chat får användas när du är inloggad med kommunkontot.", "",
                        Norms(permit=True, condition=True), "när du är inloggad med kommunkontot", forbids)
    assert decide(q, [required, advice]).verdict == "no"


def test_a_leaning_situation_and_the_rules_own_words_stated_together_meet_a_requirement():
    from assistant.situation.reader import Situation

    leans = Situation("allows", 0.6, False)            # the reader's most likely reading, below its trusted threshold
    row = "AI-verktyg: Solbacka Assistenten · Villkor: Kräver att din chef har beställt behörighet och att du har gått AI-körkortet"
    rule = Evidence(row, row, Norms(permit=True, condition=True), "", leans)
    stated = analyse("Chefen har beställt behörighet åt mig och jag har gjort AI-körkortet. Får jag använda Solbacka "
                     "Assistenten för ett utskick?")
    assert decide(stated, [rule]).verdict == "yes"
    # Not from the words alone, nor from words the question denies or only asks with.
    assert decide(stated, [replace(rule, situation=Situation("depends", 0.6, False))]).verdict == "conditional"
    denied = analyse("Chefen har inte beställt behörighet och jag har inte gjort AI-körkortet. Får jag använda "
                     "Solbacka Assistenten?")
    assert decide(denied, [rule]).verdict == "conditional"
    asked = analyse("Får jag använda Solbacka Assistenten om chefen har beställt behörighet och jag har AI-körkortet?")
    assert decide(asked, [rule]).verdict == "conditional"
    # a sentence's words count together, though "och" splits it into clauses
    duty = "Den som ska använda SkrivStöd måste först genomgå kommunens introduktion i AI och informationssäkerhet."
    training = Evidence(duty, duty, Norms(oblige=True, condition=True), "", leans)
    permit = ev("SkrivStöd får användas för minnesanteckningar.", Norms(permit=True))
    done = analyse("Jag jobbar på upphandlingsenheten och har gått introduktionen i AI och informationssäkerhet. Får jag "
                   "använda SkrivStöd för minnesanteckningar?")
    assert decide(done, [permit, training]).verdict == "yes"


def test_a_bans_exception_the_situation_reader_reads_as_allowing_lifts_it():
    from assistant.situation.reader import Situation

    text = ("Uppgifter som omfattas av sekretess får inte skrivas in i någon AI-tjänst, med undantag för SkrivStöd, där "
            "sekretessbelagda uppgifter får hanteras om de inte omfattas av sekretess enligt 26 kap. "
            "offentlighets- och sekretesslagen (socialtjänst och hälso- och sjukvård).")
    q = analyse("Vi har anbud som omfattas av sekretess (upphandlingssekretess alltså, inget från socialtjänst eller "
                "vård). Får jag använda SkrivStöd för att sammanfatta dem?")
    for label, verdict in (("allows", "yes"), ("depends", "conditional")):
        ban = Evidence(text, text, Norms(prohibit=True, condition=True), text[text.index("med undantag"):text.index(" kap.")],
                       Situation(label, 0.95, True))
        assert decide(q, [ban]).verdict == verdict, label
    # with a duty on the user beside it that the question says is met (confidential material is what it is about, not
    # what settles who may use the tool), the exception decides and the duty is quoted after it
    duty = "Den som ska använda SkrivStöd måste först genomgå kommunens introduktion i AI och informationssäkerhet."
    ban = Evidence(text, text, Norms(prohibit=True, condition=True), text[text.index("med undantag"):text.index(" kap.")],
                   Situation("allows", 0.95, True))
    training = Evidence(duty, duty, Norms(oblige=True, condition=True), "", Situation("allows", 0.6, False))
    told = analyse("Vi har anbud som omfattas av sekretess (upphandlingssekretess, inget från socialtjänst eller vård, "
                   "och inga personuppgifter i dem). Jag har gått kommunens introduktion i AI och informationssäkerhet. "
                   "Får jag låta SkrivStöd sammanfatta anbuden?")
    d = decide(told, [ban, training])
    assert (d.verdict, d.deciding, d.reason) == ("yes", 0, "exception_met")


def test_a_leaning_situation_and_an_exception_the_question_says_is_not_the_case_allow():
    from assistant.situation.reader import Situation

    text = ("Regel 8 gäller inte nämndsammanträden som sänds offentligt; den offentliga sändningen får textas med AI "
            "utom när sammanträdet behandlar ärenden bakom stängda dörrar.")
    rule = Evidence(text, text, Norms(permit=True, condition=True),
                    "utom när sammanträdet behandlar ärenden bakom stängda dörrar", Situation("allows", 0.7, False))
    q = "Vi sänder nämndens sammanträden öppet. Får vi låta AI texta sändningen? {}"
    assert decide(analyse(q.format("Det är inga ärenden bakom stängda dörrar på nästa möte.")), [rule]).verdict == "yes"
    # not when the question says the exception is the case, nor on the words alone
    assert decide(analyse(q.format("På nästa möte behandlas ärenden bakom stängda dörrar.")), [rule]).verdict != "yes"
    assert decide(analyse(q.format("Det är inga ärenden bakom stängda dörrar på nästa möte.")),
                  [replace(rule, situation=Situation("depends", 0.7, False))]).verdict == "conditional"


def test_a_bare_condition_the_situation_reader_finds_irrelevant_is_no_condition_of_the_answer():
    from assistant.situation.reader import Situation

    scope = ("Den gäller inte när kommunen bygger eller köper in AI-tjänster som invånare använder direkt, till "
             "exempel en chattbot på solbacka.se.")
    permit = ev("Du får använda Copilot Chat för att planera och skriva interna texter.", Norms(permit=True))
    bare = Evidence(scope, scope, Norms(condition=True), "", Situation("irrelevant", 0.8, False))
    q = analyse("Får jag använda Copilot Chat för att planera en personalfest?")
    assert decide(q, [permit, bare]).verdict == "yes"
    # Read as bearing on the question, or not read at all, it stays a condition; so does a duty under a condition.
    assert decide(q, [permit, replace(bare, situation=Situation("depends", 0.6, False))]).verdict == "conditional"
    assert decide(q, [permit, replace(bare, situation=None)]).verdict == "conditional"
    assert decide(q, [permit, replace(bare, norms=Norms(condition=True, oblige=True))]).verdict == "conditional"


def test_a_tool_allowed_with_the_organisations_account_is_not_allowed_with_a_private_one():
    only = ev("Med godkänd AI-tjänst avses en tjänst som IT-chefen har förtecknat som godkänd på intranätet; vid beslutet "
              "är endast Copilot Chat med kommunens konto godkänd.", Norms(only=True))
    private = analyse("får jag använda copilot chat med mitt privata microsoftkonto?")
    assert (decide(private, [only]).verdict, decide(private, [only]).reason) == ("no", "outside_only")
    assert decide(analyse("får jag använda copilot chat med kommunens konto?"), [only]).verdict == "yes"
    row = ev("Tool: Microsoft Copilot Chat (company account) · Highest class: Klass 2 · Conditions: No customer personal "
             "data at all.", Norms())
    assert decide(analyse("Can I use Copilot Chat with my private Microsoft account?"), [row]).verdict == "no"
    assert decide(analyse("Can I use Copilot Chat for an internal memo?"), [row]).verdict != "no"
    # A rule that allows a tool without the organisation's account is for a private one.
    free = ev("AI-verktyg: ChatGPT, gratisversion · Högsta tillåtna informationsklass: Klass 0 (öppen) · Villkor och "
              "kommentarer: Bara för öppen information och utan att logga in med kommunkontot", Norms(only=True))
    assert decide(analyse("kan jag använda chatgpt med mitt privata konto för en text från hemsidan?"), [free]).verdict != "no"


def test_open_information_is_settled_by_the_row_of_the_tool_asked_about():
    q = analyse("Får jag använda gratisversionen av ChatGPT för att korta ner en text som redan är publicerad?")
    advice = ev("Märkning rekommenderas även i interna underlag till nämnder.", Norms(permit=True))
    row = ev("AI-verktyg: ChatGPT, gratisversion · Högsta tillåtna informationsklass: Klass 0 (öppen) · Villkor och "
             "kommentarer: Avråds", Norms(condition=True))
    d = decide(q, [advice, row])
    assert (d.verdict, d.deciding, d.reason) == ("yes", 1, "settled")


def test_the_row_of_the_tool_asked_about_decides_before_a_rule_on_something_else_quoted_above_it():
    q = analyse("Is Le Chat ok for internal docs?")
    labelling = ev("Ja, om texten skickas till invånare eller publiceras externt och till största delen har skapats "
                   "med AI.", Norms(permit=True, condition=True),
                   "om texten skickas till invånare eller publiceras externt")
    row = ev("AI-verktyg: ChatGPT, gratisversion, och andra gratis AI-chattar (t.ex. Gemini, Le Chat) · Högsta "
             "tillåtna informationsklass: Klass 0 (öppen) · Villkor och kommentarer: Avråds.", Norms())
    classes = "Klass 0 (öppen): publicerad information. Klass 1 (intern): information som inte är publicerad."
    d = decide(q, [labelling, row], organisation_text=classes)
    assert (d.verdict, d.deciding, d.reason) == ("no", 1, "class_exceeds")


def test_designer_is_a_tool_whose_row_decides():
    from assistant.verdict import tools_in

    q = analyse("får jag göra en bild i Designer till en intern dragning med vår budget? budgeten är inte publicerad")
    assert "designer" in tools_in(q.text)
    row = ev("Tool: Image generators (Designer in Copilot) · Highest class: Klass 1 · Conditions: No images of real "
             "persons or of our actual facilities.", Norms())
    classes = ("Klass 1 Öppen (public): published or intended for publication. Information that is not published is "
               "at least Klass 2.")
    d = decide(q, [row], organisation_text=classes)
    assert (d.verdict, d.deciding, d.reason) == ("no", 0, "class_exceeds")


def test_information_stated_to_be_classified_as_open_is_open_though_what_is_made_from_it_is_not_yet_published():
    only = ev("Publika AI får bara användas för information som är klassad som öppen och som till exempel kan "
              "publiceras på www.askersund.se.", Norms(only=True))
    menu = analyse("Varje vecka lägger vi ut matsedeln på webben, och informationen är klassad som öppen. Jag vill "
                   "skriva om matsedeln till lättläst svenska med gratis ChatGPT innan den publiceras. Får jag det?")
    assert "open_info" in menu.concepts and "open_info" not in menu.absent
    assert decide(menu, [only]).verdict == "yes"
    draft = analyse("Får jag skriva ett pressmeddelande med gratis ChatGPT innan det publiceras?")
    assert "open_info" in draft.absent and decide(draft, [only]).verdict == "no"
    unclassified = analyse("Texten är inte klassad som öppen. Får jag använda gratis ChatGPT innan den publiceras?")
    assert "open_info" in unclassified.absent


def test_anonymised_information_does_not_settle_a_row_for_open_information_only():
    row = replace(ev("AI-verktyg: ChatGPT, gratisversion · Högsta tillåtna informationsklass: Klass 0 (öppen) · Villkor "
                     "och kommentarer: Avråds", Norms(permit=True)), advice=True)
    classes = "Klass 0 (öppen): publicerad information. Klass 1 (intern): allt annat."
    anonymised = analyse("har anonymiserat elevernas omdömen, får jag klistra in dem i chatgpt?")
    assert "anonymised" in anonymised.concepts
    assert decide(anonymised, [row], organisation_text=classes).verdict != "yes"
    published = analyse("får jag klistra in en text som redan är publicerad på webbplatsen i chatgpt?")
    assert decide(published, [row], organisation_text=classes).verdict == "yes"


def test_a_rule_on_a_kind_of_data_the_question_says_is_absent_does_not_apply():
    personal = ev("Personuppgifter får användas i en AI-tjänst endast när det är nödvändigt för uppgiften och endast i "
                  "AI-portalen.", Norms(only=True, permit=True))
    classes = ev("Information i klass A och B får användas i samtliga godkända AI-tjänster.", Norms(permit=True))
    none = analyse("Får jag använda AI-portalen för en budgetrapport som är klassad B och inte innehåller några "
                   "personuppgifter?")
    assert decide(none, [personal, classes]).verdict == "yes"
    named = analyse("Får jag använda AI-portalen för en budgetrapport i klass B med namn på leverantörer?")
    assert decide(named, [personal, classes]).verdict == "conditional"
    # "varken … eller" names neither as involved.
    neither = analyse("Får jag använda AI-portalen för en budgetrapport i klass B? Den har varken personuppgifter "
                      "eller namn.")
    assert "personal_data" in neither.absent
    assert decide(neither, [personal, classes]).verdict == "yes"
    # The data a rule only excepts is not its subject: the permission still speaks.
    from assistant.verdict import data_subject
    assert data_subject("Personuppgifter får användas endast i AI-portalen.") == {"personal_data"}
    assert not data_subject("Copilot Chat får användas för information på nivå Måttlig, med undantag för "
                            "personuppgifter om barn och elever.")
    # A case file about a person holds personal data: a question with none has none of it.
    from assistant.language import concepts_in
    assert "personal_data" in {c.name for c in concepts_in("Uppgifter ur personakter får inte hanteras i AI-tjänster.")}


def test_a_modal_word_in_an_embedded_question_is_no_rule():
    assert norms("This guideline tells you which AI tools you may use, with what information, and what you must never "
                 "do.") == Norms()
    assert norms("Här beskrivs vilka tjänster du får använda och vad du inte får göra.") == Norms()
    # a lead-in to a list, and a rule, still are
    assert norms("Det här får du inte göra:").prohibit and norms("Du får inte klistra in personnummer.").prohibit
    assert norms("You may use Copilot Chat for internal information.").permit


def test_a_ban_on_a_way_of_using_a_tool_bans_a_question_that_involves_it():
    # "använd inte ditt privata konto …" names no word of "chatgpt plus som jag betalar själv ok för jobbet?", but
    # the way of using a tool it bans (a concept marked names_use) is the question's.
    row = replace(ev("AI-verktyg: ChatGPT, gratisversion · Högsta tillåtna informationsklass: Klass 0 (öppen) · "
                     "Villkor och kommentarer: Avråds", Norms(prohibit=True)), advice=True)
    ban = ev("Logga inte in med kommunkontot i verktyg som inte är godkända, och använd inte ditt privata konto i ett "
             "godkänt verktyg för arbetsuppgifter.", Norms(prohibit=True))
    paid = analyse("chatgpt plus som jag betalar själv 💳 ok för jobbet?")
    assert (decide(paid, [row, ban]).verdict, decide(paid, [row, ban]).deciding) == ("no", 1)
    assert decide(analyse("får jag använda chatgpt för jobbet?"), [row, ban]).verdict != "no"
    # An hourly-paid substitute speaks of no subscription of their own.
    assert "paid_private" not in analyse("I'm an hourly-paid substitute. Do the AI rules apply to me?").concepts


def test_an_exception_for_a_kind_of_data_the_question_says_is_absent_holds_whatever_the_situation_reader_reads():
    from assistant.situation.reader import Situation

    cond = "om inte testet omfattar personuppgifter eller uppgifter med nivå Hög"
    rule = Evidence(f"Förvaltningschefen får medge undantag från regel 2 för ett tidsbegränsat test, {cond}.",
                    f"Förvaltningschefen får medge undantag från regel 2 för ett tidsbegränsat test, {cond}.",
                    Norms(permit=True, condition=True), cond, Situation("forbids", 0.9, False))
    stated = analyse("Förvaltningschefen har medgett ett test i två månader och vi kör bara påhittade exempeltexter, "
                     "inga personuppgifter. Får vi testa verktyget?")
    assert decide(stated, [rule]).verdict == "yes"
    # With personal data in the test, or nothing said of it, the exception is not met.
    assert decide(analyse("Förvaltningschefen har medgett ett test med elevernas namn. Får vi testa verktyget?"),
                  [rule]).verdict != "yes"
    assert decide(analyse("Förvaltningschefen har medgett ett test. Får vi testa verktyget?"), [rule]).verdict != "yes"
    # A condition that names the data without excepting it is not met by its absence, nor failed.
    before = "innan personuppgifter används i ett AI-system"
    duty = Evidence(f"En konsekvensbedömning ska göras {before}.", f"En konsekvensbedömning ska göras {before}.",
                    Norms(oblige=True, condition=True), before)
    from assistant.verdict import settled

    assert settled(duty, analyse("Får jag använda AI för en text utan personuppgifter?")) is None


def test_advice_against_is_a_condition_not_an_outright_ban():
    advice = Evidence("Undvik att publicera AI-genererade texter som nära liknar en känd förlaga.",
                      "Undvik att publicera AI-genererade texter som nära liknar en känd förlaga.",
                      Norms(prohibit=True), advice=True)
    permit = ev("Öppna AI-tjänster får användas för information på nivå Låg.", Norms(permit=True))
    q = analyse("Får jag använda gratis ChatGPT för ett utkast till en nyhet som ska publiceras på webbplatsen?")
    assert decide(q, [advice, permit]).verdict == "conditional"
    # Read as forbidding, the same words are a ban.
    assert decide(q, [replace(advice, advice=False), permit]).verdict == "no"


def test_a_yes_no_question_under_a_conditional_scope_is_settled_by_what_it_states():
    from assistant.situation.reader import Situation

    q = analyse("Jag är förtroendevald och använder bara min privata dator. Omfattas jag av reglerna?")
    assert q.kind == "factual"
    scope = "Förtroendevalda omfattas när de använder kommunens utrustning eller konton i sitt uppdrag."
    assert decide(q, [ev(scope)]).verdict == "conditional"       # the situation unread: the condition stays open
    for label, trusted, verdict in (("forbids", True, "no"), ("allows", True, "yes"), ("forbids", False, "conditional")):
        read = Evidence(scope, scope, norms(scope), "", Situation(label, 0.95, trusted))
        d = decide(q, [ev("Reglerna gäller för alla anställda."), read])
        assert (d.verdict, d.deciding) == (verdict, 1)


def test_skipping_a_duty_is_no():
    q = analyse("Kan jag skicka en text som AI har skrivit till en invånare utan att granska den först?")
    assert q.skipped.startswith("granska")
    evidence = [ev("AI kan användas för att skriva utkast."), ev("Texter som AI har skrivit ska alltid granskas av en människa.")]
    d = decide(q, evidence)
    assert (d.verdict, d.deciding, d.reason) == ("no", 1, "skipped_duty")
    # The same question without skipping anything is not decided by the duty.
    assert decide(analyse("Kan jag skicka en text som AI har skrivit till en invånare?"), evidence).reason != "skipped_duty"
    # "without" a kind of data says what is not involved, not a duty left out; "without" an analysis is one.
    assert analyse("Can I use Copilot Chat for internal documents without personal data?").skipped == ""
    assert analyse("May I feed personal data into an AI system without any GDPR analysis?").skipped
    # A check not made, in everyday words: the verb names the duty, and "alltid" with an imperative states one.
    unchecked = analyse("Copilot föreslog en hänvisning till en lag. Jag har inte hunnit kolla den. "
                        "Kan jag använda den?")
    assert unchecked.skipped.startswith("kolla") and "human_review" in unchecked.concepts
    assert analyse("I haven't checked the figures yet. Can I send them to the board?").skipped.startswith("checked")
    always = ev("Granska alltid texten innan du använder den, och kontrollera sakuppgifter mot en tillförlitlig "
                "källa.")
    assert always.norms.oblige and decide(unchecked, [always]).reason == "skipped_duty"
    assert norms("Granska därför alltid resultatet innan det används.").oblige
    assert not norms("Det är alltid du som ansvarar för resultatet.").oblige


def test_what_the_question_says_is_absent_lifts_a_ban_on_it_but_never_a_plain_negation():
    ban = ev("Dela aldrig personuppgifter i Copilot Chat.", Norms(prohibit=True))   # as the rule reader reads it
    permit = ev("Copilot Chat får användas för utkast till texter.")
    q = analyse("Får jag använda Copilot Chat för ett infoblad om föräldragruppen? Inga personuppgifter, bara tider.")
    assert "personal_data" in q.absent and decide(q, [ban, permit]).verdict == "yes"
    # A customer's details are a person's: "inga kunduppgifter" says none are involved.
    q = analyse("Får jag använda Copilot Chat för vår interna rutin? Det finns inga kunduppgifter i den.")
    assert "personal_data" in q.absent and decide(q, [ban, permit]).verdict == "yes"
    assert decide(analyse("Får jag använda Copilot Chat för kunduppgifter?"), [ban, permit]).verdict == "no"
    # "får jag inte dela namn?" still involves names.
    q = analyse("Får jag inte dela namn på brukare i Copilot Chat?")
    assert not q.absent and decide(q, [ban, permit]).verdict == "no"
    # Saying nothing about the information: the ban is a condition, not a yes.
    assert decide(analyse("Får jag använda Copilot Chat för ett infoblad?"), [ban, permit]).verdict == "conditional"
    # On condition that it is not put in, it is not involved; not knowing whether it is, it is.
    nacka = ev("Känsliga personuppgifter eller uppgifter som omfattas av sekretess enligt Offentlighets- och "
               "sekretesslagen (OSL) får inte delas i allmänt tillgängliga AI-tjänster.", Norms(prohibit=True))
    for text in ("får man använda chatgpt om man inte skriver in personuppgifter?",
                 "Can I use ChatGPT as long as I don't include any personal data?",
                 "får jag använda chatgpt för ett dokument om det inte finns personuppgifter i det?",
                 "can I use ChatGPT if it doesn't contain personal data?"):
        q = analyse(text)
        assert "personal_data" in q.absent and decide(q, [nacka]).verdict == "conditional", text
    unsure = analyse("if I don't know whether it has personal data, can I use ChatGPT?")
    assert not unsure.absent and decide(unsure, [nacka]).verdict == "no"
    # Information the question says is public: the ban on secret data holds nothing, whatever words they share
    # ("offentligt" and "Offentlighets- och sekretesslagen").
    public = analyse("får jag använda chatgpt för att översätta ett offentligt beslut?")
    assert "open_info" in public.concepts and decide(public, [nacka]).verdict != "no"
    assert "open_info" in analyse("Can I use ChatGPT to translate a public brochure into English?").concepts


def test_an_english_rule_in_the_imperative_is_a_ban_and_a_private_subscription_finds_it():
    from assistant.language import concepts_in

    rule = ("4.8 Do not use a private account or a private paid subscription for company work, and do not register "
            "for AI services with your company e-mail address unless the tool is approved.")
    assert norms(rule).prohibit and norms("Do not paste customer data into AI tools.").prohibit
    assert not norms("If you do not know, ask your manager.").prohibit
    assert not norms("We do not recommend free tools.").prohibit
    # A paid version of one's own, however it is said, is what such a rule is about.
    paid = {c.name for c in concepts_in("chatgpt plus som jag betalar själv, ok för jobbet?")}
    assert "paid_private" in paid and "paid_private" in {c.name for c in concepts_in(rule)}
    assert "paid_private" in {c.name for c in concepts_in("Betalversioner som du själv har köpt är inte godkända.")}
    assert "paid_private" not in {c.name for c in concepts_in("Vilka kunder har obetalda fakturor?")}
    q = analyse("Can I use my own ChatGPT Plus subscription for company work with Klass 1 information?")
    assert decide(q, [ev(rule)]).verdict == "no"


def test_a_ban_whose_exception_the_question_states_alone_is_a_yes_from_the_exception():
    from assistant.summary import first_line

    cond = "om inte den ansvariga nämnden har fattat ett särskilt beslut om att tillåta det för en viss ärendetyp"
    ban = ev(f"AI får inte användas för att ta fram förslag till beslut, {cond}.", Norms(prohibit=True, condition=True),
             condition=cond)
    stated = analyse("Nämnden har fattat ett särskilt beslut om att tillåta det för ärendetypen strandskyddsdispens. "
                     "Får vi låta AI ta fram förslag till beslut?")
    decision = decide(stated, [ban])
    assert (decision.verdict, decision.deciding, decision.reason) == ("yes", 0, "exception_met")
    assert not contradicts(decision.verdict, decision.rule)
    # Another rule still open beside it keeps it a condition; a question that states nothing leaves the ban standing.
    duty = ev("Den som använder AI ska först ha gått kommunens introduktion.", Norms(oblige=True, condition=True))
    assert decide(stated, [ban, duty]).verdict != "yes"
    assert decide(analyse("Får vi låta AI ta fram förslag till beslut?"), [ban]).verdict != "yes"
    line = first_line("sv", "yes", stated.text, [ban.text], [], [], exception=True)
    assert line.startswith("Ja, undantaget gäller: ") and line.endswith("[1].")


def test_a_rule_whose_condition_the_question_settles_is_no_requirement_left_open():
    from assistant.situation.reader import Situation

    use = "SkrivStöd får användas för att sammanfatta handlingar när du har gått introduktionen."
    allowed = Evidence(use, use, Norms(permit=True, condition=True), "när du har gått introduktionen",
                       Situation("allows", 0.97, True))
    test = "Förvaltningschefen får medge undantag för ett test, om inte testet omfattar personuppgifter."
    other = Evidence(test, test, Norms(permit=True, condition=True), "om inte testet omfattar personuppgifter",
                     Situation("depends", 0.6, False))
    q = analyse("Jag har gått introduktionen. Det finns inga personuppgifter i anbuden. Får jag sammanfatta dem i SkrivStöd?")
    assert decide(q, [allowed, other]).verdict == "yes"
    # a condition the question does not settle stays open
    silent = analyse("Jag har gått introduktionen. Får jag sammanfatta anbuden i SkrivStöd?")
    assert decide(silent, [allowed, other]).verdict == "conditional"


def test_a_ban_whose_exception_the_question_names_in_its_own_words_allows_it():
    ban = ev("AI får inte användas vid handläggning av ärenden som rör myndighetsutövning mot enskild, med undantag "
             "för språkgranskning av allmänna informationstexter och mallar.", Norms(prohibit=True, condition=True))
    d = decide(analyse("Får jag använda AI för att språkgranska en mall för bygglovsbeslut?"), [ban])
    assert (d.verdict, d.reason) == ("yes", "exception_met")
    # one word of it is not enough: a decision to a named person is no template
    named = analyse("Får jag använda AI för att språkgranska ett beslut om bistånd till en namngiven person?")
    assert decide(named, [ban]).verdict != "yes"


def test_a_no_from_a_permission_says_the_rule_is_what_is_allowed():
    pilot = "I piloten får transkribering i Microsoft Teams användas i interna möten i de två förvaltningarna."
    line = first_line("sv", "no", "Får vi på socialförvaltningen köra Teams-transkribering?", [pilot], [], [], permits=True)
    assert line == f"Nej, reglerna tillåter bara detta: {pilot[:-1]} [1]."
    assert first_line("en", "no", "Can we?", [pilot], [], [], permits=True).startswith("No, the rules only allow this: ")
    assert first_line("sv", "no", "Får vi?", [pilot], [], []).startswith("Nej: I piloten")


def test_whether_information_counts_as_a_class_is_answered_by_the_class_its_sentence_names():
    protected = ev("Uppgifter om skyddad identitet är Klass 3 och får aldrig skrivas in i något AI-verktyg.",
                   Norms(prohibit=True))
    q = analyse("Räknas uppgifter om skyddad identitet som klass 3?")
    assert q.kind == "factual"
    # (the negation after the class is about entering it, not about the class)
    assert (decide(q, [protected]).verdict, decide(q, [protected]).reason) == ("yes", "factual_class")
    assert decide(analyse("Räknas uppgifter om skyddad identitet som klass 2?"), [protected]).verdict == "no"
    # A class the sentence denies it is; a least class above the one asked; a least class that may be the one asked.
    never = ev("Information som inte är publicerad får aldrig behandlas som klass A.", Norms(prohibit=True))
    assert decide(analyse("Räknas vårt opublicerade PM som klass A?"), [never]).verdict == "no"
    floor = ev("Information som inte är publicerad räknas alltid som lägst Klass 1 (intern).")
    assert decide(analyse("Räknas ett opublicerat PM som Klass 0?"), [floor]).reason == "factual_class"
    assert decide(analyse("Räknas ett opublicerat PM som Klass 0?"), [floor]).verdict == "no"
    assert decide(analyse("Räknas ett opublicerat PM som Klass 2?"), [floor]).reason != "factual_class"


def test_a_ban_on_unpublished_information_does_not_hold_for_published_information():
    ban = ev("4.5 Information that is not published on our website is at least Klass 2, and must not be entered into "
             "a tool approved only for Klass 1.", Norms(prohibit=True))
    published = analyse("Can I use ChatGPT to rewrite a press release that has already been published?")
    assert decide(published, [ban]).verdict != "no"
    assert decide(analyse("Can I use ChatGPT to rewrite our internal minutes?"), [ban]).verdict == "no"
    # Information that is only going to be published is not published yet, unless the question says which class it
    # is; and one that is out already is.
    coming = analyse("Vårt pressmeddelande ska ut på webbplatsen på måndag, så det borde väl räknas som öppet? Kan jag "
                     "putsa det i gratis ChatGPT?")
    assert "open_info" in coming.concepts and coming.to_be_published
    assert decide(coming, [ban]).verdict == "no"
    out = analyse("Pressmeddelandet ska publiceras på webbplatsen och ligger redan ute. Kan jag putsa det i ChatGPT?")
    assert not out.to_be_published and decide(out, [ban]).verdict != "no"
    told = analyse("Rapporten är Klass 1 eftersom den ska publiceras på webbplatsen. Kan jag använda ChatGPT till den?")
    assert told.to_be_published and decide(told, [ban]).verdict != "no"


def test_common_words_shared_with_a_bans_condition_never_make_a_yes():
    ban = ev("A tool may not be used, tested or piloted with company information before it has been approved.",
             Norms(prohibit=True, condition=True), condition="before it has been approved")
    q = analyse("Can I use ChatGPT to rewrite a press release that has already been published?")
    assert decide(q, [ban]).reason != "exception_met"


def test_a_conditional_ban_whose_condition_the_question_states_is_a_no():
    rule = ev("Om det inte har gjorts en analys av behandlingen utifrån GDPR är det olagligt att mata in personuppgifter.",
              Norms(prohibit=True, condition=True), condition="Om det inte har gjorts en analys av behandlingen utifrån GDPR")
    stated = analyse("Vi har inte gjort någon GDPR-analys, men kan jag mata in en elevlista med namn i ett AI-verktyg?")
    assert decide(stated, [rule]).verdict == "no"
    done = analyse("Vi har gjort en GDPR-analys av behandlingen. Kan jag mata in en elevlista i ett AI-verktyg?")
    assert decide(done, [rule]).verdict != "no"


def test_a_ban_with_an_exception_bans_what_it_names_outside_the_exception():
    exception = "utom när det gäller att formulera eller språkgranska platsannonser"
    ban = ev(f"AI får inte användas för att bedöma eller rangordna arbetssökande, {exception}.",
             Norms(prohibit=True, condition=True), condition=exception)
    row = ev("AI-tjänst: Microsoft Copilot Chat med kommunkonto · Låg: Ja · Måttlig: Ja · Hög: Nej",
             Norms(permit=True, condition=True))
    ranking = decide(analyse("Får jag låta Copilot rangordna de sökande till ekonomtjänsten?"), [row, ban])
    assert (ranking.verdict, ranking.deciding) == ("no", 1)
    # The exception itself, and what the ban does not name, are not banned by it.
    assert decide(analyse("Får jag låta Copilot språkgranska platsannonsen till ekonomtjänsten?"), [row, ban]).verdict != "no"
    assert decide(analyse("Får jag låta Copilot sammanfatta protokollet från nämnden?"), [row, ban]).verdict != "no"
    # Asked in English, by the glossary's Swedish for its words ("rank" -> "rangordna").
    english = decide(analyse("Can I let Copilot rank the applicants for our accountant position?"), [row, ban])
    assert (english.verdict, english.deciding) == ("no", 1)
    assert decide(analyse("Can I let Copilot summarise the board's minutes?"), [row, ban]).verdict != "no"
    # Asked whether it may be done at all, the exception is what the answer depends on.
    at_all = decide(analyse("Får vi använda AI över huvud taget när vi rangordnar arbetssökande?"), [row, ban])
    assert at_all.verdict == "conditional" and 1 in at_all.conditions


def test_a_definition_is_about_its_term_not_a_rule_on_using_it():
    from assistant.verdict import names_what_is_asked

    q = analyse("jag har inte gått grundutbildningen, får jag använda ai-portalen?")
    definition = ("AI-portalen: kommunens upphandlade AI-tjänst med drift inom EU, där leverantörens avtal förbjuder att "
                  "kommunens data används för att träna AI-modeller.")
    assert not names_what_is_asked(definition, q)
    assert names_what_is_asked("AI-portalen får inte användas för uppgifter om klienter.", q)


def test_what_a_question_asks_a_tool_to_do_is_not_part_of_the_tools_name():
    from assistant.verdict import what_is_asked

    assert "rangordna" in what_is_asked(analyse("Får jag låta Copilot rangordna de sökande?"))
    assert not {"chat", "plus"} & what_is_asked(analyse("får jag använda copilot chat eller chatgpt plus för protokollet?"))
    assert "Business" not in what_is_asked(analyse("Kan jag använda GitHub Copilot Business för webbkod?"))


def test_a_sentence_with_two_rules_is_read_by_the_clause_the_question_is_about():
    rule = ev("AI får inte ersätta mänskliga beslut i ärenden som påverkar individens rättigheter utan ska användas som stöd "
              "i beslutsfattandet.")
    support = analyse("Får jag använda AI som stöd när jag förbereder ett beslut, om det är jag som fattar beslutet?")
    assert decide(support, [rule]).verdict == "yes"
    replace = analyse("Får AI ersätta mänskliga beslut i ärenden om bistånd?")
    assert decide(replace, [rule]).verdict == "no"


@pytest.mark.parametrize("sentence, verdict", [
    ("Policyn gäller för anställda, privata utförare och förtroendevalda.", "yes"),
    ("Policyn gäller inte för privata utförare eller förtroendevalda.", "no"),
    ("Policyn gäller för alla anställda i kommunen.", "info"),
])
def test_factual_questions_are_settled_by_the_sentence_that_names_what_is_asked(sentence, verdict):
    q = analyse("Gäller AI-policyn för privata utförare och förtroendevalda?")
    assert q.kind == "factual"
    d = decide(q, [ev("AI kan effektivisera arbetet."), ev(sentence)])
    assert d.verdict == verdict and (d.deciding == 1 or verdict == "info")


def test_a_verdict_against_its_deciding_rule_falls_back_to_conditional():
    answer = Answer(question="q", organisation="nacka", language="sv", verdict="yes", text="")
    hold_to_deciding_rule(answer, {"prohibit": True, "only": False, "condition": False, "permit": False, "oblige": False})
    assert answer.verdict == "conditional" and answer.flags["contradiction"] == "yes"
    answer = Answer(question="q", organisation="nacka", language="sv", verdict="no", text="")
    hold_to_deciding_rule(answer, {"prohibit": True, "only": False, "condition": False, "permit": False, "oblige": False})
    assert answer.verdict == "no" and "contradiction" not in answer.flags


# -- notices ----------------------------------------------------------------------------------------------
def test_a_notice_claims_a_detection_only_when_something_was_masked():
    assert sensitive_notice(analyse("Vad säger policyn om sekretess?")) is None
    assert sensitive_notice(analyse("Räknas uppgifter om hälsa som känsliga personuppgifter?")) is None
    kind, text = sensitive_notice(analyse("Får jag klistra in ett utdrag ur en socialtjänstakt i Copilot?"))
    assert kind == "reminder" and "innehåller" not in text and text.startswith("Påminnelse")
    kind, text = sensitive_notice(analyse("Kan jag skicka 19121212-1212 till ChatGPT?"))
    assert kind == "detected" and "personnummer" in text


# -- the first line ---------------------------------------------------------------------------------------
def test_first_line_repeats_the_rules_verbatim_with_their_markers():
    quotes = ["Allmänt tillgängliga AI-tjänster får bara användas med öppen information.",
              "Uppgifter som omfattas av sekretess får inte delas där."]
    line = first_line("sv", "no", "Får jag?", quotes, [], [])
    assert line == "Nej: Allmänt tillgängliga AI-tjänster får bara användas med öppen information [1]."
    line = first_line("sv", "conditional", "Får jag?", quotes, ["", "om tjänsten är upphandlad av kommunen"], [1, 2])
    assert line == ("Ja, under villkor: Allmänt tillgängliga AI-tjänster får bara användas med öppen information [1]; "
                    "och om tjänsten är upphandlad av kommunen [2].")
    # A condition too short to say anything alone ("innan du använder den") is shown with its rule.
    check = "Granska alltid texten innan du använder den, och kontrollera sakuppgifter mot en tillförlitlig källa."
    line = first_line("sv", "conditional", "Får jag?", [check], ["innan du använder den"], [1])
    assert line == f"Ja, under villkor: {check[:-1]} [1]."
    assert first_line("en", "info", "What?", quotes, [], []) == ""


def test_a_first_line_clause_does_not_open_with_the_word_that_joined_it():
    rule = ("4.8 Do not use a private account or a private paid subscription for company work, and do not register "
            "for AI services with your company e-mail address unless the tool is approved.")
    line = first_line("en", "no", "Can I sign up for a new AI service with my work e-mail?", [rule], [], [])
    assert line == "No: do not register for AI services with your company e-mail address [1]."


# A bulleted list that OCR ran into one line (Norsjö's risk classes).
RISK_ITEMS = ("o Begränsad risk: Dessa system kräver särskilda transparenskrav, som exempelvis att informera användare "
              "om att de interagerar med AI o Minimal risk: AI-tjänst som utgör en liten eller ingen risk omfattas "
              "inte av specifika krav")


def test_a_first_line_repeats_one_item_of_a_list_that_ocr_ran_into_one_line():
    question = "Måste vi informera användarna om ett system med begränsad risk?"
    line = first_line("sv", "yes", question, [RISK_ITEMS], [], [])
    assert line == ("Ja: Begränsad risk: Dessa system kräver särskilda transparenskrav, som exempelvis att informera "
                    "användare om att de interagerar med AI [1].")


def test_first_line_never_cuts_after_an_abbreviation_and_marks_a_cut_rule():
    rule = ("Meeting transcription (e.g. Teams transcription with Copilot) is permitted only in internal meetings where "
            "all participants have been told at the start of the meeting and where no Klass 3 or Klass 4 information "
            "is discussed.")
    line = first_line("en", "conditional", "Kan vi köra Teams-transkribering på styrelsemötet?", [rule], [""], [1])
    assert line.startswith("Yes, under conditions: Meeting transcription (e.g. Teams transcription with Copilot) is")
    # 28 words of a 36-word clause: the cut is marked, never passed off as the whole rule.
    assert line.endswith("and where no … [1].")
    short = "Du får använda AI, t.ex. Copilot Chat, för att skriva om texter."
    assert first_line("sv", "yes", "Får jag?", [short], [], []) == f"Ja: {short[:-1]} [1]."
    # Nor inside parentheses: what they explain stays whole.
    listed = ("Skriv aldrig in personnummer, samordningsnummer eller känsliga personuppgifter (till exempel uppgifter om "
              "hälsa, etniskt ursprung, politiska åsikter, religion eller sexualliv) i en AI-tjänst – inte heller i Copilot "
              "Chat eller SkrivStöd.")
    line = first_line("sv", "no", "Får jag klistra in uppgifter om hälsa och religion?", [listed], [], [])
    assert line.count("(") == line.count(")") and "sexualliv)" in line
    # A short head before the clause chosen is said with it: the ban, not only the list of what it is on.
    line = first_line("sv", "no", "far jag anvanda copilot for ett mejl om ett barns franvaro?", [listed], [], [])
    assert line.startswith("Nej: Skriv aldrig in personnummer, samordningsnummer") and line.endswith(" … [1].")
    # An FAQ answer's own "Ja," is not repeated after the verdict, least of all after "Nej"; nor is a bare "Nej.".
    faq = "Ja, i Solbacka Assistenten, om brevet inte innehåller personnummer eller känsliga personuppgifter."
    assert first_line("sv", "no", "Får jag?", [faq], [], []) == f"Nej: {faq[4:-1]} [1]."
    assert first_line("sv", "no", "Får jag?", ["Nej. Det får du inte göra."], [], []) == "Nej: Det får du inte göra [1]."
    # A clause too short to stand alone takes the clause before it, which it refers back to.
    duty = ("För att lyckas med detta ska varje användare följa ett antal anvisningar: AI är ett arbetsverktyg och den "
            "som använder det är ansvarig för resultatet, detta genom att granska, rätta och vid behov rapportera "
            "felaktigheter i den information som produceras vid användning av AI.")
    line = first_line("sv", "yes", "måste jag granska det ai:n skriver?", [duty], [], [])
    assert line == ("Ja: AI är ett arbetsverktyg och den som använder det är ansvarig för resultatet, detta genom att "
                    "granska [1].")


# -- the engine on the corpus -----------------------------------------------------------------------------
def test_engine_quotes_the_deciding_rule_first_and_opens_with_it(assistant):
    answer = assistant.ask("Får jag mata in uppgifter som omfattas av sekretess i en gratis AI-tjänst?", "nacka")
    assert answer.verdict == "no" and answer.citations[0].deciding
    assert not any(c.deciding for c in answer.citations[1:])
    first = answer.text.splitlines()[0]
    assert first.startswith("Nej: ") and re.search(r"\[1\]( \(.*\))?\.$", first)
    clause = re.sub(r"^Nej: | \[1\]( \(.*\))?\.$", "", first).removesuffix(" …")
    assert clause in " ".join(answer.citations[0].quote.split())
    # A rule the first line quotes whole is quoted once, with where it stands.
    if clause == " ".join(answer.citations[0].quote.split()).rstrip(" .;:,!?"):
        assert answer.text.count(clause) == 1 and f"({answer.citations[0].title})" in first


def test_an_unrelated_follow_up_is_refused_as_it_would_be_first(assistant):
    history = [{"question": "Får jag använda ChatGPT med personuppgifter?", "answer": "Nej."}]
    alone = assistant.ask("Hur bokar jag friskvårdstimmen på intranätet?", "nacka")
    after = assistant.ask("Hur bokar jag friskvårdstimmen på intranätet?", "nacka", history=history)
    assert alone.verdict == after.verdict == "not_covered"
    # A continuation still takes its context from the previous question.
    followup = assistant.ask("Och om uppgifterna är anonymiserade?", "nacka", history=history)
    assert followup.verdict != "not_covered" and followup.flags["followup"]
    # A short question made only of everyday words, none of them in any document, is refused after one on AI too;
    # one that asks who or points back leans on the history.
    lunch = assistant.ask("vad har vi för lunch idag?", "nacka", history=history)
    assert lunch.verdict == "not_covered" and lunch.flags["followup"]
    assert assistant.ask("vem ringer jag då?", "nacka", history=history).verdict != "not_covered"


def test_a_follow_up_with_a_subject_no_document_mentions_is_judged_alone():
    from assistant.question import foreign_subject

    from assistant.terms import key

    keys = {key(w) for w in ("copilot", "chatt", "personuppgifter", "kontakta")}
    assert foreign_subject("vad har vi för lunch idag?", keys)
    assert not foreign_subject("när slutar den?", keys)            # points back
    assert not foreign_subject("vem ringer jag?", keys)             # asks who, of what was said before
    assert not foreign_subject("och copilot chatt?", keys)          # every word of its own is in the documents


def test_a_message_that_says_more_about_the_previous_question_continues_it(assistant):
    history = [{"question": "Får jag använda ChatGPT för att skriva om en text från kommunen?", "answer": "…"}]
    more = analyse("det är ett pressmeddelande som går ut imorgon, inte publicerat än", history)
    assert more.followup and more.continues and more.kind == "permission"
    assert analyse("Texten är en sammanfattning jag skrivit utifrån en utredning", history).continues
    # Telling something else, or asking without a question mark, is judged on its own as before.
    for other in ("jag har bokat friskvårdstimmen på fredag", "berätta hur många semesterdagar jag har"):
        assert not analyse(other, history).continues
        assert assistant.ask(other, "nacka", history=history).verdict == "not_covered"
    assert assistant.ask("det är ett pressmeddelande som går ut imorgon, inte publicerat än", "nacka",
                         history=history).verdict != "not_covered"


@pytest.mark.parametrize("question, kind", [
    ("Hur länge får vi spara chattloggarna?", "info"),                 # "får vi" is part of the how-long question
    ("Vem får använda Copilot Chat?", "info"),
    ("Hur är det, får jag använda ChatGPT för utkast?", "permission"),  # "får jag" opens a clause of its own
    ("Får jag använda ChatGPT för utkast?", "permission"),
    ("Omfattas de kommunala bolagen av riktlinjen?", "factual"),
    # The who/how question after a sentence of context; its "får vi" belongs to its own how-clause.
    ("Vi vill börja med ett nytt AI-verktyg. Vem vänder vi oss till, och hur snabbt får vi besked?", "info"),
    ("Vem bestämmer det? Och får jag använda Copilot?", "permission"),
    ("kan ai rangordna medarbetarna inför lönesättningen?", "permission"),     # may AI be used to …
    ("ok, och när är nästa sammanträde med socialnämnden?", "info"),
    ("Kan AI vara ett stöd i arbetet?", "info"),
])
def test_the_kind_of_question(question, kind):
    assert analyse(question).kind == kind


def test_information_that_is_not_open_breaks_a_rule_for_open_information_only():
    only = ev("Publika AI-tjänster får bara användas för öppen information.", Norms(only=True, permit=True))
    for question in ("public AI with non-public info ok?", "Får jag använda ChatGPT med information som inte är publicerad?",
                     # not yet published is not published
                     "Får jag använda Gemini för en pressrelease om nya priser innan den publicerats?",
                     "Can I use ChatGPT for a press release before it is published?"):
        d = decide(analyse(question), [only])
        assert (d.verdict, d.reason) == ("no", "outside_only"), question
    assert decide(analyse("Får jag använda ChatGPT med text som redan ligger på webbplatsen?"), [only]).verdict == "yes"


def test_an_only_rule_restricts_to_what_follows_its_only():
    # "… minst Klass 2 (känslig) och får därför bara hanteras i Solbacka Assistenten" restricts to a place: a question
    # with no sensitive personal data ("inga känsliga personuppgifter") is not outside it for the class's name.
    only = ev("Uppgifter som omfattas av sekretess är alltid minst Klass 2 (känslig), och får därför bara hanteras i "
              "Solbacka Assistenten.", Norms(only=True))
    q = analyse("Får jag låta Solbacka Assistenten jämföra anbud som omfattas av sekretess? De innehåller inga "
                "känsliga personuppgifter.")
    assert "sensitive_data" in q.absent and decide(q, [only]).reason != "outside_only"
    place = ev("Känsliga personuppgifter får bara hanteras i Solbacka Assistenten.", Norms(only=True))
    assert decide(q, [place]).reason != "outside_only"
    assert decide(q, [ev("Copilot Chat får bara användas för känsliga personuppgifter.", Norms(only=True))]).reason \
        == "outside_only"


def test_a_ban_does_not_cover_what_it_exempts():
    ban = ev("Information som inte är offentlig får inte föras in i någon AI-tjänst annan än Copilot Chat med kommunens konto.",
             Norms(prohibit=True))
    assert decide(analyse("Kan jag använda Copilot Chat för att språkgranska en mall?"), [ban]).verdict != "no"
    assert decide(analyse("Kan jag använda Gemini för att språkgranska en mall?"), [ban]).verdict == "no"


def test_absence_reaches_over_a_coordination():
    q = analyse("Can I use Copilot to summarise a supplier contract? No personal data or personnummer in it.")
    assert "personal_data" in q.absent and "personal_data" not in q.concepts


def test_an_unmet_condition_of_a_duty_is_not_a_no():
    duty = ev("Om uppgifter om en klient har förts in i en AI-tjänst ska medarbetaren kontakta sin enhetschef.",
              Norms(condition=True, oblige=True), condition="Om uppgifter om en klient har förts in i en AI-tjänst")
    assert decide(analyse("Får jag använda Copilot Chat för ett infoblad? Inga klientuppgifter."), [duty]).verdict != "no"


@pytest.mark.parametrize("question", [
    "Får jag sammanfatta ett internt protokoll som inte har några personuppgifter?",
    "Can I summarise the minutes? We don't have any names in them.",
    # a negated verb of what it is about, the second of two things too
    "Vi pratar inte om sekretessuppgifter eller om enskilda invånare. Får jag slå på transkribering i Teams?",
    "Mallen innehåller inte personuppgifter. Får jag språkgranska den?",
    "We never discuss customers or personal data there. Can I transcribe the meeting?",
])
def test_absence_said_with_a_negated_verb(question):
    assert "personal_data" in analyse(question).absent


@pytest.mark.parametrize("question", [
    "Jag har inte tagit bort personuppgifterna. Får jag använda Copilot Chat?",   # a negated deed: still involved
    "Får jag inte dela namn i Copilot Chat?",
])
def test_a_negated_deed_or_question_does_not_say_data_is_absent(question):
    q = analyse(question)
    assert "personal_data" in q.concepts and "personal_data" not in q.absent


@pytest.mark.parametrize("question, sentence, verdict", [
    # One named subject and a predicate of the same kind settle it; the predicate alone does not.
    ("Omfattas våra familjehem av IFO-instruktionen?",
     "Familjehem och kontaktpersoner omfattas inte av instruktionen.", "no"),
    ("Gäller riktlinjen för förtroendevalda också?", "Förtroendevalda omfattas inte av riktlinjen.", "no"),
    ("Är Midjourney godkänt hos oss?", "Godkänd AI-tjänst – en tjänst i kommunens förteckning.", "info"),
    # Whom a scope question asks about is its subject, however common the word ("eleverna", "politiker") ...
    ("Gäller de här AI-reglerna även för eleverna när de använder AI på lektionerna?",
     "Elevers användning av AI i undervisningen regleras av barn- och utbildningsnämnden och omfattas inte heller.", "no"),
    # ... in the asking sentence, not the setting told before it.
    ("Jag jobbar på ett av de kommunala bolagen. Omfattas vi också av reglerna för AI?",
     "Samtliga medarbetare och förtroendevalda i kommunen och de kommunala bolagen.", "yes"),
])
def test_a_factual_question_about_one_subject(question, sentence, verdict):
    d = decide(analyse(question), [ev(sentence)], names="Instruktion för AI-tjänster inom Individ- och familjeomsorgen")
    assert d.verdict == verdict


def test_a_scope_question_about_the_asker_is_settled_by_the_sentence_naming_their_unit():
    # "oss" is the unit the setting names ("Jag jobbar på Funktionsstöd"), so the sentence naming it settles the
    # question, not the one naming what the asking sentence also names (IFO).
    q = analyse("Jag jobbar på Funktionsstöd inom socialförvaltningen. Gäller IFO:s skärpta AI-instruktion för oss också?")
    q.kind = "factual"
    evidence = [ev("Instruktionen gäller inte avdelningarna Äldreomsorg och Funktionsstöd, som följer AI-policyn."),
                ev("Instruktionen gäller alla som arbetar inom IFO: socialsekreterare, handläggare och behandlare.")]
    d = decide(q, evidence, names="Instruktion för AI-tjänster inom Individ- och familjeomsorgen")
    assert (d.verdict, d.deciding) == ("no", 0)



@pytest.mark.parametrize("question, sentence, verdict", [
    # Common English words name what is asked in a Swedish policy through the glossary (assistant/data/domain.toml).
    ("Are the trade unions represented in the AI council (AI-rådet)?",
     "I AI-rådet ingår digitaliseringschefen och en representant för de fackliga organisationerna.", "yes"),
    ("Do the rules apply to the municipal companies too?", "De kommunala bolagen omfattas inte av reglerna.", "no"),
])
def test_an_english_yes_no_question_names_a_swedish_sentence_through_the_glossary(question, sentence, verdict):
    q = analyse(question)
    q.kind = "factual"
    assert decide(q, [ev(sentence)], names="Regler för AI i Gransjö kommun").verdict == verdict

def test_an_english_question_on_a_voice_or_video_is_named_by_a_swedish_ban_through_the_glossary():
    ban = ev("Bilder, röster eller videor som efterliknar verkliga personer får inte skapas.", Norms(prohibit=True))
    permit = ev("AI-genererade bilder får användas i kommunens kommunikation om de märks.", Norms(permit=True, condition=True))
    d = decide(analyse("Can I make a video where an AI voice imitates our chairman?"), [permit, ban])
    assert (d.verdict, d.deciding) == ("no", 1)


def test_an_english_duty_question_finds_the_swedish_requirement_through_the_glossary():
    q = analyse("Do I need the AI driving licence to use Solbacka Assistenten?")
    q.kind = "factual"
    advice = ev("Vi rekommenderar att du använder Solbacka Assistenten eller Copilot Chat framför gratistjänster.")
    row = ev("AI-verktyg: Solbacka Assistenten · Högsta tillåtna informationsklass: Klass 2 (känslig) · Villkor och "
             "kommentarer: Kräver att din chef har beställt behörighet och att du har gått AI-körkortet")
    d = decide(q, [advice, row], names="AI i arbetet – det här gäller")
    assert (d.verdict, d.deciding) == ("yes", 1)


def test_a_form_of_the_documents_own_name_is_not_what_a_yes_no_question_asks_about():
    # "handledningen" is "Handledning för …" (its key is longer than the title word's), so "förtroendevalda" alone is
    # what is asked, and the sentence that names them settles it.
    q = analyse("gäller handledningen för förtroendevalda?")
    q.kind = "factual"
    scope = ev("Samtliga medarbetare och förtroendevalda i kommunen och de kommunala bolagen.")
    d = decide(q, [ev("Handledningens syfte är att ge en praktisk vägledning."), scope],
               names="Handledning för AI-användning i Nacka kommun")
    assert (d.verdict, d.deciding) == ("yes", 1)


def test_the_organisations_own_name_does_not_name_a_company_named_after_it():
    q = analyse("jobbar på havslundahem, gäller ai-policyn för oss?")
    q.kind = "factual"                 # as the learned question-kind reader reads it in the engine
    scope = ev("Policyn gäller för samtliga nämnder och förvaltningar i Havslunda kommun, för anställda som arbetar åt kommunen.")
    companies = ev("De kommunala bolagen Havslunda Hamn AB och Havslundahem AB omfattas inte av policyn.")
    names = "Havslunda kommun Policy för användning av artificiell intelligens i Havslunda kommun"
    assert decide(q, [scope], names=names).verdict == "info"
    d = decide(q, [scope, companies], names=names)
    assert (d.verdict, d.deciding) == ("no", 1)


def test_a_name_in_the_question_is_what_it_asks_about_however_common_its_words():
    q = analyse("Gäller AI-reglerna för oss som jobbar på Solbacka Bostäder?")
    q.kind = "factual"
    companies = ev("De kommunala bolagen, Solbacka Bostäder AB och Solbacka Vatten AB, omfattas inte.")
    d = decide(q, [companies], names="Solbacka kommun AI i arbetet – det här gäller")
    assert (d.verdict, d.deciding) == ("no", 0)
    # A tool's product word is not a name of what is asked.
    tool = analyse("Måste jag gå en utbildning innan jag använder Copilot Chat?")
    tool.kind = "factual"
    chat = ev("Copilot Chat ska inte användas för känsliga uppgifter.")
    assert decide(tool, [chat], names="Solbacka kommun").verdict == "info"


def test_what_the_asking_sentence_names_outweighs_the_setting_before_it():
    q = analyse("Jag har gjort en bild i Microsoft Designer med kommunkontot till en affisch som ska publiceras. "
                "Måste bilden märkas?")
    q.kind = "factual"
    row = ev("AI-verktyg: Bildgeneratorer (Microsoft Designer med kommunkontot) · Villkor: Inga bilder av verkliga "
             "personer, inte heller med kommunkontot.")
    marking = ev("Bilder som publiceras ska märkas med texten AI-genererad bild.")
    d = decide(q, [row, marking], names="Solbacka kommun")
    assert (d.verdict, d.deciding) == ("yes", 1)


def test_an_outright_ban_on_what_the_question_names_decides_beside_other_rules():
    ban = ev("Skriftliga beslut och kallelser till klienter får inte översättas med AI.", Norms(prohibit=True))
    advice = ev("AI-tjänster får användas om informationsklassen tillåter det.", Norms(permit=True, condition=True),
                condition="om informationsklassen tillåter det")
    q = analyse("Can I use AI to translate a kallelse for a client into Tigrinya?")
    assert decide(q, [advice, ban]).verdict == "no" and decide(q, [advice, ban]).deciding == 1
    # A tool name is where a ban applies, not what it is about.
    tool_ban = ev("Personuppgifter om elever får inte skrivas in i Copilot Chat.", Norms(prohibit=True))
    other = analyse("Får jag använda Copilot Chat för att skriva en intern rutin?")
    assert decide(other, [advice, tool_ban]).verdict != "no"


def test_a_hyphenated_compound_is_as_specific_as_its_longest_part():
    from assistant.terms import specific_words

    assert "anläggnings-id" in specific_words("the kund's anläggnings-ID", "en")
    assert "ai-tjänster" not in specific_words("alla AI-tjänster", "sv")


def test_a_factual_yes_under_the_sentences_own_condition_is_conditional():
    q = analyse("Omfattas förtroendevalda av de tillfälliga reglerna?")
    d = decide(q, [ev("Förtroendevalda omfattas när de använder kommunens utrustning eller konton i sitt uppdrag.")])
    assert d.verdict == "conditional" and d.conditions == (0,)
    # A clause that says when, not whether, leaves the yes.
    q = analyse("Måste dataskyddsombudet kontaktas?")
    assert decide(q, [ev("Dataskyddsombudet ska kontaktas innan personuppgifter behandlas på ett nytt sätt.")]).verdict == "yes"
    # A clause that names what is asked says whom the rules are for, not a condition on it.
    q = analyse("Omfattas förtroendevalda av reglerna?")
    d = decide(q, [ev("Reglerna beskriver vad som gäller när medarbetare och förtroendevalda använder AI-tjänster i arbetet.")])
    assert d.verdict == "yes"


def test_what_the_question_does_without_is_not_under_a_ban_on_it():
    q = analyse("Jag vill använda gratis ChatGPT, utan att logga in med något kommunkonto, för en publicerad text.")
    ban = ev("Logga inte in med kommunkontot i verktyg som inte är godkända.", Norms(prohibit=True))
    assert {"logga", "kommun"} <= q.absent_words and decide(q, [ban]).verdict != "no"
    # What it does without ends where the purpose starts: the published price list is what it is about.
    q = analyse("Får jag använda gratis-ChatGPT, utan att logga in med jobbkontot, för att skriva om vår publicerade "
                "prislista på enklare svenska?")
    assert "logga" in q.absent_words and not {"public", "prisli"} & q.absent_words
    assert q.skipped == "logga in med jobbkontot"
    # A list of what is skipped keeps its commas.
    assert analyse("Kan jag skicka texten utan att läsa igenom den, kontrollera fakta eller fråga chefen?").skipped == \
        "läsa igenom den, kontrollera fakta eller fråga chefen"


def test_a_short_question_pointing_back_continues_the_previous_one():
    history = [{"question": "Får vi använda Teams-transkribering i piloten?", "answer": "…"}]
    assert analyse("får vi använda det på byggnadsnämndens sammanträde också?", history).continues


def test_a_question_opening_with_not_even_or_asking_what_follows_then_continues_the_previous_one():
    history = [{"question": "Får vi låta Teams skriva mötesanteckningar på avdelningsmötet?", "answer": "…"}]
    assert analyse("inte ens om alla på mötet säger ok till det?", history).continues
    assert analyse("chefen har godkänt det för just det här mötet. kör jag då?", history).continues
    assert analyse("and if a customer joins? what then?", history).continues
    # a question of its own after a thank-you does not
    assert not analyse("tack! vad kostar en copilot-licens per månad för vår enhet?", history).continues
    # what "it", the tool asked about before, may do asks what the question before asked
    tool = [{"question": "Får jag använda Copilot Chat för att skriva ett tjänsteutlåtande?", "answer": "…"}]
    it = analyse("kan den också ta fram förslaget till beslut? gäller ett biståndsärende", tool)
    assert it.continues and it.kind == "permission"
    assert analyse("Can it also draft the decision itself for the applicant?", tool).continues
    assert not analyse("kan det vara bra att fråga chefen först om vi vill testa något nytt?", tool).continues


def test_a_message_opening_with_also_or_even_continues_the_previous_one():
    history = [{"question": "Får jag använda ChatGPT i jobbet?", "answer": "…"}]
    also = analyse("även för att formulera ett omdöme om en elevs sociala förmåga, om jag tar bort namnet?", history)
    assert also.followup and also.continues and also.kind == "permission"
    assert analyse("också för att skriva ett utkast till en nyhet som ska ut på webben?", history).continues
    assert analyse("also for drafting a news item for our website?", history).continues
    # a word that merely starts the same way opens nothing
    assert not analyse("ävenledes undrar jag vem som är dataskyddsombud hos oss numera, vet du det?", history).continues


def test_a_ban_beside_a_permission_is_found_through_compounds_but_not_tool_names():
    from assistant.engine import names_part_of

    assert names_part_of({"nämndsammanträden"}, {"sammanträde"})
    assert not names_part_of({"sammanfatta"}, {"sammanträde"})


def test_a_follow_up_needs_the_kind_of_answer_beside_a_word_of_its_own():
    from assistant.engine import asks_for_absent

    history = [{"question": "Vem ska godkänna en ny AI-tjänst inom IFO?", "answer": "Socialchefen."}]
    read = ("En ny AI-tjänst inom IFO kräver tillstånd av socialchefen innan den tas i bruk. Använd verksamhetens "
            "mallar i första hand. Chatthistorik ska raderas senast efter sju dagar.")
    words = frozenset(w.lower() for w in re.findall(r"[\w-]+", read))
    # the only length of time read is the chat history's, not the permission's
    later = analyse("och hur lång tid har socialchefen på sig att ge sitt tillstånd?", history)
    assert later.followup and asks_for_absent(later, read, words, read)
    timed = read + " Socialchefen ska lämna besked om tillstånd inom tre veckor."
    assert not asks_for_absent(later, timed, words, timed)
    # asked first, the question is judged on the kind of answer anywhere in what is read, as before
    first = analyse("Hur lång tid har socialchefen på sig att ge sitt tillstånd?")
    assert not asks_for_absent(first, read, words, read)


def test_an_information_question_the_documents_cannot_answer():
    from assistant.engine import asks_for_absent

    text = "Solbacka Assistenten är kommunens upphandlade AI-assistent. Beslutad 2025-03-18, Dnr KS 2025/114."
    words = frozenset(w.lower() for w in re.findall(r"[\w-]+", text))
    assert asks_for_absent(analyse("Vilken språkmodell ligger bakom Solbacka Assistenten?"), text, words)
    assert asks_for_absent(analyse("Vad kostar en licens per månad?"), text, words)      # no amount anywhere
    assert not asks_for_absent(analyse("Vilket diarienummer har beslutet?"), text, words)
    assert not asks_for_absent(analyse("Vilket datum beslutades riktlinjen?"), text, words)
    assert not asks_for_absent(analyse("Får jag använda en språkmodell?"), text, words)   # permission: judged as such
    # the next one of something the documents never name ("nästa sammanträde") they cannot date either
    assert asks_for_absent(analyse("ok, och när är nästa sammanträde med socialnämnden?"), text, words)
    minutes = text + " Protokollet justeras vid nämndens sammanträde."
    assert not asks_for_absent(analyse("När är nästa sammanträde?"), minutes,
                               frozenset(w.lower() for w in re.findall(r"[\w-]+", minutes)))
    # The kind of answer asked for must be in what is read and quoted from, not anywhere in the documents.
    read = "Solbacka Assistenten ska utvärderas av AI-rådet innan den tas i bruk."
    assert asks_for_absent(analyse("Hur länge gäller ett godkännande?"), text + " Godkännandet gäller i två år.", words, read)
    assert not asks_for_absent(analyse("Hur länge gäller ett godkännande?"), text, words, read + " Det gäller i två år.")
    # What a question asks whether it exists must be named somewhere in the documents.
    assert asks_for_absent(analyse("Is there a shared promptbank for the staff somewhere on the intranet?"), text, words)
    assert not asks_for_absent(analyse("Finns det en AI-assistent som kommunen har upphandlat?"), text, words)
    # A size asked for ("hur stora filer …?") needs a size in what is read.
    assert asks_for_absent(analyse("hur stora filer kan man ladda upp i Solbacka Assistenten?"), text, words)
    assert not asks_for_absent(analyse("How large can an uploaded file be?"), text + " Filer får vara högst 20 MB.", words)
    # A compound asked for is named by itself, not by its first part: "information" is not "informationsklass".
    info = text + " Information som inte är offentlig får inte föras in i någon AI-tjänst."
    info_words = frozenset(w.lower() for w in re.findall(r"[\w-]+", info))
    assert asks_for_absent(analyse("vilken informationsklass har ett internt pm?"), info, info_words)
    classed = info + " Ett internt PM har informationsklassen Måttlig."
    assert not asks_for_absent(analyse("vilken informationsklass har ett internt pm?"), classed,
                               frozenset(w.lower() for w in re.findall(r"[\w-]+", classed)))


def test_an_only_rule_is_met_by_a_question_about_what_it_allows_unless_negated():
    rule = ev("Information som inte är offentlig får endast föras in i Copilot Chat med kommunens konto.",
              Norms(only=True, permit=True))
    met = analyse("Kan jag använda Copilot Chat inloggad med kommunens konto för ett internt utkast?")
    assert decide(met, [rule]).verdict == "yes"
    assert decide(analyse("Kan jag använda Gemini för ett internt utkast?"), [rule]).verdict == "conditional"
    assert decide(analyse("Kan jag använda något annat än Copilot Chat för ett utkast?"), [rule]).verdict != "yes"
    # A condition beside the "only" still has to be said.
    both = ev("Personuppgifter får användas endast i AI-portalen och när det är nödvändigt för uppgiften.",
              Norms(only=True, permit=True, condition=True))
    assert decide(analyse("Får man använda personuppgifter i AI-portalen?"), [both]).verdict != "yes"


def test_an_only_rule_on_one_edition_of_a_tool_leaves_out_its_other_editions():
    rule = ev("Med godkänd AI-tjänst avses en tjänst som IT-chefen har förtecknat som godkänd på intranätet; vid "
              "beslutet är endast Copilot Chat med kommunens konto godkänd.", Norms(only=True))
    for other in ("Får jag använda Microsoft 365 Copilot för ett internt PM utan personuppgifter?",
                  "Kan jag köra M365 Copilot på ett internt PM?"):
        assert decide(analyse(other), [rule]).verdict == "no", other
    same = analyse("Får jag använda Copilot Chat för ett internt PM utan personuppgifter?")
    assert decide(same, [rule]).verdict == "yes"
    # A plain "Copilot" may be either edition: the rule is not read as leaving it out.
    plain = analyse("Får jag använda Copilot för ett internt PM utan personuppgifter?")
    assert decide(plain, [rule]).verdict != "no"
    # A factual question on the other edition: the "only" leaves it out; on the same edition it names it.
    d = decide(analyse("Är Microsoft 365 Copilot ett godkänt AI-verktyg?"), [rule])
    assert (d.verdict, d.reason) == ("no", "other_edition")
    assert decide(analyse("Är Copilot Chat ett godkänt AI-verktyg?"), [rule]).verdict == "yes"


def test_a_duty_asked_in_a_phrase_is_settled_by_the_rule_on_the_concept_it_says():
    """"Behöver jag ange att …" asks about labelling in words no rule uses: the sentence on "märkas" settles it."""
    internal = ev("Interna rapporter behöver inte märkas.")
    q = replace(analyse("Behöver jag ange att en intern rapport är skriven med hjälp av AI?"), kind="factual")
    assert decide(q, [internal]).verdict == "no"
    chatbot = ev("Chattbotar på webbplatsen ska tydligt informera invånaren om att hen kommunicerar med en AI.")
    q = replace(analyse("Måste chatboten på webbplatsen tala om att man pratar med en AI?"), kind="factual")
    assert decide(q, [chatbot]).verdict == "yes"
    # (a phrase of a concept the rule does not speak to settles nothing)
    q = replace(analyse("Behöver jag ange att rapporten är intern?"), kind="factual")
    assert decide(q, [ev("Personuppgifter får inte matas in i AI-tjänster.")]).verdict == "info"


def test_a_scanner_word_the_question_says_is_not_involved_is_not_risky():
    assert not analyse("Ett internt utkast, det finns ingen sekretess och inga personuppgifter i det.").risky
    assert analyse("Ett utdrag ur en akt som omfattas av sekretess.").risky
    q = analyse("Bara den publicerade lagtexten, inget om något ärende eller någon klient.")
    assert "personal_data" in q.absent


# -- list items, exceptions, described material -------------------------------------------------------------
def _item(passage_text: str, item: str, reading: dict | None = None):
    """A sentence of a real `Passage` (the lead-in is read from the passage text, as at answer time)."""
    import numpy as np

    from assistant.retrieval import Passage
    from assistant.sentence_index import Sentence

    start = passage_text.index(item)
    rules = ({"start": start, "end": start + len(item), **reading},) if reading else ()
    p = Passage("p1", passage_text, "d", "Doc", "org", True, "policy", "5", 0, len(passage_text), rules=rules)
    return Sentence(p, start, start + len(item), np.zeros(3, dtype=np.float32))


def test_a_list_item_is_under_its_lead_ins_modality_with_its_own_condition():
    from assistant.verdict import sentence_norms

    allowed = ("Följande är tillåtet i godkända AI-tjänster:\n\n- att skriva utkast till allmän information,\n"
               "- att språkgranska en egen text, om texten inte innehåller uppgifter om klienter.")
    none = {"modality": "none", "confidence": 0.9, "condition": ""}
    plain = sentence_norms(_item(allowed, "att skriva utkast till allmän information,", none))
    assert plain.permit and not plain.condition and not plain.prohibit
    cond = {"modality": "none", "confidence": 0.9, "condition": "om texten inte innehåller uppgifter om klienter"}
    conditional = sentence_norms(_item(allowed, "att språkgranska en egen text, om texten inte innehåller uppgifter om klienter.", cond))
    assert conditional.permit and conditional.condition
    banned = "Det är inte tillåtet att:\n\n- mata in personnummer,\n- låta AI fatta beslut."
    assert sentence_norms(_item(banned, "låta AI fatta beslut.", none)).prohibit
    # A lead-in without a norm ("Exempel är:") gives its items none; an item's own norm is kept over its lead-in's.
    examples = "Exempel på AI är:\n\n- chattbotar,\n- bildanalys."
    assert sentence_norms(_item(examples, "bildanalys.", none)) == Norms()
    own = "Följande är tillåtet:\n\n- att skriva utkast,\n- men personnummer får aldrig matas in."
    assert sentence_norms(_item(own, "men personnummer får aldrig matas in.", None)).prohibit


def test_an_exception_holds_when_the_question_says_what_it_names_is_not_the_case():
    from assistant.verdict import condition_state

    rule = ev("Den offentliga sändningen får textas med AI utom när sammanträdet behandlar ärenden bakom stängda dörrar.",
              Norms(permit=True, condition=True), condition="utom när sammanträdet behandlar ärenden bakom stängda dörrar")
    open_meeting = analyse("Sammanträdet sänds på webben och inga ärenden behandlas bakom stängda dörrar. Får vi texta det med AI?")
    closed = analyse("Sammanträdet behandlar ärenden bakom stängda dörrar. Får vi texta sändningen med AI?")
    assert condition_state(rule, open_meeting) is True and condition_state(rule, closed) is False
    assert decide(closed, [rule]).verdict == "no"
    # A ban with an exception: the question about the excepted thing is not under it; the rest is.
    ban = ev("AI får inte användas för att bedöma arbetssökande, utom när det gäller att språkgranska platsannonser.",
             Norms(prohibit=True, condition=True), condition="utom när det gäller att språkgranska platsannonser")
    assert condition_state(ban, analyse("Får jag låta AI språkgranska platsannonser?")) is False
    assert condition_state(ban, analyse("Får AI bedöma arbetssökande när det inte gäller att språkgranska platsannonser?")) is True
    # The negation read is that of the part of the question that speaks of the condition, not another part's.
    unless = ev("AI får inte ta fram förslag till sådana beslut, om inte den ansvariga nämnden har fattat ett särskilt beslut "
                "om det.", Norms(prohibit=True, condition=True),
                condition="om inte den ansvariga nämnden har fattat ett särskilt beslut om det")
    decided = analyse("Nämnden har fattat ett särskilt beslut om det, och det finns inga personnummer i ärendena. "
                      "Får SkrivStöd ta fram förslag till beslut?")
    assert condition_state(unless, decided) is False
    assert condition_state(unless, analyse("Nämnden har inte fattat något särskilt beslut om det. Får AI ta fram förslag?")) is True


def test_a_yes_rests_on_a_permission_about_what_is_asked():
    # A recommendation read as a permission, about publishing, does not allow drafting a decision.
    q = analyse("Kan jag be Copilot skriva ett utkast till beslut i ett bygglovsärende? Jag granskar det sen.")
    other = ev("Text som publiceras och som till största delen har skapats med AI bör märkas.", Norms(permit=True))
    assert decide(q, [other]).verdict != "yes"
    about = ev("AI får användas för att skriva utkast till beslut, som handläggaren granskar.", Norms(permit=True))
    assert decide(q, [about]).verdict == "yes"
    # An English rule speaks to a Swedish question through the glossary, a follow-up with the question before it.
    history = [{"question": "Får AI bestämma vilka kunder som ska stängas av?", "answer": "Nej."}]
    followup = analyse("men kan den hjälpa mig att skriva brevet till kunden?", history)
    letter = ev("AI may help you draft a letter, but a named employee makes and signs the decision.", Norms(permit=True))
    assert decide(followup, [letter]).verdict == "yes"
    # A permission for what the question says does not hold ("I'm not a manager") permits nothing; what the question
    # states elsewhere is not denied ("… for the front-end code. No OT code involved.").
    manager = ev("Any manager may request a new AI tool by submitting the form.", Norms(permit=True))
    denied = decide(analyse("I'm not a manager. Can I submit the form myself?"), [manager])
    # ... and says no, as a permission under a condition that is not met (no contradiction with its rule)
    assert (denied.verdict, denied.reason, denied.deciding) == ("no", "denied", 0)
    assert not contradicts(denied.verdict, denied.rule)
    # not while another rule leaves a condition open
    other = ev("Du får bara använda verktyg som finns i tabellen.", Norms(only=True))
    assert decide(analyse("I'm not a manager. Can I submit the form myself?"), [manager, other]).verdict == "conditional"
    assert decide(analyse("I'm a manager. Can I submit the form myself?"), [manager]).verdict == "yes"
    web = ev("GitHub Copilot Business may be used for office IT and web code.", Norms(permit=True))
    stated = analyse("I use GitHub Copilot Business for front-end web code. No OT code is involved. Is that allowed?")
    assert decide(stated, [web]).verdict == "yes"


def test_a_permission_excepts_what_the_question_is_about():
    # "får användas …, med undantag för personuppgifter om barn och elever" does not permit the pupils' names.
    rule = ev("Copilot Chat får användas för information på nivå Måttlig, med undantag för personuppgifter om barn och elever.",
              Norms(permit=True))
    names = analyse("Får jag låta Copilot Chat skriva omdömen med elevernas namn? Det är bara nivå Måttlig.")
    d = decide(names, [rule])
    assert (d.verdict, d.reason, d.deciding) == ("no", "excepted", 0) and d.rule.prohibit
    # Not when the question says the excepted thing is absent, nor by a word the permission itself uses.
    assert decide(analyse("Får jag låta Copilot Chat sammanfatta ett PM på nivå Måttlig? Inga elever eller barn nämns."),
                  [rule]).verdict == "yes"
    meeting = ev("Den offentliga sändningen av nämndsammanträden får textas med AI utom när sammanträdet behandlar ärenden "
                 "bakom stängda dörrar.", Norms(permit=True, condition=True),
                 condition="utom när sammanträdet behandlar ärenden bakom stängda dörrar")
    open_meeting = analyse("Byggnadsnämndens sammanträde sänds offentligt och inga ärenden behandlas bakom stängda dörrar. "
                           "Får vi texta sändningen med AI?")
    assert decide(open_meeting, [meeting]).reason != "excepted"
    # Nor for another of the organisation's tools than the one the permission is for.
    skrivstod = analyse("Får jag göra en deltagarlista med elevernas namn i SkrivStöd? Det är bara nivå Måttlig.")
    allowed = frozenset({"copilot chat", "skrivstöd"})
    assert decide(skrivstod, [rule], allowed=allowed).reason != "excepted"
    assert decide(names, [rule], allowed=allowed).reason == "excepted"


def test_a_permission_unless_a_class_does_not_hold_for_information_of_that_class():
    grant = ev("Förvaltningschefen får medge undantag från regel 2 för ett tidsbegränsat test, om inte testet omfattar "
               "personuppgifter eller uppgifter med nivå Hög.", Norms(permit=True, condition=True),
               condition="om inte testet omfattar personuppgifter eller uppgifter med nivå Hög")
    hog = analyse("Förvaltningschefen har sagt ok till att vi testar ett AI-verktyg som inte är godkänt. Vi vill "
                  "prova det på anbuden – de har nivå Hög men det finns inga personuppgifter i dem. Funkar det med "
                  "undantaget?")
    d = decide(hog, [grant])
    assert (d.verdict, d.reason) == ("no", "condition_fails")
    assert decide(replace(hog, text=hog.text.replace("nivå Hög", "nivå Låg")), [grant]).reason != "condition_fails"
    # Only where the rule names what is asked: any use of such information is no test.
    other = analyse("Anbuden har nivå Hög och inga personnummer. Kan jag använda SkrivStöd för att sammanfatta dem?")
    assert decide(other, [grant]).reason != "condition_fails"


def test_a_compound_whose_head_a_permission_excepts_is_excepted():
    rule = ev("Copilot Chat får användas för information på nivå Måttlig, med undantag för personuppgifter om barn "
              "och elever.", Norms(permit=True))
    q = analyse("Får jag lägga in en närvarolista med namnen på gymnasieeleverna i Copilot Chat? Nivå Måttlig.")
    assert (decide(q, [rule]).verdict, decide(q, [rule]).reason) == ("no", "excepted")
    rooms = analyse("Får jag lägga in en lista med skolans lokaler i Copilot Chat? Nivå Måttlig.")
    assert decide(rooms, [rule]).verdict == "yes"


def test_the_situation_reader_lifts_a_ban_by_its_exception_only_for_a_question_naming_it():
    from assistant.situation.reader import Situation

    ban = ev("AI får inte användas vid handläggning av ärenden som rör myndighetsutövning mot enskild, med undantag "
             "för språkgranskning av allmänna informationstexter och mallar.", Norms(prohibit=True, condition=True),
             condition="med undantag för språkgranskning av allmänna informationstexter och mallar")
    ban = replace(ban, situation=Situation("allows", 0.99, True))
    summary = analyse("I ett ärende om bygglov vill jag att Copilot Chat sammanfattar vad plan- och bygglagen säger, "
                      "så att jag kan använda det i min bedömning av ansökan. Får jag det?")
    assert decide(summary, [ban]).verdict != "yes"
    review = analyse("Får jag låta Copilot Chat språkgranska en mall för beslut om bygglov?")
    assert decide(review, [ban]).verdict != "no"


def test_a_ban_on_data_about_the_public_is_not_about_the_staffs_own_data():
    from assistant.verdict import asked_subjects, rule_subjects

    ban = ev("Personnummer och andra personuppgifter om invånare får inte föras in i någon AI-tjänst, inte heller i "
             "Copilot Chat.", Norms(prohibit=True))
    assert rule_subjects(ban.text) == {"public"} and rule_subjects("No customer personal data at all.") == {"public"}
    permit = ev("Information som inte är offentlig får föras in i Copilot Chat med kommunens konto.",
                Norms(permit=True))
    rota = analyse("Jag gör ett internt schema med kollegornas namn och vilka veckor de har jour – inget om invånare "
                   "och ingen sekretess. Får jag använda Copilot Chat med kommunens konto?")
    assert asked_subjects(rota) == {"staff"} and decide(rota, [ban, permit]).verdict != "no"
    # Data about someone the organisation serves stays under it, whatever the group is called ("en sökande").
    applicant = analyse("Får jag språkgranska ett beslut om försörjningsstöd till en namngiven sökande i Copilot Chat?")
    assert decide(applicant, [ban, permit]).verdict == "no"
    both = analyse("Får jag lägga in kollegornas och invånarnas namn i Copilot Chat?")
    assert decide(both, [ban, permit]).verdict == "no"


def test_general_guidance_quoted_beside_the_rules_decides_nothing():
    # Advice to whoever writes a policy ("Klargör att AI inte får fatta myndighetsbeslut") is no rule of the asker's.
    advice = replace(ev("Klargör att AI inte får fatta myndighetsbeslut.", Norms(prohibit=True)), binding=False)
    row = ev("Copilot Chat får användas för intern information.", Norms(permit=True))
    q = analyse("Kan jag låta Copilot Chat sammanfatta vår interna kvartalsrapport?")
    assert decide(q, [advice, row]).verdict == "yes"
    assert decide(q, [replace(advice, binding=True), row]).verdict == "no"


def test_what_a_document_tells_those_it_leaves_out_is_no_ban_on_the_asker():
    told = ev("Familjehem, kontaktpersoner och andra uppdragstagare omfattas inte av instruktionen, men ska informeras "
              "av ansvarig handläggare om att uppgifter om placerade barn aldrig får föras in i AI-tjänster.",
              Norms(prohibit=True))
    allowed = ev("Följande är tillåtet i godkända AI-tjänster: att sammanfatta eller förklara offentliga texter.",
                 Norms(permit=True))
    q = analyse("Jag jobbar på IFO. Får jag låta Copilot Chat förklara en publicerad dom inför vår utbildningsdag?")
    assert decide(q, [told, allowed]).verdict != "no"
    ruled = replace(told, text="Publicerade domar får aldrig föras in i AI-tjänster.")
    assert decide(q, [ruled, allowed]).verdict == "no"


def test_what_the_asker_already_knows_of_the_rules_is_not_the_situation():
    # "Jag vet att IFO avråder från AI i texter till klienter" names no client data of the asker's.
    q = analyse("Jag jobbar på Funktionsstöd. Jag vet att IFO avråder från AI i texter till klienter. Får jag låta "
                "Copilot Chat skriva ett allmänt informationsblad? Inga namn och inga uppgifter om någon brukare.")
    assert "personal_data" not in q.concepts and "klienter" not in q.text and not q.risky
    told = analyse("Jag jobbar på Funktionsstöd. Jag vill skriva texter till klienter med Copilot Chat. Får jag det?")
    assert "personal_data" in told.concepts
    # A sentence that turns to ask keeps its question; one that is all background is kept when nothing else is.
    turned = analyse("Jag vet att Copilot Chat har ett undantag för elever – men får jag göra det här i SkrivStöd?")
    assert turned.text == "får jag göra det här i SkrivStöd?" and turned.kind == "permission"
    assert analyse("I know that Copilot is approved, but can I use it for names?").text == "can I use it for names?"
    assert analyse("Jag vet att man får använda Copilot?").text == "Jag vet att man får använda Copilot?"


def test_material_named_without_saying_it_is_absent_is_carried_data():
    from assistant.verdict import carries_data

    assert carries_data(analyse("Får jag språkgranska en text ur en personakt i Copilot Chat?"))
    assert carries_data(analyse("Får jag klistra in anna@example.se i Copilot Chat?"))
    assert not carries_data(analyse("Texten är inte hämtad ur någon personakt. Får jag språkgranska den i Copilot Chat?"))
    assert not carries_data(analyse("Får jag språkgranska en rutin i Copilot Chat?"))


def test_a_duty_the_question_says_is_not_done_yet_is_skipped():
    duty = ev("All employees must complete the e-learning before they use Microsoft 365 Copilot.")
    q = analyse("My manager approved a Copilot licence but I haven't done the e-learning yet. Can I start using it today?")
    assert decide(q, [duty]).reason == "skipped_duty"
    sv = analyse("Jag har inte gått utbildningen i AI än. Får jag använda Copilot Chat?")
    assert decide(sv, [ev("Alla ska ha gått utbildningen i AI innan de använder Copilot Chat.")]).verdict == "no"
    done = analyse("I have done the e-learning. Can I start using Copilot today?")
    assert decide(done, [duty]).reason != "skipped_duty"


def test_the_organisations_name_is_no_persons_name():
    from assistant.language import concepts_in

    assert "personal_data" not in {c.name for c in concepts_in("material som publiceras i kommunens namn")}
    assert "personal_data" in {c.name for c in concepts_in("förnamn och efternamn på en klient")}
    ban = ev("Öppna AI-tjänster får inte användas för att ta fram material som publiceras i kommunens namn, om inte "
             "kommunikationsenheten har godkänt användningen i det enskilda fallet.", Norms(prohibit=True, condition=True))
    row = ev("AI-tjänst: Öppna AI-tjänster (t.ex. ChatGPT gratis, Gemini, Claude) · Låg: Ja · Måttlig: Nej · Hög: Nej",
             Norms())
    q = analyse("Får jag använda gratis ChatGPT för att skriva en nyhet som ska publiceras på webbplatsen? Det är bara "
                "offentlig info.")
    # a ban with a condition the question does not settle is open, however open the information is
    assert decide(q, [row, ban]).verdict == "conditional"


def test_a_longer_time_than_a_rules_deadline_is_a_no():
    from assistant.verdict import beyond_deadline

    keep = "Chatthistorik i Copilot Chat som rör arbetet ska raderas senast efter sju dagar, om den inte har betydelse för ett ärende."
    monthly = analyse("jag rensar chatthistoriken i copilot en gång i månaden. räcker det?")
    assert beyond_deadline(keep, monthly)
    assert not beyond_deadline(keep, analyse("jag rensar chatthistoriken i copilot varje fredag, alltså efter fem dagar. räcker det?"))
    # a deadline on something else is not its deadline
    assert not beyond_deadline("Incidenter rapporteras till IT-enheten inom 24 timmar.", monthly)
    recordings = "Meeting recordings must be deleted within 30 days."
    assert beyond_deadline(recordings, analyse("We delete our meeting recordings after two months, is that fine?"))
    assert not beyond_deadline(recordings, analyse("We delete our meeting recordings after two weeks, is that fine?"))
    q = replace(monthly, kind="factual")
    d = decide(q, [ev(keep, Norms(oblige=True, condition=True))])
    assert (d.verdict, d.reason, d.deciding) == ("no", "beyond_limit", 0)
    permission = analyse("Får jag ha kvar chatthistoriken i Copilot och radera den efter en månad?")
    assert decide(permission, [ev(keep, Norms(oblige=True, condition=True))]).verdict == "no"


def test_a_duty_question_settled_by_a_recommendation_is_answered_no():
    q = analyse("Måste ett internt underlag till nämnden märkas om AI har skrivit det mesta?")
    assert q.kind == "factual"
    text = "Märkning rekommenderas även i interna underlag till nämnder."
    recommended = Evidence(text, text, Norms(permit=True), recommends=True)
    d = decide(q, [recommended])
    assert (d.verdict, d.reason) == ("no", "factual_recommended")
    # Read as a duty, the same sentence settles it yes; and a question that is not about a duty is not answered no.
    assert decide(q, [replace(recommended, recommends=False)]).verdict == "yes"
    assert decide(analyse("Gäller märkningen även interna underlag till nämnder?"), [recommended]).verdict == "yes"


@pytest.mark.parametrize("question", ["Är det ett krav att vi märker en publicerad text om den till största delen är skriven av AI?",
                                      "Do we have to label a published text if AI wrote most of it?"])
def test_the_verb_a_duty_question_asks_about_names_what_is_asked_however_everyday(question):
    text = "Text som publiceras och som till största delen har skapats med AI bör märkas."
    recommended = Evidence(text, text, Norms(permit=True), recommends=True)
    q = analyse(question)
    q.kind = "factual"           # as the engine's learned reader reads both (assistant/question_kind)
    d = decide(q, [recommended])
    assert (d.verdict, d.reason) == ("no", "factual_recommended")
    lead = first_line("sv", d.verdict, question, [text], [], [], recommended=True)
    assert lead.startswith("Nej, det rekommenderas men är inget krav: Text som publiceras")
    # A noun subject ("Behöver AI-lösningar testas?") leaves where the verb stands unknown: no verb is taken.
    from assistant.verdict import _duty_verb

    assert _duty_verb(analyse("Behöver AI-lösningar testas innan kommunen använder dem?")) == ""
    # A follow-up that goes on from a duty question asks that duty; one that asks something new does not.
    before = [{"question": "Måste vi märka en AI-bild på en tecknad drake till en bibliotekskampanj?", "answer": ""}]
    assert _duty_verb(analyse("och om bilden ser ut som ett riktigt foto?", before)) == "märka"
    assert _duty_verb(analyse("Vem beslutar om nya AI-tjänster?", before)) == ""
    # A sentence adverb before the verb is not it (typed without its ring too); how often the duty holds is asked.
    assert _duty_verb(analyse("Måste jag ändå anmäla det?")) == "anmäla"
    assert _duty_verb(analyse("Måste jag ända anmäla det?")) == "anmäla"
    assert _duty_verb(analyse("Must we still label it?")) == "label"
    assert _duty_verb(analyse("Måste jag alltid märka texten?")) == "alltid"


def test_a_duty_question_is_settled_by_the_sentence_that_says_it_by_the_policys_word_and_no_need_denies():
    # "markera" is how people say the policy's "märkning" (both the transparency concept): the sentence names it.
    q = analyse("behöver jag markera en intern text som ai har skrivit?")
    none = ev("För interna texter behövs ingen märkning.")
    external = ev("Text som skickas till invånare och som till största delen har skapats med AI ska märkas.")
    d = decide(q, [external, none])
    assert (d.verdict, d.deciding) == ("no", 1)
    assert decide(analyse("Does an internal memo need an AI label?"), [ev("No labelling is needed for internal memos.")]
                  ).verdict == "no"
    assert decide(analyse("Does an internal memo need an AI label?"), [ev("Internal memos are labelled.")]).verdict == "yes"


def test_a_yes_no_question_names_a_short_nouns_other_forms_by_its_stem():
    companies = ev("Kommunens helägda bolag, Gransjö Bostads AB och Gransjö Fjärrvärme AB, omfattas av reglerna först när "
                   "respektive bolagsstyrelse har beslutat att anta dem.", condition="när respektive bolagsstyrelse har "
                   "beslutat att anta dem")
    d = decide(analyse("omfattas de kommunala bolagen av reglerna?"), [companies])
    assert (d.verdict, d.deciding) == ("conditional", 0)
    # a verb's ending is not a noun's: "klassas" does not name "Klass 2"
    row = ev("AI-verktyg: Solbacka Assistenten (upphandlad AI-assistent) · Högsta tillåtna informationsklass: Klass 2")
    assert decide(analyse("Klassas Solbacka Assistenten som högrisk enligt EU:s AI-förordning?"), [row]).verdict == "info"


def test_a_negation_inside_a_condition_does_not_deny_a_factual_question():
    q = analyse("måste jag radera min chatthistorik i copilot?")
    assert q.kind == "factual"
    kept = ev("Chatthistorik i Copilot Chat som rör arbetet ska raderas senast efter sju dagar, om den inte har "
              "betydelse för ett ärende.", Norms(oblige=True, condition=True))
    d = decide(q, [kept])
    assert (d.verdict, d.reason) == ("conditional", "factual_condition")
    # A negation in the main clause, or in an exception, still denies.
    assert decide(q, [ev("Chatthistorik i Copilot Chat behöver inte raderas, om den inte har betydelse för ett ärende.")]).verdict == "no"
    # A word of exception the question asks about is its subject, not a denial.
    grant = ev("Förvaltningschefen får medge undantag från regel 2 för ett tidsbegränsat test, om inte testet omfattar "
               "personuppgifter.", Norms(permit=True, condition=True))
    asks = replace(analyse("kan förvaltningschefen ge undantag?"), kind="factual")     # as the kind reader reads it
    assert decide(asks, [grant]).verdict == "conditional"
    assert decide(analyse("Gäller regel 2 för förvaltningschefen?"),
                  [ev("Regel 2 gäller alla, med undantag för förvaltningschefen.")]).verdict == "no"
    # Nor does one in a relative clause that says which things are meant.
    form = analyse("behöver jag fylla i en blankett för att få använda ett nytt ai-verktyg?")
    request = ev("En verksamhet som vill använda en AI-tjänst som inte är godkänd ska skicka en förfrågan till "
                 "IT-enheten på blanketten \"Förfrågan om ny AI-tjänst\".", Norms(oblige=True))
    assert decide(form, [request]).verdict == "yes"
    staff = analyse("Gäller riktlinjen för förtroendevalda?")
    assert decide(staff, [ev("Förtroendevalda som inte är anställda omfattas inte av riktlinjen.")]).verdict == "no"
    # A relative clause with a subject of its own ("som kommunen inte har avtal om") says which things are meant too.
    counts = analyse("räknas Claude som en öppen AI-tjänst hos oss?")
    assert counts.kind == "factual"
    defined = ev("Öppen AI-tjänst: en AI-tjänst som kommunen inte har avtal om, till exempel gratisversionen av "
                 "ChatGPT, Gemini eller Claude.")
    assert decide(counts, [defined]).verdict == "yes"
    english = analyse("Does Claude count as an open AI service?")
    assert decide(english, [ev("Open AI service: a service which the company does not have an agreement for, such "
                               "as Claude.")]).verdict == "yes"
    assert decide(english, [ev("Claude is not an open AI service.")]).verdict == "no"
    # ... and one with an adverbial before its negation ("som var för sig inte omfattas").
    merged = replace(analyse("Kan uppgifter som var för sig inte är hemliga bli sekretessbelagda om de samkörs?"),
                     kind="factual")                                    # as the kind reader reads it
    assert decide(merged, [ev("Uppgifter som var för sig inte omfattas av sekretess kan i sammanslagen form vara "
                              "sekretessbelagda.")]).verdict == "yes"
    # Nor one that sets something else against what the sentence says ("… och inte en färdig produkt"), unless the
    # question names that other thing.
    draft = ev("Material som är genererat av AI ska ses som ett utkast och inte en färdig produkt.")
    assert decide(analyse("Ska material som AI har genererat ses som ett utkast?"), [draft]).verdict == "yes"
    assert decide(analyse("Ska material som AI har genererat ses som en färdig produkt?"), [draft]).verdict == "no"
    scope = analyse("Gäller riktlinjen för de kommunala bolagen?")
    assert decide(scope, [ev("Riktlinjen gäller alla förvaltningar, med undantag för de kommunala bolagen.")]).verdict == "no"


def test_a_ban_on_secret_information_is_not_named_by_a_question_about_an_open_report():
    q = analyse("får jag använda chatgpt för att sammanfatta en offentlig rapport?")
    assert "open_info" in q.concepts
    osl = ev("Känsliga personuppgifter eller uppgifter som omfattas av sekretess enligt Offentlighets- och "
             "sekretesslagen (OSL) får inte delas i allmänt tillgängliga AI-tjänster.")
    only_open = ev("Allmänt tillgängliga AI-tjänster får bara användas med öppen information.", Norms(only=True))
    d = decide(q, [osl, only_open])
    assert d.reason != "named_ban" and d.verdict == "yes"
    # With personal data in it, the ban holds.
    risky = analyse("får jag använda chatgpt för att sammanfatta en offentlig rapport med personnummer på brukare?")
    assert decide(risky, [osl, only_open]).verdict == "no"


def test_a_product_a_ban_names_as_where_it_applies_is_not_what_it_bans():
    ban = ev("Skriv aldrig in personnummer eller känsliga personuppgifter i en AI-tjänst – inte heller i Copilot Chat "
             "eller SkrivStöd.", Norms(prohibit=True))
    q = analyse("får jag använda skrivstöd för att sammanfatta ett protokoll?")
    assert decide(q, [ban]).reason != "named_ban"
    # A question about what the ban is about is still under it.
    assert decide(analyse("får jag skriva in personnummer i skrivstöd?"), [ban]).verdict == "no"


def test_a_factual_question_on_what_a_ban_excepts_and_on_another_tools_row():
    excepting = ev("Uppgifter som omfattas av sekretess får inte skrivas in i någon AI-tjänst, med undantag för SkrivStöd.",
                   Norms(prohibit=True, condition=True))
    d = decide(analyse("Is SkrivStöd approved for secret information?"), [excepting])
    assert (d.verdict, d.reason) == ("conditional", "factual_exception")
    # Another tool's row settles nothing about the tool asked: not a "yes" from SkrivStöd's "Hög: Ja".
    row = ev("AI-tjänst: SkrivStöd (upphandlad skriv- och sammanfattningstjänst) · Låg: Ja · Måttlig: Ja · Hög: Ja, om "
             "inte uppgifterna omfattas av sekretess", Norms(condition=True))
    assert decide(analyse("Är Copilot Chat godkänt för sekretessuppgifter?"), [row]).verdict != "yes"


def test_a_duty_whose_condition_does_not_hold_does_not_make_a_no():
    duty = ev("Om du behöver hjälp med en text som handlar om en viss person, skriv om texten så att personen inte kan "
              "identifieras innan du använder Copilot Chat.", Norms(permit=True, oblige=True, condition=True),
              condition="Om du behöver hjälp med en text som handlar om en viss person")
    q = analyse("Jag ska skriva ett veckobrev till föräldrarna, inga namn på elever och ingen viss person. Får jag ta "
                "hjälp av Copilot Chat med texten?")
    assert decide(q, [duty]).reason != "condition_fails"
    # A permission whose condition the question says does not hold is still a no.
    only_if = ev("Copilot Chat får användas om texten inte handlar om en viss person.", Norms(permit=True, condition=True),
                 condition="om texten inte handlar om en viss person")
    about = analyse("Texten handlar om en viss person. Får jag ta hjälp av Copilot Chat med texten?")
    assert decide(about, [only_if]).reason == "condition_fails"


def test_a_sentence_that_none_of_its_subject_is_so_denies_and_names_more_of_what_is_asked_than_a_definition():
    q = analyse("finns det något ai verktyg som e godkänt för klass 3 info?")
    none = ev("Ingen AI-tjänst är godkänd för information i Klass 3 (skyddsvärd).", Norms())
    assert decide(q, [none]).verdict == "no"
    assert decide(analyse("Is any AI tool approved for Klass 3?"),
                  [ev("No AI tool is approved for Klass 3 information.", Norms())]).verdict == "no"
    definition = ev("Godkänt AI-verktyg: Ett verktyg som finns med i tabellen nedan.", Norms())
    assert decide(q, [definition, none]).deciding == 1
    # "inga" inside a sentence is no denial of its subject
    from assistant.verdict import _DENIES
    assert not _DENIES.search("Copilot Chat är godkänt för klass 1, och inga andra verktyg är det.")


def test_a_condition_on_a_later_item_of_a_list_does_not_hold_for_an_earlier_one():
    scope = ev("Policyn gäller för samtliga nämnder, för anställda, praktikanter och konsulter som arbetar med kommunens "
               "konton, samt för förtroendevalda när de använder kommunens utrustning i sitt uppdrag.")
    assert decide(analyse("gäller policyn för konsulter?"), [scope]).verdict == "yes"
    d = decide(analyse("gäller policyn för förtroendevalda?"), [scope])
    assert (d.verdict, d.reason) == ("conditional", "factual_condition")
    # A condition that describes the last item ("without customer data") is that item's alone, after a plain "and".
    internal = ev("- Klass 2 Intern (internal): ordinary internal information, e.g. internal procedures and meeting "
                  "notes without customer data.")
    assert decide(analyse("Do our internal procedures count as Klass 2?"), [internal]).verdict == "yes"
    assert decide(analyse("Do our meeting notes count as Klass 2?"), [internal]).verdict == "conditional"
    # A condition on when ("när …") holds for every item.
    both = ev("Reglerna gäller för anställda och konsulter när de använder kommunens konton.")
    assert decide(analyse("gäller reglerna för anställda?"), [both]).verdict == "conditional"


def test_a_scope_condition_that_names_only_using_ai_or_what_the_question_says_holds():
    # "när de använder AI i sitt uppdrag" is what every question about an AI policy is about
    scope = ev("Policyn gäller för samtliga nämnder och förvaltningar i kommunen, för anställda, praktikanter och "
               "konsulter som arbetar med kommunens konton, samt för förtroendevalda när de använder AI i sitt uppdrag.")
    d = decide(analyse("Does the AI policy cover elected officials?"), [scope])
    assert (d.verdict, d.reason) == ("yes", "factual_stated")
    assert first_line("en", "yes", "Does the AI policy cover elected officials?", [scope.text], [], []) == \
        "Yes: för förtroendevalda när de använder AI i sitt uppdrag [1]."
    # a condition whose words the question says, in English or through the glossary in Swedish
    board = ev("2.2 It applies to members of the board of directors (styrelsen) when they use AI tools for board work, "
               "for example to summarise board papers.")
    for q in ("Does this guideline apply to board members, e.g. if someone uses Copilot to summarise the board papers?",
              "Gäller riktlinjen för styrelsen när de sammanfattar styrelsehandlingar med AI?"):
        assert decide(analyse(q), [board]).verdict == "yes", q
    # nor one whose words the question says it does not meet
    outside = analyse("Does the guideline apply to board members who do not summarise board papers with AI?")
    assert decide(outside, [board]).reason != "factual_stated"
    # one the question does not say stays a condition
    d = decide(analyse("Does the guideline apply to board members?"), [board])
    assert (d.verdict, d.reason) == ("conditional", "factual_condition")


def test_a_condition_the_question_says_holds_or_fails_settles_a_yes_no_question():
    kept = ev("Transkriberingar och inspelningar raderas senast 30 dagar efter mötet, om de inte har betydelse för ett "
              "ärende och därför ska bevaras.")
    # the question says the words of the condition's first clause, without its negation: the condition fails
    d = decide(analyse("Måste en transkribering raderas efter 30 dagar även om den har betydelse för ett ärende?"),
               [kept])
    assert (d.verdict, d.reason) == ("no", "factual_told")
    # with it: the condition holds
    d = decide(analyse("Måste en transkribering raderas efter 30 dagar om den inte har betydelse för något ärende?"),
               [kept])
    assert (d.verdict, d.reason) == ("yes", "factual_told")
    # a clause of common words only is told by those words ("när AI används" and "när kommunen använder AI")
    told = ev("Medborgare ska informeras om när AI används och ges möjlighet att förstå och ifrågasätta beslut.")
    assert decide(analyse("Ska medborgarna få veta när kommunen använder AI?"), [told]).verdict == "yes"
    # not said: still the condition
    d = decide(analyse("Måste en transkribering raderas efter 30 dagar?"), [kept])
    assert (d.verdict, d.reason) == ("conditional", "factual_condition")


def test_an_approval_the_question_says_is_still_awaited_is_not_met():
    first = ev("Ny AI-tjänst får tas i bruk först efter beslut av IT-chefen.", Norms(permit=True, condition=True))
    waiting = analyse("Jag skickade ansökan om ett nytt AI-verktyg för två veckor sedan. Kan vi börja använda det "
                      "medan vi väntar på beskedet?")
    assert waiting.pending
    assert (decide(waiting, [first]).verdict, decide(waiting, [first]).reason) == ("no", "pending_approval")
    before = ev("A tool may not be used, tested or piloted with company information before it has been approved.",
                Norms(prohibit=True, condition=True))
    en = analyse("Can we pilot the tool with real company data while we wait for the CIO's decision?")
    d = decide(en, [before])
    assert (d.verdict, d.reason, d.rule.prohibit) == ("no", "pending_approval", True)
    # Approval given, or nothing said about it: the rule's condition is not read as failing.
    for text in ("IT-chefen har fattat beslut. Kan vi börja använda det nu?", "Kan vi börja använda ett nytt AI-verktyg?"):
        q = analyse(text)
        assert not q.pending and decide(q, [first]).reason != "pending_approval"
    # Awaiting something that is not a decision is not an approval pending.
    assert not analyse("Får jag använda Copilot medan jag väntar på bussen?").pending
    # A new tool the question asks to try out, with no word of its approval, is not approved yet.
    trial = analyse("Can I sign up for a new AI transcription service with my work e-mail, just to try it out?")
    assert trial.pending
    unless = ev("Do not register for AI services with your company e-mail address unless the tool is approved.",
                Norms(prohibit=True, condition=True))
    assert (decide(trial, [unless]).verdict, decide(trial, [unless]).reason) == ("no", "pending_approval")
    assert not analyse("Vi vill testa ett nytt AI-verktyg som IT-chefen har godkänt. Får vi?").pending


def test_a_rule_that_holds_only_while_no_one_objects_is_broken_by_a_question_that_says_someone_does():
    ban = ev("Det är inte tillåtet att spela in samtal eller möten för bearbetning i en AI-tjänst utan att alla "
             "deltagare har informerats i förväg och ingen har motsatt sig det.", Norms(prohibit=True, condition=True),
             "utan att alla deltagare har informerats i förväg och ingen har motsatt sig det")
    stop = ev("Deltagarna ska informeras när mötet börjar, och inspelningen ska avbrytas om någon deltagare motsätter "
              "sig den.", Norms(oblige=True, condition=True))
    for text in ("vill spela in apt:n och låta ai göra anteckningar men en kollega säger nej, kan vi köra ändå?",
                 "Alla fick information i kallelsen, men en kollega har svarat att hon inte vill bli inspelad. Kan vi "
                 "spela in ändå?",
                 "One of the participants objects to the recording. Can we go on transcribing?",
                 "Om någon deltagare motsätter sig, kan vi spela in mötet ändå?"):
        q = analyse(text)
        assert q.objected, text
        for rule in (ban, stop):
            d = decide(q, [rule])
            assert (d.verdict, d.reason, d.rule.prohibit) == ("no", "objected", True), text
    # That no one objects, or an objection to something else than the question's doing, breaks nothing.
    for text in ("Alla har informerats i förväg och ingen har sagt nej. Får vi spela in mötet?",
                 "I tell everyone at the start and nobody has objected so far. Can I turn on transcription?",
                 # (what the asker will do if anyone objects keeps the rule)
                 "Jag informerar alla när mötet börjar och stänger av om någon invänder. Får vi spela in mötet?",
                 "Får vi spela in mötet och låta AI göra minnesanteckningar?"):
        q = analyse(text)
        assert not q.objected, text
        assert decide(q, [ban]).reason != "objected", text
    other = ev("Texter som publiceras på webbplatsen ska granskas av kommunikationsenheten.", Norms(oblige=True))
    assert decide(analyse("en kollega säger nej, får jag publicera texten ändå?"), [other]).reason != "objected"


def test_a_ban_that_names_the_asked_thing_inside_a_compound_decides_no():
    ban = ev("Funktionen får inte användas i möten där personuppgifter behandlas, och inte i nämndsammanträden.")
    permit = ev("I piloten får transkribering i Teams användas i interna möten.")
    q = analyse("Får vi använda transkribering i Teams på byggnadsnämndens sammanträde?")
    assert decide(q, [ban, permit]).reason == "named_ban"
    # "sammanfatta" shares its first letters with "sammanträde" but is not named by it.
    other = analyse("Får vi använda Teams för att sammanfatta ett internt möte?")
    assert decide(other, [ban, permit]).reason != "named_ban"


def test_a_where_or_who_clause_after_a_comma_asks_for_information_but_a_relative_clause_does_not():
    from assistant.question import question_kind

    assert question_kind("och uppgifter som omfattas av sekretess, var får de köras?") == "info"
    assert question_kind("Min chef har sagt ok, vem ska jag fråga?") == "info"
    assert question_kind("Kan jag, när jag är hemma, använda ChatGPT?") == "permission"
    assert question_kind("Can I use a public AI chatbot to translate the opening hours, which are published?") == "permission"


def test_a_tool_named_in_a_factual_question_does_not_settle_it():
    row = ev("AI-verktyg: Microsoft Copilot Chat, inloggad med kommunkontot · Högsta tillåtna informationsklass: Klass 1 (intern)")
    q = analyse("Måste jag märka ett internt PM som Copilot skrivit nästan helt?")
    assert decide(q, [row]).verdict != "yes"
    # The sentence that names what is asked still settles it.
    marking = ev("Interna texter som skrivits med AI behöver inte märkas.")
    assert decide(q, [row, marking]).verdict == "no"


def test_a_factual_question_about_a_tools_standing_is_settled_by_the_sentence_that_lists_the_tool():
    """Issue 14's example: "Is Sana AI considered a publicly available AI service?" is settled by the definition that
    lists Sana AI, not by a rule about such services that names no tool."""
    rule = ev("Därför är det endast tillåtet att dela öppen information i allmänt tillgängliga AI-tjänster.")
    definition = ev("Allmänt tillgängliga AI-tjänster: AI-tjänster som är tillgängliga för vem som helst att använda, "
                    "som t ex ChatGPT, Sana AI eller Midjourney.")
    d = decide(analyse("Is Sana AI considered a publicly available AI service?"), [rule, definition])
    assert d.verdict == "yes" and d.deciding == 1


def test_a_ban_until_something_is_done_applies_while_the_question_says_it_is_not_done():
    from assistant.verdict import condition_state

    ban = ev("En AI-tjänst får inte användas, inte heller på prov, innan den har godkänts av IT-chefen.",
             Norms(prohibit=True, condition=True), condition="innan den har godkänts av IT-chefen")
    pending = analyse("Får vi testa en AI-tjänst som IT-chefen inte har godkänt?")
    assert condition_state(ban, pending) is True and decide(pending, [ban]).verdict == "no"
    assert condition_state(ban, analyse("IT-chefen har godkänt AI-tjänsten. Får vi använda den?")) is False


def test_a_ban_read_at_ingest_keeps_its_reading_of_no_condition():
    """The learned reading decides whether a ban has a condition; the lexical patterns are its features. "…, och inte
    heller för att formulera förslag …" holds no condition, though a condition word pattern matches ("för att")."""
    from types import SimpleNamespace

    from assistant.verdict import sentence_norms

    text = ("AI får inte användas i någon del av en utredning eller riskbedömning, och inte heller för att formulera "
            "förslag till beslut.")
    assert norms(text).condition            # what the patterns alone read
    read = {"modality": "prohibition", "confidence": 0.94, "condition": ""}
    assert sentence_norms(SimpleNamespace(text=text, reading=read)) == Norms(prohibit=True)
    with_condition = {**read, "condition": "om inte tillstånd har getts"}
    assert sentence_norms(SimpleNamespace(text=text, reading=with_condition)).condition


def test_a_condition_of_several_parts_is_settled_only_when_the_question_speaks_to_each():
    """"utan att alla deltagare har informerats i förväg och ingen har motsatt sig det": that everyone was told does
    not settle it while the question says nothing of objections; the ban stays, with its condition open."""
    from assistant.verdict import condition_state

    cond = "utan att alla deltagare har informerats i förväg och ingen har motsatt sig det"
    ban = ev(f"Det är inte tillåtet att spela in möten för bearbetning i en AI-tjänst {cond}.",
             Norms(prohibit=True, condition=True), condition=cond)
    told = analyse("Alla deltagare har informerats i förväg. Får vi spela in mötet och låta AI göra anteckningar?")
    assert condition_state(ban, told) is None
    d = decide(told, [ban])
    assert (d.verdict, d.deciding, d.conditions) == ("conditional", 0, (0,))
    one_part = "utan att alla deltagare har informerats i förväg"
    assert condition_state(replace(ban, condition=one_part), told) is False


def test_a_bans_condition_is_listed_as_what_must_hold():
    """After "Ja, under villkor:", "utan att alla deltagare har informerats" would read as the condition; what lifts
    the ban is listed as what must hold. A permission's "utan att logga in" is its condition as it stands."""
    from assistant.engine import _condition_said

    cond = "utan att alla deltagare har informerats i förväg"
    ban = ev(f"Det är inte tillåtet att spela in möten {cond}.", Norms(prohibit=True, condition=True), condition=cond)
    assert _condition_said(ban) == "alla deltagare har informerats i förväg"
    unless = replace(ban, condition="om inte nämnden har fattat ett särskilt beslut")
    assert _condition_said(unless) == "nämnden har fattat ett särskilt beslut"
    allowed = ev("Öppna AI-tjänster får användas utan att logga in.", Norms(permit=True, condition=True),
                 condition="utan att logga in")
    assert _condition_said(allowed) == "utan att logga in"
    line = first_line("sv", "conditional", "Får vi spela in mötet?", [ban.text], [_condition_said(ban)], [1])
    assert line == "Ja, under villkor: alla deltagare har informerats i förväg [1]."


def test_a_scope_question_about_the_asker_asks_about_whom_the_setting_says_they_are():
    """"Jag sitter i socialnämnden": a member, förtroendevald (a concept marked names_people). The scope sentence
    naming förtroendevalda settles it, not a sentence sharing "sammanträden" with the question."""
    scope = ev("Reglerna gäller för alla anställda i Gransjö kommun och för förtroendevalda när de använder AI i sitt "
               "uppdrag.")
    other = ev("Regel 8 om inspelning gäller inte nämndsammanträden som sänds offentligt.")
    q = analyse("Jag sitter i socialnämnden för Centerpartiet. Gäller kommunens AI-regler mig när jag förbereder mig "
                "inför sammanträdena?")
    assert "elected_officials" in q.concepts
    d = decide(q, [other, scope])
    assert (d.verdict, d.deciding) == ("yes", 1)
    # a setting that names no one by such a concept ("på en förskola") asks about nothing more
    d = decide(analyse("Jag jobbar på en förskola. Gäller kommunens AI-regler mig när jag förbereder mig inför "
                       "sammanträdena?"), [other, scope])
    assert d.deciding != 1


def test_a_scope_question_whose_asking_sentence_names_nothing_but_the_asker_asks_about_the_setting():
    """"Jag jobbar på ett av Nackas kommunala bolag. Gäller AI-handledningen för oss också?": the asking sentence
    names only the document and the asker; the setting names them by a concept of people (the municipal companies)."""
    scope = ev("Samtliga medarbetare och förtroendevalda i kommunen och de kommunala bolagen.")
    aim = ev("Handledningens syfte är att ge en praktisk vägledning till hur AI kan användas i kommunens verksamhet.")
    q = analyse("Jag jobbar på ett av Nackas kommunala bolag. Gäller AI-handledningen för oss också?")
    assert "municipal_companies" in q.concepts and q.kind == "factual"
    d = decide(q, [aim, scope], names="Handledning för AI-användning i Nacka kommun")
    assert (d.verdict, d.deciding) == ("yes", 1)


def test_a_yes_no_question_whether_it_is_enough_to_leave_out_a_duty_is_a_no():
    q = analyse("Räcker det att skriva ”Texten är skapad med AI” i ett utskick till invånarna, utan att det står vem "
                "på kommunen som ansvarar för innehållet?")
    q.kind = "factual"
    assert q.skipped
    label = ev("Texter som skickas till invånare och som till väsentlig del har skapats av AI ska märkas med att AI "
               "har använts.")
    responsible = ev("Det måste alltid framgå vem på kommunen som ansvarar för innehållet.")
    d = decide(q, [label, responsible])
    assert (d.verdict, d.deciding, d.reason) == ("no", 1, "skipped_duty")


def test_whether_what_is_done_is_enough_is_not_settled_yes_by_a_duty():
    """"Räcker det?" and a duty naming its words: the duty says what is required, not that what is done meets it (it
    was an unsafe "Ja": the policy also requires saying how to reach a handläggare)."""
    q = analyse("Vår nya chattbot på havslunda.se skriver i början att den är en AI. Räcker det, eller måste den "
                "informera om något mer?")
    q.kind = "factual"
    duty = ev("Chattbotar på webbplatsen ska godkännas och informera invånarna innan de publiceras.")
    policy = "Policy för användning av artificiell intelligens i Havslunda kommun"
    d = decide(q, [duty], names=policy)
    assert (d.verdict, d.reason) == ("conditional", "sufficiency")
    # the same duty settles a yes/no question that asks nothing about enough
    plain = analyse("Måste chattboten på havslunda.se informera invånarna om något?")
    plain.kind = "factual"
    assert decide(plain, [duty], names=policy).verdict == "yes"


def test_a_sentence_naming_only_the_setting_does_not_settle_what_the_asking_sentence_asks():
    """"The digitaliseringschef approved our new AI service last week. Does that mean the money for it is sorted as
    well?": a rule on approved services names the setting's words, not the money; it was a "yes"."""
    q = analyse("The digitaliseringschef approved our new AI service last week. Does that mean the money for it is "
                "sorted as well?")
    q.kind = "factual"
    rule = ev("I arbetet får endast godkända AI-tjänster användas.")
    assert decide(q, [rule]).verdict == "info"
    # asked without the setting, what it names is what is asked
    alone = analyse("Är det bara godkända AI-tjänster som får användas i arbetet?")
    alone.kind = "factual"
    assert decide(alone, [rule]).verdict != "info"


def test_a_question_in_a_document_states_no_rule():
    """"Vill din verksamhet använda ett AI-verktyg som inte finns i tabellen?" introduces the steps after it; its
    "inte" is no ban, whatever the patterns or the reading say, and the question gets its answer from a rule."""
    from types import SimpleNamespace

    from assistant.verdict import sentence_norms

    text = "Vill din verksamhet använda ett AI-verktyg som inte finns i tabellen?"
    read = {"modality": "prohibition", "confidence": 0.9, "condition": ""}
    assert sentence_norms(SimpleNamespace(text=text, reading=read)) == Norms()
    assert sentence_norms(SimpleNamespace(text=text[:-1] + ".", reading=read)).prohibit
    q = analyse("Får vi använda ett AI-verktyg som inte finns i tabellen?")
    d = decide(q, [ev(text, sentence_norms(SimpleNamespace(text=text, reading=None)))])
    assert d.verdict != "no" and d.deciding is None


GUARD_MANIFEST = """
[organisations.mossby]
name = "Mossby kommun"
contact = "AI-stödet"

[[documents]]
id = "mossby-ai"
file = "mossby-ai.md"
title = "Regler för AI i Mossby kommun"
organisation = "mossby"
"""

GUARD_DOC = """# Regler för AI i Mossby kommun

## Skriva med AI

AI-tjänster får användas för att skriva utkast till texter om informationen i dem är öppen.
Utkastet ska alltid granskas av den som ska skicka det.

## Personalfrågor

Chefer ansvarar för att medarbetarna känner till reglerna.
AI får inte användas i arbetet med medarbetarsamtal eller lönesamtal.

## Mötesanteckningar

Transkribering i Teams får användas i interna möten. Funktionen får inte användas i möten där personuppgifter om invånare behandlas.
"""


@pytest.fixture(scope="module")
def mossby(tmp_path_factory, embedding_cache):
    from conftest import small_store

    return small_store(tmp_path_factory.mktemp("guard"), embedding_cache, GUARD_MANIFEST, {"mossby-ai.md": GUARD_DOC})


def test_a_conditional_answer_does_not_stand_beside_a_ban_on_what_the_question_involves(mossby):
    """The safety invariant holds for "yes, under conditions" too: a ban among the passages read, not quoted, on
    something the question involves and no quoted rule covers, is quoted and decides."""
    answer = mossby.ask("Får jag använda AI för att skriva ett utkast till anteckningarna från ett medarbetarsamtal?", "mossby")
    assert answer.verdict == "no"
    assert "medarbetarsamtal" in answer.citations[0].quote and answer.citations[0].deciding
    # Without the thing the ban is about, the rule with its condition still decides.
    plain = mossby.ask("Får jag använda AI för att skriva ett utkast till ett nyhetsbrev?", "mossby")
    assert plain.verdict == "conditional" and "öppen" in plain.citations[0].quote
    # A kind of data the question involves ("namngivna grannar") and the permitting rule does not speak of: the ban on
    # it beside the permission decides.
    named = mossby.ask("På ett internt möte ska vi gå igenom klagomål från namngivna grannar. Får vi köra "
                       "transkribering i Teams?", "mossby")
    assert named.verdict == "no" and "personuppgifter" in named.citations[0].quote
    internal = mossby.ask("Får vi köra transkribering i Teams på vårt interna planeringsmöte?", "mossby")
    assert internal.verdict == "yes"


DUTY_MANIFEST = """
[organisations.tallby]
name = "Tallby kommun"
contact = "AI-stödet"

[[documents]]
id = "tallby-ai"
file = "tallby-ai.md"
title = "AI i arbetet i Tallby kommun"
organisation = "tallby"
"""

DUTY_DOC = """# AI i arbetet i Tallby kommun

## Godkända verktyg

Copilot Chat med kommunkontot får användas för interna texter i klass 1, till exempel tjänsteutlåtanden och PM.
Gratistjänster får bara användas för öppen information.

## Ditt ansvar

Du ansvarar för resultatet. Granska alltid texten innan du använder den, och kontrollera sakuppgifter mot en
tillförlitlig källa.

## Märkning

Texter som publiceras externt och till största delen har skapats med AI ska märkas.
"""


def test_a_duty_the_question_says_is_not_done_is_found_and_decides(tmp_path, embedding_cache):
    """A question that says a duty is left undone ("Jag har inte hunnit kolla dem") gets the organisation's rule on
    that duty quoted and deciding, though the search, led by what is asked, found the tool's permission first."""
    from conftest import small_store

    tallby = small_store(tmp_path, embedding_cache, DUTY_MANIFEST, {"tallby-ai.md": DUTY_DOC})
    q = ("Jag skriver ett internt tjänsteutlåtande i Copilot Chat med kommunkontot, klass 1. Copilot föreslog en "
         "hänvisning till en paragraf i en lag. Jag har inte hunnit kolla den. Kan jag lägga in den som den är?")
    answer = tallby.ask(q, "tallby")
    assert answer.verdict == "no" and answer.flags["decided_by"] == "skipped_duty"
    assert "Granska alltid" in answer.citations[0].quote and answer.citations[0].deciding
    # Checked, the permission decides.
    checked = tallby.ask("Jag skriver ett internt tjänsteutlåtande i Copilot Chat med kommunkontot, klass 1. Kan jag "
                         "lägga in Copilots hänvisning till en lag?", "tallby")
    assert checked.verdict != "no"


def test_an_only_rule_that_names_its_place_excludes_other_tools():
    rule = ev("Information i klass C får användas endast i AI-portalen.", Norms(only=True, permit=True))
    d = decide(analyse("Kan jag köra ett klass C-dokument i Copilot Chat?"), [rule])
    assert (d.verdict, d.reason) == ("no", "outside_only")
    # Not when the question names that place, nor for an "only" that names no place by name.
    assert decide(analyse("Kan jag köra ett klass C-dokument i AI-portalen?"), [rule]).verdict != "no"
    meetings = ev("Teams transcription is permitted only in internal meetings where everyone has been told.",
                  Norms(only=True, permit=True))
    assert decide(analyse("Can we run Teams transcription in our internal meeting?"), [meetings]).reason != "outside_only"


def test_an_only_rule_is_met_by_its_hyphenated_place_unless_it_gives_the_least_class_the_question_does_not_state():
    from assistant.situation.reader import Situation

    portal = ev("Information i klass C får användas endast i AI-portalen.", Norms(only=True, permit=True))
    # a ban on personal data, read as applying by the situation reader, when the question says there are none
    records = replace(ev("Uppgifter ur personakter får inte hanteras i någon AI-tjänst – inte heller i AI-portalen. "
                         "Det gäller även om uppgifterna har avidentifierats.", Norms(prohibit=True, condition=True),
                         condition="om uppgifterna har avidentifierats"),
                      situation=Situation("forbids", 0.9, True))
    q = analyse("Har gått grundutbildningen i AI. Får jag använda AI-portalen för ett dokument som är klassat C? "
                "Det finns inga personuppgifter i det.")
    assert decide(q, [portal, records]).verdict == "yes"
    # "minst klass C": the information may be above the class the place is for, which is then the condition
    floor = ev("Uppgifter som omfattas av sekretess är minst klass C och får därmed endast användas i AI-portalen.",
               Norms(only=True))
    d = decide(analyse("Får jag använda AI-portalen för uppgifter som omfattas av sekretess?"), [floor])
    assert (d.verdict, d.conditions) == ("conditional", (0,))
    # unless the question says its information is that very class
    said = analyse("Uppgifterna omfattas av sekretess och informationsägaren har klassat underlaget som klass C. Får "
                   "jag använda AI-portalen för dem?")
    assert decide(said, [floor]).verdict == "yes"


def test_an_approved_tool_with_open_information_is_allowed_by_the_sentence_that_approves_it():
    listing = ev("Godkända AI-tjänster är Microsoft Copilot Chat med inloggning via kommunkontot och AI-portalen.")
    other_ban = ev("Fria AI-tjänster, till exempel gratisversionen av ChatGPT, får inte användas.", Norms(prohibit=True))
    q = analyse("Får jag be Copilot Chat förklara en lagtext? Bara den publicerade lagtexten, inget om något ärende.")
    d = decide(q, [listing, other_ban], allowed=frozenset({"copilot"}))
    assert (d.verdict, d.deciding, d.reason) == ("yes", 0, "approved_tool")
    # Not for information that is not open, nor for a tool the documents do not approve.
    internal = analyse("Får jag be Copilot Chat sammanfatta ett internt PM?")
    assert decide(internal, [listing, other_ban], allowed=frozenset({"copilot"})).verdict != "yes"
    gemini = analyse("Får jag be Gemini förklara en lagtext? Bara den publicerade lagtexten.")
    assert decide(gemini, [listing, other_ban], allowed=frozenset({"copilot"})).verdict != "yes"


def test_a_tool_not_approved_is_refused_by_the_rule_on_approved_tools_not_by_an_only_if_on_something_else():
    only_if = ev("AI-stöd i verksamhetssystemet är tillåtet endast om funktionen har godkänts av socialnämnden.",
                 Norms(only=True, permit=True))
    approved_only = ev("I arbetet får endast godkända AI-tjänster användas.", Norms(only=True))
    d = decide(analyse("kan jag använda midjourney för att göra en affisch?"), [only_if, approved_only],
               allowed=frozenset({"copilot"}))
    assert (d.verdict, d.deciding, d.reason) == ("no", 1, "not_approved")


def test_a_factual_question_is_settled_by_a_sentence_spelling_its_words_another_way():
    q = analyse("Gäller AI-policyn även för chattbotar och översättningsverktyg?")
    listing = ev("Exempel på detta är chatbotar, virtuella assistenter, bildanalys och översättning.")
    assert decide(q, [listing], names="AI-policy för Norsjö kommun").verdict == "yes"
    # one letter apart in a short word is another word, not another spelling
    assert decide(analyse("Gäller policyn för kontrakt?"), [ev("Policyn gäller kontroll av avtal.")],
                  names="AI-policy för Norsjö kommun").verdict != "yes"


def test_an_english_factual_question_is_settled_through_the_glossary():
    scope = ev("Gäller för anställd personal, privata utförare och förtroendevalda som använder AI i sin tjänsteutövning.")
    q = analyse("Does the AI policy apply to elected politicians as well as staff?")
    assert q.language == "en" and decide(q, [scope], names="Policy för AI i Askersunds kommun").verdict == "yes"
    # a Swedish sentence about something else settles nothing
    other = ev("Det är den enskilda användaren som är ansvarig för informationen.")
    assert decide(q, [other], names="Policy för AI i Askersunds kommun").verdict == "info"


def test_a_permission_for_named_units_is_no_yes_for_the_askers_own_unit():
    pilot = "I piloten får transkribering i Microsoft Teams användas i interna möten i de två förvaltningarna."
    rule = Norms(permit=True)
    q = analyse("Jag jobbar på socialförvaltningen. Får vi också köra Teams-transkriberingen på våra interna möten?")
    d = decide(q, [ev(pilot, rule)])
    assert (d.verdict, d.reason) == ("conditional", "other_unit")
    # The same question without a unit depends on the asker's unit just as much; a rule for every unit is a yes.
    d = decide(analyse("Får vi köra Teams-transkriberingen på våra interna möten?"), [ev(pilot, rule)])
    assert (d.verdict, d.reason) == ("conditional", "other_unit")
    every = "Transkribering i Microsoft Teams får användas i interna möten i alla förvaltningar."
    assert decide(q, [ev(every, rule)]).verdict == "yes"
    # Where the organisation's documents name the units in the pilot and never the asker's, the permission is not
    # for it; where they name it, whether it is one of them is the condition.
    decision = "att genomföra en pilot i kommunledningsförvaltningen och samhällsbyggnadsförvaltningen. " + pilot
    d = decide(q, [ev(pilot, rule)], organisation_text=decision)
    assert (d.verdict, d.reason) == ("no", "other_unit")
    own = analyse("Jag jobbar på kommunledningsförvaltningen. Får vi köra Teams-transkriberingen på våra interna möten?")
    assert decide(own, [ev(pilot, rule)], organisation_text=decision).verdict == "conditional"
    # Asked as a yes/no question ("kan vi vara med i piloten?"), the same: the asker's unit is not one of them.
    asked = replace(analyse("Jag jobbar på socialförvaltningen – kan vi vara med i piloten med Teams-transkribering?"),
                    kind="factual")
    d = decide(asked, [ev(pilot, rule)], organisation_text=decision)
    assert (d.verdict, d.reason) == ("no", "other_unit")
    # (a scope sentence, which permits nothing, is read as a yes/no question's answer as before)
    scope = "Reglerna gäller alla som arbetar i kommunens förvaltningar och inhyrda konsulter."
    consultant = replace(analyse("Jag är konsult via ett bemanningsbolag. Gäller reglerna mig?"), kind="factual")
    assert decide(consultant, [ev(scope, Norms())], organisation_text=decision).reason != "other_unit"


def test_a_unit_an_english_rule_names_in_two_words_is_the_swedish_compound_a_question_names():
    from assistant.verdict import other_unit, unit_unnamed
    row = "Tool: GitHub Copilot Business (IT department) · Highest class: Klass 2"
    q = analyse("får vi på IT-avdelningen använda GitHub Copilot Business?")
    assert not other_unit(row, q) and not unit_unnamed(q, "5. APPROVED AI TOOLS\n" + row)
    # Another unit is still another one, and one the documents never name is unnamed.
    hr = analyse("får vi på HR-avdelningen använda GitHub Copilot Business?")
    assert other_unit(row, hr) and unit_unnamed(hr, "5. APPROVED AI TOOLS\n" + row)


def test_a_word_an_only_rule_qualifies_is_met_only_with_its_qualifier():
    from assistant.verdict import only_met
    rule = "Only for office IT and web code."
    assert not only_met(rule, analyse("får vi använda GitHub Copilot för our code?"))
    assert only_met(rule, analyse("får vi använda GitHub Copilot för web code?"))
    assert only_met(rule, analyse("får vi använda GitHub Copilot för office IT?"))
    # An unqualified word, or a part of a compound, is met on its own as before.
    assert only_met("Information i klass C får användas endast i AI-portalen.",
                    analyse("Får jag använda portalen för klass C?"))
    assert not only_met("Transkribering får användas endast i interna möten.",
                        analyse("Får jag transkribera möten med kunder?"))


def test_naming_the_kind_of_data_a_conditional_permission_is_about_still_lets_the_question_meet_its_condition():
    from assistant.situation.reader import Situation

    text = ("Uppgifter som omfattas av sekretess kan behandlas i en upphandlad AI-tjänst om det säkerställts att "
            "tjänsten uppfyller kommunens säkerhetstekniska krav.")
    rule = Evidence(text, text, Norms(permit=True, condition=True), "", Situation("allows", 0.95, True))
    q = analyse("Säkerhetsstaben har bekräftat att tjänsten uppfyller kommunens säkerhetstekniska krav. Får vi använda "
                "den upphandlade tjänsten för uppgifter som omfattas av sekretess?")
    assert decide(q, [rule]).verdict == "yes"
    # Data pasted into the question still settles nothing; nor does naming data the rule is not about.
    pasted = analyse(q.text + " Det gäller 19121212-1212.")
    assert decide(pasted, [rule]).verdict == "conditional"
    other = Evidence(text.replace("Uppgifter som omfattas av sekretess", "Interna uppgifter"),
                     text, Norms(permit=True, condition=True), "", Situation("allows", 0.95, True))
    assert decide(q, [other]).verdict == "conditional"


def test_a_ban_that_names_the_tool_asked_about_is_lifted_by_what_the_question_says_is_absent():
    ban = ("Skriv aldrig in personnummer eller känsliga personuppgifter i en AI-tjänst – inte heller i Copilot Chat "
           "eller SkrivStöd.")
    q = analyse("Får jag ha med deltagarnas namn när SkrivStöd renskriver minnesanteckningarna? Det finns inga "
                "personnummer eller känsliga uppgifter.")
    assert decide(q, [ev(ban, Norms(prohibit=True))]).verdict != "no"
    with_numbers = analyse("Får jag ha med deltagarnas personnummer när SkrivStöd renskriver minnesanteckningarna?")
    assert decide(with_numbers, [ev(ban, Norms(prohibit=True))]).verdict == "no"


def test_a_finer_kind_of_answer_ranks_but_its_absence_does_not_refuse():
    from assistant.domain import shipped
    from assistant.engine import asks_for_absent

    assert "decision" in shipped().ranks_only
    text = "AI-tjänster riskklassas av beredningsgruppen innan de köps in."
    words = frozenset(w.lower() for w in re.findall(r"[\w-]+", text))
    # "avgör" asks who decides; the documents name the group without a decision verb: a role answers
    assert not asks_for_absent(analyse("Vem avgör vilken riskklass en AI-tjänst hamnar i?"), text, words, text)


def test_what_a_question_is_about_is_what_its_asking_sentence_names_not_the_setting_before_it():
    from assistant.engine import asked_concepts

    setting = analyse("Har gått grundutbildningen i AI. Får jag använda AI-portalen för ett dokument som är klassat C?")
    assert "training" in setting.concepts and "training" not in {c.name for c in asked_concepts(setting)}
    asking = analyse("Måste jag gå grundutbildningen i AI innan jag använder AI-portalen?")
    assert "training" in {c.name for c in asked_concepts(asking)}


def test_that_the_information_is_open_does_not_make_a_question_covered():
    from assistant.engine import covered
    from assistant.gates import Gates
    from assistant.retrieval import Passage

    text = "Texts published on ekbyenergi.se are proofread by the communications team."
    passage = Passage("p", text, "d", "Guideline", "org", True, "policy", "3", 0, len(text))
    gates = Gates(any=0.5, off_domain=0.5)
    # What the question is about (labelling AI texts) is nowhere in what was found; that the text is on the website
    # is not what it asks.
    labelling = analyse("do we have to label AI-written texts on ekbyenergi.se?")
    assert {"open_info", "transparency"} <= labelling.concepts
    assert not covered(labelling, [(None, 0.99)], [passage], gates)
    # A question whose only concept is that its information is open is judged by the score alone.
    image = analyse("Can I make an AI image for our website?")
    assert covered(image, [(None, 0.99)], [passage], gates)
    # Asking which rules apply to a kind of AI service asks about that service: it is the topic.
    rules = ("Dessa förhållningssätt gäller både för användning av allmänt tillgängliga AI-tjänster och för anpassade "
             "AI-tjänster.")
    found = Passage("p", rules, "d", "Handledning", "org", True, "guidance", "1", 0, len(rules))
    which = analyse("vilka regler gäller för allmänt tillgängliga ai-tjänster?")
    assert {"public_ai", "scope"} <= which.concepts and which.kind == "info"
    assert covered(which, [(None, 0.99)], [found], gates)
    assert not covered(analyse("vilka regler gäller för semesterdagar?"), [(None, 0.99)], [found], gates)


def test_a_question_for_when_the_rules_apply_or_who_decided_them_is_about_the_documents():
    from assistant.engine import covered
    from assistant.gates import Gates
    from assistant.retrieval import Passage

    text = "Fastställda av kommunstyrelsen 2025-02-11, § 23. Dnr KS 2024/0387. Gäller från 2025-03-01."
    passage = Passage("p", text, "d", "Regler för AI", "org", True, "rules", "1", 0, len(text))
    gates = Gates(any=0.8, off_domain=0.95)      # the score is below the gate for questions naming no AI
    # (the verb's other forms too, with the subject between: "trädde riktlinjen i kraft", "antogs", "har fastställt")
    for question in ("när började reglerna gälla?", "vem beslutade reglerna?", "när trädde reglerna i kraft?",
                     "när antogs reglerna och av vem?", "vem har fastställt reglerna?"):
        q = analyse(question)
        assert q.concepts & {"validity", "document_facts"}, question
        assert covered(q, [(None, 0.9)], [passage], gates), question
    # and whom they apply to
    text = "Reglerna gäller för alla anställda i Gransjö kommun och för förtroendevalda."
    scope = Passage("s", text, "d", "Regler för AI", "org", True, "rules", "1", 0, len(text))
    assert covered(analyse("Do the rules apply to temporary staff?"), [(None, 0.9)], [scope], gates)
    assert not covered(analyse("Do the parking rules apply to temporary staff?"), [(None, 0.9)], [scope], gates)
    # Other rules, or the documents named without asking when they apply or who decided them, are not enough.
    for question in ("när började semesterreglerna gälla?", "vad händer om man bryter mot reglerna?"):
        assert not covered(analyse(question), [(None, 0.9)], [passage], gates), question


def test_ai_that_someone_outside_the_staff_uses_is_not_what_the_rules_on_the_staffs_use_answer():
    from assistant.engine import covered
    from assistant.gates import Gates
    from assistant.question import STAFF, ai_users
    from assistant.retrieval import Passage

    rules = ("Personuppgifter om klienter får inte föras in i någon AI-tjänst. Du får använda AI-portalen för "
             "interna texter. Allmänt tillgängliga AI-tjänster som ChatGPT och Copilot får bara användas med öppen "
             "information.")
    passage = Passage("p", rules, "d", "Instruktion", "org", True, "instruction", "1", 0, len(rules))
    gates = Gates(any=0.8, off_domain=0.9)
    for question in ("En klient har skrivit sin överklagan med ChatGPT. Måste jag behandla den annorlunda?",
                     "Får personalen på regionens BUP använda AI när de skriver utlåtanden?",
                     "A client wrote her appeal using ChatGPT. Do I have to treat it differently?"):
        assert STAFF not in ai_users(question), question
        assert not covered(analyse(question), [(None, 0.95)], [passage], gates), question
    # The staff's own use is the question, though an outsider uses AI too, or is the one it is done for.
    for question in ("Our clients use ChatGPT to write complaints, can we answer them with Copilot?",
                     "Får vi låta klienterna använda AI-portalen?",
                     "Kan jag använda AI-portalen för ett brev till en klient?",
                     "What sentence should I put on a letter to clients that was written with AI?",
                     # (the organisation's own use, whose effect on the outsiders is asked about)
                     "Ska klienterna kunna ifrågasätta sina uppgifter när kommunen använder AI?",
                     # (a passive tells of no outsider using AI)
                     "Ska klienterna informeras när AI används i deras ärenden?"):
        assert covered(analyse(question), [(None, 0.95)], [passage], gates), question
    assert ai_users("Ska invånarna informeras när AI används, och ska de kunna ifrågasätta beslut?") == set()
    # A document that speaks of them using AI, or a question whether the rules apply to it, is answered.
    theirs = "Riktlinjen gäller inte AI-tjänster som klienter använder själva."
    own = Passage("q", theirs, "d", "Riktlinje", "org", True, "rules", "1", 0, len(theirs))
    assert ai_users(theirs) == {"klie"}
    assert covered(analyse("En klient har skrivit sin överklagan med ChatGPT. Får hen det?"), [(None, 0.95)],
                   [passage, own], gates)
    assert covered(analyse("Gäller reglerna när klienterna använder AI?"), [(None, 0.95)], [passage], gates)


@pytest.mark.parametrize("concept, questions, said", [
    # what a breach of the rules leads to
    ("sanctions", ("kan man få en varning eller bli av med jobbet om man bryter mot ai-reglerna?",
                   "What happens if I break the AI policy?"),
     "Allvarliga överträdelser hanteras enligt kommunens rutiner för arbetsrättsliga åtgärder."),
    # how long something is kept
    ("retention", ("hur länge sparas det jag skriver in i SkrivStöd?",),
     "Transkriberingar raderas senast 30 dagar efter mötet."),
    # assessing or ranking people
    ("assessing_people", ("Får vi använda AI för att sålla bland CV:n när vi rekryterar nya montörer?",
                          "Can we start using an AI tool to screen job applications?"),
     "Högrisk-AI (t.ex. inom rekrytering eller socialtjänst) kräver en riskbedömning."),
])
def test_a_question_on_a_topic_needs_documents_that_speak_of_it(concept, questions, said):
    from assistant.engine import covered
    from assistant.gates import Gates
    from assistant.retrieval import Passage

    rules = "Ett AI-svar får aldrig ensamt ligga till grund för en åtgärd mot en enskild."
    passage = Passage("p", rules, "d", "Regler", "org", True, "rules", "1", 0, len(rules))
    topic = Passage("s", said, "d", "Regler", "org", True, "rules", "2", 0, len(said))
    gates = Gates(any=0.8, off_domain=0.9)
    for question in questions:
        q = analyse(question)
        assert concept in q.concepts, question
        assert not covered(q, [(None, 0.95)], [passage], gates), question
        assert covered(q, [(None, 0.95)], [passage, topic], gates), question


def test_a_follow_up_is_held_to_the_plain_gate_not_the_one_for_questions_naming_no_ai():
    from dataclasses import replace as changed

    from assistant.engine import covered
    from assistant.gates import Gates
    from assistant.retrieval import Passage

    text = "Chatthistorik i Copilot Chat som rör arbetet ska raderas senast efter sju dagar."
    passage = Passage("p", text, "d", "Instruktion", "org", True, "instruction", "1", 0, len(text))
    gates = Gates(any=0.85, off_domain=0.91)
    q = analyse("och på ifo?")
    assert not covered(q, [(None, 0.9)], [passage], gates)
    # After a question on the documents it names no AI of its own: the history says what it is about (whether it
    # stands alone as well is judged apart, `Assistant._stands_alone`).
    assert covered(changed(q, followup=True), [(None, 0.9)], [passage], gates)
    assert not covered(changed(q, followup=True), [(None, 0.8)], [passage], gates)


def test_a_question_naming_a_tool_of_a_table_of_ai_tools_is_about_the_documents():
    from types import SimpleNamespace

    from assistant.engine import covered
    from assistant.gates import Gates
    from assistant.retrieval import Passage

    row = ("AI-verktyg: Bildgeneratorer (Microsoft Designer med kommunkontot, Adobe Firefly via kommunens licens) · "
           "Högsta tillåtna informationsklass: Klass 0 (öppen)")
    passage = Passage("p", row, "d", "AI i arbetet", "org", True, "rules", "1", 0, len(row))
    index = SimpleNamespace(of=lambda p: [SimpleNamespace(text=p.text)])
    gates = Gates(any=0.8, off_domain=0.95)     # the score is below the gate for questions naming no AI
    designer = analyse("Can I use Designer to make a picture of a real colleague?")
    assert covered(designer, [(None, 0.88)], [passage], gates, index)
    assert not covered(designer, [(None, 0.88)], [passage], gates)          # no rows read
    # a word the row names that is no name in it ("Klass") is not enough
    assert not covered(analyse("Which klass is my son in?"), [(None, 0.88)], [passage], gates, index)


def test_a_ban_beside_a_permission_is_found_by_an_english_questions_words_in_the_glossarys_swedish():
    from types import SimpleNamespace

    from assistant.engine import restriction_beside
    from assistant.retrieval import Passage

    permit = ("I piloten får transkribering och automatiska minnesanteckningar i Microsoft Teams användas i interna "
              "möten i de två förvaltningarna.")
    ban = ("Funktionen får inte användas i möten där sekretessbelagda uppgifter behandlas, och inte i "
           "nämndsammanträden, utskottsmöten eller medarbetarsamtal.")
    passage = Passage("p", f"{permit} {ban}", "d", "Tillfälliga regler", "org", True, "rules", "1", 0, 10)
    index = SimpleNamespace(of=lambda p: [SimpleNamespace(text=permit), SimpleNamespace(text=ban)])
    council = analyse("Can we transcribe the council meeting with Teams?")
    assert restriction_beside(council, [passage], index, permit, {permit}).text == ban
    # "meeting" alone is what the permission speaks of ("möten"): no ban on it beside
    internal = analyse("Can we transcribe our internal team meeting with Teams in the pilot?")
    assert restriction_beside(internal, [passage], index, permit, {permit}) is None


def test_the_ban_beside_a_permission_is_the_organisations_own_rule_or_a_permission_only_without_its_data():
    from types import SimpleNamespace

    from assistant.engine import restriction_beside
    from assistant.retrieval import Passage

    permit = "En AI-tjänst får inte användas innan den har godkänts, med undantag för tidsbegränsade tester."
    checklist = "Ange förbjudna användningsområden (t.ex. mata in känsliga personuppgifter i publika tjänster)."
    general = Passage("g", checklist, "n", "Checklista", "general", False, "guidance", "1", 0, 10)
    q = analyse("förvaltningschefen vill att vi testar ett ej godkänt ai-verktyg för att sammanfatta brukarenkäter "
                "med namn i, går det med ett undantag?")
    index = SimpleNamespace(of=lambda p: [SimpleNamespace(text=p.text, reading=p.rules[0] if p.rules else None)])
    # general guidance for writing a policy bans nothing
    assert restriction_beside(q, [general], index, permit, {permit}) is None
    exception = ("Förvaltningschefen får medge undantag från regel 2 för ett tidsbegränsat test, om inte testet omfattar "
                 "personuppgifter eller uppgifter med nivå Hög.")
    reading = {"modality": "permission_condition", "confidence": 0.99,
               "condition": "om inte testet omfattar personuppgifter eller uppgifter med nivå Hög"}
    own = Passage("p", exception, "d", "Regler", "org", True, "rules", "1", 0, 10, rules=(reading,))
    assert restriction_beside(q, [general, own], index, permit, {permit}).text == exception
    # and it decides: the permission does not hold for a test with names in it
    d = decide(q, [ev(exception, Norms(permit=True, condition=True), reading["condition"])])
    assert (d.verdict, d.reason) == ("no", "condition_fails")
    without = analyse("förvaltningschefen vill att vi testar ett ej godkänt ai-verktyg på öppna texter, inga "
                      "personuppgifter. går det med ett undantag?")
    assert restriction_beside(without, [own], index, permit, {permit}) is None
    assert decide(without, [ev(exception, Norms(permit=True, condition=True), reading["condition"])]).verdict != "no"


def test_a_question_naming_a_class_the_documents_name_is_about_the_documents():
    from assistant.engine import _names_a_class
    from assistant.retrieval import Passage

    text = "- Klass 4 Skyddad (protected): information about the grid and heating control systems (SCADA/OT)."
    passage = Passage("p", text, "d", "Guideline", "org", True, "policy", "4", 0, len(text))
    assert _names_a_class(analyse("what is Klass 4?"), [passage])
    assert not _names_a_class(analyse("what is Klass 2?"), [passage])
    assert not _names_a_class(analyse("what is the weather like?"), [passage])


def test_a_question_naming_a_product_the_documents_name_is_about_the_documents():
    from assistant.engine import _names_a_product
    from assistant.retrieval import Passage

    text = "AI-tjänst: SkrivStöd (upphandlad skriv- och sammanfattningstjänst) · Låg: Ja · Måttlig: Ja"
    passage = Passage("p", text, "d", "Regler för AI", "org", True, "policy", "3", 0, len(text))
    assert _names_a_product(analyse("kan jag ladda upp en köpt rapport i skrivstöd?"), [passage])
    # a word the documents use only as a common word names no product
    assert not _names_a_product(analyse("hur lång är en sammanfattningstjänst?"), [passage])
    assert not _names_a_product(analyse("hur bokar jag friskvårdstimmen?"), [passage])
    # A name after a name ("Ekby-Elin", the company's chatbot) is asked by itself.
    text = "7.1 Ekby-Elin answers general questions on ekbyenergi.se about prices, outages and moving house."
    bot = Passage("p", text, "d", "Guideline", "org", True, "policy", "7", 0, len(text))
    assert _names_a_product(analyse("Do I need to tell customers they are talking to Elin?"), [bot])
    assert not _names_a_product(analyse("Do I need to tell customers about the outage?"), [bot])


def test_an_outright_ban_quoted_first_is_not_lifted_by_the_conditions_of_rules_quoted_after_it():
    q = analyse("kan jag ladda upp en köpt rapport i SkrivStöd och få den sammanfattad?")
    ban = ev("Ladda inte upp material som kommunen inte har rätt att använda, till exempel köpta rapporter.",
             Norms(prohibit=True))
    row = ev("AI-tjänst: SkrivStöd · Hög: Ja, om inte uppgifterna omfattas av sekretess.", Norms(condition=True, permit=True))
    d = decide(q, [ban, row])
    assert (d.verdict, d.deciding, d.reason) == ("no", 0, "ban_first")
    # quoted after the condition, the ban is one of the open conditions, as before
    d = decide(q, [row, ban])
    assert d.verdict == "conditional" and set(d.conditions) == {0, 1}


def test_no_yes_while_the_situation_reader_leans_to_a_requirement_beside_the_permission_being_broken():
    from assistant.situation.reader import Situation

    # (an objection the question states breaks such a duty outright: "objected", in the test above)
    q = analyse("Vi är med i piloten. Om någon deltagare kommer in en kvart för sent, kan vi köra vidare ändå?")
    permit = ev("I piloten får transkribering i Microsoft Teams användas i interna möten.", Norms(permit=True))
    duty = replace(ev("Deltagarna ska informeras när mötet börjar.", Norms(oblige=True)),
                   situation=Situation("forbids", 0.7, False))
    d = decide(q, [permit, duty])
    assert (d.verdict, d.deciding, d.conditions, d.reason) == ("conditional", 1, (1,), "leans_forbids")
    # read as not concerning the question, or leaning to it being met, the permission answers
    for label in ("irrelevant", "allows", "depends"):
        assert decide(q, [permit, replace(duty, situation=Situation(label, 0.7, False))]).verdict == "yes", label


def test_the_first_line_repeats_one_sentence_of_a_quote_that_goes_on_so_its_marker_ends_what_it_marks():
    from assistant.summary import clause

    quote = ("Människor ska vara ansvariga för AI och dess handlingar. Detta innebär att det för varje AI ska finnas "
             "tydliga och identifierbara roller.")
    assert clause(quote, "Vem är ansvarig för AI-appen?") == "Människor ska vara ansvariga för AI och dess handlingar"
    line = first_line("sv", "conditional", "Vem är ansvarig för AI-appen?", [quote], [""], [1])
    assert line.count(".") == 1 and line.endswith("[1].")
    # an abbreviation's period ends no sentence
    one = "AI-tjänster får bara användas med öppen information, t. ex. sådant som redan är publicerat."
    assert clause(one, "får jag använda chatgpt?") == one.rstrip(".")


def test_a_quote_that_went_on_into_the_next_sentence_is_not_followed_by_that_sentence_again():
    import numpy as np

    from assistant.extractive import within
    from assistant.retrieval import Passage
    from assistant.sentence_index import Sentence

    text = "Människor ska vara ansvariga för AI. Detta innebär tydliga roller. Annat."
    passage = Passage("p", text, "d", "Policy", "org", True, "policy", "1", 0, len(text))
    v = np.ones(2, dtype=np.float32)
    both, second, third = Sentence(passage, 0, 66, v), Sentence(passage, 37, 66, v), Sentence(passage, 67, 73, v)
    assert within(second, both) and not within(both, second) and not within(third, both)
    other = Passage("q", text, "e", "Policy", "org", True, "policy", "1", 0, len(text))
    assert not within(Sentence(other, 37, 66, v), both)      # the same words in another document


def test_a_number_the_question_states_beyond_a_rules_limit_is_a_no():
    from assistant.verdict import beyond_limit

    limit = ev("Piloten omfattar högst 40 medarbetare.", Norms())
    permit = ev("I piloten får transkribering i Microsoft Teams användas i interna möten.", Norms(permit=True))
    over = replace(analyse("Vi är 45 medarbetare som vill vara med i Teams-piloten. Kan alla vara med?"), kind="permission")
    d = decide(over, [permit, limit])
    assert (d.verdict, d.deciding, d.reason) == ("no", 1, "beyond_limit") and d.rule.prohibit
    under = replace(over, text="Vi är 12 medarbetare som vill vara med i Teams-piloten. Kan alla vara med?")
    assert decide(under, [permit, limit]).verdict == "yes"
    # a number of something else is not the limited thing; nor is a number without one
    assert not beyond_limit(limit.text, analyse("Får 45 elever vara med i piloten?"))
    assert not beyond_limit(limit.text, analyse("Kan vi vara med i piloten 2025?"))
    # a lower limit, in English too
    assert beyond_limit("Staff must have at least 3 months of employment.", analyse("I have worked 2 months, may I?"))
    assert not beyond_limit("Staff must have at least 3 months of employment.", analyse("I have worked 4 months, may I?"))
    # a follow-up's bare number counts what the question before it counted
    before = [{"question": "vi är 30 medarbetare, får vi vara med i piloten?"}]
    assert beyond_limit(limit.text, analyse("och om vi är 50?", before))
    assert not beyond_limit(limit.text, analyse("och om vi är 35?", before))
    assert not beyond_limit(limit.text, analyse("och om vi är 50?", [{"question": "får vi vara med i piloten?"}]))


def test_an_faq_answer_that_advises_against_one_tool_does_not_ban_the_tool_it_recommends():
    """Under "Får jag använda ChatGPT på min privata telefon för jobbet?", "Vi avråder ändå från det, eftersom Copilot
    Chat finns tillgängligt …" advises against ChatGPT: it is no ban on Copilot Chat."""
    heading = "Får jag använda ChatGPT på min privata telefon för jobbet?"
    advice = Evidence("Vi avråder ändå från det, eftersom Copilot Chat finns tillgängligt för alla medarbetare.", "",
                      Norms(prohibit=True), asked_in=heading)
    q = analyse("Får jag använda Copilot Chat för att sammanfatta ett protokoll som är publicerat?")
    allowed = frozenset({"copilot"})
    assert decide(q, [advice], allowed=allowed).verdict != "no"
    assert decide(q, [replace(advice, asked_in="")], allowed=allowed).verdict == "no"
    # A ban on a kind of data in such an answer still holds for every tool.
    data = Evidence("Personuppgifter får aldrig skrivas in, inte heller i Copilot Chat.", "", Norms(prohibit=True),
                    asked_in=heading)
    names = analyse("Får jag klistra in personuppgifter i Copilot Chat?")
    assert decide(names, [data], allowed=allowed).verdict == "no"


MEETINGS_PAGE = """<html><body><main><h1>AI-riktlinje för Vattenby Vatten</h1>
<h2>Möten</h2>
<p>Meeting transcription with Teams is permitted only in internal meetings where all participants have been told at
the start of the meeting. It is not permitted in meetings with customers or in board meetings.</p>
<h2>Verktyg</h2>
<p>We recommend Copilot Chat for everyday writing and summarising tasks.</p>
<p>Questions about this guideline are answered by the information security coordinator.</p>
</main></body></html>
"""


def test_a_quote_that_goes_on_into_a_ban_on_what_the_question_adds_is_read_as_that_ban(tmp_path_factory,
                                                                                       embedding_cache):
    from conftest import small_store
    from test_info_classes import MANIFEST

    manifest = MANIFEST.replace("klassby-ai", "vattenby-moten")
    store = small_store(tmp_path_factory.mktemp("meetings"), embedding_cache, manifest,
                        {"vattenby-moten.html": MEETINGS_PAGE})
    internal = store.ask("Can we use Teams transcription in our internal team meeting?", "klassby")
    assert internal.verdict != "no"
    history = [{"question": internal.question, "answer": internal.text}]
    customer = store.ask("and if a customer joins the call for the first 10 min?", "klassby", history)
    assert customer.verdict == "no" and "not permitted in meetings with customers" in customer.citations[0].quote
    assert customer.text.startswith("No: It is not permitted in meetings with customers")


def test_a_ban_naming_where_it_also_holds_is_not_about_that_place():
    # "… inte heller i AI-portalen" names where the ban holds: a question using AI-portalen without personnummer is
    # not what the ban is on; one with personnummer is.
    ban = ev("Personnummer får under inga omständigheter matas in i en AI-tjänst, inte heller i AI-portalen.",
             Norms(prohibit=True))
    none = analyse("Underlaget har namn på fastighetsägare men det finns inga personnummer i texten. Får jag använda "
                   "AI-portalen till det?")
    assert decide(none, [ban]).verdict != "no"
    assert decide(analyse("Får jag mata in personnummer i AI-portalen?"), [ban]).verdict == "no"


def test_an_ordinary_english_word_names_a_tool_only_when_capitalised_in_english():
    from assistant.verdict import tools_in

    assert not tools_in("Can I use AI to translate a letter to one of our residents into another language?")
    assert tools_in("Can I use Google Translate for a letter?") == {"translate"}
    assert tools_in("Is Word approved for Klass 2?") == {"word"}
    # (in a Swedish question the tool's name is the tool's, however it is typed)
    assert tools_in("får vi köra teams transkribering på mötet?") == {"teams"}


def test_an_english_translation_question_is_decided_by_the_rules_not_by_an_unapproved_tool():
    q = analyse("Can I use AI to translate a letter to one of our residents into another language?")
    only_approved = ev("Använd bara godkända verktyg och bara upp till den informationsklass som anges i tabellen.",
                       Norms(only=True))
    letter = ev("I Copilot Chat får du bara översätta brevet om du först har tagit bort namn och andra uppgifter "
                "som kan identifiera mottagaren.", Norms(only=True, condition=True),
                "om du först har tagit bort namn och andra uppgifter som kan identifiera mottagaren")
    d = decide(q, [letter, only_approved], allowed=frozenset({"copilot"}))
    assert d.reason != "not_approved" and d.verdict == "conditional"


def test_a_ban_on_sensitive_data_decides_for_information_that_is_sensitive_in_the_questions_own_words():
    q = analyse("Can I use DeepL Pro (our licence) to translate an e-mail about a colleague's sick leave and rehab "
                "plan into English?")
    assert "sensitive_data" in q.concepts
    row = ev("AI-tjänst: DeepL Pro via kommunens licens (översättning) · Låg: Ja · Måttlig: Ja · Hög: Nej", Norms())
    ban = ev("Skriv aldrig in personnummer, samordningsnummer eller känsliga personuppgifter (till exempel uppgifter "
             "om hälsa, etniskt ursprung, politiska åsikter, religion eller sexualliv) i en AI-tjänst – inte heller i "
             "Copilot Chat eller SkrivStöd.", Norms(prohibit=True))
    d = decide(q, [row, ban], allowed=frozenset({"deepl", "copilot", "skrivstöd"}))
    assert (d.verdict, d.deciding, d.reason) == ("no", 1, "named_ban")


def test_tools_a_ban_names_as_covered_too_do_not_limit_it_to_them():
    from assistant.verdict import about_other_tools

    q = analyse("får man skriva in persnummer i deepl om man har licens?")
    allowed = frozenset({"copilot", "deepl", "solbacka assistenten"})
    every = ("Skriv aldrig in personnummer i något AI-verktyg – inte i Copilot Chat och inte heller i Solbacka "
             "Assistenten.")
    assert not about_other_tools(every, q, allowed)
    assert about_other_tools("Personuppgifter om barn och elever får inte skrivas in i Copilot Chat.", q, allowed)


def test_voice_recordings_of_people_are_sensitive_data():
    q = analyse("Jag vill ladda upp röstinspelningar av två kollegor i en gratis AI-app så att den kan läsa manuset "
                "med deras röster. Manuset är öppen information. Får jag göra så?")
    assert "sensitive_data" in q.concepts and q.risky
    only_open = ev("Allmänt tillgängliga AI-tjänster får bara användas med öppen information.", Norms(only=True))
    assert decide(q, [only_open]).verdict == "no"


def test_a_claim_that_something_may_be_done_asks_permission_and_is_wrong_when_it_claims_too_much():
    claim = analyse("A colleague says that we can use ChatGPT for pretty much anything, as long as we check the result "
                    "afterwards. Is that right?")
    assert claim.kind == "permission" and claim.claims_permission
    only_open = ev("Publika AI får bara användas för information som är klassad som öppen.", Norms(only=True))
    d = decide(claim, [only_open])
    assert (d.verdict, d.reason) == ("no", "claim_too_wide")
    # A claim that names its case is answered as the question would be; one about a fact asks no permission.
    narrow = analyse("En kollega säger att vi får använda ChatGPT för texter som redan är publicerade. Stämmer det?")
    assert narrow.kind == "permission" and decide(narrow, [only_open]).verdict != "no"
    fact = analyse("Min chef säger att reglerna inte gäller vikarier. Stämmer det?")
    assert not fact.claims_permission and fact.kind != "permission"


def test_a_concession_in_a_definition_is_no_condition_of_a_factual_yes():
    q = analyse("Räknas namn som integritetskänsliga personuppgifter enligt handledningen?")
    definition = ev("Integritetskänsliga personuppgifter: Uppgifter som på grund av sin karaktär är extra viktiga "
                    "att skydda, även om de inte definieras som känsliga personuppgifter i Dataskyddsförordningen.",
                    Norms())
    examples = ev("Hit räknas dels identifierande personuppgifter såsom namn och personnummer.", Norms())
    d = decide(q, [definition, examples])
    assert d.verdict == "yes"
    # (a condition proper still makes it conditional)
    conditional = ev("Integritetskänsliga personuppgifter är uppgifter som är extra viktiga att skydda, om de inte "
                     "redan definieras som känsliga personuppgifter i Dataskyddsförordningen.", Norms())
    assert decide(q, [conditional, examples]).verdict == "conditional"


def test_a_fields_label_names_its_topic_not_a_condition():
    from assistant.verdict import own_condition

    contact = "Frågor om AI-policyn: digitaliseringschefen, digitalisering@havslunda.se."
    assert not norms(contact).condition and own_condition(contact, "om AI-policyn: digitaliseringschefen") == ""
    assert norms("Om du är osäker: fråga AI-stödet.").condition
    rule = "Undantag: AI får användas om det finns ett beslut."
    assert norms(rule).condition and own_condition(rule, "om det finns ett beslut") == "om det finns ett beslut"


def test_when_a_duty_is_due_is_no_state_the_question_settles():
    q = analyse("Vi på samhällsbyggnad vill ha en AI-chattbot på havslunda.se som svarar på allmänna frågor om "
                "bygglov. Får vi det?")
    assert "open_info" in q.concepts          # (the website is named)
    duty = ev("AI-funktioner som kommunen erbjuder invånare, till exempel chattbotar på webbplatsen, ska godkännas "
              "enligt avsnitt 5 innan de publiceras.", Norms(oblige=True, condition=True), "innan de publiceras")
    d = decide(q, [duty])
    assert (d.verdict, d.deciding) == ("conditional", 0)


def test_a_duty_leans_met_by_what_it_requires_not_by_whom_or_what_it_is_on():
    from assistant.situation.reader import Situation
    from assistant.verdict import _leans_met

    text = ("AI-funktioner som kommunen erbjuder invånare, till exempel chattbotar på webbplatsen, ska godkännas "
            "enligt avsnitt 5.")
    duty = Evidence(text, text, Norms(oblige=True), "", Situation("allows", 0.6, False))
    topic = analyse("Vi vill ha en AI-chattbot på webbplatsen som svarar invånare om bygglov. Får vi det?")
    assert not _leans_met(duty, topic, pasted=False)
    approved = analyse("Vår chattbot på webbplatsen har godkänts enligt avsnitt 5. Får vi publicera den?")
    assert _leans_met(duty, approved, pasted=False)


def test_a_ban_on_the_class_the_definitions_give_speaks_though_the_question_states_a_lower_one():
    # The question states the tool's class ("godkänd för klass C"); its information is klass D by the definitions.
    definitions = ("Uppgifter som omfattas av sekretess enligt offentlighets- och sekretesslagen är minst klass C och "
                   "får därmed endast användas i AI-portalen. Uppgifter som omfattas av sekretess till skydd för "
                   "enskild inom socialtjänst, hälso- och sjukvård eller elevhälsa är klass D. Information i klass D "
                   "får under inga omständigheter användas i några AI-tjänster.")
    q = analyse("Jag vill låta AI-portalen sammanfatta en genomförandeplan. Uppgifterna omfattas av sekretess inom "
                "socialtjänsten och hälso- och sjukvården. AI-portalen är ju godkänd för klass C, så det borde väl "
                "gå bra?")
    evidence = [ev("Uppgifter som omfattas av sekretess enligt offentlighets- och sekretesslagen är minst klass C och "
                   "får därmed endast användas i AI-portalen."),
                ev("Information i klass D får under inga omständigheter användas i några AI-tjänster.")]
    d = decide(q, evidence, organisation_text=definitions)
    assert (d.verdict, d.deciding) == ("no", 1)


def test_no_yes_to_a_yes_no_question_whose_information_is_a_class_a_quoted_rule_bans():
    q = analyse("If the dataskyddsombud says it's fine, can class D information go into AI-portalen just this once?")
    q.kind = "factual"
    evidence = [ev("Information i klass C får användas endast i AI-portalen."),
                ev("Information i klass D får under inga omständigheter användas i några AI-tjänster.")]
    d = decide(q, evidence, organisation_text=" ".join(e.text for e in evidence))
    assert d.verdict != "yes"
    # what counts as the class is no use of it
    definition = analyse("Räknas uppgifter om hälsa inom socialtjänsten som klass D?")
    definition.kind = "factual"
    assert decide(definition, evidence, organisation_text=" ".join(e.text for e in evidence)).reason != "class_banned"


def test_a_yes_no_question_whether_a_banned_class_can_go_somewhere_is_answered_by_the_ban():
    # Nothing else settles whether it can: the outright ban on its class does.
    q = analyse("If the dataskyddsombud says it's fine, can class D information go into AI-portalen just this once?")
    q.kind = "factual"
    ban = ev("Information i klass D får under inga omständigheter användas i några AI-tjänster.", Norms(prohibit=True))
    d = decide(q, [ev("Vilken information som får användas i en AI-tjänst avgörs av informationens klass."), ban],
               organisation_text=ban.text)
    assert (d.verdict, d.deciding, d.reason) == ("no", 1, "class_banned")
    # A question that asks no "can" is not answered by it.
    labelled = analyse("Måste klass D-information märkas när den arkiveras?")
    labelled.kind = "factual"
    assert decide(labelled, [ban], organisation_text=ban.text).reason != "class_banned"


@pytest.mark.parametrize("question, quote", [
    ("Omfattas kundchattboten Ekby-Elin av riktlinjen?",
     '2.3 It covers AI tools used by staff in their work and the customer chatbot "Ekby-Elin" on ekbyenergi.se. It '
     "does not cover AI functions built into the grid control systems by the system suppliers."),
    ("Måste vi informera användarna när ett system med begränsad risk interagerar med dem?", RISK_ITEMS),
])
def test_a_factual_question_is_read_by_the_sentence_or_list_item_of_a_quote_that_names_what_is_asked(question, quote):
    q = analyse(question)
    q.kind = "factual"             # as the engine's learned reader reads it (assistant/question_kind)
    d = decide(q, [Evidence(quote, quote, Norms())])
    assert (d.verdict, d.deciding) == ("yes", 0)


def test_a_ban_a_quote_goes_on_into_names_something_of_the_question_only_when_not_named_as_absent():
    from assistant.verdict import says_more_of

    rule = "Meeting transcription is permitted only in internal meetings where all participants have been told."
    ban = "It is not permitted in meetings with customers or in board meetings."
    joined = analyse("Can we transcribe our internal meeting? A customer joins the call.")
    assert says_more_of(ban, rule, joined)
    absent = analyse("Can we transcribe our internal meeting? We talk about procedures, no customer data.")
    assert not says_more_of(ban, rule, absent)


def test_a_duty_for_mostly_ai_made_text_is_not_on_a_small_share_and_depends_on_an_unsaid_one():
    duty = ev("Text som skickas till invånare och som till största delen har skapats med AI ska märkas.",
              Norms(oblige=True))
    small = analyse("Copilot hjälpte mig bara med ingressen, ungefär en femtedel av texten. Måste broschyren till "
                    "invånarna märkas?")
    small.kind = "factual"
    assert (decide(small, [duty]).verdict, decide(small, [duty]).reason) == ("no", "minor_share")
    unsaid = analyse("Måste texter som går ut till invånarna märkas om man har tagit hjälp av AI?")
    unsaid.kind = "factual"
    assert decide(unsaid, [duty]).verdict == "conditional"
    # A question that says AI made most of it is under the duty.
    most = analyse("Copilot skrev det mesta av brevet till invånarna. Måste det märkas?")
    most.kind = "factual"
    assert decide(most, [duty]).verdict == "yes"


def test_a_yes_no_question_that_asks_nothing_but_a_verb_of_a_tool_is_settled_only_by_a_sentence_naming_the_tool():
    q = analyse("Har kommunen granskat ChatGPT så att vi vet att den är säker att använda?")
    q.kind = "factual"
    review = ev("När medarbetare producerar något med stöd av AI ansvarar den för att granska och rätta eventuella fel.")
    assert decide(q, [review]).verdict != "yes"
    reviewed = ev("Kommunen har granskat ChatGPT och bedömt att den får användas för öppen information.")
    assert decide(q, [reviewed]).verdict == "yes"
