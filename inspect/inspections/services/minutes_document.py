"""Biên bản kiểm tra as a .docx through the documents kernel (NĐ 30/2020 layout): the same
content as the page to print — number, date and place, the unit inspected, the team and
its lead, the attendance, the findings with the act's Vietnamese name and their "căn cứ",
"lập xong hồi … giờ" and the signatures. The file is deterministic: the same minutes give
the same bytes, so the evidence register sees a new version only when something changed."""

from __future__ import annotations

from datetime import date, datetime

from congvu.inspect import clock
from congvu.inspect.actor import Actor
from congvu.inspect.documents.model import (
    OfficialDocument,
    Paragraph,
    Signature,
    Table,
)
from congvu.inspect.documents.rendering import render
from congvu.inspect.i18n import format_datetime
from congvu.inspect.inspections.services.labels import MEMBER_ROLE_LABELS
from congvu.inspect.inspections.services.minutes import Minutes, MinutesSignature, minutes

DOTS = "…………………………"


def _clock_words(moment: datetime) -> str:
    local = moment.astimezone(clock.zone())
    return f"{local:%H} giờ {local:%M} phút"


def _local_day(moment: datetime) -> date:
    return moment.astimezone(clock.zone()).date()


def minutes_day(m: Minutes) -> date:
    """The minutes' date: the day the inspection started, else the day it was scheduled."""
    return _local_day(m.started_at) if m.started_at else m.inspection.scheduled_date


def _opening(m: Minutes) -> list[Paragraph]:
    if m.plan_title:
        plan_no = f" (Kế hoạch số {m.plan_document_no})" if m.plan_document_no else ""
        basis = f"Căn cứ {m.plan_title}{plan_no};"
    else:
        basis = f"Căn cứ quyết định kiểm tra đột xuất ({m.kind_label.lower()});"
    unit = m.inspection.unit_name
    if m.started_at:
        when = f"Hồi {_clock_words(m.started_at)}, ngày {_local_day(m.started_at):%d/%m/%Y}"
    else:
        when = f"Ngày {m.inspection.scheduled_date:%d/%m/%Y}"
    texts = [Paragraph(basis)]
    if m.team_decision:
        texts.append(Paragraph(f"Căn cứ {m.team_decision} về việc thành lập Đoàn kiểm tra;"))
    texts += [
        Paragraph(
            f"{when}, tại {m.place or unit}, Đoàn kiểm tra công vụ tiến hành kiểm tra {unit}."
        ),
    ]
    if m.off_hours_reason:
        texts.append(
            Paragraph(
                "Cuộc kiểm tra diễn ra ngoài ngày, giờ làm việc của đơn vị; "
                f"lý do: {m.off_hours_reason}."
            )
        )
    return texts


def _members(m: Minutes) -> list[Paragraph]:
    rep = m.signatures.get("unit_representative")
    return [
        Paragraph("I. Thành phần", bold=True),
        Paragraph("1. Đoàn kiểm tra:"),
        *(
            Paragraph(f"- Ông/Bà {member.display_name}, {MEMBER_ROLE_LABELS[member.role].lower()};")
            for member in m.team
        ),
        Paragraph("2. Đại diện đơn vị được kiểm tra:"),
        Paragraph(f"- Ông/Bà {rep.name if rep else DOTS}."),
        Paragraph("II. Nội dung kiểm tra", bold=True),
        Paragraph(f"{'; '.join(m.topics)}."),
    ]


def _results(m: Minutes) -> list[Paragraph | Table]:
    blocks: list[Paragraph | Table] = [
        Paragraph("III. Kết quả kiểm tra", bold=True),
        Paragraph("1. Việc chấp hành thời giờ làm việc:"),
    ]
    if m.attendance:
        blocks.append(
            Table(
                ("STT", "Họ và tên", "Chức vụ, vị trí", "Tình trạng", "Giờ", "Nhận xét"),
                [
                    (
                        str(n),
                        a.full_name,
                        f"{a.position}, {a.desk}" if a.desk else a.position,
                        a.status,
                        a.time or "",
                        f"{a.explanation_vi} Căn cứ: {a.basis}".strip(),
                    )
                    for n, a in enumerate(m.attendance, start=1)
                ],
            )
        )
    else:
        blocks.append(Paragraph("Không ghi nhận điểm danh."))
    if m.unmarked:
        blocks.append(
            Paragraph(
                f"Không điểm danh ({len(m.unmarked)} người, Trưởng đoàn đã xác nhận khi nộp "
                f"biên bản): {', '.join(m.unmarked)}."
            )
        )
    blocks.append(Paragraph("2. Các vi phạm phát hiện:"))
    if m.findings:
        zone = clock.zone()
        blocks.append(
            Table(
                ("STT", "Đối tượng", "Hành vi vi phạm", "Sự việc", "Căn cứ"),
                [
                    (
                        str(n),
                        f.subject,
                        f.label_vi,
                        (f.facts or f.explanation_vi)
                        + (f" ({f.photos} ảnh)" if f.photos else "")
                        + f" – {format_datetime(f.observed_at, zone)}",
                        f"{f.legal_basis} (phiên bản {f.rule_version})",
                    )
                    for n, f in enumerate(m.findings, start=1)
                ],
            )
        )
    else:
        blocks.append(Paragraph("Không phát hiện vi phạm."))
    return blocks


def _closing(m: Minutes) -> Paragraph:
    if m.submitted_at:
        when = f"hồi {_clock_words(m.submitted_at)}"
        same_day = m.started_at is not None and _local_day(m.started_at) == _local_day(
            m.submitted_at
        )
        when += " cùng ngày" if same_day else f", ngày {_local_day(m.submitted_at):%d/%m/%Y}"
    else:
        when = "hồi ….. giờ ….. cùng ngày"
    return Paragraph(
        f"Biên bản được lập xong {when}, đã đọc lại cho những người có tên trên cùng nghe và "
        "thống nhất ký tên; biên bản được lập thành 02 bản, đơn vị được kiểm tra giữ 01 bản, "
        "Đoàn kiểm tra giữ 01 bản."
    )


def _signature(title: str, s: MinutesSignature | None) -> Signature:
    if s is None:
        return Signature(title, hint="(Ký, ghi rõ họ tên)")
    if s.refused:
        witness = f"; người làm chứng: {s.witness_name}" if s.witness_name else ""
        return Signature(title, s.name, hint=f"(Từ chối ký{witness})")
    return Signature(title, s.name, hint="(Ký, ghi rõ họ tên)")


def minutes_document(m: Minutes) -> OfficialDocument:
    """The minutes as the kernel's document, ready for any of its layouts."""
    return OfficialDocument(
        issuer=m.issuing_body,
        superior=m.parent_body,
        number=m.number,
        place=m.place_name,
        issued_on=minutes_day(m),
        kind_name="Biên bản kiểm tra",
        summary=f"Về việc kiểm tra công vụ tại {m.inspection.unit_name}",
        body=[*_opening(m), *_members(m), *_results(m), _closing(m)],
        signatures=[
            _signature("Đại diện đơn vị được kiểm tra", m.signatures.get("unit_representative")),
            _signature("Trưởng đoàn kiểm tra", m.signatures.get("team_lead")),
        ],
        file_stem=f"bien-ban-kiem-tra-{m.inspection.id}",
    )


async def minutes_docx(actor: Actor, inspection_id: int) -> tuple[str, bytes]:
    """The file name and the .docx bytes of the minutes, for whoever may read them."""
    paper = minutes_document(await minutes(actor, inspection_id))
    return f"{paper.file_stem}.docx", await render(paper, "docx")
