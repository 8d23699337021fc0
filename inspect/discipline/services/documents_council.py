"""The documents of the council stage (NĐ 172/2025/NĐ-CP Arts. 18-20): the decision that
sets up the council (quyết định thành lập Hội đồng kỷ luật), the summons (giấy triệu
tập), the council meeting's minutes (biên bản họp Hội đồng kỷ luật) and its written
recommendation (văn bản kiến nghị), filled from the stored council, meeting day and
proposed form; the vote and the attendance are not stored and stay blank."""

from __future__ import annotations

from congvu.inspect.discipline.services.loading import CaseFile, Member
from congvu.inspect.discipline.tables import CaseStage
from congvu.inspect.documents.letterhead import Letterhead
from congvu.inspect.documents.model import (
    BLANK,
    OfficialDocument,
    Paragraph,
    Signature,
    Table,
    paragraphs,
)
from congvu.inspect.errors import Conflict
from congvu.rules.discipline import Form
from congvu.rules.packs import format_date

DECREE = (
    "Căn cứ Nghị định số 172/2025/NĐ-CP ngày 30 tháng 6 năm 2025 của Chính phủ quy định "
    "về xử lý kỷ luật cán bộ, công chức;"
)
COUNCIL = "Hội đồng kỷ luật"


def _with_duty(file: CaseFile, word: str) -> Member | None:
    return next((m for m in file.members if word.lower() in m.duty.lower()), None)


def chair(file: CaseFile) -> str:
    """The council's chair: the member whose duty says so, else the first one named."""
    member = _with_duty(file, "Chủ tịch") or (file.members[0] if file.members else None)
    return member.full_name if member else ""


def secretary(file: CaseFile) -> str:
    member = _with_duty(file, "Thư ký")
    return member.full_name if member else ""


def _day(file: CaseFile, stage: CaseStage) -> str:
    step = file.steps.get(stage)
    return format_date(step.done_on) if step else BLANK


def _proposed(file: CaseFile) -> str:
    value = file.case["proposed_form"]
    return Form(value).label_vi if value else BLANK


def _members_table(file: CaseFile, *, present: bool = False) -> Table:
    people = [(m.full_name, m.duty) for m in file.members] or [(BLANK, BLANK)] * 3
    head = ["STT", "Họ và tên", "Nhiệm vụ trong Hội đồng"]
    rows = [[str(n), name, duty] for n, (name, duty) in enumerate(people, start=1)]
    if present:
        head.append("Có mặt / vắng mặt")
        rows = [[*row, ""] for row in rows]
    return Table(head, rows)


def council_decision(file: CaseFile, head: Letterhead) -> OfficialDocument:
    """Quyết định thành lập Hội đồng kỷ luật, with the council recorded on the case."""
    c = file.case
    set_up = file.steps.get(CaseStage.COUNCIL_SET_UP)
    return OfficialDocument(
        issuer=head.issuer,
        superior=head.superior,
        place=head.place,
        number="      /QĐ-",
        issued_on=set_up.done_on if set_up else None,
        kind_name="Quyết định",
        summary="Về việc thành lập Hội đồng kỷ luật",
        body=[
            *paragraphs(
                "Căn cứ Luật Cán bộ, công chức ngày 24 tháng 6 năm 2025;",
                DECREE,
                f"Xét báo cáo kết quả họp kiểm điểm ngày {_day(file, CaseStage.REPORT_SENT)};",
            ),
            Paragraph("QUYẾT ĐỊNH:", heading=True),
            Paragraph(
                f"Điều 1. Thành lập Hội đồng kỷ luật để xem xét xử lý kỷ luật đối với ông/bà "
                f"{c['official_name']}, {c['unit_name']}."
            ),
            Paragraph("Điều 2. Thành phần Hội đồng kỷ luật gồm:"),
            _members_table(file),
            *paragraphs(
                "Điều 3. Hội đồng kỷ luật làm việc theo nguyên tắc tập thể, biểu quyết bằng "
                "phiếu kín, có văn bản kiến nghị hình thức kỷ luật và tự giải thể sau khi "
                "hoàn thành nhiệm vụ.",
                "Điều 4. Các ông/bà có tên tại Điều 1, Điều 2 chịu trách nhiệm thi hành Quyết "
                "định này.",
            ),
        ],
        signatures=[Signature("Người có thẩm quyền")],
        recipients=["Như Điều 4", "Lưu: VT, TCCB"],
        file_stem="quyet-dinh-thanh-lap-hoi-dong",
    )


