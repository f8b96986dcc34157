"""FAQ entries as the documents' own verdicts (assistant/faq.py): a question heading answered "Nej, …" / "Ja, om …"."""
from __future__ import annotations

import pytest

from conftest import small_store

from assistant.faq import asks_the_same
from assistant.question import analyse

MANIFEST = """
[organisations.faqby]
name = "Faqby kommun"
contact = "AI-stödet"

[[documents]]
id = "faqby-ai-i-arbetet"
file = "faqby-ai-i-arbetet.md"
title = "AI i arbetet"
organisation = "faqby"
"""

PAGE = """# AI i arbetet

## Godkända verktyg

Medarbetare får använda Microsoft Copilot Chat inloggad med kommunkontot för intern information.
Personuppgifter får inte skrivas in i något AI-verktyg.

## Vanliga frågor

### Får jag skapa en egen chattbot eller agent i Copilot?

Nej, inte i dagsläget. Att skapa egna agenter eller chattbotar kräver tillstånd av digitaliseringschefen efter ansökan.

### Måste jag märka texter som AI har skrivit?

Ja, om texten publiceras externt och till största delen har skapats med AI. Interna texter behöver inte märkas.

### Vem svarar på frågor om AI?

AI-stödet på Digitaliseringsenheten svarar på frågor om AI i arbetet.

### Vad händer om jag bryter mot reglerna?

Din chef tar upp det med dig. Allvarliga eller upprepade överträdelser hanteras enligt kommunens rutiner för
arbetsrättsliga åtgärder.
"""


def test_an_faq_question_is_asked_when_its_naming_words_are_in_the_question():
    faq = "Får jag skapa en egen chattbot eller agent i Copilot?"
    assert asks_the_same(analyse("egen agent i copilot, får man?"), faq)
    assert asks_the_same(analyse("Får vi bygga en egen chattbot i Copilot åt enheten?"), faq)
    # One shared word is not the same question; nor is another kind of question.
    assert not asks_the_same(analyse("Får jag använda Copilot för att sammanfatta ett möte?"), faq)
    assert not asks_the_same(analyse("Vem godkänner en egen chattbot eller agent i Copilot?"), faq)


@pytest.fixture(scope="module")
def faqby(tmp_path_factory, embedding_cache):
    return small_store(tmp_path_factory.mktemp("faq"), embedding_cache, MANIFEST, {"faqby-ai-i-arbetet.md": PAGE})


def test_the_faq_answer_no_decides_and_is_quoted_first(faqby):
    answer = faqby.ask("egen agent i copilot, får man?", "faqby")
    assert answer.verdict == "no" and answer.flags["decided_by"] == "faq"
    assert answer.citations[0].quote.startswith("Nej, inte i dagsläget") and answer.citations[0].deciding


def test_a_yes_with_a_condition_is_conditional_for_a_yes_no_question(faqby):
    answer = faqby.ask("måste man märka texter som ai har skrivit?", "faqby")
    assert answer.verdict == "conditional" and answer.flags["decided_by"] == "faq"
    assert answer.citations[0].quote.startswith("Ja, om texten publiceras externt")


def test_a_question_the_faq_does_not_ask_is_decided_by_the_rules(faqby):
    answer = faqby.ask("Får jag använda Copilot Chat för att sammanfatta ett internt möte?", "faqby")
    assert answer.flags.get("decided_by") != "faq"
    assert not any(c.quote.startswith("Nej, inte i dagsläget") for c in answer.citations)


def test_the_faq_entry_asking_a_what_question_answers_it_in_its_own_order(faqby):
    # Its words are common ones, compared as typed (without å, ä, ö): the whole answer is quoted, first sentence first.
    answer = faqby.ask("vad hander om man bryter mot ai reglerna?", "faqby")
    assert answer.verdict == "info"
    assert [c.quote for c in answer.citations[:2]] == [
        "Din chef tar upp det med dig.",
        "Allvarliga eller upprepade överträdelser hanteras enligt kommunens rutiner för arbetsrättsliga åtgärder."]


def test_an_faq_entry_sharing_one_word_does_not_answer_a_what_question():
    from types import SimpleNamespace

    from assistant.faq import faq_answer

    entry = SimpleNamespace(section="AI i arbetet > Vanliga frågor > Vilka verktyg får jag använda?")
    index = SimpleNamespace(of=lambda p: ["Se tabellen."])
    assert faq_answer(analyse("vilka verktyg får man använda?"), [entry], index) == ["Se tabellen."]
    assert faq_answer(analyse("vem bestammer om vi far borja anvanda ett nytt ai verktyg?"), [entry], index) == []
