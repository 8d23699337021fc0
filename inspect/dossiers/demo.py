"""Demo dossiers for the demo communes, imported through the real import path."""

from __future__ import annotations

import tempfile
from datetime import datetime
from pathlib import Path
from typing import Any

from congvu.inspect.actor import SYSTEM
from congvu.inspect.dossiers.generator import ExportSpec, generate, write_csv
from congvu.inspect.services.dossier_import import ImportRequest, import_dossiers, today
from congvu.inspect.tables import Official, Unit

DEMO_COMMUNES = ("NA-TV", "NA-TVI", "NA-DC", "NA-NL")


async def seed_demo_dossiers(
    rows: int = 400, *, seed: int = 2026, folder: Path | None = None
) -> dict[str, Any]:
    """A seeded export of the demo communes' one-stop centres over the last 15 months."""
    units = await Unit.select(Unit.code).where(
        Unit.code.is_in([f"{c}-PVHCC" for c in DEMO_COMMUNES])
    )
    codes = sorted(r["code"] for r in units)
    officials: dict[str, list[str]] = {}
    for row in await Official.select(Official.full_name, Official.unit.code).where(
        Official.unit.code.is_in(codes)
    ):
        officials.setdefault(row["unit.code"], []).append(row["full_name"])
    end = today()
    spec = ExportSpec(
        rows=rows,
        units=codes or ["NA"],
        officials=officials,
        seed=seed,
        start=end.replace(year=end.year - 1, day=1),
        end=end,
        exported_at=datetime.combine(end, datetime.min.time()),
        bad_rate=0.01,
    )
    with tempfile.TemporaryDirectory(prefix="congvu-demo-") as scratch:
        path = write_csv(generate(spec), (folder or Path(scratch)) / "ho-so-mot-cua-demo.csv")
        return await import_dossiers(SYSTEM, ImportRequest(path=path, file_name=path.name))
