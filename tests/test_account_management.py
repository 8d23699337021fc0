"""Quản lý tài khoản: the list (Vietnamese order, filters, labels), creating an account
with a one-time password link, the link itself, disabling/enabling, role and scope
changes, and the refusals: non-administrators, duplicates, unknown units, an
administrator disabling or demoting themselves, the last administrator."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from congvu.inspect.audit.tables import AuditEvent
from congvu.inspect.errors import Invalid
from congvu.inspect.organisation.services import account_admin
from congvu.inspect.organisation.tables import PasswordResetLink, User

from tests import builders
from tests.builders import actor
from tests.conftest import csrf, login
from tests.test_account_sessions import second_client
from tests.worlds import World

pytestmark = pytest.mark.anyio
NEW_PASSWORD = "mot-mat-khau-moi-du-dai"


def _link(text: str) -> str:
    found = re.search(r'value="http://testserver\.local(/password/reset/[^"]+)"', text)
    assert found, "the page shows the link"
    return found.group(1)


async def _create(client: Any, world: World, **fields: str) -> Any:
    data = {
        "username": "thu.ha",
        "display_name": "Nguyễn Thu Hà",
        "role": "unit_head",
        "unit_id": str(world.commune_a.id),
        "official_code": "",
        "email": "",
    } | fields
    return await client.post("/accounts/new", data=data, headers=csrf(client))


async def test_the_list_is_in_vietnamese_order_with_labels(client, world: World) -> None:
    await builders.account("an", role="inspector", unit="P-A", display_name="Trần Văn An")
    await builders.account("binh", role="inspector", unit="P-B", display_name="Lê Thị Bình")
    await login(client, "admin")
    page = await client.get("/accounts")
    assert page.status_code == 200
    assert page.text.index("Trần Văn An") < page.text.index("Lê Thị Bình")
    assert "Thành viên đoàn kiểm tra" in page.text and "Phường An Hòa" in page.text
    table = page.text.split("<table")[1].split("</table>")[0]
    assert "<td>unit_head</td>" not in table and "<td>Thủ trưởng đơn vị</td>" in table
    only_b = await client.get(f"/accounts?unit={world.commune_b.id}")
    assert "Lê Thị Bình" in only_b.text and "Trần Văn An" not in only_b.text
    heads = await client.get("/accounts?role=unit_head")
    assert "head_a" in heads.text and "Trần Văn An" not in heads.text
    await User.update({User.active: False}).where(User.username == "an")
    disabled = await client.get("/accounts?active=0")
    assert "Trần Văn An" in disabled.text and "Lê Thị Bình" not in disabled.text


async def test_only_an_admin_manages_accounts(client, world: World) -> None:
    await login(client, "head_a")
    assert (await client.get("/accounts")).status_code == 403
    assert (await client.get("/accounts/new")).status_code == 403
    assert (await _create(client, world)).status_code == 403
    target = world.users["official_a"].id
    refused = await client.post(
        f"/accounts/{target}/active", data={"active": "0"}, headers=csrf(client)
    )
    assert refused.status_code == 403


async def test_create_then_the_link_sets_a_password_once(client, world: World) -> None:
    await login(client, "admin")
    created = await _create(client, world)
    assert created.status_code == 200, created.text
    assert "Liên kết đặt mật khẩu" in created.text and "Nguyễn Thu Hà" in created.text
    path = _link(created.text)
    stored = await PasswordResetLink.select(PasswordResetLink.token_hash).first()
    assert stored is not None and path.rsplit("/", 1)[1] not in stored["token_hash"]
    async with second_client(client) as person:
        opened = await person.get(path)
        assert opened.status_code == 200 and "thu.ha" in opened.text
        assert opened.headers["cache-control"] == "no-store"
        await person.get("/login")
        weak = await person.post(
            path,
            data={"new": "12345678", "confirmation": "12345678"},
            headers=csrf(person),
        )
        assert weak.status_code == 400 and 'id="error-new"' in weak.text
        done = await person.post(
            path,
            data={"new": NEW_PASSWORD, "confirmation": NEW_PASSWORD},
            headers=csrf(person),
        )
        assert done.status_code == 200 and "Đã đặt mật khẩu" in done.text
        assert (await person.get(path)).status_code == 404
        assert (await login(person, "thu.ha", NEW_PASSWORD)).status_code == 303
    actions = [e["action"] for e in await AuditEvent.select(AuditEvent.action)]
    assert {"account_created", "password_link_issued", "password_changed"} <= set(actions)


async def test_a_new_link_voids_the_old_one(client, world: World) -> None:
    await login(client, "admin")
    first = _link((await _create(client, world)).text)
    user = await User.select(User.id).where(User.username == "thu.ha").first()
    again = await client.post(f"/accounts/{user['id']}/password-link", headers=csrf(client))
    second = _link(again.text)
    assert first != second
    assert (await client.get(first)).status_code == 404
    assert (await client.get(second)).status_code == 200


async def test_creation_errors_stay_beside_their_field(client, world: World) -> None:
    await login(client, "admin")
    duplicate = await _create(client, world, username="head_a")
    assert duplicate.status_code == 400
    assert 'id="error-username"' in duplicate.text and "đã có" in duplicate.text
    assert 'value="Nguyễn Thu Hà"' in duplicate.text
    unknown = await _create(client, world, unit_id="999999")
    assert unknown.status_code == 400 and 'id="error-unit_id"' in unknown.text
    no_unit = await _create(client, world, unit_id="")
    assert no_unit.status_code == 400 and 'id="error-unit_id"' in no_unit.text
    official = await _create(client, world, official_code="KHONG-CO")
    assert official.status_code == 400 and 'id="error-official_code"' in official.text
    assert not await User.exists().where(User.username == "thu.ha")


async def test_disabling_ends_sessions_and_sign_in(client, world: World) -> None:
    head = world.users["head_a"]
    async with second_client(client) as phone:
        await login(phone, "head_a")
        await login(client, "admin")
        answer = await client.post(
            f"/accounts/{head.id}/active",
            data={"active": "0"},
            headers=csrf(client),
            follow_redirects=False,
        )
        assert answer.status_code == 303
        assert (await phone.get("/account/security", follow_redirects=False)).status_code != 200
        phone.cookies.clear()
        assert (await login(phone, "head_a")).status_code == 401
        await client.post(f"/accounts/{head.id}/active", data={"active": "1"}, headers=csrf(client))
        assert (await login(phone, "head_a")).status_code == 303
    events = await AuditEvent.select(AuditEvent.action, AuditEvent.before, AuditEvent.after).where(
        AuditEvent.action.is_in(["account_disabled", "account_enabled"])
    )
    assert [e["action"] for e in events] == ["account_disabled", "account_enabled"]


async def test_an_admin_cannot_disable_or_demote_themselves(client, world: World) -> None:
    admin = world.users["admin"]
    await login(client, "admin")
    refused = await client.post(
        f"/accounts/{admin.id}/active", data={"active": "0"}, headers=csrf(client)
    )
    assert refused.status_code == 400 and "tự vô hiệu hóa" in refused.text
    demoted = await client.post(
        f"/accounts/{admin.id}/rights",
        data={"role": "inspector", "unit_id": str(world.province.id)},
        headers=csrf(client),
    )
    assert demoted.status_code == 400 and 'id="error-role"' in demoted.text


async def test_an_admin_disables_another_admin(client, world: World) -> None:
    second = await builders.account("admin2", role="admin", unit="P")
    await login(client, "admin")
    answer = await client.post(
        f"/accounts/{second.id}/active",
        data={"active": "0"},
        headers=csrf(client),
        follow_redirects=False,
    )
    assert answer.status_code == 303
    assert (await client.get(answer.headers["location"])).text.count("Đã vô hiệu hóa") >= 1


async def test_removing_the_last_admin_is_refused(world: World) -> None:
    """Only reachable by another administrator who is no longer active themselves (a
    session racing their own disabling, or the command line): the service refuses."""
    admin = world.users["admin"]
    second = await builders.account("admin2", role="admin", unit="P")
    other = await actor(second)
    await User.update({User.active: False}).where(User.id == second.id)
    with pytest.raises(Invalid, match="cuối cùng"):
        await account_admin.set_active(other, admin.id, False, None)
    with pytest.raises(Invalid, match="cuối cùng"):
        await account_admin.change_rights(other, admin.id, "inspector", world.province.id)
    row = await User.select(User.active, User.role).where(User.id == admin.id).first()
    assert row == {"active": True, "role": "admin"}


async def test_a_role_change_applies_to_open_sessions(client, world: World) -> None:
    head = world.users["head_a"]
    async with second_client(client) as phone:
        await login(phone, "head_a")
        assert (await phone.get("/review")).status_code == 200
        await login(client, "admin")
        answer = await client.post(
            f"/accounts/{head.id}/rights",
            data={"role": "official", "unit_id": str(world.commune_a.id)},
            headers=csrf(client),
            follow_redirects=False,
        )
        assert answer.status_code == 303
        assert (await phone.get("/review")).status_code == 403
    event = await AuditEvent.select().where(AuditEvent.action == "account_rights_changed").first()
    before, after = (_json(event[k]) for k in ("before", "after"))
    assert before["role"] == "unit_head" and after["role"] == "official"


def _json(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str) else value


async def test_an_expired_link_opens_nothing(client, world: World) -> None:
    await login(client, "admin")
    path = _link((await _create(client, world)).text)
    await PasswordResetLink.update(
        {PasswordResetLink.expires_at: datetime.now(UTC) - timedelta(minutes=1)}
    ).where(PasswordResetLink.used_at.is_null())
    async with second_client(client) as person:
        opened = await person.get(path)
        assert opened.status_code == 404 and "không còn hiệu lực" in opened.text
        await person.get("/login")
        refused = await person.post(
            path, data={"new": NEW_PASSWORD, "confirmation": NEW_PASSWORD}, headers=csrf(person)
        )
        assert refused.status_code == 404
        assert (await login(person, "thu.ha", NEW_PASSWORD)).status_code == 401


async def test_the_list_comes_in_pages(client, world: World) -> None:
    for n in range(account_admin.PER_PAGE + 1):
        await User.insert(
            User(
                username=f"u{n:02d}",
                display_name=f"Phạm Văn Tùng {n:02d}",
                password_hash="x",
                role="inspector",
                scope_unit=world.commune_a.id,
                created_at=datetime.now(UTC),
            )
        )
    await login(client, "admin")
    first = await client.get("/accounts?role=inspector")
    assert "Trang 1/2" in first.text and 'rel="next"' in first.text
    second = await client.get("/accounts?role=inspector&page=2")
    assert "Trang 2/2" in second.text and 'rel="prev"' in second.text
    assert "u00" not in second.text
