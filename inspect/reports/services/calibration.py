"""Hiệu chuẩn giữa các đoàn: each inspection team's violation rate against the
province's, with the funnel-plot limits of ``congvu.rules.funnel``.

A team is named by its team lead (trưởng đoàn) as recorded on the inspection. For the
done checks of the window, a team's **n** is the people it checked (one per person per
check) and **x** those among them found in violation (a current finding about that
person from that check, not dismissed). The province's rate p0 = Σx/Σn.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from congvu.inspect.i18n import name_sort_key
from congvu.rules.funnel import Z_95, Z_998, Standing, control_limits, standing

NO_LEAD = "Không ghi trưởng đoàn"


@dataclass(frozen=True)
class TeamRate:
    team: str
    checks: int
    checked: int  # n
    violations: int  # x
    rate: float
    low95: float
    high95: float
    low998: float
    high998: float
    standing: Standing


@dataclass(frozen=True)
class Calibration:
    province_rate: float | None
    teams: list[TeamRate]
    # The funnel's lines for the chart: n, then its 95% and 99.8% limits.
    curve: list[tuple[int, float, float, float, float]]


def calibrate(done: pd.DataFrame, attendance: pd.DataFrame, findings: pd.DataFrame) -> Calibration:
    """``done``: the window's done checks (id, team_lead); ``attendance``: inspection,
    official; ``findings``: the window's violations (inspection, official)."""
    teams = done.assign(team=done["team_lead"].fillna(NO_LEAD))[["id", "team"]]
    checked = attendance.drop_duplicates(["inspection", "official"]).merge(
        teams, left_on="inspection", right_on="id"
    )
    found = (
        findings[findings["official"].notna()]
        .drop_duplicates(["inspection", "official"])
        .merge(checked[["inspection", "official", "team"]], on=["inspection", "official"])
    )
    n = checked.groupby("team").size()
    x = found.groupby("team").size().reindex(n.index).fillna(0).astype("int64")
    checks = teams.groupby("team").size()
    if n.sum() == 0:
        return Calibration(None, [], [])
    p0 = float(x.sum() / n.sum())
    rows = []
    for team in sorted(n.index, key=lambda t: name_sort_key(str(t))):
        people, hits = int(n[team]), int(x[team])
        inner, outer = control_limits(p0, people, Z_95), control_limits(p0, people, Z_998)
        rows.append(
            TeamRate(
                team=str(team),
                checks=int(checks.get(team, 0)),
                checked=people,
                violations=hits,
                rate=hits / people,
                low95=inner.low,
                high95=inner.high,
                low998=outer.low,
                high998=outer.high,
                standing=standing(hits, people, p0),
            )
        )
    return Calibration(p0, rows, _curve(p0, int(n.max())))


def _curve(p0: float, largest: int) -> list[tuple[int, float, float, float, float]]:
    top = max(10, int(largest * 1.2))
    step = max(1, top // 40)
    points = []
    for people in range(max(1, step), top + 1, step):
        inner, outer = control_limits(p0, people, Z_95), control_limits(p0, people, Z_998)
        points.append((people, inner.low, inner.high, outer.low, outer.high))
    return points
