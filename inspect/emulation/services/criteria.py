"""A year rated by the criteria of NĐ 90/2020 (amended by NĐ 48/2023): công chức were rated
that way until 31/12/2025, before the 100-point score of NĐ 335/2025. The unit head enters,
for each official, the tasks assigned and how they ended, the general criteria, the months
worked and on leave (and for a leader the unit's results); the level follows from
``rate_by_criteria``. Only while the year is open; each write audited."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from congvu.inspect import clock, db
from congvu.inspect.actor import Actor
from congvu.inspect.audit import api as audit
from congvu.inspect.emulation.services.access import require_scorer
from congvu.inspect.emulation.services.codec import number_text, parse_number
from congvu.inspect.emulation.tables import CriteriaSheet, PeriodState, RatingPeriod
from congvu.inspect.errors import Conflict, Invalid, NotFound
from congvu.inspect.organisation.tables import Official
from congvu.rules.discipline import Category
from congvu.rules.packs import PackNotFound
from congvu.rules.rating import CriteriaAssessment, General, LeaderResults, rating_pack

CRITERIA_METHOD = "CRITERIA"
MAX_TASKS = 10_000  # a year's tasks for one person; keeps a typo out of the integer column
COUNTS = ("tasks_assigned", "tasks_done_well", "tasks_exceeded", "tasks_short", "tasks_unfinished")
LEADER_FIELDS = (
    "unit_targets_completed",
    "unit_targets_exceeded",
    "subunits_at_least_htnv",
    "subunits_htt_or_better",
)
GENERAL_LABELS = {
    General.TOT.value: "Thực hiện tốt",
    General.DAT.value: "Đạt",
    General.KHONG_DAT.value: "Không đạt",
}
COUNT_LABELS = {
    "tasks_assigned": "Số nhiệm vụ được giao",
    "tasks_done_well": "Hoàn thành đúng hạn, bảo đảm chất lượng",
    "tasks_exceeded": "Trong đó vượt mức",
    "tasks_short": "Chậm hạn hoặc chưa bảo đảm chất lượng",
    "tasks_unfinished": "Chưa hoàn thành",
}
LEADER_LABELS = {
    "unit_targets_completed": "Chỉ tiêu của đơn vị hoàn thành (%)",
    "unit_targets_exceeded": "Chỉ tiêu của đơn vị vượt mức (%)",
    "subunits_at_least_htnv": "Đơn vị trực thuộc từ Hoàn thành nhiệm vụ trở lên (%)",
    "subunits_htt_or_better": "Đơn vị trực thuộc từ Hoàn thành tốt nhiệm vụ trở lên (%)",
}


def criteria_year(year: int) -> bool:
    """Whether công chức of ``year`` are rated by criteria (the pack in force on 31/12)."""
    try:
        return rating_pack(Category.CONG_CHUC, year).parameters["method"] == CRITERIA_METHOD
    except PackNotFound:
        return False


def is_criteria(period: Mapping[str, Any]) -> bool:
    return bool(json.loads(period["parameters"] or "{}").get("method") == CRITERIA_METHOD)


@dataclass(frozen=True)
class CriteriaEntry:
    """One official's criteria sheet as entered: the assessment and the task group."""

    assessment: CriteriaAssessment
    task_group: str
    tasks_short: int

    def as_json(self) -> dict[str, Any]:
        a = self.assessment
        return {
            "general": a.general.value,
            "general_vi": GENERAL_LABELS[a.general.value],
            "tasks_assigned": a.tasks_assigned,
            "tasks_done_well": a.tasks_done_well,
            "tasks_exceeded": a.tasks_exceeded,
            "tasks_short": self.tasks_short,
            "tasks_unfinished": a.tasks_unfinished,
            "months_worked": number_text(Fraction(a.months_worked)),
            "leave_months": number_text(Fraction(a.leave_months)),
            "maternity": a.maternity,
            "task_group": self.task_group,
            "leader": (
                {k: number_text(Fraction(getattr(a.leader, k))) for k in LEADER_FIELDS}
                if a.leader
                else None
            ),
        }


def _entry(row: Mapping[str, Any]) -> CriteriaEntry:
    leader = None
    if row["leader"]:
        values = json.loads(row["leader"])
        leader = LeaderResults(**{k: Fraction(values[k]) for k in LEADER_FIELDS})
    return CriteriaEntry(
        CriteriaAssessment(
            general=General(row["general"]),
            tasks_assigned=int(row["tasks_assigned"]),
            tasks_done_well=int(row["tasks_done_well"]),
            tasks_exceeded=int(row["tasks_exceeded"]),
            tasks_unfinished=int(row["tasks_unfinished"]),
            months_worked=Fraction(row["months_worked"]),
            leave_months=Fraction(row["leave_months"]),
            maternity=bool(row["maternity"]),
            leader=leader,
        ),
        str(row["task_group"]),
        int(row["tasks_short"]),
    )


async def load_entries(period_id: int, official_ids: Sequence[int]) -> dict[int, CriteriaEntry]:
    if not official_ids:
        return {}
    rows = await CriteriaSheet.select().where(
        CriteriaSheet.period == period_id, CriteriaSheet.official.is_in(list(official_ids))
    )
    return {int(r["official"]): _entry(r) for r in rows}


