"""Hồ sơ cá nhân of one official as the personal-data export reads it (Luật 91/2025/QH15):
the official's own row and the accounts linked to them, never a password hash."""

from __future__ import annotations

from typing import Any

from congvu.inspect.actor import Actor
from congvu.inspect.errors import NotFound
from congvu.inspect.organisation.tables import Official, User


async def official_in_scope(actor: Actor, official_id: int) -> dict[str, Any]:
    """The official's id, name and unit path, or NotFound when there is none or it lies
    outside the actor's unit scope (the same answer, so scope does not leak who exists)."""
    row = (
        await Official.select(Official.id, Official.code, Official.full_name, Official.unit.path)
        .where(Official.id == official_id)
        .first()
    )
    if row is None or not actor.can_see_unit_path(row["unit.path"]):
        raise NotFound("Không tìm thấy cán bộ.")
    return {
        "id": row["id"],
        "code": row["code"],
        "full_name": row["full_name"],
        "unit_path": row["unit.path"],
    }


async def official_profile(official_id: int) -> dict[str, Any]:
    """The official's profile row, with their unit's code and name."""
    row = (
        await Official.select(
            Official.id,
            Official.code,
            Official.full_name,
            Official.gender,
            Official.birth_date,
            Official.category,
            Official.is_leader,
            Official.position,
            Official.desk,
            Official.active,
            Official.unit.id,
            Official.unit.code,
            Official.unit.name,
            Official.unit.path,
        )
        .where(Official.id == official_id)
        .first()
    )
    if row is None:
        raise NotFound("Không tìm thấy cán bộ.")
    return row


async def official_accounts(official_id: int) -> list[dict[str, Any]]:
    """The sign-in accounts linked to the official (what they are, not their secrets)."""
    return list(
        await User.select(
            User.id,
            User.username,
            User.display_name,
            User.role,
            User.scope_unit.code,
            User.locale,
            User.active,
            User.last_login_at,
            User.created_at,
        )
        .where(User.official == official_id)
        .order_by(User.id)
    )


async def official_id_by_code(code: str) -> int | None:
    row = await Official.select(Official.id).where(Official.code == code).first()
    return None if row is None else int(row["id"])
