"""Nhập danh sách cán bộ: the rows of a roster file (``roster_reading``) judged against
the organisation, then, once a person has seen the preview and confirmed, applied.

Each row is new (a code not yet known), changed (a known official whose name, gender,
birth date, category, position, leader flag or unit differs), unchanged, or rejected
with its reason: a missing code or name, a code twice in the file, an unknown unit code
(or one outside the importer's scope: the same answer), a unit no longer in force, a
bad date, gender, category or leader value. A changed unit is a move from the day of
the import (``OfficialMove``). The confirmation judges the rows again: what changed in
between is judged as it is then. Every new and changed official is audited.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from congvu.inspect import cpu_pool
from congvu.inspect.actor import Actor
from congvu.inspect.audit import api as audit
from congvu.inspect.db import atomic
from congvu.inspect.errors import Invalid
from congvu.inspect.i18n import CATEGORY_LABELS, name_sort_key
from congvu.inspect.organisation.services.official_admin import OfficialData, checked
from congvu.inspect.organisation.services.roster_reading import (
    COLUMNS,
    MAX_ROWS,
    RawRow,
    read_roster,
)
from congvu.inspect.organisation.services.unit_admin import day_text
from congvu.inspect.organisation.services.units import visible_units
from congvu.inspect.organisation.tables import Official, OfficialMove
from congvu.inspect.text_input import typed_day
from congvu.inspect.upload_screening import UploadLimits

_GENDERS = {"nam": "nam", "nữ": "nu", "nu": "nu"}
_CATEGORIES = {label.casefold(): key for key, label in CATEGORY_LABELS.items()} | {
    "không chuyên trách": "khong_chuyen_trach",
    "cbccvc": "cong_chuc",
}
_YES = {"có", "co", "x", "1", "c"}
_NO = {"", "không", "khong", "0", "k"}
_FIELD_LABELS = {
    "full_name": "họ và tên",
    "gender": "giới tính",
    "birth_date": "ngày sinh",
    "category": "ngạch/loại",
    "position": "chức vụ",
    "is_leader": "lãnh đạo",
    "unit": "đơn vị",
}


@dataclass(frozen=True)
class PlannedRow:
    number: int
    code: str
    full_name: str
    unit_name: str
    status: str  # new | changed | unchanged | rejected
    note: str  # why it is rejected, or what changes
    data: OfficialData | None = None
    unit_id: int | None = None
    official_id: int | None = None
    before: dict[str, Any] | None = None


@dataclass(frozen=True)
class RosterPlan:
    file_name: str
    rows: list[PlannedRow]
    raw: list[RawRow]

    @property
    def counts(self) -> dict[str, int]:
        found = Counter(r.status for r in self.rows)
        return {s: found[s] for s in ("new", "changed", "unchanged", "rejected")}

    def of(self, status: str) -> list[PlannedRow]:
        return [r for r in self.rows if r.status == status]

    def raw_json(self) -> str:
        """The rows as read, for the confirmation form (judged again when it comes)."""
        return json.dumps([[r.number, r.cells] for r in self.raw], ensure_ascii=False)


def raw_from_json(text: str) -> list[RawRow]:
    """The rows a confirmation form sends back, or ``Invalid`` for anything else."""
    try:
        items = json.loads(text)
    except ValueError:
        items = None
    if not isinstance(items, list) or not items or len(items) > MAX_ROWS:
        raise Invalid("Không có dữ liệu để nhập: hãy tải tệp lên lại.", field="rows")
    rows = []
    for item in items:
        if not (
            isinstance(item, list)
            and len(item) == 2
            and isinstance(item[0], int)
            and isinstance(item[1], dict)
            and all(isinstance(item[1].get(f, ""), str) for f in COLUMNS)
        ):
            raise Invalid("Không có dữ liệu để nhập: hãy tải tệp lên lại.", field="rows")
        rows.append(RawRow(item[0], {f: item[1].get(f, "")[:255] for f in COLUMNS}))
    return rows


def _value(cells: dict[str, str]) -> tuple[OfficialData | None, str]:
    """The row's values checked, or None and the reason."""
    gender = _GENDERS.get(cells["gender"].casefold())
    if gender is None:
        return None, f"Giới tính “{cells['gender']}” không hợp lệ (Nam hoặc Nữ)."
    birth: date | None = None
    if cells["birth_date"]:
        try:
            birth = typed_day(cells["birth_date"])
        except ValueError:
            return None, f"Ngày sinh “{cells['birth_date']}” không đúng dạng dd/mm/yyyy."
    category = _CATEGORIES.get(" ".join(cells["category"].casefold().split()))
    if category is None:
        return None, f"Ngạch/loại “{cells['category']}” không hợp lệ."
    leader = cells["is_leader"].casefold()
    if leader not in _YES | _NO:
        return None, f"Lãnh đạo “{cells['is_leader']}” không hợp lệ (có hoặc không)."
    try:
        data = checked(
            code=cells["code"],
            full_name=cells["full_name"],
            gender=gender,
            birth_date=birth,
            category=category,
            position=cells["position"],
            is_leader=leader in _YES,
        )
    except Invalid as refused:
        return None, str(refused)
    return data, ""


