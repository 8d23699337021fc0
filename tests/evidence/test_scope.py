"""Who sees what in the register: a unit head sees, tags and exports their own unit's
documents only, discipline decisions aside (they name the official); a document of no
unit (filed by the system) is the whole organisation's; the criteria list is edited at
province level only, and each criterion says which produced documents registration
files under it."""

from __future__ import annotations

from pathlib import Path

import pytest
from congvu.inspect.actor import SYSTEM
from congvu.inspect.errors import Forbidden, Invalid, NotFound
from congvu.inspect.evidence import api as evidence
from congvu.inspect.evidence.tables import EvidenceItem

from tests.evidence.conftest import EvidenceWorld, pdf_bytes

pytestmark = pytest.mark.anyio


async def test_a_unit_head_sees_their_units_documents_only(
    ew: EvidenceWorld, tmp_path: Path
) -> None:
    await evidence.register_produced(2026)
    criterion = await evidence.criterion_ids(2026, ["4.3"])
    await evidence.upload(
        SYSTEM,
        evidence.UploadForm(
            2026, "1/BC", "01/03/2026", "Báo cáo chung", criterion, "a.pdf", pdf_bytes()
        ),
    )
    head = await ew.rw.actor("head_a")
    seen = await evidence.register(head, 2026)
    assert [i.summary for i in seen.items] == ["Biên bản kiểm tra công vụ tại Phường An Hòa"]
    province = await evidence.register(ew.reporter, 2026)
    assert len(province.items) == 4  # 2 minutes, the decision, the upload
    other = (
        await EvidenceItem.select(EvidenceItem.id)
        .where(EvidenceItem.summary == "Biên bản kiểm tra công vụ tại Xã Bình Minh")
        .first()
    )
    with pytest.raises(NotFound):
        await evidence.set_tags(head, other["id"], criterion)
    mine = seen.items[0].id
    await evidence.set_tags(head, mine, await evidence.criterion_ids(2026, ["1.3"]))
    bundle = await evidence.export_year(2026, tmp_path / "a.zip", actor=head)
    assert [r.summary for r in bundle.rows] == ["Biên bản kiểm tra công vụ tại Phường An Hòa"]
    assert [r.code for r in bundle.rows] == ["1.3"]


async def test_criteria_are_edited_at_province_level_with_their_sources(
    ew: EvidenceWorld,
) -> None:
    await evidence.ensure_year(2026)
    head = await ew.rw.actor("head_a")
    assert not evidence.may_edit_criteria(head)
    assert evidence.may_edit_criteria(ew.reporter)
    by_code = {c.code: c for c in await evidence.criteria(2026)}
    with pytest.raises(Forbidden):
        await evidence.set_sources(head, by_code["1.3"].id, ["minutes"])
    with pytest.raises(Invalid):
        await evidence.set_sources(ew.reporter, by_code["1.3"].id, ["nothing"])
    await evidence.set_sources(ew.reporter, by_code["1.3"].id, ["minutes"])
    await evidence.set_sources(ew.reporter, by_code["4.3"].id, [])
    await evidence.register_produced(2026)
    register = await evidence.register(ew.reporter, 2026)
    minutes = [i for i in register.items if i.source_kind == "minutes"]
    assert [i.codes for i in minutes] == [("1.3",), ("1.3",)]
    assert "4.3" in {c.code for c in register.empty_criteria}


async def test_the_sources_of_a_criterion_are_chosen_on_the_page(client, ew: EvidenceWorld) -> None:
    from tests.conftest import csrf, login

    await evidence.ensure_year(2026)
    by_code = {c.code: c for c in await evidence.criteria(2026)}
    await login(client, "reporter")
    response = await client.post(
        "/evidence/criteria",
        data={
            "year": "2026",
            "action": "sources",
            "criterion": str(by_code["1.3"].id),
            "sources": ["plan", "minutes"],
        },
        headers=csrf(client),
        follow_redirects=False,
    )
    assert response.status_code == 303
    by_code = {c.code: c for c in await evidence.criteria(2026)}
    assert by_code["1.3"].sources == ("plan", "minutes")
    page = await client.get("/evidence?year=2026")
    assert "Kế hoạch kiểm tra, Biên bản kiểm tra" in page.text
