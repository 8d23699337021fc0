"""Personal-data tests run in the review world (``rw``, tests/worlds.py) with an empty
media directory: a finding about official A with a photo, their giải trình with an
attachment, and a personnel officer (cán bộ tổ chức) of commune A."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from datetime import UTC, datetime

import pytest
from congvu.inspect.inspections.tables import Evidence, FindingEvidence
from congvu.inspect.review import api as review
from congvu.inspect.review.api import Command
from congvu.inspect.settings import get_settings

from tests import builders
from tests.worlds import ReviewWorld


@pytest.fixture(autouse=True)
def _empty_media() -> None:
    shutil.rmtree(get_settings().media_dir, ignore_errors=True)


@dataclass
class PrivacyWorld:
    rw: ReviewWorld
    finding: int
    finding_photo: str
    explanation_photo: str


@pytest.fixture
async def pw(rw: ReviewWorld) -> PrivacyWorld:
    rw.users["tochuc_a"] = await builders.account("tochuc_a", role="personnel", unit="P-A")
    finding = await rw.finding(rw.world.official_a)
    inspector = await rw.actor("inspector")
    finding_photo = await builders.photo(inspector, colour="red")
    evidence = await Evidence.select(Evidence.id).where(Evidence.sha256 == finding_photo).first()
    await FindingEvidence.insert(FindingEvidence(finding=finding, evidence=evidence["id"]))
    now = datetime.now(UTC)
    await review.transition(await rw.actor("head_a"), finding, Command("notify"), now=now)
    official = await rw.actor("official_a")
    explanation_photo = await builders.photo(official, colour="white")
    await review.transition(
        official,
        finding,
        Command("explain", explanation="Tắc đường do mưa lớn.", attachments=(explanation_photo,)),
        now=now,
    )
    await rw.finding(rw.world.official_b)  # about someone else: never in A's download
    return PrivacyWorld(rw, finding, finding_photo, explanation_photo)
