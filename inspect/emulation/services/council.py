"""Phiên họp Hội đồng thi đua – khen thưởng: the personnel office sets the session up (the
agency and year, members with their roles, the candidates and titles); the secretary records
the date and place, the attendance and written votes, the secret ballot's counts per
candidate and title (only once the quorum is met), and adjustments with a reason. Every step
is audited; a locked session refuses them all (see ``council_lock``)."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from congvu.inspect import clock, db
from congvu.inspect.actor import Actor
from congvu.inspect.audit import api as audit
from congvu.inspect.emulation.services.access import (
    MANAGERS,
    council_seat,
    require_council_reader,
    require_council_secretary,
    require_council_setup,
)
from congvu.inspect.emulation.services.council_view import (
    members_of,
    seats_of,
    session_facts,
    session_row,
    settings_of,
)
from congvu.inspect.emulation.services.facts import unit_by_code
from congvu.inspect.emulation.tables import (
    CouncilBallot,
    CouncilMember,
    CouncilRole,
    CouncilSession,
    SessionState,
)
from congvu.inspect.errors import Conflict, Forbidden, Invalid, NotFound
from congvu.inspect.organisation.tables import Official
from congvu.rules.council import (
    Attendance,
    Tally,
    TallyError,
    VoteTitle,
    ballot,
    council_settings,
    quorum,
)
from congvu.rules.emulation import EmulationPeriod


async def member_roles(session_id: int) -> dict[int, str]:
    rows = await CouncilMember.select(CouncilMember.official, CouncilMember.role).where(
        CouncilMember.session == session_id
    )
    return {int(r["official"]): str(r["role"]) for r in rows}


async def readable_session(actor: Actor, session_id: int) -> dict[str, Any]:
    session = await session_row(session_id)
    require_council_reader(actor, str(session["agency.path"]), await member_roles(session_id))
    return session


async def writable_session(actor: Actor, session_id: int, *, setup: bool = False) -> dict[str, Any]:
    session = await session_row(session_id)
    if setup:
        require_council_setup(actor, str(session["agency.path"]))
    else:
        roles = await member_roles(session_id)
        require_council_secretary(actor, str(session["agency.path"]), roles)
    if session["state"] == SessionState.LOCKED.value:
        raise Conflict("Phiên họp đã khóa: chỉ xem; mở lại phải ghi rõ lý do.", field="session")
    return session


async def create_session(
    actor: Actor,
    agency_code: str,
    year: int,
    *,
    campaign: str = "",
    settings: dict[str, Any] | None = None,
) -> int:
    unit = await unit_by_code(agency_code)
    require_council_setup(actor, str(unit["path"]))
    if not 2000 <= year <= 2100:
        raise Invalid("Năm không hợp lệ.", field="year")
    name = campaign.strip()
    key = f"{unit['id']}:{year}:{name}"[:64]
    if await CouncilSession.exists().where(CouncilSession.key == key):
        raise Conflict(f"Đã có phiên họp Hội đồng năm {year} của {unit['name']}.", field="year")
    chosen = council_settings(EmulationPeriod.year(year), settings).as_json()
    async with db.atomic():
        row = CouncilSession(
            key=key,
            agency=unit["id"],
            year=year,
            campaign=name,
            state=SessionState.PREPARED.value,
            version=1,
            settings=json.dumps(chosen),
            created_by=actor.id or None,
            created_at=clock.now(),
        )
        await row.save()
        await audit.record(
            "council.create",
            "council_session",
            row.id,
            actor=actor,
            after={"agency": agency_code, "year": year, "campaign": name, "settings": chosen},
        )
    return int(row.id)


async def _official(code: str, field: str) -> dict[str, Any]:
    row = (
        await Official.select(Official.id, Official.full_name, Official.unit.path)
        .where(Official.code == code.strip())
        .first()
    )
    if row is None:
        raise NotFound(f"Không có cán bộ mã {code}.", field=field)
    return row


async def set_member(actor: Actor, session_id: int, official_code: str, role: str) -> None:
    """Add a member or change their role; one chair and one secretary at most."""
    session = await writable_session(actor, session_id, setup=True)
    try:
        seat = CouncilRole(role)
    except ValueError:
        raise Invalid("Vai trò trong Hội đồng không hợp lệ.", field="role") from None
    official = await _official(official_code, "member")
    roles = await member_roles(session_id)
    if seat is not CouncilRole.MEMBER and any(
        r == seat.value and oid != official["id"] for oid, r in roles.items()
    ):
        raise Conflict(
            f"Hội đồng đã có {'Chủ tịch' if seat is CouncilRole.CHAIR else 'Thư ký'}.", field="role"
        )
    key = f"{session_id}:{official['id']}"
    async with db.atomic():
        if official["id"] in roles:
            await CouncilMember.update({CouncilMember.role: seat.value}).where(
                CouncilMember.key == key
            )
        else:
            await CouncilMember(
                key=key, session=session["id"], official=official["id"], role=seat.value
            ).save()
        await audit.record(
            "council.member",
            "council_session",
            session_id,
            actor=actor,
            before={"official": official["id"], "role": roles.get(official["id"])},
            after={"official": official["id"], "role": seat.value},
        )


async def remove_member(actor: Actor, session_id: int, official_id: int) -> None:
    await writable_session(actor, session_id, setup=True)
    async with db.atomic():
        await CouncilMember.delete().where(CouncilMember.key == f"{session_id}:{official_id}")
        await audit.record(
            "council.member_remove",
            "council_session",
            session_id,
            actor=actor,
            before={"official": official_id},
        )


async def add_candidate(actor: Actor, session_id: int, official_code: str, title: str) -> None:
    session = await writable_session(actor, session_id, setup=True)
    try:
        chosen = VoteTitle(title)
    except ValueError:
        raise Invalid("Danh hiệu không hợp lệ.", field="title") from None
    official = await _official(official_code, "candidate")
    if not str(official["unit.path"]).startswith(str(session["agency.path"])):
        raise Invalid("Người được đề nghị không thuộc cơ quan của Hội đồng.", field="candidate")
    key = f"{session_id}:{official['id']}:{chosen.value}"
    if await CouncilBallot.exists().where(CouncilBallot.key == key):
        raise Conflict("Người này đã có trong danh sách đề nghị danh hiệu này.", field="candidate")
    async with db.atomic():
        await CouncilBallot(
            key=key, session=session_id, official=official["id"], title=chosen.value
        ).save()
        await audit.record(
            "council.candidate",
            "council_session",
            session_id,
            actor=actor,
            after={"official": official["id"], "title": chosen.value},
        )


async def record_meeting(
    actor: Actor,
    session_id: int,
    held_on: date | None,
    place: str,
    attendance: dict[int, str],
) -> None:
    """The date, the place and each member's attendance (có mặt, phiếu bằng văn bản,
    vắng mặt)."""
    await writable_session(actor, session_id)
    roles = await member_roles(session_id)
    before = {str(m["official_id"]): m["attendance"] for m in await members_of(session_id)}
    after: dict[str, str] = {}
    for oid, value in attendance.items():
        if oid not in roles:
            raise Invalid("Người này không phải thành viên Hội đồng.", field="attendance")
        try:
            after[str(oid)] = Attendance(value).value
        except ValueError:
            raise Invalid("Tình trạng tham dự không hợp lệ.", field="attendance") from None
    async with db.atomic():
        await CouncilSession.update(
            {CouncilSession.held_on: held_on, CouncilSession.place: place.strip()}
        ).where(CouncilSession.id == session_id)
        for oid_text, value in after.items():
            await CouncilMember.update({CouncilMember.attendance: value}).where(
                CouncilMember.key == f"{session_id}:{oid_text}"
            )
        await audit.record(
            "council.attendance",
            "council_session",
            session_id,
            actor=actor,
            before={"attendance": before},
            after={
                "held_on": held_on.isoformat() if held_on else None,
                "place": place.strip(),
                "attendance": after,
            },
        )


def _count(values: dict[str, str], name: str) -> int:
    text = (values.get(name) or "").strip() or "0"
    try:
        return int(text)
    except ValueError:
        raise Invalid("Số phiếu phải là số nguyên.", field=name) from None


async def record_tally(
    actor: Actor, session_id: int, official_id: int, title: str, counts: dict[str, str]
) -> None:
    """Kết quả kiểm phiếu for one candidate and title; refused without a quorum."""
    session = await writable_session(actor, session_id)
    key = f"{session_id}:{official_id}:{title}"
    row = await CouncilBallot.select().where(CouncilBallot.key == key).first()
    if row is None:
        raise NotFound("Không có người được đề nghị này.", field="candidate")
    settings = settings_of(session)
    members = await members_of(session_id)
    seats = seats_of(members)
    q = quorum(seats, settings)
    if not q.met:
        raise Conflict(
            f"Chưa đủ điều kiện họp, không nhận kết quả kiểm phiếu. {q.explanation_vi}",
            field="quorum",
        )
    tally = Tally(_count(counts, "in_favour"), _count(counts, "against"), _count(counts, "invalid"))
    try:
        ballot(VoteTitle(title), str(official_id), seats, tally, settings)
    except TallyError as error:
        raise Invalid(error.message_vi, field="in_favour") from None
    async with db.atomic():
        await CouncilBallot.update(
            {
                CouncilBallot.in_favour: tally.in_favour,
                CouncilBallot.against: tally.against,
                CouncilBallot.invalid: tally.invalid,
            }
        ).where(CouncilBallot.key == key)
        await audit.record(
            "council.tally",
            "council_session",
            session_id,
            actor=actor,
            before={k: row[k] for k in ("in_favour", "against", "invalid")},
            after={
                "official": official_id,
                "title": title,
                "in_favour": tally.in_favour,
                "against": tally.against,
                "invalid": tally.invalid,
            },
        )


async def adjust_result(
    actor: Actor,
    session_id: int,
    official_id: int,
    title: str,
    result: str,
    reason: str | None,
) -> None:
    """The council changes a computed result ("pass", "fail") or restores it ("computed");
    a written reason is mandatory either way."""
    await writable_session(actor, session_id)
    why = (reason or "").strip()
    if not why:
        raise Invalid("Điều chỉnh kết quả phải ghi rõ lý do.", field="reason")
    values = {"pass": True, "fail": False, "computed": None}
    if result not in values:
        raise Invalid("Kết quả điều chỉnh không hợp lệ.", field="result")
    key = f"{session_id}:{official_id}:{title}"
    row = await CouncilBallot.select().where(CouncilBallot.key == key).first()
    if row is None:
        raise NotFound("Không có người được đề nghị này.", field="candidate")
    adjusted = values[result]
    async with db.atomic():
        await CouncilBallot.update(
            {
                CouncilBallot.adjusted: adjusted,
                CouncilBallot.adjust_reason: why if adjusted is not None else None,
            }
        ).where(CouncilBallot.key == key)
        await audit.record(
            "council.adjust",
            "council_session",
            session_id,
            actor=actor,
            before={"adjusted": row["adjusted"], "reason": row["adjust_reason"]},
            after={"official": official_id, "title": title, "adjusted": adjusted},
            reason=why,
        )


async def sessions(actor: Actor) -> list[dict[str, Any]]:
    """The sessions the actor may read, newest year first."""
    rows = await CouncilSession.select(
        CouncilSession.id,
        CouncilSession.year,
        CouncilSession.campaign,
        CouncilSession.state,
        CouncilSession.held_on,
        CouncilSession.agency.name,
        CouncilSession.agency.path,
    ).order_by(CouncilSession.year, ascending=False)
    seen = []
    for r in rows:
        try:
            require_council_reader(actor, str(r["agency.path"]), await member_roles(int(r["id"])))
        except (Forbidden, NotFound):
            continue
        seen.append(r)
    return seen


async def council_session(actor: Actor, session_id: int) -> dict[str, Any]:
    """The session's facts for the actor, with what the actor may do on it."""
    session = await readable_session(actor, session_id)
    roles = await member_roles(session_id)
    path = str(session["agency.path"])
    facts = await session_facts(session_id)
    may_setup = actor.has_role(*MANAGERS) and actor.can_see_unit_path(path)
    may_record = may_setup or council_seat(actor, roles) == CouncilRole.SECRETARY.value
    prepared = session["state"] == SessionState.PREPARED.value
    held_on = facts["held_on"]
    return {
        **facts,
        "held_on_date": date.fromisoformat(held_on) if held_on else None,
        "may_setup": may_setup and prepared,
        "may_record": may_record and prepared,
        "may_reopen": may_record and not prepared,
    }
