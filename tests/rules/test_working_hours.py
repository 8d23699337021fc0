"""Attendance verdicts at a spot check (QĐ 188/1999/QĐ-TTg Điều 1; CT 05/2008/CT-TTg: be at the
office on time, no late arrival or early leave; Luật CBCC 80/2025/QH15 Điều 14: no absence
without permission) and seasonal schedules set by UBND tỉnh (rules/README.md, "Working hours")."""

from __future__ import annotations

from datetime import date, datetime, time

import pytest
from congvu.rules.calendar import DEFAULT_SESSIONS, DaySessions
from congvu.rules.conduct import catalogue
from congvu.rules.packs import PackError, RulePack, pack_for, parse_pack
from congvu.rules.working_hours import (
    Absent,
    AttendanceStatus,
    AwayApproved,
    AwayKind,
    LeftAt,
    NoSeasonForDate,
    PresentAt,
    Season,
    SeasonalSchedule,
    judge_attendance,
    outside_working_day,
    outside_working_hours,
)

ON_TIME, LATE, LEFT_EARLY = (
    AttendanceStatus.ON_TIME,
    AttendanceStatus.LATE,
    AttendanceStatus.LEFT_EARLY,
)
CHECK_DAY = date(2026, 11, 20)
MORNING_CHECK = datetime(2026, 11, 20, 9, 0)
AFTERNOON_CHECK = datetime(2026, 11, 20, 14, 0)


def hm(text: str) -> time:
    return datetime.strptime(text, "%H:%M").time()


def pack_with_grace(minutes: object) -> RulePack:
    return parse_pack(
        f"""\
id: working_hours
version: "test.1"
effective_from: 2025-07-01
legal_basis:
  - {{document: "QĐ 188/1999/QĐ-TTg", article: "Điều 1"}}
label: {{vi: "Giờ làm việc", en: "Working hours"}}
parameters:
  grace_minutes: {minutes}
""",
        "working_hours--test.yaml",
    )


GRACE_5 = pack_with_grace(5)

# (observation, checked at, status, minutes, explanation_vi) — unit hours 07:30–11:30, 13:30–17:00
NO_GRACE = [
    (PresentAt(hm("07:30")), MORNING_CHECK, ON_TIME, 0,
     "Có mặt lúc 07:30, giờ làm việc bắt đầu 07:30, đúng giờ"),
    (PresentAt(hm("07:31")), MORNING_CHECK, LATE, 1,
     "Có mặt lúc 07:31, giờ làm việc bắt đầu 07:30, muộn 1 phút"),
    (PresentAt(hm("07:10")), MORNING_CHECK, ON_TIME, 0,
     "Có mặt lúc 07:10, giờ làm việc bắt đầu 07:30, đúng giờ"),
    (PresentAt(hm("08:21")), MORNING_CHECK, LATE, 51,
     "Có mặt lúc 08:21, giờ làm việc bắt đầu 07:30, muộn 51 phút"),
    (PresentAt(time(7, 30, 59)), MORNING_CHECK, ON_TIME, 0,  # whole clock minutes
     "Có mặt lúc 07:30, giờ làm việc bắt đầu 07:30, đúng giờ"),
    (PresentAt(hm("13:30")), AFTERNOON_CHECK, ON_TIME, 0,
     "Có mặt lúc 13:30, giờ làm việc bắt đầu 13:30, đúng giờ"),
    (PresentAt(hm("13:45")), AFTERNOON_CHECK, LATE, 15,
     "Có mặt lúc 13:45, giờ làm việc bắt đầu 13:30, muộn 15 phút"),
    (PresentAt(hm("12:50")), AFTERNOON_CHECK, ON_TIME, 0,
     "Có mặt lúc 12:50, giờ làm việc bắt đầu 13:30, đúng giờ"),
    # a check at 11:30, the end of the morning, is an afternoon check
    (PresentAt(hm("11:40")), datetime(2026, 11, 20, 11, 30), ON_TIME, 0,
     "Có mặt lúc 11:40, giờ làm việc bắt đầu 13:30, đúng giờ"),
    (LeftAt(hm("17:00")), AFTERNOON_CHECK, ON_TIME, 0,
     "Rời cơ quan lúc 17:00, giờ làm việc kết thúc 17:00, đúng giờ"),
    (LeftAt(hm("16:59")), AFTERNOON_CHECK, LEFT_EARLY, 1,
     "Rời cơ quan lúc 16:59, giờ làm việc kết thúc 17:00, về sớm 1 phút"),
    (LeftAt(hm("16:30")), AFTERNOON_CHECK, LEFT_EARLY, 30,
     "Rời cơ quan lúc 16:30, giờ làm việc kết thúc 17:00, về sớm 30 phút"),
    (LeftAt(hm("11:00")), MORNING_CHECK, LEFT_EARLY, 30,
     "Rời cơ quan lúc 11:00, giờ làm việc kết thúc 11:30, về sớm 30 phút"),
    (LeftAt(hm("11:30")), MORNING_CHECK, ON_TIME, 0,
     "Rời cơ quan lúc 11:30, giờ làm việc kết thúc 11:30, đúng giờ"),
    (LeftAt(hm("12:00")), MORNING_CHECK, ON_TIME, 0,  # the lunch break
     "Rời cơ quan lúc 12:00, giờ làm việc kết thúc 11:30, đúng giờ"),
    (LeftAt(hm("13:30")), AFTERNOON_CHECK, LEFT_EARLY, 210,
     "Rời cơ quan lúc 13:30, giờ làm việc kết thúc 17:00, về sớm 210 phút"),
    (LeftAt(hm("17:30")), AFTERNOON_CHECK, ON_TIME, 0,
     "Rời cơ quan lúc 17:30, giờ làm việc kết thúc 17:00, đúng giờ"),
]  # fmt: skip


