"""The dashboard (/dashboard) on the workbook's quarter (tests/reports/conftest.py, Q1/2026
under NĐ 09/2019), its numbers counted by hand:

* commune A: 3 people checked (official A, the deputy, the "=" official); violations 3
  (official A's late arrival, confirmed; the missing hotline; the "=" official's missing
  card, not yet decided; the deputy's card was dismissed); dossiers 3 resolved, 2 on time;
* commune B: 1 person checked, 1 violation; dossiers 2 resolved, 1 on time (HS-5 open);
* calibration: the lead's team (commune A) checked n = 3, 2 of them in violation (the
  hotline names nobody, the deputy's was dismissed); inspector2's team (commune B) n = 1,
  x = 1; the province p0 = 3/4.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import pytest
from congvu.inspect import clock

from tests import builders
from tests.conftest import csrf, login
from tests.reports.conftest import DAY, Quarter, at, check_person, dossier

pytestmark = pytest.mark.anyio
Q1 = "/dashboard?until=2026-Q1"


def rows(html: str, table: str) -> list[list[str]]:
    """The cells of ``table``'s body, tags stripped."""
    body = html.split(f'id="{table}"', 1)[1].split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return [
        [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<td>(.*?)</td>", row, re.S)]
        for row in re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.S)
    ]


async def leads(quarter: Quarter) -> None:
    rw = quarter.rw
    await builders.serve_on(rw.inspection_a, rw.users["lead"], "truong_doan")
    await builders.serve_on(rw.inspection_b, rw.users["inspector2"], "truong_doan")


async def page(client: Any, username: str, url: str = Q1) -> str:
    await login(client, username)
    response = await client.get(url)
    assert response.status_code == 200, response.text
    return str(response.text)


async def test_league_table_and_trends_match_hand_counts(quarter: Quarter, client: Any) -> None:
    await leads(quarter)
    html = await page(client, "reporter", Q1 + "&sort=name")
    league = {r[0]: r[1:] for r in rows(html, "league-table")}
    # checked, violations, per 100, resolved, on time %
    assert league["Phường An Hòa"] == ["3", "3", "100,0", "3", "66,7"]
    assert league["Xã Bình Minh"] == ["1", "1", "100,0", "2", "50,0"]
    names = [r[0] for r in rows(html, "league-table")]
    assert names == sorted(names)
    # Five quarters, Q1/2026 last; the earlier ones have nothing.
    trend = {r[0]: r[1:] for r in rows(html, "trend-on-time")}
    assert trend["Phường An Hòa"] == ["–", "–", "–", "–", "66,7"]
    assert html.count("Quý I/2026") >= 2
    assert 'id="chart-violations"' in html and "/static/vendor/chart.umd.min.js" in html


async def test_calibration_counts_people_per_team(quarter: Quarter, client: Any) -> None:
    await leads(quarter)
    html = await page(client, "reporter", Q1)
    teams = {r[0]: r[1:5] for r in rows(html, "calibration-table")}
    # checks, n, x, rate
    assert teams == {
        "inspector2": ["1", "1", "1", "100,0%"],
        "lead": ["1", "3", "2", "66,7%"],
    }
    assert '<strong id="province-rate">75,0%</strong>' in html


