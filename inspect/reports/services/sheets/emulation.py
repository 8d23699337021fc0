"""Thi đua: the year's emulation pipeline per title (NĐ 152/2025): officials considered,
eligible, blocked (with the reason, one row each below), voted on by the council and
approved; then every council session of the year with each candidate's vote; then the
collective titles (Tập thể LĐTT, Tập thể LĐXS) of the report's unit and the collectives
rated below it."""

from __future__ import annotations

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
)
from xlsxwriter.worksheet import Worksheet

NAME = "Thi đua"
PIPELINE_HEADS = [
    "STT",
    "Danh hiệu",
    "Số cá nhân được xét",
    "Đủ tiêu chuẩn",
    "Không được xét do vướng kỷ luật, thanh tra, kiểm tra",
    "Đã bỏ phiếu",
    "Được công nhận, đề nghị",
]
BLOCKED_HEADS = ["STT", "Đơn vị", "Họ và tên", "Danh hiệu", "Lý do"]
VOTE_HEADS = [
    "STT",
    "Hội đồng",
    "Ngày họp",
    "Số thành viên dự họp",
    "Họ và tên",
    "Đơn vị",
    "Danh hiệu",
    "Đồng ý",
    "Không đồng ý",
    "Không hợp lệ",
    "Kết quả",
]
COLLECTIVE_HEADS = [
    "STT",
    "Tập thể",
    "Danh hiệu",
    "Mức xếp loại chất lượng của tập thể",
    "Đủ tiêu chuẩn",
    "Được công nhận, đề nghị",
    "Căn cứ, lý do",
]
WIDTHS = [6, 30, 24, 24, 26, 26, 24, 10, 12, 12, 14]


def write(book: Book, ctx: ReportContext, figures: Figures) -> None:
    p = figures.personnel
    sheet = book.sheet(NAME)
    for index, width in enumerate(WIDTHS):
        sheet.set_column(index, index, width)
    width = len(VOTE_HEADS)
    row = header_block(
        book,
        sheet,
        ctx,
        title=f"TÌNH HÌNH BÌNH XÉT THI ĐUA NĂM {p.year or ctx.period.year}",
        form="09/KTCV",
        unit_of_measure="người, phiếu",
        width=width,
    )
    sheet.write_string(row, 0, "Kỳ đánh giá năm:", book.italic)
    sheet.write_string(row, 2, p.year_state, book.normal)
    row += 2
    sheet.write_string(row, 0, "I. TIẾN ĐỘ BÌNH XÉT THEO DANH HIỆU", book.bold)
    head_row = row + 1
    row = column_heads(book, sheet, head_row, PIPELINE_HEADS, letters_for(len(PIPELINE_HEADS), 2))
    first = row
    for number, t in enumerate(p.titles, start=1):
        put(sheet, row, 0, number, book.number)
        put(sheet, row, 1, t.title, book.text)
        for col, value in enumerate((t.considered, t.eligible, t.blocked, t.voted, t.approved), 2):
            sheet.write_number(row, col, value, book.number)
        row += 1
    last = row - 1
    sheet.write_string(row, 1, "TỔNG CỘNG", book.text_bold)
    for col, key in enumerate(("considered", "eligible", "blocked", "voted", "approved"), 2):
        value = sum(getattr(t, key) for t in p.titles)
        formula = f"=SUM({column_range(col, first, last)})" if p.titles else "=0"
        sheet.write_formula(row, col, formula, book.number_bold, value)
    finish_table(sheet, head_row, first, row, len(PIPELINE_HEADS))
    row = _blocked(book, sheet, row + 2, figures)
    row = _votes(book, sheet, row + 1, figures)
    row = _collectives(book, sheet, row + 1, figures)
    signature_block(book, sheet, row + 1, width)


def _blocked(book: Book, sheet: Worksheet, row: int, figures: Figures) -> int:
    sheet.write_string(row, 0, "II. CÁ NHÂN KHÔNG ĐƯỢC XÉT DANH HIỆU VÀ LÝ DO", book.bold)
    row = column_heads(book, sheet, row + 1, BLOCKED_HEADS, letters_for(len(BLOCKED_HEADS)))
    for number, b in enumerate(figures.personnel.blocked, start=1):
        for col, value in enumerate((number, b.unit_name, b.name, b.title, b.reason)):
            put(sheet, row, col, value, book.number if col == 0 else book.text)
        row += 1
    return row


def _votes(book: Book, sheet: Worksheet, row: int, figures: Figures) -> int:
    sheet.write_string(row, 0, "III. KẾT QUẢ BỎ PHIẾU TẠI HỘI ĐỒNG THI ĐUA, KHEN THƯỞNG", book.bold)
    row = column_heads(book, sheet, row + 1, VOTE_HEADS, letters_for(len(VOTE_HEADS), 7))
    for number, v in enumerate(figures.personnel.votes, start=1):
        values = [
            number,
            v.session,
            v.held_on,
            v.quorum,
            v.name,
            v.unit_name,
            v.title,
            v.in_favour,
            v.against,
            v.invalid,
            v.result,
        ]
        for col, value in enumerate(values):
            fmt = book.date if col == 2 else book.number if col in (0, 7, 8, 9) else book.text
            put(sheet, row, col, value if value != "" else None, fmt)
        row += 1
    return row


def _collectives(book: Book, sheet: Worksheet, row: int, figures: Figures) -> int:
    """One row per collective and title; 1/0 in the two count columns so their totals are
    SUM formulas like the pipeline's."""
    rows = figures.personnel.collectives
    sheet.write_string(row, 0, "IV. DANH HIỆU THI ĐUA TẬP THỂ", book.bold)
    heads = COLLECTIVE_HEADS
    row = column_heads(book, sheet, row + 1, heads, letters_for(len(heads)))
    first = row
    for number, c in enumerate(rows, start=1):
        put(sheet, row, 0, number, book.number)
        put(sheet, row, 1, c.unit_name, book.text)
        put(sheet, row, 2, c.title, book.text)
        put(sheet, row, 3, c.level or None, book.text)
        sheet.write_number(row, 4, int(c.eligible), book.number)
        sheet.write_number(row, 5, int(c.approved), book.number)
        put(sheet, row, 6, c.explanation or None, book.text)
        row += 1
    sheet.write_string(row, 1, "TỔNG CỘNG", book.text_bold)
    for col, key in ((4, "eligible"), (5, "approved")):
        value = sum(int(getattr(c, key)) for c in rows)
        formula = f"=SUM({column_range(col, first, row - 1)})" if rows else "=0"
        sheet.write_formula(row, col, formula, book.number_bold, value)
    return row + 1