@pytest.mark.parametrize(("observation", "checked_at", "status", "minutes", "vi"), NO_GRACE)
def test_verdicts_without_grace(
    observation: PresentAt | LeftAt,
    checked_at: datetime,
    status: AttendanceStatus,
    minutes: int,
    vi: str,
) -> None:
    verdict = judge_attendance(observation, DEFAULT_SESSIONS, checked_at)
    assert (verdict.status, verdict.minutes, verdict.explanation_vi) == (status, minutes, vi)
    assert verdict.rule == pack_for("working_hours", CHECK_DAY).ref()


WITH_GRACE = [
    (PresentAt(hm("07:30")), ON_TIME, 0, "Có mặt lúc 07:30, giờ làm việc bắt đầu 07:30, đúng giờ"),
    (PresentAt(hm("07:35")), ON_TIME, 0,
     "Có mặt lúc 07:35, giờ làm việc bắt đầu 07:30, muộn 5 phút, trong 5 phút cho phép"),
    (PresentAt(hm("07:36")), LATE, 6,
     "Có mặt lúc 07:36, giờ làm việc bắt đầu 07:30, muộn 6 phút (quá 5 phút cho phép)"),
    (LeftAt(hm("16:56")), ON_TIME, 0,
     "Rời cơ quan lúc 16:56, giờ làm việc kết thúc 17:00, về sớm 4 phút, trong 5 phút cho phép"),
    (LeftAt(hm("16:54")), LEFT_EARLY, 6,
     "Rời cơ quan lúc 16:54, giờ làm việc kết thúc 17:00, về sớm 6 phút (quá 5 phút cho phép)"),
]  # fmt: skip


@pytest.mark.parametrize(("observation", "status", "minutes", "vi"), WITH_GRACE)
def test_grace_minutes_from_the_pack(
    observation: PresentAt | LeftAt, status: AttendanceStatus, minutes: int, vi: str
) -> None:
    checked_at = (
        datetime(2026, 11, 20, 9, 0) if isinstance(observation, PresentAt) else AFTERNOON_CHECK
    )
    verdict = judge_attendance(observation, DEFAULT_SESSIONS, checked_at, GRACE_5)
    assert (verdict.status, verdict.minutes, verdict.explanation_vi) == (status, minutes, vi)
    assert verdict.rule.version == "test.1"


