"""The social import driver: recognise each file's format, map every item, de-duplicate
posts on (platform, post_id) across files and earlier imports, write canonical rows in
Arrow batches and account for every item."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

import pyarrow as pa

from tiplens.errors import BadInput
from tiplens.importing import FileReport, ImportReport, Reject, RejectLog, record_import, sha256_file
from tiplens.social import importers
from tiplens.social.entities import norm_handle
from tiplens.social.importers.base import Post, ReadContext
from tiplens.social.schema import DDL
from tiplens.store import Study

BATCH = 20_000
HEAD_BYTES = 64 * 1024

_POST_SCHEMA = pa.schema([
    ("post_id", pa.string()), ("platform", pa.string()), ("account", pa.string()),
    ("account_name", pa.string()), ("created_at", pa.timestamp("us")), ("text", pa.string()),
    ("lang", pa.string()), ("kind", pa.string()), ("parent_id", pa.string()),
    ("parent_account", pa.string()), ("likes", pa.int64()), ("reposts", pa.int64()),
    ("replies", pa.int64()), ("quotes", pa.int64()), ("views", pa.int64()),
    ("has_media", pa.bool_()), ("source_file", pa.string()), ("source_line", pa.int64()),
    ("import_id", pa.int32()),
])
_ENTITY_SCHEMA = pa.schema([("post_id", pa.string()), ("platform", pa.string()), ("kind", pa.string()),
                            ("value", pa.string()), ("raw", pa.string())])
_EDGE_SCHEMA = pa.schema([("post_id", pa.string()), ("platform", pa.string()), ("source_account", pa.string()),
                          ("target_account", pa.string()), ("kind", pa.string())])


def read_head(path: Path) -> str:
    with path.open("rb") as fh:
        raw = fh.read(HEAD_BYTES)
    return raw.decode("utf-8", errors="replace").lstrip("\ufeff")


class _Writer:
    def __init__(self, study: Study) -> None:
        self.study = study
        self.posts: dict[str, list] = {f.name: [] for f in _POST_SCHEMA}
        self.entities: dict[str, list] = {f.name: [] for f in _ENTITY_SCHEMA}
        self.edges: dict[str, list] = {f.name: [] for f in _EDGE_SCHEMA}
        self.pending = 0
        self._post_columns = [self.posts[n] for n in _POST_SCHEMA.names]
        self._entity_columns = [self.entities[n] for n in _ENTITY_SCHEMA.names]
        self._edge_columns = [self.edges[n] for n in _EDGE_SCHEMA.names]

    def add(self, post: Post, source_file: str, line: int | None, import_id: int) -> None:
        account = post.account.lower() if post.account else None
        parent = post.parent_account.lower().lstrip("@") if post.parent_account else None
        for column, value in zip(self._post_columns, (
            post.post_id, post.platform, account, post.account_name, post.created_at, post.text,
            post.lang, post.kind, post.parent_id, parent, post.likes, post.reposts, post.replies,
            post.quotes, post.views, post.has_media, source_file, line, import_id,
        ), strict=True):
            column.append(value)
        post.account = account
        ent = self._entity_columns
        for kind, value, raw in post.entity_rows():
            ent[0].append(post.post_id)
            ent[1].append(post.platform)
            ent[2].append(kind)
            ent[3].append(value)
            ent[4].append(raw)
        edg = self._edge_columns
        for target, kind in post.interaction_rows():
            edg[0].append(post.post_id)
            edg[1].append(post.platform)
            edg[2].append(account)
            edg[3].append(target)
            edg[4].append(kind)
        self.pending += 1
        if self.pending >= BATCH:
            self.flush()

    def flush(self) -> None:
        for table, cols, schema in (("posts", self.posts, _POST_SCHEMA), ("post_entities", self.entities, _ENTITY_SCHEMA),
                                    ("interactions", self.edges, _EDGE_SCHEMA)):
            if cols[schema.names[0]]:
                self.study.append(table, pa.Table.from_pydict(cols, schema=schema))
                for v in cols.values():
                    v.clear()
        self.pending = 0


def import_files(
    study: Study,
    files: Iterable[str | Path],
    *,
    fmt: str = "auto",
    encoding: str | None = None,
    account: str | None = None,
    mapping: dict[str, str] | None = None,
    progress: Callable[[int], None] | None = None,
) -> ImportReport:
    """Import social exports into ``study``. Raises BadInput only for unusable options;
    problems with a file or an item are recorded as rejects."""
    study.ensure(DDL)
    import_id = study.next_import_id()
    rejects = RejectLog(study, "social", import_id)
    report = ImportReport()
    seen: set[tuple[str, str]] = {(pl, pid) for pl, pid in study.query("SELECT platform, post_id FROM posts")}
    writer = _Writer(study)
    file_reports: list[FileReport] = []
    study.con.execute("BEGIN TRANSACTION")
    try:
        for f in files:
            path = Path(f)
            fr = _import_one(path, fmt, encoding, account, mapping or {}, writer, seen, rejects, import_id, progress)
            file_reports.append(fr)
            report.add(fr)
        writer.flush()
        study.con.execute("COMMIT")
    except BaseException:
        study.con.execute("ROLLBACK")
        raise
    report.rejects_file = rejects.close()
    for fr in file_reports:
        record_import(study, "social", import_id, fr, report.rejects_file)
    return report


def _import_one(path: Path, fmt: str, encoding: str | None, account: str | None, mapping: dict[str, str],
                writer: _Writer, seen: set[tuple[str, str]], rejects: RejectLog, import_id: int,
                progress: Callable[[int], None] | None) -> FileReport:
    name = str(path)
    if not path.exists():
        raise BadInput(f"{path}: no such file")
    if path.is_dir():
        raise BadInput(f"{path}: is a folder; name the export files")
    fr = FileReport(file=name, format=fmt)
    if path.stat().st_size == 0 or not read_head(path).strip():
        fr.note = "empty file"
        fr.read = fr.rejected = 1
        rejects.add(name, None, "empty file: nothing to import")
        return fr
    module = importers.detect(path, read_head(path)) if fmt == "auto" else importers.by_name(fmt)
    fr.format = module.NAME
    fr.sha256 = sha256_file(path)
    ctx = ReadContext(file=path, encoding=encoding, account=norm_handle(account), mapping=mapping)
    if mapping and module.NAME != "csv":
        ctx.note(f"--map applies to CSV/TSV/XLSX files; ignored for this {module.NAME} file")
    try:
        for line, item in module.read(path, ctx):
            fr.read += 1
            if isinstance(item, Reject):
                fr.rejected += 1
                rejects.add(name, item.line if item.line is not None else line, item.reason)
            else:
                key = (item.platform, item.post_id)
                if key in seen:
                    fr.duplicates += 1
                else:
                    seen.add(key)
                    writer.add(item, name, line, import_id)
                    fr.imported += 1
            if progress is not None and fr.read % 5000 == 0:
                progress(5000)
    except BadInput:
        raise
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        # the file broke part-way (truncated, wrong encoding): keep what was read, say where
        fr.read += 1
        fr.rejected += 1
        rejects.add(name, None, f"reading stopped after {fr.read - 1} items: {type(exc).__name__}: {exc}")
    if ctx.notes:
        fr.note = "; ".join(ctx.notes)
    if progress is not None:
        progress(fr.read % 5000)
    return fr
