"""The period's discipline report (báo cáo tình hình xử lý kỷ luật) for the personnel
office: the cases opened in a reporting period within a unit's subtree, counted by form
(decided, else proposed, else not yet decided) and by unit, the cases still pending past
their next deadline today, and the list of every case; as .docx, as a page and as a
workbook whose totals are formulas. Names sort the Vietnamese way (given name first)."""

from __future__ import annotations

from collections import Counter
from datetime import date

from congvu.inspect import clock
from congvu.inspect.actor import Actor
from congvu.inspect.discipline.services.loading import CASE_COLUMNS, complete, require_manager
from congvu.inspect.discipline.services.timeline import STAGE_LABELS, Timeline, timeline
from congvu.inspect.discipline.tables import CaseStage, DisciplineCase
from congvu.inspect.documents.letterhead import Letterhead, letterhead
from congvu.inspect.documents.model import (
    OfficialDocument,
    Paragraph,
    SheetTable,
    Signature,
)
from congvu.inspect.documents.rendering import WITH_LISTS, render
from congvu.inspect.errors import NotFound
from congvu.inspect.organisation.tables import Unit
from congvu.rules.discipline import Form
from congvu.rules.periods import Period

UNDECIDED = "Chưa quyết định"
NOT_DISCIPLINED = "Không kỷ luật (kết thúc hồ sơ)"


def form_of(t: Timeline) -> str:
    c = t.file.case
    if c["decided_form"]:
        return Form(c["decided_form"]).label_vi
    if t.file.stage is CaseStage.CLOSED:
        return NOT_DISCIPLINED
    if c["proposed_form"]:
        return f"{Form(c['proposed_form']).label_vi} (đề xuất)"
    return UNDECIDED


async def _unit(actor: Actor, code: str | None) -> tuple[str, str]:
    """(path, name) of the report's unit: the one named, or the actor's scope root."""
    query = Unit.select(Unit.path, Unit.name)
    if code:
        row = await query.where(Unit.code == code).first()
    elif actor.scope_path:
        row = await query.where(Unit.path == actor.scope_path).first()
    else:
        row = await query.where(Unit.parent.is_null()).order_by(Unit.id).first()
    if row is None or not actor.can_see_unit_path(row["path"]):
        raise NotFound("Không tìm thấy đơn vị.")
    return row["path"], row["name"]


async def cases_opened(period: Period, unit_path: str, today: date) -> list[Timeline]:
    rows = (
        await DisciplineCase.select(*CASE_COLUMNS)
        .where(
            DisciplineCase.unit.path.like(unit_path + "%"),
            DisciplineCase.opened_on >= period.first_day,
            DisciplineCase.opened_on <= period.last_day,
        )
        .order_by(DisciplineCase.id)
    )
    found = [timeline(await complete(r), today) for r in rows]
    return sorted(found, key=lambda t: (t.file.case["official_sort_key"], t.file.id))


def tables(found: list[Timeline], today: date) -> list[SheetTable]:
    forms = Counter(form_of(t) for t in found)
    by_form = SheetTable(
        "Theo hình thức",
        "I. SỐ HỒ SƠ THEO HÌNH THỨC KỶ LUẬT",
        ["Hình thức kỷ luật", "Số hồ sơ"],
        [[label, n] for label, n in sorted(forms.items())],
        totals=(1,),
        widths=(40, 12),
    )
    units: dict[str, list[int]] = {}
    for t in found:
        counts = units.setdefault(t.file.case["unit_name"], [0, 0, 0, 0])
        counts[0] += 1
        counts[1] += bool(t.file.case["decided_form"])
        counts[2] += t.next is not None and t.file.stage is not CaseStage.CLOSED
        counts[3] += t.overdue
    by_unit = SheetTable(
        "Theo đơn vị",
        "II. SỐ HỒ SƠ THEO ĐƠN VỊ",
        ["Đơn vị", "Mở trong kỳ", "Đã quyết định", "Đang xử lý", "Quá hạn"],
        [[name, *counts] for name, counts in sorted(units.items())],
        totals=(1, 2, 3, 4),
        widths=(40, 12, 12, 12, 12),
    )
    overdue = SheetTable(
        "Quá hạn",
        f"III. HỒ SƠ ĐANG XỬ LÝ ĐÃ QUÁ HẠN (tính đến ngày {today:%d/%m/%Y})",
        ["STT", "Họ và tên", "Đơn vị", "Bước tiếp theo", "Hạn"],
        [
            [
                n,
                t.file.case["official_name"],
                t.file.case["unit_name"],
                t.next_label,
                t.next_deadline,
            ]
            for n, t in enumerate((t for t in found if t.overdue), start=1)
        ],
        widths=(6, 28, 34, 34, 12),
    )
    listing = SheetTable(
        "Danh sách",
        "IV. DANH SÁCH HỒ SƠ MỞ TRONG KỲ",
        ["STT", "Họ và tên", "Đơn vị", "Ngày mở", "Bước hiện tại", "Hình thức"],
        [
            [
                n,
                t.file.case["official_name"],
                t.file.case["unit_name"],
                t.file.case["opened_on"],
                STAGE_LABELS[t.file.stage],
                form_of(t),
            ]
            for n, t in enumerate(found, start=1)
        ],
        widths=(6, 28, 34, 12, 30, 24),
    )
    return [by_form, by_unit, overdue, listing]


def report_document(
    head: Letterhead,
    period: Period,
    found: list[Timeline],
    sheets: list[SheetTable],
    today: date,
) -> OfficialDocument:
    decided = sum(bool(t.file.case["decided_form"]) for t in found)
    overdue = sum(t.overdue for t in found)
    return OfficialDocument(
        issuer=head.issuer,
        superior=head.superior,
        place=head.place,
        number="      /BC-",
        issued_on=today,
        kind_name="Báo cáo",
        summary=f"Tình hình xử lý kỷ luật cán bộ, công chức {period.label('vi')}",
        body=[
            Paragraph(
                f"Trong kỳ báo cáo, {head.issuer} mở {len(found)} hồ sơ xử lý kỷ luật theo "
                f"Nghị định số 172/2025/NĐ-CP ngày 30 tháng 6 năm 2025 của Chính phủ; đã có "
                f"quyết định kỷ luật {decided} hồ sơ; {overdue} hồ sơ đang xử lý đã quá hạn "
                f"của bước tiếp theo."
            ),
            *(s.as_table() for s in sheets),
        ],
        signatures=[Signature("Thủ trưởng cơ quan")],
        recipients=["Người có thẩm quyền", "Lưu: VT, TCCB"],
        file_stem="bao-cao-ky-luat",
    )


async def period_report(
    actor: Actor,
    period: Period,
    unit_code: str | None = None,
    fmt: str = "docx",
    *,
    today: date | None = None,
) -> tuple[str, bytes]:
    """The file name and bytes of the period's report ("docx", "html" or "xlsx")."""
    require_manager(actor)
    if fmt not in WITH_LISTS:
        raise NotFound("Không có định dạng này.")
    today = today or clock.today()
    path, name = await _unit(actor, unit_code)
    found = await cases_opened(period, path, today)
    sheets = tables(found, today)
    head = await letterhead(path, name)
    paper = report_document(head, period, found, sheets, today)
    code = path.strip("/").split("/")[-1]
    return f"bao-cao-ky-luat-{period.name}-{code}.{fmt}", await render(paper, fmt, sheets)
