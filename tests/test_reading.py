"""Documents read as a person reads them (issue 13): the unseen documents' titles, page chrome, tables, line
breaks, and every gold quote readable without a layout break, through the same load -> clean -> repair path as
ingest (`process_document`)."""
from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
import yaml

from ingest.blocks import ROW_LINE, join_lines, row_line
from ingest.loaders import document_title, load_document, load_text
from ingest.repair import repair_text
from ingest.structure import chunk_text, clean_layout, split_blocks

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "evals" / "unseen" / "docs"
HTML = DOCS / "solbacka-ai-i-arbetet.html"


def stored(path: Path, ocr=None) -> str:
    """The text the store holds for a file: what chunk spans index and quotes are cut from."""
    return repair_text(clean_layout(load_text(path)), force=ocr).text


def count(text: str) -> int:
    return len(text.split())


# -- page chrome ----------------------------------------------------------------------------------------

def _chrome_strings() -> list[str]:
    """Every piece of text of the unseen intranet page outside its <main> that the main content does not also say
    (menus, breadcrumbs, search, cookie banner, footer address)."""
    import lxml.html

    doc = lxml.html.document_fromstring(HTML.read_text(encoding="utf-8"))
    main = doc.find(".//main")
    main_text = re.sub(r"\s+", " ", main.text_content())
    pieces = []
    for el in doc.find(".//body").iter():
        if el is main or any(a is main for a in el.iterancestors()) or not isinstance(el.tag, str):
            continue
        for piece in (el.text, el.tail):
            piece = re.sub(r"\s+", " ", piece or "").strip()
            if len(piece) >= 4 and piece not in main_text and not (el.tail == piece and el.getparent() is main):
                pieces.append(piece)
        if el.tag == "img" and el.get("alt"):
            pieces.append(el.get("alt"))
    return pieces


def test_no_page_chrome_reaches_the_ingested_text():
    text = stored(HTML)
    chrome = _chrome_strings()
    assert len(chrome) >= 40                                      # the test sees the page's chrome at all
    leaked = [c for c in chrome if c in text]
    assert leaked == []
    for s in ["Om kakor", "Godkänn alla", "Hoppa till innehållet", "Sök på Insidan", "Min anställning",
              "Kontakt och telefonlista", "Beställ IT-utrustning", "Startsida", "Storgatan 14", "745 80 Solbacka",
              "0171-48 00 00", "Tillgänglighetsredogörelse", "© Solbacka kommun", "Tyck till om sidan"]:
        assert s not in text, s
    # Share of the ingested characters that are chrome: every line must come from the page's <main>.
    import lxml.html

    main = re.sub(r"\s+", " ", lxml.html.document_fromstring(HTML.read_text(encoding="utf-8")).find(".//main").text_content())
    foreign = [ln for ln in text.split("\n") if ln.strip() and not all(
        part.strip() in main for cell in re.sub(r"^(#+|•)\s*", "", ln).split(" · ") for part in cell.split(": ", 1))]
    assert foreign == []


def test_html_content_faq_and_table_survive():
    text = stored(HTML)
    assert text.startswith("# AI i arbetet – det här gäller\n")
    assert "### Får jag använda ChatGPT på min privata telefon för jobbet?\n" in text
    assert "Bara för öppen information (Klass 0) och utan att logga in med kommunkontot." in text
    assert "### Vad händer om jag bryter mot reglerna?" in text
    assert "Godkända AI-verktyg och högsta tillåtna informationsklass (uppdaterad 2025-04-02)" in text  # caption
    assert ("\nAI-verktyg: Solbacka Assistenten (upphandlad AI-assistent, drift inom EU) · Högsta tillåtna "
            "informationsklass: Klass 2 (känslig) · Villkor och kommentarer: Kräver att din chef") in text
    assert "Högsta tillåtna informationsklass: Inte godkänt" in text
    rows = [ln for ln in text.split("\n") if ROW_LINE.match(ln)]
    assert len(rows) == 5 and all(ln.startswith("AI-verktyg: ") for ln in rows)
    # a definition list reads term: definition
    assert "• Informationsklass: Kommunens fyra klasser" in text
    assert "Sidansvarig: Maria Lindqvist, Digitaliseringsenheten" in text        # page meta is content


