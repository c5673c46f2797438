"""The supply-chain page: supplier risk from the supply report (tiplens.supply.report), and,
when the statement assessment is installed (tiplens.supply.statements, imported lazily), a form
that checks uploaded modern slavery statements and shows their sections."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse
from markupsafe import Markup
from starlette.concurrency import run_in_threadpool

from tiplens.errors import BadInput
from tiplens.web import reports
from tiplens.web.pages import render_report, save_upload

router = APIRouter(include_in_schema=False)
ACTS = {"au": "Australia, Modern Slavery Act 2018", "uk": "United Kingdom, Modern Slavery Act 2015",
        "ca": "Canada, Fighting Against Forced Labour and Child Labour in Supply Chains Act"}


def statements_available() -> bool:
    return reports.optional("tiplens.supply.statements") is not None


def _statement_form(limit: int) -> Markup:
    if not statements_available():
        return Markup("")
    options = Markup("").join(Markup('<option value="{}">{}</option>').format(k, v) for k, v in ACTS.items())
    return Markup(
        '<section id="statements-form"><h2>Check modern slavery statements</h2>'
        '<p class="intro">Upload statements (PDF, Word, HTML or text): which of the reporting requirements each '
        "addresses, with the evidence sentences, as <code>tiplens supply statements</code> does. Files are deleted "
        "once they are read.</p>"
        '<form method="post" action="/supply/statements" enctype="multipart/form-data" class="inline" '
        'id="statements-upload"><input type="file" name="files" multiple required>'
        '<label>Act <select name="act">{}</select></label><button type="submit">Check</button>'
        '<span class="caption">Up to {} MB in all.</span></form></section>').format(options, round(limit / 1048576))


@router.get("/supply", response_class=HTMLResponse)
def supply(request: Request) -> HTMLResponse:
    state = request.app.state.tiplens
    rep, note = reports.sections_or_note(state, "supply")
    return render_report(request, "supply", rep, title="Supply-chain due diligence", note=note,
                         tables_url="/api/v1/supply",
                         before=_statement_form(state.settings.upload_limit))


@router.post("/supply/statements", response_class=HTMLResponse)
async def statements(request: Request, files: list[UploadFile] = File(...), act: str = Form("au")) -> HTMLResponse:
    module = reports.optional("tiplens.supply.statements")
    report_module = reports.optional("tiplens.supply.statements_report")
    if module is None or report_module is None:
        raise BadInput("the statement assessment is not part of this installation")
    if act not in ACTS:
        raise BadInput(f"act {act!r}: choose one of {', '.join(ACTS)}")
    state = request.app.state.tiplens
    folder = Path(tempfile.mkdtemp(prefix="statements-", dir=state.upload_dir if state.study else None))
    try:
        paths = [await save_upload(f, folder) for f in files]
        assessment = await run_in_threadpool(module.assess, paths, None, act)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    sections = report_module.statement_sections(assessment)
    return render_report(request, "supply", None, title="Modern slavery statements", extra=sections,
                         intro=f"{len(paths)} file(s) checked against the {ACTS[act]}.",
                         links=[("/supply", "Back to supply chains")])
