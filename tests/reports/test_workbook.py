"""The quarterly workbook as a reader opens it (openpyxl): its sheets, header blocks,
totals that match the database, formulas, charts, text that stays text, and the raw
data split at the row limit."""

from __future__ import annotations

from datetime import date, datetime, time
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from congvu.inspect import cpu_pool
from congvu.inspect.actor import SYSTEM
from congvu.inspect.dossiers.tables import Dossier
from congvu.inspect.inspections.tables import AttendanceCheck, Finding, Inspection
from congvu.inspect.reports import api as reports
from congvu.inspect.reports.services.sheets import raw
from congvu.inspect.review.tables import FindingReview

from tests.reports.conftest import ZONE, Quarter

pytestmark = pytest.mark.anyio

FIRST, LAST = date(2025, 12, 15), date(2026, 3, 14)
SHEETS = [
    "Bìa",
    "Tổng hợp",
    "Kế hoạch",
    "Kết quả theo đơn vị",
    "Phát hiện",
    "Xử lý",
    "Hồ sơ TTHC",
    "Xếp loại quý",
    "Thi đua",
    "Kỷ luật",
    "Kiểm chứng PAR INDEX",
    "Phương pháp",
    "DL Kiểm tra",
    "DL Phát hiện",
    "DL Hồ sơ",
]


async def build(q: Quarter, unit: str | None = None) -> reports.BuiltReport:
    return await reports.build_report(SYSTEM, "2026Q1", media_dir=q.media, unit_code=unit)


def exists(path: Path) -> bool:
    return path.exists()


def find_row(sheet: Any, text: str, col: int = 2) -> int:
    for row in range(1, sheet.max_row + 1):
        if sheet.cell(row, col).value == text:
            return row
    raise AssertionError(f"{text!r} not in column {col} of {sheet.title}")


async def expected_totals() -> dict[str, int]:
    """The quarter's figures counted straight from the tables, not through the report."""
    start = datetime.combine(FIRST, time(0), ZONE)
    end = datetime.combine(date(2026, 3, 15), time(0), ZONE)
    done = await Inspection.select(Inspection.id).where(
        Inspection.status.is_in(["submitted", "closed"]),
        Inspection.scheduled_date >= FIRST,
        Inspection.scheduled_date <= LAST,
    )
    done_ids = [r["id"] for r in done]
    people = await AttendanceCheck.select(AttendanceCheck.official).where(
        AttendanceCheck.inspection.is_in(done_ids)
    )
    findings = await Finding.select(Finding.id).where(
        Finding.version_state == "current", Finding.observed_at >= start, Finding.observed_at < end
    )
    dismissed = await FindingReview.select(FindingReview.finding).where(
        FindingReview.outcome == "dismissed"
    )
    dismissed_ids = {r["finding"] for r in dismissed}
    violations = [f["id"] for f in findings if f["id"] not in dismissed_ids]
    handled = await FindingReview.count().where(
        FindingReview.finding.is_in(violations), FindingReview.follow_up.is_not_null()
    )
    resolved = await Dossier.select(Dossier.status).where(
        Dossier.finished_at >= start, Dossier.finished_at < end
    )
    return {
        "done": len(done_ids),
        "people": len({p["official"] for p in people}),
        "violations": len(violations),
        "handled": handled,
        "resolved": len(resolved),
        "on_time": sum(1 for r in resolved if r["status"] in ("early", "on_time")),
    }


