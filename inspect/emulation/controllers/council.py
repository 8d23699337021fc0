"""Pages of the emulation council (Hội đồng thi đua – khen thưởng): the list of sessions with
the personnel office's form to set one up, and a session's page — members, attendance and
the quorum meter, the tally form per candidate and title, results with their reasons in
Vietnamese, adjustment with a reason, lock and reopen. A refused form is shown again with
the error beside its field. The JSON view of a session is at /api/v1/council/{id}."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from congvu.inspect.actor import Actor, Role
from congvu.inspect.documents import rendering as documents
from congvu.inspect.emulation import api as emulation
from congvu.inspect.errors import Conflict, Invalid
from congvu.inspect.organisation.tables import Unit
from congvu.rules.council import Attendance, VoteTitle
from litestar import Controller, Request, Response, get, post
from litestar.params import FromPath, QueryParameter
from litestar.response import Redirect, Template

Refusal = Invalid | Conflict


def _form(data: Any) -> dict[str, str]:
    return {k: str(v) for k, v in data.items() if k != "_csrf_token"}


def _day(text: str | None) -> date | None:
    """dd/mm/yyyy as Vietnamese writes it (or ISO); blank: not yet known."""
    value = (text or "").strip()
    if not value:
        return None
    try:
        if "/" in value:
            day, month, year = (int(part) for part in value.split("/"))
            return date(year, month, day)
        return date.fromisoformat(value)
    except ValueError:
        raise Invalid("Ngày họp không hợp lệ (dd/mm/yyyy).", field="held_on") from None


class CouncilPages(Controller):
    path = "/council"

    async def _list(
        self, request: Request[Actor, Any, Any], error: Refusal | None = None
    ) -> Template:
        actor = request.user
        agencies = []
        if actor.has_role(Role.PERSONNEL, Role.ADMIN):
            agencies = [
                u
                for u in await Unit.select(Unit.code, Unit.name, Unit.path)
                .where(Unit.valid_to.is_null())
                .order_by(Unit.path)
                if actor.can_see_unit_path(u["path"]) and u["path"].count("/") <= 3
            ]
        return Template(
            "emulation/council_list.html",
            context={
                "sessions": await emulation.sessions(actor),
                "agencies": agencies,
                "error": error,
            },
            status_code=400 if error else 200,
        )

    @get("/", name="council_sessions")
    async def index(self, request: Request[Actor, Any, Any]) -> Template:
        return await self._list(request)

    @post("/sessions", status_code=303, name="council_create")
    async def create(self, request: Request[Actor, Any, Any]) -> Redirect | Template:
        form = _form(await request.form())
        try:
            year = int(form.get("year", "").strip() or "0")
        except ValueError:
            return await self._list(request, Invalid("Năm không hợp lệ.", field="year"))
        try:
            session_id = await emulation.create_session(
                request.user, form.get("agency", ""), year, campaign=form.get("campaign", "")
            )
        except (Invalid, Conflict) as error:
            return await self._list(request, error)
        return Redirect(f"/council/{session_id}", status_code=303)

    async def _page(
        self,
        request: Request[Actor, Any, Any],
        session_id: int,
        error: Refusal | None = None,
        where: str = "",
        filled: dict[str, Any] | None = None,
    ) -> Template:
        facts = await emulation.council_session(request.user, session_id)
        return Template(
            "emulation/council.html",
            context={
                "s": facts,
                "error": error,
                "error_at": where,
                "attendance": list(Attendance),
                "titles": list(VoteTitle),
                "filled": filled,
            },
            status_code=400 if error else 200,
        )

    @get("/{session_id:int}", name="council_session")
    async def session(
        self, request: Request[Actor, Any, Any], session_id: FromPath[int]
    ) -> Template:
        return await self._page(request, session_id)

    async def _done(
        self, request: Request[Actor, Any, Any], session_id: int, step: Any, where: str = ""
    ) -> Redirect | Template:
        try:
            await step
        except (Invalid, Conflict) as error:
            return await self._page(request, session_id, error, where)
        return Redirect(f"/council/{session_id}{'#' + where if where else ''}", status_code=303)

    @post("/{session_id:int}/members", status_code=303, name="council_member")
    async def member(
        self, request: Request[Actor, Any, Any], session_id: FromPath[int]
    ) -> Redirect | Template:
        form = _form(await request.form())
        step = emulation.set_member(
            request.user, session_id, form.get("official", ""), form.get("role", "member")
        )
        return await self._done(request, session_id, step, "members")

    @post(
        "/{session_id:int}/members/{official_id:int}/remove",
        status_code=303,
        name="council_member_remove",
    )
    async def remove(
        self,
        request: Request[Actor, Any, Any],
        session_id: FromPath[int],
        official_id: FromPath[int],
    ) -> Redirect | Template:
        step = emulation.remove_member(request.user, session_id, official_id)
        return await self._done(request, session_id, step, "members")

    @post("/{session_id:int}/candidates", status_code=303, name="council_candidate")
    async def candidate(
        self, request: Request[Actor, Any, Any], session_id: FromPath[int]
    ) -> Redirect | Template:
        form = _form(await request.form())
        step = emulation.add_candidate(
            request.user, session_id, form.get("official", ""), form.get("title", "CSTDCS")
        )
        return await self._done(request, session_id, step, "results")

    @post("/{session_id:int}/candidates/fill", status_code=200, name="council_candidates_fill")
    async def fill(self, request: Request[Actor, Any, Any], session_id: FromPath[int]) -> Template:
        """Điền ứng viên từ đề xuất: the page again, with who was added, who was already
        listed and who is blocked and why."""
        try:
            filled = await emulation.fill_candidates(request.user, session_id)
        except (Invalid, Conflict) as error:
            return await self._page(request, session_id, error, "results")
        return await self._page(request, session_id, filled=filled)

    @post("/{session_id:int}/meeting", status_code=303, name="council_meeting")
    async def meeting(
        self, request: Request[Actor, Any, Any], session_id: FromPath[int]
    ) -> Redirect | Template:
        form = _form(await request.form())
        attendance = {
            int(k.removeprefix("attendance-")): v
            for k, v in form.items()
            if k.startswith("attendance-") and k.removeprefix("attendance-").isdigit() and v
        }
        try:
            held_on = _day(form.get("held_on"))
        except Invalid as error:
            return await self._page(request, session_id, error, "meeting")
        step = emulation.record_meeting(
            request.user, session_id, held_on, form.get("place", ""), attendance
        )
        return await self._done(request, session_id, step, "meeting")

    @post(
        "/{session_id:int}/tally/{official_id:int}/{title:str}",
        status_code=303,
        name="council_tally",
    )
    async def tally(
        self,
        request: Request[Actor, Any, Any],
        session_id: FromPath[int],
        official_id: FromPath[int],
        title: FromPath[str],
    ) -> Redirect | Template:
        form = _form(await request.form())
        step = emulation.record_tally(request.user, session_id, official_id, title, form)
        return await self._done(request, session_id, step, f"c{official_id}-{title}")

    @post(
        "/{session_id:int}/adjust/{official_id:int}/{title:str}",
        status_code=303,
        name="council_adjust",
    )
    async def adjust(
        self,
        request: Request[Actor, Any, Any],
        session_id: FromPath[int],
        official_id: FromPath[int],
        title: FromPath[str],
    ) -> Redirect | Template:
        form = _form(await request.form())
        step = emulation.adjust_result(
            request.user,
            session_id,
            official_id,
            title,
            form.get("result", ""),
            form.get("reason"),
        )
        return await self._done(request, session_id, step, f"c{official_id}-{title}")

    @post("/{session_id:int}/lock", status_code=303, name="council_lock")
    async def lock(
        self, request: Request[Actor, Any, Any], session_id: FromPath[int]
    ) -> Redirect | Template:
        return await self._done(
            request, session_id, emulation.lock_session(request.user, session_id), "lock"
        )

    @post("/{session_id:int}/reopen", status_code=303, name="council_reopen")
    async def reopen(
        self, request: Request[Actor, Any, Any], session_id: FromPath[int]
    ) -> Redirect | Template:
        form = _form(await request.form())
        step = emulation.reopen_session(request.user, session_id, form.get("reason"))
        return await self._done(request, session_id, step, "lock")


class CouncilWhatIf(Controller):
    """Thử trước khi họp: the form and the who-moves table (nothing written), and the
    adoption of a configuration; the session's minutes (biên bản họp)."""

    path = "/council/{session_id:int}"

    @get("/what-if", name="council_what_if")
    async def what_if(
        self, request: Request[Actor, Any, Any], session_id: FromPath[int]
    ) -> Template:
        values = {k: str(v) for k, v in request.query_params.items()}
        error: Invalid | None = None
        try:
            found = await emulation.what_if(request.user, session_id, values)
        except Invalid as refused:
            error = refused
            found = await emulation.what_if(request.user, session_id, {})
        return Template(
            "emulation/council_whatif.html",
            context={"w": found, "values": values, "error": error},
            status_code=400 if error else 200,
        )

    # A download in the format ?format= asks for (.docx, a page to print, .xlsx), not an
    # API answer: OpenAPI states one media type per answer, so it stays out of /schema.
    @get("/minutes", name="council_minutes", include_in_schema=False)
    async def minutes(
        self,
        request: Request[Actor, Any, Any],
        session_id: FromPath[int],
        fmt: Annotated[str, QueryParameter(name="format")] = "docx",
    ) -> Response[bytes]:
        """Biên bản họp as .docx, or with ``?format=html`` as a page to print."""
        name, content = await emulation.minutes_file(request.user, session_id, fmt)
        return Response(
            content,
            media_type=documents.media_type(name),
            headers={"Content-Disposition": documents.disposition(name)},
        )

    @post("/settings", status_code=303, name="council_settings")
    async def adopt(
        self, request: Request[Actor, Any, Any], session_id: FromPath[int]
    ) -> Redirect | Template:
        form = _form(await request.form())
        try:
            await emulation.adopt_settings(request.user, session_id, form)
        except (Invalid, Conflict) as error:
            found = await emulation.what_if(request.user, session_id, {})
            return Template(
                "emulation/council_whatif.html",
                context={"w": found, "values": form, "error": error},
                status_code=400,
            )
        return Redirect(f"/council/{session_id}#quorum", status_code=303)


class CouncilApi(Controller):
    path = "/api/v1/council"

    @get("/{session_id:int}", name="api_council_session")
    async def session(
        self, request: Request[Actor, Any, Any], session_id: FromPath[int]
    ) -> dict[str, Any]:
        return await emulation.council_session(request.user, session_id)
