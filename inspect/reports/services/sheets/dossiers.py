"""Hồ sơ TTHC, in four parts:

I. per reporting line, dossiers resolved in the period (early, on time, late) with the
   on-time rate, and those still open at its end (in time, overdue);
II. per line, the late and overdue dossiers' letters of apology: sent in time, sent
   late, missing (chart);
III. per line, the on-time rate in each of the last quarters (line chart of the whole
   unit's);
IV. the 766-style estimates of those quarters beside the values published on the
   national portal where entered, each estimate marked as one;
V. the period's late and overdue dossiers by unit and handling official (attribution:
   a head's starting point, not a verdict on anyone).
"""

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
    new_chart,
    put,
    signature_block,
)
from congvu.inspect.reports.services.trends import RecordTrends
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
    sheet.write_string(row, 0, "I. GIẢI QUYẾT HỒ SƠ TRONG KỲ", book.bold)
    head_row = row = row + 1
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
    row = _apologies(book, sheet, figures, last + 2)
    row = _history(book, sheet, figures.trends, row + 1)
    row = _estimates(book, sheet, figures.trends, row + 1)
    row = _handlers(book, sheet, figures.trends, row + 1)
    signature_block(book, sheet, row + 1, len(HEADS))


APOLOGY_HEADS = [
    "STT",
    "Đơn vị",
    "Hồ sơ trễ hạn, quá hạn phải xin lỗi\n(1 = 2 + 3 + 4)",
    "Đã xin lỗi đúng hạn",
    "Xin lỗi muộn",
    "Chưa xin lỗi",
    "Tỷ lệ xin lỗi đúng quy định\n(5 = 2 / 1)",
]


def _apologies(book: Book, sheet: Worksheet, figures: Figures, row: int) -> int:
    """II: the apologies per line, a total of formulas and a stacked bar chart."""
    sheet.write_string(row, 0, "II. XIN LỖI NGƯỜI DÂN, TỔ CHỨC DO GIẢI QUYẾT TRỄ HẠN", book.bold)
    row = column_heads(book, sheet, row + 1, APOLOGY_HEADS, letters_for(7, lettered=2))
    lines = figures.dossier_lines
    lines = lines[lines["apology_needed"] > 0]
    rows = range(row + 1, row + 1 + len(lines))
    keys = {3: "apology_kept", 4: "apology_late", 5: "apology_missing"}
    sheet.write_string(row, 0, "", book.code)
    sheet.write_string(row, 1, "TỔNG CỘNG", book.text_bold)
    totals = {col: float(lines[key].sum()) for col, key in keys.items()}
    for col, value in totals.items():
        formula = f"=SUM({column_range(col, rows.start, rows.stop - 1)})" if len(lines) else "=0"
        sheet.write_formula(row, col, formula, book.number_bold, value)
    _apology_formulas(book, sheet, row, totals, bold=True)
    for number, (at, line) in enumerate(zip(rows, lines.itertuples(index=False), strict=True), 1):
        values = {col: float(getattr(line, key)) for col, key in keys.items()}
        sheet.write_number(at, 0, number, book.number)
        sheet.write_string(at, 1, str(line.name), book.text)
        for col, value in values.items():
            sheet.write_number(at, col, value, book.number)
        _apology_formulas(book, sheet, at, values, bold=False)
    if not len(lines):
        sheet.write_string(row + 1, 1, "Không có hồ sơ phải xin lỗi", book.text)
        return row + 2
    chart = new_chart(book, "bar", "Xin lỗi do trễ hạn theo đơn vị", stacked=True)
    for col in keys:
        chart.add_series(
            {
                "name": [NAME, row - 2, col],
                "categories": [NAME, rows.start, 1, rows.stop - 1, 1],
                "values": [NAME, rows.start, col, rows.stop - 1, col],
            }
        )
    chart.set_size({"width": 720, "height": max(260, 40 + 24 * len(lines))})
    sheet.insert_chart(row - 2, len(APOLOGY_HEADS) + 1, chart)
    return rows.stop


