"""Working-day calendar, checked by hand against the official announcements.

Sources: Bộ luật Lao động 2019 Điều 112 (public holidays); QĐ 188/1999/QĐ-TTg Điều 1 (Saturday
and Sunday off); Thông báo 6150/TB-BLĐTBXH (Tết 2025: off 25/01–02/02/2025); 2025 swap (work
Sat 26/04, off Fri 02/05); Tết 2026 off Sat 14/02–Sun 22/02; 2026 swap (work Sat 22/08, off
Mon 31/08); Nghị quyết 80-NQ/TW (24/11 Ngày Văn hóa Việt Nam). The law behind each date:
rules/README.md, "Working-day calendar".
"""

from __future__ import annotations

import os
import time as time_module
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, time, timedelta
from textwrap import dedent

import holidays
import pytest
from congvu.rules.calendar import (
    DEFAULT_SESSIONS,
    Announcement,
    DaySessions,
    WorkingCalendar,
    default_calendar,
    explain_due,
    install_calendar,
    shipped_calendar,
)
from congvu.rules.packs import PackError
from hypothesis import given, settings
from hypothesis import strategies as st

CAL = default_calendar()
D = date
NGHE_AN_SUMMER = DaySessions(time(7, 0), time(11, 30), time(13, 30), time(17, 0))


def d(text: str) -> date:
    return datetime.strptime(text, "%d/%m/%Y").date()


def dt(text: str) -> datetime:
    return datetime.strptime(text, "%d/%m/%Y %H:%M")


# (date, working?, why)
WORKING_DAYS = [
    ("24/01/2025", True, "last working day before Tết Ất Tỵ (TB 6150/TB-BLĐTBXH)"),
    ("25/01/2025", False, "Tết 2025 starts Sat 25/01"),
    ("27/01/2025", False, "Tết 2025, 28 tháng Chạp"),
    ("29/01/2025", False, "Tết 2025, mùng 1"),
    ("31/01/2025", False, "Tết 2025, mùng 3"),
    ("01/02/2025", False, "Tết 2025, Saturday"),
    ("02/02/2025", False, "Tết 2025 ends Sun 02/02"),
    ("03/02/2025", True, "first working day after Tết 2025"),
    ("07/04/2025", False, "Giỗ Tổ Hùng Vương 10/3 âm lịch (BLLĐ Điều 112)"),
    ("26/04/2025", True, "make-up Saturday for Fri 02/05/2025 (2025 swap)"),
    ("30/04/2025", False, "Ngày Chiến thắng (BLLĐ Điều 112)"),
    ("01/05/2025", False, "Ngày Quốc tế Lao động (BLLĐ Điều 112)"),
    ("02/05/2025", False, "swap day off for Sat 26/04/2025"),
    ("05/05/2025", True, "back after 30/4–4/5/2025"),
    ("01/09/2025", False, "Quốc khánh, adjacent day (BLLĐ Điều 112)"),
    ("02/09/2025", False, "Quốc khánh"),
    ("03/09/2025", True, "after Quốc khánh 2025"),
    ("01/01/2026", False, "Tết Dương lịch"),
    ("13/02/2026", True, "last working day before Tết Bính Ngọ"),
    ("14/02/2026", False, "Tết 2026 starts Sat 14/02"),
    ("16/02/2026", False, "Tết 2026, giao thừa"),
    ("20/02/2026", False, "Tết 2026, mùng 4"),
    ("22/02/2026", False, "Tết 2026 ends Sun 22/02"),
    ("23/02/2026", True, "first working day after Tết 2026"),
    ("27/04/2026", False, "Giỗ Tổ on Sun 26/04/2026 → nghỉ bù Mon 27/04"),
    ("22/08/2026", True, "make-up Saturday for Mon 31/08/2026 (2026 swap)"),
    ("29/08/2026", False, "ordinary Saturday (QĐ 188/1999 Điều 1)"),
    ("31/08/2026", False, "swap day off for Sat 22/08/2026"),
    ("01/09/2026", False, "Quốc khánh, adjacent day"),
    ("02/09/2026", False, "Quốc khánh"),
    ("03/09/2026", True, "after Quốc khánh 2026"),
    ("24/11/2026", True, "Ngày Văn hóa Việt Nam: no text made it a day off in 2026"),
    ("02/01/2026", False, "Tết Dương lịch swap day off (Công văn 12729/VPCP-KGVX)"),
    ("03/01/2026", False, "Saturday of the New Year break"),
    ("10/01/2026", True, "make-up Saturday for 02/01/2026"),
    ("17/01/2026", False, "ordinary Saturday after the swap"),
    ("25/11/2026", True, "ordinary Wednesday"),
]


