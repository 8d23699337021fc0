"""Audit events (nhật ký): every change of an account, a finding, a decision writes one.

Hash-chaining is done by a sealer after commit (see the review issue); here we only
append, inside the caller's transaction so an event exists exactly when its change does.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from congvu.inspect.actor import Actor
from congvu.inspect.tables import AuditEvent


async def record(
    action: str,
    object_type: str,
    object_id: str | int,
    *,
    actor: Actor | None = None,
    actor_username: str | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    reason: str | None = None,
    request_id: str | None = None,
    ip: str | None = None,
) -> None:
    await AuditEvent.insert(
        AuditEvent(
            occurred_at=datetime.now(UTC),
            actor_username=actor.username if actor else actor_username,
            actor_role=actor.role if actor else None,
            action=action,
            object_type=object_type,
            object_id=str(object_id),
            before=before,
            after=after,
            reason=reason,
            request_id=request_id,
            ip=ip,
        )
    )
