"""Linking ads on hand-made fixtures whose clusters were worked out by hand."""

from __future__ import annotations

import csv
from datetime import date

import pytest

from tiplens.report import Chart, Report, Table, write_report
from tiplens.screen.linking import COLUMNS, LinkParams, fallback_contacts, link
from tiplens.screen.linking_report import sections

BANK = ("Accountant position at a bank in Surabaya; send your CV to the HR office. Requirements: a degree in "
        "accounting, {n} years of experience, fluent English and Indonesian, attention to detail.")

# a, b, c share one phone number written three ways; c and d share an e-mail (so a-d is one cluster);
# e and f are the same template with other digits; g and h stand alone.
ADS = [
    ("a", "Waitress wanted in Jakarta, free housing. Call +62 812-3456-7890", "Ani", "Jakarta", "2024-01-01"),
    ("b", "Spa therapist, high pay, no experience. Contact +6281234567890", "Budi", "Batam", "2024-01-05"),
    ("c", "Nanny abroad, visit visa provided. WhatsApp wa.me/6281234567890 or mail jobs@agency.example",
     "Citra", "Medan", "2024-01-20"),
    ("d", "Factory work in Malaysia, fee paid later. Mail JOBS@agency.example", "Dewi", "Pontianak", "2024-04-01"),
    ("e", BANK.format(n=3), "HR", "Surabaya", "2024-02-01"),
    ("f", BANK.format(n=5), "HR", "Surabaya", "2024-02-09"),
    ("g", "Driver with own car for a family in Bandung. Call +62 813-0000-1111", "Eko", "Bandung", "2024-03-01"),
    ("h", "Cook for a restaurant in Bali, two years of experience", "Fitri", "Bali", "not a date"),
]


def run(**kw):
    ids, texts, names, places, dates = (list(x) for x in zip(*ADS, strict=True))
    return link(ids, texts, names=names, locations=places, dates=dates, **kw)


def test_clusters_found_by_hand():
    r = run(params=LinkParams(region="ID"))
    rows = r.clusters.to_pylist()
    assert r.clusters.column_names == list(COLUMNS)
    assert [(x["cluster_id"], x["ids"], x["n_ads"]) for x in rows] == [("C0001", "a; b; c; d", 4), ("C0002", "e; f", 2)]
    first, second = rows
    assert first["contacts"] == "email:jobs@agency.example; phone:+6281234567890"
    assert first["names"] == "Ani; Budi; Citra; Dewi"
    assert first["locations"] == "Jakarta; Batam; Medan; Pontianak" and first["n_locations"] == 4
    assert (first["first_seen"], first["last_seen"]) == (date(2024, 1, 1), date(2024, 4, 1))
    assert first["trace"] == "2024-01-01 Jakarta -> 2024-01-05 Batam -> 2024-01-20 Medan -> 2024-04-01 Pontianak"
    # Jakarta, Batam, Medan within 19 days; three names on the one phone number (Dewi only used the e-mail)
    assert first["flags"] == "3 locations within 30 days; 3 names used with one phone number"
    assert first["linked_by"] == "contact"
    assert second["contacts"] == "" and second["linked_by"] == "near-duplicate"
    assert second["names"] == "HR" and second["n_locations"] == 1 and second["trace"] == "" and second["flags"] == ""
    assert r.n_ads == 8 and r.n_bad_dates == 1
    assert sorted(r.members.column("id").to_pylist()) == ["a", "b", "c", "d", "e", "f"]


def test_thresholds_of_the_flags():
    r = run(params=LinkParams(region="ID", many_locations=4, short_days=10, many_names=4))
    assert r.clusters.column("flags").to_pylist() == ["", ""]  # 2 places within 10 days, 3 names per phone
    r = run(params=LinkParams(region="ID", many_locations=4, short_days=100))
    assert r.clusters.column("flags").to_pylist()[0].startswith("4 locations within 100 days")


def test_given_contacts_replace_extraction_and_can_be_hashed():
    ids = ["p", "q", "r", "s"]
    texts = ["one ad", "another ad", "third ad", "fourth ad"]
    contacts = [["telegram:boss"], "telegram:boss; phone:+15550100", None, ["phone:+15550100"]]
    r = link(ids, texts, contacts=contacts, params=LinkParams(contact_salt="pepper"))
    row = r.clusters.to_pylist()
    assert [x["ids"] for x in row] == ["p; q; s"]
    shown = row[0]["contacts"]
    assert "boss" not in shown and "15550100" not in shown
    assert shown.startswith("phone:sha256:") and "; telegram:sha256:" in shown
    assert row[0]["first_seen"] is None and row[0]["trace"] == ""


def test_fallback_contacts_normalise_numbers_and_handles():
    got = fallback_contacts("Call 0812 3456 7890 or +62-812-3456-7890; telegram: @Kerja_Cepat; "
                            "line id agen.sukses; mail Info@Example.co.id.", region="ID")
    assert got == {"phone:+6281234567890", "telegram:kerja_cepat", "line:agen.sukses", "email:info@example.co.id"}
    assert fallback_contacts("Call 0812 3456 7890") == set()  # no region: only international numbers


def test_no_clusters_and_bad_lengths():
    r = link(["x", "y"], ["a cook in Bali", "a driver in Medan"], contacts=[[], []])
    assert r.clusters.num_rows == 0 and r.clusters.column_names == list(COLUMNS)
    assert "No cluster" in sections(r)[0].blocks[0].text
    with pytest.raises(ValueError, match="names has 1 values for 2 texts"):
        link(["x", "y"], ["a", "b"], names=["n"])


def test_review_section_writes_clusters_csv_and_escapes_text(tmp_path):
    ids, texts, names, places, dates = (list(x) for x in zip(*ADS, strict=True))
    names[0] = "<script>alert(1)</script>"
    r = link(ids, texts, names=names, locations=places, dates=dates, params=LinkParams(region="ID"))
    secs = sections(r)
    kinds = [type(b) for b in secs[0].blocks]
    assert Table in kinds and Chart in kinds
    html = write_report(Report("linking test", sections=secs, synthetic=True), tmp_path).read_text()
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;" in html
    with (tmp_path / "tables" / "clusters.csv").open(newline="") as fh:
        table = list(csv.DictReader(fh))
    assert [row["ids"] for row in table] == ["a; b; c; d", "e; f"] and list(table[0]) == list(COLUMNS)


def test_contact_adapter_uses_the_contacts_engine_when_present(monkeypatch):
    import importlib.machinery
    import sys
    import types
    from dataclasses import dataclass

    from tiplens.screen import linking

    @dataclass
    class Found:
        key: str
        valid: bool = True

    engine = types.ModuleType(linking.CONTACTS_ENGINE)
    engine.__spec__ = importlib.machinery.ModuleSpec(linking.CONTACTS_ENGINE, None)
    engine.find_contacts = lambda text, region=None: [Found("whatsapp:+628111"), Found("phone:0812", valid=False)]
    monkeypatch.setitem(sys.modules, linking.CONTACTS_ENGINE, engine)
    # a number is one contact whatever the channel it is offered on
    assert linking.contact_values(["anything"]) == [{"phone:+628111"}]
