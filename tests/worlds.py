"""The organisations the tests run in, built with tests/builders.py.

* ``World``: province P with its Sở Nội vụ and two communes, A (with a one-stop centre)
  and B; one official at A's desk, A's chairman, one official of B; one account per
  role the permission tests need.
* ``ReviewWorld``: the world plus what review and the RBAC matrix act on: a submitted
  inspection of each commune, a deputy of commune A, the province's head and one account
  of every other role.

tests/conftest.py serves them as the ``world`` and ``rw`` fixtures.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from congvu.inspect.actor import Actor
from congvu.inspect.inspections.tables import Finding, Inspection
from congvu.inspect.organisation.tables import Official, Unit, User
from congvu.inspect.settings import get_settings

from tests import builders

MONDAY = datetime(2026, 3, 2, 9, 0, tzinfo=get_settings().zone)  # a working Monday


@dataclass
class World:
    """A small organisation: province P with a department (the inspectors' home) and
    two communes A and B; one account per role that the permission tests need."""

    province: Unit
    department: Unit
    commune_a: Unit
    desk_a: Unit
    commune_b: Unit
    official_a: Official
    official_b: Official
    users: dict[str, User]


async def build_world() -> World:
    province = await builders.unit("P", "Tỉnh Thử Nghiệm", kind="province")
    department = await builders.unit("P-SNV", "Sở Nội vụ", kind="department", parent="P")
    commune_a = await builders.unit("P-A", "Phường An Hòa", parent="P", commune_type="phuong")
    desk_a = await builders.unit(
        "P-A-PVHCC", "Trung tâm PVHCC phường An Hòa", kind="service_centre", parent="P-A"
    )
    commune_b = await builders.unit("P-B", "Xã Bình Minh", parent="P", commune_type="xa")
    official_a = await builders.official(
        desk_a,
        "A001",
        "Nguyễn Thị Lan",
        gender="nu",
        position="Chuyên viên một cửa",
        desk="Quầy 01",
    )
    head_a = await builders.official(
        commune_a,
        "A002",
        "Trần Văn Hùng",
        category="can_bo",
        position="Chủ tịch UBND",
        is_leader=True,
    )
    official_b = await builders.official(commune_b, "B001", "Lê Văn Đức")
    users: dict[str, User] = {}
    for username, role, unit, official in [
        ("admin", "admin", "P", None),
        ("inspector", "inspector", "P", None),
        ("head_a", "unit_head", "P-A", head_a),
        ("head_b", "unit_head", "P-B", None),
        ("official_a", "official", "P-A", official_a),
    ]:
        users[username] = await builders.account(username, role=role, unit=unit, official=official)
    return World(province, department, commune_a, desk_a, commune_b, official_a, official_b, users)


@dataclass
class ReviewWorld:
    world: World
    inspection_a: Inspection
    inspection_b: Inspection
    deputy: Official
    users: dict[str, User]

    async def actor(self, username: str) -> Actor:
        return await builders.actor(self.users[username])

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
            version_state="current",
            recorded_by=self.users[recorded_by].id,
            created_at=moment,
        )
        await row.save()
        return int(row.id)


async def submitted_inspection(world: World, unit: Unit | int, day: datetime) -> Inspection:
    """An inspection of ``unit`` whose minutes were submitted, the inspector on its team."""
    return await builders.inspection(
        unit, day.date(), status="submitted", members=[world.users["inspector"]], created_at=day
    )


async def build_review_world(world: World) -> ReviewWorld:
    day = MONDAY - timedelta(days=7)
    inspection_a = await submitted_inspection(world, world.commune_a, day)
    inspection_b = await submitted_inspection(world, world.commune_b, day)
    deputy = await builders.official(
        world.desk_a,
        "A003",
        "Phạm Thị Mai",
        gender="nu",
        category="can_bo",
        position="Phó Chủ tịch UBND",
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
        users[username] = await builders.account(username, role=role, unit=unit, official=official)
    return ReviewWorld(world, inspection_a, inspection_b, deputy, users)
