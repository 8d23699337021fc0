"""The suggested-target score, computed by hand (rules/surprise_targets.py): 1 point per
10% late dossiers (half up), 2 per confirmed violation (at most 10), 1 per full 30 days
since the last check (at most 12, never checked = 12); weight = 1 + points."""

from __future__ import annotations

import pytest
from congvu.rules.surprise_targets import Reason, Signal, target_score

LATE, VIOL, DAYS, NEVER = (
    Signal.LATE_DOSSIERS,
    Signal.VIOLATIONS,
    Signal.DAYS_SINCE_CHECK,
    Signal.NEVER_CHECKED,
)


@pytest.mark.parametrize(
    ("late", "violations", "days", "weight", "reasons"),
    [
        # 42% → 4; 310 days → 10; largest first
        (0.42, 0, 310, 15, [Reason(DAYS, 310, 10), Reason(LATE, 0.42, 4)]),
        # 25% rounds half up to 3
        (0.25, 0, 0, 4, [Reason(LATE, 0.25, 3)]),
        # 4% late and 29 days add nothing: weight 1, still drawable
        (0.04, 0, 29, 1, []),
        # no dossier resolved, 3 violations → 6, never checked → 12
        (None, 3, None, 19, [Reason(NEVER, 0, 12), Reason(VIOL, 3, 6)]),
        # caps: 7 violations → 10, 400 days → 12
        (None, 7, 400, 23, [Reason(DAYS, 400, 12), Reason(VIOL, 7, 10)]),
        (1.0, 0, 30, 12, [Reason(LATE, 1.0, 10), Reason(DAYS, 30, 1)]),
    ],
)
def test_target_score(
    late: float | None, violations: int, days: int | None, weight: int, reasons: list[Reason]
) -> None:
    score = target_score(late, violations, days)
    assert score.weight == weight
    assert list(score.reasons) == reasons


@pytest.mark.parametrize(("late", "violations", "days"), [(1.5, 0, 0), (0.1, -1, 0), (0.1, 0, -1)])
def test_refuses_impossible_signals(late: float, violations: int, days: int) -> None:
    with pytest.raises(ValueError):
        target_score(late, violations, days)
