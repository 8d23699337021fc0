"""Đọc phát hiện: the queue's finding items, a finding's page, the subject's own
findings, a finding's history and its photos. Every read is audited on the finding
(a list once, naming all it shows).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from congvu.inspect.actor import Actor
from congvu.inspect.audit import api as audit
from congvu.inspect.audit.tables import AuditEvent
from congvu.inspect.capture import api as capture
from congvu.inspect.db import atomic
from congvu.inspect.errors import NotFound
from congvu.inspect.inspections.tables import Finding, FindingEvidence, FindingVersion
from congvu.inspect.organisation.tables import User
from congvu.inspect.review.services.access import (
    FINDING_COLUMNS,
    FindingRef,
    Person,
    duty_conflict,
    finding_ref,
    own_official,
    readable,
)
from congvu.inspect.review.services.items import ItemKind, audit_listing
from congvu.inspect.review.services.labels import STATE_LABELS, history_label, violation_name
from congvu.inspect.review.services.lifecycle import EXPLANATION_WINDOW, Action, allowed_actions
from congvu.inspect.review.services.record import severity_of
from congvu.inspect.review.services.retention import purged_photos
from congvu.inspect.review.services.suggestions import (
    Suggestion,
    prior_violations,
    suggestion_for,
)
from congvu.inspect.review.services.transitions import Command, transition
from congvu.inspect.review.tables import (
    Explanation,
    ExplanationEvidence,
    FindingReview,
    ReviewState,
)
from congvu.rules.escalation import ConfirmedViolation

S = ReviewState


def severity(ref: FindingRef) -> str:
    return severity_of(ref.violation_code, ref.observed_on)


def violation_label(ref: FindingRef) -> str:
    return violation_name(ref.violation_code, ref.observed_on)


@dataclass(frozen=True)
class ExplanationView:
    text: str
    submitted_at: datetime
    submitted_by: str | None
    attachments: list[str]


@dataclass(frozen=True)
class HistoryEntry:
    occurred_at: datetime
    actor: str | None
    role: str | None
    action: str
    before: Any
    after: Any
    reason: str | None
    # What people read: the action's label and the actor's display name, not the audit
    # trail's internal action name and username.
    label: str = ""
    actor_name: str | None = None


@dataclass
class FindingItem:
    """One item of a queue or a page. ``kind`` lets the other item kind (a flagged
    dossier, ``dossier_items.DossierItem``) share the queue and its ordering."""

    kind: ItemKind
    id: int
    state: ReviewState
    state_label: str
    deadline: date | None
    official_name: str | None
    unit_name: str
    violation_code: str
    violation_label: str
    severity: str
    facts: str
    observed_at: datetime
    rule_explanation: str
    legal_basis: str
    rule: str
    # The pack version the verdict used, printed beside the legal text it cites.
    rule_version: str
    photos: list[str]
    explanations: list[ExplanationView]
    prior: list[ConfirmedViolation]
    suggestion: Suggestion | None
    decision_reason: str | None
    outcome: str | None
    follow_up: str | None
    follow_up_reason: str | None
    waived_reason: str | None
    explanation_due: date | None
    review_due: date | None
    conflict: str | None
    about_me: bool
    actions: list[Action] = field(default_factory=list)
    history: list[HistoryEntry] = field(default_factory=list)
    # A late-dossier case: the dossier it was taken up from.
    dossier_id: int | None = None
    dossier_code: str | None = None
    # Photos whose file was deleted past its retention period, with when (the page says
    # so instead of showing a broken image).
    purged_photos: dict[str, datetime] = field(default_factory=dict)


def _deadline(ref: FindingRef) -> date | None:
    if ref.review is None:
        return None
    if ref.state in EXPLANATION_WINDOW:
        return ref.review["explanation_due"]
    return ref.review["review_due"]


async def explanations(ref: FindingRef) -> list[ExplanationView]:
    """The finding's explanations (giải trình), oldest first, with their attachments."""
    if ref.review is None:
        return []
    rows = (
        await Explanation.select(
            Explanation.id,
            Explanation.text,
            Explanation.submitted_at,
            Explanation.submitted_by.display_name,
        )
        .where(Explanation.review == ref.review["id"])
        .order_by(Explanation.id)
    )
    views = []
    for r in rows:
        files = await ExplanationEvidence.select(ExplanationEvidence.evidence.sha256).where(
            ExplanationEvidence.explanation == r["id"]
        )
        views.append(
            ExplanationView(
                text=r["text"],
                submitted_at=r["submitted_at"],
                submitted_by=r["submitted_by.display_name"],
                attachments=[f["evidence.sha256"] for f in files],
            )
        )
    return views


async def _photos(finding_id: int) -> list[str]:
    rows = await FindingEvidence.select(FindingEvidence.evidence.sha256).where(
        FindingEvidence.finding == finding_id
    )
    return [r["evidence.sha256"] for r in rows]


@dataclass(frozen=True)
class FindingParts:
    """What a finding's item shows beyond its row: read one finding at a time by
    ``_item``, or for a whole page at once by ``queue_batch``."""

    photos: list[str]
    explanations: list[ExplanationView]
    prior: list[ConfirmedViolation]
    suggestion: Suggestion | None
    purged_photos: dict[str, datetime] = field(default_factory=dict)


