"""Demo discipline cases, opened by the head of the personnel office (tochuc): one case
at each stage of the procedure, the demo official's (congchuc) decided as khiển trách
this year for a duty-related violation (so it caps their rating and they can appeal),
one deferred (maternity) and one after a Party decision. The demo's findings are still
waiting for the head's review, so every case is opened directly with a description.

Days are counted back from today in working days, so every step keeps its deadline
and the summons goes out at least 5 working days before the council meets; one case
is left overdue to show how the list highlights it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from congvu.inspect import clock
from congvu.inspect.actor import Actor
from congvu.inspect.discipline import api as discipline
from congvu.inspect.discipline.api import CaseStage, DecisionInput, MemberInput, OpenCase
from congvu.inspect.errors import NotFound
from congvu.inspect.organisation import api as organisation
from congvu.inspect.organisation.tables import Official, User
from congvu.rules.calendar import default_calendar
from congvu.rules.discipline import Form

# Working days after opening on which each step is done; the council meets on day 17.
_OFFSETS = {
    CaseStage.OPENED: 0,
    CaseStage.REVIEW_MEETING: 3,
    CaseStage.REPORT_SENT: 5,
    CaseStage.COUNCIL_SET_UP: 8,
    CaseStage.SUMMONED: 10,
    CaseStage.RECOMMENDED: 18,
    CaseStage.DECIDED: 21,
    CaseStage.NOTIFIED: 23,
}
_MEETING = 17
_MEMBERS = [
    MemberInput("Nguyễn Văn Thành", "Chủ tịch Hội đồng"),
    MemberInput("Lê Thị Hồng", "Ủy viên"),
    MemberInput("Phan Văn Quý", "Ủy viên kiêm Thư ký"),
]


@dataclass(frozen=True)
class _Plan:
    unit: str  # where the subject works (the first non-leader công chức there)
    stage: CaseStage
    lag: int  # working days since the last step
    description: str
    form: Form = Form.KHIEN_TRACH
    deferred: bool = False
    party: Form | None = None
    username: str | None = None  # the subject is this account's official


_PLANS = [
    _Plan(
        "NA-TVI-PVHCC",
        CaseStage.OPENED,
        2,
        "Nhiều lần tự ý rời quầy trong giờ tiếp nhận hồ sơ, không báo cáo lãnh đạo.",
    ),
    _Plan(
        "NA-DC-PVHCC",
        CaseStage.REVIEW_MEETING,
        1,
        "Gây phiền hà, yêu cầu công dân bổ sung giấy tờ ngoài quy định.",
        deferred=True,
    ),
    _Plan(
        "NA-NL-PVHCC",
        CaseStage.REPORT_SENT,
        8,
        "Để 12 hồ sơ đất đai quá hạn không có văn bản xin lỗi công dân.",
    ),
    _Plan(
        "NA-TVI-KT",
        CaseStage.COUNCIL_SET_UP,
        1,
        "Vi phạm quy chế làm việc: đi muộn, về sớm nhiều lần trong quý.",
    ),
    _Plan(
        "NA-DC-KT",
        CaseStage.SUMMONED,
        2,
        "Sử dụng xe công vào việc riêng.",
        party=Form.CANH_CAO,
        form=Form.CANH_CAO,
    ),
    _Plan(
        "NA-NL-KT",
        CaseStage.RECOMMENDED,
        1,
        "Không thực hiện nhiệm vụ được giao về rà soát hồ sơ địa chính.",
        form=Form.CANH_CAO,
    ),
    _Plan(
        "NA-TV-PVHCC",
        CaseStage.DECIDED,
        1,
        "Đi muộn, không đeo thẻ công chức khi tiếp nhận hồ sơ tại quầy; đã được nhắc nhở.",
        username="congchuc",
    ),
    _Plan(
        "NA-TV-KT",
        CaseStage.NOTIFIED,
        2,
        "Thiếu trách nhiệm trong thẩm định hồ sơ cấp giấy chứng nhận.",
        form=Form.CANH_CAO,
    ),
]


async def _subject(plan: _Plan, taken: set[int]) -> int:
    if plan.username:
        row = await User.select(User.official).where(User.username == plan.username).first()
        if row and row["official"]:
            return int(row["official"])
    rows = (
        await Official.select(Official.id)
        .where(
            Official.unit.code == plan.unit,
            Official.is_leader.eq(False),
            Official.category == "cong_chuc",
        )
        .order_by(Official.id)
    )
    for r in rows:
        if r["id"] not in taken:
            return int(r["id"])
    raise NotFound(f"Dữ liệu demo thiếu công chức ở {plan.unit}.")


async def _walk(officer: Actor, case: int, plan: _Plan, day: dict[CaseStage, date]) -> None:
    meeting = default_calendar().add_working_days(day[CaseStage.OPENED], _MEETING)
    walk = [
        (
            CaseStage.REVIEW_MEETING,
            lambda d: discipline.hold_review_meeting(
                officer,
                case,
                d,
                "Đương sự tự kiểm điểm, được trình bày ý kiến; tập thể góp ý.",
                today=d,
            ),
        ),
        (CaseStage.REPORT_SENT, lambda d: discipline.send_report(officer, case, d, today=d)),
        (
            CaseStage.COUNCIL_SET_UP,
            lambda d: discipline.set_up_council(officer, case, d, _MEMBERS, today=d),
        ),
        (CaseStage.SUMMONED, lambda d: discipline.summon(officer, case, d, meeting, today=d)),
        (
            CaseStage.RECOMMENDED,
            lambda d: discipline.recommend(
                officer, case, d, plan.form, "Hội đồng bỏ phiếu kín: 3/3 đồng ý.", today=d
            ),
        ),
        (
            CaseStage.DECIDED,
            lambda d: discipline.decide(
                officer,
                case,
                DecisionInput(d, plan.form, f"{100 + case}/QĐ-UBND", "Chủ tịch UBND tỉnh"),
                today=d,
            ),
        ),
        (CaseStage.NOTIFIED, lambda d: discipline.notify(officer, case, d, today=d)),
    ]
    for stage, step in walk:
        if _OFFSETS[stage] > _OFFSETS[plan.stage]:
            return
        await step(day[stage])


async def seed_discipline_demo() -> None:
    row = await User.select(User.id).where(User.username == "tochuc").first()
    officer = await organisation.actor_for(row["id"]) if row else None
    if officer is None:
        raise NotFound("Dữ liệu demo thiếu tài khoản tochuc.")
    cal = default_calendar()
    today = clock.today()
    taken: set[int] = set()
    for plan in _PLANS:
        subject = await _subject(plan, taken)
        taken.add(subject)
        opened = cal.add_working_days(today, -(_OFFSETS[plan.stage] + plan.lag))
        day = {
            stage: cal.add_working_days(opened, n) if n else opened for stage, n in _OFFSETS.items()
        }
        case = await discipline.open_case(
            officer,
            OpenCase(
                official_id=subject,
                description=plan.description,
                violation_on=opened - timedelta(days=20),
                discovered_on=opened - timedelta(days=3),
            ),
            today=opened,
        )
        if plan.party is not None:
            # Decided 10 days before the case was opened, announced two days later.
            await discipline.record_party_decision(
                officer, case, plan.party, opened - timedelta(days=10), opened - timedelta(days=8)
            )
        await _walk(officer, case, plan, day)
        if plan.deferred:
            start = day[plan.stage] + timedelta(days=1)
            await discipline.defer(officer, case, "maternity", start, start + timedelta(days=60))
