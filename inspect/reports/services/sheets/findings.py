"""Phát hiện: one row per finding of the period: the rule and its legal basis with
the version's date, the minutes (or dossier), the explanation's due date, when it came,
the outcome, the decision and the state."""

from __future__ import annotations

import pandas as pd
from congvu.inspect.reports.services import labels
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

NAME = "Phát hiện"
HEADS = [
    "STT",
    "Đơn vị",
    "Cán bộ vi phạm",
    "Hành vi vi phạm",
    "Quy tắc áp dụng",
    "Căn cứ pháp lý",
    "Ngày phát hiện",
    "Số biên bản / mã hồ sơ",
    "Hạn giải trình",
    "Ngày giải trình",
    "Kết luận",
    "Ngày kết luận",
    "Biện pháp xử lý",
    "Tình trạng",
]
WIDTHS = [6, 26, 22, 34, 30, 34, 12, 16, 12, 12, 14, 12, 22, 20]
DATES = {6, 8, 9, 11}


def _day(value: object) -> object:
    return value.date() if isinstance(value, pd.Timestamp) and pd.notna(value) else None


def write(book: Book, ctx: ReportContext, figures: Figures) -> None:
    sheet = book.sheet(NAME)
    for index, width in enumerate(WIDTHS):
        sheet.set_column(index, index, width)
    row = header_block(
        book,
        sheet,
        ctx,
        title="DANH SÁCH HÀNH VI VI PHẠM PHÁT HIỆN QUA KIỂM TRA",
        form="04/KTCV",
        unit_of_measure="hành vi",
        width=len(HEADS),
    )
    head_row = row
    row = column_heads(book, sheet, row, HEADS, letters_for(len(HEADS)))
    first = row
    for number, f in enumerate(figures.findings.itertuples(index=False), start=1):
        day = f.observed_at.date()
        source = f.minutes_number if isinstance(f.minutes_number, str) else None
        if source is None and isinstance(f.dossier_code, str):
            source = f"Hồ sơ {f.dossier_code}"
        values = [
            number,
            f.unit_name,
            f.official_name if isinstance(f.official_name, str) else "(tập thể đơn vị)",
            labels.violation_label(f.violation_code, day),
            labels.rule_text(f.rule_id, f.rule_version),
            f.legal_basis,
            day,
            source,
            _day(f.explanation_due),
            _day(f.explained_at),
            labels.OUTCOMES.get(f.outcome) if isinstance(f.outcome, str) else None,
            _day(f.decided_at),
            labels.FOLLOW_UPS.get(f.follow_up) if isinstance(f.follow_up, str) else None,
            labels.REVIEW_STATES.get(f.state if isinstance(f.state, str) else None, f.state),
        ]
        for col, value in enumerate(values):
            fmt = book.date if col in DATES else book.number if col == 0 else book.text
            put(sheet, row, col, value, fmt)
        row += 1
    finish_table(sheet, head_row, first, row - 1, len(HEADS))
    signature_block(book, sheet, row + 1, len(HEADS))
