"""Uploads from the web: the export stored under the media folder and its import job
started; the export time a person typed."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from datetime import datetime
from pathlib import Path

from arq.connections import ArqRedis
from congvu.inspect.actor import Actor
from congvu.inspect.background import api as background
from congvu.inspect.dossiers.services.importing.mappings import saved_mapping
from congvu.inspect.dossiers.services.importing.pipeline import IMPORT_ROLES
from congvu.inspect.errors import Invalid, NotFound

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
) -> uuid.UUID:
    """Store an uploaded export under the media folder (the worker may run on another
    machine sharing it) and start its import job."""
    if actor.role not in IMPORT_ROLES:
        raise NotFound("Không tìm thấy trang.")
    suffix = Path(file_name).suffix.lower()
    if suffix not in UPLOAD_SUFFIXES:
        raise Invalid("Chỉ nhận tệp CSV hoặc XLSX.", field="file")
    moment = parse_moment(exported_at)
    if mapping_name:
        await saved_mapping(mapping_name)
    folder = media_dir / "dossier-imports"
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{uuid.uuid4()}{suffix}"
    size = 0
    with target.open("wb") as handle:
        while block := await read(1 << 20):
            size += len(block)
            handle.write(block)
    if size == 0:
        target.unlink()
        raise Invalid("Tệp rỗng.", field="file")
    return await background.start_dossier_import(
        queue,
        actor,
        path=str(target),
        file_name=Path(file_name).name,
        unit_code=unit_code or None,
        mapping_name=mapping_name or None,
        exported_at=moment.isoformat() if moment else None,
    )


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
