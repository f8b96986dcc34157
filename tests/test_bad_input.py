"""Bad input (issue 6): hostile questions, corrupt and hostile files, and properties of the text routines.

Questions go to the real `Assistant` over the real corpus store; files go through the real CLI
(`policy-assistant ingest FILE --organisation nacka`) against a real store, which must be left as it was.
"""
from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings as hsettings, strategies as st

from assistant.answer import Answer
from assistant.engine import MAX_QUESTION_CHARS
from ingest.sentences import BULLET, split_spans
from ingest.errors import PolicyAssistantError
from ingest.repair import HYPHEN_GAP, TOKEN, repair_text
from tests.conftest import CORPUS, run_cli
from tests.test_loaders import POLICY, write_pdf

VERDICTS = {"yes", "no", "conditional", "info", "not_covered"}

# -- questions --------------------------------------------------------------------------------------

OTHER_LANGUAGES = [
    "هل يمكنني استخدام ChatGPT مع البيانات الشخصية؟",                    # Arabic
    "Saanko käyttää ChatGPT:tä henkilötietojen kanssa?",                   # Finnish
    "我可以在ChatGPT中使用个人数据吗？",                                      # Chinese
    "Могу ли я вставить персональные данные в ChatGPT?",                   # Russian
    "Darf ich personenbezogene Daten in ChatGPT eingeben?",                # German
    "Får jag använda ChatGPT 我可以 هل with personuppgifter?",             # mixed scripts
    "\u202eFår jag använda ChatGPT?\u202c",                                # bidi override
    "F\u0061\u030ar jag anv\u0061\u0308nda ChatGPT?",                      # decomposed å / ä
    "🤖🤖🤖 Får jag använda AI? 🔒",
    "?",
    "...",
    "1234567890",
    "a",
    "\x00\x01\x02 Får jag använda ChatGPT?\x7f",
    "Får jag\tanvända\r\nChatGPT\u200b\u2028?",
    "x" * MAX_QUESTION_CHARS,
    ("Får jag använda ChatGPT? " * 200)[:MAX_QUESTION_CHARS],
]


def _check(assistant, question: str, organisation: str = "nacka") -> None:
    try:
        answer = assistant.ask(question, organisation)
    except PolicyAssistantError as exc:
        message = str(exc)
        assert message and "\n" not in message
        return
    assert isinstance(answer, Answer)
    assert answer.verdict in VERDICTS
    assert answer.text.strip()
    for c in answer.citations:                         # quotes are verbatim slices of the document
        text = assistant.retriever.document_text(c.document)
        assert text[c.start:c.end] == c.quote


@pytest.mark.parametrize("question", OTHER_LANGUAGES, ids=range(len(OTHER_LANGUAGES)))
def test_odd_questions_answer_or_fail_cleanly(assistant, question):
    _check(assistant, question)


@pytest.mark.parametrize("question", ["", "   ", "\n\t", "\u200b", "x" * (MAX_QUESTION_CHARS + 1), "Får jag? " * 2000])
def test_empty_and_huge_questions_are_refused(assistant, question):
    if question == "\u200b":   # a zero-width space is not whitespace to Python: answering (not covered) is fine too
        _check(assistant, question)
        return
    with pytest.raises(PolicyAssistantError) as err:
        assistant.ask(question, "nacka")
    assert "\n" not in str(err.value)


def test_unknown_organisation_is_a_clear_error(assistant):
    with pytest.raises(PolicyAssistantError, match="unknown organisation"):
        assistant.ask("Får jag använda ChatGPT?", "atlantis")


@hsettings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(question=st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), min_size=0, max_size=300),
       organisation=st.sampled_from(["nacka", "askersund", "norsjo"]))
def test_any_text_gives_an_answer_or_a_clear_error(assistant, question, organisation):
    _check(assistant, question, organisation)


WORDS = ["Får", "jag", "använda", "ChatGPT", "personuppgifter", "AI", "هل", "يمكنني", "käyttää", "我可以", "数据",
         "sekretess", "19121212-1212", "anna@nacka.se", "<script>", "\x00", "\u202e", "?", "och", "om", "ignorera",
         "tidigare", "instruktioner", "SYSTEM", "OVERRIDE", "🤖", "\n", "§ 3"]


