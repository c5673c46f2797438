"""HTML pages of the workbench: the study (imports by upload, rejects), and the social and
cases analyses. Each analysis page renders the sections built by the pillar's own report
builder (tiplens.<pillar>.report), with the report's block templates."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from fastapi import APIRouter, File, Form, HTTPException, Request, UploadFile
from fastapi.responses import HTMLResponse

from tiplens.errors import BadInput
from tiplens.report import Report
from tiplens.web import reports
from tiplens.web.state import State

router = APIRouter(include_in_schema=False)

PILLAR_IMPORTERS = ("social", "cases", "supply")
CHUNK = 1 << 20


def _state(request: Request) -> State:
    return request.app.state.tiplens


def render(request: Request, template: str, **context: Any) -> HTMLResponse:
    html = request.app.state.templates.get_template(template).render(request=request, **context)
    return HTMLResponse(html)


def render_report(request: Request, page: str, rep: Report | None, *, title: str, note: str | None = None,
                  intro: str = "", links: list[tuple[str, str]] | None = None, before: Any = None,
                  extra: list | None = None, tables_url: str | bool = False) -> HTMLResponse:
    """A page of report sections (with a contents list); ``note`` explains a missing report;
    ``tables_url`` is where the API serves the report's tables (each table links there)."""
    sections = (list(rep.sections) if rep is not None else []) + list(extra or [])
    return render(request, "sections.html", page=page, title=title, report=rep, sections=sections, note=note,
                  intro=intro, links=links or [], before=before, tables_url=tables_url)


@router.get("/", response_class=HTMLResponse)
def home(request: Request) -> HTMLResponse:
    state = _state(request)
    tables, imports, rejects = [], [], []
    if state.study is not None:
        with state.lock:
            study = state.study
            tables = study.query(
                "SELECT table_name, estimated_size FROM duckdb_tables() WHERE schema_name = 'main' ORDER BY table_name")
            if study.has_table("imports"):
                imports = [(i, p, Path(f).name, fmt, *counts, when.strftime("%Y-%m-%d %H:%M") if when else "")
                           for i, p, f, fmt, *counts, when in study.query(
                               "SELECT import_id, pillar, file, format, read, imported, duplicates, rejected, "
                               "imported_at FROM imports ORDER BY import_id DESC, file LIMIT 50")]
            if study.has_table("rejects"):
                rejects = [(i, Path(f).name if f else "", line, reason) for i, f, line, reason in study.query(
                    "SELECT import_id, file, line, reason FROM rejects ORDER BY import_id DESC, file, line LIMIT 200")]
    return render(request, "home.html", page="home", study=state.study, tables=tables, imports=imports,
                  rejects=rejects, pillars=PILLAR_IMPORTERS, upload_limit=state.settings.upload_limit,
                  synthetic=state.synthetic())


_SAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")


def safe_upload_path(folder: Path, filename: str | None) -> Path:
    """A path inside ``folder`` for an uploaded file: the name is reduced to safe characters
    and can never climb out of the folder."""
    name = _SAFE_NAME.sub("_", Path((filename or "upload").replace("\\", "/")).name).lstrip(".") or "upload"
    target = (folder / name[:120]).resolve()
    if target.parent != folder.resolve():
        raise BadInput("upload name not allowed")
    stem, suffix, n = target.stem, target.suffix, 1
    while target.exists():
        target = target.with_name(f"{stem}-{n}{suffix}")
        n += 1
    return target


async def save_upload(file: UploadFile, folder: Path) -> Path:
    """Stream an upload into ``folder`` (the Guard caps the request size)."""
    target = safe_upload_path(folder, file.filename)
    with target.open("xb") as fh:
        while chunk := await file.read(CHUNK):
            fh.write(chunk)
    if target.stat().st_size == 0:
        target.unlink()
        raise BadInput(f"{file.filename or 'the upload'}: empty file")
    return target


@router.post("/import", response_class=HTMLResponse)
async def upload(request: Request, pillar: str = Form(...), file: UploadFile = File(...)) -> HTMLResponse:
    state = _state(request)
    if pillar not in PILLAR_IMPORTERS:
        raise BadInput(f"unknown pillar {pillar!r}")
    target = await save_upload(file, state.upload_dir)
    from starlette.concurrency import run_in_threadpool

    try:
        report = await run_in_threadpool(_import, state, pillar, target)
        if report.imported + report.duplicates == 0:
            # nothing in it was usable (its rejects are recorded in the study): say why, as a bad request
            raise BadInput("; ".join(f"{file.filename}: {f.note}" if f.note else f"{file.filename}: nothing usable "
                                     f"({f.rejected:,} rejected of {f.read:,})" for f in report.files))
    except BadInput:
        target.unlink(missing_ok=True)  # nothing was imported from it: do not keep it
        raise
    return render(request, "imported.html", page="home", pillar=pillar, filename=file.filename, report=report)


def _import(state: State, pillar: str, path: Path):
    with state.lock:
        study = state.need_study()
        if pillar == "social":
            from tiplens.social.importing import import_files

            return import_files(study, [path])
        if pillar == "cases":
            from tiplens.cases.importing import import_files as import_cases

            return import_cases(study, [path])
        from tiplens.supply.suppliers import import_file

        return import_file(study, path).accounting


@router.get("/social", response_class=HTMLResponse)
def social(request: Request) -> HTMLResponse:
    rep, note = reports.sections_or_note(_state(request), "social")
    return render_report(request, "social", rep, title="Social media campaign analysis", note=note,
                         tables_url="/api/v1/social",
                         links=[("/social/posts", "Browse the posts, with their coded themes")])


@router.get("/social/posts", response_class=HTMLResponse)
def posts(request: Request, q: str = "", account: str = "", theme: str = "", page: int = 1) -> HTMLResponse:
    from tiplens.knowledge.codebook import load_codebook
    from tiplens.web.queries import PAGE, search_posts

    state = _state(request)
    book = load_codebook()
    if theme and theme not in book.keys():
        raise HTTPException(404, f"no theme {theme!r} in the codebook")
    with state.lock:
        rows, total = search_posts(state.need_study(), q=q, account=account, theme=theme, page=max(page, 1),
                                   codebook=book)
    return render(request, "posts.html", page="social", q=q, account=account, theme=theme, rows=rows, total=total,
                  pageno=max(page, 1), per_page=PAGE, themes=book.themes, synthetic=state.synthetic())


@router.get("/cases", response_class=HTMLResponse)
def cases(request: Request) -> HTMLResponse:
    rep, note = reports.sections_or_note(_state(request), "cases")
    return render_report(
        request, "cases", rep, title="Case data", note=note, tables_url="/api/v1/cases",
        intro="Trends, coverage, profiles, routes and risk zones as the cases report publishes them: aggregated "
              "counts that passed the privacy guard (small cells withheld), never case records.")
