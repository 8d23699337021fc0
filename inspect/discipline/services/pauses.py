"""Deferrals (tạm hoãn, chưa xem xét xử lý kỷ luật: NĐ 172/2025 Art. 3), periods not
counted in thời hiệu and thời hạn (criminal procedure, complaints: Art. 5.6) and a Party
decision recorded on a case (kỷ luật Đảng, Art. 2.6 and 2.9)."""

from __future__ import annotations

from datetime import date

from congvu.inspect import clock, db
from congvu.inspect.actor import Actor
from congvu.inspect.audit import api as audit
from congvu.inspect.discipline.services.loading import load, require_manager
from congvu.inspect.discipline.services.timeline import DEFERRAL_REASONS, EXCLUDED_KINDS
from congvu.inspect.discipline.tables import CaseStage, Deferral, DisciplineCase, ExcludedPeriod
from congvu.inspect.errors import Conflict, Invalid
from congvu.rules.discipline import Form
from congvu.rules.packs import format_date

_DONE = (CaseStage.DECIDED, CaseStage.NOTIFIED, CaseStage.CLOSED)


async def defer(actor: Actor, case_id: int, reason: str, start: date, end: date) -> None:
    """The clock stops from ``start`` to ``end`` (both included)."""
    require_manager(actor)
    if reason not in DEFERRAL_REASONS:
        raise Invalid("Hãy chọn lý do tạm hoãn.", field="reason")
    if end < start:
        raise Invalid("Ngày kết thúc tạm hoãn không được trước ngày bắt đầu.", field="end")
    file = await load(actor, case_id)
    if file.stage in _DONE:
        raise Conflict("Hồ sơ đã có quyết định hoặc đã kết thúc: không thể tạm hoãn.")
    for d in file.deferrals:
        if d.start <= end and start <= d.end:
            raise Invalid(
                f"Trùng với thời gian tạm hoãn từ {format_date(d.start)} đến {format_date(d.end)}.",
                field="start",
            )
    async with db.atomic():
        await Deferral.insert(
            Deferral(
                case=case_id,
                reason=reason,
                starts_on=start,
                ends_on=end,
                recorded_by=actor.id,
                recorded_at=clock.now(),
            )
        )
        await audit.record(
            "discipline_deferred",
            "discipline_case",
            case_id,
            actor=actor,
            after={"reason": reason, "start": start.isoformat(), "end": end.isoformat()},
        )


async def exclude_period(
    actor: Actor, case_id: int, kind: str, start: date, end: date, note: str = ""
) -> None:
    """A criminal-procedure or complaint period: thời hiệu and thời hạn do not count it
    (NĐ 172/2025 Art. 5.6). It is recorded even on a case past its thời hiệu, since it may be
    what brings the case back within it; the steps are not blocked by it."""
    require_manager(actor)
    if kind not in EXCLUDED_KINDS:
        raise Invalid("Hãy chọn loại thời gian không tính.", field="kind")
    if end < start:
        raise Invalid("Ngày kết thúc không được trước ngày bắt đầu.", field="end")
    if end > clock.today():
        raise Invalid("Chỉ ghi thời gian đã kết thúc (không sau hôm nay).", field="end")
    file = await load(actor, case_id)
    if file.stage in _DONE:
        raise Conflict("Hồ sơ đã có quyết định hoặc đã kết thúc.")
    for e in file.excluded:
        if e.start <= end and start <= e.end:
            raise Invalid(
                f"Trùng với thời gian đã ghi từ {format_date(e.start)} đến {format_date(e.end)}.",
                field="start",
            )
    async with db.atomic():
        await ExcludedPeriod.insert(
            ExcludedPeriod(
                case=case_id,
                kind=kind,
                starts_on=start,
                ends_on=end,
                note=note.strip(),
                recorded_by=actor.id,
                recorded_at=clock.now(),
            )
        )
        await audit.record(
            "discipline_excluded_period",
            "discipline_case",
            case_id,
            actor=actor,
            after={"kind": kind, "start": start.isoformat(), "end": end.isoformat()},
        )


async def record_party_decision(
    actor: Actor, case_id: int, form: Form, decided_on: date, announced_on: date
) -> None:
    """The Party decision for the same act: the administrative form may not be lighter,
    and the decision's 12-month effect runs from ``decided_on``."""
    require_manager(actor)
    if announced_on < decided_on:
        raise Invalid("Ngày công bố không được trước ngày quyết định.", field="announced_on")
    if decided_on > clock.today():
        raise Invalid("Ngày quyết định không được sau hôm nay.", field="decided_on")
    file = await load(actor, case_id)
    if file.stage in _DONE:
        raise Conflict("Hồ sơ đã có quyết định hoặc đã kết thúc.")
    async with db.atomic():
        await DisciplineCase.update(
            {
                DisciplineCase.party_form: form.value,
                DisciplineCase.party_decided_on: decided_on,
                DisciplineCase.party_announced_on: announced_on,
                DisciplineCase.updated_at: clock.now(),
            }
        ).where(DisciplineCase.id == case_id)
        await audit.record(
            "discipline_party_decision",
            "discipline_case",
            case_id,
            actor=actor,
            after={
                "form": form.value,
                "decided_on": decided_on.isoformat(),
                "announced_on": announced_on.isoformat(),
            },
        )
