"""Due dates of administrative dossiers, computed by hand from the official calendars.

Sources cited per case: Bộ luật Dân sự 2015 Điều 147 (a term in days starts the day after the
event) and Điều 148 (a last day that is a day off moves to the next working day); Nghị định
118/2025/NĐ-CP and the one-stop practice in rules/README.md, "Dossier deadlines and lateness"
(after-closing receipt counts from the next morning, lunch → afternoon start, "same day unless
received after 15:00"); Thông báo 6150/TB-BLĐTBXH (Tết 2025: off Sat 25/01–Sun 02/02/2025); the
2025 swap (work Sat 26/04, off Fri 02/05/2025); Tết 2026 (off Sat 14/02–Sun 22/02/2026); the
2026 swap (work Sat 22/08, off Mon 31/08/2026; 01–02/09 National Day). Unit hours:
DEFAULT_SESSIONS, 07:30–11:30 and 13:30–17:00.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta, timezone

import pytest
from congvu.rules.calendar import DaySessions, default_calendar, explain_due
from congvu.rules.dossiers import ProcessingUnit, compute_due

WD, CD, HOURS, SAME = (
    ProcessingUnit.WORKING_DAYS,
    ProcessingUnit.CALENDAR_DAYS,
    ProcessingUnit.HOURS,
    ProcessingUnit.SAME_DAY,
)


def at(text: str) -> datetime:
    """dd/mm/yyyy HH:MM, as the one-stop slips write it."""
    return datetime.strptime(text, "%d/%m/%Y %H:%M")


# (received, processing time, unit, expected due, what it checks)
CASES = [
    # Working days: day of receipt not counted, days off skipped, clock time kept.
    ("24/01/2025 10:00", 5, WD, "07/02/2025 10:00", "BLDS Điều 147; Tết 2025 27–31/01 skipped"),
    ("23/01/2025 09:00", 1, WD, "24/01/2025 09:00", "BLDS Điều 147: the next day is day 1"),
    ("24/01/2025 16:00", 1, WD, "03/02/2025 16:00", "Tết 2025: Fri before Tết → Mon 03/02"),
    ("24/01/2025 17:30", 1, WD, "04/02/2025 07:30", "after closing → next working morning"),
    ("25/01/2025 09:00", 3, WD, "06/02/2025 07:30", "received on a Tết Saturday → 03/02 07:30"),
    ("27/01/2025 08:00", 0, WD, "03/02/2025 17:00", "0 days on a Tết day: closing of 03/02"),
    ("13/02/2026 10:00", 1, WD, "23/02/2026 10:00", "Tết 2026 14/02–22/02 skipped"),
    ("12/02/2026 14:00", 3, WD, "24/02/2026 14:00", "Tết 2026: 13/02, 23/02, 24/02 counted"),
    ("18/02/2026 09:00", 2, WD, "25/02/2026 07:30", "received during Tết 2026 → 23/02 07:30"),
    ("25/04/2025 10:00", 1, WD, "26/04/2025 10:00", "2025 swap: Sat 26/04 is a working day"),
    ("24/04/2025 10:00", 3, WD, "28/04/2025 10:00", "2025 swap: 25/04, Sat 26/04, 28/04"),
    ("29/04/2025 10:00", 1, WD, "05/05/2025 10:00", "30/04, 01/05 and swap day Fri 02/05 off"),
    ("26/04/2025 17:30", 1, WD, "29/04/2025 07:30", "after closing on the make-up Saturday"),
    ("26/04/2025 08:00", 0, WD, "26/04/2025 17:00", "received on the make-up Saturday"),
    ("21/08/2026 10:00", 1, WD, "22/08/2026 10:00", "2026 swap: Sat 22/08 is a working day"),
    ("28/08/2026 10:00", 1, WD, "03/09/2026 10:00", "2026 swap: Mon 31/08 off, 01–02/09 off"),
    ("29/08/2026 09:00", 1, WD, "04/09/2026 07:30", "ordinary Saturday before 31/08–02/09"),
    ("03/03/2025 06:45", 2, WD, "05/03/2025 07:30", "before opening → opening"),
    ("03/03/2025 12:15", 2, WD, "05/03/2025 13:30", "lunch → afternoon start"),
    ("03/03/2025 11:30", 1, WD, "04/03/2025 13:30", "11:30 is lunch already"),
    ("03/03/2025 17:00", 1, WD, "05/03/2025 07:30", "17:00 is after closing"),
    ("03/03/2025 16:59", 1, WD, "04/03/2025 16:59", "one minute before closing"),
    ("03/03/2025 07:30", 5, WD, "10/03/2025 07:30", "at opening: day N, not closing of N-1"),
    ("23/06/2025 09:00", 5, WD, "30/06/2025 09:00", "last day under NĐ 61/2018"),
    ("29/08/2025 09:00", 5, WD, "09/09/2025 09:00", "Quốc khánh 2025: 01–02/09 off"),
    # Calendar days: the last day moves off a day off (BLDS Điều 148).
    ("24/01/2025 10:00", 3, CD, "03/02/2025 10:00", "BLDS Điều 148: 27/01 is Tết → 03/02"),
    ("03/03/2025 09:00", 5, CD, "10/03/2025 09:00", "BLDS Điều 148: Sat 08/03 → Mon 10/03"),
    ("03/03/2025 09:00", 3, CD, "06/03/2025 09:00", "calendar days, last day a working day"),
    ("21/08/2026 10:00", 1, CD, "22/08/2026 10:00", "make-up Sat 22/08/2026 is not moved"),
    ("26/08/2026 09:00", 5, CD, "03/09/2026 09:00", "BLDS Điều 148: 31/08–02/09 off"),
    ("25/04/2025 16:30", 7, CD, "05/05/2025 16:30", "BLDS Điều 148: swap day Fri 02/05 off"),
    ("03/03/2025 09:00", 0, CD, "03/03/2025 17:00", "0 calendar days: closing that day"),
    ("22/02/2026 09:00", 2, CD, "25/02/2026 07:30", "received Tết Sunday → from 23/02"),
    # Working hours inside the unit's sessions.
    ("03/03/2025 09:00", 4, HOURS, "03/03/2025 15:00", "2.5 h morning + 1.5 h afternoon"),
    ("03/03/2025 16:00", 8, HOURS, "04/03/2025 16:30", "1 h + 4 h + 3 h over two days"),
    ("03/03/2025 07:30", 4, HOURS, "03/03/2025 11:30", "fills the morning: ends 11:30"),
    ("03/03/2025 10:00", 5, HOURS, "03/03/2025 17:00", "fills the day: ends 17:00"),
    ("24/01/2025 15:00", 4, HOURS, "03/02/2025 09:30", "hours across Tết 2025"),
    ("25/04/2025 16:30", 10, HOURS, "28/04/2025 09:30", "make-up Sat 26/04/2025 counts 7.5 h"),
    ("03/03/2025 12:00", 0, HOURS, "03/03/2025 13:30", "0 hours at lunch: afternoon start"),
    ("12/02/2026 13:30", 12, HOURS, "23/02/2026 08:30", "3.5 h + 7.5 h, Tết 2026, 1 h"),
    # Same day, next working day after the 15:00 cut-off.
    ("05/03/2025 14:59", None, SAME, "05/03/2025 17:00", "same day before 15:00"),
    ("05/03/2025 15:00", None, SAME, "05/03/2025 17:00", "15:00 is not after 15:00"),
    ("05/03/2025 15:01", None, SAME, "06/03/2025 17:00", "after 15:00 → next working day"),
    ("24/01/2025 15:30", None, SAME, "03/02/2025 17:00", "after 15:00 before Tết → 03/02"),
    ("08/03/2025 10:00", None, SAME, "10/03/2025 17:00", "Saturday → Monday morning"),
    ("05/03/2025 17:30", None, SAME, "06/03/2025 17:00", "after closing → next day"),
    ("05/03/2025 12:00", None, SAME, "05/03/2025 17:00", "lunch → 13:30, before 15:00"),
    ("21/08/2026 15:30", None, SAME, "22/08/2026 17:00", "after 15:00 → make-up Sat 22/08"),
]


@pytest.mark.parametrize(
    ("received", "n", "unit", "due", "cites"), CASES, ids=[c[-1] for c in CASES]
)
def test_due_date(received: str, n: int | None, unit: ProcessingUnit, due: str, cites: str) -> None:
    assert compute_due(at(received), n, unit) == at(due)


@pytest.mark.parametrize(
    ("received", "cutoff", "due"),
    [
        ("05/03/2025 10:30", time(11, 0), "05/03/2025 17:00"),
        ("05/03/2025 11:15", time(11, 0), "06/03/2025 17:00"),
    ],
)
def test_same_day_cut_off_is_per_procedure(received: str, cutoff: time, due: str) -> None:
    assert compute_due(at(received), None, SAME, same_day_cutoff=cutoff) == at(due)


def test_working_days_agree_with_the_calendar_cli_convention() -> None:
    # `congvu calendar due` (calendar.explain_due) and the dossier verdicts must never show a
    # citizen two different due moments for the same receipt.
    for received, n, unit, _, _ in CASES:
        if unit is WD:
            assert compute_due(at(received), n, unit) == explain_due(at(received), n).due


def test_units_are_accepted_as_plain_strings() -> None:
    assert compute_due(at("24/01/2025 10:00"), 3, "calendar_days") == at("03/02/2025 10:00")


def test_aware_receipt_is_judged_in_vietnam_time() -> None:
    utc = datetime(2025, 1, 24, 3, 0, tzinfo=UTC)  # 10:00 in Hà Nội
    assert compute_due(utc, 5) == at("07/02/2025 10:00")
    plus_one = datetime(2025, 1, 24, 4, 0, tzinfo=timezone(timedelta(hours=1)))
    assert compute_due(plus_one, 5) == at("07/02/2025 10:00")


def test_date_only_receipt_counts_from_opening() -> None:
    assert compute_due(date(2025, 3, 3), 2) == at("05/03/2025 07:30")


def test_unit_sessions_are_used() -> None:
    nghe_an_summer = DaySessions(time(7, 0), time(11, 30), time(13, 30), time(17, 0))
    assert compute_due(at("03/03/2025 07:10"), 1, sessions=nghe_an_summer) == at("04/03/2025 07:10")
    assert compute_due(at("03/03/2025 07:10"), 4, HOURS, sessions=nghe_an_summer) == at(
        "03/03/2025 11:10"
    )


def test_an_explicit_calendar_is_used() -> None:
    assert compute_due(at("24/01/2025 10:00"), 5, calendar=default_calendar()) == at(
        "07/02/2025 10:00"
    )


@pytest.mark.parametrize(("n", "unit"), [(None, WD), (-1, WD), (None, HOURS), (-2, CD)], ids=str)
def test_processing_time_must_be_a_whole_number(n: int | None, unit: ProcessingUnit) -> None:
    with pytest.raises(ValueError, match="processing_time"):
        compute_due(at("03/03/2025 09:00"), n, unit)


def test_unknown_unit_is_refused() -> None:
    with pytest.raises(ValueError, match="weeks"):
        compute_due(at("03/03/2025 09:00"), 1, "weeks")
