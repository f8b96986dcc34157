"""The LLM answer mode against a real HTTP server process that scripts the model's replies (tests/llm_stub_server.py)."""
from __future__ import annotations

import importlib.util
import json
import time
import urllib.request

import pytest

from assistant.answer import Answer, Citation
from assistant.llm import (SYSTEM_PROMPT, LLMError, build_messages, check_citations, llm_answer, make_llm,
                           parse_verdict)
from assistant.retrieval import Passage
from assistant.settings import load_settings
from ingest.errors import PolicyAssistantError
from tests.conftest import free_port, scenario

PASSAGES = [
    Passage(id="nacka-ai-policy:7", doc_id="nacka-ai-policy", title="AI-policy för Nacka kommun", organisation="nacka",
            binding=True, doc_type="policy", section="4.2 Personuppgifter", start=1200, end=1200 + 231,
            text="Medarbetare får inte mata in personuppgifter eller sekretessbelagd information i allmänt "
                 "tillgängliga AI-tjänster. Det gäller även uppgifter som indirekt kan identifiera en person. "
                 "Kommunens upphandlade AI-tjänster får användas efter att en riskbedömning gjorts."),
    Passage(id="nacka-riktlinje:3", doc_id="nacka-riktlinje", title="Riktlinje för AI-system", organisation="nacka",
            binding=True, doc_type="riktlinje", section="5 Ansvar", start=800, end=800 + 117,
            text="Förvaltningschefen beslutar om riskklassificering av nya AI-system. "
                 "IT-enheten ska ge stöd när nya AI-system bedöms."),
    Passage(id="digg-vagledning:2", doc_id="digg-vagledning", title="Vägledning för generativ AI", organisation="general",
            binding=False, doc_type="vagledning", section="", start=0, end=112,
            text="Generativ AI kan ge felaktiga svar. Kontrollera alltid resultatet innan det används i myndighetsutövning."),
]
QUESTION = "Får jag klistra in en elevs personuppgifter i ChatGPT?"


def draft_answer(language: str = "sv") -> Answer:
    p = PASSAGES[0]
    quote_end = p.text.index(".") + 1
    citation = Citation(n=1, passage_id=p.id, document=p.doc_id, title=p.title, organisation=p.organisation,
                        binding=p.binding, section=p.section, quote=p.text[:quote_end], start=p.start,
                        end=p.start + quote_end, passage=p.text, passage_start=p.start, passage_end=p.end)
    return Answer(question=QUESTION, organisation="nacka", language=language, verdict="no",
                  text="Medarbetare får inte mata in personuppgifter i allmänt tillgängliga AI-tjänster [1].",
                  citations=[citation])


def last_request(base: str) -> dict:
    return json.loads(urllib.request.urlopen(base + "/_last", timeout=5).read())


def run(base: str, name: str | None = "ok", *, language: str = "sv", history=None, timeout: float = 5.0,
        backend: str = "openai", **scenario_kw) -> tuple[list[str], Answer, float]:
    """Script the server (unless name is None), ask, and return (text deltas, final answer, seconds)."""
    if name is not None:
        scenario(base, name, **scenario_kw)
    settings = load_settings(llm_backend=backend, llm_api_base=base + "/v1", llm_model="stub-model", llm_timeout=timeout)
    started = time.monotonic()
    items = list(llm_answer(make_llm(settings), settings, QUESTION, language, history, PASSAGES, draft_answer(language)))
    elapsed = time.monotonic() - started
    *deltas, final = items
    assert all(isinstance(d, str) for d in deltas) and isinstance(final, Answer)
    return deltas, final, elapsed


def assert_fallback(answer: Answer, reason: str, language: str = "sv") -> None:
    draft = draft_answer(language)
    assert answer.fallback and answer.mode == "extractive"
    assert answer.flags["fallback_reason"].startswith(reason), answer.flags
    assert (answer.verdict, answer.text, answer.citations) == (draft.verdict, draft.text, draft.citations)
    notice = ("Språkmodellen kunde inte användas (", "; svaret nedan är citat ur dokumenten.") if language == "sv" else \
             ("The language model could not be used (", "; the answer below quotes the documents.")
    assert answer.notices[-1].startswith(notice[0]) and answer.notices[-1].endswith(notice[1])


