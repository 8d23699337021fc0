"""/privacy: the notice of what is kept, why and for how long (public, linked from the
sign-in page too); /personal-data/export: the ZIP of one's own data, or with
``?code=`` an official's on their behalf (a personnel officer, within their scope)."""

from __future__ import annotations

from typing import Any

from congvu.inspect.actor import Actor
from congvu.inspect.privacy.services.exporting import export_personal_data
from congvu.inspect.privacy.services.notice import data_kinds
from litestar import Controller, Request, get
from litestar.background_tasks import BackgroundTask
from litestar.params import FromQuery
from litestar.response import File, Template


@get("/privacy", name="privacy")
async def privacy_notice(request: Request[Any, Any, Any]) -> Template:
    settings = request.app.state.settings
    context = {
        "kinds": data_kinds(settings),
        "retain_photos_days": settings.retain_photos_days,
        "retain_signatures_days": settings.retain_signatures_days,
    }
    return Template("privacy/index.html", context=context)


class PersonalDataPages(Controller):
    path = "/personal-data"

    @get("/export", name="personal_data_export")
    async def export(
        self, request: Request[Actor, Any, Any], code: FromQuery[str | None] = None
    ) -> File:
        made = await export_personal_data(request.user, code)
        return File(
            path=made.path,
            filename=made.filename,
            media_type="application/zip",
            background=BackgroundTask(made.path.unlink, missing_ok=True),
        )
