"""Discipline of cán bộ, công chức, viên chức (rules/README.md, "Discipline").

Every case cites what it checks: "172/x.y" = NĐ 172/2025/NĐ-CP Art. x clause y; "112" = NĐ 112/2020
as amended by NĐ 71/2023; "BLDS 147-148" = Civil Code rule for counting terms. Dates are hand
computed (a month/year term ends at the end of the corresponding day).
"""

from __future__ import annotations

from datetime import date, timedelta
from unittest import mock

import pytest
from congvu.rules.discipline import (
    Category,
    DateRange,
    Form,
    FormBasis,
    InForceDecision,
    NoLimitation,
    ProcedureStep,
    add_months,
    allowed_forms,
    decide_form,
    decision_effect,
    extend_by_pauses,
    is_repeat,
    limitation,
    party_decision_check,
    processing_deadline,
    step_deadline,
)
from congvu.rules.packs import PackNotFound, load_registry
from hypothesis import given
from hypothesis import strategies as st

CB, CC, VC = Category.CAN_BO, Category.CONG_CHUC, Category.VIEN_CHUC
KT, CAO, HBL, GC = Form.KHIEN_TRACH, Form.CANH_CAO, Form.HA_BAC_LUONG, Form.GIANG_CHUC
CCH, BTV, BN = Form.CACH_CHUC, Form.BUOC_THOI_VIEC, Form.BAI_NHIEM
D = date


# --- add_months (BLDS 148) -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        pytest.param(D(2025, 1, 31), 1, D(2025, 2, 28), id="BLDS148-no-31-Feb"),
        pytest.param(D(2024, 2, 29), 12, D(2025, 2, 28), id="BLDS148-leap-day-plus-year"),
        pytest.param(D(2026, 3, 31), -1, D(2026, 2, 28), id="BLDS148-backwards"),
        pytest.param(D(2025, 12, 15), 1, D(2026, 1, 15), id="year-rollover"),
        pytest.param(D(2026, 1, 15), -1, D(2025, 12, 15), id="year-rollback"),
        pytest.param(D(2020, 3, 10), 60, D(2025, 3, 10), id="5-years"),
        pytest.param(D(2024, 2, 29), 48, D(2028, 2, 29), id="leap-to-leap"),
    ],
)
def test_add_months(day: date, months: int, expected: date) -> None:
    assert add_months(day, months) == expected


@given(st.dates(min_value=D(1990, 1, 1), max_value=D(2090, 12, 31)), st.integers(-240, 240))
def test_add_months_lands_in_the_right_month_and_never_past_the_day(day: date, n: int) -> None:
    out = add_months(day, n)
    assert out.year * 12 + out.month == day.year * 12 + day.month + n
    assert out.day <= day.day


# --- allowed forms (172/7; 112 + Luật CBCC 2019 Art. 78-79; Luật VC Art. 52) ------------------

BEFORE, AFTER = D(2025, 6, 30), D(2025, 7, 1)


@pytest.mark.parametrize(
    ("category", "leader", "on", "forms", "version"),
    [
        pytest.param(CC, True, BEFORE, (KT, CAO, GC, CCH, BTV), "2020.1", id="112-CC-leader"),
        pytest.param(CC, True, AFTER, (KT, CAO, CCH, BTV), "2025.1", id="172/7.2-CC-leader"),
        pytest.param(CC, False, BEFORE, (KT, CAO, HBL, BTV), "2020.1", id="112-CC-staff"),
        pytest.param(CC, False, AFTER, (KT, CAO, BTV), "2025.1", id="172/7.2-CC-staff"),
        pytest.param(CB, True, BEFORE, (KT, CAO, CCH, BN), "2020.1", id="112-CB-appointed"),
        pytest.param(CB, True, AFTER, (KT, CAO, CCH, BN), "2025.1", id="172/7.1-CB-appointed"),
        pytest.param(CB, False, AFTER, (KT, CAO, BN), "2025.1", id="172/7.1c-CB-no-cach-chuc"),
        pytest.param(VC, True, BEFORE, (KT, CAO, CCH, BTV), "2023.1", id="112-VC-manager"),
        pytest.param(VC, True, AFTER, (KT, CAO, CCH, BTV), "2023.1", id="112-VC-still-after-172"),
        pytest.param(VC, False, D(2026, 3, 1), (KT, CAO, BTV), "2023.1", id="112-VC-staff"),
        pytest.param(VC, False, D(2023, 9, 19), (KT, CAO, BTV), "2020.1", id="112-VC-before-nd-71"),
    ],
)
def test_allowed_forms_by_category_leader_and_date(
    category: Category, leader: bool, on: date, forms: tuple[Form, ...], version: str
) -> None:
    verdict = allowed_forms(category, leader=leader, on=on)
    assert verdict.forms == forms
    assert verdict.rule.version == version
    assert all(form in verdict for form in forms)


