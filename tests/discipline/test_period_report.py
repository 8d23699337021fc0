"""The period's discipline report: cases opened in the period within a unit's subtree,
by form, by unit, pending past their deadline, and the list; as .docx and page with the
NĐ 30/2020 parts, and as a workbook with header rows, formula totals, dd/mm/yyyy dates
and a formula-looking name kept as text."""

from __future__ import annotations

import io
from datetime import datetime
from typing import Any

import pytest
from congvu.inspect.discipline import api as discipline
from congvu.inspect.discipline.api import CaseStage, OpenCase
from congvu.inspect.errors import Forbidden, NotFound
from congvu.inspect.i18n import name_sort_key
from congvu.inspect.organisation.tables import Official
from congvu.rules.periods import PeriodScheme, parse_period
from openpyxl import load_workbook

from tests.conftest import login
from tests.discipline.conftest import D, DisciplineWorld
from tests.discipline.test_procedure import opened, walk_to
from tests.documents.reading import assert_official, docx_text, html_text

pytestmark = pytest.mark.anyio
Q1 = parse_period("2026-Q1", PeriodScheme.CALENDAR)
TODAY = D(2026, 7, 20)
INJECTED = "=HYPERLINK(1) Trần Văn Bình"


async def _world(dw: DisciplineWorld) -> tuple[int, int]:
    """A decided case about official A and an open one about official B (renamed to look
    like a formula), both opened in March 2026; the second is overdue by 20/07/2026."""
    decided = await opened(dw)
    await walk_to(dw, decided, CaseStage.NOTIFIED)
    b = dw.rw.world.official_b
    await Official.update(
        {Official.full_name: INJECTED, Official.sort_key: name_sort_key(INJECTED)}
    ).where(Official.id == b.id)
    pending = await discipline.open_case(
        dw.personnel,
        OpenCase(official_id=b.id, description="Vắng mặt", violation_on=D(2026, 3, 2)),
        today=D(2026, 3, 10),
    )
    return decided, pending


async def test_the_report_counts_and_lists(dw: DisciplineWorld) -> None:
    await _world(dw)
    name, _ = await discipline.period_report(dw.personnel, Q1, "P", "docx", today=TODAY)
    assert name == "bao-cao-ky-luat-2026-Q1-P.docx"
    for read, fmt in ((docx_text, "docx"), (html_text, "html")):
        text = read((await discipline.period_report(dw.personnel, Q1, "P", fmt, today=TODAY))[1])
        assert_official(
            text,
            issuer=dw.rw.world.province.name,
            number=None,
            kind="Báo cáo",
            date_line="ngày 20 tháng 07 năm 2026",
            signer_title="Thủ trưởng cơ quan",
        )
        assert "Quý I/2026 (01/01/2026 – 31/03/2026)" in text
        assert "mở 2 hồ sơ" in text and "quyết định kỷ luật 1 hồ sơ" in text
        assert "1 hồ sơ đang xử lý đã quá hạn" in text
        for shown in (
            "khiển trách",
            "Chưa quyết định",
            "Nguyễn Thị Lan",
            "Họp kiểm điểm",
            "tính đến ngày 20/07/2026",
            "Tổng cộng",
        ):
            assert shown in text, (fmt, shown)
    # Outside the period, nothing.
    q2 = parse_period("2026-Q2", PeriodScheme.CALENDAR)
    text = docx_text((await discipline.period_report(dw.personnel, q2, "P", today=TODAY))[1])
    assert "mở 0 hồ sơ" in text


async def test_the_workbook(dw: DisciplineWorld) -> None:
    await _world(dw)
    _, content = await discipline.period_report(dw.personnel, Q1, "P", "xlsx", today=TODAY)
    book = load_workbook(io.BytesIO(content))
    assert book.sheetnames == ["Theo hình thức", "Theo đơn vị", "Quá hạn", "Danh sách"]
    forms = book["Theo hình thức"]
    values = [[c.value for c in row] for row in forms.iter_rows()]
    flat = [v for row in values for v in row if v is not None]
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in flat and "Độc lập - Tự do - Hạnh phúc" in flat
    assert "BÁO CÁO" in flat and "Số:       /BC-" in flat
    total_row = next(row for row in values if row[0] == "Tổng cộng")
    assert str(total_row[1]).startswith("=SUM(")
    units = book["Theo đơn vị"]
    totals = next(r for r in units.iter_rows() if r[0].value == "Tổng cộng")
    assert [str(c.value)[:5] for c in totals[1:]] == ["=SUM("] * 4
    listing = book["Danh sách"]
    cells = [c for row in listing.iter_rows() for c in row]
    injected = next(c for c in cells if isinstance(c.value, str) and "HYPERLINK" in c.value)
    assert injected.data_type == "s" and injected.value.startswith("=HYPERLINK")
    opened_on = next(c for c in cells if isinstance(c.value, datetime))
    assert opened_on.number_format == "dd/mm/yyyy"
    # Names sort by given name: Bình before Lan.
    names = [c.value for c in cells if c.column == 2 and c.row > 8 and c.value]
    assert names.index(INJECTED) < names.index("Nguyễn Thị Lan")
    overdue = book["Quá hạn"]
    assert any(c.value and "Bình" in str(c.value) for row in overdue.iter_rows() for c in row)


async def test_who_may_have_it(dw: DisciplineWorld) -> None:
    with pytest.raises(Forbidden):
        await discipline.period_report(dw.subject, Q1, None)
    with pytest.raises(NotFound):
        await discipline.period_report(dw.personnel, Q1, "KHONG-CO")
    with pytest.raises(NotFound):
        await discipline.period_report(dw.personnel, Q1, "P", "pdf")


async def test_over_http(client: Any, dw: DisciplineWorld) -> None:
    await _world(dw)
    await login(client, "tochuc")
    page = await client.get("/discipline")
    assert 'action="/discipline/report"' in page.text
    for fmt, kind in (("xlsx", "spreadsheetml"), ("html", "text/html"), ("docx", "wordprocessing")):
        response = await client.get(f"/discipline/report?period=2026-Q1&unit=P&format={fmt}")
        assert response.status_code == 200, response.text
        assert kind in response.headers["content-type"]
    bad = await client.get("/discipline/report?period=2026-Q9")
    assert bad.status_code == 400
