"""Quản lý cán bộ: adding an official to a unit, editing their position, category and
leader flag, moving them to another unit from a date (điều động, chuyển công tác) and
ending their service (thôi việc). Every change is audited with its before and after.

A move keeps ``home_unit`` as it was: it names the unit that rates a seconded official
and a move is not a secondment. The unit left and the date are kept in
``OfficialMove`` so records of earlier periods stay attributable to it.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime
from typing import Any

from congvu.inspect.actor import Actor
from congvu.inspect.audit import api as audit
from congvu.inspect.db import atomic
from congvu.inspect.errors import Invalid, NotFound
from congvu.inspect.i18n import name_sort_key
from congvu.inspect.organisation.services.unit_admin import CODE_PATTERN, current_unit, day_text
from congvu.inspect.organisation.services.units import unit_in_scope
from congvu.inspect.organisation.tables import (
    Gender,
    Official,
    OfficialCategory,
    OfficialMove,
)


@dataclass(frozen=True)
class OfficialData:
    """What a form or a roster row says of an official, already checked."""

    code: str
    full_name: str
    gender: str
    birth_date: date | None
    category: str
    position: str
    is_leader: bool

    def audited(self) -> dict[str, Any]:
        values = asdict(self)
        values["birth_date"] = self.birth_date.isoformat() if self.birth_date else None
        return values


def checked(
    *,
    code: str,
    full_name: str,
    gender: str,
    birth_date: date | None,
    category: str,
    position: str,
    is_leader: bool,
) -> OfficialData:
    """The values cleaned (spaces collapsed), or ``Invalid`` naming the first wrong one."""
    code, full_name, position = code.strip(), " ".join(full_name.split()), position.strip()
    if not CODE_PATTERN.fullmatch(code):
        raise Invalid(
            "Mã cán bộ gồm 1–32 ký tự: chữ không dấu, số, dấu chấm và gạch ngang.", field="code"
        )
    if not full_name:
        raise Invalid("Thiếu họ và tên.", field="full_name")
    if gender not in set(Gender):
        raise Invalid("Giới tính phải là Nam hoặc Nữ.", field="gender")
    if category not in set(OfficialCategory):
        raise Invalid("Ngạch/loại cán bộ không hợp lệ.", field="category")
    if not position:
        raise Invalid("Thiếu chức vụ.", field="position")
    if birth_date is not None and not date(1930, 1, 1) <= birth_date <= datetime.now(UTC).date():
        raise Invalid("Ngày sinh không hợp lệ.", field="birth_date")
    return OfficialData(code, full_name, gender, birth_date, category, position, is_leader)


async def official_row(actor: Actor, official_id: int) -> dict[str, Any]:
    """The official with their unit, or NotFound outside the actor's scope."""
    row = (
        await Official.select(
            *Official.all_columns(), Official.unit.path, Official.unit.name, Official.unit.code
        )
        .where(Official.id == official_id)
        .first()
    )
    if row is None or not actor.can_see_unit_path(row["unit.path"]):
        raise NotFound("Không tìm thấy cán bộ.")
    return dict(row)


async def add_to_unit(
    actor: Actor, unit_id: int, data: OfficialData, *, ip: str | None = None
) -> int:
    unit = await current_unit(actor, unit_id)
    if await Official.exists().where(Official.code == data.code):
        raise Invalid(f"Mã cán bộ {data.code} đã được dùng.", field="code")
    official = Official(
        code=data.code,
        full_name=data.full_name,
        sort_key=name_sort_key(data.full_name),
        gender=data.gender,
        birth_date=data.birth_date,
        category=data.category,
        position=data.position,
        is_leader=data.is_leader,
        unit=unit.id,
    )
    async with atomic():
        await official.save()
        await audit.record(
            "official_added",
            "official",
            official.id,
            actor=actor,
            after={**data.audited(), "unit": unit.code},
            reason=f"Thêm {data.full_name} vào {unit.name}",
            ip=ip,
        )
    return int(official.id)


