"""Nhập danh sách cán bộ: a CSV or XLSX roster previewed (nothing written), then
confirmed; new / changed / unchanged / rejected counts, each rejected row with its row
number and reason; a renamed JPEG and an XLSX bomb refused at upload."""

from __future__ import annotations

import html
import io
import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from congvu.inspect.audit.tables import AuditEvent
from congvu.inspect.organisation.tables import Official, OfficialMove
from openpyxl import Workbook

from tests import builders
from tests.conftest import csrf, login
from tests.dossiers import hostile
from tests.worlds import World

pytestmark = pytest.mark.anyio

HEADER = "Mã,Họ và tên,Giới tính,Ngày sinh,Ngạch/loại,Chức vụ,Lãnh đạo,Mã đơn vị"
CSV = "\n".join(
    [
        HEADER,
        "A100,Phạm Thị Hoa,Nữ,02/03/1990,Công chức,Văn thư,không,P-A",  # 2: new
        "A001,Nguyễn Thị Lan,Nữ,,Công chức,Phó Giám đốc,có,P-A-PVHCC",  # 3: changed
        "A002,Trần Văn Hùng,Nam,,Cán bộ,Chủ tịch UBND,có,P-A",  # 4: unchanged
        "A101,Lê Văn Nam,Nam,01/01/1985,Công chức,Kế toán,không,P-Z",  # 5: unknown unit
        "A102,Đỗ Thu Hà,Nữ,31/02/1991,Viên chức,Giáo viên,không,P-A",  # 6: bad date
        "A100,Vũ Văn Ân,Nam,,Công chức,Địa chính,không,P-A",  # 7: duplicate of row 2
        "A103,,Nam,,Công chức,Tư pháp,không,P-A",  # 8: no name
        "A104,Hồ Văn Uy,Nam,,Công chức,Tư pháp,không,P-B",  # 9: commune B, not in scope
        "",
    ]
)


async def upload(client: Any, name: str, content: bytes) -> Any:
    return await client.post(
        "/units/roster",
        files={"file": (name, content, "application/octet-stream")},
        headers=csrf(client),
    )


def hidden(page: str, name: str) -> str:
    match = re.search(rf'name="{name}" value="([^"]*)"', page)
    assert match, name
    return html.unescape(match.group(1))


async def test_a_csv_roster_is_previewed_then_confirmed(client, world: World) -> None:
    await builders.account("tochuc", role="personnel", unit="P-A")
    await login(client, "tochuc")
    assert (await client.get("/units/roster")).status_code == 200
    preview = await upload(client, "danh-sach.csv", CSV.encode())
    assert preview.status_code == 200, preview.text
    text = preview.text
    for label, n in [("Cán bộ mới", 1), ("Cán bộ thay đổi", 1), ("Cán bộ không đổi", 1)]:
        assert f'<th scope="row">{label}</th><td>{n}</td>' in text
    assert '<th scope="row">Dòng bị loại</th><td>5</td>' in text
    for row, reason in [
        (5, "Không có đơn vị mã P-Z trong phạm vi của bạn."),
        (6, "Ngày sinh “31/02/1991” không đúng dạng dd/mm/yyyy."),
        (7, "Mã A100 trùng với dòng 2 trong tệp."),
        (8, "Thiếu họ và tên."),
        (9, "Không có đơn vị mã P-B trong phạm vi của bạn."),
    ]:
        assert f"<tr><td>{row}</td>" in text and reason in text
    assert "Đổi chức vụ, lãnh đạo." in text
    # A preview writes nothing.
    assert not await Official.exists().where(Official.code == "A100")
    confirmed = await client.post(
        "/units/roster/confirm",
        data={"rows": hidden(text, "rows"), "file_name": hidden(text, "file_name")},
        headers=csrf(client),
    )
    assert confirmed.status_code == 200
    assert "Kết quả nhập danh sách cán bộ" in confirmed.text
    new = await Official.select().where(Official.code == "A100").first()
    assert new["full_name"] == "Phạm Thị Hoa" and new["birth_date"] == date(1990, 3, 2)
    assert new["gender"] == "nu" and new["unit"] == world.commune_a.id
    lan = await Official.select().where(Official.code == "A001").first()
    assert lan["position"] == "Phó Giám đốc" and lan["is_leader"] is True
    assert not await OfficialMove.exists()
    events = await AuditEvent.select(AuditEvent.action, AuditEvent.reason).where(
        AuditEvent.object_type == "official"
    )
    assert sorted(e["action"] for e in events) == ["official_added", "official_edited"]
    assert all("danh-sach.csv" in e["reason"] for e in events)
    # The same file again changes nothing.
    again = await upload(client, "danh-sach.csv", CSV.encode())
    assert '<th scope="row">Cán bộ không đổi</th><td>3</td>' in again.text
    assert "Tệp không có cán bộ mới hay thay đổi nào." in again.text


