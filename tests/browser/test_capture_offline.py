"""An inspector on a 1024×768 tablet runs an inspection, loses the connection halfway,
and every record still reaches the server exactly once."""

from __future__ import annotations

import hashlib
import re
import sqlite3
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from PIL import Image
from playwright.sync_api import expect

from tests.browser.conftest import ARTIFACTS, DEMO_PASSWORD, DemoServer

pytestmark = pytest.mark.slow

ZONE = ZoneInfo("Asia/Ho_Chi_Minh")

# The tablet's queue as the page keeps it (IndexedDB, see templates/static/js/queue.js).
QUEUED_RECORDS = """() => new Promise((resolve, reject) => {
  const open = indexedDB.open("congvu-capture");
  open.onerror = () => reject(open.error);
  open.onsuccess = () => {
    const all = open.result.transaction("records").objectStore("records").getAll();
    all.onsuccess = () => { open.result.close(); resolve(all.result); };
    all.onerror = () => reject(all.error);
  };
})"""

# Sends the same records again, as a tablet would after losing the server's answer.
REPLAY = """async (records) => {
  const token = decodeURIComponent(document.cookie.match(/(?:^|; )csrftoken=([^;]+)/)[1]);
  const body = records.map(({uuid, type, inspection_id, replaces, device_time, payload}) =>
    ({uuid, type, inspection_id, replaces, device_time, payload}));
  const response = await fetch("/api/v1/sync", {
    method: "POST",
    headers: {"Content-Type": "application/json", "x-csrftoken": token},
    body: JSON.stringify({records: body}),
  });
  return {status: response.status, body: await response.json()};
}"""

REUPLOAD = """async ([sha256, bytes]) => {
  const token = decodeURIComponent(document.cookie.match(/(?:^|; )csrftoken=([^;]+)/)[1]);
  const response = await fetch(`/api/v1/evidence/${sha256}`, {
    method: "PUT",
    headers: {"Content-Type": "image/jpeg", "x-csrftoken": token},
    body: new Uint8Array(bytes),
  });
  return response.status;
}"""


def _rows(database: Path, sql: str, *args: Any) -> list[tuple[Any, ...]]:
    with sqlite3.connect(f"file:{database}?mode=ro", uri=True) as connection:
        return connection.execute(sql, args).fetchall()


def _stored_counts(database: Path) -> dict[str, int]:
    tables = ("finding", "attendance_check", "evidence", "finding_evidence", "signature")
    return {t: _rows(database, f"SELECT count(*) FROM {t}")[0][0] for t in tables}


def _log_out(page: Any) -> None:
    """Đăng xuất is in the top bar's menu."""
    page.locator("header.topbar details.menu summary").click()
    page.get_by_role("button", name="Đăng xuất").click()


def _arrival_time(morning_start: str) -> str:
    """A late arrival the server will accept: after the session starts, not in the future."""
    now = datetime.now(ZONE)
    start = datetime.combine(now.date(), datetime.strptime(morning_start, "%H:%M").time(), ZONE)
    return max(min(start + timedelta(minutes=51), now - timedelta(minutes=1)), start).strftime(
        "%H:%M"
    )


