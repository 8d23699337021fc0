"""When a finding's matter is closed, for the retention of the files that document it
(Luật 91/2025/QH15: kept no longer than the purpose needs). A finding is closed once
its review is: ``closed`` (on ``closed_at``) or ``dismissed`` (on ``decided_at``);
recorded, notified, awaiting or under explanation, confirmed or with a follow-up
decided, it is open, and so is a finding without a review. Discipline cases and
appeals are the discipline domain's to answer (``discipline.api.case_holds``)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from congvu.inspect.inspections.tables import Evidence, FindingEvidence
from congvu.inspect.review.tables import (
    ExplanationEvidence,
    FindingReview,
    ReviewState,
)


async def finding_closings(finding_ids: Iterable[int]) -> dict[int, datetime | None]:
    """Each finding's closing moment, None while it is open."""
    ids = sorted(set(finding_ids))
    closings: dict[int, datetime | None] = dict.fromkeys(ids)
    if not ids:
        return closings
    for r in await FindingReview.select(
        FindingReview.finding,
        FindingReview.state,
        FindingReview.closed_at,
        FindingReview.decided_at,
    ).where(FindingReview.finding.is_in(ids)):
        if r["state"] == ReviewState.CLOSED:
            closings[r["finding"]] = r["closed_at"] or r["decided_at"]
        elif r["state"] == ReviewState.DISMISSED:
            closings[r["finding"]] = r["decided_at"]
    return closings


async def photo_subjects() -> dict[int, set[int]]:
    """The findings each kept photo documents (evidence id → finding ids): as the
    finding's own photo, as an attachment of its giải trình, or as the proof that
    closed its follow-up. A photo absent from the answer documents no finding."""
    subjects: dict[int, set[int]] = {}
    for r in await FindingEvidence.select(FindingEvidence.evidence, FindingEvidence.finding).where(
        FindingEvidence.evidence._.purged_at.is_null()
    ):
        subjects.setdefault(r["evidence"], set()).add(r["finding"])
    for r in await ExplanationEvidence.select(
        ExplanationEvidence.evidence,
        ExplanationEvidence.explanation._.review._.finding.as_alias("finding"),
    ).where(ExplanationEvidence.evidence._.purged_at.is_null()):
        subjects.setdefault(r["evidence"], set()).add(r["finding"])
    for r in await FindingReview.select(
        FindingReview.verified_by_evidence, FindingReview.finding
    ).where(
        FindingReview.verified_by_evidence.is_not_null(),
        FindingReview.verified_by_evidence._.purged_at.is_null(),
    ):
        subjects.setdefault(r["verified_by_evidence"], set()).add(r["finding"])
    return subjects


async def purged_photos(hashes: Iterable[str]) -> dict[str, datetime]:
    """When each of these photos' files was purged (the ones that were)."""
    wanted = sorted(set(hashes))
    if not wanted:
        return {}
    rows = await Evidence.select(Evidence.sha256, Evidence.purged_at).where(
        Evidence.sha256.is_in(wanted), Evidence.purged_at.is_not_null()
    )
    return {r["sha256"]: r["purged_at"] for r in rows}