async def test_an_xlsx_roster_with_title_rows_and_date_cells(client, world: World) -> None:
    book = Workbook()
    sheet = book.active
    sheet.append(["UBND PHƯỜNG AN HÒA"])
    sheet.append(["DANH SÁCH CÁN BỘ, CÔNG CHỨC"])
    sheet.append(HEADER.split(","))
    sheet.append(["A200", "Ngô Thị An", "Nữ", date(1992, 5, 6), "Viên chức", "Y sĩ", "", "P-A"])
    sheet.append(["A001", "Nguyễn Thị Lan", "Nữ", None, "Công chức", "Chuyên viên", "", "P-A"])
    sheet.append(["A201", "Cao Văn Ăn", "Nam", None, "Bác sĩ", "Y sĩ", "không", "P-A"])
    out = io.BytesIO()
    book.save(out)
    await login(client, "admin")
    preview = await upload(client, "danh-sach.xlsx", out.getvalue())
    assert preview.status_code == 200, preview.text
    assert '<th scope="row">Cán bộ mới</th><td>1</td>' in preview.text
    assert '<th scope="row">Cán bộ thay đổi</th><td>1</td>' in preview.text
    assert "<tr><td>6</td><td>A201</td>" in preview.text
    assert "Ngạch/loại “Bác sĩ” không hợp lệ." in preview.text
    assert "Đổi chức vụ, đơn vị." in preview.text
    confirmed = await client.post(
        "/units/roster/confirm",
        data={"rows": hidden(preview.text, "rows"), "file_name": "danh-sach.xlsx"},
        headers=csrf(client),
    )
    assert confirmed.status_code == 200
    new = await Official.select().where(Official.code == "A200").first()
    assert new["birth_date"] == date(1992, 5, 6) and new["category"] == "vien_chuc"
    move = await OfficialMove.select().where(OfficialMove.official == world.official_a.id).first()
    assert move["from_unit"] == world.desk_a.id and move["to_unit"] == world.commune_a.id


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("anh.csv", hostile.jpeg(), "Tệp anh.csv không phải tệp CSV: nội dung là ảnh JPEG."),
        ("bom.xlsx", hostile.zip_bomb(8), "nghi tệp nén bom"),
        ("anh.jpg", hostile.jpeg(), "Chỉ nhận tệp CSV hoặc XLSX."),
        ("trong.csv", b"Ten,Tuoi\nAn,30\n", "không có dòng tiêu đề với các cột"),
    ],
)
async def test_a_file_that_is_not_a_roster_is_refused_at_upload(
    client, world: World, name: str, content: bytes, message: str
) -> None:
    await login(client, "admin")
    refused = await upload(client, name, content)
    assert refused.status_code == 400
    assert message in refused.text


async def test_a_tampered_confirmation_is_refused_and_judged_again(client, world: World) -> None:
    await login(client, "head_a")
    assert (await client.get("/units/roster")).status_code == 403
    await builders.account("tochuc", role="personnel", unit="P-A")
    client.cookies.clear()
    await login(client, "tochuc")
    bad = await client.post("/units/roster/confirm", data={"rows": "[1]"}, headers=csrf(client))
    assert bad.status_code == 400 and "hãy tải tệp lên lại" in bad.text
    # Rows edited in the form are judged again: commune B stays out of reach.
    forged = '[[2, {"code": "B900", "full_name": "X Y", "gender": "Nam", "category":'
    forged += ' "Công chức", "position": "Z", "unit_code": "P-B"}]]'
    answer = await client.post(
        "/units/roster/confirm", data={"rows": forged, "file_name": "x.csv"}, headers=csrf(client)
    )
    assert answer.status_code == 200
    assert not await Official.exists().where(Official.code == "B900")


def test_congvu_roster_import_previews_then_writes(tmp_path: Path) -> None:
    """In-process (click's runner), as tests/test_account_admin.py does."""
    from click.testing import CliRunner
    from congvu.inspect.cli import cli
    from congvu.inspect.cli.common import run

    async def commune() -> None:
        await builders.unit("CLI-X", "Xã Thử Dòng Lệnh")

    async def written() -> bool:
        return bool(await Official.exists().where(Official.code == "CLI1"))

    run(commune)
    roster = tmp_path / "danh-sach.csv"
    roster.write_text(
        f"{HEADER}\nCLI1,Mai Văn Tú,Nam,,Công chức,Văn thư,,CLI-X\n"
        "CLI2,,Nam,,Công chức,Văn thư,,CLI-X\n",
        encoding="utf-8",
    )
    runner = CliRunner()
    preview = runner.invoke(cli, ["roster", "import", str(roster)])
    assert preview.exit_code == 0, preview.output
    assert "Mới / new: 1" in preview.output and "Dòng 3: Thiếu họ và tên." in preview.output
    assert not run(written)
    done = runner.invoke(cli, ["roster", "import", str(roster), "--confirm"])
    assert done.exit_code == 0, done.output
    assert run(written)
