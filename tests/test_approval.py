"""Which tools an organisation's documents allow, and the "no" for a tool they never allow (assistant/approval.py)."""
from assistant.approval import allowed_tools
from assistant.question import analyse
from assistant.verdict import Evidence, Norms, decide, norms

POLICY = """I arbetet får endast godkända AI-tjänster användas.
Godkända AI-tjänster är för närvarande Copilot Chat med kommunkontot och AI-portalen.
Fria AI-tjänster som gratisversionen av ChatGPT är inte godkända för arbetsuppgifter.
AI-tjänst: DeepL Pro via kommunens licens · Låg: Ja · Hög: Nej"""


def ev(text: str) -> Evidence:
    return Evidence(text, text, norms(text))


def test_tools_named_where_the_documents_approve_or_permit_are_allowed_and_a_negated_approval_is_not():
    # (the organisation's own product listed beside a known tool is allowed too: "… och AI-portalen")
    assert allowed_tools(POLICY) == {"copilot", "deepl", "ai-portalen"}
    assert not allowed_tools("AI-tjänster får användas med öppen information. ChatGPT får inte användas.")
    # (a generic compound is no product: "Godkända AI-tjänster är …")
    assert allowed_tools("Godkända AI-tjänster är Copilot Chat och AI-tjänster som IT har upphandlat.") == {"copilot"}


def test_a_ban_on_another_allowed_tool_does_not_hold_for_the_organisations_own_product():
    q = analyse("Jag har gått grundutbildningen. Får jag använda AI-portalen för svarsbrev med namnen på de sökande?")
    ban = [ev("I Copilot Chat får personuppgifter inte användas.")]
    assert decide(q, ban, allowed=allowed_tools(POLICY)).verdict != "no"
    assert decide(q, ban, allowed=frozenset({"copilot", "deepl"})).verdict == "no"


def test_a_question_that_names_an_allowed_tool_or_none_or_where_no_tool_is_allowed_by_name_is_not_unapproved():
    only = [ev("I arbetet får endast godkända AI-tjänster användas.")]
    for question, allowed in (("Får jag använda Copilot i Word?", allowed_tools(POLICY)),
                              ("Får jag använda ChatGPT?", frozenset()),
                              ("Får jag använda AI för att skriva en text?", allowed_tools(POLICY))):
        assert decide(analyse(question), only, allowed=allowed).reason != "not_approved"


def test_an_unapproved_tool_is_no_by_the_only_rule_or_the_list():
    evidence = [ev("AI kan ge felaktiga svar."), ev("I arbetet får endast godkända AI-tjänster användas.")]
    q = analyse("jag betalar själv för chatgpt plus, får jag använda det för jobbgrejer?")
    d = decide(q, evidence, allowed=allowed_tools(POLICY))
    assert (d.verdict, d.deciding, d.reason) == ("no", 1, "not_approved")
    assert decide(q, evidence).reason != "not_approved"
    listing = [ev("Godkända AI-tjänster är för närvarande Copilot Chat med kommunkontot och AI-portalen.")]
    factual = analyse("Är Midjourney godkänt hos oss?")
    assert decide(factual, listing, allowed=allowed_tools(POLICY)).verdict == "no"
    # A factual question that does not ask about approval is not answered by the list.
    other = analyse("Är Midjourney bra på bilder?")
    assert decide(other, listing, allowed=allowed_tools(POLICY)).reason != "not_approved"
    # The sentence that says the very tool is not approved decides before the rule on approved tools in general.
    free = "Fria AI-tjänster, till exempel gratisversionen av ChatGPT, är inte godkända för arbetsuppgifter."
    named = evidence + [Evidence(free, free, Norms(prohibit=True))]              # as the rule reader reads it
    assert decide(q, named, allowed=allowed_tools(POLICY)).deciding == 2



def test_a_product_named_by_two_tool_names_needs_both_approved():
    listing = [ev("Godkända AI-tjänster är för närvarande Copilot Chat med kommunkontot och AI-portalen.")]
    github = analyse("är github copilot godkänt för oss som programmerar?")
    d = decide(github, listing, allowed=allowed_tools(POLICY))
    assert (d.verdict, d.reason) == ("no", "not_approved")
    # where the documents approve GitHub Copilot by both names, it is not unapproved
    row = "AI-tjänst: GitHub Copilot Business (IT-enheten) · Låg: Ja · Hög: Nej"
    assert decide(github, listing, allowed=allowed_tools(POLICY + "\n" + row)).reason != "not_approved"
    # one name with another word is the approved tool ("Copilot i Teams" is not a product of two names)
    assert decide(analyse("Är Copilot i Teams godkänt?"), listing, allowed=allowed_tools(POLICY)).reason != "not_approved"


