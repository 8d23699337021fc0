"""``congvu backup --out DIR`` and ``congvu restore DIR``: sao lưu và phục hồi.

A backup directory holds the database (PostgreSQL: ``pg_dump`` custom format; SQLite:
a copy made with SQLite's online backup API, safe while the service writes), the media
files (photos, signatures, uploads, generated documents), the latest signed audit
checkpoint and ``manifest.json``: every table's row count and every file's sha256.

Order matters while the service runs: the checkpoint is taken first (the dump then holds
at least the events it vouches for), then the database, then the media (a photo's file
is written before its row, so every row in the dump finds its file). On PostgreSQL the
row counts are read in the very snapshot ``pg_dump`` dumps (``--snapshot``).

``restore`` checks every sha256 of the manifest, refuses a database or media directory
that is not empty (``--force`` replaces them), restores, and compares every table's
row count with the manifest. Point-in-time recovery is PostgreSQL's own (README).
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import os
import shutil
import sqlite3
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit, urlunsplit

import click
from congvu.inspect import db_roles
from congvu.inspect.cli.common import run, settings_or_exit
from congvu.inspect.settings import Settings

MANIFEST = "manifest.json"
FORMAT = "congvu-backup/1"
PG_DUMP_FILE = "database.dump"
SQLITE_FILE = "database.sqlite3"
MEDIA = "media"
CHECKPOINT_FILE = "checkpoint.json"


class BackupError(click.ClickException):
    """A backup or restore that cannot go on; the message says why, Vietnamese first."""


# --- files ------------------------------------------------------------------------


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _files_under(root: Path) -> Iterator[Path]:
    if root.is_dir():
        for path in sorted(root.rglob("*")):
            # Half-written temporaries (write_atomically's) are not media.
            if path.is_file() and not path.name.endswith(".tmp"):
                yield path


def _copy_media(
    source: Path, target: Path, purged: frozenset[str] = frozenset()
) -> list[dict[str, Any]]:
    listed = []
    for path in _files_under(source):
        relative = path.relative_to(source).as_posix()
        if relative in purged:  # past its retention: deleted, never carried on
            continue
        destination = target / relative
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, destination)
        listed.append(
            {
                "path": relative,
                "sha256": sha256_of(destination),
                "bytes": destination.stat().st_size,
            }
        )
    return listed


# --- PostgreSQL through its own tools ---------------------------------------------


def _pg_connection(url: str) -> tuple[str, dict[str, str]]:
    """The URL without its password, and an environment carrying it as PGPASSWORD: a
    password in the command line would show in every ``ps`` on the host."""
    parts = urlsplit(url)
    env = dict(os.environ)
    if parts.password is not None:
        env["PGPASSWORD"] = unquote(parts.password)
        host = parts.hostname or ""
        user = parts.username or ""
        netloc = f"{user}@{host}" if user else host
        if parts.port:
            netloc += f":{parts.port}"
        parts = parts._replace(netloc=netloc)
    scheme = "postgresql" if parts.scheme == "postgres" else parts.scheme
    return urlunsplit(parts._replace(scheme=scheme)), env


async def _run_tool(*command: str, env: dict[str, str]) -> None:
    process = await asyncio.create_subprocess_exec(
        *command, env=env, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE
    )
    _, error = await process.communicate()
    if process.returncode != 0:
        raise BackupError(
            f"{command[0]} thất bại / failed (exit {process.returncode}): "
            f"{error.decode(errors='replace').strip()}"
        )


async def _table_names() -> list[str]:
    from piccolo.conf.apps import Finder

    return sorted(table._meta.tablename for table in Finder().get_table_classes())


async def _pg_dump(settings: Settings, out: Path) -> dict[str, int]:
    """pg_dump in a snapshot this connection exported, and the row counts in it."""
    import asyncpg

    url, env = _pg_connection(settings.owner_database_url)
    connection = await asyncpg.connect(settings.owner_database_url)
    try:
        async with connection.transaction(isolation="repeatable_read", readonly=True):
            snapshot = await connection.fetchval("SELECT pg_export_snapshot()")
            counts = {
                name: int(await connection.fetchval(f'SELECT count(*) FROM "{name}"'))
                for name in await _table_names()
            }
            # The transaction stays open until pg_dump is done: the snapshot lives with it.
            await _run_tool(
                "pg_dump",
                "--format=custom",
                f"--snapshot={snapshot}",
                f"--file={out / PG_DUMP_FILE}",
                f"--dbname={url}",
                env=env,
            )
    finally:
        await connection.close()
    return counts


async def _pg_is_empty(settings: Settings) -> bool:
    import asyncpg

    connection = await asyncpg.connect(settings.owner_database_url)
    try:
        tables = await connection.fetchval(
            "SELECT count(*) FROM pg_tables WHERE schemaname = current_schema()"
        )
    finally:
        await connection.close()
    return int(tables) == 0


async def _pg_restore(settings: Settings, source: Path, force: bool) -> None:
    url, env = _pg_connection(settings.owner_database_url)
    # One transaction: a failed restore leaves the database as it was. Ownership and
    # grants are the target's own (--no-owner, --no-privileges): the role restoring (the
    # owner, when there are two) owns what it creates, then grants the application role
    # its share, which may have another name than the source's.
    options = ["--clean", "--if-exists"] if force else []
    await _run_tool(
        "pg_restore",
        "--no-owner",
        "--no-privileges",
        "--single-transaction",
        "--exit-on-error",
        *options,
        f"--dbname={url}",
        str(source / PG_DUMP_FILE),
        env=env,
    )
    if settings.separate_owner:
        await _grant_app_role(settings)


async def _grant_app_role(settings: Settings) -> None:
    import asyncpg

    app = db_roles.login_of(settings.database_url)
    connection = await asyncpg.connect(settings.owner_database_url)
    try:
        async with connection.transaction():
            for statement in db_roles.grants_sql(app.role, app.database):
                await connection.execute(statement)
    finally:
        await connection.close()


async def _pg_counts(settings: Settings, names: list[str]) -> dict[str, int]:
    import asyncpg

    connection = await asyncpg.connect(settings.owner_database_url)
    try:
        return {
            name: int(await connection.fetchval(f'SELECT count(*) FROM "{name}"')) for name in names
        }
    finally:
        await connection.close()


# --- SQLite through its online backup API ------------------------------------------


def _sqlite_copy(source: Path, target: Path) -> None:
    """SQLite's online backup: a consistent copy even while another process writes."""
    reader = sqlite3.connect(source)
    writer = sqlite3.connect(target)
    try:
        reader.backup(writer)
    finally:
        writer.close()
        reader.close()


