"""Bảng điều khiển: trends by reporting line over the last quarters, a league table,
units not inspected for a while, inter-team calibration and suggested surprise targets,
for a unit's subtree.

The frames are the quarterly workbook's (``reading``), one read per quarter, and the
per-line figures are the workbook's (``figures``), so the dashboard and the workbook
count alike. Reading and aggregating run in a process of the CPU pool; what comes back
is plain rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from zoneinfo import ZoneInfo

import pandas as pd
from congvu.inspect.reports.services.calibration import Calibration, calibrate
from congvu.inspect.reports.services.dashboard_parts import part_counts, split_lines
from congvu.inspect.reports.services.figures import DONE_STATUSES, RESOLVED, compute_figures
from congvu.inspect.reports.services.reading import Window, read_report_data_here
from congvu.inspect.reports.services.targets import (
    INSPECTABLE,
    Suggestion,
    last_check,
    suggest,
)
from congvu.rules.periods import Period


@dataclass(frozen=True)
class LineQuarter:
    """One reporting line in one quarter."""

    checked: int  # people checked
    violations: int
    resolved: int
    on_time: int

    @property
    def per_100(self) -> float | None:
        return 100 * self.violations / self.checked if self.checked else None

    @property
    def on_time_pct(self) -> float | None:
        return 100 * self.on_time / self.resolved if self.resolved else None


@dataclass(frozen=True)
class LineTrend:
    code: str
    name: str
    quarters: list[LineQuarter]  # in the order of ``Dashboard.periods``
    total: LineQuarter
    # Where the line has sub-units: its own records first (same code as the line), then
    # each sub-unit's subtree; they add up to the line (dashboard_parts).
    parts: tuple[LineTrend, ...] = ()


@dataclass(frozen=True)
class Unchecked:
    """A unit not inspected for ``days`` days or more (``last`` None: never)."""

    code: str
    name: str
    last: date | None
    days: int | None


@dataclass(frozen=True)
class Dashboard:
    periods: list[Period]
    lines: list[LineTrend]
    unchecked: list[Unchecked]
    calibration: Calibration
    suggestions: list[Suggestion]


def _trend(
    code: str, name: str, quarters: list[LineQuarter], parts: list[LineTrend] | None = None
) -> LineTrend:
    total = LineQuarter(
        *(sum(getattr(q, f) for q in quarters) for f in LineQuarter.__dataclass_fields__)
    )
    return LineTrend(code, name, quarters, total, tuple(parts or ()))


def _line_quarter(row: pd.Series | None) -> LineQuarter:
    if row is None:
        return LineQuarter(0, 0, 0, 0)
    return LineQuarter(
        int(row["people"]),
        int(row["violations"]),
        int(row["resolved"]),
        int(row["resolved_on_time"]),
    )


def build_dashboard(
    unit_path: str,
    root_id: int,
    periods: list[Period],
    zone: ZoneInfo,
    last_checks: dict[int, date],
    as_of: date,
    stale_days: int,
) -> Dashboard:
    """Read the subtree's rows for every quarter of ``periods`` (oldest first) and
    aggregate them; runs in a process of the CPU pool (``cpu_pool.run``)."""
    reads = [read_report_data_here(unit_path, Window.of(p), zone) for p in periods]
    figures = [
        compute_figures(d, root_id, Window.of(p)) for d, p in zip(reads, periods, strict=True)
    ]
    names: dict[str, str] = {}
    by_quarter: list[dict[str, pd.Series]] = []
    for figure in figures:
        rows = {str(r["code"]): r for _, r in figure.lines.iterrows()}
        names.update({code: str(r["name"]) for code, r in rows.items()})
        by_quarter.append(rows)
    units = reads[-1].units
    ids = dict(zip(units["code"].astype(str), units["id"].astype(int), strict=True))
    names_of = dict(zip(units["id"].astype(int), units["name"].astype(str), strict=True))
    codes_of = {i: c for c, i in ids.items()}
    # The root's own line already leaves its sub-units out: they are lines of their own.
    splittable = [ids[code] for code in names if code in ids and ids[code] != root_id]
    parts = split_lines(units, splittable)
    by_part = [
        {int(i): r for i, r in part_counts(d, parts, p).iterrows()}
        for d, p in zip(reads, periods, strict=True)
    ]
    lines = []
    for code, name in names.items():
        split = [
            _trend(codes_of[i], names_of[i], [_line_quarter(q.get(i)) for q in by_part])
            for i in parts.by_line.get(ids.get(code, -1), [])
        ]
        lines.append(_trend(code, name, [_line_quarter(q.get(code)) for q in by_quarter], split))

    first, last = periods[0].first_day, periods[-1].last_day
    inspections = pd.concat([d.inspections for d in reads]).drop_duplicates("id")
    in_window = inspections["scheduled_date"].between(pd.Timestamp(first), pd.Timestamp(last))
    done = inspections[in_window & inspections["status"].isin(DONE_STATUSES)]
    attendance = pd.concat([d.attendance for d in reads]).drop_duplicates()
    findings = pd.concat([d.findings for d in reads]).drop_duplicates("id")
    violations = findings[
        (findings["outcome"].fillna("") != "dismissed")
        & findings["observed_at"].dt.normalize().between(pd.Timestamp(first), pd.Timestamp(last))
    ]
    calibration = calibrate(done, attendance, violations)

    # Each read counts the dossiers resolved in its own quarter: the two quarters' counts
    # together are the dossiers resolved in both, one row per dossier for ``suggest``.
    counts = pd.concat([d.dossier_counts for d in reads[-2:]], ignore_index=True)
    counts = counts[counts["status"].isin(RESOLVED)]
    resolved = counts.loc[counts.index.repeat(counts["finished_in_period"]), ["unit", "status"]]
    suggestions = suggest(reads[-1].units, resolved, reads[-1].findings, last_checks, as_of)
    unchecked = _unchecked(reads[-1].units, last_checks, as_of, stale_days)
    return Dashboard(list(periods), lines, unchecked, calibration, suggestions)


def _unchecked(
    units: pd.DataFrame, last_checks: dict[int, date], as_of: date, stale_days: int
) -> list[Unchecked]:
    """Inspectable units whose last done check (theirs or a sub-unit's) is
    ``stale_days`` or more ago, or never; the longest first."""
    live = units[units["kind"].isin(INSPECTABLE) & units["valid_to"].isna()]
    paths = units.set_index("id")["path"]
    out = []
    for unit in live.itertuples():
        last = last_check(unit.path, paths, last_checks)
        days = (as_of - last).days if last is not None else None
        if days is None or days >= stale_days:
            out.append(Unchecked(str(unit.code), str(unit.name), last, days))
    return sorted(out, key=lambda u: (u.days is not None, -(u.days or 0), u.code))