@hsettings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(words=st.lists(st.sampled_from(WORDS), min_size=1, max_size=40),
       history=st.lists(st.text(max_size=80), max_size=3))
def test_mixed_word_questions_with_history(assistant, words, history):
    question = " ".join(words)
    hist = [{"question": h, "answer": ""} for h in history]
    try:
        answer = assistant.ask(question, "nacka", hist)
    except PolicyAssistantError as exc:
        assert "\n" not in str(exc)
        return
    assert answer.verdict in VERDICTS
    assert "19121212-1212" not in answer.question and "anna@nacka.se" not in answer.question


# -- sentence splitting -----------------------------------------------------------------------------

SENTENCE_PIECES = ["Du får inte", "använda AI", "t.ex.", "bl.a.", "ChatGPT", "1.", "2)", "a)", "•", "-", "–", "§ 3",
                   ".", "!", "?", ":", ";", ",", "”", "\"", "(", ")", "Publika", "AI-tjänster", "A", "é", "123",
                   "Rubrik", "\n", "\n\n", " ", "\t", "\f", "...", "_", "ÅÄÖ", "är", "dvs.", "nr.", "12."]
text_strategy = st.one_of(
    st.text(max_size=400),
    st.lists(st.sampled_from(SENTENCE_PIECES), max_size=80).map(lambda parts: "".join(
        p if p in ("\n", "\n\n", " ", "\t", "\f") else p + " " for p in parts)),
    st.lists(st.sampled_from(SENTENCE_PIECES), max_size=80).map("".join),
)
# What may lie outside every span: whitespace, punctuation, and list bullets such as "1." or "a)".
_BULLET_WORDY = re.compile(r"\(?\d{1,2}[.)]|[a-zA-Z]\)")


@hsettings(max_examples=400, deadline=None)
@given(text=text_strategy)
def test_split_spans_properties(text):
    spans = split_spans(text)
    previous_end = 0
    for s, e in spans:
        assert 0 <= previous_end <= s < e <= len(text)            # ordered, non-overlapping, inside the text
        assert text[s:e] == text[s:e].strip()                       # trimmed
        assert re.search(r"\w", text[s:e])                          # never an empty or punctuation-only span
        previous_end = e
    covered = [False] * len(text)
    for s, e in spans:
        covered[s:e] = [True] * (e - s)
    # Every word character outside the spans belongs to a list bullet ("1.", "a)") that was trimmed.
    gaps = [(0, spans[0][0] if spans else len(text))] + [(e, s) for (_, e), (s, _) in zip(spans, spans[1:])] + \
        ([(spans[-1][1], len(text))] if spans else [])
    for gs, ge in gaps:
        gap = text[gs:ge]
        rest = _BULLET_WORDY.sub("", gap)
        assert not re.search(r"\w", rest), (text, spans, gap)


def test_split_spans_keeps_all_text_of_a_policy():
    text = (CORPUS / "askersund-policy.txt").read_text(encoding="utf-8") if (CORPUS / "askersund-policy.txt").exists() else POLICY
    spans = split_spans(text)
    covered = "".join(text[s:e] for s, e in spans)
    assert len(re.sub(r"\W", "", covered)) >= 0.98 * len(re.sub(r"\W", "", text))


# -- OCR repair -------------------------------------------------------------------------------------

def _clean_sentences() -> list[str]:
    """Sentences of the clean (not OCR'd) corpus documents, which the repair must leave exactly as they are."""
    from ingest.loaders import load_text

    out = []
    for path in sorted(CORPUS.iterdir()):
        if path.stem.startswith(("askersund", "nacka-handledning", "norstedts")) and path.suffix in (".txt", ".md", ".pdf", ".docx", ".html"):
            text = load_text(path)
            out += [text[s:e] for s, e in split_spans(text)]
    return [s for s in out if not re.search(r"\bAl\b", s)]


