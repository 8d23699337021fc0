"""Trình bày biểu mẫu: the workbook, its formats and the blocks every sheet shares.

Every sheet opens with the NĐ 30/2020 header (issuing body on the left, Quốc hiệu and
tiêu ngữ on the right) and the statistical-form block Sở Nội vụ staff know from the Bộ
Nội vụ circulars (Biểu số, Đơn vị báo cáo, Đơn vị nhận báo cáo, Kỳ báo cáo, Đơn vị
tính); a table has column letters A, B, C then 1, 2, 3, and closes with the signature
block (Người lập biểu / Thủ trưởng đơn vị).

The workbook is written in xlsxwriter's ``constant_memory`` mode: each sheet is written
top to bottom, one row after the other, so a detail sheet of a million rows never sits
in memory. Text from the data always goes through ``write_string``: a cell beginning
with ``= + - @`` stays text, never a formula (formula injection).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pandas as pd
import xlsxwriter
from congvu.rules.periods import Period
from xlsxwriter.chart import Chart
from xlsxwriter.format import Format
from xlsxwriter.utility import xl_col_to_name, xl_rowcol_to_cell
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

EXCEL_EPOCH = pd.Timestamp("1899-12-30")
A4 = 9  # xlsxwriter's paper code for A4


@dataclass(frozen=True)
class ReportContext:
    """What the header blocks, the cover and the method sheet say about this workbook."""

    unit_name: str
    unit_code: str
    issuing_body: str  # cơ quan chủ quản, the first header line
    recipient: str  # đơn vị nhận báo cáo
    place: str  # địa danh of the date line
    period: Period
    previous: Period
    year_start: date
    cut_off: datetime  # chốt số liệu: the period's end, or the build if earlier
    generated_at: datetime
    generated_by: str
    snapshot_id: int
    version: int
    data_hash: str
    rule_versions: dict[str, str]
    calendar_version: str
    generator_version: str
    parameters: dict[str, Any]
    contents: tuple[str, ...] = ()  # the sheets' names, for the cover


class Book:
    """An xlsxwriter workbook with congvu's formats."""

    def __init__(self, path: Path) -> None:
        self.workbook: Workbook = xlsxwriter.Workbook(
            str(path),
            {
                "constant_memory": True,
                "strings_to_numbers": False,
                "strings_to_formulas": False,
                "strings_to_urls": False,
                "default_date_format": "dd/mm/yyyy",
            },
        )
        add = self.workbook.add_format
        base = {"font_name": "Times New Roman", "font_size": 12}
        self.normal = add(base)
        self.bold = add({**base, "bold": True})
        self.italic = add({**base, "italic": True})
        self.centre = add({**base, "align": "center"})
        self.centre_bold = add({**base, "align": "center", "bold": True})
        self.centre_italic = add({**base, "align": "center", "italic": True})
        self.title = add({**base, "bold": True, "font_size": 14, "align": "center"})
        cell = {**base, "border": 1, "valign": "top"}
        self.head = add(
            {**cell, "bold": True, "align": "center", "valign": "vcenter", "text_wrap": True}
        )
        self.letter = add({**cell, "italic": True, "align": "center"})
        self.text = add({**cell, "text_wrap": True})
        self.text_bold = add({**cell, "bold": True, "text_wrap": True})
        self.code = add({**cell, "align": "center"})
        self.number = add({**cell, "num_format": "#,##0"})
        self.number_bold = add({**cell, "bold": True, "num_format": "#,##0"})
        self.decimal = add({**cell, "num_format": "#,##0.0"})
        self.percent = add({**cell, "num_format": "0.0%"})
        self.percent_bold = add({**cell, "bold": True, "num_format": "0.0%"})
        self.date = add({**cell, "num_format": "dd/mm/yyyy", "align": "center"})
        self.moment = add({**cell, "num_format": "dd/mm/yyyy hh:mm", "align": "center"})
        # Raw data sheets: no borders, so a million rows stay light.
        self.raw_head = add({"bold": True})
        self.raw_date = add({"num_format": "dd/mm/yyyy"})
        self.raw_moment = add({"num_format": "dd/mm/yyyy hh:mm"})

    def sheet(self, name: str) -> Worksheet:
        worksheet: Worksheet = self.workbook.add_worksheet(name)
        worksheet.set_landscape()
        worksheet.set_paper(A4)
        worksheet.set_margins(left=0.5, right=0.4, top=0.6, bottom=0.6)
        worksheet.fit_to_pages(1, 0)
        return worksheet

    def close(self) -> None:
        self.workbook.close()


def put(sheet: Worksheet, row: int, col: int, value: Any, fmt: Format | None = None) -> None:
    """One cell from the data: text is always text, a date a dd/mm/yyyy date, a missing
    value an empty (bordered) cell."""
    if value is None or value is pd.NaT or (isinstance(value, float) and math.isnan(value)):
        sheet.write_blank(row, col, None, fmt)
    elif isinstance(value, str):
        sheet.write_string(row, col, value, fmt)
    elif isinstance(value, bool):
        sheet.write_boolean(row, col, value, fmt)
    elif isinstance(value, datetime | date):
        sheet.write_datetime(row, col, value, fmt)
    else:
        sheet.write_number(row, col, value, fmt)


