"""The backup drill, on SQLite and on PostgreSQL: the demo organisation with photos is
backed up, the database, the media and the checkpoints are wiped, ``congvu restore``
brings them back, and then every table's row count is what it was, every photo's
sha256 matches its record, and ``verify-audit`` passes against the checkpoint. Before
the backup the demo official's photos (their matter long closed) are purged past a
one-day retention: the backup lists them as purged, the restore expects them absent."""

from __future__ import annotations

import asyncio
import hashlib
import json
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

from tests.conftest import DemoSnapshots, requires_server

ROOT = Path(__file__).resolve().parent.parent
CONGVU = str(Path(sys.executable).parent / "congvu")
PHOTOS = 4
# The demo official's photos on a closed finding (inspect/demo/personal_data.py).
DEMO_PHOTOS = 2

# Run in the drill's own environment: three photos through the capture service (the
# path a tablet's upload takes), sealed like any command's writes.
SEED_PHOTOS = f"""
import asyncio, io
from PIL import Image
from congvu.inspect import db
from congvu.inspect.actor import Actor, Role
from congvu.inspect.audit import api as audit
from congvu.inspect.capture import api as capture
import hashlib

async def main():
    await db.prepare()
    actor = Actor(0, "drill", "Diễn tập", Role.INSPECTOR, "", None, None)
    for n in range({PHOTOS}):
        buffer = io.BytesIO()
        Image.new("RGB", (32 + n, 24), (40 * n, 120, 200)).save(buffer, "PNG")
        data = buffer.getvalue()
        await capture.store(actor, hashlib.sha256(data).hexdigest(), data, None)
    await audit.seal(wait=True)
    await db.close()

asyncio.run(main())
"""


