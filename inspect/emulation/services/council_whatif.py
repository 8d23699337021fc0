"""Thử trước khi họp (what-if): the session's results under other thresholds — the vote
percentages, the quorum, whether written votes count — next to the results under the
settings in force, and who moves. Nothing is written; the secretary may then adopt the
configuration, which the lock freezes with the decision (audited)."""

from __future__ import annotations

import json
from typing import Any

from congvu.inspect import db
from congvu.inspect.actor import Actor
from congvu.inspect.audit import api as audit
from congvu.inspect.emulation.services.access import MANAGERS, council_seat
from congvu.inspect.emulation.services.council import (
    member_roles,
    readable_session,
    writable_session,
)
from congvu.inspect.emulation.services.council_view import live_facts, settings_of
from congvu.inspect.emulation.tables import CouncilRole, CouncilSession, SessionState
from congvu.inspect.errors import Invalid
from congvu.rules.council import CouncilSettings, council_settings
from congvu.rules.emulation import EmulationPeriod

FIELDS = (
    "council_quorum",
    "cstdcs_vote_percent",
    "higher_title_vote_percent",
    "council_written_votes_count",
)


def _settings(session: dict[str, Any], values: dict[str, str]) -> CouncilSettings:
    """The stored settings with the form's values over them; a bad value is refused."""
    current = settings_of(session).as_json()
    chosen: dict[str, Any] = {}
    for name in FIELDS:
        text = (values.get(name) or "").strip()
        if name == "council_written_votes_count":
            chosen[name] = text in ("1", "true", "on") if text else current[name]
        else:
            chosen[name] = text.replace(",", ".") or current[name]
    try:
        return council_settings(EmulationPeriod.year(int(session["year"])), chosen)
    except (ValueError, ZeroDivisionError):
        raise Invalid(
            "Ngưỡng không hợp lệ: tỷ lệ điều kiện họp là phân số từ 0 đến 1 (ví dụ 2/3), "
            "tỷ lệ phiếu là phần trăm từ 0 đến 100.",
            field="cstdcs_vote_percent",
        ) from None


def _key(r: dict[str, Any]) -> tuple[int, str]:
    return int(r["official_id"]), str(r["title"])


async def what_if(actor: Actor, session_id: int, values: dict[str, str]) -> dict[str, Any]:
    session = await readable_session(actor, session_id)
    settings = _settings(session, values)
    before = await live_facts(session)
    after = await live_facts(session, settings)
    was = {_key(r): r for r in before["results"]}
    moves = []
    for r in after["results"]:
        old = was[_key(r)]
        if old["result"] != r["result"]:
            moves.append(
                {
                    "name": r["name"],
                    "unit": r["unit"],
                    "title_vi": r["title_vi"],
                    "before_vi": old["result_vi"],
                    "after_vi": r["result_vi"],
                    "why_vi": r["reasons_vi"],
                }
            )
    roles = await member_roles(session_id)
    return {
        "id": session_id,
        "year": before["year"],
        "agency": before["agency"],
        "state": session["state"],
        "current": before["settings"],
        "chosen": settings.as_json(),
        "quorum_before": before["quorum"],
        "quorum_after": after["quorum"],
        "results": len(after["results"]),
        "moves": moves,
        "may_adopt": session["state"] == SessionState.PREPARED.value
        and (
            (actor.has_role(*MANAGERS) and actor.can_see_unit_path(str(session["agency.path"])))
            or council_seat(actor, roles) == CouncilRole.SECRETARY.value
        ),
    }


async def adopt_settings(actor: Actor, session_id: int, values: dict[str, str]) -> None:
    """Chọn cấu hình: the thresholds the session will apply (and its lock freeze)."""
    session = await writable_session(actor, session_id)
    settings = _settings(session, values).as_json()
    before = json.loads(session["settings"])
    async with db.atomic():
        await CouncilSession.update({CouncilSession.settings: json.dumps(settings)}).where(
            CouncilSession.id == session_id
        )
        await audit.record(
            "council.settings",
            "council_session",
            session_id,
            actor=actor,
            before=before,
            after=settings,
        )
