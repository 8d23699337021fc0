"""Phương pháp: how the figures were made: the window rule, the rule-pack and calendar
versions, the parameters, when and by what it was generated, and the data hash."""

from __future__ import annotations

from congvu.inspect.reports.services.figures import ANNUAL_COVERAGE_TARGET, Figures
from congvu.inspect.reports.services.layout import Book, ReportContext, header_block, vn_date

NAME = "Phương pháp"
WIDTH = 6
WINDOW_RULES = {
    "nd09": "NĐ 09/2019/NĐ-CP, Điều 12: số liệu chốt từ ngày 15 tháng trước kỳ đến ngày 14"
    " tháng cuối kỳ",
    "calendar": "Theo tháng, quý, năm dương lịch",
}
DEFINITIONS = [
    "Cuộc kiểm tra đã thực hiện: đã lập biên bản hoặc đã kết thúc.",
    "Đơn vị thuộc phạm vi: các đơn vị trực thuộc đơn vị báo cáo còn hoạt động vào ngày đầu kỳ;"
    " một bộ phận được tính cho đơn vị trực thuộc chứa nó.",
    "Hành vi vi phạm: phát hiện còn hiệu lực trong kỳ, trừ trường hợp kết luận không vi phạm;"
    " đã xử lý khi đã quyết định biện pháp hoặc đã kết thúc.",
    "Khắc phục: vi phạm đã xác nhận được tính là đã khắc phục khi đã kết thúc (với đơn vị:"
    " khi lần kiểm tra sau hoặc ảnh đã xác minh xác nhận việc khắc phục).",
    "Tái phạm: cán bộ có từ 02 hành vi vi phạm trong 12 tháng tính đến cuối kỳ.",
    "Hồ sơ đã giải quyết trong kỳ: ngày có kết quả thuộc kỳ; tình trạng theo lần đánh giá gần"
    " nhất của hệ thống.",
    "Số liệu hồ sơ TTHC tính theo cùng kỳ báo cáo; chỉ số 766 tính theo tháng, quý dương lịch.",
    "Xin lỗi do trễ hạn: hồ sơ trong kỳ có tình trạng trễ hạn hoặc quá hạn phải có văn bản xin"
    " lỗi; đúng quy định khi đã gửi đúng thời hạn (theo lần đánh giá gần nhất của hệ thống).",
    "Tỷ lệ đúng hạn qua các quý: hồ sơ có kết quả trong từng quý (cùng cách tính kỳ báo cáo),"
    " tỷ lệ trước hạn và đúng hạn trên số đã giải quyết.",
    "Chỉ số 766 (ước tính): hồ sơ tiếp nhận trong quý dương lịch; đúng hạn gồm trước hạn, đúng"
    " hạn và đang giải quyết trong hạn; không thay thế số liệu công bố trên Cổng Dịch vụ công"
    " quốc gia.",
    "Tài liệu kiểm chứng PAR INDEX: tài liệu của năm chứa kỳ báo cáo do đơn vị và các đơn vị"
    " trực thuộc ban hành, theo tiêu chí được gắn; mã SHA-256 là mã của tệp khi đăng ký.",
    "Xếp loại quý: theo Nghị định 335/2025/NĐ-CP, như trang đánh giá, xếp loại hiển thị (kỳ đã"
    " khóa: theo phiên bản đã khóa; kỳ đang mở: kết quả đề xuất tính theo số liệu hiện có);"
    " số HTXS không quá tỷ lệ của bộ quy tắc so với số HTT của cùng cơ quan, nhóm nhiệm vụ.",
    "Thi đua: danh hiệu theo Nghị định 152/2025/NĐ-CP của năm chứa kỳ báo cáo; kết quả bỏ phiếu"
    " theo các phiên họp Hội đồng thi đua, khen thưởng của năm.",
    "Kỷ luật: hồ sơ theo Nghị định 172/2025/NĐ-CP mở trong kỳ báo cáo; quá hạn tính đến ngày"
    " chốt số liệu.",
]


def write(book: Book, ctx: ReportContext, figures: Figures) -> None:
    sheet = book.sheet(NAME)
    sheet.set_column(0, 1, 18)
    sheet.set_column(2, WIDTH - 1, 24)
    row = header_block(
        book,
        sheet,
        ctx,
        title="PHƯƠNG PHÁP TỔNG HỢP SỐ LIỆU",
        form="07/KTCV",
        unit_of_measure="không áp dụng",
        width=WIDTH,
    )
    scheme = ctx.period.scheme.value
    lines = [
        ("Cách tính kỳ báo cáo", WINDOW_RULES.get(scheme, scheme)),
        ("Kỳ báo cáo", ctx.period.label("vi")),
        ("Kỳ so sánh", ctx.previous.label("vi")),
        ("Từ đầu năm", f"từ {vn_date(ctx.year_start)} đến {vn_date(ctx.period.last_day)}"),
        ("Chỉ tiêu kiểm tra năm", f"{ANNUAL_COVERAGE_TARGET:.0%} số đơn vị thuộc phạm vi"),
        ("Lịch ngày làm việc", ctx.calendar_version),
        *[(f"Bộ quy tắc {topic}", v) for topic, v in sorted(ctx.rule_versions.items())],
        (
            "Xếp loại, thi đua, kỷ luật theo bộ quy tắc",
            ", ".join(f"{t} {v}" for t, v in sorted(figures.personnel.packs.items())) or "không có",
        ),
        ("Kỳ đánh giá xếp loại quý", figures.personnel.rating_state),
        ("Kỳ đánh giá năm (thi đua)", figures.personnel.year_state),
        *[(f"Tham số {key}", str(value)) for key, value in sorted(ctx.parameters.items())],
        ("Chốt số liệu", f"{ctx.cut_off:%d/%m/%Y %H:%M}"),
        ("Lập lúc", f"{ctx.generated_at:%d/%m/%Y %H:%M}"),
        ("Phần mềm", ctx.generator_version),
        ("Bản chốt số", f"{ctx.snapshot_id} (phiên bản {ctx.version})"),
        ("Mã băm số liệu (SHA-256)", ctx.data_hash),
    ]
    for label, value in lines:
        sheet.write_string(row, 0, label, book.bold)
        sheet.write_string(row, 2, value, book.normal)
        row += 1
    row += 1
    sheet.write_string(row, 0, "Định nghĩa", book.bold)
    for text in DEFINITIONS:
        row += 1
        sheet.write_string(row, 1, f"- {text}", book.normal)
