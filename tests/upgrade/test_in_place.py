"""Upgrade in place: a database made by the previous release is brought up to date by
this code's ``congvu migrate`` and keeps every row, on SQLite and on PostgreSQL.

The fixtures are that release's demo plus a row in every table the demo leaves empty;
tests/fixtures/README.md says how they were made and how to refresh them for the next
release. Each test restores one into a database of its own, counts the rows of every
table, migrates, counts again, reads known rows back through this code
(``read_back.py``), and verifies the audit chain: the previous release sealed it, and
the reads just made appended to it.
"""

from __future__ import annotations

import asyncio
import json
import os
import secrets
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from collections.abc import Callable
from contextlib import closing
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import asyncpg
from piccolo.conf.apps import Finder

from tests.conftest import requires_server

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
SQLITE_FIXTURE = FIXTURES / "previous_release.sqlite3"
POSTGRES_FIXTURE = FIXTURES / "previous_release.postgres.sql"
READ_BACK = Path(__file__).with_name("read_back.py")
CONGVU = str(Path(sys.executable).parent / "congvu")
# Piccolo's own bookkeeping: a new release adds its migrations there.
MIGRATIONS = "migration"

# What the previous release stored, as this code reads it (see read_back.py). Accounts:
# role, scope, linked to an official.
ACCOUNTS = {
    "admin": ("admin", "/NA/", False),
    "truongdoan": ("team_lead", "/NA/", True),
    "kiemtra": ("inspector", "/NA/", True),
    "thutruong.truongvinh": ("unit_head", "/NA/NA-TV/", True),
    "thutruong.thanhvinh": ("unit_head", "/NA/NA-TVI/", True),
    "congchuc": ("official", "/NA/NA-TV/", True),
    "thidua": ("council", "/NA/", True),
    "baocao": ("reporter", "/NA/", True),
}
COMMUNES = ("NA-TV", "NA-TVI", "NA-DC", "NA-NL")
OFFICES = ("KT", "PVHCC", "VHXH", "VP")
UNITS = sorted(
    [
        "/NA/",
        "/NA/NA-SNV/",
        "/NA/NA-SNV/NA-SNV-CCVC/",
        "/NA/NA-SNV/NA-SNV-TTR/",
        "/NA/NA-PVHCC/",
        "/NA/NA-HB/",  # wards merged on 01/07/2025 keep their rows
        "/NA/NA-LN/",
        *(f"/NA/{c}/" for c in COMMUNES),
        *(f"/NA/{c}/{c}-{o}/" for c in COMMUNES for o in OFFICES),
    ]
)
FINDING = {
    "state": "under_review",
    "official": "Hoàng Kim Hương",
    "photos": 1,
    "explanations": ["Sáng hôm đó tôi đưa con đi khám bệnh, đã báo lãnh đạo phòng qua điện thoại."],
}
RESOLVED_LATE = {
    "status": "late",
    "working_days_late": 9,
    "flags": ["APOLOGY_MISSING", "RESOLVED_LATE"],
}
EXTENDED = {
    "due_at": "2026-11-26T17:00:00+00:00",
    "snapshots": ["2026-11-19T17:00:00+00:00", "2026-11-26T17:00:00+00:00"],
}


def _congvu(database_url: str, *argv: str) -> subprocess.CompletedProcess[str]:
    """A command of this code against ``database_url`` (the rest of the test's settings).
    The checkpoints the suite's own database left in the shared directory vouch for
    another trail: each command gets an empty checkpoint directory of its own."""
    checkpoints = tempfile.mkdtemp(prefix="congvu-upgrade-checkpoints-")
    env = {
        # One role, the test server's: the upgrade of a setup that has a single URL.
        **{k: v for k, v in os.environ.items() if k != "CONGVU_MIGRATE_DATABASE_URL"},
        "CONGVU_DATABASE_URL": database_url,
        "CONGVU_CHECKPOINT_DIR": checkpoints,
    }
    return subprocess.run(argv, env=env, capture_output=True, text=True, timeout=300, check=False)


