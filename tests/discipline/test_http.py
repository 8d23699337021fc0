"""End to end over HTTP, as the personnel office and the subject use it: a confirmed
finding becomes a case, goes through every step with its deadlines and is decided as
khiển trách; ``standings()`` then returns the decision in force; a refused form comes
back with its message beside the field; a deferral moves the deadlines by its length; a
case past its limitation cannot proceed and says why. The organisation's "today" is
moved by hand (``clock.today``)."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import pytest
from congvu.inspect import clock
from congvu.inspect.discipline import api as discipline
from congvu.rules.discipline import Form

from tests.conftest import login
from tests.discipline.conftest import D, DisciplineWorld, confirmed_finding

pytestmark = pytest.mark.anyio


class Today:
    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.day = D(2026, 3, 5)
        monkeypatch.setattr(clock, "today", lambda: self.day)


async def post(client: Any, path: str, today: Today, day: date, **fields: str) -> Any:
    today.day = day
    data = {"_csrf_token": client.cookies.get("csrftoken", ""), **fields}
    return await client.post(path, data=data, follow_redirects=False)


async def open_over_http(client: Any, dw: DisciplineWorld, today: Today) -> int:
    finding = await confirmed_finding(dw.rw)
    await login(client, "tochuc")
    await client.get("/discipline")
    response = await post(
        client, "/discipline", today, D(2026, 3, 5), finding_ids=str(finding), merited="KHIEN_TRACH"
    )
    assert response.status_code == 303, response.text
    match = re.fullmatch(r"/discipline/(\d+)", response.headers["location"])
    assert match
    return int(match.group(1))


async def test_a_finding_becomes_a_decision_in_force(
    client: Any, dw: DisciplineWorld, monkeypatch: pytest.MonkeyPatch
) -> None:
    today = Today(monkeypatch)
    case = await open_over_http(client, dw, today)
    page = await client.get(f"/discipline/{case}")
    assert page.status_code == 200
    assert "Nguyễn Thị Lan" in page.text and "còn trong thời hiệu" in page.text
    assert "Ghi bước tiếp theo" in page.text and "Họp kiểm điểm" in page.text

    # A refused form is re-rendered with its message beside the field.
    refused = await post(
        client,
        f"/discipline/{case}/steps/review_meeting",
        today,
        D(2026, 3, 9),
        done_on="2026-03-09",
        note="",
    )
    assert refused.status_code == 400
    assert 'id="error-review_meeting-note"' in refused.text
    assert "Hãy tóm tắt biên bản họp kiểm điểm" in refused.text

    base = f"/discipline/{case}/steps"
    steps = [
        ("review_meeting", D(2026, 3, 9), {"note": "Đã tự kiểm điểm; được trình bày ý kiến"}),
        ("report_sent", D(2026, 3, 11), {}),
        (
            "council_set_up",
            D(2026, 3, 16),
            {
                "member_1_name": "Hoàng Văn Nam",
                "member_1_duty": "Chủ tịch Hội đồng",
                "member_2_name": "Đỗ Thị Hoa",
                "member_2_duty": "Ủy viên",
                "member_3_name": "Vũ Minh Tuấn",
                "member_3_duty": "Ủy viên kiêm Thư ký",
            },
        ),
        ("summoned", D(2026, 3, 17), {"meeting_on": "2026-03-25"}),
        ("recommended", D(2026, 3, 25), {"form": "KHIEN_TRACH"}),
        (
            "decided",
            D(2026, 3, 27),
            {
                "form": "KHIEN_TRACH",
                "number": "15/QĐ-UBND",
                "signer": "Nguyễn Văn Chủ tịch",
                "duty_related": "on",
            },
        ),
        ("notified", D(2026, 3, 30), {}),
    ]
    for stage, day, fields in steps:
        response = await post(
            client, f"{base}/{stage}", today, day, done_on=day.isoformat(), **fields
        )
        assert response.status_code == 303, (stage, response.text[-2000:])
    page = await client.get(f"/discipline/{case}")
    for shown in ("12/03/2026", "18/03/2026", "01/04/2026", "15/QĐ-UBND", "khiển trách"):
        assert shown in page.text
    listing = await client.get("/discipline")
    assert listing.status_code == 200 and "Thông báo quyết định" in listing.text

    a = dw.rw.world.official_a.id
    (decision,) = (await discipline.standings([a], D(2026, 1, 1), D(2026, 12, 31)))[a].decisions
    assert (decision.form, decision.effective_on, decision.ends_on) == (
        Form.KHIEN_TRACH,
        D(2026, 3, 27),
        D(2027, 3, 27),
    )

    # The subject sees their case, their rights, and appeals.
    await login(client, "official_a")
    mine = await client.get("/my-discipline")
    assert mine.status_code == 200 and f"/discipline/{case}" in mine.text
    own = await client.get(f"/discipline/{case}")
    assert (
        own.status_code == 200 and "Quyền của anh/chị" in own.text and "Gửi khiếu nại" in own.text
    )
    assert "Ghi bước tiếp theo" not in own.text
    appeal = await post(
        client,
        f"/discipline/{case}/appeals",
        today,
        D(2026, 4, 1),
        text="Tôi đến muộn vì đưa con đi cấp cứu.",
    )
    assert appeal.status_code == 303
    await login(client, "official_b")
    assert (await client.get(f"/discipline/{case}")).status_code == 404


async def test_a_deferral_moves_the_deadlines_over_http(
    client: Any, dw: DisciplineWorld, monkeypatch: pytest.MonkeyPatch
) -> None:
    today = Today(monkeypatch)
    case = await open_over_http(client, dw, today)
    await post(
        client,
        f"/discipline/{case}/steps/review_meeting",
        today,
        D(2026, 3, 9),
        done_on="2026-03-09",
        note="Biên bản họp",
    )
    before = await client.get(f"/discipline/{case}")
    assert "12/03/2026" in before.text and "02/06/2026" in before.text
    response = await post(
        client,
        f"/discipline/{case}/steps/deferral",
        today,
        D(2026, 3, 10),
        reason="maternity",
        start="2026-03-10",
        end="2026-03-19",
    )
    assert response.status_code == 303
    after = await client.get(f"/discipline/{case}")
    # Ten days deferred: 12/03 → 22/03, 02/06 → 12/06.
    assert "22/03/2026" in after.text and "12/06/2026" in after.text
    assert "Không tính 10 ngày tạm hoãn" in after.text


async def test_past_its_limitation_a_case_says_why(
    client: Any, dw: DisciplineWorld, monkeypatch: pytest.MonkeyPatch
) -> None:
    today = Today(monkeypatch)
    await login(client, "tochuc")
    await client.get("/discipline")
    response = await post(
        client,
        "/discipline",
        today,
        D(2026, 3, 5),
        official_id=str(dw.rw.world.official_a.id),
        description="Sử dụng xe công vào việc riêng",
        violation_on="2020-01-10",
        merited="KHIEN_TRACH",
    )
    assert response.status_code == 303
    case = int(response.headers["location"].rsplit("/", 1)[1])
    refused = await post(
        client,
        f"/discipline/{case}/steps/review_meeting",
        today,
        D(2026, 3, 6),
        done_on="2026-03-06",
        note="Biên bản",
    )
    assert refused.status_code == 409
    assert "Không thể tiếp tục xử lý" in refused.text and "đã hết thời hiệu" in refused.text
    missing = await post(client, "/discipline", today, D(2026, 3, 5), merited="KHIEN_TRACH")
    assert missing.status_code == 400 and 'id="error-official_id"' in missing.text
