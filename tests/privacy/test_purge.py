"""Thời hạn lưu trữ: the purge deletes the files of closed matters past retention and
nothing else, keeps the audit chain verifiable (the row and its sha256 stay, a
``media_purged`` event says what went and why), is idempotent, and a dry run deletes
nothing. Time passes through ``now``: closings are today, retention is 1826 days."""

from __future__ import annotations

import hashlib
import json
import uuid
from datetime import UTC, date, datetime, timedelta

import pytest
from congvu.inspect import clock
from congvu.inspect.actor import SYSTEM
from congvu.inspect.audit import api as audit
from congvu.inspect.audit.tables import AuditEvent
from congvu.inspect.discipline.tables import CaseSource, DisciplineCase
from congvu.inspect.inspections.tables import Evidence, FindingEvidence, Inspection, Signature
from congvu.inspect.privacy import api as privacy
from congvu.inspect.review.tables import FindingReview
from congvu.inspect.settings import get_settings

from tests import builders
from tests.conftest import login
from tests.privacy.conftest import PrivacyWorld
from tests.worlds import ReviewWorld

pytestmark = pytest.mark.anyio

LATER = clock.now() + timedelta(days=1830)  # past the 1826 days of retention
SOON = clock.now() + timedelta(days=30)  # well inside it


async def _photo_of(rw: ReviewWorld, colour: str) -> tuple[int, str]:
    """A new finding about official A with one photo; its id and the photo's sha256."""
    finding = await rw.finding(rw.world.official_a)
    sha = await builders.photo(await rw.actor("inspector"), colour=colour)
    evidence = await Evidence.select(Evidence.id).where(Evidence.sha256 == sha).first()
    await FindingEvidence.insert(FindingEvidence(finding=finding, evidence=evidence["id"]))
    return finding, sha


async def _close(finding: int, state: str = "closed") -> None:
    now = datetime.now(UTC)
    review = FindingReview(
        finding=finding,
        state=state,
        notified_at=now,
        explanation_due=date.today(),
        window_rule_id="review.EXPLANATION",
        window_rule_version="2025.1",
        decided_at=now,
        outcome="dismissed" if state == "dismissed" else "confirmed",
        closed_at=now if state == "closed" else None,
        updated_at=now,
    )
    await review.save()


def _file(sha: str) -> bool:
    return any(get_settings().media_dir.glob(f"evidence/*/*/{sha}.*"))


async def _purged() -> list[dict]:
    return await AuditEvent.select().where(AuditEvent.action == "media_purged")


async def test_a_closed_matters_photo_past_retention_goes_and_the_chain_verifies(
    rw: ReviewWorld,
) -> None:
    finding, sha = await _photo_of(rw, "red")
    await _close(finding)
    _, kept = await _photo_of(rw, "blue")  # notified only: open

    result = await privacy.purge_media(SYSTEM, dry_run=False, now=LATER)

    assert [e.key for e in result.expired] == [sha]
    assert not _file(sha) and _file(kept)
    row = await Evidence.select(Evidence.sha256, Evidence.purged_at).where(Evidence.sha256 == sha)
    assert row[0]["purged_at"] is not None  # the row and its hash stay
    (event,) = await _purged()
    assert (event["object_type"], event["object_id"]) == ("evidence", sha)
    assert "Luật 91/2025/QH15" in event["reason"]
    await audit.seal(wait=True)
    assert (await audit.verify()).ok


async def test_files_inside_retention_or_on_an_open_matter_stay(rw: ReviewWorld) -> None:
    closed, recent = await _photo_of(rw, "red")
    await _close(closed)
    _, open_one = await _photo_of(rw, "blue")
    explained, under_review = await _photo_of(rw, "green")
    await _close(explained, state="under_review")

    soon = await privacy.purge_media(SYSTEM, dry_run=False, now=SOON)
    assert soon.expired == [] and _file(recent)
    later = await privacy.purge_media(SYSTEM, dry_run=False, now=LATER)
    assert [e.key for e in later.expired] == [recent]
    assert _file(open_one) and _file(under_review)
    assert later.kept_open == 2


