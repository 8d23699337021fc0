"""Điền ứng viên từ đề xuất: the council session's candidates taken from the year's
proposals instead of typed one by one. Every official of the agency's subtree whose year
row proposes CSTĐCS (its criteria hold, the vote still to come) is added, unless already
listed; an official held back by a blocker (a discipline case being considered, an
inspection with signs of a violation, a complaint being verified, a discipline period) is
listed with it and not added. Running it again adds nothing new; each run is audited."""

from __future__ import annotations

from typing import Any

from congvu.inspect import db
from congvu.inspect.actor import Actor
from congvu.inspect.audit import api as audit
from congvu.inspect.emulation.services.boards import board
from congvu.inspect.emulation.services.council import writable_session
from congvu.inspect.emulation.tables import CouncilBallot
from congvu.inspect.errors import Conflict, NotFound
from congvu.rules.council import VoteTitle

# The year board proposes CSTĐCS only: CSTĐ cấp tỉnh and the Bằng khen rest on records
# (several years' titles, the province's own criteria) the board does not compute, so
# those candidates are still added by hand.
PROPOSED_TITLES = (VoteTitle.CSTDCS,)


def _proposed(row: dict[str, Any], title: VoteTitle) -> dict[str, Any] | None:
    return next((t for t in row.get("titles", []) if t["title"] == title.value), None)


async def fill_candidates(actor: Actor, session_id: int) -> dict[str, Any]:
    """Adds the proposed officials to a prepared session; answers who was added, who was
    already listed and who is blocked (with the reason), names in board order."""
    session = await writable_session(actor, session_id, setup=True)
    year = int(session["year"])
    try:
        found = await board(str(year), str(session["agency.path"]), None)
    except NotFound:
        raise Conflict(
            f"Kỳ đánh giá năm {year} chưa được mở: chưa có đề xuất để điền.", field="candidate"
        ) from None
    listed = {
        str(r["key"])
        for r in await CouncilBallot.select(CouncilBallot.key).where(
            CouncilBallot.session == session_id
        )
    }
    added: list[dict[str, Any]] = []
    already: list[dict[str, Any]] = []
    blocked: list[dict[str, Any]] = []
    for row in found["officials"]:
        for title in PROPOSED_TITLES:
            verdict = _proposed(row, title)
            if verdict is None:
                continue
            entry = {
                "official_id": int(row["official_id"]),
                "name": row["name"],
                "title": title.value,
                "title_vi": title.label_vi,
            }
            if row.get("blockers"):
                blocked.append({**entry, "reason_vi": verdict["explanation_vi"]})
            elif verdict["eligible"] or verdict["awaiting_vote"]:
                key = f"{session_id}:{entry['official_id']}:{title.value}"
                (already if key in listed else added).append(entry)
    async with db.atomic():
        for entry in added:
            await CouncilBallot(
                key=f"{session_id}:{entry['official_id']}:{entry['title']}",
                session=session_id,
                official=entry["official_id"],
                title=entry["title"],
            ).save()
        await audit.record(
            "council.candidates_filled",
            "council_session",
            session_id,
            actor=actor,
            after={
                "year": year,
                "added": [[e["official_id"], e["title"]] for e in added],
                "blocked": [[e["official_id"], e["title"]] for e in blocked],
            },
        )
    return {"added": added, "already": already, "blocked": blocked}
