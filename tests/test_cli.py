"""The command line, run as a user would run it, in subprocesses."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar
from pathlib import Path

import pytest

# Every test here runs `congvu` with a user's environment (below): embedded, whatever
# servers the run has.
pytestmark = pytest.mark.as_user

CONGVU = str(Path(sys.executable).parent / "congvu")


def _env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CONGVU_")}
    env["CONGVU_VAR_DIR"] = str(tmp_path / "var")
    return env


def _run(tmp_path: Path, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [CONGVU, *args],
        cwd=tmp_path,
        env=_env(tmp_path),
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_create_user_with_an_unknown_unit_is_a_clear_error(tmp_path: Path) -> None:
    assert _run(tmp_path, "migrate").returncode == 0
    result = _run(
        tmp_path,
        "create-user",
        "--username",
        "thanhtra2",
        "--role",
        "inspector",
        "--unit",
        "KHONG-CO",
        stdin="mat-khau-du-dai\n",
    )
    assert result.returncode == 1
    assert "Không tìm thấy đơn vị có mã 'KHONG-CO'" in result.stderr
    assert "Traceback" not in result.stderr


def test_demo_then_create_user_in_a_demo_unit(tmp_path: Path, demo_var: Path) -> None:
    # On the run's seeded demo (tests/conftest.py): `demo` again seeds nothing and prints
    # the accounts.
    demo = _run(tmp_path, "demo")
    assert demo.returncode == 0, demo.stderr
    assert "thutruong.truongvinh" in demo.stdout
    result = _run(
        tmp_path,
        "create-user",
        "--username",
        "thanhtra2",
        "--role",
        "inspector",
        "--unit",
        "NA-SNV",
        "--name",
        "Lê Thị Hồng",
        stdin="mat-khau-du-dai\n",
    )
    assert result.returncode == 0, result.stderr
    again = _run(
        tmp_path,
        "create-user",
        "--username",
        "thanhtra2",
        "--role",
        "inspector",
        "--unit",
        "NA-SNV",
        stdin="mat-khau-du-dai\n",
    )
    assert again.returncode == 1
    assert "đã tồn tại" in again.stderr


def test_worker_in_embedded_mode_explains_where_jobs_run(tmp_path: Path) -> None:
    result = _run(tmp_path, "worker")
    assert result.returncode == 1
    assert "congvu serve" in result.stderr


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.mark.slow
@pytest.mark.timing  # served within 60 s
def test_readme_quick_start_serves_the_demo_and_its_accounts_work(tmp_path: Path) -> None:
    """`uv run congvu serve --demo` on an empty directory: login page within 60 s."""
    port = _free_port()
    started = time.monotonic()
    server = subprocess.Popen(
        [CONGVU, "serve", "--demo", "--port", str(port)],
        cwd=tmp_path,
        env=_env(tmp_path),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        while True:
            try:
                with urllib.request.urlopen(f"{base}/login", timeout=2) as page:
                    assert page.status == 200
                    break
            except OSError:
                assert server.poll() is None, server.stdout.read() if server.stdout else ""
                assert time.monotonic() - started < 60, "login page not served within 60 s"
                time.sleep(0.2)
        ready_after = time.monotonic() - started
        jar = CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        html = opener.open(f"{base}/login").read().decode()
        token = re.search(r'name="_csrf_token" value="([^"]+)"', html)
        assert token
        form = urllib.parse.urlencode(
            {
                "username": "thutruong.truongvinh",
                "password": "congvu-demo-2026",
                "_csrf_token": token.group(1),
            }
        ).encode()
        home = opener.open(f"{base}/login", form)
        body = home.read().decode()
        assert home.url == f"{base}/"
        assert "Phường Trường Vinh" in body
        with urllib.request.urlopen(f"{base}/health/ready") as ready:
            assert ready.status == 200
        print(f"\nserve --demo: login page after {ready_after:.1f} s")
    finally:
        server.terminate()
        output, _ = server.communicate(timeout=30)
    assert (tmp_path / "var" / "congvu.sqlite3").exists()
    assert "congvu-demo-2026" in output
