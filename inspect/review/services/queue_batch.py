"""The facts of one page of the head's queue, read for the whole page at once: the
findings' rows, reviews, photos and explanations (giải trình), the flagged dossiers' rows
and earlier decisions, and the escalation facts behind every suggestion. The number of
queries does not grow with the page (tests/review/test_queue_page.py counts them).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from congvu.inspect.actor import Actor
from congvu.inspect.dossiers.tables import Dossier
from congvu.inspect.inspections.tables import Finding, FindingEvidence
from congvu.inspect.review.services.access import FINDING_COLUMNS, Person, finding_ref
from congvu.inspect.review.services.dossier_items import (
    DOSSIER_COLUMNS,
    DossierItem,
    decisions_by_dossier,
    dossier_item_from,
    dossier_row,
)
from congvu.inspect.review.services.items import ItemKind
from congvu.inspect.review.services.queue_index import Entry
from congvu.inspect.review.services.reads import (
    ExplanationView,
    FindingItem,
    FindingParts,
    finding_item,
)
from congvu.inspect.review.services.retention import purged_photos
from congvu.inspect.review.services.suggestions import (
    ScopeFacts,
    Suggestion,
    scope_facts,
    suggestion_from,
    unit_suggestion,
)
from congvu.inspect.review.tables import (
    DossierDecision,
    Explanation,
    ExplanationEvidence,
    FindingReview,
    ReviewState,
)


async def queue_items(
    actor: Actor, me: Person | None, page: Sequence[Entry], today: date
) -> list[FindingItem | DossierItem]:
    """The items of ``page``, in its order."""
    finding_ids = [e.id for e in page if e.kind == ItemKind.FINDING]
    dossier_ids = [e.id for e in page if e.kind == ItemKind.DOSSIER]
    officials = {e.official_id for e in page if e.official_id is not None}
    facts = await scope_facts(actor.scope_path, officials) if page else None
    built: dict[tuple[ItemKind, int], FindingItem | DossierItem] = {}
    if finding_ids and facts is not None:
        for item in await _findings(actor, me, finding_ids, facts):
            built[(ItemKind.FINDING, item.id)] = item
    if dossier_ids and facts is not None:
        deadlines = {e.id: e.deadline for e in page if e.kind == ItemKind.DOSSIER}
        for dossier in await _dossiers(actor, me, dossier_ids, facts, today):
            # The index's deadline, stored (``deadlines``): the page shows what it sorted by.
            if dossier.deadline is not None:
                dossier.deadline = deadlines[dossier.id]
            built[(ItemKind.DOSSIER, dossier.id)] = dossier
    return [built[(e.kind, e.id)] for e in page if (e.kind, e.id) in built]


async def _findings(
    actor: Actor, me: Person | None, ids: list[int], facts: ScopeFacts
) -> list[FindingItem]:
    rows = await Finding.select(*FINDING_COLUMNS).where(Finding.id.is_in(ids))
    reviews = {
        r["finding"]: r
        for r in await FindingReview.select().where(FindingReview.finding.is_in(ids))
    }
    photos: dict[int, list[str]] = {}
    for p in await FindingEvidence.select(
        FindingEvidence.finding, FindingEvidence.evidence.sha256
    ).where(FindingEvidence.finding.is_in(ids)):
        photos.setdefault(p["finding"], []).append(p["evidence.sha256"])
    explained = await _explanations([r["id"] for r in reviews.values()])
    purged = await purged_photos(
        [
            *(sha for shas in photos.values() for sha in shas),
            *(a for views in explained.values() for e in views for a in e.attachments),
        ]
    )
    items = []
    for row in rows:
        review = reviews.get(row["id"])
        ref = finding_ref(row, review)
        suggestion: Suggestion | None = None
        if ref.official_id is None:
            suggestion = unit_suggestion()
            prior = []
        else:
            person = facts.facts(ref.official_id, ref.unit_path, ref.id)
            suggestion = suggestion_from(person, ref.violation_code, ref.observed_on)
            prior = person.history
        parts = FindingParts(
            photos=photos.get(ref.id, []),
            explanations=explained.get(review["id"], []) if review else [],
            prior=prior,
            suggestion=suggestion if ref.state is not ReviewState.CLOSED else None,
            purged_photos=purged,
        )
        items.append(finding_item(actor, me, ref, parts))
    return items


async def _explanations(review_ids: list[int]) -> dict[int, list[ExplanationView]]:
    """The explanations of these reviews, oldest first, with their attachments."""
    if not review_ids:
        return {}
    rows = (
        await Explanation.select(
            Explanation.id,
            Explanation.review,
            Explanation.text,
            Explanation.submitted_at,
            Explanation.submitted_by.display_name,
        )
        .where(Explanation.review.is_in(review_ids))
        .order_by(Explanation.id)
    )
    files: dict[int, list[str]] = {}
    if rows:
        for f in await ExplanationEvidence.select(
            ExplanationEvidence.explanation, ExplanationEvidence.evidence.sha256
        ).where(ExplanationEvidence.explanation.is_in([r["id"] for r in rows])):
            files.setdefault(f["explanation"], []).append(f["evidence.sha256"])
    views: dict[int, list[ExplanationView]] = {}
    for r in rows:
        views.setdefault(r["review"], []).append(
            ExplanationView(
                text=r["text"],
                submitted_at=r["submitted_at"],
                submitted_by=r["submitted_by.display_name"],
                attachments=files.get(r["id"], []),
            )
        )
    return views


async def _dossiers(
    actor: Actor, me: Person | None, ids: list[int], facts: ScopeFacts, today: date
) -> list[DossierItem]:
    rows = [
        dossier_row(r) for r in await Dossier.select(*DOSSIER_COLUMNS).where(Dossier.id.is_in(ids))
    ]
    decided: dict[int, list[dict[str, Any]]] = await decisions_by_dossier(
        DossierDecision.dossier.is_in(ids)
    )
    return [
        dossier_item_from(
            actor,
            me,
            row,
            decided.get(row.id, []),
            today,
            None if row.official_id is None else facts.facts(row.official_id, row.unit_path),
        )
        for row in rows
    ]
