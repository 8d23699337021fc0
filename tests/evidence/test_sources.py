"""Handling decisions and apology letters in the register: a reviewed finding's biện
pháp and a late dossier's văn bản xin lỗi are filed with their date and summary (no
number, no file: the system keeps neither), under the criteria the year's list
auto-tags their kinds to; registering again changes nothing."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest
from congvu.inspect.actor import SYSTEM
from congvu.inspect.dossiers.tables import Dossier
from congvu.inspect.evidence import api as evidence
from congvu.inspect.evidence.tables import EvidenceItem
from congvu.inspect.review import api as review
from congvu.inspect.review.api import Command
from congvu.inspect.settings import get_settings

from tests.discipline.conftest import confirmed_finding
from tests.evidence.conftest import EvidenceWorld

pytestmark = pytest.mark.anyio

ZONE = get_settings().zone


def at(day: date, hour: int = 9) -> datetime:
    return datetime.combine(day, time(hour), ZONE)


async def late_dossier(code: str, unit: int, apology_on: date) -> None:
    await Dossier(
        code=code,
        procedure="Đăng ký khai sinh",
        unit=unit,
        received_at=at(date(2025, 12, 1)),
        due_at=at(date(2026, 1, 12)),
        apology_at=at(apology_on, 0),  # midnight local: still that day, not the day before
        status="late",
        updated_at=datetime.now(UTC),
    ).save()


@pytest.fixture
async def sources(ew: EvidenceWorld) -> EvidenceWorld:
    rw = ew.rw
    finding = await confirmed_finding(rw, code="NO_CARD")
    head = await rw.actor("head_a")
    await review.transition(
        head,
        finding,
        Command("decide_follow_up", reason="Vi phạm lần đầu", follow_up="CRITICISE"),
        now=at(date(2026, 3, 10)),
    )
    await late_dossier("000.00.01.H01-260105-0001", int(rw.world.desk_a.id), date(2026, 1, 11))
    await late_dossier("000.00.01.H01-251201-0009", int(rw.world.desk_a.id), date(2025, 12, 31))
    return ew


async def _codes(item_id: int) -> list[str]:
    rows = await evidence.register(SYSTEM, 2026)
    return list(next(r.codes for r in rows.items if r.id == item_id))


async def test_handling_decisions_and_apologies_are_filed_once(sources: EvidenceWorld) -> None:
    first = await evidence.register_produced(2026, sources.reporter)
    assert (first.added, first.changed, first.unchanged) == (5, 0, 0)
    items = await EvidenceItem.select().where(EvidenceItem.year == 2026)
    handling = [i for i in items if i["source_kind"] == "handling_decision"]
    apology = [i for i in items if i["source_kind"] == "apology_letter"]
    assert len(handling) == 1 and len(apology) == 1  # the 2025 letter is not 2026's
    h, a = handling[0], apology[0]
    assert h["issued_on"] == date(2026, 3, 10) and h["number"] == ""
    assert h["summary"] == (
        "Xử lý sau kiểm tra: Phê bình đối với Nguyễn Thị Lan (Phường An Hòa)"
    )
    # the inspected unit, whose head decided the measure, issues it
    assert h["issuer_unit"] == sources.rw.world.commune_a.id
    assert a["issued_on"] == date(2026, 1, 11)
    assert a["summary"] == (
        "Văn bản xin lỗi về việc trễ hạn hồ sơ 000.00.01.H01-260105-0001 (Đăng ký khai sinh)"
    )
    assert a["issuer_unit"] == sources.rw.world.desk_a.id
    for item in (h, a):
        assert item["sha256"] == "" and item["extension"] == "" and item["file_path"] is None
    assert await _codes(h["id"]) == ["4.3"]
    assert await _codes(a["id"]) == ["3.2"]
    again = await evidence.register_produced(2026)
    assert (again.added, again.changed, again.unchanged) == (0, 0, 5)
    assert await EvidenceItem.count().where(EvidenceItem.year == 2026) == 5
    later = await evidence.register_produced(2025)
    assert later.added == 1  # the letter of 31/12/2025 is 2025's


async def test_each_kind_follows_the_years_auto_tagging(sources: EvidenceWorld) -> None:
    await evidence.ensure_year(2026)
    by_code = {c.code: c.id for c in await evidence.criteria(2026)}
    admin = await sources.rw.actor("admin")
    await evidence.set_sources(admin, by_code["3.2"], [])
    await evidence.set_sources(admin, by_code["1.3"], ["apology_letter", "handling_decision"])
    await evidence.register_produced(2026)
    items = await EvidenceItem.select().where(
        EvidenceItem.source_kind.is_in(["apology_letter", "handling_decision"])
    )
    codes = {i["source_kind"]: await _codes(i["id"]) for i in items}
    assert codes == {"apology_letter": ["1.3"], "handling_decision": ["1.3", "4.3"]}
