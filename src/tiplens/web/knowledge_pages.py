"""The knowledge page: indicators and their ILO and Palermo mapping, forms of exploitation,
organisations, hotlines and regional cooperation (tiplens.web.knowledge)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from tiplens.web import knowledge
from tiplens.web.pages import render_report

router = APIRouter(include_in_schema=False)


@router.get("/knowledge", response_class=HTMLResponse)
def knowledge_page(request: Request) -> HTMLResponse:
    return render_report(request, "knowledge", knowledge.build(), title="Knowledge base", tables_url="/api/v1/knowledge",
                         intro="The knowledge the analyses use, each fact with its source. The same tables are "
                               "at /api/v1/knowledge.")