async def edit(
    actor: Actor,
    official_id: int,
    *,
    position: str,
    category: str,
    is_leader: bool,
    ip: str | None = None,
) -> None:
    """Chức vụ, ngạch/loại and the leader flag; nothing else changes here."""
    row = await official_row(actor, official_id)
    position = position.strip()
    if not position:
        raise Invalid("Thiếu chức vụ.", field="position")
    if category not in set(OfficialCategory):
        raise Invalid("Ngạch/loại cán bộ không hợp lệ.", field="category")
    before = {k: row[k] for k in ("position", "category", "is_leader")}
    after = {"position": position, "category": category, "is_leader": is_leader}
    if before == after:
        return
    async with atomic():
        await Official.update(
            {
                Official.position: position,
                Official.category: category,
                Official.is_leader: is_leader,
            }
        ).where(Official.id == official_id)
        await audit.record(
            "official_edited",
            "official",
            official_id,
            actor=actor,
            before=before,
            after=after,
            reason=f"Sửa thông tin {row['full_name']}",
            ip=ip,
        )


async def move(
    actor: Actor,
    official_id: int,
    *,
    to_unit_id: int,
    effective: date,
    reason: str,
    ip: str | None = None,
) -> None:
    """Điều động: the official belongs to ``to_unit_id`` from ``effective``."""
    row = await official_row(actor, official_id)
    if not row["active"]:
        raise Invalid(f"{row['full_name']} đã thôi việc.", field="official")
    target = await current_unit(actor, to_unit_id)
    if target.id == row["unit"]:
        raise Invalid(f"{row['full_name']} đang thuộc {target.name}.", field="to_unit")
    if target.valid_from is not None and effective < target.valid_from:
        raise Invalid(
            f"Ngày điều động trước ngày {target.name} bắt đầu hoạt động"
            f" ({day_text(target.valid_from)}).",
            field="effective",
        )
    last = (
        await OfficialMove.select(OfficialMove.effective_date)
        .where(OfficialMove.official == official_id)
        .order_by(OfficialMove.effective_date, ascending=False)
        .first()
    )
    if last is not None and effective <= last["effective_date"]:
        raise Invalid(
            f"Ngày điều động phải sau lần điều động trước ({day_text(last['effective_date'])}).",
            field="effective",
        )
    reason = " ".join(reason.split()) or "Điều động"
    async with atomic():
        await OfficialMove.insert(
            OfficialMove(
                official=official_id,
                from_unit=row["unit"],
                to_unit=target.id,
                effective_date=effective,
                reason=reason[:255],
                recorded_at=datetime.now(UTC),
            )
        )
        await Official.update({Official.unit: target.id}).where(Official.id == official_id)
        await audit.record(
            "official_moved",
            "official",
            official_id,
            actor=actor,
            before={"unit": row["unit.code"]},
            after={"unit": target.code, "effective": effective.isoformat()},
            reason=(
                f"{reason}: {row['full_name']} từ {row['unit.name']} sang {target.name}"
                f" từ ngày {day_text(effective)}"
            ),
            ip=ip,
        )


async def deactivate(
    actor: Actor, official_id: int, *, effective: date, ip: str | None = None
) -> None:
    """Thôi việc (nghỉ hưu, chuyển ra ngoài tỉnh…): off the rosters, records kept."""
    row = await official_row(actor, official_id)
    if not row["active"]:
        raise Invalid(f"{row['full_name']} đã thôi việc.", field="official")
    async with atomic():
        await Official.update({Official.active: False}).where(Official.id == official_id)
        await audit.record(
            "official_deactivated",
            "official",
            official_id,
            actor=actor,
            before={"active": True},
            after={"active": False, "effective": effective.isoformat()},
            reason=f"{row['full_name']} thôi việc từ ngày {day_text(effective)}",
            ip=ip,
        )


async def moves_of_unit(actor: Actor, unit_id: int) -> list[dict[str, Any]]:
    """Moves into or out of the unit, newest first (its history page)."""
    unit = (await unit_in_scope(actor, unit_id)).id
    return list(
        await OfficialMove.select(
            OfficialMove.official.full_name,
            OfficialMove.from_unit.name,
            OfficialMove.to_unit.name,
            OfficialMove.effective_date,
            OfficialMove.reason,
        )
        .where((OfficialMove.from_unit == unit) | (OfficialMove.to_unit == unit))
        .order_by(OfficialMove.effective_date, ascending=False)
        .limit(50)
    )
