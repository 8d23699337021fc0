"""Gợi ý đơn vị kiểm tra đột xuất: each inspectable unit's score
(``congvu.rules.surprise_targets``) from its late dossiers of the last two quarters,
its confirmed violations of the last twelve months and the days since its last check,
with the reasons in words. A suggestion only weights the sealed random draw."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import pandas as pd
from congvu.rules.surprise_targets import Reason, Signal, target_score

INSPECTABLE = ("department", "service_centre", "commune")
VIOLATION_LOOKBACK = timedelta(days=365)


@dataclass(frozen=True)
class Suggestion:
    code: str
    name: str
    weight: int
    reasons: list[str]  # Vietnamese, as recorded with a draw
    shown: list[tuple[str, int]]  # the same as message ids and numbers, for the page


# A reason in words: the message id (translated on screen) and its number.
REASON_MESSAGES = {
    Signal.LATE_DOSSIERS: "%(n)s%% hồ sơ trễ hạn trong 2 quý gần nhất",
    Signal.VIOLATIONS: "%(n)s vi phạm đã xác nhận trong 12 tháng",
    Signal.DAYS_SINCE_CHECK: "chưa kiểm tra %(n)s ngày",
    Signal.NEVER_CHECKED: "chưa từng được kiểm tra",
}


def reason_number(reason: Reason) -> int:
    if reason.signal is Signal.LATE_DOSSIERS:
        return round(reason.value * 100)
    return int(reason.value)


def reason_text(reason: Reason) -> str:
    """The reason in Vietnamese, as recorded with a draw."""
    return REASON_MESSAGES[reason.signal] % {"n": reason_number(reason)}


def last_check(path: str, paths: pd.Series, last_checks: dict[int, date]) -> date | None:
    """The last done check of the unit at ``path`` or of a unit under it: checking a
    commune's one-stop centre is checking the commune (the workbook counts it so)."""
    days = [day for uid, day in last_checks.items() if str(paths.get(uid, "")).startswith(path)]
    return max(days) if days else None


def suggest(
    units: pd.DataFrame,
    resolved: pd.DataFrame,
    findings: pd.DataFrame,
    last_checks: dict[int, date],
    as_of: date,
) -> list[Suggestion]:
    """``units``: the subtree (id, code, name, kind, path, valid_to); ``resolved``: the
    dossiers resolved in the last two quarters (unit, status); ``findings``: current
    findings (unit, outcome, observed_at). Everything counts for a unit and its
    sub-units (a commune's one-stop centre), as a reporting line in the workbook."""
    live = units[units["kind"].isin(INSPECTABLE) & units["valid_to"].isna()]
    paths = units.set_index("id")["path"]
    since = pd.Timestamp(as_of - VIOLATION_LOOKBACK)
    confirmed = findings[
        (findings["outcome"].fillna("") == "confirmed") & (findings["observed_at"] >= since)
    ]
    dossier_paths = paths.reindex(resolved["unit"]).fillna("").to_numpy()
    late = (resolved["status"] == "late").to_numpy()
    finding_paths = paths.reindex(confirmed["unit"]).fillna("")
    out = []
    for unit in live.itertuples():
        mine = pd.Series(dossier_paths).str.startswith(unit.path).to_numpy()
        share = float(late[mine].mean()) if mine.any() else None
        violations = int(finding_paths.str.startswith(unit.path).sum())
        last = last_check(unit.path, paths, last_checks)
        days = (as_of - last).days if last is not None else None
        score = target_score(share, violations, max(0, days) if days is not None else None)
        out.append(
            Suggestion(
                code=str(unit.code),
                name=str(unit.name),
                weight=score.weight,
                reasons=[reason_text(r) for r in score.reasons],
                shown=[(REASON_MESSAGES[r.signal], reason_number(r)) for r in score.reasons],
            )
        )
    return sorted(out, key=lambda s: (-s.weight, s.code))
