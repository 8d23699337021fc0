"""Độ bao phủ: which units a quarter's plans reach, and which were never or not recently
inspected."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from congvu.inspect import clock
from congvu.inspect.actor import Actor
from congvu.inspect.errors import Invalid
from congvu.inspect.inspections.services.plans import (
    INSPECTABLE_KINDS,
    period_bounds,
)
from congvu.inspect.inspections.tables import (
    Inspection,
    InspectionMember,
)
from congvu.inspect.organisation import api as organisation

# --- coverage ------------------------------------------------------------------------


@dataclass(frozen=True)
class CoverageRow:
    unit_id: int
    unit_code: str
    unit_name: str
    planned_in_period: int
    inspected_in_period: int
    last_inspected: date | None
    days_since: int | None


@dataclass(frozen=True)
class Coverage:
    year: int
    quarter: int
    as_of: date
    stale_days: int
    rows: list[CoverageRow]

    @property
    def never(self) -> list[CoverageRow]:
        return [r for r in self.rows if r.last_inspected is None]

    @property
    def stale(self) -> list[CoverageRow]:
        return [
            r for r in self.rows if r.days_since is not None and r.days_since >= self.stale_days
        ]


FIRST_YEAR, LAST_YEAR = 1900, 2999
MAX_STALE_DAYS = 36_500


async def coverage(actor: Actor, year: int, quarter: int, stale_days: int = 180) -> Coverage:
    """Độ bao phủ: per unit, what the quarter plans and what was actually inspected, the
    last inspection ever, and how long ago (as of the quarter's end or today)."""
    if quarter not in (1, 2, 3, 4):
        raise Invalid("Quý phải từ 1 đến 4.", field="quarter")
    if stale_days < 1:
        raise Invalid("Số ngày phải lớn hơn 0.", field="days")
    # Beyond these, date arithmetic overflows (years 1 and 9999 are the calendar's ends).
    if stale_days > MAX_STALE_DAYS:
        raise Invalid("Số ngày tối đa là 36.500 (100 năm).", field="days")
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise Invalid(f"Năm phải từ {FIRST_YEAR} đến {LAST_YEAR}.", field="year")
    first, last = period_bounds(year, quarter)
    as_of = min(last, clock.today())
    units = [
        u
        for u in await organisation.visible_units(actor)
        if u.kind in INSPECTABLE_KINDS and u.valid_to is None
    ]
    rows = await Inspection.select(
        Inspection.id,
        Inspection.unit,
        Inspection.scheduled_date,
        Inspection.started_at,
        Inspection.sealed,
        Inspection.approved_by,
    ).where(Inspection.unit.path.like(f"{actor.scope_path}%"))
    member_of = {
        r["inspection"]
        for r in await InspectionMember.select(InspectionMember.inspection).where(
            InspectionMember.user == actor.id
        )
    }
    zone = clock.zone()
    result: list[CoverageRow] = []
    for unit in units:
        mine = [r for r in rows if r["unit"] == unit.id]
        visible = [
            r
            for r in mine
            if not r["sealed"] or r["id"] in member_of or r["approved_by"] == actor.id
        ]
        done = sorted(
            r["started_at"].astimezone(zone).date()
            for r in mine
            if r["started_at"] is not None and r["started_at"].astimezone(zone).date() <= as_of
        )
        last_done = done[-1] if done else None
        result.append(
            CoverageRow(
                unit_id=unit.id,
                unit_code=unit.code,
                unit_name=unit.name,
                planned_in_period=sum(1 for r in visible if first <= r["scheduled_date"] <= last),
                inspected_in_period=sum(1 for d in done if first <= d <= last),
                last_inspected=last_done,
                days_since=(as_of - last_done).days if last_done else None,
            )
        )
    return Coverage(year, quarter, as_of, stale_days, result)