def test_table_header_never_becomes_a_heading_or_section():
    for path in (HTML, DOCS / "gransjo-regler-for-ai.docx"):
        text = stored(path)
        heads = [text[b.start:b.end] for b in split_blocks(text) if b.kind == "heading"]
        assert not any("informationsklass" in h.lower() and "verktyg" in h.lower() for h in heads)
        assert not any(re.search(r"\bLåg\b.*\bMåttlig\b", h) for h in heads)
        for c in chunk_text(text, count, 120, 300):
            assert text[c.start:c.end] == c.text
            assert " · " not in c.section_path and "Högsta tillåtna" not in c.section_path and "Måttlig" not in c.section_path


# -- titles -------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("name,title", [
    ("solbacka-ai-i-arbetet.html", "AI i arbetet – det här gäller"),                        # <h1> (not <title>'s site)
    ("gransjo-regler-for-ai.docx", "Regler för AI i Gransjö kommun"),                       # the Title paragraph
    ("havslunda-ai-policy.pdf", "Policy för användning av artificiell intelligens i Havslunda kommun"),  # 2 lines
    ("havslunda-ifo-instruktion-ai.md", "Instruktion för AI-tjänster inom Individ- och familjeomsorgen"),
    ("ekby-energi-ai-guideline.txt", ""),                     # plain text names itself unreliably: the manifest does
])
def test_titles_come_from_the_document(name, title):
    assert document_title(DOCS / name) == title


def test_ingest_without_manifest_title_uses_the_document_title(tmp_path):
    from ingest.manifest import load_manifest
    from ingest.pipeline import DocOverrides, _targets

    manifest = load_manifest(ROOT / "corpus")
    copy = tmp_path / "solbacka-sida.html"
    copy.write_bytes(HTML.read_bytes())
    (info, _), = _targets(None, manifest, [copy], DocOverrides(organisation="nacka"))[0]
    assert info.title == "AI i arbetet – det här gäller"
    (info, _), = _targets(None, manifest, [copy], DocOverrides(organisation="nacka", title="Egen titel"))[0]
    assert info.title == "Egen titel"
    plain = tmp_path / "anteckning.txt"
    plain.write_text("Publika AI-tjänster får bara användas med öppen information.\n", encoding="utf-8")
    (info, _), = _targets(None, manifest, [plain], DocOverrides(organisation="nacka"))[0]
    assert info.title == "anteckning"                          # nothing names it: the file name, as before


# -- tables where they stand --------------------------------------------------------------------------------

def test_docx_table_stays_under_its_heading_one_row_per_line():
    text = stored(DOCS / "gransjo-regler-for-ai.docx")
    row = ("AI-tjänst: Microsoft Copilot Chat med kommunkonto · Låg: Ja · Måttlig: Ja, med undantag för "
           "personuppgifter om barn och elever · Hög: Nej")
    assert text.index("## Regel 3 – Informationen avgör") < text.index(row) < text.index("## Regel 4 – Personuppgifter")
    assert "\nAI-tjänst: Bildgenerering i Copilot Chat · Låg: Ja · Måttlig: Nej · Hög: Nej\n" in text
    assert "AI-tjänst | Låg" not in text and "Dokumentansvarig" in text
    chunks = chunk_text(text, count, 120, 300)
    holding = [c for c in chunks if row in c.text]
    assert holding and holding[0].section_path == "Reglerna > Regel 3 – Informationen avgör vilken tjänst du får använda"


def test_text_tables_read_as_rows():
    ekby = stored(DOCS / "ekby-energi-ai-guideline.txt")
    assert ("Tool: Microsoft 365 Copilot (licensed users only) · Highest class: Klass 3 · Conditions: Licence approved "
            "by your manager; no personnummer, no Klass 4.") in ekby
    assert "-------" not in ekby
    ifo = stored(DOCS / "havslunda-ifo-instruktion-ai.md")
    assert "\nDiarienummer: SN 2025/0215\n" in ifo and "|---" not in ifo and "| Datum |" not in ifo
    assert "**" not in ifo                                    # Markdown emphasis reads as the words
    md = clean_layout("## Verktyg\n\n| Verktyg | Klass |\n|---|---|\n| Copilot Chat | Klass 1 |\n| ChatGPT | Klass 0 |\n")
    assert "\nVerktyg: Copilot Chat · Klass: Klass 1\n\nVerktyg: ChatGPT · Klass: Klass 0\n" in md
    assert row_line(["Copilot", "", "Nej"], ["Verktyg", "Låg", "Hög"]) == "Verktyg: Copilot · Hög: Nej"


