"""The case's documents in the layout of Nghị định 30/2020/NĐ-CP (Phụ lục I):
the notice of the review meeting (thông báo họp kiểm điểm), the summons to the council
meeting (giấy triệu tập) and the disciplinary decision (quyết định kỷ luật). Numbers
and signatures stay blank where the case does not hold them, for the office to fill."""

from __future__ import annotations

from congvu.inspect.actor import Actor
from congvu.inspect.discipline.services.loading import CaseFile, load, require_manager
from congvu.inspect.discipline.tables import CaseStage
from congvu.inspect.documents.model import OfficialDocument, Paragraph, Signature, paragraphs
from congvu.inspect.documents.rendering import FORMATS, render
from congvu.inspect.errors import Conflict, NotFound
from congvu.inspect.organisation.tables import Unit
from congvu.rules.discipline import Form, decision_effect
from congvu.rules.packs import format_date

KINDS = ("thong-bao-hop-kiem-diem", "giay-trieu-tap", "quyet-dinh")


async def _organisation(file: CaseFile) -> tuple[str, str, str]:
    """(issuing body, its superior, the place name) from the case's unit and its root."""
    root_code = file.case["unit_path"].strip("/").split("/")[0]
    root = await Unit.select(Unit.name).where(Unit.code == root_code).first()
    superior = root["name"] if root else ""
    place = superior.split(" tỉnh ")[-1].split(" thành phố ")[-1] if superior else ""
    return file.case["unit_name"], superior, place


def _notice(file: CaseFile, org: tuple[str, str, str]) -> OfficialDocument:
    c = file.case
    held = file.steps.get(CaseStage.REVIEW_MEETING)
    on = format_date(held.done_on) if held else "ngày     /     /     "
    return OfficialDocument(
        issuer=org[0],
        superior=org[1],
        place=org[2],
        number="      /TB-",
        issued_on=None,
        kind_name="Thông báo",
        summary="Về việc họp kiểm điểm",
        body=paragraphs(
            "Căn cứ Nghị định số 172/2025/NĐ-CP ngày 30 tháng 6 năm 2025 của Chính phủ quy định "
            "về xử lý kỷ luật cán bộ, công chức;",
            f"Xét hành vi vi phạm của ông/bà {c['official_name']}: {c['description']}",
            f"{org[0]} thông báo tổ chức cuộc họp kiểm điểm đối với ông/bà {c['official_name']} "
            f"vào {on}. Người bị kiểm điểm có trách nhiệm làm bản tự kiểm điểm và có mặt để "
            f"trình bày ý kiến của mình tại cuộc họp (Điều 16, 17 Nghị định 172/2025/NĐ-CP).",
        ),
        recipients=[f"Ông/bà {c['official_name']}", "Lưu: VT, TCCB"],
        signatures=[Signature("Thủ trưởng cơ quan")],
        file_stem="thong-bao-hop-kiem-diem",
    )


def _summons(file: CaseFile, org: tuple[str, str, str]) -> OfficialDocument:
    c = file.case
    step = file.steps.get(CaseStage.SUMMONED)
    if step is None or step.event_on is None:
        raise Conflict("Chưa ghi nhận ngày họp Hội đồng kỷ luật: chưa thể lập giấy triệu tập.")
    members = "; ".join(f"{m.full_name} ({m.duty})" for m in file.members)
    return OfficialDocument(
        issuer=org[0],
        superior=org[1],
        place=org[2],
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
                file.members[0].full_name if file.members else "",
            )
        ],
        file_stem="giay-trieu-tap",
    )


def _decision(file: CaseFile, org: tuple[str, str, str]) -> OfficialDocument:
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
    return OfficialDocument(
        issuer=org[0],
        superior=org[1],
        place=org[2],
        number=c["decision_number"],
        issued_on=c["decided_on"],
        kind_name="Quyết định",
        summary=f"Về việc kỷ luật ông/bà {c['official_name']}",
        body=[
            *paragraphs(
                "Căn cứ Luật Cán bộ, công chức ngày 24 tháng 6 năm 2025;",
                "Căn cứ Nghị định số 172/2025/NĐ-CP ngày 30 tháng 6 năm 2025 của Chính phủ quy "
                "định về xử lý kỷ luật cán bộ, công chức;",
                (
                    f"Xét văn bản kiến nghị của Hội đồng kỷ luật ngày "
                    f"{format_date(recommended.done_on)};"
                    if recommended
                    else "Xét hồ sơ xử lý kỷ luật;"
                ),
            ),
            Paragraph("QUYẾT ĐỊNH:", heading=True),
            *paragraphs(
                f"Điều 1. Thi hành kỷ luật ông/bà {c['official_name']}, {c['unit_name']}, "
                f"bằng hình thức {form.label_vi}. Lý do: {c['description']}",
                f"Điều 2. Quyết định có hiệu lực từ ngày {format_date(c['effective_on'])}; "
                f"{effect.explanation_vi}",
                "Điều 3. Người có tên tại Điều 1 có quyền khiếu nại quyết định này theo quy định "
                "của "
                "pháp luật về khiếu nại.",
            ),
        ],
        recipients=[f"Ông/bà {c['official_name']}", "Lưu: VT, TCCB"],
        signatures=[Signature("Người có thẩm quyền", c["decision_signer"] or "")],
        file_stem="quyet-dinh",
    )


async def document(actor: Actor, case_id: int, kind: str, fmt: str = "docx") -> tuple[str, bytes]:
    """The file name and the bytes (.docx, or the print-ready HTML page in UTF-8) of one of
    the case's documents."""
    require_manager(actor)
    if kind not in KINDS or fmt not in FORMATS:
        raise NotFound("Không có văn bản này.")
    file = await load(actor, case_id)
    org = await _organisation(file)
    build = {
        "thong-bao-hop-kiem-diem": _notice,
        "giay-trieu-tap": _summons,
        "quyet-dinh": _decision,
    }[kind]
    return f"{kind}-{case_id}.{fmt}", await render(build(file, org), fmt)
