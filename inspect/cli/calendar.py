"""``congvu calendar …``: the working-day calendar for people who check deadlines by hand."""

from __future__ import annotations

import json
from datetime import date, datetime

import click
from congvu.inspect.cli.common import run
from congvu.rules.calendar import (
    DEFAULT_SESSIONS,
    WEEKDAY_VI,
    DaySessions,
    WorkingCalendar,
    default_calendar,
    explain_due,
)
from congvu.rules.packs import format_date


def _day(d: date) -> str:
    return f"{format_date(d)} {WEEKDAY_VI[d.weekday()]}"


def _parse_received(value: str) -> datetime:
    for fmt in ("%d/%m/%Y %H:%M", "%d/%m/%Y"):
        try:
            return datetime.strptime(value.strip(), fmt)
        except ValueError:
            continue
    raise click.BadParameter(f"'{value}' is not dd/mm/yyyy HH:MM (e.g. \"24/01/2025 10:00\")")


def _sessions(unit: str | None, on: date) -> DaySessions:
    if unit is None:
        return DEFAULT_SESSIONS
    return unit_sessions(unit, on)


def unit_sessions(unit_code: str, on: date) -> DaySessions:
    """Working hours of ``unit_code`` on ``on`` (its season), read from the database."""
    from congvu.inspect.organisation import api as organisation

    async def lookup() -> DaySessions:
        return (await organisation.seasonal_schedule(unit_code)).sessions_on(on)

    return run(lookup)


def calendar_in_force() -> WorkingCalendar:
    """The calendar the web and the worker count with: the shipped one plus the
    announcements stored (``run`` installs them before the coroutine)."""

    async def installed() -> WorkingCalendar:
        return default_calendar()

    return run(installed)


@click.group("calendar")
def calendar_group() -> None:
    """Lịch ngày làm việc (working-day calendar)."""


@calendar_group.command("year")
@click.argument("year", type=click.IntRange(1995, 2100))
def year_command(year: int) -> None:
    """Ngày nghỉ lễ, Tết và ngày làm bù của một năm (non-working and make-up days), theo
    lịch đang áp dụng (kể cả các thông báo đã ghi)."""
    cal = calendar_in_force()
    click.echo(f"Ngày nghỉ năm {year} (ngoài thứ Bảy, Chủ nhật):")
    for day, name in cal.non_working_days(year):
        click.echo(f"  {_day(day):<22} {name}")
    make_up = cal.make_up_days(year)
    if make_up:
        click.echo("Ngày làm bù:")
        for day, name in make_up:
            click.echo(f"  {_day(day):<22} {name}")
    click.echo(f"Lịch: {cal.version}")


@calendar_group.command("due")
@click.argument("received")
@click.argument("working_days", type=click.IntRange(min=0))
@click.option("--unit", "unit", metavar="CODE", help="Use this unit's working hours.")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON object instead of text.")
def due_command(received: str, working_days: int, unit: str | None, as_json: bool) -> None:
    """Hạn giải quyết: RECEIVED ("dd/mm/yyyy HH:MM") plus WORKING_DAYS ngày làm việc, theo
    lịch đang áp dụng (kể cả các thông báo đã ghi)."""
    moment = _parse_received(received)
    sessions = _sessions(unit, moment.date())
    result = explain_due(moment, working_days, sessions, calendar_in_force())
    if as_json:
        payload = {
            "received": result.received.isoformat(),
            "start": result.start.isoformat(),
            "working_days": result.working_days,
            "due": result.due.isoformat(),
            "counted_days": [d.isoformat() for d in result.counted_days],
            "skipped": [{"date": d.isoformat(), "reason": r} for d, r in result.skipped],
            "sessions": str(sessions),
            "calendar_version": result.calendar_version,
        }
        click.echo(json.dumps(payload, ensure_ascii=False, indent=2))
        return

    def moment_text(at: datetime) -> str:
        return f"{_day(at.date())} {at.strftime('%H:%M')}"

    click.echo(f"Nhận hồ sơ:      {moment_text(result.received)}")
    click.echo(f"Giờ làm việc:    {sessions}")
    click.echo(f"Bắt đầu tính:    {moment_text(result.start)}")
    # One timeline, in date order, so a reader can tick the days off a wall calendar.
    lines = [
        (d, f"  {_day(d)}: ngày làm việc thứ {i}") for i, d in enumerate(result.counted_days, 1)
    ]
    lines += [(d, f"  {_day(d)}: bỏ qua — {reason}") for d, reason in result.skipped]
    for _, line in sorted(lines, key=lambda item: item[0]):
        click.echo(line)
    click.echo(f"Hạn giải quyết:  {moment_text(result.due)}")
    click.echo(f"Lịch: {result.calendar_version}")


