"""The facts of the biên bản họp Hội đồng thi đua – khen thưởng (minutes with the vote
count), for the document module to render: the agency, date and place, chair and
secretary, who was present, absent with a written vote or absent, the quorum, and per
candidate and title the counts and the result with its reasons and any adjustment. Read
from the latest locked version, or from the live session while it is prepared."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from congvu.inspect.actor import Actor
from congvu.inspect.emulation.services.council import readable_session
from congvu.inspect.emulation.services.council_view import session_facts


@dataclass(frozen=True)
class MinutesMember:
    name: str
    position: str
    role_vi: str
    attendance_vi: str


@dataclass(frozen=True)
class MinutesCandidate:
    name: str
    unit: str
    title_vi: str
    in_favour: int | None
    against: int | None
    invalid: int | None
    voters: int | None
    result_vi: str
    reasons_vi: tuple[str, ...]
    adjust_reason: str | None


@dataclass(frozen=True)
class CouncilMinutes:
    agency: str
    year: int
    campaign: str
    held_on: date | None
    place: str
    chair: str | None
    secretary: str | None
    present: tuple[MinutesMember, ...]
    written: tuple[MinutesMember, ...]
    absent: tuple[MinutesMember, ...]
    quorum_met: bool
    quorum_vi: str
    candidates: tuple[MinutesCandidate, ...]
    locked: bool
    version: int | None
    data_hash: str | None


async def council_minutes(actor: Actor, session_id: int) -> CouncilMinutes:
    await readable_session(actor, session_id)
    f = await session_facts(session_id)

    def people(kind: str | None) -> tuple[MinutesMember, ...]:
        return tuple(
            MinutesMember(m["name"], m["position"], m["role_vi"], m["attendance_vi"] or "")
            for m in f["members"]
            if (m["attendance"] or "absent") == kind
        )

    def seat(role: str) -> str | None:
        return next((m["name"] for m in f["members"] if m["role"] == role), None)

    return CouncilMinutes(
        agency=f["agency"],
        year=int(f["year"]),
        campaign=f["campaign"],
        held_on=date.fromisoformat(f["held_on"]) if f["held_on"] else None,
        place=f["place"],
        chair=seat("chair"),
        secretary=seat("secretary"),
        present=people("present"),
        written=people("written"),
        absent=people("absent"),
        quorum_met=bool(f["quorum"]["met"]),
        quorum_vi=f["quorum"]["explanation_vi"],
        candidates=tuple(
            MinutesCandidate(
                name=r["name"],
                unit=r["unit"],
                title_vi=r["title_vi"],
                in_favour=r["in_favour"],
                against=r["against"],
                invalid=r["invalid"],
                voters=r["voters"],
                result_vi=r["result_vi"],
                reasons_vi=tuple(r["reasons_vi"]),
                adjust_reason=r["adjust_reason"],
            )
            for r in f["results"]
        ),
        locked=f["state"] == "locked",
        version=f["version"],
        data_hash=f["data_hash"],
    )
