"""The printable minutes (biên bản kiểm tra) of an inspection, NĐ 30/2020 layout."""

from __future__ import annotations

from typing import Any

from congvu.inspect.actor import Actor
from congvu.inspect.documents import rendering as documents
from congvu.inspect.inspections.services import labels
from congvu.inspect.inspections.services import minutes as inspection_minutes
from congvu.inspect.inspections.services.minutes_document import minutes_docx
from litestar import Controller, Request, Response, get, post
from litestar.params import FromPath
from litestar.response import Redirect, Template


class MinutesPages(Controller):
    path = "/inspections"
    include_in_schema = False

    @get("/{inspection_id:int}/minutes", name="minutes")
    async def minutes(
        self, request: Request[Actor, Any, Any], inspection_id: FromPath[int]
    ) -> Template:
        minutes = await inspection_minutes.minutes(request.user, inspection_id)
        return Template(
            "inspections/minutes.html",
            context={"m": minutes, "roles": labels.MEMBER_ROLE_LABELS},
        )

    @get("/{inspection_id:int}/minutes.docx", name="minutes_docx")
    async def minutes_docx(
        self, request: Request[Actor, Any, Any], inspection_id: FromPath[int]
    ) -> Response[bytes]:
        """The minutes as .docx, for whoever may read the page (the same guard)."""
        name, content = await minutes_docx(request.user, inspection_id)
        return Response(
            content,
            media_type=documents.media_type(name),
            headers={"Content-Disposition": documents.disposition(name)},
        )

    @post("/{inspection_id:int}/close", name="close_inspection", status_code=303)
    async def close(
        self, request: Request[Actor, Any, Any], inspection_id: FromPath[int]
    ) -> Redirect:
        await inspection_minutes.close_inspection(request.user, inspection_id)
        return Redirect(f"/inspections/{inspection_id}/minutes", status_code=303)
