"""Uploads from the web: the export looked at (``congvu.inspect.upload_screening``), stored
under the media folder and its import job started; the export time a person typed.

An upload is kept while its import may still run: the job is queued, running, or
cancelled with its worker (arq runs it again). It is deleted as soon as it is refused
here, and when its import fails (``discard_upload``): arq does not run a failed job
again, and a 200 MB export nobody will read must not stay on the disk. An import that
succeeded keeps its file, as before.
"""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from collections.abc import Awaitable, Callable
from datetime import datetime
from pathlib import Path

from arq.connections import ArqRedis
from congvu.inspect import cpu_pool
from congvu.inspect.actor import Actor
from congvu.inspect.background import api as background
from congvu.inspect.dossiers.services.importing.mappings import saved_mapping
from congvu.inspect.dossiers.services.importing.pipeline import IMPORT_ROLES
from congvu.inspect.errors import Invalid, NotFound
from congvu.inspect.settings import get_settings
from congvu.inspect.upload_screening import (
    SNIFF_BYTES,
    UploadLimits,
    screen,
    sniff,
)

UPLOAD_FOLDER = "dossier-imports"

UPLOAD_SUFFIXES = (".csv", ".txt", ".xlsx", ".xlsm")


async def start_upload(
    queue: ArqRedis,
    actor: Actor,
    *,
    media_dir: Path,
    file_name: str,
    read: Callable[[int], Awaitable[bytes]],
    unit_code: str | None = None,
    mapping_name: str | None = None,
    exported_at: str = "",
    limits: UploadLimits | None = None,
) -> uuid.UUID:
    """Store an uploaded export under the media folder (the worker may run on another
    machine sharing it) and start its import job; a file that is not what its name says,
    or an XLSX over the limits, is refused and not kept."""
    if actor.role not in IMPORT_ROLES:
        raise NotFound("Không tìm thấy trang.")
    suffix = Path(file_name).suffix.lower()
    if suffix not in UPLOAD_SUFFIXES:
        raise Invalid("Chỉ nhận tệp CSV hoặc XLSX.", field="file")
    moment = parse_moment(exported_at)
    if mapping_name:
        await saved_mapping(mapping_name)
    name = Path(file_name).name
    first = await read(1 << 20)
    if not first:
        raise Invalid(f"Tệp {name} rỗng.", field="file")
    sniff(name, first[:SNIFF_BYTES])
    folder = media_dir / UPLOAD_FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{uuid.uuid4()}{suffix}"
    try:
        with target.open("wb") as handle:
            block = first
            while block:
                await asyncio.to_thread(handle.write, block)
                block = await read(1 << 20)
        await cpu_pool.run(screen, target, name, limits or UploadLimits())
    except BaseException:
        target.unlink(missing_ok=True)
        raise
    return await background.start_dossier_import(
        queue,
        actor,
        path=str(target),
        file_name=name,
        unit_code=unit_code or None,
        mapping_name=mapping_name or None,
        exported_at=moment.isoformat() if moment else None,
    )


def discard_upload(path: Path) -> bool:
    """Delete an upload whose import failed (module docstring); a file outside the
    uploads folder (an import started from the command line) is never touched."""
    folder = (get_settings().media_dir / UPLOAD_FOLDER).resolve()
    if path.resolve().parent != folder:
        return False
    with contextlib.suppress(FileNotFoundError):
        path.unlink()
    return True


def parse_moment(text: str | None) -> datetime | None:
    """A moment typed by a person: dd/mm/yyyy [HH:MM] (or ISO), local time."""
    if not text or not text.strip():
        return None
    for fmt in ("%d/%m/%Y %H:%M", "%d/%m/%Y", "%Y-%m-%d %H:%M", "%Y-%m-%d"):
        try:
            return datetime.strptime(text.strip(), fmt)
        except ValueError:
            continue
    raise Invalid(f"Ngày giờ không hợp lệ: {text!r} (dd/mm/yyyy HH:MM).", field="exported_at")
