"""Bìa: who issues the workbook, for which period and window, the data cut-off, the
rule-pack versions it stands on, and the snapshot it freezes."""

from __future__ import annotations

from congvu.inspect.reports.services.figures import Figures
from congvu.inspect.reports.services.layout import Book, ReportContext, header_block, vn_date

NAME = "Bìa"
WIDTH = 8


def write(book: Book, ctx: ReportContext, figures: Figures) -> None:
    sheet = book.sheet(NAME)
    sheet.set_column(0, 1, 16)
    sheet.set_column(2, WIDTH - 1, 14)
    row = header_block(
        book,
        sheet,
        ctx,
        title="BÁO CÁO KẾT QUẢ KIỂM TRA CÔNG VỤ",
        form="00/KTCV (Bìa)",
        unit_of_measure="không áp dụng",
        width=WIDTH,
    )
    period = ctx.period
    lines = [
        ("Cơ quan ban hành", f"{ctx.issuing_body} / {ctx.unit_name}"),
        ("Phạm vi", f"{ctx.unit_name} và các đơn vị trực thuộc"),
        ("Kỳ báo cáo", period.label("vi", bounds=False)),
        (
            "Thời gian lấy số liệu",
            f"từ {vn_date(period.first_day)} đến {vn_date(period.last_day)}"
            f" (từ đầu năm: từ {vn_date(ctx.year_start)})",
        ),
        ("Chốt số liệu", f"{ctx.cut_off:%d/%m/%Y %H:%M}"),
        ("Lập lúc", f"{ctx.generated_at:%d/%m/%Y %H:%M}"),
        ("Người lập", ctx.generated_by),
        ("Bản chốt số", f"{ctx.snapshot_id} (phiên bản {ctx.version})"),
        ("Mã băm số liệu (SHA-256)", ctx.data_hash),
    ]
    lines += [(f"Bộ quy tắc {topic}", v) for topic, v in sorted(ctx.rule_versions.items())]
    for label, value in lines:
        sheet.write_string(row, 0, label, book.bold)
        sheet.write_string(row, 2, value, book.normal)
        row += 1
    row += 1
    sheet.write_string(row, 0, "Các biểu kèm theo:", book.bold)
    row += 1
    for name in ctx.contents:
        if name != NAME:
            sheet.write_string(row, 1, f"- {name}", book.normal)
            row += 1
