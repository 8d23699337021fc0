"""Nhập hồ sơ TTHC: one-stop exports (CSV, XLSX) into ``Dossier``, with their lateness.

The path of one import, the same for the web (an arq job), the worker and the CLI:

1. read the file in chunks of text cells (Arrow parses CSV in C++; encoding and
   delimiter detected, title rows above the header skipped), map its columns to dossier
   fields (a saved mapping, else the Vietnamese presets), normalise text to NFC and
   parse dates (dd/mm/yyyy [HH:MM[:SS]], ISO, Excel serial numbers) column by column;
2. validate every row; a bad row is set aside with its row number, column and reason;
3. evaluate the good rows with the vectorised rules engine (status, working days late,
   flags at ``as_of``, waits for supplements and pauses not counted) in one pass
   (``chunking``), and hand them to the stage (``dossier_staging``) while the next
   chunk is parsed: on PostgreSQL one transaction for the whole batch, new dossiers
   COPYed into ``dossier`` and changed ones merged through a temporary table as they
   come; on SQLite a per-batch table, one short write transaction per chunk so other
   writers are not starved, then one merge transaction;
4. the merge is set-based: due-date snapshots for changed due dates, then INSERT … ON
   CONFLICT DO UPDATE only where the row's content hash changed. A batch therefore
   commits all its good rows or none, and the same file imported twice changes
   nothing. Dossiers whose due date history now has a change are re-evaluated with
   their snapshots (deadline reset detection).
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import hashlib
import os
import time
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from congvu.inspect import clock, cpu_pool, db
from congvu.inspect.actor import Actor, Role
from congvu.inspect.dossiers.services.importing.chunking import Directory, warm_up
from congvu.inspect.dossiers.services.importing.feeding import ChunkFeed, FileJob
from congvu.inspect.dossiers.services.importing.mappings import saved_mapping
from congvu.inspect.dossiers.services.importing.reading import (
    FIELD_BY_NAME,
    Source,
    map_headers,
    open_source,
)
from congvu.inspect.dossiers.services.importing.rows import Rejection
from congvu.inspect.dossiers.services.importing.staging import (
    Counts,
    Merge,
    PostgresStage,
    SqliteStage,
    Stage,
)
from congvu.inspect.dossiers.tables import ImportBatch, ImportStatus, RejectedRow
from congvu.inspect.errors import Invalid, NotFound
from congvu.inspect.settings import get_settings
from congvu.inspect.upload_screening import UploadLimits, screen
from congvu.rules.dossiers import DossierStatus

Progress = Callable[[int, int, str], Awaitable[None]]

# Small enough that the database starts writing soon and three chunks in memory (one
# parsed, two being written) stay small; larger ones were no faster.
CHUNK_ROWS = 25_000
_IN_FLIGHT = 2
IMPORT_ROLES = (Role.ADMIN, Role.REPORTER, Role.UNIT_HEAD)


@dataclass(frozen=True)
class ImportRequest:
    """What to import: the file, and the choices of the person importing."""

    path: Path
    file_name: str
    unit_code: str | None = None
    mapping_name: str | None = None
    exported_at: datetime | None = None  # default: the time of the import
    as_of: date | None = None  # default: today in CONGVU_TIME_ZONE
    force: bool = False  # read every row even when the same file was the last import


def file_checksum(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


async def _batch_for(
    actor: Actor,
    request: ImportRequest,
    job_id: uuid.UUID | None,
    source: Source,
    mapping: dict[str, int],
    checksum: str,
    replay_key: str,
    unit_id: int | None,
    exported_at: datetime,
    as_of: date,
) -> int:
    """The batch record, reused when a job runs again after a killed worker."""
    if job_id is not None:
        row = await ImportBatch.select(ImportBatch.id).where(ImportBatch.job_id == job_id).first()
        if row is not None:
            async with db.atomic():
                await RejectedRow.delete().where(RejectedRow.batch == row["id"])
                await ImportBatch.update(
                    {
                        ImportBatch.status: ImportStatus.RUNNING.value,
                        ImportBatch.started_at: clock.now(),
                        ImportBatch.error: None,
                    }
                ).where(ImportBatch.id == row["id"])
            return int(row["id"])
    batch = ImportBatch(
        job_id=job_id,
        file_name=request.file_name[:255],
        checksum=checksum,
        replay_key=replay_key,
        encoding=source.encoding,
        mapping={name: source.headers[i] for name, i in mapping.items()},
        mapping_name=request.mapping_name,
        unit=unit_id,
        exported_at=exported_at,
        as_of=as_of,
        status=ImportStatus.RUNNING.value,
        requested_by=actor.id or None,
        started_at=clock.now(),
    )
    async with db.atomic():
        await batch.save()
    return int(batch.id)


async def _replay(
    actor: Actor,
    request: ImportRequest,
    job_id: uuid.UUID | None,
    replay_key: str,
    exported_at: datetime,
    as_of: date,
) -> dict[str, Any] | None:
    """The same file, mapped the same way against the same units and officials, as the
    last import that wrote anything: every row's content hash would match, so the rows
    need not be read again. Recorded as a batch of its own (rejected rows copied)."""
    previous = (
        await ImportBatch.select()
        .where(ImportBatch.replay_key == replay_key, ImportBatch.status == "done")
        .order_by(ImportBatch.id, ascending=False)
        .output(load_json=True)
        .first()
    )
    if previous is None:
        return None
    writes_since = await ImportBatch.exists().where(
        ImportBatch.id > previous["id"],
        ImportBatch.status == "done",
        (ImportBatch.rows_inserted > 0) | (ImportBatch.rows_updated > 0),
    )
    if writes_since:
        return None
    unchanged = previous["rows_read"] - previous["rows_rejected"]
    now = clock.now()
    async with db.atomic():
        if job_id is not None:
            await ImportBatch.delete().where(ImportBatch.job_id == job_id)
        batch = ImportBatch(
            job_id=job_id,
            file_name=request.file_name[:255],
            checksum=previous["checksum"],
            replay_key=replay_key,
            encoding=previous["encoding"],
            mapping=previous["mapping"],
            mapping_name=request.mapping_name,
            unit=previous["unit"],
            exported_at=exported_at,
            as_of=as_of,
            status=ImportStatus.DONE.value,
            rows_read=previous["rows_read"],
            rows_unchanged=unchanged,
            rows_rejected=previous["rows_rejected"],
            by_status=previous["by_status"],
            requested_by=actor.id or None,
            started_at=now,
            finished_at=now,
        )
        await batch.save()
        rows = (
            await RejectedRow.select()
            .where(RejectedRow.batch == previous["id"])
            .order_by(RejectedRow.row_number)
            .output(load_json=True)
        )
        if rows:
            await RejectedRow.insert(
                *(
                    RejectedRow(
                        batch=batch.id,
                        row_number=r["row_number"],
                        column=r["column"],
                        reason=r["reason"],
                        cells=r["cells"],
                    )
                    for r in rows
                )
            )
    return {
        "batch_id": batch.id,
        "file": request.file_name,
        "checksum": previous["checksum"],
        "encoding": previous["encoding"],
        "same_file_as_batch": previous["id"],
        "rows_read": previous["rows_read"],
        "imported": unchanged,
        "inserted": 0,
        "updated": 0,
        "unchanged": unchanged,
        "rejected": previous["rows_rejected"],
        "due_changes": 0,
        "by_status": previous["by_status"],
        "rejected_rows": [
            {"row": r["row_number"], "column": r["column"], "reason": r["reason"]} for r in rows
        ],
    }


async def _no_progress(done: int, total: int, message: str) -> None:
    return None


async def import_dossiers(
    actor: Actor,
    request: ImportRequest,
    *,
    progress: Progress = _no_progress,
    job_id: uuid.UUID | None = None,
    chunk_rows: int = CHUNK_ROWS,
) -> dict[str, Any]:
    """Import one export (module docstring). Returns the summary shown on the job page
    and printed by ``congvu import-dossiers --json``."""
    if actor.role not in IMPORT_ROLES:
        raise NotFound("Không tìm thấy trang.")
    if not request.path.exists():
        raise Invalid("Không tìm thấy tệp cần nhập.", field="file")
    # Looking into the file and reading its header are CPU work (an XLSX's shared strings
    # are all parsed on opening): in the CPU pool, so the web process (and, in embedded
    # mode, the worker inside it) keeps answering.
    await cpu_pool.run(screen, request.path, request.file_name, UploadLimits.of(get_settings()))
    source = await cpu_pool.run(open_source, request.path, request.file_name)
    mapping = map_headers(source.headers, await saved_mapping(request.mapping_name))
    missing = [
        FIELD_BY_NAME[name].label
        for name in ("code", "received_at", *(() if request.unit_code else ("unit",)))
        if name not in mapping
    ]
    if missing:
        raise Invalid(
            f"Không tìm thấy cột: {', '.join(missing)}. Dòng tiêu đề đọc được: "
            f"{', '.join(source.headers[:20])}",
            field="mapping",
        )
    directory = await Directory.load(actor.scope_path, request.unit_code)
    as_of = request.as_of or clock.today()
    exported_at = request.exported_at or clock.now()
    if exported_at.tzinfo is None:
        exported_at = exported_at.replace(tzinfo=clock.zone())
    # Hashing a large file takes a while (hashlib releases the GIL: a thread is enough);
    # the rules engine's first evaluation in a pool process (calendar, rule packs) is
    # prepared meanwhile.
    checksum, _ = await asyncio.gather(
        asyncio.to_thread(file_checksum, request.path), cpu_pool.run(warm_up, as_of)
    )
    replay_key = hashlib.sha256(
        repr(
            (checksum, sorted(mapping.items()), directory.scope_path, directory.fingerprint)
        ).encode()
    ).hexdigest()
    if not request.force:
        replayed = await _replay(actor, request, job_id, replay_key, exported_at, as_of)
        if replayed is not None:
            await progress(1, 1, "Tệp đã được nhập, không có thay đổi")
            return replayed
    batch_id = await _batch_for(
        actor,
        request,
        job_id,
        source,
        mapping,
        checksum,
        replay_key,
        directory.default_unit[0] if directory.default_unit else None,
        exported_at,
        as_of,
    )
    merge = Merge(batch_id, exported_at, as_of, directory.schedules, directory.restarting)
    stage: Stage = SqliteStage(merge) if db.is_sqlite() else PostgresStage(merge)
    counts = Counts()
    rejected: list[Rejection] = []
    started = time.monotonic()
    first_data_row = source.header_row + 2  # 1-based row number of the first data row
    total = max(source.estimated_rows, 1)
    job = FileJob(
        source,
        sorted(set(mapping.values())),
        mapping,
        directory,
        as_of,
        chunk_rows,
        first_data_row,
        get_settings().var_dir / "import-chunks" / f"batch-{batch_id}-{uuid.uuid4().hex}",
        os.getpid(),
        sqlite_stage=isinstance(stage, SqliteStage),
    )
    feed: ChunkFeed | None = None

    # Chunks handed to the stage and not yet written: the pool prepares chunk k+1 while
    # the database takes chunk k; two in flight bound the memory.
    writing: collections.deque[asyncio.Task[None]] = collections.deque()
    try:
        await stage.open()
        await progress(0, total, "Đang đọc tệp")
        feed = ChunkFeed.start(job)
        while True:
            prepared = await feed.next()
            while writing and (prepared is None or len(writing) >= _IN_FLIGHT):
                await writing.popleft()
            if prepared is None:
                break
            chunk = prepared
            counts.read += chunk.size
            counts.rejected += len(chunk.rejected)
            rejected += chunk.rejected
            for status, n in chunk.by_status.items():
                counts.by_status[status] = counts.by_status.get(status, 0) + n
            writing.append(asyncio.create_task(stage.add(chunk.good, counts)))
            total = max(total, counts.read + 1)
            rate = counts.read / max(time.monotonic() - started, 1e-6)
            eta = (total - counts.read) / rate if rate else 0
            await progress(
                counts.read,
                total,
                f"Đã đọc {counts.read} dòng: {counts.read - counts.rejected} hợp lệ,"
                f" {counts.rejected} bị loại; còn khoảng {eta:.0f} giây",
            )
        await progress(counts.read, counts.read + 1, "Đang ghi vào cơ sở dữ liệu")
        by_status = {s.value: counts.by_status.get(s.value, 0) for s in DossierStatus}
        await stage.finish(
            counts,
            rejected,
            {
                "status": ImportStatus.DONE.value,
                "rows_read": counts.read,
                "rows_rejected": counts.rejected,
                "by_status": by_status,
                "finished_at": clock.now(),
            },
        )
    except BaseException as error:
        for task in writing:
            task.cancel()
        for task in writing:
            with contextlib.suppress(BaseException):
                await task
        try:
            if feed is not None:
                await feed.close()
            await stage.close()
        finally:
            async with db.atomic():
                await ImportBatch.update(
                    {
                        ImportBatch.status: ImportStatus.FAILED.value,
                        ImportBatch.error: str(error)[:4000],
                        ImportBatch.finished_at: clock.now(),
                    }
                ).where(ImportBatch.id == batch_id)
        raise
    await feed.close()
    await stage.close()
    await progress(counts.read, counts.read, "Đã nhập xong")
    return {
        "batch_id": batch_id,
        "file": request.file_name,
        "checksum": checksum,
        "encoding": source.encoding,
        "rows_read": counts.read,
        "imported": counts.read - counts.rejected,
        "inserted": counts.inserted,
        "updated": counts.updated,
        "unchanged": counts.unchanged,
        "rejected": counts.rejected,
        "due_changes": counts.due_changes,
        "by_status": by_status,
        "rejected_rows": [
            {"row": r.row_number, "column": r.column, "reason": r.reason} for r in rejected
        ],
    }
