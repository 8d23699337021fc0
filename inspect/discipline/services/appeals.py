"""Khiếu nại: the subject appeals a decision; the personnel office records the outcome.
An annulled decision (hủy quyết định) lifts its effects: ``standings`` leaves it out."""

from __future__ import annotations

from datetime import date

from congvu.inspect import clock, db
from congvu.inspect.actor import Actor
from congvu.inspect.audit import api as audit
from congvu.inspect.discipline.services.loading import load, require_manager
from congvu.inspect.discipline.tables import Appeal, AppealOutcome, CaseStage, DisciplineCase
from congvu.inspect.errors import Conflict, Forbidden, Invalid, NotFound

_DECIDED = (CaseStage.DECIDED, CaseStage.NOTIFIED)


async def submit_appeal(actor: Actor, case_id: int, text: str) -> int:
    file = await load(actor, case_id)
    if actor.official_id != file.case["official"]:
        raise Forbidden("Chỉ người bị kỷ luật mới được khiếu nại quyết định.")
    if file.stage not in _DECIDED or file.case["annulled_on"] is not None:
        raise Conflict("Chưa có quyết định kỷ luật để khiếu nại.")
    if not text.strip():
        raise Invalid("Hãy nêu nội dung khiếu nại.", field="text")
    async with db.atomic():
        row = Appeal(
            case=case_id, text=text.strip(), submitted_on=clock.today(), submitted_by=actor.id
        )
        await row.save()
        await audit.record(
            "discipline_appeal",
            "discipline_case",
            case_id,
            actor=actor,
            after={"appeal": int(row.id)},
        )
    return int(row.id)


async def decide_appeal(
    actor: Actor,
    case_id: int,
    appeal_id: int,
    outcome: AppealOutcome,
    reason: str,
    on: date | None = None,
) -> None:
    require_manager(actor)
    if not reason.strip():
        raise Invalid("Hãy nêu lý do giải quyết khiếu nại.", field="reason")
    file = await load(actor, case_id)
    appeal = next((a for a in file.appeals if a.id == appeal_id), None)
    if appeal is None:
        raise NotFound("Không tìm thấy đơn khiếu nại.")
    if appeal.outcome is not None:
        raise Conflict("Khiếu nại này đã được giải quyết.")
    day = on or clock.today()
    async with db.atomic():
        await Appeal.update(
            {
                Appeal.outcome: outcome.value,
                Appeal.outcome_on: day,
                Appeal.outcome_reason: reason.strip(),
                Appeal.outcome_by: actor.id,
            }
        ).where(Appeal.id == appeal_id)
        if outcome is AppealOutcome.ANNULLED:
            await DisciplineCase.update(
                {DisciplineCase.annulled_on: day, DisciplineCase.updated_at: clock.now()}
            ).where(DisciplineCase.id == case_id)
        await audit.record(
            "discipline_appeal_decided",
            "discipline_case",
            case_id,
            actor=actor,
            after={"appeal": appeal_id, "outcome": outcome.value},
            reason=reason.strip(),
        )
