"""Kiểm chứng PAR INDEX: the year's evidence register of the reporting unit's subtree,
one row per document and criterion (as the register's ZIP index lists them, with the
hash taken when each was filed), then every active criterion with its count of
documents; a criterion with none is shaded, since PAR INDEX scores it as not shown."""

from __future__ import annotations

from congvu.inspect.reports.services.figures import Figures
from congvu.inspect.reports.services.layout import (
    Book,
    ReportContext,
    column_heads,
    finish_table,
    header_block,
    letters_for,
    put,
    signature_block,
)

NAME = "Kiểm chứng PAR INDEX"
HEADS = [
    "STT",
    "Tiêu chí",
    "Số, ký hiệu",
    "Ngày ban hành",
    "Trích yếu",
    "Loại tài liệu",
    "Đơn vị ban hành",
    "Mã SHA-256 của tệp",
]


def write(book: Book, ctx: ReportContext, figures: Figures) -> None:
    register = figures.trends.register
    sheet = book.sheet(NAME)
    for col, width in enumerate((6, 10, 18, 13, 48, 24, 30, 24)):
        sheet.set_column(col, col, width)
    row = header_block(
        book,
        sheet,
        ctx,
        title=f"DANH MỤC TÀI LIỆU KIỂM CHỨNG CHỈ SỐ CẢI CÁCH HÀNH CHÍNH NĂM {ctx.period.year}",
        form="11/KTCV",
        unit_of_measure="tài liệu",
        width=len(HEADS),
    )
    head_row = row
    row = column_heads(book, sheet, row, HEADS, letters_for(len(HEADS), lettered=len(HEADS)))
    first = row
    for number, line in enumerate(register.lines, start=1):
        sheet.write_number(row, 0, number, book.number)
        put(sheet, row, 1, line.code, book.code)
        put(sheet, row, 2, line.number or None, book.text)
        put(sheet, row, 3, line.issued_on, book.date)
        put(sheet, row, 4, line.summary or None, book.text)
        put(sheet, row, 5, line.source, book.text)
        put(sheet, row, 6, line.unit_name or None, book.text)
        put(sheet, row, 7, line.sha256 or None, book.text)
        row += 1
    if not register.lines:
        sheet.write_string(row, 1, "Chưa có tài liệu nào được đăng ký trong năm", book.text)
        row += 1
    finish_table(sheet, head_row, first, row - 1, len(HEADS))
    row += 1
    sheet.write_string(row, 0, "TIÊU CHÍ VÀ SỐ TÀI LIỆU", book.bold)
    row = column_heads(
        book, sheet, row + 1, ["STT", "Mã tiêu chí", "Tên tiêu chí", "Số tài liệu"], []
    )
    # The letters row is left empty above: this small table is not a statistical form.
    shaded = book.workbook.add_format(
        {"border": 1, "bg_color": "#FDE2E1", "text_wrap": True, "valign": "top"}
    )
    for number, (code, name, count) in enumerate(register.criteria, start=1):
        fmt = shaded if count == 0 else book.text
        sheet.write_number(row, 0, number, book.number)
        sheet.write_string(row, 1, code, fmt)
        sheet.write_string(row, 2, name, fmt)
        sheet.write_number(row, 3, count, book.number)
        row += 1
    if not register.criteria:
        sheet.write_string(row, 1, "Chưa có danh mục tiêu chí của năm", book.text)
        row += 1
    signature_block(book, sheet, row + 1, len(HEADS))
