"""The chunks of one import, read, validated and evaluated in a process of the CPU pool
(``congvu.inspect.cpu_pool``) and handed to the import as they are ready.

``prepare_file`` runs in the pool for the whole file: it reads the chunks, prepares each
(``chunking.prepare_chunk``: the duplicate codes it remembers across chunks stay in that
process) and writes it to a work folder: the good rows as an Arrow IPC file (PostgreSQL
COPYs them) or as a SQLite file (SQLite copies them with INSERT … SELECT: binding each
value would be Python work in the web process), the rejected rows and counts as a pickle
written last, so a chunk is complete once its pickle is there. It stays at most ``AHEAD``
chunks ahead of the import, which deletes each chunk once taken, and stops early when
the import is gone (a ``stop`` file, or its process ended), so a failed, cancelled or
killed import leaves no work running.

``ChunkFeed`` is the import's side, on the event loop: it waits for the next chunk
without holding the loop, and reads it back (memory-mapped, in a thread).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import pickle
import shutil
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pyarrow as pa
from congvu.inspect import cpu_pool
from congvu.inspect.dossiers.services.importing.chunking import Chunk, Directory, prepare_chunk
from congvu.inspect.dossiers.services.importing.reading import Source, read_chunks
from congvu.inspect.dossiers.services.importing.rows import Rejection
from congvu.inspect.dossiers.services.importing.staging import write_stage_file

AHEAD = 2  # chunks prepared and not yet taken: bounds the work folder and the memory
_POLL = 0.01  # seconds between looks at the folder


class Stopped(Exception):
    """The import that asked for the chunks is gone."""


@dataclass(frozen=True)
class FileJob:
    """Everything ``prepare_file`` needs, picklable."""

    source: Source
    columns: list[int]
    mapping: dict[str, int]
    directory: Directory
    as_of: date
    chunk_rows: int
    first_row: int  # 1-based row number of the first data row
    folder: Path
    importer_pid: int
    sqlite_stage: bool = False  # the good rows as SQLite files, not Arrow


@dataclass(frozen=True)
class ReadyChunk:
    """A prepared chunk as the import takes it."""

    size: int  # rows read
    good: pa.Table | Path  # Arrow rows, or the SQLite file of them
    rejected: list[Rejection]
    by_status: dict[str, int]


def _data(folder: Path, k: int) -> Path:
    return folder / f"{k:06d}.arrow"


def _sqlite_data(folder: Path, k: int) -> Path:
    return folder / f"{k:06d}.sqlite"


def _meta(folder: Path, k: int) -> Path:
    return folder / f"{k:06d}.pickle"


def _write_atomically(path: Path, write: Any) -> None:
    part = path.with_name(path.name + ".part")
    write(part)
    part.replace(path)


def _importer_gone(job: FileJob) -> bool:
    if (job.folder / "stop").exists() or not job.folder.exists():
        return True
    # In a pool process the importer is its parent; in the thread fallback, itself.
    return job.importer_pid not in (os.getppid(), os.getpid())


def _wait_for_room(job: FileJob, k: int) -> None:
    while _meta(job.folder, k - AHEAD).exists():
        if _importer_gone(job):
            raise Stopped
        time.sleep(_POLL)


def prepare_file(job: FileJob) -> int:
    """Prepare every chunk of ``job.source`` into ``job.folder``; the number of chunks.
    Runs in the CPU pool."""
    cpu_pool.off_loop()
    seen_codes: dict[str, int] = {}
    first_row = job.first_row
    k = 0
    for raw in read_chunks(job.source, job.columns, job.chunk_rows):
        if _importer_gone(job):
            raise Stopped
        chunk = prepare_chunk(
            raw, first_row, job.mapping, job.source.headers, job.directory, seen_codes, job.as_of
        )
        _wait_for_room(job, k)

        def write_rows(path: Path, good: pa.Table = chunk.good) -> None:
            with pa.OSFile(str(path), "wb") as sink, pa.ipc.new_file(sink, good.schema) as out:
                out.write_table(good)

        def write_meta(path: Path, size: int = raw.num_rows, done: Chunk = chunk) -> None:
            path.write_bytes(pickle.dumps((size, done.rejected, done.by_status)))

        if job.sqlite_stage:
            _write_atomically(
                _sqlite_data(job.folder, k),
                lambda path, good=chunk.good: write_stage_file(path, good),
            )
        else:
            _write_atomically(_data(job.folder, k), write_rows)
        _write_atomically(_meta(job.folder, k), write_meta)
        first_row += raw.num_rows
        k += 1
    return k


def _read_chunk(folder: Path, k: int) -> ReadyChunk:
    size, rejected, by_status = pickle.loads(_meta(folder, k).read_bytes())
    good: pa.Table | Path = _sqlite_data(folder, k)  # the stage deletes it once copied
    if _data(folder, k).exists():
        with pa.memory_map(str(_data(folder, k))) as source:
            good = pa.ipc.open_file(source).read_all()
        _data(folder, k).unlink()
    _meta(folder, k).unlink()
    return ReadyChunk(size, good, rejected, by_status)


class ChunkFeed:
    """The import's view of ``prepare_file`` running in the pool."""

    def __init__(self, job: FileJob) -> None:
        self.job = job
        self.next_index = 0
        self.task: asyncio.Future[int] | None = None

    @classmethod
    def start(cls, job: FileJob) -> ChunkFeed:
        job.folder.mkdir(parents=True, exist_ok=True)
        feed = cls(job)
        feed.task = asyncio.ensure_future(cpu_pool.run(prepare_file, job))
        return feed

    async def next(self) -> ReadyChunk | None:
        """The next chunk, or None after the last."""
        assert self.task is not None
        folder, k = self.job.folder, self.next_index
        while not _meta(folder, k).exists():
            if self.task.done():
                total = self.task.result()  # raises what the preparation raised
                if k >= total:
                    return None
                continue  # the last chunk was written just before the end
            await asyncio.sleep(_POLL)
        self.next_index += 1
        return await asyncio.to_thread(_read_chunk, folder, k)

    async def close(self) -> None:
        """Stop the preparation if it still runs, wait for it, remove the work folder."""
        folder = self.job.folder
        if self.task is not None and not self.task.done():
            folder.joinpath("stop").touch()
            # Its failure is the import's, already being raised.
            with contextlib.suppress(BaseException):
                await asyncio.shield(self.task)
        elif self.task is not None and not self.task.cancelled():
            self.task.exception()  # retrieved: the import has raised or returned already
        await asyncio.to_thread(shutil.rmtree, folder, True)
