"""A unit's rating and emulation documents that are lists (NĐ 335/2025/NĐ-CP, NĐ 152/2025/
NĐ-CP): the notice of the period's rating results (thông báo kết quả xếp loại), the tờ
trình đề nghị khen thưởng (NĐ 152/2025 Mẫu số 01) with its danh sách đề nghị, and the
list of officials disciplined or with confirmed violations for the emulation council.
Built from the unit's board (the frozen version once the period is locked), in the
board's Vietnamese name order; each list is also a sheet of a workbook."""

from __future__ import annotations

from collections import Counter
from datetime import date
from typing import Any

from congvu.inspect.documents.labels import violation_text
from congvu.inspect.documents.letterhead import Letterhead
from congvu.inspect.documents.model import (
    Block,
    OfficialDocument,
    Paragraph,
    SheetTable,
    Signature,
)
from congvu.inspect.errors import Conflict
from congvu.rules.emulation_amounts import AwardTitle, award_amount, vnd
from congvu.rules.packs import PackNotFound
from congvu.rules.periods import PeriodScheme, parse_period
from congvu.rules.rating import Level

LAW_EMULATION = "Căn cứ Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022;"
DECREE_152 = (
    "Căn cứ Nghị định số 152/2025/NĐ-CP ngày 14 tháng 6 năm 2025 của Chính phủ quy định chi "
    "tiết một số điều của Luật Thi đua, khen thưởng;"
)
DECREE_335 = (
    "Căn cứ Nghị định số 335/2025/NĐ-CP ngày 21 tháng 12 năm 2025 của Chính phủ quy định "
    "về đánh giá, xếp loại chất lượng cán bộ, công chức, viên chức;"
)
UNRATED = "Chưa xếp loại"


def period_text(name: str) -> str:
    """ "Quý III/2026" or "Năm 2026", always in Vietnamese (an official document)."""
    return parse_period(name, PeriodScheme.CALENDAR).label("vi", bounds=False)


def score_of(row: dict[str, Any]) -> float | None:
    score = row.get("score")
    if isinstance(score, dict):
        return float(score["total"])
    return None if score is None else float(score)


def level_text(row: dict[str, Any]) -> str:
    level = row.get("level")
    return Level(level).label_vi if level else UNRATED


def rating_results(
    board: dict[str, Any], head: Letterhead, today: date
) -> tuple[OfficialDocument, list[SheetTable]]:
    """Thông báo kết quả xếp loại chất lượng of the unit for the period."""
    rows = board["officials"]
    results = SheetTable(
        "Kết quả xếp loại",
        "DANH SÁCH KẾT QUẢ XẾP LOẠI",
        ["STT", "Họ và tên", "Đơn vị", "Điểm", "Mức xếp loại"],
        [
            [n, r["name"], r.get("unit_name") or r["unit"], score_of(r), level_text(r)]
            for n, r in enumerate(rows, start=1)
        ],
        widths=(6, 28, 34, 10, 30),
    )
    counts = Counter(level_text(r) for r in rows)
    order = [lv.label_vi for lv in Level] + [UNRATED]
    summary = SheetTable(
        "Tổng hợp",
        "TỔNG HỢP THEO MỨC XẾP LOẠI",
        ["Mức xếp loại", "Số người"],
        [[label, counts.get(label, 0)] for label in order],
        totals=(1,),
        widths=(40, 12),
    )
    period = period_text(board["period"])
    document = OfficialDocument(
        issuer=head.issuer,
        superior=head.superior,
        place=head.place,
        number="      /TB-",
        issued_on=today,
        kind_name="Thông báo",
        summary=f"Kết quả đánh giá, xếp loại chất lượng công chức {period}",
        body=[
            Paragraph(DECREE_335),
            Paragraph(
                f"{head.issuer} thông báo kết quả đánh giá, xếp loại chất lượng {period} của "
                f"{len(rows)} cán bộ, công chức như sau:"
            ),
            summary.as_table(),
            results.as_table(),
            Paragraph(
                "Cá nhân có ý kiến về kết quả xếp loại gửi về bộ phận tổ chức cán bộ trong thời "
                "hạn quy định."
            ),
        ],
        signatures=[Signature("Thủ trưởng đơn vị")],
        recipients=["Cán bộ, công chức trong đơn vị", "Lưu: VT, TCCB"],
        file_stem="thong-bao-xep-loai",
    )
    return document, [results, summary]


def _title_names(row: dict[str, Any]) -> list[str]:
    proposed = set(row.get("proposed_titles") or [])
    return [t["title_vi"] for t in row.get("titles", []) if t["title"] in proposed]


AWARD_TITLES = frozenset(t.value for t in AwardTitle)


def _award_amounts(row: dict[str, Any], on: date) -> str:
    """Each proposed title with its award (NĐ 152/2025 Điều 50 × mức lương cơ sở on ``on``)."""
    proposed = set(row.get("proposed_titles") or [])
    amounts = []
    for t in row.get("titles", []):
        if t["title"] not in proposed or t["title"] not in AWARD_TITLES:
            continue
        try:
            award = award_amount(t["title"], on)
        except PackNotFound:
            continue
        amounts.append(f"{t['title_vi']}: {vnd(award.amount_vnd)}")
    return "; ".join(amounts)


def _initiatives(row: dict[str, Any]) -> str:
    return "; ".join(
        f"{i['title']} (Quyết định số {i['decision_number']} ngày "
        f"{date.fromisoformat(i['decided_on']):%d/%m/%Y})"
        for i in row.get("initiatives", [])
    )


