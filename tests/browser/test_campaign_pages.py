"""The demo's thematic campaign in Chromium at 1366×768: the personnel office proposes the
first eligible official from the board, sees her in the list of proposals, withdraws her
without a reason (the browser asks for one) and with one, locks the campaign (the page shows
the frozen version and the selector), reopens it with a reason and reads version 1 again.
Screenshots under tests/artifacts/."""

from __future__ import annotations

import pathlib
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import ARTIFACTS, DemoServer
from tests.browser.test_rating_pages import _page as signed_in

pytestmark = pytest.mark.slow


def test_campaign_proposals_and_versions(demo_server: DemoServer, browser: Any) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page = signed_in(browser, demo_server, "tochuc", 1366)
    page.goto(f"{demo_server.url}/ratings/campaigns")
    page.get_by_role("link", name="Đợt thi đua cao điểm cải cách hành chính quý III/2026").click()
    box = page.locator('#campaign-board input[name="official"]').first
    name = box.get_attribute("aria-label") or ""
    box.check()
    page.get_by_role("button", name="Đề nghị Giấy khen cho những người đã chọn").click()
    proposals = page.locator("#campaign-proposals")
    expect(proposals).to_contain_text(name)
    expect(proposals).to_contain_text("Đề nghị")
    page.screenshot(path=str(ARTIFACTS / "emulation-campaign-proposals-1366.png"), full_page=True)

    collectives = page.locator("#collective-board")
    expect(collectives).to_contain_text("Phường Trường Vinh")
    expect(collectives).to_contain_text("thành viên")
    expect(collectives).to_contain_text("Tỷ lệ thành viên đủ điều kiện của đợt")
    collectives.scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / "emulation-campaign-collectives-1366.png"))

    proposals.get_by_role("button", name="Rút").click()  # required reason: nothing sent
    expect(proposals).not_to_contain_text("Đã rút")
    proposals.locator('input[name="reason"]').fill("Đã được khen thưởng đột xuất")
    proposals.get_by_role("button", name="Rút").click()
    expect(page.locator("#campaign-proposals")).to_contain_text("Đã rút")

    page.locator("#campaign-lock").get_by_role("button", name="Khóa đợt thi đua").first.click()
    expect(page.locator("#frozen-note")).to_contain_text("Phiên bản đã khóa 1")
    expect(page.locator("#version-selector")).to_be_visible()
    page.screenshot(path=str(ARTIFACTS / "emulation-campaign-locked-1366.png"), full_page=True)

    page.fill("#reopen-reason", "Bổ sung vi phạm đã xác nhận")
    page.get_by_role("button", name="Mở lại đợt thi đua").click()
    expect(page.locator("#frozen-note")).to_have_count(0)
    page.select_option("#campaign-version", "1")
    page.locator("#version-selector").get_by_role("button", name="Xem").click()
    expect(page.locator("#frozen-note")).to_contain_text("Phiên bản đã khóa 1")
    expect(page.locator("#campaign-lock")).to_contain_text("Bổ sung vi phạm đã xác nhận")
    page.screenshot(path=str(ARTIFACTS / "emulation-campaign-version1-1366.png"), full_page=True)
    page.context.close()


def test_annual_step_file_upload(
    demo_server: DemoServer, browser: Any, tmp_path: pathlib.Path
) -> None:
    """The head of Phường Trường Vinh at 1024×768 attaches the Party committee's opinion to
    its step: a JPEG renamed .pdf is refused beside the field with the typed number kept,
    the real PDF is kept and listed with a link that downloads it."""
    ARTIFACTS.mkdir(exist_ok=True)
    renamed = tmp_path / "Ý kiến cấp ủy.pdf"
    renamed.write_bytes(b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 64)
    real = tmp_path / "Ý kiến của cấp ủy.pdf"
    real.write_bytes(b"%PDF-1.4\n% y kien cap uy\n%%EOF\n")
    page = signed_in(browser, demo_server, "thutruong.truongvinh", 1024)
    page.goto(f"{demo_server.url}/ratings/2026/units/NA-TV#steps")
    step = page.locator("#step-party_opinion")
    step.locator("summary").click()
    page.fill("#done_on-party_opinion", "08/12/2026")
    page.fill("#document_number-party_opinion", "45-CV/ĐU")
    page.set_input_files("#file-party_opinion", str(renamed))
    step.get_by_role("button", name="Lưu").click()
    expect(page.locator("#error-file-party_opinion")).to_contain_text("nội dung là ảnh JPEG")
    expect(page.locator("#document_number-party_opinion")).to_have_value("45-CV/ĐU")
    page.locator("#steps").screenshot(path=str(ARTIFACTS / "emulation-step-file-refused-1024.png"))

    page.set_input_files("#file-party_opinion", str(real))
    page.locator("#step-party_opinion").get_by_role("button", name="Lưu").click()
    link = page.locator("#file-link-party_opinion")
    expect(link).to_contain_text("Ý kiến của cấp ủy.pdf")
    with page.expect_download() as download:
        link.click()
    assert download.value.suggested_filename == "Ý kiến của cấp ủy.pdf"
    page.locator("#steps").screenshot(path=str(ARTIFACTS / "emulation-step-file-1024.png"))
    page.context.close()
