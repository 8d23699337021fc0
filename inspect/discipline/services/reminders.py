"""Nhắc hạn kỷ luật: what the daily cron tells the personnel office about the discipline
cases' next steps. A reminder goes out when the next step's deadline is at most
``days_before`` working days away, and once more when it has passed; each has a
notification key carrying the case, the step and the deadline, so a cron run twice (arq
may retry, two workers may tick) sends nothing new, and a deadline a deferral moves is a
new reminder."""

from __future__ import annotations

from datetime import date

from congvu.inspect.actor import Role
from congvu.inspect.discipline.services.loading import CASE_COLUMNS, complete
from congvu.inspect.discipline.services.timeline import STAGE_LABELS, timeline
from congvu.inspect.discipline.tables import CaseStage, DisciplineCase
from congvu.inspect.organisation.tables import User
from congvu.inspect.review import api as review
from congvu.rules.calendar import WorkingCalendar, default_calendar
from congvu.rules.packs import format_date

_OPEN = [s.value for s in CaseStage if s not in (CaseStage.NOTIFIED, CaseStage.CLOSED)]


async def personnel_users(unit_path: str) -> list[int]:
    """Active personnel accounts whose scope covers the unit."""
    rows = await User.select(User.id, User.scope_unit.path).where(
        User.role == Role.PERSONNEL, User.active.eq(True)
    )
    return [
        r["id"] for r in rows if r["scope_unit.path"] and unit_path.startswith(r["scope_unit.path"])
    ]


async def remind_step_deadlines(
    today: date, days_before: int, calendar: WorkingCalendar | None = None
) -> dict[str, int]:
    """Due-soon and overdue reminders for every open case; how many notifications were new."""
    cal = calendar or default_calendar()
    soon = cal.add_working_days(today, days_before)
    counts = {"due_soon": 0, "overdue": 0}
    recipients: dict[str, list[int]] = {}
    rows = await DisciplineCase.select(*CASE_COLUMNS).where(DisciplineCase.stage.is_in(_OPEN))
    for row in rows:
        t = timeline(await complete(row), today)
        if t.next is None or t.next_deadline is None:
            continue
        due = t.next_deadline
        if today <= due <= soon:
            kind, key = "due_soon", "discipline-due-soon"
            text = "Sắp đến hạn"
        elif today > due:
            kind, key = "overdue", "discipline-overdue"
            text = "Quá hạn"
        else:
            continue
        path = row["unit_path"]
        if path not in recipients:
            recipients[path] = await personnel_users(path)
        counts[kind] += await review.send_notifications(
            recipients[path],
            f"{key}:{row['id']}:{t.next.value}:{due.isoformat()}",
            f"discipline_{kind}",
            f"{text} bước «{STAGE_LABELS[t.next].lower()}» của hồ sơ kỷ luật "
            f"{row['official_name']} ({row['unit_name']}): hạn {format_date(due)}.",
            f"/discipline/{row['id']}",
        )
    return counts
