"""The head's queue and bulk actions: findings and flagged dossiers side by side.

Both kinds are decided by their own module (``transitions``, ``dossier_cases``); this one
only puts them in one list and sends a bulk action to each item's own transition, so
every item keeps its own transaction and audit event."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from congvu.inspect.actor import Actor
from congvu.inspect.errors import DomainError, Forbidden, Invalid
from congvu.inspect.review.services.access import own_official, readable
from congvu.inspect.review.services.dossier_cases import bulk_one
from congvu.inspect.review.services.dossier_flags import DossierAction
from congvu.inspect.review.services.dossier_items import DossierItem, dossier_items
from congvu.inspect.review.services.items import BulkResult, audit_listing
from congvu.inspect.review.services.labels import STATE_LABELS
from congvu.inspect.review.services.lifecycle import (
    BULK_ACTIONS,
    NOTIFIER_ROLES,
    REVIEWER_ROLES,
    Action,
)
from congvu.inspect.review.services.reads import FindingItem, finding_items, severity
from congvu.inspect.review.services.transitions import Command, transition


async def queue(actor: Actor) -> list[FindingItem | DossierItem]:
    """Hàng chờ xem xét của thủ trưởng: open findings of the actor's unit subtree (from
    submitted minutes, or late-dossier cases) and the flagged dossiers not yet decided,
    nearest deadline first (findings not yet notified last)."""
    if not actor.has_role(*REVIEWER_ROLES):
        raise Forbidden("Chỉ thủ trưởng đơn vị hoặc quản trị mới có hàng chờ xem xét.")
    me = await own_official(actor)
    items: list[FindingItem | DossierItem] = [
        *await finding_items(actor, me),
        *await dossier_items(actor, me),
    ]
    items.sort(key=lambda i: (i.deadline is None, i.deadline or date.max, i.kind, i.id))
    await audit_listing(actor, "queue", items)
    return items


async def bulk(
    actor: Actor,
    finding_ids: Sequence[int],
    action: str,
    reason: str | None,
    dossier_ids: Sequence[int] = (),
) -> list[BulkResult]:
    """Thông báo / xác nhận / không xác nhận nhiều phát hiện nhẹ (minor) cùng lúc, and
    take up or dismiss many flagged dossiers: each item goes through its own transition
    (``transitions.transition``, ``dossier_cases.decide``), with its own transaction and
    audit event. An action that does not apply to an item's kind fails for that item only."""
    finding_actions = {a.value for a in BULK_ACTIONS}
    dossier_actions = {a.value for a in DossierAction}
    if action not in finding_actions | dossier_actions:
        raise Invalid("Hành động này không làm hàng loạt được.", field="action")
    if not actor.has_role(*REVIEWER_ROLES, *NOTIFIER_ROLES):
        raise Forbidden("Bạn không có quyền xử lý hàng loạt.")
    if len(finding_ids) + len(dossier_ids) > 200:
        raise Invalid("Tối đa 200 mục mỗi lần.", field="finding_ids")
    results = []
    for finding_id in dict.fromkeys(finding_ids):
        try:
            if action not in finding_actions:
                raise Invalid("Hành động này chỉ áp dụng cho hồ sơ trễ hạn.", field="action")
            if action != Action.notify:
                ref = await readable(actor, finding_id)
                if severity(ref) != "minor":
                    raise Invalid(
                        "Chỉ xử lý hàng loạt các vi phạm nhẹ; vi phạm này cần xem xét riêng.",
                        field="finding_ids",
                    )
            command = Command(action=action, reason=reason)
            state = await transition(actor, finding_id, command)
            results.append(BulkResult(finding_id, True, 200, STATE_LABELS[state]))
        except DomainError as error:
            results.append(BulkResult(finding_id, False, error.status_code, error.message))
    for dossier_id in dict.fromkeys(dossier_ids):
        results.append(await bulk_one(actor, dossier_id, action, reason))
    return results
