"""The timeline of a case: every step with its deadline from the engine, the overall
handling limit (thời hạn, 90/150 days), the limitation check (thời hiệu) and the Party
decision's check, each with its explanation. Deferrals (tạm hoãn) stop every clock: a
step's deadline is pushed back by the deferred days that fall before it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from congvu.inspect.discipline.services.loading import CaseFile
from congvu.inspect.discipline.tables import CaseStage
from congvu.rules.discipline import (
    AllowedForms,
    Category,
    Form,
    FormVerdict,
    InForceDecision,
    LimitationVerdict,
    PartyDecisionVerdict,
    ProcedureStep,
    ProcessingVerdict,
    allowed_forms,
    decide_form,
    extend_by_pauses,
    limitation,
    party_decision_check,
    processing_deadline,
    step_deadline,
)
from congvu.rules.packs import format_date

# The procedure's steps in order (NĐ 172/2025 Arts. 16-21), after opening.
STEPS: tuple[CaseStage, ...] = (
    CaseStage.REVIEW_MEETING,
    CaseStage.REPORT_SENT,
    CaseStage.COUNCIL_SET_UP,
    CaseStage.SUMMONED,
    CaseStage.RECOMMENDED,
    CaseStage.DECIDED,
    CaseStage.NOTIFIED,
)

STAGE_LABELS: dict[CaseStage, str] = {
    CaseStage.OPENED: "Mở hồ sơ",
    CaseStage.REVIEW_MEETING: "Họp kiểm điểm",
    CaseStage.REPORT_SENT: "Gửi báo cáo, biên bản họp kiểm điểm",
    CaseStage.COUNCIL_SET_UP: "Thành lập Hội đồng kỷ luật",
    CaseStage.SUMMONED: "Gửi giấy triệu tập họp Hội đồng",
    CaseStage.RECOMMENDED: "Hội đồng kiến nghị hình thức kỷ luật",
    CaseStage.DECIDED: "Quyết định kỷ luật",
    CaseStage.NOTIFIED: "Thông báo quyết định",
    CaseStage.CLOSED: "Kết thúc, không kỷ luật",
}

EXCLUDED_KINDS: dict[str, str] = {
    "criminal": "điều tra, truy tố, xét xử theo thủ tục tố tụng hình sự",
    "complaint": "giải quyết khiếu nại, tố cáo",
}

DEFERRAL_REASONS: dict[str, str] = {
    "illness": "điều trị bệnh hiểm nghèo, ốm nặng điều trị nội trú",
    "maternity": "mang thai, nghỉ thai sản, nuôi con dưới 12 tháng tuổi",
    "detention": "bị khởi tố, tạm giữ, tạm giam",
}

# Which engine deadline each step carries, and which earlier step's day (or event) it
# counts from: (engine step, stage whose date starts the count, use that step's event day).
_ENGINE: dict[CaseStage, tuple[ProcedureStep, CaseStage, bool]] = {
    CaseStage.REPORT_SENT: (ProcedureStep.REVIEW_REPORT, CaseStage.REVIEW_MEETING, False),
    CaseStage.COUNCIL_SET_UP: (ProcedureStep.COUNCIL_SETUP, CaseStage.REPORT_SENT, False),
    CaseStage.SUMMONED: (ProcedureStep.SUMMONS, CaseStage.SUMMONED, True),
    CaseStage.RECOMMENDED: (
        ProcedureStep.COUNCIL_RECOMMENDATION,
        CaseStage.SUMMONED,
        True,
    ),
    CaseStage.DECIDED: (ProcedureStep.DECISION, CaseStage.RECOMMENDED, False),
}


# What a conviction skips (NĐ 172/2025 Art. 21.2): no kiểm điểm, no council.
SKIPPED_BY_CONVICTION: tuple[CaseStage, ...] = STEPS[: STEPS.index(CaseStage.DECIDED)]


def next_stage(stage: CaseStage) -> CaseStage | None:
    if stage is CaseStage.OPENED:
        return STEPS[0]
    if stage not in STEPS or stage is STEPS[-1]:
        return None
    return STEPS[STEPS.index(stage) + 1]


def next_stage_of(file: CaseFile) -> CaseStage | None:
    """The next step of this case: the decision straight away once a conviction is
    recorded on a case not yet decided, else the next step of the procedure."""
    if file.conviction is not None and file.stage in (CaseStage.OPENED, *SKIPPED_BY_CONVICTION):
        return CaseStage.DECIDED
    return next_stage(file.stage)


def conviction_form(file: CaseFile) -> Form:
    """The form a conviction imposes: the top of the person's ladder (buộc thôi việc for
    công chức and viên chức; bãi nhiệm for cán bộ)."""
    return forms_of(file).forms[-1]


@dataclass(frozen=True)
class StepDeadlineView:
    deadline: date
    paused_days: int
    on_time: bool | None
    explanation_vi: str
    explanation_en: str


@dataclass(frozen=True)
class StepRow:
    stage: CaseStage
    label: str
    done_on: date | None
    event_on: date | None
    note: str
    recorded_by: str | None
    deadline: StepDeadlineView | None
    skipped: bool = False  # not needed: a conviction goes straight to the decision


@dataclass(frozen=True)
class Timeline:
    file: CaseFile
    rows: tuple[StepRow, ...]
    next: CaseStage | None
    next_deadline: date | None
    overdue: bool
    limitation: LimitationVerdict
    processing: ProcessingVerdict
    party: PartyDecisionVerdict | None
    forms: AllowedForms
    suggestion: FormVerdict | None = None

    @property
    def stage_label(self) -> str:
        return STAGE_LABELS[self.file.stage]

    @property
    def next_label(self) -> str | None:
        return STAGE_LABELS[self.next] if self.next is not None else None


def step_deadline_for(
    file: CaseFile, stage: CaseStage, done_on: date | None, event_on: date | None = None
) -> StepDeadlineView | None:
    """The deadline of ``stage`` on this case, or None when the engine has none for it
    (the review meeting, the notification, the viên chức steps the NĐ 112/2020 pack does
    not number) or the day
    it counts from is not known yet. ``event_on`` is the council meeting day of a
    summons being recorded."""
    if stage not in _ENGINE:
        return None
    engine_step, origin, use_event = _ENGINE[stage]
    before = file.steps.get(origin)
    if stage is CaseStage.DECIDED and file.conviction is not None:
        engine_step, use_event, before = ProcedureStep.CONVICTION_TERMINATION, False, None
    if engine_step is ProcedureStep.CONVICTION_TERMINATION:
        assert file.conviction is not None
        start: date | None = file.conviction.received_on
    elif use_event:
        start = (
            event_on
            if stage is CaseStage.SUMMONED and event_on
            else (before.event_on if before else None)
        )
    else:
        start = before.done_on if before else None
    if start is None:
        return None
    try:
        verdict = step_deadline(engine_step, start, category=file.category)
    except LookupError:
        return None
    if engine_step is ProcedureStep.SUMMONS:
        # A summons is due *before* the meeting: a deferral does not move it.
        deadline, paused = verdict.deadline, 0
    else:
        deadline, paused = extend_by_pauses(start, verdict.deadline, file.pauses)
    vi, en = verdict.explanation_vi, verdict.explanation_en
    if paused:
        vi += f" Không tính {paused} ngày tạm hoãn: hạn lùi đến ngày {format_date(deadline)}."
        en += f" {paused} deferred days not counted: due by {format_date(deadline)}."
    on_time = None if done_on is None else done_on <= deadline
    return StepDeadlineView(deadline, paused, on_time, vi, en)


def limitation_of(file: CaseFile) -> LimitationVerdict:
    """Thời hiệu from the stored facts: the official's later violations restart it, the
    deferrals and excluded periods are not counted, a no-limitation act has none
    (NĐ 172/2025 Art. 5.1-5.4, 5.6)."""
    c = file.case
    return limitation(
        category=file.category,
        violation_on=c["violation_on"],
        notice_on=c["opened_on"],
        merited=file.merited,
        later_violations=file.other_violations,
        excluded=file.not_counted,
        exception=file.no_limitation,
    )


def processing_of(file: CaseFile) -> ProcessingVerdict:
    c = file.case
    return processing_deadline(
        category=file.category,
        discovered_on=c["discovered_on"],
        complex_case=c["complex_case"],
        excluded=file.not_counted,
        decided_on=c["decided_on"],
    )


def party_of(file: CaseFile, form: Form | None = None) -> PartyDecisionVerdict | None:
    c = file.case
    if not c["party_form"] or c["party_announced_on"] is None:
        return None
    try:
        return party_decision_check(
            category=file.category,
            party_form=Form(c["party_form"]),
            announced_on=c["party_announced_on"],
            started_on=c["opened_on"],
            form=form or (Form(c["decided_form"]) if c["decided_form"] else None),
        )
    except LookupError:
        return None


def forms_of(file: CaseFile) -> AllowedForms:
    return allowed_forms(
        Category(file.case["category"]), leader=file.case["leader"], on=file.case["opened_on"]
    )


def suggestion_of(file: CaseFile) -> FormVerdict | None:
    """The form the engine derives for the case: the highest of its violations (one
    decision for several, NĐ 172/2025 Art. 2.2) and one level higher when the act fell
    while an earlier decision was in force (Art. 2.3); None when the merited level is
    not a form for this person."""
    c = file.case
    merited = [file.merited] * max(1, len(file.sources))
    earlier = [p for p in file.prior if p.effective_on <= c["violation_on"]]
    in_force = None
    if earlier:
        last = earlier[-1]
        start = last.party_decided_on or last.effective_on
        in_force = InForceDecision(Form(last.form), start)
    try:
        return decide_form(
            merited,
            category=file.category,
            leader=c["leader"],
            on=c["opened_on"],
            in_force=in_force,
            new_violation_on=c["violation_on"],
        )
    except ValueError:
        return None


def timeline(file: CaseFile, today: date) -> Timeline:
    rows = []
    for stage in STEPS:
        done = file.steps.get(stage)
        rows.append(
            StepRow(
                stage=stage,
                label=STAGE_LABELS[stage],
                done_on=done.done_on if done else None,
                event_on=done.event_on if done else None,
                note=done.note if done else "",
                recorded_by=done.recorded_by if done else None,
                deadline=step_deadline_for(
                    file, stage, done.done_on if done else None, done.event_on if done else None
                ),
                skipped=(
                    done is None and file.conviction is not None and stage in SKIPPED_BY_CONVICTION
                ),
            )
        )
    processing = processing_of(file)
    upcoming = next_stage_of(file)
    next_deadline: date | None = None
    if upcoming is not None and file.stage is not CaseStage.CLOSED:
        own = step_deadline_for(file, upcoming, None)
        if own is not None:
            next_deadline = own.deadline
        elif file.case["decided_on"] is None:
            next_deadline = processing.deadline
    return Timeline(
        file=file,
        rows=tuple(rows),
        next=upcoming,
        next_deadline=next_deadline,
        overdue=next_deadline is not None and today > next_deadline,
        limitation=limitation_of(file),
        processing=processing,
        party=party_of(file),
        forms=forms_of(file),
        suggestion=suggestion_of(file),
    )
