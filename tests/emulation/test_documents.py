"""The rating and emulation documents of a unit's board, opened again (.docx, page,
workbook) and checked for the NĐ 30/2020 parts and for the values the board and the
record hold: Mẫu số 01 per official, the notice of the rating results, the list of
officials with confirmed violations, the tờ trình with its danh sách đề nghị and the báo
cáo thành tích (Mẫu số 05); names in Vietnamese order; who may have them."""

from __future__ import annotations

import io
from datetime import date
from typing import Any

import pytest
from congvu.inspect.emulation import api as emulation
from congvu.inspect.emulation.api import SheetAuthor
from congvu.inspect.errors import Conflict, Forbidden, NotFound
from congvu.inspect.i18n import name_sort_key
from congvu.rules.discipline_standing import DisciplineStanding
from openpyxl import load_workbook

from tests.conftest import login
from tests.documents.reading import assert_official, docx_text, html_text
from tests.emulation.conftest import Commune, confirmed
from tests.worlds import ReviewWorld

pytestmark = pytest.mark.anyio
READ = (("docx", docx_text), ("html", html_text))


async def _rated(rw: ReviewWorld) -> tuple[int, int]:
    """Official A (Nguyễn Thị Lan) scored 100/100/100 by her head for 2026-Q3 and 90/95/100
    by herself, with a confirmed late arrival (I.2 −0,5); the year 2026 opened with her
    initiative. Answers (the official's id, the finding's id)."""
    lan = rw.world.official_a
    late = await confirmed(rw, lan, "LATE_ARRIVAL", date(2026, 8, 3), date(2026, 8, 20))
    officer = await rw.actor("tochuc")
    await emulation.open_period(officer, "2026-Q3")
    await emulation.open_period(officer, "2026")
    head = await rw.actor("head_a")
    await emulation.save_sheet(
        head, "2026-Q3", lan.id, {"a": "100", "b": "100", "c": "100"}, author=SheetAuthor.HEAD
    )
    own = await rw.actor("official_a")
    await emulation.save_sheet(
        own,
        "2026-Q3",
        lan.id,
        {"a": "90", "b": "95", "c": "100", "g_I.1": "4,5"},
        author=SheetAuthor.SELF,
    )
    await emulation.add_initiative(
        officer, lan.id, 2026, "Số hóa sổ hộ tịch", "123/QĐ-UBND", date(2026, 8, 15)
    )
    return lan.id, late


async def test_the_rating_sheet_of_one_official(
    rw: ReviewWorld, commune_c: Commune, standings: dict[int, DisciplineStanding]
) -> None:
    lan, late = await _rated(rw)
    head = await rw.actor("head_a")
    board = await emulation.unit_board(head, "2026-Q3", "P-A")
    row = next(o for o in board["officials"] if o["official_id"] == lan)
    for fmt, read in READ:
        name, content = await emulation.document(head, "2026-Q3", "P-A", "phieu-danh-gia", fmt, lan)
        assert name == f"phieu-danh-gia-2026-Q3-P-A-{lan}.{fmt}"
        text = read(content)
        assert_official(
            text,
            issuer="Phường An Hòa",
            number=None,
            kind="Phiếu theo dõi, đánh giá công chức",
            date_line="Thử Nghiệm, ngày …… tháng …… năm ……",
            signer_title="Thủ trưởng đơn vị",
            recipients=False,
        )
        for shown in (
            "Mẫu số 01", "Quý III/2026", "Nguyễn Thị Lan", "Chuyên viên",
            "I.2. Ý thức kỷ luật, kỷ cương", "4,5", f"Phát hiện #{late}: Đi làm muộn",
            "xác nhận ngày 20/08/2026", "a. Số lượng sản phẩm (%)", "95",
            f"Tổng điểm: {str(row['score']['total']).replace('.', ',')}",
            f"Mức xếp loại đề xuất: {row['level_vi']}", "NGƯỜI TỰ ĐÁNH GIÁ",
        ):  # fmt: skip
            assert shown in text, (fmt, shown)
    with pytest.raises(Conflict, match="lập theo quý"):
        await emulation.document(head, "2026", "P-A", "phieu-danh-gia", "docx", lan)
    with pytest.raises(NotFound):
        await emulation.document(head, "2026-Q3", "P-A", "phieu-danh-gia", "xlsx", lan)
    with pytest.raises(NotFound):  # commune B's official is not on commune A's board
        await emulation.document(
            head, "2026-Q3", "P-A", "phieu-danh-gia", "docx", rw.world.official_b.id
        )


