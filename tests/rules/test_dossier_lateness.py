"""Status, working days late and flags of dossiers, computed by hand.

Unless a case says otherwise the dossier is received Fri 24/01/2025 10:00 with 5 working days:
Tết 2025 (off 25/01–02/02, Thông báo 6150/TB-BLĐTBXH) is skipped and it is due Fri 07/02/2025
10:00. Sources: status categories of one-stop statistics compared at date granularity
(rules/README.md, "Dossier deadlines and lateness"); the apology "no later than 1 working day
before the due date" and "the return date may be re-set only once" (NĐ 61/2018, NĐ 118/2025 as
restated by Lai Châu QĐ 88/2025); the apology forms TT 01/2018 Mẫu 04 until 14/09/2025 and TT
03/2025 Mẫu 04 from 15/09/2025.
"""

from __future__ import annotations

import subprocess
import sys
from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import pytest
from congvu.rules.calendar import default_calendar
from congvu.rules.dossiers import (
    DeadlineRules,
    DossierFacts,
    DossierFlag,
    DossierStatus,
    DossierVerdict,
    deadline_rules,
    evaluate_dossier,
)
from congvu.rules.packs import PackError, default_registry, parse_pack


def at(text: str) -> datetime:
    return datetime.strptime(text, "%d/%m/%Y %H:%M")


def day(text: str) -> date:
    return datetime.strptime(text, "%d/%m/%Y").date()


BASE = DossierFacts(received_at=at("24/01/2025 10:00"), processing_time=5)


def judge(as_of: date | datetime, **changes: Any) -> DossierVerdict:
    return evaluate_dossier(replace(BASE, **changes), as_of)


EARLY, ON_TIME, LATE = DossierStatus.EARLY, DossierStatus.ON_TIME, DossierStatus.LATE
IN_PROGRESS, OVERDUE = DossierStatus.IN_PROGRESS, DossierStatus.OVERDUE
MISSING, APOLOGY_LATE = "APOLOGY_MISSING", "APOLOGY_LATE"
RESOLVED_LATE, OVERDUE_FLAG, SOON = "RESOLVED_LATE", "OVERDUE_IN_PROGRESS", "DUE_WITHIN_24H"
RESET, EARLIER, SECOND = "DEADLINE_RESET", "DEADLINE_MOVED_EARLIER", "SECOND_EXTENSION"

