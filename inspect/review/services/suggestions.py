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
        return Suggestion(
            follow_up=FIX_DEADLINE,
            label=FOLLOW_UP_LABELS[FIX_DEADLINE],
            head_action=None,
            explanation_vi="Vi phạm của đơn vị: yêu cầu thủ trưởng khắc phục ngay; chỉ kết "
            "thúc khi một cuộc kiểm tra sau hoặc ảnh do kiểm tra viên khác xác minh cho "
            "thấy đã khắc phục.",
            rule="",
        )
    facts = await escalation_facts(ref.official_id, ref.unit_path, ref.id)
    return suggestion_from(facts, ref.violation_code, ref.observed_on)
