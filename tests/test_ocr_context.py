"""OCR repair with context (issue 13): valid-word look-alike errors, hyphen splits, clean text left alone, reporting."""
from __future__ import annotations

import json
import re

import pytest

from ingest import context as ctx
from ingest.lexicon import swedish
from ingest.loaders import load_text
from ingest.repair import TOKEN, context_proposals, repair_text, suggest
from ingest.structure import clean_layout
from tests.conftest import CORPUS, ROOT, run_cli

CLEAN_SEEDS = ["nacka-handledning", "askersund-policy", "norstedts-checklista"]
UNSEEN = sorted((ROOT / "evals" / "unseen" / "docs").iterdir())
ENGLISH = {"ekby-energi-ai-guideline.txt"}     # forced Swedish repair of an English text means nothing


def repaired(doc: str):
    return repair_text(clean_layout((CORPUS / f"{doc}.txt").read_text(encoding="utf-8")))


def test_the_listed_norsjo_errors_are_repaired():
    text = " ".join(repaired("norsjo-policy").text.split())
    for right, wrong in [("som stöd i beslutsfattandet", "stod i beslutsfattandet"),
                         ("beslut i ärenden som", "årenden"),
                         ("tillsammans med berörd verksamhet", "berord"),
                         ("och transparent sätt i enlighet", "transparent sitt"),
                         ("fattas av IT-säkerhetsansvarig om gruppen", "sakerhetsansvarig"),
                         # the scan lacks the linking -s-; only look-alikes are repaired
                         ("bedöms av informationssäkerhetansvarig (CISO)", "informationssidkerhetansvarig"),
                         ("på ett korrekt sätt", "korrekt sitt"),
                         ("behandlas på ett nytt sätt.", "nytt sitt"),
                         ("med hänsyn till den information", "hansyn"),
                         ("EU:s AI-förordning", "fårordning"),
                         ("Närmaste chef", "Närmåste")]:
        assert right in text, right
        assert wrong not in text, wrong


def test_nacka_decision_report_context_repairs():
    result = repaired("nacka-tjansteskrivelse")
    text = " ".join(result.text.split())
    assert "Sammanfattning av ärendet" in text and "årendet" not in text.lower()
    assert "hantera AI på rätt sätt" in text and "på ett ansvarsfullt sätt" in text
    assert "medarbetare och förtroendevalda" in text and "möjliggöra AI-användning för" in text
    pairs = {(c.original, c.replacement) for c in result.context_repairs}
    assert ("sitt", "sätt") in pairs and ("arendet", "ärendet") in pairs


def test_each_context_repair_is_recorded_with_its_context():
    result = repaired("norsjo-policy")
    stod = [c for c in result.context_repairs if c.original == "stod"]
    assert len(stod) == 1 and stod[0].replacement == "stöd" and stod[0].word_list == "stod"
    assert "som stöd i beslutsfattandet" in stod[0].context and stod[0].evidence >= 0.75
    arenden = next(c for c in result.context_repairs if c.original == "arenden")
    # the word list's wrong choice, overruled
    assert arenden.word_list == "årenden" and arenden.replacement == "ärenden"
    assert len(result.context_repairs) >= 20
    # every context repair is also a token repair, or a joined hyphen split
    tokens = {(r.original, r.replacement) for r in result.repairs}
    assert all((c.original, c.replacement) in tokens or "-" in c.original for c in result.context_repairs)


@pytest.mark.parametrize("path", [CORPUS / f"{d}.txt" for d in CLEAN_SEEDS] + UNSEEN, ids=lambda p: p.name)
def test_clean_documents_come_out_byte_identical(path):
    text = clean_layout(load_text(path))
    result = repair_text(text)
    assert result.text == text and not result.is_ocr
    assert result.repairs == [] and result.context_repairs == []


def _context_changes(text: str, model: ctx.ContextModel, first_pass: bool):
    lexicon = swedish()
    tokens = list(TOKEN.finditer(text))
    first = [suggest(m.group(), lexicon, False) if first_pass else None for m in tokens]
    # A proposal that only takes back a word-list change ("Sana" -> "Såna" -> "Sana") leaves the text as it was.
    return [p for p in context_proposals(text, tokens, first, lexicon, model)
            if p.accepted and p.replacement != p.original.lower()]


@pytest.mark.parametrize("doc", CLEAN_SEEDS)
def test_no_context_repair_on_a_clean_seed_even_when_forced(doc):
    """Validation of the thresholds: forced through the context step, a clean seed keeps every word, judged by a
    model built from the other two seeds (leave one out, so its own bigrams do not vouch for it) and by the
    shipped model."""
    text = clean_layout((CORPUS / f"{doc}.txt").read_text(encoding="utf-8"))
    others = {n: t for n, t in ctx.source_texts().items() if not n.startswith(doc)}
    for model in (ctx.ContextModel(ctx.build(others)), ctx.shipped()):
        for first_pass in (False, True):
            assert _context_changes(text, model, first_pass) == []
    assert repair_text(text, force=True).context_repairs == []


@pytest.mark.parametrize("path", [p for p in UNSEEN if p.name not in ENGLISH], ids=lambda p: p.name)
def test_no_context_repair_on_an_unseen_document_even_when_forced(path):
    text = clean_layout(load_text(path))
    for first_pass in (False, True):
        assert _context_changes(text, ctx.shipped(), first_pass) == []