def test_english_explanations() -> None:
    late = judge_attendance(PresentAt(hm("07:36")), DEFAULT_SESSIONS, MORNING_CHECK, GRACE_5)
    assert late.explanation_en == (
        "Present at 07:36, working hours start at 07:30, 6 minutes late"
        " (beyond the 5-minute grace period)"
    )
    early = judge_attendance(LeftAt(hm("16:30")), DEFAULT_SESSIONS, AFTERNOON_CHECK)
    assert early.explanation_en == "Left at 16:30, working hours end at 17:00, 30 minutes early"


@pytest.mark.parametrize(
    ("status", "code"),
    [
        (AttendanceStatus.LATE, "LATE_ARRIVAL"),
        (AttendanceStatus.LEFT_EARLY, "EARLY_LEAVE"),
        (AttendanceStatus.ABSENT_NO_PERMISSION, "ABSENT_NO_PERMISSION"),
        (AttendanceStatus.ON_TIME, None),
        (AttendanceStatus.AWAY_APPROVED, None),
    ],
)
def test_violations_map_to_conduct_codes(status: AttendanceStatus, code: str | None) -> None:
    observation = {
        AttendanceStatus.LATE: PresentAt(hm("08:00")),
        AttendanceStatus.LEFT_EARLY: LeftAt(hm("10:00")),
        AttendanceStatus.ABSENT_NO_PERMISSION: Absent(),
        AttendanceStatus.ON_TIME: PresentAt(hm("07:00")),
        AttendanceStatus.AWAY_APPROVED: AwayApproved(AwayKind.LEAVE, "nghỉ phép năm"),
    }[status]
    verdict = judge_attendance(observation, DEFAULT_SESSIONS, MORNING_CHECK)
    assert (verdict.status, verdict.violation_code) == (status, code)
    if code is not None:
        assert code in catalogue(CHECK_DAY)


def test_absent_without_permission() -> None:
    verdict = judge_attendance(Absent(), DEFAULT_SESSIONS, datetime(2026, 11, 20, 8, 0))
    assert verdict.explanation_vi == (
        "Vắng mặt lúc kiểm tra 08:00 20/11/2026, không có lý do được chấp thuận"
    )
    assert (
        verdict.explanation_en == "Absent at the check at 08:00 20/11/2026 without approved leave"
    )
    assert "Luật Cán bộ, công chức số 80/2025/QH15, Điều 14" in verdict.rule.legal_basis


@pytest.mark.parametrize(
    ("away", "vi", "en"),
    [
        (AwayApproved(AwayKind.LEAVE, "nghỉ phép năm"),
         "Vắng mặt có phép (nghỉ phép): nghỉ phép năm",
         "Away with approval (approved leave): nghỉ phép năm"),
        (AwayApproved(AwayKind.BUSINESS_TRIP, "họp tại Sở Nội vụ"),
         "Vắng mặt có phép (đi công tác): họp tại Sở Nội vụ",
         "Away with approval (business trip): họp tại Sở Nội vụ"),
    ],
)  # fmt: skip
def test_away_with_approval(away: AwayApproved, vi: str, en: str) -> None:
    verdict = judge_attendance(away, DEFAULT_SESSIONS, MORNING_CHECK)
    assert (verdict.status, verdict.minutes) == (AttendanceStatus.AWAY_APPROVED, 0)
    assert (verdict.explanation_vi, verdict.explanation_en) == (vi, en)


@pytest.mark.parametrize(
    ("checked_at", "version"),
    [
        (datetime(2025, 6, 30, 9), "2019.1"),  # before Luật CBCC 2025
        (datetime(2025, 7, 1, 9), "2025.1"),  # Luật CBCC 80/2025/QH15 in force
    ],
)
def test_the_pack_in_force_on_the_check_day_is_used(checked_at: datetime, version: str) -> None:
    verdict = judge_attendance(PresentAt(hm("07:45")), DEFAULT_SESSIONS, checked_at)
    assert (verdict.rule.id, verdict.rule.version) == ("working_hours", version)


