"""Pages of ratings: the personnel office's period control (open, lock, reopen with a
reason, versions), a unit's rating board with the head's score form per official, and the
official's own sheet (self-score, contest a deduction). A refused form is shown again with
the error beside its field."""

from __future__ import annotations

import re
import unicodedata
from typing import Annotated, Any
from urllib.parse import quote

from congvu.inspect.actor import Actor
from congvu.inspect.background import api as background
from congvu.inspect.documents import rendering as documents
from congvu.inspect.emulation import api as emulation
from congvu.inspect.emulation.services.access import require_manager
from congvu.inspect.errors import Conflict, Invalid
from congvu.rules.rating_sheet import GENERAL_MAX
from litestar import Controller, Request, get, post
from litestar.datastructures import UploadFile
from litestar.params import FromPath, FromQuery, QueryParameter
from litestar.response import Redirect, Response, Template

CRITERIA = list(GENERAL_MAX)
MAX_IMPORT = 10 * 1024 * 1024
MAX_STEP_FILE = 21 * 1024 * 1024  # the 20 MB file and the form around it


def _form(data: Any) -> dict[str, str]:
    return {k: str(v) for k, v in data.items() if k != "_csrf_token"}


def _attachment(file_name: str) -> str:
    """The uploaded name kept, Vietnamese letters too (RFC 6266), with an ASCII one for
    old browsers."""
    plain = unicodedata.normalize("NFKD", file_name).encode("ascii", "ignore").decode()
    plain = re.sub(r"[^A-Za-z0-9._ -]+", "_", plain).strip() or "tep-dinh-kem"
    return f"attachment; filename=\"{plain}\"; filename*=UTF-8''{quote(file_name, safe='')}"


