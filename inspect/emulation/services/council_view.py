"""What a council session shows: its members and attendance, the quorum, and per candidate
and title the counts and the result — the vote (rules/council.py) and, for CSTĐCS, the
existing ``cstdcs`` verdict with that vote, so the criteria (LĐTT, an achievement, no
blocker) and the ballot decide together. A locked session shows its frozen version."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from congvu.inspect.emulation.services.boards import compute_year
from congvu.inspect.emulation.tables import (
    CouncilBallot,
    CouncilMember,
    CouncilRole,
    CouncilSession,
    CouncilSessionVersion,
    SessionState,
)
from congvu.inspect.errors import NotFound
from congvu.rules.council import (
    Attendance,
    BallotVerdict,
    CouncilSettings,
    Seat,
    Tally,
    TallyError,
    VoteTitle,
    ballot,
    council_settings,
    quorum,
)
from congvu.rules.emulation import EmulationPeriod

ROLE_LABELS = {
    CouncilRole.CHAIR.value: "Chủ tịch Hội đồng",
    CouncilRole.SECRETARY.value: "Thư ký Hội đồng",
    CouncilRole.MEMBER.value: "Ủy viên",
}
_ROLE_ORDER = {CouncilRole.CHAIR.value: 0, CouncilRole.SECRETARY.value: 1}


async def session_row(session_id: int) -> dict[str, Any]:
    row = (
        await CouncilSession.select(
            *CouncilSession.all_columns(),
            CouncilSession.agency.code,
            CouncilSession.agency.name,
            CouncilSession.agency.path,
        )
        .where(CouncilSession.id == session_id)
        .first()
    )
    if row is None:
        raise NotFound("Không có phiên họp Hội đồng này.", field="session")
    return row


def settings_of(session: dict[str, Any]) -> CouncilSettings:
    return council_settings(
        EmulationPeriod.year(int(session["year"])), json.loads(session["settings"])
    )


async def members_of(session_id: int) -> list[dict[str, Any]]:
    rows = await CouncilMember.select(
        CouncilMember.official,
        CouncilMember.role,
        CouncilMember.attendance,
        CouncilMember.official.full_name,
        CouncilMember.official.position,
        CouncilMember.official.sort_key,
    ).where(CouncilMember.session == session_id)
    rows.sort(key=lambda r: (_ROLE_ORDER.get(r["role"], 2), r["official.sort_key"]))
    return [
        {
            "official_id": int(r["official"]),
            "name": r["official.full_name"],
            "position": r["official.position"],
            "role": r["role"],
            "role_vi": ROLE_LABELS[r["role"]],
            "attendance": r["attendance"],
            "attendance_vi": Attendance(r["attendance"]).label_vi if r["attendance"] else None,
        }
        for r in rows
    ]


def seats_of(members: list[dict[str, Any]]) -> tuple[Seat, ...]:
    """Attendance not yet recorded counts as absent."""
    return tuple(
        Seat(str(m["official_id"]), Attendance(m["attendance"] or Attendance.ABSENT.value))
        for m in members
    )


async def ballots_of(session_id: int) -> list[dict[str, Any]]:
    rows = await CouncilBallot.select(
        *CouncilBallot.all_columns(),
        CouncilBallot.official.full_name,
        CouncilBallot.official.sort_key,
        CouncilBallot.official._.unit._.name,
    ).where(CouncilBallot.session == session_id)
    rows.sort(key=lambda r: (r["official.sort_key"], r["title"]))
    return rows


def _tally(row: dict[str, Any]) -> Tally | None:
    if row["in_favour"] is None:
        return None
    return Tally(int(row["in_favour"]), int(row["against"] or 0), int(row["invalid"] or 0))


def vote_of(
    row: dict[str, Any], seats: tuple[Seat, ...], settings: CouncilSettings
) -> BallotVerdict | None:
    tally = _tally(row)
    if tally is None:
        return None
    try:
        return ballot(VoteTitle(row["title"]), str(row["official"]), seats, tally, settings)
    except TallyError:
        # Attendance changed after the tally: the counts no longer fit; shown as not tallied.
        return None


async def results(
    session: dict[str, Any],
    members: list[dict[str, Any]],
    rows: list[dict[str, Any]],
    settings: CouncilSettings,
) -> list[dict[str, Any]]:
    """Per candidate and title: counts, the vote, the criteria and the result in Vietnamese."""
    seats = seats_of(members)
    votes = {(int(r["official"]), r["title"]): vote_of(r, seats, settings) for r in rows}
    cstdcs_votes = {
        oid: (v.votes_for, v.voters)
        for (oid, _), v in votes.items()
        if v is not None and v.title is VoteTitle.CSTDCS
    }
    year = int(session["year"])
    titles: dict[int, dict[str, Any]] = {}
    if any(r["title"] == VoteTitle.CSTDCS.value for r in rows):
        period = {"year": year, "parameters": "{}", "ends_on": date(year, 12, 31)}
        proposals = await compute_year(
            period,
            str(session["agency.path"]),
            None,
            votes=cstdcs_votes,
            vote_percent=str(settings.cstdcs_percent),
        )
        for o in proposals["officials"]:
            for t in o["titles"]:
                if t["title"] == VoteTitle.CSTDCS.value:
                    titles[int(o["official_id"])] = t
    out = []
    for r in rows:
        oid = int(r["official"])
        title = VoteTitle(r["title"])
        vote = votes[(oid, title.value)]
        reasons_vi: list[str] = []
        computed: bool | None = None
        if vote is not None:
            reasons_vi.append(vote.explanation_vi)
            computed = vote.passed
        if title is VoteTitle.CSTDCS:
            criteria = titles.get(oid)
            if criteria is None:
                reasons_vi.append(
                    "Không có trong danh sách xét thi đua năm của cơ quan (chưa được đánh giá, "
                    "xếp loại)."
                )
                computed = False if vote is not None else None
            else:
                # Before the count: the criteria alone ("đủ điều kiện; còn chờ Hội đồng bỏ
                # phiếu" or why not); after it, the verdict with the vote.
                reasons_vi.append(criteria["explanation_vi"])
                if vote is not None:
                    computed = bool(criteria["eligible"])
        final = computed if r["adjusted"] is None else bool(r["adjusted"])
        if r["adjusted"] is not None:
            reasons_vi.append(f"Hội đồng điều chỉnh kết quả: {r['adjust_reason']}")
        out.append(
            {
                "official_id": oid,
                "name": r["official.full_name"],
                "unit": r["official.unit.name"],
                "title": title.value,
                "title_vi": title.label_vi,
                "in_favour": r["in_favour"],
                "against": r["against"],
                "invalid": r["invalid"],
                "tallied": vote is not None,
                "voters": vote.voters if vote else None,
                "needed": vote.needed if vote else None,
                "recused": vote.recused if vote else any(s.person_id == str(oid) for s in seats),
                "computed": computed,
                "adjusted": r["adjusted"],
                "adjust_reason": r["adjust_reason"],
                "result": final,
                "result_vi": _result_vi(final),
                "reasons_vi": reasons_vi,
            }
        )
    return out


def _result_vi(result: bool | None) -> str:
    if result is None:
        return "Chưa kiểm phiếu"
    return "Đạt" if result else "Không đạt"


async def latest_version(session_id: int) -> dict[str, Any] | None:
    return (
        await CouncilSessionVersion.select(
            *CouncilSessionVersion.all_columns(), CouncilSessionVersion.locked_by.display_name
        )
        .where(CouncilSessionVersion.session == session_id)
        .order_by(CouncilSessionVersion.version, ascending=False)
        .first()
    )


async def live_facts(
    session: dict[str, Any], settings: CouncilSettings | None = None
) -> dict[str, Any]:
    """The session as it stands (computed), the shape a locked version freezes; with
    ``settings``, as it would stand under them (the what-if: nothing is written)."""
    settings = settings or settings_of(session)
    members = await members_of(int(session["id"]))
    q = quorum(seats_of(members), settings)
    rows = await ballots_of(int(session["id"]))
    return {
        "agency": session["agency.name"],
        "agency_code": session["agency.code"],
        "year": int(session["year"]),
        "campaign": session["campaign"],
        "held_on": session["held_on"].isoformat() if session["held_on"] else None,
        "place": session["place"],
        "settings": settings.as_json(),
        "members": members,
        "quorum": {
            "members": q.members,
            "present": q.present,
            "required": q.required,
            "met": q.met,
            "explanation_vi": q.explanation_vi,
        },
        "results": await results(session, members, rows, settings),
    }


async def session_facts(session_id: int) -> dict[str, Any]:
    """Live while prepared; the latest version's frozen facts once locked."""
    session = await session_row(session_id)
    version = None
    if session["state"] == SessionState.LOCKED.value:
        version = await latest_version(session_id)
    facts = json.loads(version["facts"]) if version else await live_facts(session)
    versions = (
        await CouncilSessionVersion.select(
            CouncilSessionVersion.version,
            CouncilSessionVersion.locked_at,
            CouncilSessionVersion.locked_by.display_name,
            CouncilSessionVersion.data_hash,
            CouncilSessionVersion.reopened_at,
            CouncilSessionVersion.reopen_reason,
        )
        .where(CouncilSessionVersion.session == session_id)
        .order_by(CouncilSessionVersion.version)
    )
    return {
        **facts,
        "id": session_id,
        "state": session["state"],
        "version": version["version"] if version else None,
        "data_hash": version["data_hash"] if version else None,
        "agency_path": session["agency.path"],
        "versions": versions,
    }
