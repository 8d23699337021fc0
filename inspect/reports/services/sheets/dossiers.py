"""Hồ sơ TTHC: per reporting line, dossiers resolved in the period (early, on time,
late) with the on-time rate, and those still open at its end (in time, overdue)."""

from __future__ import annotations

from congvu.inspect.reports.services.figures import Figures
from congvu.inspect.reports.services.layout import (
    Book,
    ReportContext,
    cell,
    column_heads,
    column_range,
    finish_table,
    header_block,
    letters_for,
    signature_block,
)
from xlsxwriter.worksheet import Worksheet

NAME = "Hồ sơ TTHC"
HEADS = [
    "STT",
    "Đơn vị",
    "Đã giải quyết\n(1 = 2 + 3 + 4)",
    "Trước hạn",
    "Đúng hạn",
    "Trễ hạn",
    "Tỷ lệ đúng hạn, trước hạn\n(5 = (2 + 3) / 1)",
    "Đang giải quyết\n(6 = 7 + 8)",
    "Trong hạn",
    "Quá hạn",
]
LITERAL = {3: "early", 4: "on_time", 5: "late", 8: "open_in_time", 9: "open_overdue"}


def _formulas(book: Book, sheet: Worksheet, row: int, values: dict[str, float], bold: bool) -> None:
    number = book.number_bold if bold else book.number
    resolved = values["early"] + values["on_time"] + values["late"]
    sheet.write_formula(row, 2, f"={cell(row, 3)}+{cell(row, 4)}+{cell(row, 5)}", number, resolved)
    rate = (values["early"] + values["on_time"]) / resolved if resolved else 0.0
    sheet.write_formula(
        row,
        6,
        f"=IF({cell(row, 2)}=0,0,({cell(row, 3)}+{cell(row, 4)})/{cell(row, 2)})",
        book.percent_bold if bold else book.percent,
        rate,
    )
    sheet.write_formula(
        row,
        7,
        f"={cell(row, 8)}+{cell(row, 9)}",
        number,
        values["open_in_time"] + values["open_overdue"],
    )


def write(book: Book, ctx: ReportContext, figures: Figures) -> None:
    sheet = book.sheet(NAME)
    sheet.set_column(0, 0, 6)
    sheet.set_column(1, 1, 36)
    sheet.set_column(2, len(HEADS) - 1, 14)
    row = header_block(
        book,
        sheet,
        ctx,
        title="TÌNH HÌNH GIẢI QUYẾT HỒ SƠ THỦ TỤC HÀNH CHÍNH",
        form="06/KTCV",
        unit_of_measure="hồ sơ, %",
        width=len(HEADS),
    )
    head_row = row
    row = column_heads(book, sheet, row, HEADS, letters_for(len(HEADS), lettered=2))
    first = row
    lines = figures.dossier_lines
    rows = range(row + 1, row + 1 + len(lines))
    sheet.write_string(row, 0, "", book.code)
    sheet.write_string(row, 1, "TỔNG CỘNG", book.text_bold)
    totals = {key: float(lines[key].sum()) for key in LITERAL.values()}
    for col, key in LITERAL.items():
        formula = f"=SUM({column_range(col, rows.start, rows.stop - 1)})" if len(lines) else "=0"
        sheet.write_formula(row, col, formula, book.number_bold, totals[key])
    _formulas(book, sheet, row, totals, bold=True)
    for number, (at, line) in enumerate(
        zip(rows, lines.itertuples(index=False), strict=True), start=1
    ):
        values = {key: float(getattr(line, key)) for key in LITERAL.values()}
        sheet.write_number(at, 0, number, book.number)
        sheet.write_string(at, 1, str(line.name), book.text)
        for col, key in LITERAL.items():
            sheet.write_number(at, col, values[key], book.number)
        _formulas(book, sheet, at, values, bold=False)
    last = rows.stop - 1 if len(lines) else row
    finish_table(sheet, head_row, first, last, len(HEADS))
    signature_block(book, sheet, last + 2, len(HEADS))