class RatingPages(Controller):
    path = "/ratings"

    async def _control(
        self, request: Request[Actor, Any, Any], error: Invalid | Conflict | None = None
    ) -> Template:
        require_manager(request.user)
        periods = await emulation.all_periods()
        for p in periods:
            p["versions"] = await emulation.versions(p["name"])
            p["missing_steps"] = (
                await emulation.missing_steps(request.user, p["name"])
                if p["state"] == "open"
                else []
            )
        units = await emulation.units_in_scope(request.user)
        return Template(
            "emulation/periods.html",
            context={"periods": periods, "units": units, "error": error},
            status_code=400 if error else 200,
        )

    @get("/", name="rating_periods")
    async def periods(self, request: Request[Actor, Any, Any]) -> Template:
        return await self._control(request)

    @get("/units", name="rating_boards")
    async def boards(self, request: Request[Actor, Any, Any]) -> Template:
        """Where a head or a council member starts: each period with the boards of the
        units in their scope."""
        return Template(
            "emulation/boards.html",
            context={
                "periods": await emulation.boards_by_period(request.user),
                "own_sheet": request.user.official_id is not None,
            },
        )

    @get("/mine", name="rating_my_periods")
    async def my_periods(self, request: Request[Actor, Any, Any]) -> Template:
        """Where an official starts: each period, leading to their own sheet."""
        return Template(
            "emulation/my_periods.html",
            context={"periods": await emulation.my_periods(request.user)},
        )

    @post("/periods", status_code=303, name="rating_period_open")
    async def open(self, request: Request[Actor, Any, Any]) -> Redirect | Template:
        form = _form(await request.form())
        try:
            await emulation.open_period(
                request.user, form.get("period", ""), year_method=form.get("year_method", "MEAN")
            )
        except (Invalid, Conflict) as error:
            return await self._control(request, error)
        return Redirect("/ratings", status_code=303)

    @post("/periods/{name:str}/lock", status_code=303, name="rating_period_lock")
    async def lock(
        self, request: Request[Actor, Any, Any], name: FromPath[str]
    ) -> Redirect | Template:
        """Locking thousands of officials takes minutes: a background job, its progress
        page at /jobs/<id>."""
        try:
            period = await emulation.check_lockable(request.user, name)
        except Conflict as error:
            return await self._control(request, error)
        # Missing annual steps warn (on the page, and audited here) but never block.
        await emulation.warn_at_lock(request.user, period)
        job_id = await background.start_period_lock(
            request.app.state.queue, request.user, period=period
        )
        return Redirect(f"/jobs/{job_id}", status_code=303)

    @post("/periods/{name:str}/reopen", status_code=303, name="rating_period_reopen")
    async def reopen(
        self, request: Request[Actor, Any, Any], name: FromPath[str]
    ) -> Redirect | Template:
        form = _form(await request.form())
        try:
            await emulation.reopen_period(request.user, name, form.get("reason"))
        except (Invalid, Conflict) as error:
            error.field = f"reason-{name}" if error.field == "reason" else error.field
            return await self._control(request, error)
        return Redirect("/ratings", status_code=303)

    async def _board(
        self,
        request: Request[Actor, Any, Any],
        name: str,
        code: str,
        error: Invalid | Conflict | None = None,
        official_id: int | None = None,
        values: dict[str, str] | None = None,
        imported: dict[str, Any] | None = None,
    ) -> Template:
        board = await emulation.unit_board(request.user, name, code)
        steps = (
            await emulation.unit_steps(request.user, name, code) if board["kind"] == "year" else []
        )
        return Template(
            "emulation/board.html",
            context={
                "b": board,
                "criteria": CRITERIA,
                "error": error,
                "error_official": official_id,
                "values": values or {},
                "imported": imported,
                "steps": steps,
                "criteria_counts": emulation.CRITERIA_COUNT_LABELS,
                "criteria_general": emulation.CRITERIA_GENERAL_LABELS,
                "criteria_leader": emulation.CRITERIA_LEADER_LABELS,
                "may_record_steps": request.user.has_role(*emulation.SCORER_ROLES),
                "documents": [
                    (kind, title)
                    for kind, title in emulation.DOCUMENT_KINDS.items()
                    if kind not in emulation.PER_OFFICIAL_DOCUMENTS
                    and (kind != "to-trinh-khen-thuong" or board["kind"] == "year")
                ],
            },
            status_code=400 if error else 200,
        )

    @get("/{name:str}/units/{code:str}", name="rating_board")
    async def board(
        self, request: Request[Actor, Any, Any], name: FromPath[str], code: FromPath[str]
    ) -> Template:
        return await self._board(request, name, code)

    @get("/{name:str}/units/{code:str}/what-if", name="rating_weights_what_if")
    async def weights_what_if(
        self,
        request: Request[Actor, Any, Any],
        name: FromPath[str],
        code: FromPath[str],
        minor: FromQuery[str] = "",
        serious: FromQuery[str] = "",
        severe: FromQuery[str] = "",
        per_case: FromQuery[str] = "",
    ) -> Template:
        """Thử trọng số điểm trừ (nothing written): a GET, so a trial can be bookmarked."""
        values = {"minor": minor, "serious": serious, "severe": severe, "per_case": per_case}
        try:
            trial = await emulation.weights_what_if(request.user, name, code, values)
            error = None
        except Invalid as problem:
            trial = await emulation.weights_what_if(request.user, name, code, {})
            error = problem
        return Template(
            "emulation/weights_whatif.html",
            context={"w": trial, "values": values, "error": error},
            status_code=400 if error else 200,
        )

    @post("/{name:str}/weights", status_code=303, name="rating_weights_adopt")
    async def adopt_weights(
        self, request: Request[Actor, Any, Any], name: FromPath[str]
    ) -> Redirect:
        form = _form(await request.form())
        unit = form.pop("unit", "")
        if not unit.replace("-", "").replace("_", "").isalnum():
            unit = ""  # a unit code only ever goes back into our own address
        await emulation.adopt_weights(request.user, name, form)
        target = f"/ratings/{name}/units/{unit}/what-if" if unit else "/ratings"
        return Redirect(f"{target}?adopted=1" if unit else target, status_code=303)

    # A download in the format ?format= asks for (.docx, a page to print, .xlsx), not an
    # API answer: OpenAPI states one media type per answer, so it stays out of /schema.
    @get(
        "/{name:str}/units/{code:str}/documents/{kind:str}",
        name="rating_document",
        include_in_schema=False,
    )
    async def document(
        self,
        request: Request[Actor, Any, Any],
        name: FromPath[str],
        code: FromPath[str],
        kind: FromPath[str],
        fmt: Annotated[str, QueryParameter(name="format")] = "docx",
        official: FromQuery[int | None] = None,
    ) -> Response[bytes]:
        """One document of the board (the lists, or an official's with ``?official=``) as
        .docx, a page to print (``?format=html``) or a workbook (``?format=xlsx``)."""
        file_name, content = await emulation.document(request.user, name, code, kind, fmt, official)
        return Response(
            content,
            media_type=documents.media_type(file_name),
            headers={"Content-Disposition": documents.disposition(file_name)},
        )

    @post(
        "/{name:str}/units/{code:str}/sheets/{official_id:int}",
        status_code=303,
        name="rating_sheet",
    )
    async def sheet(
        self,
        request: Request[Actor, Any, Any],
        name: FromPath[str],
        code: FromPath[str],
        official_id: FromPath[int],
    ) -> Redirect | Template:
        form = _form(await request.form())
        try:
            await emulation.save_sheet(
                request.user, name, official_id, form, author=emulation.SheetAuthor.HEAD
            )
        except (Invalid, Conflict) as error:
            return await self._board(request, name, code, error, official_id, form)
        return Redirect(f"/ratings/{name}/units/{code}#o{official_id}", status_code=303)

    @post(
        "/{name:str}/units/{code:str}/criteria/{official_id:int}",
        status_code=303,
        name="rating_criteria_sheet",
    )
    async def criteria_sheet(
        self,
        request: Request[Actor, Any, Any],
        name: FromPath[str],
        code: FromPath[str],
        official_id: FromPath[int],
    ) -> Redirect | Template:
        """The head's criteria counts for one official of a year before 2026."""
        form = _form(await request.form())
        try:
            await emulation.save_criteria(
                request.user, emulation.period_name(name), official_id, form
            )
        except (Invalid, Conflict) as error:
            return await self._board(request, name, code, error, official_id, form)
        return Redirect(f"/ratings/{name}/units/{code}#o{official_id}", status_code=303)

    @post(
        "/{name:str}/units/{code:str}/steps/{step:str}",
        status_code=303,
        name="rating_annual_step",
        request_max_body_size=MAX_STEP_FILE,
    )
    async def annual_step(
        self,
        request: Request[Actor, Any, Any],
        name: FromPath[str],
        code: FromPath[str],
        step: FromPath[str],
    ) -> Redirect | Template:
        """One step of the unit's annual rating (date, document number, note, and the
        document's file when one is chosen)."""
        data = await request.form()
        file = data.get("file")
        form = {k: v for k, v in _form(data).items() if k != "file"}
        upload = None
        if isinstance(file, UploadFile) and file.filename:
            upload = emulation.StepUpload(file.filename, await file.read())
        try:
            await emulation.record_step(request.user, name, code, step, form, upload)
        except (Invalid, Conflict) as error:
            error.field = f"{error.field}-{step}" if error.field else error.field
            return await self._board(request, name, code, error, values=form)
        return Redirect(f"/ratings/{name}/units/{code}#steps", status_code=303)

    @get(
        "/{name:str}/units/{code:str}/steps/{step:str}/file",
        name="rating_annual_step_file",
    )
    async def annual_step_file(
        self,
        request: Request[Actor, Any, Any],
        name: FromPath[str],
        code: FromPath[str],
        step: FromPath[str],
    ) -> Response[bytes]:
        """The file of one annual step, for whoever may read the unit's board."""
        file_name, media_type, content = await emulation.step_file(request.user, name, code, step)
        return Response(
            content,
            media_type=media_type,
            headers={"Content-Disposition": _attachment(file_name)},
        )

    @post(
        "/{name:str}/units/{code:str}/import",
        status_code=200,
        name="rating_import",
        request_max_body_size=MAX_IMPORT,
    )
    async def import_file(
        self, request: Request[Actor, Any, Any], name: FromPath[str], code: FromPath[str]
    ) -> Template:
        form = await request.form()
        upload = form.get("file")
        data, file_name = b"", ""
        if isinstance(upload, UploadFile) and upload.filename:
            data, file_name = await upload.read(), upload.filename
        try:
            result = await emulation.import_sheets(request.user, name, code, file_name, data)
        except (Invalid, Conflict) as error:
            return await self._board(request, name, code, error)
        return await self._board(request, name, code, imported=result)

    async def _mine(
        self,
        request: Request[Actor, Any, Any],
        name: str,
        error: Invalid | Conflict | None = None,
        values: dict[str, str] | None = None,
    ) -> Template:
        sheet = await emulation.my_sheet(request.user, name)
        return Template(
            "emulation/mine.html",
            context={"s": sheet, "criteria": CRITERIA, "error": error, "values": values or {}},
            status_code=400 if error else 200,
        )

    @get("/{name:str}/me", name="rating_mine")
    async def mine(self, request: Request[Actor, Any, Any], name: FromPath[str]) -> Template:
        return await self._mine(request, name)

    @get("/{name:str}/me/documents/{kind:str}", name="rating_my_document", include_in_schema=False)
    async def my_document(
        self,
        request: Request[Actor, Any, Any],
        name: FromPath[str],
        kind: FromPath[str],
        fmt: Annotated[str, QueryParameter(name="format")] = "docx",
    ) -> Response[bytes]:
        """The official's own Mẫu số 01 (a quarter) or Mẫu số 05 (a year), .docx or a page
        to print: no other official's, whatever the role."""
        file_name, content = await emulation.my_document(request.user, name, kind, fmt)
        return Response(
            content,
            media_type=documents.media_type(file_name),
            headers={"Content-Disposition": documents.disposition(file_name)},
        )

    @post("/{name:str}/me/sheet", status_code=303, name="rating_self_sheet")
    async def self_sheet(
        self, request: Request[Actor, Any, Any], name: FromPath[str]
    ) -> Redirect | Template:
        form = _form(await request.form())
        me = request.user.official_id or 0
        try:
            await emulation.save_sheet(
                request.user, name, me, form, author=emulation.SheetAuthor.SELF
            )
        except (Invalid, Conflict) as error:
            return await self._mine(request, name, error, form)
        return Redirect(f"/ratings/{name}/me", status_code=303)

    @post("/{name:str}/me/contests", status_code=303, name="rating_contest")
    async def contest(
        self, request: Request[Actor, Any, Any], name: FromPath[str]
    ) -> Redirect | Template:
        form = _form(await request.form())
        try:
            await emulation.contest(request.user, name, form.get("source", ""), form.get("reason"))
        except (Invalid, Conflict) as error:
            if error.field == "reason":
                error.field = f"reason-{form.get('source', '')}"
            return await self._mine(request, name, error, form)
        return Redirect(f"/ratings/{name}/me", status_code=303)
