"""Xác thực hai lớp, end to end over HTTP with pyotp as the phone: enrolment, the code
after the password (once only, ±1 step), recovery codes, remembered devices, the
administrator's reset, and the roles the setting leaves alone.

A code's time step is taken once: where a test signs in again "a minute later", it
moves the account's last accepted step back instead of waiting for the clock."""

from __future__ import annotations

import re
import time
from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pyotp
import pytest
from congvu.inspect.actor import Role
from congvu.inspect.app import create_app
from congvu.inspect.audit.tables import AuditEvent
from congvu.inspect.organisation.tables import RecoveryCode, RememberedDevice, SecondFactor, User
from congvu.inspect.settings import get_settings

from tests.builders import PASSWORD
from tests.conftest import csrf, login
from tests.worlds import World

pytestmark = pytest.mark.anyio

REQUIRED = frozenset({Role.UNIT_HEAD, Role.COUNCIL, Role.PERSONNEL, Role.ADMIN})


@pytest.fixture
async def app_client(world: World) -> AsyncIterator[Any]:
    """Clients of one app that requires the second factor of the production default."""
    app = create_app(replace(get_settings(), second_factor_roles=REQUIRED))
    async with app.lifespan():
        await app.state.queue.flushdb()
        opened: list[httpx.AsyncClient] = []

        def open_client() -> httpx.AsyncClient:
            transport = httpx.ASGITransport(app=app)
            one = httpx.AsyncClient(transport=transport, base_url="http://testserver.local")
            opened.append(one)
            return one

        yield open_client
        for one in opened:
            await one.aclose()


@pytest.fixture
async def web(app_client) -> httpx.AsyncClient:
    return app_client()


def code(secret: str, steps_ahead: int = 0) -> str:
    return pyotp.TOTP(secret).at(time.time() + 30 * steps_ahead)


async def a_minute_later(username: str) -> None:
    """The account's codes of the last minute become usable again (see the module)."""
    user = await User.select(User.id).where(User.username == username).first()
    await SecondFactor.update({SecondFactor.last_step: 0}).where(SecondFactor.account == user["id"])


async def actions(action: str) -> list[dict[str, Any]]:
    return await AuditEvent.select().where(AuditEvent.action == action)


async def enrol(web: httpx.AsyncClient, username: str = "head_a") -> tuple[str, list[str]]:
    """Sign in and enrol; returns the secret and the recovery codes."""
    first = await login(web, username)
    assert first.status_code == 303
    assert first.headers["location"] == "/login/second-factor/enrol"
    page = await web.get("/login/second-factor/enrol")
    assert page.status_code == 200
    assert "<svg" in page.text
    # Nothing inline the CSP would refuse.
    assert "<script>" not in page.text and "style=" not in page.text
    grouped = re.search(r'<p class="secret"><code>([A-Z2-7 ]+)</code>', page.text)
    assert grouped is not None
    secret = grouped.group(1).replace(" ", "")
    done = await web.post(
        "/login/second-factor/enrol",
        data={"code": code(secret), "_csrf_token": web.cookies.get("csrftoken")},
    )
    assert done.status_code == 200
    codes = re.findall(r"<li><code>([a-z2-9]{5}-[a-z2-9]{5})</code></li>", done.text)
    assert len(codes) == 10
    return secret, codes


async def second_step(web: httpx.AsyncClient, typed: str, remember: bool = False) -> httpx.Response:
    data = {"code": typed, "_csrf_token": web.cookies.get("csrftoken")}
    if remember:
        data["remember"] = "1"
    return await web.post("/login/second-factor", data=data, follow_redirects=False)


async def sign_out(web: httpx.AsyncClient) -> None:
    await web.post("/logout", headers=csrf(web), follow_redirects=False)


