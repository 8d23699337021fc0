"""Số liệu tổng hợp: the quarter's aggregates, computed with pandas from ``ReportData``.

Each record is counted for the *reporting line* it belongs to: the direct child of the
reporting unit on its path (a commune's one-stop centre counts for the commune), or the
reporting unit itself for its own records. The sheets only lay these frames out.

Definitions (also written on the method sheet):

* a check is **done** once submitted or closed; **planned** counts scheduled checks of
  the period, done or not;
* **units in scope** are the reporting lines valid on the period's first day; a unit is
  **checked** in a window when a done check of its line falls in it;
* a **violation** is a current finding observed in the period that was not dismissed;
  it is **handled** once a follow-up was decided or the finding closed;
* a dossier is **resolved** in the period when its result date falls in it; on time
  counts early and on-time results. A dossier of the period whose last verdict is late
  or overdue **needs an apology**; it is **kept** when the letter was sent in time (its
  verdict flags the letter neither missing nor late). The dossiers arrive counted by the
  database per unit and status (``ReportData.dossier_counts``): finished in the period,
  open at its end, past due by then, apology flags. The findings arrive counted too
  (``ReportData.finding_counts``, ``finding_results``, ``finding_repeats``); the sheets
  that list them read their rows.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import numpy as np
import pandas as pd
from congvu.inspect.reports.services.labels import KIND_ORDER
from congvu.inspect.reports.services.personnel import PersonnelFigures
from congvu.inspect.reports.services.reading import (
    DOSSIER_COLUMNS,
    FINDING_COLUMNS,
    ReportData,
    Window,
)
from congvu.inspect.reports.services.trends import RecordTrends

DONE_STATUSES = ("submitted", "closed")
SURPRISE_KINDS = ("SURPRISE_UNANNOUNCED", "SURPRISE_ANNOUNCED")
RESOLVED = ("early", "on_time", "late")
ON_TIME = ("early", "on_time")
# Chỉ số PAR INDEX loses points when fewer units are checked in a year (rules/README.md).
ANNUAL_COVERAGE_TARGET = 0.30
# The numeric columns of a summary row, in the order of the Tổng hợp sheet.
SUMMARY_COUNTS = (
    "planned",
    "done_scheduled",
    "done_surprise",
    "in_scope",
    "checked_quarter",
    "checked_ytd",
    "people",
    "violations",
    "handled",
    "open",
    "resolved",
    "resolved_on_time",
    "apology_needed",
    "apology_kept",
)
# A late or overdue dossier needs a letter of apology (thư xin lỗi) to its applicant
# before the deadline it missed (rules/dossiers.py, the apology pack numbers).
NEEDS_APOLOGY = ("late", "overdue")


@dataclass(frozen=True)
class Figures:
    """What the sheets show: every frame indexed or sorted the way it is written."""

    root: pd.Series
    lines: pd.DataFrame  # one row per reporting line: name, kind and SUMMARY_COUNTS
    previous: dict[str, int]  # the previous quarter's totals, for the chart
    current: dict[str, int]
    inspections: pd.DataFrame  # the period's checks, with unit and line names
    results: pd.DataFrame  # per inspected unit: checks, people, violations, by code
    violation_codes: list[str]
    # The period's findings, one row each, for the sheets that list them: empty here,
    # filled by the workbook's own read (``read_finding_rows_here``).
    findings: pd.DataFrame
    handling: pd.DataFrame  # follow_up → persons, units
    remedies: dict[str, int]
    repeats: pd.DataFrame  # officials with more than one violation in twelve months
    # The period's dossiers (resolved in it or open at its end), row by row for the raw
    # sheet: empty here, filled by the workbook's own read (``read_dossier_rows_here``).
    dossiers: pd.DataFrame
    # Per reporting line: resolved early, on time, late, open; apologies needed, kept,
    # late, missing.
    dossier_lines: pd.DataFrame
    # Ratings, emulation, discipline: read on the event loop through their domains, added
    # to the figures before the workbook is written.
    personnel: PersonnelFigures = field(default_factory=PersonnelFigures)
    # Dossiers over the last quarters, the 766-style estimates and the evidence register:
    # read on the event loop too (``trends.read_trends``).
    trends: RecordTrends = field(default_factory=RecordTrends)


def _between(days: pd.Series, first: date, last: date) -> pd.Series:
    return (days >= pd.Timestamp(first)) & (days <= pd.Timestamp(last))


def reporting_lines(data: ReportData, root_id: int) -> tuple[pd.Series, pd.DataFrame, pd.Series]:
    """The root unit, its reporting lines and every unit's line (unit id → line id)."""
    units = data.units.set_index("id", drop=False)
    root = units.loc[root_id]
    depth = root["path"].count("/")
    # "/NA/NA-TV/NA-TV-PVHCC/" under "/NA/" (depth 2) → "NA-TV"; the root → its own code.
    parts = units["path"].str.split("/")
    line_codes = parts.map(lambda p: p[depth] if len(p) > depth + 1 else p[depth - 1])
    by_code = pd.Series(units["id"].to_numpy(), index=units["code"].to_numpy())
    line_of = pd.Series(by_code.reindex(line_codes.to_numpy()).to_numpy(), index=units.index)
    lines = units[units["id"].isin(line_of.unique())].copy()
    lines["order"] = lines["kind"].map({k: i for i, k in enumerate(KIND_ORDER)}).fillna(9)
    lines = lines.sort_values(["order", "code"]).drop(columns="order")
    return root, lines, line_of


