"""``congvu purge-media`` as an operator runs it, in a subprocess: on a fresh database
a dry run and a real run both say what they did and delete nothing there is not."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow  # two subprocesses, each migrating a fresh database

CONGVU = str(Path(sys.executable).parent / "congvu")


def _run(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CONGVU_")}
    env["CONGVU_VAR_DIR"] = str(tmp_path / "var")
    return subprocess.run(
        [CONGVU, *args], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120
    )


def test_purge_media_dry_run_and_run_report_what_they_did(tmp_path: Path) -> None:
    assert _run(tmp_path, "migrate").returncode == 0
    dry = _run(tmp_path, "purge-media", "--dry-run")
    assert dry.returncode == 0, dry.stderr
    assert "Sẽ xoá / would delete 0 tệp" in dry.stdout
    assert "ảnh 1826 ngày, chữ ký 1826 ngày" in dry.stdout
    done = _run(tmp_path, "purge-media")
    assert done.returncode == 0, done.stderr
    assert "Đã xoá / deleted 0 tệp" in done.stdout