async def test_the_notice_and_the_violations_list(
    rw: ReviewWorld, commune_c: Commune, standings: dict[int, DisciplineStanding]
) -> None:
    _, late = await _rated(rw)
    head = await rw.actor("head_a")
    for fmt, read in READ:
        text = read(
            (await emulation.document(head, "2026-Q3", "P-A", "thong-bao-xep-loai", fmt))[1]
        )
        assert_official(
            text, issuer="Phường An Hòa", number=None, kind="Thông báo",
            date_line="Thử Nghiệm, ngày 10 tháng 09 năm 2026", signer_title="Thủ trưởng đơn vị",
        )  # fmt: skip
        assert "Kết quả đánh giá, xếp loại chất lượng công chức Quý III/2026" in text
        assert "Nguyễn Thị Lan" in text and "Tổng cộng" in text
        listed = read(
            (await emulation.document(head, "2026-Q3", "P-A", "danh-sach-ky-luat-vi-pham", fmt))[1]
        )
        assert f"Đi làm muộn (phát hiện #{late}, xác nhận ngày 20/08/2026)" in listed
        assert "DANH SÁCH" in listed and "Hội đồng Thi đua - Khen thưởng" in listed
    _, content = await emulation.document(head, "2026-Q3", "P-A", "thong-bao-xep-loai", "xlsx")
    book = load_workbook(io.BytesIO(content))
    assert book.sheetnames == ["Kết quả xếp loại", "Tổng hợp"]
    cells = [c.value for row in book["Tổng hợp"].iter_rows() for c in row]
    assert any(isinstance(v, str) and v.startswith("=SUM(") for v in cells)
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in cells and "THÔNG BÁO" in cells


async def test_lists_sort_names_the_vietnamese_way(
    rw: ReviewWorld, commune_c: Commune, standings: dict[int, DisciplineStanding]
) -> None:
    officer = await rw.actor("tochuc")
    await emulation.open_period(officer, "2026-Q3")
    _, content = await emulation.document(officer, "2026-Q3", "P-C", "thong-bao-xep-loai", "xlsx")
    sheet = load_workbook(io.BytesIO(content))["Kết quả xếp loại"]
    names = [r[1] for r in sheet.iter_rows(values_only=True) if isinstance(r[0], int)]
    assert len(names) == 18 and names == sorted(names, key=name_sort_key)
    assert names[:2] == ["Nguyễn Văn Bình", "Trần Thị Cúc"]


async def test_the_award_submission_and_the_achievement_report(
    rw: ReviewWorld, commune_c: Commune, standings: dict[int, DisciplineStanding]
) -> None:
    lan, _ = await _rated(rw)
    officer = await rw.actor("tochuc")
    board = await emulation.unit_board(officer, "2026", "P-A")
    row = next(o for o in board["officials"] if o["official_id"] == lan)
    proposed = [t["title_vi"] for t in row["titles"] if t["eligible"]]
    assert proposed, row  # the world gives her at least Lao động tiên tiến
    for fmt, read in READ:
        text = read(
            (await emulation.document(officer, "2026", "P-A", "to-trinh-khen-thuong", fmt))[1]
        )
        assert_official(
            text, issuer="Phường An Hòa", number=None, kind="Tờ trình",
            date_line="Thử Nghiệm, ngày 10 tháng 09 năm 2026", signer_title="Thủ trưởng đơn vị",
        )  # fmt: skip
        assert "Mẫu số 01" in text and "/TTr-" in text
        assert "Về việc đề nghị công nhận danh hiệu thi đua năm 2026" in text
        assert "DANH SÁCH ĐỀ NGHỊ KHEN THƯỞNG" in text and "Nguyễn Thị Lan" in text
        assert ", ".join(proposed) in text
        # NĐ 152/2025 Điều 50: 0.3 × 2,340,000 đ (NĐ 73/2024) on the document's day.
        assert "Mức tiền thưởng" in text and "Lao động tiên tiến: 702.000 đ" in text
        assert "Số hóa sổ hộ tịch (Quyết định số 123/QĐ-UBND ngày 15/08/2026)" in text
        assert "kính trình Tỉnh Thử Nghiệm" in text
        report = read(
            (await emulation.document(officer, "2026", "P-A", "bao-cao-thanh-tich", fmt, lan))[1]
        )
        for shown in (
            "Mẫu số 05", "BÁO CÁO THÀNH TÍCH", "Nguyễn Thị Lan", "Chức vụ: Chuyên viên",
            "Đơn vị công tác: Trung tâm PVHCC phường An Hòa", "Quý 3",
            "Số 123/QĐ-UBND ngày 15/08/2026", "Số hóa sổ hộ tịch", "NGƯỜI BÁO CÁO THÀNH TÍCH",
            f"mức xếp loại: {row['level_vi']}", "Độc lập - Tự do - Hạnh phúc",
        ):  # fmt: skip
            assert shown in report, (fmt, shown)
    _, content = await emulation.document(officer, "2026", "P-A", "to-trinh-khen-thuong", "xlsx")
    cells = [c.value for r in load_workbook(io.BytesIO(content)).active.iter_rows() for c in r]
    assert "Nguyễn Thị Lan" in cells
    with pytest.raises(Conflict, match="lập theo năm"):
        await emulation.document(officer, "2026-Q3", "P-A", "to-trinh-khen-thuong")


