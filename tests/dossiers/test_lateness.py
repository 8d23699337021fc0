"""Status and working days late around Tết, hand-computed; the CLI listing at any date;
the nightly scan.

Tết 2025: Sat 25/01 – Sun 02/02/2025 off (working again Mon 03/02).
Tết 2026: Sat 14/02 – Sun 22/02/2026 off (working again Mon 23/02).
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from congvu.inspect.actor import Actor
from congvu.inspect.dossiers.services import queries as dossiers
from congvu.inspect.dossiers.tables import Dossier

from tests.dossiers.conftest import HEADER, congvu, run_import, stored, write
from tests.worlds import World

pytestmark = pytest.mark.anyio


def _line(code: str, received: str, due: str, finished: str = "", apology: str = "") -> str:
    return (
        f"{code},Đăng ký khai sinh,Hộ tịch,P-A,,Trực tiếp,{received},{due},{finished},,,{apology},"
    )


TET_2025 = [
    # due Fri 24/01, resolved Mon 03/02: the nine days off in between do not count → 1 day late
    (_line("T25-LATE", "23/01/2025 09:00", "24/01/2025", "03/02/2025 10:00"), "late", 1),
    # due Wed 05/02, resolved Tue 04/02 → early
    (_line("T25-EARLY", "20/01/2025 09:00", "05/02/2025", "04/02/2025 10:00"), "early", 0),
    # resolved on the due day, after closing time: dates are compared, not hours → on time
    (_line("T25-ONTIME", "22/01/2025 09:00", "06/02/2025", "06/02/2025 17:30"), "on_time", 0),
    # due Fri 07/02, open at 10/02 (Mon) → overdue by 1 working day
    (_line("T25-OVERDUE", "24/01/2025 10:00", "07/02/2025"), "overdue", 1),
    # due Thu 23/01, open at 10/02: 24/01, 03/02 … 07/02, 10/02 → 7 working days
    (_line("T25-STUCK", "20/01/2025 08:00", "23/01/2025"), "overdue", 7),
    # due Tue 11/02, open at 10/02 → in progress
    (_line("T25-OPEN", "03/02/2025 08:00", "11/02/2025"), "in_progress", 0),
    # no due date in the export → on time once resolved
    (_line("T25-NODUE", "02/01/2025 08:00", "", "05/01/2025 08:00"), "on_time", 0),
]
TET_2026 = [
    # due Fri 13/02, resolved Mon 23/02 → 1 working day late
    (_line("T26-LATE", "10/02/2026 09:00", "13/02/2026", "23/02/2026 08:00"), "late", 1),
    # due Thu 12/02, open at Tue 24/02: 13/02, 23/02, 24/02 → 3 working days overdue
    (_line("T26-OVERDUE", "11/02/2026 09:00", "12/02/2026"), "overdue", 3),
    # due Tue 24/02 = the as-of day → still in progress (due ≥ as-of)
    (_line("T26-DUE-TODAY", "12/02/2026 09:00", "24/02/2026"), "in_progress", 0),
    # resolved during Tết (a Saturday) one day after a Friday due date → 1 day late, not 0
    (_line("T26-WEEKEND", "09/02/2026 09:00", "13/02/2026", "14/02/2026 09:00"), "late", 1),
    # resolved on the day before due → early
    (_line("T26-EARLY", "02/02/2026 09:00", "25/02/2026", "24/02/2026 09:00"), "early", 0),
]


@pytest.mark.parametrize(
    ("cases", "as_of"),
    [(TET_2025, date(2025, 2, 10)), (TET_2026, date(2026, 2, 24))],
    ids=["tet-2025", "tet-2026"],
)
async def test_status_and_days_late_around_tet(
    world: World, admin: Actor, tmp_path: Path, cases, as_of: date
) -> None:
    summary = await run_import(
        admin, write(tmp_path, [HEADER, *(c[0] for c in cases)]), as_of=as_of
    )
    assert summary["rejected"] == 0, summary["rejected_rows"]
    for line, status, days in cases:
        row = await stored(line.split(",")[0])
        assert (row["status"], row["working_days_late"]) == (status, days), line
    expected: dict[str, int] = {}
    for _, status, _ in cases:
        expected[status] = expected.get(status, 0) + 1
    assert {k: v for k, v in summary["by_status"].items() if v} == expected


async def test_flags_are_stored_with_the_status(world: World, admin: Actor, tmp_path: Path):
    lines = [
        HEADER,
        # late, no apology
        _line("F-NOAPOLOGY", "23/01/2025 09:00", "24/01/2025", "03/02/2025 10:00"),
        # apology on the due day: later than one working day before
        _line("F-APOLOGY-LATE", "20/01/2025 09:00", "24/01/2025", "05/02/2025 10:00", "24/01/2025"),
        # apology in time: 22/01 is two working days before 24/01
        _line("F-APOLOGY-OK", "20/01/2025 09:00", "24/01/2025", "05/02/2025 10:00", "22/01/2025"),
    ]
    await run_import(admin, write(tmp_path, lines), as_of=date(2025, 2, 10))
    assert (await stored("F-NOAPOLOGY"))["flags"] == "APOLOGY_MISSING;RESOLVED_LATE"
    assert (await stored("F-APOLOGY-LATE"))["flags"] == "APOLOGY_LATE;RESOLVED_LATE"
    assert (await stored("F-APOLOGY-OK"))["flags"] == "RESOLVED_LATE"


async def test_cli_lists_every_dossier_at_any_date(world: World, admin: Actor, tmp_path: Path):
    await run_import(admin, write(tmp_path, [HEADER, *(c[0] for c in TET_2025)]))
    result = await congvu("dossiers", "--as-of", "2025-02-10", "--format", "csv")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "code,status,working_days_late,flags"
    assert "T25-LATE,late,1,APOLOGY_MISSING;RESOLVED_LATE" in lines
    assert "T25-STUCK,overdue,7,APOLOGY_MISSING;OVERDUE_IN_PROGRESS" in lines
    assert "T25-OPEN,in_progress,0,DUE_WITHIN_24H" in lines  # due 11/02 at closing
    assert len(lines) == 1 + len(TET_2025)
    # The same dossiers a few days earlier: T25-OVERDUE was not yet due.
    earlier = (await congvu("dossiers", "--as-of", "2025-02-05")).stdout.splitlines()
    assert "T25-OVERDUE,in_progress,0," in earlier


async def test_cli_import_prints_a_json_summary(world: World, tmp_path: Path) -> None:
    lines = [HEADER, *(c[0] for c in TET_2025), "BAD,x,y,P-A,,Trực tiếp,32/01/2025,,,,,,"]
    path = write(tmp_path, lines)
    result = await congvu("import-dossiers", str(path), "--json", "--as-of", "2025-02-10")
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout)
    assert summary["imported"] == len(TET_2025)
    assert summary["by_status"] == {
        "early": 1,
        "on_time": 2,
        "late": 1,
        "in_progress": 1,
        "overdue": 2,
    }
    assert summary["rejected_rows"] == [
        {
            "row": len(lines),
            "column": "Ngày tiếp nhận",
            "reason": "ngày không đọc được: '32/01/2025'",
        },
    ]
    text = await congvu("import-dossiers", str(path), "--as-of", "2025-02-10")
    assert "không đổi 7" in text.stdout


async def test_the_nightly_scan_flags_what_became_overdue(world: World, admin: Actor, tmp_path):
    await run_import(
        admin, write(tmp_path, [HEADER, *(c[0] for c in TET_2026)]), as_of=date(2026, 2, 11)
    )
    assert (await stored("T26-OVERDUE"))["status"] == "in_progress"
    result = await dossiers.rescan_overdue(date(2026, 2, 24))
    assert result["overdue"] == 1
    row = await stored("T26-OVERDUE")
    assert (row["status"], row["working_days_late"]) == ("overdue", 3)
    assert row["evaluated_on"] == date(2026, 2, 24)
    # Resolved dossiers are not touched by the scan.
    assert await Dossier.count().where(Dossier.evaluated_on == date(2026, 2, 11)) == 3
    again = await dossiers.rescan_overdue(date(2026, 2, 24))
    assert again["changed"] == 0


# Stored as revision 1 of the 2026 calendar judged them (02/01/2026 and 10/01/2026 as
# ordinary days, 24/11/2026 off), and what revision 2 makes of them (rules/calendars/vn-2026.yaml).
CALENDAR_REVISION_2 = [
    # due Wed 31/12/2025, resolved Mon 05/01/2026: 02/01 was a working day (2 late), now the
    # swap day off (1 late: 05/01)
    (_line("CAL-SWAP-OFF", "29/12/2025 09:00", "31/12/2025", "05/01/2026 09:00"), 2, 1),
    # due Fri 09/01/2026, resolved Mon 12/01: Sat 10/01 is now worked (1 late → 2)
    (_line("CAL-MAKE-UP", "07/01/2026 09:00", "09/01/2026", "12/01/2026 09:00"), 1, 2),
    # due Mon 23/11/2026, resolved Wed 25/11: 24/11 is now worked (1 late → 2)
    (_line("CAL-24-11", "20/11/2026 09:00", "23/11/2026", "25/11/2026 09:00"), 1, 2),
]


async def test_rejudging_after_a_calendar_revision_fixes_resolved_dossiers(
    world: World, admin: Actor, tmp_path: Path
) -> None:
    path = write(tmp_path, [HEADER, *(c[0] for c in CALENDAR_REVISION_2)])
    await run_import(admin, path, as_of=date(2026, 12, 1))
    for line, old, new in CALENDAR_REVISION_2:
        code = line.split(",")[0]
        assert (await stored(code))["working_days_late"] == new, code
        # What the previous revision stored: the nightly scan never looks at it again.
        await Dossier.update({Dossier.working_days_late: old}).where(Dossier.code == code)
    assert (await dossiers.rescan_overdue(date(2026, 12, 1)))["changed"] == 0
    # Received before the day asked for: left alone.
    result = await dossiers.rejudge_received_since(date(2026, 1, 1), date(2026, 12, 1))
    assert (result["scanned"], result["changed"]) == (2, 2)
    assert (await stored("CAL-SWAP-OFF"))["working_days_late"] == 2
    result = await congvu("rejudge-dossiers", "--since", "15/12/2025", "--json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["changed"] == 1
    for line, _, new in CALENDAR_REVISION_2:
        code = line.split(",")[0]
        row = await stored(code)
        assert (row["status"], row["working_days_late"]) == ("late", new), code