def test_a_ban_on_other_named_tools_does_not_apply_to_an_allowed_one():
    ban = ev("Fria AI-tjänster, till exempel gratisversionen av ChatGPT, får inte användas för arbetsuppgifter.")
    permit = ev("Copilot Chat med kommunkontot får användas för interna texter.")
    q = analyse("Får jag använda Copilot Chat med kommunkontot för att sammanfatta ett internt protokoll?")
    assert decide(q, [ban, permit], allowed=allowed_tools(POLICY)).verdict == "yes"
    # Without knowing Copilot is allowed, or for a question about the banned tool, the ban stands.
    assert decide(q, [ban, permit]).verdict != "yes"
    chatgpt = analyse("Får jag använda ChatGPT för att sammanfatta ett internt protokoll?")
    assert decide(chatgpt, [ban, permit], allowed=allowed_tools(POLICY)).verdict == "no"


def test_a_table_row_approves_its_tool_up_to_its_class_whatever_its_comment():
    text = ("Tool: Microsoft Copilot Chat (company account) · Highest class: Klass 2 · Conditions: No customer data.\n"
            "Tool: Free AI tools (ChatGPT free, Gemini, etc.) · Highest class: Klass 1 · Conditions: Discouraged.\n"
            "AI-verktyg: AI-transkribering (t.ex. Otter) · Högsta tillåtna informationsklass: Inte godkänt · "
            "Villkor och kommentarer: Får inte användas i dagsläget.")
    allowed = allowed_tools(text)
    assert {"copilot", "chatgpt", "gemini"} <= allowed and "otter" not in allowed


def test_an_organisations_own_product_in_its_class_table_is_allowed_and_a_ban_on_other_tools_does_not_reach_it():
    table = ("AI-tjänst: SkrivStöd (upphandlad skriv- och sammanfattningstjänst) · Låg: Ja · Måttlig: Ja · Hög: Ja\n"
             "Tool: Free AI tools (ChatGPT free, Gemini, etc.) · Highest class: Klass 1 · Conditions: Discouraged.")
    allowed = allowed_tools(table)
    assert "skrivstöd" in allowed and "free ai tools" not in allowed       # a kind of tool is no product name
    pupils = ev("Personuppgifter om barn och elever får inte skrivas in i Copilot Chat.")
    q = analyse("Får jag ha med deltagarnas namn när SkrivStöd renskriver anteckningar från ett projektmöte?")
    assert decide(q, [pupils], allowed=allowed).deciding is None
    assert decide(q, [pupils]).deciding == 0
    # a ban that names the product too still holds for it
    text = "Skriv aldrig in personnummer i en AI-tjänst – inte heller i Copilot Chat eller SkrivStöd."
    numbers = Evidence(text, text, Norms(prohibit=True))                      # as the rule reader reads it
    asked = analyse("Kan jag skriva in ett personnummer i SkrivStöd?")
    assert decide(asked, [numbers], allowed=allowed).verdict == "no"


def test_a_row_is_read_whole_past_an_abbreviation_in_it():
    text = ("Tabellen visar verktygen. AI-verktyg: ChatGPT, gratisversion, och andra gratis AI-chattar (t.ex. Gemini, "
            "Le Chat) · Högsta tillåtna informationsklass: Klass 0 (öppen) · Villkor och kommentarer: Avråds.")
    assert {"chatgpt", "gemini"} <= allowed_tools(text)


APPROVAL_PAGE = """# AI i arbetet

## Så här använder du AI

Använd bara godkända verktyg och bara upp till den informationsklass som anges i tabellen.

## Översätta brev

I Copilot Chat får du bara översätta brevet om du först har tagit bort namn och andra uppgifter som kan identifiera
mottagaren.

## Godkända verktyg

AI-verktyg: Microsoft Copilot Chat med kommunkontot · Högsta tillåtna informationsklass: Klass 1 · Villkor och kommentarer: Ingen.
"""


def test_a_tool_never_allowed_is_no_by_the_rule_that_only_approved_tools_may_be_used(tmp_path, embedding_cache):
    from conftest import one_document_manifest, small_store

    manifest = one_document_manifest("tabellby", "Tabellby kommun", "tabellby-ai", "tabellby-ai.md", "AI i arbetet")
    store = small_store(tmp_path, embedding_cache, manifest, {"tabellby-ai.md": APPROVAL_PAGE})
    answer = store.ask("Får jag använda DeepL för att översätta ett brev till en invånare?", "tabellby")
    assert (answer.verdict, answer.flags["decided_by"]) == ("no", "not_approved")
    assert "bara godkända verktyg" in answer.citations[0].quote and answer.citations[0].deciding
