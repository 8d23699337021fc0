"""Điền ứng viên từ đề xuất in commune C: after Q3 is scored, the officials rated HTXS
on the year are proposed for CSTĐCS (the vote to come); the button adds them to the council session,
keeps one already typed in, lists the one with an open discipline case with its blocker
and does not add her; pressing it again adds nobody; each run is audited; a locked
session refuses it."""

from __future__ import annotations

import json
import re
from datetime import date
from typing import Any

import pytest
from congvu.inspect.audit.tables import AuditEvent
from congvu.inspect.emulation import api as emulation
from congvu.inspect.errors import Conflict
from congvu.rules.discipline_standing import DisciplineStanding

from tests.emulation.conftest import Commune
from tests.emulation.test_rating_http import as_user, post, score_all
from tests.worlds import ReviewWorld

pytestmark = pytest.mark.anyio


async def _session(client: Any) -> int:
    created = await post(client, "/council/sessions", agency="P-C", year=2026)
    assert created.status_code == 303, created.text
    return int(re.findall(r"/council/(\d+)", created.headers["location"])[0])


async def test_candidates_filled_from_the_years_proposals(
    client: Any, rw: ReviewWorld, commune_c: Commune, standings: dict[int, DisciplineStanding]
) -> None:
    x, y = commune_c.x, commune_c.y
    await as_user(client, "tochuc")
    assert (await post(client, "/ratings/periods", period="2026-Q3")).status_code == 303
    session = await _session(client)
    refused = await post(client, f"/council/{session}/candidates/fill")
    assert refused.status_code == 400 and "chưa được mở" in refused.text  # no year period yet
    assert (await post(client, "/ratings/periods", period="2026")).status_code == 303
    await as_user(client, "head_c")
    # Q3 proposes HTXS for x[0], x[1], x[2], y[0], y[1]; the group quota keeps x[0] and
    # x[1] of group X, and x[1]'s open case caps her: the year's HTXS are x[0], y[0], y[1].
    await score_all(client, commune_c)
    standings[x[1].id] = DisciplineStanding(x[1].id, open_case_since=date(2026, 8, 1))
    await as_user(client, "tochuc")
    typed = await post(client, f"/council/{session}/candidates", official=y[0].code, title="CSTDCS")
    assert typed.status_code == 303

    page = await post(client, f"/council/{session}/candidates/fill")
    assert page.status_code == 200, page.text
    officer = await rw.actor("tochuc")
    listed = {
        (r["official_id"], r["title"])
        for r in (await emulation.council_session(officer, session))["results"]
    }
    assert listed == {(o.id, "CSTDCS") for o in (x[0], y[0], y[1])}
    shown = page.text
    assert "Đã thêm từ đề xuất: 2" in shown and "đã có trong danh sách: 1" in shown
    for o in (x[0], y[1]):
        assert o.full_name in shown
    blocked = shown[shown.index("Không thêm vì đang có vướng mắc") :]
    assert x[1].full_name in blocked.split("</ul>")[0]
    assert "kỷ luật" in blocked.split("</ul>")[0]

    again = await emulation.fill_candidates(officer, session)
    assert again["added"] == [] and len(again["already"]) == 3
    assert [e["official_id"] for e in again["blocked"]] == [x[1].id]
    events = await AuditEvent.select(AuditEvent.after).where(
        AuditEvent.action == "council.candidates_filled", AuditEvent.object_id == str(session)
    )
    assert len(events) == 2

    await emulation.set_member(officer, session, x[3].code, "chair")
    await emulation.record_meeting(officer, session, None, "", {x[3].id: "present"})
    await emulation.lock_session(officer, session)
    with pytest.raises(Conflict, match="đã khóa"):
        await emulation.fill_candidates(officer, session)


async def test_cstd_tinh_offered_to_confirm_from_three_cstdcs_years(
    client: Any, rw: ReviewWorld, commune_c: Commune, standings: dict[int, DisciplineStanding]
) -> None:
    """x[0] is proposed for CSTĐCS in 2026 and received it in 2024 and 2025: three years in
    a row, so CSTĐ cấp tỉnh is offered "cần xác nhận" with the initiative's provincial scope
    named, and not added; y[1] received it in 2023 and 2025 only (2024 broken): not offered.
    Once typed in by hand, x[0] is no longer offered."""
    x, y = commune_c.x, commune_c.y
    await as_user(client, "tochuc")
    for period in ("2026-Q3", "2026"):
        assert (await post(client, "/ratings/periods", period=period)).status_code == 303
    session = await _session(client)
    await as_user(client, "head_c")
    await score_all(client, commune_c)
    officer = await rw.actor("tochuc")
    for who, year in ((x[0], 2024), (x[0], 2025), (y[1], 2023), (y[1], 2025)):
        await emulation.add_award(
            officer,
            {
                "official": who.code,
                "year": str(year),
                "form": "Chiến sĩ thi đua cơ sở",
                "decision_number": f"{year - 2000}/QĐ-UBND",
                "decided_on": f"15/01/{year + 1}",
                "issuer": "Chủ tịch UBND phường Cẩm Thành",
            },
        )
    await as_user(client, "tochuc")
    page = await post(client, f"/council/{session}/candidates/fill")
    assert page.status_code == 200, page.text
    listed = {
        (r["official_id"], r["title"])
        for r in (await emulation.council_session(officer, session))["results"]
    }
    assert listed == {(o.id, "CSTDCS") for o in (x[0], y[0], y[1])}  # nothing else added
    offered = page.text[page.text.index('id="to-confirm"') :].split("</ul>")[0]
    assert x[0].full_name in offered and y[1].full_name not in offered
    assert "Chiến sĩ thi đua cấp tỉnh: cần xác nhận" in offered
    assert "(2024, 2025, 2026)" in offered and "nhân rộng trong tỉnh" in offered

    again = await emulation.fill_candidates(officer, session)
    assert [(e["official_id"], e["title"]) for e in again["to_confirm"]] == [(x[0].id, "CSTD_TINH")]
    assert again["to_confirm"][0]["to_confirm_vi"] == [
        "sáng kiến (hoặc đề tài khoa học) được áp dụng hiệu quả, có khả năng nhân rộng trong "
        "tỉnh, do Chủ tịch UBND tỉnh công nhận"
    ]
    await emulation.add_candidate(officer, session, x[0].code, "CSTD_TINH")
    assert (await emulation.fill_candidates(officer, session))["to_confirm"] == []
    (event, *_) = (
        await AuditEvent.select(AuditEvent.after)
        .where(
            AuditEvent.action == "council.candidates_filled", AuditEvent.object_id == str(session)
        )
        .order_by(AuditEvent.id)
    )
    after = event["after"] if isinstance(event["after"], dict) else json.loads(event["after"])
    assert after["to_confirm"] == [[x[0].id, "CSTD_TINH"]]
