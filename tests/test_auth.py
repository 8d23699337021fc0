"""Sign-in: uniform errors, lockout, CSRF, session cookie, audit."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

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


PAUSED = "Đăng nhập tạm dừng vì nhập sai mật khẩu nhiều lần. Vui lòng thử lại sau 15 phút."


async def test_repeated_failures_pause_sign_in_and_say_for_how_long(client, world) -> None:
    for _ in range(4):
        assert (await login(client, "head_a", "sai-mat-khau")).status_code == 401
    fifth = await login(client, "head_a", "sai-mat-khau")
    assert fifth.status_code == 429
    assert PAUSED in fifth.text
    user = await User.objects().where(User.username == "head_a").first()
    assert user.locked_until is not None
    # The right password is refused too, and the answer says so and for how long.
    locked = await login(client, "head_a", PASSWORD)
    assert locked.status_code == 429
    assert PAUSED in locked.text
    assert UNIFORM not in locked.text
    assert 14 * 60 < int(locked.headers["retry-after"]) <= 15 * 60
    # Another account is not affected.
    assert (await login(client, "head_b")).status_code == 303


async def test_a_pause_reads_the_same_for_an_unknown_username(client, world) -> None:
    """Pauses are kept per typed name, so the answer reveals no account."""
    answers = {}
    for name in ("head_a", "khong-ton-tai"):
        for _ in range(5):
            await login(client, name, "sai-mat-khau")
        answers[name] = await login(client, name, PASSWORD)
    known, unknown = answers["head_a"], answers["khong-ton-tai"]
    assert known.status_code == unknown.status_code == 429
    assert PAUSED in known.text and PAUSED in unknown.text
    assert known.headers["retry-after"][:2] == unknown.headers["retry-after"][:2]
    assert known.text.replace("head_a", "khong-ton-tai") == unknown.text


async def test_failures_decay_so_that_a_slow_trickle_never_pauses(client, world) -> None:
    """The count restarts once a lockout window has passed since its first failure:
    a person mistyping now and then over a day is never paused."""
    from congvu.inspect.organisation.tables import SignInPause

    for _ in range(4):
        await login(client, "head_a", "sai-mat-khau")
    await SignInPause.update(
        {SignInPause.window_start: SignInPause.window_start - timedelta(minutes=16)}
    ).where(SignInPause.username == "head_a")
    for _ in range(4):
        assert (await login(client, "head_a", "sai-mat-khau")).status_code == 401
    assert (await login(client, "head_a")).status_code == 303


async def test_a_pause_ends_by_itself(client, world) -> None:
    from congvu.inspect.organisation.tables import SignInPause

    for _ in range(5):
        await login(client, "khong-ton-tai", "sai-mat-khau")
    await SignInPause.update({SignInPause.paused_until: datetime.now(UTC)}).where(
        SignInPause.username == "khong-ton-tai"
    )
    assert (await login(client, "khong-ton-tai", "sai-mat-khau")).status_code == 401


async def test_a_pause_and_its_end_are_audited_in_vietnamese(client, world) -> None:
    for _ in range(5):
        await login(client, "head_a", "sai-mat-khau")
    event = await AuditEvent.select().where(AuditEvent.action == "account_locked").first()
    assert event is not None
    assert event["actor_username"] == "head_a"
    assert event["object_id"] == str(world.users["head_a"].id)
    assert event["reason"] == "Tạm dừng đăng nhập 15 phút sau 5 lần đăng nhập sai liên tiếp."


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
    # A new name each time: the pause per name is not what is tested here.
    statuses = [(await login(client, f"nobody-{i}", "x")).status_code for i in range(31)]
    assert statuses[:30] == [401] * 30
    assert statuses[30] == 429


async def test_english_is_the_second_locale(client, world) -> None:
    await login(client, "head_a")
    switched = await client.post(
        "/locale", data={"code": "en"}, headers=csrf(client), follow_redirects=False
    )
    assert switched.status_code == 303
    home = await client.get("/")
    assert "Sign out" in home.text
    user = await User.objects().where(User.username == "head_a").first()
    assert user.locale == "en"


async def test_the_language_switch_is_a_form_with_the_csrf_token(client, world) -> None:
    """Changing the stored language is a state change: no GET, no missing token."""
    await login(client, "head_a")
    home = await client.get("/")
    assert '<form method="post" action="/locale" class="inline locale">' in home.text
    assert 'name="_csrf_token"' in home.text.split('action="/locale"')[1].split("</form>")[0]
    assert (await client.get("/locale/en", follow_redirects=False)).status_code in (404, 405)
    refused = await client.post("/locale", data={"code": "en"}, follow_redirects=False)
    assert refused.status_code == 403
    user = await User.objects().where(User.username == "head_a").first()
    assert user.locale == "vi"


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


async def test_a_csrf_token_taken_from_another_session_is_refused(client, world) -> None:
    """The token is bound to the session: a planted cookie and header pair that is
    valid in the attacker's own session fails in the victim's."""
    await login(client, "head_b")
    planted = client.cookies["csrftoken"]
    client.cookies.clear()
    await login(client, "head_a")
    own = client.cookies["csrftoken"]
    assert own != planted
    client.cookies.set("csrftoken", planted, domain="testserver.local")
    target = f"/units/{world.commune_a.id}/statistics"
    by_header = await client.post(target, headers={"x-csrftoken": planted}, follow_redirects=False)
    assert by_header.status_code == 403
    by_form = await client.post(target, data={"_csrf_token": planted}, follow_redirects=False)
    assert by_form.status_code == 403
    # A page puts the session's own token back in the cookie, and that one works.
    await client.get("/")
    assert client.cookies["csrftoken"] == own
    accepted = await client.post(target, headers=csrf(client), follow_redirects=False)
    assert accepted.status_code == 303


async def test_the_login_form_refuses_a_token_of_another_visitor(client, world) -> None:
    await client.get("/login")
    planted = client.cookies["csrftoken"]
    client.cookies.clear()
    await client.get("/login")
    client.cookies.set("csrftoken", planted, domain="testserver.local")
    response = await client.post(
        "/login", data={"username": "head_a", "password": PASSWORD, "_csrf_token": planted}
    )
    assert response.status_code == 403


async def test_login_gives_a_new_csrf_token_and_the_old_one_dies(client, world) -> None:
    await client.get("/login")
    before = client.cookies["csrftoken"]
    response = await login(client, "head_a")
    assert response.status_code == 303
    after = client.cookies["csrftoken"]
    assert after != before
    target = f"/units/{world.commune_a.id}/statistics"
    stale = await client.post(target, headers={"x-csrftoken": before}, follow_redirects=False)
    assert stale.status_code == 403
    fresh = await client.post(target, headers={"x-csrftoken": after}, follow_redirects=False)
    assert fresh.status_code == 303
