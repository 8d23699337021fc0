"""One search box: officials by name without diacritics, dossiers by code, findings by
number, each within the searcher's unit scope; through the page, as the box sends it."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from congvu.inspect.dossiers.tables import Dossier
from congvu.inspect.i18n import fold_diacritics
from congvu.inspect.search import api as search

from tests import builders
from tests.conftest import login
from tests.worlds import ReviewWorld

pytestmark = pytest.mark.anyio


@pytest.mark.parametrize(
    ("typed", "folded"),
    [
        ("Nguyễn Văn An", "nguyen van an"),
        ("ĐẶNG  Thị   Chi", "dang thi chi"),
        ("Lưu Thị Ửng", "luu thi ung"),
        # Decomposed marks, as some keyboards send them.
        ("Tra\u0302\u0300n Thi\u0323 Bi\u0300nh", "tran thi binh"),
    ],
)
def test_fold_diacritics(typed: str, folded: str) -> None:
    assert fold_diacritics(typed) == folded


async def _dossier(rw: ReviewWorld, code: str, unit: Any) -> None:
    await Dossier(
        code=code,
        procedure="Đăng ký khai sinh",
        sector="Hộ tịch",
        unit=unit.id,
        received_at=datetime(2026, 3, 2, 1, 0, tzinfo=UTC),
        status="on_time",
        flags="",
        updated_at=datetime(2026, 3, 2, 1, 0, tzinfo=UTC),
    ).save()


async def test_a_name_without_diacritics_finds_the_official_in_scope(
    client: Any, rw: ReviewWorld
) -> None:
    await login(client, "admin")
    page = await client.get("/search", params={"q": "nguyen thi lan"})
    assert page.status_code == 200
    assert "Nguyễn Thị Lan" in page.text and "/units/" in page.text
    # Words in any order, any case, part of a word.
    assert "Nguyễn Thị Lan" in (await client.get("/search", params={"q": "LAN nguy"})).text
    await login(client, "head_b")  # commune B: commune A's people are not theirs to find
    other = await client.get("/search", params={"q": "nguyen thi lan"})
    assert "Nguyễn Thị Lan" not in other.text
    assert "Không tìm thấy kết quả cho “nguyen thi lan” trong phạm vi được xem." in other.text


async def test_a_dossier_is_found_by_the_start_of_its_code_in_scope(rw: ReviewWorld) -> None:
    await _dossier(rw, "000.00.21.H40-260302-0001", rw.world.desk_a)
    await _dossier(rw, "000.00.21.H40-260302-0002", rw.world.commune_b)
    admin = await rw.actor("admin")
    found = await search.search(admin, "000.00.21.h40-260302")
    assert [h.title for h in found.dossiers] == [
        "000.00.21.H40-260302-0001",
        "000.00.21.H40-260302-0002",
    ]
    head_a = await rw.actor("head_a")
    assert [h.title for h in (await search.search(head_a, "000.00.21")).dossiers] == [
        "000.00.21.H40-260302-0001"
    ]
    # % and _ are characters of a code, not wildcards.
    assert (await search.search(admin, "%0001")).dossiers == []


async def test_a_finding_is_found_by_number_only_by_who_may_read_it(rw: ReviewWorld) -> None:
    finding_id = await rw.finding(rw.world.official_a)
    admin = await search.search(await rw.actor("admin"), f"#{finding_id}")
    assert [(h.title, h.link) for h in admin.findings] == [
        (f"Phát hiện #{finding_id}", f"/findings/{finding_id}")
    ]
    assert admin.findings[0].detail == "Nguyễn Thị Lan"
    assert (await search.search(await rw.actor("head_b"), str(finding_id))).findings == []
    assert (await search.search(await rw.actor("admin"), "#99999999")).findings == []


async def test_officials_have_no_search_and_an_empty_box_finds_nothing(
    client: Any, rw: ReviewWorld
) -> None:
    await login(client, "official_a")
    assert (await client.get("/search", params={"q": "lan"})).status_code == 403
    await login(client, "admin")
    empty = await client.get("/search", params={"q": "   "})
    assert empty.status_code == 200 and "Không tìm thấy" not in empty.text
    home = (await client.get("/")).text
    assert 'action="/search"' in home


async def test_a_long_list_of_namesakes_is_cut_and_says_so(rw: ReviewWorld) -> None:
    for i in range(25):
        await builders.official(rw.world.commune_b, f"NS{i:03d}", f"Nguyễn Văn Trùng {i}")
    found = await search.search(await rw.actor("admin"), "nguyen van trung")
    assert len(found.officials) == 20
    assert found.more_officials
