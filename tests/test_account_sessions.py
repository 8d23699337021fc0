"""Phiên đăng nhập: an account's live sessions are listed (browser, address, times) on
its own security page and, for an administrator, on the account's page; ending one, or
all, makes the next request with that cookie unauthenticated. Resetting the second
factor ends them too."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import anyio
import httpx
import pytest
from congvu.inspect.actor import SESSION_REUSE_TTL
from congvu.inspect.audit.tables import AuditEvent
from congvu.inspect.organisation.services.account_sessions import browser_label
from congvu.inspect.web import sessions

from tests.conftest import csrf, login
from tests.dossiers.conftest import congvu
from tests.worlds import World

pytestmark = pytest.mark.anyio

ANDROID_CHROME = (
    "Mozilla/5.0 (Linux; Android 14; SM-X200) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/126.0 Safari/537.36"
)


@asynccontextmanager
async def second_client(client: Any, agent: str = ANDROID_CHROME) -> AsyncIterator[Any]:
    """Another browser on the same app."""
    transport = httpx.ASGITransport(app=client.app)
    async with httpx.AsyncClient(
        transport=transport, base_url="http://testserver.local", headers={"user-agent": agent}
    ) as other:
        yield other


async def _signed_in(client: Any) -> bool:
    answer = await client.get("/account/security", follow_redirects=False)
    return answer.status_code == 200


def test_a_browser_is_named_by_its_user_agent() -> None:
    assert browser_label(ANDROID_CHROME) == "Chrome trên Android"
    assert browser_label("curl/8") == "Trình duyệt khác"


async def test_own_sessions_are_listed_and_another_can_be_ended(client, world: World) -> None:
    async with second_client(client) as phone:
        assert (await login(phone, "head_a")).status_code == 303
        assert (await login(client, "head_a")).status_code == 303
        page = await client.get("/account/security")
        assert "Chrome trên Android" in page.text and "Phiên này" in page.text
        assert page.text.count("Kết thúc phiên") == 1
        handle = page.text.split("/account/security/sessions/")[1].split("/end")[0]
        ended = await client.post(
            f"/account/security/sessions/{handle}/end", headers=csrf(client), follow_redirects=False
        )
        assert ended.status_code == 303
        assert not await _signed_in(phone)
        assert await _signed_in(client)
        again = await client.post(f"/account/security/sessions/{handle}/end", headers=csrf(client))
        assert again.status_code == 404
        event = await AuditEvent.select().where(AuditEvent.action == "session_ended").first()
        assert event is not None and event["actor_username"] == "head_a"


async def test_sign_out_elsewhere_keeps_this_session(client, world: World) -> None:
    async with second_client(client) as phone, second_client(client, "Firefox/1") as laptop:
        for other in (phone, laptop):
            assert (await login(other, "head_a")).status_code == 303
        await login(client, "head_a")
        answer = await client.post(
            "/account/security/sessions/end-others", headers=csrf(client), follow_redirects=False
        )
        assert answer.status_code == 303
        assert not await _signed_in(phone) and not await _signed_in(laptop)
        page = await client.get("/account/security?ended=others")
        assert "Đã đăng xuất ở mọi nơi khác." in page.text
        assert "Kết thúc phiên" not in page.text


async def test_another_account_session_cannot_be_ended_by_its_handle(client, world: World) -> None:
    async with second_client(client) as phone:
        await login(phone, "head_b")
        await login(client, "admin")
        page = await client.get(f"/accounts/{world.users['head_b'].id}")
        handle = page.text.split("/sessions/")[1].split("/end")[0]
        await client.post("/logout", headers=csrf(client))
        await login(client, "head_a")
        refused = await client.post(
            f"/account/security/sessions/{handle}/end", headers=csrf(client)
        )
        assert refused.status_code == 404
        assert await _signed_in(phone)


async def test_an_admin_ends_a_user_session_and_all_of_them(client, world: World) -> None:
    head = world.users["head_a"]
    async with second_client(client) as phone, second_client(client, "Firefox/1") as laptop:
        await login(phone, "head_a")
        await login(laptop, "head_a")
        await login(client, "admin")
        page = await client.get(f"/accounts/{head.id}")
        assert "Chrome trên Android" in page.text and "Firefox" in page.text
        handle = page.text.split(f"/accounts/{head.id}/sessions/")[1].split("/end")[0]
        await client.post(f"/accounts/{head.id}/sessions/{handle}/end", headers=csrf(client))
        assert [await _signed_in(phone), await _signed_in(laptop)].count(True) == 1
        await client.post(f"/accounts/{head.id}/sessions/end-all", headers=csrf(client))
        assert not await _signed_in(phone) and not await _signed_in(laptop)
        assert await _signed_in(client)
        page = await client.get(f"/accounts/{head.id}")
        assert "Không có phiên đăng nhập nào đang mở." in page.text


async def test_resetting_the_second_factor_ends_the_sessions(client, world: World) -> None:
    async with second_client(client) as phone:
        await login(phone, "head_a")
        await login(client, "admin")
        answer = await client.post(
            "/accounts/paused/reset-second-factor",
            data={"username": "head_a"},
            headers=csrf(client),
            follow_redirects=False,
        )
        assert answer.status_code == 303
        assert not await _signed_in(phone)


async def test_the_command_line_reset_ends_the_sessions_too(client, world: World) -> None:
    """``congvu accounts reset-2fa`` opens the app's session store (its Redis, or the
    embedded server's socket) and ends them as the web reset does."""
    await login(client, "head_a")
    assert await _signed_in(client)
    done = await congvu("accounts", "reset-2fa", "head_a")
    assert done.returncode == 0, done.stderr
    # Another process ended it: this one's copy of the session lapses within the second.
    await anyio.sleep(SESSION_REUSE_TTL + 0.2)
    assert not await _signed_in(client)
    event = await AuditEvent.select().where(AuditEvent.action == "second_factor_reset").first()
    assert event is not None and event["actor_username"] == "system"