# -- the answer --------------------------------------------------------------------------------------

def test_streams_deltas_then_the_checked_answer(stub):
    deltas, answer, _ = run(stub, "ok")
    assert len(deltas) >= 5
    assert "".join(deltas).startswith("Nej.\nDu får inte mata in")
    assert answer.mode == "llm" and not answer.fallback and answer.verdict == "no"
    assert answer.text.startswith("Du får inte mata in personuppgifter")      # the verdict line is not in the text
    assert answer.text.count("[1]") == 2 and "Nej." not in answer.text
    # The same passage as the draft cites: the draft's quote, span and all.
    assert answer.citations == draft_answer().citations
    assert "llm" in answer.timings


def test_quote_is_the_passage_sentence_the_llm_drew_on(stub):
    text = "Så här säger dokumenten.\nDu ska få stöd av IT-enheten när ett nytt AI-system bedöms [2]."
    _, answer, _ = run(stub, "ok", text=text)
    assert answer.verdict == "info"
    [c] = answer.citations
    p = PASSAGES[1]
    assert (c.n, c.passage_id, c.title, c.binding) == (2, p.id, p.title, True)
    # The second sentence shares the words, not the first: overlap chooses, and the span is in document offsets.
    assert c.quote == "IT-enheten ska ge stöd när nya AI-system bedöms."
    assert p.text[c.start - p.start:c.end - p.start] == c.quote and c.start > p.start


def test_citations_to_passages_not_given_are_removed_and_flagged(stub):
    _, answer, _ = run(stub, "bad_citation")
    assert answer.mode == "llm" and not answer.fallback
    assert [c.n for c in answer.citations] == [1]
    assert answer.flags["removed_citations"] == [7, 9]
    assert "[7" not in answer.text and "[9]" not in answer.text and ", 7" not in answer.text
    assert "AI-tjänster [1]." in answer.text and answer.text.endswith("om du är osäker.")


def test_no_valid_citation_falls_back_with_a_swedish_notice(stub):
    _, answer, _ = run(stub, "no_citation")
    assert_fallback(answer, "no valid citation")
    assert "svaret hänvisade inte till dokumenten" in answer.notices[-1]
    assert draft_answer().notices == []          # the draft itself is left alone


def test_english_question_gets_an_english_prompt_and_notice(stub):
    _, answer, _ = run(stub, "no_citation", language="en")
    assert_fallback(answer, "no valid citation", language="en")
    assert last_request(stub)["body"]["messages"][0]["content"] == SYSTEM_PROMPT["en"]


@pytest.mark.parametrize("name, reason", [("garbage", "malformed response"), ("http_error", "HTTP error: 500")])
def test_backend_errors_fall_back(stub, name, reason):
    _, answer, _ = run(stub, name)
    assert_fallback(answer, reason)


def test_connection_refused_falls_back():
    deltas, answer, elapsed = run(f"http://127.0.0.1:{free_port()}", None)   # nothing listens there
    assert deltas == []
    assert_fallback(answer, "connection failed")
    assert elapsed < 3


def test_slow_server_falls_back_at_the_deadline(stub):
    _, answer, elapsed = run(stub, "slow", delay=5, timeout=1.0)
    assert_fallback(answer, "timeout")
    assert 0.9 < elapsed < 3.0


def test_stall_midstream_falls_back_at_the_deadline(stub):
    # Keep-alive comments keep every socket read short: only the whole-answer deadline can end this.
    deltas, answer, elapsed = run(stub, "stall_midstream", delay=6, timeout=1.5)
    assert len(deltas) == 3
    assert_fallback(answer, "timeout")
    assert 1.4 < elapsed < 3.5


def test_less_strict_llm_verdict_loses_to_the_draft(stub):
    _, answer, _ = run(stub, "disagree")
    assert answer.mode == "llm" and answer.verdict == "no"
    assert answer.flags["verdict_disagreement"] == {"llm": "yes", "extractive": "no"}
    assert answer.render().splitlines()[0] == "Nej."