def test_a_pack_not_in_force_or_of_another_topic_is_refused() -> None:
    old = pack_for("working_hours", date(2020, 1, 1))
    with pytest.raises(ValueError, match="not the working_hours pack in force on 20/11/2026"):
        judge_attendance(Absent(), DEFAULT_SESSIONS, MORNING_CHECK, old)
    with pytest.raises(ValueError, match=r"conduct 2025\.1"):
        judge_attendance(Absent(), DEFAULT_SESSIONS, MORNING_CHECK, pack_for("conduct", CHECK_DAY))


@pytest.mark.parametrize("bad", ["-1", "'5'", "true"])
def test_bad_grace_is_a_pack_error_with_its_line(bad: str) -> None:
    with pytest.raises(
        PackError, match=r"working_hours--test\.yaml line 8: parameters\.grace_minutes"
    ):
        judge_attendance(Absent(), DEFAULT_SESSIONS, MORNING_CHECK, pack_with_grace(bad))


def test_an_unknown_observation_is_a_type_error() -> None:
    with pytest.raises(TypeError, match="not an attendance observation"):
        judge_attendance("late", DEFAULT_SESSIONS, MORNING_CHECK)  # type: ignore[arg-type]


# --- seasonal schedules (Nghệ An, Hải Dương: rules/README.md, "Working hours") -------------

NA_SUMMER = DaySessions(hm("07:00"), hm("11:30"), hm("13:30"), hm("17:00"))
NA_WINTER = DaySessions(hm("07:30"), hm("12:00"), hm("13:30"), hm("17:00"))
NGHE_AN = SeasonalSchedule(
    [
        Season("Mùa hè", (4, 16), (10, 15), NA_SUMMER),
        Season("Mùa đông", (10, 16), (4, 15), NA_WINTER),  # wraps the year end
    ]
)
HD_SUMMER = DaySessions(hm("07:00"), hm("11:30"), hm("13:30"), hm("17:00"))
HD_WINTER = DaySessions(hm("07:30"), hm("12:00"), hm("13:00"), hm("16:30"))
HAI_DUONG = SeasonalSchedule(
    [Season("Mùa hè", (4, 1), (10, 31), HD_SUMMER), Season("Mùa đông", (11, 1), (3, 31), HD_WINTER)]
)

SEASONS = [
    (NGHE_AN, date(2026, 10, 15), NA_SUMMER, "last summer day"),
    (NGHE_AN, date(2026, 10, 16), NA_WINTER, "first winter day"),
    (NGHE_AN, date(2026, 4, 15), NA_WINTER, "last winter day"),
    (NGHE_AN, date(2026, 4, 16), NA_SUMMER, "first summer day"),
    (NGHE_AN, date(2026, 12, 31), NA_WINTER, "winter across the year end"),
    (NGHE_AN, date(2027, 1, 1), NA_WINTER, "winter across the year end"),
    (NGHE_AN, date(2028, 2, 29), NA_WINTER, "leap day"),
    (HAI_DUONG, date(2026, 3, 31), HD_WINTER, "last winter day"),
    (HAI_DUONG, date(2026, 4, 1), HD_SUMMER, "first summer day"),
    (HAI_DUONG, date(2026, 10, 31), HD_SUMMER, "last summer day"),
    (HAI_DUONG, date(2026, 11, 1), HD_WINTER, "first winter day"),
]


@pytest.mark.parametrize(("schedule", "on", "sessions", "why"), SEASONS)
def test_sessions_on_switch_days(
    schedule: SeasonalSchedule, on: date, sessions: DaySessions, why: str
) -> None:
    assert schedule.sessions_on(on) == sessions, why


