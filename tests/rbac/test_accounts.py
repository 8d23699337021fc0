"""The RBAC matrix of account administration (quản lý tài khoản) and of one's own
sessions: only administrators reach /accounts; an account of commune A (``own_unit``)
or the administrator's own (``own_record``) is theirs to manage, commune B's
(``other_unit``) is not found. Calls that would lock the matrix out are sent in their
harmless form: "enable" an enabled account, an unknown session handle, an empty
role form; one's own second factor is refused (400)."""

from __future__ import annotations

from typing import Any

import pytest

from tests import builders
from tests.conftest import csrf
from tests.rbac.spec import (
    ROLES,
    Expect,
    Outcome,
    Route,
    cross_unit_calls,
    cross_unit_not_denied,
    leak_of,
    matrix_users,
    roles,
    run,
    same,
)
from tests.worlds import ReviewWorld

pytestmark = pytest.mark.anyio

ADMIN = ("admin",)
UNKNOWN = "0" * 16


def _account(ok: int, own: int | None = None) -> Expect:
    """A route on an account: administrators in scope, 404 across units."""
    return {
        "own_unit": roles(ok, ADMIN),
        "own_record": roles(ok if own is None else own, ADMIN),
        "other_unit": roles(404, ADMIN),
    }


MATRIX: dict[Route, Expect] = {
    ("GET", "/accounts"): same(roles(200, ADMIN)),
    ("GET", "/accounts/new"): same(roles(200, ADMIN)),
    ("POST", "/accounts/new"): same(roles(400, ADMIN)),
    ("GET", "/accounts/{account_id:int}"): _account(200),
    ("POST", "/accounts/{account_id:int}/active"): _account(303),
    ("POST", "/accounts/{account_id:int}/rights"): _account(400),
    ("POST", "/accounts/{account_id:int}/password-link"): _account(200),
    ("POST", "/accounts/{account_id:int}/second-factor/reset"): _account(303, own=400),
    ("POST", "/accounts/{account_id:int}/sessions/{handle:str}/end"): _account(404),
    ("POST", "/accounts/{account_id:int}/sessions/end-all"): _account(303),
    # Every account ends its own sessions; an unknown handle is not found.
    ("POST", "/account/security/sessions/{handle:str}/end"): same(roles(404, (), 404)),
    ("POST", "/account/security/sessions/end-others"): same(roles(303, ROLES)),
}
LISTS = {key for key in MATRIX if "{account_id" not in key[1]}


def test_every_cross_unit_case_is_denied_in_the_matrix() -> None:
    assert cross_unit_not_denied(MATRIX, LISTS) == []


async def test_rbac_matrix_of_account_administration(client, rw: ReviewWorld) -> None:
    users = await matrix_users(rw)
    target = await builders.account("m_target", role="official", unit="P-A")
    accounts = {"own_unit": target.id, "other_unit": rw.users["head_b"].id}

    async def prepare(role: str, method: str, path: str, on: str) -> dict[str, Any]:
        own = users[role].id
        return {"account_id": accounts.get(on, own), "handle": UNKNOWN}

    async def call(client: Any, method: str, path: str, on: str, v: dict[str, Any]) -> Outcome:
        address = path.replace("{account_id:int}", str(v["account_id"]))
        address = address.replace("{handle:str}", v["handle"])
        if method == "GET":
            response = await client.get(address, follow_redirects=False)
        else:
            data = {"active": "1"} if address.endswith("/active") else {}
            response = await client.post(
                address, data=data, headers=csrf(client), follow_redirects=False
            )
        if response.status_code == 200 and (secret := leak_of(response.text)):
            return f"200 shows {secret}"
        return int(response.status_code)

    report = await run(client, users, MATRIX, prepare, call)
    assert not report.failures, "\n".join(report.failures)
    assert report.cases == len(MATRIX) * len(ROLES) * 3
    assert report.denied >= cross_unit_calls(MATRIX, LISTS)