def test_what_the_server_receives(stub):
    history = [{"question": "Vad räknas som en AI-tjänst?", "answer": "En tjänst som genererar text eller bild [1]."}]
    run(stub, "ok", history=history)
    sent = last_request(stub)
    assert sent["path"] == "/v1/chat/completions"
    body = sent["body"]
    assert body["stream"] is True and body["model"] == "stub-model"
    roles = [m["role"] for m in body["messages"]]
    assert roles == ["system", "user", "assistant", "user"]
    system, past_q, past_a, user = (m["content"] for m in body["messages"])
    assert system == SYSTEM_PROMPT["sv"]
    assert "Svara bara utifrån de numrerade utdragen" in system and "Policyn säger inget om detta." in system
    assert (past_q, past_a) == (history[0]["question"], history[0]["answer"])
    assert "[1] AI-policy för Nacka kommun (nacka, bindande, avsnitt \"4.2 Personuppgifter\")" in user
    assert "[2] Riktlinje för AI-system" in user
    assert "[3] Vägledning för generativ AI (general, vägledning, ej bindande)" in user
    assert PASSAGES[2].text in user and user.rstrip().endswith(QUESTION)


def test_ollama_backend_streams_from_api_chat(stub):
    deltas, answer, _ = run(stub, "ok", backend="ollama")
    assert len(deltas) >= 5
    assert answer.mode == "llm" and [c.n for c in answer.citations] == [1]
    sent = last_request(stub)
    assert sent["path"] == "/api/chat" and sent["body"]["stream"] is True
    assert sent["body"]["messages"][0]["content"] == SYSTEM_PROMPT["sv"]


def test_ollama_backend_errors_fall_back(stub):
    _, answer, _ = run(stub, "http_error", backend="ollama")
    assert_fallback(answer, "HTTP error: 500")


# -- configuration -----------------------------------------------------------------------------------

@pytest.mark.skipif(importlib.util.find_spec("llama_cpp") is not None, reason="llama-cpp-python is installed")
def test_llama_cpp_without_the_package_names_the_extra(tmp_path):
    model = tmp_path / "model.gguf"
    model.write_bytes(b"GGUF")
    with pytest.raises(PolicyAssistantError, match=r"pip install 'policy-assistant\[llama-cpp\]'"):
        make_llm(load_settings(llm_backend="llama-cpp", llm_model_path=str(model)))


def test_ollama_needs_a_model_name():
    with pytest.raises(LLMError, match="llm_model"):
        make_llm(load_settings(llm_backend="ollama", llm_model=""))


def test_messages_keep_only_recent_history_and_at_most_five_passages():
    history = [{"question": f"fråga {i}", "answer": f"svar {i}"} for i in range(6)]
    messages = build_messages(QUESTION, "sv", history, PASSAGES * 3, draft_answer())
    assert [m.content for m in messages[1:-1:2]] == ["fråga 3", "fråga 4", "fråga 5"]
    assert "[5] " in messages[-1].content and "[6] " not in messages[-1].content


# -- units ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("text, n, expected", [
    ("A [1, 2]. B [1][3].", 2, ("A [1][2]. B [1].", {1, 2}, [3])),
    ("A [4]. B [0].", 3, ("A. B.", set(), [4, 0])),
    ("A [ 2 ;5 ] [2].", 3, ("A [2].", {2}, [5])),
    ("Inga hänvisningar.", 3, ("Inga hänvisningar.", set(), [])),
    ("A[3]", 3, ("A[3]", {3}, [])),
])
def test_check_citations(text, n, expected):
    assert check_citations(text, n) == expected


@pytest.mark.parametrize("text, verdict", [
    ("Nej.\nDu får inte [1].", "no"),
    ("**Ja, under vissa villkor.**\nOm [1].", "conditional"),
    ("Ja.", "yes"),
    ("  \nSvar: NEJ\nText", "no"),
    ("Nej, du får inte mata in personuppgifter [1].", "no"),
    ("Policyn säger inget om detta", "not_covered"),
    ("Så här säger dokumenten:", "info"),
    ("Yes, under certain conditions.", "conditional"),
    ("The policy does not say.", "not_covered"),
    ("Du får inte mata in personuppgifter [1].", None),
    ("Nejdå", None),
    ("", None),
])
def test_parse_verdict(text, verdict):
    assert parse_verdict(text, "sv") == verdict