@pytest.mark.parametrize(
    ("on", "status", "minutes"),
    [
        (date(2026, 10, 15), LATE, 15),  # summer: opens 07:00
        (date(2026, 10, 16), ON_TIME, 0),  # winter: opens 07:30
    ],
)
def test_the_same_arrival_on_either_side_of_the_switch(
    on: date, status: AttendanceStatus, minutes: int
) -> None:
    checked_at = datetime.combine(on, hm("08:00"))
    verdict = judge_attendance(PresentAt(hm("07:15")), NGHE_AN.sessions_on(on), checked_at)
    assert (verdict.status, verdict.minutes) == (status, minutes)


def test_a_date_no_season_covers_is_an_error() -> None:
    summer_only = SeasonalSchedule([Season("Mùa hè", (4, 16), (10, 15), NA_SUMMER)])
    with pytest.raises(NoSeasonForDate, match="no working-hours season covers 16/10/2026"):
        summer_only.sessions_on(date(2026, 10, 16))


def test_overlapping_seasons_are_refused() -> None:
    with pytest.raises(ValueError, match="seasons Mùa hè and Mùa đông overlap on 15/10"):
        SeasonalSchedule(
            [
                Season("Mùa hè", (4, 16), (10, 15), NA_SUMMER),
                Season("Mùa đông", (10, 15), (4, 15), NA_WINTER),
            ]
        )


def test_season_bounds_must_be_real_days() -> None:
    with pytest.raises(ValueError):
        Season("Sai", (2, 30), (3, 1), NA_SUMMER)


def test_all_year_schedule() -> None:
    # Phú Yên, all year from 2021: 07:30–12:00 & 13:30–17:00
    phu_yen = SeasonalSchedule.all_year(NA_WINTER)
    assert phu_yen.season_on(date(2026, 7, 1)).name_vi == "Cả năm"
    assert phu_yen.sessions_on(date(2026, 12, 31)) == NA_WINTER


def test_a_day_no_season_covers_is_judged_by_the_national_default() -> None:
    """QĐ 188/1999/QĐ-TTg hours stand in for a gap in a unit's own seasons."""
    summer = DaySessions(hm("07:00"), hm("11:30"), hm("13:30"), hm("17:00"))
    summer_only = SeasonalSchedule([Season("Mùa hè", (5, 1), (8, 31), summer)])
    assert summer_only.sessions_or_default(date(2026, 6, 1)).morning_start == hm("07:00")
    assert summer_only.sessions_or_default(date(2026, 12, 1)) == DEFAULT_SESSIONS