def _sqlite_counts(path: Path, names: list[str]) -> dict[str, int]:
    database = sqlite3.connect(path)
    try:
        return {
            name: int(database.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0])
            for name in names
        }
    finally:
        database.close()


def _sqlite_is_empty(path: Path) -> bool:
    if not path.exists() or path.stat().st_size == 0:
        return True
    database = sqlite3.connect(path)
    try:
        tables = database.execute("SELECT count(*) FROM sqlite_master WHERE type = 'table'")
        return int(tables.fetchone()[0]) == 0
    finally:
        database.close()


# --- backup -------------------------------------------------------------------------


async def _checkpoint(settings: Settings, out: Path) -> dict[str, Any] | None:
    """A fresh checkpoint for the backup; if the chain no longer extends the last one,
    the backup still goes on (a backup matters most on a bad day) with the last one."""
    from congvu.inspect.audit import api as audit

    try:
        source = (
            await audit.take_checkpoint(
                settings.checkpoint_dir, settings.checkpoint_key, settings.checkpoint_keep
            )
        ).path
    except audit.ChainDiverged as error:
        click.echo(
            f"Cảnh báo / warning: chuỗi nhật ký không nối tiếp mốc gần nhất, sao lưu kèm mốc "
            f"cũ / the audit chain does not extend the latest checkpoint: {error}",
            err=True,
        )
        found = audit.latest_file(settings.checkpoint_dir)
        if found is None:
            return None
        source = found
    shutil.copy2(source, out / CHECKPOINT_FILE)
    checkpoint = json.loads(source.read_text(encoding="utf-8"))
    return {"file": CHECKPOINT_FILE, "name": source.name, "seq": checkpoint["seq"]}


