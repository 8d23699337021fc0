"""A unit's KPI export read into the head's sheets over HTTP: CSV (";" as Vietnamese Excel
saves it) and XLSX, Vietnamese headers, refused rows reported with their row and the rest
saved."""

from __future__ import annotations

import io
from typing import Any

import pytest
from openpyxl import Workbook

from tests.conftest import login
from tests.emulation.conftest import Commune, form
from tests.worlds import ReviewWorld

pytestmark = pytest.mark.anyio


async def upload(client: Any, name: str, data: bytes) -> Any:
    return await client.post(
        "/ratings/2026-Q3/units/P-C/import",
        data=form(client),
        files=[("file", (name, data, "application/octet-stream"))],
    )


async def test_csv_and_xlsx_imports(client: Any, rw: ReviewWorld, commune_c: Commune) -> None:
    await login(client, "tochuc")
    await client.post("/ratings/periods", data=form(client, period="2026-Q3"))
    await login(client, "head_c")
    first, second = commune_c.x[0], commune_c.x[1]
    text = (
        "Mã cán bộ;a;b;c;Nhóm nhiệm vụ\n"
        f"{first.code};90;85,5;80;X\n"
        f"{second.code};120;80;80;X\n"
        "B001;90;90;90;X\n"
        ";;;;\n"
    )
    response = await upload(client, "kpi.csv", text.encode("utf-8-sig"))
    assert response.status_code == 200
    assert "Đã lưu 1 phiếu" in response.text
    assert "Dòng 3: Tỷ lệ phải từ 0 đến 100." in response.text
    assert "Dòng 4: Không có cán bộ mã này trong đơn vị." in response.text

    book = Workbook()
    sheet = book.active
    sheet.append(["Mã cán bộ", "A", "B", "C"])
    sheet.append([second.code, 100, 100, 100])
    buffer = io.BytesIO()
    book.save(buffer)
    response = await upload(client, "kpi.xlsx", buffer.getvalue())
    assert response.status_code == 200 and "Đã lưu 1 phiếu" in response.text

    board = (await client.get("/api/v1/ratings/2026-Q3/units/P-C")).json()
    scores = {o["official_id"]: o["score"] for o in board["officials"]}
    # (90 + 85.5 + 80) / 3 x 0.7 = 59.62 (rounded), + 30.
    assert scores[first.id]["results"] == 59.62 and scores[second.id]["total"] == 100

    bad = await upload(client, "kpi.csv", b"Ho ten,diem\nA,1\n")
    assert bad.status_code == 400 and 'id="error-file"' in bad.text
