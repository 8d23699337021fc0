"""Xếp loại quý: every official of the subtree on the quarter's board (NĐ 335/2025) with
the score, the proposed level, the level decided once the period is locked and why a level
is capped; then the HTXS quota check per agency and task group (HTXS no more than the
pack's share, 20%, of HTT) and the count per level, as formulas over the rows above."""

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
    put,
    signature_block,
)
from congvu.inspect.reports.services.personnel import RatingRow
from congvu.rules.rating import Level
from xlsxwriter.worksheet import Worksheet

NAME = "Xếp loại quý"
HEADS = [
    "STT",
    "Đơn vị",
    "Họ và tên",
    "Nhóm",
    "Điểm",
    "Mức xếp loại đề xuất",
    "Mức xếp loại được quyết định",
    "Lý do giới hạn mức",
]
WIDTHS = [6, 30, 26, 16, 9, 24, 24, 50]
QUOTA_HEADS = [
    "STT",
    "Cơ quan, đơn vị",
    "Nhóm nhiệm vụ",
    "HTXS đề xuất",
    "HTXS sau hạn mức",
    "HTT sau hạn mức",
    "HTT trở lên\n(5 = 2 + 3)",
    "Hạn mức HTXS\n(6 = tỷ lệ x 3)",
    "Tỷ lệ HTXS / HTT\n(7 = 2 / 3)",
    "Kết quả kiểm tra hạn mức",
    "Ghi chú",
]
WITHIN, OVER = "Trong hạn mức", "Vượt hạn mức"


def write(book: Book, ctx: ReportContext, figures: Figures) -> None:
    p = figures.personnel
    sheet = book.sheet(NAME)
    for index, width in enumerate(WIDTHS):
        sheet.set_column(index, index, width)
    sheet.set_column(8, 10, 16)
    width = len(QUOTA_HEADS)
    row = header_block(
        book,
        sheet,
        ctx,
        title="KẾT QUẢ ĐÁNH GIÁ, XẾP LOẠI CHẤT LƯỢNG CÔNG CHỨC THEO QUÝ",
        form="08/KTCV",
        unit_of_measure="người, điểm, %",
        width=width,
    )
    sheet.write_string(row, 0, "Kỳ đánh giá:", book.italic)
    sheet.write_string(row, 2, p.rating_state, book.normal)
    row += 2
    sheet.write_string(row, 0, "I. XẾP LOẠI TỪNG CÔNG CHỨC", book.bold)
    row += 1
    head_row = row
    row = column_heads(book, sheet, row, HEADS, letters_for(len(HEADS), 4))
    first = row
    for number, r in enumerate(p.ratings, start=1):
        values = [number, r.unit_name, r.name, r.group, r.score, r.proposed, r.final, r.capped]
        for col, value in enumerate(values):
            fmt = book.number if col == 0 else book.decimal if col == 4 else book.text
            put(sheet, row, col, value if value != "" else None, fmt)
        row += 1
    last = row - 1
    finish_table(sheet, head_row, first, max(last, first), len(HEADS))
    row = _levels(book, sheet, row + 1, first, last, p.ratings)
    row = _quota(book, sheet, row + 1, figures)
    signature_block(book, sheet, row + 1, width)


def _levels(
    book: Book, ws: Worksheet, row: int, first: int, last: int, ratings: tuple[RatingRow, ...]
) -> int:
    """Số công chức theo mức: COUNTIF over the proposed and decided columns."""
    ws.write_string(row, 0, "II. SỐ CÔNG CHỨC THEO MỨC XẾP LOẠI", book.bold)
    row += 1
    for col, head in enumerate(["STT", "Mức xếp loại", "", "", "", "Đề xuất", "Được quyết định"]):
        ws.write_string(row, col, head, book.head)
    row += 1
    proposed, final = column_range(5, first, last), column_range(6, first, last)
    rows = []
    for number, level in enumerate(Level, start=1):
        label = level.label_vi
        ws.write_number(row, 0, number, book.number)
        ws.write_string(row, 1, label, book.text)
        for col, span, key in ((5, proposed, "proposed"), (6, final, "final")):
            value = sum(1 for r in ratings if getattr(r, key) == label)
            formula = f'=COUNTIF({span},"{label}")' if last >= first else "=0"
            ws.write_formula(row, col, formula, book.number, value)
        rows.append(row)
        row += 1
    ws.write_string(row, 1, "Tổng số đã xếp loại", book.text_bold)
    for col in (5, 6):
        total = f"=SUM({column_range(col, rows[0], rows[-1])})"
        ws.write_formula(row, col, total, book.number_bold, 0)
    return row + 1


def _quota(book: Book, ws: Worksheet, row: int, figures: Figures) -> int:
    """Kiểm tra hạn mức HTXS per quota group, with its sums and checks as formulas."""
    p = figures.personnel
    share = p.quota_percent / 100
    ws.write_string(
        row, 0, f"III. KIỂM TRA HẠN MỨC HTXS (không quá {p.quota_percent:g}% số HTT)", book.bold
    )
    row += 1
    row = column_heads(book, ws, row, QUOTA_HEADS, letters_for(len(QUOTA_HEADS)))
    first = row
    for number, q in enumerate(p.quotas, start=1):
        put(ws, row, 0, number, book.number)
        put(ws, row, 1, q.unit_name, book.text)
        put(ws, row, 2, q.task_group, book.text)
        for col, value in ((3, q.htxs_proposed), (4, q.htxs), (5, q.htt)):
            ws.write_number(row, col, value, book.number)
        _checks(book, ws, row, share, q.htxs, q.htt)
        put(ws, row, 10, q.note, book.text)
        row += 1
    last = row - 1
    ws.write_string(row, 1, "TỔNG CỘNG", book.text_bold)
    for col, value in (
        (3, sum(q.htxs_proposed for q in p.quotas)),
        (4, sum(q.htxs for q in p.quotas)),
        (5, sum(q.htt for q in p.quotas)),
    ):
        formula = f"=SUM({column_range(col, first, last)})" if p.quotas else "=0"
        ws.write_formula(row, col, formula, book.number_bold, value)
    htxs, htt = sum(q.htxs for q in p.quotas), sum(q.htt for q in p.quotas)
    ws.write_formula(row, 6, f"={cell(row, 4)}+{cell(row, 5)}", book.number_bold, htxs + htt)
    ratio = f"=IF({cell(row, 5)}=0,0,{cell(row, 4)}/{cell(row, 5)})"
    ws.write_formula(row, 8, ratio, book.percent_bold, htxs / htt if htt else 0)
    return row + 1


def _checks(book: Book, ws: Worksheet, row: int, share: float, htxs: int, htt: int) -> None:
    """HTT or better, the cap, the share and within/over, as formulas of the row."""
    a, b = cell(row, 4), cell(row, 5)
    cap = round(share * 10_000) * htt // 10_000  # floor, without a float's 6.9999
    ws.write_formula(row, 6, f"={a}+{b}", book.number, htxs + htt)
    ws.write_formula(row, 7, f"=ROUNDDOWN({share}*{b},0)", book.number, cap)
    ws.write_formula(row, 8, f"=IF({b}=0,0,{a}/{b})", book.percent, htxs / htt if htt else 0)
    verdict = WITHIN if htxs <= cap else OVER
    formula = f'=IF({a}<={cell(row, 7)},"{WITHIN}","{OVER}")'
    ws.write_formula(row, 9, formula, book.text, verdict)
