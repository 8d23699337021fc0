"""Tệp đính kèm của các bước đánh giá năm: the file a step may carry (the self-reports, the
meeting's minutes, the Party committee's opinion, the decision, the notice). The kernel's
upload_screening judges it by its bytes (PDF, DOCX, XLSX, JPEG or PNG, 20 MB at most; a
renamed file is refused saying what it is); it is kept once under the media directory by
its SHA-256, written as capture writes the tablets' photos (never half a file). Whoever
may read the unit's board may download it."""

from __future__ import annotations

import asyncio
import hashlib
from dataclasses import dataclass
from typing import Any

from congvu.inspect import upload_screening
from congvu.inspect.capture import api as capture
from congvu.inspect.emulation.tables import AnnualStepRecord
from congvu.inspect.errors import NotFound
from congvu.inspect.settings import get_settings

MEDIA_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "jpg": "image/jpeg",
    "png": "image/png",
}


@dataclass(frozen=True)
class Upload:
    """A file as the browser sent it: its name and its bytes."""

    file_name: str
    data: bytes


@dataclass(frozen=True)
class StoredFile:
    file_name: str
    sha256: str
    path: str  # relative to the media directory

    def columns(self) -> dict[Any, str]:
        return {
            AnnualStepRecord.file_name: self.file_name,
            AnnualStepRecord.file_sha256: self.sha256,
            AnnualStepRecord.file_path: self.path,
        }


def screen(upload: Upload) -> tuple[str, str]:
    """The file's kind and SHA-256, once the kernel accepts it (``Invalid`` on ``file``)."""
    kind = upload_screening.document_kind(upload.file_name, upload.data)
    return kind, hashlib.sha256(upload.data).hexdigest()


async def keep(upload: Upload, kind: str, sha256: str) -> StoredFile:
    relative = f"annual-steps/{sha256[:2]}/{sha256}.{kind}"
    target = get_settings().media_dir / relative
    await asyncio.to_thread(capture.write_atomically, target, upload.data)
    name = upload.file_name.replace("\\", "/").rsplit("/", 1)[-1][:255]
    return StoredFile(name, sha256, relative)


def described(row: dict[str, Any] | None) -> dict[str, str] | None:
    """The file of a recorded step, for the audit trail; None without one."""
    if row is None or not row["file_sha256"]:
        return None
    return {"file_name": row["file_name"], "sha256": row["file_sha256"]}


async def read_file(key: str) -> tuple[str, str, bytes]:
    """The step's file (name, media type, bytes); ``NotFound`` when it has none."""
    row = (
        await AnnualStepRecord.select(AnnualStepRecord.file_name, AnnualStepRecord.file_path)
        .where(AnnualStepRecord.key == key)
        .first()
    )
    if row is None or not row["file_path"]:
        raise NotFound("Bước này chưa có tệp đính kèm.", field="file")
    path = get_settings().media_dir / str(row["file_path"])
    if not path.is_file():
        raise NotFound("Không tìm thấy tệp.", field="file")
    data = await asyncio.to_thread(path.read_bytes)
    kind = path.suffix.lstrip(".")
    return str(row["file_name"]), MEDIA_TYPES.get(kind, "application/octet-stream"), data
