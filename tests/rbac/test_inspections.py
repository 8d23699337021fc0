"""The RBAC matrix of the inspection routes: plans, minutes, the capture page, sync and
its conflicts, evidence photos; every role × route × own unit / other unit / own record.

Records here: inspections of commune A (one whose team the actor serves on, one not)
and of commune B, each in a plan; photos documenting a finding of each; the actor's own
upload. Writes get a fresh record per call and are checked on stored state as well.
"""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from congvu.inspect.capture.services import evidence
from congvu.inspect.inspections.tables import (
    Evidence,
    FindingEvidence,
    Inspection,
    InspectionPlan,
    SyncConflict,
)
from congvu.inspect.organisation.tables import User
from congvu.inspect.settings import get_settings

from tests import builders
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
    url,
)
from tests.worlds import ReviewWorld

pytestmark = pytest.mark.anyio

CAPTURE = ("inspector", "team_lead", "admin")
LEADS = ("team_lead", "admin")
MEMBERS = ("inspector", "team_lead")  # the roles a team is made of
NOBODY = roles(0, (), 404)


def by_target(own_unit: dict[str, int], own_record: dict[str, int]) -> Expect:
    return {"own_unit": own_unit, "own_record": own_record, "other_unit": NOBODY}


# readable_inspection: the team and, in scope, team leads and admins, and the unit's
# head once the minutes are submitted (all of these are).
READ_INSPECTION = by_target(
    own_unit=roles(200, ("admin", "team_lead", "unit_head"), 404),
    own_record=roles(200, ("admin", "team_lead", "unit_head", "inspector"), 404),
)
# The capture shell: a member's page; refused by role (403) or as no one's (404).
CAPTURE_PAGE = {
    "own_unit": roles(404, CAPTURE),
    "own_record": {**roles(404, CAPTURE), "inspector": 200, "team_lead": 200},
    "other_unit": roles(404, CAPTURE),
}
# A photo: its uploader; who may read the finding it documents (admins and team leads
# in scope, the finding's team); 404 for the rest of the capture roles.
READ_PHOTO = {
    "own_unit": {**roles(404, CAPTURE), "admin": 200, "team_lead": 200},
    "own_record": roles(200, CAPTURE),
    "other_unit": roles(404, CAPTURE),
}

MATRIX: dict[Route, Expect] = {
    ("GET", "/inspections/{inspection_id:int}/minutes"): READ_INSPECTION,
    ("GET", "/inspections/{inspection_id:int}/minutes.docx"): READ_INSPECTION,
    # Closing: the team's trưởng đoàn only; those who can read it 403, the rest 404.
    ("POST", "/inspections/{inspection_id:int}/close"): by_target(
        own_unit={**roles(403, ("admin", "team_lead", "unit_head"), 404)},
        own_record={
            **roles(403, ("admin", "team_lead", "unit_head"), 404),
            "inspector": 303,
            "team_lead": 303,
        },
    ),
    ("GET", "/inspections/{inspection_id:int}/capture"): CAPTURE_PAGE,
    # Per record: only the team may send (201); anyone else's record is 404.
    ("POST", "/api/v1/sync"): by_target(
        own_unit=NOBODY, own_record={**NOBODY, "inspector": 201, "team_lead": 201}
    ),
    # own_unit: the list without a filter (admins and team leads, within scope);
    # own_record / other_unit: ?inspection_id= of the team's / commune B's inspection.
    ("GET", "/api/v1/sync/conflicts"): {
        "own_unit": roles(200, LEADS, 404),
        "own_record": READ_INSPECTION["own_record"],
        "other_unit": NOBODY,
    },
    # Content-addressed: the caller must hold the bytes; a photo already stored (of any
    # unit) is answered 200 and left unchanged. See UNSCOPED.
    ("PUT", "/api/v1/evidence/{sha256:str}"): {
        "own_unit": roles(200, CAPTURE),
        "own_record": roles(201, CAPTURE),
        "other_unit": roles(200, CAPTURE),
    },
    ("GET", "/api/v1/evidence/{sha256:str}"): READ_PHOTO,
    ("GET", "/plans"): same(roles(200, LEADS)),
    ("GET", "/plans/new"): same(roles(200, LEADS)),
    ("POST", "/plans"): {
        "own_unit": roles(303, LEADS),
        "own_record": roles(303, LEADS),
        "other_unit": roles(404, LEADS),
    },
    ("POST", "/plans/team-check"): same(roles(200, LEADS)),
    ("GET", "/plans/{plan_id:int}"): {
        "own_unit": roles(200, LEADS),
        "own_record": roles(200, LEADS),
        "other_unit": roles(404, LEADS),
    },
    ("GET", "/plans/{plan_id:int}/plan.docx"): {
        "own_unit": roles(200, LEADS),
        "own_record": roles(200, LEADS),
        "other_unit": roles(404, LEADS),
    },
    # The plan's signer: whoever may see the plan (team leads and admins in scope).
    ("POST", "/plans/{plan_id:int}/signer"): {
        "own_unit": roles(303, LEADS),
        "own_record": roles(303, LEADS),
        "other_unit": roles(404, LEADS),
    },
    # The team decision: the team's trưởng đoàn or the planner (nobody planned these);
    # others who may read the inspection 403, across units 404, other roles 403.
    ("GET", "/plans/inspections/{inspection_id:int}/team-decision"): {
        "own_unit": roles(403, ()),
        "own_record": roles(200, ("team_lead",)),
        "other_unit": roles(404, LEADS),
    },
    ("POST", "/plans/inspections/{inspection_id:int}/team-decision"): {
        "own_unit": roles(403, ()),
        "own_record": roles(303, ("team_lead",)),
        "other_unit": roles(404, LEADS),
    },
    ("GET", "/plans/coverage"): same(roles(200, LEADS)),
    ("GET", "/plans/draw"): same(roles(200, LEADS)),
    ("POST", "/plans/draw"): same(roles(303, LEADS)),
}
# Routes without a record of a unit: every target is the same call, and what it shows
# of commune B is checked instead (the "shows …" outcomes).
LISTS = {
    ("GET", "/plans"),
    ("GET", "/plans/new"),
    ("POST", "/plans/team-check"),
    ("GET", "/plans/coverage"),
    ("GET", "/plans/draw"),
    ("POST", "/plans/draw"),
}
# Of those, the ones whose call is the same whatever the target (called once per role).
ONCE = LISTS - {("POST", "/plans/team-check")}
UNSCOPED = {("PUT", "/api/v1/evidence/{sha256:str}")}


