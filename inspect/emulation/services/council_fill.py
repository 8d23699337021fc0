"""Điền ứng viên từ đề xuất: the council session's candidates taken from the year's
proposals instead of typed one by one. Every official of the agency's subtree whose year
row proposes CSTĐCS (its criteria hold, the vote still to come) is added, unless already
listed; an official held back by a blocker (a discipline case being considered, an
inspection with signs of a violation, a complaint being verified, a discipline period) is
listed with it and not added. Running it again adds nothing new; each run is audited.

Chiến sĩ thi đua cấp tỉnh is offered, never added: a CSTĐCS candidate of this year whose
awards received show the CSTĐCS of the years before in an unbroken run long enough
(``congvu.rules.higher_titles``) is listed "cần xác nhận" with the condition the records
cannot show (the initiative's scope in the province); the personnel office adds them by
hand once it is confirmed."""

from __future__ import annotations

from typing import Any

from congvu.inspect import db
from congvu.inspect.actor import Actor
from congvu.inspect.audit import api as audit
from congvu.inspect.emulation.services.boards import board
from congvu.inspect.emulation.services.council import writable_session
from congvu.inspect.emulation.tables import AwardReceived, CouncilBallot
from congvu.inspect.errors import Conflict, NotFound
from congvu.rules.council import VoteTitle
from congvu.rules.emulation import EmulationPeriod
from congvu.rules.higher_titles import cstd_tinh

# The year board proposes CSTĐCS only. CSTĐ cấp tỉnh is offered to confirm (above); the
# Bằng khen rests on the province's own criteria, not encoded, so it is added by hand.
PROPOSED_TITLES = (VoteTitle.CSTDCS,)


async def cstdcs_years(official_ids: list[int], before: int) -> dict[int, set[int]]:
    """The years before ``before`` each official received Chiến sĩ thi đua cơ sở, as the
    personnel office entered the awards (the form named as the title is)."""
    found: dict[int, set[int]] = {}
    if not official_ids:
        return found
    rows = await AwardReceived.select(
        AwardReceived.official, AwardReceived.year, AwardReceived.form
    ).where(AwardReceived.official.is_in(official_ids), AwardReceived.year < before)
    for r in rows:
        if str(r["form"]).strip().casefold() == VoteTitle.CSTDCS.label_vi.casefold():
            found.setdefault(int(r["official"]), set()).add(int(r["year"]))
    return found


async def offer_higher(
    year: int, proposed: list[dict[str, Any]], listed: set[str], session_id: int
) -> list[dict[str, Any]]:
    """CSTĐ cấp tỉnh to confirm, among this year's CSTĐCS candidates not yet listed for it."""
    history = await cstdcs_years([e["official_id"] for e in proposed], year)
    period = EmulationPeriod.year(year)
    out = []
    for entry in proposed:
        oid = entry["official_id"]
        verdict = cstd_tinh(str(oid), {*history.get(oid, set()), year}, period)
        if not verdict.offered or f"{session_id}:{oid}:{VoteTitle.CSTD_TINH.value}" in listed:
            continue
        out.append(
            {
                "official_id": oid,
                "name": entry["name"],
                "title": VoteTitle.CSTD_TINH.value,
                "title_vi": VoteTitle.CSTD_TINH.label_vi,
                "to_confirm_vi": list(verdict.to_confirm_vi),
                "reason_vi": verdict.explanation_vi,
            }
        )
    return out


def _proposed(row: dict[str, Any], title: VoteTitle) -> dict[str, Any] | None:
    return next((t for t in row.get("titles", []) if t["title"] == title.value), None)


async def fill_candidates(actor: Actor, session_id: int) -> dict[str, Any]:
    """Adds the proposed officials to a prepared session; answers who was added, who was
    already listed, who is blocked (with the reason) and, not added, who is offered for
    CSTĐ cấp tỉnh to confirm (with what to confirm), names in board order."""
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
    to_confirm = await offer_higher(year, added + already, listed, session_id)
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
                "to_confirm": [[e["official_id"], e["title"]] for e in to_confirm],
            },
        )
    return {"added": added, "already": already, "blocked": blocked, "to_confirm": to_confirm}
