"""Collectives of a thematic campaign in commune C (tests/emulation/conftest.py): the commune
is the campaign's one collective, 18 members, judged on the campaign's criteria read for a
group with the default share of members eligible (70%). The personnel office proposes it,
withdraws the proposal only with a reason and proposes it again; locking freezes the
collective's verdict and its proposal, so a violation confirmed after the lock shows only
in version 2 (the collective is then refused with the criterion not met), and version 1
stays readable — as does a version locked before collectives were judged."""

from __future__ import annotations

import json
import re
from datetime import date
from typing import Any

import pytest
from congvu.inspect.audit.tables import AuditEvent
from congvu.inspect.emulation import api as emulation
from congvu.inspect.emulation.tables import CampaignVersion
from congvu.inspect.organisation.tables import Unit

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
SHARE = "Tỷ lệ thành viên đủ điều kiện của đợt: {}/18 thành viên = {} (cần ≥ 70%) — {}."


async def propose(client: Any, campaign: int, *units: object) -> Any:
    data = {"_csrf_token": client.cookies.get("csrftoken"), "unit": [str(u) for u in units]}
    return await client.post(
        f"/ratings/campaigns/{campaign}/collectives", data=data, follow_redirects=False
    )


async def test_collectives_proposed_withdrawn_and_frozen_with_the_lock(
    client: Any, rw: ReviewWorld, commune_c: Commune
) -> None:
    unit = int((await Unit.select(Unit.id).where(Unit.code == "P-C").first())["id"])
    await as_user(client, "tochuc")
    created = await post(client, "/ratings/campaigns", **FORM)
    assert created.status_code == 303, created.text
    campaign = int(re.findall(r"/ratings/campaigns/(\d+)", created.headers["location"])[0])
    officer = await rw.actor("tochuc")
    board = await emulation.campaign_board(officer, campaign)
    assert [(c["name"], c["members"], c["eligible"]) for c in board["collectives"]] == [
        ("Phường Cẩm Thành", 18, True)
    ]
    assert board["collectives"][0]["reasons_vi"] == [
        SHARE.format(18, "100%", "Đạt"),
        "Không thành viên nào có vi phạm được xác nhận trong đợt: không có — Đạt.",
        "Không thành viên nào bị kỷ luật hoặc có vụ việc kỷ luật đang xem xét: không có — Đạt.",
    ]
    page = await client.get(f"/ratings/campaigns/{campaign}")
    assert 'id="collective-board"' in page.text and 'id="collectives-eligible">1/1' in page.text
    assert f'name="unit" value="{unit}"' in page.text

    assert (await propose(client, campaign)).status_code == 400
    assert (await propose(client, campaign, "abc")).status_code == 404
    assert (await propose(client, campaign, 999999)).status_code == 404
    assert (await propose(client, campaign, unit)).status_code == 303
    withdraw = f"/ratings/campaigns/{campaign}/collectives/{unit}/withdraw"
    no_reason = await post(client, withdraw)
    assert no_reason.status_code == 400 and "Rút đề nghị phải ghi rõ lý do." in no_reason.text
    assert (await post(client, withdraw, reason="Đề nghị ở đợt khác")).status_code == 303
    page = await client.get(f"/ratings/campaigns/{campaign}")
    listed = page.text[page.text.index('id="collective-proposals"') :]
    assert "Đề nghị ở đợt khác" in listed
    assert (await post(client, withdraw, reason="Lần nữa")).status_code == 404
    assert (await propose(client, campaign, unit)).status_code == 303  # proposed again
    assert (await propose(client, campaign, unit)).status_code == 303  # already: nothing new
    for action in ("campaign.propose_collective", "campaign.withdraw_collective"):
        assert await AuditEvent.exists().where(AuditEvent.action == action)

    # Version 1 freezes the collective's verdict and its proposal.
    assert (await post(client, f"/ratings/campaigns/{campaign}/lock")).status_code == 303
    locked = await emulation.campaign_board(officer, campaign)
    assert locked["shown_version"] == 1 and locked["collectives_eligible"] == 1
    assert locked["collective_proposals"] == [
        {"unit_id": unit, "name": "Phường Cẩm Thành", "eligible": True}
    ]
    assert (await propose(client, campaign, unit)).status_code == 409
    assert (await post(client, withdraw, reason="Thử")).status_code == 409
    x = commune_c.x
    await confirmed(rw, x[0], "LATE_ARRIVAL", date(2026, 8, 3), date(2026, 8, 20))
    again = await emulation.campaign_board(officer, campaign)
    assert again["collectives"] == locked["collectives"]

    # Reopened: the violation shows, and the collective is no longer eligible.
    reopened = await post(
        client, f"/ratings/campaigns/{campaign}/reopen", reason="Bổ sung vi phạm đã xác nhận"
    )
    assert reopened.status_code == 303
    live = (await emulation.campaign_board(officer, campaign))["collectives"][0]
    assert not live["eligible"]
    assert live["reasons_vi"][:2] == [
        SHARE.format(17, "94,44%", "Đạt"),
        "Không thành viên nào có vi phạm được xác nhận trong đợt: có 1 vi phạm được xác nhận"
        " — Không đạt.",
    ]
    refused = await propose(client, campaign, unit)
    assert refused.status_code == 409 and 'id="error-unit"' in refused.text
    assert "Tập thể Phường Cẩm Thành chưa đủ điều kiện đề nghị Giấy khen" in refused.text
    assert "có 1 vi phạm được xác nhận — Không đạt." in refused.text
    assert (await post(client, f"/ratings/campaigns/{campaign}/lock")).status_code == 303
    second = await emulation.campaign_board(officer, campaign)
    assert second["shown_version"] == 2 and second["collectives_eligible"] == 0
    assert second["collective_proposals"][0]["eligible"] is False
    first = await emulation.campaign_board(officer, campaign, 1)
    assert first["collectives"] == locked["collectives"] and first["collectives_eligible"] == 1
    old = await client.get(f"/ratings/campaigns/{campaign}?version=1")
    assert old.status_code == 200 and 'id="collectives-eligible">1/1' in old.text
    current = await client.get(f"/ratings/campaigns/{campaign}")
    assert 'id="collectives-eligible">0/1' in current.text
    assert "không còn đủ điều kiện lúc khóa" in current.text

    # A version locked before collectives were judged has none, and says so.
    key = f"{campaign}:1"
    row = (
        await CampaignVersion.select(CampaignVersion.snapshot)
        .where(CampaignVersion.key == key)
        .first()
    )
    snapshot = json.loads(row["snapshot"])
    del snapshot["collective_proposals"]
    for name in ("collectives", "collectives_eligible"):
        del snapshot["board"][name]
    await CampaignVersion.update({CampaignVersion.snapshot: json.dumps(snapshot)}).where(
        CampaignVersion.key == key
    )
    earlier = await emulation.campaign_board(officer, campaign, 1)
    assert earlier["collectives"] == [] and earlier["collective_proposals"] == []
    shown = await client.get(f"/ratings/campaigns/{campaign}?version=1")
    assert shown.status_code == 200
    assert "Phiên bản này được khóa trước khi xét tập thể." in shown.text

    # A unit head reads the collectives but does not propose them.
    await as_user(client, "head_c")
    seen = await client.get(f"/ratings/campaigns/{campaign}")
    assert seen.status_code == 200 and 'id="collective-board"' in seen.text
    assert 'id="propose-collective-form"' not in seen.text
    assert (await propose(client, campaign, unit)).status_code == 403
