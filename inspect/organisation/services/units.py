"""Organisation: units, officials and working schedules, always read through the
acting user's unit scope."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, time
from typing import Any

from congvu.inspect.actor import Actor
from congvu.inspect.db import atomic
from congvu.inspect.errors import Invalid, NotFound
from congvu.inspect.i18n import name_sort_key
from congvu.inspect.organisation.tables import Official, Unit, WorkSchedule
from congvu.rules.calendar import DEFAULT_SESSIONS, DaySessions
from congvu.rules.working_hours import Season, SeasonalSchedule


@dataclass(frozen=True)
class UnitView:
    id: int
    code: str
    name: str
    kind: str
    path: str
    parent_id: int | None
    valid_from: date | None
    valid_to: date | None
    merged_into_code: str | None
    depth: int
    merges_on: date | None = None  # a merger recorded ahead of its date (tables.Unit)

    @property
    def merger_pending(self) -> bool:
        return self.merges_on is not None and self.valid_to is None


def _unit_view(row: dict[str, Any]) -> UnitView:
    return UnitView(
        id=row["id"],
        code=row["code"],
        name=row["name"],
        kind=row["kind"],
        path=row["path"],
        parent_id=row["parent"],
        valid_from=row["valid_from"],
        valid_to=row["valid_to"],
        merged_into_code=row.get("merged_into.code"),
        depth=row["path"].count("/") - 2,
        merges_on=row.get("merges_on"),
    )


_UNIT_COLUMNS = (
    Unit.id,
    Unit.code,
    Unit.name,
    Unit.kind,
    Unit.path,
    Unit.parent,
    Unit.valid_from,
    Unit.valid_to,
    Unit.merged_into.code,
    Unit.merges_on,
)


async def visible_units(actor: Actor) -> list[UnitView]:
    """Units in the actor's scope, in tree order."""
    rows = await Unit.select(*_UNIT_COLUMNS).where(Unit.path.like(f"{actor.scope_path}%"))
    return sorted((_unit_view(r) for r in rows), key=lambda u: u.path)


async def unit_in_scope(actor: Actor, unit_id: int) -> UnitView:
    """The unit, or NotFound when it does not exist or lies outside the actor's scope
    (the same answer, so scope does not leak which units exist)."""
    row = await Unit.select(*_UNIT_COLUMNS).where(Unit.id == unit_id).first()
    if row is None or not actor.can_see_unit_path(row["path"]):
        raise NotFound("Không tìm thấy đơn vị.")
    return _unit_view(row)


@dataclass(frozen=True)
class OfficialView:
    id: int
    code: str
    full_name: str
    category: str
    position: str
    is_leader: bool
    desk: str | None
    unit_code: str
    unit_name: str


async def officials_of_unit(actor: Actor, unit_id: int) -> list[OfficialView]:
    """The roster of a unit and its sub-units, in Vietnamese name order."""
    unit = await unit_in_scope(actor, unit_id)
    rows = (
        await Official.select(
            Official.id,
            Official.code,
            Official.full_name,
            Official.category,
            Official.position,
            Official.is_leader,
            Official.desk,
            Official.unit.code,
            Official.unit.name,
        )
        .where(Official.unit.path.like(f"{unit.path}%"), Official.active.eq(True))
        .order_by(Official.sort_key)
    )
    return [
        OfficialView(
            id=r["id"],
            code=r["code"],
            full_name=r["full_name"],
            category=r["category"],
            position=r["position"],
            is_leader=r["is_leader"],
            desk=r["desk"],
            unit_code=r["unit.code"],
            unit_name=r["unit.name"],
        )
        for r in rows
    ]


async def schedules_of_unit(actor: Actor, unit_id: int) -> list[dict[str, Any]]:
    """The unit's own schedules, else the nearest ancestor's (a province announces
    hours for all its bodies)."""
    unit = await unit_in_scope(actor, unit_id)
    return await _nearest_schedules(unit.path)


async def _nearest_schedules(unit_path: str) -> list[dict[str, Any]]:
    """Schedules of the nearest unit on ``unit_path`` that has any (itself first, then
    its ancestors), in one query."""
    return _nearest(unit_path, await _schedules_of_codes(_codes_on(unit_path)))


def _codes_on(unit_path: str) -> list[str]:
    return [c for c in unit_path.strip("/").split("/") if c]


async def _schedules_of_codes(codes: list[str]) -> dict[str, list[dict[str, Any]]]:
    by_code: dict[str, list[dict[str, Any]]] = {}
    if not codes:
        return by_code
    for row in (
        await WorkSchedule.select(*WorkSchedule.all_columns(), WorkSchedule.unit.code)
        .where(WorkSchedule.unit.code.is_in(codes))
        .order_by(WorkSchedule.season_start)
    ):
        by_code.setdefault(row["unit.code"], []).append(row)
    return by_code


def _nearest(unit_path: str, by_code: dict[str, list[dict[str, Any]]]) -> list[dict[str, Any]]:
    return next((by_code[c] for c in reversed(_codes_on(unit_path)) if c in by_code), [])


def _month_day(value: str) -> tuple[int, int]:
    month, day = value.split("-")
    return int(month), int(day)


