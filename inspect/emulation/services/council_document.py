"""Biên bản họp Hội đồng thi đua – khen thưởng in the layout of Nghị định 30/2020/NĐ-CP:
time and place, who chaired and who kept the minutes, members present, absent with a
written vote and absent, the quorum, the secret ballot's counts per candidate and title
with the result, and the council's adjustments with their reasons. Read from the locked
version (or the session as it stands); the number stays blank for the office to fill."""

from __future__ import annotations

from fractions import Fraction

from congvu.inspect.actor import Actor
from congvu.inspect.documents.model import (
    Block,
    NumberedItems,
    OfficialDocument,
    Paragraph,
    Signature,
    Table,
    blank,
)
from congvu.inspect.documents.rendering import FORMATS, render
from congvu.inspect.emulation.services.council_minutes import (
    CouncilMinutes,
    MinutesMember,
    council_minutes,
)
from congvu.inspect.errors import NotFound
from congvu.rules.packs import format_date


def _people(members: tuple[MinutesMember, ...]) -> NumberedItems | Paragraph:
    if not members:
        return Paragraph("Không có.")
    return NumberedItems([f"Ông/bà {m.name}, {m.position} — {m.role_vi}" for m in members])


def _share(yes: int | None, voters: int | None) -> str:
    if yes is None or not voters:
        return ""
    value = float(Fraction(100 * yes, voters))
    return f"{value:.2f}".replace(".", ",") + "%"


def minutes_document(m: CouncilMinutes) -> OfficialDocument:
    place_name = m.agency.split(" tỉnh ")[-1].split(" thành phố ")[-1]
    day = format_date(m.held_on) if m.held_on else "…… /…… /……"
    scope = m.campaign or f"năm {m.year}"
    body: list[Block] = [
        Paragraph(f"Thời gian: ngày {day}. Địa điểm: {blank(m.place)}."),
        Paragraph(
            f"Chủ trì: ông/bà {blank(m.chair)}, Chủ tịch Hội đồng. "
            f"Thư ký: ông/bà {blank(m.secretary)}, Thư ký Hội đồng."
        ),
        Paragraph("I. THÀNH PHẦN", bold=True),
        Paragraph(f"Thành viên có mặt ({len(m.present)}):"),
        _people(m.present),
        Paragraph(
            f"Thành viên vắng mặt, có phiếu bầu bằng văn bản gửi Hội đồng ({len(m.written)}):"
        ),
        _people(m.written),
        Paragraph(f"Thành viên vắng mặt ({len(m.absent)}):"),
        _people(m.absent),
        Paragraph(m.quorum_vi, italic=True),
        Paragraph("II. KẾT QUẢ BỎ PHIẾU KÍN", bold=True),
        Paragraph(
            "Hội đồng bỏ phiếu kín; thành viên là người được đề nghị không bỏ phiếu cho mình và "
            "không tính vào tổng số thành viên đối với trường hợp đó."
        ),
        Table(
            header=(
                "TT",
                "Họ và tên, đơn vị",
                "Danh hiệu, hình thức",
                "Đồng ý",
                "Không đồng ý",
                "Không hợp lệ",
                "Tỷ lệ đồng ý / tổng số thành viên",
                "Kết quả",
            ),
            rows=[
                (
                    str(n),
                    f"{c.name}, {c.unit}",
                    c.title_vi,
                    "" if c.in_favour is None else str(c.in_favour),
                    "" if c.against is None else str(c.against),
                    "" if c.invalid is None else str(c.invalid),
                    _share(c.in_favour, c.voters),
                    c.result_vi,
                )
                for n, c in enumerate(m.candidates, start=1)
            ],
        ),
    ]
    adjusted = [c for c in m.candidates if c.adjust_reason]
    if adjusted:
        body.append(Paragraph("III. ĐIỀU CHỈNH KẾT QUẢ", bold=True))
        body.append(
            NumberedItems(
                [
                    f"{c.name} — {c.title_vi}: {c.result_vi}. Lý do: {c.adjust_reason}"
                    for c in adjusted
                ]
            )
        )
    body.append(
        Paragraph(
            "Biên bản được lập xong cùng ngày, đã đọc lại cho các thành viên dự họp cùng nghe "
            "và nhất trí thông qua."
        )
    )
    notes = (
        (f"Phiên bản khóa {m.version}, mã kiểm tra dữ liệu {m.data_hash[:16]}.",)
        if (m.locked and m.version and m.data_hash)
        else ("Phiên họp chưa khóa: số liệu có thể còn thay đổi.",)
    )
    return OfficialDocument(
        issuer="Hội đồng Thi đua – Khen thưởng",
        superior=m.agency,
        number="      /BB-HĐTĐKT",
        place=place_name,
        issued_on=m.held_on,
        kind_name="Biên bản",
        summary=(
            "Họp Hội đồng Thi đua – Khen thưởng xét danh hiệu thi đua, hình thức khen thưởng "
            + scope
        ),
        body=body,
        signatures=[
            Signature("Thư ký Hội đồng", m.secretary or "", hint="(Ký, ghi rõ họ tên)"),
            Signature("Chủ tịch Hội đồng", m.chair or "", hint="(Ký, ghi rõ họ tên)"),
        ],
        recipients=["Thành viên Hội đồng", "Lưu: VT, HĐTĐKT"],
        file_stem="bien-ban-hop-hoi-dong-thi-dua",
        notes=notes,
    )


async def minutes_file(actor: Actor, session_id: int, fmt: str = "docx") -> tuple[str, bytes]:
    """The file name and the bytes (.docx, or the print-ready HTML page) of the minutes."""
    if fmt not in FORMATS:
        raise NotFound("Không có định dạng này.")
    minutes = await council_minutes(actor, session_id)
    return (
        f"bien-ban-hop-hoi-dong-thi-dua-{session_id}.{fmt}",
        await render(minutes_document(minutes), fmt),
    )
