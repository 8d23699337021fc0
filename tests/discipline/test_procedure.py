"""A case's procedure as a server-side state machine (NĐ 172/2025 Arts. 16-21): each
step only after the one before, with its deadline from the engine; the limitation check
before anything proceeds; a deferral moving the deadlines; the council's composition
and the decider checked; a Party decision's form respected. Dates hand-computed on the
2026 calendar (March 2026 has no holiday)."""

from __future__ import annotations

import pytest
from congvu.inspect.audit.tables import AuditEvent
from congvu.inspect.discipline import api as discipline
from congvu.inspect.discipline.api import CaseStage, DecisionInput, MemberInput, OpenCase
from congvu.inspect.errors import Conflict, Forbidden, Invalid, NotFound
from congvu.inspect.organisation.tables import Official
from congvu.rules.discipline import Form

from tests.discipline.conftest import D, DisciplineWorld, confirmed_finding

pytestmark = pytest.mark.anyio

MEMBERS = [
    MemberInput("Hoàng Văn Nam", "Chủ tịch Hội đồng"),
    MemberInput("Đỗ Thị Hoa", "Ủy viên"),
    MemberInput("Vũ Minh Tuấn", "Ủy viên kiêm Thư ký"),
]


async def opened(dw: DisciplineWorld, **kw: object) -> int:
    finding = await confirmed_finding(dw.rw)
    return await discipline.open_case(
        dw.personnel,
        OpenCase(finding_ids=[finding], **kw),
        today=D(2026, 3, 5),  # type: ignore[arg-type]
    )


async def walk_to(dw: DisciplineWorld, case: int, stage: CaseStage) -> None:
    """The happy path up to ``stage``."""
    p = dw.personnel
    steps = [
        (
            CaseStage.REVIEW_MEETING,
            lambda: discipline.hold_review_meeting(
                p,
                case,
                D(2026, 3, 9),
                "Đã tự kiểm điểm, được phát biểu ý kiến",
                today=D(2026, 3, 9),
            ),
        ),
        (
            CaseStage.REPORT_SENT,
            lambda: discipline.send_report(p, case, D(2026, 3, 11), today=D(2026, 3, 11)),
        ),
        (
            CaseStage.COUNCIL_SET_UP,
            lambda: discipline.set_up_council(
                p, case, D(2026, 3, 16), MEMBERS, today=D(2026, 3, 16)
            ),
        ),
        (
            CaseStage.SUMMONED,
            lambda: discipline.summon(
                p, case, D(2026, 3, 17), D(2026, 3, 25), today=D(2026, 3, 17)
            ),
        ),
        (
            CaseStage.RECOMMENDED,
            lambda: discipline.recommend(
                p, case, D(2026, 3, 25), Form.KHIEN_TRACH, today=D(2026, 3, 25)
            ),
        ),
        (
            CaseStage.DECIDED,
            lambda: discipline.decide(
                p,
                case,
                DecisionInput(
                    D(2026, 3, 27), Form.KHIEN_TRACH, "15/QĐ-UBND", "Nguyễn Văn Chủ tịch"
                ),
                today=D(2026, 3, 27),
            ),
        ),
        (
            CaseStage.NOTIFIED,
            lambda: discipline.notify(p, case, D(2026, 3, 30), today=D(2026, 3, 30)),
        ),
    ]
    for target, step in steps:
        await step()
        if target is stage:
            return


