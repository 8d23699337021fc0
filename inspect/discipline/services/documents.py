"""The case's documents as .docx in the layout of Nghị định 30/2020/NĐ-CP (Phụ lục I):
the notice of the review meeting (thông báo họp kiểm điểm), the summons to the council
meeting (giấy triệu tập) and the disciplinary decision (quyết định kỷ luật). Numbers
and signatures stay blank where the case does not hold them, for the office to fill."""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from congvu.inspect import cpu_pool
from congvu.inspect.actor import Actor
from congvu.inspect.discipline.services.loading import CaseFile, load, require_manager
from congvu.inspect.discipline.tables import CaseStage
from congvu.inspect.errors import Conflict, NotFound
from congvu.inspect.organisation.tables import Unit
from congvu.rules.discipline import Form, decision_effect
from congvu.rules.packs import format_date
from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, Pt

KINDS = ("thong-bao-hop-kiem-diem", "giay-trieu-tap", "quyet-dinh")
_FONT = "Times New Roman"


@dataclass(frozen=True)
class _Text:
    organisation: str  # tên cơ quan ban hành
    superior: str  # tên cơ quan chủ quản
    place: str
    number: str
    issued_on: date | None
    title: str
    subtitle: str
    body: Sequence[str]
    recipients: Sequence[str]
    signer_title: str
    signer: str


def _when(place: str, day: date | None) -> str:
    if day is None:
        return f"{place}, ngày     tháng     năm     "
    return f"{place}, ngày {day.day:02d} tháng {day.month:02d} năm {day.year}"


def _paragraph(
    cell_or_doc: object,
    text: str,
    *,
    bold: bool = False,
    italic: bool = False,
    size: float = 13,
    align: int = WD_ALIGN_PARAGRAPH.CENTER,
    upper: bool = False,
) -> None:
    p = cell_or_doc.add_paragraph()  # type: ignore[attr-defined]
    p.alignment = align
    run = p.add_run(text.upper() if upper else text)
    run.bold, run.italic = bold, italic
    run.font.size, run.font.name = Pt(size), _FONT