def cell(row: int, col: int) -> str:
    return xl_rowcol_to_cell(row, col)


def column_range(col: int, first: int, last: int) -> str:
    """A1 range of one column between two 0-based rows."""
    name = xl_col_to_name(col)
    return f"{name}{first + 1}:{name}{last + 1}"


def vn_date(day: date) -> str:
    return f"{day:%d/%m/%Y}"


def header_block(
    book: Book,
    sheet: Worksheet,
    ctx: ReportContext,
    *,
    title: str,
    form: str,
    unit_of_measure: str,
    width: int,
) -> int:
    """The NĐ 30/2020 header and the statistical-form block over ``width`` columns;
    answers the first free row."""
    width = max(width, 6)
    left = max(2, width // 2 - 1)
    sheet.merge_range(0, 0, 0, left - 1, ctx.issuing_body.upper(), book.centre)
    sheet.merge_range(0, left, 0, width - 1, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", book.centre_bold)
    sheet.merge_range(1, 0, 1, left - 1, ctx.unit_name.upper(), book.centre_bold)
    sheet.merge_range(1, left, 1, width - 1, "Độc lập - Tự do - Hạnh phúc", book.centre_bold)
    stamp = ctx.generated_at
    sheet.merge_range(
        2,
        left,
        2,
        width - 1,
        f"{ctx.place}, ngày {stamp:%d} tháng {stamp:%m} năm {stamp:%Y}",
        book.centre_italic,
    )
    sheet.merge_range(4, 0, 4, width - 1, title, book.title)
    sheet.merge_range(5, 0, 5, width - 1, ctx.period.label("vi"), book.centre_bold)
    lines = (
        ("Biểu số", form),
        ("Đơn vị báo cáo", ctx.unit_name),
        ("Đơn vị nhận báo cáo", ctx.recipient),
        (
            "Kỳ báo cáo",
            f"từ {vn_date(ctx.period.first_day)} đến {vn_date(ctx.period.last_day)}",
        ),
        ("Đơn vị tính", unit_of_measure),
    )
    for offset, (label, value) in enumerate(lines):
        sheet.write_string(7 + offset, 0, f"{label}:", book.italic)
        sheet.write_string(7 + offset, 2, value, book.normal)
    return 7 + len(lines) + 1


def letters_for(heads: int, lettered: int = 3) -> list[str]:
    """A, B, C for the first columns (what is described), then 1, 2, 3 … (the figures)."""
    return [chr(ord("A") + i) for i in range(lettered)] + [
        str(n) for n in range(1, heads - lettered + 1)
    ]


def column_heads(
    book: Book, sheet: Worksheet, row: int, heads: list[str], letters: list[str]
) -> int:
    """A header row and the row of column letters (A, B, C, 1, 2 …); answers the next row."""
    sheet.set_row(row, 48)
    # constant_memory flushes a row once the next one is written: one row at a time.
    for col, head in enumerate(heads):
        sheet.write_string(row, col, head, book.head)
    for col, letter in enumerate(letters[: len(heads)]):
        sheet.write_string(row + 1, col, letter, book.letter)
    return row + 2


def signature_block(book: Book, sheet: Worksheet, row: int, width: int) -> int:
    """Người lập biểu on the left, Thủ trưởng đơn vị on the right."""
    width = max(width, 4)
    left = max(1, width // 2 - 1)
    row += 1
    sheet.merge_range(row, 0, row, left - 1, "NGƯỜI LẬP BIỂU", book.centre_bold)
    sheet.merge_range(row, left, row, width - 1, "THỦ TRƯỞNG ĐƠN VỊ", book.centre_bold)
    sheet.merge_range(row + 1, 0, row + 1, left - 1, "(Ký, ghi rõ họ tên)", book.centre_italic)
    sheet.merge_range(
        row + 1, left, row + 1, width - 1, "(Ký, ghi rõ họ tên, đóng dấu)", book.centre_italic
    )
    return row + 2


def new_chart(book: Book, kind: str, title: str, *, stacked: bool = False) -> Chart:
    """A chart of the workbook's style: its title above, the legend below."""
    chart = book.workbook.add_chart({"type": kind, **({"subtype": "stacked"} if stacked else {})})
    assert chart is not None, "xlsxwriter knows every kind used here"
    chart.set_title({"name": title})
    chart.set_legend({"position": "bottom"})
    return chart


def finish_table(
    sheet: Worksheet, head_row: int, first_data: int, last_row: int, width: int
) -> None:
    """Frozen headers, an autofilter and the header rows repeated on every printed page."""
    sheet.freeze_panes(first_data, 0)
    sheet.autofilter(head_row, 0, max(last_row, head_row + 1), width - 1)
    sheet.repeat_rows(head_row, first_data - 1)


def excel_days(values: pd.Series) -> pd.Series:
    """datetime64 values as Excel serial days (NaN where missing): written with a date
    format, they are real dates without a Python datetime per cell."""
    days = (pd.to_datetime(values) - EXCEL_EPOCH) / pd.Timedelta(days=1)
    return days.astype("float64")