async def _existing(codes: list[str]) -> dict[str, dict[str, Any]]:
    found: dict[str, dict[str, Any]] = {}
    for start in range(0, len(codes), 500):
        for row in await Official.select(
            *Official.all_columns(), Official.unit.path, Official.unit.name
        ).where(Official.code.is_in(codes[start : start + 500])):
            found[row["code"]] = row
    return found


async def plan_roster(actor: Actor, file_name: str, raw: list[RawRow]) -> RosterPlan:
    units = {u.code.casefold(): u for u in await visible_units(actor)}
    existing = await _existing(sorted({r.cells["code"].strip() for r in raw} - {""}))
    seen: dict[str, int] = {}
    planned = []
    for row in raw:
        cells = row.cells
        code, name = cells["code"].strip(), " ".join(cells["full_name"].split())
        unit = units.get(cells["unit_code"].strip().casefold())

        def rejected(reason: str, row: RawRow = row, code: str = code, name: str = name) -> None:
            planned.append(PlannedRow(row.number, code, name, "", "rejected", reason))

        if not code:
            rejected("Thiếu mã cán bộ.")
        elif code in seen:
            rejected(f"Mã {code} trùng với dòng {seen[code]} trong tệp.")
        elif not name:
            rejected("Thiếu họ và tên.")
        elif not cells["unit_code"].strip():
            rejected("Thiếu mã đơn vị.")
        elif unit is None:
            rejected(f"Không có đơn vị mã {cells['unit_code']} trong phạm vi của bạn.")
        elif unit.valid_to is not None:
            rejected(
                f"Đơn vị {unit.name} đã hết hiệu lực từ ngày {day_text(unit.valid_to)}"
                + (f" (đã sáp nhập vào {unit.merged_into_code})." if unit.merged_into_code else ".")
            )
        else:
            data, reason = _value(cells)
            if data is None:
                rejected(reason)
            else:
                planned.append(_judged(actor, row.number, data, unit.id, unit.name, existing))
        seen.setdefault(code, row.number)
    return RosterPlan(file_name, planned, raw)