def _empty_directory(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    if any(out.iterdir()):
        raise BackupError(f"Thư mục đích không trống / the output directory is not empty: {out}")


async def make_backup(settings: Settings, out: Path) -> dict[str, Any]:
    await asyncio.to_thread(_empty_directory, out)
    checkpoint = await _checkpoint(settings, out)
    if settings.is_sqlite:
        database_file = SQLITE_FILE
        await asyncio.to_thread(_sqlite_copy, settings.sqlite_path, out / SQLITE_FILE)
        counts = _sqlite_counts(out / SQLITE_FILE, await _table_names())
    else:
        database_file = PG_DUMP_FILE
        counts = await _pg_dump(settings, out)
    # Files deleted past their retention period (Luật 91/2025/QH15): their rows and
    # hashes stay in the database, their files are expected absent, never a mismatch.
    from congvu.inspect.capture import api as capture

    purged = await capture.purged_files()
    media = await asyncio.to_thread(_copy_media, settings.media_dir, out / MEDIA, frozenset(purged))
    manifest = {
        "format": FORMAT,
        "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "engine": "sqlite" if settings.is_sqlite else "postgresql",
        "database": {"file": database_file, "sha256": sha256_of(out / database_file)},
        "tables": counts,
        "media": media,
        "purged": [
            {"path": path, "purged_at": at.isoformat(timespec="seconds")}
            for path, at in sorted(purged.items())
        ],
        "checkpoint": checkpoint,
    }
    (out / MANIFEST).write_text(
        json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    return manifest


@click.command("backup")
@click.option(
    "--out",
    "out_dir",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="An empty or new directory: database, media, latest checkpoint, manifest.json.",
)
def backup(out_dir: Path) -> None:
    """Back up the database, the media files and the latest signed audit checkpoint."""
    settings = settings_or_exit()
    manifest = run(lambda: make_backup(settings, out_dir))
    rows = sum(manifest["tables"].values())
    checkpoint = manifest["checkpoint"]
    click.echo(
        f"Đã sao lưu / backed up to {out_dir}: {len(manifest['tables'])} bảng / tables, "
        f"{rows:,} dòng / rows, {len(manifest['media'])} tệp / media files, "
        + (
            f"mốc / checkpoint seq {checkpoint['seq']}"
            if checkpoint
            else "không có mốc / no checkpoint"
        )
    )


# --- restore ------------------------------------------------------------------------


def read_manifest(source: Path) -> dict[str, Any]:
    try:
        manifest: dict[str, Any] = json.loads((source / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise BackupError(
            f"Không đọc được / cannot read {source / MANIFEST}: {error.__class__.__name__}"
        ) from None
    if manifest.get("format") != FORMAT:
        raise BackupError(f"Không phải bản sao lưu congvu / not a congvu backup: {source}")
    return manifest


def check_files(source: Path, manifest: dict[str, Any]) -> None:
    """Every file the manifest names is there with its sha256, before anything is touched."""
    expected = [(manifest["database"]["file"], manifest["database"]["sha256"])]
    expected += [(f"{MEDIA}/{entry['path']}", entry["sha256"]) for entry in manifest["media"]]
    for relative, digest in expected:
        path = source / relative
        if not path.is_file() or sha256_of(path) != digest:
            raise BackupError(
                f"Bản sao lưu bị hỏng hoặc thiếu tệp / the backup is damaged: {relative}"
            )


async def restore_backup(settings: Settings, source: Path, force: bool) -> dict[str, int]:
    manifest = read_manifest(source)
    engine = "sqlite" if settings.is_sqlite else "postgresql"
    if manifest["engine"] != engine:
        raise BackupError(
            f"Bản sao lưu của {manifest['engine']}, cơ sở dữ liệu đích là {engine} / "
            f"a {manifest['engine']} backup cannot go into {engine}"
        )
    await asyncio.to_thread(check_files, source, manifest)
    empty = (
        _sqlite_is_empty(settings.sqlite_path)
        if settings.is_sqlite
        else await _pg_is_empty(settings)
    )
    media_files = next(_files_under(settings.media_dir), None)
    if not force and (not empty or media_files is not None):
        raise BackupError(
            "Cơ sở dữ liệu hoặc thư mục media đích không trống; dùng --force để ghi đè / "
            "the target database or media directory is not empty; --force replaces them"
        )
    if settings.is_sqlite:
        target = settings.sqlite_path
        target.parent.mkdir(parents=True, exist_ok=True)
        await asyncio.to_thread(_sqlite_copy, source / SQLITE_FILE, target)
    else:
        await _pg_restore(settings, source, force)
    if force and settings.media_dir.exists():
        await asyncio.to_thread(shutil.rmtree, settings.media_dir)
    await asyncio.to_thread(_copy_media, source / MEDIA, settings.media_dir)
    checkpoint = manifest.get("checkpoint")
    if checkpoint:
        settings.checkpoint_dir.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source / CHECKPOINT_FILE, settings.checkpoint_dir / checkpoint["name"])
    names = sorted(manifest["tables"])
    if settings.is_sqlite:
        counts = _sqlite_counts(settings.sqlite_path, names)
    else:
        counts = await _pg_counts(settings, names)
    return counts


@click.command("restore")
@click.argument("source", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Replace a database and media that are not empty.")
def restore(source: Path, force: bool) -> None:
    """Restore a backup made by ``congvu backup`` into an empty database, then compare
    every table's row count with the backup's manifest."""
    settings = settings_or_exit()
    manifest = read_manifest(source)
    # Restoring needs no engine of congvu's own: the tools and drivers connect directly,
    # and nothing may write (or seal) between the restore and the count.
    counts = asyncio.run(restore_backup(settings, source, force))
    differing = {
        name: (expected, counts.get(name))
        for name, expected in manifest["tables"].items()
        if counts.get(name) != expected
    }
    if differing:
        click.echo(
            "Số dòng khác bản sao lưu / row counts differ from the backup: "
            + ", ".join(f"{n} {e} → {g}" for n, (e, g) in sorted(differing.items())),
            err=True,
        )
        sys.exit(1)
    click.echo(
        f"Đã phục hồi / restored {source}: {len(counts)} bảng / tables, "
        f"{sum(counts.values()):,} dòng / rows khớp / match, {len(manifest['media'])} tệp / "
        f"media files, {len(manifest.get('purged', []))} tệp đã xoá theo thời hạn lưu trữ, "
        "vắng như dự kiến / purged past retention, absent as expected. "
        "Kiểm tra tiếp / next: congvu verify-audit"
    )


COMMANDS = (backup, restore)