def _apology_formulas(
    book: Book, sheet: Worksheet, row: int, values: dict[int, float], bold: bool
) -> None:
    needed = sum(values.values())
    sheet.write_formula(
        row,
        2,
        f"={cell(row, 3)}+{cell(row, 4)}+{cell(row, 5)}",
        book.number_bold if bold else book.number,
        needed,
    )
    sheet.write_formula(
        row,
        6,
        f"=IF({cell(row, 2)}=0,0,{cell(row, 3)}/{cell(row, 2)})",
        book.percent_bold if bold else book.percent,
        values[3] / needed if needed else 0.0,
    )


def _history(book: Book, sheet: Worksheet, trends: RecordTrends, row: int) -> int:
    """III: per line and quarter, dossiers resolved and the on-time rate. The total's
    rate is the SUMPRODUCT of the lines' (each rate times its count) over the total
    count, so it stays a formula; a line chart of it follows."""
    quarters = trends.quarters
    sheet.write_string(
        row, 0, f"III. TỶ LỆ GIẢI QUYẾT ĐÚNG HẠN QUA {len(quarters)} QUÝ GẦN NHẤT", book.bold
    )
    if not trends.lines:
        sheet.write_string(row + 1, 1, "Không có hồ sơ đã giải quyết", book.text)
        return row + 2
    heads = ["STT", "Đơn vị"]
    for label in quarters:
        heads += [f"{label}\nĐã giải quyết", f"{label}\nTỷ lệ đúng hạn"]
    row = column_heads(book, sheet, row + 1, heads, letters_for(len(heads), lettered=2))
    total = row
    rows = range(total + 1, total + 1 + len(trends.lines))
    sheet.write_string(total, 0, "", book.code)
    sheet.write_string(total, 1, "TỔNG CỘNG", book.text_bold)
    for q in range(len(quarters)):
        count_col, rate_col = 2 + 2 * q, 3 + 2 * q
        resolved = sum(line.resolved[q] for line in trends.lines)
        on_time = sum(line.on_time[q] for line in trends.lines)
        counts = column_range(count_col, rows.start, rows.stop - 1)
        rates = column_range(rate_col, rows.start, rows.stop - 1)
        sheet.write_formula(total, count_col, f"=SUM({counts})", book.number_bold, resolved)
        # A quarter with nothing resolved has no rate (not 0%): left empty here, and a
        # gap in the chart (#N/A), which a line chart skips.
        sheet.write_formula(
            total,
            rate_col,
            f'=IF({cell(total, count_col)}=0,"",SUMPRODUCT({counts},{rates})'
            f"/{cell(total, count_col)})",
            book.percent_bold,
            on_time / resolved if resolved else "",
        )
    for number, (at, line) in enumerate(zip(rows, trends.lines, strict=True), 1):
        sheet.write_number(at, 0, number, book.number)
        sheet.write_string(at, 1, line.name, book.text)
        for q, (resolved, on_time) in enumerate(zip(line.resolved, line.on_time, strict=True)):
            sheet.write_number(at, 2 + 2 * q, resolved, book.number)
            if resolved:
                sheet.write_number(at, 3 + 2 * q, on_time / resolved, book.percent)
            else:
                sheet.write_blank(at, 3 + 2 * q, None, book.percent)
    # The chart reads a column of its own: a series needs adjacent cells, and the rates
    # above alternate with the counts.
    row = rows.stop + 1
    sheet.write_string(row, 1, "Quý", book.head)
    sheet.write_string(row, 2, "Tỷ lệ đúng hạn", book.head)
    for q, label in enumerate(quarters):
        sheet.write_string(row + 1 + q, 1, label, book.text)
        count, rate = cell(total, 2 + 2 * q), cell(total, 3 + 2 * q)
        resolved = sum(line.resolved[q] for line in trends.lines)
        on_time = sum(line.on_time[q] for line in trends.lines)
        sheet.write_formula(
            row + 1 + q,
            2,
            f"=IF({count}=0,NA(),{rate})",
            book.percent,
            on_time / resolved if resolved else "#N/A",
        )
    chart = new_chart(book, "line", "Tỷ lệ hồ sơ giải quyết đúng hạn theo quý")
    chart.add_series(
        {
            "name": "Tỷ lệ đúng hạn, trước hạn",
            "categories": [NAME, row + 1, 1, row + len(quarters), 1],
            "values": [NAME, row + 1, 2, row + len(quarters), 2],
            "marker": {"type": "circle"},
        }
    )
    chart.set_y_axis({"num_format": "0%", "min": 0, "max": 1})
    chart.set_size({"width": 640, "height": 300})
    sheet.insert_chart(row, 4, chart)
    return max(row + len(quarters), row + 15) + 1


