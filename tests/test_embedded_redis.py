"""The embedded redis-server: started and stopped with the app, and a server left
behind by a killed parent (kill -9) is found by its pidfile and ended on next start."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import redis
from congvu.inspect.embedded_redis import EmbeddedRedis, EmbeddedRedisError


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie still answers kill(0); it is dead for our purpose.
    try:
        return Path(f"/proc/{pid}/stat").read_text().split()[2] != "Z"
    except OSError:
        return False


def test_start_answers_on_the_socket_and_stop_cleans_up(tmp_path: Path) -> None:
    server = EmbeddedRedis(tmp_path / "var")
    started = time.perf_counter()
    url = server.start()
    elapsed = time.perf_counter() - started
    try:
        client = redis.Redis.from_url(url)
        assert client.ping()
        client.close()
        pid = int((tmp_path / "var" / "redis.pid").read_text())
        assert _alive(pid)
    finally:
        server.stop()
    deadline = time.monotonic() + 5
    while _alive(pid) and time.monotonic() < deadline:
        time.sleep(0.02)
    assert not _alive(pid)
    print(f"\nembedded redis-server start: {elapsed * 1000:.0f} ms")


def test_a_server_left_by_a_killed_parent_is_ended_on_next_start(tmp_path: Path) -> None:
    var = tmp_path / "var"
    orphan_maker = (
        "import os, sys, pathlib\n"
        "from congvu.inspect.embedded_redis import EmbeddedRedis\n"
        "EmbeddedRedis(pathlib.Path(sys.argv[1])).start()\n"
        "os.kill(os.getpid(), 9)\n"
    )
    result = subprocess.run([sys.executable, "-c", orphan_maker, str(var)], timeout=60, check=False)
    assert result.returncode == -signal.SIGKILL
    orphan = int((var / "redis.pid").read_text())
    assert _alive(orphan), "the killed parent's redis-server should still run"

    server = EmbeddedRedis(var)
    server.start()
    try:
        assert not _alive(orphan)
        new_pid = int((var / "redis.pid").read_text())
        assert new_pid != orphan
    finally:
        server.stop()


def test_refuses_to_share_var_with_a_live_congvu(tmp_path: Path) -> None:
    var = tmp_path / "var"
    first = EmbeddedRedis(var)
    first.start()
    sleeper = subprocess.Popen(["sleep", "30"])
    try:
        # Pretend another live process owns the running server.
        (var / "redis.owner").write_text(str(sleeper.pid))
        with pytest.raises(EmbeddedRedisError, match="another congvu process"):
            EmbeddedRedis(var).start()
    finally:
        sleeper.kill()
        sleeper.wait()
        first.stop()


def test_what_it_holds_survives_a_clean_restart(tmp_path: Path) -> None:
    """Sessions and queued jobs live in the embedded Redis: a restart keeps them."""
    server = EmbeddedRedis(tmp_path / "var")
    url = server.start()
    try:
        client = redis.Redis.from_url(url)
        assert client.config_get("save") == {"save": "60 1"}
        client.set("congvu:sessions:probe", b"signed in")
        client.close()
    finally:
        server.stop()
    assert (tmp_path / "var" / "redis.rdb").exists()
    url = server.start()
    try:
        client = redis.Redis.from_url(url)
        assert client.get("congvu:sessions:probe") == b"signed in"
        client.close()
    finally:
        server.stop()
