"""The RBAC matrix of the quarterly report routes (báo cáo quý): the page, starting a
build, following it, downloading a version; every role × route × own unit / other unit
/ own record.

A unit head builds and reads reports of their own unit; a reporting officer and an
administrator those of their scope (all matrix accounts are scoped to commune A). A
build is followed by whoever started it and by an administrator whose scope holds the
starter's unit, as every job. Records here: snapshots of commune A, of its service
centre and of commune B; build jobs started by a colleague of commune A, by commune B's
head, and by the actor.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

import pytest
from congvu.inspect.background.tables import JobRecord
from congvu.inspect.organisation.tables import User
from congvu.inspect.reports.tables import ReportSnapshot
from congvu.inspect.settings import get_settings

from tests.conftest import csrf
from tests.rbac.spec import (
    ROLES,
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
    scoped,
    url,
)
from tests.worlds import ReviewWorld

pytestmark = pytest.mark.anyio

REPORTERS = ("admin", "reporter", "unit_head")
DRAWERS = ("admin", "team_lead")
# A build: whoever started it, an administrator whose scope holds the starter's unit;
# the page itself is for the reporting roles only.
BUILD: Expect = {
    "own_unit": {**roles(404, REPORTERS), "admin": 200},
    "own_record": roles(200, REPORTERS),
    "other_unit": roles(404, REPORTERS),
}

MATRIX: dict[Route, Expect] = {
    ("GET", "/reports"): same(roles(200, REPORTERS)),
    ("POST", "/reports"): scoped(303, REPORTERS),
    ("GET", "/reports/builds/{job_id:uuid}"): BUILD,
    ("GET", "/reports/builds/{job_id:uuid}/status"): BUILD,
    ("GET", "/reports/snapshots/{snapshot_id:int}/file"): scoped(200, REPORTERS),
    # The dashboard: for the actor's scope, naming nothing outside it; team leads see
    # it too, and they and administrators draw with its suggestions (an empty form: 400).
    ("GET", "/dashboard"): same(roles(200, (*REPORTERS, "team_lead"))),
    ("GET", "/dashboard/draw"): same(roles(200, DRAWERS)),
    ("POST", "/dashboard/draw"): same(roles(400, DRAWERS)),
}
LISTS = {
    ("GET", "/reports"),
    ("GET", "/dashboard"),
    ("GET", "/dashboard/draw"),
    ("POST", "/dashboard/draw"),
}


def test_every_cross_unit_case_is_denied_in_the_matrix() -> None:
    assert cross_unit_not_denied(MATRIX, LISTS) == []


@dataclass
class ReportMatrix:
    users: dict[str, User]
    codes: dict[str, str]
    snapshots: dict[str, int]
    jobs: dict[str, uuid.UUID]


def _snapshot_sync(code: str) -> str:
    media = get_settings().media_dir
    relative = f"reports/{code}/2026-Q1-nd09-v1.xlsx"
    (media / relative).parent.mkdir(parents=True, exist_ok=True)
    (media / relative).write_bytes(b"PK\x03\x04 workbook")
    return relative


async def _snapshot(unit: int, code: str, user: int) -> int:
    row = ReportSnapshot(
        unit=unit,
        period="2026-Q1",
        scheme="nd09",
        first_day=date(2025, 12, 15),
        last_day=date(2026, 3, 14),
        version=1,
        data_hash="0" * 64,
        parameters={},
        rule_versions={},
        file_path=_snapshot_sync(code),
        file_sha256="0" * 64,
        size_bytes=16,
        created_by=user,
        created_at=datetime.now(UTC),
    )
    await row.save()
    return int(row.id)


async def _job(user: int, unit_code: str) -> uuid.UUID:
    now = datetime.now(UTC)
    job_id = uuid.uuid4()
    await JobRecord.insert(
        JobRecord(
            id=job_id,
            kind="build_report",
            arguments={"period": "2026-Q1", "unit_code": unit_code, "user_id": user},
            status="done",
            progress=4,
            total=4,
            message="Đã lập báo cáo",
            result={"snapshot_id": 1, "version": 1, "reused": False, "download": "/reports"},
            requested_by=user,
            created_at=now,
            finished_at=now,
            updated_at=now,
        )
    )
    return job_id


async def _build(rw: ReviewWorld) -> ReportMatrix:
    world = rw.world
    users = await matrix_users(rw)
    colleague = rw.users["deputy_a"].id
    head_b = rw.users["head_b"].id
    snapshots = {
        "own_unit": await _snapshot(world.commune_a.id, "P-A", colleague),
        "own_record": await _snapshot(world.desk_a.id, "P-A-PVHCC", colleague),
        "other_unit": await _snapshot(world.commune_b.id, "P-B", head_b),
    }
    jobs = {"own_unit": await _job(colleague, "P-A"), "other_unit": await _job(head_b, "P-B")}
    for role in ROLES:
        jobs[role] = await _job(users[role].id, "P-A")
    codes = {"own_unit": "P-A", "own_record": "P-A-PVHCC", "other_unit": "P-B"}
    return ReportMatrix(users, codes, snapshots, jobs)


def _prepare(m: ReportMatrix) -> Prepare:
    async def prepare(role: str, method: str, path: str, target: str) -> dict[str, Any]:
        return {
            "unit_code": m.codes[target],
            "snapshot_id": m.snapshots[target],
            "job_id": m.jobs[role if target == "own_record" else target],
        }

    return prepare


async def _call(client: Any, method: str, path: str, target: str, v: dict[str, Any]) -> Outcome:
    address = url(path, v)
    if method == "GET":
        return outcome_of(await client.get(address, follow_redirects=False))
    if path == "/reports":
        jobs = await JobRecord.count()
        response = await client.post(
            address,
            data={"quarter": "2026-Q1", "unit_code": v["unit_code"]},
            headers=csrf(client),
            follow_redirects=False,
        )
        queued = await JobRecord.count() != jobs
        if queued != (response.status_code == 303):
            return f"{response.status_code} but queued={queued}"
        return int(response.status_code)
    if path == "/dashboard/draw":
        response = await client.post(address, data={}, headers=csrf(client), follow_redirects=False)
        return int(response.status_code)
    raise AssertionError(f"no call for {method} {path}")


async def test_rbac_matrix_of_report_routes(client, rw: ReviewWorld) -> None:
    m = await _build(rw)
    report = await run(client, m.users, MATRIX, _prepare(m), _call, LISTS)
    assert not report.failures, "\n".join(report.failures)
    assert report.cases == len(MATRIX) * len(ROLES) * 3
    assert report.denied >= cross_unit_calls(MATRIX, LISTS)
