"""The RBAC matrix of the emulation council's routes: every role × route × own unit / other
unit. Every matrix account is scoped to commune A, none is a member of a session: the
personnel officer and the administrator set sessions up and record them, a COUNCIL account
reads the sessions of its scope, everyone else is refused by role; commune B's session is
not found for those whose role would let them in. (A member's and the secretary's rights
are in tests/emulation/test_council_http.py.)"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from congvu.inspect.actor import SYSTEM
from congvu.inspect.emulation import api as emulation
from congvu.inspect.emulation.tables import CouncilBallot
from congvu.inspect.organisation.tables import Official

from tests import builders
from tests.conftest import csrf
from tests.rbac.spec import (
    ROLES,
    TARGETS,
    Expect,
    Outcome,
    Prepare,
    Route,
    cross_unit_calls,
    cross_unit_not_denied,
    matrix_users,
    outcome_of,
    run,
    same,
    scoped,
    url,
)
from tests.worlds import ReviewWorld

pytestmark = pytest.mark.anyio

MANAGERS = ("admin", "personnel")
READERS = ("admin", "personnel", "council")


def recorded(ok: int) -> Expect:
    """The secretary's steps: managers in scope; a COUNCIL account reads the session of
    its scope but is refused the step (403), and does not find commune B's (404)."""
    expect = scoped(ok, MANAGERS)
    expect["other_unit"] = {**expect["other_unit"], "council": 404}
    return expect


MATRIX: dict[Route, Expect] = {
    ("GET", "/council"): same({r: 200 for r in ROLES}),
    ("POST", "/council/sessions"): scoped(303, MANAGERS),
    ("GET", "/council/{session_id:int}"): scoped(200, READERS),
    ("GET", "/api/v1/council/{session_id:int}"): scoped(200, READERS),
    ("POST", "/council/{session_id:int}/members"): scoped(303, MANAGERS),
    ("POST", "/council/{session_id:int}/members/{official_id:int}/remove"): scoped(303, MANAGERS),
    ("POST", "/council/{session_id:int}/candidates"): scoped(303, MANAGERS),
    ("POST", "/council/{session_id:int}/candidates/fill"): scoped(200, MANAGERS),
    ("POST", "/council/{session_id:int}/meeting"): recorded(303),
    ("POST", "/council/{session_id:int}/tally/{official_id:int}/{title:str}"): recorded(303),
    ("POST", "/council/{session_id:int}/adjust/{official_id:int}/{title:str}"): recorded(303),
    ("POST", "/council/{session_id:int}/lock"): recorded(303),
    ("POST", "/council/{session_id:int}/reopen"): recorded(303),
    ("GET", "/council/{session_id:int}/what-if"): scoped(200, READERS),
    ("GET", "/council/{session_id:int}/minutes"): scoped(200, READERS),
    ("POST", "/council/{session_id:int}/settings"): recorded(303),
}
LISTS = {("GET", "/council")}
ONCE = LISTS


def test_every_cross_unit_case_is_denied_in_the_matrix() -> None:
    assert cross_unit_not_denied(MATRIX, LISTS) == []


@dataclass
class Sessions:
    rw: ReviewWorld
    years: Iterator[int]  # fresh years for the sessions a call creates
    campaigns: Iterator[int]  # fresh campaigns for the sessions a call locks or reopens
    standing: dict[str, int]  # target -> the session the other calls act on


async def _by_code(code: str) -> Official:
    found = await Official.objects().where(Official.code == code).first()
    assert found is not None
    return found


async def session(rw: ReviewWorld, unit: str, campaign: str = "") -> int:
    """Commune A: the deputy (a CSTĐCS candidate) and A090 (chair), both present — a
    quorum; commune B: its one official. No matrix account is a member."""
    found = await emulation.create_session(SYSTEM, unit, 2026, campaign=campaign)
    people = [rw.deputy, await _by_code("A090")] if unit == "P-A" else [rw.world.official_b]
    for official, seat in zip(people, ["member", "chair"], strict=False):
        await emulation.set_member(SYSTEM, found, official.code, seat)
    await emulation.record_meeting(SYSTEM, found, None, "", {int(o.id): "present" for o in people})
    await emulation.add_candidate(SYSTEM, found, people[0].code, "CSTDCS")
    return found


def _prepare(m: Sessions) -> Prepare:
    async def prepare(role: str, method: str, path: str, target: str) -> dict[str, Any]:
        unit = "P-B" if target == "other_unit" else "P-A"
        # The candidate, and whose attendance a meeting call records.
        official = m.rw.world.official_b if unit == "P-B" else m.rw.deputy
        # The member a call adds or removes.
        spare = m.rw.world.official_b if unit == "P-B" else await _by_code("A091")
        member_route = "/members" in path
        values: dict[str, Any] = {
            "session_id": m.standing[target],
            "official_id": (spare if member_route else official).id,
            "official": (spare if member_route else official).code,
            "title": "CSTDCS",
            "agency": unit,
            "year": next(m.years) if path == "/council/sessions" else 2026,
        }
        if path.endswith(("/lock", "/reopen")):
            values["session_id"] = await session(m.rw, unit, f"Đợt {next(m.campaigns)}")
            if path.endswith("/reopen"):
                await emulation.lock_session(SYSTEM, values["session_id"])
        elif path.endswith("/candidates"):
            await CouncilBallot.delete().where(
                CouncilBallot.key == f"{values['session_id']}:{official.id}:CSTDCS"
            )
        elif path.endswith("/remove"):
            # Put back, then removed by the call.
            await emulation.set_member(SYSTEM, values["session_id"], spare.code, "member")
        return values

    return prepare


async def _call(client: Any, method: str, path: str, target: str, v: dict[str, Any]) -> Outcome:
    address = url(path, v)
    if method == "GET":
        return outcome_of(await client.get(address, follow_redirects=False))
    data = {
        "agency": v["agency"],
        "year": str(v["year"]),
        "official": v["official"],
        "role": "member",
        "title": "CSTDCS",
        "in_favour": "1",
        "against": "0",
        "result": "pass",
        "reason": "Kiểm lại phiếu",
        "cstdcs_vote_percent": "80",
    }
    if path.endswith("/meeting"):
        data[f"attendance-{v['official_id']}"] = "present"
    response = await client.post(address, data=data, headers=csrf(client), follow_redirects=False)
    return int(response.status_code)


async def test_rbac_matrix_of_council_routes(client: Any, rw: ReviewWorld) -> None:
    users = await matrix_users(rw)
    await builders.official(rw.world.commune_a, "A090", "Trần Văn Chủ")
    await builders.official(rw.world.commune_a, "A091", "Lê Thị Mai")
    years = iter(range(2027, 2100))
    await emulation.open_period(SYSTEM, "2026")  # the proposals the fill reads
    standing = {"own_unit": await session(rw, "P-A"), "other_unit": await session(rw, "P-B")}
    standing["own_record"] = standing["own_unit"]
    report = await run(
        client,
        users,
        MATRIX,
        _prepare(Sessions(rw, years, itertools.count(1), standing)),
        _call,
        ONCE,
    )
    assert not report.failures, "\n".join(report.failures)
    assert report.cases == len(MATRIX) * len(ROLES) * len(TARGETS)
    assert report.denied >= cross_unit_calls(MATRIX, LISTS)