def test_giang_chuc_and_ha_bac_luong_are_gone_for_cong_chuc_from_1_july_2025() -> None:
    # 172/7.2 + 172/29.2: the day before still has them, the day of does not.
    assert GC in allowed_forms(CC, leader=True, on=BEFORE)
    assert GC not in allowed_forms(CC, leader=True, on=AFTER)
    assert HBL in allowed_forms(CC, leader=False, on=BEFORE)
    assert HBL not in allowed_forms(CC, leader=False, on=AFTER)


def test_allowed_forms_explains_in_vietnamese() -> None:
    verdict = allowed_forms(CC, leader=False, on=AFTER)
    assert verdict.explanation_vi == (
        "Ngày 01/07/2025, theo Nghị định 172/2025/NĐ-CP, công chức không giữ chức vụ lãnh đạo, "
        "quản lý có thể bị áp dụng các hình thức kỷ luật: khiển trách, cảnh cáo, buộc thôi việc."
    )
    assert "forced termination" in verdict.explanation_en
    assert verdict.rule.id == "discipline_cbcc" and "172/2025" in verdict.rule.legal_basis


def test_no_pack_before_nd_112_took_effect() -> None:
    with pytest.raises(PackNotFound):
        allowed_forms(CC, leader=False, on=D(2020, 9, 19))


# --- thời hiệu (172/5.1-5.4, 5.6) ------------------------------------------------------------


@pytest.mark.parametrize(
    ("violation_on", "merited", "notice_on", "within", "expires"),
    [
        pytest.param(
            D(2020, 3, 10), KT, D(2025, 3, 9), True, D(2025, 3, 10), id="5.3a-5y-day-before"
        ),
        pytest.param(D(2020, 3, 10), KT, D(2025, 3, 10), True, D(2025, 3, 10), id="5.3a-5y-day-of"),
        pytest.param(
            D(2020, 3, 10), KT, D(2025, 3, 11), False, D(2025, 3, 10), id="5.3a-5y-day-after"
        ),
        pytest.param(
            D(2015, 8, 15), CAO, D(2025, 8, 14), True, D(2025, 8, 15), id="5.3b-10y-day-before"
        ),
        pytest.param(
            D(2015, 8, 15), CAO, D(2025, 8, 15), True, D(2025, 8, 15), id="5.3b-10y-day-of"
        ),
        pytest.param(
            D(2015, 8, 15), BTV, D(2025, 8, 16), False, D(2025, 8, 15), id="5.3b-10y-day-after"
        ),
        pytest.param(
            D(2020, 2, 29), KT, D(2025, 2, 28), True, D(2025, 2, 28), id="5.3a-leap-day-in"
        ),
        pytest.param(
            D(2020, 2, 29), KT, D(2025, 3, 1), False, D(2025, 2, 28), id="5.3a-leap-day-out"
        ),
        pytest.param(
            D(2016, 7, 1), CCH, D(2026, 7, 1), True, D(2026, 7, 1), id="5.3b-cach-chuc-10y"
        ),
    ],
)
def test_limitation_boundaries(
    violation_on: date, merited: Form, notice_on: date, within: bool, expires: date
) -> None:
    verdict = limitation(
        category=CC, violation_on=violation_on, notice_on=notice_on, merited=merited
    )
    assert (verdict.within, verdict.expires_on) == (within, expires)
    assert verdict.years == (5 if merited is KT else 10)


@pytest.mark.parametrize(
    ("later", "notice_on", "within", "expires", "restarted"),
    [
        # Violation 01/06/2019, khiển trách level: first period ends 01/06/2024.
        pytest.param(
            [D(2022, 6, 1)], D(2027, 6, 1), True, D(2027, 6, 1), True, id="5.1-restart-day-of"
        ),
        pytest.param(
            [D(2022, 6, 1)], D(2027, 6, 2), False, D(2027, 6, 1), True, id="5.1-restart-day-after"
        ),
        pytest.param(
            [D(2024, 6, 1)],
            D(2029, 6, 1),
            True,
            D(2029, 6, 1),
            True,
            id="5.1-new-on-last-day-restarts",
        ),
        pytest.param(
            [D(2024, 6, 2)],
            D(2024, 6, 3),
            False,
            D(2024, 6, 1),
            False,
            id="5.1-new-after-expiry-no-restart",
        ),
        pytest.param(
            [D(2026, 1, 1), D(2022, 6, 1)],
            D(2031, 1, 1),
            True,
            D(2031, 1, 1),
            True,
            id="5.1-chained-restarts",
        ),
        pytest.param(
            [D(2019, 5, 1)], D(2024, 6, 1), True, D(2024, 6, 1), False, id="5.1-earlier-act-ignored"
        ),
    ],
)
def test_limitation_restarts_on_a_new_violation_inside_the_period(
    later: list[date], notice_on: date, within: bool, expires: date, restarted: bool
) -> None:
    verdict = limitation(
        category=CC,
        violation_on=D(2019, 6, 1),
        notice_on=notice_on,
        merited=KT,
        later_violations=later,
    )
    assert (verdict.within, verdict.expires_on, verdict.restarted) == (within, expires, restarted)
    if restarted:
        assert "tính lại từ ngày" in verdict.explanation_vi


