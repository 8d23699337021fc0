"""Khóa phiên họp Hội đồng: locking freezes a version — members, attendance, quorum, the
counts and results with their reasons and adjustments, and the settings in force (the
pack's or the what-if chosen) — with a SHA-256 of them, so a later change of a rating never
changes it. Reopening needs a written reason and the next lock writes the next version; the
earlier versions stay readable. Both steps are audited."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from congvu.inspect import clock, db
from congvu.inspect.actor import Actor
from congvu.inspect.audit import api as audit
from congvu.inspect.emulation.services.access import require_council_secretary
from congvu.inspect.emulation.services.council import member_roles
from congvu.inspect.emulation.services.council_view import live_facts, session_row
from congvu.inspect.emulation.tables import CouncilSession, CouncilSessionVersion, SessionState
from congvu.inspect.errors import Conflict, Invalid


def facts_hash(facts: dict[str, Any]) -> str:
    text = json.dumps(facts, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


async def lock_session(actor: Actor, session_id: int) -> str:
    """Returns the data hash of the version written."""
    session = await session_row(session_id)
    require_council_secretary(actor, str(session["agency.path"]), await member_roles(session_id))
    if session["state"] == SessionState.LOCKED.value:
        raise Conflict("Phiên họp đã khóa.", field="session")
    facts = await live_facts(session)
    if not facts["quorum"]["met"]:
        raise Conflict(
            "Chưa đủ điều kiện họp: không khóa được phiên họp. "
            + facts["quorum"]["explanation_vi"],
            field="quorum",
        )
    digest = facts_hash(facts)
    version = int(session["version"])
    async with db.atomic():
        await CouncilSessionVersion(
            key=f"{session_id}:{version}",
            session=session_id,
            version=version,
            locked_by=actor.id or None,
            locked_at=clock.now(),
            facts=json.dumps(facts, ensure_ascii=False),
            data_hash=digest,
        ).save()
        await CouncilSession.update({CouncilSession.state: SessionState.LOCKED.value}).where(
            CouncilSession.id == session_id
        )
        await audit.record(
            "council.lock",
            "council_session",
            session_id,
            actor=actor,
            after={"version": version, "data_hash": digest, "settings": facts["settings"]},
        )
    return digest


async def reopen_session(actor: Actor, session_id: int, reason: str | None) -> None:
    session = await session_row(session_id)
    require_council_secretary(actor, str(session["agency.path"]), await member_roles(session_id))
    why = (reason or "").strip()
    if not why:
        raise Invalid("Mở lại phiên họp đã khóa phải ghi rõ lý do.", field="reason")
    if session["state"] != SessionState.LOCKED.value:
        raise Conflict("Phiên họp chưa khóa.", field="session")
    version = int(session["version"])
    async with db.atomic():
        await CouncilSessionVersion.update(
            {
                CouncilSessionVersion.reopened_by: actor.id or None,
                CouncilSessionVersion.reopened_at: clock.now(),
                CouncilSessionVersion.reopen_reason: why,
            }
        ).where(CouncilSessionVersion.key == f"{session_id}:{version}")
        await CouncilSession.update(
            {
                CouncilSession.state: SessionState.PREPARED.value,
                CouncilSession.version: version + 1,
            }
        ).where(CouncilSession.id == session_id)
        await audit.record(
            "council.reopen",
            "council_session",
            session_id,
            actor=actor,
            before={"version": version},
            after={"version": version + 1},
            reason=why,
        )
