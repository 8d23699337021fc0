"""Two web processes and two workers against one PostgreSQL and one Redis, as
`docker compose up --scale web=2 --scale worker=2` runs them.

A sync burst is spread over both web processes (nothing lost, nothing doubled), two
imports run at once on the workers, every cron tick's job runs once however many workers
watch the clock (arq's unique cron job ids: the audit sealer ticks at every 5th second;
the runs both workers count in /metrics, summed over processes, are no more than the
5-second marks passed since the first worker started: a tick run by both would double
them), and the audit chain, written by both web processes
and both workers and sealed by all of them, verifies. Server mode only.
"""

from __future__ import annotations

import re
import threading
import time as wall
from collections import Counter
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import anyio
import httpx
import pytest
from arq import create_pool
from arq.connections import RedisSettings
from congvu.inspect.background import api as background
from congvu.inspect.background.tables import JobRecord
from congvu.inspect.dossiers.tables import Dossier
from congvu.inspect.inspections.tables import Finding
from congvu.inspect.settings import get_settings
from congvu.rules.calendar import default_calendar

from tests import builders
from tests.builders import PASSWORD
from tests.conftest import requires_server
from tests.dossiers.generator import ExportSpec, generate, write_csv
from tests.ops.processes import congvu, login, processes, serve, worker
from tests.ops.test_sync_kill import BATCHES, PER_BATCH, make_batches, send
from tests.worlds import World

pytestmark = [
    pytest.mark.anyio,
    pytest.mark.slow,
    pytest.mark.timing,
    requires_server("postgres"),
    requires_server("redis"),
]

IMPORT_ROWS = 8_000
METRICS_TOKEN = "ops-test-metrics-token-0123456789abcdef"
SEAL_RUNS = re.compile(r'^congvu_job_duration_seconds_count\{job="seal_audit_trail"\} (\S+)$', re.M)


async def _finished(job_ids: list[Any]) -> bool:
    rows = await JobRecord.select(JobRecord.status).where(JobRecord.id.is_in(job_ids))
    return len(rows) == len(job_ids) and all(r["status"] in ("done", "failed") for r in rows)


async def test_two_web_processes_and_two_workers_share_the_work_without_doubles(
    world: World, tmp_path: Path
) -> None:
    zone = get_settings().zone
    day = datetime.now(zone).date() - timedelta(days=1)
    while not default_calendar().is_working_day(day):
        day -= timedelta(days=1)
    inspection = await builders.inspection(
        world.commune_a, day, members=[world.users["inspector"]], created_at=datetime.now(zone)
    )
    batches = make_batches(int(inspection.id), int(world.official_a.id), day)
    admin = await builders.actor(world.users["admin"])
    exports = [
        generate(
            ExportSpec(rows=IMPORT_ROWS, units=["P-A-PVHCC", "P-B"], seed=n, code_prefix=prefix)
        )
        for n, prefix in ((1, "H41"), (2, "H43"))
    ]
    paths = [write_csv(e, tmp_path / f"hoso-{n}.csv") for n, e in enumerate(exports)]
    var_dir = tmp_path / "var"
    queue = await create_pool(RedisSettings.from_dsn(get_settings().redis_url or ""))
    await queue.flushdb()
    answers: dict[int, list[dict[str, Any]]] = {}
    try:
        with processes(tmp_path) as started:
            webs = [serve(tmp_path, f"web-{n}", var_dir) for n in (1, 2)]
            workers = [worker(tmp_path, f"worker-{n}", var_dir) for n in (1, 2)]
            started.extend([*webs, *workers])
            metrics_dir = tmp_path / "prometheus"
            metrics_dir.mkdir()
            for process in started:
                process.env["PROMETHEUS_MULTIPROC_DIR"] = str(metrics_dir)
                process.env["CONGVU_METRICS_TOKEN"] = METRICS_TOKEN
            clock_started = wall.time()
            for process in started:
                process.start()
            for web in webs:
                web.wait_ready()
            for each in workers:
                each.wait_for_line("Starting worker")
            began = wall.monotonic()

            job_ids = [
                await background.start_dossier_import(
                    queue,
                    admin,
                    path=str(path),
                    file_name=path.name,
                    exported_at=datetime(2026, 4, 1, 8, 0).isoformat(),
                    chunk_rows=2_000,
                )
                for path in paths
            ]

            with httpx.Client(base_url=webs[0].url) as first:
                login(first, "inspector", PASSWORD)
                cookies = dict(first.cookies)

            def burst(web_index: int) -> None:
                # The session signed in on web-1 is good on web-2: both read it from Redis.
                with httpx.Client(base_url=webs[web_index].url, cookies=cookies) as client:
                    for index in range(web_index, BATCHES, 2):
                        results = send(client, batches[index])
                        assert results is not None, webs[web_index].output()[-3000:]
                        answers[index] = results

            senders = [threading.Thread(target=burst, args=(n,), daemon=True) for n in (0, 1)]
            for sender in senders:
                sender.start()
            for sender in senders:
                sender.join(timeout=120)
                assert not sender.is_alive()

            with anyio.fail_after(180):
                while not await _finished(job_ids):  # noqa: ASYNC110
                    await anyio.sleep(0.2)
            # At least two ticks of the 5-second sealer, watched by both workers.
            await anyio.sleep(max(0.0, 12 - (wall.monotonic() - began)))
            async with httpx.AsyncClient() as scraper:
                scrape = await scraper.get(
                    webs[1].url + "/metrics",
                    headers={"Authorization": f"Bearer {METRICS_TOKEN}"},
                    timeout=10,
                )
            marks = int(wall.time() // 5) - int(clock_started // 5)
            assert scrape.status_code == 200, scrape.text[:500]
            (runs_text,) = SEAL_RUNS.findall(scrape.text)
            for process in started:
                process.stop()
            logs = [each.output() for each in workers]
    finally:
        await queue.aclose()

    assert len(answers) == BATCHES
    statuses = Counter(r["status"] for results in answers.values() for r in results)
    assert statuses == {"created": BATCHES * PER_BATCH}
    every = {record["uuid"] for batch in batches for record in batch}
    rows = await Finding.select(Finding.client_uuid).where(Finding.inspection == inspection.id)
    stored = [str(row["client_uuid"]) for row in rows]
    assert len(stored) == len(set(stored)) == len(every)
    assert set(stored) == every

    for job_id in job_ids:
        record = await JobRecord.select().where(JobRecord.id == job_id).first()
        assert record is not None
        assert (record["status"], record["attempts"]) == ("done", 1), record
    expected = sum(IMPORT_ROWS - len(e.bad_rows) for e in exports)
    assert await Dossier.count() == expected
    ran_on = [sum(str(j) in log for log in logs) for j in job_ids]
    assert ran_on == [1, 1], "each import ran on exactly one worker"

    runs = int(float(runs_text))
    print(f"\nsealer: {runs} runs on two workers over {marks} five-second ticks")
    assert 2 <= runs <= marks, f"{runs} sealer runs for {marks} ticks: a tick ran twice"

    output = congvu(tmp_path, var_dir, "verify-audit")
    assert "audit trail intact" in output, output