async def test_a_required_role_enrols_right_after_its_password(web, world: World) -> None:
    first = await login(web, "head_a")
    assert first.headers["location"] == "/login/second-factor/enrol"
    half_open = web.cookies.get("congvu_session")
    page = await web.get("/login/second-factor/enrol")
    assert "Bật xác thực hai lớp" in page.text
    secret = re.search(r'<p class="secret"><code>([A-Z2-7 ]+)</code>', page.text).group(1)
    # The same secret on a reload: the QR code already scanned stays good.
    again = await web.get("/login/second-factor/enrol")
    assert secret in again.text
    secret = secret.replace(" ", "")
    token = web.cookies.get("csrftoken")
    wrong = await web.post(
        "/login/second-factor/enrol", data={"code": "000000", "_csrf_token": token}
    )
    assert wrong.status_code == 400
    assert "Mã xác thực không đúng hoặc đã được dùng." in wrong.text
    done = await web.post(
        "/login/second-factor/enrol", data={"code": code(secret), "_csrf_token": token}
    )
    assert done.status_code == 200
    assert "Các mã chỉ hiển thị lần này." in done.text
    assert web.cookies.get("congvu_session") != half_open
    assert (await web.get("/", follow_redirects=False)).status_code == 200
    stored = await SecondFactor.select().first()
    assert secret not in stored["secret"] and stored["confirmed_at"] is not None
    hashes = await RecoveryCode.select(RecoveryCode.code_hash)
    assert len(hashes) == 10 and all(h["code_hash"].startswith("$argon2") for h in hashes)
    assert len(await actions("second_factor_enrolled")) == 1


@pytest.mark.parametrize("path", ["/", "/api/v1/units"])
async def test_nothing_else_opens_before_enrolment(web, world: World, path: str) -> None:
    """A page sends to the login, a JSON client gets 401; either way the half-open
    session ends, and the password is asked again."""
    await login(web, "head_a")
    answer = await web.get(
        path,
        headers={"accept": "application/json"} if "api" in path else {},
        follow_redirects=False,
    )
    if "api" in path:
        assert answer.status_code == 401
    else:
        assert answer.status_code in (302, 303) and answer.headers["location"].startswith("/login")
    gone = await web.get("/login/second-factor/enrol", follow_redirects=False)
    assert gone.status_code == 303 and gone.headers["location"] == "/login"


async def test_the_recovery_codes_download_as_text(web, world: World) -> None:
    _, codes = await enrol(web)
    answer = await web.post(
        "/account/security/recovery-codes.txt",
        data={"codes": codes, "_csrf_token": web.cookies.get("csrftoken")},
    )
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("text/plain")
    assert "attachment" in answer.headers["content-disposition"]
    assert all(c in answer.text for c in codes)


async def test_an_enrolled_account_gives_its_code_once(web, world: World) -> None:
    secret, _ = await enrol(web)
    await sign_out(web)
    first = await login(web, "head_a")
    assert first.headers["location"] == "/login/second-factor"
    before = web.cookies.get("congvu_session")
    wrong = await second_step(web, "123456" if code(secret, 1) != "123456" else "654321")
    assert wrong.status_code == 401
    assert len(await actions("second_factor_failed")) == 1
    right = code(secret, 1)  # the next step: ±1 step of drift is accepted
    passed = await second_step(web, right)
    assert passed.status_code == 303 and passed.headers["location"] == "/"
    assert web.cookies.get("congvu_session") != before
    assert (await web.get("/", follow_redirects=False)).status_code == 200
    assert len(await actions("second_factor_passed")) == 1
    await sign_out(web)
    await login(web, "head_a")
    replayed = await second_step(web, right)
    assert replayed.status_code == 401
    assert (await web.get("/", follow_redirects=False)).status_code != 200


async def test_a_code_two_steps_away_is_refused(web, world: World) -> None:
    secret, _ = await enrol(web)
    await sign_out(web)
    await a_minute_later("head_a")
    await login(web, "head_a")
    assert (await second_step(web, code(secret, -3))).status_code == 401
    assert (await second_step(web, code(secret, 3))).status_code == 401


async def test_a_recovery_code_works_once(web, world: World) -> None:
    _, codes = await enrol(web)
    await sign_out(web)
    await login(web, "head_a")
    used = await second_step(web, codes[3].upper().replace("-", " "))
    assert used.status_code == 303
    assert len(await actions("recovery_code_used")) == 1
    await sign_out(web)
    await login(web, "head_a")
    assert (await second_step(web, codes[3])).status_code == 401
    assert (await second_step(web, codes[4])).status_code == 303
    page = await web.get("/account/security")
    assert "Còn 8 mã khôi phục chưa dùng." in page.text