# -- line breaks --------------------------------------------------------------------------------------------

def test_pdf_hyphens_running_headers_and_wraps():
    text = stored(DOCS / "havslunda-ai-policy.pdf")
    assert "Även det mänskliga beslutsfattandet ska kunna granskas i efterhand." in text
    assert "i några AI-tjänster." in text and "AI- tjänster" not in text and "AI-\n" not in text
    assert "inloggning via kommunkontot och AI-portalen" in text          # kommun- / kontot
    assert "enskilda medarbetare och AI-funktioner" in text               # med- / arbetare
    assert "privata betalabonnemang" in text
    assert "offentlighets- och sekretesslagen" in text                    # a real suspended hyphen stays
    assert "Sida 2 av 4" not in text and "Sida" not in text
    assert text.count("Dnr KS 2024/0912") == 1                           # the field block, not the page footers
    assert text.count("Policy för användning av artificiell intelligens") == 1   # the title, not the page headers
    assert not re.search(r"\w-\n", text)
    # A paragraph is one line; headings, list items and field rows stay lines.
    assert ("Policyn omfattar både AI-tjänster som används av enskilda medarbetare och AI-funktioner som kommunen "
            "erbjuder invånare, till exempel chattbotar och digitala assistenter på kommunens webbplats.") in text
    assert "\n### 3.2.1 Personuppgifter\n" in text and "\n## 1.1 Syfte\n" in text
    assert "\n• Godkänd AI-tjänst: en AI-tjänst som finns upptagen i kommunens förteckning över godkända AI-tjänster på intranätet.\n" in text
    # section 3.4 runs across the page break (pages 2-3) and reads as one paragraph
    assert "till exempel chattbotar på webbplatsen, ska godkännas enligt avsnitt 5 innan de publiceras. De ska tydligt" in text


@pytest.mark.parametrize("lines,joined", [
    (["beslutsfat-", "tandet"], "beslutsfattandet"),
    (["AI-", "körkortet"], "AI-körkortet"),                   # an acronym keeps its hyphen
    (["i några AI-", "tjänster."], "i några AI-tjänster."),
    (["Al-", "baserade system"], "Al-baserade system"),       # OCR's "Al" for AI (repair makes it AI)
    (["informations-", "och cybersäkerhet"], "informations- och cybersäkerhet"),
    (["Havslunda-", "kontoret"], "Havslunda-kontoret"),       # a name before the hyphen: not a known word start
    (["perioden 2025-10-01–2026-", "03-31"], "perioden 2025-10-01–2026-03-31"),
    (["med-", "arbetare och"], "medarbetare och"),
    (["en rad", "till"], "en rad till"),
])
def test_line_end_hyphens(lines, joined):
    assert join_lines(lines) == joined


def test_hard_wrapped_text_is_reflowed_but_structure_stays():
    raw = ("Policy för AI\n\n1. Syfte\nMedarbetare får använda AI-tjänster när det\nskapar nytta för verksamheten, "
           "men beslutsfat-\ntandet ligger alltid hos en människa.\nPolicyn ska säkerställa att:\n• AI används ansvarsfullt "
           "och i enlighet med\ngällande lagstiftning\n• Personuppgifter skyddas\n\n§ 3 Integritet och säkerhet\n"
           "Publika AI-\ntjänster får bara användas med öppen information.\n")
    text = clean_layout(raw)
    assert ("Medarbetare får använda AI-tjänster när det skapar nytta för verksamheten, men beslutsfattandet ligger "
            "alltid hos en människa.\nPolicyn ska säkerställa att:\n") in text
    assert "\n• AI används ansvarsfullt och i enlighet med gällande lagstiftning\n• Personuppgifter skyddas\n" in text
    assert "\n§ 3 Integritet och säkerhet\nPublika AI-tjänster får bara användas med öppen information.\n" in text
    assert "Policy för AI\n\n1. Syfte\n" in text
    heads = [text[b.start:b.end] for b in split_blocks(text) if b.kind == "heading"]
    assert "§ 3 Integritet och säkerhet" in heads and "1. Syfte" in heads


