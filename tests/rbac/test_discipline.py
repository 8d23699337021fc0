"""The RBAC matrix of the discipline routes (hồ sơ kỷ luật): every role × route × own
unit / other unit / own record.

Records here: cases about the deputy of commune A (own unit), about official A, the
matrix's official (own record), and about commune B's official (other unit); a case
is opened directly by a personnel officer of the province. The personnel office and
administrators manage the cases of their scope; the subject reads their own and appeals
its decision; anyone else is told the case does not exist.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from congvu.inspect import clock
from congvu.inspect.actor import Actor
from congvu.inspect.discipline import api as discipline
from congvu.inspect.discipline.api import DecisionInput, MemberInput, OpenCase
from congvu.inspect.organisation.tables import User
from congvu.rules.discipline import Form

from tests import builders
from tests.conftest import csrf
from tests.discipline.conftest import D
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
    roles,
    run,
    same,
    url,
)
from tests.worlds import ReviewWorld

pytestmark = pytest.mark.anyio

MANAGERS = ("admin", "personnel")
NOBODY = roles(0, (), 404)


def managed(ok: int, *, others: int = 403) -> Expect:
    """A managers' write on a case: in scope for them, 404 across units, 403 by role."""
    mine = roles(ok, MANAGERS, others)
    return {
        "own_unit": mine,
        "own_record": mine,
        "other_unit": {r: 404 if r in MANAGERS else others for r in ROLES},
    }


MATRIX: dict[Route, Expect] = {
    ("GET", "/discipline"): same(roles(200, MANAGERS)),
    ("POST", "/discipline"): managed(303),
    ("POST", "/discipline/convictions"): managed(303),
    ("GET", "/discipline/{case_id:int}"): {
        "own_unit": roles(200, MANAGERS, 404),
        "own_record": roles(200, (*MANAGERS, "official"), 404),
        "other_unit": NOBODY,
    },
    ("POST", "/discipline/{case_id:int}/steps/{stage:str}"): managed(303),
    # Only the subject appeals; a manager sees the case but may not appeal for them.
    ("POST", "/discipline/{case_id:int}/appeals"): {
        "own_unit": roles(403, MANAGERS, 404),
        "own_record": {**roles(403, MANAGERS, 404), "official": 303},
        "other_unit": NOBODY,
    },
    ("POST", "/discipline/{case_id:int}/appeals/{appeal_id:int}"): managed(303),
    ("GET", "/discipline/{case_id:int}/documents/{kind:str}"): managed(200),
    ("GET", "/my-discipline"): same(roles(200, ("official",))),
    ("GET", "/discipline/report"): same(roles(200, MANAGERS)),
}
LISTS = {("GET", "/discipline"), ("GET", "/my-discipline"), ("GET", "/discipline/report")}


def test_every_cross_unit_case_is_denied_in_the_matrix() -> None:
    assert cross_unit_not_denied(MATRIX, LISTS) == []


MEMBERS = [
    MemberInput("Hoàng Văn Nam", "Chủ tịch Hội đồng"),
    MemberInput("Đỗ Thị Hoa", "Ủy viên"),
    MemberInput("Vũ Minh Tuấn", "Ủy viên kiêm Thư ký"),
]


async def _case(officer: Actor, official_id: int) -> int:
    today = clock.today()
    return await discipline.open_case(
        officer,
        OpenCase(
            official_id=official_id,
            description="Đi muộn nhiều lần",
            violation_on=today - timedelta(days=30),
        ),
        today=today,
    )


async def _decided(officer: Actor, official_id: int) -> int:
    """A case decided in March 2026 (opened, walked and decided on fixed days)."""
    case = await discipline.open_case(
        officer,
        OpenCase(official_id=official_id, description="Đi muộn", violation_on=D(2026, 2, 23)),
        today=D(2026, 3, 5),
    )
    await discipline.hold_review_meeting(
        officer, case, D(2026, 3, 9), "Biên bản", today=D(2026, 3, 9)
    )
    await discipline.send_report(officer, case, D(2026, 3, 11), today=D(2026, 3, 11))
    await discipline.set_up_council(officer, case, D(2026, 3, 16), MEMBERS, today=D(2026, 3, 16))
    await discipline.summon(officer, case, D(2026, 3, 17), D(2026, 3, 25), today=D(2026, 3, 17))
    await discipline.recommend(
        officer, case, D(2026, 3, 25), Form.KHIEN_TRACH, today=D(2026, 3, 25)
    )
    decision = DecisionInput(D(2026, 3, 27), Form.KHIEN_TRACH, "15/QĐ-UBND", "Chủ tịch")
    await discipline.decide(officer, case, decision, today=D(2026, 3, 27))
    return case


