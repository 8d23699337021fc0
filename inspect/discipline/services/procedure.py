"""The procedure as a state machine on the server (NĐ 172/2025 Arts. 16-21): each step
is allowed only after the one before it, on a day that is not in the future, not before
the previous step and not inside a deferral, and only while the limitation check
(thời hiệu) passes. Every step stores its day and who recorded it and is audited;
a refused step says why in Vietnamese.

kiểm điểm meeting → report and minutes sent → council set up (composition checked) →
summons (at least 5 working days before the meeting) → the council's recommendation →
the decision (form, number, day, signer; separation of duties) → notification.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from congvu.inspect import clock, db
from congvu.inspect.actor import Actor
from congvu.inspect.audit import api as audit
from congvu.inspect.discipline.services.convictions import basis as conviction_basis
from congvu.inspect.discipline.services.loading import CaseFile, load, require_manager
from congvu.inspect.discipline.services.separation import (
    decider_conflict,
    finding_people,
    member_conflict,
)
from congvu.inspect.discipline.services.timeline import (
    STAGE_LABELS,
    conviction_form,
    forms_of,
    limitation_of,
    next_stage_of,
    party_of,
)
from congvu.inspect.discipline.tables import CaseStage, CaseStep, CouncilMember, DisciplineCase
from congvu.inspect.errors import Conflict, Forbidden, Invalid
from congvu.rules.discipline import Form, ProcedureStep, step_deadline
from congvu.rules.discipline_council import composition_problem
from congvu.rules.packs import format_date


@dataclass(frozen=True)
class MemberInput:
    full_name: str
    duty: str
    account_id: int | None = None
    official_id: int | None = None
    relation: str | None = None  # a declared relation to the subject


@dataclass(frozen=True)
class DecisionInput:
    decided_on: date
    form: Form
    number: str
    signer: str
    effective_on: date | None = None
    duty_related: bool = True
    decider_account_id: int | None = None  # the signer's account; default: the actor


def _check_day(file: CaseFile, target: CaseStage, done_on: date, today: date) -> None:
    if done_on > today:
        raise Invalid("Ngày thực hiện không được sau hôm nay.", field="done_on")
    previous = [s.done_on for s in file.steps.values()] + [file.case["opened_on"]]
    if done_on < max(previous):
        raise Invalid(
            f"Ngày thực hiện không được trước bước trước ({format_date(max(previous))}).",
            field="done_on",
        )
    for d in file.deferrals:
        if d.start <= done_on <= d.end:
            raise Invalid(
                f"Hồ sơ đang tạm hoãn từ {format_date(d.start)} đến {format_date(d.end)}: "
                "chưa xem xét xử lý kỷ luật.",
                field="done_on",
            )


def _check_order(file: CaseFile, target: CaseStage) -> None:
    expected = next_stage_of(file)
    if expected is not target:
        now_label = STAGE_LABELS[file.stage].lower()
        if expected is None:
            raise Conflict(f"Hồ sơ đã ở bước cuối ({now_label}): không thể ghi thêm bước.")
        raise Conflict(
            f"Không thể ghi bước “{STAGE_LABELS[target].lower()}”: hồ sơ đang ở bước "
            f"“{now_label}”, bước tiếp theo là “{STAGE_LABELS[expected].lower()}”."
        )
    verdict = limitation_of(file)
    if not verdict.within:
        raise Conflict(f"Không thể tiếp tục xử lý: {verdict.explanation_vi}")


async def _advance(
    actor: Actor,
    case_id: int,
    target: CaseStage,
    done_on: date,
    *,
    today: date | None,
    event_on: date | None = None,
    note: str = "",
    updates: dict[Any, Any] | None = None,
    audit_after: dict[str, Any] | None = None,
    check: Any = None,
    also: Any = None,
) -> CaseFile:
    require_manager(actor)
    file = await load(actor, case_id)
    _check_order(file, target)
    _check_day(file, target, done_on, today or clock.today())
    if check is not None:
        await check(file)
    async with db.atomic():
        changed = (
            await DisciplineCase.update(
                {
                    DisciplineCase.stage: target.value,
                    DisciplineCase.updated_at: clock.now(),
                    **(updates or {}),
                }
            )
            .where(DisciplineCase.id == case_id, DisciplineCase.stage == file.stage.value)
            .returning(DisciplineCase.id)
        )
        if not changed:
            raise Conflict("Hồ sơ vừa được người khác cập nhật; hãy tải lại trang.")
        await CaseStep.insert(
            CaseStep(
                case=case_id,
                stage=target.value,
                done_on=done_on,
                event_on=event_on,
                note=note.strip(),
                recorded_by=actor.id,
                recorded_at=clock.now(),
            )
        )
        if also is not None:
            await also()
        await audit.record(
            f"discipline_{target.value}",
            "discipline_case",
            case_id,
            actor=actor,
            before={"stage": file.stage.value},
            after={"stage": target.value, "done_on": done_on.isoformat(), **(audit_after or {})},
        )
    return file


async def hold_review_meeting(
    actor: Actor, case_id: int, held_on: date, note: str, *, today: date | None = None
) -> None:
    """Họp kiểm điểm: notice, minutes, self-criticism, and the person's right to speak,
    recorded in ``note`` (the minutes' summary)."""
    if not note.strip():
        raise Invalid(
            "Hãy tóm tắt biên bản họp kiểm điểm và ý kiến của người bị kiểm điểm.", field="note"
        )
    await _advance(actor, case_id, CaseStage.REVIEW_MEETING, held_on, today=today, note=note)


async def send_report(
    actor: Actor, case_id: int, sent_on: date, note: str = "", *, today: date | None = None
) -> None:
    await _advance(actor, case_id, CaseStage.REPORT_SENT, sent_on, today=today, note=note)


async def set_up_council(
    actor: Actor,
    case_id: int,
    set_up_on: date,
    members: Sequence[MemberInput],
    *,
    today: date | None = None,
) -> None:
    for m in members:
        if not m.full_name.strip():
            raise Invalid("Hãy nhập họ tên từng thành viên Hội đồng.", field="members")

    async def check(file: CaseFile) -> None:
        people = await finding_people(file)
        for m in members:
            problem = member_conflict(
                file, people, m.full_name, m.account_id, m.official_id, m.relation
            )
            if problem:
                raise Invalid(problem, field="members")
        problem = composition_problem(file.category, [m.duty for m in members])
        if problem:
            raise Invalid(problem, field="members")

    async def also() -> None:
        for m in members:
            await CouncilMember.insert(
                CouncilMember(
                    case=case_id,
                    full_name=m.full_name.strip(),
                    duty=m.duty.strip(),
                    account=m.account_id,
                    official=m.official_id,
                    relation=m.relation,
                )
            )

    await _advance(
        actor,
        case_id,
        CaseStage.COUNCIL_SET_UP,
        set_up_on,
        today=today,
        check=check,
        also=also,
        note="; ".join(f"{m.full_name} ({m.duty})" for m in members),
        audit_after={"members": [m.full_name for m in members]},
    )


async def summon(
    actor: Actor, case_id: int, sent_on: date, meeting_on: date, *, today: date | None = None
) -> None:
    """Giấy triệu tập: sent at least 5 working days before the council meeting."""

    async def check(file: CaseFile) -> None:
        if meeting_on <= sent_on:
            raise Invalid("Ngày họp Hội đồng phải sau ngày gửi giấy triệu tập.", field="meeting_on")
        try:
            verdict = step_deadline(
                ProcedureStep.SUMMONS, meeting_on, category=file.category, done_on=sent_on
            )
        except LookupError:
            return
        if not verdict.on_time:
            raise Invalid(verdict.explanation_vi, field="done_on")

    await _advance(
        actor,
        case_id,
        CaseStage.SUMMONED,
        sent_on,
        today=today,
        event_on=meeting_on,
        check=check,
        audit_after={"meeting_on": meeting_on.isoformat()},
    )


async def recommend(
    actor: Actor,
    case_id: int,
    done_on: date,
    form: Form,
    note: str = "",
    *,
    today: date | None = None,
) -> None:
    """The council's written recommendation (kiến nghị) of a form, after its meeting."""

    async def check(file: CaseFile) -> None:
        meeting = file.steps[CaseStage.SUMMONED].event_on
        if meeting is not None and done_on < meeting:
            raise Invalid(
                f"Hội đồng họp ngày {format_date(meeting)}: kiến nghị không thể trước ngày họp.",
                field="done_on",
            )
        forms = forms_of(file)
        if form not in forms:
            raise Invalid(forms.explanation_vi, field="form")

    await _advance(
        actor,
        case_id,
        CaseStage.RECOMMENDED,
        done_on,
        today=today,
        note=note,
        check=check,
        updates={DisciplineCase.proposed_form: form.value},
        audit_after={"proposed_form": form.value},
    )


async def decide(
    actor: Actor, case_id: int, decision: DecisionInput, *, today: date | None = None
) -> None:
    """The competent authority's decision: form, number, day, signer."""
    if not decision.number.strip():
        raise Invalid("Hãy nhập số quyết định.", field="number")
    if not decision.signer.strip():
        raise Invalid("Hãy nhập người ký quyết định.", field="signer")
    decider = decision.decider_account_id or actor.id
    effective = decision.effective_on or decision.decided_on
    if effective < decision.decided_on:
        raise Invalid("Ngày có hiệu lực không được trước ngày quyết định.", field="effective_on")

    async def check(file: CaseFile) -> None:
        forms = forms_of(file)
        if decision.form not in forms:
            raise Invalid(forms.explanation_vi, field="form")
        if file.conviction is not None and decision.form is not conviction_form(file):
            raise Invalid(
                f"Đã có bản án số {file.conviction.judgment_number}: hình thức kỷ luật là "
                f"{conviction_form(file).label_vi} ({conviction_basis(file)}).",
                field="form",
            )
        party = party_of(file, decision.form)
        if party is not None and party.form_ok is False:
            raise Invalid(party.explanation_vi, field="form")
        problem = decider_conflict(
            file, await finding_people(file), decider, actor if decider == actor.id else None
        )
        if problem:
            raise Forbidden(problem)

    await _advance(
        actor,
        case_id,
        CaseStage.DECIDED,
        decision.decided_on,
        today=today,
        check=check,
        note=f"Quyết định số {decision.number.strip()}, người ký {decision.signer.strip()}",
        updates={
            DisciplineCase.decided_form: decision.form.value,
            DisciplineCase.decision_number: decision.number.strip(),
            DisciplineCase.decided_on: decision.decided_on,
            DisciplineCase.effective_on: effective,
            DisciplineCase.decision_signer: decision.signer.strip(),
            DisciplineCase.decider: decider,
            DisciplineCase.duty_related: decision.duty_related,
        },
        audit_after={
            "form": decision.form.value,
            "number": decision.number.strip(),
            "effective_on": effective.isoformat(),
            "decider": decider,
        },
    )


async def notify(
    actor: Actor, case_id: int, done_on: date, note: str = "", *, today: date | None = None
) -> None:
    await _advance(actor, case_id, CaseStage.NOTIFIED, done_on, today=today, note=note)


async def close(
    actor: Actor, case_id: int, closed_on: date, reason: str, *, today: date | None = None
) -> None:
    """Kết luận không vi phạm / không kỷ luật: a case not yet decided ends here."""
    require_manager(actor)
    if not reason.strip():
        raise Invalid("Hãy nêu lý do kết thúc hồ sơ.", field="reason")
    file = await load(actor, case_id)
    if file.stage in (CaseStage.DECIDED, CaseStage.NOTIFIED, CaseStage.CLOSED):
        raise Conflict("Hồ sơ đã có quyết định hoặc đã kết thúc.")
    _check_day(file, CaseStage.CLOSED, closed_on, today or clock.today())
    async with db.atomic():
        await DisciplineCase.update(
            {
                DisciplineCase.stage: CaseStage.CLOSED.value,
                DisciplineCase.closed_reason: reason.strip(),
                DisciplineCase.updated_at: clock.now(),
            }
        ).where(DisciplineCase.id == case_id)
        await CaseStep.insert(
            CaseStep(
                case=case_id,
                stage=CaseStage.CLOSED.value,
                done_on=closed_on,
                note=reason.strip(),
                recorded_by=actor.id,
                recorded_at=clock.now(),
            )
        )
        await audit.record(
            "discipline_closed",
            "discipline_case",
            case_id,
            actor=actor,
            before={"stage": file.stage.value},
            after={"stage": CaseStage.CLOSED.value},
            reason=reason.strip(),
        )
