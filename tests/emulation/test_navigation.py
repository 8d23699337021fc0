"""The top navigation leads each role to the ratings and discipline pages it may open:
the personnel office and the administrator to the period control and the cases, a head
and a council member to the boards of their units, an official to their own rating
sheet and discipline cases. From there, a click reaches the board or the sheet."""

from __future__ import annotations

from typing import Any

import pytest

from tests import builders
from tests.conftest import login
from tests.emulation.conftest import form
from tests.worlds import ReviewWorld

pytestmark = pytest.mark.anyio

RATINGS = '<a href="/ratings"'
BOARDS = '<a href="/ratings/units"'
MY_RATINGS = '<a href="/ratings/mine"'
CASES = '<a href="/discipline"'
MY_CASES = '<a href="/my-discipline"'
LINKS = (RATINGS, BOARDS, MY_RATINGS, CASES, MY_CASES)


@pytest.mark.parametrize(
    ("role", "shown"),
    [
        pytest.param("personnel", (RATINGS, CASES), id="personnel"),
        pytest.param("admin", (RATINGS, CASES), id="admin"),
        pytest.param("council", (BOARDS,), id="council"),
        pytest.param("unit_head", (BOARDS,), id="unit_head"),
        pytest.param("official", (MY_RATINGS, MY_CASES), id="official"),
        pytest.param("inspector", (), id="inspector"),
    ],
)
async def test_navigation_shows_ratings_and_discipline_to_who_may_use_them(
    client: Any, rw: ReviewWorld, role: str, shown: tuple[str, ...]
) -> None:
    if role == "official":
        username = rw.users["official_a"].username
    else:
        username = (await builders.account(f"nav_{role}", role=role, unit="P")).username
    assert (await login(client, username)).status_code in (302, 303)
    page = (await client.get("/")).text
    hidden = [link for link in LINKS if link not in shown]
    assert all(link in page for link in shown), role
    assert not any(link in page for link in hidden), role
    for link in shown:
        assert (await client.get(link.split('"')[1])).status_code == 200


async def test_a_head_and_an_official_reach_the_board_and_the_sheet_of_an_open_period(
    client: Any, rw: ReviewWorld
) -> None:
    personnel = await builders.account("nav_tochuc", role="personnel", unit="P")
    await login(client, personnel.username)
    opened = await client.post(
        "/ratings/periods", data=form(client, period="2026Q3"), follow_redirects=False
    )
    assert opened.status_code == 303, opened.text

    # The head of commune A: the boards of A and its sub-units, not commune B's; their
    # own sheet, since the account belongs to an official (the superior rates them).
    await login(client, "head_a")
    boards = await client.get("/ratings/units")
    assert boards.status_code == 200
    assert "Quý III/2026" in boards.text and "Đang mở" in boards.text
    assert 'href="/ratings/2026-Q3/units/P-A"' in boards.text
    assert 'href="/ratings/2026-Q3/units/P-A-PVHCC"' in boards.text
    # The head's own unit first, then the units under it.
    assert boards.text.index('/2026-Q3/units/P-A"') < boards.text.index("/2026-Q3/units/P-A-")
    assert "/units/P-B" not in boards.text and '/units/P"' not in boards.text
    assert MY_RATINGS in boards.text
    assert (await client.get("/ratings/2026-Q3/units/P-A")).status_code == 200

    await login(client, rw.users["official_a"].username)
    mine = await client.get("/ratings/mine")
    assert mine.status_code == 200
    assert "Quý III/2026" in mine.text
    assert 'href="/ratings/2026-Q3/me"' in mine.text
    assert (await client.get("/ratings/2026-Q3/me")).status_code == 200
    # An official opens no board.
    assert (await client.get("/ratings/units")).status_code == 403


async def test_before_any_period_the_pages_say_so(client: Any, rw: ReviewWorld) -> None:
    await login(client, rw.users["official_a"].username)
    assert "Chưa có kỳ đánh giá nào được mở." in (await client.get("/ratings/mine")).text
    await login(client, "head_a")
    assert "Chưa có kỳ đánh giá nào được mở." in (await client.get("/ratings/units")).text
