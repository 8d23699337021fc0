"""The 2025 year rated by the criteria of NĐ 90/2020 (amended by NĐ 48/2023) over HTTP in
commune C (tests/emulation/conftest.py): the year opens as a criteria year, the head enters
each official's counts, the levels follow the pack's thresholds (hand-computed below), any
discipline of 2025 caps at KHT, the HTXS quota trims per task group, the titles read the
levels, and the lock freezes a version like the scored periods."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest
from congvu.inspect.emulation.services.criteria import LEADER_FIELDS
from congvu.inspect.emulation.tables import CriteriaSheet, PeriodVersion, RatingPeriod
from congvu.inspect.organisation.tables import Official
from congvu.rules.discipline import Form
from congvu.rules.discipline_standing import DecisionInForce, DisciplineStanding

from tests import builders
from tests.emulation.conftest import Commune, form, lock_by_job
from tests.emulation.test_rating_http import as_user, board, post, row
from tests.worlds import ReviewWorld

pytestmark = pytest.mark.anyio


def counts(
    assigned: int,
    done: int,
    exceeded: int = 0,
    short: int = 0,
    unfinished: int = 0,
    *,
    general: str = "TOT",
    group: str = "X",
    **more: Any,
) -> dict[str, Any]:
    return {
        "general": general,
        "tasks_assigned": assigned,
        "tasks_done_well": done,
        "tasks_exceeded": exceeded,
        "tasks_short": short,
        "tasks_unfinished": unfinished,
        "task_group": group,
        **more,
    }


async def enter(client: Any, official: Official, values: dict[str, Any]) -> Any:
    return await post(client, f"/ratings/2025/units/P-C/criteria/{official.id}", **values)


def privately_warned(official: Official) -> DisciplineStanding:
    """A khiển trách of May 2025 for conduct outside the duties: NĐ 335/2025 would not count
    it, NĐ 90/2020 + 48/2023 count any discipline of the year."""
    return DisciplineStanding(
        official.id,
        (
            DecisionInForce(
                1,
                Form.KHIEN_TRACH,
                date(2025, 5, 5),
                date(2025, 5, 5),
                date(2026, 5, 4),
                duty_related=False,
            ),
        ),
    )


async def rate_commune(client: Any, commune: Commune) -> None:
    x, y = commune.x, commune.y
    entered = (
        [
            # Short 5 of 20 (25% > 20%), unfinished 1 (5%): in the gap the texts leave, HTNV.
            (x[0], counts(20, 15, 0, 4, 1)),
            (x[1], counts(10, 10, 4)),  # 40% beyond target: HTT, not HTXS
            (x[2], counts(10, 8, 0, 2, general="DAT")),  # 20% short: HTNV
            (x[3], counts(10, 4, 0, 0, 6)),  # 60% unfinished (> 50%): KHT
            (x[4], counts(10, 10, 6)),  # merits HTXS, disciplined in 2025: KHT
            (x[5], counts(10, 10, 6, months_worked="5")),  # under 6 months: not rated
            (x[6], counts(10, 10, 5, leave_months="4")),  # 4 months' leave: at most HTNV
            # x[7]: nothing entered.
            (y[0], counts(10, 10, 8, group="Y")),  # 80% beyond target: HTXS, ranked first
            (y[1], counts(10, 10, 5, group="Y")),  # exactly 50%: HTXS merited, second
        ]
        + [(o, counts(10, 10, group="Y")) for o in y[2:]]
    )  # eight HTT
    for official, values in entered:
        response = await enter(client, official, values)
        assert response.status_code == 303, response.text[-3000:]


async def test_2025_opens_as_a_criteria_year_and_its_quarters_stay_refused(
    client: Any, commune_c: Commune
) -> None:
    await as_user(client, "tochuc")
    assert (await post(client, "/ratings/periods", period="2025")).status_code == 303
    period = await RatingPeriod.select().where(RatingPeriod.name == "2025").first()
    assert json.loads(period["parameters"])["method"] == "CRITERIA"
    refused = await post(client, "/ratings/periods", period="2025-Q4")
    assert refused.status_code == 400 and "hãy mở kỳ năm (2025)" in refused.text


async def test_the_head_enters_counts_and_the_levels_follow_the_criteria(
    client: Any, commune_c: Commune, standings: dict[int, DisciplineStanding]
) -> None:
    x, y = commune_c.x, commune_c.y
    standings[x[4].id] = privately_warned(x[4])
    await as_user(client, "tochuc")
    assert (await post(client, "/ratings/periods", period="2025")).status_code == 303
    await as_user(client, "head_c")

    # Counts that do not add up are refused beside the field, nothing written.
    refused = await enter(client, x[0], counts(10, 8, 0, 1, 0))
    assert refused.status_code == 400
    assert 'id="error-tasks_assigned"' in refused.text
    assert "phải bằng số nhiệm vụ được giao (10)" in refused.text
    refused = await enter(client, x[0], counts(10, 4, 5, 6, 0))
    assert refused.status_code == 400 and 'id="error-tasks_exceeded"' in refused.text
    assert await CriteriaSheet.count() == 0

    await rate_commune(client, commune_c)
    b = await board(client, "2025", "P-C")
    assert b["method"] == "CRITERIA" and b["state"] == "open"
    levels = {o["official_id"]: (o["merited"], o["level"]) for o in b["officials"]}
    assert levels[x[0].id] == ("HTNV", "HTNV") and row(b, x[0])["needs_review"]
    assert levels[x[1].id] == ("HTT", "HTT")
    assert levels[x[2].id] == ("HTNV", "HTNV")
    assert levels[x[3].id] == ("KHT", "KHT")
    assert levels[x[4].id] == ("HTXS", "KHT") and row(b, x[4])["capped"] == ["DISCIPLINE"]
    assert levels[x[5].id] == (None, None)
    assert levels[x[6].id] == ("HTNV", "HTNV")
    assert levels[x[7].id] == (None, None)
    # Group Y: 8 HTT and 2 HTXS proposed; k <= floor(20% x (8 + 2 - k)) gives k = 1.
    assert levels[y[0].id] == ("HTXS", "HTXS")
    assert levels[y[1].id] == ("HTXS", "HTT")
    assert all(levels[o.id] == ("HTT", "HTT") for o in y[2:])

    reasons = {o["official_id"]: " ".join(o["reasons_vi"]) for o in b["officials"]}
    assert "đề nghị Hội đồng xem xét" in reasons[x[0].id]
    assert "Đạt tiêu chí mức Hoàn thành tốt nhiệm vụ" in reasons[x[1].id]
    assert "hoàn thành tốt 8/10 nhiệm vụ (0 vượt mức, 0 chưa hoàn thành)" in reasons[x[2].id]
    assert "Đạt tiêu chí mức Không hoàn thành nhiệm vụ" in reasons[x[3].id]
    assert "bị xử lý kỷ luật trong năm đánh giá" in reasons[x[4].id]
    assert "Năm 2025 chỉ làm việc 5 tháng (dưới 6 tháng): không đánh giá" in reasons[x[5].id]
    assert "Nghỉ 4 tháng nên không xếp loại cao hơn mức Hoàn thành nhiệm vụ" in reasons[x[6].id]
    assert "Thủ trưởng chưa nhập kết quả theo tiêu chí của năm." in reasons[x[7].id]
    assert "xếp thứ 1/2, trong hạn mức 1" in reasons[y[0].id]
    assert "Chuyển xuống Hoàn thành tốt nhiệm vụ: xếp thứ 2/2" in reasons[y[1].id]
    assert "tỷ lệ nhiệm vụ vượt mức" in reasons[y[1].id]
    assert all("Nghị định 90/2020/NĐ-CP" in reasons[o.id] for o in (x[1], x[3], y[0]))

    # The 2025 titles read these levels: LĐTT from HTT up; CSTĐCS needs HTXS (or an
    # initiative), so only y[0] goes to the council's vote.
    titles = {o["official_id"]: o["proposed_titles"] for o in b["officials"]}
    assert "LDTT" in titles[y[0].id] and "LDTT" in titles[y[1].id]
    cstdcs = {o["official_id"]: o["titles"][1] for o in b["officials"]}
    assert cstdcs[y[0].id]["awaiting_vote"]
    assert not cstdcs[y[1].id]["eligible"] and not cstdcs[y[1].id]["awaiting_vote"]
    assert titles[x[2].id] == [] and titles[x[4].id] == [] and titles[x[5].id] == []

    page = await client.get("/ratings/2025/units/P-C")
    assert page.status_code == 200
    assert "Năm trước 2026: công chức được đánh giá, xếp loại theo tiêu chí" in page.text
    assert "Hoàn thành đúng hạn, bảo đảm chất lượng 8/10" in page.text
    assert "Tiêu chí chung: Đạt" in page.text
    assert ">KHONG_DAT<" not in page.text and ">HTXS<" not in page.text


async def test_the_lock_freezes_the_criteria_year_into_a_version(
    client: Any, commune_c: Commune, standings: dict[int, DisciplineStanding]
) -> None:
    x = commune_c.x
    await as_user(client, "tochuc")
    assert (await post(client, "/ratings/periods", period="2025")).status_code == 303
    await as_user(client, "head_c")
    await rate_commune(client, commune_c)
    await as_user(client, "tochuc")
    await lock_by_job(client, "2025")

    version = await PeriodVersion.select().first()
    frozen = json.loads(version["proposals"])
    assert json.loads(version["packs"])["rating_cong_chuc"] == "2023.1"
    mine = next(o for o in frozen["officials"] if o["official_id"] == x[1].id)
    assert mine["level"] == "HTT" and mine["criteria"]["tasks_exceeded"] == 4
    assert len(version["data_hash"]) == 64

    # Locked: the head can no longer change a count, and a later discipline decision
    # does not move the frozen level.
    await as_user(client, "head_c")
    refused = await client.post(
        f"/ratings/2025/units/P-C/criteria/{x[1].id}",
        data=form(client, **counts(10, 10, 8)),
        follow_redirects=False,
    )
    assert refused.status_code == 400
    assert "Kỳ đánh giá đã khóa: không sửa được phiếu." in refused.text
    standings[x[1].id] = privately_warned(x[1])
    b = await board(client, "2025", "P-C")
    assert b["state"] == "locked" and b["version"] == 1
    assert row(b, x[1])["level"] == "HTT"


async def test_the_locked_criteria_year_renders_its_documents_and_the_officials_own_page(
    client: Any, rw: ReviewWorld, commune_c: Commune, standings: dict[int, DisciplineStanding]
) -> None:
    y = commune_c.y
    await as_user(client, "tochuc")
    assert (await post(client, "/ratings/periods", period="2025")).status_code == 303
    await as_user(client, "head_c")
    await rate_commune(client, commune_c)
    await as_user(client, "tochuc")
    await lock_by_job(client, "2025")

    await as_user(client, "head_c")
    base = "/ratings/2025/units/P-C/documents"
    for kind in ("thong-bao-xep-loai", "to-trinh-khen-thuong", "danh-sach-ky-luat-vi-pham"):
        page = await client.get(f"{base}/{kind}?format=html")
        assert page.status_code == 200, (kind, page.text[-2000:])
    notice = await client.get(f"{base}/thong-bao-xep-loai?format=html")
    assert "Hoàn thành xuất sắc nhiệm vụ" in notice.text
    report = await client.get(f"{base}/bao-cao-thanh-tich?official={y[0].id}&format=html")
    assert report.status_code == 200 and "Hoàn thành xuất sắc nhiệm vụ" in report.text
    word = await client.get(f"{base}/bao-cao-thanh-tich?official={y[0].id}")
    assert word.status_code == 200 and word.content[:2] == b"PK"

    rw.users["y1"] = await builders.account("y1", role="official", unit="P-C", official=y[1])
    await as_user(client, "y1")
    own = await client.get("/ratings/2025/me")
    assert own.status_code == 200
    assert "Chuyển xuống Hoàn thành tốt nhiệm vụ: xếp thứ 2/2" in own.text


@pytest.mark.parametrize(
    ("unit", "merited"),
    [
        # The unit completes 40% of its targets (under 50%): KHT whatever the own tasks.
        (("40", "0", "100", "100"), "KHT"),
        # All targets met, 60% beyond, every sub-unit HTNV+, 80% HTT+ (>= 70%): HTXS.
        (("100", "60", "100", "80"), "HTXS"),
        # 30% beyond target (under 50%): HTT.
        (("100", "30", "100", "80"), "HTT"),
        # 80% of targets met (>= 70%): HTNV.
        (("80", "0", "100", "50"), "HTNV"),
    ],
)
async def test_a_leader_is_rated_with_the_units_results(
    client: Any, commune_c: Commune, unit: tuple[str, ...], merited: str
) -> None:
    leader = commune_c.x[0]
    await Official.update({Official.is_leader: True}).where(Official.id == leader.id)
    await as_user(client, "tochuc")
    assert (await post(client, "/ratings/periods", period="2025")).status_code == 303
    await as_user(client, "head_c")
    missing = await enter(client, leader, counts(10, 10, 6))
    assert missing.status_code == 400 and 'id="error-unit_targets_completed"' in missing.text
    fields = dict(zip(LEADER_FIELDS, unit, strict=True))
    assert (await enter(client, leader, counts(10, 10, 6, **fields))).status_code == 303
    mine = row(await board(client, "2025", "P-C"), leader)
    assert mine["merited"] == merited
    assert mine["criteria"]["leader"]["unit_targets_completed"] == unit[0]


@pytest.mark.parametrize(
    ("values", "field"),
    [
        (counts(10, 10, tasks_short="²"), "tasks_short"),
        (counts(99_999_999_999, 10), "tasks_assigned"),
        (counts(10, 10, months_worked="1/3"), "months_worked"),
        (counts(10, 10, leave_months="13"), "leave_months"),
        (counts(10, 10, general="TOTAL"), "general"),
    ],
)
async def test_a_count_out_of_bounds_is_refused_beside_its_field(
    client: Any, commune_c: Commune, values: dict[str, Any], field: str
) -> None:
    await as_user(client, "tochuc")
    assert (await post(client, "/ratings/periods", period="2025")).status_code == 303
    await as_user(client, "head_c")
    refused = await enter(client, commune_c.x[0], values)
    assert refused.status_code == 400 and f'id="error-{field}"' in refused.text
    assert await CriteriaSheet.count() == 0
