"""Shared helpers for the dossier tests: actors of the world, exports written to disk,
and a checksum of everything an import writes."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from datetime import date, datetime
from pathlib import Path
from typing import Any

import anyio
import pytest
from congvu.inspect.actor import Actor
from congvu.inspect.dossiers.services.importing import ImportRequest, import_dossiers
from congvu.inspect.dossiers.tables import Dossier, DueSnapshot

from tests import builders
from tests.worlds import World

HEADER = (
    "Mã hồ sơ,Tên thủ tục,Lĩnh vực,Đơn vị,Cán bộ xử lý,Kênh nộp,Ngày tiếp nhận,"
    "Ngày hẹn trả,Ngày có kết quả,Ngày trả,Trạng thái,Thư xin lỗi,Gia hạn"
)


async def actor(world: World, username: str) -> Actor:
    return await builders.actor(world.users[username])


def write(
    tmp_path: Path, lines: list[str], name: str = "export.csv", encoding: str = "utf-8"
) -> Path:
    path = tmp_path / name
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode(encoding))
    return path


async def run_import(
    who: Actor,
    path: Path,
    *,
    as_of: date = date(2026, 4, 1),
    exported_at: datetime | None = None,
    unit_code: str | None = None,
    mapping_name: str | None = None,
) -> dict[str, Any]:
    return await import_dossiers(
        who,
        ImportRequest(
            path=path,
            file_name=path.name,
            unit_code=unit_code,
            mapping_name=mapping_name,
            exported_at=exported_at,
            as_of=as_of,
        ),
    )


async def table_checksum() -> str:
    """Everything the import writes about dossiers, in a stable order."""
    digest = hashlib.sha256()
    for table, order in ((Dossier, Dossier.code), (DueSnapshot, DueSnapshot.id)):
        for row in await table.select().order_by(order):
            digest.update(repr(sorted(row.items())).encode())
    return digest.hexdigest()


async def stored(code: str) -> dict[str, Any]:
    row = await Dossier.select().where(Dossier.code == code).first()
    assert row is not None, code
    return row


@pytest.fixture
async def admin(world: World) -> Actor:
    return await actor(world, "admin")


CONGVU = str(Path(sys.executable).parent / "congvu")


async def congvu(*args: str) -> subprocess.CompletedProcess[str]:
    """Run the CLI as a user would, against the test database (env set by tests/conftest)."""
    return await anyio.to_thread.run_sync(
        lambda: subprocess.run(
            [CONGVU, *args],
            env=dict(os.environ),
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
    )
