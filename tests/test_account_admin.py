"""An administrator ends a sign-in pause early: on the page of paused accounts (admin
only, CSRF, audited) or with `congvu accounts unlock USERNAME`."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from congvu.inspect.audit.tables import AuditEvent
from congvu.inspect.organisation.tables import User

from tests import builders
from tests.builders import PASSWORD
from tests.conftest import csrf, login
from tests.worlds import World


async def _pause(client, username: str) -> None:
    for _ in range(5):
        await login(client, username, "sai-mat-khau")
    client.cookies.clear()


@pytest.mark.anyio
async def test_an_admin_sees_paused_accounts_and_unlocks_one(client, world: World) -> None:
    await _pause(client, "head_a")
    await _pause(client, "khong-ton-tai")
    await login(client, "admin")
    page = await client.get("/accounts/paused")
    assert page.status_code == 200
    assert "head_a" in page.text and "khong-ton-tai" not in page.text
    assert "còn 15 phút" in page.text and "Mở khóa" in page.text
    refused = await client.post(
        "/accounts/paused/unlock", data={"username": "head_a"}, follow_redirects=False
    )
    assert refused.status_code == 403
    unlocked = await client.post(
        "/accounts/paused/unlock",
        data={"username": "head_a"},
        headers=csrf(client),
        follow_redirects=False,
    )
    assert unlocked.status_code == 303
    after = await client.get(unlocked.headers["location"])
    assert "Đã mở khóa tài khoản head_a" in after.text
    assert "Không có tài khoản nào đang tạm dừng đăng nhập." in after.text
    event = await AuditEvent.select().where(AuditEvent.action == "account_unlocked").first()
    assert event is not None
    assert event["actor_username"] == "admin"
    assert "mở khóa đăng nhập cho tài khoản head_a" in event["reason"]
    client.cookies.clear()
    assert (await login(client, "head_a", PASSWORD)).status_code == 303


@pytest.mark.anyio
async def test_unlocking_an_account_that_is_not_paused_is_404(client, world: World) -> None:
    await login(client, "admin")
    answer = await client.post(
        "/accounts/paused/unlock", data={"username": "head_b"}, headers=csrf(client)
    )
    assert answer.status_code == 404


@pytest.mark.anyio
async def test_a_commune_admin_resets_no_second_factor_outside_the_commune(
    client, world: World
) -> None:
    """As on an account's page: the reset form of the paused page keeps to the
    administrator's unit scope (an account without a unit is the whole system's)."""
    await builders.account("admin_b", role="admin", unit="P-B")
    await login(client, "admin_b")
    for username in ("head_a", "admin"):
        refused = await client.post(
            "/accounts/paused/reset-second-factor",
            data={"username": username},
            headers=csrf(client),
            follow_redirects=False,
        )
        assert refused.status_code == 403
        assert "ngoài phạm vi đơn vị" in refused.text
    assert await AuditEvent.count().where(AuditEvent.action == "second_factor_reset") == 0
    own = await client.post(
        "/accounts/paused/reset-second-factor",
        data={"username": "head_b"},
        headers=csrf(client),
        follow_redirects=False,
    )
    assert own.status_code == 303


@pytest.mark.anyio
async def test_only_an_admin_sees_the_page(client, world: World) -> None:
    await login(client, "head_a")
    assert (await client.get("/accounts/paused")).status_code == 403


def test_congvu_accounts_unlock() -> None:
    """In-process (click's runner) on the test database: a subprocess per command would
    cost seconds each."""
    from click.testing import CliRunner
    from congvu.inspect.cli import cli
    from congvu.inspect.cli.common import run

    runner = CliRunner()
    created = runner.invoke(
        cli,
        ["create-user", "--username", "quantri-cli", "--role", "admin"],
        input="mat-khau-du-dai\n",
    )
    assert created.exit_code == 0, created.output
    weak = runner.invoke(cli, ["accounts", "reset-password", "quantri-cli"], input="12345678\n")
    assert weak.exit_code == 1 and "ít nhất 10 ký tự" in weak.output
    until = datetime.now(UTC) + timedelta(minutes=15)

    async def lock() -> None:
        await User.update({User.locked_until: until}).where(User.username == "quantri-cli")

    run(lock)
    listed = runner.invoke(cli, ["accounts", "paused"])
    assert listed.exit_code == 0 and "quantri-cli" in listed.output
    unlocked = runner.invoke(cli, ["accounts", "unlock", "quantri-cli"])
    assert unlocked.exit_code == 0, unlocked.output
    again = runner.invoke(cli, ["accounts", "unlock", "quantri-cli"])
    assert again.exit_code == 1 and "không bị tạm dừng đăng nhập" in again.output

    async def state() -> tuple[object, list[str]]:
        account = await User.select(User.locked_until).where(User.username == "quantri-cli")
        events = await AuditEvent.select(AuditEvent.action, AuditEvent.reason).where(
            AuditEvent.object_type == "account"
        )
        return account[0]["locked_until"], [e["action"] for e in events]

    locked, actions = run(state)
    assert locked is None
    assert "account_unlocked" in actions


@pytest.mark.anyio
async def test_a_lock_written_on_the_account_counts_as_a_pause(client, world: World) -> None:
    """Accounts locked before pauses were kept per name stay locked until unlocked."""
    await User.update({User.locked_until: datetime.now(UTC) + timedelta(minutes=5)}).where(
        User.username == "head_a"
    )
    assert (await login(client, "head_a")).status_code == 429
