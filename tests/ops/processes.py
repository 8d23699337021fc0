"""Real congvu processes for the operations tests: `congvu serve` and `congvu worker` on
127.0.0.1 with free ports, against the database and Redis of the test run (conftest.py
chose them: SQLite + an embedded Redis, or CONGVU_TEST_DATABASE_URL / _REDIS_URL).

Every process is started in a session of its own and ended by its pid only: `kill()` is
SIGKILL (a crash), `stop()` is SIGTERM then a bounded wait (a clean shutdown). The
embedded redis-server a killed `serve` leaves behind is ended by pid from its pidfile.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx

CONGVU = str(Path(sys.executable).parent / "congvu")
START_TIMEOUT = 60.0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def environment(var_dir: Path, **extra: str) -> dict[str, str]:
    """The test run's environment with a var directory of the process group's own."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("CONGVU_TEST_")}
    env.pop("CONGVU_REQUIRE_SERVERS", None)
    env.pop("CONGVU_CI_BENCH", None)
    env["CONGVU_VAR_DIR"] = str(var_dir)
    env.update(extra)
    return env


@dataclass
class Process:
    """One congvu process; its output goes to a file (a full pipe would stall it)."""

    args: list[str]
    env: dict[str, str]
    log: Path
    cwd: Path
    popen: subprocess.Popen[bytes] | None = None
    port: int | None = None
    started: int = 0
    history: list[str] = field(default_factory=list)

    @property
    def url(self) -> str:
        assert self.port is not None
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> Process:
        assert self.popen is None or self.popen.poll() is not None, "already running"
        self.started += 1
        with self.log.open("ab") as output:
            output.write(f"\n----- start {self.started}: {' '.join(self.args)}\n".encode())
            output.flush()
            self.popen = subprocess.Popen(
                [CONGVU, *self.args],
                cwd=self.cwd,
                env=self.env,
                stdout=output,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        return self

    def wait_ready(self, path: str = "/health/ready", timeout: float = START_TIMEOUT) -> None:
        assert self.popen is not None
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.popen.poll() is not None:
                raise AssertionError(f"{self.args[0]} exited early:\n{self.output()}")
            try:
                if httpx.get(self.url + path, timeout=2).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        raise AssertionError(f"{self.args[0]} not ready in {timeout}s:\n{self.output()}")

    def wait_for_line(self, text: str, timeout: float = START_TIMEOUT) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if text in self.output():
                return
            if self.popen is not None and self.popen.poll() is not None:
                raise AssertionError(f"{self.args[0]} exited:\n{self.output()}")
            time.sleep(0.2)
        raise AssertionError(f"{text!r} not logged in {timeout}s:\n{self.output()}")

    def kill(self) -> None:
        """kill -9: no shutdown hook runs."""
        if self.popen is not None and self.popen.poll() is None:
            os.kill(self.popen.pid, signal.SIGKILL)
            self.popen.wait(timeout=10)
        self.history.append("killed")

    def stop(self, timeout: float = 30.0) -> None:
        """A clean stop (SIGTERM), SIGKILL only if it does not end in time."""
        if self.popen is not None and self.popen.poll() is None:
            os.kill(self.popen.pid, signal.SIGTERM)
            try:
                self.popen.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                os.kill(self.popen.pid, signal.SIGKILL)
                self.popen.wait(timeout=10)
        self.history.append("stopped")

    def output(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")


def _end_embedded_redis(var_dir: Path) -> None:
    """The redis-server a killed `serve` left running, ended by the pid in its pidfile."""
    pidfile = var_dir / "redis.pid"
    try:
        pid = int(pidfile.read_text().strip())
    except (OSError, ValueError):
        return
    try:
        if b"redis-server" not in Path(f"/proc/{pid}/cmdline").read_bytes():
            return
        os.kill(pid, signal.SIGTERM)
    except OSError:
        return
    for _ in range(50):
        try:
            os.kill(pid, 0)
        except OSError:
            return
        time.sleep(0.1)
    os.kill(pid, signal.SIGKILL)


@contextmanager
def processes(directory: Path) -> Iterator[list[Process]]:
    """A list to which `serve`/`worker` processes are added; all ended at exit."""
    started: list[Process] = []
    try:
        yield started
    finally:
        for process in started:
            process.stop(timeout=20)
        for var_dir in {Path(p.env["CONGVU_VAR_DIR"]) for p in started}:
            _end_embedded_redis(var_dir)


def demo_environment(var_dir: Path) -> dict[str, str]:
    """What a user running `serve --demo` has: no CONGVU_* but the var directory."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("CONGVU_")}
    env["CONGVU_VAR_DIR"] = str(var_dir)
    return env


def serve(
    directory: Path,
    name: str,
    var_dir: Path,
    *extra_args: str,
    env: dict[str, str] | None = None,
) -> Process:
    port = free_port()
    return Process(
        ["serve", "--port", str(port), *extra_args],
        env if env is not None else environment(var_dir),
        directory / f"{name}.log",
        directory,
        port=port,
    )


def worker(directory: Path, name: str, var_dir: Path) -> Process:
    return Process(["worker"], environment(var_dir), directory / f"{name}.log", directory)


def congvu(directory: Path, var_dir: Path, *args: str, timeout: float = 120) -> str:
    """Run one congvu command to its end; its output, asserting it succeeded."""
    done = subprocess.run(
        [CONGVU, *args],
        cwd=directory,
        env=environment(var_dir),
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert done.returncode == 0, f"congvu {' '.join(args)}:\n{done.stdout}\n{done.stderr}"
    return done.stdout + done.stderr


def login(client: httpx.Client, username: str, password: str) -> None:
    page = client.get("/login")
    assert page.status_code == 200, page.text
    answer = client.post(
        "/login",
        data={
            "username": username,
            "password": password,
            "_csrf_token": client.cookies.get("csrftoken", ""),
        },
    )
    assert answer.status_code in (200, 302, 303), answer.text
    if answer.headers.get("location") == "/login/second-factor":
        # The demo's admin: the demo's page shows the code of the moment.
        step = client.get("/login/second-factor")
        shown = re.search(r"mã xác thực hiện tại là (\d{6})", step.text)
        assert shown is not None, step.text
        passed = client.post(
            "/login/second-factor",
            data={"code": shown.group(1), "_csrf_token": client.cookies.get("csrftoken", "")},
        )
        assert passed.status_code == 303, passed.text
