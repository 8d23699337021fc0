"""The reporting officer opens the PAR INDEX evidence register of the demo at 1366×768
and 1024×768: the counts per criterion with the empty ones highlighted, the registered
documents; a renamed JPEG is refused with a message saying what it is; a PDF is uploaded
and tagged; the year's ZIP is built in the background and downloaded with its index."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from playwright.sync_api import expect

from tests.browser.conftest import ARTIFACTS, DEMO_PASSWORD, DemoServer

pytestmark = pytest.mark.slow

JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9"


def test_reporter_files_evidence_and_downloads_the_years_zip(
    demo_server: DemoServer, browser: Any, tmp_path: Path
) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(
        viewport={"width": 1366, "height": 768},
        locale="vi-VN",
        timezone_id="Asia/Ho_Chi_Minh",
        accept_downloads=True,
    )
    context.set_default_timeout(30_000)
    page = context.new_page()
    page.goto(f"{demo_server.url}/login?next=/evidence")
    page.fill("#username", "baocao")
    page.fill("#password", DEMO_PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.locator("h1")).to_contain_text("Tài liệu kiểm chứng")
    expect(page.locator("#default-note")).to_contain_text("Danh mục mặc định")
    expect(page.locator("#criteria tr[data-empty]").first).to_contain_text("Chưa có tài liệu")
    expect(page.locator("#items")).to_contain_text("125/BC-SNV")
    page.screenshot(path=str(ARTIFACTS / "evidence-1366x768.png"))

    fake = tmp_path / "quyet-dinh.pdf"
    fake.write_bytes(JPEG)
    form = page.locator("#upload")
    form.locator("input[name=file]").set_input_files(str(fake))
    form.locator("input[name=number]").fill("15/QĐ-UBND")
    form.locator("input[name=issued_on]").fill("02/03/2026")
    form.locator("input[name=summary]").fill("Quyết định thành lập đoàn kiểm tra công vụ")
    form.get_by_role("checkbox").nth(4).check()  # 4.3
    form.get_by_role("button", name="Tải lên").click()
    expect(page.locator("body")).to_contain_text("nội dung là ảnh JPEG")
    page.screenshot(path=str(ARTIFACTS / "evidence-refused-1366x768.png"))

    page.goto(f"{demo_server.url}/evidence")
    real = tmp_path / "quyet-dinh-that.pdf"
    real.write_bytes(b"%PDF-1.4\n% quyet dinh\n%%EOF\n")
    form = page.locator("#upload")
    form.locator("input[name=file]").set_input_files(str(real))
    form.locator("input[name=number]").fill("15/QĐ-UBND")
    form.locator("input[name=issued_on]").fill("02/03/2026")
    form.locator("input[name=summary]").fill("Quyết định thành lập đoàn kiểm tra công vụ")
    form.get_by_role("checkbox").nth(4).check()
    form.get_by_role("button", name="Tải lên").click()
    expect(page.locator("#notice")).to_contain_text("Đã tải lên")
    expect(page.locator("#items")).to_contain_text("15/QĐ-UBND")

    page.get_by_role("button", name="Tải bộ tài liệu kiểm chứng").click()
    download = page.locator("#download")
    expect(download).to_be_visible(timeout=90_000)
    page.screenshot(path=str(ARTIFACTS / "evidence-export-1366x768.png"))
    with page.expect_download() as info:
        download.click()
    with zipfile.ZipFile(io.BytesIO(info.value.path().read_bytes())) as archive:
        names = archive.namelist()
        index = archive.read("Muc-luc.xlsx")
    assert "4.3/15-QĐ-UBND - Quyết định thành lập đoàn kiểm tra công vụ.pdf" in names
    sheet = openpyxl.load_workbook(io.BytesIO(index))["Mục lục"]
    assert [c.value for c in sheet[3]][:3] == ["STT", "Tiêu chí", "Số ký hiệu"]

    page.goto(f"{demo_server.url}/evidence")
    page.set_viewport_size({"width": 1024, "height": 768})
    page.screenshot(path=str(ARTIFACTS / "evidence-1024x768.png"), full_page=True)
    context.close()