async def test_signing_out_removes_the_session_from_the_list(client, world: World) -> None:
    async with second_client(client) as phone:
        await login(phone, "head_a")
        await phone.get("/account/security")
        await phone.post("/logout", headers=csrf(phone))
        await login(client, "head_a")
        page = await client.get("/account/security")
        assert "Chrome trên Android" not in page.text


async def test_a_request_of_a_signed_in_session_costs_one_round_trip(client, world: World) -> None:
    """The registry and "last seen" add nothing to a steady request: one GETEX, no
    write (the last-seen time is written at most every SEEN_EVERY seconds)."""
    await login(client, "head_a")
    await client.get("/account/security")
    redis = sessions.store_of(client.app)._redis
    calls: list[str] = []
    original = redis.execute_command

    async def counted(*args: Any, **options: Any) -> Any:
        calls.append(str(args[0]).upper())
        return await original(*args, **options)

    redis.execute_command = counted
    try:
        sessions.recent_sessions.forget(client.cookies.get(sessions.SESSION_COOKIE, ""))
        assert (await client.get("/account/password")).status_code == 200
    finally:
        redis.execute_command = original
    assert calls == ["GETEX"]


async def test_last_seen_is_written_back_only_when_due(client, world: World, monkeypatch) -> None:
    await login(client, "head_a")
    later = sessions.clock() + sessions.SEEN_EVERY
    monkeypatch.setattr(sessions, "clock", lambda: later)
    redis = sessions.store_of(client.app)._redis
    calls: list[tuple[str, ...]] = []
    original = redis.execute_command

    async def counted(*args: Any, **options: Any) -> Any:
        calls.append(tuple(str(a).upper() for a in args if isinstance(a, str)))
        return await original(*args, **options)

    redis.execute_command = counted
    try:
        sessions.recent_sessions.forget(client.cookies.get(sessions.SESSION_COOKIE, ""))
        assert (await client.get("/account/password")).status_code == 200
    finally:
        redis.execute_command = original
    # The session, then its (idempotent) place in the account's registry.
    assert [c[0] for c in calls] == ["GETEX", "SET", "SADD"]
    assert "XX" in calls[1], "an ended session is not written back"
