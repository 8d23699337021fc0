"""The rating and emulation documents of a unit's board, by kind, as .docx, a page to
print or (for the lists) a workbook: which exist (``KINDS``) and ``document`` that renders
one for the actor, who must be allowed to read the board (``require_board``). Official
documents are always in Vietnamese."""

from __future__ import annotations

import json
from datetime import date
from fractions import Fraction
from typing import Any

from congvu.inspect import clock
from congvu.inspect.actor import Actor
from congvu.inspect.documents.letterhead import Letterhead, letterhead
from congvu.inspect.documents.model import OfficialDocument
from congvu.inspect.documents.rendering import FORMATS, WITH_LISTS, render
from congvu.inspect.emulation.services.access import own_official, require_board
from congvu.inspect.emulation.services.awards import awards_of
from congvu.inspect.emulation.services.boards import board as period_board
from congvu.inspect.emulation.services.document_lists import (
    award_submission,
    disciplined_list,
    rating_results,
)
from congvu.inspect.emulation.services.document_people import (
    Person,
    achievement_report,
    rating_sheet,
)
from congvu.inspect.emulation.services.facts import unit_by_code
from congvu.inspect.emulation.services.periods import period_name
from congvu.inspect.emulation.tables import RatingPeriod, RatingSheet, SheetAuthor
from congvu.inspect.errors import Conflict, Invalid, NotFound
from congvu.inspect.organisation.tables import Official, Unit

# kind: its title; the per-official kinds need ``official_id``.
KINDS: dict[str, str] = {
    "thong-bao-xep-loai": "Thông báo kết quả đánh giá, xếp loại chất lượng",
    "to-trinh-khen-thuong": "Tờ trình đề nghị khen thưởng (Mẫu số 01, NĐ 152/2025)",
    "danh-sach-ky-luat-vi-pham": "Danh sách bị kỷ luật hoặc có vi phạm đã xác nhận",
    "phieu-danh-gia": "Phiếu theo dõi, đánh giá công chức (Mẫu số 01, NĐ 335/2025)",
    "bao-cao-thanh-tich": "Báo cáo thành tích cá nhân (Mẫu số 05, NĐ 152/2025)",
}
PER_OFFICIAL = ("phieu-danh-gia", "bao-cao-thanh-tich")
YEARS_SHOWN = 3  # the báo cáo thành tích lists this many years rated, latest first


async def _with_unit_names(board: dict[str, Any]) -> dict[str, Any]:
    """A year's rows carry the unit's code only: the documents show its name."""
    codes = {r["unit"] for r in board["officials"] if not r.get("unit_name")}
    if not codes:
        return board
    names = {
        u["code"]: u["name"]
        for u in await Unit.select(Unit.code, Unit.name).where(Unit.code.is_in(list(codes)))
    }
    rows = [
        {**r, "unit_name": r.get("unit_name") or names.get(r["unit"], "")}
        for r in board["officials"]
    ]
    return {**board, "officials": rows}


def _fractions(text: str | None) -> dict[str, Fraction]:
    return {k: Fraction(v) for k, v in json.loads(text or "{}").items()}


async def _person(period: str, official_id: int) -> Person:
    row = (
        await Official.select(
            Official.id,
            Official.full_name,
            Official.position,
            Official.birth_date,
            Official.unit.name.as_alias("unit_name"),
        )
        .where(Official.id == official_id)
        .first()
    )
    if row is None:
        raise NotFound("Không có cán bộ này.", field="official")
    sheets = {
        s["author"]: s
        for s in await RatingSheet.select(
            RatingSheet.author, RatingSheet.general, RatingSheet.results
        ).where(RatingSheet.period._.name == period, RatingSheet.official == official_id)
    }
    head = sheets.get(SheetAuthor.HEAD.value, {})
    own = sheets.get(SheetAuthor.SELF.value, {})
    return Person(
        official_id,
        row["full_name"],
        row["position"] or "",
        row["unit_name"],
        row["birth_date"],
        _fractions(head.get("general")),
        _fractions(head.get("results")),
        _fractions(own.get("general")),
        _fractions(own.get("results")),
    )


