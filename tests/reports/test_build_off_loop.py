"""A report build keeps the web process answering: reading the rows into frames, the
aggregates and the workbook (pandas, xlsxwriter) run in the CPU pool, and /health/live,
polled beside the build in the process of the app (and of its embedded worker), answers
within 200 ms (``tests/health_probe.py``)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import openpyxl
import pytest
from congvu.inspect import cpu_pool
from congvu.inspect.actor import SYSTEM
from congvu.inspect.reports import api as reports
from congvu.inspect.settings import get_settings

from tests import builders
from tests.dossiers.conftest import run_import
from tests.dossiers.generator import ExportSpec, generate, write_csv
from tests.health_probe import assert_answered_promptly, health_while, idle_latencies, stall_limit
from tests.worlds import World

pytestmark = [pytest.mark.anyio, pytest.mark.timing]

# Enough dossiers in the quarter that the workbook's raw data sheet takes seconds.
DOSSIERS = 10_000


async def test_a_report_build_leaves_health_answering(
    client: Any, world: World, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    export = generate(ExportSpec(rows=DOSSIERS, units=["P-A", "P-A-PVHCC", "P-B"], seed=5))
    admin = await builders.actor(world.users["admin"])
    imported = await run_import(admin, write_csv(export, tmp_path / "hoso.csv"))
    assert imported["imported"] == DOSSIERS - len(export.bad_rows)
    idle = await idle_latencies(client)
    sent: list[str] = []
    run = cpu_pool.run

    async def recording(function: Any, *args: Any) -> Any:
        sent.append(function.__name__)
        return await run(function, *args)

    monkeypatch.setattr(cpu_pool, "run", recording)
    built, latencies, stalls = await health_while(
        client,
        reports.build_report(SYSTEM, "2026Q1", media_dir=get_settings().media_dir),
        stall_limit(idle),
    )
    assert sent == ["gather_figures", "write_workbook_file"]
    assert stalls == []
    await assert_answered_promptly(client, latencies, idle)
    book = openpyxl.load_workbook(built.path, read_only=True)
    assert "DL Hồ sơ" in book.sheetnames
    assert not list((get_settings().media_dir / "reports" / ".work").iterdir())
