"""The screening page: paste one ad and see its evidence highlighted (every character of the ad
escaped, matches wrapped in <mark>), the ILO and Palermo mapping, contacts and hotlines; or
upload a file of ads and get the review page of ``tiplens screen --report`` plus a sortable,
filterable results table (and clusters of linked ads when ``tiplens.screen.linking`` exists)."""

from __future__ import annotations

import shutil
import tempfile
from functools import lru_cache
from pathlib import Path
from typing import Any

import orjson
import pandas as pd
import pycountry
from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse
from markupsafe import Markup
from starlette.concurrency import run_in_threadpool

from tiplens.errors import BadInput
from tiplens.knowledge.hotlines import load_hotlines
from tiplens.knowledge.indicators import ILO_INDICATORS, PALERMO, load_indicators
from tiplens.report import Html, Note, Section, Table
from tiplens.screen.referral import hotlines_for
from tiplens.screen.report import build as review_page
from tiplens.screen.report import highlight
from tiplens.web.pages import render, render_report, save_upload
from tiplens.web.screening import matches_of, normal_country, screen_upload, service

router = APIRouter(include_in_schema=False)
MAX_TEXT = 100_000
RESULT_ROWS = 2000


@lru_cache(maxsize=1)
def country_choices() -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """(places with hotlines in the directory, every other country) as (code, name)."""
    def name(code: str) -> str:
        nation = pycountry.countries.get(alpha_2=code.split("-")[0])
        base = nation.name if nation else code
        return base if "-" not in code else f"{base}: {code}"

    served = sorted({h.region for h in load_hotlines() if h.verified} | {h.country for h in load_hotlines()
                                                                          if h.verified}, key=name)
    others = sorted(((c.alpha_2, c.name) for c in pycountry.countries if c.alpha_2 not in served), key=lambda t: t[1])
    return [(c, name(c)) for c in served], others


def _form(request: Request, **context: Any) -> HTMLResponse:
    served, others = country_choices()
    context.setdefault("text", "")
    context.setdefault("country", "")
    return render(request, "screen.html", page="screen", served=served, others=others, max_text=MAX_TEXT,
                  upload_limit=request.app.state.tiplens.settings.upload_limit, **context)


@router.get("/screen", response_class=HTMLResponse)
def screen_form(request: Request) -> HTMLResponse:
    return _form(request)


def _country(value: str) -> str | None:
    try:
        return normal_country(value) if value.strip() else None
    except ValueError as exc:
        raise BadInput(str(exc)) from None


@router.post("/screen", response_class=HTMLResponse)
async def screen_paste(request: Request, text: str = Form(..., max_length=MAX_TEXT),
                       country: str = Form("", max_length=60)) -> HTMLResponse:
    code = _country(country)
    record = service().screen_one(text, code, id="pasted")
    sections = single_sections(record, text, code)
    return _form(request, text=text, country=code or "", sections=sections, record=record,
                 record_json=record_json(record))


def single_sections(record: dict[str, Any], text: str, country: str | None) -> list[Section]:
    """The result for one pasted text as report sections (the shared block templates render them)."""
    weights = {i.id: i.weight for i in load_indicators().indicators}
    matches = matches_of(record, weights)
    if record["score"] is None:
        verdict = Note(f"Not screened: the text is {record['status']}.", "warning")
    else:
        verdict = Note(f"Score {record['score']:.2f}, level {record['level']}: "
                       + ("FLAGGED - a lead for a trained reviewer, not a finding."
                          if record["flagged"] else "not flagged.")
                       + f" Language: {record['language']}. {len(matches)} piece(s) of evidence, "
                       f"{len(record['contacts'])} contact(s).", "finding" if record["flagged"] else "text")
    evidence: list = [verdict]
    if record["status"] == "truncated":
        evidence.append(Note("The text is longer than the screening limit; only its beginning was screened.",
                             "warning"))
    evidence.append(Html(str(Markup('<blockquote class="evidence" id="evidence">{}</blockquote>').format(
        highlight(text, matches)))))
    if matches:
        evidence.append(Table("", pd.DataFrame([{"evidence": m.text, "indicator": m.label, "ilo": m.ilo or "",
                                                 "palermo": m.palermo or "", "start": m.start, "end": m.end}
                                                for m in matches]), title="Each piece of evidence", max_rows=200))
    ilo = pd.DataFrame([{"ilo_indicator": k, "evidence": "; ".join(dict.fromkeys(m.text for m in matches
                                                                              if m.ilo == k)) or "-"}
                        for k in ILO_INDICATORS])
    palermo = pd.DataFrame([{"palermo_element": k, "evidence": "; ".join(dict.fromkeys(
        f"{m.text} ({m.label})" for m in matches if m.palermo == k)) or "-"} for k in PALERMO])
    mapping = [Note("Each indicator maps to one of the eleven ILO indicators of forced labour (or none) and to one "
                    "element of the Palermo Protocol definition: act, means or purpose."),
               Table("", ilo, title="ILO indicators of forced labour"),
               Table("", palermo, title="Palermo Protocol elements")]
    contacts: list = [Table("", pd.DataFrame(record["contacts"]), title="Contacts in the text")] if record[
        "contacts"] else [Note("No phone number, e-mail, messenger handle or link found.")]
    return [Section("result", "Evidence", evidence), Section("mapping", "ILO and Palermo mapping", mapping),
            Section("contacts", "Contacts", contacts), _hotlines(record, country)]


