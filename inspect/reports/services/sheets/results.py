"""Kết quả theo đơn vị: per inspected unit, checks done, people checked, violations by
type and per 100 people checked (formulas), with a chart of the rate."""

from __future__ import annotations

from congvu.inspect.reports.services import labels
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

NAME = "Kết quả theo đơn vị"


def write(book: Book, ctx: ReportContext, figures: Figures) -> None:
    sheet = book.sheet(NAME)
    codes = figures.violation_codes
    day = ctx.period.last_day
    by_type = [labels.violation_label(code, day) for code in codes]
    # A STT, B unit, 1 checks, 2 people, 3 violations (= 4 + … ), 4… by type, last per 100.
    heads = [
        "STT",
        "Đơn vị được kiểm tra",
        "Số cuộc kiểm tra",
        "Số người được kiểm tra",
        "Số hành vi vi phạm" + (f"\n(3 = 4 + … + {3 + len(codes)})" if codes else ""),
        *by_type,
        "Số vi phạm trên 100 người được kiểm tra",
    ]
    width = len(heads)
    rate_col = width - 1
    sheet.set_column(0, 0, 6)
    sheet.set_column(1, 1, 34)
    sheet.set_column(2, width - 1, 14)
    row = header_block(
        book,
        sheet,
        ctx,
        title="KẾT QUẢ KIỂM TRA THEO ĐƠN VỊ",
        form="03/KTCV",
        unit_of_measure="cuộc, người, hành vi",
        width=width,
    )
    head_row = row
    row = column_heads(book, sheet, row, heads, letters_for(width, lettered=2))
    first = row
    results = figures.results
    total_row, rows = row, range(row + 1, row + 1 + len(results))
    sheet.write_string(total_row, 0, "", book.code)
    sheet.write_string(total_row, 1, "TỔNG CỘNG", book.text_bold)
    columns = ["checks", "people", "violations", *codes]
    for offset, name in enumerate(columns):
        col = 2 + offset
        value = float(results[name].sum()) if len(results) else 0.0
        formula = f"=SUM({column_range(col, rows.start, rows.stop - 1)})" if len(results) else "=0"
        sheet.write_formula(total_row, col, formula, book.number_bold, value)
    _rate(book, sheet, total_row, rate_col, results["violations"].sum(), results["people"].sum())
    for number, (row, line) in enumerate(
        zip(rows, results.itertuples(index=False), strict=True), start=1
    ):
        values = line._asdict()
        sheet.write_number(row, 0, number, book.number)
        sheet.write_string(row, 1, values["unit_name"], book.text)
        sheet.write_number(row, 2, values["checks"], book.number)
        sheet.write_number(row, 3, values["people"], book.number)
        if codes:
            by_code = f"=SUM({cell(row, 5)}:{cell(row, 4 + len(codes))})"
            sheet.write_formula(row, 4, by_code, book.number, values["violations"])
        else:
            sheet.write_number(row, 4, 0, book.number)
        for offset in range(len(codes)):
            # itertuples renames the code columns it cannot use as names: read by position.
            sheet.write_number(row, 5 + offset, line[4 + offset], book.number)
        _rate(book, sheet, row, rate_col, values["violations"], values["people"])
    last = rows.stop - 1 if len(results) else total_row
    finish_table(sheet, head_row, first, last, width)
    if len(results):
        chart = book.workbook.add_chart({"type": "bar"})
        chart.add_series(
            {
                "name": "Vi phạm trên 100 người được kiểm tra",
                "categories": [NAME, rows.start, 1, rows.stop - 1, 1],
                "values": [NAME, rows.start, rate_col, rows.stop - 1, rate_col],
            }
        )
        chart.set_title({"name": "Số vi phạm trên 100 người được kiểm tra"})
        chart.set_legend({"none": True})
        sheet.insert_chart(last + 2, 1, chart)
        last += 17
    signature_block(book, sheet, last + 2, width)


def _rate(
    book: Book, sheet: Worksheet, row: int, col: int, violations: float, people: float
) -> None:
    value = 100 * float(violations) / float(people) if people else 0.0
    formula = f"=IF({cell(row, 3)}=0,0,{cell(row, 4)}/{cell(row, 3)}*100)"
    sheet.write_formula(row, col, formula, book.decimal, value)