def test_every_cross_unit_case_is_denied_in_the_matrix() -> None:
    assert cross_unit_not_denied(MATRIX, LISTS | UNSCOPED) == []


def _png(seed: int) -> bytes:
    """A photo of its own for each seed."""
    return builders.png((seed % 256, 80, 160), (16 + seed % 50, 16 + seed // 50))


@dataclass
class InspectionMatrix:
    rw: ReviewWorld
    users: dict[str, User]
    inspections: dict[str, int]  # target -> a submitted inspection
    plans: dict[str, int]
    photos: dict[str, bytes]  # own_unit / other_unit: photos documenting a finding
    own_photos: dict[str, bytes]  # role -> a photo the role uploaded
    serial: int = 0

    def fresh_png(self) -> bytes:
        self.serial += 1
        return _png(1000 + self.serial)

    def unit_of(self, target: str) -> int:
        world = self.rw.world
        return {
            "own_unit": world.commune_a.id,
            "own_record": world.desk_a.id,
            "other_unit": world.commune_b.id,
        }[target]


async def _inspection(unit_id: int, status: str, day: date, plan: int | None = None) -> int:
    return int((await builders.inspection(unit_id, day, status=status, plan=plan)).id)


async def _plan(title: str) -> int:
    today = datetime.now(get_settings().zone).date()
    row = InspectionPlan(
        title=title, period_kind="year", year=today.year, topics=[], created_at=datetime.now(UTC)
    )
    await row.save()
    return int(row.id)


async def _documenting_photo(
    rw: ReviewWorld, inspection_id: int, official: Any, seed: int
) -> bytes:
    """A photo uploaded by the province's inspector, as evidence of a finding."""
    data = _png(seed)
    sha = hashlib.sha256(data).hexdigest()
    await evidence.store(await rw.actor("inspector"), sha, data, None)
    inspection = await Inspection.objects().get(Inspection.id == inspection_id)
    assert inspection is not None
    finding = await rw.finding(official, inspection=inspection)
    stored = await Evidence.select(Evidence.id).where(Evidence.sha256 == sha).first()
    await FindingEvidence.insert(FindingEvidence(finding=finding, evidence=stored["id"]))
    return data


async def _conflict(inspection_id: int, facts: str) -> None:
    await SyncConflict.insert(
        SyncConflict(
            client_uuid=uuid.uuid4(),
            record_type="finding",
            inspection_id=inspection_id,
            stored_hash="a" * 64,
            rejected_hash="b" * 64,
            rejected_payload={"facts": facts},
            received_at=datetime.now(UTC),
        )
    )


async def _build(rw: ReviewWorld) -> InspectionMatrix:
    world = rw.world
    users = await matrix_users(rw)
    day = datetime.now(get_settings().zone).date() - timedelta(days=7)
    plans = {
        "own_unit": await _plan("Kế hoạch kiểm tra Phường An Hòa"),
        "own_record": await _plan("Kế hoạch của đoàn"),
        "other_unit": await _plan("Kế hoạch kiểm tra Xã Bình Minh"),
    }
    inspections = {
        "own_unit": await _inspection(world.commune_a.id, "submitted", day, plans["own_unit"]),
        "own_record": await _inspection(world.desk_a.id, "submitted", day, plans["own_record"]),
        "other_unit": await _inspection(world.commune_b.id, "submitted", day, plans["other_unit"]),
    }
    await builders.serve_on(inspections["own_record"], users["inspector"].id)
    await builders.serve_on(inspections["own_record"], users["team_lead"].id, "truong_doan")
    await builders.serve_on(inspections["other_unit"], world.users["inspector"].id)
    photos = {
        "own_unit": await _documenting_photo(rw, inspections["own_unit"], rw.deputy, 1),
        "other_unit": await _documenting_photo(rw, inspections["other_unit"], world.official_b, 2),
    }
    own_photos = {}
    for seed, role in enumerate(CAPTURE, start=10):
        data = _png(seed)
        actor = await builders.actor(users[role])
        await evidence.store(actor, hashlib.sha256(data).hexdigest(), data, None)
        own_photos[role] = data
    await _conflict(inspections["own_record"], "Bản gửi lại của đoàn")
    await _conflict(inspections["other_unit"], "Lê Văn Đức đến muộn")
    return InspectionMatrix(rw, users, inspections, plans, photos, own_photos)


def _prepare(m: InspectionMatrix) -> Prepare:
    async def prepare(role: str, method: str, path: str, target: str) -> dict[str, Any]:
        world = m.rw.world
        values: dict[str, Any] = {"inspection_id": m.inspections[target]}
        if path.endswith("/close") or path == "/api/v1/sync":
            status = "submitted" if path.endswith("/close") else "planned"
            day = datetime.now(get_settings().zone).date() - timedelta(days=1)
            unit = world.commune_b.id if target == "other_unit" else world.commune_a.id
            values["inspection_id"] = await _inspection(unit, status, day)
            values["day"] = day
            if target == "own_record" and role in MEMBERS:
                await builders.serve_on(values["inspection_id"], m.users[role].id, "truong_doan")
        elif path.startswith("/api/v1/evidence"):
            if target == "own_record":
                data = m.fresh_png() if method == "PUT" else m.own_photos.get(role, b"")
            else:
                data = m.photos[target]
            values["body"] = data or m.photos["own_unit"]
            values["sha256"] = hashlib.sha256(values["body"]).hexdigest()
        elif path.startswith("/plans"):
            values["plan_id"] = m.plans[target]
            values["unit"] = m.unit_of(target)
            lead = m.users["inspector"].id
            values["team"] = {"member": [str(lead)], f"role_{lead}": "truong_doan"}
            if path == "/plans/team-check":
                subject = "official_b" if target == "other_unit" else "official_a"
                values["team"] = {"member": [str(m.rw.users[subject].id)]}
        return values

    return prepare


async def _call(client: Any, method: str, path: str, target: str, v: dict[str, Any]) -> Outcome:
    address = url(path, v)
    headers = csrf(client)
    if path == "/api/v1/sync/conflicts":
        query = "" if target == "own_unit" else f"?inspection_id={v['inspection_id']}"
        return outcome_of(await client.get(address + query))
    if method == "GET":
        return outcome_of(await client.get(address, follow_redirects=False))
    if path.endswith("/close"):
        response = await client.post(address, headers=headers, follow_redirects=False)
        return await _unchanged(response, v["inspection_id"], "closed")
    if path == "/api/v1/sync":
        return await _sync(client, v)
    if method == "PUT":
        response = await client.put(
            address, content=v["body"], headers={**headers, "content-type": "image/png"}
        )
        return int(response.status_code)
    if path.endswith("/team-decision"):
        return await _team_decision_form(client, address, v)
    if path.endswith("/signer"):
        return await _signer_form(client, address, v)
    if path.startswith("/plans"):
        return await _plan_form(client, path, target, v)
    raise AssertionError(f"no call for {method} {path}")


async def _unchanged(response: Any, inspection_id: int, changed: str) -> Outcome:
    """The status, or what a refused write changed anyway."""
    row = await Inspection.select(Inspection.status).where(Inspection.id == inspection_id).first()
    if response.status_code >= 400 and row["status"] == changed:
        return f"{response.status_code} but {changed}"
    return int(response.status_code)


async def _sync(client: Any, v: dict[str, Any]) -> Outcome:
    moment = datetime.combine(v["day"], datetime.min.time(), tzinfo=get_settings().zone)
    start = {
        "uuid": str(uuid.uuid4()),
        "type": "start",
        "inspection_id": v["inspection_id"],
        "payload": {
            "started_at": (moment + timedelta(hours=8)).isoformat(),
            "place": "Trụ sở",
            # Yesterday may be a day off; who may start is what this matrix checks.
            "off_hours_reason": "Ca trực",
        },
    }
    response = await client.post("/api/v1/sync", json={"records": [start]}, headers=csrf(client))
    if response.status_code != 200:
        return int(response.status_code)
    (result,) = response.json()["results"]
    return await _unchanged_status(result["http_status"], v["inspection_id"])


async def _unchanged_status(status: int, inspection_id: int) -> Outcome:
    row = await Inspection.select(Inspection.status).where(Inspection.id == inspection_id).first()
    if status >= 400 and row["status"] != "planned":
        return f"{status} but {row['status']}"
    return status


async def _team_decision_form(client: Any, address: str, v: dict[str, Any]) -> Outcome:
    """A valid decision; a refused one must leave the inspection without it."""
    number = f"{uuid.uuid4().int % 1000}/QĐ-SNV"
    row = await Inspection.select(Inspection.scheduled_date).where(
        Inspection.id == v["inspection_id"]
    )
    form = {
        "number": number,
        "decided_on": (row[0]["scheduled_date"] - timedelta(days=3)).strftime("%d/%m/%Y"),
        "signer_name": "Đỗ Thanh Thắng",
        "signer_title": "Giám đốc Sở Nội vụ",
    }
    response = await client.post(address, data=form, headers=csrf(client), follow_redirects=False)
    stored = await Inspection.count().where(
        Inspection.id == v["inspection_id"], Inspection.team_decision_number == number
    )
    if response.status_code >= 400 and stored:
        return f"{response.status_code} but recorded"
    return int(response.status_code)


async def _signer_form(client: Any, address: str, v: dict[str, Any]) -> Outcome:
    """A signer; a refused one must leave the plan's signer as it was."""
    name = f"Người ký {uuid.uuid4().hex[:6]}"
    form = {"signer_name": name, "signer_title": "Giám đốc Sở Nội vụ"}
    response = await client.post(address, data=form, headers=csrf(client), follow_redirects=False)
    stored = await InspectionPlan.count().where(
        InspectionPlan.id == v["plan_id"], InspectionPlan.signer_name == name
    )
    if response.status_code >= 400 and stored:
        return f"{response.status_code} but recorded"
    return int(response.status_code)


async def _plan_form(client: Any, path: str, target: str, v: dict[str, Any]) -> Outcome:
    today = datetime.now(get_settings().zone).date()
    before = await Inspection.count().where(Inspection.unit == v["unit"])
    if path == "/plans/draw":
        form: dict[str, Any] = {
            "count": "1",
            "scheduled_date": today.isoformat(),
            "kind": "SURPRISE_UNANNOUNCED",
            "topic": ["working_hours"],
        }
    else:
        form = {
            "title": "Kế hoạch thử",
            "year": str(today.year),
            "quarter": str((today.month - 1) // 3 + 1),
            "topic": ["working_hours"],
            "unit": [str(v["unit"])],
            f"date_{v['unit']}": today.isoformat(),
        }
    # Today may be a day off; who may plan is what this matrix checks.
    form["off_day_reason"] = "Ca trực"
    response = await client.post(
        path, data={**form, **v["team"]}, headers=csrf(client), follow_redirects=False
    )
    if path == "/plans/team-check":
        return outcome_of(response)
    after = await Inspection.count().where(Inspection.unit == v["unit"])
    if target == "other_unit" and after != before:
        return f"{response.status_code} but planned in commune B"
    return int(response.status_code)


async def test_rbac_matrix_of_inspection_routes(client, rw: ReviewWorld) -> None:
    m = await _build(rw)
    report = await run(client, m.users, MATRIX, _prepare(m), _call, ONCE)
    assert not report.failures, "\n".join(report.failures)
    assert report.cases == len(MATRIX) * len(ROLES) * 3
    assert report.denied >= cross_unit_calls(MATRIX, LISTS | UNSCOPED)