# (changes to BASE, as-of, status, working days late, flags, what it checks)
# fmt: off
CASES: list[tuple[dict[str, Any], date | datetime, DossierStatus, int, set[str], str]] = [
    # Resolved: dates only (trước hạn / đúng hạn / trễ hạn, as one-stop statistics count).
    ({"finished_at": at("06/02/2025 16:00")}, day("20/02/2025"), EARLY, 0, set(), "trước hạn"),
    ({"finished_at": at("07/02/2025 16:00")}, day("20/02/2025"), ON_TIME, 0, set(),
     "đúng hạn: same date, later clock time"),
    ({"finished_at": at("10/02/2025 08:00")}, day("20/02/2025"), LATE, 1,
     {RESOLVED_LATE, MISSING}, "trễ hạn 1 ngày, no apology"),
    ({"finished_at": at("08/02/2025 09:00")}, day("20/02/2025"), LATE, 1,
     {RESOLVED_LATE, MISSING}, "finished Saturday after a Friday due: still 1 day late"),
    ({"finished_at": at("12/02/2025 09:00")}, day("20/02/2025"), LATE, 3,
     {RESOLVED_LATE, MISSING}, "10, 11, 12/02: 3 working days late"),
    ({"finished_at": None, "returned_at": at("06/02/2025 09:00")}, day("20/02/2025"), EARLY, 0,
     set(), "ngày trả used when ngày có kết quả is missing"),
    ({"finished_at": at("12/02/2025 09:00")}, day("10/02/2025"), OVERDUE, 1,
     {OVERDUE_FLAG, MISSING}, "a result after the as-of date is not known yet"),
    ({"processing_time": None, "finished_at": at("01/03/2025 09:00")}, day("20/03/2025"),
     ON_TIME, 0, set(), "no due date → đúng hạn"),
    # In progress (đang giải quyết): trong hạn / quá hạn / sắp hết hạn.
    ({}, day("05/02/2025"), IN_PROGRESS, 0, set(), "due 07/02 > 05/02, not within 24 h"),
    ({}, day("06/02/2025"), IN_PROGRESS, 0, {SOON}, "end of 06/02 + 24 h ≥ 07/02 10:00"),
    ({}, day("07/02/2025"), IN_PROGRESS, 0, {SOON}, "due on the as-of date is not overdue"),
    ({}, at("06/02/2025 09:00"), IN_PROGRESS, 0, set(), "25 h before the due moment"),
    ({}, at("06/02/2025 10:30"), IN_PROGRESS, 0, {SOON}, "23.5 h before the due moment"),
    ({}, at("07/02/2025 16:00"), IN_PROGRESS, 0, {SOON}, "due moment passed, same date"),
    ({}, day("08/02/2025"), OVERDUE, 1, {OVERDUE_FLAG, MISSING}, "Saturday after: 1 day"),
    ({}, day("11/02/2025"), OVERDUE, 2, {OVERDUE_FLAG, MISSING}, "10, 11/02 overdue"),
    ({"processing_time": None}, day("11/02/2025"), IN_PROGRESS, 0, set(),
     "no due date: never overdue"),
    ({"processing_time": None, "processing_unit": "same_day",
      "received_at": at("05/03/2025 15:30")}, day("06/03/2025"), IN_PROGRESS, 0, {SOON},
     "same day after 15:00 → due 06/03 17:00"),
    # Source due date (ngày hẹn trả) wins; a bare date means that day's closing.
    ({"due_at": day("07/02/2025"), "finished_at": at("07/02/2025 16:30")}, day("20/02/2025"),
     ON_TIME, 0, set(), "source due as a date"),
    ({"due_at": at("14/02/2025 00:00"), "finished_at": at("12/02/2025 09:00")},
     day("20/02/2025"), EARLY, 0, set(), "source due wins over 5 working days"),
    ({"due_at": at("14/02/2025 00:00")}, at("13/02/2025 17:30"), IN_PROGRESS, 0, {SOON},
     "00:00 means closing 17:00: 23.5 h ahead"),
    # Supplement / pause intervals (chờ bổ sung, tạm dừng) re-base the due date.
    ({"pauses": [(at("03/02/2025 09:00"), at("05/02/2025 15:00"))],
      "finished_at": at("11/02/2025 09:00")}, day("20/02/2025"), ON_TIME, 0, set(),
     "04, 05/02 waited → due 11/02"),
    ({"pauses": [(at("03/02/2025 09:00"), at("03/02/2025 11:00"))],
      "finished_at": at("10/02/2025 09:00")}, day("20/02/2025"), LATE, 1,
     {RESOLVED_LATE, MISSING}, "a pause within one day moves nothing"),
    ({"pauses": [(at("05/02/2025 09:00"), None)]}, day("12/02/2025"), IN_PROGRESS, 0, set(),
     "still waiting: 06–12/02 (5 days) → due 14/02"),
    ({"pauses": [(at("03/02/2025 09:00"), at("06/02/2025 09:00")),
                 (at("05/02/2025 09:00"), at("10/02/2025 09:00"))],
      "finished_at": at("14/02/2025 09:00")}, day("20/02/2025"), ON_TIME, 0, set(),
     "overlapping pauses counted once: 04–10/02 = 5 → due 14/02"),
    ({"pauses": [(at("12/02/2025 09:00"), at("14/02/2025 09:00"))]}, day("11/02/2025"),
     OVERDUE, 2, {OVERDUE_FLAG, MISSING}, "a pause after the as-of date is not known yet"),
    ({"received_at": at("10/02/2026 09:00"), "processing_time": 3,
      "pauses": [(at("12/02/2026 10:00"), at("24/02/2026 10:00"))],
      "finished_at": at("25/02/2026 09:00")}, day("02/03/2026"), ON_TIME, 0, set(),
     "Tết 2026 inside a pause: 13, 23, 24/02 → due 25/02"),
    # Apology letter: at least 1 working day before the due date.
    ({"finished_at": at("10/02/2025 08:00"), "apology_at": at("06/02/2025 15:00")},
     day("20/02/2025"), LATE, 1, {RESOLVED_LATE}, "apology on time: late but not missing"),
    ({"finished_at": at("10/02/2025 08:00"), "apology_at": at("07/02/2025 08:00")},
     day("20/02/2025"), LATE, 1, {RESOLVED_LATE, APOLOGY_LATE}, "apology on the due day"),
    ({"apology_at": at("05/02/2025 08:00")}, day("11/02/2025"), OVERDUE, 2, {OVERDUE_FLAG},
     "overdue with an apology in time"),
    ({"apology_at": at("12/02/2025 08:00")}, day("11/02/2025"), OVERDUE, 2,
     {OVERDUE_FLAG, MISSING}, "an apology after the as-of date is not known yet"),
    ({"received_at": at("24/01/2025 16:00"), "processing_time": 1,
      "apology_at": at("24/01/2025 16:30")}, day("03/02/2025"), IN_PROGRESS, 0, {SOON},
     "due 03/02 after Tết: Fri 24/01 is 1 working day before"),
    ({"received_at": at("24/01/2025 16:00"), "processing_time": 1,
      "apology_at": at("01/02/2025 09:00")}, day("03/02/2025"), IN_PROGRESS, 0,
     {SOON, APOLOGY_LATE}, "a Tết Saturday is after the last working day before 03/02"),
    ({"finished_at": at("06/02/2025 08:00"), "apology_at": at("07/02/2025 08:00")},
     day("20/02/2025"), EARLY, 0, {APOLOGY_LATE}, "a late apology is flagged even if early"),
    # Extensions (hẹn lại): only once.
    ({"extensions": [day("12/02/2025")]}, day("05/02/2025"), IN_PROGRESS, 0, set(),
     "one re-set is allowed"),
    ({"extensions": [day("12/02/2025"), at("14/02/2025 10:00")]}, day("05/02/2025"),
     IN_PROGRESS, 0, {SECOND}, "a second re-set"),
    ({"extensions": [day("12/02/2025"), at("12/02/2025 16:00")]}, day("05/02/2025"),
     IN_PROGRESS, 0, set(), "the same new date recorded twice is one re-set"),
    # Snapshots of the due date across successive exports (deadline reset detection).
    ({"due_snapshots": [(at("01/02/2025 08:00"), day("07/02/2025")),
                        (at("05/02/2025 08:00"), day("10/02/2025"))]},
     day("05/02/2025"), IN_PROGRESS, 0, {RESET}, "moved later without apology"),
    ({"due_snapshots": [(at("01/02/2025 08:00"), day("07/02/2025")),
                        (at("05/02/2025 08:00"), day("10/02/2025"))],
      "apology_at": at("04/02/2025 09:00")}, day("05/02/2025"), IN_PROGRESS, 0, set(),
     "moved later after an apology, not yet overdue"),
    ({"due_snapshots": [(at("01/02/2025 08:00"), day("07/02/2025")),
                        (at("10/02/2025 08:00"), day("14/02/2025"))],
      "apology_at": at("06/02/2025 09:00")}, day("10/02/2025"), OVERDUE, 1,
     {OVERDUE_FLAG, RESET}, "an overdue state cleared, even with an apology"),
    ({"due_snapshots": [(at("01/02/2025 08:00"), day("07/02/2025")),
                        (at("12/02/2025 08:00"), day("14/02/2025"))],
      "finished_at": at("11/02/2025 09:00"), "apology_at": at("05/02/2025 09:00")},
     day("20/02/2025"), LATE, 2, {RESOLVED_LATE, RESET}, "a late result hidden by a new date"),
    ({"due_snapshots": [(at("01/02/2025 08:00"), day("07/02/2025")),
                        (at("10/02/2025 08:00"), day("14/02/2025"))],
      "finished_at": at("06/02/2025 09:00"), "apology_at": at("01/02/2025 09:00")},
     day("20/02/2025"), EARLY, 0, set(), "moved after an on-time result with an apology"),
    ({"due_snapshots": [(at("01/02/2025 08:00"), day("10/02/2025")),
                        (at("03/02/2025 08:00"), day("07/02/2025"))]},
     day("04/02/2025"), IN_PROGRESS, 0, {EARLIER}, "due date moved earlier"),
    ({"due_snapshots": [(at("05/02/2025 08:00"), day("10/02/2025")),
                        (at("01/02/2025 08:00"), day("07/02/2025"))]},
     day("05/02/2025"), IN_PROGRESS, 0, {RESET}, "snapshots are ordered by the time seen"),
    ({"due_snapshots": [(at("01/02/2025 08:00"), day("07/02/2025")),
                        (at("06/02/2025 08:00"), day("10/02/2025"))]},
     day("05/02/2025"), IN_PROGRESS, 0, set(), "a snapshot after the as-of date is unknown"),
    ({"due_snapshots": [(at("01/02/2025 08:00"), at("07/02/2025 10:00")),
                        (at("03/02/2025 08:00"), at("07/02/2025 17:00"))]},
     day("04/02/2025"), IN_PROGRESS, 0, set(), "same date, other clock time: not moved"),
]
# fmt: on