@pytest.mark.parametrize(("day", "working", "why"), WORKING_DAYS)
def test_is_working_day(day: str, working: bool, why: str) -> None:
    assert CAL.is_working_day(d(day)) is working, why


HOLIDAY_NAMES = [
    ("27/01/2025", "28 Tết"),  # override: 2025's twelfth lunar month had 29 days
    ("28/01/2025", "Giao thừa Tết Nguyên Đán"),
    ("01/02/2025", "Mùng bốn Tết Nguyên Đán"),  # a holiday name beats "Thứ Bảy"
    ("02/05/2025", "Ngày nghỉ (thay cho ngày 26/04/2025)"),
    ("25/01/2025", "Thứ Bảy"),
    ("02/02/2025", "Chủ nhật"),
    ("27/04/2026", "Ngày Giỗ Tổ Hùng Vương (nghỉ bù)"),
    ("24/11/2026", None),  # worked in 2026 (vn-2026.yaml revision 2)
    ("02/01/2026", "Nghỉ Tết Dương lịch (hoán đổi với thứ Bảy 10/01/2026)"),
    ("10/01/2026", None),  # make-up Saturday
    ("22/08/2026", None),  # make-up Saturday is a working day
    ("24/01/2025", None),
]


@pytest.mark.parametrize(("day", "name"), HOLIDAY_NAMES)
def test_holiday_name(day: str, name: str | None) -> None:
    assert CAL.holiday_name(d(day)) == name


# (start, n, expected): the n-th working day after start, start not counted
ADD_WORKING_DAYS = [
    ("24/01/2025", 1, "03/02/2025", "Tết 2025: 25/01–02/02 skipped"),
    ("24/01/2025", 5, "07/02/2025", "Tết 2025"),
    ("23/01/2025", 2, "03/02/2025", "24/01 is day 1, then Tết"),
    ("24/01/2025", 0, "24/01/2025", "n=0 on a working day is the day itself"),
    ("25/01/2025", 0, "03/02/2025", "n=0 on a holiday is the next working day"),
    ("13/02/2026", 1, "23/02/2026", "Tết 2026: 14/02–22/02 skipped"),
    ("12/02/2026", 3, "24/02/2026", "13/02, 23/02, 24/02"),
    ("25/04/2025", 1, "26/04/2025", "make-up Saturday 2025 counts"),
    ("29/04/2025", 1, "05/05/2025", "30/04, 01/05, 02/05 off, then weekend"),
    ("21/08/2026", 1, "22/08/2026", "make-up Saturday 2026 counts"),
    ("28/08/2026", 1, "03/09/2026", "29/08–02/09/2026 off"),
    ("20/11/2026", 2, "24/11/2026", "24/11/2026 worked in 2026"),
    ("31/12/2025", 1, "05/01/2026", "01/01 and the swap day 02/01/2026 off, then a weekend"),
    ("09/01/2026", 1, "10/01/2026", "the make-up Saturday 10/01/2026 counts"),
    ("05/01/2026", -1, "31/12/2025", "backwards across New Year 2026"),
    ("03/02/2025", -1, "24/01/2025", "backwards across Tết 2025"),
    ("23/02/2026", -1, "13/02/2026", "backwards across Tết 2026"),
    ("24/08/2026", -1, "22/08/2026", "backwards onto the make-up Saturday"),
    ("03/09/2026", -1, "28/08/2026", "backwards across Quốc khánh 2026"),
]


