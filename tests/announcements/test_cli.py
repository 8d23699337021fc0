"""``congvu calendar announce|list|withdraw``: the administrator's commands, each judging
again the dossiers the change touches."""

from __future__ import annotations

import pytest

from tests.dossiers.conftest import congvu
from tests.worlds import World

pytestmark = pytest.mark.anyio


async def test_announce_list_withdraw(world: World) -> None:
    made = await congvu(
        "calendar", "announce", "13/03/2026", "--kind", "swap", "--swapped", "21/03/2026",
        "--document", "124/TB-VPCP", "--document-date", "02/03/2026",
    )  # fmt: skip
    assert made.returncode == 0, made.stderr
    assert "+announcements.1" in made.stdout and "đã chấm lại 0 hồ sơ" in made.stdout
    listed = await congvu("calendar", "list", "--year", "2026")
    assert listed.stdout.splitlines() == [
        "1\t13/03/2026 Thứ Sáu ↔ 21/03/2026 Thứ Bảy\tHoán đổi ngày làm việc\t124/TB-VPCP"
        " ngày 02/03/2026"
    ]
    gone = await congvu("calendar", "withdraw", "1", "--reason", "Nhập nhầm")
    assert gone.returncode == 0, gone.stderr
    assert "+announcements.2" in gone.stdout
    listed = await congvu("calendar", "list")
    assert listed.stdout.endswith("; đã thu hồi: Nhập nhầm\n")
    refused = await congvu(
        "calendar", "announce", "10/03/2026", "--kind", "cancel_holiday",
        "--document", "1/TB", "--document-date", "02/03/2026",
    )  # fmt: skip
    assert refused.returncode != 0 and "đã là ngày làm việc" in refused.stderr
