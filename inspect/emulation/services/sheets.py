"""Phiếu Mẫu số 01 entered: the head scores task results (and may lower a general
criterion); the official self-scores and may contest a suggested deduction with a reason;
the personnel office enters recognised initiatives and a collective's yearly level. Only
while the period is open; each write audited."""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import date
from typing import Any

from congvu.inspect import clock, db
from congvu.inspect.actor import Actor
from congvu.inspect.audit import api as audit
from congvu.inspect.emulation.services.access import own_official, require_manager, require_scorer
from congvu.inspect.emulation.services.boards import period_row
from congvu.inspect.emulation.services.codec import number_text, parse_number
from congvu.inspect.emulation.services.periods import period_name
from congvu.inspect.emulation.tables import (
    CollectiveRating,
    Contest,
    Initiative,
    PeriodState,
    RatingSheet,
    SheetAuthor,
)
from congvu.inspect.errors import Conflict, Invalid, NotFound
from congvu.inspect.organisation.tables import Official, Unit
from congvu.rules.rating import Level
from congvu.rules.rating_sheet import GENERAL_MAX

RESULT_PARTS = ("a", "b", "c")
LEADER_PARTS = ("d", "dd", "e")


async def _open_quarter(text: str) -> dict[str, Any]:
    period = await period_row(period_name(text))
    if period["kind"] != "quarter":
        raise Invalid("Phiếu chấm điểm thuộc một quý.", field="period")
    if period["state"] != PeriodState.OPEN.value:
        raise Conflict("Kỳ đánh giá đã khóa: không sửa được phiếu.", field="period")
    return period


async def _official(official_id: int) -> dict[str, Any]:
    row = (
        await Official.select(Official.id, Official.is_leader, Official.unit.path)
        .where(Official.id == official_id)
        .first()
    )
    if row is None:
        raise NotFound("Không có cán bộ này.", field="official")
    return row


def _checked(form: Mapping[str, str], leader: bool) -> tuple[dict[str, str], dict[str, str]]:
    results: dict[str, str] = {}
    for part in RESULT_PARTS + (LEADER_PARTS if leader else ()):
        raw = (form.get(part) or "").strip()
        if not raw:
            raise Invalid("Nhập tỷ lệ phần trăm (0–100).", field=part)
        value = parse_number(raw, part)
        if not 0 <= value <= 100:
            raise Invalid("Tỷ lệ phải từ 0 đến 100.", field=part)
        results[part] = number_text(value)
    general: dict[str, str] = {}
    for name, top in GENERAL_MAX.items():
        raw = (form.get(f"g_{name}") or "").strip()
        if not raw:
            continue
        value = parse_number(raw, f"g_{name}")
        if not 0 <= value <= top:
            raise Invalid(f"Điểm tiêu chí {name} từ 0 đến {number_text(top)}.", field=f"g_{name}")
        general[name] = number_text(value)
    return results, general


async def save_sheet(
    actor: Actor, text: str, official_id: int, form: Mapping[str, str], *, author: SheetAuthor
) -> None:
    """The head's sheet (``author`` head) or the official's own (self)."""
    if author is SheetAuthor.SELF and own_official(actor) != official_id:
        raise NotFound("Không có cán bộ này.", field="official")
    period = await _open_quarter(text)
    official = await _official(official_id)
    if author is SheetAuthor.HEAD:
        require_scorer(actor, official["unit.path"], official_id)
    results, general = _checked(form, bool(official["is_leader"]))
    group = (form.get("task_group") or "").strip()[:64]
    note = (form.get("note") or "").strip()[:2000] or None
    key = f"{period['id']}:{official_id}:{author.value}"
    values = {
        "task_group": group,
        "general": json.dumps(general),
        "results": json.dumps(results),
        "note": note,
        "entered_by": actor.id or None,
        "entered_at": clock.now(),
    }
    async with db.atomic():
        existing = await RatingSheet.select(RatingSheet.id).where(RatingSheet.key == key).first()
        if existing is None:
            row = {
                "key": key,
                "period": period["id"],
                "official": official_id,
                "author": author.value,
            }
            await RatingSheet.insert(RatingSheet(**row, **values))  # type: ignore[arg-type]
        else:
            await RatingSheet.update(values).where(RatingSheet.key == key)  # type: ignore[arg-type]
        await audit.record(
            f"rating_sheet.{author.value}",
            "rating_sheet",
            key,
            actor=actor,
            after={"task_group": group, "general": general, "results": results},
        )


async def contest(actor: Actor, text: str, source: str, reason: str | None) -> None:
    """The official's objection to one suggested deduction of their sheet."""
    period = await _open_quarter(text)
    official_id = own_official(actor)
    why = (reason or "").strip()
    if not why:
        raise Invalid("Nêu lý do không đồng ý với điểm trừ.", field="reason")
    kind, _, number = source.partition(":")
    if kind not in ("finding", "dossier") or not number.isdigit():
        raise Invalid("Điểm trừ không hợp lệ.", field="source")
    async with db.atomic():
        await Contest(
            period=period["id"],
            official=official_id,
            source=source,
            reason=why[:2000],
            by=actor.id or None,
            at=clock.now(),
        ).save()
        await audit.record("rating_contest", "rating_sheet", source, actor=actor, reason=why)


async def add_initiative(
    actor: Actor, official_id: int, year: int, title: str, decision_number: str, decided_on: date
) -> None:
    require_manager(actor)
    official = await _official(official_id)
    if not actor.can_see_unit_path(official["unit.path"]):
        raise NotFound("Không có cán bộ này trong phạm vi của bạn.", field="official")
    if not title.strip():
        raise Invalid("Nhập tên sáng kiến.", field="title")
    if not decision_number.strip():
        raise Invalid("Nhập số quyết định công nhận sáng kiến.", field="decision_number")
    async with db.atomic():
        row = Initiative(
            official=official_id,
            year=year,
            title=title.strip(),
            decision_number=decision_number.strip(),
            decided_on=decided_on,
            entered_by=actor.id or None,
            entered_at=clock.now(),
        )
        await row.save()
        await audit.record(
            "initiative.add",
            "emulation_initiative",
            row.id,
            actor=actor,
            after={"official": official_id, "decision_number": decision_number.strip()},
        )


async def rate_collective(
    actor: Actor, unit_code: str, year: int, level: str, *, movement: bool = True
) -> None:
    require_manager(actor)
    unit = await Unit.select(Unit.id, Unit.path).where(Unit.code == unit_code).first()
    if unit is None or not actor.can_see_unit_path(unit["path"]):
        raise NotFound(f"Không có đơn vị mã {unit_code}.", field="unit")
    try:
        chosen = Level(level)
    except ValueError:
        raise Invalid("Chọn một mức xếp loại.", field="level") from None
    key = f"{unit['id']}:{year}"
    async with db.atomic():
        await CollectiveRating.delete().where(CollectiveRating.key == key)
        await CollectiveRating(
            key=key,
            unit=unit["id"],
            year=year,
            level=chosen.value,
            movement=movement,
            entered_by=actor.id or None,
            entered_at=clock.now(),
        ).save()
        await audit.record(
            "collective.rate",
            "emulation_collective",
            key,
            actor=actor,
            after={"level": chosen.value},
        )
