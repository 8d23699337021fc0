"""Kế hoạch kiểm tra công vụ as a .docx through the documents kernel (NĐ 30/2020 layout):
the period, the purpose (the topics), and the inspections it lists with their unit, day,
kind and team.

A sealed surprise inspection (đột xuất, not yet started) is never listed, whoever asks:
the plan page shows it only to its team and approver, but a file is passed on and filed
in the evidence register, so it must not name the unit before the visit happens."""

from __future__ import annotations

from congvu.inspect import clock
from congvu.inspect.actor import Actor
from congvu.inspect.documents.letterhead import letterhead
from congvu.inspect.documents.model import (
    OfficialDocument,
    Paragraph,
    Signature,
    Table,
)
from congvu.inspect.documents.rendering import render
from congvu.inspect.inspections.services.labels import (
    KIND_LABELS,
    MEMBER_ROLE_LABELS,
    TOPIC_LABELS,
)
from congvu.inspect.inspections.services.minutes import place_name
from congvu.inspect.inspections.services.plans import InspectionView, PlanDetail, plan_detail
from congvu.inspect.inspections.tables import MemberRole
from congvu.inspect.organisation.tables import Unit


def _team(v: InspectionView) -> str:
    return "; ".join(f"{m.display_name} ({MEMBER_ROLE_LABELS[m.role].lower()})" for m in v.team)


def _lead(v: InspectionView) -> str:
    return next((m.display_name for m in v.team if m.role == MemberRole.TRUONG_DOAN), "")


def plan_document(detail: PlanDetail, issuer: str, superior: str, place: str) -> OfficialDocument:
    """The plan as the kernel's document; sealed inspections are left out."""
    plan = detail.plan
    period = f"quý {plan.quarter} năm {plan.year}" if plan.quarter else f"năm {plan.year}"
    listed = [v for v in detail.inspections if not v.sealed]
    topics = [TOPIC_LABELS.get(t, t) for t in plan.topics]
    return OfficialDocument(
        issuer=issuer,
        superior=superior,
        number=plan.document_no or "…/KH",
        place=place,
        issued_on=plan.created_at.astimezone(clock.zone()).date(),
        kind_name="Kế hoạch",
        summary=f"Kiểm tra công vụ {period}",
        body=[
            Paragraph(f"Kế hoạch: {plan.title}."),
            Paragraph("I. Mục đích, nội dung kiểm tra", bold=True),
            Paragraph(
                "Kiểm tra việc chấp hành kỷ luật, kỷ cương hành chính và thực thi công vụ "
                f"{period}; nội dung: {'; '.join(topics)}."
            ),
            Paragraph("II. Đơn vị, thời gian và đoàn kiểm tra", bold=True),
            Table(
                (
                    "STT",
                    "Đơn vị được kiểm tra",
                    "Ngày kiểm tra",
                    "Hình thức",
                    "Trưởng đoàn",
                    "Đoàn kiểm tra",
                ),
                [
                    (
                        str(n),
                        v.unit_name,
                        f"{v.scheduled_date:%d/%m/%Y}",
                        KIND_LABELS[v.kind],
                        _lead(v),
                        _team(v),
                    )
                    for n, v in enumerate(listed, start=1)
                ],
            ),
            Paragraph(f"Tổng số: {len(listed)} cuộc kiểm tra."),
        ],
        # The signer the plan records; a plan made before the form asked for one keeps
        # the blank block, for the office to fill by hand.
        signatures=[
            Signature(
                plan.signer_title or "Người ký",
                plan.signer_name,
                hint="(Ký, ghi rõ họ tên, đóng dấu)",
            )
        ],
        file_stem=f"ke-hoach-kiem-tra-{plan.id}",
    )


async def _issuer() -> tuple[str, str, str]:
    """The plan's issuer: the root of the unit tree (the plans are the province's)."""
    root = (
        await Unit.select(Unit.name, Unit.path)
        .where(Unit.parent.is_null())
        .order_by(Unit.id)
        .first()
    )
    if root is None:
        return "", "", ""
    head = await letterhead(root["path"], root["name"])
    return head.issuer, head.superior, place_name(root["name"])


async def plan_docx(actor: Actor, plan_id: int) -> tuple[str, bytes]:
    """The file name and .docx bytes of a plan the actor may see."""
    detail = await plan_detail(actor, plan_id)
    paper = plan_document(detail, *await _issuer())
    return f"{paper.file_stem}.docx", await render(paper, "docx")