def award_submission(
    board: dict[str, Any], head: Letterhead, superior: str, today: date
) -> tuple[OfficialDocument, list[SheetTable]]:
    """Tờ trình đề nghị khen thưởng (NĐ 152/2025 Mẫu số 01) of the year, with the danh sách
    đề nghị: every official with a title proposed, and the collective's titles."""
    if board["kind"] != "year":
        raise Conflict("Tờ trình đề nghị khen thưởng lập theo năm: hãy chọn kỳ đánh giá năm.")
    proposed = [r for r in board["officials"] if _title_names(r)]
    people = SheetTable(
        "Danh sách đề nghị",
        "DANH SÁCH ĐỀ NGHỊ KHEN THƯỞNG",
        [
            "STT",
            "Họ và tên",
            "Đơn vị",
            "Danh hiệu đề nghị",
            "Mức tiền thưởng",
            "Xếp loại năm",
            "Sáng kiến",
        ],
        [
            [
                n,
                r["name"],
                r.get("unit_name") or r["unit"],
                ", ".join(_title_names(r)),
                _award_amounts(r, today),
                level_text(r),
                _initiatives(r),
            ]
            for n, r in enumerate(proposed, start=1)
        ],
        widths=(6, 28, 24, 34, 30, 24, 40),
    )
    collective = board.get("collective") or {}
    group_titles = [t["title_vi"] for t in collective.get("titles", []) if t["eligible"]]
    titles = Counter(name for r in proposed for name in _title_names(r))
    year = board["period"]
    body: list[Block] = [
        Paragraph(LAW_EMULATION),
        Paragraph(DECREE_152),
        Paragraph(f"Căn cứ kết quả đánh giá, xếp loại chất lượng và bình xét thi đua năm {year};"),
        Paragraph(
            f"{head.issuer} kính trình {superior or '……………'} xem xét, công nhận danh hiệu thi "
            f"đua năm {year} cho {len(proposed)} cá nhân"
            + (f" ({', '.join(f'{k}: {v}' for k, v in sorted(titles.items()))})" if titles else "")
            + (
                f" và danh hiệu {', '.join(group_titles)} cho tập thể {head.issuer}"
                if group_titles
                else ""
            )
            + " (có danh sách kèm theo)."
        ),
        people.as_table(),
        Paragraph(f"{head.issuer} kính trình {superior or '……………'} xem xét, quyết định./."),
    ]
    document = OfficialDocument(
        issuer=head.issuer,
        superior=head.superior,
        place=head.place,
        number="      /TTr-",
        issued_on=today,
        kind_name="Tờ trình",
        summary=f"Về việc đề nghị công nhận danh hiệu thi đua năm {year}",
        body=body,
        signatures=[Signature("Thủ trưởng đơn vị")],
        recipients=["Như trên", "Lưu: VT, TĐKT"],
        form_label="Mẫu số 01",
        file_stem="to-trinh-khen-thuong",
    )
    return document, [people]


def _violation(d: dict[str, Any]) -> str:
    source = d["source"]
    kind = "hồ sơ trễ hạn" if source["kind"] == "dossier" else "phát hiện"
    confirmed = date.fromisoformat(source["confirmed_on"])
    what = violation_text(source["violation"], confirmed)
    return f"{what} ({kind} #{source['id']}, xác nhận ngày {confirmed:%d/%m/%Y})"


def _violations(row: dict[str, Any]) -> str:
    return "; ".join(_violation(d) for d in row.get("deductions", []))


def _standing(row: dict[str, Any]) -> str:
    """Why the rating or the titles are held: the verdicts that name a cap or a blocker."""
    texts: list[str] = []
    if row.get("capped"):
        texts.extend(r for r in row.get("reasons_vi", []) if "KHT" in r or "kỷ luật" in r)
    for t in row.get("titles", []):
        if set(t.get("reasons", [])) & set(row.get("blockers", [])):
            texts.append(t["explanation_vi"])
    return " ".join(dict.fromkeys(texts))


def disciplined_list(
    board: dict[str, Any], head: Letterhead, today: date
) -> tuple[OfficialDocument, list[SheetTable]]:
    """Danh sách cán bộ, công chức bị kỷ luật hoặc có vi phạm đã được xác nhận, for the
    Hội đồng thi đua – khen thưởng."""
    rows = [
        r for r in board["officials"] if r.get("deductions") or r.get("capped") or r.get("blockers")
    ]
    people = SheetTable(
        "Kỷ luật, vi phạm",
        "DANH SÁCH CÁN BỘ, CÔNG CHỨC BỊ KỶ LUẬT HOẶC CÓ VI PHẠM ĐÃ XÁC NHẬN",
        [
            "STT",
            "Họ và tên",
            "Đơn vị",
            "Vi phạm đã xác nhận",
            "Kỷ luật, ảnh hưởng đến xếp loại và thi đua",
        ],
        [
            [n, r["name"], r.get("unit_name") or r["unit"], _violations(r), _standing(r)]
            for n, r in enumerate(rows, start=1)
        ],
        widths=(6, 28, 24, 48, 48),
    )
    period = period_text(board["period"])
    document = OfficialDocument(
        issuer=head.issuer,
        superior=head.superior,
        place=head.place,
        number=None,
        issued_on=today,
        kind_name="Danh sách",
        summary=f"Cán bộ, công chức bị kỷ luật hoặc có vi phạm đã xác nhận {period}",
        body=[
            Paragraph(
                f"Kèm theo hồ sơ bình xét thi đua, khen thưởng {period} của {head.issuer} "
                f"({len(rows)} người)."
            ),
            people.as_table(),
        ],
        signatures=[Signature("Thủ trưởng đơn vị")],
        recipients=["Hội đồng Thi đua - Khen thưởng", "Lưu: TCCB"],
        landscape=True,
        file_stem="danh-sach-ky-luat-vi-pham",
    )
    return document, [people]