async def seasonal_schedule(unit_code: str) -> SeasonalSchedule:
    """The unit's seasonal working hours (its own, else the nearest ancestor's, else the
    national default of QĐ 188/1999/QĐ-TTg as the rules pack states it)."""
    unit = await Unit.select(Unit.path).where(Unit.code == unit_code).first()
    if unit is None:
        raise NotFound(f"Không tìm thấy đơn vị có mã {unit_code!r}.", field="unit")
    return await seasonal_schedule_for_path(unit["path"])


async def seasonal_schedule_for_path(unit_path: str) -> SeasonalSchedule:
    """``seasonal_schedule`` of the unit at ``unit_path``: one query for all ancestors."""
    return _schedule(await _nearest_schedules(unit_path))


def _schedule(rows: list[dict[str, Any]]) -> SeasonalSchedule:
    if not rows:
        return SeasonalSchedule.all_year(DEFAULT_SESSIONS)
    return SeasonalSchedule(
        [
            Season(
                name_vi=r["name"],
                start_month_day=_month_day(r["season_start"]),
                end_month_day=_month_day(r["season_end"]),
                sessions=DaySessions(
                    r["morning_start"], r["morning_end"], r["afternoon_start"], r["afternoon_end"]
                ),
            )
            for r in rows
        ]
    )


async def schedules_by_unit(unit_ids: Iterable[int]) -> dict[int, SeasonalSchedule]:
    """``seasonal_schedule`` of many units in two queries (for judging dossiers of a whole
    province with each unit's own office hours)."""
    ids = sorted(set(unit_ids))
    if not ids:
        return {}
    paths = {
        r["id"]: r["path"] for r in await Unit.select(Unit.id, Unit.path).where(Unit.id.is_in(ids))
    }
    by_code = await _schedules_of_codes(sorted({c for p in paths.values() for c in _codes_on(p)}))
    return {unit_id: _schedule(_nearest(path, by_code)) for unit_id, path in paths.items()}


async def unit_statistics(unit_id: int) -> dict[str, Any]:
    """Staff counts of a unit subtree; the small real job that proves the worker path."""
    unit = await Unit.select(Unit.code, Unit.path).where(Unit.id == unit_id).first()
    if unit is None:
        raise NotFound("Không tìm thấy đơn vị.")
    rows = await Official.select(Official.category, Official.is_leader).where(
        Official.unit.path.like(f"{unit['path']}%"), Official.active.eq(True)
    )
    by_category = Counter(r["category"] for r in rows)
    sub_units = await Unit.count().where(Unit.path.like(f"{unit['path']}%"))
    return {
        "unit": unit["code"],
        "officials": len(rows),
        "leaders": sum(1 for r in rows if r["is_leader"]),
        "by_category": dict(sorted(by_category.items())),
        "units_in_subtree": sub_units,
    }


# --- writes used by the admin CLI and the demo --------------------------------------


async def create_unit(
    *,
    code: str,
    name: str,
    kind: str,
    parent_code: str | None = None,
    commune_type: str | None = None,
    valid_from: date | None = None,
    valid_to: date | None = None,
) -> Unit:
    # Codes become parts of a LIKE pattern (the scope path): no wildcards, no "/".
    if not re.fullmatch(r"[A-Za-z0-9.-]+", code):
        raise Invalid("Mã đơn vị chỉ gồm chữ, số, dấu chấm và gạch ngang.", field="code")
    parent_path = "/"
    parent_id = None
    if parent_code is not None:
        parent = await Unit.select(Unit.id, Unit.path).where(Unit.code == parent_code).first()
        if parent is None:
            raise Invalid(f"Không tìm thấy đơn vị cấp trên {parent_code!r}.", field="parent")
        parent_path, parent_id = parent["path"], parent["id"]
    unit = Unit(
        code=code,
        name=name,
        kind=kind,
        parent=parent_id,
        path=f"{parent_path}{code}/",
        commune_type=commune_type,
        valid_from=valid_from,
        valid_to=valid_to,
    )
    async with atomic():
        await unit.save()
    return unit


async def add_official(
    *,
    code: str,
    full_name: str,
    gender: str,
    category: str,
    position: str,
    unit_id: int,
    is_leader: bool = False,
    desk: str | None = None,
    birth_date: date | None = None,
    home_unit_id: int | None = None,
) -> Official:
    official = Official(
        code=code,
        full_name=full_name,
        sort_key=name_sort_key(full_name),
        gender=gender,
        category=category,
        position=position,
        unit=unit_id,
        is_leader=is_leader,
        desk=desk,
        birth_date=birth_date,
        home_unit=home_unit_id,
    )
    async with atomic():
        await official.save()
    return official


async def add_schedule(
    *,
    unit_id: int,
    name: str,
    season: tuple[str, str],
    morning: tuple[time, time],
    afternoon: tuple[time, time],
    legal_basis: str | None = None,
) -> WorkSchedule:
    schedule = WorkSchedule(
        unit=unit_id,
        name=name,
        season_start=season[0],
        season_end=season[1],
        morning_start=morning[0],
        morning_end=morning[1],
        afternoon_start=afternoon[0],
        afternoon_end=afternoon[1],
        legal_basis=legal_basis,
    )
    async with atomic():
        await schedule.save()
    return schedule
