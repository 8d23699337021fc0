"""Ai được lập và xem báo cáo: a unit head for their own unit (and its subtree), a
reporting officer and an administrator for whatever their scope holds (the province
when scoped to it). Outside the actor's scope a unit does not exist (404)."""

from __future__ import annotations

from typing import Any

from congvu.inspect.actor import Actor, Role
from congvu.inspect.errors import Forbidden, NotFound
from congvu.inspect.organisation.tables import Unit

REPORT_ROLES = (Role.ADMIN, Role.REPORTER, Role.UNIT_HEAD)
UNIT_COLUMNS = (Unit.id, Unit.code, Unit.name, Unit.kind, Unit.parent, Unit.path)


async def report_unit(actor: Actor, unit_code: str | None = None) -> dict[str, Any]:
    """The unit a report is about: ``unit_code``, or the actor's scope unit (the root of
    the tree for an actor scoped to all of it)."""
    if not actor.has_role(*REPORT_ROLES):
        raise Forbidden("Chỉ thủ trưởng đơn vị, cán bộ báo cáo và quản trị lập báo cáo.")
    return await unit_in_scope(actor, unit_code)


async def unit_in_scope(actor: Actor, unit_code: str | None) -> dict[str, Any]:
    """``unit_code``, or the actor's scope unit (the root for an actor scoped to
    everything); a unit outside the actor's scope does not exist (404). The caller
    checks the role."""
    query = Unit.select(*UNIT_COLUMNS)
    if unit_code:
        row = await query.where(Unit.code == unit_code.strip()).first()
    elif actor.scope_unit_id is not None:
        row = await query.where(Unit.id == actor.scope_unit_id).first()
    else:
        row = await query.where(Unit.parent.is_null()).order_by(Unit.id).first()
    if row is None or not actor.can_see_unit_path(row["path"]):
        raise NotFound("Không tìm thấy đơn vị.")
    return row


async def reportable_units(actor: Actor) -> list[dict[str, Any]]:
    """The units the actor may report on: their scope unit and its direct children."""
    home = await report_unit(actor)
    children = (
        await Unit.select(*UNIT_COLUMNS)
        .where(Unit.parent == home["id"], Unit.valid_to.is_null())
        .order_by(Unit.code)
    )
    return [home, *children]
