"""HTML pages of the workbench. Each page renders result sections built by the same
library code as the reports (tiplens.<pillar>.report), with the same block templates."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse

from tiplens.errors import BadInput
from tiplens.web.state import State

router = APIRouter(include_in_schema=False)

PILLAR_IMPORTERS = ("social", "cases", "supply")


def _state(request: Request) -> State:
    return request.app.state.tiplens


def render(request: Request, template: str, **context: Any) -> HTMLResponse:
    html = request.app.state.templates.get_template(template).render(request=request, **context)
    return HTMLResponse(html)


@router.get("/", response_class=HTMLResponse)
def home(request: Request) -> HTMLResponse:
    state = _state(request)
    tables, imports, rejects = [], [], []
    if state.study is not None:
        with state.lock:
            study = state.study
            tables = study.query(
                "SELECT table_name, estimated_size FROM duckdb_tables() WHERE schema_name = 'main' ORDER BY table_name")
            imports = study.query(
                "SELECT import_id, pillar, file, format, read, imported, duplicates, rejected, imported_at "
                "FROM imports ORDER BY import_id DESC, file LIMIT 50")
            rejects = study.query(
                "SELECT import_id, file, line, reason FROM rejects ORDER BY import_id DESC, file, line LIMIT 200")
    return render(request, "home.html", page="home", study=state.study, tables=tables, imports=imports,
                  rejects=rejects, pillars=PILLAR_IMPORTERS, upload_limit=state.settings.upload_limit)


_SAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")


def safe_upload_path(folder: Path, filename: str | None) -> Path:
    """A path inside ``folder`` for an uploaded file: the name is reduced to safe characters
    and can never climb out of the folder."""
    name = _SAFE_NAME.sub("_", Path(filename or "upload").name).lstrip(".") or "upload"
    target = (folder / name[:120]).resolve()
    if target.parent != folder.resolve():
        raise BadInput("upload name not allowed")
    stem, suffix, n = target.stem, target.suffix, 1
    while target.exists():
        target = target.with_name(f"{stem}-{n}{suffix}")
        n += 1
    return target


@router.post("/import", response_class=HTMLResponse)
async def upload(request: Request, pillar: str = Form(...), file: UploadFile = File(...)) -> HTMLResponse:
    state = _state(request)
    if pillar not in PILLAR_IMPORTERS:
        raise BadInput(f"unknown pillar {pillar!r}")
    target = safe_upload_path(state.upload_dir, file.filename)
    with target.open("wb") as fh:
        while chunk := await file.read(1 << 20):
            fh.write(chunk)
    report = _import(state, pillar, target)
    return render(request, "imported.html", page="home", pillar=pillar, filename=file.filename, report=report)


def _import(state: State, pillar: str, path: Path):
    with state.lock:
        study = state.need_study()
        if pillar == "social":
            from tiplens.social.importing import import_files
        elif pillar == "cases":
            from tiplens.cases.importing import import_files  # type: ignore[no-redef]
        else:
            from tiplens.supply.importing import import_files  # type: ignore[no-redef]
        return import_files(study, [path])


def _social_sections(state: State) -> list:
    from tiplens.social.report import SocialReportParams, build

    def make():
        study = state.need_study()
        return build(study, SocialReportParams()).sections

    return state.cached("social", make)


@router.get("/social", response_class=HTMLResponse)
def social(request: Request) -> HTMLResponse:
    state = _state(request)
    sections = _social_sections(state)
    return render(request, "sections.html", page="social", title="Social media campaign analysis", sections=sections)


@router.get("/social/posts", response_class=HTMLResponse)
def posts(request: Request, q: str = "", account: str = "", page: int = 1) -> HTMLResponse:
    state = _state(request)
    from tiplens.web.queries import search_posts

    with state.lock:
        rows, total = search_posts(state.need_study(), q=q, account=account, page=max(page, 1))
    return render(request, "posts.html", page="social", q=q, account=account, rows=rows, total=total,
                  pageno=max(page, 1))
