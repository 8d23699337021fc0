"""Pages people read name acts, actions and people in Vietnamese: no internal code
(ABSENT_NO_PERMISSION, conduct.LATE_ARRIVAL), action name (finding_viewed) or username."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from congvu.inspect.inspections.tables import Finding
from congvu.inspect.organisation.tables import User
from congvu.inspect.review import api as review
from congvu.inspect.review.api import Command

from tests.conftest import login
from tests.screen_text import assert_no_internal_codes, visible_text
from tests.worlds import ReviewWorld

pytestmark = pytest.mark.anyio


async def _notified_absence(rw: ReviewWorld) -> int:
    finding = await rw.finding(rw.world.official_a, "ABSENT_NO_PERMISSION")
    await Finding.update(
        {Finding.explanation_vi: "Không có mặt tại cơ quan trong giờ làm việc, không có lý do"}
    ).where(Finding.id == finding)
    # Test accounts are named after their usernames; people have real names.
    for username, name in (("head_a", "Nguyễn Văn Thủ Trưởng"), ("official_a", "Lê Thị Lan")):
        await User.update({User.display_name: name}).where(User.username == username)
    await review.transition(
        await rw.actor("head_a"), finding, Command("notify"), now=datetime.now(UTC)
    )
    return finding


async def test_notifications_finding_and_history_show_names_not_codes(client, rw) -> None:
    finding = await _notified_absence(rw)
    await login(client, "official_a")
    notifications = await client.get("/notifications")
    assert notifications.status_code == 200
    assert "Có phát hiện về anh/chị (Vắng mặt" in visible_text(notifications.text)
    assert_no_internal_codes(notifications.text)

    page = await client.get(f"/findings/{finding}")
    assert page.status_code == 200
    text = visible_text(page.text)
    assert "Căn cứ: CT 05/2008/CT-TTg (phiên bản 2025.1)" in " ".join(text.split())
    assert "Nguyễn Văn Thủ Trưởng" in text
    assert "Thông báo cho cán bộ" in text
    assert "head_a" not in text
    assert_no_internal_codes(page.text)
