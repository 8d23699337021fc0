"""A reporting line's parts on the dashboard: the unit's own records apart from each of
its sub-units' subtrees (riêng đơn vị / đơn vị trực thuộc).

A commune's line counts its one-stop centre too, as the quarterly workbook does, so the
commune reads like its centre; its parts show what the commune itself and the centre
each account for. The parts count as the line does (done checks, current findings not
dismissed, dossiers resolved in the quarter) and add up to it: an official checked in
two parts counts once, for the part of their first check in the quarter.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from congvu.inspect.reports.services.figures import DONE_STATUSES, ON_TIME, RESOLVED
from congvu.inspect.reports.services.reading import ReportData
from congvu.rules.periods import Period


@dataclass(frozen=True)
class Parts:
    of: pd.Series  # unit id → the unit id of the part it counts for
    by_line: dict[int, list[int]]  # line id → its parts: itself, then sub-units by code


def split_lines(units: pd.DataFrame, line_ids: list[int]) -> Parts:
    """The parts of the lines among ``line_ids`` that have sub-units: the line itself for
    its own records, and each direct child for its subtree."""
    codes = units["code"].astype(str).to_numpy()
    ids = units["id"].astype(int).to_numpy()
    id_of = dict(zip(codes, ids, strict=True))
    with_children = set(units["parent"].dropna().astype(int)) & set(line_ids)
    line_codes = {str(c) for c, i in id_of.items() if i in with_children}
    of: dict[int, int] = {}
    children: dict[int, set[str]] = {int(id_of[c]): set() for c in line_codes}
    # "/P/P-A/P-A-PVHCC/X/" under line P-A → part P-A-PVHCC; "/P/P-A/" → P-A itself.
    for unit_id, path in zip(ids, units["path"].astype(str), strict=True):
        steps = path.strip("/").split("/")
        for depth, code in enumerate(steps):
            if code in line_codes:
                line_id = int(id_of[code])
                if depth + 1 < len(steps):
                    of[int(unit_id)] = int(id_of[steps[depth + 1]])
                    children[line_id].add(steps[depth + 1])
                else:
                    of[int(unit_id)] = int(line_id)
                break
    by_line = {
        line_id: [line_id, *(int(id_of[c]) for c in sorted(below))]
        for line_id, below in children.items()
    }
    return Parts(pd.Series(of, dtype="int64"), by_line)


def part_counts(data: ReportData, parts: Parts, period: Period) -> pd.DataFrame:
    """One row per part (indexed by its unit id): people checked, violations, dossiers
    resolved and resolved on time in ``period``."""
    part = parts.of
    first, last = pd.Timestamp(period.first_day), pd.Timestamp(period.last_day)
    inspections = data.inspections
    done = inspections[
        inspections["scheduled_date"].between(first, last)
        & inspections["status"].isin(DONE_STATUSES)
    ]
    done = done.assign(part=part.reindex(done["unit"]).to_numpy()).dropna(subset=["part"])
    line_of = pd.Series({p: line for line, ps in parts.by_line.items() for p in ps}, dtype="int64")
    done = done.assign(line=line_of.reindex(done["part"].astype("int64")).to_numpy())
    # An official checked at the commune and again at its centre is one person of the
    # line (as the workbook counts): the part of their first check of the quarter.
    people = (
        data.attendance.merge(
            done[["id", "part", "line", "scheduled_date"]], left_on="inspection", right_on="id"
        )
        .sort_values(["scheduled_date", "inspection"], kind="stable")
        .drop_duplicates(["line", "official"])
    )
    findings = data.findings
    violations = findings[
        findings["observed_at"].dt.normalize().between(first, last)
        & (findings["outcome"].fillna("") != "dismissed")
    ]
    violations = violations.assign(part=part.reindex(violations["unit"]).to_numpy())
    # The dossiers come counted per unit and status for the read's own window (the quarter).
    counts = data.dossier_counts
    resolved = counts[counts["status"].isin(RESOLVED)]
    resolved = resolved.assign(part=part.reindex(resolved["unit"]).to_numpy())
    index = pd.Index(sorted(set(part.to_numpy().tolist())), dtype="int64")

    def per_part(values: pd.Series) -> pd.Series:
        if len(values):
            values.index = values.index.astype("int64")
        return values.reindex(index).fillna(0).astype("int64")

    return pd.DataFrame(
        {
            "people": per_part(people.groupby("part").size()),
            "violations": per_part(violations.groupby("part").size()),
            "resolved": per_part(resolved.groupby("part")["finished_in_period"].sum()),
            "resolved_on_time": per_part(
                resolved[resolved["status"].isin(ON_TIME)]
                .groupby("part")["finished_in_period"]
                .sum()
            ),
        },
        index=index,
    )
