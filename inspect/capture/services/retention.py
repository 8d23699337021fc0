"""Thời hạn lưu trữ of the stored files: the photos and signature images still kept,
and their purge. A purge deletes the file only: the row stays with its sha256 and the
moment it was purged, and a ``media_purged`` audit event records what went (path,
sha256, size) and why, so the audit chain stays whole and verifiable and every page
can say the file was deleted on schedule. The file is removed after the row is marked
and the event written, so a failed unlink never leaves a row that claims a file that
is not there; a file already gone is purged all the same (the mark is what matters)."""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from congvu.inspect import clock
from congvu.inspect.actor import Actor
from congvu.inspect.audit import api as audit
from congvu.inspect.db import atomic
from congvu.inspect.inspections.tables import Evidence, Finding, Signature
from congvu.inspect.settings import get_settings

log = logging.getLogger("congvu.retention")


@dataclass(frozen=True)
class KeptPhoto:
    id: int
    sha256: str
    stored_path: str
    received_at: datetime


@dataclass(frozen=True)
class KeptSignature:
    id: int
    inspection_id: int
    inspection_status: str
    submitted_at: datetime | None
    image_path: str
    finding_ids: tuple[int, ...]  # of its inspection: the signature outlives them all


async def kept_photos() -> list[KeptPhoto]:
    rows = await Evidence.select(
        Evidence.id, Evidence.sha256, Evidence.stored_path, Evidence.received_at
    ).where(Evidence.purged_at.is_null())
    return [KeptPhoto(r["id"], r["sha256"], r["stored_path"], r["received_at"]) for r in rows]


async def kept_signatures() -> list[KeptSignature]:
    rows = await Signature.select(
        Signature.id,
        Signature.inspection,
        Signature.inspection.status,
        Signature.inspection.submitted_at,
        Signature.image_path,
    ).where(Signature.image_path.is_not_null(), Signature.image_purged_at.is_null())
    inspections = sorted({r["inspection"] for r in rows})
    findings: dict[int, list[int]] = {}
    if inspections:
        for f in await Finding.select(Finding.id, Finding.inspection).where(
            Finding.inspection.is_in(inspections)
        ):
            findings.setdefault(f["inspection"], []).append(f["id"])
    return [
        KeptSignature(
            r["id"],
            r["inspection"],
            r["inspection.status"],
            r["inspection.submitted_at"],
            r["image_path"],
            tuple(findings.get(r["inspection"], ())),
        )
        for r in rows
    ]


def _file_facts(path: Path) -> tuple[str | None, int | None]:
    if not path.is_file():
        return None, None
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(1024 * 1024):
            digest.update(chunk)
    return digest.hexdigest(), path.stat().st_size


def _remove(path: Path) -> None:
    try:
        path.unlink(missing_ok=True)
    except OSError:
        log.exception("could not delete a purged file", extra={"path": str(path)})


async def purge_photo(actor: Actor, photo: KeptPhoto, reason: str) -> None:
    path = get_settings().media_dir / photo.stored_path
    _, size = _file_facts(path)
    now = clock.now()
    async with atomic():
        await Evidence.update({Evidence.purged_at: now}).where(
            Evidence.id == photo.id, Evidence.purged_at.is_null()
        )
        await audit.record(
            "media_purged",
            "evidence",
            photo.sha256,
            actor=actor,
            before={"path": photo.stored_path, "sha256": photo.sha256, "bytes": size},
            after={"purged_at": now.isoformat(), "file_present": size is not None},
            reason=reason,
        )
    _remove(path)


async def purge_signature(actor: Actor, signature: KeptSignature, reason: str) -> None:
    path = get_settings().media_dir / signature.image_path
    sha256, size = _file_facts(path)
    row = await Signature.select(Signature.image_sha256).where(Signature.id == signature.id).first()
    known: Any = row["image_sha256"] if row else None
    now = clock.now()
    async with atomic():
        await Signature.update(
            {Signature.image_purged_at: now, Signature.image_sha256: known or sha256}
        ).where(Signature.id == signature.id, Signature.image_purged_at.is_null())
        await audit.record(
            "media_purged",
            "signature",
            signature.id,
            actor=actor,
            before={
                "path": signature.image_path,
                "sha256": known or sha256,
                "bytes": size,
                "inspection_id": signature.inspection_id,
            },
            after={"purged_at": now.isoformat(), "file_present": size is not None},
            reason=reason,
        )
    _remove(path)


async def purged_files() -> dict[str, datetime]:
    """Every purged file's path under the media directory, with when it was purged:
    what a backup and its restore drill expect to be absent."""
    found: dict[str, datetime] = {}
    for r in await Evidence.select(Evidence.stored_path, Evidence.purged_at).where(
        Evidence.purged_at.is_not_null()
    ):
        found[r["stored_path"]] = r["purged_at"]
    for r in await Signature.select(Signature.image_path, Signature.image_purged_at).where(
        Signature.image_purged_at.is_not_null(), Signature.image_path.is_not_null()
    ):
        found[r["image_path"]] = r["image_purged_at"]
    return found
