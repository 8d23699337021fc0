"""Kỷ luật cán bộ, công chức, viên chức: allowed forms, thời hiệu, thời hạn, step deadlines,
tái phạm and the form to apply when violations meet.

Two pack topics, because the law split on 01/07/2025:

* ``discipline_cbcc`` (cán bộ, công chức): NĐ 112/2020/NĐ-CP as amended by NĐ 71/2023/NĐ-CP
  until 30/06/2025, then NĐ 172/2025/NĐ-CP, which repealed the cán bộ/công chức parts of the
  old decrees and dropped giáng chức and hạ bậc lương for công chức.
* ``discipline_vc`` (viên chức): still NĐ 112/2020 + NĐ 71/2023.

The pack is picked by the date the authority acts on (``on``): the notice date for thời hiệu,
the decision date for forms. NĐ 172 Art. 28.1 lets an authority apply the old law to a
pre-01/07/2025 violation when that favours the official; that comparison is the authority's
call and is not automated here: ask with an earlier ``on`` to see the old answer.

Counting terms. Months and years follow Bộ luật Dân sự 2015 Art. 147-148: the day of the event
is not counted and the term ends at the end of the corresponding day of its last month (the
last day of that month when it has no such day). A 5-year thời hiệu from 10/03/2020 therefore
still runs on 10/03/2025 and is over on 11/03/2025; a decision effective on 01/03/2025 is in
force until the end of 01/03/2026. Escalation and emulation use the same rule.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from typing import Any

from congvu.rules.calendar import WorkingCalendar, default_calendar
from congvu.rules.packs import RulePack, RuleRef, pack_for
from congvu.rules.packs import format_date as _d


def add_months(day: date, months: int) -> date:
    """The corresponding day ``months`` later (or earlier), clamped to the month's last day."""
    index = day.year * 12 + day.month - 1 + months
    year, month0 = divmod(index, 12)
    first_of_next = date(year + (month0 + 1) // 12, (month0 + 1) % 12 + 1, 1)
    last_day = (first_of_next - timedelta(days=1)).day
    return date(year, month0 + 1, min(day.day, last_day))


class Category(StrEnum):
    CAN_BO = "CAN_BO"
    CONG_CHUC = "CONG_CHUC"
    VIEN_CHUC = "VIEN_CHUC"


class Form(StrEnum):
    """Legal disciplinary forms (hình thức kỷ luật); which apply depends on the person and date."""

    KHIEN_TRACH = "KHIEN_TRACH"
    CANH_CAO = "CANH_CAO"
    HA_BAC_LUONG = "HA_BAC_LUONG"
    GIANG_CHUC = "GIANG_CHUC"
    CACH_CHUC = "CACH_CHUC"
    BUOC_THOI_VIEC = "BUOC_THOI_VIEC"
    BAI_NHIEM = "BAI_NHIEM"

    @property
    def label_vi(self) -> str:
        return _FORM_LABELS[self][0]

    @property
    def label_en(self) -> str:
        return _FORM_LABELS[self][1]


_FORM_LABELS: dict[Form, tuple[str, str]] = {
    Form.KHIEN_TRACH: ("khiển trách", "reprimand"),
    Form.CANH_CAO: ("cảnh cáo", "warning"),
    Form.HA_BAC_LUONG: ("hạ bậc lương", "salary-step reduction"),
    Form.GIANG_CHUC: ("giáng chức", "demotion"),
    Form.CACH_CHUC: ("cách chức", "removal from office"),
    Form.BUOC_THOI_VIEC: ("buộc thôi việc", "forced termination"),
    Form.BAI_NHIEM: ("bãi nhiệm", "dismissal from elected office"),
}


class NoLimitation(StrEnum):
    """Violations to which no thời hiệu applies (NĐ 172 Art. 5.4; NĐ 112 Art. 6)."""

    PARTY_EXPULSION = "PARTY_EXPULSION"
    INTERNAL_POLITICAL_PROTECTION = "INTERNAL_POLITICAL_PROTECTION"
    NATIONAL_INTEREST = "NATIONAL_INTEREST"
    FAKE_CREDENTIALS = "FAKE_CREDENTIALS"

    @property
    def label_vi(self) -> str:
        return _NO_LIMITATION_LABELS[self][0]

    @property
    def label_en(self) -> str:
        return _NO_LIMITATION_LABELS[self][1]


_NO_LIMITATION_LABELS: dict[NoLimitation, tuple[str, str]] = {
    NoLimitation.PARTY_EXPULSION: (
        "đảng viên vi phạm đến mức phải kỷ luật bằng hình thức khai trừ",
        "a Party member whose violation merits expulsion",
    ),
    NoLimitation.INTERNAL_POLITICAL_PROTECTION: (
        "vi phạm quy định về công tác bảo vệ chính trị nội bộ",
        "a breach of internal political protection rules",
    ),
    NoLimitation.NATIONAL_INTEREST: (
        "xâm hại lợi ích quốc gia, dân tộc trong lĩnh vực quốc phòng, an ninh, đối ngoại",
        "harm to national interests in defence, security or foreign affairs",
    ),
    NoLimitation.FAKE_CREDENTIALS: (
        "sử dụng văn bằng, chứng chỉ, giấy chứng nhận, xác nhận giả hoặc không hợp pháp",
        "use of fake or unlawful diplomas, certificates or attestations",
    ),
}


class ProcedureStep(StrEnum):
    """Steps of the procedure that carry a working-day limit (NĐ 172 Arts. 17-21 for công
    chức; NĐ 112 Art. 37 for viên chức, where the pack encodes the ones it could read)."""

    REVIEW_REPORT = "REVIEW_REPORT"
    COUNCIL_SETUP = "COUNCIL_SETUP"
    SUMMONS = "SUMMONS"
    COUNCIL_RECOMMENDATION = "COUNCIL_RECOMMENDATION"
    DECISION = "DECISION"
    # Buộc thôi việc after a conviction (prison without suspension, or corruption): no
    # council, a decision within the limit from receipt of the judgment (NĐ 172 Art. 21.2).
    CONVICTION_TERMINATION = "CONVICTION_TERMINATION"


# What each step is, and which event its count starts from (vi, en).
_STEP_TEXT: dict[ProcedureStep, tuple[str, str, str, str]] = {
    ProcedureStep.REVIEW_REPORT: (
        "gửi báo cáo và biên bản họp kiểm điểm",
        "sending the review-meeting report and minutes",
        "ngày kết thúc cuộc họp kiểm điểm",
        "the end of the review meeting",
    ),
    ProcedureStep.COUNCIL_SETUP: (
        "thành lập Hội đồng kỷ luật",
        "setting up the disciplinary council",
        "ngày nhận báo cáo và biên bản họp kiểm điểm",
        "receipt of the review report and minutes",
    ),
    ProcedureStep.SUMMONS: (
        "gửi giấy triệu tập họp Hội đồng kỷ luật",
        "sending the summons to the council meeting",
        "ngày họp Hội đồng kỷ luật",
        "the council meeting",
    ),
    ProcedureStep.COUNCIL_RECOMMENDATION: (
        "Hội đồng kỷ luật kiến nghị bằng văn bản",
        "the council's written recommendation",
        "ngày kết thúc cuộc họp Hội đồng kỷ luật",
        "the end of the council meeting",
    ),
    ProcedureStep.DECISION: (
        "ra quyết định kỷ luật hoặc kết luận không vi phạm",
        "the disciplinary decision or a finding of no violation",
        "ngày nhận văn bản kiến nghị",
        "receipt of the recommendation",
    ),
    ProcedureStep.CONVICTION_TERMINATION: (
        "ra quyết định buộc thôi việc sau bản án (phạt tù không hưởng án treo hoặc tham nhũng)",
        "the forced-termination decision after a conviction (prison without suspension, "
        "or corruption)",
        "ngày nhận được bản án, quyết định đã có hiệu lực pháp luật",
        "receipt of the final judgment",
    ),
}


@dataclass(frozen=True)
class DateRange:
    """Closed range of days, e.g. a deferral (chưa xem xét xử lý kỷ luật, NĐ 172 Art. 3)."""

    start: date
    end: date

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError(f"range ends ({self.end}) before it starts ({self.start})")

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


def _merge(ranges: Iterable[DateRange]) -> list[DateRange]:
    merged: list[DateRange] = []
    for r in sorted(ranges, key=lambda r: r.start):
        if merged and r.start <= merged[-1].end + timedelta(days=1):
            last = merged.pop()
            r = DateRange(last.start, max(last.end, r.end))
        merged.append(r)
    return merged


def _excluded_days(after: date, until: date, ranges: Sequence[DateRange]) -> int:
    total = 0
    for r in ranges:
        lo, hi = max(r.start, after + timedelta(days=1)), min(r.end, until)
        if lo <= hi:
            total += (hi - lo).days + 1
    return total


def _extend(start: date, end: date, excluded: Iterable[DateRange]) -> tuple[date, int]:
    """Push ``end`` back by every excluded day inside (start, end]. Repeats until stable
    because the pushed end may take in further excluded days."""
    ranges = _merge(excluded)
    extra = 0
    while True:
        counted = _excluded_days(start, end + timedelta(days=extra), ranges)
        if counted == extra:
            return end + timedelta(days=extra), extra
        extra = counted


def discipline_pack(category: Category, on: date) -> RulePack:
    topic = "discipline_vc" if category is Category.VIEN_CHUC else "discipline_cbcc"
    return pack_for(topic, on)


def _sourced(text: str, source: str) -> str:
    """``text`` with its source in brackets before the final full stop."""
    return f"{text.rstrip('.')} ({source})."


def _decree(pack: RulePack) -> str:
    return pack.legal_basis[0].document


def _ladder(pack: RulePack, category: Category, leader: bool) -> tuple[Form, ...]:
    by_category: dict[str, Any] = pack.parameters["forms"]
    if category.value not in by_category:
        raise ValueError(f"pack {pack.id} has no forms for {category}")
    return tuple(Form(f) for f in by_category[category.value]["leader" if leader else "staff"])


def _forms_vi(forms: Iterable[Form]) -> str:
    return ", ".join(f.label_vi for f in forms)


def _forms_en(forms: Iterable[Form]) -> str:
    return ", ".join(f.label_en for f in forms)


def _who(category: Category, leader: bool) -> tuple[str, str]:
    vi = {
        Category.CAN_BO: "cán bộ",
        Category.CONG_CHUC: "công chức",
        Category.VIEN_CHUC: "viên chức",
    }
    en = {
        Category.CAN_BO: "cán bộ",
        Category.CONG_CHUC: "civil servant",
        Category.VIEN_CHUC: "public employee",
    }
    if leader:
        return (
            f"{vi[category]} giữ chức vụ lãnh đạo, quản lý",
            f"{en[category]} holding a leadership post",
        )
    return (
        f"{vi[category]} không giữ chức vụ lãnh đạo, quản lý",
        f"{en[category]} without a leadership post",
    )


# --- allowed forms -------------------------------------------------------------------------


@dataclass(frozen=True)
class AllowedForms:
    """Forms the law allows for this person on this date, lightest first (the ladder that
    "one level above" climbs)."""

    forms: tuple[Form, ...]
    rule: RuleRef
    explanation_vi: str
    explanation_en: str

    def __contains__(self, form: object) -> bool:
        return form in self.forms


def allowed_forms(category: Category, *, leader: bool, on: date) -> AllowedForms:
    pack = discipline_pack(category, on)
    forms = _ladder(pack, category, leader)
    who_vi, who_en = _who(category, leader)
    return AllowedForms(
        forms=forms,
        rule=pack.ref(),
        explanation_vi=(
            f"Ngày {_d(on)}, theo {_decree(pack)}, {who_vi} có thể bị áp dụng các hình thức "
            f"kỷ luật: {_forms_vi(forms)}."
        ),
        explanation_en=(
            f"On {_d(on)}, under {_decree(pack)}, a {who_en} may be given: {_forms_en(forms)}."
        ),
    )


# --- thời hiệu (limitation) -----------------------------------------------------------------


@dataclass(frozen=True)
class LimitationVerdict:
    """Whether the notice of disciplinary consideration came within thời hiệu.

    ``expires_on`` is the last day the notice may be issued (None: no limitation applies);
    ``counted_from`` is the violation date or the date it was restarted from."""

    within: bool
    expires_on: date | None
    counted_from: date
    years: int | None
    restarted: bool
    excluded_days: int
    rule: RuleRef
    explanation_vi: str
    explanation_en: str


def limitation(
    *,
    category: Category,
    violation_on: date,
    notice_on: date,
    merited: Form,
    later_violations: Iterable[date] = (),
    excluded: Iterable[DateRange] = (),
    exception: NoLimitation | None = None,
) -> LimitationVerdict:
    """Thời hiệu xử lý kỷ luật (NĐ 172 Art. 5.1-5.4, 5.6; NĐ 112 Art. 6).

    ``violation_on`` is when the act ended (or the competent conclusion, Art. 5.2);
    ``merited`` decides 5 years (khiển trách) or 10 years (anything heavier);
    ``later_violations`` restart the count when they fall inside the running period;
    ``excluded`` are deferral, criminal-procedure and complaint periods, not counted."""
    pack = discipline_pack(category, notice_on)
    decree = _decree(pack)
    if exception is not None:
        return LimitationVerdict(
            within=True,
            expires_on=None,
            counted_from=violation_on,
            years=None,
            restarted=False,
            excluded_days=0,
            rule=pack.ref(),
            explanation_vi=(
                f"Không áp dụng thời hiệu xử lý kỷ luật đối với hành vi {exception.label_vi} "
                f"({decree})."
            ),
            explanation_en=f"No limitation period applies to {exception.label_en} ({decree}).",
        )
    p = pack.parameters["limitation_years"]
    years = int(p["KHIEN_TRACH"] if merited is Form.KHIEN_TRACH else p["OTHER"])
    ranges = list(excluded)
    start = violation_on
    expires, skipped = _extend(start, add_months(start, years * 12), ranges)
    restarted = False
    for later in sorted(v for v in later_violations if v > violation_on):
        if later > expires:
            break
        # A new violation inside the running period restarts the count (Art. 5.1, last sentence).
        start, restarted = later, True
        expires, skipped = _extend(start, add_months(start, years * 12), ranges)
    within = notice_on <= expires
    level_vi = "khiển trách" if merited is Form.KHIEN_TRACH else "từ cảnh cáo trở lên"
    level_en = "a reprimand" if merited is Form.KHIEN_TRACH else "more than a reprimand"
    vi = [f"Hành vi vi phạm ngày {_d(violation_on)} ở mức {level_vi}: thời hiệu {years} năm."]
    en = [f"The violation of {_d(violation_on)} merits {level_en}: limitation {years} years."]
    if restarted:
        vi.append(f"Thời hiệu được tính lại từ ngày {_d(start)} do có hành vi vi phạm mới.")
        en.append(f"The period restarted on {_d(start)} because of a new violation.")
    if skipped:
        vi.append(f"Không tính {skipped} ngày chưa xem xét kỷ luật, tố tụng hoặc khiếu nại.")
        en.append(f"{skipped} days of deferral, criminal procedure or complaint are not counted.")
    vi.append(f"Thời hiệu kết thúc cuối ngày {_d(expires)}; thông báo ngày {_d(notice_on)}")
    en.append(f"The period ends at the end of {_d(expires)}; the notice of {_d(notice_on)}")
    vi[-1] += " còn trong thời hiệu." if within else " đã hết thời hiệu."
    en[-1] += " is in time." if within else " is out of time."
    return LimitationVerdict(
        within=within,
        expires_on=expires,
        counted_from=start,
        years=years,
        restarted=restarted,
        excluded_days=skipped,
        rule=pack.ref(),
        explanation_vi=_sourced(" ".join(vi), decree),
        explanation_en=_sourced(" ".join(en), decree),
    )


# --- thời hạn (processing limit) ------------------------------------------------------------


@dataclass(frozen=True)
class ProcessingVerdict:
    """Thời hạn xử lý kỷ luật: from discovery to decision. ``within`` is None until decided."""

    deadline: date
    limit_days: int
    excluded_days: int
    within: bool | None
    rule: RuleRef
    explanation_vi: str
    explanation_en: str


def processing_deadline(
    *,
    category: Category,
    discovered_on: date,
    complex_case: bool = False,
    excluded: Iterable[DateRange] = (),
    decided_on: date | None = None,
) -> ProcessingVerdict:
    """90 days from discovery, up to 150 for a complex case that needs verification
    (NĐ 172 Art. 5.5); deferral, criminal-procedure and complaint periods are not counted
    (Art. 5.6). Calendar days: the decree counts "ngày", not working days."""
    pack = discipline_pack(category, discovered_on)
    p = pack.parameters["processing_days"]
    limit = int(p["COMPLEX"] if complex_case else p["NORMAL"])
    deadline, skipped = _extend(discovered_on, discovered_on + timedelta(days=limit), excluded)
    within = None if decided_on is None else decided_on <= deadline
    vi = f"Phát hiện vi phạm ngày {_d(discovered_on)}; thời hạn xử lý {limit} ngày"
    en = f"Discovered on {_d(discovered_on)}; processing limit {limit} days"
    if complex_case:
        vi += " (vụ việc phức tạp)"
        en += " (complex case)"
    if skipped:
        vi += f", không tính {skipped} ngày tạm hoãn"
        en += f", {skipped} deferred days not counted"
    vi += f": phải có quyết định chậm nhất ngày {_d(deadline)}."
    en += f": a decision is due by {_d(deadline)}."
    if decided_on is not None:
        vi += f" Quyết định ngày {_d(decided_on)} " + (
            "đúng thời hạn." if within else "quá thời hạn."
        )
        en += f" The decision of {_d(decided_on)} is " + ("in time." if within else "late.")
    return ProcessingVerdict(
        deadline=deadline,
        limit_days=limit,
        excluded_days=skipped,
        within=within,
        rule=pack.ref(),
        explanation_vi=_sourced(vi, _decree(pack)),
        explanation_en=_sourced(en, _decree(pack)),
    )


# --- step deadlines -------------------------------------------------------------------------


@dataclass(frozen=True)
class StepDeadline:
    """Deadline of one procedure step. For SUMMONS, ``event_on`` is the meeting day and
    ``deadline`` the last day the summons may be sent; otherwise the step must be done by
    ``deadline``. ``on_time`` is None until ``done_on`` is known."""

    step: ProcedureStep
    event_on: date
    working_days: int
    deadline: date
    done_on: date | None
    on_time: bool | None
    calendar_version: str
    rule: RuleRef
    explanation_vi: str
    explanation_en: str


def step_deadline(
    step: ProcedureStep,
    event_on: date,
    *,
    category: Category = Category.CONG_CHUC,
    done_on: date | None = None,
    calendar: WorkingCalendar | None = None,
) -> StepDeadline:
    """Working-day limits of NĐ 172 Arts. 17.4 (3), 18.1 (5), 20.1.a (5 before), 21.1.a (5)
    and 21.1.b (5); for viên chức those of NĐ 112 Art. 37.1 (5, 5) as amended by NĐ 71/2023.
    A pack without ``steps`` (NĐ 112 before 20/09/2023) or a step whose ``working_days`` is
    null (the text read is silent, or its number could not be read) raises ``LookupError``
    with the pack's note: no number is invented."""
    pack = discipline_pack(category, event_on)
    steps = pack.parameters.get("steps")
    if not steps:
        raise LookupError(f"pack {pack.id} v{pack.version} encodes no procedure step deadlines")
    entry = steps.get(step.value) or {}
    if entry.get("working_days") is None:
        why = entry.get("note", "the step is not in the pack")
        raise LookupError(f"pack {pack.id} v{pack.version} encodes no limit for {step}: {why}")
    cal = calendar or default_calendar()
    n = int(entry["working_days"])
    article = entry["article"]
    what_vi, what_en, from_vi, from_en = _STEP_TEXT[step]
    if step is ProcedureStep.SUMMONS:
        # The meeting day is not counted (Civil Code Art. 147): the n-th working day before
        # it is the last day the summons may go out.
        deadline = cal.add_working_days(event_on, -n)
        vi = (
            f"Hạn {what_vi}: chậm nhất {n} ngày làm việc trước {from_vi} {_d(event_on)}, "
            f"tức ngày {_d(deadline)}."
        )
        en = (
            f"Deadline for {what_en}: at least {n} working days before {from_en} on "
            f"{_d(event_on)}, i.e. by {_d(deadline)}."
        )
    else:
        deadline = cal.add_working_days(event_on, n)
        vi = (
            f"Hạn {what_vi}: {n} ngày làm việc kể từ {from_vi} {_d(event_on)}, "
            f"tức ngày {_d(deadline)}."
        )
        en = (
            f"Deadline for {what_en}: {n} working days from {from_en} on {_d(event_on)}, "
            f"i.e. {_d(deadline)}."
        )
    on_time = None if done_on is None else done_on <= deadline
    if done_on is not None:
        vi += f" Thực hiện ngày {_d(done_on)}: " + ("đúng hạn." if on_time else "quá hạn.")
        en += f" Done on {_d(done_on)}: " + ("on time." if on_time else "late.")
    return StepDeadline(
        step=step,
        event_on=event_on,
        working_days=n,
        deadline=deadline,
        done_on=done_on,
        on_time=on_time,
        calendar_version=cal.version,
        rule=pack.ref(),
        explanation_vi=_sourced(vi, f"{article} {_decree(pack)}"),
        explanation_en=_sourced(en, f"{article}, {_decree(pack)}"),
    )


# --- effect, tái phạm, combining violations --------------------------------------------------


@dataclass(frozen=True)
class EffectVerdict:
    """A decision is in force from ``effective_on`` to the end of ``ends_on`` (12 months) and
    then lapses on its own if no new violation occurs (NĐ 172 Art. 2.9)."""

    effective_on: date
    ends_on: date
    in_force: bool
    rule: RuleRef
    explanation_vi: str
    explanation_en: str


def decision_effect(
    effective_on: date,
    *,
    category: Category,
    on: date,
    party_decided_on: date | None = None,
) -> EffectVerdict:
    """The 12-month effect of a decision. When the person was first disciplined by the
    Party for the same act, the effect runs from the Party decision's date instead
    (NĐ 172 Art. 2.9)."""
    start = party_decided_on or effective_on
    pack = discipline_pack(category, start)
    months = int(pack.parameters["effect_months"])
    ends = add_months(start, months)
    in_force = start <= on <= ends
    state_vi = (
        "còn hiệu lực" if in_force else "không còn hiệu lực" if on > ends else "chưa có hiệu lực"
    )
    state_en = "in force" if in_force else "no longer in force" if on > ends else "not yet in force"
    if party_decided_on is None:
        from_vi, from_en = f"từ ngày {_d(start)}", f"from {_d(start)}"
    else:
        from_vi = f"tính từ ngày có quyết định kỷ luật Đảng {_d(start)}"
        from_en = f"counted from the Party decision of {_d(start)}"
    return EffectVerdict(
        effective_on=start,
        ends_on=ends,
        in_force=in_force,
        rule=pack.ref(),
        explanation_vi=(
            f"Quyết định kỷ luật có hiệu lực {months} tháng {from_vi} đến hết "
            f"ngày {_d(ends)}; ngày {_d(on)} quyết định {state_vi} ({_decree(pack)})."
        ),
        explanation_en=(
            f"The decision is effective for {months} months {from_en} to the end "
            f"of {_d(ends)}; on {_d(on)} it is {state_en} ({_decree(pack)})."
        ),
    )


# --- a Party decision first ------------------------------------------------------------------


@dataclass(frozen=True)
class PartyDecisionVerdict:
    """After a Party disciplinary decision (kỷ luật Đảng) for the same act, the administrative
    process must start within ``start_days`` of its announcement, by ``start_by``, and its
    form must not be lighter (NĐ 172 Art. 2.6). ``started_in_time`` / ``form_ok`` are None
    until the start day / the administrative form is known."""

    start_by: date
    start_days: int
    started_in_time: bool | None
    form_ok: bool | None
    rule: RuleRef
    explanation_vi: str
    explanation_en: str

    @property
    def ok(self) -> bool:
        return self.started_in_time is not False and self.form_ok is not False


def party_decision_check(
    *,
    category: Category,
    party_form: Form,
    announced_on: date,
    started_on: date | None = None,
    form: Form | None = None,
) -> PartyDecisionVerdict:
    """``party_form`` is the administrative form commensurate with the Party's (the
    personnel office's reading of it); ``started_on`` the day the administrative process
    started; ``form`` the form proposed or decided."""
    pack = discipline_pack(category, announced_on)
    p = pack.parameters.get("party_decision")
    if not p:
        raise LookupError(f"pack {pack.id} v{pack.version} encodes no Party-decision rule")
    days = int(p["start_days"])
    article = p["article"]
    start_by = announced_on + timedelta(days=days)
    vi = [
        f"Đã có quyết định kỷ luật Đảng (tương ứng {party_form.label_vi}) công bố ngày "
        f"{_d(announced_on)}: phải bắt đầu xử lý kỷ luật hành chính trong {days} ngày, "
        f"chậm nhất ngày {_d(start_by)}."
    ]
    en = [
        f"A Party decision (matching {party_form.label_en}) was announced on "
        f"{_d(announced_on)}: the administrative process must start within {days} days, "
        f"by {_d(start_by)}."
    ]
    started_in_time = None if started_on is None else started_on <= start_by
    if started_on is not None:
        vi.append(
            f"Bắt đầu ngày {_d(started_on)}: " + ("đúng hạn." if started_in_time else "quá hạn.")
        )
        en.append(f"Started on {_d(started_on)}: " + ("in time." if started_in_time else "late."))
    form_ok = None if form is None else _SEVERITY[form] >= _SEVERITY[party_form]
    if form is not None:
        if form_ok:
            vi.append(f"Hình thức {form.label_vi} không nhẹ hơn kỷ luật Đảng.")
            en.append(f"The form {form.label_en} is not lighter than the Party's.")
        else:
            vi.append(f"Hình thức {form.label_vi} nhẹ hơn kỷ luật Đảng: không được áp dụng.")
            en.append(f"The form {form.label_en} is lighter than the Party's: not allowed.")
    return PartyDecisionVerdict(
        start_by=start_by,
        start_days=days,
        started_in_time=started_in_time,
        form_ok=form_ok,
        rule=pack.ref(),
        explanation_vi=_sourced(" ".join(vi), f"{article} {_decree(pack)}"),
        explanation_en=_sourced(" ".join(en), f"{article}, {_decree(pack)}"),
    )


def extend_by_pauses(start: date, end: date, paused: Iterable[DateRange]) -> tuple[date, int]:
    """``end`` pushed back by every paused day after ``start`` (a deferral, tạm hoãn), and
    how many days that was: the clock stops while a deferral runs (NĐ 172 Art. 3, 5.6)."""
    return _extend(start, end, paused)


@dataclass(frozen=True)
class RepeatVerdict:
    """Tái phạm: the same violation again within 12 months of the first decision's effect."""

    repeat: bool
    window_ends: date
    rule: RuleRef
    explanation_vi: str
    explanation_en: str


def is_repeat(
    *,
    category: Category,
    first_decision_effective_on: date,
    same_violation: bool,
    new_violation_on: date,
) -> RepeatVerdict:
    pack = discipline_pack(category, first_decision_effective_on)
    months = int(pack.parameters["repeat_months"])
    ends = add_months(first_decision_effective_on, months)
    inside = first_decision_effective_on <= new_violation_on <= ends
    repeat = same_violation and inside
    if repeat:
        vi = f"Tái phạm: vi phạm lại hành vi đã bị kỷ luật trong {months} tháng"
        en = f"Repeat offence (tái phạm): the same violation within {months} months"
    elif not same_violation:
        vi = "Không phải tái phạm: hành vi mới khác hành vi đã bị kỷ luật"
        en = "Not a repeat offence: the new violation differs from the one disciplined"
    else:
        vi = f"Không phải tái phạm: vi phạm ngoài thời hạn {months} tháng"
        en = f"Not a repeat offence: outside the {months}-month window"
    vi += (
        f" (quyết định có hiệu lực ngày {_d(first_decision_effective_on)}, thời hạn đến hết ngày "
        f"{_d(ends)}; vi phạm mới ngày {_d(new_violation_on)}; {_decree(pack)})."
    )
    en += (
        f" (decision effective {_d(first_decision_effective_on)}, window ends {_d(ends)}; "
        f"new violation on {_d(new_violation_on)}; {_decree(pack)})."
    )
    return RepeatVerdict(
        repeat=repeat, window_ends=ends, rule=pack.ref(), explanation_vi=vi, explanation_en=en
    )


@dataclass(frozen=True)
class InForceDecision:
    """A disciplinary decision already imposed on the person."""

    form: Form
    effective_on: date


class FormBasis(StrEnum):
    MERITED = "MERITED"  # one violation, nothing in force
    HIGHEST = "HIGHEST"  # several violations: the highest merited form (NĐ 172 Art. 2.2)
    ONE_ABOVE_HIGHEST = "ONE_ABOVE_HIGHEST"  # several violations under NĐ 112: one level up
    ONE_ABOVE_CURRENT = "ONE_ABOVE_CURRENT"  # in force, new merits <= current (Art. 2.3.a)
    ONE_ABOVE_MERITED = "ONE_ABOVE_MERITED"  # in force, new merits > current (Art. 2.3.b)


@dataclass(frozen=True)
class FormVerdict:
    form: Form
    basis: FormBasis
    rule: RuleRef
    explanation_vi: str
    explanation_en: str


_SEVERITY = {form: rank for rank, form in enumerate(Form)}


def _nearest_rung(ladder: tuple[Form, ...], form: Form) -> Form:
    """``form`` itself, or for a form the ladder no longer has (giáng chức, hạ bậc lương
    imposed before 01/07/2025) the heaviest lighter rung, so that "one level above" lands
    where it did under the old ladder."""
    return max((f for f in ladder if _SEVERITY[f] <= _SEVERITY[form]), key=ladder.index)


def _one_above(ladder: tuple[Form, ...], form: Form) -> Form:
    # The top of the ladder (buộc thôi việc, bãi nhiệm) has nothing above it.
    return ladder[min(ladder.index(form) + 1, len(ladder) - 1)]


def decide_form(
    merited: Sequence[Form],
    *,
    category: Category,
    leader: bool,
    on: date,
    in_force: InForceDecision | None = None,
    new_violation_on: date | None = None,
) -> FormVerdict:
    """The one form to impose on ``on`` for the violations considered together.

    ``merited`` holds the form each violation merits on its own (a council judgment). Several
    violations give one decision: the highest (NĐ 172 Art. 2.2), or one level above it under
    NĐ 112. If ``in_force`` was still in force on ``new_violation_on`` (default ``on``), the
    result is one level above the current form, or above the heavier merited one (Art. 2.3)."""
    if not merited:
        raise ValueError("at least one merited form is needed")
    pack = discipline_pack(category, on)
    ladder = _ladder(pack, category, leader)
    who_vi, who_en = _who(category, leader)
    for form in merited:
        if form not in ladder:
            raise ValueError(
                f"{form.label_en} is not a form for a {who_en} on {_d(on)} "
                f"({_decree(pack)}): allowed {_forms_en(ladder)}"
            )
    highest = max(merited, key=ladder.index)
    decree = _decree(pack)
    if len(merited) == 1:
        form, basis = highest, FormBasis.MERITED
        vi = f"Một hành vi vi phạm, mức {highest.label_vi}."
        en = f"One violation, meriting {highest.label_en}."
    elif pack.parameters["aggregation"] == "ONE_ABOVE_HIGHEST":
        form, basis = _one_above(ladder, highest), FormBasis.ONE_ABOVE_HIGHEST
        vi = (
            f"{len(merited)} hành vi xem xét cùng lúc: áp dụng hình thức nặng hơn một mức so với "
            f"hành vi nặng nhất ({highest.label_vi}), tức {form.label_vi}."
        )
        en = (
            f"{len(merited)} violations considered together: one level above the heaviest "
            f"({highest.label_en}), i.e. {form.label_en}."
        )
    else:
        form, basis = highest, FormBasis.HIGHEST
        vi = (
            f"{len(merited)} hành vi xem xét cùng lúc: quyết định chung một hình thức cao nhất, "
            f"{highest.label_vi}."
        )
        en = (
            f"{len(merited)} violations considered together: one decision at the highest "
            f"form, {highest.label_en}."
        )
    if in_force is not None:
        effect = decision_effect(
            in_force.effective_on, category=category, on=new_violation_on or on
        )
        if effect.in_force:
            current = _nearest_rung(ladder, in_force.form)
            if ladder.index(form) <= ladder.index(current):
                form, basis = _one_above(ladder, current), FormBasis.ONE_ABOVE_CURRENT
                vi += (
                    f" Đang thi hành quyết định {in_force.form.label_vi} (hiệu lực từ "
                    f"{_d(in_force.effective_on)}) mà vi phạm mới không nặng hơn: áp dụng nặng "
                    f"hơn một mức so với hình thức đang thi hành, tức {form.label_vi}."
                )
                en += (
                    f" A {in_force.form.label_en} decision (effective {_d(in_force.effective_on)}) "
                    f"is in force and the new violation is not heavier: one level above the "
                    f"current form, i.e. {form.label_en}."
                )
            else:
                heavier = form
                form, basis = _one_above(ladder, heavier), FormBasis.ONE_ABOVE_MERITED
                vi += (
                    f" Đang thi hành quyết định {in_force.form.label_vi} mà vi phạm mới nặng hơn "
                    f"({heavier.label_vi}): áp dụng nặng hơn một mức, tức {form.label_vi}."
                )
                en += (
                    f" A {in_force.form.label_en} decision is in force and the new violation is "
                    f"heavier ({heavier.label_en}): one level above it, i.e. {form.label_en}."
                )
    return FormVerdict(
        form=form,
        basis=basis,
        rule=pack.ref(),
        explanation_vi=_sourced(vi, f"{who_vi}; {decree}"),
        explanation_en=_sourced(en, f"{who_en}; {decree}"),
    )
