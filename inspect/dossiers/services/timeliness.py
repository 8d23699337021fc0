"""Tỷ lệ hồ sơ giải quyết đúng hạn theo đơn vị: for each unit of a subtree, its dossiers
resolved from ``first`` to ``last`` (local days) and how many of them on time, counted as
the quarterly workbook's Tổng hợp counts them (a dossier is resolved in the window when
its result date falls in it; on time counts early and on-time results). Other domains
read it through ``dossiers.api`` (emulation's campaign criterion, the workbook). Also for
the workbook: the 766-style counts of the dossiers received in a quarter, and the late
ones attributed to their unit and handling official."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from congvu.inspect import clock
from congvu.inspect.dossiers.tables import Dossier
from congvu.inspect.i18n import name_sort_key, text_sort_key
from piccolo.query.functions.aggregate import Count

RESOLVED = ("early", "on_time", "late")
ON_TIME = ("early", "on_time")
# The 766-style estimate's "on time": resolved early or on time, or in progress within
# the deadline (the unit page's estimate, ``queries._periods``).
TIMELY = ("early", "on_time", "in_progress")


@dataclass(frozen=True)
class Timeliness:
    """A unit's (or a subtree's) resolved dossiers and the on-time ones among them."""

    on_time: int = 0
    resolved: int = 0

    def __add__(self, other: Timeliness) -> Timeliness:
        return Timeliness(self.on_time + other.on_time, self.resolved + other.resolved)


async def on_time_by_unit(unit_path: str, first: date, last: date) -> dict[str, Timeliness]:
    """Unit path → its own dossiers resolved in [first, last]; a unit with none is absent."""
    rows = (
        await Dossier.select(Dossier.unit.path, Dossier.status, Count(alias="n"))
        .where(
            Dossier.unit._.path.like(f"{unit_path}%"),
            Dossier.status.is_in(list(RESOLVED)),
            Dossier.finished_at >= clock.start_of_day_utc(first),
            Dossier.finished_at < clock.start_of_day_utc(last + timedelta(days=1)),
        )
        .group_by(Dossier.unit.path, Dossier.status)
    )
    found: dict[str, Timeliness] = {}
    for row in rows:
        n = int(row["n"])
        counted = Timeliness(n if row["status"] in ON_TIME else 0, n)
        path = str(row["unit.path"])
        found[path] = found.get(path, Timeliness()) + counted
    return found


def subtree_timeliness(by_unit: Mapping[str, Timeliness], path: str) -> Timeliness:
    """The dossiers of the unit at ``path`` and of every unit under it (a commune's
    one-stop centre counts for the commune, as in the workbook)."""
    total = Timeliness()
    for unit_path, counts in by_unit.items():
        if unit_path.startswith(path):
            total = total + counts
    return total


@dataclass(frozen=True)
class ReceivedShares:
    """The dossiers received in a window, counted the way the unit page's 766-style
    estimate counts them (ước tính, not the published score): those resolved early or on
    time or still in progress within the deadline, and those filed online."""

    received: int = 0
    timely: int = 0
    online: int = 0

    def percent(self, part: int) -> float | None:
        return round(100 * part / self.received, 1) if self.received else None


async def received_shares(unit_path: str, first: date, last: date) -> ReceivedShares:
    """The subtree's dossiers received from ``first`` to ``last`` (local days), counted
    by the database per status and channel: a quarter of a province is a hundred
    thousand rows, a few dozen groups."""
    rows = (
        await Dossier.select(Dossier.status, Dossier.channel, Count(alias="n"))
        .where(
            Dossier.unit._.path.like(f"{unit_path}%"),
            Dossier.received_at >= clock.start_of_day_utc(first),
            Dossier.received_at < clock.start_of_day_utc(last + timedelta(days=1)),
        )
        .group_by(Dossier.status, Dossier.channel)
    )
    received = timely = online = 0
    for row in rows:
        n = int(row["n"])
        received += n
        if row["status"] in TIMELY:
            timely += n
        if row["channel"] == "online":
            online += n
    return ReceivedShares(received, timely, online)


@dataclass(frozen=True)
class LateHandler:
    """A unit's late dossiers in a window attributed to who handled them, as the export
    names them (the official's record, else the name written in the export)."""

    unit_name: str
    official: str  # "" when the export names nobody
    late: int  # resolved late in the window
    overdue: int  # still open past due at its end


async def late_by_handler(unit_path: str, first: date, last: date) -> list[LateHandler]:
    """The subtree's dossiers resolved late from ``first`` to ``last`` (local days) and
    those open past due at its end, counted per unit and handling official, as the
    workbook's Hồ sơ TTHC sheet counts them; most late first."""
    start = clock.start_of_day_utc(first)
    end = clock.start_of_day_utc(last + timedelta(days=1))
    within = Dossier.unit._.path.like(f"{unit_path}%")
    keys = (Dossier.unit.name, Dossier.official.full_name, Dossier.official_name)
    late = await (
        Dossier.select(*keys, Count(alias="n"))
        .where(
            within,
            Dossier.status == "late",
            Dossier.finished_at >= start,
            Dossier.finished_at < end,
        )
        .group_by(*keys)
    )
    overdue = await (
        Dossier.select(*keys, Count(alias="n"))
        .where(
            within,
            Dossier.received_at < end,
            Dossier.due_at < end,
            Dossier.finished_at.is_null() | (Dossier.finished_at >= end),
        )
        .group_by(*keys)
    )
    counts: dict[tuple[str, str], list[int]] = {}
    for column, rows in enumerate((late, overdue)):
        for row in rows:
            name = row["official.full_name"] or (row["official_name"] or "").strip()
            key = (str(row["unit.name"]), name)
            counts.setdefault(key, [0, 0])[column] += int(row["n"])
    found = [LateHandler(unit, name, n[0], n[1]) for (unit, name), n in counts.items()]
    found.sort(
        key=lambda h: (
            -(h.late + h.overdue),
            text_sort_key(h.unit_name),
            name_sort_key(h.official),
        )
    )
    return found
