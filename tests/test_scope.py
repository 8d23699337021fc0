"""Guards by role and unit scope: a unit head sees only their own unit subtree."""

from __future__ import annotations

import pytest

from tests.conftest import login
from tests.worlds import World

pytestmark = pytest.mark.anyio


async def test_unit_head_reads_own_unit_roster_including_sub_units(client, world: World) -> None:
    await login(client, "head_a")
    response = await client.get(f"/api/v1/units/{world.commune_a.id}/officials")
    assert response.status_code == 200
    codes = {o["code"] for o in response.json()}
    assert codes == {"A001", "A002"}


async def test_unit_head_of_a_gets_404_for_commune_b_officials(client, world: World) -> None:
    await login(client, "head_a")
    api = await client.get(f"/api/v1/units/{world.commune_b.id}/officials")
    assert api.status_code == 404
    assert "B001" not in api.text
    page = await client.get(f"/units/{world.commune_b.id}")
    assert page.status_code == 404
    assert "Lê Văn Đức" not in page.text


async def test_unit_head_cannot_start_jobs_for_another_unit(client, world: World) -> None:
    await login(client, "head_a")
    response = await client.post(
        f"/api/v1/units/{world.commune_b.id}/statistics-jobs",
        headers={"x-csrftoken": client.cookies.get("csrftoken")},
    )
    assert response.status_code == 404


async def test_unit_list_is_limited_to_the_scope(client, world: World) -> None:
    await login(client, "head_b")
    codes = [u["code"] for u in (await client.get("/api/v1/units")).json()]
    assert codes == ["P-B"]


async def test_admin_sees_the_whole_province(client, world: World) -> None:
    await login(client, "admin")
    codes = {u["code"] for u in (await client.get("/api/v1/units")).json()}
    assert codes == {"P", "P-SNV", "P-A", "P-A-PVHCC", "P-B"}


async def test_official_role_may_not_browse_units(client, world: World) -> None:
    await login(client, "official_a")
    assert (await client.get("/api/v1/units")).status_code == 403
    assert (await client.get(f"/units/{world.commune_a.id}")).status_code == 403


async def test_anonymous_api_call_is_401_and_page_redirects_to_login(client, world) -> None:
    api = await client.get("/api/v1/units")
    assert api.status_code == 401
    assert api.headers["content-type"].startswith("application/problem+json")
    page = await client.get("/units", follow_redirects=False)
    assert page.status_code in (302, 303, 307)
    assert page.headers["location"].startswith("/login")


async def test_roster_is_in_vietnamese_name_order(client, world: World) -> None:
    await login(client, "admin")
    names = [
        o["full_name"]
        for o in (await client.get(f"/api/v1/units/{world.province.id}/officials")).json()
    ]
    # Given names: Đức < Hùng < Lan (đ sorts after d, before e).
    assert names == ["Lê Văn Đức", "Trần Văn Hùng", "Nguyễn Thị Lan"]
