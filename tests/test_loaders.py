from pathlib import Path

import pytest

from ingest.errors import IngestError
from ingest.loaders import load_text

POLICY = "§ 3 Integritet och säkerhet\nPublika AI-tjänster får bara användas med öppen information."


def write_pdf(path: Path, text: str, password: str | None = None) -> Path:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=12)
    for line in text.split("\n"):
        pdf.cell(0, 10, line, new_x="LMARGIN", new_y="NEXT")
    if password:
        pdf.set_encryption(owner_password="owner", user_password=password)
    pdf.output(str(path))
    return path


def write_docx(path: Path) -> Path:
    import docx

    document = docx.Document()
    document.add_heading("Integritet och säkerhet", level=1)
    document.add_paragraph("Publika AI-tjänster får bara användas med öppen information.")
    document.add_paragraph("Känsliga personuppgifter får inte delas", style="List Bullet")
    document.save(str(path))
    return path


def test_txt_and_md(tmp_path):
    (tmp_path / "a.txt").write_text(POLICY, encoding="utf-8")
    (tmp_path / "b.md").write_text("# Rubrik\n\n" + POLICY, encoding="utf-8")
    assert "får bara användas med öppen information" in load_text(tmp_path / "a.txt")
    assert load_text(tmp_path / "b.md").startswith("# Rubrik")


def test_cp1252_text_is_decoded(tmp_path):
    (tmp_path / "a.txt").write_bytes(POLICY.encode("cp1252"))
    assert "säkerhet" in load_text(tmp_path / "a.txt")


def test_pdf(tmp_path):
    text = load_text(write_pdf(tmp_path / "p.pdf", POLICY))
    assert "öppen information" in text and "§ 3 Integritet" in text


def test_docx_keeps_headings_and_lists(tmp_path):
    text = load_text(write_docx(tmp_path / "d.docx"))
    assert "# Integritet och säkerhet" in text
    assert "• Känsliga personuppgifter får inte delas" in text


def test_html_drops_script_and_keeps_structure(tmp_path):
    (tmp_path / "h.html").write_text("<html><head><title>x</title><script>alert(1)</script></head><body>"
                                     "<h2>Integritet</h2><p>Publika AI får bara användas med öppen information.</p>"
                                     "<ul><li>Ett</li><li>Två</li></ul></body></html>", encoding="utf-8")
    text = load_text(tmp_path / "h.html")
    assert "alert" not in text
    assert "## Integritet" in text and "• Två" in text


@pytest.mark.parametrize("name,content,message", [
    ("missing.txt", None, "file not found"),
    ("a.xlsx", b"PK\x03\x04", "unsupported file type"),
    ("empty.txt", b"   \n\n", "empty"),
    ("bin.txt", bytes(range(256)) * 10, "binary"),
    ("enc.txt", b"\x81\x8d\x8f\x90\x9d" * 50, "encoding"),
    ("broken.pdf", b"%PDF-1.4\n1 0 obj garbage without xref\n%%EOF", "PDF"),
    ("broken.docx", b"this is not a zip", "DOCX"),
])
def test_bad_inputs_raise_one_line_errors(tmp_path, name, content, message):
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(IngestError) as err:
        load_text(path)
    assert message.lower() in str(err.value).lower()
    assert "\n" not in str(err.value)


def test_password_protected_pdf(tmp_path):
    path = write_pdf(tmp_path / "secret.pdf", POLICY, password="hemligt")
    with pytest.raises(IngestError, match="password"):
        load_text(path)


def test_docx_zip_bomb_refused(tmp_path):
    import zipfile

    path = tmp_path / "bomb.docx"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as z:
        z.writestr("word/document.xml", b"0" * (250 * 1024 * 1024))
    with pytest.raises(IngestError, match="zip bomb"):
        load_text(path)


# -- blocks: tables in place, titles, page furniture (issue 13) -------------------------------------------

