"""Quyết định thành lập đoàn kiểm tra: the number, date and signer of the decision that
sent an inspection's team, recorded by its trưởng đoàn or by whoever planned it.

The decision is the inspection's (see ``Inspection.team_decision_number``): the team is.
The plan coverage sheet and the evidence register read it from there."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from congvu.inspect import clock
from congvu.inspect.actor import Actor
from congvu.inspect.audit import api as audit
from congvu.inspect.db import atomic
from congvu.inspect.errors import Forbidden, Invalid
from congvu.inspect.inspections.services.access import (
    InspectionRef,
    audit_sealed_view,
    readable_inspection,
)
from congvu.inspect.inspections.tables import Inspection, InspectionMember, MemberRole

# "125/QĐ-UBND", "37/QĐ-SNV": a few characters; 40 leaves room for a long issuer code
# and stops a pasted sentence (the column holds 64).
NUMBER_MAX = 40
NAME_MAX = 120
# A số ký hiệu begins with the decision's number (NĐ 30/2020, Phụ lục I, mục 3).
_STARTS_WITH_NUMBER = re.compile(r"^\d+\s*/")


@dataclass(frozen=True)
class TeamDecisionForm:
    number: str
    decided_on: date
    signer_name: str
    signer_title: str


@dataclass(frozen=True)
class TeamDecision:
    inspection: InspectionRef
    number: str | None
    decided_on: date | None
    signer_name: str
    signer_title: str


def _one_line(text: str) -> str:
    return " ".join(text.split())


def validate(form: TeamDecisionForm, scheduled_date: date, today: date) -> TeamDecisionForm:
    """The form trimmed, or ``Invalid`` on the first wrong field (messages in Vietnamese)."""
    number = _one_line(form.number)
    if not number:
        raise Invalid("Nhập số, ký hiệu của quyết định thành lập đoàn.", field="number")
    if len(number) > NUMBER_MAX:
        raise Invalid(f"Số, ký hiệu dài quá {NUMBER_MAX} ký tự.", field="number")
    if not _STARTS_WITH_NUMBER.match(number):
        raise Invalid(
            "Số, ký hiệu bắt đầu bằng số của quyết định, ví dụ 125/QĐ-UBND.", field="number"
        )
    if form.decided_on > today:
        raise Invalid("Ngày quyết định không được sau hôm nay.", field="decided_on")
    if form.decided_on > scheduled_date:
        raise Invalid(
            f"Ngày quyết định không được sau ngày kiểm tra ({scheduled_date:%d/%m/%Y}).",
            field="decided_on",
        )
    name, title = _one_line(form.signer_name), _one_line(form.signer_title)
    if not name:
        raise Invalid("Nhập họ tên người ký quyết định.", field="signer_name")
    if not title:
        raise Invalid("Nhập chức vụ của người ký quyết định.", field="signer_title")
    if len(name) > NAME_MAX or len(title) > NAME_MAX:
        field = "signer_name" if len(name) > NAME_MAX else "signer_title"
        raise Invalid(f"Nội dung dài quá {NAME_MAX} ký tự.", field=field)
    return TeamDecisionForm(number, form.decided_on, name, title)


async def _editable(actor: Actor, inspection_id: int) -> InspectionRef:
    """The inspection if the actor is its trưởng đoàn or planned it (created it, or the
    plan it belongs to); others who may read it are refused."""
    ref = await readable_inspection(actor, inspection_id)
    lead = await InspectionMember.exists().where(
        InspectionMember.inspection == inspection_id,
        InspectionMember.user == actor.id,
        InspectionMember.role == MemberRole.TRUONG_DOAN,
    )
    row = (
        await Inspection.select(Inspection.created_by, Inspection.plan._.created_by)
        .where(Inspection.id == inspection_id)
        .first()
    )
    planners = {row["created_by"], row["plan.created_by"]} - {None} if row else set()
    if not lead and actor.id not in planners:
        raise Forbidden(
            "Chỉ trưởng đoàn hoặc người lập kế hoạch được ghi quyết định thành lập đoàn."
        )
    return ref


async def team_decision(actor: Actor, inspection_id: int) -> TeamDecision:
    """What is recorded, for the form (a sealed inspection's read is audited)."""
    ref = await _editable(actor, inspection_id)
    await audit_sealed_view(actor, ref, "plans.team_decision")
    row = (
        await Inspection.select(
            Inspection.team_decision_number,
            Inspection.team_decision_date,
            Inspection.team_decision_signer,
            Inspection.team_decision_signer_title,
        )
        .where(Inspection.id == inspection_id)
        .first()
    )
    assert row is not None  # _editable found it
    return TeamDecision(
        ref,
        row["team_decision_number"],
        row["team_decision_date"],
        row["team_decision_signer"],
        row["team_decision_signer_title"],
    )


def _audited(number: str | None, day: date | None, name: str, title: str) -> dict[str, str]:
    return {
        "number": number or "",
        "date": f"{day:%d/%m/%Y}" if day else "",
        "signer": name,
        "signer_title": title,
    }


async def record_team_decision(
    actor: Actor, inspection_id: int, form: TeamDecisionForm
) -> InspectionRef:
    """Ghi (or correct) the decision; the change is audited with what it replaced."""
    current = await team_decision(actor, inspection_id)
    clean = validate(form, current.inspection.scheduled_date, clock.today())
    before = _audited(current.number, current.decided_on, current.signer_name, current.signer_title)
    after = _audited(clean.number, clean.decided_on, clean.signer_name, clean.signer_title)
    if before == after:
        return current.inspection
    async with atomic():
        await Inspection.update(
            {
                Inspection.team_decision_number: clean.number,
                Inspection.team_decision_date: clean.decided_on,
                Inspection.team_decision_signer: clean.signer_name,
                Inspection.team_decision_signer_title: clean.signer_title,
            }
        ).where(Inspection.id == inspection_id)
        await audit.record(
            "team_decision_recorded",
            "inspection",
            inspection_id,
            actor=actor,
            before=before,
            after=after,
        )
    return current.inspection
