"""Dữ liệu gốc: the period's checks, findings and dossiers as flat tables for pivoting
(one header row, no merged cells, labels rather than codes, real dates), each split into
numbered sheets before Excel's row limit.

Rows are written cell by cell with the worksheet's typed writers and dates as Excel
serial numbers, so a million dossiers cost no Python datetime per cell
(tests/bench/README.md, P6).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd
from congvu.inspect.reports.services import labels
from congvu.inspect.reports.services.figures import Figures
from congvu.inspect.reports.services.layout import Book, ReportContext, excel_days
from xlsxwriter.format import Format

# Excel's rows per sheet; lowered by tests to see a split.
MAX_ROWS = 1_048_576
NAMES = ("DL Kiểm tra", "DL Phát hiện", "DL Hồ sơ")

Column = tuple[str, str, Any]  # (header, kind: text / number / date / moment, values)


def _text(values: pd.Series) -> list[str | None]:
    return [v if isinstance(v, str) and v != "" else None for v in values.tolist()]


def _mapped(values: pd.Series, mapping: dict[Any, str]) -> list[str | None]:
    return _text(values.map(lambda v: mapping.get(v, v) if isinstance(v, str) else None))


def _numbers(values: pd.Series) -> list[float | None]:
    array = pd.to_numeric(values, errors="coerce").to_numpy(dtype="float64")
    return [None if np.isnan(v) else v for v in array.tolist()]


def _days(values: pd.Series) -> list[float | None]:
    return _numbers(excel_days(values))


def write_rows(book: Book, name: str, columns: list[Column]) -> list[str]:
    """Write ``columns`` under one header row into ``name``, ``name (2)`` … as the row
    limit requires; answers the sheets' names."""
    count = len(columns[0][2]) if columns else 0
    per_sheet = MAX_ROWS - 1
    parts = max(1, -(-count // per_sheet))
    formats: dict[str, Format | None] = {
        "text": None,
        "number": None,
        "date": book.raw_date,
        "moment": book.raw_moment,
    }
    names = []
    for part in range(parts):
        title = name if part == 0 else f"{name} ({part + 1})"
        names.append(title)
        sheet = book.workbook.add_worksheet(title)
        for col, (head, kind, _) in enumerate(columns):
            sheet.write_string(0, col, head, book.raw_head)
            sheet.set_column(col, col, 14 if kind != "text" else 24)
        writers: list[tuple[Callable[..., int], list[Any], Format | None]] = [
            (
                sheet.write_string if kind == "text" else sheet.write_number,
                values,
                formats[kind],
            )
            for _, kind, values in columns
        ]
        start, stop = part * per_sheet, min(count, (part + 1) * per_sheet)
        row = 1
        for index in range(start, stop):
            for col, (write, values, fmt) in enumerate(writers):
                value = values[index]
                if value is not None:
                    write(row, col, value, fmt)
            row += 1
        sheet.freeze_panes(1, 0)
        sheet.autofilter(0, 0, max(1, row - 1), len(columns) - 1)
    return names


def write(book: Book, ctx: ReportContext, figures: Figures) -> None:
    checks = figures.inspections
    write_rows(
        book,
        NAMES[0],
        [
            ("Mã cuộc kiểm tra", "number", _numbers(checks["id"])),
            ("Đơn vị", "text", _text(checks["unit_name"])),
            ("Hình thức", "text", _mapped(checks["kind"], labels.INSPECTION_KINDS)),
            ("Ngày dự kiến", "date", _days(checks["scheduled_date"])),
            ("Ngày thực hiện", "moment", _days(checks["started_at"])),
            ("Tình trạng", "text", _mapped(checks["status"], labels.INSPECTION_STATUSES)),
            ("Kế hoạch", "text", _text(checks["plan_title"])),
            ("Số kế hoạch", "text", _text(checks["plan_document_no"])),
            ("Số QĐ thành lập đoàn", "text", _text(checks["team_decision_number"])),
            ("Ngày QĐ thành lập đoàn", "date", _days(checks["team_decision_date"])),
            ("Số biên bản", "text", _text(checks["minutes_number"])),
        ],
    )
    found = figures.findings
    day = ctx.period.last_day
    write_rows(
        book,
        NAMES[1],
        [
            ("Mã phát hiện", "number", _numbers(found["id"])),
            ("Đơn vị", "text", _text(found["unit_name"])),
            ("Cán bộ", "text", _text(found["official_name"])),
            (
                "Hành vi vi phạm",
                "text",
                [labels.violation_label(code, day) for code in found["violation_code"]],
            ),
            ("Ngày phát hiện", "moment", _days(found["observed_at"])),
            ("Hạn giải trình", "date", _days(found["explanation_due"])),
            ("Ngày giải trình", "moment", _days(found["explained_at"])),
            ("Kết luận", "text", _mapped(found["outcome"], labels.OUTCOMES)),
            ("Biện pháp xử lý", "text", _mapped(found["follow_up"], labels.FOLLOW_UPS)),
            (
                "Tình trạng",
                "text",
                [
                    labels.REVIEW_STATES.get(s if isinstance(s, str) else None)
                    for s in found["state"]
                ],
            ),
            ("Đã khắc phục", "number", _numbers(found["verified"])),
        ],
    )
    dossiers = figures.dossiers
    write_rows(
        book,
        NAMES[2],
        [
            ("Mã hồ sơ", "text", _text(dossiers["code"])),
            ("Đơn vị", "text", _text(dossiers["unit_name"])),
            ("Thủ tục", "text", _text(dossiers["procedure"])),
            ("Tình trạng", "text", _mapped(dossiers["status"], labels.DOSSIER_STATUSES)),
            ("Ngày tiếp nhận", "moment", _days(dossiers["received_at"])),
            ("Ngày hẹn trả", "moment", _days(dossiers["due_at"])),
            ("Ngày có kết quả", "moment", _days(dossiers["finished_at"])),
            ("Số ngày làm việc trễ", "number", _numbers(dossiers["working_days_late"])),
        ],
    )
