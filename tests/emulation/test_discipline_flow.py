"""Discipline decisions flow into the year's rating and titles, end to end over HTTP with
the real source (no fake standings): a confirmed finding becomes a case, goes through
every step and is decided as a duty-related khiển trách, which caps its holder's year at
KHT and takes away LĐTT and CSTĐCS with the reason in Vietnamese; an open case blocks the
titles (NĐ 152/2025 Art. 4.4); an annulled decision lifts the cap; a member at cảnh cáo
costs the collective Tập thể LĐTT. Commune C is rated as in tests/emulation/conftest.py;
the organisation's "today" moves by hand."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import pytest
from congvu.inspect import clock
from congvu.inspect.organisation.tables import Official
from congvu.inspect.review import api as review
from congvu.inspect.review.api import Command

from tests import builders
from tests.conftest import login
from tests.emulation.conftest import TODAY, Commune, at, lock_by_job
from tests.emulation.test_rating_http import as_user, board, row, score_all
from tests.worlds import MONDAY, ReviewWorld

pytestmark = pytest.mark.anyio
D = date


class Today:
    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.day = TODAY
        monkeypatch.setattr(clock, "today", lambda: self.day)


async def send(client: Any, path: str, today: Today, day: date, **fields: Any) -> Any:
    today.day = day
    data = {"_csrf_token": client.cookies.get("csrftoken", "")}
    data.update({k: str(v) for k, v in fields.items()})
    response = await client.post(path, data=data, follow_redirects=False)
    assert response.status_code == 303, (path, response.text[-2000:])
    return response


async def confirmed_finding(rw: ReviewWorld, official: Official) -> int:
    """A late arrival of ``official`` (23/02/2026), confirmed by commune A's head on 04/03."""
    finding = await rw.finding(official, "LATE_ARRIVAL")
    head = await rw.actor("head_a")
    await review.transition(head, finding, Command("notify"), now=MONDAY)
    await review.transition(head, finding, Command("waive", reason="Không giải trình"), now=MONDAY)
    await review.transition(
        head, finding, Command("confirm", reason="Đã đối chiếu"), now=at(D(2026, 3, 4))
    )
    return finding


async def open_case(client: Any, today: Today, official: Official, **how: Any) -> int:
    response = await send(client, "/discipline", today, D(2026, 3, 5), **how)
    match = re.fullmatch(r"/discipline/(\d+)", response.headers["location"])
    assert match
    return int(match.group(1))


async def decide(client: Any, today: Today, case: int, form: str) -> None:
    """Every step of NĐ 172/2025, decided as ``form`` (duty-related) on 27/03/2026."""
    steps: list[tuple[str, date, dict[str, str]]] = [
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
        ("recommended", D(2026, 3, 25), {"form": form}),
        (
            "decided",
            D(2026, 3, 27),
            {"form": form, "number": f"{case}/QĐ-UBND", "signer": "Nguyễn Văn Chủ tịch",
             "duty_related": "on"},
        ),
        ("notified", D(2026, 3, 30), {}),
    ]  # fmt: skip
    for stage, day, fields in steps:
        await send(
            client,
            f"/discipline/{case}/steps/{stage}",
            today,
            day,
            done_on=day.isoformat(),
            **fields,
        )


def title(r: dict[str, Any], name: str) -> dict[str, Any]:
    return next(t for t in r["titles"] if t["title"] == name)


