"""Accounting shared by every importer: ``read = imported + duplicates + rejected``.

Importers (one module per source format) turn raw items into canonical rows or a
:class:`Reject`. The pillar's driver counts, de-duplicates where the data allows it,
writes rejects (file, line, reason - never the raw text) to a CSV beside the study and
records the import in the study's ``imports`` table.
"""

from __future__ import annotations

import csv
import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tiplens.store import Study


@dataclass(frozen=True)
class Reject:
    """An item that could not be imported, with why."""

    reason: str
    line: int | None = None


@dataclass
class FileReport:
    file: str
    format: str
    read: int = 0
    imported: int = 0
    duplicates: int = 0
    rejected: int = 0
    sha256: str = ""
    note: str = ""

    @property
    def balanced(self) -> bool:
        return self.read == self.imported + self.duplicates + self.rejected


@dataclass
class ImportReport:
    read: int = 0
    imported: int = 0
    duplicates: int = 0
    rejected: int = 0
    rejects_file: str | None = None
    files: list[FileReport] = field(default_factory=list)

    def add(self, fr: FileReport) -> None:
        self.files.append(fr)
        self.read += fr.read
        self.imported += fr.imported
        self.duplicates += fr.duplicates
        self.rejected += fr.rejected

    def to_dict(self) -> dict:
        return {
            "read": self.read,
            "imported": self.imported,
            "duplicates": self.duplicates,
            "rejected": self.rejected,
            "rejects_file": self.rejects_file,
            "files": [asdict(f) for f in self.files],
        }


class RejectLog:
    """Writes rejected items (file, line, reason) to a CSV next to the study."""

    def __init__(self, study: Study, pillar: str, import_id: int) -> None:
        self.study = study
        self.import_id = import_id
        folder = study.path.parent / f"{study.path.stem}-rejects"
        self.path = folder / f"{pillar}-import-{import_id}.csv"
        self._rows: list[tuple[int, str, int | None, str]] = []

    def add(self, file: str, line: int | None, reason: str) -> None:
        self._rows.append((self.import_id, file, line, reason))

    def __len__(self) -> int:
        return len(self._rows)

    def close(self) -> str | None:
        if not self._rows:
            return None
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self.path.open("w", newline="", encoding="utf-8") as fh:
            writer = csv.writer(fh)
            writer.writerow(["file", "line", "reason"])
            for _, file, line, reason in self._rows:
                writer.writerow([file, "" if line is None else line, reason])
        self.study.con.executemany("INSERT INTO rejects VALUES (?, ?, ?, ?)", self._rows)
        return str(self.path)


@dataclass
class ImportRun:
    """One import into a study: its id, its reject log and its accounting."""

    study: Study
    pillar: str
    import_id: int
    rejects: RejectLog
    report: ImportReport


@contextmanager
def import_run(study: Study, pillar: str, report: ImportReport | None = None) -> Iterator[ImportRun]:
    """Run an import in one transaction (all or nothing), then write the rejects file and
    record every file of ``run.report`` in the study's ``imports`` table."""
    import_id = study.next_import_id()
    run = ImportRun(study, pillar, import_id, RejectLog(study, pillar, import_id), report or ImportReport())
    study.con.execute("BEGIN TRANSACTION")
    try:
        yield run
        study.con.execute("COMMIT")
    except BaseException:
        study.con.execute("ROLLBACK")
        raise
    run.report.rejects_file = run.rejects.close()
    for fr in run.report.files:
        record_import(study, pillar, import_id, fr, run.report.rejects_file)


def file_reject(fr: FileReport, rejects: RejectLog, reason: str) -> FileReport:
    """The whole file as one rejected item (no line), with the reason, also shown as the file's
    note: the other files of the import go on."""
    fr.read = fr.rejected = 1
    fr.note = reason
    rejects.add(fr.file, None, reason)
    return fr


def record_import(study: Study, pillar: str, import_id: int, fr: FileReport, rejects_file: str | None) -> None:
    study.con.execute(
        "INSERT INTO imports VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            import_id, pillar, fr.file, fr.sha256, fr.format, fr.read, fr.imported,
            fr.duplicates, fr.rejected, rejects_file, datetime.now(UTC).replace(tzinfo=None),
        ],
    )


def sha256_file(path: Path, chunk: int = 1 << 20) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while block := fh.read(chunk):
            digest.update(block)
    return digest.hexdigest()
