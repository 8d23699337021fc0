"""Locking a period as a background job: the lock button redirects to the job's progress
page; a second start while one is queued answers the same job; a rerun after a kill
converges to one locked version with the same data hash; each official rated in the period
is told once, and the unit's list is published to its members."""

from __future__ import annotations

from typing import Any

import pytest
from congvu.inspect.actor import SYSTEM
from congvu.inspect.background import api as background
from congvu.inspect.background.tables import JobRecord
from congvu.inspect.emulation import api as emulation
from congvu.inspect.emulation.tables import PeriodVersion
from congvu.inspect.review.tables import Notification
from congvu.jobs import tasks

from tests.emulation.conftest import Commune, lock_by_job
from tests.emulation.test_rating_http import as_user, post
from tests.worlds import ReviewWorld

pytestmark = pytest.mark.anyio


class HeldQueue:
    """A queue no worker reads: the job stays queued."""

    def __init__(self) -> None:
        self.enqueued: list[str] = []

    async def enqueue_job(self, name: str, *args: Any, **kwargs: Any) -> None:
        self.enqueued.append(kwargs["_job_id"])


async def test_the_lock_button_runs_a_job_that_notifies_and_publishes(
    client: Any, rw: ReviewWorld, commune_c: Commune
) -> None:
    await as_user(client, "tochuc")
    assert (await post(client, "/ratings/periods", period="2026-Q3")).status_code == 303
    row = await lock_by_job(client, "2026-Q3")
    assert row["kind"] == "lock_period" and row["result"]["version"] == 1
    assert row["result"]["notified"] >= 1 and len(row["result"]["data_hash"]) == 64
    page = await client.get(f"/jobs/{row['id']}")
    assert page.status_code == 200 and 'id="lock-result"' in page.text
    again = await post(client, "/ratings/periods/2026-Q3/lock")
    assert again.status_code == 400 and "Kỳ đánh giá 2026-Q3 đã khóa." in again.text

    lan = rw.users["official_a"]
    told = await Notification.select().where(Notification.user == lan.id)
    assert [n["link"] for n in told] == ["/ratings/2026-Q3/me"]
    assert "Kỳ đánh giá Quý III/2026 đã khóa" in told[0]["message"]
    await as_user(client, "official_a")
    mine = await client.get("/ratings/2026-Q3/me")
    assert mine.status_code == 200 and 'id="published"' in mine.text
    assert rw.world.official_a.full_name in mine.text
    # Published inside the unit only: commune C's officials are not in commune A's list.
    assert commune_c.x[0].full_name not in mine.text


async def test_a_second_start_answers_the_same_job(rw: ReviewWorld) -> None:
    await emulation.open_period(SYSTEM, "2026-Q3")
    actor = await rw.actor("admin")
    queue = HeldQueue()
    first = await background.start_period_lock(queue, actor, period="2026-Q3")  # type: ignore[arg-type]
    second = await background.start_period_lock(queue, actor, period="2026-Q3")  # type: ignore[arg-type]
    assert first == second and queue.enqueued == [str(first)]
    other = await background.start_period_lock(queue, actor, period="2026-Q2")  # type: ignore[arg-type]
    assert other != first


async def test_a_rerun_after_a_kill_converges(rw: ReviewWorld) -> None:
    await emulation.open_period(SYSTEM, "2026-Q3")
    actor = await rw.actor("admin")
    job_id = await background.start_period_lock(HeldQueue(), actor, period="2026-Q3")  # type: ignore[arg-type]
    first = await tasks.lock_period_task({}, str(job_id), "2026-Q3", actor.id)
    # Killed after its commit, before the record said done: arq runs it again.
    await JobRecord.update({JobRecord.status: "running"}).where(JobRecord.id == job_id)
    second = await tasks.lock_period_task({}, str(job_id), "2026-Q3", actor.id)
    assert second == first and first["version"] == 1
    versions = await PeriodVersion.select(PeriodVersion.data_hash)
    assert [v["data_hash"] for v in versions] == [first["data_hash"]]
    assert (
        await Notification.count().where(Notification.key.like("rating-lock:%"))
        == first["notified"]
    )
