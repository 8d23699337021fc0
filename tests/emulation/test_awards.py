"""Hình thức khen thưởng đã đạt: the personnel office records an official's awards on its
page (a typo'd date or a missing field is shown beside its field), the list names them,
Mẫu số 05 lists them in its section IV, the danh hiệu thi đua and the hình thức khen
thưởng apart, each value in its own cell (opened with python-docx and from the page); a
removal takes one out; both steps are audited; a unit head is refused the page, commune
B's official is not found."""

from __future__ import annotations

import io
from html.parser import HTMLParser
from typing import Any

import pytest
from congvu.inspect.audit.tables import AuditEvent
from congvu.inspect.emulation import api as emulation
from congvu.inspect.errors import Forbidden, NotFound
from congvu.rules.discipline_standing import DisciplineStanding
from docx import Document

from tests.conftest import csrf, login
from tests.documents.reading import html_text
from tests.emulation.conftest import Commune
from tests.emulation.test_documents import _rated
from tests.worlds import ReviewWorld

pytestmark = pytest.mark.anyio


def awards_table(content: bytes, kind: str = "Danh hiệu thi đua") -> list[list[str]]:
    """One of section IV's two tables of the .docx, opened with python-docx (``kind``: its
    second column, "Danh hiệu thi đua" or "Hình thức khen thưởng"): its rows below the head,
    which is checked cell by cell."""
    doc = Document(io.BytesIO(content))
    for table in doc.tables:
        rows = [[c.text for c in row.cells] for row in table.rows]
        if rows and rows[0][1] == kind:
            assert rows[0] == [
                "Năm", kind, "Số quyết định", "Ngày quyết định", "Cơ quan ban hành quyết định"
            ]  # fmt: skip
            return rows[1:]
    raise AssertionError(f"no table of {kind}")


class _Tables(HTMLParser):
    """The page's tables as rows of cell texts."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: list[list[list[str]]] = []
        self.cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table":
            self.tables.append([])
        elif tag == "tr" and self.tables:
            self.tables[-1].append([])
        elif tag in ("td", "th"):
            self.cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self.cell is not None:
            self.tables[-1][-1].append(" ".join("".join(self.cell).split()))
            self.cell = None

    def handle_data(self, data: str) -> None:
        if self.cell is not None:
            self.cell.append(data)


def html_rows(content: bytes, kind: str) -> list[list[str]]:
    """The rows (head included) of the page's table whose second column is ``kind``."""
    parser = _Tables()
    parser.feed(content.decode())
    return next(t for t in parser.tables if t and t[0][1:2] == [kind])


def award(code: str, **changes: str) -> dict[str, str]:
    return {
        "official": code,
        "year": "2025",
        "form": "Chiến sĩ thi đua cơ sở",
        "decision_number": "45/QĐ-UBND",
        "decided_on": "20/01/2025",
        "issuer": "Chủ tịch UBND phường An Hòa",
        **changes,
    }


