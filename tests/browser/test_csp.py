"""The main pages under the Content-Security-Policy (inspect/web/headers.py), in Chromium
at 1024×768 and 1366×768: not one violation (no inline script, style or handler left),
and after logout the back button shows no page of the account that left."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import ARTIFACTS, DEMO_PASSWORD, DemoServer

pytestmark = pytest.mark.slow

# Collected in the page before any of its own scripts run.
LISTEN = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  const where = `${e.sourceFile}:${e.lineNumber}`;
  window.__cspViolations.push(`${e.violatedDirective} ${e.blockedURI} ${where}`);
});
"""

# Who opens which pages (demo accounts, see inspect/demo).
PAGES: dict[str, list[str]] = {
    "thutruong.truongvinh": ["/", "/review", "/my-findings", "/notifications", "/dossiers"],
    "truongdoan": ["/plans", "/plans/new", "/plans/coverage", "/plans/draw", "/units"],
    "kiemtra": ["/inspections"],
}


def _sign_in(page: Any, url: str, username: str) -> None:
    page.goto(f"{url}/login")
    page.fill("#username", username)
    page.fill("#password", DEMO_PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_load_state("networkidle")


def _violations(page: Any, console: list[str]) -> list[str]:
    found = list(page.evaluate("window.__cspViolations || []"))
    return found + [m for m in console if "Content Security Policy" in m]


@pytest.mark.parametrize("width", [1024, 1366])
def test_the_main_pages_run_under_the_csp_without_a_violation(
    demo_server: DemoServer, browser: Any, width: int
) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    context = browser.new_context(
        viewport={"width": width, "height": 768}, locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh"
    )
    context.set_default_timeout(15_000)
    context.add_init_script(LISTEN)
    page = context.new_page()
    console: list[str] = []
    page.on("console", lambda message: console.append(message.text))
    failures: list[str] = []

    def visit(path: str, name: str) -> None:
        response = page.goto(f"{demo_server.url}{path}")
        assert response is not None and response.status == 200, (path, response)
        assert "'unsafe-inline'" not in response.headers["content-security-policy"]
        page.wait_for_load_state("networkidle")
        page.screenshot(path=str(ARTIFACTS / f"csp-{name}-{width}.png"), full_page=False)
        failures.extend(f"{path}: {v}" for v in _violations(page, console))
        console.clear()

    visit("/login", "login")
    # The listener hears a violation: an inline style added now is one.
    page.evaluate("document.body.insertAdjacentHTML('beforeend', '<b style=\"color:red\">x</b>')")
    page.wait_for_function("window.__cspViolations.length > 0")
    page.evaluate("window.__cspViolations = []")
    console.clear()
    for username, paths in PAGES.items():
        _sign_in(page, demo_server.url, username)
        for path in paths:
            visit(path, path.strip("/").replace("/", "-") or "home")
        if username == "kiemtra":
            assigned = page.request.get(f"{demo_server.url}/api/v1/inspections/assigned").json()
            first = assigned[0]["id"]
            visit(f"/inspections/{first}/capture", "capture")
            expect(page.locator("#capture-app[data-ready]")).to_be_attached()
            failures.extend(_violations(page, console))
        if username == "truongdoan":
            plans = page.request.get(f"{demo_server.url}/api/v1/inspections/assigned").json()
            if plans:
                visit(f"/inspections/{plans[0]['id']}/minutes", "minutes")
        page.context.clear_cookies()
    assert failures == []
    context.close()


def test_after_logout_the_back_button_shows_no_personal_page(
    demo_server: DemoServer, browser: Any
) -> None:
    context = browser.new_context(viewport={"width": 1024, "height": 768}, locale="vi-VN")
    context.set_default_timeout(15_000)
    page = context.new_page()
    _sign_in(page, demo_server.url, "thutruong.truongvinh")
    page.goto(f"{demo_server.url}/review")
    expect(page.locator("main h1")).to_be_visible()
    page.locator("header.topbar details.menu summary").click()
    name = page.locator(".who").inner_text()
    page.get_by_role("button", name="Đăng xuất").click()
    page.wait_for_url("**/login")
    page.go_back()
    page.wait_for_load_state("networkidle")
    # No copy of /review was kept: going back asks the server, which wants a login.
    assert "/login" in page.url
    assert name not in page.content()
    context.close()
