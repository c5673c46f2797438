"""tiplens serve"""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path

import typer

from tiplens.cli.common import say
from tiplens.errors import BadInput, TiplensError


def serve(
    store: Path = typer.Option(None, "--store", help="Study file to open (created when missing)."),
    host: str = typer.Option("127.0.0.1", "--host", help="Address to bind; anything but loopback needs --token."),
    port: int = typer.Option(8750, "--port", help="Port."),
    token: str | None = typer.Option(None, "--token", help="Bearer token required on every request (or TIPLENS_TOKEN)."),
    upload_limit_mb: int = typer.Option(200, "--upload-limit-mb", help="Largest upload accepted, in MB."),
) -> None:
    """Start the local web workbench and JSON API (/api/v1, described at /openapi.json)."""
    try:
        import uvicorn

        from tiplens.web.app import create_app
        from tiplens.web.security import is_loopback
        from tiplens.web.state import Settings
    except ImportError:
        raise TiplensError("the workbench needs the web extra: pip install 'tiplens[web]'") from None
    token = token or os.environ.get("TIPLENS_TOKEN") or None
    loopback = is_loopback(host)
    if not loopback and not token:
        raise BadInput(f"refusing to serve on {host} without a token: pass --token or set TIPLENS_TOKEN")
    if token and not re.fullmatch(r"[A-Za-z0-9._~-]{12,}", token):
        raise BadInput("--token: use at least 12 letters, digits or . _ ~ - (e.g. python -c 'import secrets; "
                       "print(secrets.token_urlsafe())')")
    if upload_limit_mb <= 0:
        raise BadInput("--upload-limit-mb must be positive")
    hosts = (host, "localhost", "127.0.0.1", "::1") if loopback else None
    if store is not None:
        # the web framework spools large uploads to a temporary file while it reads them: keep
        # those inside the study folder too (this process serves only this study)
        spool = store.parent / f"{store.stem}-uploads" / ".spool"
        spool.mkdir(parents=True, exist_ok=True)
        tempfile.tempdir = str(spool)
    app = create_app(Settings(store=store, token=token, upload_limit=upload_limit_mb * 1024 * 1024,
                              allowed_hosts=hosts))
    shown = f"[{host}]" if ":" in host else host
    say(f"tiplens workbench on http://{shown}:{port}/ (Ctrl-C to stop)"
        + (f" - bearer token required; in a browser open http://{shown}:{port}/?token=<token> once" if token else ""))
    uvicorn.run(app, host=host, port=port, log_level="warning", access_log=False)
