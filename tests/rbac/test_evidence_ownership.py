"""Attaching a stored photo by its sha256, across units: a content address is not a
capability. An account attaches (to its giải trình, its finding, a closing proof) only
a photo it uploaded itself; sending the same bytes again makes it its own.

The matrix: who attaches × whose photo → the answer, over HTTP.
"""

from __future__ import annotations

import hashlib
import uuid
from datetime import datetime, time, timedelta
from typing import Any

import pytest
from congvu.inspect import clock
from congvu.inspect.capture.services import evidence
from congvu.inspect.errors import Invalid
from congvu.inspect.inspections.tables import Finding, FindingEvidence
from congvu.inspect.review import api as review
from congvu.inspect.review.api import Command
from congvu.inspect.review.tables import ExplanationEvidence
from congvu.inspect.settings import get_settings
from congvu.rules.calendar import default_calendar

from tests import builders
from tests.conftest import csrf, login
from tests.worlds import MONDAY, ReviewWorld

pytestmark = pytest.mark.anyio


async def _upload(rw: ReviewWorld, username: str, seed: int) -> str:
    """A photo of its own for ``seed``, uploaded by ``username``; its hash."""
    data = builders.png((seed, 90, 30), (20 + seed % 40, 20))
    sha = hashlib.sha256(data).hexdigest()
    await evidence.store(await rw.actor(username), sha, data, None)
    return sha


async def _explain(client: Any, finding: int, attachments: list[str]) -> Any:
    return await client.post(
        f"/api/v1/findings/{finding}/transitions",
        json={"action": "explain", "explanation": "Xe hỏng.", "attachments": attachments},
        headers=csrf(client),
    )


@pytest.mark.parametrize(
    ("owner", "status"),
    [
        ("official_b", 400),  # official of commune B: another unit's photo
        ("inspector", 400),  # the province's inspector: another account's photo
        ("official_a", 200),  # their own upload
    ],
)
async def test_an_official_attaches_only_their_own_upload_to_an_explanation(
    client, rw: ReviewWorld, owner: str, status: int
) -> None:
    sha = await _upload(rw, owner, 1)
    finding = await rw.finding(rw.world.official_a)
    await review.transition(await rw.actor("head_a"), finding, Command("notify"))
    await login(client, "official_a")

    response = await _explain(client, finding, [sha])

    assert response.status_code == status, response.text
    if status == 400:
        assert response.json()["field"] == "attachments"
        assert "tải lại" in response.json()["detail"]
        assert await ExplanationEvidence.count() == 0
        # Nor may the official then read it by its hash.
        assert (await client.get(f"/api/v1/evidence/{sha}")).status_code in (403, 404)
    else:
        assert await ExplanationEvidence.count() == 1


async def test_sending_the_same_bytes_again_makes_the_photo_ones_own(
    client, rw: ReviewWorld
) -> None:
    sha = await _upload(rw, "official_b", 2)
    finding = await rw.finding(rw.world.official_a)
    await review.transition(await rw.actor("head_a"), finding, Command("notify"))
    await login(client, "official_a")
    assert (await _explain(client, finding, [sha])).status_code == 400

    await _upload(rw, "official_a", 2)  # the same bytes, from this account

    assert (await _explain(client, finding, [sha])).status_code == 200


async def test_a_closing_proof_is_a_photo_the_verifier_uploaded(rw: ReviewWorld) -> None:
    finding = await rw.finding(None, "NO_NAMEPLATE")
    head, head_p = await rw.actor("head_a"), await rw.actor("head_p")
    await review.transition(head, finding, Command("notify"), now=MONDAY)
    await review.transition(head, finding, Command("explain", explanation="Đang làm"), now=MONDAY)
    await review.transition(head_p, finding, Command("confirm", reason="Đúng"))
    await review.transition(head_p, finding, Command("decide_follow_up", follow_up="FIX_DEADLINE"))
    sha = await _upload(rw, "official_b", 3)
    verifier = await rw.actor("inspector2")

    with pytest.raises(Invalid) as refused:
        await review.transition(verifier, finding, Command("close", evidence_sha256=sha))
    assert refused.value.field == "evidence_sha256"

    await _upload(rw, "inspector2", 3)
    assert await review.transition(verifier, finding, Command("close", evidence_sha256=sha))


async def _open_inspection(rw: ReviewWorld) -> tuple[int, datetime]:
    """A planned inspection of commune A on the last working day, the 'inspector' on its
    team (not 'inspector2')."""
    day = clock.today() - timedelta(days=1)
    while not default_calendar().is_working_day(day):
        day -= timedelta(days=1)
    inspection = await builders.inspection(
        rw.world.commune_a, day, members=[rw.users["inspector"]], created_at=clock.now()
    )
    return int(inspection.id), datetime.combine(day, time(8, 0), tzinfo=get_settings().zone)


def _record(kind: str, inspection_id: int, payload: dict[str, Any]) -> dict[str, Any]:
    return {
        "uuid": str(uuid.uuid4()),
        "type": kind,
        "inspection_id": inspection_id,
        "payload": payload,
    }


@pytest.mark.parametrize(
    ("owner", "status"),
    [
        ("inspector2", 400),  # another inspector, of another team
        ("official_b", 400),  # someone of commune B
        ("inspector", 201),  # the syncing account's own upload
    ],
)
async def test_an_inspector_attaches_only_their_own_upload_to_a_finding(
    client, rw: ReviewWorld, owner: str, status: int
) -> None:
    sha = await _upload(rw, owner, 4)
    inspection_id, morning = await _open_inspection(rw)
    await login(client, "inspector")
    start = _record(
        "start",
        inspection_id,
        {"started_at": (morning + timedelta(minutes=15)).isoformat(), "place": "Trụ sở"},
    )
    finding = _record(
        "finding",
        inspection_id,
        {
            "official_id": None,
            "violation_code": "FACILITY_UNTIDY",
            "observed_at": (morning + timedelta(hours=1)).isoformat(),
            "evidence": [sha],
        },
    )
    response = await client.post(
        "/api/v1/sync", json={"records": [start, finding]}, headers=csrf(client)
    )
    assert response.status_code == 200, response.text
    started, result = response.json()["results"]
    assert started["http_status"] in (200, 201), started
    assert result["http_status"] == status, result
    if status == 400:
        assert result["error"]["field"] == "evidence"
        assert await Finding.count() == 0
        assert await FindingEvidence.count() == 0
    else:
        assert await FindingEvidence.count() == 1
