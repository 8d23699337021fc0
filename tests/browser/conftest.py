"""Browser tests: the real app (`congvu serve --demo`) in a subprocess, driven by the
Debian Chromium through Playwright. Locally they skip when /usr/bin/chromium is missing;
in CI (CONGVU_REQUIRE_SERVERS=1) a missing browser is a failure, not a skip."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import user_environment

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    # Vietnamese tablets show 24-hour time fields; so does the screenshot.
    "--lang=vi-VN",
]
CONGVU = str(Path(sys.executable).parent / "congvu")
ARTIFACTS = Path(__file__).resolve().parent.parent / "artifacts"
DEMO_PASSWORD = "congvu-demo-2026"


def pass_demo_second_factor(page: Any) -> None:
    """After the password of the demo's admin: type the code its page shows (demo mode
    only). Other demo accounts never see the step."""
    page.wait_for_url(re.compile(r"/login/second-factor$"))
    hint = page.locator(".demo-hint").inner_text()
    shown = re.search(r"mã xác thực hiện tại là (\d{6})", hint)
    assert shown is not None, hint
    page.fill("#code", shown.group(1))
    page.get_by_role("button", name="Xác nhận").click()


@dataclass
class DemoServer:
    url: str
    process: subprocess.Popen[bytes]
    database: Path
    log: Path

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)


START_SECONDS = 150


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def demo_server(tmp_path: Path, demo_var: Path) -> Iterator[DemoServer]:
    """`congvu serve --demo` as the README tells a user to run it, on a copy of the
    run's seeded demo (tests/conftest.py), so that each test has a database of its own.
    `serve --demo` finds the demo seeded and skips to serving, exactly as it does when a
    user starts it a second time."""
    var_dir = demo_var
    env = user_environment(var_dir)
    port = _free_port()
    log = tmp_path / "server.log"
    with log.open("wb") as output:
        # A file, not a pipe: nobody reads the server's access log while the test runs,
        # and a full pipe would stall the server.
        process = subprocess.Popen(
            [CONGVU, "serve", "--demo", "--port", str(port)],
            cwd=tmp_path,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    server = DemoServer(f"http://127.0.0.1:{port}", process, var_dir / "congvu.sqlite3", log)
    started = time.monotonic()
    try:
        while True:
            try:
                with urllib.request.urlopen(f"{server.url}/health/ready", timeout=2) as ready:
                    if ready.status == 200:
                        break
            except OSError:
                pass
            if process.poll() is not None or time.monotonic() - started > START_SECONDS:
                pytest.fail(f"demo server did not start:\n{log.read_text(errors='replace')}")
            time.sleep(0.2)
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    # Without CI's CONGVU_REQUIRE_SERVERS the tests are skipped at collection
    # (see pytest_collection_modifyitems); in CI a missing browser is a failure.
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing (CI installs the Debian package chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield instance
        finally:
            instance.close()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    if CHROMIUM.exists() or os.environ.get("CONGVU_REQUIRE_SERVERS") == "1":
        return
    missing = pytest.mark.skipif(
        True, reason=f"needs the Debian chromium at {CHROMIUM} (apt-get install chromium)"
    )
    for item in items:
        if "tests/browser/" in str(item.path).replace("\\", "/"):
            item.add_marker(missing)