@pytest.mark.parametrize(
    ("changes", "as_of", "status", "late_days", "flags", "cites"),
    CASES,
    ids=[c[-1] for c in CASES],
)
def test_status_and_flags(
    changes: dict[str, Any],
    as_of: date | datetime,
    status: DossierStatus,
    late_days: int,
    flags: set[str],
    cites: str,
) -> None:
    verdict = judge(as_of, **changes)
    assert (verdict.status, verdict.working_days_late, set(verdict.flags)) == (
        status,
        late_days,
        flags,
    )
    assert verdict.due_within_24h == (SOON in flags)


def test_every_status_and_flag_is_covered_by_the_table() -> None:
    assert {c[2] for c in CASES} == set(DossierStatus)
    assert set().union(*(c[4] for c in CASES)) == {f.value for f in DossierFlag}


def test_flags_are_sorted_plain_codes() -> None:
    verdict = judge(day("20/02/2025"), finished_at=at("10/02/2025 08:00"))
    assert verdict.flags == ("APOLOGY_MISSING", "RESOLVED_LATE")
    assert all(type(f) is str for f in verdict.flags)


def test_pauses_move_the_due_moment_and_are_reported() -> None:
    verdict = judge(day("20/02/2025"), pauses=[(at("03/02/2025 09:00"), at("05/02/2025 15:00"))])
    assert verdict.due_at == at("11/02/2025 10:00")
    assert verdict.paused_working_days == 2
    assert "hạn lùi đến 11/02/2025 10:00" in verdict.explanation_vi
    assert "2 working days waiting for supplements" in verdict.explanation_en


