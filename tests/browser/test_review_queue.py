"""A department head with a few hundred items in the review queue, on a desktop
(1366×768: a table) and on a tablet (1024×768: cards): page 1 of N, a filter by official
through the form (its other selects left on "any"), the next page through its link, two
items selected and dismissed in bulk."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import ARTIFACTS, DEMO_PASSWORD, DemoServer

pytestmark = pytest.mark.slow

HEAD = "thutruong.truongvinh"  # head of Phường Trường Vinh (NA-TV) in the demo
FLAGGED = 300


def _flag_dossiers(database: Path) -> tuple[int, str]:
    """Copies of one of the ward's dossiers, flagged overdue and handled in turn by three
    of its officials (not the head); returns the first official's id and name."""
    with sqlite3.connect(database) as connection:
        path = connection.execute("SELECT path FROM unit WHERE code = 'NA-TV'").fetchone()[0]
        head = connection.execute(
            "SELECT official FROM account WHERE username = ?", (HEAD,)
        ).fetchone()[0]
        officials = connection.execute(
            "SELECT o.id, o.full_name, o.unit FROM official o JOIN unit u ON u.id = o.unit"
            " WHERE u.path LIKE ? AND o.id != ? AND o.is_leader = 0 ORDER BY o.id LIMIT 3",
            (f"{path}%", head),
        ).fetchall()
        template = connection.execute(
            "SELECT d.id FROM dossier d JOIN unit u ON u.id = d.unit WHERE u.path LIKE ?"
            " AND d.due_at IS NOT NULL ORDER BY d.id LIMIT 1",
            (f"{path}%",),
        ).fetchone()[0]
        columns = [
            row[1]
            for row in connection.execute("PRAGMA table_info(dossier)")
            if row[1] not in ("id", "code", "unit", "official", "official_name", "flags")
            and row[1] not in ("status", "working_days_late", "finished_at", "returned_at")
        ]
        kept = ", ".join(columns)
        for n in range(FLAGGED):
            official_id, name, unit = officials[n % len(officials)]
            connection.execute(
                f"INSERT INTO dossier (code, unit, official, official_name, flags, status,"
                f" working_days_late, {kept}) SELECT ?, ?, ?, ?, 'OVERDUE_IN_PROGRESS',"
                f" 'overdue', ?, {kept} FROM dossier WHERE id = ?",
                (f"TRINH-{n:04d}", unit, official_id, name, 1 + n % 7, template),
            )
        connection.commit()
    return int(officials[0][0]), str(officials[0][1])


def _summary(page: Any) -> tuple[int, int]:
    text = page.locator("#queue-summary").inner_text()
    found = re.search(r"Trang (\d+) / (\d+)", text)
    assert found, text
    return int(found.group(1)), int(found.group(2))


def _head_works_the_queue(
    browser: Any, server: DemoServer, width: int, official: tuple[int, str]
) -> dict[str, Any]:
    context = browser.new_context(
        viewport={"width": width, "height": 768}, locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh"
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{server.url}/login?next=/review")
    page.fill("#username", HEAD)
    page.fill("#password", DEMO_PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.locator("#queue")).to_be_visible()
    number, pages = _summary(page)
    assert number == 1 and pages >= FLAGGED // 25
    header = page.locator("#queue thead").evaluate("e => getComputedStyle(e).display")
    row = page.locator("#queue tbody tr").first.evaluate("e => getComputedStyle(e).display")
    page.screenshot(path=str(ARTIFACTS / f"review-queue-{width}.png"))
    page.locator("#queue").scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / f"review-queue-{width}-rows.png"))

    # Filter by one official through the form; the other selects stay on "Tất cả".
    official_id, name = official
    page.locator("select[name=official]").select_option(str(official_id))
    page.get_by_role("button", name="Lọc").click()
    expect(page).to_have_url(re.compile(rf"official={official_id}"))
    assert "kind=&" in page.url  # an empty select is sent, and means "any"
    number, filtered_pages = _summary(page)
    assert number == 1 and 1 < filtered_pages < pages
    officials = page.locator("#queue tbody tr td:nth-child(5)").all_inner_texts()
    assert officials and all(name in text for text in officials)

    # The next page, through its link: the filter goes with the cursor.
    first_codes = page.locator("#queue tbody tr td:nth-child(3) a").all_inner_texts()
    page.get_by_role("link", name="Trang sau").first.click()
    expect(page.locator("#queue-summary")).to_contain_text(f"Trang 2 / {filtered_pages}")
    assert f"official={official_id}" in page.url and "after=" in page.url
    second_codes = page.locator("#queue tbody tr td:nth-child(3) a").all_inner_texts()
    assert second_codes and not set(first_codes) & set(second_codes)

    # Two items selected, dismissed in bulk with a reason.
    boxes = page.locator("#queue tbody input[type=checkbox]")
    boxes.nth(0).check()
    boxes.nth(1).check()
    page.select_option("#bulk-action", "dismiss")
    page.fill("#bulk-reason", "Dữ liệu xuất ghi sai ngày hẹn trả.")
    page.get_by_role("button", name="Xử lý các phát hiện đã chọn").click()
    results = page.locator("#bulk-results li")
    expect(results).to_have_count(2)
    expect(results.first).to_contain_text("Đã bỏ qua cảnh báo")
    expect(results.nth(1)).to_contain_text("Đã bỏ qua cảnh báo")
    assert f"official={official_id}" in page.locator("#bulk").evaluate(
        "f => new URLSearchParams(new FormData(f)).toString()"
    )
    page.screenshot(path=str(ARTIFACTS / f"review-queue-{width}-bulk.png"), full_page=False)
    context.close()
    assert not errors, errors
    return {"header": header, "row": row}


def test_a_head_pages_filters_and_acts_on_a_large_queue(
    demo_server: DemoServer, browser: Any
) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    official = _flag_dossiers(demo_server.database)
    desktop = _head_works_the_queue(browser, demo_server, 1366, official)
    assert desktop == {"header": "table-header-group", "row": "table-row"}
    tablet = _head_works_the_queue(browser, demo_server, 1024, official)
    assert tablet == {"header": "none", "row": "grid"}
