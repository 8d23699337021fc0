"""An import job's rows are counted by outcome for /metrics."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from pathlib import Path

import pytest
from congvu.inspect import db
from congvu.inspect.background.tables import JobRecord, JobStatus
from congvu.jobs import tasks
from prometheus_client import REGISTRY

from tests.conftest import World
from tests.dossiers.conftest import HEADER, write

pytestmark = pytest.mark.anyio

ROWS = [
    "L-1,Đăng ký khai sinh,Hộ tịch,P-A,,Trực tiếp,23/01/2025 09:00,24/01/2025,03/02/2025 10:00,,,,",
    "L-2,Đăng ký khai sinh,Hộ tịch,P-A,,Trực tiếp,20/01/2025 09:00,05/02/2025,,,,,",
    "BAD,x,y,P-A,,Trực tiếp,32/01/2025,,,,,,",
]
OUTCOMES = ("new", "changed", "unchanged", "rejected")


def counted() -> dict[str, float]:
    return {
        outcome: REGISTRY.get_sample_value("congvu_import_rows_total", {"outcome": outcome}) or 0.0
        for outcome in OUTCOMES
    }


async def queued_job() -> str:
    now = datetime.now(UTC)
    record = JobRecord(
        id=uuid.uuid4(),
        kind="dossier_import",
        arguments={},
        status=JobStatus.QUEUED.value,
        created_at=now,
        updated_at=now,
    )
    async with db.atomic():
        await JobRecord.insert(record)
    return str(record.id)


async def test_import_rows_are_counted_by_outcome(world: World, tmp_path: Path) -> None:
    path = write(tmp_path, [HEADER, *ROWS])
    admin = world.users["admin"].id
    before = counted()
    await tasks.dossier_import_task({}, await queued_job(), str(path), path.name, admin)
    await tasks.dossier_import_task({}, await queued_job(), str(path), path.name, admin)
    after = counted()
    assert {k: after[k] - before[k] for k in OUTCOMES} == {
        "new": 2,
        "changed": 0,
        "unchanged": 2,
        "rejected": 2,
    }