def test_inspector_captures_offline_and_each_record_reaches_the_server_once(
    demo_server: DemoServer, browser: Any, tmp_path: Path
) -> None:
    photo = tmp_path / "quay-01.jpg"
    Image.new("RGB", (640, 480), (180, 40, 30)).save(photo, "JPEG", quality=80)
    photo_sha256 = hashlib.sha256(photo.read_bytes()).hexdigest()
    ARTIFACTS.mkdir(exist_ok=True)

    context = browser.new_context(
        viewport={"width": 1024, "height": 768},
        locale="vi-VN",
        timezone_id="Asia/Ho_Chi_Minh",
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    page_errors: list[str] = []
    page.on("pageerror", lambda error: page_errors.append(str(error)))
    unsent = page.get_by_test_id("unsent-count")

    # Sign in and open today's inspection of Phường Trường Vinh.
    page.goto(f"{demo_server.url}/login?next=/inspections")
    page.fill("#username", "kiemtra")
    page.fill("#password", DEMO_PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.locator("#capture-app[data-ready]")).to_be_attached()
    assigned = page.request.get(f"{demo_server.url}/api/v1/inspections/assigned").json()
    inspection = next(
        i for i in assigned if i["unit"]["code"] == "NA-TV" and i["kind"] == "SCHEDULED"
    )
    page.locator(f'a[href="/inspections/{inspection["id"]}/capture"]').click()
    expect(page.locator("#capture-app[data-ready]")).to_be_attached()
    expect(page.locator("#inspection-unit")).to_have_text("Phường Trường Vinh")
    # From here on the service worker serves the page, its scripts and the roster.
    page.wait_for_function("navigator.serviceWorker.controller !== null")

    # Start at 00:01, outside working time whatever the day: the tablet asks why first.
    page.fill("#start-time", "00:01")
    page.get_by_role("button", name="Bắt đầu kiểm tra").click()
    warning = page.locator("#start-off-hours")
    expect(warning).to_be_visible()
    expect(page.locator("#start-off-hours-why")).to_contain_text("ghi lý do vẫn tiến hành")
    expect(page.locator('[data-panel="attendance"]')).to_be_hidden()
    page.screenshot(path=str(ARTIFACTS / "capture-start-outside-hours-1024x768.png"))
    reason = "Kiểm tra đột xuất việc trực ca đêm tại bộ phận một cửa"
    page.fill("#start-reason", reason)
    page.get_by_role("button", name="Bắt đầu kiểm tra").click()
    # Then attendance: one present, one late.
    expect(page.locator('[data-panel="attendance"]')).to_be_visible()
    present, late, person_a, person_b = inspection["roster"][:4]
    row = page.locator(f'.official[data-official-id="{present["id"]}"]')
    row.get_by_role("button", name="Có mặt").click()
    row = page.locator(f'.official[data-official-id="{late["id"]}"]')
    row.get_by_role("button", name="Đi muộn").click()
    row.locator("[name=arrival_time]").fill(_arrival_time(inspection["sessions"]["morning_start"]))
    row.get_by_role("button", name="Ghi nhận").click()
    expect(row.locator(".record-state")).to_have_text("Đã gửi")
    expect(unsent).to_have_text("0")

    # One finding with a photo, sent at once.
    page.get_by_role("tab", name="Ứng xử, vi phạm").click()
    page.select_option("#finding-subject", str(person_a["id"]))
    page.locator(".chip", has_text="Không đeo thẻ").click()
    page.fill("#finding-facts", "Không đeo thẻ công chức khi tiếp nhận hồ sơ tại quầy.")
    page.set_input_files("#finding-photos", str(photo))
    expect(page.locator("#photo-count")).to_have_text("1 ảnh")
    page.get_by_role("button", name="Ghi nhận vi phạm").click()
    expect(page.locator("#finding-list .finding:not(.auto) .state-synced")).to_have_count(1)
    expect(unsent).to_have_text("0")

    # The connection drops: two more findings wait on the tablet.
    context.set_offline(True)
    expect(page.locator("#offline-banner")).to_be_visible()
    expect(page.locator("#offline-banner")).to_have_text("Mất kết nối — dữ liệu được lưu trên máy")
    page.select_option("#finding-subject", "")
    page.locator(".chip", has_text="Không niêm yết số điện thoại").click()
    page.fill("#finding-facts", "Bảng niêm yết không có số điện thoại đường dây nóng.")
    page.get_by_role("button", name="Ghi nhận vi phạm").click()
    page.select_option("#finding-subject", str(person_b["id"]))
    page.locator(".chip", has_text="Làm việc riêng").click()
    page.fill("#finding-facts", "Xem phim trên điện thoại khi công dân chờ tại quầy.")
    page.get_by_role("button", name="Ghi nhận vi phạm").click()
    expect(unsent).to_have_text("2")
    expect(page.locator("#finding-list .state-pending")).to_have_count(2)
    page.locator("#finding-list").scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / "capture-1024x768.png"))
    # A shared tablet: no sign-out while records are unsent.
    _log_out(page)
    expect(page.locator("#logout-message")).to_be_visible()
    assert page.url.endswith("/capture#conduct")

    # Back online: the queue empties by itself.
    context.set_offline(False)
    expect(unsent).to_have_text("0", timeout=20_000)
    expect(page.locator("#offline-banner")).to_be_hidden()
    expect(page.locator("#finding-list .finding:not(.auto) .state-synced")).to_have_count(3)

    records = page.evaluate(QUEUED_RECORDS)
    assert {r["state"] for r in records} == {"synced"}
    sent_findings = sorted(r["uuid"] for r in records if r["type"] == "finding")
    assert len(sent_findings) == 3
    late_answer = next(
        r["server"] for r in records if r["payload"].get("official_id") == late["id"]
    )
    # The working-hours rules turn a late arrival into a finding of their own (none when
    # the arrival was not after the session start, e.g. a test run at dawn).
    auto_findings = 1 if late_answer["finding"] else 0

    stored = _rows(
        demo_server.database,
        "SELECT client_uuid, attendance FROM finding WHERE inspection = ?",
        inspection["id"],
    )
    assert sorted(str(u) for u, attendance in stored if attendance is None) == sent_findings
    assert len([u for u, attendance in stored if attendance is not None]) == auto_findings
    assert len(stored) == 3 + auto_findings
    # The photo is kept once, and it is the only one of this inspection (the demo's own
    # photos, inspect/demo/personal_data.py, document an older check).
    assert _rows(
        demo_server.database,
        "SELECT e.sha256 FROM evidence e JOIN finding_evidence fe ON fe.evidence = e.id"
        " JOIN finding f ON f.id = fe.finding WHERE f.inspection = ?",
        inspection["id"],
    ) == [(photo_sha256,)]
    assert _rows(
        demo_server.database, "SELECT count(*) FROM evidence WHERE sha256 = ?", photo_sha256
    ) == [(1,)]
    before = _stored_counts(demo_server.database)
    assert _rows(
        demo_server.database,
        "SELECT off_hours_reason FROM inspection WHERE id = ?",
        inspection["id"],
    ) == [(reason,)]

    # The same queue sent again creates nothing.
    replay = page.evaluate(REPLAY, records)
    assert replay["status"] == 200
    assert [r["status"] for r in replay["body"]["results"]] == ["duplicate"] * len(records)
    assert page.evaluate(REUPLOAD, [photo_sha256, list(photo.read_bytes())]) == 200
    assert _stored_counts(demo_server.database) == before

    page.get_by_role("tab", name="Điểm danh").click()
    page.set_viewport_size({"width": 800, "height": 1280})
    page.screenshot(path=str(ARTIFACTS / "capture-800x1280.png"))
    page.set_viewport_size({"width": 1024, "height": 768})

    # No server at all: the page, the roster and what was captured still open.
    demo_server.stop()
    page.reload()
    expect(page.locator("#inspection-unit")).to_have_text("Phường Trường Vinh")
    expect(page.locator(f'.official[data-official-id="{late["id"]}"] .record-state')).to_have_text(
        "Đã gửi"
    )
    assert page_errors == []
    context.close()


