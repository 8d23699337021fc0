"""Đề xuất biện pháp: what the escalation rules suggest once a finding is confirmed, from
the official's confirmed history (tái phạm, read from their record), their unit's, and
the days the unit's head was asked for a review.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from congvu.inspect import clock
from congvu.inspect.review.services.access import FindingRef
from congvu.inspect.review.services.labels import FIX_DEADLINE, FOLLOW_UP_LABELS
from congvu.inspect.review.services.record import confirmed_findings
from congvu.inspect.review.tables import FindingReview
from congvu.rules.conduct import UnknownViolation
from congvu.rules.escalation import ConfirmedViolation, FollowUp, suggest_follow_up
from congvu.rules.packs import PackNotFound


@dataclass(frozen=True)
class Suggestion:
    follow_up: str
    label: str
    head_action: str | None
    explanation_vi: str
    rule: str


async def confirmed_history(official_id: int, exclude: int = 0) -> list[ConfirmedViolation]:
    """An official's confirmed violations (tái phạm history), oldest first, whatever their
    origin (inspection or late dossier); ``exclude`` is the finding being judged."""
    return [
        ConfirmedViolation(f.violation_code, f.observed_on)
        for f in await confirmed_findings(official_id)
        if f.finding_id != exclude
    ]


async def prior_violations(ref: FindingRef) -> list[ConfirmedViolation]:
    """The person's confirmed violations (tái phạm history), oldest first."""
    if ref.official_id is None:
        return []
    return await confirmed_history(ref.official_id, ref.id)


@dataclass(frozen=True)
class EscalationFacts:
    """What the escalation rules count for one official in one unit: their confirmed
    violations, the unit's, and the days its head was asked for a review."""

    history: list[ConfirmedViolation]
    unit_history: list[ConfirmedViolation]
    head_reviews: list[date]


async def escalation_facts(official_id: int, unit_path: str, exclude: int = 0) -> EscalationFacts:
    """Every confirmed finding, whatever its origin; ``exclude`` is the one being judged."""
    zone = clock.zone()
    in_unit = FindingReview.finding._.unit._.path.like(f"{unit_path}%")
    unit_rows = await FindingReview.select(
        FindingReview.finding.violation_code, FindingReview.finding.observed_at
    ).where(FindingReview.outcome == "confirmed", in_unit, FindingReview.finding != exclude)
    head_rows = await FindingReview.select(FindingReview.follow_up_at).where(
        in_unit, FindingReview.follow_up == FollowUp.REQUEST_HEAD_REVIEW.value
    )
    return EscalationFacts(
        history=await confirmed_history(official_id, exclude),
        unit_history=[
            ConfirmedViolation(
                r["finding.violation_code"], r["finding.observed_at"].astimezone(zone).date()
            )
            for r in unit_rows
        ],
        head_reviews=[
            r["follow_up_at"].astimezone(zone).date() for r in head_rows if r["follow_up_at"]
        ],
    )


def suggestion_from(facts: EscalationFacts, code: str, on: date) -> Suggestion | None:
    """The escalation rules' follow-up for a confirmed violation ``code`` on ``on``."""
    try:
        verdict = suggest_follow_up(
            ConfirmedViolation(code, on),
            facts.history,
            unit_history=facts.unit_history,
            head_reviews=facts.head_reviews,
        )
    except (UnknownViolation, PackNotFound):
        return None
    follow_up = verdict.follow_up.value
    return Suggestion(
        follow_up=follow_up,
        label=FOLLOW_UP_LABELS[follow_up],
        head_action=verdict.head_action.value if verdict.head_action else None,
        explanation_vi=verdict.explanation_vi,
        rule=f"{verdict.rule.id} {verdict.rule.version}",
    )


async def suggestion_for(ref: FindingRef) -> Suggestion | None:
    """The escalation rules' follow-up, with their explanation; None when the rules have
    nothing to say (a code outside the conduct catalogue)."""
    if ref.official_id is None:
        return unit_suggestion()
    facts = await escalation_facts(ref.official_id, ref.unit_path, ref.id)
    return suggestion_from(facts, ref.violation_code, ref.observed_on)


