"""Announcements of the working-day calendar (thông báo nghỉ lễ, hoán đổi ngày làm việc):
recorded and withdrawn by an administrator with the document's number, audited, and
installed as the calendar of every process.

The stored list has a revision that only grows (one per announcement, one per withdrawal),
part of the calendar's version ("+announcements.3"). A process reads that revision from the
database at most every ``CALENDAR_RECHECK_SECONDS`` (``refresh_calendar``: the web before a
request, the worker before a job, the CLI before a command) and rebuilds its calendar when
it changed, so every process counts with the same list within that bound.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import date, datetime

from congvu.inspect import clock
from congvu.inspect.actor import Actor, Role
from congvu.inspect.audit import api as audit
from congvu.inspect.errors import Forbidden, Invalid, NotFound
from congvu.inspect.organisation.calendar_tables import AnnouncementKind, CalendarAnnouncement
from congvu.rules.calendar import (
    Announcement,
    WorkingCalendar,
    default_calendar,
    install_calendar,
)
from congvu.rules.packs import PackError, format_date

# How old a process's calendar may be after an announcement elsewhere.
CALENDAR_RECHECK_SECONDS = 5.0

KIND_LABELS = {
    AnnouncementKind.DAY_OFF: "Nghỉ thêm",
    AnnouncementKind.SWAP: "Hoán đổi ngày làm việc",
    AnnouncementKind.CANCEL_HOLIDAY: "Hủy ngày nghỉ",
}


@dataclass(frozen=True)
class AnnouncementInput:
    day: date
    kind: AnnouncementKind
    document_number: str
    document_date: date
    swapped_day: date | None = None
    note: str = ""


@dataclass(frozen=True)
class AnnouncementView:
    id: int
    day: date
    kind: AnnouncementKind
    swapped_day: date | None
    document_number: str
    document_date: date
    note: str
    created_at: datetime
    withdrawn_at: datetime | None
    withdraw_reason: str

    @property
    def kind_label(self) -> str:
        return KIND_LABELS[self.kind]


def _document(number: str, issued: date) -> str:
    return f"{number} ngày {format_date(issued)}"


def calendar_entries(row: AnnouncementInput | AnnouncementView) -> list[Announcement]:
    """What one stored announcement changes, as the rules engine's entries."""
    document = _document(row.document_number, row.document_date)
    if row.kind is AnnouncementKind.DAY_OFF:
        return [Announcement(row.day, False, f"Nghỉ theo {document}", document)]
    if row.kind is AnnouncementKind.CANCEL_HOLIDAY:
        return [Announcement(row.day, True, f"Làm việc theo {document}", document)]
    assert row.swapped_day is not None
    return [
        Announcement(
            row.day,
            False,
            f"Nghỉ (hoán đổi với ngày {format_date(row.swapped_day)}) theo {document}",
            document,
        ),
        Announcement(
            row.swapped_day, True, f"Làm bù cho ngày nghỉ {format_date(row.day)}", document
        ),
    ]


async def _rows(*, active_only: bool) -> list[AnnouncementView]:
    query = CalendarAnnouncement.select(
        CalendarAnnouncement.id,
        CalendarAnnouncement.day,
        CalendarAnnouncement.kind,
        CalendarAnnouncement.swapped_day,
        CalendarAnnouncement.document_number,
        CalendarAnnouncement.document_date,
        CalendarAnnouncement.note,
        CalendarAnnouncement.created_at,
        CalendarAnnouncement.withdrawn_at,
        CalendarAnnouncement.withdraw_reason,
    ).order_by(CalendarAnnouncement.id)
    if active_only:
        query = query.where(CalendarAnnouncement.withdrawn_at.is_null())
    return [AnnouncementView(**{**r, "kind": AnnouncementKind(r["kind"])}) for r in await query]


async def calendar_revision() -> int:
    """One per announcement and one per withdrawal: grows with every change."""
    total = await CalendarAnnouncement.count()
    withdrawn = await CalendarAnnouncement.count().where(
        CalendarAnnouncement.withdrawn_at.is_not_null()
    )
    return int(total) + int(withdrawn)


def _build(rows: list[AnnouncementView | AnnouncementInput], revision: int) -> WorkingCalendar:
    entries = [e for r in rows for e in calendar_entries(r)]
    return WorkingCalendar(announcements=entries, revision=revision)


_checked: list[float] = []  # monotonic time of this process's last look at the revision
_installed_revision: list[int] = []


