"""What the review holds about one official, for the personal-data export (Luật
91/2025/QH15): every finding about them (every version: a superseded one is still
held), its review and decisions, their giải trình, and the photos that document them.
A constant number of queries, never one per finding."""

from __future__ import annotations

from typing import Any

from congvu.inspect.inspections.tables import Evidence, Finding, FindingEvidence
from congvu.inspect.review.services.labels import STATE_LABELS
from congvu.inspect.review.tables import Explanation, ExplanationEvidence, FindingReview


async def findings_about(official_id: int) -> list[dict[str, Any]]:
    """The findings about the official with their facts, rule, legal basis, review state
    and decisions, oldest observation first."""
    rows = (
        await Finding.select(
            Finding.id,
            Finding.inspection,
            Finding.dossier,
            Finding.unit.code,
            Finding.violation_code,
            Finding.rule_id,
            Finding.rule_version,
            Finding.legal_basis,
            Finding.explanation_vi,
            Finding.facts,
            Finding.observed_at,
            Finding.version,
            Finding.version_state,
            Finding.created_at,
        )
        .where(Finding.official == official_id)
        .order_by(Finding.observed_at)
        .order_by(Finding.id)
    )
    ids = [r["id"] for r in rows]
    reviews = {
        r["finding"]: r
        for r in (
            await FindingReview.select(
                FindingReview.id,
                FindingReview.finding,
                FindingReview.state,
                FindingReview.notified_at,
                FindingReview.explanation_due,
                FindingReview.acknowledged_at,
                FindingReview.waived_reason,
                FindingReview.outcome,
                FindingReview.decided_at,
                FindingReview.decision_reason,
                FindingReview.follow_up,
                FindingReview.follow_up_reason,
                FindingReview.follow_up_at,
                FindingReview.closed_at,
            ).where(FindingReview.finding.is_in(ids))
            if ids
            else []
        )
    }
    out = []
    for row in rows:
        review = reviews.get(row["id"], {})
        state = review.get("state")
        out.append(
            {
                **row,
                "review_state": state,
                "review_state_label": STATE_LABELS.get(state, "") if state else "",
                "notified_at": review.get("notified_at"),
                "explanation_due": review.get("explanation_due"),
                "acknowledged_at": review.get("acknowledged_at"),
                "waived_reason": review.get("waived_reason"),
                "outcome": review.get("outcome"),
                "decided_at": review.get("decided_at"),
                "decision_reason": review.get("decision_reason"),
                "follow_up": review.get("follow_up"),
                "follow_up_reason": review.get("follow_up_reason"),
                "follow_up_at": review.get("follow_up_at"),
                "closed_at": review.get("closed_at"),
            }
        )
    return out


async def explanations_about(official_id: int) -> list[dict[str, Any]]:
    """Bản giải trình on the findings about the official, whoever submitted them."""
    return list(
        await Explanation.select(
            Explanation.id,
            Explanation.review.finding.as_alias("finding"),
            Explanation.text,
            Explanation.submitted_by.username.as_alias("submitted_by"),
            Explanation.submitted_at,
        )
        .where(Explanation.review._.finding._.official == official_id)
        .order_by(Explanation.id)
    )


_PHOTO = (
    Evidence.sha256,
    Evidence.media_type,
    Evidence.size_bytes,
    Evidence.received_at,
    Evidence.stored_path,
)


async def photos_about(official_id: int) -> list[dict[str, Any]]:
    """Ảnh chứng cứ that concern the official: of their findings, of their giải trình,
    and the proofs that closed a follow-up; one row per photo and what it documents."""
    of_findings = await FindingEvidence.select(
        FindingEvidence.finding.as_alias("subject_id"),
        *(getattr(FindingEvidence.evidence, c._meta.name) for c in _PHOTO),
    ).where(FindingEvidence.finding._.official == official_id)
    of_explanations = await ExplanationEvidence.select(
        ExplanationEvidence.explanation.as_alias("subject_id"),
        *(getattr(ExplanationEvidence.evidence, c._meta.name) for c in _PHOTO),
    ).where(ExplanationEvidence.explanation._.review._.finding._.official == official_id)
    proofs = await FindingReview.select(
        FindingReview.finding.as_alias("subject_id"),
        *(getattr(FindingReview.verified_by_evidence, c._meta.name) for c in _PHOTO),
    ).where(
        FindingReview.finding._.official == official_id,
        FindingReview.verified_by_evidence.is_not_null(),
    )
    out = []
    for subject, rows in (
        ("finding", of_findings),
        ("explanation", of_explanations),
        ("closing_proof", proofs),
    ):
        for row in rows:
            photo = {k.split(".", 1)[1]: v for k, v in row.items() if "." in k}
            out.append({"subject": subject, "subject_id": row["subject_id"], **photo})
    out.sort(key=lambda p: (p["subject"], p["subject_id"], p["sha256"]))
    return out