# A record another inspector captured on this tablet: it is only ever sent with that
# inspector's session, so it must keep everyone else from wiping the tablet.
QUEUE_FOREIGN_RECORD = """(inspectionId) => new Promise((resolve, reject) => {
  const open = indexedDB.open("congvu-capture");
  open.onerror = () => reject(open.error);
  open.onsuccess = () => {
    const tx = open.result.transaction("records", "readwrite");
    tx.objectStore("records").put({
      uuid: "00000000-0000-4000-8000-000000000001", type: "finding",
      inspection_id: inspectionId, replaces: null, device_time: new Date().toISOString(),
      payload: {official_id: null, violation_code: "NO_HOTLINE_POSTED", facts: "x",
                observed_at: new Date().toISOString(), evidence: []},
      owner: "truongdoan", seq: 1, state: "pending", error: null, server: null,
    });
    tx.oncomplete = () => { open.result.close(); resolve(); };
    tx.onerror = () => reject(tx.error);
  };
})"""

DROP_FOREIGN_RECORD = """() => new Promise((resolve) => {
  const open = indexedDB.open("congvu-capture");
  open.onsuccess = () => {
    const tx = open.result.transaction("records", "readwrite");
    tx.objectStore("records").delete("00000000-0000-4000-8000-000000000001");
    tx.oncomplete = () => { open.result.close(); resolve(); };
  };
})"""


def test_a_shared_tablet_signs_out_only_once_the_server_has_everything(
    demo_server: DemoServer, browser: Any
) -> None:
    context = browser.new_context(
        viewport={"width": 1024, "height": 768}, locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh"
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.goto(f"{demo_server.url}/login?next=/inspections")
    page.fill("#username", "kiemtra")
    page.fill("#password", DEMO_PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.locator("#capture-app[data-ready]")).to_be_attached()
    page.wait_for_function("navigator.serviceWorker.controller !== null")
    page.wait_for_function("caches.has('congvu-data')")
    page.evaluate(QUEUE_FOREIGN_RECORD, 1)

    # From a page without the capture script, only the service worker stands guard.
    page.goto(f"{demo_server.url}/")
    _log_out(page)
    expect(page).to_have_url(re.compile(r"/inspections\?logout=blocked$"))
    expect(page.locator("#logout-message")).to_contain_text("Chưa thể đăng xuất")
    expect(page.get_by_test_id("unsent-count")).to_have_text("1")

    page.evaluate(DROP_FOREIGN_RECORD)
    page.goto(f"{demo_server.url}/")
    _log_out(page)
    expect(page).to_have_url(re.compile(r"/login$"))
    # Nothing of the inspector's stays for the next person on this tablet.
    assert page.evaluate(QUEUED_RECORDS) == []
    assert page.evaluate("caches.has('congvu-data')") is False
    context.close()
