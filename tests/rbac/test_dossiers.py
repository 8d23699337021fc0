"""The RBAC matrix of the dossier routes (hồ sơ TTHC pages, import, saved column
mappings, rejected rows, the published 766 values of a unit, the head's review of a
flagged dossier) and of the job pages the imports report on; every role × route × own
unit / other unit / own record.

Records here: dossiers of commune A, of its service centre (handled by the official)
and of commune B; import batches, column mappings and jobs started by a colleague of
commune A, by commune B's head, and by the actor.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from congvu.inspect import clock
from congvu.inspect.audit.tables import AuditEvent
from congvu.inspect.background.tables import JobRecord
from congvu.inspect.dossiers.tables import (
    ColumnMapping,
    Dossier,
    ImportBatch,
    RejectedRow,
)
from congvu.inspect.organisation.tables import User
from congvu.inspect.periods import report_scheme
from congvu.inspect.review.tables import DossierDecision
from congvu.rules.periods import PeriodKind, period_of

from tests.conftest import csrf
from tests.rbac.spec import (
    ROLES,
    STAFF,
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

IMPORT = ("admin", "reporter", "unit_head")
# An export of one row the import rejects (no date): the upload's job ends quickly.
EXPORT = "Mã hồ sơ,Tên thủ tục,Đơn vị,Ngày tiếp nhận,Ngày hẹn trả\r\nRBAC-1,Thủ tục,,,\r\n"
NOBODY = roles(0, (), 404)
# A job: whoever started it, and an administrator whose scope holds the starter's unit.
JOB: Expect = {
    "own_unit": {**NOBODY, "admin": 200},
    "own_record": roles(200, ROLES),
    "other_unit": NOBODY,
}

REVIEWERS = ("admin", "unit_head")
# A quarter long begun, whose published values any call may enter or replace.
QUARTER = period_of(clock.today() - timedelta(days=200), PeriodKind.QUARTER, report_scheme()).name


def review_dossier(ok: int) -> Expect:
    mine = {**roles(403, ROLES), **{r: ok for r in REVIEWERS}}
    return {
        "own_unit": mine,
        "own_record": mine,
        "other_unit": {**roles(403, ROLES), **{r: 404 for r in REVIEWERS}},
    }


MATRIX: dict[Route, Expect] = {
    ("GET", "/dossiers"): same(roles(200, STAFF)),
    ("GET", "/dossiers/units/{unit_id:int}"): scoped(200, STAFF),
    ("GET", "/dossiers/units/{unit_id:int}/flagged"): scoped(200, STAFF),
    ("GET", "/dossiers/{dossier_id:int}"): scoped(200, STAFF),
    ("GET", "/dossiers/import"): same(roles(200, IMPORT)),
    # The form's default unit: within scope, else 404 before anything is stored.
    ("POST", "/dossiers/import"): scoped(303, IMPORT),
    # Saved mappings are shared by name; one made in commune B is not commune A's to
    # replace (403: every importer sees the names).
    ("POST", "/dossiers/import/mappings"): {
        "own_unit": roles(303, IMPORT),
        "own_record": roles(303, IMPORT),
        "other_unit": roles(403, IMPORT),
    },
    ("GET", "/dossiers/import/batches/{batch_id:int}/rejected.csv"): scoped(200, IMPORT),
    # Giá trị công bố: whoever may import the unit's dossiers, within scope.
    ("POST", "/dossiers/units/{unit_id:int}/published"): scoped(303, IMPORT),
    # Xem xét hồ sơ trễ hạn: a reviewer of the unit only; anyone else is refused by role.
    ("GET", "/review/dossiers/{dossier_id:int}"): review_dossier(200),
    ("POST", "/review/dossiers/{dossier_id:int}/decision"): review_dossier(303),
    ("GET", "/api/v1/review/dossiers/{dossier_id:int}"): review_dossier(200),
    ("POST", "/api/v1/review/dossiers/{dossier_id:int}/decision"): review_dossier(200),
    ("GET", "/jobs/{job_id:uuid}"): JOB,
    ("GET", "/jobs/{job_id:uuid}/status"): JOB,
    ("GET", "/api/v1/jobs/{job_id:uuid}"): JOB,
}
LISTS = {("GET", "/dossiers"), ("GET", "/dossiers/import")}


def test_every_cross_unit_case_is_denied_in_the_matrix() -> None:
    assert cross_unit_not_denied(MATRIX, LISTS) == []


@dataclass
class DossierMatrix:
    rw: ReviewWorld
    users: dict[str, User]
    units: dict[str, int]
    codes: dict[str, str]
    dossiers: dict[str, int]
    batches: dict[str, int]  # own_unit / other_unit, and one per role
    mappings: dict[str, str]
    jobs: dict[str, uuid.UUID]
    handlers: dict[str, tuple[int, int | None, str]]  # target → unit, official, name


async def _dossier(code: str, unit: int, official: int | None, name: str) -> int:
    received = datetime(2025, 1, 20, 2, 0, tzinfo=UTC)
    row = Dossier(
        code=code,
        procedure="Đăng ký khai sinh",
        sector="Hộ tịch",
        unit=unit,
        official=official,
        official_name=name,
        received_at=received,
        due_at=datetime(2025, 1, 24, 10, 0, tzinfo=UTC),
        finished_at=datetime(2025, 2, 3, 3, 0, tzinfo=UTC),
        status="late",
        working_days_late=5,
        flags="RESOLVED_LATE",
    )
    await row.save()
    return int(row.id)


async def _batch(unit: int, user: int, file_name: str, rejected: str | None = None) -> int:
    now = datetime.now(UTC)
    row = ImportBatch(
        file_name=file_name,
        checksum=uuid.uuid4().hex,
        unit=unit,
        exported_at=now,
        as_of=date(2025, 2, 10),
        status="done",
        rows_rejected=1 if rejected else 0,
        requested_by=user,
        started_at=now,
    )
    await row.save()
    if rejected:
        await RejectedRow.insert(
            RejectedRow(
                batch=row.id,
                row_number=2,
                column="Ngày tiếp nhận",
                reason="Ngày không hợp lệ",
                cells={"Cán bộ xử lý": rejected},
            )
        )
    return int(row.id)


async def _mapping(name: str, user: int) -> str:
    await ColumnMapping.insert(
        ColumnMapping(
            name=name, columns={"code": "Mã hồ sơ"}, created_by=user, created_at=datetime.now(UTC)
        )
    )
    return name


async def _job(user: int) -> uuid.UUID:
    now = datetime.now(UTC)
    job_id = uuid.uuid4()
    await JobRecord.insert(
        JobRecord(
            id=job_id,
            kind="unit_statistics",
            arguments={},
            status="done",
            progress=1,
            total=1,
            message="Xong",
            result={"officials": 3},
            requested_by=user,
            created_at=now,
            finished_at=now,
            updated_at=now,
        )
    )
    return job_id


async def _build(rw: ReviewWorld) -> DossierMatrix:
    world = rw.world
    users = await matrix_users(rw)
    colleague = rw.users["deputy_a"].id  # a unit head of commune A, not in the matrix
    head_b = rw.users["head_b"].id
    units = {
        "own_unit": world.commune_a.id,
        "own_record": world.desk_a.id,
        "other_unit": world.commune_b.id,
    }
    handlers = {
        "own_unit": (world.commune_a.id, None, ""),
        "own_record": (world.desk_a.id, world.official_a.id, "Nguyễn Thị Lan"),
        "other_unit": (world.commune_b.id, world.official_b.id, "Lê Văn Đức"),
    }
    codes_by_target = {"own_unit": "A-UNIT", "own_record": "A-OWN", "other_unit": "B-LATE"}
    dossiers = {t: await _dossier(codes_by_target[t], *handlers[t]) for t in handlers}
    batches = {
        "own_unit": await _batch(
            world.commune_a.id, colleague, "phuong-an-hoa.csv", "Trần Văn Hùng"
        ),
        "other_unit": await _batch(world.commune_b.id, head_b, "B001-xuat.csv", "Lê Văn Đức"),
    }
    mappings = {
        "own_unit": await _mapping("Mẫu của phường", colleague),
        "other_unit": await _mapping("Mẫu của xã", head_b),
    }
    jobs = {"own_unit": await _job(colleague), "other_unit": await _job(head_b)}
    for role in ROLES:
        batches[role] = await _batch(world.desk_a.id, users[role].id, f"{role}.csv")
        mappings[role] = await _mapping(f"Mẫu {role}", users[role].id)
        jobs[role] = await _job(users[role].id)
    codes = {"own_unit": "P-A", "own_record": "p-a-pvhcc", "other_unit": "P-B"}
    return DossierMatrix(rw, users, units, codes, dossiers, batches, mappings, jobs, handlers)


def _prepare(m: DossierMatrix) -> Prepare:
    async def prepare(role: str, method: str, path: str, target: str) -> dict[str, Any]:
        own = role if target == "own_record" else target
        dossier = m.dossiers[target]
        if method == "POST" and path.endswith("/decision"):
            # A decision closes the dossier's flags: each call gets a fresh flagged dossier.
            unit, official, name = m.handlers[target]
            dossier = await _dossier(
                f"{target}-{role}-{uuid.uuid4().hex[:8]}", unit, official, name
            )
        return {
            "unit_id": m.units[target],
            "unit_code": m.codes[target],
            "dossier_id": dossier,
            "batch_id": m.batches[own],
            "mapping": m.mappings[own],
            "job_id": m.jobs[own],
        }

    return prepare


async def _published_events() -> int:
    return int(await AuditEvent.count().where(AuditEvent.action == "published_index_recorded"))


async def _call(client: Any, method: str, path: str, target: str, v: dict[str, Any]) -> Outcome:
    address = url(path, v)
    headers = csrf(client)
    if method == "GET":
        return outcome_of(await client.get(address, follow_redirects=False))
    if path == "/dossiers/import":
        jobs = await JobRecord.count()
        response = await client.post(
            address,
            data={"unit_code": v["unit_code"]},
            files=[("file", ("xuat.csv", EXPORT.encode(), "text/csv"))],
            headers=headers,
            follow_redirects=False,
        )
        if response.status_code >= 400 and await JobRecord.count() != jobs:
            return f"{response.status_code} but queued"
        return int(response.status_code)
    if path.endswith("/decision"):
        reason = "Chậm do chờ công dân bổ sung giấy tờ."
        if path.startswith("/api/"):
            body = {"action": "dismiss", "reason": reason}
            response = await client.post(address, json=body, headers=headers)
        else:
            response = await client.post(
                address,
                data={"action": "dismiss", "reason": reason, "official_id": ""},
                headers=headers,
                follow_redirects=False,
            )
        decided = await DossierDecision.exists().where(DossierDecision.dossier == v["dossier_id"])
        if decided != (response.status_code < 400):
            return f"{response.status_code} but decided={decided}"
        return int(response.status_code)
    if path.endswith("/published"):
        before = await _published_events()
        response = await client.post(
            address,
            data={"period": QUARTER, "timeliness": "92,4", "online": "61,0", "source": "RBAC"},
            headers=headers,
            follow_redirects=False,
        )
        recorded = await _published_events() != before
        if recorded != (response.status_code < 400):
            return f"{response.status_code} but recorded={recorded}"
        return int(response.status_code)
    if path == "/dossiers/import/mappings":
        response = await client.post(
            address,
            data={"name": v["mapping"], "f_code": "Số biên nhận"},
            headers=headers,
            follow_redirects=False,
        )
        return int(response.status_code)
    raise AssertionError(f"no call for {method} {path}")


async def test_rbac_matrix_of_dossier_and_job_routes(client, rw: ReviewWorld) -> None:
    m = await _build(rw)
    report = await run(client, m.users, MATRIX, _prepare(m), _call, LISTS)
    assert not report.failures, "\n".join(report.failures)
    assert report.cases == len(MATRIX) * len(ROLES) * 3
    assert report.denied >= cross_unit_calls(MATRIX, LISTS)
