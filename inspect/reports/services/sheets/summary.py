"""Tổng hợp: per level of unit and per reporting line, checks planned and done
(scheduled, surprise), units checked in the quarter and the year to date against the
annual target, people checked, violations handled and open, dossiers resolved on time,
late dossiers whose apology was sent in time, officials rated HTXS and HTT in the
quarter with the HTXS share against its cap (NĐ 335/2025); then this quarter against
the last, with a chart.

Totals and ratios are Excel formulas (the statistical forms' "2 = 3 + 4"), each written
with its value so a viewer that does not recalculate still shows the figure.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
from congvu.inspect.reports.services.figures import ANNUAL_COVERAGE_TARGET, Figures
from congvu.inspect.reports.services.layout import (
    Book,
    ReportContext,
    cell,
    column_heads,
    finish_table,
    header_block,
    letters_for,
    signature_block,
)
from xlsxwriter.worksheet import Worksheet

NAME = "Tổng hợp"
KIND_LABELS = {
    "province": "Cơ quan báo cáo",
    "department": "Sở, ban, ngành",
    "service_centre": "Trung tâm Phục vụ hành chính công",
    "commune": "Xã, phường, đặc khu",
    "sub_unit": "Phòng, bộ phận",
}
ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII")
# (head, figure key or a formula over other figure numbers); figure n is column 2 + n.
FIGURES: list[tuple[str, str]] = [
    ("Số cuộc kiểm tra theo kế hoạch", "planned"),
    ("Số cuộc kiểm tra đã thực hiện\n(2 = 3 + 4)", "=3+4"),
    ("Trong đó: theo kế hoạch", "done_scheduled"),
    ("Trong đó: đột xuất", "done_surprise"),
    ("Số đơn vị thuộc phạm vi kiểm tra", "in_scope"),
    ("Số đơn vị được kiểm tra trong quý", "checked_quarter"),
    ("Số đơn vị được kiểm tra từ đầu năm", "checked_ytd"),
    ("Tỷ lệ đơn vị được kiểm tra từ đầu năm\n(8 = 7 / 5)", "=7/5"),
    ("Chỉ tiêu năm", "target"),
    ("Số người được kiểm tra", "people"),
    ("Số hành vi vi phạm\n(11 = 12 + 13)", "=12+13"),
    ("Đã xử lý", "handled"),
    ("Chưa xử lý xong", "open"),
    ("Hồ sơ TTHC đã giải quyết", "resolved"),
    ("Trong đó: đúng hạn, trước hạn", "resolved_on_time"),
    ("Tỷ lệ giải quyết đúng hạn\n(16 = 15 / 14)", "=15/14"),
    ("Hồ sơ trễ hạn, quá hạn phải xin lỗi", "apology_needed"),
    ("Trong đó: đã xin lỗi đúng hạn", "apology_kept"),
    ("Tỷ lệ xin lỗi đúng quy định\n(19 = 18 / 17)", "=18/17"),
    ("Công chức xếp loại HTXS trong quý", "htxs"),
    ("Công chức xếp loại HTT trong quý", "htt"),
    ("Tỷ lệ HTXS so với HTT\n(22 = 20 / 21)", "=20/21"),
    ("Hạn mức tỷ lệ HTXS", "htxs_cap"),
]
# Figures that are one constant on every row rather than a count.
CONSTANT_KEYS = ("target", "htxs_cap")
COMPARISON = [
    ("Cuộc kiểm tra đã thực hiện", "done"),
    ("Trong đó: đột xuất", "surprise"),
    ("Đơn vị được kiểm tra", "checked"),
    ("Người được kiểm tra", "people"),
    ("Hành vi vi phạm", "violations"),
    ("Đã xử lý", "handled"),
    ("Chưa xử lý xong", "open"),
]


def col(number: int) -> int:
    """The sheet column of figure ``number`` (1-based; A, B, C come first)."""
    return 2 + number


def _formula(book: Book, sheet: Worksheet, row: int, spec: str, values: dict[int, float]) -> None:
    """``=a+b`` or ``=a/b`` over figure numbers of the same row."""
    a, op, b = spec[1:].partition("+") if "+" in spec else spec[1:].partition("/")
    left, right = int(a), int(b)
    ref_a, ref_b = cell(row, col(left)), cell(row, col(right))
    if op == "+":
        value = values[left] + values[right]
        sheet.write_formula(row, col(values_key(spec)), f"={ref_a}+{ref_b}", book.number, value)
    else:
        ratio = values[left] / values[right] if values[right] else 0
        formula = f"=IF({ref_b}=0,0,{ref_a}/{ref_b})"
        sheet.write_formula(row, col(values_key(spec)), formula, book.percent, ratio)


def values_key(spec: str) -> int:
    """The figure number a formula fills (its position in FIGURES)."""
    return next(n for n, (_, key) in enumerate(FIGURES, start=1) if key == spec)


def _row(
    book: Book,
    sheet: Worksheet,
    row: int,
    labels: tuple[str, str, str],
    values: dict[int, float],
    constants: dict[str, float],
    sums: dict[int, str] | None = None,
    bold: bool = False,
) -> None:
    """One line of the table: literal figures, or SUM formulas (``sums``) for a total."""
    text = book.text_bold if bold else book.text
    sheet.write_string(row, 0, labels[0], book.code)
    sheet.write_string(row, 1, labels[1], text)
    sheet.write_string(row, 2, labels[2], book.code)
    for number, (_, key) in enumerate(FIGURES, start=1):
        if key.startswith("="):
            _formula(book, sheet, row, key, values)
        elif key in CONSTANT_KEYS:
            sheet.write_number(row, col(number), constants[key], book.percent)
        elif sums is not None:
            fmt = book.number_bold if bold else book.number
            sheet.write_formula(row, col(number), sums[number], fmt, values[number])
        else:
            sheet.write_number(row, col(number), values[number], book.number)


def _values(line: Any) -> dict[int, float]:
    return {
        n: float(line[key])
        for n, (_, key) in enumerate(FIGURES, start=1)
        if not key.startswith("=") and key not in CONSTANT_KEYS
    }


def _sum_over(rows: list[int]) -> dict[int, str]:
    """Per literal figure: ``=SUM(...)`` over the given rows of its column."""
    out = {}
    for number, (_, key) in enumerate(FIGURES, start=1):
        if not key.startswith("=") and key not in CONSTANT_KEYS:
            out[number] = "=" + "+".join(cell(r, col(number)) for r in rows) if rows else "=0"
    return out


def _add(values: list[dict[int, float]]) -> dict[int, float]:
    keys = _values_keys()
    return {k: sum(v[k] for v in values) for k in keys}


def _values_keys() -> list[int]:
    return [
        n
        for n, (_, key) in enumerate(FIGURES, start=1)
        if not key.startswith("=") and key not in CONSTANT_KEYS
    ]


def with_levels(figures: Figures) -> pd.DataFrame:
    """The reporting lines with the quarter's HTXS and HTT counts of their officials (an
    official counts for the deepest reporting line on the path of the unit)."""
    lines = figures.lines.copy()
    at = {str(code): n for n, code in enumerate(lines["code"])}
    htxs, htt = [0] * len(lines), [0] * len(lines)
    for unit_path, excellent, good in figures.personnel.unit_levels:
        owners = [at[c] for c in unit_path.strip("/").split("/") if c in at]
        if owners:
            htxs[owners[-1]] += excellent
            htt[owners[-1]] += good
    lines["htxs"], lines["htt"] = htxs, htt
    return lines


def write(book: Book, ctx: ReportContext, figures: Figures) -> None:
    sheet = book.sheet(NAME)
    width = 3 + len(FIGURES)
    sheet.set_column(0, 0, 6)
    sheet.set_column(1, 1, 34)
    sheet.set_column(2, 2, 7)
    sheet.set_column(3, width - 1, 11)
    row = header_block(
        book,
        sheet,
        ctx,
        title="TỔNG HỢP KẾT QUẢ KIỂM TRA CÔNG VỤ",
        form="01/KTCV",
        unit_of_measure="cuộc, đơn vị, người, hành vi, hồ sơ, %",
        width=width,
    )
    heads = ["STT", "Cấp đơn vị / đơn vị", "Mã số"] + [head for head, _ in FIGURES]
    head_row = row
    row = column_heads(book, sheet, row, heads, letters_for(len(heads)))
    first_data = row

    # Plan every row first: the total comes first and sums rows written after it.
    constants = {
        "target": ANNUAL_COVERAGE_TARGET,
        "htxs_cap": figures.personnel.quota_percent / 100,
    }
    lines = with_levels(figures)
    groups: list[tuple[str, list[Any]]] = []
    for kind, label in KIND_LABELS.items():
        members = [line for _, line in lines.iterrows() if line["kind"] == kind]
        if members:
            groups.append((label, members))
    total_row = row
    group_rows, cursor = [], row + 1
    for _, members in groups:
        group_rows.append(cursor)
        cursor += 1 + len(members)
    group_values = [_add([_values(m) for m in members]) for _, members in groups]
    _row(
        book,
        sheet,
        total_row,
        ("", "TỔNG CỘNG", "01"),
        _add(group_values),
        constants,
        sums=_sum_over(group_rows),
        bold=True,
    )
    code = 2
    for index, ((label, members), at, values) in enumerate(
        zip(groups, group_rows, group_values, strict=True)
    ):
        unit_rows = list(range(at + 1, at + 1 + len(members)))
        _row(
            book,
            sheet,
            at,
            (ROMAN[index], label, f"{code:02d}"),
            values,
            constants,
            sums=_sum_over(unit_rows),
            bold=True,
        )
        code += 1
        for number, (line, unit_row) in enumerate(zip(members, unit_rows, strict=True), 1):
            labels = (str(number), line["name"], f"{code:02d}")
            _row(book, sheet, unit_row, labels, _values(line), constants)
            code += 1
    last = cursor - 1
    finish_table(sheet, head_row, first_data, last, width)
    row = _comparison(book, sheet, ctx, figures, cursor + 1)
    signature_block(book, sheet, row, width)


def _comparison(
    book: Book, sheet: Worksheet, ctx: ReportContext, figures: Figures, row: int
) -> int:
    """Quý này so với quý trước: a small table and a column chart over it."""
    sheet.write_string(row, 1, "SO SÁNH VỚI QUÝ TRƯỚC", book.bold)
    row += 1
    head = row
    sheet.write_string(row, 1, "Chỉ tiêu", book.head)
    sheet.write_string(row, 2, ctx.previous.label("vi", bounds=False), book.head)
    sheet.write_string(row, 3, ctx.period.label("vi", bounds=False), book.head)
    for label, key in COMPARISON:
        row += 1
        sheet.write_string(row, 1, label, book.text)
        sheet.write_number(row, 2, figures.previous[key], book.number)
        sheet.write_number(row, 3, figures.current[key], book.number)
    chart = book.workbook.add_chart({"type": "column"})
    for column, name in ((2, ctx.previous), (3, ctx.period)):
        chart.add_series(
            {
                "name": name.label("vi", bounds=False),
                "categories": [NAME, head + 1, 1, row, 1],
                "values": [NAME, head + 1, column, row, column],
            }
        )
    chart.set_title({"name": "Quý này so với quý trước"})
    chart.set_legend({"position": "bottom"})
    chart.set_size({"width": 640, "height": 300})
    sheet.insert_chart(head, 5, chart)
    return max(row, head + 15) + 1
