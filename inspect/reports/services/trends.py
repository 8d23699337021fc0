"""Hồ sơ TTHC over time and the PAR INDEX evidence register, for the workbook: read on
the event loop through the dossiers' and the evidence register's own services (as the
unit pages read them), so the workbook cannot disagree with the pages. The result is
plain data (picklable), hashed into the snapshot's data hash like the personnel figures.

* the on-time share per reporting line in each of the last ``HISTORY_QUARTERS`` quarters
  (the period the last), counted as the Tổng hợp sheet counts the period's;
* the 766-style estimates of the same quarters for the whole unit (ước tính: the system's
  own count, never the published score), beside the values published on the national
  portal where someone entered them;
* the period's late and overdue dossiers attributed to their unit and handling official;
* the year's evidence register of the unit's subtree.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field, replace
from typing import Any

from congvu.inspect.actor import Actor
from congvu.inspect.dossiers import api as dossiers
from congvu.inspect.evidence import api as evidence
from congvu.inspect.organisation.tables import Unit
from congvu.inspect.reports.services.labels import KIND_ORDER
from congvu.rules.periods import Period, PeriodKind, PeriodScheme

# Four to eight quarters show a trend; eight reach the same quarter of the year before.
HISTORY_QUARTERS = 8


@dataclass(frozen=True)
class TrendLine:
    """A reporting line's dossiers resolved in each quarter, and the on-time ones."""

    name: str
    resolved: tuple[int, ...]
    on_time: tuple[int, ...]


@dataclass(frozen=True)
class EstimateRow:
    """One quarter of the whole unit: the 766-style estimates (percent, ``None`` with
    nothing received) and the published values where entered."""

    period: str  # "Quý I/2026 (01/01/2026 – 31/03/2026)": a calendar quarter
    received: int
    timeliness: float | None
    online: float | None
    published_timeliness: float | None = None
    published_online: float | None = None
    published_source: str = ""


@dataclass(frozen=True)
class RecordTrends:
    """What the workbook shows beyond the period's own figures (empty by default, as
    the benchmarks and the figures' tests build them)."""

    quarters: tuple[str, ...] = ()  # oldest first, the report's period the last
    lines: tuple[TrendLine, ...] = ()
    estimates: tuple[EstimateRow, ...] = ()
    # The period's late and overdue dossiers by unit and handling official.
    handlers: tuple[dossiers.LateHandler, ...] = ()
    register: evidence.UnitRegister = field(default_factory=lambda: evidence.UnitRegister(0))

    def data_hash(self) -> str:
        text = json.dumps(asdict(self), default=str, sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(text.encode()).hexdigest()


def quarters_to(period: Period, count: int = HISTORY_QUARTERS) -> list[Period]:
    """The ``count`` quarters ending with ``period``, oldest first."""
    index = period.year * 4 + period.number - 1
    return [
        Period(PeriodKind.QUARTER, i // 4, i % 4 + 1, period.scheme)
        for i in range(index - count + 1, index + 1)
    ]


async def _lines(unit: dict[str, Any]) -> list[tuple[str, str]]:
    """(path, name) of the reporting lines: the unit itself, then the units directly
    under it, in the Tổng hợp sheet's order (level, then code)."""
    rows = await Unit.select(Unit.path, Unit.name, Unit.kind, Unit.code).where(
        Unit.parent == unit["id"]
    )
    order = {kind: n for n, kind in enumerate(KIND_ORDER)}
    rows.sort(key=lambda r: (order.get(r["kind"], 9), r["code"]))
    return [(unit["path"], unit["name"]), *((r["path"], r["name"]) for r in rows)]


def _line_of(path: str, lines: list[tuple[str, str]]) -> int:
    """The index of the line a unit path counts for: the child on its way, else the unit."""
    for n, (line_path, _) in enumerate(lines[1:], start=1):
        if path.startswith(line_path):
            return n
    return 0


async def read_trends(actor: Actor, unit: dict[str, Any], period: Period) -> RecordTrends:
    """The unit's history, estimates and register for the workbook (the caller checked
    that the actor may report on the unit)."""
    quarters = quarters_to(period)
    lines = await _lines(unit)
    resolved = [[0] * len(quarters) for _ in lines]
    on_time = [[0] * len(quarters) for _ in lines]
    estimates = []
    published = await dossiers.published_values(int(unit["id"]))
    for q, quarter in enumerate(quarters):
        by_unit = await dossiers.on_time_by_unit(unit["path"], quarter.first_day, quarter.last_day)
        for path, counts in by_unit.items():
            line = _line_of(path, lines)
            resolved[line][q] += counts.resolved
            on_time[line][q] += counts.on_time
        # Bộ chỉ số 766 counts calendar quarters, whatever the reporting scheme.
        calendar = replace(quarter, scheme=PeriodScheme.CALENDAR)
        shares = await dossiers.received_shares(unit["path"], calendar.first_day, calendar.last_day)
        entered = published.get(calendar.name)
        estimates.append(
            EstimateRow(
                calendar.label("vi"),
                shares.received,
                shares.percent(shares.timely),
                shares.percent(shares.online),
                entered.timeliness if entered else None,
                entered.online if entered else None,
                entered.source if entered else "",
            )
        )
    trend_lines = tuple(
        TrendLine(name, tuple(resolved[n]), tuple(on_time[n]))
        for n, (_, name) in enumerate(lines)
        if any(resolved[n])
    )
    handlers = await dossiers.late_by_handler(unit["path"], period.first_day, period.last_day)
    register = await evidence.unit_register(actor, period.year, unit["path"])
    return RecordTrends(
        tuple(q.label("vi", bounds=False) for q in quarters),
        trend_lines,
        tuple(estimates),
        tuple(handlers),
        register,
    )