@pytest.mark.parametrize(
    ("excluded", "expires", "days"),
    [
        pytest.param(
            [DateRange(D(2022, 1, 1), D(2022, 1, 30))], D(2025, 4, 9), 30, id="5.6a-30-day-deferral"
        ),
        pytest.param(
            [DateRange(D(2022, 1, 1), D(2022, 1, 20)), DateRange(D(2022, 1, 10), D(2022, 1, 30))],
            D(2025, 4, 9),
            30,
            id="5.6-overlapping-ranges-count-once",
        ),
        pytest.param(
            [DateRange(D(2019, 1, 1), D(2019, 12, 31))],
            D(2025, 3, 10),
            0,
            id="5.6-before-violation",
        ),
        pytest.param(
            [DateRange(D(2025, 3, 1), D(2025, 3, 31))],
            D(2025, 4, 10),
            31,
            id="5.6-spanning-the-end",
        ),
    ],
)
def test_limitation_does_not_count_deferrals(
    excluded: list[DateRange], expires: date, days: int
) -> None:
    verdict = limitation(
        category=VC,
        violation_on=D(2020, 3, 10),
        notice_on=D(2025, 4, 9),
        merited=KT,
        excluded=excluded,
    )
    assert (verdict.expires_on, verdict.excluded_days) == (expires, days)


def test_limitation_explanation_names_the_dates() -> None:
    verdict = limitation(
        category=CC, violation_on=D(2020, 3, 10), notice_on=D(2025, 3, 11), merited=KT
    )
    assert verdict.explanation_vi == (
        "Hành vi vi phạm ngày 10/03/2020 ở mức khiển trách: thời hiệu 5 năm. Thời hiệu kết "
        "thúc cuối ngày 10/03/2025; thông báo ngày 11/03/2025 đã hết thời hiệu "
        "(Nghị định 112/2020/NĐ-CP)."
    )
    assert verdict.explanation_en.endswith("is out of time (Nghị định 112/2020/NĐ-CP).")
    deferred = limitation(
        category=CC,
        violation_on=D(2021, 3, 10),
        notice_on=D(2026, 3, 1),
        merited=CAO,
        excluded=[DateRange(D(2022, 1, 1), D(2022, 1, 30))],
    )
    assert (
        "Không tính 30 ngày" in deferred.explanation_vi
        and "còn trong thời hiệu" in deferred.explanation_vi
    )


@pytest.mark.parametrize("exception", list(NoLimitation), ids=lambda e: f"5.4-{e.value}")
def test_no_limitation_for_the_listed_violations(exception: NoLimitation) -> None:
    verdict = limitation(
        category=CC,
        violation_on=D(2000, 1, 1),
        notice_on=D(2026, 1, 1),
        merited=BTV,
        exception=exception,
    )
    assert verdict.within and verdict.expires_on is None and verdict.years is None
    assert verdict.explanation_vi.startswith("Không áp dụng thời hiệu")
    assert (
        exception.label_vi in verdict.explanation_vi
        and exception.label_en in verdict.explanation_en
    )


def test_date_range_must_not_end_before_it_starts() -> None:
    with pytest.raises(ValueError):
        DateRange(D(2025, 1, 2), D(2025, 1, 1))
    assert DateRange(D(2025, 1, 1), D(2025, 1, 31)).days == 31


@given(
    st.dates(min_value=D(2021, 1, 1), max_value=D(2035, 12, 31)),
    st.integers(0, 400),
    st.integers(1, 200),
)
def test_a_deferral_inside_the_period_extends_it_by_its_length(
    start: date, offset: int, length: int
) -> None:
    # 172/5.6: a deferral wholly after the violation pushes the end back by exactly its days.
    deferral = DateRange(
        start + timedelta(days=offset + 1), start + timedelta(days=offset + length)
    )
    plain = limitation(category=CC, violation_on=start, notice_on=start, merited=CAO)
    deferred = limitation(
        category=CC, violation_on=start, notice_on=start, merited=CAO, excluded=[deferral]
    )
    assert plain.expires_on is not None and deferred.expires_on is not None
    assert deferred.expires_on - plain.expires_on == timedelta(days=length)


