"""The workbook's dossiers over time, the 766-style estimates, the repeat offences' chart
and the PAR INDEX evidence sheet: read by hand from the quarter's data (Q1/2026 under
NĐ 09/2019, 15/12/2025 – 14/03/2026), then found in the file as a reader opens it."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import openpyxl
import pytest
from congvu.inspect.actor import SYSTEM
from congvu.inspect.dossiers import api as dossiers
from congvu.inspect.dossiers.tables import Dossier
from congvu.inspect.evidence import api as evidence
from congvu.inspect.reports import api as reports
from congvu.inspect.reports.services.access import report_unit
from congvu.inspect.reports.services.trends import quarters_to, read_trends
from congvu.rules.periods import Period, PeriodKind, PeriodScheme

from tests.evidence.conftest import pdf_bytes
from tests.reports.conftest import Quarter, at

pytestmark = pytest.mark.anyio

Q1 = Period(PeriodKind.QUARTER, 2026, 1, PeriodScheme.ND09)


async def late_in_q3_2025(quarter: Quarter) -> None:
    """Commune B's dossier received 01/07/2025 and resolved late on 20/08/2025: Q3/2025
    under either scheme."""
    await Dossier(
        code="HS-Q3",
        procedure="Cấp giấy phép xây dựng",
        unit=int(quarter.rw.world.commune_b.id),
        channel="online",
        received_at=at(date(2025, 7, 1)),
        due_at=at(date(2025, 8, 1)),
        finished_at=at(date(2025, 8, 20)),
        status="late",
        updated_at=datetime.now(UTC),
    ).save()


def totals(sheet: Any) -> list[int]:
    return [r for r in range(1, sheet.max_row + 1) if sheet.cell(r, 2).value == "TỔNG CỘNG"]


def test_eight_quarters_end_with_the_period_across_a_year() -> None:
    names = [q.name for q in quarters_to(Q1)]
    assert names == [
        "2024-Q2",
        "2024-Q3",
        "2024-Q4",
        "2025-Q1",
        "2025-Q2",
        "2025-Q3",
        "2025-Q4",
        "2026-Q1",
    ]
    assert all(q.scheme is PeriodScheme.ND09 for q in quarters_to(Q1))


async def test_history_and_estimates_by_hand(quarter: Quarter) -> None:
    """Q1/2026: commune A's desk resolved HS-1 (early), HS-2 (on time), HS-3 (late);
    commune B HS-4 (late) and "=cmd…" (on time). HS-OLD was resolved on 01/12/2025, in
    Q4/2025 (15/09 – 14/12/2025); HS-Q3 late in Q3/2025. Received in the calendar Q1/2026:
    the seven of the fixture, four of them early, on time or in progress (57.1%)."""
    await late_in_q3_2025(quarter)
    world = quarter.rw.world
    unit = await report_unit(SYSTEM, "P")
    trends = await read_trends(SYSTEM, unit, Q1)
    assert trends.quarters[0] == "Quý II/2024" and trends.quarters[-1] == "Quý I/2026"
    lines = {line.name: line for line in trends.lines}
    assert set(lines) == {str(world.commune_a.name), str(world.commune_b.name)}
    a, b = lines[str(world.commune_a.name)], lines[str(world.commune_b.name)]
    assert (a.resolved, a.on_time) == ((0,) * 6 + (1, 3), (0,) * 6 + (1, 2))
    assert (b.resolved, b.on_time) == ((0,) * 5 + (1, 0, 2), (0,) * 5 + (0, 0, 1))
    estimates = {e.period.split(" (")[0]: e for e in trends.estimates}
    assert estimates["Quý I/2026"].period == "Quý I/2026 (01/01/2026 – 31/03/2026)"
    assert (estimates["Quý I/2026"].received, estimates["Quý I/2026"].timeliness) == (7, 57.1)
    assert estimates["Quý I/2026"].online == 0.0
    assert (estimates["Quý III/2025"].timeliness, estimates["Quý III/2025"].online) == (0, 100)
    assert estimates["Quý II/2024"].received == 0 and estimates["Quý II/2024"].timeliness is None


async def test_the_dossier_sheet_shows_apologies_history_and_estimates(quarter: Quarter) -> None:
    await late_in_q3_2025(quarter)
    built = await reports.build_report(SYSTEM, "2026Q1", media_dir=quarter.media)
    values = openpyxl.load_workbook(built.path, data_only=True)["Hồ sơ TTHC"]
    formulas = openpyxl.load_workbook(built.path)["Hồ sơ TTHC"]
    _, apologies, history, _ = totals(values)  # parts I, II, III and V
    # HS-3 and HS-4 late, HS-5 overdue; no verdict flagged their letters: all kept.
    assert [values.cell(apologies, c).value for c in range(3, 8)] == [3, 3, 0, 0, 1]
    assert formulas.cell(apologies, 3).value.startswith("=")
    # The last quarter's pair of columns: 5 resolved, 3 on time; Q3/2025 1, none.
    assert values.cell(history, 17).value == 5
    assert values.cell(history, 18).value == pytest.approx(3 / 5)
    assert "SUMPRODUCT" in formulas.cell(history, 18).value
    assert values.cell(history, 13).value == 1 and values.cell(history, 14).value == 0
    # Q2/2024 resolved nothing: no rate (not 0%), and a gap in the chart's column.
    assert values.cell(history, 3).value == 0 and values.cell(history, 4).value in (None, "")
    gap = next(
        r for r in range(history, values.max_row + 1) if values.cell(r, 2).value == "Quý II/2024"
    )
    assert values.cell(gap, 3).value == "#N/A"
    assert values.cell(gap + 7, 3).value == pytest.approx(3 / 5)
    assert len(formulas._charts) == 2  # the apologies' bars, the history's line
    kinds = sorted(type(chart).__name__ for chart in formulas._charts)
    assert kinds == ["BarChart", "LineChart"]
    estimate = next(
        r
        for r in range(1, values.max_row + 1)
        if values.cell(r, 2).value == "Quý I/2026 (01/01/2026 – 31/03/2026)"
    )
    assert values.cell(estimate, 3).value == 7
    assert values.cell(estimate, 4).value == pytest.approx(0.571)
    assert values.cell(estimate, 5).value is None  # nothing published entered
    head = estimate - len(quarters_to(Q1)) - 1  # the letters' row between
    heads = [values.cell(head, c).value for c in range(4, 8)]
    assert heads[0].endswith("(ước tính)") and heads[1].endswith("(công bố)")

    # Published values entered for the province's Q1/2026: beside the estimates, and a
    # new version of the report (the data it shows changed).
    reporter = await quarter.rw.actor("reporter")
    province = int(quarter.rw.world.province.id)
    source = "=Cổng Dịch vụ công quốc gia"
    await dossiers.record_published(reporter, province, "2026-Q1", "92,4", "61", source)
    again = await reports.build_report(SYSTEM, "2026Q1", media_dir=quarter.media)
    assert again.version == built.version + 1
    values = openpyxl.load_workbook(again.path, data_only=True)["Hồ sơ TTHC"]
    assert values.cell(estimate, 4).value == pytest.approx(0.571)
    assert values.cell(estimate, 5).value == pytest.approx(0.924)
    assert values.cell(estimate, 7).value == pytest.approx(0.61)
    assert values.cell(estimate, 8).value == source
    assert values.cell(estimate, 8).data_type == "s"
    assert values.cell(estimate - 1, 5).value is None  # Q4/2025: none entered


async def test_repeat_offences_get_a_chart(quarter: Quarter) -> None:
    rw = quarter.rw
    before = await reports.build_report(SYSTEM, "2026Q1", media_dir=quarter.media)
    assert not openpyxl.load_workbook(before.path)["Xử lý"]._charts
    await rw.finding(rw.world.official_a, "NO_CARD")
    built = await reports.build_report(SYSTEM, "2026Q1", media_dir=quarter.media)
    assert built.version == before.version + 1
    sheet = openpyxl.load_workbook(built.path)["Xử lý"]
    assert len(sheet._charts) == 1
    names = [sheet.cell(r, 2).value for r in range(1, sheet.max_row + 1)]
    assert str(rw.world.official_a.full_name) in names


async def test_the_evidence_sheet_lists_the_units_documents(quarter: Quarter) -> None:
    rw = quarter.rw
    head_a = await rw.actor("head_a")
    await evidence.ensure_year(2026)
    first = (await evidence.criteria(2026, active_only=True))[0]
    data = pdf_bytes("ke hoach")
    await evidence.upload(
        head_a,
        evidence.UploadForm(2026, "12/KH-UBND", "10/01/2026", "=Kế hoạch cải cách", [first.id],
                            "ke-hoach.pdf", data),
    )  # fmt: skip
    built = await reports.build_report(SYSTEM, "2026Q1", media_dir=quarter.media)
    sheet = openpyxl.load_workbook(built.path)["Kiểm chứng PAR INDEX"]
    row = next(r for r in range(1, sheet.max_row + 1) if sheet.cell(r, 3).value == "12/KH-UBND")
    assert sheet.cell(row, 2).value == first.code
    assert sheet.cell(row, 4).value == datetime(2026, 1, 10)
    assert sheet.cell(row, 5).value == "=Kế hoạch cải cách"
    assert sheet.cell(row, 5).data_type == "s"  # text, never a formula
    assert sheet.cell(row, 7).value == str(rw.world.commune_a.name)
    assert len(sheet.cell(row, 8).value) == 64
    counts = {
        sheet.cell(r, 2).value: sheet.cell(r, 4).value
        for r in range(row + 1, sheet.max_row + 1)
        if isinstance(sheet.cell(r, 4).value, int)
    }
    assert counts[first.code] == 1 and len(counts) >= 2 and set(counts.values()) == {0, 1}
    other = await reports.build_report(SYSTEM, "2026Q1", media_dir=quarter.media, unit_code="P-B")
    sheet = openpyxl.load_workbook(other.path)["Kiểm chứng PAR INDEX"]
    assert "12/KH-UBND" not in [sheet.cell(r, 3).value for r in range(1, sheet.max_row + 1)]


async def test_late_dossiers_are_attributed_to_their_handler(quarter: Quarter) -> None:
    """Q1/2026: HS-3 (commune A's desk) resolved late, handled by official A; commune B's
    HS-4 resolved late and HS-5 open past its due day (12/01), the export naming nobody
    for HS-4 and "Lê Văn Đức" as written for HS-5 (no record linked)."""
    world = quarter.rw.world
    await Dossier.update({Dossier.official: world.official_a.id}).where(Dossier.code == "HS-3")
    await Dossier.update({Dossier.official_name: " Lê Văn Đức "}).where(Dossier.code == "HS-5")
    unit = await report_unit(SYSTEM, "P")
    handlers = (await read_trends(SYSTEM, unit, Q1)).handlers
    found = {(h.unit_name, h.official): (h.late, h.overdue) for h in handlers}
    assert found == {
        (str(world.desk_a.name), str(world.official_a.full_name)): (1, 0),
        (str(world.commune_b.name), ""): (1, 0),
        (str(world.commune_b.name), "Lê Văn Đức"): (0, 1),
    }
    built = await reports.build_report(SYSTEM, "2026Q1", media_dir=quarter.media)
    values = openpyxl.load_workbook(built.path, data_only=True)["Hồ sơ TTHC"]
    formulas = openpyxl.load_workbook(built.path)["Hồ sơ TTHC"]
    total = totals(values)[-1]
    assert [values.cell(total, c).value for c in (4, 5, 6)] == [3, 2, 1]
    assert formulas.cell(total, 5).value.startswith("=SUM(")
    listed = {values.cell(r, 3).value for r in range(total + 1, total + 4)}
    assert listed == {
        str(world.official_a.full_name),
        "(hồ sơ không ghi người xử lý)",
        "Lê Văn Đức",
    }