async def test_wrong_codes_pause_sign_in_like_wrong_passwords(web, world: World) -> None:
    await enrol(web)
    await sign_out(web)
    await login(web, "head_a")
    statuses = [(await second_step(web, "000001")).status_code for _ in range(5)]
    assert statuses == [401, 401, 401, 401, 429]
    # The half-open session ended with the pause; the password is paused too.
    assert (await web.get("/login/second-factor", follow_redirects=False)).status_code == 303
    assert (await login(web, "head_a")).status_code == 429


async def test_a_remembered_device_skips_the_code_until_it_expires(web, world: World) -> None:
    secret, _ = await enrol(web)
    await sign_out(web)
    await login(web, "head_a")
    passed = await second_step(web, code(secret, 1), remember=True)
    device_cookie = passed.headers["set-cookie"]
    assert "congvu_device=" in device_cookie and "HttpOnly" in device_cookie
    assert "Path=/login" in device_cookie and "SameSite=lax" in device_cookie.replace("Lax", "lax")
    assert len(await actions("device_remembered")) == 1
    await sign_out(web)
    skipped = await login(web, "head_a")
    assert skipped.headers["location"] == "/"
    page = await web.get("/account/security")
    assert "Thiết bị được ghi nhớ" in page.text and "Thu hồi" in page.text
    await sign_out(web)
    await RememberedDevice.update(
        {RememberedDevice.expires_at: datetime.now(UTC) - timedelta(seconds=1)}, force=True
    )
    asked = await login(web, "head_a")
    assert asked.headers["location"] == "/login/second-factor"


async def test_a_device_is_revoked_on_the_account_page(web, world: World) -> None:
    secret, _ = await enrol(web)
    await sign_out(web)
    await login(web, "head_a")
    await second_step(web, code(secret, 1), remember=True)
    device = await RememberedDevice.select(RememberedDevice.id).first()
    revoked = await web.post(
        f"/account/security/devices/{device['id']}/revoke",
        headers=csrf(web),
        follow_redirects=False,
    )
    assert revoked.status_code == 303
    assert len(await actions("device_revoked")) == 1
    await sign_out(web)
    assert (await login(web, "head_a")).headers["location"] == "/login/second-factor"


async def test_another_accounts_device_cannot_be_revoked(app_client, world: World) -> None:
    head, admin = app_client(), app_client()
    secret, _ = await enrol(head)
    await sign_out(head)
    await login(head, "head_a")
    await second_step(head, code(secret, 1), remember=True)
    device = await RememberedDevice.select(RememberedDevice.id).first()
    await enrol(admin, "admin")
    refused = await admin.post(
        f"/account/security/devices/{device['id']}/revoke", headers=csrf(admin)
    )
    assert refused.status_code == 404
    assert await RememberedDevice.count() == 1


async def test_a_password_change_revokes_the_devices(web, world: World) -> None:
    secret, _ = await enrol(web)
    await sign_out(web)
    await login(web, "head_a")
    await second_step(web, code(secret, 1), remember=True)
    changed = await web.post(
        "/account/password",
        data={
            "current": PASSWORD,
            "new": "mot-mat-khau-moi-dai",
            "confirmation": "mot-mat-khau-moi-dai",
        },
        headers=csrf(web),
        follow_redirects=False,
    )
    assert changed.status_code == 303
    assert await RememberedDevice.count() == 0
    await sign_out(web)
    asked = await login(web, "head_a", "mot-mat-khau-moi-dai")
    assert asked.headers["location"] == "/login/second-factor"


