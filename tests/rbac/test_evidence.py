"""The RBAC matrix of the PAR INDEX evidence register routes (tài liệu kiểm chứng): the
page, registering the system's documents, uploads, tags, the criteria list, the ZIP
export and its job page and file; every role × route × own unit / other unit / own
record.

The reporting officer, the personnel office, the administrator and a unit head read and
file documents within their scope (all matrix accounts are scoped to commune A): an
item of commune B is not found. The criteria list is the province's: a commune-scoped
account may not change it, whatever its role. An export is followed by whoever started
it and by an administrator whose scope holds the starter's unit, as every job. Records
here: an item of commune A, one of commune B; export jobs started by a colleague of
commune A, by commune B's head, and by the actor.
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from typing import Any

import pytest
from congvu.inspect.background.tables import JobRecord
from congvu.inspect.evidence import api as evidence
from congvu.inspect.evidence.tables import EvidenceItem

from tests.conftest import csrf
from tests.rbac.spec import (
    ROLES,
    Expect,
    Outcome,
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

FILERS = ("admin", "reporter", "personnel", "unit_head")
EXPORT: Expect = {
    "own_unit": {**roles(404, FILERS), "admin": 200},
    "own_record": roles(200, FILERS),
    "other_unit": roles(404, FILERS),
}

MATRIX: dict[Route, Expect] = {
    ("GET", "/evidence"): same(roles(200, FILERS)),
    ("POST", "/evidence/register"): same(roles(303, FILERS)),
    ("POST", "/evidence/upload"): same(roles(303, FILERS)),
    ("POST", "/evidence/items/{item_id:int}/tags"): scoped(303, FILERS),
    ("POST", "/evidence/criteria"): same(roles(403, ())),
    ("POST", "/evidence/exports"): same(roles(303, FILERS)),
    ("GET", "/evidence/exports/{job_id:uuid}"): EXPORT,
    ("GET", "/evidence/exports/{job_id:uuid}/status"): EXPORT,
    ("GET", "/evidence/exports/{job_id:uuid}/file"): EXPORT,
}
LISTS = {
    ("GET", "/evidence"),
    ("POST", "/evidence/register"),
    ("POST", "/evidence/upload"),
    ("POST", "/evidence/criteria"),
    ("POST", "/evidence/exports"),
}


def test_every_cross_unit_case_is_denied_in_the_matrix() -> None:
    assert cross_unit_not_denied(MATRIX, LISTS) == []


async def _item(unit: int, summary: str) -> int:
    now = datetime.now(UTC)
    row = EvidenceItem(
        year=2026,
        source_kind="minutes",
        source_ref=f"minutes:{unit}",
        number="1/BB",
        issued_on=date(2026, 2, 23),
        summary=summary,
        issuer_unit=unit,
        registered_at=now,
        updated_at=now,
    )
    await row.save()
    return int(row.id)


async def _job(user: int) -> uuid.UUID:
    now = datetime.now(UTC)
    job_id = uuid.uuid4()
    await JobRecord.insert(
        JobRecord(
            id=job_id,
            kind="export_evidence",
            arguments={"year": 2026, "user_id": user},
            status="done",
            progress=2,
            total=2,
            message="Đã đóng gói",
            result={
                "download": f"/evidence/exports/{job_id}/file",
                "year": 2026,
                "files": 0,
                "rows": 0,
                "changed": 0,
            },
            requested_by=user,
            created_at=now,
            finished_at=now,
            updated_at=now,
        )
    )
    path = evidence.export_file(str(job_id))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"PK\x05\x06" + b"\x00" * 18)
    return job_id


async def test_rbac_matrix_of_evidence_routes(client: Any, rw: ReviewWorld) -> None:
    world = rw.world
    users = await matrix_users(rw)
    await evidence.ensure_year(2026)
    criterion = (await evidence.criterion_ids(2026, ["4.3"]))[0]
    items = {
        "own_unit": await _item(world.commune_a.id, "Biên bản tại xã A"),
        "other_unit": await _item(world.commune_b.id, "Biên bản tại Xã Bình Minh"),
    }
    items["own_record"] = items["own_unit"]
    jobs = {
        "own_unit": await _job(rw.users["deputy_a"].id),
        "other_unit": await _job(rw.users["head_b"].id),
    }
    for role in ROLES:
        jobs[role] = await _job(users[role].id)
    uploads = iter(range(10_000))

    async def prepare(role: str, method: str, path: str, target: str) -> dict[str, Any]:
        return {
            "item_id": items[target],
            "job_id": jobs[role if target == "own_record" else target],
        }

    async def call(c: Any, method: str, path: str, target: str, v: dict[str, Any]) -> Outcome:
        address = url(path, v)
        if method == "GET":
            return outcome_of(await c.get(address, follow_redirects=False))
        form: dict[str, Any] = {"year": "2026"}
        files = None
        if path == "/evidence/upload":
            form |= {
                "number": "5/QĐ",
                "issued_on": "02/03/2026",
                "summary": "Tài liệu thử",
                "criteria": str(criterion),
            }
            body = f"%PDF-1.4\n% {next(uploads)}\n%%EOF\n".encode()
            files = {"file": ("tai-lieu.pdf", body, "application/pdf")}
        elif path.endswith("/tags"):
            form["criteria"] = str(criterion)
        elif path == "/evidence/criteria":
            form |= {"action": "add", "code": "9.9", "name": "Thử"}
        response = await c.post(
            address, data=form, files=files, headers=csrf(c), follow_redirects=False
        )
        return int(response.status_code)

    report = await run(client, users, MATRIX, prepare, call, LISTS)
    assert not report.failures, "\n".join(report.failures)
    assert report.cases == len(MATRIX) * len(ROLES) * 3
    assert report.denied >= cross_unit_calls(MATRIX, LISTS)