# --- thời hạn (172/5.5-5.6) -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("complex_case", "excluded", "decided", "deadline", "within"),
    [
        pytest.param(False, [], D(2026, 5, 30), D(2026, 5, 30), True, id="5.5-90d-day-of"),
        pytest.param(False, [], D(2026, 5, 31), D(2026, 5, 30), False, id="5.5-90d-day-after"),
        pytest.param(False, [], D(2026, 5, 29), D(2026, 5, 30), True, id="5.5-90d-day-before"),
        pytest.param(True, [], D(2026, 7, 29), D(2026, 7, 29), True, id="5.5-150d-complex"),
        pytest.param(True, [], D(2026, 7, 30), D(2026, 7, 29), False, id="5.5-150d-complex-late"),
        pytest.param(
            False,
            [DateRange(D(2026, 3, 10), D(2026, 4, 8))],
            D(2026, 6, 29),
            D(2026, 6, 29),
            True,
            id="5.6a-maternity-deferral-30d",
        ),
        pytest.param(
            False,
            [DateRange(D(2026, 3, 10), D(2026, 4, 8))],
            D(2026, 6, 30),
            D(2026, 6, 29),
            False,
            id="5.6a-deferral-day-after",
        ),
        pytest.param(
            False,
            [DateRange(D(2026, 5, 20), D(2026, 6, 30))],
            D(2026, 7, 11),
            D(2026, 7, 11),
            True,
            id="5.6a-deferral-across-the-end-42d",
        ),
        pytest.param(False, [], None, D(2026, 5, 30), None, id="5.5-undecided"),
    ],
)
def test_processing_limit(
    complex_case: bool,
    excluded: list[DateRange],
    decided: date | None,
    deadline: date,
    within: bool | None,
) -> None:
    verdict = processing_deadline(
        category=CC,
        discovered_on=D(2026, 3, 1),
        complex_case=complex_case,
        excluded=excluded,
        decided_on=decided,
    )
    assert (verdict.deadline, verdict.within) == (deadline, within)
    assert verdict.limit_days == (150 if complex_case else 90)


def test_processing_limit_explains_the_deferral() -> None:
    verdict = processing_deadline(
        category=VC,
        discovered_on=D(2026, 3, 1),
        complex_case=True,
        excluded=[DateRange(D(2026, 3, 10), D(2026, 4, 8))],
        decided_on=D(2026, 9, 1),
    )
    assert verdict.explanation_vi == (
        "Phát hiện vi phạm ngày 01/03/2026; thời hạn xử lý 150 ngày (vụ việc phức tạp), "
        "không tính 30 ngày tạm hoãn: phải có quyết định chậm nhất ngày 28/08/2026. "
        "Quyết định ngày 01/09/2026 quá thời hạn (Nghị định 112/2020/NĐ-CP)."
    )
    assert verdict.explanation_en.endswith("is late (Nghị định 112/2020/NĐ-CP).")


# --- step deadlines across Tết 2026 (14/02-22/02 off) ------------------------------------------


@pytest.mark.parametrize(
    ("step", "event", "deadline"),
    [
        pytest.param(
            ProcedureStep.REVIEW_REPORT,
            D(2026, 2, 12),
            D(2026, 2, 24),
            id="172/17.4-3wd-across-Tet",
        ),
        pytest.param(
            ProcedureStep.COUNCIL_SETUP,
            D(2026, 2, 13),
            D(2026, 2, 27),
            id="172/18.1-5wd-across-Tet",
        ),
        pytest.param(
            ProcedureStep.SUMMONS,
            D(2026, 2, 24),
            D(2026, 2, 10),
            id="172/20.1a-5wd-before-across-Tet",
        ),
        pytest.param(
            ProcedureStep.COUNCIL_RECOMMENDATION,
            D(2026, 2, 11),
            D(2026, 2, 25),
            id="172/21.1a-5wd-across-Tet",
        ),
        pytest.param(
            ProcedureStep.DECISION, D(2026, 2, 9), D(2026, 2, 23), id="172/21.1b-5wd-across-Tet"
        ),
        pytest.param(
            ProcedureStep.REVIEW_REPORT, D(2026, 3, 2), D(2026, 3, 5), id="172/17.4-plain-week"
        ),
        pytest.param(
            ProcedureStep.SUMMONS, D(2026, 3, 9), D(2026, 3, 2), id="172/20.1a-plain-week"
        ),
        pytest.param(
            ProcedureStep.DECISION, D(2026, 3, 6), D(2026, 3, 13), id="172/21.1b-over-a-weekend"
        ),
    ],
)
def test_step_deadlines_in_working_days(step: ProcedureStep, event: date, deadline: date) -> None:
    verdict = step_deadline(step, event)
    assert verdict.deadline == deadline
    assert verdict.rule.version == "2025.1" and verdict.calendar_version.startswith("holidays-")


@pytest.mark.parametrize(
    ("done", "on_time"),
    [
        pytest.param(D(2026, 2, 23), True, id="172/17.4-early"),
        pytest.param(D(2026, 2, 24), True, id="172/17.4-last-day"),
        pytest.param(D(2026, 2, 25), False, id="172/17.4-late"),
    ],
)
def test_step_done_on_time_or_late(done: date, on_time: bool) -> None:
    verdict = step_deadline(ProcedureStep.REVIEW_REPORT, D(2026, 2, 12), done_on=done)
    assert verdict.on_time is on_time
    assert ("đúng hạn" if on_time else "quá hạn") in verdict.explanation_vi


