"""Sign-in: uniform errors, lockout, CSRF, session cookie, audit."""

from __future__ import annotations

import pytest
from congvu.inspect.audit.tables import AuditEvent
from congvu.inspect.organisation.tables import User

from tests.builders import PASSWORD
from tests.conftest import Clock, csrf, login
from tests.worlds import World

pytestmark = pytest.mark.anyio

UNIFORM = "Tên đăng nhập hoặc mật khẩu không đúng, hoặc tài khoản đang tạm khóa."


async def test_login_opens_the_home_page_of_the_account(client, world: World) -> None:
    response = await login(client, "head_a")
    assert response.status_code == 303
    assert response.headers["location"] == "/"
    home = await client.get("/")
    assert home.status_code == 200
    assert "Xin chào, head_a" in home.text
    assert "Thủ trưởng đơn vị" in home.text


async def test_session_cookie_is_httponly_samesite_and_rotated_at_login(client, world) -> None:
    client.cookies.set("congvu_session", "planted-by-an-attacker")
    response = await login(client, "head_a")
    cookie = next(
        v
        for k, v in response.headers.multi_items()
        if k == "set-cookie" and v.startswith("congvu_session=")
    )
    assert "HttpOnly" in cookie
    assert "SameSite=lax" in cookie or "SameSite=Lax" in cookie
    assert "planted-by-an-attacker" not in cookie


@pytest.mark.parametrize(
    ("username", "password"),
    [("head_a", "sai-mat-khau"), ("khong-ton-tai", PASSWORD), ("head_a", "")],
)
async def test_every_failed_login_gets_the_same_message(client, world, username, password):
    response = await login(client, username, password)
    assert response.status_code == 401
    assert UNIFORM in response.text


async def test_failed_login_is_audited(client, world) -> None:
    await login(client, "head_a", "sai-mat-khau")
    events = await AuditEvent.select().where(AuditEvent.action == "login_failed")
    assert len(events) == 1
    assert events[0]["actor_username"] == "head_a"


async def test_account_locks_after_repeated_failures_even_for_the_right_password(
    client, world
) -> None:
    for _ in range(5):
        assert (await login(client, "head_a", "sai-mat-khau")).status_code == 401
    user = await User.objects().where(User.username == "head_a").first()
    assert user.locked_until is not None
    locked = await login(client, "head_a", PASSWORD)
    assert locked.status_code == 401
    assert UNIFORM in locked.text
    # Another account is not affected.
    assert (await login(client, "head_b")).status_code == 303


async def test_login_form_without_csrf_token_is_refused(client, world) -> None:
    await client.get("/login")
    response = await client.post("/login", data={"username": "head_a", "password": PASSWORD})
    assert response.status_code == 403
    assert "Vui lòng tải lại trang" in response.text


async def test_state_change_with_session_but_without_csrf_is_refused(client, world) -> None:
    await login(client, "head_a")
    refused = await client.post(f"/units/{world.commune_a.id}/statistics", follow_redirects=False)
    assert refused.status_code == 403
    accepted = await client.post(
        f"/units/{world.commune_a.id}/statistics", headers=csrf(client), follow_redirects=False
    )
    assert accepted.status_code == 303


async def test_login_never_redirects_off_site(client, world) -> None:
    await client.get("/login")
    response = await client.post(
        "/login",
        data={
            "username": "head_a",
            "password": PASSWORD,
            "next": "//evil.example/",
            "_csrf_token": client.cookies.get("csrftoken"),
        },
        follow_redirects=False,
    )
    assert response.headers["location"] == "/"


async def test_logout_ends_the_session(client, world) -> None:
    await login(client, "head_a")
    out = await client.post("/logout", headers=csrf(client), follow_redirects=False)
    assert out.status_code == 303
    again = await client.get("/", follow_redirects=False)
    assert again.status_code in (302, 303, 307)
    assert again.headers["location"].startswith("/login")


async def test_login_form_is_rate_limited_per_client(client, world) -> None:
    statuses = [(await login(client, "nobody", "x")).status_code for _ in range(31)]
    assert statuses[:30] == [401] * 30
    assert statuses[30] == 429


async def test_english_is_the_second_locale(client, world) -> None:
    await login(client, "head_a")
    await client.get("/locale/en", follow_redirects=False)
    home = await client.get("/")
    assert "Sign out" in home.text
    user = await User.objects().where(User.username == "head_a").first()
    assert user.locale == "en"


async def test_each_page_renews_the_session_and_its_cookie(client, world) -> None:
    """An idle session ends 12 hours after its last request, on the server and in the
    browser alike; reading it renews it, so an unchanged session is not written back."""
    await login(client, "head_a")
    session_id = client.cookies["congvu_session"]
    sessions = client.app.stores.get("sessions")
    await sessions.set(session_id, await sessions.get(session_id), expires_in=60)
    page = await client.get("/")
    assert page.status_code == 200
    cookie = next(
        v
        for k, v in page.headers.multi_items()
        if k == "set-cookie" and v.startswith("congvu_session=")
    )
    assert cookie.startswith(f"congvu_session={session_id};")
    assert "Max-Age=43200" in cookie and "HttpOnly" in cookie
    assert await sessions.expires_in(session_id) > 60


async def test_a_session_ended_elsewhere_is_refused_within_a_second(
    client, world, monkeypatch
) -> None:
    """Another process's sign-out removes the session from Redis; this process reuses a
    session it read for at most SESSION_ACTOR_TTL, then asks Redis again."""
    from congvu.inspect.organisation.services import accounts
    from congvu.inspect.ttl_cache import TtlCache
    from congvu.inspect.web import sessions as web_sessions

    clock = Clock()
    monkeypatch.setattr(
        web_sessions, "recent_sessions", TtlCache(accounts.SESSION_ACTOR_TTL, clock=clock)
    )
    await login(client, "head_a")
    assert (await client.get("/")).status_code == 200
    await client.app.stores.get("sessions").delete(client.cookies["congvu_session"])
    clock.now += accounts.SESSION_ACTOR_TTL
    again = await client.get("/", follow_redirects=False)
    assert again.status_code in (302, 303, 307)
    assert again.headers["location"].startswith("/login")


async def test_a_sign_out_here_ends_the_session_at_once(client, world, monkeypatch) -> None:
    """The process that signs a session out forgets it with no wait, even with a clock
    that never moves."""
    from congvu.inspect.organisation.services import accounts
    from congvu.inspect.ttl_cache import TtlCache
    from congvu.inspect.web import sessions as web_sessions

    monkeypatch.setattr(
        web_sessions, "recent_sessions", TtlCache(accounts.SESSION_ACTOR_TTL, clock=Clock())
    )
    await login(client, "head_a")
    cookie = client.cookies["congvu_session"]
    assert (await client.get("/")).status_code == 200
    await client.post("/logout", headers=csrf(client), follow_redirects=False)
    client.cookies.set("congvu_session", cookie)
    again = await client.get("/", follow_redirects=False)
    assert again.status_code in (302, 303, 307)


async def test_the_login_page_keeps_a_local_next_and_drops_any_other(client, world) -> None:
    local = await client.get("/login", params={"next": "/dossiers"})
    assert '<input type="hidden" name="next" value="/dossiers">' in local.text
    away = await client.get("/login", params={"next": "//evil.example/"})
    assert '<input type="hidden" name="next" value="/">' in away.text