def finding_item(
    actor: Actor, me: Person | None, ref: FindingRef, parts: FindingParts
) -> FindingItem:
    """The item of a finding, from its row, its review and its parts."""
    review = ref.review or {}
    conflict = duty_conflict(actor, me, ref)
    return FindingItem(
        kind=ItemKind.FINDING,
        id=ref.id,
        state=ref.state,
        state_label=STATE_LABELS[ref.state],
        deadline=_deadline(ref),
        official_name=ref.official_name,
        unit_name=ref.unit_name,
        violation_code=ref.violation_code,
        violation_label=violation_label(ref),
        severity=severity(ref),
        facts=ref.facts,
        observed_at=ref.observed_at,
        rule_explanation=ref.explanation_vi,
        legal_basis=ref.legal_basis,
        rule=f"{ref.rule_id} {ref.rule_version}",
        rule_version=ref.rule_version,
        photos=parts.photos,
        explanations=parts.explanations,
        prior=parts.prior,
        suggestion=parts.suggestion if ref.state is not S.CLOSED else None,
        decision_reason=review.get("decision_reason"),
        outcome=review.get("outcome"),
        follow_up=review.get("follow_up"),
        follow_up_reason=review.get("follow_up_reason"),
        waived_reason=review.get("waived_reason"),
        explanation_due=review.get("explanation_due"),
        review_due=review.get("review_due"),
        conflict=conflict,
        about_me=ref.about(actor),
        actions=allowed_actions(ref.state),
        dossier_id=ref.dossier_id,
        dossier_code=ref.dossier_code,
        purged_photos=parts.purged_photos,
    )


async def _item(actor: Actor, me: Person | None, ref: FindingRef) -> FindingItem:
    photos = await _photos(ref.id)
    shown = await explanations(ref)
    parts = FindingParts(
        photos=photos,
        explanations=shown,
        purged_photos=await purged_photos([*photos, *(a for e in shown for a in e.attachments)]),
        prior=await prior_violations(ref),
        suggestion=await suggestion_for(ref) if ref.state is not S.CLOSED else None,
    )
    return finding_item(actor, me, ref, parts)


async def _reviews_of(rows: list[dict[str, Any]]) -> dict[int, dict[str, Any]]:
    if not rows:
        return {}
    found = await FindingReview.select().where(
        FindingReview.finding.is_in([row["id"] for row in rows])
    )
    return {r["finding"]: r for r in found}


async def finding_detail(
    actor: Actor, finding_id: int, *, now: datetime | None = None
) -> FindingItem:
    """A finding with its history; the read is audited. The subject opening a notified
    finding acknowledges it (their explanation window is already counting)."""
    ref = await readable(actor, finding_id)
    async with atomic():
        await audit.record("finding_viewed", "finding", ref.id, actor=actor)
    if ref.about(actor) and ref.state is S.NOTIFIED:
        await transition(actor, finding_id, Command(action="acknowledge"), now=now)
        ref = await readable(actor, finding_id)
    item = await _item(actor, await own_official(actor), ref)
    item.history = await history(actor, finding_id, audited=False)
    return item


async def mine(actor: Actor) -> list[FindingItem]:
    """Phát hiện về tôi: findings about the actor's own official record, once notified."""
    if actor.official_id is None:
        return []
    rows = (
        await Finding.select(*FINDING_COLUMNS)
        .where(
            Finding.official == actor.official_id,
            Finding.version_state == FindingVersion.CURRENT,
        )
        .order_by(Finding.observed_at, ascending=False)
    )
    reviews = await _reviews_of(rows)
    items = []
    for row in rows:
        if row["id"] in reviews:
            items.append(await _item(actor, None, finding_ref(row, reviews[row["id"]])))
    await audit_listing(actor, "mine", items)
    return items


async def history(actor: Actor, finding_id: int, *, audited: bool = True) -> list[HistoryEntry]:
    """Lịch sử: the finding's AuditEvents, oldest first."""
    if audited:
        ref = await readable(actor, finding_id)
        async with atomic():
            await audit.record("finding_history_viewed", "finding", ref.id, actor=actor)
    rows = (
        await AuditEvent.select(
            AuditEvent.occurred_at,
            AuditEvent.actor_username,
            AuditEvent.actor_role,
            AuditEvent.action,
            AuditEvent.before,
            AuditEvent.after,
            AuditEvent.reason,
        )
        .where(AuditEvent.object_type == "finding", AuditEvent.object_id == str(finding_id))
        .order_by(AuditEvent.id)
        .output(load_json=True)
    )
    usernames = sorted({r["actor_username"] for r in rows if r["actor_username"]})
    names = {
        u["username"]: u["display_name"]
        for u in await User.select(User.username, User.display_name).where(
            User.username.is_in(usernames or [""])
        )
    }
    return [
        HistoryEntry(
            occurred_at=r["occurred_at"],
            actor=r["actor_username"],
            role=r["actor_role"],
            action=r["action"],
            before=r["before"],
            after=r["after"],
            reason=r["reason"],
            label=history_label(r["action"]),
            actor_name=names.get(r["actor_username"])
            or ("Hệ thống" if r["actor_username"] else None),
        )
        for r in rows
    ]


async def photo(actor: Actor, finding_id: int, sha256: str) -> tuple[Path, str]:
    """A photo of the finding, of its explanations or of the verification that closed its
    corrective action, through the finding's access rules; every view is audited."""
    ref = await readable(actor, finding_id)
    sha256 = sha256.lower()
    attached = (
        sha256 in await _photos(ref.id)
        or any(sha256 in e.attachments for e in await explanations(ref))
        or await FindingReview.exists().where(
            FindingReview.finding == ref.id,
            FindingReview.verified_by_evidence._.sha256 == sha256,
        )
    )
    if not attached:
        raise NotFound("Không tìm thấy ảnh chứng cứ.", field="sha256")
    async with atomic():
        await audit.record(
            "finding_photo_viewed", "finding", ref.id, actor=actor, after={"sha256": sha256}
        )
    return await capture.evidence_file(sha256)