@pytest.mark.parametrize(("start", "n", "expected", "why"), ADD_WORKING_DAYS)
def test_add_working_days(start: str, n: int, expected: str, why: str) -> None:
    assert CAL.add_working_days(d(start), n) == d(expected), why


BETWEEN = [
    ("24/01/2025", "03/02/2025", 1),
    ("24/01/2025", "07/02/2025", 5),
    ("03/02/2025", "24/01/2025", -1),
    ("13/02/2026", "23/02/2026", 1),
    ("21/08/2026", "24/08/2026", 2),  # Sat 22/08 make-up + Mon 24/08
    ("28/08/2026", "03/09/2026", 1),
    ("20/11/2026", "20/11/2026", 0),
    # 2025: 261 weekdays − 12 weekday holidays + 1 make-up Saturday = 250
    ("01/01/2025", "31/12/2025", 250),
    # 2026: 261 weekdays − 13 weekday holidays (02/01 in, 24/11 out) + 2 make-up Saturdays
    # (10/01, 22/08); start 01/01 itself is not counted and is a holiday anyway = 250
    ("01/01/2026", "31/12/2026", 250),
]


@pytest.mark.parametrize(("start", "end", "expected"), BETWEEN)
def test_working_days_between(start: str, end: str, expected: int) -> None:
    assert CAL.working_days_between(d(start), d(end)) == expected


# Unit hours 07:30–11:30, 13:30–17:00 unless stated (DEFAULT_SESSIONS).
NEXT_MOMENT = [
    ("24/01/2025 06:45", "24/01/2025 07:30", "before opening → opening"),
    ("24/01/2025 07:30", "24/01/2025 07:30", "at opening"),
    ("24/01/2025 11:29", "24/01/2025 11:29", "inside the morning"),
    ("24/01/2025 11:30", "24/01/2025 13:30", "lunch starts at morning end"),
    ("24/01/2025 12:15", "24/01/2025 13:30", "lunch receipt → afternoon start"),
    ("24/01/2025 16:59", "24/01/2025 16:59", "inside the afternoon"),
    ("24/01/2025 17:00", "03/02/2025 07:30", "after closing before Tết 2025"),
    ("25/01/2025 09:00", "03/02/2025 07:30", "received during Tết 2025"),
    ("21/08/2026 17:30", "22/08/2026 07:30", "next morning is the make-up Saturday"),
    ("28/08/2026 18:00", "03/09/2026 07:30", "after closing before Quốc khánh 2026"),
    ("13/02/2026 17:05", "23/02/2026 07:30", "after closing before Tết 2026"),
]


@pytest.mark.parametrize(("at", "expected", "why"), NEXT_MOMENT)
def test_next_working_moment(at: str, expected: str, why: str) -> None:
    assert CAL.next_working_moment(dt(at), DEFAULT_SESSIONS) == dt(expected), why


def test_next_working_moment_uses_the_units_own_hours() -> None:
    # Nghệ An summer schedule opens at 07:00 (rules/README.md, "Working hours")
    assert CAL.next_working_moment(dt("15/10/2026 06:50"), NGHE_AN_SUMMER) == dt("15/10/2026 07:00")


def test_next_working_moment_refuses_aware_datetimes() -> None:
    with pytest.raises(ValueError, match="naive local datetime"):
        CAL.next_working_moment(datetime(2026, 1, 5, 8, tzinfo=UTC), DEFAULT_SESSIONS)


def test_non_working_days_2025_match_the_announcements() -> None:
    assert [day.strftime("%d/%m") for day, _ in CAL.non_working_days(2025)] == [
        "01/01",
        "27/01",
        "28/01",
        "29/01",
        "30/01",
        "31/01",
        "01/02",
        "07/04",
        "30/04",
        "01/05",
        "02/05",
        "01/09",
        "02/09",
    ]
    assert CAL.make_up_days(2025) == [(D(2025, 4, 26), "Làm bù cho ngày nghỉ 02/05/2025")]


