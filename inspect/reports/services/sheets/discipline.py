"""Kỷ luật: the discipline cases opened in the period (NĐ 172/2025), counted by stage, by
form (decided, else proposed) and by unit with the overdue steps at the cut-off, then one
row per case. Names appear as on the discipline period report, and only for a reader who
may manage discipline cases."""

from __future__ import annotations

from collections import Counter

from congvu.inspect.reports.services.figures import Figures
from congvu.inspect.reports.services.layout import (
    Book,
    ReportContext,
    column_heads,
    column_range,
    finish_table,
    header_block,
    letters_for,
    put,
    signature_block,
    vn_date,
)
from congvu.inspect.reports.services.personnel import CaseRow
from xlsxwriter.worksheet import Worksheet

NAME = "Kỷ luật"
CASE_HEADS = [
    "STT",
    "Đơn vị",
    "Họ và tên",
    "Ngày mở hồ sơ",
    "Bước hiện tại",
    "Hình thức đề xuất",
    "Hình thức đã quyết định",
    "Bước tiếp theo",
    "Hạn bước tiếp theo",
    "Quá hạn",
]
UNIT_HEADS = ["STT", "Đơn vị", "Mở trong kỳ", "Đã quyết định", "Đang xử lý", "Quá hạn"]
WIDTHS = [6, 30, 24, 14, 30, 24, 24, 30, 14, 10]
NOT_DECIDED = "Chưa quyết định"


def write(book: Book, ctx: ReportContext, figures: Figures) -> None:
    p = figures.personnel
    sheet = book.sheet(NAME)
    for index, width in enumerate(WIDTHS):
        sheet.set_column(index, index, width)
    width = len(CASE_HEADS)
    row = header_block(
        book,
        sheet,
        ctx,
        title="TÌNH HÌNH XỬ LÝ KỶ LUẬT CÁN BỘ, CÔNG CHỨC",
        form="10/KTCV",
        unit_of_measure="hồ sơ",
        width=width,
    )
    as_of = p.cases_as_of or ctx.period.last_day
    sheet.write_string(row, 0, "Quá hạn tính đến:", book.italic)
    sheet.write_string(row, 2, vn_date(as_of), book.normal)
    row += 2
    cases = p.cases
    row = _counted(
        book, sheet, row, "I. THEO BƯỚC XỬ LÝ", "Bước hiện tại", Counter(c.stage for c in cases)
    )
    forms = Counter(c.decided_form or c.proposed_form or NOT_DECIDED for c in cases)
    row = _counted(
        book,
        sheet,
        row + 1,
        "II. THEO HÌNH THỨC KỶ LUẬT",
        "Hình thức (đã quyết định, hoặc đề xuất)",
        forms,
    )
    row = _units(book, sheet, row + 1, cases)
    sheet.write_string(row + 1, 0, "IV. DANH SÁCH HỒ SƠ MỞ TRONG KỲ", book.bold)
    head_row = row + 2
    row = column_heads(book, sheet, head_row, CASE_HEADS, letters_for(width, 9))
    first = row
    for number, c in enumerate(cases, start=1):
        values = [
            number,
            c.unit_name,
            c.name,
            c.opened_on,
            c.stage,
            c.proposed_form,
            c.decided_form,
            c.next_step,
            c.next_deadline,
            "Quá hạn" if c.overdue else "",
        ]
        for col, value in enumerate(values):
            fmt = book.date if col in (3, 8) else book.number if col == 0 else book.text
            put(sheet, row, col, value if value != "" else None, fmt)
        row += 1
    finish_table(sheet, head_row, first, max(row - 1, first), width)
    signature_block(book, sheet, row + 1, width)


def _counted(
    book: Book, sheet: Worksheet, row: int, title: str, head: str, counts: Counter[str]
) -> int:
    """A two-column count table closed by its SUM formula."""
    sheet.write_string(row, 0, title, book.bold)
    row = column_heads(book, sheet, row + 1, ["STT", head, "Số hồ sơ"], ["A", "B", "1"])
    first = row
    for number, (label, n) in enumerate(sorted(counts.items()), start=1):
        put(sheet, row, 0, number, book.number)
        put(sheet, row, 1, label, book.text)
        sheet.write_number(row, 2, n, book.number)
        row += 1
    sheet.write_string(row, 1, "TỔNG CỘNG", book.text_bold)
    formula = f"=SUM({column_range(2, first, row - 1)})" if counts else "=0"
    sheet.write_formula(row, 2, formula, book.number_bold, sum(counts.values()))
    return row + 1


def _units(book: Book, sheet: Worksheet, row: int, cases: tuple[CaseRow, ...]) -> int:
    sheet.write_string(row, 0, "III. THEO ĐƠN VỊ", book.bold)
    row = column_heads(book, sheet, row + 1, UNIT_HEADS, letters_for(len(UNIT_HEADS), 2))
    units: dict[str, list[int]] = {}
    for c in cases:
        counts = units.setdefault(c.unit_name, [0, 0, 0, 0])
        counts[0] += 1
        counts[1] += bool(c.decided_form)
        counts[2] += c.pending
        counts[3] += c.overdue
    first = row
    for number, (name, counts) in enumerate(sorted(units.items()), start=1):
        put(sheet, row, 0, number, book.number)
        put(sheet, row, 1, name, book.text)
        for col, n in enumerate(counts, start=2):
            sheet.write_number(row, col, n, book.number)
        row += 1
    sheet.write_string(row, 1, "TỔNG CỘNG", book.text_bold)
    for col in range(2, 6):
        value = sum(c[col - 2] for c in units.values())
        formula = f"=SUM({column_range(col, first, row - 1)})" if units else "=0"
        sheet.write_formula(row, col, formula, book.number_bold, value)
    return row + 1