async def _years(
    name: str, path: str, code: str, official_id: int
) -> list[tuple[str, dict[str, Any]]]:
    rows = (
        await RatingPeriod.select(RatingPeriod.name)
        .where(RatingPeriod.kind == "year", RatingPeriod.name <= name)
        .order_by(RatingPeriod.name, ascending=False)
        .limit(YEARS_SHOWN)
    )
    found = []
    for r in rows:
        b = await period_board(r["name"], path, code)
        mine = [o for o in b["officials"] if o["official_id"] == official_id]
        if mine:
            found.append((r["name"], mine[0]))
    return found


async def _official_paper(
    kind: str,
    board: dict[str, Any],
    row: dict[str, Any],
    path: str,
    unit_code: str,
    head: Letterhead,
) -> OfficialDocument:
    """Mẫu số 01 (a quarter) or Mẫu số 05 (a year) of the official on ``row``."""
    name, official_id = board["period"], row["official_id"]
    person = await _person(name, official_id)
    if kind == "phieu-danh-gia":
        if board["kind"] != "quarter":
            raise Conflict("Phiếu Mẫu số 01 lập theo quý: hãy chọn kỳ đánh giá quý.")
        return rating_sheet(board, row, person, head)
    if board["kind"] != "year":
        raise Conflict("Báo cáo thành tích lập theo năm: hãy chọn kỳ đánh giá năm.")
    years = await _years(name, path, unit_code, official_id)
    return achievement_report(board, row, person, head, years, await awards_of(official_id))


async def my_document(actor: Actor, period: str, kind: str, fmt: str = "docx") -> tuple[str, bytes]:
    """The official's own Mẫu số 01 (or Mẫu số 05) from their rating page: only their own
    row of their unit's board, whatever their role."""
    official_id = own_official(actor)
    if kind not in PER_OFFICIAL or fmt not in FORMATS:
        raise NotFound("Không có văn bản này.")
    name = period_name(period)
    found = (
        await Official.select(Official.unit.path, Official.unit.code, Official.unit.name)
        .where(Official.id == official_id)
        .first()
    )
    if found is None:
        raise NotFound("Không có cán bộ này.", field="official")
    path, code = str(found["unit.path"]), str(found["unit.code"])
    board = await _with_unit_names(await period_board(name, path, code))
    mine = [o for o in board["officials"] if o["official_id"] == official_id]
    if not mine:
        raise NotFound("Anh/chị không có trong danh sách đánh giá của kỳ này.", field="official")
    head = await letterhead(path, str(found["unit.name"]))
    paper = await _official_paper(kind, board, mine[0], path, code, head)
    return f"{kind}-{name}-{code}-{official_id}.{fmt}", await render(paper, fmt)


async def document(
    actor: Actor,
    period: str,
    unit_code: str,
    kind: str,
    fmt: str = "docx",
    official_id: int | None = None,
    *,
    today: date | None = None,
) -> tuple[str, bytes]:
    """The file name and bytes of one document of the unit's board for the period."""
    if kind not in KINDS or fmt not in (FORMATS if kind in PER_OFFICIAL else WITH_LISTS):
        raise NotFound("Không có văn bản này.")
    name = period_name(period)
    unit = await unit_by_code(unit_code)
    path = str(unit["path"])
    require_board(actor, path)
    board = await _with_unit_names(await period_board(name, path, unit_code))
    head = await letterhead(path, str(unit["name"]))
    today = today or clock.today()
    stem = f"{kind}-{name}-{unit_code}"
    if kind in PER_OFFICIAL:
        if official_id is None:
            raise Invalid("Hãy chọn cán bộ.", field="official")
        mine = [o for o in board["officials"] if o["official_id"] == official_id]
        if not mine:
            raise NotFound("Không có cán bộ này trong bảng xếp loại của đơn vị.", field="official")
        paper = await _official_paper(kind, board, mine[0], path, unit_code, head)
        return f"{stem}-{official_id}.{fmt}", await render(paper, fmt)
    if kind == "thong-bao-xep-loai":
        paper, sheets = rating_results(board, head, today)
    elif kind == "to-trinh-khen-thuong":
        paper, sheets = award_submission(board, head, head.superior, today)
    else:
        paper, sheets = disciplined_list(board, head, today)
    return f"{stem}.{fmt}", await render(paper, fmt, sheets)
