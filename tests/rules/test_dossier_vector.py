"""The vectorised path gives the scalar path's answers, and neither depends on the machine.

Property tests draw dossiers around Tết 2025 / 2026 and the 2025 / 2026 swap days with receipt
times on the session boundaries (07:30, 11:30, 13:30, 15:00, 17:00, midnight), then compare
status, due moment, working days late, paused days and flags row by row.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time as time_module
from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta

import numpy as np
import pandas as pd
import pytest
from congvu.rules.calendar import DEFAULT_SESSIONS, DaySessions, WorkingCalendar, default_calendar
from congvu.rules.dossiers import DossierFacts, ProcessingUnit, compute_due, evaluate_dossier
from congvu.rules.dossiers_vector import (
    _WorkingDays,
    evaluate_dossiers,
    evaluate_dossiers_by_unit,
    frames_from_facts,
)
from congvu.rules.working_hours import NoSeasonForDate, Season, SeasonalSchedule
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

FIRST_DAY = date(2024, 12, 20)  # before Tết 2025 …
LAST_DAY = date(2026, 9, 10)  # … to after the 2026 National Day swap
CLOCK_TEXTS = "00:00 07:29 07:30 11:29 11:30 12:00 13:29 13:30 15:00 15:01 16:59 17:00"
CLOCKS = [time.fromisoformat(t) for t in CLOCK_TEXTS.split()]
HOT_SPOTS = [date(2025, 1, 22), date(2025, 4, 24), date(2025, 8, 28), date(2026, 2, 11),
             date(2026, 8, 19), date(2025, 6, 27), date(2025, 9, 11)]  # fmt: skip


@st.composite
def moments(draw: st.DrawFn, around: date, max_days: int) -> datetime:
    offset = draw(st.integers(-2, max_days))
    clock = draw(
        st.one_of(st.sampled_from(CLOCKS), st.times().map(lambda t: t.replace(microsecond=0)))
    )
    return datetime.combine(around + timedelta(days=offset), clock)


@st.composite
def dossier_facts(draw: st.DrawFn) -> DossierFacts:
    base = draw(
        st.one_of(
            st.sampled_from(HOT_SPOTS),
            st.dates(min_value=FIRST_DAY, max_value=LAST_DAY - timedelta(days=60)),
        )
    )
    received = draw(moments(base, 3))
    unit = draw(st.sampled_from(list(ProcessingUnit)))
    upper = 30 if unit is ProcessingUnit.HOURS else 15
    processing = draw(st.one_of(st.none(), st.integers(0, upper)))
    later = moments(received.date(), 40)
    maybe_later = st.one_of(st.none(), later)
    due_at = draw(st.one_of(st.none(), st.none(), later, later.map(lambda m: m.date())))
    pauses = draw(st.lists(st.tuples(later, st.one_of(st.none(), later)), max_size=3))
    return DossierFacts(
        received_at=received,
        processing_time=processing,
        processing_unit=unit if draw(st.booleans()) else str(unit),
        same_day_cutoff=draw(st.one_of(st.none(), st.sampled_from([time(11), time(15, 30)]))),
        due_at=due_at,
        finished_at=draw(maybe_later),
        returned_at=draw(maybe_later),
        apology_at=draw(maybe_later),
        extensions=draw(st.lists(later, max_size=3)),
        pauses=[(start, end) for start, end in pauses],
        due_snapshots=draw(st.lists(st.tuples(later, later), max_size=4)),
        # A procedure that restarts its term after a supplement (NĐ 297/2025), or not.
        restarted_at=draw(st.one_of(st.none(), st.none(), later, later.map(lambda m: m.date()))),
    )


def scalar_rows(
    facts: list[DossierFacts],
    as_of: date | datetime,
    sessions: DaySessions = DEFAULT_SESSIONS,
) -> list[tuple[object, ...]]:
    rows = []
    for f in facts:
        v = evaluate_dossier(f, as_of, sessions=sessions)
        due = None if v.due_at is None else v.due_at.isoformat()
        rows.append(
            (
                v.status.value,
                due,
                v.working_days_late,
                ";".join(v.flags),
                v.due_within_24h,
                v.paused_working_days,
                v.rule.version,
            )
        )
    return rows


def vector_rows(
    facts: list[DossierFacts],
    as_of: date | datetime,
    sessions: DaySessions = DEFAULT_SESSIONS,
) -> list[tuple[object, ...]]:
    frames = frames_from_facts(facts)
    out = evaluate_dossiers(
        frames.dossiers,
        as_of,
        pauses=frames.pauses,
        snapshots=frames.snapshots,
        sessions=sessions,
    )
    return [
        (
            str(r.status),
            None if pd.isna(r.due_at) else r.due_at.to_pydatetime().isoformat(),
            int(r.working_days_late),
            str(r.flags),
            bool(r.due_within_24h),
            int(r.paused_working_days),
            r.rule_version,
        )
        for r in out.itertuples()
    ]


as_of_values = st.one_of(
    st.dates(min_value=FIRST_DAY, max_value=LAST_DAY),
    st.builds(
        datetime.combine,
        st.dates(min_value=FIRST_DAY, max_value=LAST_DAY),
        st.sampled_from(CLOCKS),
    ),
)


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(facts=st.lists(dossier_facts(), min_size=1, max_size=12), as_of=as_of_values)
def test_vector_path_agrees_with_scalar_path(
    facts: list[DossierFacts], as_of: date | datetime
) -> None:
    assert vector_rows(facts, as_of) == scalar_rows(facts, as_of)


NO_LUNCH = DaySessions(time(8, 0), time(12, 0), time(12, 0), time(16, 0))


@settings(max_examples=60, deadline=None)
@given(facts=st.lists(dossier_facts(), min_size=1, max_size=8), as_of=as_of_values)
def test_paths_agree_for_other_unit_hours(
    facts: list[DossierFacts], as_of: date | datetime
) -> None:
    assert vector_rows(facts, as_of, NO_LUNCH) == scalar_rows(facts, as_of, NO_LUNCH)


@settings(max_examples=150, deadline=None)
@given(
    received=st.builds(
        datetime.combine,
        st.dates(min_value=FIRST_DAY, max_value=LAST_DAY),
        st.sampled_from(CLOCKS),
    ),
    n=st.integers(0, 20),
    unit=st.sampled_from([ProcessingUnit.WORKING_DAYS, ProcessingUnit.CALENDAR_DAYS]),
)
def test_day_terms_end_on_working_days_and_grow_with_receipt(
    received: datetime, n: int, unit: ProcessingUnit
) -> None:
    cal = default_calendar()
    due = compute_due(received, n, unit)
    assert cal.is_working_day(due.date())
    assert due > received
    assert compute_due(received + timedelta(hours=5), n, unit).date() >= due.date()


def test_long_terms_grow_the_working_day_table() -> None:
    # 400 working days reach two years past the table built around the inputs.
    facts = [
        DossierFacts(received_at=datetime(2025, 1, 24, 10), processing_time=400),
        DossierFacts(
            received_at=datetime(2025, 1, 24, 10),
            processing_time=2000,
            processing_unit=ProcessingUnit.HOURS,
        ),
    ]
    assert vector_rows(facts, date(2025, 3, 1)) == scalar_rows(facts, date(2025, 3, 1))


def test_working_day_table_matches_the_calendar() -> None:
    cal = default_calendar()
    start = (date(2025, 1, 1) - date(1970, 1, 1)).days
    table = _WorkingDays(cal, start, start + 10)
    days = np.arange(start, start + 800, dtype=np.int64)  # forces two rebuilds
    expected = [cal.is_working_day(date(1970, 1, 1) + timedelta(days=int(d))) for d in days]
    assert table.is_working(days).tolist() == expected
    first = date(1970, 1, 1) + timedelta(days=start)
    assert (
        int(table.add(np.array([start]), np.array([300]))[0])
        == (cal.add_working_days(first, 300) - date(1970, 1, 1)).days
    )


def test_columns_are_documented_names_and_optional() -> None:
    frame = pd.DataFrame(
        {
            "received_at": pd.to_datetime(["2025-01-24 10:00", "2025-01-24 10:00"]),
            "processing_time": [5, None],
        },
        index=pd.Index(["000.00.12.H56-250124-0001", "000.00.12.H56-250124-0002"]),
    )
    out = evaluate_dossiers(frame, date(2025, 2, 10))
    assert list(out.columns) == [
        "due_at",
        "status",
        "working_days_late",
        "flags",
        "due_within_24h",
        "paused_working_days",
        "rule_id",
        "rule_version",
    ]
    assert out.loc["000.00.12.H56-250124-0001", "status"] == "overdue"
    assert out.loc["000.00.12.H56-250124-0001", "flags"] == "APOLOGY_MISSING;OVERDUE_IN_PROGRESS"
    assert out.loc["000.00.12.H56-250124-0001", "due_at"] == pd.Timestamp("2025-02-07 10:00")
    assert out.loc["000.00.12.H56-250124-0002", "status"] == "in_progress"
    assert pd.isna(out.loc["000.00.12.H56-250124-0002", "due_at"])
    assert out.loc["000.00.12.H56-250124-0002", "flags"] == ""


def test_a_source_due_date_alone_is_enough() -> None:
    frame = pd.DataFrame(
        {
            "received_at": [datetime(2025, 1, 24, 10)],
            "due_at": [datetime(2025, 2, 7)],  # an export with dates only
            "finished_at": [datetime(2025, 2, 7, 16, 30)],
        }
    )
    out = evaluate_dossiers(frame, date(2025, 2, 20))
    assert (out["status"].iloc[0], out["due_at"].iloc[0]) == (
        "on_time",
        pd.Timestamp("2025-02-07 17:00"),
    )


def test_long_frames_are_keyed_by_index_label() -> None:
    frame = pd.DataFrame(
        {"received_at": [datetime(2025, 1, 24, 10)] * 2, "processing_time": [5, 5]},
        index=["A", "B"],
    )
    pauses = pd.DataFrame(
        {"dossier": ["B"], "start": [datetime(2025, 2, 3, 9)], "end": [datetime(2025, 2, 5, 15)]}
    )
    snapshots = pd.DataFrame(
        {
            "dossier": ["A", "A"],
            "seen_at": [datetime(2025, 2, 1), datetime(2025, 2, 5)],
            "due_at": [datetime(2025, 2, 7), datetime(2025, 2, 10)],
        }
    )
    out = evaluate_dossiers(frame, date(2025, 2, 5), pauses=pauses, snapshots=snapshots)
    assert out.loc["A", "flags"] == "DEADLINE_RESET"
    assert out.loc["B", "due_at"] == pd.Timestamp("2025-02-11 10:00")
    assert out.loc["B", "paused_working_days"] == 2


def test_unit_codes_cut_offs_and_aware_columns() -> None:
    received = pd.Series(
        pd.to_datetime(["2025-03-05 08:30", "2025-03-05 08:30", "2025-03-05 08:30"])
    ).dt.tz_localize("UTC")  # 15:30 in Hà Nội
    frame = pd.DataFrame(
        {
            "received_at": received,
            "processing_unit": ["same_day", "same_day", None],
            "same_day_cutoff": ["16:00", None, None],
            "processing_time": [None, None, 1],
        }
    )
    out = evaluate_dossiers(frame, date(2025, 3, 5))
    assert out["due_at"].tolist() == [
        pd.Timestamp("2025-03-05 17:00"),
        pd.Timestamp("2025-03-06 17:00"),
        pd.Timestamp("2025-03-06 15:30"),
    ]
    frame["same_day_cutoff"] = [time(15, 45), None, None]
    assert evaluate_dossiers(frame, date(2025, 3, 5))["due_at"].iloc[0] == pd.Timestamp(
        "2025-03-05 17:00"
    )


def test_empty_frames_give_an_empty_result() -> None:
    frames = frames_from_facts([])
    out = evaluate_dossiers(
        frames.dossiers, date(2025, 3, 5), pauses=frames.pauses, snapshots=frames.snapshots
    )
    assert out.empty
    assert "flags" in out


@pytest.mark.parametrize(
    ("column", "value", "message"),
    [
        ("processing_unit", "weeks", "unknown processing_unit weeks"),
        ("processing_time", -1, "whole number"),
        ("processing_time", 2.5, "whole number"),
        ("received_at", pd.NaT, "received_at is required"),
    ],
)
def test_bad_columns_are_refused(column: str, value: object, message: str) -> None:
    frame = pd.DataFrame({"received_at": [datetime(2025, 3, 5, 9)], "processing_time": [1.0]})
    frame[column] = [value]
    with pytest.raises(ValueError, match=message):
        evaluate_dossiers(frame, date(2025, 3, 5))


def test_long_rows_must_name_known_dossiers() -> None:
    frame = pd.DataFrame({"received_at": [datetime(2025, 3, 5, 9)], "processing_time": [1]})
    pauses = pd.DataFrame(
        {"dossier": [7], "start": [datetime(2025, 3, 5, 9)], "end": [datetime(2025, 3, 6, 9)]}
    )
    with pytest.raises(ValueError, match="pauses name dossiers"):
        evaluate_dossiers(frame, date(2025, 3, 5), pauses=pauses)


def test_an_explicit_calendar_is_used_by_both_paths() -> None:
    # A province that also closes on 06/02/2025 (an extra local holiday).
    local = WorkingCalendar(
        {
            "vn-2025.yaml": "year: 2025\nrevision: 9\nextra_holidays:\n"
            '  - {date: 2025-02-06, name_vi: "Nghỉ theo quyết định của tỉnh"}\n'
        }
    )
    facts = DossierFacts(received_at=datetime(2025, 1, 24, 10), processing_time=5)
    frames = frames_from_facts([facts])
    vector = evaluate_dossiers(frames.dossiers, date(2025, 2, 10), calendar=local)
    scalar = evaluate_dossier(facts, date(2025, 2, 10), calendar=local)
    assert scalar.due_at == datetime(2025, 2, 10, 10)
    assert vector["due_at"].iloc[0] == pd.Timestamp(scalar.due_at)
    assert scalar.calendar_version.endswith("+vn-2025.9")


# ---------------------------------------------------------------------------------------------
# Machine time zone


FIXED = [
    DossierFacts(
        received_at=datetime(2025, 1, 24, 17, 30),
        processing_time=1,
        finished_at=datetime(2025, 2, 5, 9),
        due_snapshots=[
            (datetime(2025, 1, 25), date(2025, 2, 4)),
            (datetime(2025, 2, 5), date(2025, 2, 7)),
        ],
    ),
    DossierFacts(
        received_at=datetime(2026, 2, 12, 23, 59),
        processing_time=12,
        processing_unit="hours",
        finished_at=datetime(2026, 2, 25, 10),
        apology_at=datetime(2026, 2, 20, 8),
    ),
    DossierFacts(
        received_at=datetime(2026, 8, 21, 3, 0, tzinfo=UTC),
        processing_unit="same_day",
        pauses=[(datetime(2026, 8, 21, 11), None)],
    ),
    DossierFacts(
        received_at=date(2025, 4, 25),
        processing_time=3,
        processing_unit="calendar_days",
        finished_at=date(2025, 4, 29),
    ),
]  # fmt: skip
AS_OF = datetime(2026, 9, 1, 6, 0)  # Tuesday, Quốc khánh 2026: a day off
# Computed by hand, as (status, due, working days late, flags, within 24 h, paused, rule):
EXPECTED = [
    # After closing Fri 24/01/2025 → from Mon 03/02 07:30 (Tết), 1 day → 04/02 07:30; finished
    # 05/02; the next export moved the passed due date to 07/02 → reset.
    ["late", "2025-02-04T07:30:00", 1, "APOLOGY_MISSING;DEADLINE_RESET;RESOLVED_LATE", False, 0,
     "2019.1"],
    # After closing Thu 12/02/2026 → Fri 13/02 07:30; 7.5 h on Fri, Tết 2026, 4 h + 0.5 h on
    # Mon 23/02 → 14:00; apology on a Tết day is after Fri 13/02, the last day to send it.
    ["late", "2026-02-23T14:00:00", 2, "APOLOGY_LATE;RESOLVED_LATE", False, 0, "2025.2"],
    # 03:00 UTC = 10:00 Fri 21/08/2026, same day → 17:00; waiting since 11:00, as-of is a day
    # off so the wait counts through Thu 03/09: Sat 22/08 (make-up), 24–28/08, 03/09 = 7.
    ["in_progress", "2026-09-03T17:00:00", 0, "", False, 7, "2025.2"],
    # Date-only receipt Fri 25/04/2025 → 07:30; 3 calendar days → Mon 28/04 07:30.
    ["late", "2025-04-28T07:30:00", 1, "APOLOGY_MISSING;RESOLVED_LATE", False, 0, "2019.1"],
]  # fmt: skip


def _answers() -> list[list[list[object]]]:
    return json.loads(json.dumps([scalar_rows(FIXED, AS_OF), vector_rows(FIXED, AS_OF)]))


def test_fixed_dossiers_by_hand() -> None:
    assert _answers() == [EXPECTED, EXPECTED]


@pytest.mark.parametrize(
    "zone", ["UTC", "America/Los_Angeles", "Pacific/Kiritimati", "Asia/Ho_Chi_Minh"]
)
def test_verdicts_do_not_depend_on_the_machine_time_zone(zone: str) -> None:
    # A fresh interpreter whose local zone is `zone` from the start.
    code = (
        "import importlib.util, sys, json\n"
        f"spec = importlib.util.spec_from_file_location('m', {__file__!r})\n"
        "m = importlib.util.module_from_spec(spec); spec.loader.exec_module(m)\n"
        "print(json.dumps([m.scalar_rows(m.FIXED, m.AS_OF), m.vector_rows(m.FIXED, m.AS_OF)]))\n"
    )
    env = {**os.environ, "TZ": zone}
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env
    )
    assert json.loads(out.stdout) == [EXPECTED, EXPECTED]


@pytest.fixture
def machine_zone() -> Iterator[None]:
    before = os.environ.get("TZ")
    os.environ["TZ"] = "America/St_Johns"  # UTC-3:30, nothing like UTC+7
    time_module.tzset()
    try:
        yield
    finally:
        if before is None:
            del os.environ["TZ"]
        else:
            os.environ["TZ"] = before
        time_module.tzset()


def test_verdicts_survive_a_zone_change_in_process(machine_zone: None) -> None:
    assert time_module.localtime(0).tm_hour != 7
    assert _answers() == [EXPECTED, EXPECTED]


# --- each unit with its own office hours ---------------------------------------------------

# Bắc Giang's winter afternoon ends at 16:30 (rules/README.md, "Working hours"); Nghệ An's
# seasons both end at 17:00.
WINTER_BG = DaySessions(time(7, 30), time(12), time(13), time(16, 30))
SUMMER_BG = DaySessions(time(7), time(11, 30), time(13), time(17))
WINTER_NA = DaySessions(time(7, 30), time(12), time(13, 30), time(17))
SUMMER_NA = DaySessions(time(7), time(11, 30), time(13, 30), time(17))
BAC_GIANG = SeasonalSchedule(
    [
        Season("Mùa hè", (4, 15), (10, 14), SUMMER_BG),
        Season("Mùa đông", (10, 15), (4, 14), WINTER_BG),
    ]
)
NGHE_AN = SeasonalSchedule(
    [
        Season("Mùa hè", (4, 16), (10, 15), SUMMER_NA),
        Season("Mùa đông", (10, 16), (4, 15), WINTER_NA),
    ]
)
GAP = SeasonalSchedule([Season("Chỉ mùa hè", (5, 1), (8, 31), DEFAULT_SESSIONS)])


def test_each_unit_is_judged_by_its_own_closing_time() -> None:
    """Received Monday 07/12/2026 at 16:45, one working day, finished Wednesday 10:00.
    Nghệ An (closes 17:00): counted from Monday → due Tuesday 16:45 → resolved 1 day late.
    Bắc Giang in winter (closes 16:30): after closing, counted from Tuesday 07:30 → due
    Wednesday → on time. The same receipt in June is inside Bắc Giang's summer hours."""
    received = [datetime(2026, 12, 7, 16, 45)] * 2 + [datetime(2026, 6, 8, 16, 45)]
    frame = pd.DataFrame(
        {
            "unit": ["NA", "BG", "BG"],
            "received_at": received,
            "processing_time": [1, 1, 1],
            "finished_at": [datetime(2026, 12, 9, 10)] * 2 + [datetime(2026, 6, 10, 10)],
        },
        index=[11, 12, 13],
    )
    out = evaluate_dossiers_by_unit(frame, date(2026, 12, 10), {"NA": NGHE_AN, "BG": BAC_GIANG})
    assert out.index.tolist() == [11, 12, 13]
    assert out["status"].astype(str).tolist() == ["late", "on_time", "late"]
    assert out["working_days_late"].tolist() == [1, 0, 1]
    assert out["due_at"].tolist() == [
        pd.Timestamp(2026, 12, 8, 16, 45),
        pd.Timestamp(2026, 12, 9, 7, 30),
        pd.Timestamp(2026, 6, 9, 16, 45),
    ]
    assert out["flags"].astype(str).tolist() == [
        "APOLOGY_MISSING;RESOLVED_LATE",
        "",
        "APOLOGY_MISSING;RESOLVED_LATE",
    ]


