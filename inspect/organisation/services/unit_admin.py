"""Quản lý đơn vị: creating a unit under a parent, renaming it (the old name kept for
past periods) and sáp nhập (merging units into another from an effective date, as the
communes merged on 01/07/2025). Every change is audited with its before and after.

A merged unit keeps its row, its code and its records: it ends the day before the
merger (``valid_to``) and points at the unit it joined (``merged_into``), so pickers,
which show units without ``valid_to``, leave it out while its findings and dossiers
stay reachable. Its sub-units end with it, and its active officials move to the unit it
joined, each move recorded with the merger's date (``OfficialMove``). Accounts whose unit
scope is one of the ended units are scoped to the unit it joined instead, each change
audited with its before and after, so no account keeps the rights of a unit that no longer
exists.

A merger recorded ahead of its date (``effective`` after today, inspect/clock.py) changes
nothing yet: the units stay in force, pickable and holding their officials and accounts;
it is noted on them (``merged_into``, ``merges_on``) and the worker's hourly
``apply_due_mergers`` applies it as above once its date has come (idempotent: an applied
merger has ended its units).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from congvu.inspect import clock
from congvu.inspect.actor import SYSTEM, Actor
from congvu.inspect.audit import api as audit
from congvu.inspect.db import atomic
from congvu.inspect.errors import Invalid
from congvu.inspect.i18n import format_date
from congvu.inspect.organisation.services.accounts import session_actors
from congvu.inspect.organisation.services.units import UnitView, unit_in_scope, visible_units
from congvu.inspect.organisation.tables import (
    CommuneType,
    Official,
    OfficialMove,
    Unit,
    UnitKind,
    UnitName,
    User,
)

CODE_PATTERN = re.compile(r"[A-Za-z0-9.-]{1,32}")


def day_text(day: date | None) -> str:
    return format_date(day) if day else ""


async def current_unit(actor: Actor, unit_id: int) -> UnitView:
    """The unit in scope, refused when it has already ended (merged or dissolved)."""
    unit = await unit_in_scope(actor, unit_id)
    if unit.valid_to is not None:
        raise Invalid(
            f"Đơn vị {unit.name} đã hết hiệu lực từ ngày {day_text(unit.valid_to)}.", field="unit"
        )
    return unit


async def create_sub_unit(
    actor: Actor,
    parent_id: int,
    *,
    code: str,
    name: str,
    kind: str,
    commune_type: str | None,
    valid_from: date | None,
    ip: str | None = None,
) -> int:
    """A new unit under ``parent_id`` (in the actor's scope and still in force)."""
    parent = await current_unit(actor, parent_id)
    code, name = code.strip(), " ".join(name.split())
    if not CODE_PATTERN.fullmatch(code):
        raise Invalid(
            "Mã đơn vị gồm 1–32 ký tự: chữ không dấu, số, dấu chấm và gạch ngang.", field="code"
        )
    if not name:
        raise Invalid("Chưa nhập tên đơn vị.", field="name")
    if kind not in set(UnitKind):
        raise Invalid("Loại đơn vị không hợp lệ.", field="kind")
    if commune_type is not None and (
        kind != UnitKind.COMMUNE or commune_type not in set(CommuneType)
    ):
        raise Invalid("Chỉ xã, phường, đặc khu mới có loại xã/phường/đặc khu.", field="kind")
    if await Unit.exists().where(Unit.code == code):
        raise Invalid(f"Mã đơn vị {code} đã được dùng.", field="code")
    if valid_from and parent.valid_from and valid_from < parent.valid_from:
        raise Invalid(
            "Ngày thành lập trước ngày đơn vị cấp trên có hiệu lực"
            f" ({day_text(parent.valid_from)}).",
            field="valid_from",
        )
    unit = Unit(
        code=code,
        name=name,
        kind=kind,
        parent=parent.id,
        path=f"{parent.path}{code}/",
        commune_type=commune_type,
        valid_from=valid_from,
    )
    async with atomic():
        await unit.save()
        await audit.record(
            "unit_created",
            "unit",
            unit.id,
            actor=actor,
            after={
                "code": code,
                "name": name,
                "kind": kind,
                "parent": parent.code,
                "valid_from": valid_from.isoformat() if valid_from else None,
            },
            reason=f"Tạo đơn vị {name} thuộc {parent.name}",
            ip=ip,
        )
    return int(unit.id)


async def _current_name_start(unit: UnitView) -> date | None:
    row = (
        await UnitName.select(UnitName.valid_to)
        .where(UnitName.unit == unit.id)
        .order_by(UnitName.valid_to, ascending=False)
        .first()
    )
    return row["valid_to"] + timedelta(days=1) if row else unit.valid_from


async def rename_unit(
    actor: Actor, unit_id: int, *, name: str, effective: date, ip: str | None = None
) -> None:
    """Đổi tên: the unit bears ``name`` from ``effective``; the name it bore until the
    day before is kept in ``UnitName`` for documents of earlier periods."""
    unit = await current_unit(actor, unit_id)
    name = " ".join(name.split())
    if not name:
        raise Invalid("Chưa nhập tên mới.", field="name")
    if name == unit.name:
        raise Invalid("Tên mới trùng tên hiện tại.", field="name")
    since = await _current_name_start(unit)
    if since is not None and effective <= since:
        raise Invalid(
            f"Ngày đổi tên phải sau ngày tên hiện tại có hiệu lực ({day_text(since)}).",
            field="effective",
        )
    async with atomic():
        await UnitName.insert(
            UnitName(
                unit=unit.id, name=unit.name, valid_from=since, valid_to=effective - timedelta(1)
            )
        )
        await Unit.update({Unit.name: name}).where(Unit.id == unit.id)
        await audit.record(
            "unit_renamed",
            "unit",
            unit.id,
            actor=actor,
            before={"name": unit.name},
            after={"name": name, "effective": effective.isoformat()},
            reason=f"Đổi tên {unit.name} thành {name} từ ngày {day_text(effective)}",
            ip=ip,
        )


async def name_on(unit_id: int, day: date) -> str:
    """The name the unit bore on ``day``: an earlier name if it was renamed since."""
    row = (
        await UnitName.select(UnitName.name)
        .where(UnitName.unit == unit_id, UnitName.valid_to >= day)
        .order_by(UnitName.valid_to)
        .first()
    )
    if row is not None:
        return str(row["name"])
    unit = await Unit.select(Unit.name).where(Unit.id == unit_id).first()
    return str(unit["name"]) if unit else ""


async def former_names(unit_id: int) -> list[dict[str, Any]]:
    return list(
        await UnitName.select(UnitName.name, UnitName.valid_from, UnitName.valid_to)
        .where(UnitName.unit == unit_id)
        .order_by(UnitName.valid_to)
    )


@dataclass(frozen=True)
class MergeResult:
    units: list[str]  # codes of the units that ended, sub-units included
    officials_moved: int
    accounts_moved: int = 0  # accounts whose unit scope moved to the receiving unit
    scheduled: bool = False  # recorded ahead of its date: nothing ended yet


def _merge_refusal(source: UnitView, target: UnitView, effective: date) -> str | None:
    if source.id == target.id:
        return f"Không thể sáp nhập {source.name} vào chính nó."
    if target.path.startswith(source.path):
        return f"Không thể sáp nhập {source.name} vào {target.name}, một đơn vị trực thuộc của nó."
    if source.valid_to is not None:
        return f"{source.name} đã hết hiệu lực từ ngày {day_text(source.valid_to)}."
    if source.merger_pending:
        return f"{source.name} đã có quyết định sáp nhập từ ngày {day_text(source.merges_on)}."
    if target.merger_pending:
        return f"{target.name} đã có quyết định sáp nhập từ ngày {day_text(target.merges_on)}."
    if source.valid_from is not None and effective <= source.valid_from:
        return (
            f"Ngày sáp nhập {day_text(effective)} không sau ngày {source.name} bắt đầu hoạt"
            f" động ({day_text(source.valid_from)})."
        )
    if target.valid_from is not None and effective < target.valid_from:
        return (
            f"Ngày sáp nhập {day_text(effective)} trước ngày {target.name} bắt đầu hoạt động"
            f" ({day_text(target.valid_from)})."
        )
    return None


async def merge_units(
    actor: Actor,
    target_id: int,
    source_ids: list[int],
    *,
    effective: date,
    ip: str | None = None,
) -> MergeResult:
    """Sáp nhập ``source_ids`` into ``target_id`` from ``effective`` (module docstring).
    All or nothing: one refused source refuses the merger, saying why."""
    target = await current_unit(actor, target_id)
    if not source_ids:
        raise Invalid("Chưa chọn đơn vị được sáp nhập.", field="sources")
    sources = [await unit_in_scope(actor, i) for i in dict.fromkeys(source_ids)]
    for source in sources:
        if (refusal := _merge_refusal(source, target, effective)) is not None:
            raise Invalid(refusal, field="sources")
    if effective > clock.today():
        await _schedule(actor, sources, target, effective, ip)
        return MergeResult([s.code for s in sources], 0, 0, scheduled=True)
    return await _apply(actor, sources, target, effective, ip)


async def _schedule(
    actor: Actor, sources: list[UnitView], target: UnitView, effective: date, ip: str | None
) -> None:
    async with atomic():
        for source in sources:
            await Unit.update({Unit.merged_into: target.id, Unit.merges_on: effective}).where(
                Unit.id == source.id
            )
            await audit.record(
                "unit_merger_scheduled",
                "unit",
                source.id,
                actor=actor,
                before={"code": source.code, "merged_into": None, "merges_on": None},
                after={
                    "code": source.code,
                    "merged_into": target.code,
                    "merges_on": effective.isoformat(),
                },
                reason=(
                    f"Quyết định sáp nhập {source.name} vào {target.name} từ ngày"
                    f" {day_text(effective)}"
                ),
                ip=ip,
            )


async def apply_due_mergers(today: date | None = None) -> int:
    """Apply the mergers recorded ahead of their date whose date has come (the worker's
    hourly job; running it again applies nothing twice); how many units they ended."""
    day = today or clock.today()
    due = await Unit.select(Unit.id, Unit.merged_into, Unit.merges_on).where(
        Unit.merges_on.is_not_null(), Unit.merges_on <= day, Unit.valid_to.is_null()
    )
    ended = 0
    for row in due:
        source = await unit_in_scope(SYSTEM, row["id"])
        if not source.merger_pending:  # applied meanwhile by another run
            continue
        target = await unit_in_scope(SYSTEM, row["merged_into"])
        result = await _apply(SYSTEM, [source], target, row["merges_on"], None)
        ended += len(result.units)
    return ended


async def _apply(
    actor: Actor, sources: list[UnitView], target: UnitView, effective: date, ip: str | None
) -> MergeResult:
    ended: list[str] = []
    moved = 0
    rescoped: list[int] = []
    now = datetime.now(UTC)
    async with atomic():
        for source in sources:
            subtree = await Unit.select(Unit.id, Unit.code, Unit.valid_to).where(
                Unit.path.like(f"{source.path}%")
            )
            live = [u for u in subtree if u["valid_to"] is None or u["valid_to"] >= effective]
            ids = [u["id"] for u in live]
            await Unit.update(
                {
                    Unit.valid_to: effective - timedelta(1),
                    Unit.merged_into: target.id,
                    Unit.merges_on: None,
                }
            ).where(Unit.id.is_in(ids))
            ended.extend(u["code"] for u in live)
            officials = await Official.select(Official.id, Official.unit).where(
                Official.unit.is_in(ids), Official.active.eq(True)
            )
            for official in officials:
                await OfficialMove.insert(
                    OfficialMove(
                        official=official["id"],
                        from_unit=official["unit"],
                        to_unit=target.id,
                        effective_date=effective,
                        reason=f"Sáp nhập {source.name} vào {target.name}",
                        recorded_at=now,
                    )
                )
            if officials:
                await Official.update({Official.unit: target.id}).where(
                    Official.id.is_in([o["id"] for o in officials])
                )
            # Seconded staff whose home unit merged are rated by the unit it joined.
            await Official.update({Official.home_unit: target.id}).where(
                Official.home_unit.is_in(ids)
            )
            moved += len(officials)
            accounts = await _move_account_scopes(actor, source, target, live, ip)
            rescoped.extend(accounts)
            await audit.record(
                "unit_merged",
                "unit",
                source.id,
                actor=actor,
                before={
                    "code": source.code,
                    "valid_to": None,
                    "merged_into": source.merged_into_code,
                },
                after={
                    "code": source.code,
                    "valid_to": (effective - timedelta(1)).isoformat(),
                    "merged_into": target.code,
                    "units_ended": [u["code"] for u in live],
                    "officials_moved": len(officials),
                    "accounts_moved": len(accounts),
                },
                reason=(f"Sáp nhập {source.name} vào {target.name} từ ngày {day_text(effective)}"),
                ip=ip,
            )
    for account_id in rescoped:
        # Their next request reads the new scope, not the cached one.
        session_actors.forget(account_id)
    return MergeResult(ended, moved, len(rescoped))


async def _move_account_scopes(
    actor: Actor,
    source: UnitView,
    target: UnitView,
    ended: list[dict[str, Any]],
    ip: str | None,
) -> list[int]:
    """Scope to ``target`` the accounts scoped to one of the ``ended`` units (``source``
    and its sub-units), each audited; their ids."""
    codes = {u["id"]: u["code"] for u in ended}
    accounts = await User.select(User.id, User.username, User.scope_unit).where(
        User.scope_unit.is_in(list(codes))
    )
    for account in accounts:
        await User.update({User.scope_unit: target.id}).where(User.id == account["id"])
        await audit.record(
            "account_scope_moved",
            "account",
            account["id"],
            actor=actor,
            before={"unit": codes[account["scope_unit"]]},
            after={"unit": target.code},
            reason=(
                f"Sáp nhập {source.name} vào {target.name}: phạm vi của tài khoản"
                f" {account['username']} chuyển sang {target.name}"
            ),
            ip=ip,
        )
    return [int(a["id"]) for a in accounts]


async def merge_candidates(actor: Actor, target: UnitView) -> list[UnitView]:
    """Units in scope that could join ``target`` (the picker's list): of its kind (communes
    merge into a commune), in force, neither it nor one of its ancestors, nor one of its
    own sub-units."""
    return [
        u
        for u in await visible_units(actor)
        if u.valid_to is None
        and not u.merger_pending
        and u.kind == target.kind
        and not target.path.startswith(u.path)
        and not u.path.startswith(target.path)
    ]
