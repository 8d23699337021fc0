"""Hồ sơ của một cán bộ trong một kỳ: what the review has established about one official
between two days, the one read that escalation (tái phạm), ratings and discipline
share.

* confirmed findings, whatever their origin (inspection or late dossier), counted on the
  day the head confirmed them;
* late-dossier cases: dossiers a head took up as a case about the official, with where
  the case stands;
* follow-ups decided (biện pháp), on the day they were decided;
* discipline decisions: none yet (no discipline cases are recorded); the field is there
  so that readers need not change when they are.

One official costs a constant number of queries (four at most), never one per finding.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from congvu.inspect import clock
from congvu.inspect.review.tables import (
    DossierDecision,
    DossierOutcome,
    FindingReview,
    ReviewState,
)
from congvu.rules.conduct import UnknownViolation
from congvu.rules.conduct import violation as conduct_violation
from congvu.rules.packs import PackNotFound


def severity_of(code: str, on: date) -> str:
    """The conduct catalogue's severity of a violation; "serious" for a code it does not
    know (a finding outside the catalogue is never treated as minor)."""
    try:
        return conduct_violation(code, on).severity
    except (UnknownViolation, PackNotFound):
        return "serious"


@dataclass(frozen=True)
class ConfirmedFinding:
    """A finding confirmed as a violation by the official (vi phạm đã xác nhận)."""

    finding_id: int
    violation_code: str
    rule_id: str
    rule_version: str
    severity: str
    observed_on: date
    decided_on: date  # the day the head confirmed it
    unit_path: str
    inspection_id: int | None
    dossier_id: int | None  # a late-dossier case


@dataclass(frozen=True)
class DossierCase:
    """A late dossier taken up as a case about the official, and where the case stands."""

    dossier_id: int
    dossier_code: str
    finding_id: int | None
    flags: tuple[str, ...]
    taken_up_on: date
    state: ReviewState  # of the case's finding
    outcome: str | None  # "confirmed" / "dismissed" once the head decided, else None


@dataclass(frozen=True)
class FollowUpDecision:
    """Biện pháp quyết định after a confirmed finding."""

    finding_id: int
    follow_up: str
    decided_on: date


@dataclass(frozen=True)
class OfficialRecord:
    official_id: int
    start: date
    end: date
    confirmed: tuple[ConfirmedFinding, ...]  # oldest observation first
    dossier_cases: tuple[DossierCase, ...]  # oldest take-up first
    follow_ups: tuple[FollowUpDecision, ...]  # oldest first
    # Kỷ luật: filled once discipline cases are recorded; always empty until then.
    discipline: tuple[()] = ()


def _bound(day: date, *, upper: bool) -> datetime | None:
    """The UTC moment a local day starts (the next day's for an upper bound); None for
    an open end (``date.min`` / ``date.max``)."""
    if day in (date.min, date.max):
        return None
    start = day + timedelta(days=1) if upper else day
    return datetime.combine(start, time.min, clock.zone()).astimezone(UTC)


def _within(column: Any, start: date, end: date) -> list[Any]:
    lower, upper = _bound(start, upper=False), _bound(end, upper=True)
    where = []
    if lower is not None:
        where.append(column >= lower)
    if upper is not None:
        where.append(column < upper)
    return where


def _local(moment: datetime) -> date:
    return moment.astimezone(clock.zone()).date()


async def _confirmed(official_id: int, start: date, end: date) -> tuple[ConfirmedFinding, ...]:
    rows = (
        await FindingReview.select(
            FindingReview.finding,
            FindingReview.decided_at,
            FindingReview.finding.violation_code,
            FindingReview.finding.rule_id,
            FindingReview.finding.rule_version,
            FindingReview.finding.observed_at,
            FindingReview.finding.inspection,
            FindingReview.finding.dossier,
            FindingReview.finding._.unit._.path,
        )
        .where(
            FindingReview.outcome == "confirmed",
            FindingReview.finding._.official == official_id,
            *_within(FindingReview.decided_at, start, end),
        )
        .order_by(FindingReview.finding)
    )
    found = []
    for r in rows:
        observed = _local(r["finding.observed_at"])
        found.append(
            ConfirmedFinding(
                finding_id=r["finding"],
                violation_code=r["finding.violation_code"],
                rule_id=r["finding.rule_id"],
                rule_version=r["finding.rule_version"],
                severity=severity_of(r["finding.violation_code"], observed),
                observed_on=observed,
                decided_on=_local(r["decided_at"]),
                unit_path=r["finding.unit.path"],
                inspection_id=r["finding.inspection"],
                dossier_id=r["finding.dossier"],
            )
        )
    return tuple(sorted(found, key=lambda f: f.observed_on))


async def _follow_ups(official_id: int, start: date, end: date) -> tuple[FollowUpDecision, ...]:
    rows = (
        await FindingReview.select(
            FindingReview.finding, FindingReview.follow_up, FindingReview.follow_up_at
        )
        .where(
            FindingReview.finding._.official == official_id,
            FindingReview.follow_up.is_not_null(),
            FindingReview.follow_up_at.is_not_null(),
            *_within(FindingReview.follow_up_at, start, end),
        )
        .order_by(FindingReview.follow_up_at)
    )
    return tuple(
        FollowUpDecision(r["finding"], r["follow_up"], _local(r["follow_up_at"])) for r in rows
    )


async def _dossier_cases(official_id: int, start: date, end: date) -> tuple[DossierCase, ...]:
    decisions = (
        await DossierDecision.select(
            DossierDecision.dossier,
            DossierDecision.dossier.code,
            DossierDecision.finding,
            DossierDecision.flags,
            DossierDecision.decided_at,
        )
        .where(
            DossierDecision.official == official_id,
            DossierDecision.outcome == DossierOutcome.TAKEN_UP.value,
            *_within(DossierDecision.decided_at, start, end),
        )
        .order_by(DossierDecision.decided_at)
    )
    cases = [d["finding"] for d in decisions if d["finding"] is not None]
    reviews = {
        r["finding"]: r
        for r in (
            await FindingReview.select(
                FindingReview.finding, FindingReview.state, FindingReview.outcome
            ).where(FindingReview.finding.is_in(cases))
            if cases
            else []
        )
    }
    found = []
    for d in decisions:
        review = reviews.get(d["finding"])
        found.append(
            DossierCase(
                dossier_id=d["dossier"],
                dossier_code=d["dossier.code"],
                finding_id=d["finding"],
                flags=tuple(f for f in d["flags"].split(";") if f),
                taken_up_on=_local(d["decided_at"]),
                state=ReviewState(review["state"]) if review else ReviewState.RECORDED,
                outcome=review["outcome"] if review else None,
            )
        )
    return tuple(found)


async def official_record(official_id: int, start: date, end: date) -> OfficialRecord:
    """What the review established about ``official_id`` from ``start`` to ``end``
    (local days, both included); ``date.min`` / ``date.max`` leave an end open."""
    return OfficialRecord(
        official_id=official_id,
        start=start,
        end=end,
        confirmed=await _confirmed(official_id, start, end),
        dossier_cases=await _dossier_cases(official_id, start, end),
        follow_ups=await _follow_ups(official_id, start, end),
    )


async def confirmed_findings(official_id: int) -> tuple[ConfirmedFinding, ...]:
    """Every confirmed finding of the official, oldest observation first: the record
    over an open period, without the parts escalation does not count."""
    return await _confirmed(official_id, date.min, date.max)
