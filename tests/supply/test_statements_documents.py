"""Reading statements: PDF, DOCX, HTML, TXT, folders, CSV; bad files reported, the rest read."""

from __future__ import annotations

import pytest

from tests.supply.statement_files import make_docx, make_encrypted_pdf, make_pdf
from tiplens.errors import BadInput
from tiplens.supply import documents


def test_pdf_text_pages_and_page_count(tmp_path):
    pdf = make_pdf(tmp_path / "acme.pdf", [["Acme Ltd Modern Slavery Statement", "This statement was approved by the Board."],
                                           ["We audit our suppliers (tier 1) every year."]])
    found = documents.read([pdf])
    assert found.problems == []
    (doc,) = found.documents
    assert (doc.statement, doc.kind, doc.pages) == ("acme.pdf", "pdf", 2)
    assert "approved by the Board" in doc.text and "suppliers (tier 1)" in doc.text


def test_encrypted_scanned_and_broken_pdfs_are_reported_and_the_rest_read(tmp_path):
    good = make_pdf(tmp_path / "good.pdf", [["Our suppliers are audited every year by an independent firm."]])
    locked = make_encrypted_pdf(tmp_path / "locked.pdf", good)
    scanned = make_pdf(tmp_path / "scanned.pdf", [[], []])
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog" + b"\x00" * 40)
    found = documents.read([good, locked, scanned, broken])
    assert [d.statement for d in found.documents] == ["good.pdf"]
    reasons = {p.source: p.reason for p in found.problems}
    assert set(reasons) == {"locked.pdf", "scanned.pdf", "broken.pdf"}
    assert "encrypted" in reasons["locked.pdf"] and "password" in reasons["locked.pdf"]
    assert "no text layer" in reasons["scanned.pdf"] and "scanned" in reasons["scanned.pdf"]
    assert "not a readable PDF" in reasons["broken.pdf"]


def test_docx_paragraphs_bullets_headings_and_tables(tmp_path):
    path = make_docx(tmp_path / "s.docx", [("Our supply chains", "heading"), ("We buy cotton from two mills.", None),
                                           ("Code of conduct", "bullet"), ("Supplier audits", "bullet")],
                     table=[["Country", "Suppliers"], ["India", "12"]])
    (doc,) = documents.read([path]).documents
    blocks = doc.text.split("\n\n")
    assert blocks[:4] == ["Our supply chains", "We buy cotton from two mills.", "\u2022 Code of conduct", "\u2022 Supplier audits"]
    assert "India ; 12" in blocks


def test_encrypted_office_file_and_fake_docx(tmp_path):
    ole = tmp_path / "locked.docx"
    ole.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 500)
    fake = tmp_path / "fake.docx"
    fake.write_text("not a zip")
    ok = tmp_path / "ok.txt"
    ok.write_text("We train all buyers on forced labour risks.")
    found = documents.read([ole, fake, ok])
    assert [d.statement for d in found.documents] == ["ok.txt"]
    reasons = {p.source: p.reason for p in found.problems}
    assert "encrypted" in reasons["locked.docx"]
    assert "not a readable DOCX" in reasons["fake.docx"]


def test_html_skips_scripts_and_keeps_blocks(tmp_path):
    page = tmp_path / "s.html"
    page.write_text("<html><head><title>t</title><script>var x = 'We will';</script></head><body>"
                    "<h1>Modern slavery statement</h1><p>Approved by the Board &amp; signed.</p>"
                    "<ul><li>Audits</li><li>Training</li></ul><style>p{}</style></body></html>", encoding="utf-8")
    (doc,) = documents.read([page]).documents
    assert "var x" not in doc.text and "p{}" not in doc.text and "\nt\n" not in doc.text
    blocks = [b.strip() for b in doc.text.split("\n\n") if b.strip()]
    assert blocks == ["Modern slavery statement", "Approved by the Board & signed.", "\u2022 Audits", "\u2022 Training"]


def test_text_in_a_legacy_encoding(tmp_path):
    path = tmp_path / "cp1252.txt"
    path.write_bytes("Ferme St-Zotique Ltée is our supplier of café beans \u2013 audited in 2023.".encode("cp1252"))
    (doc,) = documents.read([path]).documents
    assert "Ltée" in doc.text and "café" in doc.text


def test_folder_walk_lists_unsupported_files(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "one.txt").write_text("First statement text here.")
    (tmp_path / "two.htm").write_text("<p>Second statement text.</p>")
    (tmp_path / "logo.png").write_bytes(b"\x89PNG")
    (tmp_path / "empty.txt").write_text("")
    found = documents.read([tmp_path])
    assert [d.statement for d in found.documents] == ["a/one.txt", "two.htm"]
    reasons = {p.source: p.reason for p in found.problems}
    assert "unsupported" in reasons["logo.png"] and reasons["empty.txt"] == "empty file"


def test_csv_rows_grouped_by_id_and_empty_rows_reported(tmp_path):
    path = tmp_path / "s.csv"
    path.write_text("company,body\nAcme,We audit suppliers.\nBeta,\nAcme,We train buyers.\nGamma,Board approved.\n")
    found = documents.read([path], text_column="body", id_column="company")
    assert [(d.statement, d.text) for d in found.documents] == [
        ("Acme", "We audit suppliers.\n\nWe train buyers."), ("Gamma", "Board approved.")]
    assert [(p.source, p.reason) for p in found.problems] == [("s.csv:3", "empty 'body'")]


def test_csv_without_id_column_uses_line_numbers_and_bad_columns_are_clear(tmp_path):
    path = tmp_path / "s.csv"
    path.write_text("text\nOne statement.\nAnother statement.\n")
    assert [d.statement for d in documents.read([path]).documents] == ["s:2", "s:3"]
    with pytest.raises(BadInput, match="--text-column 'body' is not a column"):
        documents.read([path], text_column="body")
    with pytest.raises(BadInput, match="--id-column 'company' is not a column"):
        documents.read([path], id_column="company")


def test_nothing_readable_is_bad_input(tmp_path):
    with pytest.raises(BadInput, match="no statement could be read.*no such file"):
        documents.read([tmp_path / "missing.pdf"])
    weird = tmp_path / "x.bin"
    weird.write_bytes(b"\x00\x01")
    with pytest.raises(BadInput, match="unsupported file type .bin"):
        documents.read([weird])
