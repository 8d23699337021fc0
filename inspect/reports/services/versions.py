"""Các phiên bản báo cáo: the snapshots of the units an actor may report on, newest
first, with who built them and when."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from congvu.inspect.actor import Actor
from congvu.inspect.reports.services.access import report_unit
from congvu.inspect.reports.tables import ReportSnapshot
from congvu.rules.periods import Period, PeriodKind, PeriodScheme


@dataclass(frozen=True)
class SnapshotRow:
    id: int
    unit_name: str
    period_label: str
    version: int
    data_hash: str
    size_bytes: int
    created_by: str | None
    created_at: datetime

    @property
    def ready(self) -> bool:
        return self.size_bytes > 0


def _label(name: str, scheme: str) -> str:
    year, number = name.split("-Q")
    period = Period(PeriodKind.QUARTER, int(year), int(number), PeriodScheme(scheme))
    return period.label("vi")


async def list_snapshots(actor: Actor, limit: int = 50) -> list[SnapshotRow]:
    """Versions of the actor's scope unit and its subtree."""
    home = await report_unit(actor)
    rows = (
        await ReportSnapshot.select(
            ReportSnapshot.id,
            ReportSnapshot.unit.name.as_alias("unit_name"),
            ReportSnapshot.period,
            ReportSnapshot.scheme,
            ReportSnapshot.version,
            ReportSnapshot.data_hash,
            ReportSnapshot.size_bytes,
            ReportSnapshot.created_by.display_name.as_alias("created_by"),
            ReportSnapshot.created_at,
        )
        .where(ReportSnapshot.unit.path.like(f"{home['path']}%"))
        .order_by(ReportSnapshot.created_at, ascending=False)
        .order_by(ReportSnapshot.id, ascending=False)
        .limit(limit)
    )
    return [
        SnapshotRow(
            id=r["id"],
            unit_name=r["unit_name"],
            period_label=_label(r["period"], r["scheme"]),
            version=r["version"],
            data_hash=r["data_hash"],
            size_bytes=r["size_bytes"],
            created_by=r["created_by"],
            created_at=r["created_at"],
        )
        for r in rows
    ]