async def test_discipline_caps_the_year_and_blocks_the_titles(
    client: Any, rw: ReviewWorld, commune_c: Commune, monkeypatch: pytest.MonkeyPatch
) -> None:
    today = Today(monkeypatch)
    capped, warned, pending = commune_c.y[5], commune_c.y[6], commune_c.y[0]
    await as_user(client, "tochuc")
    for period in ("2026-Q3", "2026"):
        await send(client, "/ratings/periods", today, TODAY, period=period)

    # A confirmed finding becomes a khiển trách; a case by hand becomes a cảnh cáo; a
    # third case stays open.
    finding = await confirmed_finding(rw, capped)
    await client.get("/discipline")
    reprimand = await open_case(client, today, capped, finding_ids=finding, merited="KHIEN_TRACH")
    await decide(client, today, reprimand, "KHIEN_TRACH")
    warning = await open_case(
        client, today, warned, official_id=warned.id, description="Tự ý bỏ vị trí công tác",
        violation_on="2026-03-02", merited="CANH_CAO",
    )  # fmt: skip
    await decide(client, today, warning, "CANH_CAO")
    await open_case(
        client, today, pending, official_id=pending.id, description="Chậm trả hồ sơ",
        violation_on="2026-03-03", merited="KHIEN_TRACH",
    )  # fmt: skip

    today.day = TODAY
    await as_user(client, "head_c")
    await score_all(client, commune_c)
    await as_user(client, "tochuc")
    today.day = TODAY
    await lock_by_job(client, "2026-Q3")
    rated = await client.put(
        "/api/v1/emulation/collectives/P-C/2026",
        json={"level": "HTT"},
        headers={"x-csrftoken": client.cookies.get("csrftoken", "")},
    )
    assert rated.status_code == 200, rated.text

    year = await board(client, "2026", "P-C")
    r = row(year, capped)
    assert (r["level"], r["capped"]) == ("KHT", ["DISCIPLINE"])
    assert r["proposed_titles"] == [] and "DISCIPLINE_PERIOD" in r["blockers"]
    reasons = " ".join(r["reasons_vi"])
    assert (
        "thuộc mức Hoàn thành tốt nhiệm vụ. Xếp loại Không hoàn thành nhiệm vụ vì bị xử lý"
        in reasons
    )
    assert "/" not in reasons.split("điểm")[0]  # the score reads as a decimal
    assert "đang trong thời gian kỷ luật" in title(r, "LDTT")["explanation_vi"]
    assert "đang trong thời gian kỷ luật" in title(r, "CSTDCS")["explanation_vi"]

    open_row = row(year, pending)
    assert open_row["level"] in ("HTXS", "HTT") and open_row["proposed_titles"] == []
    assert open_row["blockers"] == ["OPEN_DISCIPLINE_CASE"]
    assert "đang bị xem xét xử lý kỷ luật" in title(open_row, "LDTT")["explanation_vi"]

    ldtt = next(t for t in year["collective"]["titles"] if t["title"] == "TAP_THE_LDTT")
    assert not ldtt["eligible"] and "MEMBER_DISCIPLINED" in ldtt["reasons"]
    assert "có cá nhân bị kỷ luật từ hình thức cảnh cáo trở lên" in ldtt["explanation_vi"]

    # The subject appeals; the decision is annulled; the cap is lifted.
    subject = await builders.account("capped_c", role="official", unit="P-C", official=capped)
    await login(client, subject.username)
    await send(
        client, f"/discipline/{reprimand}/appeals", today, D(2026, 4, 1),
        text="Tôi đến muộn vì đưa con đi cấp cứu.",
    )  # fmt: skip
    await as_user(client, "tochuc")
    page = (await client.get(f"/discipline/{reprimand}")).text
    appeal = int(re.findall(rf"/discipline/{reprimand}/appeals/(\d+)", page)[0])
    await send(
        client, f"/discipline/{reprimand}/appeals/{appeal}", today, D(2026, 4, 20),
        outcome="annulled", reason="Có lý do chính đáng, đã được xác minh",
    )  # fmt: skip
    today.day = TODAY
    after = row(await board(client, "2026", "P-C"), capped)
    assert (after["level"], after["capped"]) == ("HTT", [])
    assert "DISCIPLINE_PERIOD" not in after["blockers"]
    assert "bị xử lý kỷ luật" not in " ".join(after["reasons_vi"])