def _congvu(env: dict[str, str], cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [CONGVU, *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=300, check=False
    )


def _app_url(database_url: str) -> str | None:
    """The application role's URL of ``database_url``'s database, when the run has the
    two roles of a deployment (tests/conftest.py): the drill then migrates, backs up
    and restores as the owner, and seeds and counts as the application."""
    app = os.environ.get("CONGVU_DATABASE_URL", "")
    if not os.environ.get("CONGVU_MIGRATE_DATABASE_URL"):
        return None
    return urlunsplit(urlsplit(app)._replace(path=urlsplit(database_url).path))


def _environment(tmp_path: Path, database_url: str | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CONGVU_")}
    env["CONGVU_VAR_DIR"] = str(tmp_path / "var")
    # The checkpoint key lives apart from the server and its backups (a Docker secret,
    # a vault): the wipe of var/ does not take it, as a lost server would not.
    key_file = tmp_path / "checkpoint_key"
    key_file.write_text(secrets.token_urlsafe(48) + "\n")
    env["CONGVU_CHECKPOINT_KEY_FILE"] = str(key_file)
    if database_url:
        env["CONGVU_DATABASE_URL"] = database_url
        app_url = _app_url(database_url)
        if app_url:
            env["CONGVU_DATABASE_URL"] = app_url
            env["CONGVU_MIGRATE_DATABASE_URL"] = database_url
    return env


def _counts_sqlite(path: Path) -> dict[str, int]:
    database = sqlite3.connect(path)
    try:
        names = [
            row[0]
            for row in database.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        return {n: database.execute(f'SELECT count(*) FROM "{n}"').fetchone()[0] for n in names}
    finally:
        database.close()


def _photos_sqlite(path: Path) -> list[tuple[str, str]]:
    database = sqlite3.connect(path)
    try:
        return list(database.execute("SELECT sha256, stored_path FROM evidence"))
    finally:
        database.close()


async def _pg(url: str, *statements: str) -> list[list[tuple[object, ...]]]:
    import asyncpg

    connection = await asyncpg.connect(url)
    try:
        return [[tuple(r) for r in await connection.fetch(s)] for s in statements]
    finally:
        await connection.close()


def _counts_pg(url: str) -> dict[str, int]:
    (names,) = asyncio.run(
        _pg(url, "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")
    )
    queries = [f'SELECT count(*) FROM "{n}"' for (n,) in names]
    results = asyncio.run(_pg(url, *queries))
    return {str(n): int(r[0][0]) for (n,), r in zip(names, results, strict=True)}  # type: ignore[call-overload]


@pytest.fixture
def pg_drill_database(_demo_snapshots: DemoSnapshots) -> Iterator[str]:
    """A database of the drill's own on the test server, holding the run's seeded demo
    (tests/conftest.py; its photos: `pg_demo_media`), dropped afterwards."""
    # The role that may create databases: the owner's when there are two.
    server = os.environ.get("CONGVU_MIGRATE_DATABASE_URL") or os.environ["CONGVU_DATABASE_URL"]
    name = f"congvu_drill_{os.getpid()}_{secrets.token_hex(3)}"
    demo = asyncio.run(_demo_snapshots.today())
    asyncio.run(_pg(server, f'CREATE DATABASE "{name}" TEMPLATE "{demo.database}"'))
    yield urlunsplit(urlsplit(server)._replace(path=f"/{name}"))
    asyncio.run(_pg(server, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


def _drill(tmp_path: Path, database_url: str | None, demo_media: Path | None = None) -> None:
    env = _environment(tmp_path, database_url)
    var = tmp_path / "var"
    if database_url:
        # The database is a copy of the run's seeded demo (pg_drill_database); its photos
        # join it in var/media, and `migrate` grants the application role what it needs,
        # as `congvu demo` would have.
        assert demo_media is not None
        shutil.copytree(demo_media, var / "media")
        assert (done := _congvu(env, tmp_path, "migrate")).returncode == 0, done.stderr
    else:
        # A copy of the run's seeded demo (tests/conftest.py; `demo_var` put it in var/):
        # its checkpoint key, generated there, moves out to the file the drill names, as
        # an operator moves it to a vault.
        key = var / "checkpoint_key"
        Path(env["CONGVU_CHECKPOINT_KEY_FILE"]).write_text(key.read_text().strip() + "\n")
        key.unlink()
    seeded = subprocess.run(
        [sys.executable, "-c", SEED_PHOTOS],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert seeded.returncode == 0, seeded.stderr

    def counts() -> dict[str, int]:
        if database_url:
            return _counts_pg(database_url)
        return _counts_sqlite(var / "congvu.sqlite3")

    # Uploads of today are kept (counted from today); the demo's closed matter is not.
    purged = _congvu({**env, "CONGVU_RETAIN_PHOTOS_DAYS": "1"}, tmp_path, "purge-media")
    assert purged.returncode == 0, purged.stdout + purged.stderr

    before = counts()
    assert before["evidence"] == PHOTOS + DEMO_PHOTOS
    assert before["audit_event"] > 0

    backup_dir = tmp_path / "backup"
    backed_up = _congvu(env, tmp_path, "backup", "--out", str(backup_dir))
    assert backed_up.returncode == 0, backed_up.stderr
    manifest = json.loads((backup_dir / "manifest.json").read_text())
    assert manifest["tables"] == {k: v for k, v in before.items() if k in manifest["tables"]}
    assert len([m for m in manifest["media"] if m["path"].startswith("evidence/")]) == PHOTOS
    gone = {p["path"] for p in manifest["purged"]}
    assert len(gone) == DEMO_PHOTOS
    assert manifest["checkpoint"]["seq"] > 0

    # The disaster: database, media and checkpoints gone.
    if database_url:
        # This test run's own database, as the role that may create databases.
        server = os.environ.get("CONGVU_MIGRATE_DATABASE_URL") or os.environ["CONGVU_DATABASE_URL"]
        name = urlsplit(database_url).path.strip("/")
        asyncio.run(
            _pg(server, f'DROP DATABASE "{name}" WITH (FORCE)', f'CREATE DATABASE "{name}"')
        )
        shutil.rmtree(var)
    else:
        shutil.rmtree(var)
    assert not var.exists() or not (var / "media").exists()

    restored = _congvu(env, tmp_path, "restore", str(backup_dir))
    assert restored.returncode == 0, restored.stdout + restored.stderr
    assert "khớp / match" in restored.stdout

    after = counts()
    assert after == before
    app_url = _app_url(database_url) if database_url else None
    if app_url:
        # The application role reads what the owner restored: restore granted its share.
        assert _counts_pg(app_url) == before
    photos = (
        asyncio.run(_pg(database_url, "SELECT sha256, stored_path FROM evidence"))[0]
        if database_url
        else _photos_sqlite(var / "congvu.sqlite3")
    )
    assert len(photos) == PHOTOS + DEMO_PHOTOS
    for sha256, stored_path in photos:
        if stored_path in gone:  # purged past retention: expected absent
            assert not (var / "media" / str(stored_path)).exists()
            continue
        data = (var / "media" / str(stored_path)).read_bytes()
        assert hashlib.sha256(data).hexdigest() == sha256

    verified = _congvu(env, tmp_path, "verify-audit")
    assert verified.returncode == 0, verified.stdout + verified.stderr
    assert "Khớp mốc / matches the checkpoint" in verified.stdout

    # A second restore onto what is now there is refused, and --force replaces it.
    again = _congvu(env, tmp_path, "restore", str(backup_dir))
    assert again.returncode == 1
    assert "không trống" in again.stderr
    forced = _congvu(env, tmp_path, "restore", "--force", str(backup_dir))
    assert forced.returncode == 0, forced.stderr
    assert counts() == before


@pytest.mark.slow
def test_backup_wipe_restore_drill_on_sqlite(tmp_path: Path, demo_var: Path) -> None:
    _drill(tmp_path, None)


@pytest.mark.slow
@requires_server("postgres")
def test_backup_wipe_restore_drill_on_postgresql(
    tmp_path: Path, pg_drill_database: str, _demo_snapshots: DemoSnapshots
) -> None:
    demo = asyncio.run(_demo_snapshots.today())
    _drill(tmp_path, pg_drill_database, demo.root / "media")