def _typed_day(value: str) -> date:
    try:
        return datetime.strptime(value.strip(), "%d/%m/%Y").date()
    except ValueError:
        raise click.BadParameter(f"'{value}' is not dd/mm/yyyy") from None


@calendar_group.command("announce")
@click.argument("day")
@click.option(
    "--kind",
    type=click.Choice(["day_off", "swap", "cancel_holiday"]),
    default="day_off",
    show_default=True,
    help="An extra day off, a day off swapped with a weekend day, or a holiday cancelled.",
)
@click.option("--swapped", "swapped", metavar="DD/MM/YYYY", help="The weekend day worked.")
@click.option("--document", "number", required=True, help="The document's number.")
@click.option("--document-date", "issued", required=True, metavar="DD/MM/YYYY")
@click.option("--note", default="")
def announce_command(
    day: str, kind: str, swapped: str | None, number: str, issued: str, note: str
) -> None:
    """Ghi một thông báo thay đổi lịch (ngày nghỉ thêm, hoán đổi, hủy ngày nghỉ)."""
    from congvu.inspect.actor import SYSTEM
    from congvu.inspect.dossiers import api as dossiers
    from congvu.inspect.organisation import api as organisation

    given = organisation.AnnouncementInput(
        day=_typed_day(day),
        kind=organisation.AnnouncementKind(kind),
        document_number=number,
        document_date=_typed_day(issued),
        swapped_day=_typed_day(swapped) if swapped else None,
        note=note,
    )

    async def go() -> tuple[int, str, dict[str, int]]:
        ident = await organisation.announce(SYSTEM, given)
        days = [given.day, *([given.swapped_day] if given.swapped_day else [])]
        return ident, default_calendar().version, await dossiers.rejudge_touching(days)

    ident, version, counts = run(go)
    click.echo(
        f"Đã ghi thông báo số {ident}; lịch hiện hành: {version}; đã chấm lại"
        f" {counts['scanned']} hồ sơ, {counts['changed']} hồ sơ đổi kết quả."
    )


@calendar_group.command("list")
@click.option("--year", type=click.IntRange(1995, 2100), default=None)
def list_command(year: int | None) -> None:
    """Các thông báo thay đổi lịch đã ghi (kể cả đã thu hồi)."""
    from congvu.inspect.organisation import api as organisation

    for a in run(lambda: organisation.announcements(year)):
        swapped = f" ↔ {_day(a.swapped_day)}" if a.swapped_day else ""
        state = f"; đã thu hồi: {a.withdraw_reason}" if a.withdrawn_at else ""
        click.echo(
            f"{a.id}\t{_day(a.day)}{swapped}\t{a.kind_label}\t{a.document_number}"
            f" ngày {format_date(a.document_date)}{state}"
        )


@calendar_group.command("withdraw")
@click.argument("announcement_id", type=int)
@click.option("--reason", required=True)
def withdraw_command(announcement_id: int, reason: str) -> None:
    """Thu hồi một thông báo (lịch trở lại như trước thông báo)."""
    from congvu.inspect.actor import SYSTEM
    from congvu.inspect.dossiers import api as dossiers
    from congvu.inspect.organisation import api as organisation

    async def go() -> tuple[str, dict[str, int]]:
        await organisation.withdraw(SYSTEM, announcement_id, reason)
        found = [a for a in await organisation.announcements() if a.id == announcement_id]
        days = [d for a in found for d in (a.day, a.swapped_day) if d is not None]
        return default_calendar().version, await dossiers.rejudge_touching(days)

    version, counts = run(go)
    click.echo(
        f"Đã thu hồi thông báo số {announcement_id}; lịch hiện hành: {version}; đã chấm lại"
        f" {counts['scanned']} hồ sơ, {counts['changed']} hồ sơ đổi kết quả."
    )