def test_step_explanations() -> None:
    report = step_deadline(ProcedureStep.REVIEW_REPORT, D(2026, 2, 12))
    assert report.explanation_vi == (
        "Hạn gửi báo cáo và biên bản họp kiểm điểm: 3 ngày làm việc kể từ ngày kết thúc cuộc họp "
        "kiểm điểm 12/02/2026, tức ngày 24/02/2026 (Điều 17 khoản 4 Nghị định 172/2025/NĐ-CP)."
    )
    summons = step_deadline(ProcedureStep.SUMMONS, D(2026, 2, 24), done_on=D(2026, 2, 11))
    assert summons.on_time is False
    assert (
        "chậm nhất 5 ngày làm việc trước ngày họp Hội đồng kỷ luật 24/02/2026"
        in summons.explanation_vi
    )
    assert "at least 5 working days before" in summons.explanation_en


def test_step_deadlines_are_not_encoded_for_nd_112_before_nd_71() -> None:
    with pytest.raises(LookupError, match="encodes no procedure step deadlines"):
        step_deadline(ProcedureStep.DECISION, D(2023, 9, 19), category=VC)


# NĐ 112/2020 Art. 37.1 as amended by NĐ 71/2023 (pack discipline_vc 2023.1); the days are
# counted by hand on the 2025/2026 calendars: Tết 16-20/02/2026, 01/01/2026 off, Friday
# 02/01/2026 off against Saturday 10/01/2026 worked.
@pytest.mark.parametrize(
    ("step", "event", "deadline"),
    [
        pytest.param(
            ProcedureStep.DECISION, D(2026, 2, 12), D(2026, 2, 26), id="112/37.1b-across-Tet"
        ),
        pytest.param(
            ProcedureStep.COUNCIL_RECOMMENDATION,
            D(2025, 12, 30),
            D(2026, 1, 8),
            id="112/37.1a-new-year-and-swapped-friday",
        ),
        pytest.param(
            ProcedureStep.DECISION, D(2026, 1, 7), D(2026, 1, 13), id="112/37.1b-worked-saturday"
        ),
        pytest.param(
            ProcedureStep.DECISION, D(2026, 3, 8), D(2026, 3, 13), id="112/37.1b-from-a-sunday"
        ),
    ],
)
def test_vien_chuc_step_deadlines(step: ProcedureStep, event: date, deadline: date) -> None:
    verdict = step_deadline(step, event, category=VC, done_on=deadline)
    assert verdict.deadline == deadline and verdict.on_time and verdict.working_days == 5
    assert verdict.rule.id == "discipline_vc" and verdict.rule.version == "2023.1"
    assert "Nghị định 112/2020/NĐ-CP" in verdict.explanation_vi
    assert "Điều 37 khoản 1" in verdict.explanation_vi


@pytest.mark.parametrize(
    ("step", "why"),
    [
        (ProcedureStep.REVIEW_REPORT, "no time limit"),
        (ProcedureStep.COUNCIL_SETUP, "no time limit was found"),
        (ProcedureStep.SUMMONS, "could not be read"),
        (ProcedureStep.CONVICTION_TERMINATION, "could not be read"),
    ],
)
def test_vien_chuc_steps_the_texts_read_do_not_number(step: ProcedureStep, why: str) -> None:
    with pytest.raises(LookupError, match=f"encodes no limit for {step}: .*{why}"):
        step_deadline(step, D(2026, 3, 2), category=VC)


def test_a_step_missing_from_a_pack_has_no_limit() -> None:
    registry = load_registry(
        {
            "vc.yaml": """
id: discipline_vc
topic: discipline_vc
version: "t"
effective_from: 2020-01-01
legal_basis: [{document: T}]
label: {vi: t, en: t}
parameters: {steps: {DECISION: {working_days: 5, article: A}}}
"""
        }
    )
    pack = registry.pack_for("discipline_vc", D(2026, 3, 2))
    with mock.patch("congvu.rules.discipline.pack_for", lambda topic, on: pack):
        assert step_deadline(ProcedureStep.DECISION, D(2026, 3, 2), category=VC).working_days == 5
        with pytest.raises(LookupError, match="the step is not in the pack"):
            step_deadline(ProcedureStep.SUMMONS, D(2026, 3, 2), category=VC)


# --- 12-month effect (172/2.9) and tái phạm (172/2.8) ----------------------------------------


@pytest.mark.parametrize(
    ("effective", "on", "in_force", "ends"),
    [
        pytest.param(D(2025, 9, 1), D(2026, 8, 31), True, D(2026, 9, 1), id="2.9-day-before-end"),
        pytest.param(D(2025, 9, 1), D(2026, 9, 1), True, D(2026, 9, 1), id="2.9-last-day"),
        pytest.param(D(2025, 9, 1), D(2026, 9, 2), False, D(2026, 9, 1), id="2.9-lapsed"),
        pytest.param(D(2025, 9, 1), D(2025, 8, 31), False, D(2026, 9, 1), id="2.9-not-yet"),
        pytest.param(D(2024, 2, 29), D(2025, 2, 28), True, D(2025, 2, 28), id="112-leap-day"),
    ],
)
def test_decision_effect(effective: date, on: date, in_force: bool, ends: date) -> None:
    verdict = decision_effect(effective, category=CC, on=on)
    assert (verdict.in_force, verdict.ends_on) == (in_force, ends)