def _count(form: Mapping[str, str], name: str) -> int:
    raw = (form.get(name) or "").strip()
    if not raw and name != "tasks_assigned":
        return 0
    # isascii: "²".isdigit() holds but int() refuses it.
    if not (raw.isascii() and raw.isdigit()) or int(raw) > MAX_TASKS:
        raise Invalid(f"Nhập một số nguyên từ 0 đến {MAX_TASKS}.", field=name)
    return int(raw)


def _months(form: Mapping[str, str], name: str, default: str) -> Fraction:
    raw = (form.get(name) or "").strip() or default
    value = parse_number(raw, name)
    if not 0 <= value <= 12 or (value * 100).denominator != 1:
        raise Invalid("Số tháng từ 0 đến 12, tối đa hai chữ số thập phân.", field=name)
    return value


def checked(form: Mapping[str, str], leader: bool) -> dict[str, Any]:
    """The sheet's values from a form, each refusal naming its field."""
    general = (form.get("general") or "").strip()
    if general not in GENERAL_LABELS:
        raise Invalid("Chọn mức đánh giá tiêu chí chung.", field="general")
    counts = {name: _count(form, name) for name in COUNTS}
    if counts["tasks_assigned"] < 1:
        raise Invalid("Số nhiệm vụ được giao phải từ 1 trở lên.", field="tasks_assigned")
    if counts["tasks_exceeded"] > counts["tasks_done_well"]:
        raise Invalid(
            "Số nhiệm vụ vượt mức không lớn hơn số nhiệm vụ hoàn thành đúng hạn, bảo đảm chất"
            " lượng.",
            field="tasks_exceeded",
        )
    split = counts["tasks_done_well"] + counts["tasks_short"] + counts["tasks_unfinished"]
    if split != counts["tasks_assigned"]:
        raise Invalid(
            f"Hoàn thành đúng hạn ({counts['tasks_done_well']}) + chậm hạn hoặc chưa bảo đảm"
            f" chất lượng ({counts['tasks_short']}) + chưa hoàn thành"
            f" ({counts['tasks_unfinished']}) phải bằng số nhiệm vụ được giao"
            f" ({counts['tasks_assigned']}).",
            field="tasks_assigned",
        )
    months = _months(form, "months_worked", "12")
    leave = _months(form, "leave_months", "0")
    results: dict[str, str] = {}
    if leader:
        for name in LEADER_FIELDS:
            raw = (form.get(name) or "").strip()
            if not raw:
                raise Invalid("Nhập tỷ lệ phần trăm (0–100).", field=name)
            value = parse_number(raw, name)
            if not 0 <= value <= 100:
                raise Invalid("Tỷ lệ phải từ 0 đến 100.", field=name)
            results[name] = number_text(value)
    return {
        "general": general,
        **counts,
        "months_worked": number_text(months),
        "leave_months": number_text(leave),
        "maternity": (form.get("maternity") or "") in ("1", "on", "true"),
        "leader": json.dumps(results) if results else "",
        "task_group": (form.get("task_group") or "").strip()[:64],
        "note": (form.get("note") or "").strip()[:2000] or None,
    }


async def save_criteria(actor: Actor, name: str, official_id: int, form: Mapping[str, str]) -> None:
    """The head's criteria sheet for one official of a criteria year."""
    period = await RatingPeriod.select().where(RatingPeriod.name == name).first()
    if period is None:
        raise NotFound(f"Kỳ đánh giá {name} chưa được mở.", field="period")
    if period["kind"] != "year" or not is_criteria(period):
        raise Invalid(
            "Phiếu theo tiêu chí chỉ dùng cho năm đánh giá theo Nghị định 90/2020/NĐ-CP.",
            field="period",
        )
    if period["state"] != PeriodState.OPEN.value:
        raise Conflict("Kỳ đánh giá đã khóa: không sửa được phiếu.", field="period")
    official = (
        await Official.select(Official.id, Official.is_leader, Official.unit.path)
        .where(Official.id == official_id)
        .first()
    )
    if official is None:
        raise NotFound("Không có cán bộ này.", field="official")
    require_scorer(actor, official["unit.path"], official_id)
    values: dict[Any, Any] = checked(form, bool(official["is_leader"]))
    key = f"{period['id']}:{official_id}"
    stamp: dict[Any, Any] = {"entered_by": actor.id or None, "entered_at": clock.now()}
    async with db.atomic():
        existing = await CriteriaSheet.select(CriteriaSheet.id).where(CriteriaSheet.key == key)
        if existing:
            changes: dict[Any, Any] = {**values, **stamp}
            await CriteriaSheet.update(changes).where(CriteriaSheet.key == key)
        else:
            row = {"key": key, "period": period["id"], "official": official_id}
            await CriteriaSheet.insert(CriteriaSheet(**row, **values, **stamp))
        await audit.record(
            "rating_criteria.head",
            "rating_criteria_sheet",
            key,
            actor=actor,
            after={k: v for k, v in values.items() if k != "note"},
        )