async def test_sheets_headers_and_totals_match_the_database(quarter: Quarter) -> None:
    built = await build(quarter)
    assert not built.reused and built.version == 1
    book = openpyxl.load_workbook(built.path)
    assert book.sheetnames == SHEETS
    for name in SHEETS[: SHEETS.index("Phương pháp") + 1]:
        sheet = book[name]
        assert sheet["A1"].value == "TỈNH THỬ NGHIỆM"
        assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in [c.value for c in sheet[1]]
        assert "Độc lập - Tự do - Hạnh phúc" in [c.value for c in sheet[2]]
        labels = [sheet.cell(row, 1).value for row in range(8, 13)]
        assert labels == [
            "Biểu số:",
            "Đơn vị báo cáo:",
            "Đơn vị nhận báo cáo:",
            "Kỳ báo cáo:",
            "Đơn vị tính:",
        ]
        assert sheet.cell(11, 3).value == "từ 15/12/2025 đến 14/03/2026"

    values = openpyxl.load_workbook(built.path, data_only=True)["Tổng hợp"]
    total = find_row(values, "TỔNG CỘNG")
    letters = [values.cell(total - 1, col).value for col in range(1, 20)]
    assert letters == ["A", "B", "C", *[str(n) for n in range(1, 17)]]

    def figure(number: int) -> Any:
        return values.cell(total, 3 + number).value

    expected = await expected_totals()
    assert figure(2) == expected["done"] == 2
    assert figure(10) == expected["people"] == 4
    assert figure(11) == expected["violations"] == 4
    assert figure(12) == expected["handled"] == 1
    assert figure(13) == expected["violations"] - expected["handled"]
    assert figure(14) == expected["resolved"] == 5
    assert figure(15) == expected["on_time"] == 3
    assert figure(16) == pytest.approx(3 / 5)
    # Two communes and the department are in scope, both communes were checked.
    assert (figure(5), figure(6), figure(7)) == (3, 2, 2)
    assert figure(8) == pytest.approx(2 / 3)


async def test_sums_are_formulas_and_charts_are_there(quarter: Quarter) -> None:
    built = await build(quarter)
    book = openpyxl.load_workbook(built.path)
    summary = book["Tổng hợp"]
    total = find_row(summary, "TỔNG CỘNG")
    for col in range(4, 20):
        if col != 12:  # figure 9, the annual target, is a constant
            assert summary.cell(total, col).data_type == "f", col
    assert summary.cell(total, 5).value.startswith("=")  # 2 = 3 + 4
    results = book["Kết quả theo đơn vị"]
    row = find_row(results, "TỔNG CỘNG")
    assert results.cell(row, 3).value.startswith("=SUM(")
    assert results.cell(row + 1, 5).data_type == "f"  # violations = sum by type
    dossiers = book["Hồ sơ TTHC"]
    row = find_row(dossiers, "TỔNG CỘNG")
    assert dossiers.cell(row, 3).data_type == "f"
    assert len(summary._charts) == 1
    assert len(results._charts) == 1
    # Frozen headers, an autofilter, A4 landscape with the header rows repeated.
    assert summary.freeze_panes is not None
    assert summary.auto_filter.ref
    assert summary.page_setup.orientation == "landscape"
    assert summary.page_setup.paperSize == 9
    assert summary.print_title_rows


async def test_data_that_looks_like_a_formula_stays_text(quarter: Quarter) -> None:
    built = await build(quarter)
    book = openpyxl.load_workbook(built.path)
    findings = book["Phát hiện"]
    names = [findings.cell(r, 3) for r in range(1, findings.max_row + 1)]
    injected = next(c for c in names if c.value == '=HYPERLINK("http://x")')
    assert injected.data_type == "s"
    raw_dossiers = book["DL Hồ sơ"]
    codes = [raw_dossiers.cell(r, 1) for r in range(2, raw_dossiers.max_row + 1)]
    cmd = next(c for c in codes if c.value == "=cmd|' /C calc'!A0")
    assert cmd.data_type == "s"
    # Dates are real dates, shown dd/mm/yyyy.
    received = raw_dossiers.cell(2, 5)
    assert received.is_date and received.number_format.startswith("dd/mm/yyyy")