def test_non_working_days_2026_match_the_announcements() -> None:
    days = dict(CAL.non_working_days(2026))
    assert [day.strftime("%d/%m") for day in days] == [
        "01/01",
        "02/01",
        "16/02",
        "17/02",
        "18/02",
        "19/02",
        "20/02",
        "26/04",
        "27/04",
        "30/04",
        "01/05",
        "31/08",
        "01/09",
        "02/09",
    ]
    assert days[D(2026, 8, 31)] == "Ngày nghỉ (thay cho ngày 22/08/2026)"
    assert days[D(2026, 1, 2)] == "Nghỉ Tết Dương lịch (hoán đổi với thứ Bảy 10/01/2026)"
    assert CAL.make_up_days(2026) == [
        (D(2026, 1, 10), "Làm bù cho ngày nghỉ 02/01/2026"),
        (D(2026, 8, 22), "Làm bù cho ngày nghỉ 31/08/2026"),
    ]


def test_a_make_up_day_without_its_pair_in_the_same_year_keeps_a_plain_name() -> None:
    # 27/12/2014 was worked for 02/01/2015 (VPCP 2014): the pair spans two years.
    assert (D(2014, 12, 27), "Ngày làm bù") in CAL.make_up_days(2014)


def test_version_names_the_package_and_each_override() -> None:
    assert CAL.version == f"holidays-{holidays.__version__}+vn-2025.1+vn-2026.2"
    assert default_calendar() is CAL
    assert WorkingCalendar().version == CAL.version


# --- overrides --------------------------------------------------------------------------------


def override(body: str, year: int = 2026, revision: int = 2) -> dict[str, str]:
    return {f"vn-{year}.yaml": f"year: {year}\nrevision: {revision}\n" + dedent(body)}


def test_override_can_remove_24_11_if_the_labour_code_is_not_amended() -> None:
    cal = WorkingCalendar(
        override(
            """\
            remove_holidays:
              - {date: 2026-11-24, note: "Bộ luật Lao động Điều 112 chưa sửa"}
            """
        )
    )
    assert cal.is_working_day(D(2026, 11, 24))
    assert cal.add_working_days(D(2026, 11, 20), 2) == D(2026, 11, 24)
    assert cal.version == f"holidays-{holidays.__version__}+vn-2026.2"


def test_override_adds_a_provincial_holiday_and_a_make_up_day() -> None:
    cal = WorkingCalendar(
        override(
            """\
            extra_holidays:
              - {date: 2026-03-10, name_vi: "Nghỉ theo quyết định của UBND tỉnh"}
              - {date: 2026-08-22, name_vi: "Hủy làm bù"}
            extra_working_days:
              - {date: 2026-10-10, name_vi: "Làm bù theo quyết định của UBND tỉnh"}
              - {date: 2026-11-24}
            """
        )
    )
    assert cal.holiday_name(D(2026, 3, 10)) == "Nghỉ theo quyết định của UBND tỉnh"
    assert cal.add_working_days(D(2026, 3, 9), 1) == D(2026, 3, 11)
    assert not cal.is_working_day(D(2026, 8, 22))  # a holiday beats a package make-up day
    assert cal.is_working_day(D(2026, 10, 10))  # a Saturday
    assert cal.is_working_day(D(2026, 11, 24))  # a package holiday worked instead
    assert cal.make_up_days(2026) == [
        (D(2026, 10, 10), "Làm bù theo quyết định của UBND tỉnh"),
        (D(2026, 11, 24), "Ngày làm bù"),
    ]


def test_no_overrides_means_the_package_alone() -> None:
    cal = WorkingCalendar({})
    assert cal.version == f"holidays-{holidays.__version__}"
    assert cal.holiday_name(D(2025, 1, 27)) == "29 Tết"  # the package's label


