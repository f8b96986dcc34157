"""Question analysis without models: concept patterns match words, not pieces of other words, and the kind of
answer a question expects (date, role or body, frequency, definition) is recognised from its form."""
from assistant.language import concepts_in, defines_term_of, expected_answers


def names(text: str) -> set[str]:
    return {c.name for c in concepts_in(text)}


def test_concept_patterns_do_not_fire_inside_other_words():
    assert "transparency" not in names("Vem hjälper mig med informationssäkerhet när jag delar information?")
    assert "transparency" in names("Do we have to inform residents that a chatbot answers them?")
    assert "human_review" not in names("Kan du berätta vad som står i checklistan?")
    assert "human_review" in names("Måste jag granska texten innan den skickas?")
    assert "policy_content" not in names("Can I use ChatGPT to draft a reply to a supplier?")
    assert "policy_content" in names("We are drafting an AI policy, what should it contain?")
    assert "teaching" not in names("Är det relevant för vår förvaltning?")
    assert "custom_ai" not in names("Can customer service use a chatbot?")


def matches(question: str, passage: str) -> bool:
    return any(p.search(passage) for p in expected_answers(question))


def test_a_when_question_expects_a_date():
    assert matches("Från vilket datum gäller riktlinjerna?", "Riktlinjerna gäller från den 3 mars 2026.")
    assert matches("Since the board decided, when did the rules take effect?", "Beslutat 2025-04-01.")
    assert not matches("Från vilket datum gäller riktlinjerna?", "Riktlinjerna gäller alla anställda.")
    # "när det gäller" (as regards) and "när vi ..." (when we ...) do not ask for a date
    assert expected_answers("Vad gäller när det gäller bilder som AI har skapat?") == []
    assert expected_answers("Får jag använda AI när vi skriver protokoll?") == []


def test_a_who_question_expects_a_role_or_body():
    assert matches("Vem godkänner nya AI-verktyg?", "Nya verktyg godkänns av digitaliseringsenheten.")
    assert matches("Who approves new tools?", "Requests go to the security officer.")
    assert not matches("Vem godkänner nya AI-verktyg?", "Nya verktyg ska prövas innan de används.")


def test_a_how_often_question_expects_a_frequency():
    assert matches("Hur ofta ska riskbedömningen göras om?", "Riskbedömningen görs om årligen.")
    assert not matches("Hur ofta ska riskbedömningen göras om?", "Riskbedömningen dokumenteras.")


def test_a_definition_is_found_for_the_term_asked_about():
    glossary = ["Skyddad information: Uppgifter som inte får spridas utanför förvaltningen."]
    assert defines_term_of("Vad räknas som skyddad information?", glossary)
    assert defines_term_of("What does 'skyddad information' mean?", glossary)
    assert not defines_term_of("Vad räknas som öppen information?", glossary)
    assert not defines_term_of("Får jag dela skyddad information?", glossary)    # not asking what it is
    inline = ["Undvik ”skuggverktyg” dvs verktyg som inte är godkända."]
    assert defines_term_of("What does skuggverktyg mean?", inline)
