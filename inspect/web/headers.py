"""Security headers on every response, added once, outermost (error pages, redirects
to /login and 404s get them too).

* ``Content-Security-Policy``: scripts, styles, images and connections from this site
  only; no inline script, no inline style, no ``eval`` (the templates keep their
  scripts and styles in /static; data for a script travels in
  ``<script type="application/json">``, which is never executed). Nothing may frame a
  page (``frame-ancestors 'none'``, and ``X-Frame-Options`` for older browsers).
* ``Permissions-Policy``: no camera, microphone or position anywhere but the tablet's
  capture page, which takes photos and the place of the inspection.
* ``Cache-Control: no-store`` on everything but /static: pages, JSON and photos hold
  personal data, so no copy stays in a browser's or a proxy's cache, and after logout
  the back button cannot show the last page again. Static assets keep their caching.
  A handler that chose its own Cache-Control (the service worker script) keeps it.
* ``Strict-Transport-Security`` only when ``CONGVU_PUBLIC_URL`` is https: sent over
  plain http it would be ignored, and a developer's http://127.0.0.1 must keep working.
* A logout answers ``Clear-Site-Data: "cache"``: the browser's HTTP cache of the site
  goes. Not "storage": that would also empty IndexedDB, where the tablet keeps records
  not yet sent (the service worker refuses a logout while there are any, and empties
  its own cache of the inspector's pages once the server has ended the session).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any

from litestar.types import ASGIApp, Message, Receive, Scope, Send

CSP = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        # blob: and data: for the photos and signatures a page shows before upload.
        "img-src 'self' data: blob:",
        "connect-src 'self'",
        "font-src 'self'",
        "manifest-src 'self'",
        "worker-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
# The OpenAPI viewer (Litestar's page at /schema) loads its script from a CDN and starts
# it inline; it shows the API's description, never a record. Its JSON keeps the strict
# policy.
SCHEMA_CSP = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self' 'unsafe-inline' https://cdn.redoc.ly https://cdn.jsdelivr.net "
        "https://unpkg.com",
        "worker-src 'self' blob:",
        "style-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net https://unpkg.com "
        "https://fonts.googleapis.com",
        "img-src 'self' data: https://cdn.jsdelivr.net",
        "font-src 'self' https://fonts.gstatic.com",
        "connect-src 'self'",
        "object-src 'none'",
        "frame-ancestors 'none'",
    ]
)
_DENY_ALL = "camera=(), microphone=(), geolocation=(), payment=(), usb=(), display-capture=()"
_CAPTURE = (
    "camera=(self), microphone=(), geolocation=(self), payment=(), usb=(), display-capture=()"
)
_CAPTURE_PAGE = re.compile(r"^/inspections/\d+/capture$")
_SCHEMA_PAGE = re.compile(r"^/schema(/(?!openapi\.(json|yaml|yml)$)[^/]*)?/?$")
HSTS = "max-age=31536000"


def permissions_for(path: str) -> str:
    return _CAPTURE if _CAPTURE_PAGE.match(path) else _DENY_ALL


def headers_for(path: str, method: str, status: int, *, https: bool) -> list[tuple[str, str]]:
    """What this module adds to a response to ``method path`` answered ``status``."""
    added = [
        ("content-security-policy", SCHEMA_CSP if _SCHEMA_PAGE.match(path) else CSP),
        ("x-content-type-options", "nosniff"),
        ("x-frame-options", "DENY"),
        ("referrer-policy", "same-origin"),
        ("cross-origin-opener-policy", "same-origin"),
        ("permissions-policy", permissions_for(path)),
    ]
    if not path.startswith("/static/"):
        added.append(("cache-control", "no-store"))
    if https:
        added.append(("strict-transport-security", HSTS))
    if method == "POST" and path == "/logout" and status < 400:
        added.append(("clear-site-data", '"cache"'))
    return added


def _merge(existing: Iterable[tuple[bytes, bytes]], added: list[tuple[str, str]]) -> list[Any]:
    headers = list(existing)
    present = {name.lower() for name, _ in headers}
    for name, value in added:
        if name.encode() not in present:
            headers.append((name.encode(), value.encode("latin-1")))
    return headers


def security_headers(https: bool) -> Callable[[ASGIApp], ASGIApp]:
    """ASGI middleware factory: ``https`` is whether the public URL is https."""

    def middleware(app: ASGIApp) -> ASGIApp:
        async def add_headers(scope: Scope, receive: Receive, send: Send) -> None:
            if scope["type"] != "http":
                await app(scope, receive, send)
                return
            path, method = scope["path"], str(scope.get("method", "GET"))

            async def send_with_headers(message: Message) -> None:
                if message["type"] == "http.response.start":
                    added = headers_for(path, method, message["status"], https=https)
                    message["headers"] = _merge(message.get("headers", []), added)
                await send(message)

            await app(scope, receive, send_with_headers)

        return add_headers

    return middleware