OVERRIDE_ERRORS = [
    (
        "stale removal",
        "remove_holidays:\n  - {date: 2026-03-03}\n",
        "vn-2026.yaml line 4: 03/03/2026 is not a holiday in holidays",
    ),
    (
        "make-up day already working",
        "extra_working_days:\n  - {date: 2026-03-04}\n",
        "vn-2026.yaml line 4: 04/03/2026 is already a working day",
    ),
    (
        "date in another year",
        "extra_holidays:\n  - {date: 2027-01-01, name_vi: x}\n",
        "vn-2026.yaml line 4: 01/01/2027 is not in 2026",
    ),
    (
        "same date twice",
        "extra_holidays:\n  - {date: 2026-03-10, name_vi: x}\n"
        "remove_holidays:\n  - {date: 2026-03-10}\n",
        "vn-2026.yaml line 6: 10/03/2026 is already overridden on line 4",
    ),
    (
        "extra holiday without a name",
        "extra_holidays:\n  - {date: 2026-03-10}\n",
        "vn-2026.yaml line 4: missing required key 'name_vi'",
    ),
    ("unknown key", "holidays:\n  - {date: 2026-03-10}\n", "vn-2026.yaml line 3: unknown key"),
    (
        "not a list",
        "extra_holidays: {date: 2026-03-10}\n",
        "vn-2026.yaml line 3: extra_holidays must be a list",
    ),
]


@pytest.mark.parametrize(
    ("case", "body", "message"), OVERRIDE_ERRORS, ids=[c[0] for c in OVERRIDE_ERRORS]
)
def test_override_errors_name_file_and_line(case: str, body: str, message: str) -> None:
    with pytest.raises(PackError) as error:
        WorkingCalendar(override(body))
    assert str(error.value).startswith(message), str(error.value)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("year: '2026'\nrevision: 1\n", "v.yaml line 1: year must be a number"),
        ("year: 2026\nrevision: 0\n", "v.yaml line 2: revision must be a whole number ≥ 1"),
        ("year: 2026\nrevision: true\n", "v.yaml line 2: revision must be a whole number ≥ 1"),
    ],
)
def test_override_header_is_checked(text: str, message: str) -> None:
    with pytest.raises(PackError, match=message):
        WorkingCalendar({"v.yaml": text})


def test_two_override_files_for_one_year_are_refused() -> None:
    texts = {"a.yaml": "year: 2026\nrevision: 1\n", "b.yaml": "year: 2026\nrevision: 2\n"}
    with pytest.raises(
        PackError, match=r"b.yaml line 1: a second override for 2026 \(also a.yaml\)"
    ):
        WorkingCalendar(texts)


# --- sessions and due dates -------------------------------------------------------------------


def test_sessions_must_be_in_order() -> None:
    with pytest.raises(ValueError, match="out of order"):
        DaySessions(time(13, 30), time(11, 30), time(7, 30), time(17, 0))
    assert str(DEFAULT_SESSIONS) == "07:30–11:30, 13:30–17:00"


def test_due_across_tet_2025_is_counted_day_by_day() -> None:
    result = explain_due(dt("24/01/2025 10:00"), 5)
    assert result.start == dt("24/01/2025 10:00")
    assert result.due == dt("07/02/2025 10:00")
    assert result.counted_days == tuple(D(2025, 2, day) for day in (3, 4, 5, 6, 7))
    assert [day for day, _ in result.skipped] == [
        D(2025, 1, 25) + timedelta(days=k) for k in range(9)
    ]
    assert result.skipped[2] == (D(2025, 1, 27), "28 Tết")
    assert result.calendar_version == CAL.version
    assert result.explanation_vi == (
        "Nhận lúc 24/01/2025 10:00, bắt đầu tính từ 24/01/2025 10:00, cộng 5 ngày làm việc"
        " (bỏ qua 9 ngày nghỉ): hạn 07/02/2025 10:00"
    )
    assert result.explanation_en.endswith("(9 non-working days skipped): due 07/02/2025 10:00")


