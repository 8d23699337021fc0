"""The case's documents (.docx, NĐ 30/2020 layout), opened again with python-docx: the
notice of the review meeting, the summons with the council meeting's day, the decision
with its form, number, effect and the right to appeal."""

from __future__ import annotations

import io
from typing import Any

import pytest
from congvu.inspect.discipline import api as discipline
from congvu.inspect.discipline.api import CaseStage
from congvu.inspect.errors import Conflict, Forbidden, NotFound
from docx import Document

from tests.conftest import login
from tests.discipline.conftest import DisciplineWorld
from tests.discipline.test_procedure import opened, walk_to
from tests.documents.reading import assert_official, html_text

pytestmark = pytest.mark.anyio


def text_of(content: bytes) -> str:
    doc = Document(io.BytesIO(content))
    cells = [p.text for t in doc.tables for row in t.rows for c in row.cells for p in c.paragraphs]
    return "\n".join([*cells, *(p.text for p in doc.paragraphs)])


async def test_the_three_documents(dw: DisciplineWorld) -> None:
    case = await opened(dw)
    with pytest.raises(Conflict, match="Chưa ghi nhận ngày họp"):
        await discipline.document(dw.personnel, case, "giay-trieu-tap")
    await walk_to(dw, case, CaseStage.REVIEW_MEETING)
    name, notice = await discipline.document(dw.personnel, case, "thong-bao-hop-kiem-diem")
    assert name == f"thong-bao-hop-kiem-diem-{case}.docx"
    text = text_of(notice)
    for shown in (
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "THÔNG BÁO",
        "Nguyễn Thị Lan",
        "09/03/2026",
        "TỈNH THỬ NGHIỆM",
        "Nơi nhận:",
    ):
        assert shown in text, shown
    with pytest.raises(Conflict, match="chưa có quyết định"):
        await discipline.document(dw.personnel, case, "quyet-dinh")
    case = await opened(dw)
    await walk_to(dw, case, CaseStage.NOTIFIED)
    summons = text_of((await discipline.document(dw.personnel, case, "giay-trieu-tap"))[1])
    assert "GIẤY TRIỆU TẬP" in summons and "25/03/2026" in summons
    assert "Hoàng Văn Nam (Chủ tịch Hội đồng)" in summons
    decision = text_of((await discipline.document(dw.personnel, case, "quyet-dinh"))[1])
    assert "Số: 15/QĐ-UBND" in decision
    assert "Thử Nghiệm, ngày 27 tháng 03 năm 2026" in decision
    assert "bằng hình thức khiển trách" in decision and "đến hết ngày 27/03/2027" in decision
    assert "quyền khiếu nại" in decision and "Nguyễn Văn Chủ tịch" in decision


async def test_documents_are_for_the_personnel_office(dw: DisciplineWorld) -> None:
    case = await opened(dw)
    with pytest.raises(Forbidden):
        await discipline.document(dw.subject, case, "thong-bao-hop-kiem-diem")
    with pytest.raises(NotFound):
        await discipline.document(dw.personnel, case, "khac")


async def test_the_documents_as_pages_to_print(dw: DisciplineWorld) -> None:
    case = await opened(dw)
    await walk_to(dw, case, CaseStage.NOTIFIED)
    name, page = await discipline.document(dw.personnel, case, "quyet-dinh", "html")
    assert name == f"quyet-dinh-{case}.html"
    text = html_text(page)
    unit = (await discipline.case_timeline(dw.personnel, case)).file.case["unit_name"]
    assert_official(
        text,
        issuer=unit,
        number="15/QĐ-UBND",
        kind="Quyết định",
        date_line="Thử Nghiệm, ngày 27 tháng 03 năm 2026",
        signer_title="Người có thẩm quyền",
    )
    assert "bằng hình thức khiển trách" in text and "Nguyễn Văn Chủ tịch" in text
    with pytest.raises(NotFound):
        await discipline.document(dw.personnel, case, "quyet-dinh", "pdf")


async def test_a_page_to_print_over_http(client: Any, dw: DisciplineWorld) -> None:
    case = await opened(dw)
    await walk_to(dw, case, CaseStage.REVIEW_MEETING)
    await login(client, "tochuc")
    path = f"/discipline/{case}/documents/thong-bao-hop-kiem-diem"
    page = await client.get(f"{path}?format=html")
    assert page.status_code == 200, page.text
    assert page.headers["content-type"].startswith("text/html")
    assert page.headers["content-disposition"].startswith("inline;")
    assert "THÔNG BÁO" in html_text(page.content)
    assert "style-src 'self'" in page.headers.get("content-security-policy", "style-src 'self'")
    docx = await client.get(path)
    assert docx.headers["content-disposition"].startswith("attachment;")
    assert "THÔNG BÁO" in text_of(docx.content)
