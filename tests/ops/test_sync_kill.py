"""The web process killed (kill -9) in the middle of a burst of syncs, then restarted:
nothing a tablet was told is saved is lost, nothing is saved twice.

A client sends batches of findings (each with its own client UUID) from a thread; once
half of them are acknowledged the server is killed, whatever request is in flight. The
client then resends every batch whose answer it did not receive, as the tablet's queue
does. Runs `congvu serve` against the test run's database and Redis: SQLite + embedded
Redis by default, PostgreSQL + Redis in CI's server run.
"""

from __future__ import annotations

import threading
import uuid
from datetime import datetime, time, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from congvu.inspect.inspections.tables import Finding
from congvu.inspect.settings import get_settings
from congvu.rules.calendar import default_calendar

from tests import builders
from tests.builders import PASSWORD
from tests.ops.processes import congvu, login, processes, serve
from tests.worlds import World

pytestmark = [pytest.mark.anyio, pytest.mark.slow, pytest.mark.timing]

BATCHES = 24
PER_BATCH = 10


def make_batches(inspection_id: int, official_id: int, day: Any) -> list[list[dict[str, Any]]]:
    zone = get_settings().zone
    out = []
    for b in range(BATCHES):
        batch = []
        for n in range(PER_BATCH):
            observed = datetime.combine(day, time(9, 0), tzinfo=zone) + timedelta(
                seconds=b * PER_BATCH + n
            )
            batch.append(
                {
                    "uuid": str(uuid.uuid4()),
                    "type": "finding",
                    "inspection_id": inspection_id,
                    "replaces": None,
                    "device_time": observed.isoformat(),
                    "payload": {
                        "official_id": official_id,
                        "violation_code": "NO_CARD",
                        "facts": f"Không đeo thẻ công chức (lần {b * PER_BATCH + n + 1})",
                        "observed_at": observed.isoformat(),
                        "evidence": [],
                    },
                }
            )
        out.append(batch)
    return out


def send(client: httpx.Client, batch: list[dict[str, Any]]) -> list[dict[str, Any]] | None:
    """The batch's results, or None when no answer came (the server died)."""
    try:
        answer = client.post(
            "/api/v1/sync",
            json={"records": batch},
            headers={"x-csrftoken": client.cookies.get("csrftoken", "")},
            timeout=30,
        )
    except httpx.TransportError:
        return None
    assert answer.status_code == 200, answer.text
    results: list[dict[str, Any]] = answer.json()["results"]
    return results


async def test_a_killed_web_process_loses_no_acknowledged_record_and_doubles_none(
    world: World, tmp_path: Path
) -> None:
    day = datetime.now(get_settings().zone).date() - timedelta(days=1)
    while not default_calendar().is_working_day(day):
        day -= timedelta(days=1)
    inspection = await builders.inspection(
        world.commune_a,
        day,
        members=[world.users["inspector"]],
        created_at=datetime.now(get_settings().zone),
    )
    batches = make_batches(int(inspection.id), int(world.official_a.id), day)
    var_dir = tmp_path / "var"
    answers: dict[int, list[dict[str, Any]]] = {}

    with processes(tmp_path) as started:
        web = serve(tmp_path, "web", var_dir)
        started.append(web)
        web.start().wait_ready()
        with httpx.Client(base_url=web.url) as client:
            login(client, "inspector", PASSWORD)
            half = threading.Event()

            def burst() -> None:
                for index, batch in enumerate(batches):
                    results = send(client, batch)
                    if results is None:
                        return  # the tablet stops at the first failure and retries later
                    answers[index] = results
                    if len(answers) >= BATCHES // 2:
                        half.set()
                half.set()

            sender = threading.Thread(target=burst, daemon=True)
            sender.start()
            assert half.wait(timeout=90), web.output()
            web.kill()
            sender.join(timeout=60)
            assert not sender.is_alive()
            assert len(answers) < BATCHES, "the burst ended before the kill: no crash tested"

            acknowledged = {r["uuid"] for results in answers.values() for r in results}
            assert all(r["status"] == "created" for results in answers.values() for r in results)

            web.start().wait_ready()
            # The session lives in Redis: the tablet goes on without signing in again.
            resent: dict[str, str] = {}
            for index, batch in enumerate(batches):
                if index in answers:
                    continue
                results = send(client, batch)
                assert results is not None, web.output()
                for result in results:
                    resent[result["uuid"]] = result["status"]
        web.stop()

    assert resent, "nothing was left to resend"
    # A batch in flight at the kill may have been saved without its answer: resent, it
    # answers `duplicate` with the original record; every other one is created now.
    assert set(resent.values()) <= {"created", "duplicate"}, resent
    every = {record["uuid"] for batch in batches for record in batch}
    assert acknowledged | set(resent) == every
    rows = await Finding.select(Finding.client_uuid).where(Finding.inspection == inspection.id)
    stored = [str(row["client_uuid"]) for row in rows]
    assert len(stored) == len(set(stored)) == BATCHES * PER_BATCH
    assert set(stored) == every
    output = congvu(tmp_path, var_dir, "verify-audit")
    assert "audit trail intact" in output, output