# --- the awkward days and moments: who is on duty at all (computed by hand) ----------------
# Nghệ An winter hours 07:30–12:00 and 13:30–17:00 (NA_WINTER), unless noted.
NOT_ON_DUTY, ABSENT = AttendanceStatus.NOT_ON_DUTY, AttendanceStatus.ABSENT_NO_PERMISSION
ON_DUTY_TABLE = [
    # Sunday 06/12/2026, 12:14: nobody is due at the desk; nothing is a violation.
    (Absent(), datetime(2026, 12, 6, 12, 14), NA_WINTER, NOT_ON_DUTY, 0,
     "06/12/2026 (Chủ nhật) không phải ngày làm việc: không xét giờ giấc"),
    (PresentAt(hm("08:20")), datetime(2026, 12, 6, 12, 14), NA_WINTER, NOT_ON_DUTY, 0,
     "06/12/2026 (Chủ nhật) không phải ngày làm việc: không xét giờ giấc"),
    # Tết Bính Ngọ: Tuesday 17/02/2026 is a holiday, a weekday notwithstanding.
    (LeftAt(hm("09:00")), datetime(2026, 2, 17, 9, 30), NA_WINTER, NOT_ON_DUTY, 0, None),
    # Make-up Saturday 26/04/2025 is a working day (summer hours from 16/04: 07:00–11:30).
    (Absent(), datetime(2025, 4, 26, 8, 0), NA_SUMMER, ABSENT, 0,
     "Vắng mặt lúc kiểm tra 08:00 26/04/2025, không có lý do được chấp thuận"),
    (PresentAt(hm("07:10")), datetime(2025, 4, 26, 8, 0), NA_SUMMER, LATE, 10,
     "Có mặt lúc 07:10, giờ làm việc bắt đầu 07:00, muộn 10 phút"),
    # Friday 04/12/2026, the check at 12:14 falls in the lunch break (12:00–13:30):
    # arrivals of the morning are judged against the morning, not the afternoon.
    (PresentAt(hm("07:50")), datetime(2026, 12, 4, 12, 14), NA_WINTER, LATE, 20,
     "Có mặt lúc 07:50, giờ làm việc bắt đầu 07:30, muộn 20 phút"),
    (PresentAt(hm("08:20")), datetime(2026, 12, 4, 12, 14), NA_WINTER, LATE, 50,
     "Có mặt lúc 08:20, giờ làm việc bắt đầu 07:30, muộn 50 phút"),
    (PresentAt(hm("07:25")), datetime(2026, 12, 4, 15, 0), NA_WINTER, ON_TIME, 0,
     "Có mặt lúc 07:25, giờ làm việc bắt đầu 07:30, đúng giờ"),
    (Absent(), datetime(2026, 12, 4, 12, 14), NA_WINTER, NOT_ON_DUTY, 0,
     "Lúc kiểm tra 12:14 04/12/2026 ngoài giờ làm việc (07:30–12:00, 13:30–17:00): vắng mặt"
     " không phải vi phạm"),
    # Before opening and after closing nobody is absent; at opening and before closing they are.
    (Absent(), datetime(2026, 12, 4, 7, 29), NA_WINTER, NOT_ON_DUTY, 0, None),
    (Absent(), datetime(2026, 12, 4, 7, 30), NA_WINTER, ABSENT, 0, None),
    (Absent(), datetime(2026, 12, 4, 16, 59), NA_WINTER, ABSENT, 0, None),
    (Absent(), datetime(2026, 12, 4, 17, 0), NA_WINTER, NOT_ON_DUTY, 0, None),
    # Summer vs winter: 07:15 is late on 15/10 (summer opens 07:00), on time on 16/10.
    (PresentAt(hm("07:15")), datetime(2026, 10, 15, 12, 30), NA_SUMMER, LATE, 15, None),
    (PresentAt(hm("07:15")), datetime(2026, 10, 16, 12, 30), NA_WINTER, ON_TIME, 0, None),
]  # fmt: skip


@pytest.mark.parametrize(
    ("observation", "checked_at", "sessions", "status", "minutes", "vi"), ON_DUTY_TABLE
)
def test_only_those_on_duty_are_judged(
    observation: PresentAt | LeftAt | Absent,
    checked_at: datetime,
    sessions: DaySessions,
    status: AttendanceStatus,
    minutes: int,
    vi: str | None,
) -> None:
    verdict = judge_attendance(observation, sessions, checked_at)
    assert (verdict.status, verdict.minutes) == (status, minutes)
    assert (verdict.violation_code is None) == (status in (ON_TIME, NOT_ON_DUTY))
    if vi is not None:
        assert verdict.explanation_vi == vi


def test_a_holiday_is_named_in_the_verdict() -> None:
    verdict = judge_attendance(Absent(), NA_WINTER, datetime(2026, 2, 17, 9, 30))
    assert verdict.status is NOT_ON_DUTY
    assert "17/02/2026" in verdict.explanation_vi and "Chủ nhật" not in verdict.explanation_vi
    assert "is not a working day" in verdict.explanation_en


# --- when a check may be held: hand-computed from rules/calendars and the default hours ---------

NGHE_AN_WINTER = DaySessions(hm("07:30"), hm("11:30"), hm("13:30"), hm("17:00"))
NGHE_AN_SUMMER = DaySessions(hm("07:00"), hm("11:30"), hm("13:30"), hm("17:00"))