async def test_an_admin_reset_sends_the_account_back_to_enrolment(app_client, world) -> None:
    head, admin = app_client(), app_client()
    secret, _ = await enrol(head)
    await sign_out(head)
    await login(head, "head_a")
    await second_step(head, code(secret, 1), remember=True)
    await sign_out(head)
    await enrol(admin, "admin")
    page = await admin.get("/accounts/paused")
    assert "Đặt lại xác thực hai lớp" in page.text
    reset = await admin.post(
        "/accounts/paused/reset-second-factor",
        data={"username": "head_a"},
        headers=csrf(admin),
        follow_redirects=False,
    )
    assert reset.status_code == 303
    after = await admin.get(reset.headers["location"])
    assert "Đã đặt lại xác thực hai lớp của tài khoản head_a" in after.text
    event = (await actions("second_factor_reset"))[0]
    assert event["actor_username"] == "admin" and "head_a" in event["reason"]
    assert await RememberedDevice.count() == 0
    assert (await login(head, "head_a")).headers["location"] == "/login/second-factor/enrol"


async def test_only_an_admin_resets_a_second_factor(web, world: World) -> None:
    await enrol(web)
    refused = await web.post(
        "/accounts/paused/reset-second-factor", data={"username": "admin"}, headers=csrf(web)
    )
    assert refused.status_code == 403


async def test_a_role_outside_the_setting_is_not_asked(web, world: World) -> None:
    answer = await login(web, "inspector")
    assert answer.status_code == 303 and answer.headers["location"] == "/"
    # The tablets' sync goes on as before.
    synced = await web.post("/api/v1/sync", json={"records": []}, headers=csrf(web))
    assert synced.status_code == 200
    page = await web.get("/account/security")
    assert "Chưa bật xác thực hai lớp." in page.text
    assert "Vai trò của bạn bắt buộc" not in page.text


async def test_an_account_that_enrolled_of_its_own_accord_is_asked(web, world: World) -> None:
    await login(web, "inspector")
    page = await web.get("/login/second-factor/enrol")
    secret = re.search(r'<p class="secret"><code>([A-Z2-7 ]+)</code>', page.text).group(1)
    secret = secret.replace(" ", "")
    done = await web.post(
        "/login/second-factor/enrol",
        data={"code": code(secret), "_csrf_token": web.cookies.get("csrftoken")},
    )
    assert done.status_code == 200
    assert (await web.get("/account/security")).status_code == 200
    await sign_out(web)
    assert (await login(web, "inspector")).headers["location"] == "/login/second-factor"


async def test_a_json_client_of_a_required_role_needs_the_second_step(web, world) -> None:
    secret, _ = await enrol(web)
    await sign_out(web)
    await login(web, "head_a")
    headers = {**csrf(web), "accept": "application/json"}
    assert (await web.get("/api/v1/units", headers=headers)).status_code == 401
    # The refusal ended the half-open session: the password again, then the code.
    await login(web, "head_a")
    headers = {**csrf(web), "accept": "application/json"}
    synced = await web.post("/api/v1/sync", json={"records": []}, headers=headers)
    assert synced.status_code == 401
    await login(web, "head_a")
    assert (await second_step(web, code(secret, 1))).status_code == 303
    assert (await web.get("/api/v1/units")).status_code == 200


async def test_new_recovery_codes_need_a_current_code(web, world: World) -> None:
    secret, old = await enrol(web)
    token = web.cookies.get("csrftoken")
    refused = await web.post(
        "/account/security/recovery-codes", data={"code": "000000", "_csrf_token": token}
    )
    assert refused.status_code == 400
    renewed = await web.post(
        "/account/security/recovery-codes", data={"code": code(secret, 1), "_csrf_token": token}
    )
    assert renewed.status_code == 200
    new = re.findall(r"<li><code>([a-z2-9]{5}-[a-z2-9]{5})</code></li>", renewed.text)
    assert len(new) == 10 and not set(new) & set(old)
    assert len(await actions("recovery_codes_renewed")) == 1


