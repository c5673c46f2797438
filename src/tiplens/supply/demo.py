"""The supply demo: a SYNTHETIC supplier list scored against SYNTHETIC reference tables,
the assessment appended to a signed log and verified (and tampered copies caught),
written to ``<out>/supply/report.html``."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd

from tiplens.report import Note, Section, Table
from tiplens.store import Study


# Other parts of the pillar add their demo sections here: each function receives the demo
# output folder (<out>) and returns sections for the supply report (e.g. statement assessment).
def statements_demo(out: Path) -> list[Section]:
    """Assess the SYNTHETIC modern slavery statements (rules only: the demo trains no model)."""
    from tiplens.samples import supply_statements as sample
    from tiplens.supply.statements import assess, write_outputs
    from tiplens.supply.statements_report import statement_sections

    files = sample.write_statements(out / "data" / "supply" / "statements")
    assessment = assess(files)
    write_outputs(assessment, out / "supply" / "statements", synthetic=True)
    return statement_sections(assessment)


EXTRA_DEMO_SECTIONS: list[Callable[[Path], list[Section]]] = [statements_demo]


def supply_demo(out: Path) -> Path:
    from tiplens.samples import supply as sample
    from tiplens.supply.records import risk_records
    from tiplens.supply.reference import load_files
    from tiplens.supply.report import assess, write
    from tiplens.supply.suppliers import import_file

    data = out / "data" / "supply"
    refs = sample.reference(data)
    suppliers = sample.suppliers(data / "SYNTHETIC_suppliers.csv")
    folder = out / "supply"
    store = folder / "study.duckdb"
    store.unlink(missing_ok=True)
    shutil.rmtree(folder / "study-rejects", ignore_errors=True)
    with Study(store) as study:
        load_files(study, refs, edition=sample.EDITION, synthetic=True)
        imported = import_file(study, suppliers)
        assessed = assess(study)
        sections = [_import_section(imported), ledger_section(folder / "ledger", risk_records(assessed))]
        for make in EXTRA_DEMO_SECTIONS:
            sections.extend(make(out))
        return write(study, folder, synthetic=True, extra_sections=sections, assessed=assessed)


def _import_section(imported: Any) -> Section:
    a = imported.accounting
    blocks = [Note(f"Supplier list: read {a.read}, imported {a.imported}, duplicates {a.duplicates}, rejected "
                   f"{a.rejected} (read = imported + duplicates + rejected).", "finding")]
    for d in imported.duplicates:
        blocks.append(Note(f"Duplicate: line {d['line']} ({d['supplier']}) repeats line "
                           f"{d['repeats'].rsplit(':', 1)[-1]}."))
    for p in imported.possible_duplicates:
        blocks.append(Note(f"Possible duplicate, imported: line {p['line']} {p['supplier']!r} looks like line "
                           f"{p['like_line']} {p['like']!r}."))
    for name, lines in imported.unknown_countries.items():
        blocks.append(Note(f"Country not recognised, imported but left unassessed: {name!r} (line(s) "
                           f"{', '.join(map(str, lines))}).", "warning"))
    if imported.no_country:
        blocks.append(Note(f"{len(imported.no_country)} row(s) without a country, imported but left unassessed.",
                           "warning"))
    if a.rejected:
        blocks.append(Note(f"{a.rejected} row(s) rejected with line and reason (e.g. a spend that is not a number); "
                           "see the rejects file next to the study.", "warning"))
    return Section("import", "Supplier list import", blocks,
                   intro="What happened to every row of the SYNTHETIC supplier list.")


def ledger_section(folder: Path, records: list[dict]) -> Section:
    """Append the records to a fresh signed log, verify it, and show that altered copies fail."""
    from tiplens.supply.ledger import append, generate_key, load_private, load_public, verify

    shutil.rmtree(folder, ignore_errors=True)
    key, pub = generate_key(folder / "demo-signing-key")
    public = load_public(pub)
    log = folder / "assessments.jsonl"
    head = append(log, load_private(key), records, kind="supplier-risk")
    lines = log.read_text(encoding="utf-8").splitlines()
    entry = json.loads(lines[2])
    entry["record"]["score"] = 0  # someone lowers a supplier's score after the fact
    copies = {
        "a copy with one score changed": lines[:2] + [json.dumps(entry, ensure_ascii=False)] + lines[3:],
        "a copy with one entry removed": lines[:4] + lines[5:],
        "a copy with two entries swapped": lines[:1] + [lines[2], lines[1]] + lines[3:],
    }
    good = verify(log, public, head=str(head))
    rows = [{"check": "the log as written", "result": "verifies" if good.ok else "FAILS",
             "detail": f"{good.entries} entries, every signature valid; head {head}"}]
    for i, (label, copy) in enumerate(copies.items(), start=1):
        path = folder / f"altered-copy-{i}.jsonl"
        path.write_text("\n".join(copy) + "\n", encoding="utf-8")
        check = verify(path, public)
        rows.append({"check": label, "result": "verifies" if check.ok else "FAILS", "detail": check.problem or ""})
    return Section("records", "Verifiable records", [
        Note(f"Every assessment above was appended to a hash-chained, Ed25519-signed log ({len(records)} records: "
             "one per supplier line and a summary). Anyone holding the public key can check it with "
             "'tiplens supply verify --log ledger/assessments.jsonl --public-key ledger/demo-signing-key.pub'."),
        Table("ledger_checks", pd.DataFrame(rows), title="Checks"),
        Note("The demo key is made for this run only. Keep a real signing key off shared machines and publish "
             "the head (SEQ:HASH) where others can see it.", "warning"),
    ])
