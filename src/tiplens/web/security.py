"""Guards for the local workbench: loopback by default, a bearer token elsewhere, capped
request bodies (413), and security headers (a strict Content-Security-Policy)."""

from __future__ import annotations

import hmac
import ipaddress
import json
from collections.abc import Awaitable, Callable
from typing import Any

CSP = ("default-src 'none'; script-src 'self' 'unsafe-eval'; style-src 'self' 'unsafe-inline'; "
       "img-src 'self' data: blob:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
]


def is_loopback(host: str) -> bool:
    if host in ("localhost", "localhost.localdomain"):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


class BodyTooLarge(Exception):
    pass


class Guard:
    """ASGI middleware: token check, body caps and headers for every HTTP response."""

    def __init__(self, app: Any, *, token: str | None, api_limit: int, upload_limit: int) -> None:
        self.app = app
        self.token = token
        self.api_limit = api_limit
        self.upload_limit = upload_limit

    def _limit(self, path: str) -> int:
        return self.upload_limit if path.endswith(("/import", "/batch")) else self.api_limit

    def _authorised(self, scope: dict) -> bool:
        if not self.token:
            return True
        headers = dict(scope.get("headers") or [])
        auth = headers.get(b"authorization", b"").decode("latin-1")
        if auth.startswith("Bearer ") and hmac.compare_digest(auth[7:].strip(), self.token):
            return True
        for part in headers.get(b"cookie", b"").decode("latin-1").split(";"):
            name, _, value = part.strip().partition("=")
            if name == "tiplens_token" and hmac.compare_digest(value, self.token):
                return True
        return False

    async def __call__(self, scope: dict, receive: Callable[[], Awaitable[dict]], send: Callable[[dict], Awaitable[None]]) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: dict) -> None:
            if message["type"] == "http.response.start":
                message = {**message, "headers": list(message.get("headers", [])) + HEADERS}
            await send(message)

        if not self._authorised(scope):
            await _json(send_with_headers, 401, {"error": "missing or wrong bearer token"},
                        extra=[(b"www-authenticate", b"Bearer")])
            return
        limit = self._limit(scope.get("path", ""))
        headers = dict(scope.get("headers") or [])
        declared = headers.get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > limit:
            await _json(send_with_headers, 413, {"error": f"request body over the limit of {limit:,} bytes"})
            return
        seen = 0
        started = False

        async def counted_receive() -> dict:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    raise BodyTooLarge
            return message

        async def tracking_send(message: dict) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send_with_headers(message)

        try:
            await self.app(scope, counted_receive, tracking_send)
        except BodyTooLarge:
            if not started:
                await _json(send_with_headers, 413, {"error": f"request body over the limit of {limit:,} bytes"})


async def _json(send: Callable[[dict], Awaitable[None]], status: int, body: dict,
                extra: list[tuple[bytes, bytes]] | None = None) -> None:
    data = json.dumps(body).encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(data)).encode())] + (extra or [])})
    await send({"type": "http.response.body", "body": data})
