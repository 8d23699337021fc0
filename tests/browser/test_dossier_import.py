"""An administrator at a 1366×768 desk imports a one-stop export through the form and
reads the result in words; a photo renamed .csv is refused, naming the file."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import (
    ARTIFACTS,
    DEMO_PASSWORD,
    DemoServer,
    pass_demo_second_factor,
)
from tests.dossiers import hostile

pytestmark = pytest.mark.slow

EXPORT = "\r\n".join(
    [
        "Mã hồ sơ,Tên thủ tục,Lĩnh vực,Đơn vị,Cán bộ xử lý,Kênh nộp,Ngày tiếp nhận,"
        "Ngày hẹn trả,Ngày có kết quả,Ngày trả,Trạng thái,Thư xin lỗi,Gia hạn",
        "TV-001,Đăng ký khai sinh,Hộ tịch,NA-TV,,Trực tiếp,05/01/2026 08:30,06/01/2026,"
        "06/01/2026 10:00,,,,",
        "TV-002,Đăng ký kết hôn,Hộ tịch,NA-TV,,Trực tuyến,05/01/2026 09:00,12/01/2026,"
        "14/01/2026 15:00,,,,",
        "TV-003,Chứng thực bản sao,Chứng thực,KHONG-CO,,Trực tiếp,06/01/2026 10:00,06/01/2026,,,,,",
    ]
)


def test_an_import_ends_on_a_summary_and_a_renamed_photo_is_refused(
    demo_server: DemoServer, browser: Any, tmp_path: Path
) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    export = tmp_path / "hoso-truong-vinh.csv"
    export.write_text(EXPORT + "\r\n", encoding="utf-8-sig")
    photo = tmp_path / "anh-chup.csv"
    photo.write_bytes(hostile.jpeg())

    context = browser.new_context(
        viewport={"width": 1366, "height": 768}, locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh"
    )
    context.set_default_timeout(30_000)
    page = context.new_page()
    page.goto(f"{demo_server.url}/login?next=/dossiers/import")
    page.fill("#username", "admin")
    page.fill("#password", DEMO_PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    pass_demo_second_factor(page)
    expect(page).to_have_url(re.compile(r"/dossiers/import/?$"))

    page.set_input_files("input[name=file]", str(export))
    page.fill("input[name=exported_at]", "01/02/2026 08:00")
    page.get_by_role("button", name="Nhập", exact=True).click()
    summary = page.locator("#import-summary")
    # The job is the fresh server's first use of its CPU pool, whose worker processes start
    # (and import pandas) then: seconds on a loaded machine, beyond expect's 5 s default.
    expect(summary).to_be_visible(timeout=60_000)
    text = summary.inner_text()
    assert "hoso-truong-vinh.csv" in text
    assert re.search(r"Số dòng đã đọc\s+3", text), text
    assert re.search(r"Hồ sơ mới\s+2", text), text
    assert re.search(r"Dòng bị loại\s+1", text), text
    assert "Thời gian nhập" in text and "giây" in text  # "dưới 1 giây" or "N giây"
    assert "{" not in page.locator("#job-status").inner_text()  # no raw JSON
    expect(page.get_by_role("link", name="Tải các dòng bị loại (CSV)")).to_be_visible()
    expect(page.locator("#rejected-rows")).to_contain_text("KHONG-CO")
    page.screenshot(path=str(ARTIFACTS / "dossier-import-result-1366x768.png"), full_page=True)

    page.goto(f"{demo_server.url}/dossiers/import")
    page.set_input_files("input[name=file]", str(photo))
    page.get_by_role("button", name="Nhập", exact=True).click()
    expect(page.locator("main")).to_contain_text(
        "Tệp anh-chup.csv không phải tệp CSV: nội dung là ảnh JPEG."
    )
    page.screenshot(path=str(ARTIFACTS / "dossier-import-refused-1366x768.png"), full_page=True)
    context.close()
