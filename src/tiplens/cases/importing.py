"""The cases import driver: recognise each file's format, map every record, write
canonical rows in Arrow batches and account for every record
(``read = imported + duplicates + rejected``).

Case rows are never de-duplicated: in k-anonymised data identical rows are distinct
victims. Only a whole file already imported (same SHA-256) counts as duplicates, so a
repeated import does not double the victims. Country statistics are de-duplicated on
their key (area, year, indicator, dimension, category, sex, age, source).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

import pyarrow as pa

from tiplens.cases import importers
from tiplens.cases.importers import ctdc_duckdb
from tiplens.cases.importers.base import CaseRow, ReadContext, StatRow
from tiplens.cases.importers.workbook import candidate_headers
from tiplens.cases.schema import CASE_COLUMNS, DDL, FLAG_COLUMNS, STAT_COLUMNS
from tiplens.errors import BadInput
from tiplens.importing import (
    FileReport,
    ImportReport,
    Reject,
    RejectLog,
    file_reject,
    import_run,
    sha256_file,
)
from tiplens.store import Study

BATCH = 50_000
PILLAR = "cases"

_CASE_TYPES = {"year": pa.int32(), "minor": pa.bool_(), "abduction": pa.bool_(), "source_line": pa.int64(),
               "import_id": pa.int32(), **{c: pa.bool_() for c in FLAG_COLUMNS}}
CASE_SCHEMA = pa.schema([(c, _CASE_TYPES.get(c, pa.string())) for c in CASE_COLUMNS])
_STAT_TYPES = {"year": pa.int32(), "part": pa.int32(), "value": pa.float64(), "suppressed": pa.bool_(), "source_line": pa.int64(),
               "import_id": pa.int32()}
STAT_SCHEMA = pa.schema([(c, _STAT_TYPES.get(c, pa.string())) for c in STAT_COLUMNS])


class _Writer:
    def __init__(self, study: Study) -> None:
        self.study = study
        self.cases: dict[str, list] = {c: [] for c in CASE_COLUMNS}
        self.stats: dict[str, list] = {c: [] for c in STAT_COLUMNS}

    def add_case(self, row: CaseRow, case_id: str, file: str, line: int | None, import_id: int) -> None:
        values = row.values()
        values.update(case_id=case_id, source_file=file, source_line=line, import_id=import_id)
        for c in CASE_COLUMNS:
            self.cases[c].append(values.get(c))
        if len(self.cases["case_id"]) >= BATCH:
            self.flush()

    def add_stat(self, row: StatRow, file: str, line: int | None, import_id: int) -> None:
        values = dict(row.__dict__, source_file=file, source_line=line, import_id=import_id)
        for c in STAT_COLUMNS:
            self.stats[c].append(values.get(c))
        if len(self.stats["area"]) >= BATCH:
            self.flush()

    def flush(self) -> None:
        for table, cols, schema in (("cases", self.cases, CASE_SCHEMA), ("country_stats", self.stats, STAT_SCHEMA)):
            if cols[schema.names[0]]:
                self.study.append(table, pa.Table.from_pydict(cols, schema=schema))
                for v in cols.values():
                    v.clear()


def import_files(study: Study, files: Iterable[str | Path], *, fmt: str = "auto", encoding: str | None = None,
                 mapping: dict[str, str] | None = None,
                 progress: Callable[[int], None] | None = None, fast: bool | None = None) -> ImportReport:
    """Import case records and country statistics into ``study``. Raises BadInput only for
    unusable options; a file that cannot be read is one rejected item with the reason.

    ``fast``: read CTDC CSV files with DuckDB (:mod:`~tiplens.cases.importers.ctdc_duckdb`;
    same rows and rejects as the Python path): None = for files of at least 4 MB, True = for
    any size, False = never. Files that path cannot read exactly go through Python anyway."""
    study.ensure(DDL)
    if fmt != "auto":
        importers.by_name(fmt)
    done = {sha for (sha,) in study.query(
        "SELECT DISTINCT sha256 FROM imports WHERE pillar = ? AND imported > 0 AND format NOT IN ('glotip', 'gsi')",
        [PILLAR])}
    seen = {tuple(r) for r in study.query("SELECT area, year, indicator, dimension, category, sex, age, part, source "
                                          "FROM country_stats")}
    writer = _Writer(study)
    with import_run(study, PILLAR) as run:
        for f in files:
            run.report.add(_import_one(Path(f), fmt, encoding, mapping or {}, writer, done, seen, run.rejects,
                                       run.import_id, progress, fast))
        writer.flush()
    return run.report


def _import_one(path: Path, fmt: str, encoding: str | None, mapping: dict[str, str], writer: _Writer,
                done: set[str], seen: set[tuple], rejects: RejectLog, import_id: int,
                progress: Callable[[int], None] | None, fast: bool | None = None) -> FileReport:
    name = str(path)
    if not path.exists():
        raise BadInput(f"{path}: no such file")
    if path.is_dir():
        raise BadInput(f"{path}: is a folder; name the data files")
    fr = FileReport(file=name, format=fmt)
    if path.stat().st_size == 0:
        return file_reject(fr, rejects, "empty file: nothing to import")
    try:
        headers = candidate_headers(path, encoding)
        module = importers.detect(path, headers, mapping) if fmt == "auto" else importers.by_name(fmt)
    except BadInput as exc:
        return file_reject(fr, rejects, str(exc).removeprefix(f"{path}: "))
    fr.format = module.NAME
    fr.sha256 = sha256_file(path)
    repeat = fr.sha256 in done
    unknown = getattr(module, "unknown_columns", None)
    extra = unknown(headers[0]) if unknown else []
    if extra:
        fr.note = f"ignored {len(extra)} column(s) not in the CTDC codebook: {', '.join(extra[:10])}"
    ctx = ReadContext(file=path, encoding=encoding, mapping=mapping)
    case_tag = fr.sha256[:12]
    fast_read = None
    if ctdc_duckdb.eligible(path, module.NAME, mapping, fast):
        writer.flush()
        fast_read = ctdc_duckdb.run(writer.study.con, path, encoding, synthetic=module.NAME == "ctdc-synthetic",
                                    tag=case_tag, file=name, import_id=import_id, repeat=repeat)
    if fast_read is not None:
        return _import_fast(fast_read, fr, writer, rejects, import_id, case_tag, repeat, progress)
    try:
        for line, item in module.read(path, ctx):
            fr.read += 1
            if isinstance(item, Reject):
                fr.rejected += 1
                rejects.add(name, item.line if item.line is not None else line, item.reason)
            elif isinstance(item, StatRow):
                key = item.key()
                if key in seen:
                    fr.duplicates += 1
                else:
                    seen.add(key)
                    writer.add_stat(item, name, line, import_id)
                    fr.imported += 1
            else:
                _add_case(fr, item, line, fr.read, writer, case_tag, repeat, import_id)
            if progress is not None and fr.read % 5000 == 0:
                progress(5000)
    except BadInput as exc:
        if fr.read == 0:
            return file_reject(fr, rejects, str(exc).removeprefix(f"{path}: "))
        raise
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        fr.read += 1
        fr.rejected += 1
        rejects.add(name, None, f"reading stopped after {fr.read - 1} records: {type(exc).__name__}: {exc}")
    _note_repeat(fr, repeat)
    if progress is not None:
        progress(fr.read % 5000)
    return fr


def _add_case(fr: FileReport, item: CaseRow, line: int, index: int, writer: _Writer, case_tag: str, repeat: bool,
              import_id: int) -> None:
    """One case record: a duplicate when the file was imported before, else stored and counted."""
    if repeat:
        fr.duplicates += 1
    else:
        writer.add_case(item, f"{case_tag}:{line}:{index}", fr.file, line, import_id)
        fr.imported += 1


def _note_repeat(fr: FileReport, repeat: bool) -> None:
    if repeat and fr.duplicates:
        fr.note = (fr.note + "; " if fr.note else "") + "this file was imported before (same SHA-256)"


def _import_fast(fast: ctdc_duckdb.FastRead, fr: FileReport, writer: _Writer, rejects: RejectLog, import_id: int,
                 case_tag: str, repeat: bool, progress: Callable[[int], None] | None) -> FileReport:
    """Account for a file DuckDB read: its SQL-mapped records are in already; the rest here."""
    for line, item in fast.items:
        fr.read += 1
        if isinstance(item, Reject):
            fr.rejected += 1
            rejects.add(fr.file, item.line if item.line is not None else line, item.reason)
        else:
            _add_case(fr, item, line, fast.read_index(line), writer, case_tag, repeat, import_id)
    fr.read += fast.sql_rows
    if repeat:
        fr.duplicates += fast.sql_rows
    else:
        fr.imported += fast.sql_rows
    _note_repeat(fr, repeat)
    if progress is not None:
        progress(fr.read)
    return fr