ESTIMATE_HEADS = [
    "STT",
    "Quý",
    "Hồ sơ tiếp nhận",
    "Tỷ lệ đúng hạn\n(ước tính)",
    "Tỷ lệ đúng hạn\n(công bố)",
    "Tỷ lệ trực tuyến\n(ước tính)",
    "Tỷ lệ trực tuyến\n(công bố)",
    "Nguồn số liệu công bố",
]


def _estimates(book: Book, sheet: Worksheet, trends: RecordTrends, row: int) -> int:
    """IV: the system's 766-style estimates beside the published values."""
    sheet.write_string(
        row, 0, "IV. CHỈ SỐ THEO BỘ CHỈ SỐ 766: ƯỚC TÍNH VÀ GIÁ TRỊ CÔNG BỐ", book.bold
    )
    sheet.write_string(
        row + 1,
        0,
        "Cột “ước tính” do hệ thống tự tính từ hồ sơ đã nhập (đúng hạn = trước hạn, đúng hạn"
        " và đang giải quyết trong hạn, trên hồ sơ tiếp nhận trong quý), không phải điểm"
        " chính thức; cột “công bố” là số liệu đơn vị nhập từ Cổng Dịch vụ công quốc gia.",
        book.italic,
    )
    row = column_heads(book, sheet, row + 2, ESTIMATE_HEADS, letters_for(8, lettered=2))
    for number, estimate in enumerate(trends.estimates, start=1):
        sheet.write_number(row, 0, number, book.number)
        sheet.write_string(row, 1, estimate.period, book.text)
        sheet.write_number(row, 2, estimate.received, book.number)
        for col, value in (
            (3, estimate.timeliness),
            (4, estimate.published_timeliness),
            (5, estimate.online),
            (6, estimate.published_online),
        ):
            if value is None:
                sheet.write_blank(row, col, None, book.percent)
            else:
                sheet.write_number(row, col, value / 100, book.percent)
        put(sheet, row, 7, estimate.published_source or None, book.text)
        row += 1
    return row


HANDLER_HEADS = [
    "STT",
    "Đơn vị",
    "Người xử lý",
    "Tổng số\n(1 = 2 + 3)",
    "Trễ hạn\n(đã giải quyết trong kỳ)",
    "Quá hạn\n(đang giải quyết cuối kỳ)",
]
NO_NAME = "(hồ sơ không ghi người xử lý)"


def _handlers(book: Book, sheet: Worksheet, trends: RecordTrends, row: int) -> int:
    """V: late and overdue dossiers per unit and handling official, totals as formulas."""
    sheet.write_string(row, 0, "V. HỒ SƠ TRỄ HẠN, QUÁ HẠN THEO NGƯỜI XỬ LÝ", book.bold)
    row = column_heads(book, sheet, row + 1, HANDLER_HEADS, letters_for(6, lettered=3))
    handlers = trends.handlers
    rows = range(row + 1, row + 1 + len(handlers))
    sheet.write_string(row, 0, "", book.code)
    sheet.write_string(row, 1, "TỔNG CỘNG", book.text_bold)
    sheet.write_string(row, 2, "", book.text)
    totals = {4: sum(h.late for h in handlers), 5: sum(h.overdue for h in handlers)}
    for col, value in totals.items():
        formula = f"=SUM({column_range(col, rows.start, rows.stop - 1)})" if handlers else "=0"
        sheet.write_formula(row, col, formula, book.number_bold, value)
    sheet.write_formula(
        row, 3, f"={cell(row, 4)}+{cell(row, 5)}", book.number_bold, sum(totals.values())
    )
    for number, (at, handler) in enumerate(zip(rows, handlers, strict=True), 1):
        sheet.write_number(at, 0, number, book.number)
        put(sheet, at, 1, handler.unit_name, book.text)
        put(sheet, at, 2, handler.official or NO_NAME, book.text)
        sheet.write_formula(
            at, 3, f"={cell(at, 4)}+{cell(at, 5)}", book.number, handler.late + handler.overdue
        )
        sheet.write_number(at, 4, handler.late, book.number)
        sheet.write_number(at, 5, handler.overdue, book.number)
    return rows.stop
