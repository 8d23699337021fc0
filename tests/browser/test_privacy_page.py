"""The personal-data page in Chromium on the demo at 1024×768: reached from the sign-in
page's footer before signing in, then the demo official (congchuc) downloads their
ZIP from it; the download holds their findings, giải trình, photos, rating and
discipline case. Screenshots under tests/artifacts/."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import ARTIFACTS, DEMO_PASSWORD, DemoServer

pytestmark = pytest.mark.slow


def test_privacy_page_and_download(demo_server: DemoServer, browser: Any, tmp_path: Path) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    context = browser.new_context(
        viewport={"width": 1024, "height": 768},
        locale="vi-VN",
        timezone_id="Asia/Ho_Chi_Minh",
        accept_downloads=True,
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.goto(f"{demo_server.url}/login")
    page.get_by_role("link", name="Dữ liệu cá nhân: thu thập gì, để làm gì, lưu bao lâu").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Dữ liệu cá nhân")
    expect(page.locator("#data-kinds")).to_contain_text("1826 ngày kể từ khi vụ việc khép lại")
    page.screenshot(path=str(ARTIFACTS / "privacy-page-1024.png"), full_page=True)

    page.goto(f"{demo_server.url}/login?next=/privacy")
    page.fill("#username", "congchuc")
    page.fill("#password", DEMO_PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_load_state()
    page.goto(f"{demo_server.url}/privacy")
    button = page.locator("#download-own")
    expect(button).to_be_visible()
    box = button.bounding_box()
    assert box is not None and box["x"] + box["width"] <= 1024
    button.scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / "privacy-download-1024.png"))
    with page.expect_download() as info:
        button.click()
    download = info.value
    assert download.suggested_filename.startswith("du-lieu-ca-nhan-")
    target = tmp_path / download.suggested_filename
    download.save_as(target)
    with zipfile.ZipFile(target) as archive:
        index = json.loads(archive.read("index.json"))
        rows = {t["name"]: t["rows"] for t in index["tables"]}
        for table in ("phat_hien", "giai_trinh", "phieu_danh_gia", "ky_luat"):
            assert rows[f"du_lieu/{table}.json"] > 0, table
        assert any(f["kind"] == "photo" and f["present"] for f in index["files"])
    context.close()
