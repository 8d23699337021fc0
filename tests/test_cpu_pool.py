"""The CPU pool (``congvu.inspect.cpu_pool``): every known heavy function refuses to run
on the event loop's thread, the pool's processes are other processes that read the
caller's settings, and an app opens and closes its own pool."""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
import time
from collections.abc import Callable
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Any

import pytest
from congvu.inspect import cpu_pool
from congvu.inspect import upload_screening as screening
from congvu.inspect.app import create_app
from congvu.inspect.documents import rendering as documents
from congvu.inspect.dossiers.services.importing import chunking, feeding
from congvu.inspect.dossiers.services.importing import reading as dossier_reading
from congvu.inspect.errors import Invalid
from congvu.inspect.reports.services import building, reading

pytestmark = pytest.mark.anyio

# Every function that holds the GIL for long, with arguments it is never reached with
# here: the guard is its first statement.
HEAVY: list[tuple[Callable[..., Any], int]] = [
    (screening.screen, 3),
    (dossier_reading.open_source, 1),
    (chunking.warm_up, 1),
    (feeding.prepare_file, 1),
    (documents.render_sync, 2),
    (building.gather_figures, 5),
    (building.write_workbook_file, 7),
    (reading.read_report_data_here, 3),
]


@pytest.mark.parametrize(("function", "arity"), HEAVY, ids=[f.__name__ for f, _ in HEAVY])
async def test_a_heavy_function_refuses_the_event_loop_thread(
    function: Callable[..., Any], arity: int
) -> None:
    with pytest.raises(RuntimeError, match="on the event loop"):
        function(*[None] * arity)


def test_outside_an_event_loop_the_guard_lets_it_run() -> None:
    cpu_pool.off_loop()


async def test_pool_processes_are_other_processes_with_the_callers_settings(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert cpu_pool.executor() is not None  # the test run's (tests/conftest.py)
    assert await cpu_pool.run(os.getpid) != os.getpid()
    monkeypatch.setenv("CONGVU_CPU_WORKERS", "3")
    assert await cpu_pool.run(os.getenv, "CONGVU_CPU_WORKERS") == "3"
    monkeypatch.delenv("CONGVU_CPU_WORKERS")
    assert await cpu_pool.run(os.getenv, "CONGVU_CPU_WORKERS") is None


async def test_a_refusal_raised_in_the_pool_keeps_its_field() -> None:
    again = pickle.loads(pickle.dumps(Invalid("Tệp bị từ chối.", field="file")))
    assert isinstance(again, Invalid)
    assert (again.message, again.field) == ("Tệp bị từ chối.", "file")


async def test_an_app_opens_its_own_pool_and_closes_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cpu_pool, "_pool", None)  # as in production: no pool before the app
    app = create_app()
    async with app.lifespan():
        pool = cpu_pool.executor()
        assert pool is not None
    assert cpu_pool.executor() is None
    with pytest.raises(RuntimeError):  # shut down
        pool.submit(os.getpid)


def _running(pid: int) -> bool:
    status = Path(f"/proc/{pid}/status")
    try:
        return "\nState:\tZ" not in status.read_text()
    except FileNotFoundError:
        return False


def test_a_killed_owner_leaves_no_pool_process_behind() -> None:
    """A web process or worker killed mid-import: its pool processes end with it (else
    they would hold its output pipes open and run on for nobody)."""
    owner = subprocess.Popen(
        [sys.executable, "-c", OWNER], stdout=subprocess.PIPE, text=True, env=os.environ
    )
    try:
        assert owner.stdout is not None
        child = int(owner.stdout.readline())
        assert _running(child)
    finally:
        owner.kill()
        owner.wait()
    deadline = time.monotonic() + 10
    while _running(child) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not _running(child)


OWNER = """
import os, time
from congvu.inspect import cpu_pool
pool = cpu_pool.open_pool(1)
print(pool.submit(os.getpid).result(), flush=True)
time.sleep(120)
"""


async def test_a_broken_pool_is_replaced_for_the_next_calls() -> None:
    """A pool process that dies (killed, out of memory) fails the call it ran; the calls
    after it get a new pool."""
    broken = cpu_pool.executor()
    with pytest.raises(BrokenProcessPool):
        await cpu_pool.run(os._exit, 1)
    assert cpu_pool.executor() is not broken
    assert await cpu_pool.run(os.getpid) != os.getpid()
