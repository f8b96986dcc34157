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
