"""JSON API under /api/v1 (described at /openapi.json).

- ``POST /screen`` and ``POST /screen/batch``: the records of ``tiplens screen``;
- ``GET /social``, ``/cases``, ``/supply`` list the tables of the pillar's report for the open
  study, ``GET /<pillar>/<table>`` returns one (cases: only tables the privacy guard published);
- ``GET /knowledge`` and ``/knowledge/<table>``: indicators, forms, organisations, hotlines
  (``?country=ID`` for a country's referral list), regional cooperation.
"""

from __future__ import annotations

from typing import Any

import orjson
from fastapi import APIRouter, HTTPException, Query, Request, Response
from starlette.concurrency import run_in_threadpool

from tiplens import __version__
from tiplens.web import knowledge, reports
from tiplens.web.models import BatchRequest, BatchResponse, ScreenRecord, ScreenRequest, TableList, TableRows
from tiplens.web.screening import ScreenService, normal_country, service

router = APIRouter()
JSON = "application/json"


def _json(body: Any) -> Response:
    return Response(orjson.dumps(body), media_type=JSON)


def _service(request: Request) -> ScreenService:
    return service()


@router.get("/health")
def health(request: Request) -> dict[str, Any]:
    state = request.app.state.tiplens
    return {"status": "ok", "version": __version__, "study": state.study.path.name if state.study else None}


@router.post("/screen", response_model=ScreenRecord, summary="Screen one text")
async def screen(body: ScreenRequest, request: Request) -> Response:
    """Indicators with their exact spans (``text[start:end]``), contacts, score, flag, level and,
    for flagged texts, the hotlines for ``country``: the record ``tiplens screen`` writes."""
    return _json(_service(request).screen_one(body.text, body.country, body.id))


@router.post("/screen/batch", response_model=BatchResponse, summary="Screen up to 1,000 texts")
async def screen_batch(body: BatchRequest, request: Request) -> Response:
    items = [(it.id if it.id is not None else str(i), it.text, it.country or body.country)
             for i, it in enumerate(body.items)]
    service = _service(request)
    if sum(len(t) for _, t, _ in items) > 200_000:  # long batches: off the event loop
        records = await run_in_threadpool(service.screen, items)
    else:
        records = service.screen(items)
    return _json({"count": len(records), "flagged": sum(bool(r["flagged"]) for r in records), "records": records})


def _report(request: Request, pillar: str):
    rep, why = reports.sections_or_note(request.app.state.tiplens, pillar)
    if rep is None:
        raise HTTPException(404, why)
    return rep


def _list(request: Request, pillar: str) -> dict[str, Any]:
    return reports.describe(_report(request, pillar))


def _table(request: Request, pillar: str, table: str) -> Response:
    found = reports.tables(_report(request, pillar)).get(table)
    if found is None:
        raise HTTPException(404, f"no {pillar} table named {table!r}; GET /api/v1/{pillar} lists them")
    return _rows(found.name, found.title, found.frame)


def _rows(name: str, title: str, frame) -> Response:
    return Response(reports.to_json({"table": name, "title": title, "rows": reports.records(frame)}), media_type=JSON)


@router.get("/social", response_model=TableList, summary="Tables of the social report")
def social_tables(request: Request) -> dict[str, Any]:
    return _list(request, "social")


@router.get("/social/{table}", response_model=TableRows, summary="One table of the social report")
def social_table(request: Request, table: str) -> Response:
    return _table(request, "social", table)


@router.get("/cases", response_model=TableList, summary="Published tables of the cases report")
def cases_tables(request: Request) -> dict[str, Any]:
    """Only aggregated tables that passed the privacy guard (small cells shown as '<k' or 'c')."""
    return _list(request, "cases")


@router.get("/cases/{table}", response_model=TableRows, summary="One published table of the cases report")
def cases_table(request: Request, table: str) -> Response:
    return _table(request, "cases", table)


@router.get("/supply", response_model=TableList, summary="Tables of the supplier-risk report")
def supply_tables(request: Request) -> dict[str, Any]:
    return _list(request, "supply")


@router.get("/supply/{table}", response_model=TableRows, summary="One table of the supplier-risk report")
def supply_table(request: Request, table: str) -> Response:
    return _table(request, "supply", table)


@router.get("/knowledge", response_model=TableList, summary="Tables of the knowledge base")
def knowledge_tables() -> dict[str, Any]:
    return reports.describe(knowledge.build())


@router.get("/knowledge/hotlines", response_model=TableRows, summary="Verified hotlines, for one country or all")
def hotlines(country: str | None = Query(None, max_length=60, description="ISO code or name; as in the "
                                         "'referral' of a screening record")) -> Response:
    code = None
    if country:
        try:
            code = normal_country(country)
        except ValueError as exc:
            raise HTTPException(422, str(exc)) from None
    return _rows("hotlines", f"Hotlines for {code}" if code else "Hotline directory", knowledge.hotlines_frame(code))


@router.get("/knowledge/{table}", response_model=TableRows, summary="One table of the knowledge base")
def knowledge_table(table: str) -> Response:
    found = reports.tables(knowledge.build()).get(table)
    if found is None:
        raise HTTPException(404, f"no knowledge table named {table!r}; GET /api/v1/knowledge lists them")
    return _rows(found.name, found.title, found.frame)