def _hotlines(record: dict[str, Any], country: str | None) -> Section:
    if not country:
        return Section("hotlines", "Hotlines", [Note("Choose the readers' country to see where to report or get help "
                                                     "(the directory is on the Knowledge page).")])
    lines = hotlines_for(country)
    if not lines:
        return Section("hotlines", "Hotlines", [Note(f"The directory has no verified hotline for {country}.",
                                                     "warning")])
    carried = ("The record's 'referral' carries them because the text is flagged." if record["flagged"]
               else "Shown for reference; the record carries a referral only when the text is flagged.")
    frame = pd.DataFrame([{"name": h.name, "number": h.number, "whatsapp": h.whatsapp or "", "type": h.type,
                           "region": h.region, "source": h.url or h.cite} for h in lines])
    return Section("hotlines", f"Hotlines for {_place(country)}", [Note(carried), Table("", frame,
                                                                                        title="Where to report")])


def _place(code: str) -> str:
    nation = pycountry.countries.get(alpha_2=code.split("-")[0])
    return f"{nation.name} ({code})" if nation else code


@router.post("/screen/upload", response_class=HTMLResponse)
async def screen_batch(request: Request, file: UploadFile = File(...),
                       country: str = Form("", max_length=60)) -> HTMLResponse:
    code = _country(country)
    state = request.app.state.tiplens
    # inside the study folder when a study is open; a private temporary folder otherwise
    folder = Path(tempfile.mkdtemp(prefix="screen-upload-", dir=state.upload_dir if state.study else None))
    try:
        stored = await save_upload(file, folder)
        result = await run_in_threadpool(screen_upload, service(), stored, file.filename or stored.name, code, folder)
    finally:
        shutil.rmtree(folder, ignore_errors=True)  # the ads are not kept
    rep = review_page(result.summary, title=f"Screening of {result.filename}", extra_sections=result.extra_sections)
    table = results_table(result.records)
    return render_report(request, "screen", rep, title=rep.title, before=table,
                         links=[("/screen", "Screen another text or file")])


def results_table(records: list[dict[str, Any]]) -> Markup:
    """Every record as a row of a sortable table with a filter box (web.js)."""
    rows = []
    for r in records[:RESULT_ROWS]:
        labels = ", ".join(dict.fromkeys(i["label"] for i in r["indicators"]))
        contacts = ", ".join(dict.fromkeys(c["kind"] for c in r["contacts"]))
        score = "" if r["score"] is None else f"{r['score']:.3f}"
        rows.append(Markup("<tr><td>{}</td><td>{}</td><td class=\"num\">{}</td><td class=\"level-{}\">{}</td>"
                           "<td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>").format(
            r["id"], r["status"], score, r["level"] or "none", r["level"] or "", "yes" if r["flagged"] else "no",
            r["language"], labels, contacts))
    more = (Markup('<p class="caption">Showing the first {} of {} records; the CLI writes them all '
                   "(tiplens screen FILE --out results.jsonl).</p>").format(RESULT_ROWS, len(records))
            if len(records) > RESULT_ROWS else Markup(""))
    return Markup('<section id="results"><h2>Results, one row per record</h2>'
                  '<p class="intro">Click a column to sort; type in the box to filter.</p>'
                  '<div class="tablewrap"><table class="sortable" data-filter id="results-table"><thead><tr>'
                  "<th>id</th><th>status</th><th>score</th><th>level</th><th>flagged</th><th>language</th>"
                  "<th>indicators</th><th>contacts</th></tr></thead><tbody>{}</tbody></table></div>{}</section>").format(
        Markup("").join(rows), more)


def record_json(record: dict[str, Any]) -> str:
    return orjson.dumps(record, option=orjson.OPT_INDENT_2).decode()
