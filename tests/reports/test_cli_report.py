"""``congvu report`` on a fresh demo database writes the full workbook of the current
quarter, and a second run on the same data answers the same frozen version; the demo has
checks in that quarter and the four before it."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest
from congvu.inspect import clock
from congvu.inspect.demo.history import past_quarters
from congvu.rules.periods import PeriodKind, PeriodScheme, period_of

from tests.reports.test_workbook import SHEETS

CONGVU = str(Path(sys.executable).parent / "congvu")
pytestmark = pytest.mark.slow


def _run(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CONGVU_")}
    env["CONGVU_VAR_DIR"] = str(tmp_path / "var")
    return subprocess.run(
        [CONGVU, *args], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=180
    )


def test_report_on_a_fresh_demo_writes_the_current_quarter(tmp_path: Path, demo_var: Path) -> None:
    # demo_var: a copy of the run's seeded demo (tests/conftest.py), where no report was made.
    current = period_of(clock.today(), PeriodKind.QUARTER, PeriodScheme.ND09)
    name = f"{current.year}Q{current.number}"
    out = tmp_path / "bao-cao.xlsx"
    result = _run(tmp_path, "report", "--quarter", name, "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert "phiên bản 1, bản mới" in result.stdout
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == SHEETS
    summary = book["Tổng hợp"]
    names = {summary.cell(row, 2).value for row in range(1, summary.max_row + 1)}
    assert {"Phường Trường Vinh", "Xã Diễn Châu", "Sở Nội vụ tỉnh Nghệ An"} <= names
    assert book["Phát hiện"].max_row > 14  # the demo's findings are listed
    again = _run(tmp_path, "report", "--quarter", name, "--out", str(tmp_path / "again.xlsx"))
    assert again.returncode == 0, again.stderr
    assert "phiên bản 1, số liệu không đổi" in again.stdout
    unknown = _run(tmp_path, "report", "--quarter", "2026-13", "--out", str(out))
    assert unknown.returncode == 1 and "Traceback" not in unknown.stderr
    # The demo history: checks done in the current quarter and in each of the four before.
    with sqlite3.connect(tmp_path / "var" / "congvu.sqlite3") as database:
        for period in past_quarters(clock.today()):
            done = database.execute(
                "SELECT COUNT(*) FROM inspection WHERE status = 'closed'"
                " AND scheduled_date BETWEEN ? AND ?",
                (period.first_day.isoformat(), period.last_day.isoformat()),
            ).fetchone()[0]
            assert done >= 2, period.name
