"""The social import driver: recognise each file's format, map every item, de-duplicate
posts on (platform, post_id) across files and earlier imports, write canonical rows in
Arrow batches and account for every item."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc

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
from tiplens.social import importers
from tiplens.social.entities import norm_handle
from tiplens.social.importers import csv as csv_importer
from tiplens.social.importers import twarc2_duckdb
from tiplens.social.importers.base import Post, ReadContext, is_utf8, iter_json_lines
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
_POST_FIELDS = tuple(n for n in _POST_SCHEMA.names if n not in ("source_file", "import_id"))
_POST_TYPES = tuple(_POST_SCHEMA.field(n).type for n in _POST_FIELDS)
_ENTITY_SCHEMA = pa.schema([("post_id", pa.string()), ("platform", pa.string()), ("kind", pa.string()),
                            ("value", pa.string()), ("raw", pa.string())])
_EDGE_SCHEMA = pa.schema([("post_id", pa.string()), ("platform", pa.string()), ("source_account", pa.string()),
                          ("target_account", pa.string()), ("kind", pa.string())])


_ENTITY_TYPES = (pa.int64(), *_ENTITY_SCHEMA.types)
_EDGE_TYPES = (pa.int64(), *_EDGE_SCHEMA.types)


def read_head(path: Path) -> str:
    with path.open("rb") as fh:
        raw = fh.read(HEAD_BYTES)
    return raw.decode("utf-8", errors="replace").lstrip("\ufeff")


class _Columns:
    """Canonical rows of one batch, column by column. ``_row`` ties entity and edge rows to
    their post's position in the batch so duplicates can be dropped with their rows."""

    def __init__(self) -> None:
        self.posts: list[list] = [[] for _ in _POST_FIELDS]
        self.entities: list[list] = [[] for _ in range(6)]
        self.edges: list[list] = [[] for _ in range(6)]
        self.n = 0

    def add(self, post: Post, line: int | None) -> None:
        account = post.account.lower() if post.account else None
        parent = post.parent_account.lower().lstrip("@") if post.parent_account else None
        post.account = account
        # unrolled: this runs once per post and was the import's largest Python cost
        (c_id, c_platform, c_account, c_name, c_created, c_text, c_lang, c_kind, c_parent_id, c_parent,
         c_likes, c_reposts, c_replies, c_quotes, c_views, c_media, c_line) = self.posts
        c_id.append(post.post_id)
        c_platform.append(post.platform)
        c_account.append(account)
        c_name.append(post.account_name)
        c_created.append(post.created_at)
        c_text.append(post.text)
        c_lang.append(post.lang)
        c_kind.append(post.kind)
        c_parent_id.append(post.parent_id)
        c_parent.append(parent)
        c_likes.append(post.likes)
        c_reposts.append(post.reposts)
        c_replies.append(post.replies)
        c_quotes.append(post.quotes)
        c_views.append(post.views)
        c_media.append(post.has_media)
        c_line.append(line)
        row, pid, platform = self.n, post.post_id, post.platform
        rows = post.entity_rows()
        if rows:
            e_row, e_pid, e_platform, e_kind, e_value, e_raw = self.entities
            for kind, value, raw in rows:
                e_row.append(row)
                e_pid.append(pid)
                e_platform.append(platform)
                e_kind.append(kind)
                e_value.append(value)
                e_raw.append(raw)
        edges = post.interaction_rows()
        if edges:
            g_row, g_pid, g_platform, g_source, g_target, g_kind = self.edges
            for target, kind in edges:
                g_row.append(row)
                g_pid.append(pid)
                g_platform.append(platform)
                g_source.append(account)
                g_target.append(target)
                g_kind.append(kind)
        self.n += 1

    def take(self) -> tuple[pa.Table, pa.Table, pa.Table]:
        tables = (
            pa.Table.from_arrays([pa.array(c, type=t) for c, t in zip(self.posts, _POST_TYPES, strict=True)],
                                 names=list(_POST_FIELDS)),
            pa.Table.from_arrays([pa.array(c, type=t) for c, t in zip(self.entities, _ENTITY_TYPES, strict=True)],
                                 names=["_row", *_ENTITY_SCHEMA.names]),
            pa.Table.from_arrays([pa.array(c, type=t) for c, t in zip(self.edges, _EDGE_TYPES, strict=True)],
                                 names=["_row", *_EDGE_SCHEMA.names]),
        )
        self.__init__()  # type: ignore[misc]
        return tables


