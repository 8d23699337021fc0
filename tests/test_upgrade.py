"""A database made by the previous release upgrades in place: `congvu migrate` of this
code runs on it, keeps every row, and the data reads back through this code.

The fixtures are the previous release's `congvu demo` (how they were made, and how to
refresh them for the next release: tests/fixtures/README.md)."""

from __future__ import annotations

import asyncio
import gzip
import os
import secrets
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

from tests.conftest import requires_server

FIXTURES = Path(__file__).parent / "fixtures"
CONGVU = [str(Path(sys.executable).parent / "congvu")]
PLANTED_LATE_DOSSIER = "DEMO-20261118-TRE"


def _congvu(database_url: str, var_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CONGVU_")}
    env.pop("PYTEST_ADDOPTS", None)
    env.update(CONGVU_DATABASE_URL=database_url, CONGVU_VAR_DIR=str(var_dir))
    return subprocess.run(
        [*CONGVU, *args], env=env, capture_output=True, text=True, timeout=300, check=False
    )


def _sqlite_counts(path: Path) -> dict[str, int]:
    with sqlite3.connect(path) as db:
        tables = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        return {t: db.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}


def _check_upgraded(url: str, var_dir: Path) -> None:
    """What every engine must show after the upgrade, read through this code."""
    verified = _congvu(url, var_dir, "verify-audit")
    assert verified.returncode == 0, verified.stdout + verified.stderr
    listed = _congvu(url, var_dir, "dossiers", "--as-of", "2026-11-30", "--format", "csv")
    assert listed.returncode == 0, listed.stderr
    assert PLANTED_LATE_DOSSIER in listed.stdout


def test_a_previous_release_sqlite_database_upgrades_in_place(tmp_path: Path) -> None:
    database = tmp_path / "congvu.sqlite3"
    with gzip.open(FIXTURES / "release-2026-11.sqlite3.gz") as source, database.open("wb") as out:
        shutil.copyfileobj(source, out)
    before = _sqlite_counts(database)
    assert before["finding"] > 0 and before["dossier"] > 0 and before["audit_event"] > 0

    url = f"sqlite:///{database}"
    migrated = _congvu(url, tmp_path, "migrate")
    assert migrated.returncode == 0, migrated.stdout + migrated.stderr

    after = _sqlite_counts(database)
    assert {t: n for t, n in after.items() if t != "migration"} == {
        t: n for t, n in before.items() if t != "migration"
    }
    with sqlite3.connect(database) as db:
        states = dict(db.execute("SELECT state, count(*) FROM finding_review GROUP BY state"))
    assert states == {"notified": before["finding_review"]}
    _check_upgraded(url, tmp_path)


@pytest.fixture
def restored_postgres() -> Iterator[str]:
    """A fresh database on the test server holding the previous release's dump."""
    import asyncpg

    admin = os.environ["CONGVU_TEST_DATABASE_URL"]
    name = f"congvu_upgrade_{os.getpid()}_{secrets.token_hex(3)}"
    url = urlunsplit(urlsplit(admin)._replace(path=f"/{name}"))
    script = gzip.decompress((FIXTURES / "release-2026-11.pg.sql.gz").read_bytes()).decode()

    async def create() -> None:
        connection = await asyncpg.connect(admin)
        try:
            await connection.execute(f'CREATE DATABASE "{name}"')
        finally:
            await connection.close()
        connection = await asyncpg.connect(url)
        try:
            await connection.execute(script)
        finally:
            await connection.close()

    async def drop() -> None:
        connection = await asyncpg.connect(admin)
        try:
            await connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        finally:
            await connection.close()

    asyncio.run(create())
    try:
        yield url
    finally:
        asyncio.run(drop())


async def _pg_counts(url: str) -> dict[str, int]:
    import asyncpg

    connection = await asyncpg.connect(url)
    try:
        tables = [
            r["tablename"]
            for r in await connection.fetch(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
            )
        ]
        return {t: await connection.fetchval(f'SELECT count(*) FROM "{t}"') for t in tables}
    finally:
        await connection.close()


@requires_server("postgres")
def test_a_previous_release_postgres_database_upgrades_in_place(
    restored_postgres: str, tmp_path: Path
) -> None:
    before = asyncio.run(_pg_counts(restored_postgres))
    assert before["finding"] > 0 and before["dossier"] > 0

    migrated = _congvu(restored_postgres, tmp_path, "migrate")
    assert migrated.returncode == 0, migrated.stdout + migrated.stderr

    after = asyncio.run(_pg_counts(restored_postgres))
    assert {t: n for t, n in after.items() if t != "migration"} == {
        t: n for t, n in before.items() if t != "migration"
    }
    _check_upgraded(restored_postgres, tmp_path)
