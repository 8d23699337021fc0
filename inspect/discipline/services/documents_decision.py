"""Quyết định kỷ luật (NĐ 172/2025/NĐ-CP Art. 21): the form decided, the day it takes
effect, how long it lasts and the right to appeal."""

from __future__ import annotations

from congvu.inspect.discipline.services.loading import CaseFile
from congvu.inspect.discipline.tables import CaseStage
from congvu.inspect.documents.letterhead import Letterhead
from congvu.inspect.documents.model import OfficialDocument, Paragraph, Signature, paragraphs
from congvu.inspect.errors import Conflict
from congvu.rules.discipline import Form, decision_effect
from congvu.rules.packs import format_date


def decision(file: CaseFile, head: Letterhead) -> OfficialDocument:
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
        issuer=head.issuer,
        superior=head.superior,
        place=head.place,
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