def test_units_without_hours_and_season_gaps_take_the_national_default() -> None:
    frame = pd.DataFrame(
        {
            "unit": ["?", "GAP", None],
            "received_at": [datetime(2026, 12, 7, 16, 45)] * 3,
            "processing_time": [1, 1, 1],
        }
    )
    out = evaluate_dossiers_by_unit(frame, date(2026, 12, 8), {"GAP": GAP})
    plain = evaluate_dossiers(frame.drop(columns=["unit"]), date(2026, 12, 8))
    assert out["due_at"].tolist() == plain["due_at"].tolist()
    assert out["status"].astype(str).tolist() == ["in_progress"] * 3
    no_column = evaluate_dossiers_by_unit(frame.drop(columns=["unit"]), date(2026, 12, 8), {})
    assert no_column["due_at"].tolist() == plain["due_at"].tolist()
    empty = evaluate_dossiers_by_unit(frame.iloc[:0], date(2026, 12, 8), {"GAP": GAP})
    assert empty.empty


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    facts=st.lists(dossier_facts(), min_size=1, max_size=25),
    units=st.lists(st.sampled_from(["NA", "BG", "GAP", "?"]), min_size=25, max_size=25),
    as_of=as_of_values,
)
def test_by_unit_matches_the_scalar_path_with_each_units_season(
    facts: list[DossierFacts], units: list[str], as_of: date | datetime
) -> None:
    schedules = {"NA": NGHE_AN, "BG": BAC_GIANG, "GAP": GAP}
    frames = frames_from_facts(facts)
    dossiers = frames.dossiers.assign(unit=units[: len(facts)])
    out = evaluate_dossiers_by_unit(
        dossiers, as_of, schedules, pauses=frames.pauses, snapshots=frames.snapshots
    )
    for position, (f, unit) in enumerate(zip(facts, units, strict=False)):
        schedule = schedules.get(unit)
        try:
            sessions = schedule.sessions_on(f.received_at.date()) if schedule else DEFAULT_SESSIONS
        except NoSeasonForDate:
            sessions = DEFAULT_SESSIONS
        expected = scalar_rows([f], as_of, sessions)[0]
        row = out.iloc[position]
        got = (
            str(row["status"]),
            None if pd.isna(row["due_at"]) else row["due_at"].to_pydatetime().isoformat(),
            int(row["working_days_late"]),
            str(row["flags"]),
            bool(row["due_within_24h"]),
            int(row["paused_working_days"]),
            row["rule_version"],
        )
        assert got == expected
