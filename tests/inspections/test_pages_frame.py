"""The frame every page shares, as a first user found it: a Vietnamese 404 with
navigation, a favicon on every page, the admin's title said once."""

from __future__ import annotations

import pytest
from congvu.inspect.organisation.tables import User

from tests.conftest import login
from tests.screen_text import visible_text

pytestmark = pytest.mark.anyio

FAVICON = '<link rel="icon" href="/static/img/icon.svg" type="image/svg+xml">'


async def test_an_unknown_address_is_a_vietnamese_404_with_navigation(client, iw) -> None:
    await login(client, "inspector")
    page = await client.get("/khong-co-trang-nay")
    assert page.status_code == 404
    text = visible_text(page.text)
    assert "Không tìm thấy trang" in text
    assert "Not Found" not in text
    # An unknown address matches no route, so the page cannot know the role: it leads
    # home, where every role's tasks are.
    assert '<a class="button" href="/">Về trang chủ</a>' in page.text
    assert "Địa chỉ này không có trang nào" in text
    assert FAVICON in page.text
    api = await client.get("/api/v1/khong-co", headers={"accept": "application/json"})
    assert api.status_code == 404


async def test_every_page_has_the_favicon(client, iw) -> None:
    assert FAVICON in (await client.get("/login")).text
    await login(client, "inspector")
    for url in ("/inspections", f"/inspections/{iw.inspection.id}/capture", "/notifications"):
        page = await client.get(url)
        assert page.status_code == 200, url
        assert page.text.count(FAVICON) == 1, url


async def test_the_admin_header_says_quan_tri_he_thong_once(client, iw) -> None:
    # The demo's administrator account is named after its role.
    await User.update({User.display_name: "Quản trị hệ thống"}).where(User.username == "admin")
    await login(client, "admin")
    page = await client.get("/")
    header = page.text.split("<header")[1].split("</header>")[0]
    assert visible_text(header).count("Quản trị hệ thống") == 1