DUE = [
    ("24/01/2025 17:30", 1, "04/02/2025 07:30", "after closing → next working morning 03/02"),
    ("20/11/2026 12:00", 2, "24/11/2026 13:30", "lunch receipt; 24/11/2026 worked"),
    ("31/12/2025 16:00", 1, "05/01/2026 16:00", "New Year 01–04/01/2026 skipped"),
    ("09/01/2026 10:00", 1, "10/01/2026 10:00", "the make-up Saturday counts"),
    ("14/02/2026 09:00", 1, "24/02/2026 07:30", "received during Tết 2026"),
    ("21/08/2026 17:30", 2, "25/08/2026 07:30", "starts on make-up Saturday 22/08/2026"),
    ("28/08/2026 10:00", 1, "03/09/2026 10:00", "Quốc khánh 2026 and swap day 31/08"),
    ("25/04/2025 10:00", 3, "29/04/2025 10:00", "Sat 26/04/2025 is worked (2025 swap)"),
    ("25/04/2025 10:00", 4, "05/05/2025 10:00", "then 30/04–04/05/2025 off"),
    ("20/11/2026 09:00", 0, "20/11/2026 17:00", "'trong ngày': due at closing"),
]


@pytest.mark.parametrize(("received", "n", "due", "why"), DUE)
def test_explain_due(received: str, n: int, due: str, why: str) -> None:
    assert explain_due(dt(received), n, DEFAULT_SESSIONS, CAL).due == dt(due), why


def test_explain_due_refuses_negative_days() -> None:
    with pytest.raises(ValueError, match="0 or more"):
        explain_due(dt("20/11/2026 09:00"), -1)


# --- properties -------------------------------------------------------------------------------

days = st.dates(min_value=D(2019, 1, 1), max_value=D(2027, 12, 31))
counts = st.integers(min_value=0, max_value=120)


@given(days, counts)
def test_adding_working_days_never_lands_on_a_non_working_day(start: date, n: int) -> None:
    assert CAL.is_working_day(CAL.add_working_days(start, n))
    assert CAL.is_working_day(CAL.add_working_days(start, -n))


@given(days, counts, counts)
def test_adding_working_days_is_monotone(start: date, a: int, b: int) -> None:
    low, high = sorted((a, b))
    assert CAL.add_working_days(start, low) <= CAL.add_working_days(start, high)
    if 1 <= low < high:
        assert CAL.add_working_days(start, low) < CAL.add_working_days(start, high)


@given(days, counts)
def test_counting_back_the_added_days_gives_n(start: date, n: int) -> None:
    start = CAL.add_working_days(start, 0)  # a working start
    assert CAL.working_days_between(start, CAL.add_working_days(start, n)) == n
    assert CAL.working_days_between(start, CAL.add_working_days(start, -n)) == -n


@given(st.datetimes(min_value=datetime(2019, 1, 1), max_value=datetime(2027, 12, 31)))
def test_next_working_moment_is_inside_working_hours(at: datetime) -> None:
    moment = CAL.next_working_moment(at, DEFAULT_SESSIONS)
    s = DEFAULT_SESSIONS
    assert moment >= at
    assert CAL.is_working_day(moment.date())
    clock = moment.time()
    assert s.morning_start <= clock < s.morning_end or s.afternoon_start <= clock < s.afternoon_end


@contextmanager
def machine_tz(name: str) -> Iterator[None]:
    before = os.environ.get("TZ")
    os.environ["TZ"] = name
    time_module.tzset()
    try:
        yield
    finally:
        if before is None:
            os.environ.pop("TZ", None)
        else:
            os.environ["TZ"] = before
        time_module.tzset()


