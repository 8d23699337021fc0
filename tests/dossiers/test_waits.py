"""Waits for the citizen's supplement (chờ bổ sung) and pauses (tạm dừng): read from the
export, validated, stored, part of the content hash, and not counted against the agency.

March 2026 has no holiday: Mon 02/03 … Fri 06/03, Mon 09/03 … Fri 13/03, Mon 16/03.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
from congvu.inspect.actor import Actor
from congvu.inspect.dossiers.services import queries as dossiers
from congvu.inspect.dossiers.services.importing.values import (
    combine_hashes,
    hash_numbers,
    hash_text,
)
from congvu.inspect.dossiers.tables import Dossier

from tests.dossiers.conftest import HEADER, run_import, stored, table_checksum, write
from tests.dossiers.generator import ExportSpec, generate, write_csv
from tests.worlds import World

pytestmark = pytest.mark.anyio

WAIT_HEADER = f"{HEADER},Ngày yêu cầu bổ sung,Ngày nhận bổ sung,Ngày tạm dừng,Ngày tiếp tục"


def _row(
    code: str,
    *,
    due: str = "05/03/2026",
    finished: str = "",
    apology: str = "",
    requested: str = "",
    supplied: str = "",
    paused: str = "",
    resumed: str = "",
) -> str:
    return (
        f"{code},Đăng ký khai sinh,Hộ tịch,P-A,,Trực tiếp,02/03/2026 08:00,{due},{finished},,,"
        f"{apology},,{requested},{supplied},{paused},{resumed}"
    )


async def test_the_due_date_moves_by_the_working_days_waited(
    world: World, admin: Actor, tmp_path: Path
) -> None:
    lines = [
        WAIT_HEADER,
        # Due Thu 05/03, resolved Mon 09/03: Fri 06 and Mon 09 → 2 working days late.
        _row("NO-WAIT", finished="09/03/2026 10:00"),
        # Supplement asked Tue 03/03, brought Fri 06/03: Wed 04, Thu 05, Fri 06 are not
        # counted, the due date moves three working days to Tue 10/03 → resolved early.
        _row("SUPPLEMENT", finished="09/03/2026 10:00", requested="03/03/2026 10:00",
             supplied="06/03/2026"),
        # Paused Tue 03/03, resumed Thu 05/03 (Wed 04, Thu 05): due Mon 09/03; open at
        # Mon 16/03 → Tue 10 … Fri 13, Mon 16 = 5 working days overdue instead of 7.
        _row("PAUSED", paused="03/03/2026", resumed="05/03/2026"),
        _row("OPEN", ),
        # Still waiting for the citizen at the as-of date: never overdue (the wait counts
        # up to the as-of day, so the moved due date is always just ahead).
        _row("WAITING", requested="04/03/2026"),
    ]  # fmt: skip
    summary = await run_import(admin, write(tmp_path, lines), as_of=date(2026, 3, 16))
    assert summary["rejected"] == 0, summary["rejected_rows"]
    verdicts = {
        code: (row["status"], row["working_days_late"], row["flags"])
        for code in ("NO-WAIT", "SUPPLEMENT", "PAUSED", "OPEN", "WAITING")
        for row in [await stored(code)]
    }
    assert verdicts == {
        "NO-WAIT": ("late", 2, "APOLOGY_MISSING;RESOLVED_LATE"),
        "SUPPLEMENT": ("early", 0, ""),
        "PAUSED": ("overdue", 5, "APOLOGY_MISSING;OVERDUE_IN_PROGRESS"),
        "OPEN": ("overdue", 7, "APOLOGY_MISSING;OVERDUE_IN_PROGRESS"),
        "WAITING": ("in_progress", 0, "DUE_WITHIN_24H"),
    }
    # The export's own dates are what is stored (UTC); the move is the verdict's.
    row = await stored("SUPPLEMENT")
    assert row["due_at"].isoformat() == "2026-03-04T17:00:00+00:00"
    assert row["supplement_requested_at"].isoformat() == "2026-03-03T03:00:00+00:00"
    assert row["supplement_received_at"].isoformat() == "2026-03-05T17:00:00+00:00"
    assert (row["paused_at"], row["resumed_at"]) == (None, None)
    waiting = await stored("WAITING")
    assert waiting["supplement_received_at"] is None
    # The nightly scan, `congvu dossiers --as-of` and the detail page read the stored waits
    # and give the import's answers.
    again = (await dossiers.verdicts_at(admin, date(2026, 3, 16))).set_index("code")
    for code, (status, late, flags) in verdicts.items():
        assert (again.loc[code, "status"], again.loc[code, "working_days_late"]) == (status, late)
        assert again.loc[code, "flags"] == flags
    assert await dossiers.rescan_overdue(date(2026, 3, 16)) == {
        "scanned": 3,
        "changed": 0,
        "overdue": 2,
        "due_within_24h": 1,
    }
    detail = await dossiers.dossier_detail(admin, row["id"], as_of=date(2026, 3, 16))
    assert "3 ngày làm việc" in detail.explanation


async def test_a_wait_that_ends_before_it_starts_is_rejected(
    world: World, admin: Actor, tmp_path: Path
) -> None:
    lines = [
        WAIT_HEADER,
        _row("OK", requested="03/03/2026", supplied="04/03/2026"),
        _row("BACKWARDS", requested="05/03/2026", supplied="04/03/2026"),
        _row("RESUMED-ONLY", resumed="05/03/2026"),
        _row("BEFORE-RECEIPT", paused="27/02/2026", resumed="03/03/2026"),
        _row("SAME-DAY", paused="03/03/2026 15:00", resumed="03/03/2026"),
    ]
    summary = await run_import(admin, write(tmp_path, lines))
    assert summary["inserted"] == 2
    rejected = {(r["row"], r["column"]): r["reason"] for r in summary["rejected_rows"]}
    assert rejected == {
        (3, "Ngày nhận bổ sung"): "ngày nhận bổ sung trước ngày yêu cầu bổ sung: '04/03/2026'",
        (4, "Ngày tiếp tục"): "thiếu ngày tạm dừng: '05/03/2026'",
        (5, "Ngày tạm dừng"): "ngày tạm dừng trước ngày tiếp nhận: '27/02/2026'",
    }


async def test_waits_are_part_of_what_makes_a_dossier_change(
    world: World, admin: Actor, tmp_path: Path
) -> None:
    first = [WAIT_HEADER, _row("A", paused="03/03/2026", resumed="05/03/2026"), _row("B")]
    await run_import(admin, write(tmp_path, first, "t1.csv"), as_of=date(2026, 3, 16))
    before = await table_checksum()
    again = await run_import(admin, write(tmp_path, first, "t2.csv"), as_of=date(2026, 3, 16))
    assert (again["inserted"], again["updated"], again["unchanged"]) == (0, 0, 2)
    assert await table_checksum() == before

    # Only the end of the pause changed: one dossier written, its verdict with it.
    moved = [WAIT_HEADER, _row("A", paused="03/03/2026", resumed="10/03/2026"), _row("B")]
    summary = await run_import(admin, write(tmp_path, moved, "t3.csv"), as_of=date(2026, 3, 16))
    assert (summary["updated"], summary["unchanged"]) == (1, 1)
    # Wed 04 … Fri 06, Mon 09, Tue 10: due Thu 12/03, 2 working days overdue at Mon 16/03.
    assert ((await stored("A"))["working_days_late"], (await stored("B"))["working_days_late"]) == (
        2,
        7,
    )


async def test_a_moved_due_date_is_judged_again_with_the_waits(
    world: World, admin: Actor, tmp_path: Path
) -> None:
    """Dossiers with a due-date history are evaluated a second time (reset detection):
    the waits count there too."""
    await run_import(
        admin,
        write(tmp_path, [WAIT_HEADER, _row("MOVED")], "t1.csv"),
        exported_at=datetime(2026, 3, 3, 7),
        as_of=date(2026, 3, 3),
    )
    line = _row(
        "MOVED",
        due="06/03/2026",
        apology="04/03/2026",
        finished="10/03/2026 10:00",
        requested="03/03/2026 10:00",
        supplied="06/03/2026",
    )
    summary = await run_import(
        admin,
        write(tmp_path, [WAIT_HEADER, line], "t2.csv"),
        exported_at=datetime(2026, 3, 5, 7),
        as_of=date(2026, 3, 16),
    )
    assert summary["due_changes"] == 1
    # Due Fri 06/03 + Wed 04 … Fri 06 waited = Wed 11/03; resolved Tue 10/03.
    row = await stored("MOVED")
    assert (row["status"], row["flags"]) == ("early", "")


async def test_generated_exports_carry_waits(world: World, admin: Actor, tmp_path: Path) -> None:
    export = generate(
        ExportSpec(
            rows=600,
            units=["P-A", "P-A-PVHCC"],
            supplement_rate=0.2,
            pause_rate=0.1,
            bad_rate=0.01,
        )
    )
    summary = await run_import(admin, write_csv(export, tmp_path / "hoso.csv"))
    assert summary["rejected"] == len(export.bad_rows)
    assert "wait_order" in export.bad_rows.values()
    assert any(
        r["reason"] == "ngày tiếp tục trước ngày tạm dừng: '18/03/2026'"
        for r in summary["rejected_rows"]
    )
    supplied = await Dossier.count().where(Dossier.supplement_received_at.is_not_null())
    still_waiting = await Dossier.count().where(
        Dossier.supplement_requested_at.is_not_null(), Dossier.supplement_received_at.is_null()
    )
    paused = await Dossier.count().where(Dossier.paused_at.is_not_null())
    assert (supplied > 0, still_waiting > 0, paused > 0) == (True, True, True)


def test_content_hashes_are_pandas_row_hashes() -> None:
    """Stored hashes were written with ``pd.util.hash_pandas_object``: the column-wise
    hash gives the same numbers, so an upgrade does not rewrite every dossier."""
    text = ["Đăng ký khai sinh", "Hộ tịch", "Đăng ký khai sinh", None]
    numbers = np.array([3, -1, 0, np.iinfo(np.int64).min], dtype=np.int64)
    expected = pd.util.hash_pandas_object(
        pd.DataFrame({"t": pd.Series(text, dtype=object), "n": numbers}), index=False
    ).to_numpy()
    cells = pa.array(text, type=pa.string())
    for hashed_text in (hash_text(cells), hash_text(cells, unique=True)):
        assert (combine_hashes([hashed_text, hash_numbers(numbers)]) == expected).all()