async def test_a_confirmed_finding_walks_every_step_with_its_deadlines(dw: DisciplineWorld) -> None:
    case = await opened(dw)
    await walk_to(dw, case, CaseStage.NOTIFIED)
    t = await discipline.case_timeline(dw.personnel, case, today=D(2026, 3, 30))
    assert t.file.stage is CaseStage.NOTIFIED
    assert t.file.case["violation_on"] == D(2026, 2, 23)
    assert t.file.case["discovered_on"] == D(2026, 3, 4)
    rows = {r.stage: r for r in t.rows}
    # 3 working days from the meeting (09/03), 5 from the report (11/03), 5 before the
    # council meeting (25/03), 5 from the meeting, 5 from the recommendation (25/03).
    assert rows[CaseStage.REPORT_SENT].deadline.deadline == D(2026, 3, 12)
    assert rows[CaseStage.COUNCIL_SET_UP].deadline.deadline == D(2026, 3, 18)
    assert rows[CaseStage.SUMMONED].deadline.deadline == D(2026, 3, 18)
    assert rows[CaseStage.RECOMMENDED].deadline.deadline == D(2026, 4, 1)
    assert rows[CaseStage.DECIDED].deadline.deadline == D(2026, 4, 1)
    assert rows[CaseStage.REVIEW_MEETING].deadline is None
    assert all(r.deadline is None or r.deadline.on_time for r in t.rows)
    assert all(r.recorded_by == "tochuc" for r in t.rows)
    # 90 days from discovery (04/03/2026): 02/06/2026; decided in time.
    assert t.processing.deadline == D(2026, 6, 2) and t.processing.within is True
    assert t.limitation.within and "còn trong thời hiệu" in t.limitation.explanation_vi
    assert t.next is None and t.next_deadline is None and not t.overdue
    actions = [
        r["action"]
        for r in await AuditEvent.select(AuditEvent.action)
        .where(AuditEvent.object_type == "discipline_case", AuditEvent.object_id == str(case))
        .order_by(AuditEvent.id)
    ]
    assert actions == [
        "discipline_case_opened",
        "discipline_review_meeting",
        "discipline_report_sent",
        "discipline_council_set_up",
        "discipline_summoned",
        "discipline_recommended",
        "discipline_decided",
        "discipline_notified",
    ]


async def test_an_illegal_transition_is_refused_in_vietnamese(dw: DisciplineWorld) -> None:
    case = await opened(dw)
    with pytest.raises(Conflict, match="bước tiếp theo là “họp kiểm điểm”"):
        await discipline.send_report(dw.personnel, case, D(2026, 3, 6), today=D(2026, 3, 6))
    await walk_to(dw, case, CaseStage.NOTIFIED)
    with pytest.raises(Conflict, match="bước cuối"):
        await discipline.notify(dw.personnel, case, D(2026, 3, 31), today=D(2026, 3, 31))


async def test_a_step_may_not_be_dated_in_the_future_or_before_the_last(
    dw: DisciplineWorld,
) -> None:
    case = await opened(dw)
    with pytest.raises(Invalid, match="sau hôm nay"):
        await discipline.hold_review_meeting(
            dw.personnel, case, D(2026, 3, 9), "x", today=D(2026, 3, 6)
        )
    with pytest.raises(Invalid, match="trước bước trước"):
        await discipline.hold_review_meeting(
            dw.personnel, case, D(2026, 3, 4), "x", today=D(2026, 3, 6)
        )


async def test_a_case_past_its_limitation_cannot_proceed_and_says_why(dw: DisciplineWorld) -> None:
    case = await discipline.open_case(
        dw.personnel,
        OpenCase(
            official_id=dw.rw.world.official_a.id,
            description="Vi phạm năm 2020",
            violation_on=D(2020, 1, 10),
            discovered_on=D(2026, 3, 2),
        ),
        today=D(2026, 3, 5),
    )
    t = await discipline.case_timeline(dw.personnel, case, today=D(2026, 3, 5))
    assert not t.limitation.within
    assert "Thời hiệu kết thúc cuối ngày 10/01/2025" in t.limitation.explanation_vi
    with pytest.raises(Conflict, match=r"Không thể tiếp tục xử lý: .*đã hết thời hiệu"):
        await discipline.hold_review_meeting(
            dw.personnel, case, D(2026, 3, 5), "x", today=D(2026, 3, 5)
        )


