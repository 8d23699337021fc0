"""Registering the system's documents: the year's criteria seeded once, the minutes and the
discipline decision filed with number, date and summary, auto-tagged by source kind;
running again changes nothing; a changed file is a new version, audited."""

from __future__ import annotations

import pytest
from congvu.inspect.actor import SYSTEM
from congvu.inspect.audit.tables import AuditEvent
from congvu.inspect.errors import Conflict, Forbidden
from congvu.inspect.evidence import api as evidence
from congvu.inspect.evidence.tables import EvidenceItem

from tests.evidence.conftest import EvidenceWorld

pytestmark = pytest.mark.anyio


async def _codes(item_id: int) -> list[str]:
    rows = await evidence.register(SYSTEM, 2026)
    return list(next(r.codes for r in rows.items if r.id == item_id))


async def test_registration_is_idempotent_and_tags_by_source(ew: EvidenceWorld) -> None:
    first = await evidence.register_produced(2026, ew.reporter)
    assert (first.added, first.changed, first.unchanged) == (3, 0, 0)
    again = await evidence.register_produced(2026)
    assert (again.added, again.changed, again.unchanged) == (0, 0, 3)
    assert await EvidenceItem.count().where(EvidenceItem.year == 2026) == 3
    items = await EvidenceItem.select().where(EvidenceItem.year == 2026).order_by(EvidenceItem.id)
    minutes = [i for i in items if i["source_kind"] == "minutes"]
    assert sorted(i["number"] for i in minutes) == ["1/BB-KTCV", "2/BB-KTCV"]
    # The minutes are rendered and their file kept in the register's store.
    assert all(len(i["sha256"]) == 64 and i["extension"] == "docx" for i in minutes)
    assert all(i["file_path"].endswith(f"{i['sha256']}.docx") for i in minutes)
    decision = next(i for i in items if i["source_kind"] == "discipline_document")
    assert decision["number"] == "9/QĐ-UBND" and decision["issued_on"].isoformat() == "2026-03-20"
    assert decision["summary"].startswith("Quyết định kỷ luật đối với ")
    assert len(decision["sha256"]) == 64 and decision["extension"] == "docx"
    assert await _codes(minutes[0]["id"]) == ["4.3"]
    assert await _codes(decision["id"]) == ["5.4"]
    # The seeded list says it is a default one.
    assert [c.code for c in await evidence.criteria(2026)][:2] == ["1.1", "1.2"]
    assert "mặc định" in evidence.DEFAULT_NOTE


async def test_a_changed_file_is_a_new_version(ew: EvidenceWorld) -> None:
    await evidence.register_produced(2026)
    row = (
        await EvidenceItem.select().where(EvidenceItem.source_kind == "discipline_document").first()
    )
    await EvidenceItem.update({EvidenceItem.sha256: "0" * 64}).where(EvidenceItem.id == row["id"])
    done = await evidence.register_produced(2026)
    assert (done.added, done.changed, done.unchanged) == (0, 1, 2)
    after = await EvidenceItem.select().where(EvidenceItem.id == row["id"]).first()
    assert after["version"] == 2 and after["sha256"] == row["sha256"]
    events = await AuditEvent.select(AuditEvent.action).where(
        AuditEvent.object_type == "par_evidence", AuditEvent.object_id == str(row["id"])
    )
    assert [e["action"] for e in events] == ["par_evidence_registered", "par_evidence_new_version"]


async def test_untag_and_retag_keep_tags_to_the_chosen_set(ew: EvidenceWorld) -> None:
    await evidence.register_produced(2026)
    row = await EvidenceItem.select().where(EvidenceItem.source_kind == "minutes").first()
    ids = await evidence.criterion_ids(2026, ["1.3", "4.3"])
    await evidence.set_tags(ew.reporter, row["id"], ids)
    assert await _codes(row["id"]) == ["1.3", "4.3"]
    await evidence.set_tags(ew.reporter, row["id"], ids[:1])
    assert await _codes(row["id"]) == ["1.3"]
    await evidence.set_tags(ew.reporter, row["id"], [])
    assert await _codes(row["id"]) == []
    actions = [
        e["action"]
        for e in await AuditEvent.select(AuditEvent.action).where(
            AuditEvent.object_type == "par_evidence", AuditEvent.object_id == str(row["id"])
        )
    ]
    assert actions.count("par_evidence_tagged") == 3


async def test_criteria_admin(ew: EvidenceWorld) -> None:
    await evidence.ensure_year(2025)
    new = await evidence.add_criterion(ew.reporter, 2025, "9.1", "Tiêu chí thử")
    with pytest.raises(Conflict):
        await evidence.add_criterion(ew.reporter, 2025, "9.1", "Trùng mã")
    await evidence.rename_criterion(ew.reporter, new, "Tiêu chí  đã   đổi tên")
    added = await evidence.copy_previous_year(ew.reporter, 2026)
    assert added == 9  # the eight defaults and 9.1: 2026 had no list yet
    again = await evidence.copy_previous_year(ew.reporter, 2026)
    assert again == 0
    by_code = {c.code: c for c in await evidence.criteria(2026)}
    assert by_code["9.1"].name == "Tiêu chí đã đổi tên"
    await evidence.set_active(ew.reporter, by_code["9.1"].id, False)
    assert "9.1" not in {c.code for c in await evidence.criteria(2026, active_only=True)}
    with pytest.raises(Forbidden):
        await evidence.add_criterion(ew.personnel, 2026, "9.2", "Không được")
    official = await ew.rw.actor("official_a")
    with pytest.raises(Forbidden):
        await evidence.register(official, 2026)
