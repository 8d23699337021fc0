"""Xử lý: violations by form of handling (nhắc nhở, phê bình, kiểm điểm, đề nghị kỷ
luật …), remedies done and open, and repeat offences (tái phạm) with a chart of the
most repeated."""

from __future__ import annotations

from congvu.inspect.reports.services import labels
from congvu.inspect.reports.services.figures import Figures
from congvu.inspect.reports.services.layout import (
    Book,
    ReportContext,
    cell,
    column_heads,
    header_block,
    letters_for,
    new_chart,
    signature_block,
)
from xlsxwriter.worksheet import Worksheet

NAME = "Xử lý"
WIDTH = 6


def write(book: Book, ctx: ReportContext, figures: Figures) -> None:
    sheet = book.sheet(NAME)
    sheet.set_column(0, 0, 6)
    sheet.set_column(1, 1, 44)
    sheet.set_column(2, WIDTH - 1, 16)
    row = header_block(
        book,
        sheet,
        ctx,
        title="KẾT QUẢ XỬ LÝ SAU KIỂM TRA",
        form="05/KTCV",
        unit_of_measure="hành vi, người",
        width=WIDTH,
    )
    sheet.write_string(row, 0, "I. XỬ LÝ THEO HÌNH THỨC", book.bold)
    row = column_heads(
        book,
        sheet,
        row + 1,
        ["STT", "Hình thức xử lý", "Tổng số\n(1 = 2 + 3)", "Cá nhân", "Tập thể"],
        letters_for(5, lettered=2),
    )
    handling = figures.handling
    forms = [f for f in labels.FOLLOW_UPS if f in handling.index] + [
        f for f in handling.index if f not in labels.FOLLOW_UPS
    ]
    total = row
    rows = range(total + 1, total + 1 + len(forms))
    sheet.write_string(total, 0, "", book.code)
    sheet.write_string(total, 1, "Tổng cộng", book.text_bold)
    for col, key in ((3, "persons"), (4, "units")):
        value = float(handling[key].sum()) if len(handling) else 0.0
        formula = "+".join(cell(r, col) for r in rows) or "0"
        sheet.write_formula(total, col, f"={formula}", book.number_bold, value)
    _sum_row(book, sheet, total, bold=True, value=float(handling.to_numpy().sum()))
    for number, (at, form) in enumerate(zip(rows, forms, strict=True), start=1):
        persons, units = int(handling.at[form, "persons"]), int(handling.at[form, "units"])
        sheet.write_number(at, 0, number, book.number)
        sheet.write_string(at, 1, labels.FOLLOW_UPS.get(form, form), book.text)
        sheet.write_number(at, 3, persons, book.number)
        sheet.write_number(at, 4, units, book.number)
        _sum_row(book, sheet, at, bold=False, value=float(persons + units))
    row = rows.stop + 1

    sheet.write_string(row, 0, "II. KHẮC PHỤC SAU KIỂM TRA", book.bold)
    row = column_heads(
        book,
        sheet,
        row + 1,
        ["STT", "Chỉ tiêu", "Số lượng"],
        letters_for(3, lettered=2),
    )
    remedies = figures.remedies
    items = (
        ("Vi phạm đã được xác nhận (1 = 2 + 3)", "confirmed"),
        ("Đã khắc phục, kết thúc", "done"),
        ("Chưa khắc phục", "open"),
    )
    for number, (label, key) in enumerate(items, start=1):
        sheet.write_number(row, 0, number, book.number)
        sheet.write_string(row, 1, label, book.text)
        if key == "confirmed":
            formula = f"={cell(row + 1, 2)}+{cell(row + 2, 2)}"
            sheet.write_formula(row, 2, formula, book.number, remedies[key])
        else:
            sheet.write_number(row, 2, remedies[key], book.number)
        row += 1
    row += 1

    sheet.write_string(row, 0, "III. TÁI PHẠM (từ 02 hành vi trong 12 tháng)", book.bold)
    row = column_heads(
        book,
        sheet,
        row + 1,
        ["STT", "Họ và tên", "Đơn vị", "Trong quý", "Trong 12 tháng"],
        letters_for(5, lettered=3),
    )
    first_repeat = row
    for number, repeat in enumerate(figures.repeats.itertuples(index=False), start=1):
        sheet.write_number(row, 0, number, book.number)
        sheet.write_string(row, 1, str(repeat.official_name), book.text)
        sheet.write_string(row, 2, str(repeat.unit_name), book.text)
        sheet.write_number(row, 3, int(repeat.quarter), book.number)
        sheet.write_number(row, 4, int(repeat.year), book.number)
        row += 1
    if figures.repeats.empty:
        sheet.write_string(row, 1, "Không có", book.text)
        row += 1
    else:
        _repeat_chart(book, sheet, first_repeat, len(figures.repeats))
    signature_block(book, sheet, row + 1, WIDTH)


# A bar per official reads up to a score or so; the table lists them all.
CHART_OFFICIALS = 20


def _repeat_chart(book: Book, sheet: Worksheet, first: int, count: int) -> None:
    """The most repeated offenders (the table is sorted by the twelve months' count):
    violations in the quarter and in the twelve months, side by side."""
    shown = min(count, CHART_OFFICIALS)
    chart = new_chart(book, "bar", "Tái phạm: số hành vi vi phạm")
    for col in (3, 4):
        chart.add_series(
            {
                "name": [NAME, first - 2, col],
                "categories": [NAME, first, 1, first + shown - 1, 1],
                "values": [NAME, first, col, first + shown - 1, col],
            }
        )
    chart.set_y_axis({"reverse": True})
    chart.set_size({"width": 600, "height": max(240, 60 + 28 * shown)})
    sheet.insert_chart(first - 2, WIDTH + 1, chart)


def _sum_row(book: Book, sheet: Worksheet, row: int, *, bold: bool, value: float) -> None:
    fmt = book.number_bold if bold else book.number
    formula = f"={cell(row, 3)}+{cell(row, 4)}"
    sheet.write_formula(row, 2, formula, fmt, value)