def test_explanation_reads_like_the_file() -> None:
    verdict = judge(day("20/02/2025"), finished_at=at("12/02/2025 09:00"))
    assert verdict.explanation_vi == (
        "Tiếp nhận 24/01/2025 10:00; thời hạn 5 ngày làm việc, không tính ngày tiếp nhận và"
        " ngày nghỉ: hạn giải quyết 07/02/2025 10:00. Có kết quả ngày 12/02/2025, trễ hạn 3"
        " ngày làm việc. Không có Phiếu xin lỗi và hẹn lại ngày trả kết quả (Mẫu 04, Thông tư"
        " 01/2018/TT-VPCP). Căn cứ: Nghị định 61/2018/NĐ-CP; Nghị định 107/2021/NĐ-CP; Thông"
        " tư 01/2018/TT-VPCP, Mẫu 04; Bộ luật Dân sự 2015, Điều 147, 148."
    )
    assert verdict.explanation_en.startswith(
        "Received 24/01/2025 10:00; 5 working days, not counting the day of receipt or days"
        " off: due 07/02/2025 10:00. Resolved on 12/02/2025, 3 working days late. No apology"
        " and new return date slip (Mẫu 04, Thông tư 01/2018/TT-VPCP) was sent."
    )


# fmt: off
EXPLAINED: list[tuple[dict[str, Any], date, str, str]] = [
    ({"received_at": at("24/01/2025 17:30"), "processing_time": 1}, day("27/01/2025"),
     "(ngoài giờ làm việc, tính từ 03/02/2025 07:30)", "outside office hours"),
    ({"processing_unit": "calendar_days", "processing_time": 3}, day("27/01/2025"),
     "thời hạn 3 ngày theo lịch", "3 calendar days"),
    ({"processing_unit": "hours", "processing_time": 4}, day("27/01/2025"),
     "thời hạn 4 giờ làm việc", "4 working hours"),
    ({"processing_unit": "same_day", "processing_time": None}, day("24/01/2025"),
     "tiếp nhận sau 15:00 thì trả vào ngày làm việc tiếp theo", "after 15:00"),
    ({"processing_time": None}, day("27/01/2025"), "không có thời hạn giải quyết",
     "no processing deadline"),
    ({"due_at": day("07/02/2025")}, day("27/01/2025"),
     "ngày hẹn trả theo phiếu hẹn: 07/02/2025 17:00", "return date on the receipt slip"),
    ({"finished_at": at("06/02/2025 09:00")}, day("20/02/2025"),
     "Có kết quả ngày 06/02/2025, trước hạn.", "before the due date"),
    ({"finished_at": at("07/02/2025 09:00")}, day("20/02/2025"),
     "Có kết quả ngày 07/02/2025, đúng hạn.", "on time"),
    ({}, day("06/02/2025"), "Sắp hết hạn: hạn giải quyết trong vòng 24 giờ.",
     "Due within 24 hours."),
    ({}, day("10/02/2025"), "Đến ngày 10/02/2025 chưa có kết quả, quá hạn 1 ngày làm việc.",
     "1 working day overdue"),
    ({"apology_at": at("07/02/2025 09:00")}, day("07/02/2025"),
     "gửi ngày 07/02/2025, sau hạn gửi 06/02/2025", "after 06/02/2025"),
    ({"extensions": [day("12/02/2025"), day("14/02/2025")]}, day("05/02/2025"),
     "Ngày hẹn trả được đặt lại 2 lần; chỉ được hẹn lại tối đa 1 lần.", "re-set 2 times"),
    ({"due_snapshots": [(at("01/02/2025 08:00"), day("07/02/2025")),
                        (at("05/02/2025 08:00"), day("10/02/2025"))]}, day("05/02/2025"),
     "Hạn giải quyết bị lùi mà không có Phiếu xin lỗi và hẹn lại ngày trả kết quả, từ"
     " 07/02/2025 sang 10/02/2025 (dữ liệu ngày 05/02/2025).",
     "with no apology and new return date slip"),
    ({"due_snapshots": [(at("01/02/2025 08:00"), day("07/02/2025")),
                        (at("10/02/2025 08:00"), day("14/02/2025"))]}, day("10/02/2025"),
     "Hạn giải quyết bị lùi khi hồ sơ đã quá hạn", "after it had passed"),
    ({"due_snapshots": [(at("01/02/2025 08:00"), day("10/02/2025")),
                        (at("03/02/2025 08:00"), day("07/02/2025"))]}, day("04/02/2025"),
     "Hạn giải quyết bị đổi sớm hơn, từ 10/02/2025 sang 07/02/2025", "moved earlier"),
]
# fmt: on