@pytest.mark.parametrize(
    ("at", "sessions", "vi"),
    [
        # Sunday 06/12/2026 at 12:14: the day comes first, whatever the hour.
        (
            datetime(2026, 12, 6, 12, 14),
            NGHE_AN_WINTER,
            "06/12/2026 (Chủ nhật) không phải ngày làm việc",
        ),
        # Tết Bính Ngọ, Tuesday 17/02/2026, in office hours.
        (
            datetime(2026, 2, 17, 9, 0),
            NGHE_AN_WINTER,
            "17/02/2026 (Tết Nguyên Đán) không phải ngày làm việc",
        ),
        # Friday 02/01/2026, swapped off (Công văn 12729/VPCP-KGVX).
        (
            datetime(2026, 1, 2, 9, 0),
            NGHE_AN_WINTER,
            "02/01/2026 (Nghỉ Tết Dương lịch (hoán đổi với thứ Bảy 10/01/2026))"
            " không phải ngày làm việc",
        ),
        # Make-up Saturday 26/04/2025 at 09:00: a working day, inside the morning.
        (datetime(2025, 4, 26, 9, 0), NGHE_AN_SUMMER, None),
        (datetime(2025, 4, 26, 7, 10), NGHE_AN_SUMMER, None),  # summer opens at 07:00
        # The same 07:10 on a winter Monday is before opening.
        (
            datetime(2026, 12, 7, 7, 10),
            NGHE_AN_WINTER,
            "07:10 ngày 07/12/2026 trước giờ làm việc (bắt đầu 07:30)",
        ),
        (datetime(2026, 12, 7, 7, 30), NGHE_AN_WINTER, None),  # opening minute is inside
        (
            datetime(2026, 12, 7, 11, 30),  # the morning ends at 11:30: lunch has begun
            NGHE_AN_WINTER,
            "11:30 ngày 07/12/2026 trong giờ nghỉ trưa (11:30–13:30)",
        ),
        (
            datetime(2026, 12, 7, 12, 14),
            NGHE_AN_WINTER,
            "12:14 ngày 07/12/2026 trong giờ nghỉ trưa (11:30–13:30)",
        ),
        (datetime(2026, 12, 7, 13, 30), NGHE_AN_WINTER, None),
        (datetime(2026, 12, 7, 16, 59), NGHE_AN_WINTER, None),
        (
            datetime(2026, 12, 7, 17, 0),
            NGHE_AN_WINTER,
            "17:00 ngày 07/12/2026 sau giờ làm việc (kết thúc 17:00)",
        ),
    ],
)
def test_outside_working_hours(at: datetime, sessions: DaySessions, vi: str | None) -> None:
    found = outside_working_hours(at, sessions)
    assert (found.explanation_vi if found else None) == vi


def test_outside_working_hours_in_english() -> None:
    lunch = outside_working_hours(datetime(2026, 12, 7, 12, 14), NGHE_AN_WINTER)
    assert lunch is not None
    assert lunch.explanation_en == "12:14 on 07/12/2026 is in the lunch break (11:30–13:30)"
    early = outside_working_hours(datetime(2026, 12, 7, 6, 0), NGHE_AN_WINTER)
    assert early is not None
    assert early.explanation_en == "06:00 on 07/12/2026 is before opening (07:30)"
    late = outside_working_hours(datetime(2026, 12, 7, 18, 0), NGHE_AN_WINTER)
    assert late is not None
    assert late.explanation_en == "18:00 on 07/12/2026 is after closing (17:00)"
    sunday = outside_working_day(date(2026, 12, 13))
    assert sunday is not None
    assert sunday.explanation_en == "13/12/2026 (Chủ nhật) is not a working day"


@pytest.mark.parametrize(
    ("day", "off"),
    [
        (date(2026, 12, 13), True),  # Sunday: the surprise draw of the demo
        (date(2026, 12, 12), True),  # Saturday
        (date(2026, 8, 22), False),  # make-up Saturday
        (date(2026, 12, 14), False),  # Monday
        (date(2026, 11, 24), False),  # worked in 2026
    ],
)
def test_outside_working_day(day: date, off: bool) -> None:
    assert (outside_working_day(day) is not None) is off
