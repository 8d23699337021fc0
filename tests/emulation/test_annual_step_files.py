"""Files on the annual steps of commune A for 2026: the head attaches the meeting's minutes
(a PDF named in Vietnamese) to the step, which keeps its SHA-256 and offers it for download
to whoever reads the board (not to commune B's head); a JPEG renamed .pdf is refused in
words beside the field with the typed values kept and nothing recorded; a PNG replaces the
PDF, audited with the file it replaced; saving the step again without a file keeps it.
Once the year is locked, no step is recorded nor its file replaced."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from typing import Any

import pytest
from congvu.inspect.audit.tables import AuditEvent
from congvu.inspect.emulation import api as emulation
from congvu.inspect.emulation.tables import AnnualStepRecord, PeriodState, RatingPeriod
from congvu.inspect.errors import Conflict, Invalid
from congvu.rules.discipline_standing import DisciplineStanding

from tests.conftest import csrf, login
from tests.emulation.conftest import Commune
from tests.worlds import ReviewWorld

pytestmark = pytest.mark.anyio
BOARD = "/ratings/2026/units/P-A"
PDF = b"%PDF-1.4\n% bien ban hop\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 32


def _docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


async def _save(client: Any, step: str, values: dict[str, str], file: tuple[str, bytes]) -> Any:
    return await client.post(
        f"{BOARD}/steps/{step}",
        data=values,
        files={"file": file} if file[0] else None,
        headers=csrf(client),
        follow_redirects=False,
    )


async def test_a_step_carries_a_file(
    client: Any, rw: ReviewWorld, commune_c: Commune, standings: dict[int, DisciplineStanding]
) -> None:
    officer = await rw.actor("tochuc")
    for name in ("2026-Q3", "2026"):
        await emulation.open_period(officer, name)
    await login(client, "head_a")
    meeting = {"done_on": "15/12/2026", "document_number": "01/BB-PVHCC"}
    saved = await _save(client, "unit_meeting", meeting, ("Biên bản họp đơn vị.pdf", PDF))
    assert saved.status_code == 303, saved.text
    row = await AnnualStepRecord.select().where(AnnualStepRecord.step == "unit_meeting").first()
    assert row["file_name"] == "Biên bản họp đơn vị.pdf"
    assert row["file_sha256"] == hashlib.sha256(PDF).hexdigest()
    page = await client.get(BOARD)
    assert 'id="file-link-unit_meeting"' in page.text and "Biên bản họp đơn vị.pdf" in page.text
    assert 'enctype="multipart/form-data"' in page.text
    link = f"{BOARD}/steps/unit_meeting/file"
    got = await client.get(link)
    assert got.status_code == 200 and got.content == PDF
    assert got.headers["content-type"].startswith("application/pdf")
    assert "filename*=UTF-8''Bi%C3%AAn%20b%E1%BA%A3n" in got.headers["content-disposition"]
    assert (await client.get(f"{BOARD}/steps/decision/file")).status_code == 404
    assert (await client.get(f"{BOARD}/steps/nothing/file")).status_code == 404

    # A JPEG named .pdf: refused beside the field, the typed values kept, nothing recorded.
    decision = {"done_on": "20/12/2026", "document_number": "05/QĐ-UBND", "note": "Quyết định"}
    refused = await _save(client, "decision", decision, ("Quyết định xếp loại.pdf", JPEG))
    assert refused.status_code == 400 and 'id="error-file-decision"' in refused.text
    assert "Tệp mang đuôi .pdf nhưng nội dung là ảnh JPEG" in refused.text
    assert 'value="05/QĐ-UBND"' in refused.text and 'value="20/12/2026"' in refused.text
    assert not await AnnualStepRecord.exists().where(AnnualStepRecord.step == "decision")
    docx = await _save(client, "decision", decision, ("Quyết định.docx", _docx()))
    assert docx.status_code == 303, docx.text
    with pytest.raises(Invalid, match="Chỉ nhận tệp PDF, DOCX, XLSX, JPEG hoặc PNG"):
        await emulation.record_step(
            officer,
            "2026",
            "P-A",
            "notice",
            {"done_on": "22/12/2026"},
            emulation.StepUpload("thong-bao.exe", b"MZ"),
        )

    # A PNG replaces the PDF, audited; saving again without a file keeps the PNG.
    assert (await _save(client, "unit_meeting", meeting, ("Ảnh biên bản.png", PNG))).status_code
    again = await _save(client, "unit_meeting", {**meeting, "note": "Bổ sung"}, ("", b""))
    assert again.status_code == 303
    got = await client.get(link)
    assert got.content == PNG and got.headers["content-type"] == "image/png"
    replaced = await AuditEvent.select(AuditEvent.before, AuditEvent.after).where(
        AuditEvent.action == "annual_step.replace_file"
    )
    assert len(replaced) == 1
    before, after = (
        json.loads(v) if isinstance(v, str) else v
        for v in (replaced[0]["before"], replaced[0]["after"])
    )
    assert before == {
        "file_name": "Biên bản họp đơn vị.pdf",
        "sha256": hashlib.sha256(PDF).hexdigest(),
    }
    assert after == {"file_name": "Ảnh biên bản.png", "sha256": hashlib.sha256(PNG).hexdigest()}

    # Who reads the board downloads; commune B's head does not reach commune A.
    await login(client, "tochuc")
    assert (await client.get(link)).content == PNG
    await login(client, "head_b")
    assert (await client.get(link)).status_code in (403, 404)


async def test_a_locked_year_refuses_a_step_and_its_file(
    client: Any, rw: ReviewWorld, commune_c: Commune, standings: dict[int, DisciplineStanding]
) -> None:
    """Once the year is locked, a post the hidden form would have sent is refused in words
    on the board and the step keeps its file; the service refuses it too."""
    officer = await rw.actor("tochuc")
    await emulation.open_period(officer, "2026")
    await login(client, "head_a")
    meeting = {"done_on": "15/12/2026", "document_number": "01/BB-PVHCC"}
    assert (await _save(client, "unit_meeting", meeting, ("bien-ban.pdf", PDF))).status_code == 303
    # The lock job's outcome, without its computation: the refusal reads only the state.
    await RatingPeriod.update({RatingPeriod.state: PeriodState.LOCKED.value}).where(
        RatingPeriod.name == "2026"
    )
    refused = await _save(client, "unit_meeting", meeting, ("Ảnh biên bản.png", PNG))
    assert refused.status_code == 400
    assert "Kỳ đánh giá năm 2026 đã khóa" in refused.text
    assert (await client.get(f"{BOARD}/steps/unit_meeting/file")).content == PDF
    with pytest.raises(Conflict, match="đã khóa"):
        await emulation.record_step(officer, "2026", "P-A", "notice", {"done_on": "22/12/2026"})
    assert not await AnnualStepRecord.exists().where(AnnualStepRecord.step == "notice")