@pytest.mark.parametrize(("changes", "as_of", "vi", "en"), EXPLAINED)
def test_each_finding_is_explained(changes: dict[str, Any], as_of: date, vi: str, en: str) -> None:
    verdict = judge(as_of, **changes)
    assert vi in verdict.explanation_vi
    assert en in verdict.explanation_en


@pytest.mark.parametrize(
    ("received", "due", "version", "document", "form"),
    [
        (
            "23/06/2025 09:00",
            "30/06/2025 09:00",
            "2019.1",
            "Nghị định 61/2018/NĐ-CP",
            "Phiếu xin lỗi và hẹn lại ngày trả kết quả",
        ),
        (
            "24/06/2025 09:00",
            "01/07/2025 09:00",
            "2025.1",
            "Nghị định 118/2025/NĐ-CP",
            "Phiếu xin lỗi và hẹn lại ngày trả kết quả",
        ),
        (
            "05/09/2025 09:00",
            "12/09/2025 09:00",
            "2025.1",
            "Nghị định 118/2025/NĐ-CP",
            "Phiếu xin lỗi và hẹn lại ngày trả kết quả",
        ),
        (
            "08/09/2025 09:00",
            "15/09/2025 09:00",
            "2025.2",
            "Thông tư 03/2025/TT-VPCP",
            "Văn bản xin lỗi và đề nghị gia hạn thời gian giải quyết",
        ),
    ],
    ids=[
        "NĐ 61 until 30/06/2025",
        "NĐ 118 from 01/07/2025",
        "TT 01/2018 form until 14/09",
        "TT 03/2025 form from 15/09/2025",
    ],
)
def test_the_rule_in_force_on_the_due_date_is_cited(
    received: str, due: str, version: str, document: str, form: str
) -> None:
    nine_days_later = at(due).date() + timedelta(days=9)
    verdict = evaluate_dossier(
        DossierFacts(received_at=at(received), processing_time=5), nine_days_later
    )
    assert verdict.due_at == at(due)
    assert verdict.status is OVERDUE
    assert (verdict.rule.id, verdict.rule.version) == ("dossier_deadlines", version)
    assert document in verdict.rule.legal_basis
    assert document in verdict.explanation_vi
    assert f"Không có {form} (Mẫu 04" in verdict.explanation_vi