async def refresh_calendar(*, force: bool = False) -> WorkingCalendar:
    """Install the stored announcements as this process's calendar when their revision
    changed (looked up at most every ``CALENDAR_RECHECK_SECONDS``)."""
    now = time.monotonic()
    if not force and _checked and now - _checked[0] < CALENDAR_RECHECK_SECONDS:
        return default_calendar()
    _checked[:] = [now]
    revision = await calendar_revision()
    if _installed_revision == [revision]:
        return default_calendar()
    if revision == 0:
        install_calendar(None)
    else:
        install_calendar(_build(list(await _rows(active_only=True)), revision))
    _installed_revision[:] = [revision]
    return default_calendar()


def forget_calendar() -> None:
    """Back to the shipped calendar until the next refresh (tests, a new database)."""
    _checked.clear()
    _installed_revision.clear()
    install_calendar(None)


def may_change_calendar(actor: Actor) -> bool:
    """The system calendar is the whole province's: only an administrator of the root
    unit (its path is one code, "/P/") or of no unit may announce or withdraw; an
    administrator of one commune sees it read-only."""
    return actor.has_role(Role.ADMIN) and actor.scope_path.strip("/").count("/") == 0


def require_calendar_editor(actor: Actor) -> None:
    if not actor.has_role(Role.ADMIN):
        raise Forbidden("Chỉ quản trị viên được sửa lịch ngày làm việc.")
    if not may_change_calendar(actor):
        raise Forbidden(
            "Lịch ngày làm việc là lịch chung của cả tỉnh; chỉ quản trị viên cấp tỉnh "
            "được ghi hoặc thu hồi thông báo."
        )


async def announce(actor: Actor, given: AnnouncementInput) -> int:
    """Record an announcement; refused when the calendar cannot take it (a working day made
    a working day, a swap onto a weekday)."""
    require_calendar_editor(actor)
    number = given.document_number.strip()
    if not number:
        raise Invalid("Hãy nhập số văn bản thông báo.", field="document_number")
    if given.kind is AnnouncementKind.SWAP:
        if given.swapped_day is None:
            raise Invalid("Hãy nhập ngày làm bù.", field="swapped_day")
        if given.swapped_day.weekday() < 5:
            raise Invalid("Ngày làm bù phải là thứ Bảy hoặc Chủ nhật.", field="swapped_day")
    elif given.swapped_day is not None:
        raise Invalid("Chỉ hoán đổi ngày làm việc mới có ngày làm bù.", field="swapped_day")
    if given.kind is AnnouncementKind.CANCEL_HOLIDAY and default_calendar().is_working_day(
        given.day
    ):
        raise Invalid(
            f"Ngày {format_date(given.day)} đã là ngày làm việc; không có ngày nghỉ để hủy.",
            field="day",
        )
    active = list(await _rows(active_only=True))
    revision = await calendar_revision() + 1
    try:
        _build([*active, given], revision)
    except PackError as error:
        raise Invalid(f"Lịch không nhận thông báo này: {error}", field="day") from None
    row = CalendarAnnouncement(
        day=given.day,
        kind=given.kind.value,
        swapped_day=given.swapped_day,
        document_number=number,
        document_date=given.document_date,
        note=given.note.strip(),
        created_by=actor.id or None,
        created_at=clock.now(),
    )
    await row.save()
    await audit.record(
        "calendar_announced",
        "calendar_announcement",
        row.id,
        actor=actor,
        after={
            "day": given.day.isoformat(),
            "kind": given.kind.value,
            "swapped_day": given.swapped_day.isoformat() if given.swapped_day else None,
            "document": _document(number, given.document_date),
            "revision": revision,
        },
    )
    await refresh_calendar(force=True)
    return int(row.id)


async def withdraw(actor: Actor, announcement_id: int, reason: str) -> None:
    require_calendar_editor(actor)
    if not reason.strip():
        raise Invalid("Hãy ghi lý do thu hồi.", field="reason")
    row = await CalendarAnnouncement.objects().get(CalendarAnnouncement.id == announcement_id)
    if row is None or row.withdrawn_at is not None:
        raise NotFound("Không tìm thấy thông báo còn hiệu lực.")
    row.withdrawn_at = clock.now()
    row.withdrawn_by = actor.id or None
    row.withdraw_reason = reason.strip()
    await row.save()
    await audit.record(
        "calendar_announcement_withdrawn",
        "calendar_announcement",
        announcement_id,
        actor=actor,
        reason=reason.strip(),
        after={"revision": await calendar_revision()},
    )
    await refresh_calendar(force=True)


async def announcements(year: int | None = None) -> list[AnnouncementView]:
    """Every announcement (withdrawn ones too), of ``year`` when given."""
    rows = await _rows(active_only=False)
    return [r for r in rows if year is None or r.day.year == year]
