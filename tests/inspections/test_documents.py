"""The minutes and the plan as .docx: python-docx opens them, the NĐ 30/2020 header and
the key values are in their paragraphs and cells, a sealed surprise inspection is never
in the plan's file, and the same document renders to the same bytes."""

from __future__ import annotations

import hashlib
import io
import re

import docx
import pytest
from congvu.inspect.inspections.tables import Inspection, InspectionPlan, SurpriseDraw

from tests.conftest import login
from tests.inspections.conftest import (
    lead_signature,
    record,
    send,
    start_record,
    submit_record,
)
from tests.inspections.test_plans import draw_form, plan_form, post_form

pytestmark = pytest.mark.anyio
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def texts(data: bytes) -> tuple[list[str], list[str]]:
    """The body's paragraphs and every table cell's paragraphs (the header's included)."""
    document = docx.Document(io.BytesIO(data))
    cells = [
        p.text
        for table in document.tables
        for row in table.rows
        for cell in row.cells
        for p in cell.paragraphs
    ]
    return [p.text for p in document.paragraphs], cells


async def test_the_minutes_docx_carries_the_header_team_findings_and_signatures(client, iw) -> None:
    await login(client, "inspector")
    results = await send(
        client,
        start_record(iw),
        record(
            "finding",
            iw.inspection.id,
            {
                "official_id": None,
                "violation_code": "NO_HOTLINE_POSTED",
                "facts": "Không niêm yết số điện thoại đường dây nóng tại bộ phận một cửa",
                "observed_at": iw.at(9, 0),
            },
        ),
        lead_signature(iw),
        submit_record(iw),
    )
    assert [r["status"] for r in results] == ["created"] * 4, results
    number = results[-1]["record"]["minutes_number"]
    page = await client.get(f"/inspections/{iw.inspection.id}/minutes")
    link = f"/inspections/{iw.inspection.id}/minutes.docx"
    assert f'href="{link}"' in page.text
    response = await client.get(link)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(DOCX)
    assert "attachment" in response.headers["content-disposition"]
    paragraphs, cells = texts(response.content)
    header = "\n".join(cells)
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in header
    assert "Độc lập - Tự do - Hạnh phúc" in header
    assert "TỈNH THỬ NGHIỆM" in header and "ĐOÀN KIỂM TRA CÔNG VỤ" in header
    assert f"Số: {number}" in cells
    assert f"ngày {iw.day.day:02d} tháng {iw.day.month:02d} năm {iw.day.year}" in header
    body = "\n".join(paragraphs)
    assert "BIÊN BẢN KIỂM TRA" in paragraphs
    assert iw.world.commune_a.name in body
    assert "- Ông/Bà Phạm Văn Trưởng, trưởng đoàn;" in paragraphs
    assert "Biên bản được lập xong hồi " in body
    # One finding: its row (STT 1) with the act's Vietnamese name and its căn cứ.
    assert "Không niêm yết số điện thoại đường dây nóng tại bộ phận một cửa" in header
    assert any("(phiên bản 2025.1)" in c for c in cells)
    assert "NO_HOTLINE_POSTED" not in header + body
    assert [c for c in cells if re.fullmatch(r"\d+", c)] == ["1"]
    assert "TRƯỞNG ĐOÀN KIỂM TRA" in cells
    # Deterministic: the same minutes are the same bytes.
    again = await client.get(link)
    assert hashlib.sha256(again.content).digest() == hashlib.sha256(response.content).digest()


async def test_the_minutes_docx_has_the_pages_guard(client, iw) -> None:
    for who in ("head_a", "head_b"):  # a draft: not even the unit's head
        await login(client, who)
        assert (
            await client.get(f"/inspections/{iw.inspection.id}/minutes.docx")
        ).status_code == 404


async def test_the_plan_docx_lists_its_inspections_but_never_a_sealed_surprise(client, iw) -> None:
    await login(client, "lead")
    assert (await post_form(client, "/plans/", plan_form(iw))).status_code == 303
    plan = await InspectionPlan.select().first()
    drawn = await post_form(
        client,
        "/plans/draw",
        draw_form(iw, 1),
    )
    assert drawn.status_code == 303, drawn.text
    draw = await SurpriseDraw.select().first()
    # The drawn inspection is filed under the plan: its approver sees it on the page…
    await Inspection.update({Inspection.plan: plan["id"]}).where(Inspection.draw == draw["id"])
    sealed = (
        await Inspection.select(Inspection.unit.name, Inspection.sealed)
        .where(Inspection.draw == draw["id"])
        .first()
    )
    assert sealed["sealed"]
    page = await client.get(f"/plans/{plan['id']}")
    assert f'href="/plans/{plan["id"]}/plan.docx"' in page.text
    response = await client.get(f"/plans/{plan['id']}/plan.docx")
    assert response.status_code == 200
    paragraphs, cells = texts(response.content)
    everything = "\n".join(paragraphs + cells)
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in everything
    assert "Độc lập - Tự do - Hạnh phúc" in everything
    assert "Số: 12/KH-SNV" in cells
    assert any(c.startswith("Thử Nghiệm, ngày ") for c in cells)
    assert "KẾ HOẠCH" in paragraphs
    assert "Xã Bình Minh" in cells  # the scheduled inspection, with its lead
    assert "Phạm Văn Trưởng" in cells
    assert "Theo kế hoạch" in cells
    assert "Tổng số: 1 cuộc kiểm tra." in paragraphs
    # …but the file never names the sealed draw's unit (once if the lot fell on the
    # planned unit itself).
    planned = 1 if sealed["unit.name"] == "Xã Bình Minh" else 0
    assert cells.count(sealed["unit.name"]) == planned


async def test_the_plan_docx_is_for_those_who_see_the_plan(client, iw) -> None:
    await login(client, "lead")
    assert (await post_form(client, "/plans/", plan_form(iw))).status_code == 303
    plan = await InspectionPlan.select().first()
    await login(client, "inspector")
    assert (await client.get(f"/plans/{plan['id']}/plan.docx")).status_code == 403