def render_docx(t: _Text) -> bytes:
    """The .docx of ``t``. python-docx builds it in Python, holding the GIL: called in the
    CPU pool (``cpu_pool.run``), never on the event loop."""
    cpu_pool.off_loop()
    doc = Document()
    for section in doc.sections:
        section.top_margin, section.bottom_margin = Cm(2), Cm(2)
        section.left_margin, section.right_margin = Cm(3), Cm(2)
    style = doc.styles["Normal"]
    style.font.name, style.font.size = _FONT, Pt(13)
    head = doc.add_table(rows=1, cols=2)
    head.alignment = WD_TABLE_ALIGNMENT.CENTER
    left, right = head.rows[0].cells
    _paragraph(left, t.superior, size=12, upper=True)
    _paragraph(left, t.organisation, bold=True, size=12, upper=True)
    _paragraph(left, f"Số: {t.number}", size=13)
    _paragraph(right, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", bold=True, size=12)
    _paragraph(right, "Độc lập - Tự do - Hạnh phúc", bold=True, size=13)
    _paragraph(right, _when(t.place, t.issued_on), italic=True, size=13)
    _paragraph(doc, t.title, bold=True, size=14, upper=True)
    _paragraph(doc, t.subtitle, bold=True, size=14)
    for line in t.body:
        _paragraph(doc, line, align=WD_ALIGN_PARAGRAPH.JUSTIFY)
    foot = doc.add_table(rows=1, cols=2)
    left, right = foot.rows[0].cells
    _paragraph(left, "Nơi nhận:", bold=True, italic=True, size=12, align=WD_ALIGN_PARAGRAPH.LEFT)
    for r in t.recipients:
        _paragraph(left, f"- {r};", size=11, align=WD_ALIGN_PARAGRAPH.LEFT)
    _paragraph(right, t.signer_title, bold=True, size=13, upper=True)
    _paragraph(right, "(Chữ ký, dấu)", italic=True, size=13)
    _paragraph(right, t.signer, bold=True, size=13)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


async def _organisation(file: CaseFile) -> tuple[str, str, str]:
    """(issuing body, its superior, the place name) from the case's unit and its root."""
    root_code = file.case["unit_path"].strip("/").split("/")[0]
    root = await Unit.select(Unit.name).where(Unit.code == root_code).first()
    superior = root["name"] if root else ""
    place = superior.split(" tỉnh ")[-1].split(" thành phố ")[-1] if superior else ""
    return file.case["unit_name"], superior, place


def _notice(file: CaseFile, org: tuple[str, str, str]) -> _Text:
    c = file.case
    held = file.steps.get(CaseStage.REVIEW_MEETING)
    on = format_date(held.done_on) if held else "ngày     /     /     "
    return _Text(
        organisation=org[0],
        superior=org[1],
        place=org[2],
        number="      /TB-",
        issued_on=None,
        title="Thông báo",
        subtitle="Về việc họp kiểm điểm",
        body=[
            "Căn cứ Nghị định số 172/2025/NĐ-CP ngày 30 tháng 6 năm 2025 của Chính phủ quy định "
            "về xử lý kỷ luật cán bộ, công chức;",
            f"Xét hành vi vi phạm của ông/bà {c['official_name']}: {c['description']}",
            f"{org[0]} thông báo tổ chức cuộc họp kiểm điểm đối với ông/bà {c['official_name']} "
            f"vào {on}. Người bị kiểm điểm có trách nhiệm làm bản tự kiểm điểm và có mặt để "
            f"trình bày ý kiến của mình tại cuộc họp (Điều 16, 17 Nghị định 172/2025/NĐ-CP).",
        ],
        recipients=[f"Ông/bà {c['official_name']}", "Lưu: VT, TCCB"],
        signer_title="Thủ trưởng cơ quan",
        signer="",
    )


def _summons(file: CaseFile, org: tuple[str, str, str]) -> _Text:
    c = file.case
    step = file.steps.get(CaseStage.SUMMONED)
    if step is None or step.event_on is None:
        raise Conflict("Chưa ghi nhận ngày họp Hội đồng kỷ luật: chưa thể lập giấy triệu tập.")
    members = "; ".join(f"{m.full_name} ({m.duty})" for m in file.members)
    return _Text(
        organisation=org[0],
        superior=org[1],
        place=org[2],
        number="      /GTT-",
        issued_on=step.done_on,
        title="Giấy triệu tập",
        subtitle="Họp Hội đồng kỷ luật",
        body=[
            f"Hội đồng kỷ luật ({members}) triệu tập ông/bà {c['official_name']}, "
            f"{c['unit_name']},",
            f"có mặt vào ngày {format_date(step.event_on)} để họp Hội đồng kỷ luật xem xét hành "
            f"vi vi phạm: {c['description']}",
            "Giấy triệu tập được gửi chậm nhất 05 ngày làm việc trước ngày họp (điểm a khoản 1 "
            "Điều 20 Nghị định 172/2025/NĐ-CP). Nếu vắng mặt phải có lý do chính đáng.",
        ],
        recipients=[f"Ông/bà {c['official_name']}", "Thành viên Hội đồng", "Lưu: VT, TCCB"],
        signer_title="TM. Hội đồng kỷ luật\nChủ tịch",
        signer=file.members[0].full_name if file.members else "",
    )


def _decision(file: CaseFile, org: tuple[str, str, str]) -> _Text:
    c = file.case
    if not c["decided_form"]:
        raise Conflict("Hồ sơ chưa có quyết định kỷ luật.")
    form = Form(c["decided_form"])
    effect = decision_effect(
        c["effective_on"],
        category=file.category,
        on=c["effective_on"],
        party_decided_on=c["party_decided_on"],
    )
    recommended = file.steps.get(CaseStage.RECOMMENDED)
    return _Text(
        organisation=org[0],
        superior=org[1],
        place=org[2],
        number=c["decision_number"],
        issued_on=c["decided_on"],
        title="Quyết định",
        subtitle=f"Về việc kỷ luật ông/bà {c['official_name']}",
        body=[
            "Căn cứ Luật Cán bộ, công chức ngày 24 tháng 6 năm 2025;",
            "Căn cứ Nghị định số 172/2025/NĐ-CP ngày 30 tháng 6 năm 2025 của Chính phủ quy "
            "định về xử lý kỷ luật cán bộ, công chức;",
            (
                f"Xét văn bản kiến nghị của Hội đồng kỷ luật ngày "
                f"{format_date(recommended.done_on)};"
                if recommended
                else "Xét hồ sơ xử lý kỷ luật;"
            ),
            "QUYẾT ĐỊNH:",
            f"Điều 1. Thi hành kỷ luật ông/bà {c['official_name']}, {c['unit_name']}, bằng hình "
            f"thức {form.label_vi}. Lý do: {c['description']}",
            f"Điều 2. Quyết định có hiệu lực từ ngày {format_date(c['effective_on'])}; "
            f"{effect.explanation_vi}",
            "Điều 3. Người có tên tại Điều 1 có quyền khiếu nại quyết định này theo quy định của "
            "pháp luật về khiếu nại.",
        ],
        recipients=[f"Ông/bà {c['official_name']}", "Lưu: VT, TCCB"],
        signer_title="Người có thẩm quyền",
        signer=c["decision_signer"] or "",
    )


async def document(actor: Actor, case_id: int, kind: str) -> tuple[str, bytes]:
    """The file name and the .docx bytes of one of the case's documents."""
    require_manager(actor)
    if kind not in KINDS:
        raise NotFound("Không có văn bản này.")
    file = await load(actor, case_id)
    org = await _organisation(file)
    build = {
        "thong-bao-hop-kiem-diem": _notice,
        "giay-trieu-tap": _summons,
        "quyet-dinh": _decision,
    }[kind]
    return f"{kind}-{case_id}.docx", await cpu_pool.run(render_docx, build(file, org))
