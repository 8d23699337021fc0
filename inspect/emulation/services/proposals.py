"""The proposals a unit head, the council or the CLI asks for: a quarter's or a year's, for
a unit subtree, scoped to the actor; an official's own, with their unit's list once the
period is locked."""

from __future__ import annotations

from typing import Any

from congvu.inspect.actor import Actor
from congvu.inspect.emulation.services.access import own_official, require_board
from congvu.inspect.emulation.services.boards import board
from congvu.inspect.emulation.services.facts import unit_by_code
from congvu.inspect.emulation.services.periods import period_label, period_name
from congvu.inspect.emulation.tables import PeriodState
from congvu.inspect.errors import NotFound
from congvu.inspect.organisation.tables import Official


async def unit_board(actor: Actor, period: str, unit_code: str) -> dict[str, Any]:
    unit = await unit_by_code(unit_code)
    require_board(actor, str(unit["path"]))
    found = await board(period_name(period), str(unit["path"]), unit_code)
    label = period_label(found["period"])
    return {"unit": unit_code, "unit_name": unit["name"], "period_label": label, **found}


async def my_sheet(actor: Actor, period: str) -> dict[str, Any]:
    """The official's own proposal (the board of their unit, only their row)."""
    official_id = own_official(actor)
    row = (
        await Official.select(Official.unit.path, Official.unit.code)
        .where(Official.id == official_id)
        .first()
    )
    if row is None:
        raise NotFound("Không có cán bộ này.", field="official")
    found = await board(period_name(period), str(row["unit.path"]), None)
    mine = [o for o in found["officials"] if o["official_id"] == official_id]
    label = period_label(found["period"])
    # Công khai trong đơn vị: once locked, the unit's list (names, levels, titles; no
    # scores or reasons) is published to its members.
    published = [
        {
            "name": o["name"],
            "level_vi": o.get("level_vi"),
            "titles_vi": [t["title_vi"] for t in o.get("titles", []) if t["eligible"]],
        }
        for o in found["officials"]
        if found["state"] == PeriodState.LOCKED.value and o["unit"] == row["unit.code"]
    ]
    return {
        **found,
        "period_label": label,
        "officials": mine,
        "me": mine[0] if mine else None,
        "published": published,
    }
