"""The import's heavy steps go through the CPU pool (``congvu.inspect.cpu_pool``), and
the preparation of a file (``importing.feeding``) stops once its importer is gone."""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from congvu.inspect import cpu_pool
from congvu.inspect.actor import Actor
from congvu.inspect.dossiers.services.importing import chunking, feeding, reading

from tests.dossiers.conftest import HEADER, run_import, write
from tests.worlds import World

pytestmark = pytest.mark.anyio


async def test_the_import_sends_its_heavy_steps_through_the_pool(
    world: World, admin: Actor, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sent: list[str] = []
    run = cpu_pool.run

    async def recording(function: Callable[..., Any], *args: Any) -> Any:
        sent.append(function.__name__)
        return await run(function, *args)

    monkeypatch.setattr(cpu_pool, "run", recording)
    row = "H-1,Đăng ký khai sinh,Hộ tịch,P-A,,,23/01/2025 09:00,24/01/2025,,,,,"
    path = write(tmp_path, [HEADER, row])
    summary = await run_import(admin, path)
    assert summary["inserted"] == 1
    assert sorted(sent) == ["open_source", "prepare_file", "screen", "warm_up"]


def _job(folder: Path, source: Path, importer_pid: int) -> feeding.FileJob:
    opened = reading.open_source(source)
    return feeding.FileJob(
        opened,
        list(range(13)),
        reading.map_headers(opened.headers, None),
        chunking.Directory({}, {}, {}, "/", None),
        date(2026, 4, 1),
        1,
        2,
        folder,
        importer_pid,
    )


def test_a_preparation_stops_once_its_importer_is_gone(tmp_path: Path) -> None:
    lines = [HEADER, *(f"H-{n},Thủ tục,,P-A,,,23/01/2025 09:00,24/01/2025,,,,," for n in range(9))]
    source = write(tmp_path, lines)
    folder = tmp_path / "work"
    folder.mkdir()
    (folder / "stop").touch()  # the import failed or was cancelled
    with pytest.raises(feeding.Stopped):
        feeding.prepare_file(_job(folder, source, os.getpid()))
    (folder / "stop").unlink()
    with pytest.raises(feeding.Stopped):  # its process is gone (killed)
        feeding.prepare_file(_job(folder, source, importer_pid=1))
    assert list(folder.iterdir()) == []  # nothing prepared for nobody
