"""A dossier import's start, finish (with its counts) and failure, in the job's lines
and in the CLI's."""

from __future__ import annotations

import json
import os
import subprocess
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import anyio
import pytest
from congvu.inspect import db
from congvu.inspect.background.tables import JobRecord, JobStatus
from congvu.jobs import tasks

from tests.conftest import World
from tests.dossiers.conftest import CONGVU, HEADER, congvu, write
from tests.test_logging import Lines, capture_lines

pytestmark = pytest.mark.anyio

ROWS = [
    "L-1,Đăng ký khai sinh,Hộ tịch,P-A,,Trực tiếp,23/01/2025 09:00,24/01/2025,03/02/2025 10:00,,,,",
    "L-2,Đăng ký khai sinh,Hộ tịch,P-A,,Trực tiếp,20/01/2025 09:00,05/02/2025,,,,,",
    "BAD,x,y,P-A,,Trực tiếp,32/01/2025,,,,,,",
]


@pytest.fixture
def captured() -> Iterator[Lines]:
    yield from capture_lines("json")


async def _job() -> str:
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


async def test_an_import_job_logs_its_start_and_counts(
    world: World, tmp_path: Path, captured: Lines
) -> None:
    path = write(tmp_path, [HEADER, *ROWS], name="Nguyen Van A.csv")
    job_id = await _job()
    admin = world.users["admin"].id
    await tasks.dossier_import_task({}, job_id, str(path), path.name, admin)
    (started,) = captured.having("dossier import started")
    (finished,) = captured.having("dossier import finished")
    assert started["job_id"] == finished["job_id"] == job_id
    assert (started["logger"], started["user_id"]) == ("congvu.jobs", admin)
    assert (finished["rows_read"], finished["new"], finished["changed"]) == (3, 2, 0)
    assert (finished["unchanged"], finished["rejected"]) == (0, 1)
    assert finished["batch_id"] is not None
    (job,) = captured.having("job finished")
    assert (job["kind"], job["rows_read"], job["rejected"]) == ("dossier_import", 3, 1)
    assert "Nguyen Van A" not in "\n".join(captured.lines)  # the file's name stays out

    again = await _job()
    await tasks.dossier_import_task({}, again, str(path), path.name, admin)
    counts = captured.having("dossier import finished")[-1]
    assert (counts["new"], counts["changed"], counts["unchanged"]) == (0, 0, 2)


async def test_a_failed_import_job_logs_the_failure_and_its_traceback(
    world: World, tmp_path: Path, captured: Lines
) -> None:
    job_id = await _job()
    with pytest.raises(Exception):  # noqa: B017  # whatever the pipeline raises for it
        await tasks.dossier_import_task(
            {}, job_id, str(tmp_path / "gone.csv"), "gone.csv", world.users["admin"].id
        )
    (failed,) = captured.having("dossier import failed")
    assert (failed["level"], failed["job_id"]) == ("warning", job_id)
    (job,) = captured.having("job failed")
    assert job["job_id"] == job_id and "Traceback" in job["exc"]


async def test_the_cli_logs_an_import_on_stderr(world: World, tmp_path: Path) -> None:
    path = write(tmp_path, [HEADER, *ROWS])
    text = await congvu("import-dossiers", str(path), "--json", "--as-of", "2025-02-10")
    assert text.returncode == 0, text.stderr
    assert json.loads(text.stdout)["imported"] == 2  # stdout stays the summary alone
    (line,) = [x for x in text.stderr.splitlines() if 'msg="dossier import finished"' in x]
    assert " level=info logger=congvu.cli " in line
    assert " rows_read=3 new=2 changed=0 unchanged=0 rejected=1" in line
    assert 'msg="dossier import started"' in text.stderr


async def test_the_cli_logs_a_refused_import_as_json(world: World, tmp_path: Path) -> None:
    path = write(tmp_path, [HEADER, *ROWS])
    result = await anyio.to_thread.run_sync(
        lambda: subprocess.run(
            [CONGVU, "import-dossiers", str(path), "--mapping", "no-such-mapping"],
            env={**os.environ, "CONGVU_LOG_FORMAT": "json"},
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
    )
    assert result.returncode != 0
    lines = [json.loads(x) for x in result.stderr.splitlines() if x.startswith("{")]
    (failed,) = [x for x in lines if x["msg"] == "dossier import failed"]
    assert (failed["level"], failed["logger"], failed["error"]) == (
        "warning",
        "congvu.cli",
        "ClickException",
    )
    assert "exc" not in failed  # a refusal is said on the terminal, not a traceback
