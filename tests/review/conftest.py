"""The world of the review tests: a submitted inspection of commune A with findings
recorded by the inspector, one of commune B, and the people separation of duties is
about (a deputy of commune A, the province's head)."""

from __future__ import annotations

import shutil
import uuid
from dataclasses import dataclass
from datetime import datetime, time, timedelta

import pytest
from congvu.inspect.actor import Actor
from congvu.inspect.inspections.tables import Finding, Inspection, InspectionMember
from congvu.inspect.organisation.services import accounts
from congvu.inspect.organisation.services import units as organisation
from congvu.inspect.organisation.tables import Official, User
from congvu.inspect.settings import get_settings

from tests.conftest import PASSWORD, World

MONDAY = datetime(2026, 3, 2, 9, 0, tzinfo=get_settings().zone)  # a working Monday


@dataclass
class ReviewWorld:
    world: World
    inspection_a: Inspection
    inspection_b: Inspection
    deputy: Official
    users: dict[str, User]

    async def actor(self, username: str) -> Actor:
        actor = await accounts.actor_for(self.users[username].id)
        assert actor is not None
        return actor

    async def finding(
        self,
        official: Official | None,
        code: str = "LATE_ARRIVAL",
        *,
        inspection: Inspection | None = None,
        recorded_by: str = "inspector",
        observed_at: datetime | None = None,
    ) -> int:
        inspection = inspection or self.inspection_a
        moment = observed_at or datetime.combine(
            inspection.scheduled_date, time(8, 10), tzinfo=get_settings().zone
        )
        row = Finding(
            client_uuid=uuid.uuid4(),
            inspection=inspection.id,
            official=official.id if official else None,
            unit=inspection.unit,
            violation_code=code,
            rule_id=f"conduct.{code}",
            rule_version="2025.1",
            legal_basis="CT 05/2008/CT-TTg",
            explanation_vi=f"{code}: đến 08:10, giờ bắt đầu 07:30",
            explanation_en=f"{code}: arrived 08:10, start 07:30",
            facts="Ghi nhận tại quầy",
            observed_at=moment,
            status="recorded",
            recorded_by=self.users[recorded_by].id,
            created_at=moment,
        )
        await row.save()
        return int(row.id)


async def _inspection(world: World, unit_id: int, day: datetime) -> Inspection:
    inspection = Inspection(
        unit=unit_id,
        kind="SCHEDULED",
        scheduled_date=day.date(),
        topics=["working_hours", "conduct"],
        status="submitted",
        created_at=day,
    )
    await inspection.save()
    await InspectionMember.insert(
        InspectionMember(
            inspection=inspection.id, user=world.users["inspector"].id, role="thanh_vien"
        )
    )
    return inspection


@pytest.fixture(autouse=True)
def _empty_media() -> None:
    shutil.rmtree(get_settings().media_dir, ignore_errors=True)


@pytest.fixture
async def rw(world: World) -> ReviewWorld:
    day = MONDAY - timedelta(days=7)
    inspection_a = await _inspection(world, world.commune_a.id, day)
    inspection_b = await _inspection(world, world.commune_b.id, day)
    deputy = await organisation.add_official(
        code="A003",
        full_name="Phạm Thị Mai",
        gender="nu",
        category="can_bo",
        position="Phó Chủ tịch UBND",
        unit_id=world.desk_a.id,
    )
    users = dict(world.users)
    for username, role, unit, official in [
        ("deputy_a", "unit_head", "P-A", "A003"),
        ("head_p", "unit_head", "P", None),
        ("lead", "team_lead", "P", None),
        ("inspector2", "inspector", "P", None),
        ("council", "council", "P", None),
        ("reporter", "reporter", "P", None),
        ("official_b", "official", "P-B", "B001"),
    ]:
        users[username] = await accounts.create_user(
            username=username,
            password=PASSWORD,
            role=role,
            unit_code=unit,
            display_name=username,
            official_code=official,
        )
    return ReviewWorld(world, inspection_a, inspection_b, deputy, users)


async def head_a_official(world: World) -> Official:
    row = await Official.objects().where(Official.code == "A002").first()
    assert row is not None
    return row


async def stored_photo(actor: Actor, colour: str = "green") -> str:
    """A real PNG stored as evidence; returns its sha256."""
    import hashlib
    import io

    from congvu.inspect.capture.services import evidence
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (32, 24), colour).save(buffer, format="PNG")
    data = buffer.getvalue()
    sha = hashlib.sha256(data).hexdigest()
    await evidence.store(actor, sha, data, None)
    return sha
