"""Hình thức khen thưởng đã đạt: the titles and commendations officials already received
(the year, the form, the decision's number and date, its issuer), entered and removed by
the personnel office within its scope, each step audited; Mẫu số 05 lists an official's."""

from __future__ import annotations

from datetime import date
from typing import Any

from congvu.inspect import clock, db
from congvu.inspect.actor import Actor
from congvu.inspect.audit import api as audit
from congvu.inspect.emulation.services.access import require_manager
from congvu.inspect.emulation.tables import AwardReceived
from congvu.inspect.errors import Invalid, NotFound
from congvu.inspect.organisation.tables import Official
from congvu.inspect.text_input import typed_day

FIELDS = ("official", "year", "form", "decision_number", "decided_on", "issuer")


def _award_json(r: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": int(r["id"]),
        "official_id": int(r["official"]),
        "year": int(r["year"]),
        "form": r["form"],
        "decision_number": r["decision_number"],
        "decided_on": r["decided_on"],
        "issuer": r["issuer"],
    }


async def awards_of(official_id: int) -> list[dict[str, Any]]:
    """An official's awards, latest year first (what Mẫu số 05 lists)."""
    rows = (
        await AwardReceived.select()
        .where(AwardReceived.official == official_id)
        .order_by(AwardReceived.year, ascending=False)
        .order_by(AwardReceived.decided_on, ascending=False)
    )
    return [_award_json(r) for r in rows]


async def awards(actor: Actor) -> list[dict[str, Any]]:
    """Every award of the officials in the actor's scope, by name the Vietnamese way."""
    require_manager(actor)
    rows = await AwardReceived.select(
        *AwardReceived.all_columns(),
        AwardReceived.official.full_name,
        AwardReceived.official.code,
        AwardReceived.official.sort_key,
        AwardReceived.official._.unit._.path,
        AwardReceived.official._.unit._.name,
    ).order_by(AwardReceived.year, ascending=False)
    mine = [r for r in rows if actor.can_see_unit_path(str(r["official.unit.path"]))]
    mine.sort(key=lambda r: (r["official.sort_key"], -int(r["year"])))
    return [
        {
            **_award_json(r),
            "name": r["official.full_name"],
            "code": r["official.code"],
            "unit_name": r["official.unit.name"],
        }
        for r in mine
    ]


def _year(text: str) -> int:
    value = text.strip()
    if not (value.isdigit() and 1975 <= int(value) <= 2100):
        raise Invalid("Năm khen thưởng không hợp lệ.", field="year")
    return int(value)


def _day(text: str) -> date:
    try:
        return typed_day(text)
    except ValueError:
        raise Invalid("Ngày quyết định không hợp lệ (dd/mm/yyyy).", field="decided_on") from None


async def add_award(actor: Actor, values: dict[str, str]) -> int:
    """``values``: the form's fields (``FIELDS``); ``official`` is the official's code."""
    require_manager(actor)
    code = values.get("official", "").strip()
    official = (
        await Official.select(Official.id, Official.unit.path).where(Official.code == code).first()
    )
    if official is None or not actor.can_see_unit_path(str(official["unit.path"])):
        raise NotFound(f"Không có cán bộ mã {code} trong phạm vi của bạn.", field="official")
    year = _year(values.get("year", ""))
    text = {k: values.get(k, "").strip() for k in ("form", "decision_number", "issuer")}
    if not text["form"]:
        raise Invalid("Nhập hình thức khen thưởng hoặc danh hiệu.", field="form")
    if not text["decision_number"]:
        raise Invalid("Nhập số quyết định khen thưởng.", field="decision_number")
    decided_on = _day(values.get("decided_on", ""))
    if not text["issuer"]:
        raise Invalid("Nhập cơ quan, người ban hành quyết định.", field="issuer")
    async with db.atomic():
        row = AwardReceived(
            official=official["id"],
            year=year,
            decided_on=decided_on,
            entered_by=actor.id or None,
            entered_at=clock.now(),
            form=text["form"],
            decision_number=text["decision_number"],
            issuer=text["issuer"],
        )
        await row.save()
        await audit.record(
            "award.add",
            "emulation_award_received",
            row.id,
            actor=actor,
            after={"official": official["id"], "year": year, **text},
        )
    return int(row.id)


async def remove_award(actor: Actor, award_id: int) -> None:
    require_manager(actor)
    row = (
        await AwardReceived.select(
            *AwardReceived.all_columns(), AwardReceived.official._.unit._.path
        )
        .where(AwardReceived.id == award_id)
        .first()
    )
    if row is None or not actor.can_see_unit_path(str(row["official.unit.path"])):
        raise NotFound("Không có khen thưởng này trong phạm vi của bạn.", field="award")
    async with db.atomic():
        await AwardReceived.delete().where(AwardReceived.id == award_id)
        await audit.record(
            "award.remove",
            "emulation_award_received",
            award_id,
            actor=actor,
            before={
                "official": int(row["official"]),
                "year": int(row["year"]),
                "form": row["form"],
                "decision_number": row["decision_number"],
            },
        )
