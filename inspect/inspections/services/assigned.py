"""The tablet's list (danh sách được phân công): the inspections on which an inspector
serves, with what capture needs offline (roster, conduct checklist, the day's hours)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from congvu.inspect.actor import SYSTEM, Actor
from congvu.inspect.audit import api as audit
from congvu.inspect.db import atomic
from congvu.inspect.i18n import format_time
from congvu.inspect.inspections.tables import (
    Inspection,
    InspectionMember,
    InspectionStatus,
    MemberRole,
)
from congvu.inspect.organisation import api as organisation
from congvu.rules.conduct import catalogue
from congvu.rules.working_hours import outside_working_day


@dataclass(frozen=True)
class UnitRef:
    id: int
    code: str
    name: str


@dataclass(frozen=True)
class RosterEntry:
    id: int
    code: str
    full_name: str
    position: str
    desk: str | None
    unit_name: str


@dataclass(frozen=True)
class ChecklistItem:
    code: str
    label_vi: str
    label_en: str
    subject: str
    severity: str


@dataclass(frozen=True)
class Sessions:
    morning_start: str
    morning_end: str
    afternoon_start: str
    afternoon_end: str


@dataclass(frozen=True)
class AssignedInspection:
    id: int
    unit: UnitRef
    kind: str
    scheduled_date: date
    status: str
    topics: list[str]
    roster: list[RosterEntry]
    checklist: list[ChecklistItem]
    sessions: Sessions
    # Why the scheduled day is not a working day (None on a working day), and the reason
    # recorded when the check was planned anyway: the tablet asks for one before a start
    # outside working time, offline.
    day_off: str | None
    off_hours_reason: str
    # The trưởng đoàn as the minutes name them: the tablet fills the team lead's
    # signature with it (None when the plan named no team lead).
    team_lead: str | None


async def assigned(actor: Actor) -> list[AssignedInspection]:
    """Inspections on which the actor is a team member and that are not closed, with
    what the tablet needs offline: roster, conduct checklist and the day's hours."""
    inspection_ids = [
        r["inspection"]
        for r in await InspectionMember.select(InspectionMember.inspection).where(
            InspectionMember.user == actor.id
        )
    ]
    if not inspection_ids:
        return []
    rows = (
        await Inspection.select(
            Inspection.id,
            Inspection.unit,
            Inspection.unit.code,
            Inspection.unit.name,
            Inspection.kind,
            Inspection.scheduled_date,
            Inspection.status,
            Inspection.topics,
            Inspection.sealed,
            Inspection.off_hours_reason,
        )
        .where(
            Inspection.id.is_in(inspection_ids),
            Inspection.status != InspectionStatus.CLOSED.value,
        )
        .order_by(Inspection.scheduled_date)
        .order_by(Inspection.id)
        .output(load_json=True)
    )
    leads = {
        r["inspection"]: r["user.display_name"]
        for r in await InspectionMember.select(
            InspectionMember.inspection, InspectionMember.user.display_name
        ).where(
            InspectionMember.inspection.is_in([r["id"] for r in rows] or [0]),
            InspectionMember.role == MemberRole.TRUONG_DOAN.value,
        )
    }
    result: list[AssignedInspection] = []
    sealed_ids: list[int] = []
    for row in rows:
        officials = await organisation.officials_of_unit(SYSTEM, row["unit"])
        schedule = await organisation.seasonal_schedule(row["unit.code"])
        day = schedule.sessions_or_default(row["scheduled_date"])
        items = catalogue(row["scheduled_date"]).values()
        result.append(
            AssignedInspection(
                id=row["id"],
                unit=UnitRef(row["unit"], row["unit.code"], row["unit.name"]),
                kind=row["kind"],
                scheduled_date=row["scheduled_date"],
                status=row["status"],
                topics=list(row["topics"] or []),
                roster=[
                    RosterEntry(o.id, o.code, o.full_name, o.position, o.desk, o.unit_name)
                    for o in officials
                ],
                checklist=[
                    ChecklistItem(v.code, v.label_vi, v.label_en, v.subject, v.severity)
                    for v in items
                ],
                sessions=Sessions(
                    format_time(day.morning_start),
                    format_time(day.morning_end),
                    format_time(day.afternoon_start),
                    format_time(day.afternoon_end),
                ),
                day_off=off.explanation_vi
                if (off := outside_working_day(row["scheduled_date"]))
                else None,
                off_hours_reason=row["off_hours_reason"],
                team_lead=leads.get(row["id"]),
            )
        )
        if row["sealed"]:
            sealed_ids.append(row["id"])
    if sealed_ids:
        async with atomic():
            for inspection_id in sealed_ids:
                await audit.record(
                    "sealed_inspection_viewed",
                    "inspection",
                    inspection_id,
                    actor=actor,
                    after={"where": "api.assigned"},
                )
    return result
