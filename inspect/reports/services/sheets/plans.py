"""Kế hoạch: every check of the period, planned or drawn: planned date, done date, the
plan's number, the quyết định thành lập đoàn (number and date), the team lead, its
status, and why a past check is not done."""

from __future__ import annotations

import pandas as pd
from congvu.inspect.reports.services import labels
from congvu.inspect.reports.services.figures import DONE_STATUSES, Figures
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

NAME = "Kế hoạch"
HEADS = [
    "STT",
    "Đơn vị được kiểm tra",
    "Kế hoạch",
    "Hình thức",
    "Ngày dự kiến",
    "Ngày thực hiện",
    "Số kế hoạch",
    "Quyết định thành lập đoàn (số, ngày)",
    "Trưởng đoàn",
    "Tình trạng",
    "Lý do chưa thực hiện",
]
WIDTHS = [6, 30, 34, 20, 12, 12, 16, 24, 22, 16, 34]
NOT_DONE = "Chưa thực hiện đến ngày chốt số liệu; chưa ghi nhận lý do"


def team_decision(number: object, day: object) -> str | None:
    """ "125/QĐ-UBND ngày 02/03/2026", or None (an empty cell) when none is recorded."""
    if not isinstance(number, str) or not number:
        return None
    if isinstance(day, pd.Timestamp) and pd.notna(day):
        return f"{number} ngày {day:%d/%m/%Y}"
    return number


def write(book: Book, ctx: ReportContext, figures: Figures) -> None:
    sheet = book.sheet(NAME)
    for index, width in enumerate(WIDTHS):
        sheet.set_column(index, index, width)
    row = header_block(
        book,
        sheet,
        ctx,
        title="TÌNH HÌNH THỰC HIỆN KẾ HOẠCH KIỂM TRA CÔNG VỤ",
        form="02/KTCV",
        unit_of_measure="cuộc kiểm tra",
        width=len(HEADS),
    )
    head_row = row
    row = column_heads(book, sheet, row, HEADS, letters_for(len(HEADS)))
    first = row
    cut_off = pd.Timestamp(ctx.cut_off.date())
    for number, check in enumerate(figures.inspections.itertuples(index=False), start=1):
        done = check.status in DONE_STATUSES
        started = check.started_at if pd.notna(check.started_at) else None
        reason = NOT_DONE if not done and check.scheduled_date < cut_off else None
        values = [
            number,
            check.unit_name,
            check.plan_title if isinstance(check.plan_title, str) else "Kiểm tra đột xuất",
            labels.INSPECTION_KINDS.get(check.kind, check.kind),
            check.scheduled_date.date(),
            started.date() if started is not None else None,
            check.plan_document_no,
            team_decision(check.team_decision_number, check.team_decision_date),
            check.team_lead,
            labels.INSPECTION_STATUSES.get(check.status, check.status),
            reason,
        ]
        for col, value in enumerate(values):
            fmt = book.date if col in (4, 5) else book.number if col == 0 else book.text
            put(sheet, row, col, value, fmt)
        row += 1
    finish_table(sheet, head_row, first, row - 1, len(HEADS))
    signature_block(book, sheet, row + 1, len(HEADS))
