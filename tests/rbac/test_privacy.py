"""The RBAC matrix of the personal-data download (tải dữ liệu cá nhân): every role ×
target. An account linked to an official downloads their own data (``own_record``:
no code; the matrix's official is official A, its unit head is linked to A002); a
personnel officer downloads an official's of their unit scope on their behalf
(``own_unit``: the deputy of commune A, A003); commune B's official (``other_unit``,
B001) is outside every matrix account's scope. Anyone else is refused by role. A
download that succeeds must be the ZIP of the official asked for.
"""

from __future__ import annotations

import io
import json
import zipfile
from typing import Any

import pytest

from tests.rbac.spec import (
    ROLES,
    Expect,
    Outcome,
    Route,
    cross_unit_calls,
    cross_unit_not_denied,
    matrix_users,
    roles,
    run,
)
from tests.worlds import ReviewWorld

pytestmark = pytest.mark.anyio

LINKED = ("unit_head", "official")  # the matrix accounts linked to an official
CODES = {"own_unit": "A003", "other_unit": "B001"}
OWN = {"unit_head": "A002", "official": "A001"}

MATRIX: dict[Route, Expect] = {
    ("GET", "/personal-data/export"): {
        "own_record": roles(200, LINKED),
        "own_unit": roles(200, ("personnel",)),
        "other_unit": {r: 404 if r == "personnel" else 403 for r in ROLES},
    },
}


def test_every_cross_unit_case_is_denied_in_the_matrix() -> None:
    assert cross_unit_not_denied(MATRIX, set()) == []


async def _prepare(role: str, method: str, path: str, target: str) -> dict[str, Any]:
    return {"role": role}


async def _call(client: Any, method: str, path: str, target: str, v: dict[str, Any]) -> Outcome:
    params = {} if target == "own_record" else {"code": CODES[target]}
    response = await client.get(path, params=params, follow_redirects=False)
    if response.status_code != 200:
        return int(response.status_code)
    index = json.loads(zipfile.ZipFile(io.BytesIO(response.content)).read("index.json"))
    wanted = OWN.get(v["role"]) if target == "own_record" else CODES[target]
    if index["subject"]["code"] != wanted:
        return f"200 but the ZIP of {index['subject']['code']}"
    return 200


async def test_rbac_matrix_of_the_personal_data_download(client, rw: ReviewWorld) -> None:
    users = await matrix_users(rw)
    report = await run(client, users, MATRIX, _prepare, _call)
    assert not report.failures, "\n".join(report.failures)
    assert report.cases == len(MATRIX) * len(ROLES) * 3
    assert report.denied >= cross_unit_calls(MATRIX, set())