async def test_who_may_have_them(
    client: Any, rw: ReviewWorld, commune_c: Commune, standings: dict[int, DisciplineStanding]
) -> None:
    lan, _ = await _rated(rw)
    with pytest.raises(Forbidden):
        await emulation.document(
            await rw.actor("official_a"), "2026-Q3", "P-A", "thong-bao-xep-loai"
        )
    with pytest.raises(NotFound):  # commune A's head does not see commune B
        await emulation.document(await rw.actor("head_a"), "2026-Q3", "P-B", "thong-bao-xep-loai")
    with pytest.raises(NotFound):
        await emulation.document(await rw.actor("head_a"), "2026-Q3", "P-A", "khac")
    await login(client, "head_a")
    board = await client.get("/ratings/2026-Q3/units/P-A")
    assert "/ratings/2026-Q3/units/P-A/documents/thong-bao-xep-loai" in board.text
    assert f"/documents/phieu-danh-gia?official={lan}" in board.text
    base = "/ratings/2026-Q3/units/P-A/documents"
    page = await client.get(f"{base}/phieu-danh-gia?official={lan}&format=html")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    book = await client.get(f"{base}/thong-bao-xep-loai?format=xlsx")
    assert book.status_code == 200 and "spreadsheetml" in book.headers["content-type"]
    missing = await client.get(f"{base}/phieu-danh-gia")
    assert missing.status_code == 400


async def test_the_official_downloads_only_her_own_rating_sheet(
    client: Any, rw: ReviewWorld, commune_c: Commune, standings: dict[int, DisciplineStanding]
) -> None:
    lan, late = await _rated(rw)
    own = await rw.actor("official_a")
    name, content = await emulation.my_document(own, "2026-Q3", "phieu-danh-gia")
    assert name == f"phieu-danh-gia-2026-Q3-P-A-PVHCC-{lan}.docx"
    text = docx_text(content)  # opened with python-docx
    for shown in ("Mẫu số 01", "Quý III/2026", "Nguyễn Thị Lan", f"Phát hiện #{late}", "95"):
        assert shown in text, shown
    _, year = await emulation.my_document(own, "2026", "bao-cao-thanh-tich", "html")
    assert "Mẫu số 05" in html_text(year) and "Nguyễn Thị Lan" in html_text(year)
    with pytest.raises(NotFound):  # the lists are not hers to download
        await emulation.my_document(own, "2026-Q3", "thong-bao-xep-loai")
    with pytest.raises(NotFound):
        await emulation.my_document(own, "2026-Q3", "phieu-danh-gia", "xlsx")
    with pytest.raises(Forbidden):  # an account bound to no official has no sheet
        await emulation.my_document(await rw.actor("tochuc"), "2026-Q3", "phieu-danh-gia")
    await login(client, "official_a")
    page = await client.get("/ratings/2026-Q3/me")
    assert "/ratings/2026-Q3/me/documents/phieu-danh-gia" in page.text
    other = await client.get(
        f"/ratings/2026-Q3/me/documents/phieu-danh-gia?official={rw.deputy.id}"
    )
    assert other.status_code == 200  # ?official= is ignored: always her own
    assert "Nguyễn Thị Lan" in docx_text(other.content)
    printed = await client.get("/ratings/2026-Q3/me/documents/phieu-danh-gia?format=html")
    assert printed.status_code == 200 and printed.headers["content-type"].startswith("text/html")
