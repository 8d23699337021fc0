"""One official's rating and emulation documents: Mẫu số 01 "Phiếu theo dõi, đánh giá công
chức" (NĐ 335/2025/NĐ-CP) from the stored sheet — each criterion with its maximum, the
official's self-score, the head's score and the score after the suggested deductions,
the task results, the deductions with their sources — and the báo cáo thành tích cá nhân
(NĐ 152/2025/NĐ-CP Mẫu số 05) pre-filled from the record: position, unit, the quarters
and years rated, recognised initiatives with their decision numbers."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import date
from fractions import Fraction
from typing import Any

from congvu.inspect.documents.labels import violation_text
from congvu.inspect.documents.letterhead import Letterhead
from congvu.inspect.documents.model import (
    BLANK,
    OfficialDocument,
    Paragraph,
    Signature,
    Table,
    cell_text,
)
from congvu.inspect.emulation.services.document_lists import level_text, period_text, score_of
from congvu.rules.rating_sheet import GENERAL_MAX

CRITERIA_VI = {
    "I.1": "Phẩm chất chính trị, đạo đức, văn hóa thực thi công vụ",
    "I.2": "Ý thức kỷ luật, kỷ cương",
    "II.1": "Năng lực chuyên môn",
    "II.2": "Đáp ứng yêu cầu nhiệm vụ thường xuyên, đột xuất",
    "II.3": "Tinh thần trách nhiệm",
    "II.4": "Thái độ phục vụ người dân, doanh nghiệp và phối hợp",
    "III": "Đổi mới, sáng tạo, dám nghĩ, dám làm",
}
RESULTS_VI = {
    "a": "a. Số lượng sản phẩm (%)",
    "b": "b. Chất lượng sản phẩm (%)",
    "c": "c. Tiến độ (%)",
    "d": "d. Kết quả của đơn vị phụ trách (%)",
    "dd": "đ. Năng lực tổ chức thực hiện (%)",
    "e": "e. Đoàn kết, quy tụ (%)",
}


@dataclass(frozen=True)
class Person:
    """What the record holds about the official beyond the board's row."""

    official_id: int
    full_name: str
    position: str
    unit_name: str
    birth_date: date | None
    head_general: dict[str, Fraction]
    head_results: dict[str, Fraction]
    self_general: dict[str, Fraction]
    self_results: dict[str, Fraction]


def _num(value: Fraction | float | None) -> str:
    if value is None:
        return ""
    return cell_text(round(float(value), 2))


def _source(d: dict[str, Any]) -> str:
    s = d["source"]
    kind = "Hồ sơ trễ hạn" if s["kind"] == "dossier" else "Phát hiện"
    confirmed = date.fromisoformat(s["confirmed_on"])
    return (
        f"{kind} #{s['id']}: {violation_text(s['violation'], confirmed)}, xác nhận ngày "
        f"{confirmed:%d/%m/%Y}"
    )