async def test_suggested_targets_show_their_reasons(quarter: Quarter, client: Any) -> None:
    html = await page(client, "reporter", Q1)
    days = (clock.today() - DAY).days
    targets = {r[1]: r[2:] for r in rows(html, "targets-table")}
    # Commune B: 1 late of 2 resolved (50% → 5 points), never a confirmed violation.
    weight = 1 + 5 + min(12, days // 30)
    assert targets["Xã Bình Minh"][0] == str(weight)
    assert "50% hồ sơ trễ hạn trong 2 quý gần nhất" in targets["Xã Bình Minh"][1]
    assert f"chưa kiểm tra {days} ngày" in targets["Xã Bình Minh"][1]
    # Commune A: 1 late of 3 (33% → 3), official A's confirmed violation (2).
    assert targets["Phường An Hòa"][0] == str(1 + 3 + 2 + min(12, days // 30))
    assert "1 vi phạm đã xác nhận trong 12 tháng" in targets["Phường An Hòa"][1]
    # The one-stop centre was never inspected itself.
    assert "chưa từng được kiểm tra" in targets["Trung tâm PVHCC phường An Hòa"][1]
    weights = [int(r[2]) for r in rows(html, "targets-table")]
    assert weights == sorted(weights, reverse=True) and min(weights) >= 1


async def test_units_not_inspected_for_n_days(quarter: Quarter, client: Any) -> None:
    days = (clock.today() - DAY).days
    html = await page(client, "reporter", f"{Q1}&days={days}")
    unchecked = {r[0]: r[1:] for r in rows(html, "unchecked-table")}
    assert unchecked["Xã Bình Minh"] == ["23/02/2026", str(days)]
    assert unchecked["Trung tâm PVHCC phường An Hòa"][0] == "Chưa từng kiểm tra"
    html = await page(client, "reporter", f"{Q1}&days={days + 1}")
    assert all(r[0] != "Xã Bình Minh" for r in rows(html, "unchecked-table"))


async def test_a_head_sees_only_their_unit(quarter: Quarter, client: Any) -> None:
    await leads(quarter)
    html = await page(client, "head_a", "/dashboard?until=2026-Q1")
    assert "Xã Bình Minh" not in html
    assert {r[0] for r in rows(html, "calibration-table")} == {"lead"}
    response = await client.get("/dashboard?until=2026-Q1&unit=P-B")
    assert response.status_code == 404


@pytest.mark.parametrize("query", ["days=0", "sort=bogus", "until=2026-13"])
async def test_bad_parameters_are_refused(quarter: Quarter, client: Any, query: str) -> None:
    await login(client, "reporter")
    response = await client.get(f"/dashboard?{query}")
    assert response.status_code == 400


async def test_a_unit_without_any_record_shows_empty_tables(quarter: Quarter, client: Any) -> None:
    html = await page(client, "reporter", f"{Q1}&unit=P-SNV")
    assert "Chưa có cuộc kiểm tra nào hoàn thành trong khoảng này." in html
    assert rows(html, "league-table") == [["Sở Nội vụ", "0", "0", "–", "0", "–"]]


async def test_the_page_reads_in_english_reasons_included(quarter: Quarter, client: Any) -> None:
    await login(client, "reporter")
    await client.post("/locale", data={"code": "en"}, headers=csrf(client))
    html = (await client.get(Q1)).text
    assert "League table" in html and "Calibration between inspection teams" in html
    assert "of dossiers late in the last 2 quarters" in html
    assert "never inspected" in html
    assert "hồ sơ trễ hạn" not in html


async def centre_records(quarter: Quarter) -> None:
    """The one-stop centre inspected on its own (one more official, one violation, the
    deputy seen again) and a dossier resolved on time by the commune itself."""
    rw = quarter.rw
    world = rw.world
    checked = await builders.inspection(
        world.desk_a,
        DAY,
        status="submitted",
        members=[world.users["inspector"]],
        created_at=at(DAY),
    )
    clerk = await builders.official(world.desk_a, "A010", "Đỗ Văn Bình")
    await check_person(checked, clerk)
    # The deputy, checked at the commune the same day, stays one person of the line.
    await check_person(checked, rw.deputy)
    await rw.finding(clerk, "NO_CARD", inspection=checked)
    await dossier("HS-UB", int(world.commune_a.id), "on_time", date(2026, 1, 15))


def parts(html: str) -> dict[str, list[list[str]]]:
    """The parts table: line code → its rows (name and figures), the sum last."""
    found: dict[str, list[list[str]]] = {}
    for code, body in re.findall(r'<tbody data-line="([^"]+)">(.*?)</tbody>', html, re.S):
        found[code] = [
            [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td>(.*?)</td>", row, re.S)]
            for row in re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.S)
            if "<td>" in row
        ]
    return found


async def test_a_commune_and_its_centre_are_shown_apart(quarter: Quarter, client: Any) -> None:
    await centre_records(quarter)
    html = await page(client, "reporter", Q1)
    league = {r[0]: r[1:] for r in rows(html, "league-table")}
    # The commune's line counts its centre, as the workbook does.
    assert league["Phường An Hòa"] == ["4", "4", "100,0", "4", "75,0"]
    split = parts(html)
    assert list(split) == ["P-A"]  # commune B has no sub-unit
    assert split["P-A"] == [
        ["Riêng Phường An Hòa", "3", "3", "100,0", "1", "100,0"],
        ["Trung tâm PVHCC phường An Hòa", "1", "1", "100,0", "3", "66,7"],
        ["Cộng", "4", "4", "100,0", "4", "75,0"],
    ]
    assert "Phường An Hòa (gồm đơn vị trực thuộc)" in html
    # The commune's own page: the centre is a line of its own, nothing to split.
    html = await page(client, "head_a", Q1)
    league = {r[0]: r[1:] for r in rows(html, "league-table")}
    assert league["Phường An Hòa"] == ["3", "3", "100,0", "1", "100,0"]
    # Here the deputy is a person of each line, as the commune's own workbook counts.
    assert league["Trung tâm PVHCC phường An Hòa"] == ["2", "1", "50,0", "3", "66,7"]
    assert 'id="parts-table"' not in html