async def test_a_deferral_stops_the_clocks(dw: DisciplineWorld) -> None:
    case = await opened(dw)
    await walk_to(dw, case, CaseStage.REVIEW_MEETING)
    # 10 days deferred (10/03-19/03): the report's deadline 12/03 moves to 22/03, the
    # 90-day limit from 02/06 to 12/06.
    await discipline.defer(dw.personnel, case, "illness", D(2026, 3, 10), D(2026, 3, 19))
    t = await discipline.case_timeline(dw.personnel, case, today=D(2026, 3, 20))
    report = next(r for r in t.rows if r.stage is CaseStage.REPORT_SENT)
    assert report.deadline.deadline == D(2026, 3, 22) and report.deadline.paused_days == 10
    assert "Không tính 10 ngày tạm hoãn" in report.deadline.explanation_vi
    assert t.processing.deadline == D(2026, 6, 12)
    assert t.next_deadline == D(2026, 3, 22) and not t.overdue
    with pytest.raises(Invalid, match="đang tạm hoãn"):
        await discipline.send_report(dw.personnel, case, D(2026, 3, 12), today=D(2026, 3, 20))
    await discipline.send_report(dw.personnel, case, D(2026, 3, 20), today=D(2026, 3, 20))
    with pytest.raises(Invalid, match="Trùng"):
        await discipline.defer(dw.personnel, case, "illness", D(2026, 3, 15), D(2026, 3, 25))


async def test_overdue_next_step(dw: DisciplineWorld) -> None:
    case = await opened(dw)
    await walk_to(dw, case, CaseStage.REVIEW_MEETING)
    t = await discipline.case_timeline(dw.personnel, case, today=D(2026, 3, 13))
    assert t.next is CaseStage.REPORT_SENT and t.next_deadline == D(2026, 3, 12) and t.overdue


async def test_a_summons_less_than_5_working_days_before_the_meeting_is_refused(
    dw: DisciplineWorld,
) -> None:
    case = await opened(dw)
    await walk_to(dw, case, CaseStage.COUNCIL_SET_UP)
    with pytest.raises(Invalid, match="chậm nhất 5 ngày làm việc trước"):
        await discipline.summon(
            dw.personnel, case, D(2026, 3, 19), D(2026, 3, 25), today=D(2026, 3, 19)
        )


@pytest.mark.parametrize(
    ("member", "message"),
    [
        (MemberInput("Nguyễn Thị Lan", "Ủy viên", official_id=-1), "người bị xem xét"),
        (MemberInput("Lê Văn Bình", "Ủy viên", relation="anh ruột"), "quan hệ “anh ruột”"),
        (MemberInput("Trưởng đoàn", "Ủy viên", account_id=-2), "đã ghi nhận vi phạm"),
        (MemberInput("Trần Văn Hùng", "Ủy viên", account_id=-3), "đã xác nhận vi phạm"),
    ],
)
async def test_the_council_excludes_the_subject_relatives_and_the_finding_people(
    dw: DisciplineWorld, member: MemberInput, message: str
) -> None:
    ids = {
        -1: dw.rw.world.official_a.id,
        -2: dw.rw.users["inspector"].id,
        -3: dw.rw.users["head_a"].id,
    }
    if member.official_id:
        member = MemberInput(member.full_name, member.duty, official_id=ids[member.official_id])
    if member.account_id:
        member = MemberInput(member.full_name, member.duty, account_id=ids[member.account_id])
    case = await opened(dw)
    await walk_to(dw, case, CaseStage.REPORT_SENT)
    with pytest.raises(Invalid, match=message):
        await discipline.set_up_council(
            dw.personnel, case, D(2026, 3, 16), [*MEMBERS[:2], member], today=D(2026, 3, 16)
        )
    with pytest.raises(Invalid, match="gồm 3 thành viên"):
        await discipline.set_up_council(
            dw.personnel, case, D(2026, 3, 16), MEMBERS[:2], today=D(2026, 3, 16)
        )


async def test_the_decider_is_not_who_confirmed_the_finding(dw: DisciplineWorld) -> None:
    case = await opened(dw)
    await walk_to(dw, case, CaseStage.RECOMMENDED)
    decision = DecisionInput(
        D(2026, 3, 27),
        Form.KHIEN_TRACH,
        "15/QĐ-UBND",
        "Trần Văn Hùng",
        decider_account_id=dw.rw.users["head_a"].id,
    )
    with pytest.raises(Forbidden, match="đã xác nhận vi phạm"):
        await discipline.decide(dw.personnel, case, decision, today=D(2026, 3, 27))