async def test_raw_data_is_split_before_the_row_limit(
    quarter: Quarter, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(raw, "MAX_ROWS", 3)  # a header and two rows a sheet
    # The patched limit lives in this process: no pool, so the build runs in a thread.
    monkeypatch.setattr(cpu_pool, "_pool", None)
    built = await build(quarter)
    book = openpyxl.load_workbook(built.path)
    parts = [n for n in book.sheetnames if n.startswith("DL Hồ sơ")]
    assert parts == ["DL Hồ sơ", "DL Hồ sơ (2)", "DL Hồ sơ (3)"]
    rows = [book[n].max_row - 1 for n in parts]
    assert rows == [2, 2, 2]  # the quarter's six dossiers
    assert all(book[n]["A1"].value == "Mã hồ sơ" for n in parts)
    assert not any(book[n].merged_cells.ranges for n in parts)


async def test_a_commune_report_covers_its_subtree_only(quarter: Quarter) -> None:
    built = await build(quarter, unit="P-A")
    values = openpyxl.load_workbook(built.path, data_only=True)["Tổng hợp"]
    total = find_row(values, "TỔNG CỘNG")
    assert values.cell(total, 3 + 2).value == 1  # commune A's own check
    # The late arrival, the hotline notice, the missing card; not commune B's.
    assert values.cell(total, 3 + 11).value == 3
    assert values["A1"].value == "TỈNH THỬ NGHIỆM"
    assert values["A2"].value == "PHƯỜNG AN HÒA"


async def test_same_data_same_version_changed_data_new_version(quarter: Quarter) -> None:
    first = await build(quarter)
    again = await build(quarter)
    assert again.reused and again.snapshot_id == first.snapshot_id
    assert again.data_hash == first.data_hash and again.path == first.path
    await quarter.rw.finding(quarter.rw.world.official_a, "NO_CARD")
    changed = await build(quarter)
    assert not changed.reused
    assert changed.version == 2 and changed.data_hash != first.data_hash
    assert changed.path != first.path and exists(first.path)
    cover = openpyxl.load_workbook(changed.path)["Bìa"]
    texts = [c.value for row in cover.iter_rows() for c in row if isinstance(c.value, str)]
    assert changed.data_hash in texts
    assert f"{changed.snapshot_id} (phiên bản 2)" in texts


async def test_the_plan_sheet_shows_each_checks_team_decision(quarter: Quarter) -> None:
    rw = quarter.rw
    await Inspection.update(
        {
            Inspection.team_decision_number: "125/QĐ-UBND",
            Inspection.team_decision_date: date(2026, 2, 18),
            Inspection.team_decision_signer: "Lê Văn Giám",
            Inspection.team_decision_signer_title: "Giám đốc Sở Nội vụ",
        }
    ).where(Inspection.id == rw.inspection_a.id)
    built = await build(quarter)
    sheet = openpyxl.load_workbook(built.path)["Kế hoạch"]
    head = find_row(sheet, "Đơn vị được kiểm tra")
    heads = [sheet.cell(head, col).value for col in range(1, 12)]
    column = heads.index("Quyết định thành lập đoàn (số, ngày)") + 1
    assert heads[column - 2] == "Số kế hoạch"
    a = find_row(sheet, rw.world.commune_a.name)
    b = find_row(sheet, rw.world.commune_b.name)
    assert sheet.cell(a, column).value == "125/QĐ-UBND ngày 18/02/2026"
    assert sheet.cell(b, column).value is None  # none recorded: an empty cell
    raw_checks = openpyxl.load_workbook(built.path)["DL Kiểm tra"]
    raw_heads = [c.value for c in raw_checks[1]]
    number = raw_heads.index("Số QĐ thành lập đoàn") + 1
    ids = [raw_checks.cell(r, 1).value for r in range(2, raw_checks.max_row + 1)]
    row = ids.index(rw.inspection_a.id) + 2
    assert raw_checks.cell(row, number).value == "125/QĐ-UBND"
    day = raw_checks.cell(row, raw_heads.index("Ngày QĐ thành lập đoàn") + 1)
    assert day.is_date and day.value.date() == date(2026, 2, 18)
