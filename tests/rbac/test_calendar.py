"""The RBAC matrix of the working-day calendar page (lịch ngày làm việc): only
administrators reach /calendar, whatever the target (the calendar is the whole system's).
Every matrix account is scoped to commune A, so its administrator sees the province's
calendar read-only: announcing and withdrawing are refused (403) for every role. Changes
are sent in their harmless form (an empty announcement, a withdrawal without a reason),
so the matrix never changes the calendar; a province administrator's 400 for them is in
tests/announcements/test_calendar_page.py."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import csrf
from tests.rbac.spec import ROLES, Expect, Outcome, Route, matrix_users, roles, run, same
from tests.worlds import ReviewWorld

pytestmark = pytest.mark.anyio

ADMIN = ("admin",)

MATRIX: dict[Route, Expect] = {
    ("GET", "/calendar"): same(roles(200, ADMIN)),
    # A commune's administrator may not change the province's calendar.
    ("POST", "/calendar/announcements"): same(roles(403, ADMIN)),
    ("POST", "/calendar/announcements/{announcement_id:int}/withdraw"): same(roles(403, ADMIN)),
}


async def test_rbac_matrix_of_the_calendar_page(client, rw: ReviewWorld) -> None:
    users = await matrix_users(rw)

    async def prepare(role: str, method: str, path: str, on: str) -> dict[str, Any]:
        return {"announcement_id": 1}

    async def call(client: Any, method: str, path: str, on: str, v: dict[str, Any]) -> Outcome:
        address = path.replace("{announcement_id:int}", str(v["announcement_id"]))
        if method == "GET":
            response = await client.get(address, follow_redirects=False)
        else:
            response = await client.post(
                address, data={}, headers=csrf(client), follow_redirects=False
            )
        return int(response.status_code)

    report = await run(client, users, MATRIX, prepare, call, once=set(MATRIX))
    assert not report.failures, "\n".join(report.failures)
    assert report.cases == len(MATRIX) * len(ROLES) * 3