@dataclass
class DisciplineMatrix:
    rw: ReviewWorld
    users: dict[str, User]
    officer: Actor  # a personnel officer of the province, outside the matrix
    officials: dict[str, int]  # target -> the case's subject
    subjects: dict[str, Actor]  # target -> the subject's account
    cases: dict[str, int]  # target -> an open case, for reads


def _prepare(m: DisciplineMatrix) -> Prepare:
    async def prepare(role: str, method: str, path: str, target: str) -> dict[str, Any]:
        values: dict[str, Any] = {
            "case_id": m.cases[target],
            "stage": "review_meeting",
            "kind": "thong-bao-hop-kiem-diem",
        }
        if method == "POST" and path in ("/discipline", "/discipline/convictions"):
            values["official_id"] = m.officials[target]
        elif method == "POST" and "/steps/" in path:
            values["case_id"] = await _case(m.officer, m.officials[target])
        elif method == "POST" and "/appeals" in path:
            case = await _decided(m.officer, m.officials[target])
            values["case_id"] = case
            if "{appeal_id" in path:
                values["appeal_id"] = await discipline.submit_appeal(
                    m.subjects[target], case, "Khiếu nại"
                )
        return values

    return prepare


async def _call(client: Any, method: str, path: str, target: str, v: dict[str, Any]) -> Outcome:
    address = url(path, v)
    if method == "GET":
        return outcome_of(await client.get(address, follow_redirects=False))
    data: dict[str, str] = {}
    if path == "/discipline":
        data = {
            "official_id": str(v["official_id"]),
            "description": "Vi phạm quy chế làm việc",
            "violation_on": (clock.today() - timedelta(days=10)).isoformat(),
            "merited": "KHIEN_TRACH",
        }
    elif path == "/discipline/convictions":
        data = {
            "official_id": str(v["official_id"]),
            "description": "Tham ô tài sản",
            "violation_on": (clock.today() - timedelta(days=60)).isoformat(),
            "judgment_number": "25/2026/HS-ST",
            "court": "Tòa án nhân dân khu vực 1",
            "kind": "corruption",
            "received_on": (clock.today() - timedelta(days=2)).isoformat(),
        }
    elif "/steps/" in path:
        data = {"done_on": clock.today().isoformat(), "note": "Biên bản họp kiểm điểm"}
    elif path.endswith("/appeals"):
        data = {"text": "Tôi xin khiếu nại."}
    else:
        data = {"outcome": "rejected", "reason": "Không có căn cứ"}
    response = await client.post(address, data=data, headers=csrf(client), follow_redirects=False)
    return int(response.status_code)


async def test_rbac_matrix_of_discipline_routes(client: Any, rw: ReviewWorld) -> None:
    users = await matrix_users(rw)
    officer = await builders.actor(await builders.account("tochuc_p", role="personnel", unit="P"))
    officials = {
        "own_unit": rw.deputy.id,
        "own_record": rw.world.official_a.id,
        "other_unit": rw.world.official_b.id,
    }
    subjects = {
        "own_unit": await rw.actor("deputy_a"),
        "own_record": await builders.actor(users["official"]),
        "other_unit": await rw.actor("official_b"),
    }
    cases = {t: await _case(officer, officials[t]) for t in TARGETS}
    m = DisciplineMatrix(rw, users, officer, officials, subjects, cases)
    report = await run(client, users, MATRIX, _prepare(m), _call, LISTS)
    assert not report.failures, "\n".join(report.failures)
    assert report.cases == len(MATRIX) * len(ROLES) * len(TARGETS)
    assert report.denied >= cross_unit_calls(MATRIX, LISTS)
