"""Sự kiện của kỳ đánh giá: what a rating needs about each official of a unit subtree,
read in one place so the proposals are computed from data (and a benchmark can time the
reading alone).

Only what the review **confirmed** counts: a confirmed finding (or late-dossier case) still
inside its explanation window (hạn giải trình: its last day not yet past, even when the
window was waived and the head decided early) is held back, shown but not deducted, until
the official's right to explain has run out; dismissed findings never reach here
(``official_record`` returns confirmed ones only).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from fractions import Fraction

from congvu.inspect import clock
from congvu.inspect.emulation.services import discipline_source
from congvu.inspect.emulation.tables import Contest, RatingSheet, SheetAuthor
from congvu.inspect.errors import NotFound
from congvu.inspect.organisation.tables import Official, Unit
from congvu.inspect.review import api as review
from congvu.inspect.review.tables import Explanation, FindingReview
from congvu.rules.discipline_standing import DisciplineStanding
from congvu.rules.rating_deductions import ConfirmedViolation, SourceKind


@dataclass(frozen=True)
class Sheet:
    """A Mẫu số 01 as entered: general criteria and task results (decimal text parsed)."""

    task_group: str
    general: dict[str, Fraction]
    results: dict[str, Fraction]
    note: str | None


@dataclass(frozen=True)
class HeldBack:
    """A confirmed finding not counted yet: its explanation window is still open."""

    source: str
    explanation_due: date


@dataclass(frozen=True)
class OfficialFacts:
    official_id: int
    code: str
    full_name: str
    sort_key: str
    category: str
    is_leader: bool
    female: bool
    unit_code: str
    unit_name: str
    unit_path: str
    violations: tuple[ConfirmedViolation, ...]
    held_back: tuple[HeldBack, ...]
    head_sheet: Sheet | None
    self_sheet: Sheet | None
    contests: dict[str, str]  # source -> the official's reason
    standing: DisciplineStanding

    @property
    def agency(self) -> str:
        """The agency (cơ quan, đơn vị) whose HTXS quota the official counts in: the
        department or commune directly under the province, its offices and one-stop centre
        included (the decree counts the quota within one agency); the province's own staff
        count in the province."""
        parts = [p for p in self.unit_path.split("/") if p]
        return parts[1] if len(parts) > 1 else parts[0]


async def unit_by_code(code: str) -> dict[str, object]:
    row = (
        await Unit.select(Unit.id, Unit.code, Unit.name, Unit.path).where(Unit.code == code).first()
    )
    if row is None:
        raise NotFound(f"Không có đơn vị mã {code}.", field="unit")
    return row


def _sheet(row: Mapping[str, object]) -> Sheet:
    def numbers(text: object) -> dict[str, Fraction]:
        return {k: Fraction(v) for k, v in json.loads(str(text)).items()}

    return Sheet(
        task_group=str(row["task_group"]),
        general=numbers(row["general"]),
        results=numbers(row["results"]),
        note=row["note"] if isinstance(row["note"], str) else None,
    )


def _explanation(waived: object, explained: bool) -> str:
    if explained:
        return "explained"
    return "waived" if waived else "none"


async def _violations(
    records: list[review.OfficialRecord], today: date
) -> dict[int, tuple[list[ConfirmedViolation], list[HeldBack]]]:
    ids = [f.finding_id for r in records for f in r.confirmed]
    reviews: dict[int, Mapping[str, object]] = {}
    explained: set[int] = set()
    if ids:
        for row in await FindingReview.select(
            FindingReview.finding,
            FindingReview.explanation_due,
            FindingReview.waived_reason,
            FindingReview.finding.legal_basis,
        ).where(FindingReview.finding.is_in(ids)):
            reviews[int(row["finding"])] = row
        explained = {
            int(r["review.finding"])
            for r in await Explanation.select(Explanation.review.finding).where(
                Explanation.review.finding.is_in(ids)
            )
        }
    found: dict[int, tuple[list[ConfirmedViolation], list[HeldBack]]] = {}
    for record in records:
        counted: list[ConfirmedViolation] = []
        held: list[HeldBack] = []
        for f in record.confirmed:
            review_row: Mapping[str, object] = reviews.get(f.finding_id, {})
            due = review_row.get("explanation_due")
            kind = SourceKind.DOSSIER if f.dossier_id is not None else SourceKind.FINDING
            source_id = f.dossier_id if f.dossier_id is not None else f.finding_id
            if isinstance(due, date) and due >= today:
                held.append(HeldBack(f"{kind}:{source_id}", due))
                continue
            counted.append(
                ConfirmedViolation(
                    kind=kind,
                    source_id=source_id,
                    violation_code=f.violation_code,
                    rule_id=f.rule_id,
                    rule_version=f.rule_version,
                    severity=f.severity,
                    decided_on=f.decided_on,
                    legal_basis=str(review_row.get("finding.legal_basis") or ""),
                    explanation=_explanation(
                        review_row.get("waived_reason"), f.finding_id in explained
                    ),
                )
            )
        found[record.official_id] = (counted, held)
    return found


async def load(
    unit_path: str, start: date, end: date, *, period_id: int | None = None
) -> list[OfficialFacts]:
    """The active officials of the subtree at ``unit_path`` ("" for all) with their
    confirmed violations from ``start`` to ``end``, their sheets of ``period_id`` and their
    discipline standing; sorted the Vietnamese way by given name."""
    officials = (
        await Official.select(
            Official.id,
            Official.code,
            Official.full_name,
            Official.sort_key,
            Official.category,
            Official.is_leader,
            Official.gender,
            Official.unit.code,
            Official.unit.name,
            Official.unit.path,
        )
        .where(Official.active.eq(True), Official.unit._.path.like(f"{unit_path}%"))
        .order_by(Official.sort_key)
    )
    ids = [int(o["id"]) for o in officials]
    records = [await review.official_record(oid, start, end) for oid in ids]
    violations = await _violations(records, clock.today())
    sheets: dict[tuple[int, str], Sheet] = {}
    contests: dict[int, dict[str, str]] = {}
    if period_id is not None and ids:
        for row in await RatingSheet.select().where(
            RatingSheet.period == period_id, RatingSheet.official.is_in(ids)
        ):
            sheets[(int(row["official"]), str(row["author"]))] = _sheet(row)
        for row in await Contest.select().where(
            Contest.period == period_id, Contest.official.is_in(ids)
        ):
            contests.setdefault(int(row["official"]), {})[str(row["source"])] = str(row["reason"])
    standings = await discipline_source.standings(ids, start, end)
    return [
        OfficialFacts(
            official_id=int(o["id"]),
            code=o["code"],
            full_name=o["full_name"],
            sort_key=o["sort_key"],
            category=o["category"],
            is_leader=bool(o["is_leader"]),
            female=o["gender"] == "nu",
            unit_code=o["unit.code"],
            unit_name=o["unit.name"],
            unit_path=o["unit.path"],
            violations=tuple(violations[int(o["id"])][0]),
            held_back=tuple(violations[int(o["id"])][1]),
            head_sheet=sheets.get((int(o["id"]), SheetAuthor.HEAD.value)),
            self_sheet=sheets.get((int(o["id"]), SheetAuthor.SELF.value)),
            contests=contests.get(int(o["id"]), {}),
            standing=standings.get(int(o["id"]), DisciplineStanding(int(o["id"]))),
        )
        for o in officials
    ]