def _checks(
    inspections: pd.DataFrame, first: date, last: date
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The checks of [first, last] and the done ones among them."""
    period = inspections[_between(inspections["scheduled_date"], first, last)]
    done = period[period["status"].isin(DONE_STATUSES)]
    return period, done


def _violations(data: ReportData, quarter: int) -> pd.DataFrame:
    """The violations' counts of the period (1) or of the previous quarter (0)."""
    counts = data.finding_counts
    return counts[counts["quarter"] == quarter]


def _totals(
    data: ReportData, line_of: pd.Series, first: date, last: date, quarter: int
) -> dict[str, int]:
    _, done = _checks(data.inspections, first, last)
    people = data.attendance[data.attendance["inspection"].isin(done["id"])]
    violations = _violations(data, quarter)
    handled = int(violations.loc[violations["handled"] == 1, "violations"].sum())
    return {
        "done": len(done),
        "surprise": int(done["kind"].isin(SURPRISE_KINDS).sum()),
        "checked": int(line_of.reindex(done["unit"]).nunique()),
        "people": int(people["official"].nunique()),
        "violations": int(violations["violations"].sum()),
        "handled": handled,
        "open": int(violations["violations"].sum()) - handled,
    }


def compute_figures(data: ReportData, root_id: int, window: Window) -> Figures:
    period = window.period
    first, last = period.first_day, period.last_day
    root, lines, line_of = reporting_lines(data, root_id)
    names = data.units.set_index("id")["name"]

    inspections = data.inspections[_between(data.inspections["scheduled_date"], first, last)]
    inspections = inspections.assign(
        line=line_of.reindex(inspections["unit"]).to_numpy(),
        unit_name=names.reindex(inspections["unit"]).to_numpy(),
    )
    done = inspections[inspections["status"].isin(DONE_STATUSES)]
    ytd = data.inspections[
        _between(data.inspections["scheduled_date"], window.year_start, last)
        & data.inspections["status"].isin(DONE_STATUSES)
    ]
    people = data.attendance[data.attendance["inspection"].isin(done["id"])].merge(
        done[["id", "line"]], left_on="inspection", right_on="id"
    )
    violations = _violations(data, 1)
    violations = violations.assign(line=line_of.reindex(violations["unit"]).to_numpy())
    counts = data.dossier_counts.assign(
        line=line_of.reindex(data.dossier_counts["unit"]).to_numpy()
    )
    resolved = counts[counts["status"].isin(RESOLVED)]

    def per_line(values: pd.Series) -> pd.Series:
        return values.reindex(lines["id"]).fillna(0).astype("int64")

    valid = (lines["valid_to"].isna() | (lines["valid_to"] >= pd.Timestamp(first))) & (
        lines["kind"] != "province"
    )
    scheduled = inspections["kind"] == "SCHEDULED"
    summary = pd.DataFrame(
        {
            "id": lines["id"].to_numpy(),
            "code": lines["code"].to_numpy(),
            "name": lines["name"].to_numpy(),
            "kind": lines["kind"].to_numpy(),
            "planned": per_line(inspections[scheduled].groupby("line").size()).to_numpy(),
            "done_scheduled": per_line(
                done[done["kind"] == "SCHEDULED"].groupby("line").size()
            ).to_numpy(),
            "done_surprise": per_line(
                done[done["kind"].isin(SURPRISE_KINDS)].groupby("line").size()
            ).to_numpy(),
            "in_scope": valid.astype("int64").to_numpy(),
            "checked_quarter": lines["id"].isin(done["line"]).astype("int64").to_numpy(),
            "checked_ytd": lines["id"]
            .isin(line_of.reindex(ytd["unit"]))
            .astype("int64")
            .to_numpy(),
            "people": per_line(people.groupby("line")["official"].nunique()).to_numpy(),
            "violations": per_line(violations.groupby("line")["violations"].sum()).to_numpy(),
            "handled": per_line(
                violations[violations["handled"] == 1].groupby("line")["violations"].sum()
            ).to_numpy(),
            "resolved": per_line(resolved.groupby("line")["finished_in_period"].sum()).to_numpy(),
            "resolved_on_time": per_line(
                resolved[resolved["status"].isin(ON_TIME)]
                .groupby("line")["finished_in_period"]
                .sum()
            ).to_numpy(),
        }
    )
    summary["open"] = summary["violations"] - summary["handled"]
    apology = _apology_lines(counts, lines)
    summary["apology_needed"] = apology["needed"].to_numpy()
    summary["apology_kept"] = apology["kept"].to_numpy()
    summary = summary[
        (summary["in_scope"] > 0) | (summary[list(SUMMARY_COUNTS)].sum(axis=1) > 0)
    ].reset_index(drop=True)

    results, codes = _results(done, data)
    return Figures(
        root=root,
        lines=summary,
        previous=_totals(
            data, line_of, window.previous.first_day, window.previous.last_day, quarter=0
        ),
        current=_totals(data, line_of, first, last, quarter=1),
        inspections=inspections.sort_values(["scheduled_date", "id"]).reset_index(drop=True),
        results=results,
        violation_codes=codes,
        findings=pd.DataFrame(columns=[*FINDING_COLUMNS, "unit_name"]),
        handling=_handling(violations),
        remedies=_remedies(violations),
        repeats=_repeats(data, names),
        dossiers=pd.DataFrame(columns=[*DOSSIER_COLUMNS, "unit_name"]),
        dossier_lines=_dossier_lines(counts, resolved, lines, apology),
    )


def _results(done: pd.DataFrame, data: ReportData) -> tuple[pd.DataFrame, list[str]]:
    """Per inspected unit: checks done, people checked, violations found by those checks
    (by violation code)."""
    counted = data.finding_results
    found = counted[counted["inspection"].isin(done["id"])].merge(
        done[["id", "unit"]].rename(columns={"id": "inspection", "unit": "inspected"}),
        on="inspection",
    )
    codes = sorted(found["violation_code"].unique().tolist())
    people = (
        data.attendance.merge(done[["id", "unit"]], left_on="inspection", right_on="id")
        .groupby("unit")["official"]
        .nunique()
    )
    by_code = (
        found.groupby(["inspected", "violation_code"])["violations"].sum().unstack(fill_value=0)
        if len(found)
        else pd.DataFrame()
    )
    grouped = done.groupby(["unit", "unit_name"]).size().rename("checks").reset_index()
    grouped["people"] = people.reindex(grouped["unit"]).fillna(0).astype("int64").to_numpy()
    for code in codes:
        grouped[code] = by_code[code].reindex(grouped["unit"]).fillna(0).astype("int64").to_numpy()
    grouped["violations"] = grouped[codes].sum(axis=1) if codes else 0
    return grouped.sort_values("unit_name").reset_index(drop=True), codes


def _handling(violations: pd.DataFrame) -> pd.DataFrame:
    """Per follow-up form: violations by a person, by a unit (a finding without an official)."""
    decided = violations[violations["follow_up"].notna()]
    person = decided["by_person"] == 1
    return (
        pd.DataFrame(
            {
                "persons": decided[person].groupby("follow_up")["violations"].sum(),
                "units": decided[~person].groupby("follow_up")["violations"].sum(),
            }
        )
        .fillna(0)
        .astype("int64")
    )


def _remedies(violations: pd.DataFrame) -> dict[str, int]:
    """Khắc phục: a confirmed violation's follow-up is done once the finding is closed
    (a unit's fix: once a later check or a verified photo closed it)."""
    confirmed = violations[violations["confirmed"] == 1]
    total = int(confirmed["violations"].sum())
    done = int(confirmed.loc[confirmed["remedied"] == 1, "violations"].sum())
    return {"confirmed": total, "done": done, "open": total - done}


def _repeats(data: ReportData, names: pd.Series) -> pd.DataFrame:
    """Officials with a violation in the period and two or more in the twelve months to
    its end (tái phạm), counted by the database (``ReportData.finding_repeats``)."""
    repeated = data.finding_repeats
    if repeated.empty:
        return pd.DataFrame(columns=["official_name", "unit_name", "quarter", "year"])
    rows = pd.DataFrame(
        {
            "official_name": repeated["official_name"].to_numpy(),
            "unit_name": names.reindex(repeated["unit"]).to_numpy(),
            "quarter": repeated["quarter"].to_numpy(),
            "year": repeated["year"].to_numpy(),
        },
        index=pd.Index(repeated["official"].to_numpy(), name="official"),
    )
    return rows.sort_values(["year", "official_name"], ascending=[False, True]).reset_index(
        drop=True
    )


def _apology_lines(counts: pd.DataFrame, lines: pd.DataFrame) -> pd.DataFrame:
    """Per reporting line (``lines``' order): dossiers needing an apology, those whose
    letter is missing, sent late, and kept (sent in time)."""
    needing = counts[counts["status"].isin(NEEDS_APOLOGY)]
    grouped = needing.assign(needed=needing["finished_in_period"] + needing["open_at_end"]).groupby(
        "line"
    )[["needed", "apology_missing", "apology_late"]]
    out = grouped.sum().reindex(lines["id"]).fillna(0).astype("int64")
    out = out.rename(columns={"apology_missing": "missing", "apology_late": "late"})
    out["kept"] = out["needed"] - out["missing"] - out["late"]
    return out.reset_index(drop=True)


def _dossier_lines(
    counts: pd.DataFrame, resolved: pd.DataFrame, lines: pd.DataFrame, apology: pd.DataFrame
) -> pd.DataFrame:
    """Per reporting line: dossiers resolved in the period (early, on time, late) and
    those still open at its end (in time, overdue), from the dossiers' counts, with the
    line's apologies (``_apology_lines``, in ``lines``' order)."""
    counts = counts.assign(open_in_time=counts["open_at_end"] - counts["open_overdue"])

    def count(frame: pd.DataFrame, column: str = "finished_in_period") -> np.ndarray:
        return (
            frame.groupby("line")[column]
            .sum()
            .reindex(lines["id"])
            .fillna(0)
            .astype("int64")
            .to_numpy()
        )

    out = pd.DataFrame(
        {
            "name": lines["name"].to_numpy(),
            "early": count(resolved[resolved["status"] == "early"]),
            "on_time": count(resolved[resolved["status"] == "on_time"]),
            "late": count(resolved[resolved["status"] == "late"]),
            "open_in_time": count(counts, "open_in_time"),
            "open_overdue": count(counts, "open_overdue"),
            "apology_needed": apology["needed"].to_numpy(),
            "apology_kept": apology["kept"].to_numpy(),
            "apology_late": apology["late"].to_numpy(),
            "apology_missing": apology["missing"].to_numpy(),
        }
    )
    shown = out[["early", "on_time", "late", "open_in_time", "open_overdue"]]
    return out[shown.sum(axis=1) > 0].reset_index(drop=True)
