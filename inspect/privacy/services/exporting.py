"""Tải dữ liệu cá nhân: check who may, gather, write the ZIP in a worker thread, and
audit the download (``personal_data_exported``: by whom, for whom, what it held)."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from pathlib import Path

from congvu.inspect import clock
from congvu.inspect.actor import Actor
from congvu.inspect.audit import api as audit
from congvu.inspect.db import atomic
from congvu.inspect.privacy.services.access import subject_for
from congvu.inspect.privacy.services.archive import ExportHeader, write_archive
from congvu.inspect.privacy.services.gathering import gather
from congvu.inspect.settings import get_settings


@dataclass(frozen=True)
class Export:
    path: Path  # a temporary file: the caller removes it once sent
    filename: str


async def export_personal_data(actor: Actor, code: str | None = None) -> Export:
    """The ZIP of everything held about the official ``code`` names (the actor's own
    when None), for an actor allowed to download it."""
    subject = await subject_for(actor, code)
    settings = get_settings()
    data = await gather(subject.official_id, settings.media_dir)
    now = clock.now()
    header = ExportHeader(
        generated_at=now,
        generated_by=f"{actor.display_name} ({actor.username})",
        on_behalf=subject.on_behalf,
        zone=clock.zone(),
    )
    path = await asyncio.to_thread(write_archive, data, header, None)
    try:
        async with atomic():
            await audit.record(
                "personal_data_exported",
                "official",
                subject.official_id,
                actor=actor,
                after={
                    "official_code": subject.code,
                    "on_behalf": subject.on_behalf,
                    "rows": {name: len(rows) for name, rows in data.tables.items()},
                    "files": len(data.files),
                },
            )
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    local = now.astimezone(clock.zone())
    return Export(path, f"du-lieu-ca-nhan-{subject.code}-{local:%Y%m%d-%H%M}.zip")
