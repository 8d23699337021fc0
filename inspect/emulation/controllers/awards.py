"""The personnel office's page of awards already received (hình thức khen thưởng đã đạt):
the list in its scope, a form to add one and a button to remove one. Mẫu số 05 reads them.
A refused form is shown again with the error beside its field."""

from __future__ import annotations

from typing import Any

from congvu.inspect.actor import Actor
from congvu.inspect.emulation import api as emulation
from congvu.inspect.errors import Conflict, Invalid, NotFound
from litestar import Controller, Request, get, post
from litestar.params import FromPath
from litestar.response import Redirect, Template


class AwardPages(Controller):
    path = "/ratings/awards"

    async def _page(
        self,
        request: Request[Actor, Any, Any],
        error: Invalid | Conflict | NotFound | None = None,
        values: dict[str, str] | None = None,
    ) -> Template:
        return Template(
            "emulation/awards.html",
            context={
                "awards": await emulation.awards(request.user),
                "error": error,
                "values": values or {},
            },
            status_code=(404 if isinstance(error, NotFound) else 400) if error else 200,
        )

    @get("/", name="awards")
    async def index(self, request: Request[Actor, Any, Any]) -> Template:
        return await self._page(request)

    @post("/", status_code=303, name="award_add")
    async def add(self, request: Request[Actor, Any, Any]) -> Redirect | Template:
        form = {k: str(v) for k, v in (await request.form()).items() if k != "_csrf_token"}
        try:
            award_id = await emulation.add_award(request.user, form)
        except (Invalid, Conflict) as error:
            return await self._page(request, error, form)
        except NotFound as error:
            # A code mistyped or outside the officer's scope: still 404 (nothing told
            # about other units), but the form comes back with the error beside the field.
            if error.field != "official":
                raise
            return await self._page(request, error, form)
        return Redirect(f"/ratings/awards#a{award_id}", status_code=303)

    @post("/{award_id:int}/remove", status_code=303, name="award_remove")
    async def remove(self, request: Request[Actor, Any, Any], award_id: FromPath[int]) -> Redirect:
        await emulation.remove_award(request.user, award_id)
        return Redirect("/ratings/awards", status_code=303)
