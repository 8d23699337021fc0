"""Xem ảnh chứng cứ by its hash: through a finding the photo documents, or whose
explanation or closing proof it is, that the actor may read; otherwise only by its
uploader. Anyone else gets 404, as if it did not exist.
"""

from __future__ import annotations

from pathlib import Path

from congvu.inspect.actor import Actor
from congvu.inspect.audit import api as audit
from congvu.inspect.capture import api as capture
from congvu.inspect.db import atomic
from congvu.inspect.errors import NotFound
from congvu.inspect.inspections.tables import Evidence, FindingEvidence
from congvu.inspect.review.services.reads import photo
from congvu.inspect.review.tables import ExplanationEvidence, FindingReview


async def read_evidence(
    actor: Actor, sha256: str, *, request_id: str | None = None
) -> tuple[Path, str]:
    """Xem ảnh chứng cứ: through a finding the photo documents (or whose giải trình it is
    attached to) that the actor may read, audited on that finding exactly as the review
    page's photo route does; otherwise only its uploader, audited on the photo. Anyone
    else gets 404, as if it did not exist."""
    sha256 = sha256.lower()
    row = (
        await Evidence.select(Evidence.id, Evidence.uploaded_by)
        .where(Evidence.sha256 == sha256)
        .first()
    )
    if row is None:
        raise NotFound("Không tìm thấy ảnh chứng cứ.", field="sha256")
    for finding_id in await _findings_citing(row["id"]):
        try:
            return await photo(actor, finding_id, sha256)
        except NotFound:
            continue
    if not actor.id or row["uploaded_by"] != actor.id:
        raise NotFound("Không tìm thấy ảnh chứng cứ.", field="sha256")
    async with atomic():
        await audit.record(
            "evidence_viewed", "evidence", sha256, actor=actor, request_id=request_id
        )
    return await capture.evidence_file(sha256)


async def _findings_citing(evidence_id: int) -> list[int]:
    """Findings with the photo as evidence, as an attachment of their explanations, or as
    the proof that closed their corrective action."""
    direct = await FindingEvidence.select(FindingEvidence.finding).where(
        FindingEvidence.evidence == evidence_id
    )
    explained = await ExplanationEvidence.select(
        ExplanationEvidence.explanation._.review._.finding
    ).where(ExplanationEvidence.evidence == evidence_id)
    # A photo verifying a corrective action (the review's closing proof).
    verified = await FindingReview.select(FindingReview.finding).where(
        FindingReview.verified_by_evidence == evidence_id
    )
    found = [r["finding"] for r in direct]
    found += [r["explanation.review.finding"] for r in explained]
    found += [r["finding"] for r in verified]
    return sorted(set(found))
