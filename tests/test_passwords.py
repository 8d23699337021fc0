"""Passwords: the policy (length, common passwords) on creation, change and reset, and a
user changing their own password in the UI."""

from __future__ import annotations

import pytest
from congvu.inspect.audit.tables import AuditEvent
from congvu.inspect.demo import DEMO_PASSWORD
from congvu.inspect.errors import Invalid
from congvu.inspect.organisation.services import accounts, credentials, passwords
from congvu.inspect.organisation.tables import User
from congvu.inspect.settings import get_settings

from tests.builders import PASSWORD
from tests.conftest import csrf, login
from tests.worlds import World

pytestmark = pytest.mark.anyio

NEW = "tram-nam-trong-coi-nguoi-ta"
COMMON = "Mật khẩu này quá phổ biến và dễ bị đoán. Vui lòng chọn mật khẩu khác."


@pytest.mark.parametrize(
    ("password", "problem"),
    [
        ("12345678", "Mật khẩu phải có ít nhất 10 ký tự."),
        ("1234567890", COMMON),
        ("Password123", COMMON),
        ("anhyeuem123", COMMON),
        (" qwertyuiop ", COMMON),
        ("congvu-demo-2026", None),
        (PASSWORD, None),
    ],
)
def test_the_password_policy(password: str, problem: str | None) -> None:
    assert passwords.weakness(password, 10) == problem


def test_the_common_list_is_vendored_and_modest() -> None:
    common = passwords.common_passwords()
    assert 10_000 <= len(common) < 11_000
    assert {"123456", "password", "matkhau"} <= common


def test_the_demo_and_test_passwords_pass_the_default_policy() -> None:
    minimum = get_settings().password_min_length
    assert minimum == 10
    assert passwords.weakness(DEMO_PASSWORD, minimum) is None
    assert passwords.weakness(PASSWORD, minimum) is None


async def test_a_weak_password_is_refused_at_creation(world: World) -> None:
    for weak in ("12345678", "1234567890"):
        with pytest.raises(Invalid) as error:
            await accounts.create_user(
                username="moi", password=weak, role="admin", unit_code=None, display_name="Mới"
            )
        assert error.value.field == "password"
    assert await User.count().where(User.username == "moi") == 0


async def test_a_weak_password_is_refused_at_reset(world: World) -> None:
    with pytest.raises(Invalid, match="quá phổ biến"):
        await credentials.reset_password("head_a", "1234567890", get_settings())
    await credentials.reset_password("head_a", NEW, get_settings())
    event = await AuditEvent.select().where(AuditEvent.action == "password_changed").first()
    assert event is not None and "đặt lại mật khẩu cho tài khoản head_a" in event["reason"]


async def _change(client, current: str, new: str, confirmation: str | None = None):
    return await client.post(
        "/account/password",
        data={"current": current, "new": new, "confirmation": confirmation or new},
        headers=csrf(client),
        follow_redirects=False,
    )


async def test_a_user_changes_their_own_password(client, world: World) -> None:
    await login(client, "head_a")
    page = await client.get("/account/password")
    assert page.status_code == 200 and "Mật khẩu hiện tại" in page.text
    wrong = await _change(client, "sai-mat-khau-hien-tai", NEW)
    assert wrong.status_code == 400 and "Mật khẩu hiện tại không đúng." in wrong.text
    weak = await _change(client, PASSWORD, "12345678")
    assert weak.status_code == 400 and "ít nhất 10 ký tự" in weak.text
    common = await _change(client, PASSWORD, "qwertyuiop")
    assert common.status_code == 400 and COMMON in common.text
    mismatch = await _change(client, PASSWORD, NEW, "khac-han-mat-khau-moi")
    assert mismatch.status_code == 400 and "không khớp" in mismatch.text
    changed = await _change(client, PASSWORD, NEW)
    assert changed.status_code == 303
    assert "Đã đổi mật khẩu" in (await client.get(changed.headers["location"])).text
    # This session goes on, under its new CSRF token.
    assert (await client.get("/")).status_code == 200
    target = f"/units/{world.commune_a.id}/statistics"
    assert (
        await client.post(target, headers=csrf(client), follow_redirects=False)
    ).status_code == 303
    event = (
        await AuditEvent.select()
        .where(AuditEvent.action == "password_changed")
        .output(load_json=True)
        .first()
    )
    assert event["actor_username"] == "head_a"
    assert "đổi mật khẩu của mình" in event["reason"]
    assert NEW not in str(event) and PASSWORD not in str(event)
    client.cookies.clear()
    assert (await login(client, "head_a", PASSWORD)).status_code == 401
    assert (await login(client, "head_a", NEW)).status_code == 303


async def test_changing_the_password_ends_the_other_sessions(client, world: World) -> None:
    import httpx

    await login(client, "head_a")
    transport = httpx.ASGITransport(app=client.app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver.local") as other:
        await login(other, "head_a")
        assert (await other.get("/", follow_redirects=False)).status_code == 200
        assert (await _change(client, PASSWORD, NEW)).status_code == 303
        ended = await other.get("/", follow_redirects=False)
        assert ended.status_code in (302, 303, 307)
        assert ended.headers["location"].startswith("/login")
    assert (await client.get("/", follow_redirects=False)).status_code == 200


async def test_guessing_the_current_password_is_rate_limited(client, world: World) -> None:
    await login(client, "head_a")
    statuses = [(await _change(client, f"doan-{i}-mat-khau", NEW)).status_code for i in range(11)]
    assert statuses[:10] == [400] * 10
    assert statuses[10] == 429