def _judged(
    actor: Actor,
    number: int,
    data: OfficialData,
    unit_id: int,
    unit_name: str,
    existing: dict[str, dict[str, Any]],
) -> PlannedRow:
    known = existing.get(data.code)
    if known is None:
        return PlannedRow(number, data.code, data.full_name, unit_name, "new", "", data, unit_id)
    if not actor.can_see_unit_path(known["unit.path"]):
        return PlannedRow(
            number,
            data.code,
            data.full_name,
            unit_name,
            "rejected",
            f"Mã {data.code} đã được dùng cho một cán bộ ngoài phạm vi của bạn.",
        )
    if not known["active"]:
        return PlannedRow(
            number,
            data.code,
            data.full_name,
            unit_name,
            "rejected",
            f"Cán bộ mã {data.code} đã thôi việc; không nhập lại qua danh sách.",
        )
    before = {f: known[f] for f in ("full_name", "gender", "birth_date", "category", "position")}
    before |= {"is_leader": known["is_leader"], "unit": known["unit"]}
    after = {
        "full_name": data.full_name,
        "gender": data.gender,
        "birth_date": data.birth_date,
        "category": data.category,
        "position": data.position,
        "is_leader": data.is_leader,
        "unit": unit_id,
    }
    changed = [f for f in after if after[f] != before[f]]
    if not changed:
        return PlannedRow(number, data.code, data.full_name, unit_name, "unchanged", "")
    note = "Đổi " + ", ".join(_FIELD_LABELS[f] for f in changed) + "."
    return PlannedRow(
        number,
        data.code,
        data.full_name,
        unit_name,
        "changed",
        note,
        data,
        unit_id,
        known["id"],
        {f: before[f] for f in changed},
    )


def _plain(values: dict[str, Any]) -> dict[str, Any]:
    return {k: v.isoformat() if isinstance(v, date) else v for k, v in values.items()}


async def apply_roster(actor: Actor, plan: RosterPlan, *, today: date, ip: str | None) -> None:
    """Write the new and changed officials of ``plan`` in one transaction."""
    now = datetime.now(UTC)
    reason = f"Nhập danh sách cán bộ từ tệp {plan.file_name}"
    async with atomic():
        for row in plan.of("new"):
            assert row.data is not None and row.unit_id is not None
            official = Official(
                code=row.data.code,
                full_name=row.data.full_name,
                sort_key=name_sort_key(row.data.full_name),
                gender=row.data.gender,
                birth_date=row.data.birth_date,
                category=row.data.category,
                position=row.data.position,
                is_leader=row.data.is_leader,
                unit=row.unit_id,
            )
            await official.save()
            await audit.record(
                "official_added",
                "official",
                official.id,
                actor=actor,
                after={**row.data.audited(), "unit": row.unit_id},
                reason=reason,
                ip=ip,
            )
        for row in plan.of("changed"):
            assert row.data is not None and row.official_id is not None and row.before
            values: dict[Any, Any] = {
                Official.full_name: row.data.full_name,
                Official.sort_key: name_sort_key(row.data.full_name),
                Official.gender: row.data.gender,
                Official.birth_date: row.data.birth_date,
                Official.category: row.data.category,
                Official.position: row.data.position,
                Official.is_leader: row.data.is_leader,
                Official.unit: row.unit_id,
            }
            await Official.update(values).where(Official.id == row.official_id)
            if "unit" in row.before:
                await OfficialMove.insert(
                    OfficialMove(
                        official=row.official_id,
                        from_unit=row.before["unit"],
                        to_unit=row.unit_id,
                        effective_date=today,
                        reason=reason[:255],
                        recorded_at=now,
                    )
                )
            after = {**row.data.audited(), "unit": row.unit_id}
            await audit.record(
                "official_edited",
                "official",
                row.official_id,
                actor=actor,
                before=_plain(row.before),
                after={k: after[k] for k in row.before},
                reason=reason,
                ip=ip,
            )


async def import_roster_file(
    actor: Actor, path: Path, limits: UploadLimits, *, confirm: bool, today: date
) -> RosterPlan:
    """The roster at ``path`` judged (``confirm=False``: the preview) or judged and
    applied; for the CLI, which has the file on disk already."""
    raw = await cpu_pool.run(read_roster, path, path.name, limits)
    plan = await plan_roster(actor, path.name, raw)
    if confirm:
        await apply_roster(actor, plan, today=today, ip=None)
    return plan