def test_decision_effect_explains_state() -> None:
    assert (
        "không còn hiệu lực"
        in decision_effect(D(2025, 9, 1), category=CC, on=D(2026, 9, 2)).explanation_vi
    )
    assert (
        "chưa có hiệu lực"
        in decision_effect(D(2025, 9, 1), category=CC, on=D(2025, 8, 1)).explanation_vi
    )
    assert (
        "it is in force"
        in decision_effect(D(2025, 9, 1), category=CC, on=D(2026, 1, 1)).explanation_en
    )


@pytest.mark.parametrize(
    ("same", "new_on", "repeat", "says"),
    [
        pytest.param(True, D(2026, 8, 14), True, "Tái phạm", id="2.8-day-before-12m"),
        pytest.param(True, D(2026, 8, 15), True, "Tái phạm", id="2.8-day-of-12m"),
        pytest.param(
            True, D(2026, 8, 16), False, "ngoài thời hạn 12 tháng", id="2.8-day-after-12m"
        ),
        pytest.param(False, D(2025, 12, 1), False, "hành vi mới khác", id="2.8-different-act"),
        pytest.param(True, D(2025, 8, 10), False, "ngoài thời hạn", id="2.8-before-effect"),
    ],
)
def test_tai_pham_within_12_months_of_the_first_decision(
    same: bool, new_on: date, repeat: bool, says: str
) -> None:
    verdict = is_repeat(
        category=CC,
        first_decision_effective_on=D(2025, 8, 15),
        same_violation=same,
        new_violation_on=new_on,
    )
    assert verdict.repeat is repeat and verdict.window_ends == D(2026, 8, 15)
    assert says in verdict.explanation_vi


# --- one form for several violations (172/2.2; 112/2.2) and in-force rule (172/2.3) -----------


@pytest.mark.parametrize(
    ("merited", "category", "leader", "on", "form", "basis"),
    [
        pytest.param([KT], CC, False, AFTER, KT, FormBasis.MERITED, id="172/2.2-one-act"),
        pytest.param([KT, CAO], CC, False, AFTER, CAO, FormBasis.HIGHEST, id="172/2.2-highest"),
        pytest.param(
            [CAO, KT, CCH], CC, True, AFTER, CCH, FormBasis.HIGHEST, id="172/2.2-highest-of-3"
        ),
        pytest.param(
            [KT, CAO], CC, False, BEFORE, HBL, FormBasis.ONE_ABOVE_HIGHEST, id="112/2.2-one-above"
        ),
        pytest.param(
            [KT, CAO], CC, True, BEFORE, GC, FormBasis.ONE_ABOVE_HIGHEST, id="112/2.2-leader"
        ),
        pytest.param(
            [CAO, BTV], CC, False, BEFORE, BTV, FormBasis.ONE_ABOVE_HIGHEST, id="112/2.2-top-stays"
        ),
        pytest.param(
            [KT, KT], VC, False, D(2026, 3, 1), CAO, FormBasis.ONE_ABOVE_HIGHEST, id="112/2.2-VC"
        ),
        pytest.param([CAO, CAO], CB, True, AFTER, CAO, FormBasis.HIGHEST, id="172/2.2-CB"),
    ],
)
def test_several_violations_give_one_form(
    merited: list[Form], category: Category, leader: bool, on: date, form: Form, basis: FormBasis
) -> None:
    verdict = decide_form(merited, category=category, leader=leader, on=on)
    assert (verdict.form, verdict.basis) == (form, basis)