async def test_a_form_outside_the_ladder_is_refused(dw: DisciplineWorld) -> None:
    case = await opened(dw)
    await walk_to(dw, case, CaseStage.SUMMONED)
    # Official A is a công chức without a leadership post: no cách chức.
    with pytest.raises(Invalid, match="khiển trách, cảnh cáo, buộc thôi việc"):
        await discipline.recommend(
            dw.personnel, case, D(2026, 3, 25), Form.CACH_CHUC, today=D(2026, 3, 25)
        )


async def test_a_party_decision_bars_a_lighter_form(dw: DisciplineWorld) -> None:
    case = await opened(dw)
    await discipline.record_party_decision(
        dw.personnel, case, Form.CANH_CAO, D(2026, 3, 2), D(2026, 3, 3)
    )
    await walk_to(dw, case, CaseStage.RECOMMENDED)
    t = await discipline.case_timeline(dw.personnel, case, today=D(2026, 3, 25))
    assert t.party is not None and t.party.start_by == D(2026, 4, 2) and t.party.started_in_time
    with pytest.raises(Invalid, match="nhẹ hơn kỷ luật Đảng"):
        await discipline.decide(
            dw.personnel,
            case,
            DecisionInput(D(2026, 3, 27), Form.KHIEN_TRACH, "15/QĐ-UBND", "Chủ tịch"),
            today=D(2026, 3, 27),
        )


async def test_only_confirmed_findings_open_a_case(dw: DisciplineWorld) -> None:
    finding = await dw.rw.finding(dw.rw.world.official_a)
    with pytest.raises(Invalid, match="đã được xác nhận"):
        await discipline.open_case(
            dw.personnel, OpenCase(finding_ids=[finding]), today=D(2026, 3, 5)
        )
    confirmed = await confirmed_finding(dw.rw)
    await discipline.open_case(dw.personnel, OpenCase(finding_ids=[confirmed]), today=D(2026, 3, 5))
    with pytest.raises(Conflict, match="đã thuộc một hồ sơ"):
        await discipline.open_case(
            dw.personnel, OpenCase(finding_ids=[confirmed]), today=D(2026, 3, 5)
        )


async def test_several_violations_join_one_case(dw: DisciplineWorld) -> None:
    case = await opened(dw)
    second = await confirmed_finding(dw.rw, code="EARLY_LEAVE")
    await discipline.join_findings(dw.personnel, case, [second])
    t = await discipline.case_timeline(dw.personnel, case, today=D(2026, 3, 6))
    assert len(t.file.sources) == 2


async def test_who_sees_a_case(dw: DisciplineWorld) -> None:
    case = await opened(dw)
    t = await discipline.case_timeline(dw.subject, case, today=D(2026, 3, 6))
    assert t.file.id == case
    with pytest.raises(NotFound):
        await discipline.case_timeline(dw.other, case)
    with pytest.raises(NotFound):
        await discipline.case_timeline(await dw.rw.actor("head_b"), case)
    with pytest.raises(Forbidden):
        await discipline.hold_review_meeting(
            dw.subject, case, D(2026, 3, 6), "x", today=D(2026, 3, 6)
        )
    with pytest.raises(Forbidden):
        await discipline.open_case(
            dw.subject,
            OpenCase(
                official_id=dw.rw.world.official_a.id, description="x", violation_on=D(2026, 3, 1)
            ),
        )
    mine = await discipline.cases(dw.subject, today=D(2026, 3, 6))
    assert [t.file.id for t in mine] == [case]
    assert await discipline.cases(dw.other, today=D(2026, 3, 6)) == []