def test_running_page_lines_of_extracted_text_are_dropped():
    body = ["Medarbetare ansvarar för resultatet.", "Personuppgifter får inte matas in.", "Policyn ses över varje år."]
    pages = [f"Havslunda kommun\nPolicy för AI\n{line}\nDnr KS 2024/0912 · Sida {n} av 3" for n, line in enumerate(body, 1)]
    text = clean_layout("\n\f\n".join(pages))
    assert "Sida" not in text and "Havslunda kommun" not in text and "Policy för AI" not in text
    assert all(line in text for line in body)


# -- every gold quote as a person reads it ------------------------------------------------------------------

def _documents() -> dict[str, tuple[Path, object]]:
    out = {}
    for base, manifest in ((ROOT / "corpus", ROOT / "corpus" / "manifest.toml"),
                           (DOCS, ROOT / "evals" / "unseen" / "manifest.toml")):
        for d in tomllib.loads(manifest.read_text(encoding="utf-8"))["documents"]:
            out[d["id"]] = (base / d.get("file", d["id"] + ".txt"), d.get("ocr"))
    return out


def _quote_pattern(quote: str) -> str:
    """The quote with its own separators; whitespace as spaces or tabs only (never a line break)."""
    parts = re.split(r"(\w+)", quote)
    out = []
    for i, part in enumerate(parts):
        if i % 2:
            out.append(re.escape(part))
        elif 0 < i < len(parts) - 1:
            out.append("[ \t]+".join(re.escape(x) for x in re.sub(r"\s+", " ", part).split(" ")))
    return "".join(out)


# A quote that spans two fields of Askersund's header block ("Beslutad av: …" / "Datum och paragraf: …"): real
# lines of the document, not a layout wrap.
HEADER_BLOCK = {"askersund-policy"}


def test_no_gold_quote_needs_a_layout_line_break_or_a_split_hyphen():
    docs = _documents()
    quotes: dict[str, set[str]] = {}
    for path in sorted((ROOT / "evals" / "unseen").glob("*/*.yaml")) + [ROOT / "evals" / "sets" / "policy.yaml"]:
        for case in yaml.safe_load(path.read_text(encoding="utf-8")) or []:
            for g in case.get("gold") or []:
                quotes.setdefault(g["document"], set()).add(g["quote"])
    broken = []
    for doc_id, qs in quotes.items():
        path, ocr = docs[doc_id]
        text = stored(path, ocr)
        unwrapped = re.sub(r"[ \t]*\n[ \t]*", " ", re.sub(r"(\w)-[ \t]*\n[ \t]*(\w)", r"\1\2", text))
        unwrapped_keep = re.sub(r"[ \t]*\n[ \t]*", " ", re.sub(r"(\w)-[ \t]*\n[ \t]*(\w)", r"\1-\2", text))
        for q in qs:
            pattern = _quote_pattern(q)
            if re.search(pattern, text, re.I):
                continue
            variants = [unwrapped, unwrapped_keep, re.sub(r"(\w)- (\w)", r"\1\2", unwrapped),
                        re.sub(r"(\w)- (\w)", r"\1-\2", unwrapped_keep)]
            if any(re.search(pattern, v, re.I) for v in variants) and doc_id not in HEADER_BLOCK:
                broken.append((doc_id, q))
    assert sum(len(q) for q in quotes.values()) >= 250
    assert broken == []


@pytest.mark.parametrize("name", sorted(p.name for p in DOCS.iterdir()))
def test_unseen_chunk_spans_slice_the_stored_text(name):
    text = stored(DOCS / name)
    chunks = chunk_text(text, count, 120, 300)
    assert chunks
    for c in chunks:
        assert text[c.start:c.end] == c.text
    assert load_document(DOCS / name).text == load_text(DOCS / name)
