"""The register's tests run in the review world (tests/worlds.py) with its two inspections'
minutes numbered and submitted in 2026, a personnel officer, and a discipline case
decided on 20/03/2026 under number 9/QĐ-UBND (through a conviction: the shortest path)."""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from datetime import UTC, datetime

import pytest
from congvu.inspect.actor import Actor
from congvu.inspect.discipline import api as discipline
from congvu.inspect.discipline.api import ConvictionInput, DecisionInput, OpenCase
from congvu.inspect.inspections.tables import Inspection
from congvu.rules.discipline import Form

from tests import builders
from tests.discipline.conftest import D, confirmed_finding
from tests.worlds import ReviewWorld


@dataclass
class EvidenceWorld:
    rw: ReviewWorld
    personnel: Actor
    reporter: Actor
    case_id: int


@pytest.fixture
async def ew(rw: ReviewWorld) -> EvidenceWorld:
    rw.users["tochuc"] = await builders.account("tochuc", role="personnel", unit="P")
    personnel = await rw.actor("tochuc")
    for n, inspection in enumerate((rw.inspection_a, rw.inspection_b), start=1):
        await Inspection.update(
            {
                Inspection.minutes_number: f"{n}/BB-KTCV",
                Inspection.submitted_at: datetime(2026, 2, 23, 9, tzinfo=UTC),
            }
        ).where(Inspection.id == inspection.id)
    finding = await confirmed_finding(rw)
    case = await discipline.open_case(
        personnel, OpenCase(finding_ids=[finding]), today=D(2026, 3, 5)
    )
    judgment = ConvictionInput(
        "25/2026/HS-ST", "Tòa án nhân dân khu vực 1", D(2026, 3, 2), "prison"
    )
    await discipline.record_conviction(personnel, case, judgment, today=D(2026, 3, 5))
    await discipline.decide(
        personnel,
        case,
        DecisionInput(D(2026, 3, 20), Form.BUOC_THOI_VIEC, "9/QĐ-UBND", "Chủ tịch"),
        today=D(2026, 3, 20),
    )
    return EvidenceWorld(rw, personnel, await rw.actor("reporter"), case)


def pdf_bytes(text: str = "bien ban") -> bytes:
    return f"%PDF-1.4\n% {text}\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n".encode()


def jpeg_bytes() -> bytes:
    return b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9"


def docx_bytes() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return out.getvalue()
