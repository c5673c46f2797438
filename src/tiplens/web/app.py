"""The local workbench: FastAPI pages (Jinja2) and a JSON API under /api/v1, over the same
library calls, analyses and chart specs as the reports."""

from __future__ import annotations

from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from jinja2 import ChoiceLoader, Environment, PackageLoader, select_autoescape
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException

from tiplens import __version__
from tiplens.errors import TiplensError
from tiplens.report.builder import template_filters, vega_bundle
from tiplens.web import api, knowledge_pages, pages, screen_pages, supply_pages
from tiplens.web.screening import service
from tiplens.web.security import Guard
from tiplens.web.state import Settings, State

STATIC = Path(__file__).parent / "static"
REPORT_TEMPLATES = Path(__file__).resolve().parents[1] / "report" / "templates"


def templates() -> Environment:
    env = Environment(
        loader=ChoiceLoader([PackageLoader("tiplens.web", "templates"), PackageLoader("tiplens.report", "templates")]),
        autoescape=select_autoescape(["html", "j2"]),
        trim_blocks=True, lstrip_blocks=True,
    )
    env.filters.update(template_filters())
    env.globals["version"] = __version__
    return env


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings()
    state = State(settings)

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        state.open()
        await run_in_threadpool(service().warm)  # compile the screening patterns before the first request
        try:
            yield
        finally:
            state.close()

    app = FastAPI(title="tiplens workbench", version=__version__, openapi_url="/openapi.json",
                  docs_url=None, redoc_url=None, lifespan=lifespan)
    app.state.tiplens = state
    app.state.templates = templates()

    @app.exception_handler(TiplensError)
    async def _tiplens_error(request: Request, exc: TiplensError):
        status = 400 if exc.exit_code == 2 else 500
        if request.url.path.startswith("/api/"):
            return JSONResponse({"error": str(exc)}, status_code=status)
        html = app.state.templates.get_template("error.html").render(message=str(exc), page="error")
        return HTMLResponse(html, status_code=status)

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, exc: StarletteHTTPException):
        if request.url.path.startswith("/api/") or exc.status_code == 413:
            return JSONResponse({"error": exc.detail}, status_code=exc.status_code, headers=exc.headers)
        html = app.state.templates.get_template("error.html").render(message=exc.detail, page="error")
        return HTMLResponse(html, status_code=exc.status_code)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError):
        errors = [{"loc": [str(x) for x in e.get("loc", ())], "msg": str(e.get("msg", "")), "type": str(e.get("type", ""))}
                  for e in exc.errors()]
        status = 400 if any(e["type"] == "json_invalid" for e in errors) else 422
        if not request.url.path.startswith("/api/"):
            lines = "; ".join(f"{'.'.join(e['loc'][1:]) or 'form'}: {e['msg']}" for e in errors[:5])
            html = app.state.templates.get_template("error.html").render(message=f"Invalid form: {lines}", page="error")
            return HTMLResponse(html, status_code=status)
        return JSONResponse({"error": "invalid request", "detail": errors}, status_code=status)

    @app.get("/static/vega.js", include_in_schema=False)
    def _vega() -> Response:
        return Response(vega_bundle(), media_type="text/javascript",
                        headers={"cache-control": "public, max-age=86400"})

    @app.get("/static/charts.js", include_in_schema=False)
    def _charts() -> Response:
        return Response((REPORT_TEMPLATES / "charts.js").read_text(encoding="utf-8"), media_type="text/javascript")

    @app.get("/static/style.css", include_in_schema=False)
    def _style() -> Response:
        css = (REPORT_TEMPLATES / "style.css").read_text(encoding="utf-8") + (STATIC / "web.css").read_text(encoding="utf-8")
        return Response(css, media_type="text/css")

    @app.get("/static/web.js", include_in_schema=False)
    def _webjs() -> Response:
        return Response((STATIC / "web.js").read_text(encoding="utf-8"), media_type="text/javascript")

    app.include_router(pages.router)
    app.include_router(screen_pages.router)
    app.include_router(supply_pages.router)
    app.include_router(knowledge_pages.router)
    app.include_router(api.router, prefix="/api/v1")
    app.add_middleware(Guard, token=settings.token, api_limit=settings.api_limit, upload_limit=settings.upload_limit,
                       allowed_hosts=settings.allowed_hosts)
    return app
