"""Opening a case (mở hồ sơ xử lý kỷ luật): from one or more confirmed findings of one
official (an inspection's or a late-dossier case's), read through the review's record,
or directly by the personnel office with a written description. More confirmed findings
join an open case until the council recommends (several violations, one decision:
NĐ 172/2025 Art. 2.2)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from congvu.inspect import clock, db
from congvu.inspect.actor import Actor
from congvu.inspect.audit import api as audit
from congvu.inspect.discipline.services.loading import NOT_FOUND, load, require_manager
from congvu.inspect.discipline.tables import CaseSource, CaseStage, DisciplineCase
from congvu.inspect.errors import Conflict, Invalid, NotFound
from congvu.inspect.inspections.tables import Finding
from congvu.inspect.organisation.tables import Official, OfficialCategory
from congvu.inspect.review import api as review
from congvu.rules.discipline import Category, Form, NoLimitation

CATEGORIES = {
    OfficialCategory.CAN_BO.value: Category.CAN_BO,
    OfficialCategory.CONG_CHUC.value: Category.CONG_CHUC,
    OfficialCategory.VIEN_CHUC.value: Category.VIEN_CHUC,
}
JOINABLE = (
    CaseStage.OPENED,
    CaseStage.REVIEW_MEETING,
    CaseStage.REPORT_SENT,
    CaseStage.COUNCIL_SET_UP,
    CaseStage.SUMMONED,
)


@dataclass(frozen=True)
class OpenCase:
    """What the personnel office gives to open a case. With findings, the official and
    the dates default to theirs: the act is the latest observation, the discovery the
    latest confirmation."""

    official_id: int | None = None
    finding_ids: Sequence[int] = field(default_factory=tuple)
    description: str = ""
    violation_on: date | None = None
    discovered_on: date | None = None
    merited: Form = Form.KHIEN_TRACH
    complex_case: bool = False
    no_limitation: NoLimitation | None = None  # an act without thời hiệu (NĐ 172 Art. 5.4)


@dataclass(frozen=True)
class _Joined:
    official_id: int
    findings: tuple[review.ConfirmedFinding, ...]
    texts: tuple[str, ...]


async def _confirmed(finding_ids: Sequence[int], official_id: int | None) -> _Joined:
    rows = await Finding.select(Finding.id, Finding.official, Finding.explanation_vi).where(
        Finding.id.is_in(list(finding_ids))
    )
    if len(rows) != len(set(finding_ids)):
        raise NotFound("Không tìm thấy phát hiện.")
    officials = {r["official"] for r in rows}
    if None in officials or len(officials) != 1:
        raise Invalid("Các phát hiện phải cùng về một cán bộ.", field="finding_ids")
    (official,) = officials
    if official_id is not None and official != official_id:
        raise Invalid("Phát hiện không phải về cán bộ của hồ sơ.", field="finding_ids")
    record = await review.official_record(official, date.min, date.max)
    confirmed = {f.finding_id: f for f in record.confirmed}
    missing = [i for i in finding_ids if i not in confirmed]
    if missing:
        raise Invalid(
            "Chỉ phát hiện đã được xác nhận là vi phạm mới được đưa vào hồ sơ kỷ luật.",
            field="finding_ids",
        )
    taken = await CaseSource.select(CaseSource.finding).where(
        CaseSource.finding.is_in(list(finding_ids))
    )
    if taken:
        raise Conflict("Phát hiện này đã thuộc một hồ sơ kỷ luật khác.", field="finding_ids")
    return _Joined(
        official,
        tuple(confirmed[i] for i in finding_ids),
        tuple(r["explanation_vi"] for r in rows),
    )


async def _sources(case_id: int, joined: _Joined) -> None:
    for f in joined.findings:
        await CaseSource.insert(
            CaseSource(
                case=case_id,
                finding=f.finding_id,
                dossier=f.dossier_id,
                violation_code=f.violation_code,
                observed_on=f.observed_on,
            )
        )


async def open_case(actor: Actor, cmd: OpenCase, *, today: date | None = None) -> int:
    require_manager(actor)
    today = today or clock.today()
    joined = await _confirmed(cmd.finding_ids, cmd.official_id) if cmd.finding_ids else None
    official_id = joined.official_id if joined else cmd.official_id
    if official_id is None:
        raise Invalid("Hãy chọn cán bộ bị xem xét kỷ luật.", field="official_id")
    description = cmd.description.strip() or (" ".join(joined.texts) if joined else "")
    if not description:
        raise Invalid("Hãy mô tả hành vi vi phạm.", field="description")
    rows = await Official.select(
        Official.id,
        Official.category,
        Official.is_leader,
        Official.unit,
        Official.unit.path.as_alias("unit_path"),
    ).where(Official.id == official_id)
    if not rows or not actor.can_see_unit_path(rows[0]["unit_path"]):
        raise NotFound("Không tìm thấy cán bộ.")
    official = rows[0]
    category = CATEGORIES.get(official["category"])
    if category is None:
        raise Invalid(
            "Người này không phải cán bộ, công chức, viên chức: không xử lý kỷ luật theo "
            "Nghị định 172/2025/NĐ-CP.",
            field="official_id",
        )
    violation_on = cmd.violation_on or (
        max(f.observed_on for f in joined.findings) if joined else None
    )
    discovered_on = cmd.discovered_on or (
        max(f.decided_on for f in joined.findings) if joined else None
    )
    if violation_on is None:
        raise Invalid("Hãy nhập ngày vi phạm.", field="violation_on")
    discovered_on = discovered_on or today
    if violation_on > today or discovered_on > today:
        raise Invalid(
            "Ngày vi phạm và ngày phát hiện không được sau hôm nay.", field="violation_on"
        )
    if discovered_on < violation_on:
        raise Invalid("Ngày phát hiện không được trước ngày vi phạm.", field="discovered_on")
    async with db.atomic():
        row = DisciplineCase(
            official=official_id,
            unit=official["unit"],
            category=category.value,
            leader=official["is_leader"],
            description=description,
            violation_on=violation_on,
            discovered_on=discovered_on,
            opened_on=today,
            merited=cmd.merited.value,
            complex_case=cmd.complex_case,
            no_limitation=cmd.no_limitation.value if cmd.no_limitation else None,
            stage=CaseStage.OPENED.value,
            opened_by=actor.id,
            updated_at=clock.now(),
        )
        await row.save()
        case_id = int(row.id)
        if joined:
            await _sources(case_id, joined)
        await audit.record(
            "discipline_case_opened",
            "discipline_case",
            case_id,
            actor=actor,
            after={
                "official": official_id,
                "findings": list(cmd.finding_ids),
                "violation_on": violation_on.isoformat(),
                "merited": cmd.merited.value,
                "no_limitation": cmd.no_limitation.value if cmd.no_limitation else None,
            },
        )
    return case_id


async def join_findings(actor: Actor, case_id: int, finding_ids: Sequence[int]) -> None:
    """Several violations, one case: a confirmed finding of the same official joins a case
    the council has not yet recommended on."""
    require_manager(actor)
    file = await load(actor, case_id)
    if file.stage not in JOINABLE:
        raise Conflict("Hội đồng đã kiến nghị: không thể thêm vi phạm vào hồ sơ này.")
    if not finding_ids:
        raise Invalid("Hãy chọn phát hiện.", field="finding_ids")
    joined = await _confirmed(finding_ids, file.case["official"])
    async with db.atomic():
        await _sources(case_id, joined)
        latest = max(f.observed_on for f in joined.findings)
        if latest > file.case["violation_on"]:
            await DisciplineCase.update({DisciplineCase.violation_on: latest}).where(
                DisciplineCase.id == case_id
            )
        await audit.record(
            "discipline_findings_joined",
            "discipline_case",
            case_id,
            actor=actor,
            after={"findings": list(finding_ids)},
        )


__all__ = ["NOT_FOUND", "OpenCase", "join_findings", "open_case"]
