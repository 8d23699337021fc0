"""Proposals and versions of a thematic campaign in commune C (tests/emulation/conftest.py):
the personnel office proposes eligible officials from the board, is refused one with an open
discipline case (the page says which criterion is not met), withdraws a proposal with a
reason; locking freezes the board and the proposals, so a violation confirmed after the
lock leaves version 1 unchanged; reopening needs a reason, the next lock writes version 2
and version 1 stays readable."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import pytest
from congvu.inspect.audit.tables import AuditEvent
from congvu.inspect.emulation import api as emulation
from congvu.rules.campaign import RULES_VERSION
from congvu.rules.discipline_standing import DisciplineStanding

from tests.emulation.conftest import Commune, confirmed
from tests.emulation.test_rating_http import as_user, post
from tests.worlds import ReviewWorld

pytestmark = pytest.mark.anyio
FORM = {
    "name": "Đợt thi đua cao điểm cải cách hành chính quý III/2026",
    "agency": "P-C",
    "starts_on": "01/07/2026",
    "ends_on": "30/09/2026",
    "c_no_confirmed_violation": "1",
    "c_no_discipline": "1",
}


async def propose(client: Any, campaign: int, *officials: int) -> Any:
    data = {"_csrf_token": client.cookies.get("csrftoken"), "official": [str(o) for o in officials]}
    return await client.post(
        f"/ratings/campaigns/{campaign}/proposals", data=data, follow_redirects=False
    )


def rows(board: dict[str, Any]) -> dict[int, dict[str, Any]]:
    return {o["official_id"]: o for o in board["officials"]}


async def test_propose_withdraw_lock_and_reopen(
    client: Any, rw: ReviewWorld, commune_c: Commune, standings: dict[int, DisciplineStanding]
) -> None:
    x = commune_c.x
    standings[x[1].id] = DisciplineStanding(x[1].id, open_case_since=date(2026, 9, 1))
    await as_user(client, "tochuc")
    created = await post(client, "/ratings/campaigns", **FORM)
    assert created.status_code == 303, created.text
    campaign = int(re.findall(r"/ratings/campaigns/(\d+)", created.headers["location"])[0])
    page = await client.get(f"/ratings/campaigns/{campaign}")
    assert 'id="propose-form"' in page.text
    assert f'name="official" value="{x[0].id}"' in page.text
    assert f'name="official" value="{x[1].id}"' not in page.text  # not eligible: no box

    assert (await propose(client, campaign, x[0].id, x[2].id)).status_code == 303
    refused = await propose(client, campaign, x[3].id, x[1].id)
    assert refused.status_code == 409 and 'id="error-official"' in refused.text
    assert "Trần Thị Cúc chưa đủ điều kiện đề nghị Giấy khen của đợt thi đua" in refused.text
    assert "có vụ việc kỷ luật đang xem xét — Không đạt." in refused.text
    assert (await propose(client, campaign)).status_code == 400
    officer = await rw.actor("tochuc")
    board = await emulation.campaign_board(officer, campaign)
    assert [p["official_id"] for p in board["proposals"]] == [x[0].id, x[2].id]  # x[3] too: none

    no_reason = await post(client, f"/ratings/campaigns/{campaign}/proposals/{x[2].id}/withdraw")
    assert no_reason.status_code == 400
    withdrawn = await post(
        client,
        f"/ratings/campaigns/{campaign}/proposals/{x[2].id}/withdraw",
        reason="Đã được khen thưởng đột xuất trong đợt",
    )
    assert withdrawn.status_code == 303
    page = await client.get(f"/ratings/campaigns/{campaign}")
    listed = page.text[page.text.index('id="campaign-proposals"') :]
    assert "Nguyễn Văn Bình" in listed and "Đã được khen thưởng đột xuất trong đợt" in listed
    for action in ("campaign.propose", "campaign.withdraw"):
        assert await AuditEvent.exists().where(AuditEvent.action == action)

    # Lock: version 1 freezes the board and the proposals.
    assert (await post(client, f"/ratings/campaigns/{campaign}/lock")).status_code == 303
    assert (await post(client, f"/ratings/campaigns/{campaign}/lock")).status_code == 409
    locked = await emulation.campaign_board(officer, campaign)
    assert locked["frozen"] and locked["shown_version"] == 1
    assert locked["rules"]["campaign"] == RULES_VERSION and len(locked["data_hash"]) == 64
    assert [p["official_id"] for p in locked["proposals"]] == [x[0].id]
    # A violation confirmed after the lock does not change the locked board...
    await confirmed(rw, x[0], "LATE_ARRIVAL", date(2026, 8, 3), date(2026, 8, 20))
    again = await emulation.campaign_board(officer, campaign)
    assert again["officials"] == locked["officials"] and rows(again)[x[0].id]["eligible"]
    assert again["eligible"] == 17
    # ...and a locked campaign's proposals do not change.
    assert (await propose(client, campaign, x[4].id)).status_code == 409
    closed = await post(
        client, f"/ratings/campaigns/{campaign}/proposals/{x[0].id}/withdraw", reason="Thử"
    )
    assert closed.status_code == 409

    # Reopen (a reason is needed) → version 2, computed again; version 1 stays readable.
    assert (await post(client, f"/ratings/campaigns/{campaign}/reopen")).status_code == 400
    reopened = await post(
        client, f"/ratings/campaigns/{campaign}/reopen", reason="Bổ sung vi phạm đã xác nhận"
    )
    assert reopened.status_code == 303
    live = await emulation.campaign_board(officer, campaign)
    assert not live["frozen"] and live["version"] == 2
    assert not rows(live)[x[0].id]["eligible"] and live["eligible"] == 16
    assert (await post(client, f"/ratings/campaigns/{campaign}/lock")).status_code == 303
    second = await emulation.campaign_board(officer, campaign)
    assert second["shown_version"] == 2 and second["data_hash"] != locked["data_hash"]
    assert second["proposals"][0]["eligible"] is False  # proposed, no longer eligible
    first = await emulation.campaign_board(officer, campaign, 1)
    assert first["officials"] == locked["officials"] and first["data_hash"] == locked["data_hash"]
    old = await client.get(f"/ratings/campaigns/{campaign}?version=1")
    assert old.status_code == 200 and 'id="frozen-note"' in old.text
    assert 'id="version-selector"' in old.text and "17/18" in old.text
    assert "Bổ sung vi phạm đã xác nhận" in old.text
    current = await client.get(f"/ratings/campaigns/{campaign}")
    assert "16/18" in current.text and "không còn đủ điều kiện lúc khóa" in current.text
    assert (await client.get(f"/ratings/campaigns/{campaign}?version=3")).status_code == 404
    for action in ("campaign.lock", "campaign.reopen"):
        assert await AuditEvent.exists().where(AuditEvent.action == action)

    # A unit head reads the board but neither proposes nor locks.
    await as_user(client, "head_c")
    seen = await client.get(f"/ratings/campaigns/{campaign}")
    assert seen.status_code == 200 and 'id="campaign-lock"' not in seen.text
    assert (await propose(client, campaign, x[5].id)).status_code == 403
