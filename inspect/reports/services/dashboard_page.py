"""What the dashboard page asks for: the unit (within the actor's scope), the quarters
(the last five up to a chosen one, under the organisation's period scheme), and each
unit's last done check, read over all time (a unit may not have been checked in the
window at all)."""

from __future__ import annotations

from datetime import date
from typing import Any

from congvu.inspect import clock, cpu_pool
from congvu.inspect.actor import Actor, Role
from congvu.inspect.errors import Forbidden, Invalid
from congvu.inspect.inspections.tables import Inspection
from congvu.inspect.organisation.tables import Unit
from congvu.inspect.periods import parse_report_period, report_scheme
from congvu.inspect.reports.services.access import REPORT_ROLES, UNIT_COLUMNS, unit_in_scope
from congvu.inspect.reports.services.dashboard import Dashboard, build_dashboard
from congvu.inspect.reports.services.figures import DONE_STATUSES
from congvu.rules.periods import Period, PeriodKind, period_of
from piccolo.query.functions.aggregate import Max

# Team leads see it too: they make the surprise draws the suggestions weight.
DASHBOARD_ROLES = (*REPORT_ROLES, Role.TEAM_LEAD)
DEFAULT_QUARTERS = 5
DEFAULT_STALE_DAYS = 180


def quarters_until(until: str | None, count: int = DEFAULT_QUARTERS) -> list[Period]:
    """``count`` quarters ending with ``until`` ("2026-Q4"; the current one when empty),
    oldest first."""
    last = (
        parse_report_period(until)
        if until
        else period_of(clock.today(), PeriodKind.QUARTER, report_scheme())
    )
    if last.kind is not PeriodKind.QUARTER:
        raise Invalid("Chọn một quý (ví dụ 2026-Q1).", field="until")
    index = last.year * 4 + last.number - 1
    out = []
    for back in range(count - 1, -1, -1):
        year, number = divmod(index - back, 4)
        out.append(Period(PeriodKind.QUARTER, year, number + 1, last.scheme))
    return out


async def last_checks(unit_path: str) -> dict[int, date]:
    """unit id → the day of its last done check (lần kiểm tra gần nhất)."""
    rows = (
        await Inspection.select(Inspection.unit, Max(Inspection.scheduled_date, alias="last"))
        .where(
            Inspection.status.is_in(list(DONE_STATUSES)),
            Inspection.unit.path.like(f"{unit_path}%"),
            Inspection.scheduled_date <= clock.today(),
        )
        .group_by(Inspection.unit)
    )
    return {int(r["unit"]): _day(r["last"]) for r in rows}


def _day(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


async def dashboard_unit(actor: Actor, unit_code: str | None) -> dict[str, Any]:
    """The unit the dashboard is about: ``unit_code`` or the actor's scope unit (the
    root for an actor scoped to everything); outside the actor's scope: 404."""
    if not actor.has_role(*DASHBOARD_ROLES):
        raise Forbidden("Bảng điều khiển dành cho thủ trưởng, cán bộ báo cáo, trưởng đoàn.")
    return await unit_in_scope(actor, unit_code)


async def dashboard_units(actor: Actor) -> list[dict[str, Any]]:
    """The units to choose from: the actor's scope unit and its direct children."""
    home = await dashboard_unit(actor, None)
    children = (
        await Unit.select(*UNIT_COLUMNS)
        .where(Unit.parent == home["id"], Unit.valid_to.is_null())
        .order_by(Unit.code)
    )
    return [home, *children]


async def load_dashboard(
    actor: Actor, unit_code: str | None, periods: list[Period], stale_days: int
) -> tuple[dict[str, Any], Dashboard]:
    unit = await dashboard_unit(actor, unit_code)
    checks = await last_checks(unit["path"])
    board = await cpu_pool.run(
        build_dashboard,
        unit["path"],
        unit["id"],
        periods,
        clock.zone(),
        checks,
        clock.today(),
        stale_days,
    )
    return unit, board
