"""``congvu rating propose`` and ``congvu emulation propose`` on the demo, run as a user
would run them, in subprocesses: JSON with each official's level, score parts, deductions
with their sources, blockers and reasons in Vietnamese."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

CONGVU = str(Path(sys.executable).parent / "congvu")
pytestmark = pytest.mark.slow


def _run(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CONGVU_")}
    env["CONGVU_VAR_DIR"] = str(tmp_path / "var")
    return subprocess.run(
        [CONGVU, *args], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300
    )


def test_rating_and_emulation_proposals_on_the_demo(tmp_path: Path, demo_var: Path) -> None:
    quarter = _run(
        tmp_path, "rating", "propose", "--quarter", "2026Q3", "--unit", "NA-TV", "--json"
    )
    assert quarter.returncode == 0, quarter.stderr
    board = json.loads(quarter.stdout)
    assert board["period"] == "2026-Q3" and board["state"] == "open"
    rated = [o for o in board["officials"] if o["level"]]
    assert {"total", "general", "results", "timeliness_c"} <= set(rated[0]["score"])
    (group,) = board["quota"]["groups"]
    assert (group["htxs_proposed"], group["htxs_kept"]) == (3, 1)
    moved = [o for o in rated if o["merited"] == "HTXS" and o["level"] == "HTT"]
    assert len(moved) == 2 and all("Chuyển xuống" in o["quota"] for o in moved)

    year = _run(tmp_path, "emulation", "propose", "--year", "2026", "--unit", "NA-TV", "--json")
    assert year.returncode == 0, year.stderr
    result = json.loads(year.stdout)
    (star,) = [o for o in result["officials"] if "CSTDCS" in o["proposed_titles"]]
    assert star["level"] == "HTXS" and star["initiatives"][0]["decision_number"] == "245/QĐ-UBND"
    assert all(t["explanation_vi"] for o in result["officials"] for t in o["titles"])

    text = _run(tmp_path, "rating", "propose", "--quarter", "2026-Q3", "--unit", "NA-TV")
    assert "Hoàn thành xuất sắc nhiệm vụ" in text.stdout
    missing = _run(tmp_path, "rating", "propose", "--quarter", "2026Q4", "--unit", "NA-TV")
    assert missing.returncode != 0 and "chưa được mở" in missing.stderr

    # 2025, rated by NĐ 90/2020's criteria and locked in the demo.
    criteria = _run(tmp_path, "rating", "propose", "--year", "2025", "--unit", "NA-TV", "--json")
    assert criteria.returncode == 0, criteria.stderr
    year_2025 = json.loads(criteria.stdout)
    assert (year_2025["method"], year_2025["state"]) == ("CRITERIA", "locked")
    (excellent,) = [o for o in year_2025["officials"] if o["level"] == "HTXS"]
    assert excellent["criteria"]["tasks_exceeded"] * 2 >= excellent["criteria"]["tasks_assigned"]
    assert "Nghị định 90/2020/NĐ-CP" in " ".join(excellent["reasons_vi"])
    listed = _run(tmp_path, "rating", "propose", "--year", "2025", "--unit", "NA-TV")
    assert "Hoàn thành xuất sắc nhiệm vụ" in listed.stdout and "(locked)" in listed.stdout
    both = _run(
        tmp_path, "rating", "propose", "--year", "2025", "--quarter", "2026Q3", "--unit", "X"
    )
    assert both.returncode != 0 and "--quarter or --year" in both.stderr
