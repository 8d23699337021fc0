"""Điền ứng viên từ đề xuất in commune C: after Q3 is scored, the officials rated HTXS
on the year are proposed for CSTĐCS (the vote to come); the button adds them to the council session,
keeps one already typed in, lists the one with an open discipline case with its blocker
and does not add her; pressing it again adds nobody; each run is audited; a locked
session refuses it."""

from __future__ import annotations

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