CLEAN = _clean_sentences()
OCR_SAMPLES = ["sdkerstélla", "6vergripande", "anvianda", "allmidnna", "Al", "for", "fran", "hAlla", "m&l", "1ag", "ar"]


@hsettings(max_examples=150, deadline=None)
@given(picked=st.lists(st.integers(0, max(len(CLEAN) - 1, 0)), min_size=1, max_size=30, unique=True),
       sep=st.sampled_from([" ", "\n", "\n\n", "\t"]))
def test_repair_leaves_clean_text_unchanged(picked, sep):
    assume(CLEAN)
    text = sep.join(CLEAN[i] for i in picked)
    result = repair_text(text)
    assert result.text == text and not result.repairs


@hsettings(max_examples=300, deadline=None)
@given(parts=st.lists(st.one_of(st.sampled_from(OCR_SAMPLES + SENTENCE_PIECES), st.text(max_size=12)), max_size=40),
       force=st.sampled_from([None, True, False]))
def test_repair_only_changes_whole_repaired_tokens(parts, force):
    text = " ".join(parts)
    result = repair_text(text, force=force)
    if not result.is_ocr:
        assert result.text == text and not result.repairs
        return
    # Rebuild the input from the output and the repair records: every character outside a repaired
    # token is kept, in order, and each repaired token was a whole token of the input. The one other change is
    # a word split at hyphens and joined ("IT- säkerhetsansvarig"), recorded with all its parts and the gaps
    # between them; a token repaired inside it is part of that record.
    tokens = {m.start(): m.group() for m in TOKEN.finditer(text)}
    joins = [c for c in result.context_repairs if not TOKEN.fullmatch(c.original)]
    for c in joins:
        parts = list(TOKEN.finditer(c.original))
        assert parts[0].start() == 0 and parts[-1].end() == len(c.original)
        assert all(tokens.get(c.start + p.start()) == p.group() for p in parts)
        assert all(HYPHEN_GAP.fullmatch(c.original[a.end():b.start()]) for a, b in zip(parts, parts[1:]))
    inside = lambda at: any(c.start <= at < c.start + len(c.original) for c in joins)   # noqa: E731
    edits = sorted([(c.start, c.original, c.replacement) for c in joins]
                   + [(r.start, r.original, r.replacement) for r in result.repairs if not inside(r.start)])
    rebuilt, src, out = [], 0, 0
    for start, original, replacement in edits:
        assert joins and inside(start) or tokens.get(start) == original     # a whole token, where it says
        assert start >= src
        kept = text[src:start]
        assert result.text[out:out + len(kept)] == kept             # untouched text between repairs
        out += len(kept)
        assert result.text[out:out + len(replacement)] == replacement
        out += len(replacement)
        src = start + len(original)
        rebuilt += [kept, original]
    assert result.text[out:] == text[src:]
    assert "".join(rebuilt) + text[src:] == text
    for r in result.repairs:                                        # a repaired token is still one whole token
        assert TOKEN.fullmatch(r.replacement) and r.replacement != r.original


# -- hostile files through the CLI ------------------------------------------------------------------

@pytest.fixture(scope="module")
def small_store(tmp_path_factory, embedding_cache):
    """A store with one Nacka document (the real manifest's organisations), built once for the file tests."""
    from assistant.settings import load_settings
    from ingest.pipeline import DocOverrides, ingest

    root = tmp_path_factory.mktemp("bad-files")
    doc = root / "nacka-extra.txt"
    doc.write_text(POLICY + "\n\nPersonuppgifter får aldrig matas in i publika AI-tjänster.\n", encoding="utf-8")
    settings = load_settings(data_dir=root / "data", corpus_dir=CORPUS, embedding_cache=embedding_cache)
    ingest(settings, [doc], DocOverrides(organisation="nacka", title="Extra"), progress=False)
    return settings


def _docx_bytes(document_xml: bytes) -> dict[str, bytes]:
    return {
        "[Content_Types].xml": b'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                               b'<Default Extension="xml" ContentType="application/xml"/></Types>',
        "word/document.xml": document_xml,
    }


