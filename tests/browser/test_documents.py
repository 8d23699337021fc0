"""Official documents in Chromium on the demo: the personnel officer opens the council's
written recommendation of a case as a page to print (1366×768) and a unit's Mẫu số 01 and
tờ trình from the rating board (1024×768); each page is styled by its print stylesheet
(Times New Roman, A4 sheet), breaks no CSP rule and raises no script error. Screenshots
go to tests/artifacts/."""

from __future__ import annotations

from typing import Any

from tests.browser.conftest import ARTIFACTS, DEMO_PASSWORD, DemoServer


def _login(page: Any, url: str, username: str, target: str) -> None:
    page.goto(f"{url}/login?next={target}")
    page.fill("#username", username)
    page.fill("#password", DEMO_PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(f"**{target}")


def _check_page(page: Any, kind: str, shot: str) -> None:
    page.wait_for_selector("h1.kind")
    assert kind in page.inner_text("h1.kind")
    assert "Độc lập - Tự do - Hạnh phúc" in page.inner_text(".motto")
    font = page.evaluate("getComputedStyle(document.body).fontFamily")
    assert "Times New Roman" in font
    assert page.locator("[data-print]").count() == 1
    page.screenshot(path=str(ARTIFACTS / shot), full_page=True)


def _csp_refusals(page: Any, problems: list[str]) -> Any:
    def listen(message: Any) -> None:
        if "Content Security Policy" in message.text:
            problems.append(f"{page.url}: {message.text}")

    return listen


def test_document_pages_print_ready(demo_server: DemoServer, browser: Any) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    problems: list[str] = []
    for width, user, target in (
        (1366, "tochuc", "/discipline"),
        (1024, "tochuc", "/ratings/2026-Q3/units/NA-TV"),
    ):
        context = browser.new_context(viewport={"width": width, "height": 768}, locale="vi-VN")
        context.set_default_timeout(15_000)
        page = context.new_page()
        page.on("pageerror", lambda error: problems.append(str(error)))
        page.on("console", _csp_refusals(page, problems))
        _login(page, demo_server.url, user, target)
        if target == "/discipline":
            page.locator("#cases tbody tr", has_text="kiến nghị").locator("a").first.click()
            page.wait_for_selector("#documents")
            page.screenshot(path=str(ARTIFACTS / "documents-case-1366x768.png"), full_page=True)
            link = page.locator("#documents tr", has_text="Văn bản kiến nghị")
            link.get_by_role("link", name="bản in").click()
            _check_page(page, "KIẾN NGHỊ", "documents-kien-nghi-1366x768.png")
        else:
            page.wait_for_selector("#documents")
            page.locator("#board a", has_text="bản in").first.click()
            _check_page(page, "PHIẾU THEO DÕI", "documents-mau-01-1024x768.png")
            page.goto(
                f"{demo_server.url}/ratings/2026/units/NA-TV/documents/to-trinh-khen-thuong?format=html"
            )
            _check_page(page, "TỜ TRÌNH", "documents-to-trinh-1024x768.png")
        context.close()
    assert problems == []