class _Sink:
    """Drops posts already seen (in the study, earlier files or this batch) with their entity
    and edge rows, stamps file and import, and appends the rest to the study."""

    def __init__(self, study: Study, import_id: int) -> None:
        self.study, self.import_id = study, import_id
        self._seen: set[tuple[str, str]] | None = None

    @property
    def seen(self) -> set[tuple[str, str]]:
        """(platform, post_id) of every post in the study, this import's so far included;
        loaded when first needed (a file imported in SQL does not need it)."""
        if self._seen is None:
            self._seen = {(pl, pid) for pl, pid in self.study.query("SELECT platform, post_id FROM posts")}
        return self._seen

    def forget(self) -> None:
        """Posts were appended without this sink: reload the ids when next needed."""
        self._seen = None

    def consume(self, batch: tuple[pa.Table, pa.Table, pa.Table], source_file: str) -> tuple[int, int]:
        posts, entities, edges = batch
        if posts.num_rows == 0:
            return 0, 0
        seen = self.seen
        keep: list[bool] = []
        for key in zip(posts.column("platform").to_pylist(), posts.column("post_id").to_pylist(), strict=True):
            new = key not in seen
            if new:
                seen.add(key)
            keep.append(new)
        kept = sum(keep)
        if kept < len(keep):
            mask = pa.array(keep)
            rows = pa.array([i for i, k in enumerate(keep) if k], type=pa.int64())
            posts = posts.filter(mask)
            entities = entities.filter(pc.is_in(entities.column("_row"), value_set=rows))
            edges = edges.filter(pc.is_in(edges.column("_row"), value_set=rows))
        n = posts.num_rows
        posts = posts.append_column("source_file", pa.array([source_file] * n, pa.string())) \
                     .append_column("import_id", pa.array([self.import_id] * n, pa.int32()))
        self.study.append("posts", posts)
        self.study.append("post_entities", entities.drop_columns(["_row"]))
        self.study.append("interactions", edges.drop_columns(["_row"]))
        return kept, len(keep) - kept


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
    """Import social exports into ``study``. Raises BadInput only for unusable options and
    missing paths; a file that cannot be used (format not recognised, a CSV without a column it
    needs) is one rejected item with the reason, and the other files are imported."""
    if mapping:
        csv_importer.check_mapping(mapping)
    study.ensure(DDL)
    with import_run(study, "social") as run:
        sink = _Sink(study, run.import_id)
        for f in files:
            run.report.add(_import_one(Path(f), fmt, encoding, account, mapping or {}, sink, run.rejects, progress))
    return run.report


def _import_one(path: Path, fmt: str, encoding: str | None, account: str | None, mapping: dict[str, str],
                sink: _Sink, rejects: RejectLog, progress: Callable[[int], None] | None) -> FileReport:
    name = str(path)
    if not path.exists():
        raise BadInput(f"{path}: no such file")
    if path.is_dir():
        raise BadInput(f"{path}: is a folder; name the export files")
    fr = FileReport(file=name, format=fmt)
    if path.stat().st_size == 0 or not read_head(path).strip():
        return file_reject(fr, rejects, "empty file: nothing to import")
    if fmt == "auto":
        try:
            module = importers.detect(path, read_head(path))
        except BadInput as exc:  # this file is one rejected item; the other files are still imported
            fr.format = "unrecognised"
            return file_reject(fr, rejects, str(exc).removeprefix(f"{path}: "))
    else:
        module = importers.by_name(fmt)
    fr.format = module.NAME
    ctx = ReadContext(file=path, encoding=encoding, account=norm_handle(account), mapping=mapping)
    if mapping and module.NAME != "csv":
        ctx.note(f"--map applies to CSV/TSV/XLSX files; ignored for this {module.NAME} file")
    if module.NAME == "twarc2" and is_utf8(encoding) and path.stat().st_size >= SQL_MIN_BYTES:
        shown: list[int] = []

        def step(n: int) -> None:
            shown.append(n)
            if progress is not None:
                progress(n)

        done = twarc2_duckdb.import_file(sink.study, path, name, sink.import_id, step)
        if done is not None:  # else the file needs the Python path, which accounts for every item
            fr.read, fr.imported, fr.duplicates, fr.sha256 = done
            fr.note = "; ".join(ctx.notes)
            sink.forget()
            return fr
        if progress is not None and shown:  # the chunks shown before the file went the Python way
            progress(-sum(shown))
    fr.sha256 = sha256_file(path)
    try:
        if getattr(module, "read_parsed", None) and workers() > 1 and path.stat().st_size >= PARALLEL_MIN_BYTES:
            chunks = _read_parallel(module.NAME, path, ctx)
        else:
            chunks = _read_serial(module.read(path, ctx))
        for posts_batch, batch_rejects, n_read in chunks:
            fr.read += n_read
            fr.rejected += len(batch_rejects)
            for line, reason in batch_rejects:
                rejects.add(name, line, reason)
            imported, duplicates = sink.consume(posts_batch, name)
            fr.imported += imported
            fr.duplicates += duplicates
            if progress is not None:
                progress(n_read)
    except BadInput as exc:  # the file is unusable as a whole (e.g. a CSV without the columns it needs)
        if fr.read == 0:
            return file_reject(fr, rejects, str(exc).removeprefix(f"{path}: "))
        fr.read += 1
        fr.rejected += 1
        rejects.add(name, None, f"reading stopped after {fr.read - 1} items: {exc}")
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        # the file broke part-way (truncated, wrong encoding): keep what was read, say where
        fr.read += 1
        fr.rejected += 1
        rejects.add(name, None, f"reading stopped after {fr.read - 1} items: {type(exc).__name__}: {exc}")
    if ctx.notes:
        fr.note = "; ".join(ctx.notes)
    return fr