def test_frequency_alone_never_respells_a_listed_word_and_names_and_addresses_are_kept():
    text = ("Kommunens data används för att ta fram statistik. Vi använder Sana och Copilot. "
            "Chattbotar på gransjo.se och frågor till informationssakerhet@ekby.se hanteras av AI-rådet. ")
    result = repair_text(text * 3, force=True)
    assert "Kommunens data används" in result.text            # "äta" is commoner than "data", but not in context
    assert "gransjo.se" in result.text and "informationssakerhet@ekby.se" in result.text
    assert result.context_repairs == []
    # "Sana" inside a sentence is a name (the word list alone would make it "Såna")
    tokens = list(TOKEN.finditer(text))
    assert [p for p in context_proposals(text, tokens, [None] * len(tokens), swedish()) if p.accepted] == []


TRAPS = """Det stod i beslutet att AI inte får användas. Han stod vid sitt beslut och stod till förfogande.
Var och en ansvarar för sitt arbete och sitt eget lärande. Hon gjorde det på sitt sätt.
Kommunen har gjort sitt bästa. Han har gett sitt samtycke. Hon satt i styrelsen och stod bakom beslutet.
Det är tre år sedan beslutet fattades. Alla har rätt att vara anonyma och vi ska vara öppna.
För inte så länge sedan var det annorlunda. Tiden står stilla när man väntar. Har du ett val att göra?
Det är mer än vad som behövs. Vi tar oss an uppgiften. Man ska inte gilla allt. Det var bra.
Kommunen har ett ansvar att informera om sitt arbete. Personen ska vara berörd av beslutet.
"""


def test_right_words_that_look_like_look_alikes_are_kept():
    """Sentences written to trap the context step: each look-alike word in them is right as it stands."""
    tokens = list(TOKEN.finditer(TRAPS))
    lexicon = swedish()
    first = [suggest(m.group(), lexicon, False) for m in tokens]
    assert [p for p in context_proposals(TRAPS, tokens, [None] * len(tokens), lexicon) if p.accepted] == []
    changed = [(p.original, p.replacement) for p in context_proposals(TRAPS, tokens, first, lexicon)
               if p.accepted and p.replacement != p.original.lower()]
    assert changed == []


def test_hyphen_splits_in_ocr_words_are_joined_but_suspended_compounds_kept():
    text = ("Beslut om klassificering fattas av IT-\nsakerhetsansvarig om gruppen ar oeniga. Det galler "
            "offentlighets- och sekretesslagen, AI- eller IT-frågor och Al-\nanvindning i ett AI- system.\n")
    result = repair_text(text, force=True)
    assert "fattas av IT-säkerhetsansvarig om gruppen är oeniga" in result.text
    assert "offentlighets- och sekretesslagen, AI- eller IT-frågor" in result.text
    assert "och AI-användning i ett AI-system." in result.text
    joined = [c for c in result.context_repairs if "-" in c.original]
    assert [(c.original, c.replacement) for c in joined] == [
        ("IT-\nsakerhetsansvarig", "IT-säkerhetsansvarig"), ("Al-\nanvindning", "AI-användning"),
        ("AI- system", "AI-system")]
    # apart from the joined gaps, only word tokens changed
    squash = lambda s: TOKEN.sub("", re.sub(r"-\s+(?=\w)", "-", s))  # noqa: E731
    assert squash(text) == squash(result.text)


def test_the_shipped_context_model_is_reproducible_from_the_clean_seeds():
    shipped = ctx.DATA.read_text(encoding="utf-8")
    assert shipped == ctx.serialise(ctx.build(ctx.source_texts()))
    sources = json.loads(shipped)["sources"]
    assert sorted(sources) == sorted(ctx.SOURCES)
    assert not any("norsjo" in s or "tjansteskrivelse" in s for s in sources)   # never the OCR'd documents


def test_status_shows_context_repairs_per_document(make_settings, tmp_path):
    from ingest.pipeline import DocOverrides, ingest

    lines = (CORPUS / "norsjo-policy.txt").read_text(encoding="utf-8").split("\n")
    start = next(i for i, line in enumerate(lines) if line.startswith("Etik och likabehandling"))
    doc = tmp_path / "norsjo-utdrag.txt"
    doc.write_text("\n".join(lines[start:start + 40]) + "\n", encoding="utf-8")
    settings = make_settings()
    ingest(settings, [doc], DocOverrides(organisation="norsjo", title="Utdrag"), progress=False)
    res = run_cli("--data-dir", settings.data_dir, "status", "--json")
    assert res.returncode == 0, res.stderr
    status = json.loads(res.stdout)["documents"]["norsjo-utdrag"]
    assert status["ocr_repaired"]
    repairs = status["context_repairs"]
    assert ["stod", "stöd"] in [r[:2] for r in repairs] and ["sitt", "sätt"] in [r[:2] for r in repairs]
    assert any("som stöd i beslutsfattandet" in r[2] for r in repairs)
    table = run_cli("--data-dir", settings.data_dir, "status").stdout
    header = next(line for line in table.splitlines() if line.startswith("document"))
    row = next(line for line in table.splitlines() if line.startswith("norsjo-utdrag"))
    assert "context" in header.split()
    assert row.split()[header.split().index("context") - 2] == str(len(repairs))   # "OOV before/after": two words each
