"""The review pages and the JSON API as people use them."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from congvu.inspect.audit.tables import AuditEvent
from congvu.inspect.inspections.tables import Finding
from congvu.inspect.review import api as review
from congvu.inspect.review.api import Command
from congvu.inspect.review.tables import Explanation, ExplanationEvidence

from tests import builders
from tests.conftest import csrf, login
from tests.worlds import ReviewWorld

pytestmark = pytest.mark.anyio

PNG = builders.png()


async def _notified(rw: ReviewWorld, code: str = "LATE_ARRIVAL") -> int:
    finding = await rw.finding(rw.world.official_a, code)
    await review.transition(
        await rw.actor("head_a"), finding, Command("notify"), now=datetime.now(UTC)
    )
    return finding


async def test_the_official_explains_with_a_photo_and_sees_the_decision(client, rw) -> None:
    finding = await _notified(rw)
    await login(client, "official_a")
    count = await client.get("/notifications/count")
    assert 'id="notification-count">1<' in count.text
    mine = await client.get("/my-findings")
    assert f"/findings/{finding}" in mine.text
    page = await client.get(f"/findings/{finding}")
    assert "Nội dung giải trình" in page.text
    sent = await client.post(
        f"/findings/{finding}/explanation",
        data={"text": "Tắc đường do mưa lớn."},
        files=[("files", ("anh.png", PNG, "image/png"))],
        headers=csrf(client),
        follow_redirects=False,
    )
    assert sent.status_code == 303
    assert await Explanation.count() == 1
    assert await ExplanationEvidence.count() == 1

    await login(client, "head_a")
    queue = await client.get("/review")
    assert "Tắc đường do mưa lớn." in queue.text
    assert "Biện pháp đề xuất" in queue.text
    detail = await client.get(f"/findings/{finding}")
    sha = detail.text.split(f"/findings/{finding}/photos/")[1][:64]
    photo = await client.get(f"/findings/{finding}/photos/{sha}")
    assert photo.status_code == 200 and photo.content == PNG
    assert await AuditEvent.exists().where(AuditEvent.action == "finding_photo_viewed")
    decided = await client.post(
        f"/findings/{finding}/actions",
        data={"action": "dismiss", "reason": "Có xác nhận của đội CSGT."},
        headers=csrf(client),
        follow_redirects=False,
    )
    assert decided.status_code == 303

    await login(client, "official_a")
    page = await client.get(f"/findings/{finding}")
    assert "Không xác nhận vi phạm" in page.text
    assert "Có xác nhận của đội CSGT." in page.text
    # The history table names the action in Vietnamese, not as "finding_dismiss".
    assert "Không xác nhận vi phạm" in page.text.split('id="history"')[1]


async def test_an_illegal_transition_over_json_is_409_naming_the_allowed_actions(
    client, rw
) -> None:
    finding = await _notified(rw)
    await login(client, "head_a")
    response = await client.post(
        f"/api/v1/findings/{finding}/transitions",
        json={"action": "close"},
        headers=csrf(client),
    )
    assert response.status_code == 409
    assert response.headers["content-type"].startswith("application/problem+json")
    body = response.json()
    assert body["field"] == "action"
    for allowed in ("acknowledge", "explain", "waive", "start_review"):
        assert allowed in body["detail"]


async def test_the_recorder_cannot_confirm_over_json(client, rw) -> None:
    finding = await rw.finding(rw.world.official_a, recorded_by="head_p")
    await review.transition(
        await rw.actor("head_p"), finding, Command("notify"), now=datetime.now(UTC)
    )
    await review.transition(
        await rw.actor("head_p"),
        finding,
        Command("waive", reason="Cán bộ đi học dài hạn"),
        now=datetime.now(UTC),
    )
    await login(client, "head_p")
    response = await client.post(
        f"/api/v1/findings/{finding}/transitions",
        json={"action": "confirm", "reason": "Đúng"},
        headers=csrf(client),
    )
    assert response.status_code == 403


async def test_bulk_confirm_from_the_queue_page(client, rw) -> None:
    ids = [await _notified(rw, code) for code in ("NO_CARD", "DRESS")]
    for finding in ids:
        await review.transition(
            await rw.actor("head_a"),
            finding,
            Command("waive", reason="Cán bộ không giải trình"),
            now=datetime.now(UTC),
        )
    await login(client, "head_a")
    response = await client.post(
        "/review/bulk",
        data={"action": "confirm", "reason": "Ảnh rõ ràng", "finding_ids": [str(i) for i in ids]},
        headers=csrf(client),
    )
    assert response.status_code == 200
    assert response.text.count("Đã xác nhận vi phạm") >= 2
    assert await AuditEvent.count().where(AuditEvent.action == "finding_confirm") == 2


async def test_a_finding_sent_from_the_tablet_is_audited_and_shows_in_history(client, rw) -> None:
    import uuid

    inspection = await builders.inspection(
        rw.world.commune_a,
        datetime.now(UTC).date(),
        status="in_progress",
        topics=["conduct"],
        members=[rw.users["inspector"]],
        started_at=datetime.now(UTC),
    )
    await login(client, "inspector")
    sent = await client.post(
        "/api/v1/sync",
        json={
            "records": [
                {
                    "uuid": str(uuid.uuid4()),
                    "type": "finding",
                    "inspection_id": inspection.id,
                    "payload": {
                        "official_id": rw.world.official_a.id,
                        "violation_code": "NO_CARD",
                        "facts": "Không đeo thẻ",
                        "observed_at": datetime.now(UTC).isoformat(),
                        "evidence": [],
                    },
                }
            ]
        },
        headers=csrf(client),
    )
    assert sent.json()["results"][0]["status"] == "created", sent.text
    stored = await Finding.select(Finding.id).where(Finding.inspection == inspection.id).first()
    history = await client.get(f"/api/v1/findings/{stored['id']}/history")
    assert history.status_code == 200
    assert history.json()[0]["action"] == "finding_recorded"