_Chunk = tuple[tuple[pa.Table, pa.Table, pa.Table], list[tuple[int | None, str]], int]
PARALLEL_MIN_BYTES = 64 * 1024 * 1024
SQL_MIN_BYTES = 16 * 1024 * 1024  # twarc2 pages are mapped in DuckDB from this size (below, the fixed cost of the SQL path, about 0.5 s, outweighs it)
CHUNK_BYTES = 16 * 1024 * 1024


def workers() -> int:
    """Processes for parsing large JSON-lines files (TIPLENS_WORKERS, default: the CPU count)."""
    try:
        return max(1, int(os.environ.get("TIPLENS_WORKERS") or os.cpu_count() or 1))
    except ValueError:
        raise BadInput("TIPLENS_WORKERS must be a whole number") from None


def _read_serial(items: Iterable[tuple[int | None, Post | Reject]]) -> Iterator[_Chunk]:
    cols = _Columns()
    rejected: list[tuple[int | None, str]] = []
    n_read = 0
    for line, item in items:
        n_read += 1
        if isinstance(item, Reject):
            rejected.append((item.line if item.line is not None else line, item.reason))
        elif problem := item.type_problem():
            rejected.append((line, f"item not imported: {problem}"))
        else:
            cols.add(item, line)
        if cols.n >= BATCH:
            yield cols.take(), rejected, n_read
            rejected, n_read = [], 0
    yield cols.take(), rejected, n_read


def _chunks(path: Path, size: int) -> list[tuple[int, int, int]]:
    """(start, end, first line) byte ranges that end on line boundaries."""
    out: list[tuple[int, int, int]] = []
    total = path.stat().st_size
    with path.open("rb") as fh:
        start, line = 0, 1
        while start < total:
            fh.seek(min(start + size, total))
            if start + size < total:
                fh.readline()  # run on to the end of the line
            end = min(fh.tell(), total) if start + size < total else total
            fh.seek(start)
            newlines = 0
            remaining = end - start
            while remaining:
                block = fh.read(min(remaining, 1 << 22))
                newlines += block.count(b"\n")
                remaining -= len(block)
            out.append((start, end, line))
            start, line = end, line + newlines
    return out


def _work(job: tuple[str, str, int, int, int, ReadContext]) -> _Chunk:
    name, path, start, end, first_line, ctx = job
    module = importers.by_name(name)
    parsed = iter_json_lines(Path(path), ctx.encoding, start, end, first_line)
    (batch, rejected, n_read), *rest = list(_read_serial(module.read_parsed(parsed, ctx)))
    for more, more_rejected, more_read in rest:  # chunks are sized to fit one batch, but be exact
        batch = tuple(pa.concat_tables([a, b]) for a, b in zip(batch, _offset(more, batch[0].num_rows), strict=True))
        rejected += more_rejected
        n_read += more_read
    return batch, rejected, n_read  # type: ignore[return-value]


def _offset(batch: tuple[pa.Table, pa.Table, pa.Table], by: int) -> tuple[pa.Table, pa.Table, pa.Table]:
    posts, entities, edges = batch
    shift = lambda t: t.set_column(0, "_row", pc.add(t.column("_row"), by))  # noqa: E731
    return posts, shift(entities), shift(edges)


def _read_parallel(name: str, path: Path, ctx: ReadContext) -> Iterator[_Chunk]:
    """Parse and map byte ranges of a JSON-lines file in worker processes, in file order."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    jobs = [(name, str(path), s, e, line, ctx) for s, e, line in _chunks(path, CHUNK_BYTES)]
    # spawn, not fork: the parent holds a DuckDB connection and its threads
    with ProcessPoolExecutor(max_workers=workers(), mp_context=multiprocessing.get_context("spawn")) as pool:
        yield from pool.map(_work, jobs)
