"""Bảng điều khiển page: trends, the league table, units not inspected for N days,
calibration between teams and suggested surprise targets, for the actor's scope."""

from __future__ import annotations

from typing import Any

from congvu.inspect.actor import Actor, Role
from congvu.inspect.errors import Invalid
from congvu.inspect.i18n import current_locale
from congvu.inspect.reports.controllers.pages import recent_quarters
from congvu.inspect.reports.services.dashboard import Dashboard, LineTrend
from congvu.inspect.reports.services.dashboard_page import (
    DASHBOARD_ROLES,
    DEFAULT_STALE_DAYS,
    dashboard_units,
    load_dashboard,
    quarters_until,
)
from congvu.inspect.web.guards import requires_role
from congvu.rules.funnel import Standing
from litestar import Controller, Request, get
from litestar.params import FromQuery
from litestar.response import Template

DRAW_ROLES = (Role.TEAM_LEAD, Role.ADMIN)
STANDING_LABELS = {
    Standing.WITHIN: "Trong mặt bằng chung",
    Standing.STRICTER: "Nghiêm hơn mặt bằng chung",
    Standing.LENIENT: "Nhẹ hơn mặt bằng chung",
}
# League-table columns a reader may sort by; the worst first by default.
SORTS = {
    "name": lambda line: line.name,
    "per_100": lambda line: -(line.total.per_100 or 0.0),
    "on_time": lambda line: line.total.on_time_pct if line.total.resolved else 101.0,
    "checked": lambda line: -line.total.checked,
}


def league(lines: list[LineTrend], sort: str) -> list[LineTrend]:
    return sorted(lines, key=lambda line: (SORTS[sort](line), line.name))


def _has_records(line: LineTrend) -> bool:
    return bool(line.total.checked or line.total.violations or line.total.resolved)


def split_lines(league: list[LineTrend]) -> list[tuple[LineTrend, list[LineTrend]]]:
    """The lines with sub-units and records, in league order, each with its own part and
    the sub-units that have records (the others add nothing to the sum)."""
    return [
        (line, [p for p in line.parts if p.code == line.code or _has_records(p)])
        for line in league
        if line.parts and _has_records(line)
    ]


class DashboardPage(Controller):
    path = "/dashboard"
    guards = [requires_role(*DASHBOARD_ROLES)]  # noqa: RUF012

    @get("/", name="dashboard")
    async def index(
        self,
        request: Request[Actor, Any, Any],
        unit: FromQuery[str] = "",
        until: FromQuery[str] = "",
        days: FromQuery[int] = DEFAULT_STALE_DAYS,
        sort: FromQuery[str] = "per_100",
    ) -> Template:
        if not 1 <= days <= 3650:
            raise Invalid("Số ngày từ 1 đến 3650.", field="days")
        if sort not in SORTS:
            raise Invalid("Cột sắp xếp không hợp lệ.", field="sort")
        periods = quarters_until(until or None)
        home, board = await load_dashboard(request.user, unit or None, periods, days)
        ranked = league(board.lines, sort)
        context = {
            "board": board,
            "home": home,
            "league": ranked,
            "split": split_lines(ranked),
            "sort": sort,
            "days": days,
            "until": periods[-1].name,
            "units": await dashboard_units(request.user),
            "can_draw": request.user.has_role(*DRAW_ROLES),
            "quarters": recent_quarters(8),
            "standing_labels": STANDING_LABELS,
            "chart": _chart_data(board),
        }
        return Template("reports/dashboard.html", context=context)


def _chart_data(board: Dashboard) -> dict[str, Any]:
    """What the charts draw, the same numbers as the tables under them."""
    return {
        "quarters": [p.label(current_locale.get(), bounds=False) for p in board.periods],
        "lines": [
            {
                "name": line.name,
                "per_100": [q.per_100 for q in line.quarters],
                "on_time": [q.on_time_pct for q in line.quarters],
            }
            for line in board.lines
        ],
        "funnel": {
            "p0": board.calibration.province_rate,
            "curve": board.calibration.curve,
            "teams": [
                {"name": t.team, "n": t.checked, "rate": t.rate, "flag": t.standing.value}
                for t in board.calibration.teams
            ],
        },
    }
