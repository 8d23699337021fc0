"""The top navigation leads each role to the ratings and discipline pages it may open:
the personnel office and the administrator to both lists, an official to their own
discipline cases, the others to neither."""

from __future__ import annotations

from typing import Any

import pytest

from tests import builders
from tests.conftest import login
from tests.worlds import ReviewWorld

pytestmark = pytest.mark.anyio

RATINGS = '<a href="/ratings"'
CASES = '<a href="/discipline"'
MY_CASES = '<a href="/my-discipline"'


@pytest.mark.parametrize(
    ("role", "shown", "hidden"),
    [
        pytest.param("personnel", (RATINGS, CASES), (MY_CASES,), id="personnel"),
        pytest.param("admin", (RATINGS, CASES), (MY_CASES,), id="admin"),
        pytest.param("council", (), (RATINGS, CASES, MY_CASES), id="council"),
        pytest.param("official", (MY_CASES,), (RATINGS, CASES), id="official"),
    ],
)
async def test_navigation_shows_ratings_and_discipline_to_who_may_use_them(
    client: Any, rw: ReviewWorld, role: str, shown: tuple[str, ...], hidden: tuple[str, ...]
) -> None:
    if role == "official":
        username = rw.users["official_a"].username
    else:
        username = (await builders.account(f"nav_{role}", role=role, unit="P")).username
    assert (await login(client, username)).status_code in (302, 303)
    page = (await client.get("/")).text
    assert all(link in page for link in shown), role
    assert not any(link in page for link in hidden), role
    for link in shown:
        assert (await client.get(link.split('"')[1])).status_code == 200