@settings(max_examples=25, deadline=None)
@given(st.datetimes(min_value=datetime(2024, 1, 1), max_value=datetime(2027, 6, 30)), counts)
def test_results_do_not_depend_on_the_machine_time_zone(received: datetime, n: int) -> None:
    def results() -> tuple[object, ...]:
        fresh = WorkingCalendar()  # no cached year tables carried over
        due = explain_due(received, n, DEFAULT_SESSIONS, fresh)
        return (
            due.due,
            due.counted_days,
            due.skipped,
            tuple(fresh.non_working_days(received.year)),
        )

    seen = set()
    for name in ("UTC", "Asia/Ho_Chi_Minh", "America/Los_Angeles", "Pacific/Kiritimati"):
        with machine_tz(name):
            seen.add(results())
    assert len(seen) == 1


# --- announcements entered by an administrator (rules/README.md, "Working-day calendar") ---

CV = "Công văn 12729/VPCP-KGVX ngày 25/12/2025"


def announced(*entries: tuple[str, bool, str], revision: int = 3) -> WorkingCalendar:
    return WorkingCalendar(
        announcements=[Announcement(d(day), working, name, CV) for day, working, name in entries],
        revision=revision,
    )


@pytest.mark.parametrize(
    ("entries", "start", "n", "expected"),
    [
        pytest.param((), "12/02/2026", 3, "24/02/2026", id="no-announcement-Tet"),
        pytest.param(
            (("23/02/2026", False, "Nghỉ thêm sau Tết"),),
            "12/02/2026",
            3,
            "25/02/2026",
            id="an-extra-day-off-after-Tet",
        ),
        pytest.param(
            (("28/02/2026", True, "Làm bù"),), "27/02/2026", 1, "28/02/2026", id="a-saturday-worked"
        ),
        pytest.param(
            (("10/01/2026", False, "Hủy làm bù"),),
            "09/01/2026",
            1,
            "12/01/2026",
            id="the-swapped-saturday-off-again",
        ),
        pytest.param(
            (("02/01/2026", True, "Đi làm"),),
            "31/12/2025",
            1,
            "02/01/2026",
            id="the-swapped-friday-worked-again",
        ),
        pytest.param(
            (("08/03/2026", False, "Nghỉ"),), "06/03/2026", 1, "09/03/2026", id="a-sunday-off"
        ),
        pytest.param(
            (("28/02/2026", True, "Làm bù"), ("28/02/2026", False, "Hủy làm bù")),
            "27/02/2026",
            1,
            "02/03/2026",
            id="the-later-entry-wins",
        ),
    ],
)
def test_announcements_change_the_count(
    entries: tuple[tuple[str, bool, str], ...], start: str, n: int, expected: str
) -> None:
    cal = announced(*entries) if entries else WorkingCalendar()
    assert cal.add_working_days(d(start), n) == d(expected)


def test_an_announced_day_is_named_and_versioned() -> None:
    cal = announced(("23/02/2026", False, "Nghỉ thêm sau Tết"), revision=7)
    assert cal.holiday_name(d("23/02/2026")) == "Nghỉ thêm sau Tết"
    assert cal.version.endswith("+vn-2026.2+announcements.7")
    assert (d("23/02/2026"), "Nghỉ thêm sau Tết") in cal.non_working_days(2026)
    assert WorkingCalendar().version == default_calendar().version
    assert "announcements" not in WorkingCalendar().version


def test_an_announcement_needs_its_revision_and_a_real_change() -> None:
    with pytest.raises(ValueError, match="revision"):
        WorkingCalendar(announcements=[Announcement(d("23/02/2026"), False, "x", CV)])
    with pytest.raises(PackError, match="Công văn 12729/VPCP-KGVX ngày 25/12/2025: 24/02/2026"):
        announced(("24/02/2026", True, "Đi làm"))


def test_an_installed_calendar_is_the_default_until_removed() -> None:
    announced = WorkingCalendar(
        announcements=[Announcement(date(2026, 3, 9), False, "Nghỉ thêm", "1/TB")], revision=4
    )
    install_calendar(announced)
    try:
        assert default_calendar() is announced
        assert announced.version == shipped_calendar().version + "+announcements.4"
    finally:
        install_calendar(None)
    assert default_calendar() is shipped_calendar()
