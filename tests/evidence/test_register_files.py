"""Plans and minutes are filed in the register with their rendered .docx: the file kept is
the one the download link serves (same SHA-256), registering again is "unchanged", and a
changed finding makes a new version of the minutes."""

from __future__ import annotations

import hashlib
import io
from datetime import UTC, datetime

import docx
import pytest
from congvu.inspect.audit.tables import AuditEvent
from congvu.inspect.evidence import api as evidence
from congvu.inspect.evidence.tables import EvidenceItem
from congvu.inspect.inspections.tables import Finding, Inspection, InspectionPlan
from congvu.inspect.settings import get_settings

from tests.conftest import login
from tests.evidence.conftest import EvidenceWorld

pytestmark = pytest.mark.anyio


async def _minutes_of(inspection_id: int) -> dict:
    return (
        await EvidenceItem.select()
        .where(EvidenceItem.source_ref == f"minutes:{inspection_id}")
        .first()
    )


async def test_minutes_are_filed_with_the_file_the_link_serves(client, ew: EvidenceWorld) -> None:
    inspection = ew.rw.inspection_a.id
    first = await evidence.register_produced(2026)
    assert first.added == 3
    item = await _minutes_of(inspection)
    assert item["extension"] == "docx" and item["version"] == 1
    kept = (get_settings().media_dir / item["file_path"]).read_bytes()
    assert hashlib.sha256(kept).hexdigest() == item["sha256"]
    docx.Document(io.BytesIO(kept))  # a .docx python-docx opens
    await login(client, "lead")
    served = await client.get(f"/inspections/{inspection}/minutes.docx")
    assert served.status_code == 200
    assert hashlib.sha256(served.content).hexdigest() == item["sha256"]

    again = await evidence.register_produced(2026)
    assert (again.added, again.changed, again.unchanged) == (0, 0, 3)
    # Filing renders the minutes as the system: only the team lead's download was a read.
    viewers = await AuditEvent.select(AuditEvent.actor_username).where(
        AuditEvent.action == "finding_viewed"
    )
    assert viewers and {v["actor_username"] for v in viewers} == {"lead"}

    finding = await Finding.select(Finding.id).where(Finding.inspection == inspection).first()
    assert finding is not None
    await Finding.update({Finding.facts: "Đến muộn 40 phút, đã lập biên bản"}).where(
        Finding.id == finding["id"]
    )
    changed = await evidence.register_produced(2026)
    assert (changed.added, changed.changed, changed.unchanged) == (0, 1, 2)
    after = await _minutes_of(inspection)
    assert after["version"] == 2 and after["sha256"] != item["sha256"]
    assert after["file_path"] != item["file_path"]
    served = await client.get(f"/inspections/{inspection}/minutes.docx")
    assert hashlib.sha256(served.content).hexdigest() == after["sha256"]


async def test_a_plan_is_filed_with_its_file(client, ew: EvidenceWorld) -> None:
    plan = InspectionPlan(
        title="Kế hoạch kiểm tra công vụ quý I năm 2026",
        period_kind="quarter",
        year=2026,
        quarter=1,
        document_no="3/KH-UBND",
        topics=["working_hours"],
        created_at=datetime(2026, 1, 5, 2, tzinfo=UTC),
    )
    await plan.save()
    await Inspection.update({Inspection.plan: plan.id}).where(
        Inspection.id == ew.rw.inspection_b.id
    )
    done = await evidence.register_produced(2026)
    assert done.added == 4
    item = await EvidenceItem.select().where(EvidenceItem.source_ref == f"plan:{plan.id}").first()
    assert (item["number"], item["extension"], item["version"]) == ("3/KH-UBND", "docx", 1)
    kept = (get_settings().media_dir / item["file_path"]).read_bytes()
    cells = [
        p.text
        for t in docx.Document(io.BytesIO(kept)).tables
        for r in t.rows
        for c in r.cells
        for p in c.paragraphs
    ]
    assert "Số: 3/KH-UBND" in cells
    await login(client, "lead")
    served = await client.get(f"/plans/{plan.id}/plan.docx")
    assert served.status_code == 200
    assert (
        hashlib.sha256(served.content).hexdigest()
        == item["sha256"]
        == hashlib.sha256(kept).hexdigest()
    )
    again = await evidence.register_produced(2026)
    assert (again.added, again.changed, again.unchanged) == (0, 0, 4)
