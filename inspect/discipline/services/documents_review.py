"""The documents of the review stage (NĐ 172/2025/NĐ-CP Arts. 16-17): the notice of the
review meeting (thông báo họp kiểm điểm), its minutes (biên bản họp kiểm điểm) and the
report to the authority that disciplines (báo cáo), filled from the case's steps; what
the case does not hold is left as dots for the office to fill."""

from __future__ import annotations

from congvu.inspect.discipline.services.loading import CaseFile
from congvu.inspect.discipline.services.timeline import limitation_of
from congvu.inspect.discipline.tables import CaseStage
from congvu.inspect.documents.labels import violation_text
from congvu.inspect.documents.letterhead import Letterhead
from congvu.inspect.documents.model import (
    BLANK,
    OfficialDocument,
    Paragraph,
    Signature,
    Table,
    paragraphs,
)
from congvu.rules.packs import format_date

DECREE = (
    "Căn cứ Nghị định số 172/2025/NĐ-CP ngày 30 tháng 6 năm 2025 của Chính phủ quy định "
    "về xử lý kỷ luật cán bộ, công chức;"
)


def sources_table(file: CaseFile) -> list[Table]:
    """The confirmed findings the case was opened from, if any."""
    if not file.sources:
        return []
    rows = [
        [str(n), violation_text(s.violation_code, s.observed_on), format_date(s.observed_on)]
        for n, s in enumerate(file.sources, start=1)
    ]
    return [Table(["STT", "Hành vi vi phạm", "Ngày ghi nhận"], rows)]


def notice(file: CaseFile, head: Letterhead) -> OfficialDocument:
    c = file.case
    held = file.steps.get(CaseStage.REVIEW_MEETING)
    on = format_date(held.done_on) if held else "ngày     /     /     "
    return OfficialDocument(
        issuer=head.issuer,
        superior=head.superior,
        place=head.place,
        number="      /TB-",
        issued_on=None,
        kind_name="Thông báo",
        summary="Về việc họp kiểm điểm",
        body=paragraphs(
            "Căn cứ Nghị định số 172/2025/NĐ-CP ngày 30 tháng 6 năm 2025 của Chính phủ quy định "
            "về xử lý kỷ luật cán bộ, công chức;",
            f"Xét hành vi vi phạm của ông/bà {c['official_name']}: {c['description']}",
            f"{head.issuer} thông báo tổ chức cuộc họp kiểm điểm đối với ông/bà "
            f"{c['official_name']} vào {on}. Người bị kiểm điểm có trách nhiệm làm bản tự "
            f"kiểm điểm và có mặt để trình bày ý kiến của mình tại cuộc họp (Điều 16, 17 "
            "Nghị định 172/2025/NĐ-CP).",
        ),
        recipients=[f"Ông/bà {c['official_name']}", "Lưu: VT, TCCB"],
        signatures=[Signature("Thủ trưởng cơ quan")],
        file_stem="thong-bao-hop-kiem-diem",
    )


def review_minutes(file: CaseFile, head: Letterhead) -> OfficialDocument:
    """Biên bản họp kiểm điểm: the day held and the minutes' summary recorded with the
    step; who chaired, the attendance and the vote are not stored and stay blank."""
    c = file.case
    held = file.steps.get(CaseStage.REVIEW_MEETING)
    day = format_date(held.done_on) if held else BLANK
    summary = held.note if held and held.note else BLANK
    return OfficialDocument(
        issuer=head.issuer,
        superior=head.superior,
        place=head.place,
        number="      /BB-",
        issued_on=held.done_on if held else None,
        kind_name="Biên bản",
        summary=f"Họp kiểm điểm đối với ông/bà {c['official_name']}",
        body=[
            Paragraph(DECREE),
            Paragraph(
                f"Hồi …… giờ …… ngày {day}, tại {c['unit_name']}, tổ chức cuộc họp kiểm điểm "
                f"đối với ông/bà {c['official_name']}, {c['unit_name']}."
            ),
            Paragraph("I. THÀNH PHẦN THAM DỰ", bold=True),
            *paragraphs(
                f"Chủ trì: {BLANK}",
                f"Thư ký: {BLANK}",
                f"Người bị kiểm điểm: ông/bà {c['official_name']}",
                f"Số người có mặt: {BLANK}/{BLANK} người; vắng mặt: {BLANK}",
            ),
            Paragraph("II. NỘI DUNG", bold=True),
            Paragraph(f"1. Hành vi vi phạm: {c['description']}"),
            *sources_table(file),
            Paragraph(
                "2. Bản tự kiểm điểm, ý kiến của người bị kiểm điểm và ý kiến tại cuộc họp: "
                f"{summary}"
            ),
            Paragraph(
                f"3. Kiến nghị hình thức kỷ luật (biểu quyết): {BLANK}; số người đồng ý: "
                f"{BLANK}/{BLANK}."
            ),
            Paragraph(
                "Cuộc họp kết thúc hồi …… giờ …… cùng ngày. Biên bản đã được đọc lại cho "
                "những người dự họp cùng nghe và nhất trí."
            ),
        ],
        signatures=[
            Signature("Thư ký", hint="(Ký, ghi rõ họ tên)"),
            Signature("Chủ trì cuộc họp", hint="(Ký, ghi rõ họ tên)"),
        ],
        recipients=["Hồ sơ kỷ luật", "Lưu: VT, TCCB"],
        file_stem="bien-ban-hop-kiem-diem",
    )


def report(file: CaseFile, head: Letterhead) -> OfficialDocument:
    """Báo cáo: the review meeting's result and the request to consider discipline,
    sent with the minutes to the authority that disciplines (NĐ 172/2025 Art. 17)."""
    c = file.case
    held = file.steps.get(CaseStage.REVIEW_MEETING)
    sent = file.steps.get(CaseStage.REPORT_SENT)
    held_text = f"ngày {format_date(held.done_on)}; {held.note}" if held and held.note else BLANK
    return OfficialDocument(
        issuer=head.issuer,
        superior=head.superior,
        place=head.place,
        number="      /BC-",
        issued_on=sent.done_on if sent else None,
        kind_name="Báo cáo",
        summary=(
            f"Kết quả họp kiểm điểm và đề nghị xem xét xử lý kỷ luật đối với ông/bà "
            f"{c['official_name']}"
        ),
        body=[
            Paragraph(DECREE),
            Paragraph(
                f"{head.issuer} báo cáo kết quả họp kiểm điểm đối với ông/bà "
                f"{c['official_name']}, {c['unit_name']}, như sau:"
            ),
            Paragraph(
                f"1. Hành vi vi phạm: {c['description']} Ngày vi phạm: "
                f"{format_date(c['violation_on'])}; ngày phát hiện: "
                f"{format_date(c['discovered_on'])}."
            ),
            *sources_table(file),
            Paragraph(f"2. Họp kiểm điểm: {held_text}"),
            Paragraph(f"3. Thời hiệu xử lý kỷ luật: {limitation_of(file).explanation_vi}"),
            Paragraph(
                "4. Đề nghị người có thẩm quyền xem xét, thành lập Hội đồng kỷ luật và xử lý "
                "kỷ luật theo quy định."
            ),
            Paragraph("Hồ sơ gửi kèm: biên bản họp kiểm điểm, bản tự kiểm điểm.", italic=True),
        ],
        signatures=[Signature("Thủ trưởng cơ quan")],
        recipients=["Người có thẩm quyền xử lý kỷ luật", "Lưu: VT, TCCB"],
        file_stem="bao-cao",
    )
