"""Reads of findings and of their photos leave an audit event naming who read what; the
minutes and the finding pages show their record's history."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from congvu.inspect.audit.tables import AuditEvent
from congvu.inspect.errors import NotFound
from congvu.inspect.inspections.tables import Evidence, FindingEvidence, InspectionMember
from congvu.inspect.review import api as review
from congvu.inspect.review.api import Command
from congvu.inspect.review.services import queue as review_queue

from tests.builders import photo
from tests.conftest import csrf, login
from tests.worlds import ReviewWorld

pytestmark = pytest.mark.anyio


async def _events(action: str) -> list[dict[str, Any]]:
    return list(
        await AuditEvent.select()
        .where(AuditEvent.action == action)
        .order_by(AuditEvent.id)
        .output(load_json=True)
    )


async def _attach(finding: int, sha: str) -> None:
    row = await Evidence.select(Evidence.id).where(Evidence.sha256 == sha).first()
    await FindingEvidence.insert(FindingEvidence(finding=finding, evidence=row["id"]))


async def test_reading_a_findings_photo_through_the_api_is_audited_on_the_finding(
    rw: ReviewWorld,
) -> None:
    finding = await rw.finding(rw.world.official_a)
    sha = await photo(await rw.actor("inspector"))
    await _attach(finding, sha)

    path, media_type = await review.read_evidence(await rw.actor("admin"), sha.upper())

    assert path.is_file() and media_type == "image/png"
    (event,) = await _events("finding_photo_viewed")
    assert (event["actor_username"], event["actor_role"]) == ("admin", "admin")
    assert (event["object_type"], event["object_id"]) == ("finding", str(finding))
    assert event["after"] == {"sha256": sha}


async def test_the_uploader_reads_an_unattached_photo_with_the_request_id_audited(
    rw: ReviewWorld,
) -> None:
    inspector = await rw.actor("inspector")
    sha = await photo(inspector)

    await review.read_evidence(inspector, sha, request_id="req-7f3a")

    (event,) = await _events("evidence_viewed")
    assert event["actor_username"] == "inspector"
    assert (event["object_type"], event["object_id"]) == ("evidence", sha)
    assert event["request_id"] == "req-7f3a"


async def test_a_photo_of_another_units_finding_is_404_and_nothing_is_audited(
    rw: ReviewWorld,
) -> None:
    finding = await rw.finding(rw.world.official_b, inspection=rw.inspection_b)
    sha = await photo(await rw.actor("inspector"))
    await _attach(finding, sha)

    for reader in ("head_a", "inspector2", "official_a"):
        with pytest.raises(NotFound):
            await review.read_evidence(await rw.actor(reader), sha)
    with pytest.raises(NotFound):
        await review.read_evidence(await rw.actor("head_a"), "0" * 64)

    assert await _events("finding_photo_viewed") == []
    assert await _events("evidence_viewed") == []


async def test_an_explanations_attachment_is_read_through_its_finding(rw: ReviewWorld) -> None:
    finding = await rw.finding(rw.world.official_a)
    now = datetime.now(UTC)
    await review.transition(await rw.actor("head_p"), finding, Command("notify"), now=now)
    official = await rw.actor("official_a")
    sha = await photo(official, colour="white")
    await review.transition(
        official,
        finding,
        Command("explain", explanation="Giấy hẹn khám bệnh.", attachments=(sha,)),
        now=now,
    )

    await review.read_evidence(await rw.actor("head_a"), sha)

    (event,) = await _events("finding_photo_viewed")
    assert (event["actor_username"], event["object_id"]) == ("head_a", str(finding))
    with pytest.raises(NotFound):
        await review.read_evidence(await rw.actor("head_b"), sha)


async def test_every_finding_read_over_http_is_audited_with_actor_and_object(
    client, rw: ReviewWorld
) -> None:
    finding = await rw.finding(rw.world.official_a)
    sha = await photo(await rw.actor("inspector"))
    await _attach(finding, sha)
    await login(client, "admin")

    for address in (
        f"/findings/{finding}",
        f"/findings/{finding}/photos/{sha}",
        f"/api/v1/findings/{finding}",
        f"/api/v1/findings/{finding}/history",
    ):
        assert (await client.get(address)).status_code == 200, address

    reads = [
        (e["action"], e["actor_username"], e["object_id"])
        for e in await _events("finding_viewed")
        + await _events("finding_photo_viewed")
        + await _events("finding_history_viewed")
    ]
    assert sorted(reads) == sorted(
        [
            ("finding_viewed", "admin", str(finding)),
            ("finding_viewed", "admin", str(finding)),
            ("finding_photo_viewed", "admin", str(finding)),
            ("finding_history_viewed", "admin", str(finding)),
        ]
    )


async def test_the_minutes_audit_the_findings_they_show_and_show_the_history(
    client, rw: ReviewWorld
) -> None:
    first = await rw.finding(rw.world.official_a)
    second = await rw.finding(None, "NO_HOTLINE_POSTED")
    await rw.finding(rw.world.official_b, inspection=rw.inspection_b)
    await login(client, "head_a")

    page = await client.get(f"/inspections/{rw.inspection_a.id}/minutes")

    assert page.status_code == 200
    viewed = await _events("finding_viewed")
    assert sorted(int(e["object_id"]) for e in viewed) == sorted([first, second])
    assert {(e["actor_username"], e["after"]["where"]) for e in viewed} == {("head_a", "minutes")}
    history = page.text.split('id="history"')[1]
    assert "Lịch sử" in history and "inspection_closed" not in history

    await login(client, "inspector")
    await _serve_as_lead(rw)
    closed = await client.post(
        f"/inspections/{rw.inspection_a.id}/close",
        headers=csrf(client),
        follow_redirects=False,
    )
    assert closed.status_code == 303
    again = await client.get(f"/inspections/{rw.inspection_a.id}/minutes")
    history = again.text.split('id="history"')[1]
    assert "Đóng cuộc kiểm tra" in history and "inspector" in history


async def _serve_as_lead(rw: ReviewWorld) -> None:
    await InspectionMember.update({InspectionMember.role: "truong_doan"}).where(
        InspectionMember.inspection == rw.inspection_a.id,
        InspectionMember.user == rw.users["inspector"].id,
    )


async def test_the_queue_and_my_findings_lists_are_audited_as_reads(rw: ReviewWorld) -> None:
    finding = await rw.finding(rw.world.official_a)
    head = await rw.actor("head_a")
    await review.transition(head, finding, Command("notify"), now=datetime.now(UTC))
    assert [i.id for i in await review_queue.queue(head)] == [finding]
    assert [i.id for i in await review.mine(await rw.actor("official_a"))] == [finding]
    listed = await _events("findings_listed")
    assert [(e["actor_username"], e["object_id"], e["after"]) for e in listed] == [
        ("head_a", "queue", {"findings": [finding], "dossiers": []}),
        ("official_a", "mine", {"findings": [finding], "dossiers": []}),
    ]
    # An empty list shows nothing: no event.
    assert await review.mine(await rw.actor("official_b")) == []
    assert len(await _events("findings_listed")) == 2


async def test_every_event_of_a_request_carries_its_request_id(client, rw: ReviewWorld) -> None:
    """A proxy's X-Request-ID is kept (when it is a sane token); otherwise each request
    gets its own id, so the events of one request can be found together."""
    finding = await rw.finding(rw.world.official_a)
    await login(client, "admin")
    given = await client.get(f"/findings/{finding}", headers={"x-request-id": "yc-2026-0042"})
    assert given.status_code == 200
    plain = await client.get(f"/findings/{finding}")
    bad = await client.get(f"/findings/{finding}", headers={"x-request-id": "x" * 65})
    assert plain.status_code == bad.status_code == 200
    ids = [e["request_id"] for e in await _events("finding_viewed")]
    assert ids[0] == "yc-2026-0042"
    assert all(len(i) == 32 and int(i, 16) >= 0 for i in ids[1:])
    assert len(ids) == 3 and ids[1] != ids[2]
