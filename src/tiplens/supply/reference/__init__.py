"""Reference data for supplier risk, read from the publishers' own files.

``load_files`` recognises each file by its content (readers below, tried in order),
records every table it yields as a source with publisher, edition, file hash and notes on
what the file lacks, and accounts for every row (``read = imported + duplicates +
rejected``). Loading the same file again adds nothing. ``status`` says which source of
each kind the risk score will use and which kinds are missing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from types import ModuleType

import pyarrow as pa

from tiplens.errors import BadInput
from tiplens.importing import FileReport, ImportReport, RejectLog, import_run, sha256_file
from tiplens.store import Study
from tiplens.supply.reference import (
    dol_flat,
    dol_table,
    dol_xml,
    gsi_g20,
    gsi_summary,
    gsi_workbook,
    sector_global,
    shilling_long,
    shilling_matrix,
)
from tiplens.supply.reference.base import Loaded, Peek, peek
from tiplens.supply.schema import DDL, KINDS

PILLAR = "supply-reference"

READERS: tuple[ModuleType, ...] = (
    dol_xml, dol_table, dol_flat, gsi_workbook, gsi_summary, gsi_g20, shilling_matrix, shilling_long, sector_global,
)

_COLUMNS = {
    "ref_dol_goods": ("good", "good_sector", "country", "iso3", "child_labor", "forced_labor", "forced_child_labor",
                      "inputs", "inputs_child_labor", "inputs_forced_labor", "derived_country"),
    "ref_gsi_countries": ("country", "iso3", "region", "population", "prevalence", "people", "vulnerability",
                          "government_response"),
    "ref_g20_imports": ("importer", "importer_iso3", "product", "origin_country", "origin_iso3", "value_kusd"),
    "ref_sector_estimates": ("region_code", "iso3", "region", "sector_code", "sector", "broad_sector", "value"),
}


@dataclass
class SourceReport:
    file: str
    format: str
    kind: str
    edition: str
    source_id: int | None
    read: int
    imported: int
    duplicates: int
    rejected: int
    notes: list[str] = field(default_factory=list)


@dataclass
class LoadReport:
    accounting: ImportReport
    sources: list[SourceReport]

    def to_dict(self) -> dict:
        d = self.accounting.to_dict()
        return {k: d[k] for k in ("read", "imported", "duplicates", "rejected", "rejects_file")} | {
            "sources": [asdict(s) for s in self.sources]}


def detect(p: Peek) -> ModuleType:
    for reader in READERS:
        if reader.sniff(p):
            return reader
    known = "; ".join(r.DESCRIPTION for r in READERS)
    raise BadInput(f"{p.path}: not a reference file tiplens reads (known: {known})")


def load_files(study: Study, files: Sequence[str | Path], *, edition: str | None = None,
               synthetic: bool = False) -> LoadReport:
    """Load reference files into ``study``. Raises BadInput before changing anything when
    a file is missing, unreadable or of an unknown format."""
    if not files:
        raise BadInput("name at least one reference file")
    study.ensure(DDL)
    plan = []
    for f in files:
        p = peek(Path(f))
        plan.append((Path(f), p, detect(p)))
    report = LoadReport(ImportReport(), [])
    with import_run(study, PILLAR, report.accounting) as run:
        for path, p, reader in plan:
            digest = sha256_file(path)
            fr = FileReport(file=str(path), format=reader.NAME, sha256=digest)
            for loaded in reader.read(path, p, edition):
                sr = _store(study, path, reader.NAME, digest, loaded, synthetic, run.rejects)
                report.sources.append(sr)
                fr.read += sr.read
                fr.imported += sr.imported
                fr.duplicates += sr.duplicates
                fr.rejected += sr.rejected
            report.accounting.add(fr)
    return report


def _store(study: Study, path: Path, fmt: str, digest: str, loaded: Loaded, synthetic: bool,
           rejects: RejectLog) -> SourceReport:
    table = KINDS[loaded.kind][0]
    for r in loaded.rejects:
        rejects.add(str(path), r.line, r.reason)
    same = study.query("SELECT source_id FROM ref_sources WHERE sha256 = ? AND kind = ? AND edition = ?",
                       [digest, loaded.kind, loaded.edition])
    if same:
        return SourceReport(str(path), fmt, loaded.kind, loaded.edition, int(same[0][0]), loaded.read, 0,
                            len(loaded.rows), len(loaded.rejects), [f"already loaded as source {same[0][0]}"])
    publisher, title = loaded.publisher, loaded.title
    if synthetic:
        publisher, title = "tiplens (SYNTHETIC demonstration table)", f"SYNTHETIC stand-in in the layout of: {title}"
    row = study.query("SELECT coalesce(max(source_id), 0) + 1 FROM ref_sources")
    source_id = int(row[0][0])
    cols = _COLUMNS[table]
    data = {c: [r.get(c) for r in loaded.rows] for c in cols}
    data["source_id"] = [source_id] * len(loaded.rows)
    if loaded.rows:
        study.append(table, pa.Table.from_pydict(data))
    study.con.execute(
        "INSERT INTO ref_sources VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [source_id, loaded.kind, publisher, title, loaded.edition, loaded.edition_year, path.name,
         digest, fmt, len(loaded.rows), synthetic, "; ".join(loaded.notes), datetime.now(UTC).replace(tzinfo=None)])
    return SourceReport(str(path), fmt, loaded.kind, loaded.edition, source_id, loaded.read, len(loaded.rows), 0,
                        len(loaded.rejects), list(loaded.notes))


@dataclass(frozen=True)
class KindStatus:
    kind: str
    source_id: int | None
    edition: str | None
    file: str | None
    rows: int | None
    synthetic: bool
    notes: str
    missing: str | None  # what the risk score lacks without this kind

    def line(self) -> str:
        if self.source_id is None:
            return f"{self.kind}: MISSING - {self.missing}"
        tag = " [SYNTHETIC]" if self.synthetic else ""
        return f"{self.kind}: source {self.source_id}, {self.file}, edition {self.edition}, {self.rows:,} rows{tag}"


def status(study: Study) -> list[KindStatus]:
    """The source of each kind the risk score uses (newest edition, then latest loaded)."""
    study.ensure(DDL)
    from tiplens.supply.tables import current_sources

    current = current_sources(study.tables())
    out = []
    for kind, (_, consequence) in KINDS.items():
        s = current.get(kind)
        if s is None:
            out.append(KindStatus(kind, None, None, None, None, False, "", consequence))
        else:
            out.append(KindStatus(kind, s["source_id"], s["edition"], s["file"], s["rows"], bool(s["synthetic"]),
                                  s["notes"] or "", None))
    return out
