"""Which tools an organisation's documents allow, and the "no" for a tool they never allow (assistant/approval.py)."""
from assistant.approval import allowed_tools, unapproved
from assistant.question import analyse
from assistant.verdict import Evidence, decide, norms

POLICY = """I arbetet får endast godkända AI-tjänster användas.
Godkända AI-tjänster är för närvarande Copilot Chat med kommunkontot och AI-portalen.
Fria AI-tjänster som gratisversionen av ChatGPT är inte godkända för arbetsuppgifter.
AI-tjänst: DeepL Pro via kommunens licens · Låg: Ja · Hög: Nej"""


def ev(text: str) -> Evidence:
    return Evidence(text, text, norms(text))


def test_tools_named_where_the_documents_approve_or_permit_are_allowed_and_a_negated_approval_is_not():
    assert allowed_tools(POLICY) == {"copilot", "deepl"}
    assert unapproved("Får jag använda ChatGPT Plus i jobbet?", POLICY) == {"chatgpt"}
    assert unapproved("Är Midjourney godkänt hos oss?", POLICY) == {"midjourney"}
    # A question that names an allowed tool too, documents that allow no tool by name, or no tool: nothing to say.
    assert not unapproved("Får jag använda Copilot i Word?", POLICY)
    assert not unapproved("Får jag använda ChatGPT?", "AI-tjänster får användas med öppen information.")
    assert not unapproved("Får jag använda AI för att skriva en text?", POLICY)


def test_an_unapproved_tool_is_no_by_the_only_rule_or_the_list():
    evidence = [ev("AI kan ge felaktiga svar."), ev("I arbetet får endast godkända AI-tjänster användas.")]
    q = analyse("jag betalar själv för chatgpt plus, får jag använda det för jobbgrejer?")
    d = decide(q, evidence, unapproved=unapproved(q.text, POLICY))
    assert (d.verdict, d.deciding, d.reason) == ("no", 1, "not_approved")
    assert decide(q, evidence).reason != "not_approved"
    listing = [ev("Godkända AI-tjänster är för närvarande Copilot Chat med kommunkontot och AI-portalen.")]
    factual = analyse("Är Midjourney godkänt hos oss?")
    assert decide(factual, listing, unapproved=unapproved(factual.text, POLICY)).verdict == "no"
    # A factual question that does not ask about approval is not answered by the list.
    other = analyse("Är Midjourney bra på bilder?")
    assert decide(other, listing, unapproved=unapproved(other.text, POLICY)).reason != "not_approved"
