"""The printable minutes (biên bản kiểm tra) in the NĐ 30/2020 layout."""

from __future__ import annotations

import re
from datetime import date, datetime

import pytest
from congvu.inspect import clock
from congvu.inspect.inspections.services.minutes import vn_date_line

from tests.conftest import login
from tests.inspections.conftest import lead_signature, record, send, start_record, submit_record
from tests.screen_text import assert_no_internal_codes

pytestmark = pytest.mark.anyio


@pytest.mark.parametrize(
    ("day", "line"),
    [
        (date(2026, 3, 5), "ngày 05 tháng 3 năm 2026"),
        (date(2026, 2, 15), "ngày 15 tháng 02 năm 2026"),
        (date(2026, 1, 1), "ngày 01 tháng 01 năm 2026"),
        (date(2026, 11, 22), "ngày 22 tháng 11 năm 2026"),
    ],
)
def test_the_date_line_pads_days_below_10_and_january_february(day: date, line: str) -> None:
    assert vn_date_line(day) == line


async def test_submitted_minutes_show_header_attendance_findings_and_signatures(client, iw) -> None:
    await login(client, "inspector")
    results = await send(
        client,
        start_record(iw),
        record(
            "attendance",
            iw.inspection.id,
            {
                "official_id": iw.world.official_a.id,
                "status": "late",
                "arrival_time": "08:21",
                "observed_at": iw.at(8, 30),
            },
        ),
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
        record(
            "signature",
            iw.inspection.id,
            {
                "role": "unit_representative",
                "name": "Trần Văn Hùng",
                "refused": True,
                "witness_name": "Lê Thị Mai",
            },
        ),
        # The head of the ward was not marked: the team lead confirms it at submit.
        submit_record(iw, [i for i in iw.roster if i != iw.world.official_a.id]),
    )
    assert [r["status"] for r in results] == ["created"] * 6, results
    number = results[-1]["record"]["minutes_number"]
    page = await client.get(f"/inspections/{iw.inspection.id}/minutes")
    assert page.status_code == 200
    html = page.text
    assert "Cộng hòa xã hội chủ nghĩa Việt Nam" in html
    assert "Độc lập - Tự do - Hạnh phúc" in html
    assert f"Số: {number}" in html
    assert vn_date_line(iw.day) in html
    assert "TỈNH THỬ NGHIỆM" in html
    assert "BIÊN BẢN KIỂM TRA" in html
    assert (
        "Không điểm danh (1 người, Trưởng đoàn đã xác nhận khi nộp biên bản): Trần Văn Hùng."
        in html
    )
    # The A4 layout is in its own stylesheet (the CSP allows no inline style).
    assert '<link rel="stylesheet" href="/static/css/minutes.css">' in html
    css = (await client.get("/static/css/minutes.css")).text
    assert "Times New Roman" in css and "size: A4" in css
    assert "Nguyễn Thị Lan" in html
    assert "muộn 51 phút" in html
    assert "Không niêm yết số điện thoại đường dây nóng" in html
    # People read the act and the legal text; rule ids and codes stay in the database.
    assert "(phiên bản 2025.1)" in html
    assert "Căn cứ: QĐ 188/1999/QĐ-TTg, Điều 1; CT 05/2008/CT-TTg" in html
    assert_no_internal_codes(html)
    assert "Phạm Văn Trưởng" in html
    assert "Từ chối ký; người làm chứng: Lê Thị Mai" in html
    assert "Bản nháp" not in html


async def test_the_minutes_state_the_verdict_and_when_they_were_finished(client, iw) -> None:
    await login(client, "inspector")
    results = await send(
        client,
        start_record(iw),
        # Marked "late" on the tablet, but 07:25 is before the 07:30 start: on time.
        record(
            "attendance",
            iw.inspection.id,
            {
                "official_id": iw.world.official_a.id,
                "status": "late",
                "arrival_time": "07:25",
                "observed_at": iw.at(8, 30),
            },
        ),
        lead_signature(iw),
        submit_record(iw),
    )
    assert [r["status"] for r in results] == ["created"] * 4, results
    html = (await client.get(f"/inspections/{iw.inspection.id}/minutes")).text
    row = re.search(r"<tr><td class=\"n\">1</td>.*?</tr>", html, re.S)
    assert row is not None
    assert "<td>Có mặt</td>" in row.group(0)
    assert "đúng giờ" in row.group(0)
    assert "Đi muộn" not in row.group(0)
    submitted = datetime.fromisoformat(results[-1]["record"]["submitted_at"])
    local = submitted.astimezone(clock.zone())
    finished = f"lập xong hồi {local:%H} giờ {local:%M} phút, ngày {local:%d/%m/%Y}"
    assert finished in html
    assert "….. giờ" not in html
    assert "ngoài ngày, giờ làm việc" not in html


async def test_the_unit_head_reads_the_minutes_once_submitted_but_not_a_draft(client, iw) -> None:
    await login(client, "head_a")
    assert (await client.get(f"/inspections/{iw.inspection.id}/minutes")).status_code == 404
    await login(client, "head_b")
    assert (await client.get(f"/inspections/{iw.inspection.id}/minutes")).status_code == 404
    await login(client, "inspector")
    draft = await client.get(f"/inspections/{iw.inspection.id}/minutes")
    assert "Bản nháp" in draft.text


async def test_the_team_lead_closes_submitted_minutes(client, iw) -> None:
    from congvu.inspect.inspections.tables import Inspection

    from tests.conftest import csrf

    await login(client, "inspector")
    await send(client, start_record(iw), lead_signature(iw), submit_record(iw))
    url = f"/inspections/{iw.inspection.id}/close"
    assert (await client.post(url, headers=csrf(client))).status_code == 403
    await login(client, "lead")
    page = await client.get(f"/inspections/{iw.inspection.id}/minutes")
    assert "Kết thúc cuộc kiểm tra" in page.text
    closed = await client.post(url, headers=csrf(client), follow_redirects=False)
    assert closed.status_code == 303
    row = await Inspection.select(Inspection.status).where(Inspection.id == iw.inspection.id)
    assert row[0]["status"] == "closed"
    await login(client, "inspector")
    assert (await client.get("/api/v1/inspections/assigned")).json() == []
