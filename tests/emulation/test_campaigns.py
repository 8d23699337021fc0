"""A thematic campaign in commune C (tests/emulation/conftest.py): the personnel office
launches "Đợt thi đua cao điểm cải cách hành chính quý III/2026" for 01/07–30/09/2026 with
three criteria (a mistyped date and no criterion are refused beside their field); the board
lists every official eligible or not with each criterion explained — one with an open
discipline case, one rated HTNV for Q3 — and who may read it."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import pytest
from congvu.inspect.audit.tables import AuditEvent
from congvu.inspect.emulation import api as emulation
from congvu.inspect.errors import Forbidden, NotFound
from congvu.rules.discipline_standing import DisciplineStanding

from tests.emulation.conftest import Commune
from tests.emulation.test_rating_http import as_user, post, score_all
from tests.worlds import ReviewWorld

pytestmark = pytest.mark.anyio
FORM = {
    "name": "Đợt thi đua cao điểm cải cách hành chính quý III/2026",
    "agency": "P-C",
    "starts_on": "01/07/2026",
    "ends_on": "30/09/2026",
    "c_no_confirmed_violation": "1",
    "c_last_quarter_at_least": "1",
    "level": "HTT",
    "c_no_discipline": "1",
}


async def test_a_campaign_board_with_every_reason(
    client: Any, rw: ReviewWorld, commune_c: Commune, standings: dict[int, DisciplineStanding]
) -> None:
    x, y = commune_c.x, commune_c.y
    await as_user(client, "tochuc")
    assert (await post(client, "/ratings/periods", period="2026-Q3")).status_code == 303
    await as_user(client, "head_c")
    await score_all(client, commune_c)
    # y[9] scored low (50%): HTNV for Q3 under the NĐ 335/2025 bands.
    low = await post(client, f"/ratings/2026-Q3/units/P-C/sheets/{y[9].id}", a=50, b=50, c=50)
    assert low.status_code == 303
    standings[x[1].id] = DisciplineStanding(x[1].id, open_case_since=date(2026, 9, 1))

    await as_user(client, "tochuc")
    bad = await post(client, "/ratings/campaigns", **{**FORM, "ends_on": "31/09/2026"})
    assert bad.status_code == 400 and 'id="error-ends_on"' in bad.text
    assert "Đợt thi đua cao điểm cải cách hành chính quý III/2026" in bad.text  # kept
    none = {k: v for k, v in FORM.items() if not k.startswith("c_")}
    refused = await post(client, "/ratings/campaigns", **none)
    assert refused.status_code == 400 and 'id="error-criteria"' in refused.text
    created = await post(client, "/ratings/campaigns", **FORM)
    assert created.status_code == 303, created.text
    campaign = int(re.findall(r"/ratings/campaigns/(\d+)", created.headers["location"])[0])

    officer = await rw.actor("tochuc")
    board = await emulation.campaign_board(officer, campaign)
    assert board["quarter"] == "2026-Q3" and len(board["officials"]) == 18
    rows = {o["official_id"]: o for o in board["officials"]}
    assert rows[x[0].id]["eligible"] and len(rows[x[0].id]["reasons_vi"]) == 3
    assert not rows[x[1].id]["eligible"]
    assert rows[x[1].id]["reasons_vi"][2] == (
        "Không bị kỷ luật, không có vụ việc kỷ luật đang xem xét: có vụ việc kỷ luật đang "
        "xem xét — Không đạt."
    )
    assert not rows[y[9].id]["eligible"]
    assert (
        "Xếp loại quý gần nhất: Hoàn thành nhiệm vụ (cần từ Hoàn thành tốt"
        in (rows[y[9].id]["reasons_vi"][1])
    )
    assert board["eligible"] == 16
    assert board["criteria_vi"][1] == "Xếp loại quý gần nhất: từ Hoàn thành tốt nhiệm vụ trở lên"
    page = await client.get(f"/ratings/campaigns/{campaign}")
    assert page.status_code == 200 and "16/18" in page.text
    listed = await client.get("/ratings/campaigns")
    assert f'href="/ratings/campaigns/{campaign}"' in listed.text
    assert await AuditEvent.exists().where(AuditEvent.action == "campaign.create")

    with pytest.raises(Forbidden):
        await emulation.campaign_board(await rw.actor("official_a"), campaign)
    with pytest.raises(NotFound):  # commune A's head does not see commune C's campaign
        await emulation.campaign_board(await rw.actor("head_a"), campaign)