@dataclass(frozen=True)
class ScopeFacts:
    """The escalation facts of many officials of one scope, read at once (a page of the
    queue): each official's confirmed findings, the scope's confirmed findings by unit and
    the days each unit's head was asked for a review."""

    by_official: dict[int, list[tuple[int, ConfirmedViolation]]]  # (finding id, violation)
    by_unit: dict[str, list[tuple[int, ConfirmedViolation]]]  # unit path → (finding id, …)
    head_reviews: dict[str, list[date]]  # unit path → days

    def facts(self, official_id: int, unit_path: str, exclude: int = 0) -> EscalationFacts:
        """What ``escalation_facts`` reads for one official in one unit's subtree."""
        return EscalationFacts(
            history=[v for f, v in self.by_official.get(official_id, []) if f != exclude],
            unit_history=[
                v
                for path, found in self.by_unit.items()
                if path.startswith(unit_path)
                for f, v in found
                if f != exclude
            ],
            head_reviews=[
                day
                for path, days in self.head_reviews.items()
                if path.startswith(unit_path)
                for day in days
            ],
        )


async def scope_facts(scope_path: str, official_ids: set[int]) -> ScopeFacts:
    """The escalation facts of ``official_ids`` and of every unit under ``scope_path``,
    in three queries whatever their number."""
    zone = clock.zone()
    by_official: dict[int, list[tuple[int, ConfirmedViolation]]] = {}
    if official_ids:
        rows = (
            await FindingReview.select(
                FindingReview.finding,
                FindingReview.finding.official,
                FindingReview.finding.violation_code,
                FindingReview.finding.observed_at,
            )
            .where(
                FindingReview.outcome == "confirmed",
                FindingReview.finding._.official.is_in(sorted(official_ids)),
            )
            .order_by(FindingReview.finding)
        )
        for r in rows:
            day = r["finding.observed_at"].astimezone(zone).date()
            by_official.setdefault(r["finding.official"], []).append(
                (r["finding"], ConfirmedViolation(r["finding.violation_code"], day))
            )
        for found in by_official.values():
            found.sort(key=lambda pair: pair[1].on)  # oldest first, as confirmed_history
    in_scope = FindingReview.finding._.unit._.path.like(f"{scope_path}%")
    by_unit: dict[str, list[tuple[int, ConfirmedViolation]]] = {}
    for r in await FindingReview.select(
        FindingReview.finding,
        FindingReview.finding._.unit._.path,
        FindingReview.finding.violation_code,
        FindingReview.finding.observed_at,
    ).where(FindingReview.outcome == "confirmed", in_scope):
        day = r["finding.observed_at"].astimezone(zone).date()
        by_unit.setdefault(r["finding.unit.path"], []).append(
            (r["finding"], ConfirmedViolation(r["finding.violation_code"], day))
        )
    head_reviews: dict[str, list[date]] = {}
    for r in await FindingReview.select(
        FindingReview.finding._.unit._.path, FindingReview.follow_up_at
    ).where(in_scope, FindingReview.follow_up == FollowUp.REQUEST_HEAD_REVIEW.value):
        if r["follow_up_at"]:
            head_reviews.setdefault(r["finding.unit.path"], []).append(
                r["follow_up_at"].astimezone(zone).date()
            )
    return ScopeFacts(by_official, by_unit, head_reviews)


def unit_suggestion() -> Suggestion:
    """A unit finding's follow-up: there is no official to follow up with."""
    return Suggestion(
        follow_up=FIX_DEADLINE,
        label=FOLLOW_UP_LABELS[FIX_DEADLINE],
        head_action=None,
        explanation_vi="Vi phạm của đơn vị: yêu cầu thủ trưởng khắc phục ngay; chỉ kết "
        "thúc khi một cuộc kiểm tra sau hoặc ảnh do kiểm tra viên khác xác minh cho "
        "thấy đã khắc phục.",
        rule="",
    )