async def test_awards_received_are_listed_in_the_achievement_report(
    client: Any, rw: ReviewWorld, commune_c: Commune, standings: dict[int, DisciplineStanding]
) -> None:
    lan, _ = await _rated(rw)
    code = rw.world.official_a.code
    await login(client, "tochuc")
    refused = await client.post(
        "/ratings/awards", data=award(code, decided_on="31/02/2025"), headers=csrf(client)
    )
    assert refused.status_code == 400
    assert 'id="error-decided_on"' in refused.text and "dd/mm/yyyy" in refused.text
    assert 'value="45/QĐ-UBND"' in refused.text  # what was typed is kept
    missing = await client.post("/ratings/awards", data=award(code, form=" "), headers=csrf(client))
    assert missing.status_code == 400 and 'id="error-form"' in missing.text
    for values in (
        award(code),
        award(
            code,
            year="2024",
            form="Giấy khen của Chủ tịch UBND phường",
            decision_number="12/QĐ-UBND",
            decided_on="15/12/2024",
        ),
    ):
        added = await client.post(
            "/ratings/awards", data=values, headers=csrf(client), follow_redirects=False
        )
        assert added.status_code == 303, added.text
    page = await client.get("/ratings/awards")
    assert page.status_code == 200
    assert page.text.index("Chiến sĩ thi đua cơ sở") < page.text.index("Giấy khen của Chủ tịch")
    assert "20/01/2025" in page.text and "Nguyễn Thị Lan" in page.text

    officer = await rw.actor("tochuc")
    _, content = await emulation.document(officer, "2026", "P-A", "bao-cao-thanh-tich", "docx", lan)
    # Mẫu số 05 lists the danh hiệu thi đua and the hình thức khen thưởng apart, each value
    # in its own cell.
    assert awards_table(content) == [
        [
            "2025",
            "Chiến sĩ thi đua cơ sở",
            "45/QĐ-UBND",
            "20/01/2025",
            "Chủ tịch UBND phường An Hòa",
        ]
    ]
    assert awards_table(content, "Hình thức khen thưởng") == [
        [
            "2024",
            "Giấy khen của Chủ tịch UBND phường",
            "12/QĐ-UBND",
            "15/12/2024",
            "Chủ tịch UBND phường An Hòa",
        ]
    ]
    _, printed = await emulation.document(officer, "2026", "P-A", "bao-cao-thanh-tich", "html", lan)
    section = html_text(printed)
    section = section[section.index("IV. CÁC HÌNH THỨC ĐÃ ĐƯỢC KHEN THƯỞNG") :]
    assert section.index("1. Danh hiệu thi đua") < section.index("2. Hình thức khen thưởng")
    assert html_rows(printed, "Danh hiệu thi đua") == [
        ["Năm", "Danh hiệu thi đua", "Số quyết định", "Ngày quyết định",
         "Cơ quan ban hành quyết định"],
        ["2025", "Chiến sĩ thi đua cơ sở", "45/QĐ-UBND", "20/01/2025",
         "Chủ tịch UBND phường An Hòa"],
    ]  # fmt: skip
    assert html_rows(printed, "Hình thức khen thưởng")[1] == [
        "2024", "Giấy khen của Chủ tịch UBND phường", "12/QĐ-UBND", "15/12/2024",
        "Chủ tịch UBND phường An Hòa",
    ]  # fmt: skip

    listed = await emulation.awards(officer)
    first = next(a for a in listed if a["year"] == 2025)
    removed = await client.post(
        f"/ratings/awards/{first['id']}/remove", headers=csrf(client), follow_redirects=False
    )
    assert removed.status_code == 303
    _, content = await emulation.document(officer, "2026", "P-A", "bao-cao-thanh-tich", "docx", lan)
    assert awards_table(content) == [["", "Không có", "", "", ""]]
    assert [r[0] for r in awards_table(content, "Hình thức khen thưởng")] == ["2024"]
    actions = [
        r["action"]
        for r in await AuditEvent.select(AuditEvent.action).where(
            AuditEvent.object_type == "emulation_award_received"
        )
    ]
    assert sorted(actions) == ["award.add", "award.add", "award.remove"]

    with pytest.raises(Forbidden):
        await emulation.awards(await rw.actor("head_a"))
    with pytest.raises(NotFound):  # tochuc's scope is the province: an unknown code
        await emulation.add_award(officer, award("KHONG-CO"))


async def test_without_awards_the_report_says_so(
    rw: ReviewWorld, commune_c: Commune, standings: dict[int, DisciplineStanding]
) -> None:
    lan, _ = await _rated(rw)
    officer = await rw.actor("tochuc")
    _, content = await emulation.document(officer, "2026", "P-A", "bao-cao-thanh-tich", "docx", lan)
    for kind in ("Danh hiệu thi đua", "Hình thức khen thưởng"):
        assert awards_table(content, kind) == [["", "Không có", "", "", ""]]