async def test_one_level_higher_during_an_earlier_decision(dw: DisciplineWorld) -> None:
    first = await opened(dw)
    await walk_to(dw, first, CaseStage.DECIDED)  # khiển trách, effective 27/03/2026
    t = await discipline.case_timeline(dw.personnel, first, today=D(2026, 3, 27))
    assert t.suggestion is not None and t.suggestion.form is Form.KHIEN_TRACH
    second = await discipline.open_case(
        dw.personnel,
        OpenCase(
            official_id=dw.rw.world.official_a.id,
            description="Lại đi muộn",
            violation_on=D(2026, 4, 6),
        ),
        today=D(2026, 4, 8),
    )
    later = await discipline.case_timeline(dw.personnel, second, today=D(2026, 4, 8))
    # A reprimand in force when the new act fell: one level above it, a warning.
    assert later.suggestion is not None and later.suggestion.form is Form.CANH_CAO
    assert "nặng hơn một mức" in later.suggestion.explanation_vi


async def test_a_vien_chuc_case_gets_the_nd_112_deadlines_the_pack_encodes(
    dw: DisciplineWorld,
) -> None:
    """NĐ 112/2020 Art. 37.1 as amended by NĐ 71/2023 (pack discipline_vc 2023.1): 5 working
    days for the council's recommendation and 5 for the decision; the steps the texts read do
    not number carry no deadline (rules/README.md, "Discipline")."""
    await Official.update({Official.category: "vien_chuc"}).where(
        Official.id == dw.rw.world.official_a.id
    )
    case = await opened(dw)
    await walk_to(dw, case, CaseStage.RECOMMENDED)
    t = await discipline.case_timeline(dw.personnel, case, today=D(2026, 3, 25))
    assert t.file.case["category"] == "VIEN_CHUC"
    rows = {r.stage: r for r in t.rows}
    for stage in (CaseStage.REPORT_SENT, CaseStage.COUNCIL_SET_UP, CaseStage.SUMMONED):
        assert rows[stage].deadline is None
    # Council meeting 25/03/2026 (Wed) + 5 working days = 01/04; the decision is due 5
    # working days from the recommendation of 25/03: 01/04 too.
    assert rows[CaseStage.RECOMMENDED].deadline.deadline == D(2026, 4, 1)
    assert "Điều 37 khoản 1 điểm a" in rows[CaseStage.RECOMMENDED].deadline.explanation_vi
    assert t.next is CaseStage.DECIDED and t.next_deadline == D(2026, 4, 1)
    late = await discipline.case_timeline(dw.personnel, case, today=D(2026, 4, 2))
    assert late.overdue


async def test_a_vien_chuc_council_may_have_five_members_a_cong_chuc_one_three(
    dw: DisciplineWorld,
) -> None:
    """NĐ 112/2020 Điều 35 (as amended): 3 or 5 members for viên chức; NĐ 172/2025 Điều 18:
    3 for công chức. Every council has one chair and one secretary."""
    five = [
        MEMBERS[0],
        MEMBERS[1],
        MemberInput("Ngô Thị Mai", "Ủy viên"),
        MemberInput("Bùi Văn Long", "Ủy viên"),
        MEMBERS[2],
    ]
    case = await opened(dw)
    await walk_to(dw, case, CaseStage.REPORT_SENT)
    with pytest.raises(Invalid, match="công chức gồm 3 thành viên"):
        await discipline.set_up_council(
            dw.personnel, case, D(2026, 3, 16), five, today=D(2026, 3, 16)
        )
    no_secretary = [*MEMBERS[:2], MemberInput("Vũ Minh Tuấn", "Ủy viên")]
    with pytest.raises(Invalid, match="Thư ký"):
        await discipline.set_up_council(
            dw.personnel, case, D(2026, 3, 16), no_secretary, today=D(2026, 3, 16)
        )

    await Official.update({Official.category: "vien_chuc"}).where(
        Official.id == dw.rw.world.official_a.id
    )
    vc_case = await opened(dw)
    await walk_to(dw, vc_case, CaseStage.REPORT_SENT)
    with pytest.raises(Invalid, match="gồm 3 hoặc 5 thành viên"):
        await discipline.set_up_council(
            dw.personnel, vc_case, D(2026, 3, 16), five[:4], today=D(2026, 3, 16)
        )
    await discipline.set_up_council(
        dw.personnel, vc_case, D(2026, 3, 16), five, today=D(2026, 3, 16)
    )
    t = await discipline.case_timeline(dw.personnel, vc_case, today=D(2026, 3, 16))
    assert len(t.file.members) == 5
