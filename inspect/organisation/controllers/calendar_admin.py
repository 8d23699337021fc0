"""Lịch ngày làm việc (administrators): the year's calendar announcements (thông báo nghỉ
thêm, hoán đổi ngày làm việc, hủy ngày nghỉ), the calendar in force with its days off and
make-up days, a form to announce and one to withdraw. Either change enqueues the job that
judges again the dossiers and review deadlines it moved; the page then says what it did."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Annotated, Any

from congvu.inspect import clock
from congvu.inspect.actor import Actor, Role
from congvu.inspect.audit import api as audit
from congvu.inspect.background import api as background
from congvu.inspect.errors import Invalid
from congvu.inspect.organisation import api as organisation
from congvu.inspect.text_input import blank_as_none, typed_day
from congvu.inspect.web.guards import requires_role
from congvu.rules.calendar import WEEKDAY_VI
from litestar import Controller, Request, get, post
from litestar.enums import RequestEncodingType
from litestar.params import Body, FromPath, FromQuery
from litestar.response import Redirect, Template

NOTICES = {
    "announced": "Đã ghi thông báo; lịch mới áp dụng ngay.",
    "withdrawn": "Đã thu hồi thông báo; lịch trở lại như trước thông báo.",
}
FIRST_YEAR, LAST_YEAR = 1995, 2100


@dataclass
class AnnounceForm:
    day: str = ""
    kind: str = organisation.AnnouncementKind.DAY_OFF.value
    swapped_day: str = ""
    document_number: str = ""
    document_date: str = ""
    note: str = ""


@dataclass
class WithdrawForm:
    reason: str = ""


@dataclass(frozen=True)
class WithdrawError:
    announcement_id: int
    error: Invalid
    reason: str


def _day(text: str, field: str, *, required: bool = True) -> date | None:
    value = blank_as_none(text)
    if value is None:
        if required:
            raise Invalid("Hãy nhập ngày theo dạng dd/mm/yyyy.", field=field)
        return None
    try:
        return typed_day(value)
    except ValueError:
        raise Invalid(f"“{value}” không phải ngày dạng dd/mm/yyyy.", field=field) from None


def announcement_input(form: AnnounceForm) -> organisation.AnnouncementInput:
    """The typed form as the service's input; ``Invalid`` on the first wrong field."""
    day = _day(form.day, "day")
    try:
        kind = organisation.AnnouncementKind(form.kind)
    except ValueError:
        raise Invalid("Hãy chọn loại thông báo.", field="kind") from None
    swapped = _day(form.swapped_day, "swapped_day", required=False)
    issued = _day(form.document_date, "document_date")
    assert day is not None and issued is not None
    return organisation.AnnouncementInput(
        day=day,
        kind=kind,
        document_number=form.document_number,
        document_date=issued,
        swapped_day=swapped,
        note=form.note,
    )


def _year(text: str) -> int:
    value = text.strip()
    if value.isdigit() and FIRST_YEAR <= int(value) <= LAST_YEAR:
        return int(value)
    return clock.today().year


async def _authors(rows: list[organisation.AnnouncementView]) -> dict[tuple[str, str], str]:
    """Who announced and who withdrew each row, from the audit trail."""
    events = await audit.events_about(("calendar_announcement", str(r.id)) for r in rows)
    return {(e["action"], str(e["object_id"])): e["actor_username"] or "" for e in events}


async def _page(
    request: Request[Actor, Any, Any],
    year: int,
    *,
    form: AnnounceForm | None = None,
    error: Invalid | None = None,
    withdraw_error: WithdrawError | None = None,
    notice: str = "",
    revision: int | None = None,
) -> Template:
    cal = await organisation.refresh_calendar(force=True)
    rows = await organisation.announcements(year)
    rejudge = await background.calendar_rejudge_job(revision) if revision is not None else None
    active = [r for r in await organisation.announcements() if r.withdrawn_at is None]
    return Template(
        "organisation/calendar.html",
        context={
            "year": year,
            "rows": rows,
            "authors": await _authors(rows),
            "kinds": list(organisation.KIND_LABELS.items()),
            "form": form or AnnounceForm(),
            "error": error,
            "withdraw_error": withdraw_error,
            "notice": NOTICES.get(notice),
            "revision": revision,
            "rejudge": rejudge,
            "calendar_revision": await organisation.calendar_revision(),
            "can_change": organisation.may_change_calendar(request.user),
            "active_count": len(active),
            "days_off": cal.non_working_days(year),
            "make_up_days": cal.make_up_days(year),
            "weekday": lambda d: WEEKDAY_VI[d.weekday()],
        },
        status_code=400 if error or withdraw_error else 200,
    )


def _back(year: int, notice: str, revision: int) -> Redirect:
    return Redirect(f"/calendar?year={year}&notice={notice}&revision={revision}", status_code=303)


async def _rejudge(request: Request[Actor, Any, Any], days: list[date]) -> int:
    """Enqueue the re-judge of ``days`` under the calendar's new revision; that revision."""
    revision = await organisation.calendar_revision()
    await background.start_calendar_rejudge(request.app.state.queue, revision, days, request.user)
    return revision


class CalendarAdminPages(Controller):
    path = "/calendar"
    guards = [requires_role(Role.ADMIN)]  # noqa: RUF012

    @get("/", name="calendar")
    async def calendar(
        self,
        request: Request[Actor, Any, Any],
        year: FromQuery[str] = "",
        notice: FromQuery[str] = "",
        revision: FromQuery[int | None] = None,
    ) -> Template:
        return await _page(request, _year(year), notice=notice, revision=revision)

    @post("/announcements", status_code=303, name="calendar_announce")
    async def announce(
        self,
        request: Request[Actor, Any, Any],
        data: Annotated[AnnounceForm, Body(media_type=RequestEncodingType.URL_ENCODED)],
    ) -> Template | Redirect:
        organisation.require_calendar_editor(request.user)
        try:
            given = announcement_input(data)
            await organisation.announce(request.user, given)
        except Invalid as problem:
            year = _year(data.day[-4:]) if data.day.strip() else clock.today().year
            return await _page(request, year, form=data, error=problem)
        days = [given.day, *([given.swapped_day] if given.swapped_day else [])]
        revision = await _rejudge(request, days)
        return _back(given.day.year, "announced", revision)

    @post(
        "/announcements/{announcement_id:int}/withdraw", status_code=303, name="calendar_withdraw"
    )
    async def withdraw(
        self,
        request: Request[Actor, Any, Any],
        announcement_id: FromPath[int],
        data: Annotated[WithdrawForm, Body(media_type=RequestEncodingType.URL_ENCODED)],
    ) -> Template | Redirect:
        organisation.require_calendar_editor(request.user)
        found = [a for a in await organisation.announcements() if a.id == announcement_id]
        year = found[0].day.year if found else clock.today().year
        try:
            await organisation.withdraw(request.user, announcement_id, data.reason)
        except Invalid as problem:
            failed = WithdrawError(announcement_id, problem, data.reason)
            return await _page(request, year, withdraw_error=failed)
        days = [d for a in found for d in (a.day, a.swapped_day) if d is not None]
        revision = await _rejudge(request, days)
        return _back(year, "withdrawn", revision)
