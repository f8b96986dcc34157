import re

import pytest

from ingest.repair import TOKEN, repair_text, oov_share
from ingest.structure import chunk_text, clean_layout, split_blocks
from tests.conftest import CORPUS

OCR_DOCS = ["nacka-tjansteskrivelse", "norsjo-policy"]
CLEAN_DOCS = ["nacka-handledning", "askersund-policy", "norstedts-checklista"]


def read(doc):
    return (CORPUS / f"{doc}.txt").read_text(encoding="utf-8")


@pytest.mark.parametrize("doc", OCR_DOCS)
def test_ocr_documents_are_repaired(doc):
    result = repair_text(read(doc))
    assert result.is_ocr
    assert result.oov_before > 0.10
    assert result.oov_after < result.oov_before / 4
    assert "Al-" not in result.text


def test_specific_lookalike_repairs():
    result = repair_text(read("norsjo-policy"))
    assert "säkerställa ansvarsfull" in result.text
    assert "AI-policyn syftar" in result.text
    tj = repair_text(read("nacka-tjansteskrivelse")).text
    assert "övergripande" in tj and "6vergripande" not in tj


@pytest.mark.parametrize("doc", CLEAN_DOCS)
def test_clean_documents_are_untouched(doc):
    text = read(doc)
    result = repair_text(text)
    assert not result.is_ocr and result.text == text and result.repairs == []
    assert result.oov_before == result.oov_after < 0.02


def test_repair_only_changes_word_tokens():
    raw = read("norsjo-policy")
    result = repair_text(raw)
    skeleton = lambda s: TOKEN.sub("", s)  # noqa: E731
    # Besides word tokens, only the line break of a hyphen-split word goes ("IT-\nsakerhetsansvarig"), each one
    # recorded as a context repair.
    joined = [c for c in result.context_repairs if not TOKEN.fullmatch(c.original)]
    assert [(c.original, c.replacement) for c in joined] == [("IT-\nsakerhetsansvarig", "IT-säkerhetsansvarig"),
                                                             ("AI-\nsystem", "AI-system")]
    for c in joined:
        raw = raw.replace(c.original, c.original.replace("\n", ""))
    assert skeleton(raw) == skeleton(result.text)


def test_oov_share_counts_unknown_words():
    assert oov_share("kommunen ska säkerställa informationssäkerhet") == 0.0
    assert oov_share("kommunen ska sdkerstélla xqzzy") == 0.5


def test_table_of_contents_is_dropped():
    cleaned = clean_layout(read("askersund-policy"))
    assert "Syfte....." not in cleaned and "Innehåll" not in cleaned
    assert "§ 3 Integritet och säkerhet\n" in cleaned


def count(text):
    return len(text.split())


@pytest.mark.parametrize("doc", OCR_DOCS + CLEAN_DOCS)
def test_chunk_spans_point_into_the_text(doc):
    text = repair_text(clean_layout(read(doc))).text
    chunks = chunk_text(text, count, 120, 300)
    assert chunks
    for c in chunks:
        assert text[c.start:c.end] == c.text
        assert count(c.text) <= 300
    # every character of body text (everything but headings) is inside some chunk
    covered = set()
    for c in chunks:
        covered.update(range(c.start, c.end))
    for b in split_blocks(text):
        if b.kind != "heading":
            missing = [i for i in range(b.start, b.end) if i not in covered and not text[i].isspace()]
            assert not missing, text[b.start:b.end]


def test_numbered_sections_become_section_paths():
    text = clean_layout(read("askersund-policy"))
    chunks = chunk_text(text, count, 120, 300)
    sections = {c.section_path for c in chunks}
    assert "Policy för AI > § 3 Integritet och säkerhet" in sections
    heads = [text[b.start:b.end] for b in split_blocks(text) if b.kind == "heading"]
    assert "§ 6 Ansvarighet" in heads


def test_list_is_kept_with_its_lead_in():
    text = repair_text(clean_layout(read("norsjo-policy"))).text
    chunks = chunk_text(text, count, 400, 480)
    lead = next(c for c in chunks if "Policyn ska säkerställa att:" in c.text)
    assert "Främja en ansvarsfull användning" in lead.text
    # when a list is too long for one chunk, every piece carries the lead-in as context
    small = chunk_text(text, count, 25, 480)
    pieces = [c for c in small if c.context == "Policyn ska säkerställa att:"]
    assert pieces and all("Policyn ska" not in c.text for c in pieces)
