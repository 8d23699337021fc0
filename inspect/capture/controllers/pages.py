"""The inspector's tablet: assigned inspections and the offline-first capture page.

Both pages are shells. The roster, the checklist and everything captured come from the
JSON API (``/api/v1/inspections/assigned``, ``/api/v1/sync``) through capture.js, so the
service worker can replay the same page from its cache when the commune office has no
signal, and the API stays the single way data enters (the future native app uses it too).
"""

from __future__ import annotations

import hashlib
import json
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import Any

from congvu.inspect.actor import Actor, Role
from congvu.inspect.i18n import gettext
from congvu.inspect.inspections import api as inspections
from congvu.inspect.web.guards import requires_role
from litestar import Controller, Request, Response, Router, get
from litestar.params import FromPath
from litestar.response import Template

STATIC = Path(str(files("congvu.templates"))) / "static"
# What a tablet needs to open the capture page with no network; the service worker
# precaches it and its cache name carries a hash of these files, so a deploy that changes
# one of them replaces the cache instead of serving a stale shell forever.
SHELL_ASSETS = (
    "css/app.css",
    "css/capture.css",
    "js/queue.js",
    "js/capture.js",
    "js/offline.js",
    "vendor/htmx.min.js",
    "img/icon.svg",
)
CAPTURE_ROLES = (Role.INSPECTOR, Role.TEAM_LEAD, Role.ADMIN)


@cache
def _shell_version() -> str:
    digest = hashlib.sha256()
    for name in (*SHELL_ASSETS, "sw.js"):
        digest.update((STATIC / name).read_bytes())
    return digest.hexdigest()[:12]


def _labels() -> dict[str, dict[str, str]]:
    """The service's labels, translated now: the page shows them from its offline copy."""
    return {
        name: {code: gettext(label) for code, label in labels.items()}
        for name, labels in (
            ("kinds", inspections.KIND_LABELS),
            ("statuses", inspections.STATUS_LABELS),
            ("topics", inspections.TOPIC_LABELS),
        )
    }


def _page(template: str, request: Request[Actor, Any, Any], **context: Any) -> Template:
    return Template(template, context={"actor": request.user, "labels": _labels(), **context})


class CapturePages(Controller):
    path = "/inspections"
    guards = [requires_role(*CAPTURE_ROLES)]  # noqa: RUF012

    @get("/", name="assigned_inspections")
    async def assigned(self, request: Request[Actor, Any, Any]) -> Template:
        return _page("capture/assigned.html", request)

    @get("/{inspection_id:int}/capture", name="capture")
    async def capture(
        self, request: Request[Actor, Any, Any], inspection_id: FromPath[int]
    ) -> Template:
        # The inspection itself is loaded by the page from the (cached) assigned list:
        # rendering it here would make the offline copy of this page go stale. Only the
        # team may open it (404 otherwise, so a sealed surprise inspection does not leak).
        await inspections.member_inspection(request.user, inspection_id)
        return _page("capture/capture.html", request, inspection_id=inspection_id)


@get("/sw.js", exclude_from_auth=True, include_in_schema=False)
async def service_worker() -> Response[bytes]:
    """Served from the root, not /static, so that its scope can be the whole site."""
    script = (STATIC / "sw.js").read_text(encoding="utf-8")
    script = script.replace("__SHELL_VERSION__", _shell_version()).replace(
        "__SHELL_ASSETS__", json.dumps([f"/static/{name}" for name in SHELL_ASSETS])
    )
    return Response(
        script.encode(),
        media_type="text/javascript; charset=utf-8",
        headers={"Service-Worker-Allowed": "/", "Cache-Control": "no-cache"},
    )


@get("/manifest.webmanifest", exclude_from_auth=True, include_in_schema=False)
async def manifest() -> Response[dict[str, Any]]:
    return Response(
        {
            "name": gettext("Kiểm tra công vụ"),
            "short_name": "congvu",
            "lang": "vi",
            "start_url": "/inspections",
            "scope": "/",
            "display": "standalone",
            "orientation": "any",
            "background_color": "#f6f7f9",
            "theme_color": "#b3261e",
            "icons": [{"src": "/static/img/icon.svg", "sizes": "any", "type": "image/svg+xml"}],
        },
        media_type="application/manifest+json",
    )


capture_router = Router(path="/", route_handlers=[CapturePages, service_worker, manifest])
