"""Guards for the local workbench: loopback by default, a bearer token elsewhere, capped
request bodies (413), no cross-site form posts, no DNS-rebound host names, and security
headers (a strict Content-Security-Policy)."""

from __future__ import annotations

import hmac
import ipaddress
import json
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

from starlette.exceptions import HTTPException

CSP = ("default-src 'none'; script-src 'self' 'unsafe-eval'; style-src 'self' 'unsafe-inline'; "
       "img-src 'self' data: blob:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
    (b"x-frame-options", b"DENY"),
]


def is_loopback(host: str) -> bool:
    if host in ("localhost", "localhost.localdomain"):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


class BodyTooLarge(HTTPException):
    """Raised while the body is read; an HTTPException so the framework answers 413 itself
    (FastAPI turns other exceptions raised while parsing a body into 400)."""

    def __init__(self, limit: int) -> None:
        super().__init__(413, f"request body over the limit of {limit:,} bytes")


UPLOAD_PATHS = ("/import", "/screen/upload", "/supply/statements")
UNSAFE = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def host_name(value: str) -> str:
    """'127.0.0.1:8750' -> '127.0.0.1', '[::1]:8750' -> '::1'."""
    if value.startswith("["):
        return value[1:].split("]", 1)[0]
    return value.rsplit(":", 1)[0] if value.count(":") == 1 else value


class Guard:
    """ASGI middleware: token check, body caps and headers for every HTTP response."""

    def __init__(self, app: Any, *, token: str | None, api_limit: int, upload_limit: int,
                 allowed_hosts: tuple[str, ...] | None = None) -> None:
        self.app = app
        self.token = token
        self.api_limit = api_limit
        self.upload_limit = upload_limit
        self.allowed_hosts = {h.lower() for h in allowed_hosts} if allowed_hosts else None

    def _limit(self, path: str) -> int:
        return self.upload_limit if path in UPLOAD_PATHS else self.api_limit

    def _refusal(self, scope: dict, headers: dict[bytes, bytes]) -> str | None:
        """Why a request is refused before it reaches the app (None: it is not)."""
        host = headers.get(b"host", b"").decode("latin-1").lower()
        if self.allowed_hosts is not None and host_name(host) not in self.allowed_hosts:
            return f"host {host_name(host)!r} not served here (use the address the workbench printed)"
        origin = headers.get(b"origin")
        if scope.get("method") in UNSAFE and origin is not None:
            netloc = urlsplit(origin.decode("latin-1")).netloc.lower()
            if netloc != host:
                return "cross-site request refused"
        return None

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

    async def _login(self, scope: dict, send: Callable[[dict], Awaitable[None]]) -> None:
        """``GET /any/page?token=T`` (the link `tiplens serve` prints): keep the token in an
        HttpOnly, same-site cookie and redirect to the page without it in the address."""
        pairs = parse_qsl(scope.get("query_string", b"").decode("latin-1"), keep_blank_values=True)
        given = next((v for k, v in pairs if k == "token"), "")
        if not hmac.compare_digest(given, self.token or ""):
            await _json(send, 401, {"error": "missing or wrong bearer token"}, extra=[(b"www-authenticate", b"Bearer")])
            return
        rest = urlencode([(k, v) for k, v in pairs if k != "token"])
        location = scope.get("path", "/") + (f"?{rest}" if rest else "")
        cookie = f"tiplens_token={self.token}; HttpOnly; SameSite=Strict; Path=/"
        await send({"type": "http.response.start", "status": 303,
                    "headers": [(b"location", location.encode("latin-1")), (b"set-cookie", cookie.encode("latin-1")),
                                (b"content-length", b"0")]})
        await send({"type": "http.response.body", "body": b""})

    async def __call__(self, scope: dict, receive: Callable[[], Awaitable[dict]], send: Callable[[dict], Awaitable[None]]) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: dict) -> None:
            if message["type"] == "http.response.start":
                message = {**message, "headers": list(message.get("headers", [])) + HEADERS}
            await send(message)

        headers = dict(scope.get("headers") or [])
        refusal = self._refusal(scope, headers)
        if refusal:
            await _json(send_with_headers, 403, {"error": refusal})
            return
        if self.token and scope.get("method") == "GET" and b"token=" in scope.get("query_string", b""):
            await self._login(scope, send_with_headers)
            return
        if not self._authorised(scope):
            await _json(send_with_headers, 401, {"error": "missing or wrong bearer token"},
                        extra=[(b"www-authenticate", b"Bearer")])
            return
        limit = self._limit(scope.get("path", ""))
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
                    raise BodyTooLarge(limit)
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
