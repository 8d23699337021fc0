"""The case's documents in the layout of Nghị định 30/2020/NĐ-CP (Phụ lục I), one for
each step of NĐ 172/2025 that issues one, as .docx or as a page to print: which exist
(``KINDS``, in the procedure's order), which a case can have yet (``available``), and
``document`` that renders one. Numbers and signatures stay blank where the case does
not hold them, for the office to fill."""

from __future__ import annotations

from collections.abc import Callable

from congvu.inspect.actor import Actor
from congvu.inspect.discipline.services.documents_council import (
    council_decision,
    council_minutes,
    recommendation,
    summons,
)
from congvu.inspect.discipline.services.documents_decision import decision
from congvu.inspect.discipline.services.documents_review import notice, report, review_minutes
from congvu.inspect.discipline.services.loading import CaseFile, load, require_manager
from congvu.inspect.discipline.tables import CaseStage
from congvu.inspect.documents.letterhead import Letterhead, letterhead
from congvu.inspect.documents.model import OfficialDocument
from congvu.inspect.documents.rendering import FORMATS, render
from congvu.inspect.errors import NotFound

Builder = Callable[[CaseFile, Letterhead], OfficialDocument]

# kind (the file name's stem and the address's last part): title, builder.
_BUILDERS: dict[str, tuple[str, Builder]] = {
    "thong-bao-hop-kiem-diem": ("Thông báo họp kiểm điểm", notice),
    "bien-ban-hop-kiem-diem": ("Biên bản họp kiểm điểm", review_minutes),
    "bao-cao": ("Báo cáo kết quả họp kiểm điểm", report),
    "quyet-dinh-thanh-lap-hoi-dong": ("Quyết định thành lập Hội đồng kỷ luật", council_decision),
    "giay-trieu-tap": ("Giấy triệu tập họp Hội đồng kỷ luật", summons),
    "bien-ban-hop-hoi-dong-ky-luat": ("Biên bản họp Hội đồng kỷ luật", council_minutes),
    "kien-nghi": ("Văn bản kiến nghị của Hội đồng kỷ luật", recommendation),
    "quyet-dinh": ("Quyết định kỷ luật", decision),
}
KINDS: tuple[str, ...] = tuple(_BUILDERS)
TITLES: dict[str, str] = {kind: title for kind, (title, _) in _BUILDERS.items()}


def available(file: CaseFile) -> list[str]:
    """The kinds this case can have now: all but the summons before a meeting day is
    recorded and the decision before one is made."""
    summoned = file.steps.get(CaseStage.SUMMONED)
    missing = set()
    if summoned is None or summoned.event_on is None:
        missing.add("giay-trieu-tap")
    if not file.case["decided_form"]:
        missing.add("quyet-dinh")
    return [k for k in KINDS if k not in missing]


async def document(actor: Actor, case_id: int, kind: str, fmt: str = "docx") -> tuple[str, bytes]:
    """The file name and the bytes (.docx, or the print-ready HTML page in UTF-8) of one of
    the case's documents."""
    require_manager(actor)
    if kind not in _BUILDERS or fmt not in FORMATS:
        raise NotFound("Không có văn bản này.")
    file = await load(actor, case_id)
    head = await letterhead(file.case["unit_path"], file.case["unit_name"])
    paper = _BUILDERS[kind][1](file, head)
    return f"{kind}-{case_id}.{fmt}", await render(paper, fmt)
