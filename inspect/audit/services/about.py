"""The audit events about one person's records, for the personal-data export (Luật
91/2025/QH15: the data subject may know who processed their data and when): every
event on the objects the caller names, oldest first, with the chain's hash so each
can be checked against ``congvu verify-audit``."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from congvu.inspect.audit.tables import AuditEvent

# An IN list stays well under every engine's limit on bound parameters.
_BATCH = 500


async def events_about(objects: Iterable[tuple[str, str]]) -> list[dict[str, Any]]:
    """Events whose (object_type, object_id) is one of ``objects``."""
    by_type: dict[str, list[str]] = {}
    for object_type, object_id in objects:
        by_type.setdefault(object_type, []).append(str(object_id))
    found: dict[int, dict[str, Any]] = {}
    for object_type, ids in by_type.items():
        unique = sorted(set(ids))
        for start in range(0, len(unique), _BATCH):
            rows = await AuditEvent.select(
                AuditEvent.id,
                AuditEvent.occurred_at,
                AuditEvent.actor_username,
                AuditEvent.actor_role,
                AuditEvent.action,
                AuditEvent.object_type,
                AuditEvent.object_id,
                AuditEvent.reason,
                AuditEvent.seq,
                AuditEvent.hash,
            ).where(
                AuditEvent.object_type == object_type,
                AuditEvent.object_id.is_in(unique[start : start + _BATCH]),
            )
            found.update((r["id"], r) for r in rows)
    return sorted(found.values(), key=lambda r: (r["occurred_at"], r["id"]))