@pytest.mark.parametrize(
    ("leader", "current", "effective", "merited", "new_on", "form", "basis"),
    [
        pytest.param(
            False,
            CAO,
            D(2025, 9, 1),
            KT,
            D(2026, 3, 1),
            BTV,
            FormBasis.ONE_ABOVE_CURRENT,
            id="2.3a-staff",
        ),
        pytest.param(
            True,
            KT,
            D(2025, 9, 1),
            KT,
            D(2026, 2, 1),
            CAO,
            FormBasis.ONE_ABOVE_CURRENT,
            id="2.3a-equal",
        ),
        pytest.param(
            True,
            CAO,
            D(2025, 9, 1),
            CAO,
            D(2026, 2, 1),
            CCH,
            FormBasis.ONE_ABOVE_CURRENT,
            id="2.3a-leader",
        ),
        pytest.param(
            True,
            KT,
            D(2025, 9, 1),
            CCH,
            D(2026, 2, 1),
            BTV,
            FormBasis.ONE_ABOVE_MERITED,
            id="2.3b-heavier",
        ),
        pytest.param(
            False,
            KT,
            D(2025, 9, 1),
            CAO,
            D(2026, 2, 1),
            BTV,
            FormBasis.ONE_ABOVE_MERITED,
            id="2.3b-staff",
        ),
        pytest.param(
            False,
            KT,
            D(2025, 1, 1),
            KT,
            D(2026, 1, 1),
            CAO,
            FormBasis.ONE_ABOVE_CURRENT,
            id="2.9-last-day",
        ),
        pytest.param(
            False, KT, D(2025, 1, 1), KT, D(2026, 1, 2), KT, FormBasis.MERITED, id="2.9-lapsed"
        ),
        pytest.param(
            True,
            GC,
            D(2025, 3, 1),
            CAO,
            D(2025, 8, 1),
            CCH,
            FormBasis.ONE_ABOVE_CURRENT,
            id="2.3a-old-gc",
        ),
        pytest.param(
            False,
            HBL,
            D(2025, 3, 1),
            KT,
            D(2025, 8, 1),
            BTV,
            FormBasis.ONE_ABOVE_CURRENT,
            id="2.3a-old-hbl",
        ),
        pytest.param(
            False,
            BTV,
            D(2025, 9, 1),
            KT,
            D(2026, 2, 1),
            BTV,
            FormBasis.ONE_ABOVE_CURRENT,
            id="2.3a-top",
        ),
    ],
)
def test_new_violation_while_a_decision_is_in_force(
    leader: bool,
    current: Form,
    effective: date,
    merited: Form,
    new_on: date,
    form: Form,
    basis: FormBasis,
) -> None:
    verdict = decide_form(
        [merited],
        category=CC,
        leader=leader,
        on=D(2026, 3, 15),
        in_force=InForceDecision(current, effective),
        new_violation_on=new_on,
    )
    assert (verdict.form, verdict.basis) == (form, basis)


def test_in_force_defaults_to_the_decision_date_and_explains() -> None:
    verdict = decide_form(
        [KT, KT],
        category=CC,
        leader=True,
        on=D(2026, 2, 1),
        in_force=InForceDecision(CAO, D(2025, 9, 1)),
    )
    assert verdict.form is CCH
    assert verdict.explanation_vi == (
        "2 hành vi xem xét cùng lúc: quyết định chung một hình thức cao nhất, khiển trách. "
        "Đang thi hành quyết định cảnh cáo (hiệu lực từ 01/09/2025) mà vi phạm mới không "
        "nặng hơn: áp dụng nặng hơn một mức so với hình thức đang thi hành, tức cách chức "
        "(công chức giữ chức vụ lãnh đạo, quản lý; Nghị định 172/2025/NĐ-CP)."
    )
    heavier = decide_form(
        [CCH],
        category=CC,
        leader=True,
        on=D(2026, 2, 1),
        in_force=InForceDecision(KT, D(2025, 9, 1)),
    )
    assert "vi phạm mới nặng hơn (cách chức)" in heavier.explanation_vi
    assert "one level above it, i.e. forced termination" in heavier.explanation_en


@pytest.mark.parametrize(
    ("merited", "on", "match"),
    [
        pytest.param([GC], AFTER, "not a form", id="172/7.2-no-giang-chuc"),
        pytest.param([HBL], AFTER, "not a form", id="172/7.2-no-ha-bac-luong"),
        pytest.param([], AFTER, "at least one", id="empty"),
    ],
)
def test_decide_form_refuses_forms_the_law_does_not_allow(
    merited: list[Form], on: date, match: str
) -> None:
    with pytest.raises(ValueError, match=match):
        decide_form(merited, category=CC, leader=True, on=on)


def test_a_category_without_forms_in_the_pack_is_refused() -> None:
    from congvu.rules import discipline

    pack = discipline.discipline_pack(VC, AFTER)
    with pytest.raises(ValueError, match="no forms for CONG_CHUC"):
        discipline._ladder(pack, CC, False)


def test_form_labels() -> None:
    assert [f.label_vi for f in (KT, CAO, HBL, GC, CCH, BTV, BN)] == [
        "khiển trách",
        "cảnh cáo",
        "hạ bậc lương",
        "giáng chức",
        "cách chức",
        "buộc thôi việc",
        "bãi nhiệm",
    ]
    assert BN.label_en == "dismissal from elected office"


@given(st.lists(st.sampled_from([KT, CAO, BTV]), min_size=1, max_size=5))
def test_the_form_for_several_acts_is_never_lighter_than_any_of_them(merited: list[Form]) -> None:
    ladder = allowed_forms(CC, leader=False, on=AFTER).forms
    verdict = decide_form(merited, category=CC, leader=False, on=AFTER)
    assert all(ladder.index(verdict.form) >= ladder.index(m) for m in merited)
    assert verdict.form == max(merited, key=ladder.index)  # 172/2.2: the highest, no more