def summons(file: CaseFile, head: Letterhead) -> OfficialDocument:
    c = file.case
    step = file.steps.get(CaseStage.SUMMONED)
    if step is None or step.event_on is None:
        raise Conflict("Chưa ghi nhận ngày họp Hội đồng kỷ luật: chưa thể lập giấy triệu tập.")
    members = "; ".join(f"{m.full_name} ({m.duty})" for m in file.members)
    return OfficialDocument(
        issuer=head.issuer,
        superior=head.superior,
        place=head.place,
        number="      /GTT-",
        issued_on=step.done_on,
        kind_name="Giấy triệu tập",
        summary="Họp Hội đồng kỷ luật",
        body=paragraphs(
            f"Hội đồng kỷ luật ({members}) triệu tập ông/bà {c['official_name']}, "
            f"{c['unit_name']},",
            f"có mặt vào ngày {format_date(step.event_on)} để họp Hội đồng kỷ luật xem xét hành "
            f"vi vi phạm: {c['description']}",
            "Giấy triệu tập được gửi chậm nhất 05 ngày làm việc trước ngày họp (điểm a khoản 1 "
            "Điều 20 Nghị định 172/2025/NĐ-CP). Nếu vắng mặt phải có lý do chính đáng.",
        ),
        recipients=[f"Ông/bà {c['official_name']}", "Thành viên Hội đồng", "Lưu: VT, TCCB"],
        signatures=[
            Signature(
                "TM. Hội đồng kỷ luật\nChủ tịch",
                chair(file),
            )
        ],
        file_stem="giay-trieu-tap",
    )


def council_minutes(file: CaseFile, head: Letterhead) -> OfficialDocument:
    """Biên bản họp Hội đồng kỷ luật on the meeting day the summons recorded."""
    c = file.case
    summoned = file.steps.get(CaseStage.SUMMONED)
    meeting = summoned.event_on if summoned else None
    return OfficialDocument(
        issuer=COUNCIL,
        superior=head.issuer,
        place=head.place,
        number="      /BB-HĐKL",
        issued_on=meeting,
        kind_name="Biên bản",
        summary=f"Họp Hội đồng kỷ luật xem xét xử lý kỷ luật đối với ông/bà {c['official_name']}",
        body=[
            Paragraph(DECREE),
            Paragraph(
                f"Hồi …… giờ …… ngày {format_date(meeting) if meeting else BLANK}, tại "
                f"{c['unit_name']}, Hội đồng kỷ luật (thành lập ngày "
                f"{_day(file, CaseStage.COUNCIL_SET_UP)}) họp xem xét xử lý kỷ luật đối với "
                f"ông/bà {c['official_name']}, {c['unit_name']}."
            ),
            Paragraph("I. THÀNH PHẦN", bold=True),
            _members_table(file, present=True),
            Paragraph(f"Người bị xem xét kỷ luật: ông/bà {c['official_name']} (có mặt/vắng mặt)."),
            Paragraph("II. NỘI DUNG", bold=True),
            *paragraphs(
                f"1. Thư ký Hội đồng đọc tóm tắt hồ sơ; hành vi vi phạm: {c['description']}",
                f"2. Ý kiến của người bị xem xét kỷ luật: {BLANK}",
                f"3. Ý kiến của các thành viên Hội đồng: {BLANK}",
                f"4. Kết quả bỏ phiếu kín kiến nghị hình thức kỷ luật: {_proposed(file)}; số "
                f"phiếu đồng ý: {BLANK}/{BLANK}.",
                "Cuộc họp kết thúc hồi …… giờ …… cùng ngày. Biên bản đã được thông qua tại "
                "cuộc họp.",
            ),
        ],
        signatures=[
            Signature("Thư ký Hội đồng", secretary(file), hint="(Ký, ghi rõ họ tên)"),
            Signature("Chủ tịch Hội đồng", chair(file), hint="(Ký, ghi rõ họ tên)"),
        ],
        recipients=["Hồ sơ kỷ luật", "Lưu: TCCB"],
        file_stem="bien-ban-hop-hoi-dong-ky-luat",
    )


def recommendation(file: CaseFile, head: Letterhead) -> OfficialDocument:
    """Văn bản kiến nghị of the council: the form it proposes, after its meeting."""
    c = file.case
    recommended = file.steps.get(CaseStage.RECOMMENDED)
    summoned = file.steps.get(CaseStage.SUMMONED)
    meeting = summoned.event_on if summoned else None
    note = recommended.note if recommended and recommended.note else ""
    return OfficialDocument(
        issuer=COUNCIL,
        superior=head.issuer,
        place=head.place,
        number="      /KN-HĐKL",
        issued_on=recommended.done_on if recommended else None,
        kind_name="Kiến nghị",
        summary=f"Về hình thức kỷ luật đối với ông/bà {c['official_name']}",
        body=[
            Paragraph(DECREE),
            Paragraph(
                f"Ngày {format_date(meeting) if meeting else BLANK}, Hội đồng kỷ luật đã họp "
                f"xem xét hành vi vi phạm của ông/bà {c['official_name']}, {c['unit_name']}: "
                f"{c['description']}"
            ),
            Paragraph(f"Kết quả bỏ phiếu kín: {BLANK}/{BLANK} phiếu đồng ý."),
            Paragraph(
                f"Hội đồng kỷ luật kiến nghị người có thẩm quyền xem xét, quyết định áp dụng "
                f"hình thức kỷ luật {_proposed(file)} đối với ông/bà {c['official_name']}."
                + (f" {note}" if note else "")
            ),
        ],
        signatures=[Signature(f"TM. {COUNCIL}\nChủ tịch", chair(file))],
        recipients=["Người có thẩm quyền xử lý kỷ luật", "Lưu: Hồ sơ kỷ luật"],
        file_stem="kien-nghi",
    )
