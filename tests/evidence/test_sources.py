"""Handling decisions and apology letters in the register: a reviewed finding's biện
pháp and a late dossier's văn bản xin lỗi are filed with their date and summary (no
number, no file: the system keeps neither), under the criteria the year's list
auto-tags their kinds to; registering again changes nothing. The annual rating steps
are filed as văn bản thi đua, khen thưởng: a step's file with its hash and its bytes in
the year's ZIP, a replaced file as a new version, a step without a file without one."""

from __future__ import annotations

import hashlib
import zipfile
from datetime import UTC, date, datetime, time
from pathlib import Path

import pytest
from congvu.inspect.actor import SYSTEM, Actor
from congvu.inspect.dossiers.tables import Dossier
from congvu.inspect.emulation import api as emulation
from congvu.inspect.evidence import api as evidence
from congvu.inspect.evidence.tables import EvidenceItem
from congvu.inspect.inspections.tables import Inspection
from congvu.inspect.review import api as review
from congvu.inspect.review.api import Command
from congvu.inspect.settings import get_settings

from tests.discipline.conftest import confirmed_finding
from tests.evidence.conftest import EvidenceWorld, pdf_bytes

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
    assert h["summary"] == ("Xử lý sau kiểm tra: Phê bình đối với Nguyễn Thị Lan (Phường An Hòa)")
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


async def _decide_team(inspection_id: int, number: str, day: date, *, sealed: bool) -> None:
    await Inspection.update(
        {
            Inspection.team_decision_number: number,
            Inspection.team_decision_date: day,
            Inspection.team_decision_signer: "Lê Văn Giám",
            Inspection.team_decision_signer_title: "Giám đốc Sở Nội vụ",
            Inspection.sealed: sealed,
        }
    ).where(Inspection.id == inspection_id)


async def test_a_team_decision_is_filed_with_its_number_and_date_without_a_file(
    ew: EvidenceWorld,
) -> None:
    rw = ew.rw
    await _decide_team(rw.inspection_a.id, "125/QĐ-SNV", date(2026, 2, 18), sealed=False)
    # A sealed surprise inspection's decision would name the unit before the visit.
    await _decide_team(rw.inspection_b.id, "126/QĐ-SNV", date(2026, 2, 18), sealed=True)
    await evidence.register_produced(2026, ew.reporter)
    items = await EvidenceItem.select().where(EvidenceItem.source_kind == "team_decision")
    assert len(items) == 1
    (item,) = items
    assert item["source_ref"] == f"team-decision:{rw.inspection_a.id}"
    assert (item["number"], item["issued_on"]) == ("125/QĐ-SNV", date(2026, 2, 18))
    assert item["summary"] == (
        f"Quyết định thành lập đoàn kiểm tra công vụ tại {rw.world.commune_a.name}"
    )
    assert item["issuer_unit"] == rw.world.commune_a.id
    assert (item["sha256"], item["file_path"], item["extension"]) == ("", None, "")
    assert await _codes(item["id"]) == ["4.3"]
    again = await evidence.register_produced(2026, ew.reporter)
    assert again.added == 0 and again.changed == 0
    # A corrected number updates the same item, and the minutes, which cite the
    # decision, are a new version.
    await _decide_team(rw.inspection_a.id, "127/QĐ-SNV", date(2026, 2, 18), sealed=False)
    corrected = await evidence.register_produced(2026, ew.reporter)
    assert (corrected.added, corrected.changed) == (0, 2)
    rows = await EvidenceItem.select().where(
        EvidenceItem.source_ref.is_in(
            [f"team-decision:{rw.inspection_a.id}", f"minutes:{rw.inspection_a.id}"]
        )
    )
    versions = {r["source_kind"]: (r["number"], r["version"]) for r in rows}
    assert versions == {"team_decision": ("127/QĐ-SNV", 1), "minutes": ("1/BB-KTCV", 2)}


PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
MEETING = "annual-step:2026:P-A:unit_meeting"
SELF_REPORT = "annual-step:2026:P-A:self_report"


async def _meeting(personnel: Actor, file: tuple[str, bytes]) -> None:
    await emulation.record_step(
        personnel,
        "2026",
        "P-A",
        "unit_meeting",
        {"done_on": "15/12/2026", "document_number": "01/BB-PVHCC"},
        emulation.StepUpload(*file),
    )


async def _steps() -> dict[str, dict[str, object]]:
    rows = await EvidenceItem.select().where(EvidenceItem.source_ref.like("annual-step:%"))
    return {r["source_ref"]: r for r in rows}


async def test_annual_steps_are_filed_with_their_files(ew: EvidenceWorld, tmp_path: Path) -> None:
    personnel = ew.personnel
    await emulation.open_period(personnel, "2026")
    pdf = pdf_bytes("bien ban hop don vi")
    await _meeting(personnel, ("Biên bản họp đơn vị.pdf", pdf))
    await emulation.record_step(personnel, "2026", "P-A", "self_report", {"done_on": "10/12/2026"})
    await evidence.register_produced(2026)
    steps = await _steps()
    assert set(steps) == {MEETING, SELF_REPORT}
    meeting, self_report = steps[MEETING], steps[SELF_REPORT]
    assert meeting["source_kind"] == self_report["source_kind"] == "emulation_document"
    assert meeting["number"] == "01/BB-PVHCC" and meeting["issued_on"] == date(2026, 12, 15)
    assert meeting["summary"] == (
        "Biên bản họp đơn vị – đánh giá, xếp loại năm 2026 của Phường An Hòa"
    )
    assert meeting["issuer_unit"] == ew.rw.world.commune_a.id
    assert meeting["sha256"] == hashlib.sha256(pdf).hexdigest()
    assert meeting["extension"] == "pdf" and meeting["version"] == 1
    assert self_report["sha256"] == "" and self_report["extension"] == ""
    assert self_report["file_path"] is None and self_report["issued_on"] == date(2026, 12, 10)
    assert await _codes(int(str(meeting["id"]))) == ["5.3"]  # the year's list auto-tags it
    bundle = await evidence.export_year(2026, tmp_path / "a.zip")
    with zipfile.ZipFile(tmp_path / "a.zip") as archive:
        packed = [n for n in archive.namelist() if "Biên bản họp đơn vị" in n]
        assert len(packed) == 1 and archive.read(packed[0]) == pdf
    assert packed[0].startswith("5.3/01-BB-PVHCC - ") and packed[0].endswith(".pdf")
    assert [r.note for r in bundle.rows if r.summary == meeting["summary"]] == [""]

    # A replaced file is a new version of the same item; registering again changes nothing.
    await _meeting(personnel, ("Ảnh biên bản.png", PNG))
    replaced = await evidence.register_produced(2026)
    assert replaced.changed == 1 and replaced.added == 0
    settled = await _steps()
    meeting = settled[MEETING]
    assert meeting["version"] == 2 and meeting["id"] == steps[MEETING]["id"]
    assert meeting["sha256"] == hashlib.sha256(PNG).hexdigest()
    assert meeting["extension"] == "png"
    again = await evidence.register_produced(2026)
    assert again.added == again.changed == 0 and again.unchanged == replaced.total
    assert await _steps() == settled
    await evidence.export_year(2026, tmp_path / "b.zip")
    with zipfile.ZipFile(tmp_path / "b.zip") as archive:
        packed = [n for n in archive.namelist() if "Biên bản họp đơn vị" in n]
        assert len(packed) == 1 and archive.read(packed[0]) == PNG
