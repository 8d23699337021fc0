"""What the tablet loads: the assigned inspections, and sealed surprise inspections."""

from __future__ import annotations

import pytest
from congvu.inspect.audit.tables import AuditEvent
from congvu.inspect.inspections.tables import Inspection, InspectionKind

from tests import builders
from tests.conftest import login
from tests.inspections.conftest import InspectionWorld, send_one, start_record

pytestmark = pytest.mark.anyio


async def sealed_surprise(iw: InspectionWorld) -> Inspection:
    return await builders.inspection(
        iw.world.commune_b,
        iw.day,
        kind=InspectionKind.SURPRISE_UNANNOUNCED.value,
        topics=["working_hours"],
        members=[iw.world.users["inspector"]],
        created_at=iw.inspection.created_at,
        sealed=True,
        approved_by=iw.lead.id,
    )


async def test_a_member_gets_roster_checklist_and_hours(client, iw) -> None:
    await login(client, "inspector")
    response = await client.get("/api/v1/inspections/assigned")
    assert response.status_code == 200
    (item,) = response.json()
    assert item["id"] == iw.inspection.id
    assert item["unit"] == {"id": iw.world.commune_a.id, "code": "P-A", "name": "Phường An Hòa"}
    assert item["kind"] == "SCHEDULED"
    assert item["scheduled_date"] == iw.day.isoformat()
    assert item["status"] == "planned"
    assert item["topics"] == ["working_hours", "conduct"]
    # Vietnamese name order: Hùng before Lan; sub-units included.
    assert [o["full_name"] for o in item["roster"]] == ["Trần Văn Hùng", "Nguyễn Thị Lan"]
    assert set(item["roster"][1]) == {"id", "code", "full_name", "position", "desk", "unit_name"}
    assert item["roster"][1]["desk"] == "Quầy 01"
    codes = {c["code"]: c for c in item["checklist"]}
    assert codes["NO_CARD"]["subject"] == "person"
    assert codes["NO_HOTLINE_POSTED"]["subject"] == "unit"
    assert set(codes["LATE_ARRIVAL"]) == {"code", "label_vi", "label_en", "subject", "severity"}
    assert item["sessions"] == {
        "morning_start": "07:30",
        "morning_end": "11:30",
        "afternoon_start": "13:30",
        "afternoon_end": "17:00",
    }


async def test_a_non_member_sees_nothing(client, iw) -> None:
    await login(client, "inspector2")
    assert (await client.get("/api/v1/inspections/assigned")).json() == []


async def test_a_sealed_surprise_inspection_is_invisible_to_outsiders_and_audited(
    client, iw
) -> None:
    surprise = await sealed_surprise(iw)
    await login(client, "inspector2")
    assert (await client.get("/api/v1/inspections/assigned")).json() == []
    await login(client, "lead")  # approver, not on the team
    assert surprise.id not in [
        i["id"] for i in (await client.get("/api/v1/inspections/assigned")).json()
    ]
    assert (await client.get(f"/inspections/{surprise.id}/minutes")).status_code == 200
    await login(client, "admin")
    assert (await client.get(f"/inspections/{surprise.id}/minutes")).status_code == 404
    await login(client, "inspector")
    ids = [i["id"] for i in (await client.get("/api/v1/inspections/assigned")).json()]
    assert surprise.id in ids
    views = await AuditEvent.select(AuditEvent.actor_username, AuditEvent.object_id).where(
        AuditEvent.action == "sealed_inspection_viewed"
    )
    assert {(v["actor_username"], v["object_id"]) for v in views} == {
        ("lead", str(surprise.id)),
        ("inspector", str(surprise.id)),
    }


async def test_starting_a_surprise_inspection_unseals_it(client, iw) -> None:
    surprise = await sealed_surprise(iw)
    await login(client, "inspector")
    rec = start_record(iw)
    rec["inspection_id"] = surprise.id
    assert (await send_one(client, rec))["status"] == "created"
    row = await Inspection.select(Inspection.sealed).where(Inspection.id == surprise.id).first()
    assert row["sealed"] is False
    before = await AuditEvent.count().where(AuditEvent.action == "sealed_inspection_viewed")
    await client.get("/api/v1/inspections/assigned")
    after = await AuditEvent.count().where(AuditEvent.action == "sealed_inspection_viewed")
    assert before == after
