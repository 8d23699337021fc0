"""Uploads (content sniffed, a renamed file refused, size and duplicates checked, hash
kept) and the year's ZIP: a folder per criterion, safe file names, the index sheet with
each file's SHA-256, a file changed since registration flagged."""

from __future__ import annotations

import hashlib
import io
import zipfile
from pathlib import Path

import openpyxl
import pytest
from congvu.inspect.errors import Conflict, Forbidden, Invalid
from congvu.inspect.evidence import api as evidence
from congvu.inspect.evidence.tables import EvidenceItem
from congvu.inspect.settings import get_settings

from tests.evidence.conftest import EvidenceWorld, docx_bytes, jpeg_bytes, pdf_bytes

pytestmark = pytest.mark.anyio


async def _form(
    year: int, codes: list[str], name: str, data: bytes, **kw: str
) -> evidence.UploadForm:
    return evidence.UploadForm(
        year=year,
        number=kw.get("number", "12/QĐ-UBND"),
        issued_on=kw.get("issued_on", "05/03/2026"),
        summary=kw.get("summary", "Về việc kiểm tra công vụ quý I"),
        criterion_ids=await evidence.criterion_ids(year, codes),
        file_name=name,
        data=data,
    )


async def test_a_renamed_jpeg_is_refused(ew: EvidenceWorld) -> None:
    await evidence.ensure_year(2026)
    with pytest.raises(Invalid, match=r"đuôi \.pdf nhưng nội dung là ảnh JPEG") as error:
        await evidence.upload(
            ew.reporter, await _form(2026, ["4.3"], "quyet-dinh.pdf", jpeg_bytes())
        )
    assert error.value.field == "file"
    with pytest.raises(Invalid, match="không phải Word"):
        await evidence.upload(ew.reporter, await _form(2026, ["4.3"], "a.docx", b"PK\x03\x04xx"))
    with pytest.raises(Invalid, match="Chỉ nhận tệp"):
        await evidence.upload(ew.reporter, await _form(2026, ["4.3"], "a.exe", pdf_bytes()))
    with pytest.raises(Invalid, match="dd/mm/yyyy"):
        await evidence.upload(
            ew.reporter, await _form(2026, ["4.3"], "a.pdf", pdf_bytes(), issued_on="31/02/2026")
        )
    assert await EvidenceItem.count() == 0


async def test_upload_keeps_the_hash_and_refuses_a_duplicate(ew: EvidenceWorld) -> None:
    await evidence.ensure_year(2026)
    data = pdf_bytes()
    item = await evidence.upload(ew.personnel, await _form(2026, ["4.3", "1.3"], "qd.PDF", data))
    row = await EvidenceItem.select().where(EvidenceItem.id == item).first()
    assert row["sha256"] == hashlib.sha256(data).hexdigest() and row["extension"] == "pdf"
    assert (get_settings().media_dir / row["file_path"]).read_bytes() == data
    assert row["issued_on"].isoformat() == "2026-03-05"
    with pytest.raises(Conflict, match="đã có trong danh mục"):
        await evidence.upload(ew.personnel, await _form(2026, ["4.3"], "lai.pdf", data))
    official = await ew.rw.actor("official_a")
    with pytest.raises(Forbidden):
        await evidence.upload(official, await _form(2026, ["4.3"], "b.pdf", pdf_bytes("khac")))


async def test_the_years_zip(ew: EvidenceWorld, tmp_path: Path) -> None:
    await evidence.register_produced(2026)
    await evidence.upload(ew.reporter, await _form(2026, ["4.3", "1.3"], "qd.pdf", pdf_bytes()))
    await evidence.upload(
        ew.reporter,
        await _form(
            2026, ["5.4"], "bc.docx", docx_bytes(), number="7/BC-SNV", summary='=Báo cáo "kỷ luật"'
        ),
    )
    out = tmp_path / "evidence.zip"
    bundle = await evidence.export_year(2026, out)
    with zipfile.ZipFile(out) as archive:
        names = sorted(archive.namelist())
        files = {n: archive.read(n) for n in names}
    assert "Muc-luc.xlsx" in names
    assert "4.3/12-QĐ-UBND - Về việc kiểm tra công vụ quý I.pdf" in names
    assert "1.3/12-QĐ-UBND - Về việc kiểm tra công vụ quý I.pdf" in names
    assert "5.4/7-BC-SNV - =Báo cáo kỷ luật.docx" in names
    decision = [n for n in names if n.startswith("5.4/9-QĐ-UBND - Quyết định kỷ luật")]
    assert len(decision) == 1 and decision[0].endswith(".docx")
    book = openpyxl.load_workbook(io.BytesIO(files["Muc-luc.xlsx"]))
    sheet = book["Mục lục"]
    header = [c.value for c in sheet[3]]
    assert header == list(evidence.INDEX_HEADER)
    rows = [[c.value for c in r] for r in sheet.iter_rows(min_row=4)]
    assert [r[0] for r in rows] == list(range(1, len(rows) + 1))
    assert len(rows) == len(bundle.rows) == 6  # 2 minutes, decision, upload ×2, report
    by_file = {r[6]: r for r in rows if r[6]}
    for name, row in by_file.items():
        assert row[7] == hashlib.sha256(files[name]).hexdigest()
    minutes = [r for r in rows if r[5] == "Biên bản kiểm tra"]
    assert {r[2] for r in minutes} == {"1/BB-KTCV", "2/BB-KTCV"}
    # The minutes are packed as the register filed them: their rendered .docx.
    assert all(r[1] == "4.3" and r[6].endswith(".docx") and not r[8] for r in minutes)
    assert by_file["5.4/7-BC-SNV - =Báo cáo kỷ luật.docx"][4] == '=Báo cáo "kỷ luật"'
    assert all(not r[8] for r in by_file.values())
    totals = {r[0].value: r[2].value for r in book["Tiêu chí"].iter_rows(min_row=2)}
    assert totals["4.3"] == 3 and totals["1.1"] == 0


async def test_a_file_changed_after_registration_is_flagged(
    ew: EvidenceWorld, tmp_path: Path
) -> None:
    await evidence.ensure_year(2026)
    item = await evidence.upload(ew.reporter, await _form(2026, ["4.3"], "qd.pdf", pdf_bytes()))
    row = await EvidenceItem.select().where(EvidenceItem.id == item).first()
    (get_settings().media_dir / row["file_path"]).write_bytes(pdf_bytes("sua lai"))
    bundle = await evidence.export_year(2026, tmp_path / "e.zip")
    assert [r.note for r in bundle.rows] == ["đã thay đổi sau khi đăng ký"]
    assert bundle.changed == 1