def test_without_a_due_date_the_rule_of_the_receipt_date_is_cited() -> None:
    verdict = evaluate_dossier(DossierFacts(received_at=at("30/06/2025 09:00")), day("01/08/2025"))
    assert verdict.rule.version == "2019.1"
    assert verdict.due_at is None


def test_verdict_names_the_calendar_version() -> None:
    assert judge(day("05/02/2025")).calendar_version == default_calendar().version


def test_aware_times_are_judged_in_vietnam_time() -> None:
    utc = UTC
    aware = judge(
        datetime(2025, 2, 10, 16, 0, tzinfo=utc),  # 23:00 on 10/02 in Hà Nội
        received_at=datetime(2025, 1, 24, 3, 0, tzinfo=utc),
        finished_at=datetime(2025, 2, 10, 15, 30, tzinfo=utc),  # 22:30 on 10/02
    )
    naive = judge(
        at("10/02/2025 23:00"),
        received_at=at("24/01/2025 10:00"),
        finished_at=at("10/02/2025 22:30"),
    )
    assert aware == naive
    assert aware.status is LATE


def test_the_three_packs_follow_each_other() -> None:
    versions = default_registry().versions("dossier_deadlines")
    assert [(p.version, p.effective_from, p.effective_to) for p in versions] == [
        ("2019.1", date(2019, 1, 1), date(2025, 6, 30)),
        ("2025.1", date(2025, 7, 1), date(2025, 9, 14)),
        ("2025.2", date(2025, 9, 15), None),
    ]
    for pack in versions:
        assert "Bộ luật Dân sự 2015, Điều 147, 148" in pack.ref().legal_basis
        rules = deadline_rules(pack.effective_from)
        assert rules.same_day_cutoff == time(15, 0)
        assert (rules.apology_working_days_before_due, rules.max_extensions) == (1, 1)


GOOD_PARAMETERS = """\
  same_day_cutoff: "15:00"
  apology_working_days_before_due: 1
  max_extensions: 1
  apology_form: {code: "Mẫu 04", document: "TT", name_vi: "Phiếu", name_en: "slip"}
"""


def _pack(parameters: str) -> str:
    return (
        'id: dossier_deadlines\nversion: "t"\neffective_from: 2030-01-01\n'
        'legal_basis: [{document: "Nghị định 118/2025/NĐ-CP"}]\n'
        'label: {vi: "Hạn", en: "Due"}\nparameters:\n' + parameters
    )


def test_pack_parameters_are_read() -> None:
    rules = DeadlineRules.from_pack(parse_pack(_pack(GOOD_PARAMETERS), "t.yaml"))
    assert rules.apology_form.name_en == "slip"


@pytest.mark.parametrize(
    ("bad", "good", "message"),
    [
        ('"15:00"', '"3 giờ chiều"', "line 7: parameters.same_day_cutoff"),
        ('"15:00"', "15:00", "line 7: parameters.same_day_cutoff"),
        ("apology_working_days_before_due: 1", "apology_working_days_before_due: -1", "line 8"),
        ("max_extensions: 1", "max_extensions: true", "line 9: parameters.max_extensions"),
        ('name_en: "slip"', "name_en: 3", "line 10: parameters.apology_form"),
    ],
)
def test_pack_parameter_errors_name_the_line(bad: str, good: str, message: str) -> None:
    pack = parse_pack(_pack(GOOD_PARAMETERS.replace(bad, good, 1)), "t.yaml")
    with pytest.raises(PackError, match=message):
        DeadlineRules.from_pack(pack)


def test_rules_modules_stay_pure() -> None:
    code = (
        "import sys, congvu.rules.dossiers, congvu.rules.dossiers_vector\n"
        "bad = [m for m in sys.modules if m.split('.')[0] in"
        " ('litestar', 'piccolo', 'arq', 'redis', 'congvu.inspect')]\n"
        "bad += [m for m in sys.modules if m.startswith(('congvu.inspect', 'congvu.jobs'))]\n"
        "print(bad)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


@pytest.mark.parametrize(
    ("changes", "message"),
    [({"processing_time": -1}, "processing_time"), ({"processing_unit": "weeks"}, "weeks")],
)
def test_facts_refuse_impossible_terms(changes: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        replace(BASE, **changes)