def test_html_table_rows_carry_their_header_cells_and_chrome_is_dropped(tmp_path):
    from ingest.loaders import load_document

    (tmp_path / "t.html").write_text(
        "<html><head><title>Regler | Intranätet</title></head><body><nav><ul><li>Start</li><li>Nyheter</li></ul></nav>"
        "<div class='cookie-banner'>Om kakor på sidan</div><main><h1>AI-regler</h1>"
        "<table><thead><tr><th>Verktyg</th><th>Högsta klass</th></tr></thead>"
        "<tbody><tr><td>Copilot Chat</td><td>Klass 1</td></tr><tr><td>ChatGPT</td><td>Klass 0</td></tr></tbody></table>"
        "<p>Text efter tabellen.</p></main><footer>Storgatan 1, 123 45 Orten</footer></body></html>", encoding="utf-8")
    doc = load_document(tmp_path / "t.html")
    assert doc.title == "AI-regler"
    assert doc.text == ("# AI-regler\n\nVerktyg: Copilot Chat · Högsta klass: Klass 1\n\n"
                        "Verktyg: ChatGPT · Högsta klass: Klass 0\n\nText efter tabellen.\n")


def test_docx_table_in_document_order_with_bold_header_and_title(tmp_path):
    import docx

    from ingest.loaders import load_document

    document = docx.Document()
    document.core_properties.title = "Kort titel"
    document.add_heading("Regel 1", level=2)
    table = document.add_table(rows=3, cols=2)
    for r, (a, b) in enumerate([("Verktyg", "Nivå Hög"), ("Copilot Chat", "Nej"), ("SkrivStöd", "Ja")]):
        for c, value in enumerate((a, b)):
            run = table.rows[r].cells[c].paragraphs[0].add_run(value)
            run.bold = r == 0
    document.add_heading("Regel 2", level=2)
    document.add_paragraph("Text under regel 2.")
    document.save(str(tmp_path / "d.docx"))
    doc = load_document(tmp_path / "d.docx")
    assert doc.text == ("## Regel 1\n\nVerktyg: Copilot Chat · Nivå Hög: Nej\n\nVerktyg: SkrivStöd · Nivå Hög: Ja\n\n"
                        "## Regel 2\n\nText under regel 2.\n")
    assert doc.title == "Kort titel"            # no Title paragraph: the core properties name it


def test_pdf_title_headers_footers_and_hyphens(tmp_path):
    from fpdf import FPDF

    from ingest.loaders import load_document

    pdf = FPDF()
    pdf.set_title("Riktlinje för AI i Orten")
    body = [["Medarbetare får använda godkända AI-tjänster i arbetet, men beslutsfat-",
             "tandet ligger alltid hos en människa som granskar underlaget noga."],
            ["Personuppgifter får aldrig matas in i publika AI-tjänster eller i andra", "tjänster utan avtal."],
            ["Riktlinjen ses över varje år av kommunstyrelsen."]]
    for n, lines in enumerate(body, 1):
        pdf.add_page()
        pdf.set_font("helvetica", size=8)
        pdf.cell(0, 6, "Orten kommun - Riktlinje för AI", new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("helvetica", size=11)
        pdf.ln(10)
        for line in lines:
            pdf.cell(0, 6, line, new_x="LMARGIN", new_y="NEXT")
        pdf.set_y(-20)
        pdf.set_font("helvetica", size=8)
        pdf.cell(0, 6, f"Sida {n} av 3", new_x="LMARGIN", new_y="NEXT")
    pdf.output(str(tmp_path / "r.pdf"))
    doc = load_document(tmp_path / "r.pdf")
    assert doc.title == "Riktlinje för AI i Orten"           # PDF metadata
    assert "beslutsfattandet ligger alltid" in doc.text and "beslutsfat-" not in doc.text
    assert "Sida" not in doc.text and "Orten kommun" not in doc.text
    assert "Riktlinjen ses över varje år av kommunstyrelsen." in doc.text
