"""P2: the full finding-write endpoint against a bare Litestar endpoint.

    uv run python tests/bench/bench_finding_write.py [--seconds 8] [--clients 16]
        [--postgres postgresql://user@host:port/db --redis redis://host:port/0]

Both apps run under uvicorn in subprocesses on free ports of 127.0.0.1 and get the same
load: a fixed number of concurrent httpx clients, each sending one request at a time
for a fixed time (bounded: each phase ≤ 10 s, the whole run ≤ 20 s of load).

* full: POST /api/v1/sync with one finding record — session, CSRF, team and unit-scope
  check, validation, idempotency receipt, the insert and its audit row;
* baseline: POST /baseline with the same JSON — one durable insert (same engine, same
  write transaction helper), nothing else.

Prints throughput of each, their ratio (target ≥ 0.75) and p99 against the baseline's
(target ≤ 2×). Without --postgres it runs on a fresh SQLite file with the embedded
Redis; with it, on a private database created on that server and dropped afterwards.
Exits 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import httpx

HERE = Path(__file__).resolve().parent
PASSWORD = "mat-khau-do-hieu-nang"
TARGET_RATIO = 0.75
TARGET_P99 = 2.0


# --- the baseline app (imported by uvicorn in its own process) ------------------------


def baseline_app() -> Any:
    from congvu.inspect import db
    from litestar import Litestar, post
    from piccolo.columns import JSON, Serial, Timestamptz
    from piccolo.table import Table

    class BenchWrite(Table, tablename="bench_write"):
        id: Serial
        body = JSON()
        received_at = Timestamptz()

    @post("/baseline", status_code=201)
    async def write(data: dict[str, Any]) -> dict[str, Any]:
        async with db.atomic():
            row = BenchWrite(body=data, received_at=datetime.now().astimezone())
            await row.save()
        return {"id": row.id}

    async def startup() -> None:
        await db.prepare()
        await BenchWrite.create_table(if_not_exists=True)

    async def shutdown() -> None:
        await db.close()

    return Litestar([write], on_startup=[startup], on_shutdown=[shutdown])


# --- set-up ----------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def prepare_world() -> int:
    from congvu.inspect import db
    from congvu.inspect.inspections.tables import Inspection, InspectionMember
    from congvu.inspect.services import accounts, organisation
    from congvu.inspect.settings import get_settings

    await db.prepare()
    await db.migrate()
    await organisation.create_unit(code="BP", name="Tỉnh Đo Hiệu Năng", kind="province")
    unit = await organisation.create_unit(
        code="BP-X", name="Xã Đo Hiệu Năng", kind="commune", parent_code="BP", commune_type="xa"
    )
    official = await organisation.add_official(
        code="BX0001",
        full_name="Nguyễn Văn Đo",
        gender="nam",
        category="cong_chuc",
        position="Chuyên viên",
        unit_id=unit.id,
    )
    user = await accounts.create_user(
        username="bench", password=PASSWORD, role="inspector", unit_code="BP", display_name="b"
    )
    zone = get_settings().zone
    inspection = Inspection(
        unit=unit.id,
        kind="SCHEDULED",
        scheduled_date=datetime.now(zone).date() - timedelta(days=1),
        topics=["conduct"],
        status="in_progress",
        started_at=datetime.now(zone) - timedelta(days=1),
        created_at=datetime.now(zone),
    )
    await inspection.save()
    await InspectionMember.insert(
        InspectionMember(inspection=inspection.id, user=user.id, role="thanh_vien")
    )
    await db.close()
    os.environ["BENCH_OFFICIAL"] = str(official.id)
    return int(inspection.id)


def finding_record(inspection_id: int, official_id: int) -> dict[str, Any]:
    observed = datetime.now().astimezone() - timedelta(minutes=5)
    return {
        "uuid": str(uuid.uuid4()),
        "type": "finding",
        "inspection_id": inspection_id,
        "replaces": None,
        "device_time": observed.isoformat(),
        "payload": {
            "official_id": official_id,
            "violation_code": "NO_CARD",
            "facts": "Không đeo thẻ công chức khi tiếp công dân",
            "observed_at": observed.isoformat(),
            "evidence": [],
        },
    }


def start(args: list[str], env: dict[str, str], port: int) -> subprocess.Popen[bytes]:
    command = [
        sys.executable,
        "-m",
        "uvicorn",
        *args,
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--log-level",
        "warning",
        "--no-access-log",
    ]
    process = subprocess.Popen(command, env=env, cwd=HERE, start_new_session=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return process
        except OSError:
            if process.poll() is not None:
                raise RuntimeError(f"server exited: {args}") from None
            time.sleep(0.2)
    stop(process)
    raise RuntimeError(f"server did not start: {args}")


def stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)


# --- load ------------------------------------------------------------------------------


async def login(client: httpx.AsyncClient) -> dict[str, str]:
    await client.get("/login")
    token = client.cookies.get("csrftoken", "")
    response = await client.post(
        "/login",
        data={"username": "bench", "password": PASSWORD, "_csrf_token": token},
        follow_redirects=False,
    )
    assert response.status_code in (302, 303), response.text
    return {"x-csrftoken": client.cookies.get("csrftoken", "")}


async def measure(
    base: str, full: bool, inspection_id: int, official_id: int, clients: int, seconds: float
) -> tuple[float, list[float], int]:
    """Each client signs in once (the login form is rate limited), warms up for a second,
    then sends one request at a time until the time is up."""
    path = "/api/v1/sync" if full else "/baseline"
    sessions = [httpx.AsyncClient(base_url=base, timeout=30) for _ in range(clients)]
    try:
        headers = [await login(c) if full else {} for c in sessions]

        async def run(for_seconds: float, latencies: list[float], errors: list[int]) -> None:
            async def one(client: httpx.AsyncClient, header: dict[str, str]) -> None:
                stop_at = time.monotonic() + for_seconds
                while time.monotonic() < stop_at:
                    record = finding_record(inspection_id, official_id)
                    body = {"records": [record]} if full else record
                    began = time.perf_counter()
                    response = await client.post(path, json=body, headers=header)
                    latencies.append(time.perf_counter() - began)
                    ok = response.status_code in (200, 201)
                    if full and ok:
                        ok = response.json()["results"][0]["status"] == "created"
                    if not ok:
                        errors.append(response.status_code)

            await asyncio.gather(*(one(c, h) for c, h in zip(sessions, headers, strict=True)))

        await run(1.0, [], [])
        latencies: list[float] = []
        errors: list[int] = []
        began = time.monotonic()
        await run(seconds, latencies, errors)
        elapsed = time.monotonic() - began
    finally:
        for client in sessions:
            await client.aclose()
    return len(latencies) / elapsed, latencies, len(errors)


def p99(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]


# --- main ------------------------------------------------------------------------------


async def _pg_database(url: str, create: bool, name: str) -> None:
    import asyncpg

    connection = await asyncpg.connect(url)
    try:
        if create:
            await connection.execute(f'CREATE DATABASE "{name}"')
        else:
            await connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await connection.close()


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=8.0)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--postgres")
    parser.add_argument("--redis")
    options = parser.parse_args()
    seconds = min(options.seconds, 10.0)

    run = Path(tempfile.mkdtemp(prefix="congvu-bench-p2-"))
    env = {k: v for k, v in os.environ.items() if not k.startswith("CONGVU_")}
    env["CONGVU_VAR_DIR"] = str(run / "var")
    env["CONGVU_SECRET_KEY"] = "bench-secret-key-that-is-long-enough-0123456789"
    pg_name = None
    if options.postgres:
        from urllib.parse import urlsplit, urlunsplit

        pg_name = f"congvu_bench_{os.getpid()}_{secrets.token_hex(3)}"
        asyncio.run(_pg_database(options.postgres, True, pg_name))
        env["CONGVU_DATABASE_URL"] = urlunsplit(
            urlsplit(options.postgres)._replace(path=f"/{pg_name}")
        )
        if options.redis:
            env["CONGVU_REDIS_URL"] = options.redis
    else:
        env["CONGVU_DATABASE_URL"] = f"sqlite:///{run / 'bench.sqlite3'}"
    os.environ.update(env)
    engine = "PostgreSQL" if options.postgres else "SQLite"
    try:
        inspection_id = asyncio.run(prepare_world())
        official_id = int(os.environ["BENCH_OFFICIAL"])
        results = {}
        for name, args in (
            ("baseline", ["--factory", "bench_finding_write:baseline_app"]),
            ("full", ["--factory", "congvu.inspect.app:create_app"]),
        ):
            port = free_port()
            process = start(args, env, port)
            try:
                base = f"http://127.0.0.1:{port}"
                results[name] = asyncio.run(
                    measure(
                        base, name == "full", inspection_id, official_id, options.clients, seconds
                    )
                )
            finally:
                stop(process)
    finally:
        if pg_name and options.postgres:
            asyncio.run(_pg_database(options.postgres, False, pg_name))

    base_rps, base_lat, base_err = results["baseline"]
    full_rps, full_lat, full_err = results["full"]
    ratio = full_rps / base_rps
    p99_ratio = p99(full_lat) / p99(base_lat)
    print(f"P2 finding write on {engine}, {options.clients} clients, {seconds:.0f} s each")
    print(
        f"  baseline: {base_rps:8.1f} req/s  p99 {p99(base_lat) * 1000:7.1f} ms  errors {base_err}"
    )
    print(
        f"  full:     {full_rps:8.1f} req/s  p99 {p99(full_lat) * 1000:7.1f} ms  errors {full_err}"
    )
    print(
        f"  throughput ratio {ratio:.2f} (target ≥ {TARGET_RATIO}); "
        f"p99 {p99_ratio:.2f}× baseline (target ≤ {TARGET_P99}×)"
    )
    ok = ratio >= TARGET_RATIO and p99_ratio <= TARGET_P99 and not full_err and not base_err
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
