"""When a document is in force (assistant/validity.py) and the factual answer it gives."""
from datetime import date

import pytest

from assistant.question import analyse
from assistant.validity import asked_period, in_force_at, out_of_force, period_in_force
from assistant.verdict import Evidence, Norms, decide

DECISION = ("1. att anta Tillfälliga regler för användning av AI-tjänster i Lindmora kommun enligt nedan, att gälla "
            "från och med 2025-10-01 till dess att kommunfullmäktige har antagit en AI-policy, dock längst till och "
            "med 2026-09-30")


def test_a_sentence_gives_the_first_and_last_day_by_the_words_before_its_dates():
    assert period_in_force(DECISION) == (date(2025, 10, 1), date(2026, 9, 30))
    assert period_in_force("Riktlinjen gäller från 2025-04-01.") == (date(2025, 4, 1), None)
    assert period_in_force("Gäller till: 2027-12-31") == (None, date(2027, 12, 31))
    assert period_in_force("This guideline applies from 1 May 2025.") == (date(2025, 5, 1), None)
    # a date that says something else (when it was decided or updated) is no bound
    assert period_in_force("Riktlinjen beslutades 2025-03-18 och gäller tills vidare.") == (None, None)
    assert period_in_force("Senast uppdaterad: 2025-04-02") == (None, None)


def test_a_question_asks_about_a_time_only_when_it_asks_whether_something_is_in_force_then():
    assert asked_period("Gäller reglerna fortfarande i november 2026?") == (date(2026, 11, 1), date(2026, 11, 30))
    assert asked_period("Does the guideline apply on October 1, 2026?") == (date(2026, 10, 1), date(2026, 10, 1))
    assert asked_period("Vad hände på mötet i november 2026?") is None
    assert asked_period("Gäller reglerna för praktikanter?") is None


@pytest.mark.parametrize("question, ended", [
    ("om fullmaktige inte hunnit anta nan ai-policy, gäller de tillfälliga reglerna i november 2026?", True),
    ("Gäller de tillfälliga reglerna i september 2026?", False),
    ("Gällde reglerna redan i augusti 2025?", True),
    ("Gäller reglerna i december 2025?", False),
])
def test_a_time_outside_the_period_is_out_of_force(question, ended):
    assert out_of_force(DECISION, question) is ended


def test_a_factual_question_about_a_time_after_the_last_day_is_answered_no_by_that_sentence():
    q = analyse("Gäller de tillfälliga reglerna fortfarande i november 2026?")
    q.kind = "factual"             # as the engine's learned reader reads it (assistant/question_kind)
    other = "Med AI-tjänst avses i reglerna en tjänst som med generativ AI skapar text, bild, ljud eller kod."
    d = decide(q, [Evidence(other, other, Norms()), Evidence(DECISION, DECISION, Norms())])
    assert (d.verdict, d.deciding, d.reason) == ("no", 1, "out_of_force")


@pytest.mark.parametrize("sentence, question, inside", [
    ("Riktlinjen gäller från 2025-04-01.", "Gäller riktlinjen redan nu? Det är mitten av maj 2025", True),
    ("Riktlinjen gäller från 2025-04-01.", "Gällde riktlinjen redan i mars 2025?", False),
    (DECISION, "Gäller reglerna i december 2025?", True),
    (DECISION, "Gäller reglerna i november 2026?", False),
    ("Riktlinjen beslutades 2025-03-18.", "Gäller riktlinjen i maj 2025?", False),      # no period given
])
def test_a_time_inside_the_period_is_in_force(sentence, question, inside):
    assert in_force_at(sentence, question) is inside


def test_a_factual_question_whether_the_document_applies_at_a_time_inside_its_period_is_answered_yes():
    q = analyse("Gäller riktlinjen redan nu? Det är mitten av maj 2025")
    q.kind = "factual"
    other = "Här har vi samlat reglerna från kommunens riktlinje för generativ AI."
    start = "Riktlinjen gäller från 2025-04-01."
    d = decide(q, [Evidence(other, other, Norms()), Evidence(start, start, Norms())], names="AI i arbetet – riktlinje")
    assert (d.verdict, d.deciding, d.reason) == ("yes", 1, "in_force")


PILOT = ("2. att genomföra en pilot med AI-stödd mötesdokumentation i kommunledningsförvaltningen och "
         "samhällsbyggnadsförvaltningen under perioden 2025-10-01–2026-03-31,")


def test_a_range_gives_its_first_and_last_day():
    assert period_in_force(PILOT) == (date(2025, 10, 1), date(2026, 3, 31))


@pytest.mark.parametrize("question, ended", [
    ("Kan vi fortsätta köra den på våra interna möten i april 2026?", True),
    ("Den 20 november 2025 har vi ett internt planeringsmöte. Får vi köra transkriberingen?", False),
    # a date before the first day is more often what the information is from than when it is used
    ("Får vi transkribera inspelningen från mötet i mars 2025?", False),
    ("Får vi köra transkriberingen på våra interna möten?", False),
])
def test_a_permission_question_for_a_time_after_the_last_day_is_out_of_force(question, ended):
    from assistant.validity import ended_by

    assert ended_by(PILOT, question) is ended
    q = analyse(question)
    q.kind = "permission"
    rule = "I piloten får transkribering och automatiska minnesanteckningar i Microsoft Teams användas i interna möten."
    d = decide(q, [Evidence(rule, rule, Norms(permit=True)), Evidence(PILOT, PILOT, Norms())])
    assert (d.reason == "out_of_force") is ended and (not ended or (d.verdict, d.deciding) == ("no", 1))


def test_the_first_line_of_a_no_by_date_repeats_the_clauses_that_give_the_period():
    from assistant.validity import period_said

    assert period_said(DECISION) == ("att gälla från och med 2025-10-01 till dess att kommunfullmäktige har antagit en "
                                     "AI-policy, dock längst till och med 2026-09-30")
    assert period_said("Riktlinjen gäller från 2025-04-01.") == "Riktlinjen gäller från 2025-04-01."
