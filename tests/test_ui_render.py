"""The chat's HTML and Markdown: escaping, verdict words, sources, the document view and the handout."""
from __future__ import annotations

from datetime import datetime

from assistant.ui import render
from assistant.ui.strings import STRINGS, VERDICT_BADGE


def _answer(**kw):
    passage = "Inledning.\n\n Publika AI får bara användas för öppen information. Mer\ntext."
    q0 = passage.index("Publika")
    q1 = passage.index(" Mer")
    citation = {"n": 1, "passage_id": "p1", "document": "askersund-policy", "title": "Policy för AI", "organisation": "askersund",
                "binding": True, "section": "Användning av AI", "quote": passage[q0:q1], "start": 100 + q0, "end": 100 + q1,
                "passage": passage, "passage_start": 100, "passage_end": 100 + len(passage)}
    base = {"question": "Får jag?", "organisation": "askersund", "language": "sv", "verdict": "conditional",
            "text": "Enligt Policy för AI: ”Publika AI får bara användas för öppen information.” [1]",
            "citations": [citation], "notices": [], "mode": "extractive", "sensitive": {}}
    return {**base, **kw}


def test_answer_html_has_badge_words_markers_and_sources():
    html = render.answer_html(_answer(), turn=3, language="sv", org_names={"askersund": "Askersunds kommun"})
    assert 'data-verdict="conditional"' in html and VERDICT_BADGE["sv"]["conditional"] in html
    assert '<sup class="cite">[1]</sup>' in html
    assert "<details" in html and STRINGS["sv"]["sources"] in html
    assert "Inledning. <mark>Publika AI får bara användas för öppen information.</mark> Mer text." in html
    assert 'href="#visa-3-1"' in html and STRINGS["sv"]["show_in_doc"] in html
    assert "Askersunds kommun" in html and STRINGS["sv"]["binding"] in html and "Användning av AI" in html
    # The chat renders Markdown: a blank line would end the HTML block and show raw tags.
    assert "\n\n" not in html


def test_answer_html_escapes_everything_it_did_not_write():
    hostile = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    html = render.answer_html(_answer(text=hostile, notices=[hostile]), turn=0, language="en")
    assert "<script>" not in html and "<img" not in html
    assert "&lt;script&gt;" in html and VERDICT_BADGE["en"]["conditional"] in html
    assert render.user_message("<b>hej</b>\nrad två") == '<div class="question">&lt;b&gt;hej&lt;/b&gt;<br>rad två</div>'


def test_not_covered_answer_has_no_sources():
    html = render.answer_html(_answer(verdict="not_covered", citations=[], text="Dokumenten tar inte upp frågan."), 0, "sv")
    assert "<details" not in html and VERDICT_BADGE["sv"]["not_covered"] in html


def test_document_view_marks_the_passage_and_the_quote():
    a = _answer()
    c = a["citations"][0]
    text = "x" * 100 + c["passage"] + " Slut <b>."
    html = render.document_html("Policy för AI", text, c, "sv", "Askersunds kommun")
    assert '<mark class="current" id="current-quote">Publika AI får bara användas för öppen information.</mark>' in html
    assert html.count('<span class="doc-passage">') == 1 and "Slut &lt;b&gt;." in html
    assert 'data-document="askersund-policy"' in html


def test_export_is_a_printable_handout_without_offsets():
    a = _answer(notices=["Obs! Språkmodellen kunde inte svara."])
    a["citations"][0]["deciding"] = True
    page = render.export_html([{"question": "Får jag <b>?", "answer": a}], "Askersunds kommun", "sv",
                              now=datetime(2026, 11, 23, 9, 30))
    assert page.startswith("<!DOCTYPE html>") and '<html lang="sv">' in page and "@media print" in page
    assert "<script" not in page and "http" not in page                 # standalone: nothing runs, nothing is fetched
    assert "Samtal med AI-policyassistenten" in page and "Askersunds kommun" in page and "2026-11-23 09:30" in page
    assert "<h2>1. Får jag &lt;b&gt;?</h2>" in page and "Svar: Ja, under villkor" in page
    assert "<b>Policy för AI</b> (bindande, avsnitt Användning av AI) · Avgörande regel" in page
    assert "<blockquote>Publika AI får bara användas för öppen information.</blockquote>" in page
    assert "tecken" not in page and str(a["citations"][0]["start"]) not in page      # no character offsets
    # the notice is its own element, never part of a quote
    assert '<p class="notice"><b>Obs:</b> Obs! Språkmodellen kunde inte svara.</p>' in page
    assert page.count("<blockquote>") == 1


def test_deciding_rule_label_and_readable_citation_labels():
    a = _answer()
    assert "Avgörande regel" not in render.answer_html(a, 0, "sv")       # works before the field exists
    a["citations"][0]["deciding"] = True
    assert '<span class="deciding">Avgörande regel</span>' in render.answer_html(a, 0, "sv")
    assert '<span class="deciding">Deciding rule</span>' in render.answer_html(a, 0, "en")
    assert render.citation_label(a["citations"][0]) == "[1] Policy för AI, Användning av AI"
    assert render.citation_label({**a["citations"][0], "section": ""}) == "[1] Policy för AI"


def test_chat_messages_say_who_speaks_to_screen_readers():
    assert render.user_message("Får jag?", "sv") == '<div class="question"><span class="pa-sr">Din fråga: </span>Får jag?</div>'
    html = render.answer_html(_answer(), 0, "en")
    assert html.startswith('<div class="answer"><span class="pa-sr">The assistant&#x27;s answer: </span>')


def test_a_citation_shows_its_version_and_the_dates_it_is_in_force():
    answer = _answer()
    answer["citations"][0].update(version="2", valid_from="2026-01-01", valid_to="")
    html = render.answer_html(answer, turn=0, language="sv")
    assert "version 2" in html and "gäller 2026-01-01–" in html
    plain = render.answer_html(_answer(), turn=0, language="sv")
    assert "version" not in plain and "gäller 2" not in plain
