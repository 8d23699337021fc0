"""Where a head, a council member or an official starts on ratings: the periods, each
with the boards of the units in their scope or their own sheet. The personnel office
starts on the period control instead (/ratings)."""

from __future__ import annotations

from typing import Any

from congvu.inspect.actor import Actor
from congvu.inspect.emulation.services.access import BOARD_READERS, own_official
from congvu.inspect.emulation.services.periods import all_periods
from congvu.inspect.errors import Forbidden
from congvu.inspect.i18n import text_sort_key
from congvu.inspect.organisation.tables import Unit

# Depth counts the slashes of a unit's path: "/NA/" is 2, "/NA/NA-TV/" 3. Like the period
# control, a wide scope lists the province and the units directly under it.
LISTED_DEPTH = 3


async def board_units(actor: Actor) -> list[dict[str, Any]]:
    """The units whose board the actor may open, units still in force only: their scope
    unit first (its board covers its subtree), then the units under it down to
    ``LISTED_DEPTH``, or at least one level down (a commune head's departments); each
    level in Vietnamese alphabetical order."""
    deepest = max(LISTED_DEPTH, actor.scope_path.count("/") + 1)
    listed = [u for u in await units_in_scope(actor) if u["path"].count("/") <= deepest]
    return sorted(listed, key=lambda u: (u["path"].count("/"), text_sort_key(u["name"])))


async def units_in_scope(actor: Actor) -> list[dict[str, Any]]:
    """The units in force that the actor's scope covers, in tree (path) order."""
    units = await (
        Unit.select(Unit.code, Unit.name, Unit.path)
        .where(Unit.valid_to.is_null())
        .order_by(Unit.path)
    )
    return [u for u in units if actor.can_see_unit_path(u["path"])]


async def boards_by_period(actor: Actor) -> list[dict[str, Any]]:
    """The rating periods, newest first, each with the boards the actor may open."""
    if not actor.has_role(*BOARD_READERS):
        raise Forbidden("Bạn không được xem bảng xếp loại của đơn vị.")
    units = await board_units(actor)
    return [{**period, "units": units} for period in await all_periods()]


async def my_periods(actor: Actor) -> list[dict[str, Any]]:
    """The rating periods, newest first, for the official the account belongs to."""
    own_official(actor)
    return await all_periods()
