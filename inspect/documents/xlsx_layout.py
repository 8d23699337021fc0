"""Lists that go with a document, as an .xlsx workbook (xlsxwriter): each sheet opens with
the NĐ 30/2020 header rows (issuer and number left, Quốc hiệu, tiêu ngữ and the date line
right), the document's kind and summary, then its table, a "Tổng cộng" row whose sums are
formulas, and the signature block.

Text from the data is always written as text (``write_string``, ``strings_to_formulas``
off): a name beginning with ``= + - @`` never becomes a formula (formula injection).
Dates are date cells shown dd/mm/yyyy."""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

import xlsxwriter
from congvu.inspect.documents.model import MOTTO, NATION, OfficialDocument, SheetTable
from xlsxwriter.utility import xl_rowcol_to_cell
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
A4 = 9  # xlsxwriter's paper code


class _Formats:
    def __init__(self, book: Workbook) -> None:
        add = book.add_format
        base = {"font_name": "Times New Roman", "font_size": 12}
        cell = {**base, "border": 1, "valign": "top"}
        self.centre = add({**base, "align": "center"})
        self.centre_bold = add({**base, "align": "center", "bold": True})
        self.motto = add({**base, "align": "center", "bold": True, "underline": 1})
        self.centre_italic = add({**base, "align": "center", "italic": True})
        self.title = add({**base, "align": "center", "bold": True, "font_size": 14})
        self.head = add({**cell, "bold": True, "align": "center", "text_wrap": True})
        self.text = add({**cell, "text_wrap": True})
        self.number = add({**cell, "num_format": "#,##0.##"})
        self.date = add({**cell, "num_format": "dd/mm/yyyy", "align": "center"})
        self.total_label = add({**cell, "bold": True})
        self.total = add({**cell, "bold": True, "num_format": "#,##0.##"})


def _put(sheet: Worksheet, row: int, col: int, value: Any, f: _Formats) -> None:
    if value is None:
        sheet.write_blank(row, col, None, f.text)
    elif isinstance(value, str):
        sheet.write_string(row, col, value, f.text)
    elif isinstance(value, datetime | date):
        sheet.write_datetime(row, col, value, f.date)
    else:
        sheet.write_number(row, col, value, f.number)


def _header(sheet: Worksheet, d: OfficialDocument, width: int, f: _Formats) -> int:
    width = max(width, 4)
    left = max(2, width // 2)
    lines_left = [
        (d.superior.upper(), f.centre),
        (d.issuer.upper(), f.centre_bold),
        (d.number_line or "", f.centre),
    ]
    lines_right = [(NATION, f.centre_bold), (MOTTO, f.motto), (d.date_line, f.centre_italic)]
    for row, ((lt, lf), (rt, rf)) in enumerate(zip(lines_left, lines_right, strict=True)):
        sheet.merge_range(row, 0, row, left - 1, lt, lf)
        sheet.merge_range(row, left, row, width - 1, rt, rf)
    sheet.merge_range(4, 0, 4, width - 1, d.kind_title, f.title)
    sheet.merge_range(5, 0, 5, width - 1, d.summary, f.centre_bold)
    return 7


def _sheet(book: Workbook, d: OfficialDocument, table: SheetTable, f: _Formats) -> None:
    sheet = book.add_worksheet(table.name[:31])
    sheet.set_paper(A4)
    sheet.set_landscape()
    sheet.set_margins(left=1.18, right=0.79, top=0.79, bottom=0.79)  # 30/20/20/20 mm
    sheet.fit_to_pages(1, 0)
    width = len(table.header)
    for col in range(width):
        sheet.set_column(col, col, table.widths[col] if col < len(table.widths) else 18)
    row = _header(sheet, d, width, f)
    if table.caption:
        sheet.merge_range(row, 0, row, max(width, 2) - 1, table.caption, f.centre_bold)
        row += 1
    for col, head in enumerate(table.header):
        sheet.write_string(row, col, head, f.head)
    head_row = row
    first = row + 1
    for values in table.rows:
        row += 1
        for col, value in enumerate(values):
            _put(sheet, row, col, value, f)
    if table.totals:
        row += 1
        sheet.write_string(row, 0, "Tổng cộng", f.total_label)
        for col in range(1, width):
            if col in table.totals:
                top = xl_rowcol_to_cell(first, col)
                bottom = xl_rowcol_to_cell(max(first, row - 1), col)
                sheet.write_formula(row, col, f"=SUM({top}:{bottom})", f.total)
            else:
                sheet.write_blank(row, col, None, f.total_label)
    sheet.repeat_rows(head_row)
    row += 2
    for s in d.signatures[-1:]:
        for n, line in enumerate(s.title_lines):
            _span(sheet, row + n, width // 2, max(width, 2) - 1, line, f.centre_bold)
        sheet.write_string(row + len(s.title_lines) + 4, width // 2, s.name, f.centre_bold)


def _span(sheet: Worksheet, row: int, first: int, last: int, text: str, fmt: Any) -> None:
    """Text across columns ``first`` to ``last`` (one cell needs no merge)."""
    if last > first:
        sheet.merge_range(row, first, row, last, text, fmt)
    else:
        sheet.write_string(row, first, text, fmt)


def render_xlsx(d: OfficialDocument, tables: Sequence[SheetTable]) -> bytes:
    """The workbook's bytes: one sheet a table, each under the document's header."""
    out = io.BytesIO()
    book = xlsxwriter.Workbook(
        out,
        {
            "in_memory": True,
            "strings_to_numbers": False,
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "default_date_format": "dd/mm/yyyy",
        },
    )
    formats = _Formats(book)
    for table in tables:
        _sheet(book, d, table, formats)
    book.close()
    return out.getvalue()