def make_zip_bomb(d: Path) -> Path:
    """A DOCX whose document.xml inflates to 220 MB (written in 1 MB pieces: cheap in memory)."""
    path = d / "bomb.docx"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as z:
        for name, data in _docx_bytes(b"").items():
            if name != "word/document.xml":
                z.writestr(name, data)
        with z.open("word/document.xml", "w", force_zip64=True) as f:
            f.write(b'<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>')
            piece = b"<w:p><w:r><w:t>AI</w:t></w:r></w:p>" * (1024 * 1024 // 36)
            for _ in range(220):
                f.write(piece)
            f.write(b"</w:body></w:document>")
    assert path.stat().st_size < 5 * 1024 * 1024
    return path


def make_lying_bomb(d: Path) -> Path:
    """A zip bomb whose central directory claims small sizes: the check on declared sizes cannot see it."""
    path = make_zip_bomb(d)
    data = bytearray(path.read_bytes())
    # Zip64 extra fields hold the real sizes; rewrite every 8-byte uncompressed size in the central directory
    # and the local header to 1 KB. Simpler and robust: patch the 32-bit fields of the central directory entries.
    import struct

    pos = 0
    while True:
        pos = data.find(b"PK\x01\x02", pos)
        if pos < 0:
            break
        usize = struct.unpack_from("<I", data, pos + 24)[0]
        if usize == 0xFFFFFFFF:   # zip64: patch the extra field instead
            name_len, extra_len = struct.unpack_from("<HH", data, pos + 28)
            extra = pos + 46 + name_len
            if struct.unpack_from("<H", data, extra)[0] == 1:
                struct.pack_into("<Q", data, extra + 4, 1024)
        else:
            struct.pack_into("<I", data, pos + 24, 1024)
        pos += 4
    path = d / "lying-bomb.docx"
    path.write_bytes(bytes(data))
    return path


def make_broken_xref_pdf(d: Path) -> Path:
    """A real PDF whose xref table and trailer are garbage and whose content stream is cut."""
    good = write_pdf(d / "good.pdf", POLICY).read_bytes()
    xref = good.rfind(b"xref")
    broken = good[:xref // 2] + b"xref\n0 9999\nthis is not an xref table\ntrailer\n<< /Root 99 0 R >>\nstartxref\n123456\n%%EOF\n"
    path = d / "broken-xref.pdf"
    path.write_bytes(broken)
    return path


def make_sparse(name: str, size: int):
    def make(d: Path) -> Path:
        path = d / name
        with open(path, "wb") as f:
            f.truncate(size)           # sparse: costs no disk
        return path
    return make


def make_bytes(name: str, data: bytes):
    def make(d: Path) -> Path:
        path = d / name
        path.write_bytes(data)
        return path
    return make


PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8
HOSTILE = {
    "zip bomb docx": (make_zip_bomb, "zip bomb"),
    "zip bomb with lying sizes": (make_lying_bomb, "DOCX"),
    "pdf with broken xref": (make_broken_xref_pdf, "PDF"),
    "png named .txt": (make_bytes("picture.txt", PNG), "binary"),
    "binary after a text head": (make_bytes("mixed.txt", b"Rubrik\n" * 700 + bytes(range(1, 32)) * 50), "binary"),
    "nul after a text head": (make_bytes("nul.txt", b"Rubrik med text\n" * 700 + b"\x00" * 10), "binary"),
    "100 MB txt": (make_sparse("huge.txt", 100 * 1024 * 1024), "limit"),
    "100 MB pdf": (make_sparse("huge.pdf", 100 * 1024 * 1024), "limit"),
    "empty txt": (make_bytes("empty.txt", b""), "empty"),
    "empty pdf": (make_bytes("empty.pdf", b""), "PDF"),
    "empty docx": (make_bytes("empty.docx", b""), "DOCX"),
    "whitespace-only html": (make_bytes("blank.html", b"<html><body> \n <p> </p></body></html>"), "empty"),
    "utf-16 without text": (make_bytes("u16.txt", "\ufeff   \n".encode("utf-16")), "empty"),
}


@pytest.mark.parametrize("name", list(HOSTILE))
def test_hostile_file_one_line_exit_2_store_unchanged(small_store, tmp_path, name):
    from ingest.store import Store

    make, message = HOSTILE[name]
    before = Store(small_store).current()
    before_name, before_docs = before.name, sorted(before.documents)
    path = make(tmp_path)
    env = {"POLICY_ASSISTANT_EMBEDDING_CACHE": str(small_store.embedding_cache_path)}
    res = run_cli("--data-dir", small_store.data_dir, "ingest", path, "--organisation", "nacka", "--quiet", env_extra=env, timeout=180)
    lines = res.stderr.strip().splitlines()
    assert res.returncode == 2, (res.returncode, res.stderr[-2000:])
    assert len(lines) == 1 and "Traceback" not in res.stderr, res.stderr[-2000:]
    assert message.lower() in lines[0].lower() and str(path.name) in lines[0]
    after = Store(small_store).current()
    assert after.name == before_name and sorted(after.documents) == before_docs


# -- slow documents and numbers written the Word way (issue: redaction gaps, freezes) ----------------------

SENSITIVE_FORMS = ["19121212–1212", "19121212—1212", "19121212\u22121212", "19121212\u20111212", "19121212 - 1212",
                   "1912 12 12-1212", "１９１２１２１２-１２１２", "19121212\u00a01212", "(070) 123 45 67", "070/1234567",
                   "070.123.45.67", "+46 (0)70-123 45 67", "070\u2009123\u200945\u200967"]


@pytest.mark.parametrize("form", SENSITIVE_FORMS, ids=range(len(SENSITIVE_FORMS)))
def test_numbers_written_any_way_never_reach_the_answer(assistant, form):
    import json

    answer = assistant.ask(f"Kan jag klistra in Karin Berg {form} i ChatGPT?", "nacka")
    stored = json.dumps(answer.as_dict(), ensure_ascii=False)
    assert form not in stored and form not in answer.question
    assert "[PERSONNUMMER]" in answer.question or "[TELEFON]" in answer.question
    assert answer.sensitive and answer.sensitive["personal_data"]


def test_hostile_question_text_is_redacted_quickly():
    import time

    from assistant.sensitive import redact

    for text in ["a" * 40_000, "a." * 20_000, "1" * 40_000, " " * 40_000, "a@" * 20_000, "070-123 45 67 " * 3000]:
        start = time.thread_time()
        redact(text)
        assert time.thread_time() - start < 1.0, text[:20]


def test_slow_documents_ingest_in_time(tmp_path, embedding_cache):
    """A DOCX with a 20,000-space paragraph (quadratic TOC pattern: minutes), a 1,000-letter token (RecursionError
    in OCR repair) and 12,000 characters of one compound (quadratic compound splitting) ingests in seconds."""
    import time

    import docx

    from ingest.store import Store
    from assistant.settings import load_settings

    path = tmp_path / "slow.docx"
    document = docx.Document()
    document.add_heading("Användning av AI", level=1)
    document.add_paragraph("Syfte" + " " * 20_000 + "mer text.")
    document.add_paragraph("Publika AI-tjänster får bara användas med öppen information. " + "a" * 1000 + ".")
    document.add_paragraph(("informationssäkerhetsansvarig" * 500)[:12_000])
    document.add_paragraph("Personuppgifter får aldrig matas in i publika AI-tjänster.")
    document.save(str(path))
    data = tmp_path / "data"
    start = time.monotonic()
    res = run_cli("--data-dir", data, "ingest", path, "--organisation", "nacka", "--quiet",
                  env_extra={"POLICY_ASSISTANT_EMBEDDING_CACHE": embedding_cache}, timeout=240)
    elapsed = time.monotonic() - start
    assert res.returncode == 0, res.stderr[-2000:]
    assert elapsed < 180, elapsed
    settings = load_settings(data_dir=data, corpus_dir=CORPUS, embedding_cache=embedding_cache)
    assert "slow" in Store(settings).current().documents