# --- forced termination after a conviction (172/21.2) -------------------------------------------


@pytest.mark.parametrize(
    ("received", "deadline"),
    [
        pytest.param(D(2026, 3, 2), D(2026, 3, 23), id="172/21.2-15wd-three-weeks"),
        pytest.param(D(2026, 2, 5), D(2026, 3, 5), id="172/21.2-15wd-across-Tet"),
    ],
)
def test_conviction_termination_deadline(received: date, deadline: date) -> None:
    verdict = step_deadline(ProcedureStep.CONVICTION_TERMINATION, received, done_on=deadline)
    assert verdict.deadline == deadline and verdict.working_days == 15 and verdict.on_time
    assert "Điều 21 khoản 2 Nghị định 172/2025/NĐ-CP" in verdict.explanation_vi
    assert "buộc thôi việc" in verdict.explanation_vi


# --- a Party decision first (172/2.6, 2.9) ------------------------------------------------------


@pytest.mark.parametrize(
    ("started", "form", "in_time", "form_ok", "ok"),
    [
        pytest.param(None, None, None, None, True, id="172/2.6-nothing-yet"),
        pytest.param(D(2026, 4, 9), CAO, True, True, True, id="172/2.6-30th-day-same-form"),
        pytest.param(D(2026, 4, 10), CAO, False, True, False, id="172/2.6-31st-day-late"),
        pytest.param(D(2026, 3, 20), KT, True, False, False, id="172/2.6-lighter-form"),
        pytest.param(D(2026, 3, 20), BTV, True, True, True, id="172/2.6-heavier-form"),
    ],
)
def test_party_decision_check(
    started: date | None, form: Form | None, in_time: bool | None, form_ok: bool | None, ok: bool
) -> None:
    verdict = party_decision_check(
        category=CC, party_form=CAO, announced_on=D(2026, 3, 10), started_on=started, form=form
    )
    assert verdict.start_by == D(2026, 4, 9) and verdict.start_days == 30
    assert (verdict.started_in_time, verdict.form_ok, verdict.ok) == (in_time, form_ok, ok)
    assert verdict.explanation_vi.endswith("(Điều 2 khoản 6 Nghị định 172/2025/NĐ-CP).")


def test_party_decision_explanations() -> None:
    late = party_decision_check(
        category=CC,
        party_form=CAO,
        announced_on=D(2026, 3, 10),
        started_on=D(2026, 4, 10),
        form=KT,
    )
    assert late.explanation_vi == (
        "Đã có quyết định kỷ luật Đảng (tương ứng cảnh cáo) công bố ngày 10/03/2026: phải bắt "
        "đầu xử lý kỷ luật hành chính trong 30 ngày, chậm nhất ngày 09/04/2026. Bắt đầu ngày "
        "10/04/2026: quá hạn. Hình thức khiển trách nhẹ hơn kỷ luật Đảng: không được áp dụng "
        "(Điều 2 khoản 6 Nghị định 172/2025/NĐ-CP)."
    )
    assert "late." in late.explanation_en and "lighter" in late.explanation_en
    good = party_decision_check(
        category=CC,
        party_form=CAO,
        announced_on=D(2026, 3, 10),
        started_on=D(2026, 3, 11),
        form=CAO,
    )
    assert "đúng hạn" in good.explanation_vi and "không nhẹ hơn" in good.explanation_vi
    assert "in time." in good.explanation_en and "not lighter" in good.explanation_en


def test_party_decision_rule_is_not_encoded_for_nd_112() -> None:
    with pytest.raises(LookupError, match="encodes no Party-decision rule"):
        party_decision_check(category=VC, party_form=KT, announced_on=D(2026, 3, 10))


@pytest.mark.parametrize(
    ("on", "in_force"),
    [
        pytest.param(D(2027, 1, 15), True, id="172/2.9-last-day-from-Party-date"),
        pytest.param(D(2027, 1, 16), False, id="172/2.9-lapsed-though-admin-later"),
    ],
)
def test_effect_runs_from_the_party_decision(on: date, in_force: bool) -> None:
    verdict = decision_effect(D(2026, 2, 20), category=CC, on=on, party_decided_on=D(2026, 1, 15))
    assert (verdict.effective_on, verdict.ends_on, verdict.in_force) == (
        D(2026, 1, 15),
        D(2027, 1, 15),
        in_force,
    )
    assert "tính từ ngày có quyết định kỷ luật Đảng 15/01/2026" in verdict.explanation_vi
    assert "counted from the Party decision of 15/01/2026" in verdict.explanation_en


def test_a_deferral_pauses_the_clock() -> None:
    pause = [DateRange(D(2026, 3, 10), D(2026, 3, 19))]
    assert extend_by_pauses(D(2026, 3, 1), D(2026, 3, 30), pause) == (D(2026, 4, 9), 10)
    assert extend_by_pauses(D(2026, 3, 1), D(2026, 3, 30), []) == (D(2026, 3, 30), 0)
