"""Phiếu theo dõi, đánh giá công chức (Mẫu số 01, NĐ 335/2025/NĐ-CP): the 100 points of one
official for one quarter, and the year from its quarters.

* General criteria, 30: I.1 (5) + I.2 (5) + II.1–II.4 (2.5 each) + III (10).
* Task results, 70: staff (a + b + c) / 3 × 70 %; leaders (a + b + c + d + đ + e) / 6 × 70 %,
  with a = quantity, b = quality, c = timeliness, d = their unit's results, đ = organising
  capacity, e = unifying the staff, each a percentage 0–100.

The suggested deductions (``rating_deductions``) come off the general criteria (never below 0)
and off c (never below 0). The year: the average of the quarters rated by default; a province
may rate it as the mean of the Q4 score and the quarters' average (``YearMethod.Q4_AND_MEAN``),
a local variant (rules/README.md, "Quality rating"). Exact fractions throughout.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from enum import StrEnum
from fractions import Fraction

from congvu.rules.rating_deductions import DeductionSheet

GENERAL_MAX: dict[str, Fraction] = {
    "I.1": Fraction(5),
    "I.2": Fraction(5),
    "II.1": Fraction(5, 2),
    "II.2": Fraction(5, 2),
    "II.3": Fraction(5, 2),
    "II.4": Fraction(5, 2),
    "III": Fraction(10),
}
RESULTS_MAX = Fraction(70)


@dataclass(frozen=True)
class TaskResults:
    """Percentages 0–100; ``d``, ``dd`` (đ) and ``e`` only for a leader."""

    a: Fraction
    b: Fraction
    c: Fraction
    d: Fraction | None = None
    dd: Fraction | None = None
    e: Fraction | None = None

    def __post_init__(self) -> None:
        parts = [getattr(self, f.name) for f in fields(self)]
        if any(p is not None and not 0 <= p <= 100 for p in parts):
            raise ValueError(f"task results must be percentages 0–100: {self}")
        leader = [self.d, self.dd, self.e]
        if any(p is None for p in leader) and any(p is not None for p in leader):
            raise ValueError("a leader's results need d, đ and e together")

    @property
    def leader(self) -> bool:
        return self.d is not None


@dataclass(frozen=True)
class SheetScore:
    general: dict[str, Fraction]  # criterion -> points after deductions
    results: Fraction  # the 70-point part
    timeliness: Fraction  # c after deductions
    total: Fraction


def general_scores(entered: Mapping[str, Fraction] | None = None) -> dict[str, Fraction]:
    """The general criteria as entered, each missing one at its maximum; a value outside
    0–maximum is refused."""
    given = dict(entered or {})
    unknown = set(given) - set(GENERAL_MAX)
    if unknown:
        raise ValueError(f"unknown criteria: {sorted(unknown)}")
    scores = {name: given.get(name, top) for name, top in GENERAL_MAX.items()}
    for name, value in scores.items():
        if not 0 <= value <= GENERAL_MAX[name]:
            raise ValueError(f"criterion {name}: {value} is outside 0–{GENERAL_MAX[name]}")
    return scores


def score_sheet(
    results: TaskResults,
    deductions: DeductionSheet,
    general: Mapping[str, Fraction] | None = None,
) -> SheetScore:
    """The 100 points: general criteria less the suggested deductions, task results with c
    less the late-dossier cases."""
    scores = general_scores(general)
    after = {
        name: max(Fraction(0), value - deductions.general_off.get(name, Fraction(0)))
        for name, value in scores.items()
    }
    c = max(Fraction(0), results.c - deductions.timeliness_off)
    parts = [results.a, results.b, c]
    if results.leader:
        parts += [results.d, results.dd, results.e]  # type: ignore[list-item]
    part = sum(parts, Fraction(0)) / len(parts) * RESULTS_MAX / 100
    return SheetScore(after, part, c, sum(after.values(), Fraction(0)) + part)


class YearMethod(StrEnum):
    MEAN = "MEAN"  # average of the quarters rated
    Q4_AND_MEAN = "Q4_AND_MEAN"  # (Q4 + average of the quarters) / 2, a local variant


def year_score(quarters: Mapping[int, Fraction], method: YearMethod = YearMethod.MEAN) -> Fraction:
    """The year's score from the quarters rated (1–4 -> score)."""
    if not quarters:
        raise ValueError("no quarter rated")
    if set(quarters) - {1, 2, 3, 4}:
        raise ValueError(f"quarters are 1–4: {sorted(quarters)}")
    mean = sum(quarters.values(), Fraction(0)) / len(quarters)
    if method is YearMethod.MEAN:
        return mean
    if 4 not in quarters:
        raise ValueError("Q4_AND_MEAN needs the fourth quarter")
    return (quarters[4] + mean) / 2
