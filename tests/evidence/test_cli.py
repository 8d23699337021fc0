"""``congvu evidence`` on a fresh demo database: the year's criteria list, registering the
system's documents a second time changes nothing, and the export writes the ZIP with its
index and the demo's uploaded report under both its criteria."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from congvu.inspect import clock

CONGVU = str(Path(sys.executable).parent / "congvu")
pytestmark = pytest.mark.slow


def _run(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CONGVU_")}
    env["CONGVU_VAR_DIR"] = str(tmp_path / "var")
    return subprocess.run(
        [CONGVU, *args], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300
    )


def test_evidence_commands_on_the_demo(tmp_path: Path, demo_var: Path) -> None:
    year = str(clock.today().year)
    listed = _run(tmp_path, "evidence", "criteria", "--year", year)
    assert listed.returncode == 0, listed.stderr
    assert "4.3\tKiểm tra công vụ, xử lý sau kiểm tra" in listed.stdout
    again = _run(tmp_path, "evidence", "register", "--year", year)
    assert again.returncode == 0, again.stderr
    assert f"Năm {year}: 0 tài liệu mới, 0 cập nhật," in again.stdout
    out = tmp_path / "tai-lieu.zip"
    done = _run(tmp_path, "evidence", "export", "--year", year, "--out", str(out))
    assert done.returncode == 0, done.stderr
    assert "0 tệp đã thay đổi sau khi đăng ký" in done.stdout
    with zipfile.ZipFile(out) as archive:
        names = set(archive.namelist())
    assert "Muc-luc.xlsx" in names
    report = "125-BC-SNV - Báo cáo kết quả kiểm tra công vụ 6 tháng đầu năm.pdf"
    assert {f"1.2/{report}", f"4.3/{report}"} <= names