async def test_the_half_open_session_expires(web, world: World, monkeypatch) -> None:
    await enrol(web)
    await sign_out(web)
    await login(web, "head_a")
    real = time.time
    monkeypatch.setattr(time, "time", lambda: real() + 11 * 60)
    answer = await web.get("/login/second-factor", follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"] == "/login"


def test_the_required_roles_are_a_setting(tmp_path) -> None:
    from congvu.inspect.settings import SettingsError, load_settings

    base = {"CONGVU_VAR_DIR": str(tmp_path)}
    assert load_settings(base).second_factor_roles == REQUIRED
    assert load_settings(base).remember_device_days == 30
    chosen = load_settings(base | {"CONGVU_SECOND_FACTOR_ROLES": " admin , council"})
    assert chosen.second_factor_roles == {Role.ADMIN, Role.COUNCIL}
    assert load_settings(base | {"CONGVU_SECOND_FACTOR_ROLES": ""}).second_factor_roles == set()
    with pytest.raises(SettingsError, match="CONGVU_SECOND_FACTOR_ROLES"):
        load_settings(base | {"CONGVU_SECOND_FACTOR_ROLES": "admin,boss"})


async def test_an_admin_resets_from_the_command_line(web, world: World) -> None:
    from congvu.inspect.organisation import api as organisation

    await enrol(web)
    await organisation.reset_second_factor("head_a")
    assert await SecondFactor.count() == 0 and await RecoveryCode.count() == 0
    assert len(await actions("second_factor_reset")) == 1
    await sign_out(web)
    assert (await login(web, "head_a")).headers["location"] == "/login/second-factor/enrol"


async def test_the_demo_asks_its_admin_for_the_code_it_shows(world: World) -> None:
    from congvu.inspect.organisation import api as organisation

    settings = replace(get_settings(), demo=True, second_factor_roles=frozenset({Role.ADMIN}))
    await organisation.enrol_demo_admin(settings)
    await organisation.enrol_demo_admin(settings)  # at every start: no second row
    assert await SecondFactor.count() == 1
    app = create_app(settings)
    async with app.lifespan():
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://t.local") as web:
            page = await web.get("/login")
            assert "Chế độ demo" in page.text
            shown = re.search(r"mã xác thực hiện tại là (\d{6})", page.text).group(1)
            assert (await login(web, "head_a")).headers["location"] == "/"
            await sign_out(web)
            assert (await login(web, "admin")).headers["location"] == "/login/second-factor"
            step = await web.get("/login/second-factor")
            assert "Chế độ demo" in step.text
            passed = await second_step(web, shown)
            assert passed.status_code == 303
    # Outside the demo the same pages show nothing of the kind.
    assert "Chế độ demo" not in (await login_page_text())


async def login_page_text() -> str:
    app = create_app(get_settings())
    async with app.lifespan():
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://t.local") as web:
            return (await web.get("/login")).text


def test_congvu_accounts_reset_2fa() -> None:
    """In-process (click's runner) on the test database, like `accounts unlock`."""
    from click.testing import CliRunner
    from congvu.inspect.cli import cli
    from congvu.inspect.cli.common import run

    runner = CliRunner()
    created = runner.invoke(
        cli,
        ["create-user", "--username", "quantri-2fa", "--role", "admin"],
        input="mat-khau-du-dai\n",
    )
    assert created.exit_code == 0, created.output

    async def enrolled() -> int:
        user = await User.select(User.id).where(User.username == "quantri-2fa").first()
        await SecondFactor.insert(
            SecondFactor(
                account=user["id"],
                secret="x",
                confirmed_at=datetime.now(UTC),
                created_at=datetime.now(UTC),
            )
        )
        return int(user["id"])

    user_id = run(enrolled)
    reset = runner.invoke(cli, ["accounts", "reset-2fa", "quantri-2fa"])
    assert reset.exit_code == 0, reset.output
    assert "second factor reset" in reset.output
    missing = runner.invoke(cli, ["accounts", "reset-2fa", "khong-ton-tai"])
    assert missing.exit_code == 1 and "Không tìm thấy tài khoản" in missing.output

    async def state() -> tuple[int, list[str]]:
        left = await SecondFactor.count().where(SecondFactor.account == user_id)
        events = await AuditEvent.select(AuditEvent.action).where(
            AuditEvent.object_id == str(user_id)
        )
        return left, [e["action"] for e in events]

    left, done = run(state)
    assert left == 0 and "second_factor_reset" in done
