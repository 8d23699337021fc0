"""``congvu calendar year|due``: what a person checking a deadline by hand sees, in the
calendar in force (the shipped one plus the announcements stored, as the web counts)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date, time

import pytest
from click.testing import CliRunner
from congvu.inspect.cli import calendar as calendar_cli
from congvu.inspect.cli.calendar import calendar_group
from congvu.inspect.cli.common import run as run_in_database
from congvu.inspect.organisation.api import forget_calendar
from congvu.rules.calendar import DaySessions, default_calendar

from tests.conftest import empty_database

VERSION = default_calendar().version


@pytest.fixture(autouse=True)
def no_announcement() -> Iterator[None]:
    """The commands read the stored announcements: none left by an earlier test, and the
    calendar they install is this process's until forgotten."""
    run_in_database(empty_database, read_calendar=False)
    forget_calendar()
    yield
    forget_calendar()


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(calendar_group, list(args))
    return result.exit_code, result.output


def test_year_lists_holidays_swap_days_and_the_calendar_version() -> None:
    code, out = run("year", "2026")
    assert code == 0
    assert "  17/02/2026 Thứ Ba      Tết Nguyên Đán\n" in out
    assert "  31/08/2026 Thứ Hai     Ngày nghỉ (thay cho ngày 22/08/2026)\n" in out
    assert "  02/01/2026 Thứ Sáu     Nghỉ Tết Dương lịch (hoán đổi với thứ Bảy 10/01/2026)\n" in out
    assert "24/11/2026" not in out  # worked in 2026: no text made it a day off
    assert (
        "Ngày làm bù:\n"
        "  10/01/2026 Thứ Bảy     Làm bù cho ngày nghỉ 02/01/2026\n"
        "  22/08/2026 Thứ Bảy     Làm bù cho ngày nghỉ 31/08/2026\n"
    ) in out
    assert out.endswith(f"Lịch: {VERSION}\n")


def test_a_year_without_make_up_days_has_no_such_section() -> None:
    code, out = run("year", "2027")
    assert code == 0
    assert "Ngày làm bù" not in out


def test_year_out_of_range_is_refused() -> None:
    code, out = run("year", "1900")
    assert code == 2
    assert "1900" in out


def test_due_across_tet_2025_prints_each_day() -> None:
    code, out = run("due", "24/01/2025 10:00", "5")
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "Nhận hồ sơ:      24/01/2025 Thứ Sáu 10:00"
    assert lines[1] == "Giờ làm việc:    07:30–11:30, 13:30–17:00"
    assert lines[2] == "Bắt đầu tính:    24/01/2025 Thứ Sáu 10:00"
    assert lines[3] == "  25/01/2025 Thứ Bảy: bỏ qua — Thứ Bảy"
    assert lines[5] == "  27/01/2025 Thứ Hai: bỏ qua — 28 Tết"
    assert lines[12] == "  03/02/2025 Thứ Hai: ngày làm việc thứ 1"
    assert lines[16] == "  07/02/2025 Thứ Sáu: ngày làm việc thứ 5"
    assert lines[17] == "Hạn giải quyết:  07/02/2025 Thứ Sáu 10:00"
    assert lines[18] == f"Lịch: {VERSION}"


def test_due_as_json() -> None:
    code, out = run("due", "21/08/2026 17:30", "2", "--json")
    assert code == 0
    assert json.loads(out) == {
        "received": "2026-08-21T17:30:00",
        "start": "2026-08-22T07:30:00",  # after closing → the make-up Saturday morning
        "working_days": 2,
        "due": "2026-08-25T07:30:00",
        "counted_days": ["2026-08-24", "2026-08-25"],
        "skipped": [{"date": "2026-08-23", "reason": "Chủ nhật"}],
        "sessions": "07:30–11:30, 13:30–17:00",
        "calendar_version": VERSION,
    }


def test_due_accepts_a_date_without_time() -> None:
    code, out = run("due", "24/01/2025", "1", "--json")
    assert code == 0
    assert json.loads(out)["due"] == "2025-02-03T07:30:00"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("due", "2025-01-24 10:00", "5"), "is not dd/mm/yyyy HH:MM"),
        (("due", "24/01/2025 10:00", "-1"), "-1"),
    ],
)
def test_due_refuses_bad_input(args: tuple[str, ...], message: str) -> None:
    code, out = run(*args)
    assert code == 2
    assert message in out


@pytest.fixture
def unit_hours(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, date]]:
    """Stands in for the unit schedules read from the database."""
    calls: list[tuple[str, date]] = []

    def day_sessions_for_unit(code: str, on: date) -> DaySessions:
        calls.append((code, on))
        return DaySessions(time(7, 0), time(11, 30), time(13, 30), time(17, 0))

    monkeypatch.setattr(calendar_cli, "unit_sessions", day_sessions_for_unit)
    return calls


def test_due_uses_the_units_hours(unit_hours: list[tuple[str, date]]) -> None:
    code, out = run("due", "20/11/2026 06:45", "1", "--unit", "UBND-XA-01", "--json")
    assert code == 0
    assert unit_hours == [("UBND-XA-01", date(2026, 11, 20))]
    payload = json.loads(out)
    assert payload["start"] == "2026-11-20T07:00:00"
    assert payload["due"] == "2026-11-23T07:00:00"


def test_without_unit_the_unit_lookup_is_not_called(unit_hours: list[tuple[str, date]]) -> None:
    code, _ = run("due", "20/11/2026 06:45", "1")
    assert code == 0
    assert unit_hours == []


def test_year_and_due_count_an_announced_day_off() -> None:
    """Mon 09/03/2026 announced as an extra day off: listed by ``year`` and skipped by
    ``due``, with the calendar's version naming the announcement."""
    announced = run(
        "announce", "09/03/2026", "--document", "15/TB-UBND", "--document-date", "02/03/2026"
    )
    assert announced[0] == 0, announced[1]
    forget_calendar()  # the next command reads the database, not this process's memory
    code, out = run("year", "2026")
    assert code == 0
    assert "  09/03/2026 Thứ Hai     " in out
    assert out.endswith(f"Lịch: {VERSION}+announcements.1\n")
    forget_calendar()
    code, out = run("due", "06/03/2026 10:00", "1", "--json")
    assert code == 0
    payload = json.loads(out)
    assert payload["due"] == "2026-03-10T10:00:00"
    assert "2026-03-09" in [skipped["date"] for skipped in payload["skipped"]]
    assert payload["calendar_version"] == f"{VERSION}+announcements.1"
