"""Gợi ý đơn vị kiểm tra đột xuất: a unit's score from three signals, each with the
points it adds, so the reasons can be shown beside the ranking.

* late dossiers (hồ sơ trễ hạn) of the last two quarters: 1 point per 10% late,
  rounded half up (42% → 4);
* confirmed violations (vi phạm đã xác nhận) of the last twelve months: 2 points each,
  at most 10;
* days since the last inspection: 1 point per full 30 days, at most 12; a unit never
  inspected counts as the maximum.

The weight is 1 + the points, an integer ≥ 1: used as a weight of the sealed random
draw, it makes a unit more likely to be drawn and never removes one from the draw. The
ranking is a suggestion; the draw decides.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

LATE_POINTS_PER_TENTH = 1
VIOLATION_POINTS = 2
VIOLATION_CAP = 10
DAYS_PER_POINT = 30
DAYS_CAP = 12


class Signal(StrEnum):
    LATE_DOSSIERS = "late_dossiers"
    VIOLATIONS = "violations"
    DAYS_SINCE_CHECK = "days_since_check"
    NEVER_CHECKED = "never_checked"


@dataclass(frozen=True)
class Reason:
    signal: Signal
    value: float  # the late share (0–1), the violations, the days (0 when never checked)
    points: int


@dataclass(frozen=True)
class TargetScore:
    weight: int
    reasons: tuple[Reason, ...]  # only the signals that added points, largest first


def target_score(
    late_share: float | None, confirmed_violations: int, days_since_check: int | None
) -> TargetScore:
    """The weight of a unit: ``late_share`` is None when no dossier was resolved,
    ``days_since_check`` None when the unit was never inspected."""
    if confirmed_violations < 0:
        raise ValueError("violations cannot be negative")
    reasons: list[Reason] = []
    if late_share is not None:
        if not 0.0 <= late_share <= 1.0:
            raise ValueError("late_share must be a proportion")
        # Half up, not Python's half-to-even: 25% late is 3 points, not 2.
        late = int(late_share * 10 + 0.5 + 1e-9) * LATE_POINTS_PER_TENTH
        if late:
            reasons.append(Reason(Signal.LATE_DOSSIERS, late_share, late))
    if confirmed_violations:
        points = min(VIOLATION_CAP, VIOLATION_POINTS * confirmed_violations)
        reasons.append(Reason(Signal.VIOLATIONS, confirmed_violations, points))
    if days_since_check is None:
        reasons.append(Reason(Signal.NEVER_CHECKED, 0, DAYS_CAP))
    else:
        if days_since_check < 0:
            raise ValueError("days cannot be negative")
        points = min(DAYS_CAP, days_since_check // DAYS_PER_POINT)
        if points:
            reasons.append(Reason(Signal.DAYS_SINCE_CHECK, days_since_check, points))
    reasons.sort(key=lambda r: -r.points)
    return TargetScore(1 + sum(r.points for r in reasons), tuple(reasons))
