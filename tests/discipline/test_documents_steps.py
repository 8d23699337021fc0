"""The five documents of the procedure's middle (NĐ 172/2025): the review meeting's
minutes, the report, the decision setting up the council, the council's minutes and its
written recommendation, each opened again (.docx and page) and checked for the NĐ 30/2020
parts and for the values the case holds; blanks where it holds none."""

from __future__ import annotations

import pytest
from congvu.inspect.discipline import api as discipline
from congvu.inspect.discipline.api import CaseStage

from tests.discipline.conftest import DisciplineWorld
from tests.discipline.test_procedure import opened, walk_to
from tests.documents.reading import assert_official, docx_text, html_text

pytestmark = pytest.mark.anyio

# kind: (kind name, number, date line, signer title, values the case holds)
EXPECTED = {
    "bien-ban-hop-kiem-diem": (
        "Biên bản",
        "      /BB-",
        "ngày 09 tháng 03 năm 2026",
        "Chủ trì cuộc họp",
        [
            "Họp kiểm điểm đối với",
            "Nguyễn Thị Lan",
            "Đã tự kiểm điểm, được phát biểu ý kiến",
            "Đi làm muộn",
            "23/02/2026",
        ],
    ),
    "bao-cao": (
        "Báo cáo",
        "      /BC-",
        "ngày 11 tháng 03 năm 2026",
        "Thủ trưởng cơ quan",
        ["ngày 09/03/2026; Đã tự kiểm điểm", "Thời hiệu xử lý kỷ luật", "Nguyễn Thị Lan"],
    ),
    "quyet-dinh-thanh-lap-hoi-dong": (
        "Quyết định",
        "      /QĐ-",
        "ngày 16 tháng 03 năm 2026",
        "Người có thẩm quyền",
        [
            "Về việc thành lập Hội đồng kỷ luật",
            "Hoàng Văn Nam",
            "Chủ tịch Hội đồng",
            "Xét báo cáo kết quả họp kiểm điểm ngày 11/03/2026",
        ],
    ),
    "bien-ban-hop-hoi-dong-ky-luat": (
        "Biên bản",
        "      /BB-HĐKL",
        "ngày 25 tháng 03 năm 2026",
        "Chủ tịch Hội đồng",
        [
            "HỘI ĐỒNG KỶ LUẬT",
            "thành lập ngày 16/03/2026",
            "Hoàng Văn Nam",
            "kiến nghị hình thức kỷ luật: khiển trách",
        ],
    ),
    "kien-nghi": (
        "Kiến nghị",
        "      /KN-HĐKL",
        "ngày 25 tháng 03 năm 2026",
        "TM. Hội đồng kỷ luật",
        [
            "Ngày 25/03/2026, Hội đồng kỷ luật đã họp",
            "hình thức kỷ luật khiển trách",
            "Hoàng Văn Nam",
        ],
    ),
}


async def test_the_procedure_documents_hold_the_case_facts(dw: DisciplineWorld) -> None:
    case = await opened(dw)
    await walk_to(dw, case, CaseStage.NOTIFIED)
    file = (await discipline.case_timeline(dw.personnel, case)).file
    assert discipline.available_documents(file) == list(discipline.DOCUMENT_KINDS)
    unit = file.case["unit_name"]
    for kind, (name, number, day, signer, values) in EXPECTED.items():
        council = "HĐKL" in number
        for fmt, read in (("docx", docx_text), ("html", html_text)):
            file_name, content = await discipline.document(dw.personnel, case, kind, fmt)
            assert file_name == f"{kind}-{case}.{fmt}"
            text = read(content)
            assert_official(
                text,
                issuer="Hội đồng kỷ luật" if council else unit,
                number=None,  # blank before its slash: "Số:       /BB-"
                kind=name,
                date_line=f"Thử Nghiệm, {day}",
                signer_title=signer,
            )
            assert "Số:" in text and number.strip() in text
            if council:
                assert unit.upper() in text  # the council's parent body above it
            for value in values:
                assert value in text, (kind, fmt, value)


async def test_blanks_where_the_case_holds_nothing_yet(dw: DisciplineWorld) -> None:
    case = await opened(dw)
    file = (await discipline.case_timeline(dw.personnel, case)).file
    available = discipline.available_documents(file)
    assert "giay-trieu-tap" not in available and "quyet-dinh" not in available
    for kind in (
        "bien-ban-hop-kiem-diem",
        "bao-cao",
        "quyet-dinh-thanh-lap-hoi-dong",
        "bien-ban-hop-hoi-dong-ky-luat",
        "kien-nghi",
    ):
        assert kind in available
        text = docx_text((await discipline.document(dw.personnel, case, kind))[1])
        assert "ngày …… tháng …… năm ……" in text, kind
        assert "……………" in text, kind
    council = docx_text(
        (await discipline.document(dw.personnel, case, "quyet-dinh-thanh-lap-hoi-dong"))[1]
    )
    assert "Xét báo cáo kết quả họp kiểm điểm ngày ……………;" in council
