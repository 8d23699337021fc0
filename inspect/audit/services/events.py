"""Audit events (nhật ký): every change of an account, a finding, a decision writes one.

Hash-chaining is done by a sealer after commit (see the review issue); here we only
append, inside the caller's transaction so an event exists exactly when its change does.
"""

from __future__ import annotations

import contextvars
import re
import uuid
from datetime import UTC, datetime
from typing import Any

from congvu.inspect import db
from congvu.inspect.actor import Actor
from congvu.inspect.audit.tables import AuditEvent

# Raw SQL: every write of the service appends one, and as a Piccolo row object and INSERT
# it took ~3x the CPU (150 vs 55 µs; tests/bench/README.md). The sealer hashes the JSON
# columns' text as stored, whichever encoder wrote it.
_INSERT_EVENT = (
    "INSERT INTO audit_event (occurred_at, actor_username, actor_role, action, object_type,"
    " object_id, before, after, reason, request_id, ip)"
    " VALUES ({}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {})"
)


# The request being served (set for every request by the app; None in the worker and the
# CLI), so every event of one request can be found together without threading it through.
current_request_id: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "congvu_request_id", default=None
)
_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")


def request_id_from(header: str | None) -> str:
    """A proxy's X-Request-ID when it is a sane token, else a fresh one."""
    if header and _REQUEST_ID.fullmatch(header):
        return header
    return uuid.uuid4().hex


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
    """Append an event in the caller's transaction (or its ``db.one_statement``)."""
    await db.write(
        AuditEvent,
        _INSERT_EVENT,
        datetime.now(UTC),
        actor.username if actor else actor_username,
        actor.role if actor else None,
        action,
        object_type,
        str(object_id),
        None if before is None else db.json_text(before),
        None if after is None else db.json_text(after),
        reason,
        request_id or current_request_id.get(),
        ip,
    )