def _upgrade_and_read(database_url: str, count: Callable[[], dict[str, int]]) -> None:
    """Migrate, compare every table's rows with ``count()`` before, read back, verify."""
    before = count()
    assert before, "the fixture has no tables"
    empty = sorted(table for table, rows in before.items() if rows == 0)
    assert not empty, f"the fixture should hold rows in every table: {empty}"

    migrated = _congvu(database_url, CONGVU, "migrate")
    assert migrated.returncode == 0, migrated.stdout + migrated.stderr

    after = count()
    current = {table._meta.tablename for table in Finder().get_table_classes()}
    assert current <= set(after), f"tables missing after the upgrade: {current - set(after)}"
    assert after[MIGRATIONS] >= before[MIGRATIONS]
    changed = {
        table: (rows, after.get(table))
        for table, rows in before.items()
        if table != MIGRATIONS and after.get(table) != rows
    }
    assert not changed, f"rows (before, after) changed by the upgrade: {changed}"

    read = _congvu(database_url, sys.executable, str(READ_BACK))
    assert read.returncode == 0, read.stderr
    found = json.loads(read.stdout)
    accounts = {
        name: (a["role"], a["scope"], a["official"]) for name, a in found["accounts"].items()
    }
    assert accounts == ACCOUNTS
    assert found["units"] == UNITS
    assert found["finding"] == FINDING
    assert found["resolved_late"] == RESOLVED_LATE
    assert found["extended"] == EXTENDED
    assert found["job"] == {"kind": "unit_statistics", "status": "done"}

    verified = _congvu(database_url, CONGVU, "verify-audit")
    assert verified.returncode == 0, verified.stdout + verified.stderr
    assert "audit trail intact" in verified.stdout


def test_a_sqlite_database_of_the_previous_release_upgrades_in_place(tmp_path: Path) -> None:
    path = tmp_path / "previous.sqlite3"
    shutil.copyfile(SQLITE_FIXTURE, path)

    def count() -> dict[str, int]:
        with closing(sqlite3.connect(path)) as connection:
            tables = [
                name
                for (name,) in connection.execute(
                    "SELECT name FROM sqlite_master"
                    " WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
                )
            ]
            return {
                table: connection.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]
                for table in tables
            }

    _upgrade_and_read(f"sqlite:///{path}", count)


def _load(dump: str) -> str:
    """The dump without psql's meta-commands (``\\restrict``), which only psql reads."""
    return "\n".join(line for line in dump.splitlines() if not line.startswith("\\"))


async def _create(server: str, name: str, script: str) -> None:
    connection = await asyncpg.connect(server)
    try:
        await connection.execute(f'CREATE DATABASE "{name}"')
    finally:
        await connection.close()
    connection = await asyncpg.connect(_on(server, name))
    try:
        await connection.execute(script)
    finally:
        await connection.close()


async def _drop(server: str, name: str) -> None:
    connection = await asyncpg.connect(server)
    try:
        await connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await connection.close()


async def _count_postgres(url: str) -> dict[str, int]:
    connection = await asyncpg.connect(url)
    try:
        tables = await connection.fetch(
            "SELECT table_name FROM information_schema.tables"
            " WHERE table_schema = 'public' AND table_type = 'BASE TABLE'"
        )
        return {
            row["table_name"]: await connection.fetchval(
                f'SELECT count(*) FROM public."{row["table_name"]}"'
            )
            for row in tables
        }
    finally:
        await connection.close()


def _on(server: str, name: str) -> str:
    return urlunsplit(urlsplit(server)._replace(path=f"/{name}"))


@requires_server("postgres")
def test_a_postgres_database_of_the_previous_release_upgrades_in_place() -> None:
    server = os.environ["CONGVU_TEST_DATABASE_URL"]
    name = f"congvu_upgrade_{os.getpid()}_{secrets.token_hex(3)}"
    url = _on(server, name)
    try:
        asyncio.run(_create(server, name, _load(POSTGRES_FIXTURE.read_text(encoding="utf-8"))))
        _upgrade_and_read(url, lambda: asyncio.run(_count_postgres(url)))
    finally:
        asyncio.run(_drop(server, name))