def rating_sheet(
    board: dict[str, Any], row: dict[str, Any], person: Person, head: Letterhead
) -> OfficialDocument:
    """Mẫu số 01 of one official for the board's quarter."""
    score = row.get("score") or {}
    after = score.get("general", {})
    criteria = Table(
        ["Tiêu chí", "Điểm tối đa", "Cá nhân tự chấm", "Thủ trưởng chấm", "Sau điểm trừ"],
        [
            [
                f"{code}. {label}",
                _num(GENERAL_MAX[code]),
                _num(
                    person.self_general.get(code, GENERAL_MAX[code])
                    if person.self_results
                    else None
                ),
                _num(
                    person.head_general.get(code, GENERAL_MAX[code])
                    if person.head_results
                    else None
                ),
                _num(after.get(code)),
            ]
            for code, label in CRITERIA_VI.items()
        ],
        caption="I. CÁC TIÊU CHÍ CHUNG (30 điểm)",
    )
    parts = [k for k in RESULTS_VI if k in person.head_results or k in person.self_results]
    results = Table(
        ["Nội dung", "Cá nhân tự đánh giá", "Thủ trưởng đánh giá"],
        [
            [RESULTS_VI[k], _num(person.self_results.get(k)), _num(person.head_results.get(k))]
            for k in parts or ["a", "b", "c"]
        ]
        + [["Điểm kết quả thực hiện nhiệm vụ (70 điểm)", "", _num(score.get("results"))]],
        caption="II. KẾT QUẢ THỰC HIỆN NHIỆM VỤ (70 điểm)",
    )
    deductions = row.get("deductions", [])
    deduction_table = Table(
        ["Tiêu chí", "Điểm trừ", "Nguồn", "Căn cứ", "Ý kiến của cá nhân"],
        [
            [
                d["criterion"],
                _num(d["points"]),
                _source(d),
                d["source"]["legal_basis"] or "",
                d.get("contested") or "",
            ]
            for d in deductions
        ]
        or [["", "", "Không có", "", ""]],
        caption="III. ĐIỂM TRỪ ĐỀ XUẤT TỪ VI PHẠM ĐÃ XÁC NHẬN",
    )
    period = period_text(board["period"])
    return OfficialDocument(
        issuer=head.issuer,
        superior=head.superior,
        place=head.place,
        number=None,
        issued_on=None,
        kind_name="Phiếu theo dõi, đánh giá công chức",
        summary=period,
        body=[
            Paragraph(f"Họ và tên: {person.full_name}"),
            Paragraph(f"Chức vụ: {person.position or BLANK}"),
            Paragraph(f"Đơn vị công tác: {person.unit_name}"),
            criteria,
            results,
            deduction_table,
            Paragraph(f"Tổng điểm: {_num(score.get('total')) or BLANK}", bold=True),
            Paragraph(f"Mức xếp loại đề xuất: {level_text(row)}", bold=True),
            *(Paragraph(r, italic=True) for r in row.get("reasons_vi", [])),
        ],
        signatures=[
            Signature("Người tự đánh giá", person.full_name, hint="(Ký, ghi rõ họ tên)"),
            Signature("Thủ trưởng đơn vị", hint="(Ký, ghi rõ họ tên)"),
        ],
        form_label="Mẫu số 01",
        file_stem="phieu-danh-gia",
    )