async def test_a_discipline_case_holds_the_photos_of_its_findings(rw: ReviewWorld) -> None:
    finding, sha = await _photo_of(rw, "red")
    await _close(finding)
    case = DisciplineCase(
        official=rw.world.official_a.id,
        unit=rw.world.desk_a.id,
        category="cong_chuc",
        description="Đi muộn nhiều lần",
        violation_on=date.today(),
        discovered_on=date.today(),
        opened_on=date.today(),
        merited="khien_trach",
        stage="council_set_up",
        updated_at=datetime.now(UTC),
    )
    await case.save()
    await CaseSource.insert(
        CaseSource(
            case=case.id, finding=finding, violation_code="LATE_ARRIVAL", observed_on=date.today()
        )
    )
    held = await privacy.purge_media(SYSTEM, dry_run=False, now=LATER)
    assert held.expired == [] and _file(sha)

    await DisciplineCase.update({DisciplineCase.stage: "closed"}).where(
        DisciplineCase.id == case.id
    )
    released = await privacy.purge_media(SYSTEM, dry_run=False, now=LATER)
    assert [e.key for e in released.expired] == [sha]


async def test_a_dry_run_deletes_nothing_and_a_second_run_is_idempotent(
    rw: ReviewWorld,
) -> None:
    finding, sha = await _photo_of(rw, "red")
    await _close(finding, state="dismissed")

    dry = await privacy.purge_media(SYSTEM, dry_run=True, now=LATER)
    assert [e.key for e in dry.expired] == [sha] and dry.dry_run
    assert _file(sha) and await _purged() == []
    assert (await Evidence.select(Evidence.purged_at).first())["purged_at"] is None

    await privacy.purge_media(SYSTEM, dry_run=False, now=LATER)
    again = await privacy.purge_media(SYSTEM, dry_run=False, now=LATER)
    assert again.expired == [] and len(await _purged()) == 1


async def test_the_finding_page_says_the_photo_was_deleted(client, pw: PrivacyWorld) -> None:
    await _close(await pw.rw.finding(pw.rw.world.official_b))  # unrelated, closed
    await FindingReview.update(
        {FindingReview.state: "closed", FindingReview.closed_at: datetime.now(UTC)}
    ).where(FindingReview.finding == pw.finding)
    result = await privacy.purge_media(SYSTEM, dry_run=False, now=LATER)
    assert {e.key for e in result.expired} >= {pw.finding_photo, pw.explanation_photo}

    await login(client, "official_a")
    page = await client.get(f"/findings/{pw.finding}")
    assert page.status_code == 200
    today = clock.today().strftime("%d/%m/%Y")
    assert f"Ảnh đã xoá theo thời hạn lưu trữ (ngày {today})" in page.text
    assert f'src="/findings/{pw.finding}/photos/{pw.finding_photo}"' not in page.text


async def test_a_closed_inspections_signature_image_goes_with_its_hash_kept(
    client, rw: ReviewWorld
) -> None:
    inspection = rw.inspection_a
    image = builders.png("black", (60, 20))
    relative = f"signatures/{inspection.id}/sig.png"
    (get_settings().media_dir / relative).parent.mkdir(parents=True, exist_ok=True)
    (get_settings().media_dir / relative).write_bytes(image)
    await Signature.insert(
        Signature(
            client_uuid=uuid.uuid4(),
            inspection=inspection.id,
            role="unit_representative",
            name="Trần Văn Hùng",
            image_path=relative,
            created_at=datetime.now(UTC),
        )
    )
    held = await privacy.purge_media(SYSTEM, dry_run=False, now=LATER)  # not closed yet
    assert held.expired == []
    await Inspection.update(
        {Inspection.status: "closed", Inspection.submitted_at: datetime.now(UTC)}
    ).where(Inspection.id == inspection.id)

    result = await privacy.purge_media(SYSTEM, dry_run=False, now=LATER)

    assert [e.kind for e in result.expired] == ["signature"]
    assert not (get_settings().media_dir / relative).exists()
    row = await Signature.select(Signature.image_sha256, Signature.image_purged_at).first()
    assert row["image_sha256"] == hashlib.sha256(image).hexdigest()
    assert row["image_purged_at"] is not None
    (event,) = await _purged()
    before = event["before"]
    before = json.loads(before) if isinstance(before, str) else before
    assert before["sha256"] == row["image_sha256"]
    await audit.seal(wait=True)
    assert (await audit.verify()).ok

    await login(client, "admin")
    minutes = await client.get(f"/inspections/{inspection.id}/minutes")
    assert minutes.status_code == 200
    assert "Chữ ký đã xoá theo thời hạn lưu trữ (ngày" in minutes.text
