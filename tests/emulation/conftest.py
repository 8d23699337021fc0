"""The rating tests run in the review world (``rw``, tests/worlds.py) plus commune C
(``Phường Cẩm Thành``), eighteen công chức in two task groups, its head and the province's
personnel officer. The clock's "today" is fixed at 10/09/2026 (late in the NĐ 09/2019
third quarter, 15/06 – 14/09/2026); discipline standings are passed as data by replacing
the one source call (``discipline_source.standings``)."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Collection
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

import anyio
import pytest
from congvu.inspect import clock
from congvu.inspect.background.tables import JobRecord
from congvu.inspect.emulation.services import discipline_source
from congvu.inspect.organisation.tables import Official
from congvu.inspect.review import api as review
from congvu.inspect.review.api import Command
from congvu.inspect.settings import get_settings
from congvu.rules.discipline_standing import DisciplineStanding

from tests import builders
from tests.test_jobs import run_worker_until_idle
from tests.worlds import ReviewWorld

ZONE = get_settings().zone
TODAY = date(2026, 9, 10)


def at(day: date, hour: int = 9) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=ZONE)


@dataclass
class Commune:
    x: list[Official]  # group X: 8 officials
    y: list[Official]  # group Y: 10 officials


@pytest.fixture(autouse=True)
def _today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(clock, "today", lambda: TODAY)


@pytest.fixture
def standings(monkeypatch: pytest.MonkeyPatch) -> dict[int, DisciplineStanding]:
    """Fill this mapping with an official's standing; everyone else is clean."""
    given: dict[int, DisciplineStanding] = {}

    async def fake(ids: Collection[int], start: date, end: date) -> dict[int, DisciplineStanding]:
        return {oid: given.get(oid, DisciplineStanding(oid)) for oid in ids}

    monkeypatch.setattr(discipline_source, "standings", fake)
    return given


@pytest.fixture
async def commune_c(rw: ReviewWorld) -> Commune:
    unit = await builders.unit("P-C", "Phường Cẩm Thành", parent="P", commune_type="phuong")
    names = [
        "Nguyễn Văn Bình", "Trần Thị Cúc", "Lê Văn Dũng", "Phạm Thị Giang", "Hoàng Văn Hải",
        "Vũ Thị Hoa", "Đặng Văn Khoa", "Bùi Thị Lan", "Đỗ Văn Minh", "Hồ Thị Nga",
        "Ngô Văn Phúc", "Dương Thị Quỳnh", "Lý Văn Sơn", "Mai Thị Tâm", "Cao Văn Thắng",
        "Phan Thị Uyên", "Trịnh Văn Vinh", "Lương Thị Yến",
    ]  # fmt: skip
    officials = [
        await builders.official(unit, f"C{n:02d}", name, gender="nu" if " Thị " in name else "nam")
        for n, name in enumerate(names, start=1)
    ]
    for username, role, unit in [("tochuc", "personnel", "P"), ("head_c", "unit_head", "P-C")]:
        rw.users[username] = await builders.account(username, role=role, unit=unit)
    return Commune(officials[:8], officials[8:])


async def confirmed(
    rw: ReviewWorld,
    official: Official,
    code: str,
    notified: date,
    decided: date,
    *,
    outcome: str = "confirm",
) -> int:
    """A finding about ``official`` notified on ``notified``, its window waived, then
    decided on ``decided`` by commune A's head."""
    finding = await rw.finding(official, code)
    head = await rw.actor("head_a")
    await review.transition(head, finding, Command("notify"), now=at(notified))
    await review.transition(
        head, finding, Command("waive", reason="Đã làm việc trực tiếp"), now=at(notified)
    )
    await review.transition(head, finding, Command(outcome, reason="Đã đối chiếu"), now=at(decided))
    return finding


def form(client: Any, **values: Any) -> dict[str, Any]:
    return {
        "_csrf_token": client.cookies.get("csrftoken"),
        **{k: str(v) for k, v in values.items()},
    }


Post = Callable[..., Any]


async def job_done(job_id: uuid.UUID, limit: float = 60) -> dict[str, Any]:
    """Runs the queue when no embedded worker does (real Redis), then waits for the
    job's record to finish; its row."""
    settings = get_settings()
    if not settings.embedded:
        await run_worker_until_idle(settings.redis_url or "")
    with anyio.fail_after(limit):
        while True:
            row = (
                await JobRecord.select()
                .where(JobRecord.id == job_id)
                .output(load_json=True)
                .first()
            )
            if row["status"] in ("done", "failed"):
                return row
            await anyio.sleep(0.05)


async def lock_by_job(client: Any, period: str) -> dict[str, Any]:
    """The lock button: a redirect to the job's progress page, then the job done."""
    response = await client.post(
        f"/ratings/periods/{period}/lock", data=form(client), follow_redirects=False
    )
    assert response.status_code == 303, response.text[-2000:]
    location = response.headers["location"]
    assert location.startswith("/jobs/"), location
    row = await job_done(uuid.UUID(location.removeprefix("/jobs/")))
    assert row["status"] == "done", row["error"]
    return row
