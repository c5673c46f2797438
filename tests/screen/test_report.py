"""The review page: evidence highlighting, escaping, the sections hook, and the demo."""

from __future__ import annotations

import csv

from tiplens.report import Note, Section
from tiplens.screen.contacts import find_contacts
from tiplens.screen.indicators import find
from tiplens.screen.report import build, highlight, write
from tiplens.screen.screening import ScreenOptions, screen_files


def test_highlight_marks_each_match_and_escapes_everything():
    text = "<i>x</i> Biaya pendaftaran Rp 100.000 & paspor ditahan agen"
    html = str(highlight(text, find(text)))
    assert html.startswith("&lt;i&gt;x&lt;/i&gt; ")
    assert html.count("<mark ") == 2
    assert "&amp;" in html and "<i>" not in html


def test_highlight_masks_contacts_and_windows_long_texts():
    text = "x" * 5000 + " Biaya pendaftaran Rp 100.000, WA 0812-3456-7890 " + "y" * 5000
    html = str(highlight(text, find(text), find_contacts(text, "ID")))
    assert "[phone]" in html and "0812" not in html
    assert html.startswith("… ") and html.endswith(" …") and len(html) < 1500


def _summary(tmp_path, rows):
    src = tmp_path / "ads.csv"
    with src.open("w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=["id", "text", "label"])
        w.writeheader()
        w.writerows(rows)
    return screen_files([src], tmp_path / "r.jsonl", ScreenOptions(label_column="label", country="ID"))


def test_extra_sections_hook_and_metrics(tmp_path):
    summary = _summary(tmp_path, [
        {"id": "1", "text": "Biaya pendaftaran Rp 2.500.000 transfer dulu, paspor dititipkan ke agen.", "label": 1},
        {"id": "2", "text": "Dicari kasir, kontrak kerja tertulis, gaji sesuai UMK.", "label": 0},
        {"id": "3", "text": "Gaji besar, kerja ringan.", "label": 1},
    ])
    clusters = Section("clusters", "Linked ads", [Note("two clusters")])
    report = build(summary, extra_sections=[clusters])
    ids = [s.id for s in report.sections]
    assert ids.index("metrics") < ids.index("clusters") < ids.index("referral")
    m = summary.metrics()
    # hand count: ad 1 flagged (fees + documents), ad 3 not (pay 1.0 + light 0.5 + combo 0.8 -> 0.68 flagged)
    assert (m["tp"], m["fp"], m["fn"], m["tn"]) == (2, 0, 0, 1)
    path = write(summary, tmp_path / "rep", extra_sections=[clusters])
    html = path.read_text(encoding="utf-8")
    assert "Linked ads" in html and "two clusters" in html and "<mark" in html


def test_demo_writes_a_synthetic_report(tmp_path):
    from tiplens.screen.demo import screen_demo

    path = screen_demo(tmp_path)
    html = path.read_text(encoding="utf-8")
    assert path == tmp_path / "screen" / "report.html"
    assert "SYNTHETIC DATA" in html and "<mark" in html
    rows = list(csv.DictReader((tmp_path / "data" / "screen_sample.csv").open(encoding="utf-8")))
    assert all(r["text"].endswith("(synthetic example)") for r in rows)
    assert sum(1 for _ in (tmp_path / "screen" / "results.jsonl").open()) == len(rows)


def test_on_record_hook_sees_every_document_with_its_metadata(tmp_path):
    src = tmp_path / "ads.csv"
    src.write_text("id,text,location\n1,Gaji besar,Batam\n2,,Medan\n", encoding="utf-8")
    seen = []
    screen_files([src], tmp_path / "r.jsonl",
                 ScreenOptions(on_record=lambda doc, rec: seen.append((doc.id, doc.meta["location"], rec["status"]))))
    assert seen == [("1", "Batam", "screened"), ("2", "Medan", "empty")]
