"""Leo thang biện pháp quản lý: which follow-up an inspection suggests for a repeated violation.

Nhắc nhở, phê bình and yêu cầu kiểm điểm are management measures (biện pháp quản lý), not
legal disciplinary forms: only the competent authority disciplines, through the NĐ 172/2025
procedure (see ``discipline``). No national text fixes this ladder; it is how inspection teams
follow up in practice (rules/README.md, "Escalation of repeated violations"), so the pack
(topic ``escalation``) is a policy knob that a province may change, not law.

Window boundary. A prior violation dated exactly ``window_months`` before the new one counts:
the window is [new - 12 months, new], read the way Civil Code Art. 147-148 reads "within
12 months" (a term that starts after 05/03/2025 ends at the end of 05/03/2026). The discipline
module counts tái phạm the same way, so an inspector and a council never disagree on a
boundary day.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from congvu.rules.conduct import violation as conduct_violation
from congvu.rules.discipline import add_months
from congvu.rules.packs import RulePack, RuleRef, pack_for
from congvu.rules.packs import format_date as _d


class FollowUp(StrEnum):
    """Follow-up actions an inspection records (nhắc nhở, phê bình, kiểm điểm, đề nghị kỷ luật)."""

    REMIND = "REMIND"
    CRITICISE = "CRITICISE"
    REQUIRE_SELF_REVIEW = "REQUIRE_SELF_REVIEW"
    REQUEST_HEAD_REVIEW = "REQUEST_HEAD_REVIEW"
    PROPOSE_DISCIPLINE = "PROPOSE_DISCIPLINE"


class EscalationStep(StrEnum):
    """Steps of the ladder, lightest first."""

    NHAC_NHO = "NHAC_NHO"
    PHE_BINH = "PHE_BINH"
    YEU_CAU_KIEM_DIEM = "YEU_CAU_KIEM_DIEM"
    DE_NGHI_KY_LUAT = "DE_NGHI_KY_LUAT"

    @property
    def follow_up(self) -> FollowUp:
        return _STEP_FOLLOW_UP[self]

    @property
    def label_vi(self) -> str:
        return _STEP_LABELS[self][0]

    @property
    def label_en(self) -> str:
        return _STEP_LABELS[self][1]


_STEP_FOLLOW_UP = {
    EscalationStep.NHAC_NHO: FollowUp.REMIND,
    EscalationStep.PHE_BINH: FollowUp.CRITICISE,
    EscalationStep.YEU_CAU_KIEM_DIEM: FollowUp.REQUIRE_SELF_REVIEW,
    EscalationStep.DE_NGHI_KY_LUAT: FollowUp.PROPOSE_DISCIPLINE,
}

_STEP_LABELS = {
    EscalationStep.NHAC_NHO: ("nhắc nhở", "a reminder"),
    EscalationStep.PHE_BINH: ("phê bình", "criticism"),
    EscalationStep.YEU_CAU_KIEM_DIEM: ("yêu cầu kiểm điểm", "a self-criticism review"),
    EscalationStep.DE_NGHI_KY_LUAT: (
        "đề nghị cấp có thẩm quyền xem xét kỷ luật",
        "a proposal that the competent authority consider discipline",
    ),
}

_LADDER = tuple(EscalationStep)


@dataclass(frozen=True)
class ConfirmedViolation:
    """A finding confirmed by the head (not merely recorded): conduct catalogue code and day."""

    code: str
    on: date


@dataclass(frozen=True)
class EscalationVerdict:
    """Suggested follow-up for ``violation``.

    ``prior_count``: the person's confirmed violations inside the window before this one;
    ``head_action``: REQUEST_HEAD_REVIEW, PROPOSE_DISCIPLINE (head already reviewed in the
    window) or None; ``unit_count``: the unit's confirmed violations in the window, this one
    included."""

    violation: ConfirmedViolation
    step: EscalationStep
    prior_count: int
    window_start: date
    severe: bool
    unit_count: int
    head_action: FollowUp | None
    rule: RuleRef
    explanation_vi: str
    explanation_en: str

    @property
    def follow_up(self) -> FollowUp:
        return self.step.follow_up


def _severe_floor(pack: RulePack, code: str) -> EscalationStep | None:
    floor = pack.parameters["severe_codes"].get(code)
    if floor is None:
        return None
    if floor not in EscalationStep.__members__:
        raise pack.parameter_error(
            ("severe_codes", code), f"'{floor}' is not a step ({', '.join(EscalationStep)})"
        )
    return EscalationStep(floor)


def suggest_follow_up(
    violation: ConfirmedViolation,
    history: Iterable[ConfirmedViolation] = (),
    *,
    unit_history: Iterable[ConfirmedViolation] = (),
    head_reviews: Iterable[date] = (),
) -> EscalationVerdict:
    """The follow-up for a person's new confirmed ``violation``.

    ``history``: the same person's earlier confirmed violations (any code: the knob counts
    breaches of discipline, not the same act, which is what tái phạm in law needs).
    ``unit_history``: other confirmed violations in the person's unit (anyone's).
    ``head_reviews``: days the unit head was already asked for a review.

    Entries dated after ``violation`` are ignored (a verdict never depends on the future), and
    so is an entry equal to ``violation`` (same code, same day: the violation itself)."""
    kind = conduct_violation(violation.code, violation.on)  # UnknownViolation if not a code
    pack = pack_for("escalation", violation.on)
    p = pack.parameters
    months = int(p["window_months"])
    start = add_months(violation.on, -months)

    def inside(day: date) -> bool:
        return start <= day <= violation.on

    prior = sum(1 for v in history if v != violation and inside(v.on))
    floor = _severe_floor(pack, violation.code)
    severe = floor is not None
    base = _LADDER.index(floor) if floor is not None else 0
    # A severe code starts higher and keeps climbing with each prior violation.
    step = _LADDER[min(base + prior, len(_LADDER) - 1)]

    unit_count = 1 + sum(1 for v in unit_history if v != violation and inside(v.on))
    head_action: FollowUp | None = None
    threshold = int(p["unit_head_review_threshold"])
    if unit_count >= threshold or (severe and p["severe_flags_head"]):
        reviewed = any(inside(d) for d in head_reviews)
        head_action = FollowUp.PROPOSE_DISCIPLINE if reviewed else FollowUp.REQUEST_HEAD_REVIEW

    vi = [
        f"Vi phạm “{kind.label_vi}” ngày {_d(violation.on)}: trong {months} tháng "
        f"(từ {_d(start)} đến {_d(violation.on)}) đã có {prior} vi phạm khác được xác nhận."
    ]
    en = [
        f"Violation “{kind.label_en}” on {_d(violation.on)}: confirmed violations in the "
        f"{months} months before it (from {_d(start)} to {_d(violation.on)}): {prior}."
    ]
    if floor is not None:
        vi.append(f"Đây là vi phạm nghiêm trọng, bắt đầu từ mức {floor.label_vi}.")
        en.append(f"This is a severe violation, starting at {floor.label_en}.")
    vi.append(f"Đề xuất: {step.label_vi}.")
    en.append(f"Suggested: {step.label_en}.")
    if head_action is FollowUp.REQUEST_HEAD_REVIEW:
        vi.append(
            f"Đơn vị có {unit_count} vi phạm trong {months} tháng: yêu cầu người đứng đầu "
            f"kiểm điểm trách nhiệm."
        )
        en.append(
            f"The unit has {unit_count} violations in {months} months: the head is asked "
            f"for a self-criticism review."
        )
    elif head_action is FollowUp.PROPOSE_DISCIPLINE:
        vi.append(
            f"Người đứng đầu đã được yêu cầu kiểm điểm trong {months} tháng mà đơn vị vẫn để "
            f"xảy ra vi phạm: đề nghị xem xét kỷ luật người đứng đầu."
        )
        en.append(
            f"The head was already asked for a review within {months} months and violations "
            f"continue: propose that discipline of the head be considered."
        )
    vi.append(
        "Nhắc nhở, phê bình, kiểm điểm là biện pháp quản lý, không phải hình thức kỷ luật; "
        "chỉ cấp có thẩm quyền mới xem xét xử lý kỷ luật theo trình tự luật định."
    )
    en.append(
        "Reminders, criticism and self-criticism reviews are management measures, not legal "
        "disciplinary forms; only the competent authority can impose discipline, by the "
        "statutory procedure."
    )
    return EscalationVerdict(
        violation=violation,
        step=step,
        prior_count=prior,
        window_start=start,
        severe=severe,
        unit_count=unit_count,
        head_action=head_action,
        rule=pack.ref(),
        explanation_vi=" ".join(vi),
        explanation_en=" ".join(en),
    )