def achievement_report(
    board: dict[str, Any],
    row: dict[str, Any],
    person: Person,
    head: Letterhead,
    years: list[tuple[str, dict[str, Any]]],
    awards: list[dict[str, Any]],
) -> OfficialDocument:
    """Báo cáo thành tích cá nhân (Mẫu số 05) for the board's year; ``years``: (year,
    the official's row on that year's board), latest first; ``awards``: the titles and
    commendations already received (hình thức khen thưởng đã đạt), latest first."""
    year = board["period"]
    titles = [t["title_vi"] for t in row.get("titles", []) if t.get("eligible")]
    quarters = row.get("quarters", {})
    initiatives = row.get("initiatives", [])
    return OfficialDocument(
        issuer="",
        superior="",
        place=head.place,
        number=None,
        issued_on=None,
        kind_name="Báo cáo thành tích",
        summary=f"Đề nghị tặng {', '.join(titles) or 'danh hiệu thi đua'} năm {year}",
        body=[
            Paragraph("I. SƠ LƯỢC LÝ LỊCH", bold=True),
            Paragraph(f"Họ và tên: {person.full_name}"),
            Paragraph(
                "Ngày, tháng, năm sinh: "
                + (f"{person.birth_date:%d/%m/%Y}" if person.birth_date else BLANK)
            ),
            Paragraph(f"Chức vụ: {person.position or BLANK}"),
            Paragraph(f"Đơn vị công tác: {person.unit_name}"),
            Paragraph("II. THÀNH TÍCH ĐẠT ĐƯỢC", bold=True),
            Paragraph(f"1. Quyền hạn, nhiệm vụ được giao: {BLANK}"),
            Paragraph(f"2. Kết quả đánh giá, xếp loại chất lượng năm {year}:"),
            Table(
                ["Quý", "Điểm"],
                [[f"Quý {q}", _num(s)] for q, s in sorted(quarters.items())] or [["", ""]],
            ),
            Paragraph(
                f"Điểm năm: {_num(score_of(row)) or BLANK}; mức xếp loại: {level_text(row)}."
            ),
            Paragraph("3. Sáng kiến được công nhận:"),
            Table(
                ["STT", "Tên sáng kiến", "Quyết định công nhận"],
                [
                    [
                        str(n),
                        i["title"],
                        f"Số {i['decision_number']} ngày "
                        f"{date.fromisoformat(i['decided_on']):%d/%m/%Y}",
                    ]
                    for n, i in enumerate(initiatives, start=1)
                ]
                or [["", "Không có", ""]],
            ),
            Paragraph("III. KẾT QUẢ XẾP LOẠI VÀ DANH HIỆU CÁC NĂM", bold=True),
            Table(
                ["Năm", "Mức xếp loại", "Danh hiệu đủ điều kiện"],
                [
                    [
                        y,
                        level_text(r),
                        ", ".join(t["title_vi"] for t in r.get("titles", []) if t.get("eligible")),
                    ]
                    for y, r in years
                ],
            ),
            Paragraph("IV. CÁC HÌNH THỨC ĐÃ ĐƯỢC KHEN THƯỞNG", bold=True),
            Paragraph("1. Danh hiệu thi đua:"),
            _awards_table(
                "Danh hiệu thi đua", [a for a in awards if is_emulation_title(a["form"])]
            ),
            Paragraph("2. Hình thức khen thưởng:"),
            _awards_table(
                "Hình thức khen thưởng", [a for a in awards if not is_emulation_title(a["form"])]
            ),
        ],
        signatures=[
            Signature("Thủ trưởng đơn vị xác nhận, đề nghị", hint="(Ký, đóng dấu)"),
            Signature("Người báo cáo thành tích", person.full_name, hint="(Ký, ghi rõ họ tên)"),
        ],
        form_label="Mẫu số 05",
        file_stem="bao-cao-thanh-tich",
    )


# Danh hiệu thi đua of a person or a collective (Luật Thi đua, khen thưởng 2022, Điều 23–28);
# every other award — Huân chương, Huy chương, Kỷ niệm chương, Bằng khen, Giấy khen — is a
# hình thức khen thưởng, listed in its own part of Mẫu số 05.
EMULATION_TITLES = (
    "chiến sĩ thi đua",
    "chiến sỹ thi đua",
    "lao động tiên tiến",
    "chiến sĩ tiên tiến",
    "chiến sỹ tiên tiến",
    "cờ thi đua",
    "tập thể lao động",
    "đơn vị quyết thắng",
    "đơn vị tiên tiến",
)


def is_emulation_title(form: str) -> bool:
    """Whether an award received, as typed, is a danh hiệu thi đua."""
    # Typed or pasted text may carry decomposed diacritics.
    return unicodedata.normalize("NFC", form).strip().casefold().startswith(EMULATION_TITLES)


AWARD_COLUMNS = ("Năm", "Số quyết định", "Ngày quyết định", "Cơ quan ban hành quyết định")


def _awards_table(kind: str, awards: list[dict[str, Any]]) -> Table:
    """One part of section IV: year, the title or form, the decision's number, its day and
    its issuer, each in its own column (latest first, as ``awards`` come)."""
    year, number, day, issuer = AWARD_COLUMNS
    rows = [
        [
            str(a["year"]),
            a["form"],
            a["decision_number"],
            f"{a['decided_on']:%d/%m/%Y}",
            a["issuer"],
        ]
        for a in awards
    ]
    return Table([year, kind, number, day, issuer], rows or [["", "Không có", "", "", ""]])
