"""JSON API under /api/v1 (described at /openapi.json)."""

from __future__ import annotations

import json
from typing import Any

from fastapi import APIRouter, Request, Response

from tiplens import __version__

router = APIRouter()


@router.get("/health")
def health(request: Request) -> dict[str, Any]:
    state = request.app.state.tiplens
    return {"status": "ok", "version": __version__, "study": state.study.path.name if state.study else None}


@router.get("/social/{table}")
def social_table(request: Request, table: str) -> Response:
    """One of the social report's tables (as in the report's tables/ folder), as records."""
    from tiplens.errors import BadInput

    state = request.app.state.tiplens
    from tiplens.web.pages import _social_sections

    for section in _social_sections(state):
        for block in section.blocks:
            if getattr(block, "name", None) == table and hasattr(block, "frame"):
                body = '{"table": ' + json.dumps(table) + ', "rows": ' + block.frame.to_json(orient="records", date_format="iso") + "}"
                return Response(body, media_type="application/json")
    raise BadInput(f"no social table named {table!r}")
