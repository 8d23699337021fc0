"""``congvu accounts``: sign-in pauses, passwords and second factors, for an administrator at the
server (also when nobody can sign in to the web pages)."""

from __future__ import annotations

import getpass
import sys
from datetime import UTC, datetime

import click
from congvu.inspect.cli.common import run, settings_or_exit


@click.group("accounts")
def accounts_group() -> None:
    """Accounts: list paused sign-ins, unlock one, reset a password or a second factor."""


@accounts_group.command("paused")
def paused() -> None:
    """List the accounts whose sign-in is paused now."""
    from congvu.inspect import i18n
    from congvu.inspect.actor import SYSTEM
    from congvu.inspect.organisation import api as organisation

    settings = settings_or_exit()
    found = run(lambda: organisation.paused_accounts(SYSTEM, datetime.now(UTC)))
    if not found:
        click.echo("Không có tài khoản nào đang tạm dừng đăng nhập / no account is paused.")
    for account in found:
        until = i18n.format_datetime(account.paused_until, settings.zone)
        click.echo(f"  {account.username:<24} {until}  {account.display_name}")


@accounts_group.command("unlock")
@click.argument("username")
def unlock(username: str) -> None:
    """End the sign-in pause of USERNAME now (audited)."""
    settings_or_exit()
    from congvu.inspect.actor import SYSTEM
    from congvu.inspect.organisation import api as organisation

    run(lambda: organisation.unlock(username, SYSTEM, datetime.now(UTC)))
    click.echo(f"Đã mở khóa đăng nhập / unlocked: {username}")


@accounts_group.command("reset-password")
@click.argument("username")
@click.option("--password", default=None, help="Prompted for (twice) when omitted.")
def reset_password(username: str, password: str | None) -> None:
    """Set a new password for USERNAME (checked like any new password); every session
    of the account ends (audited)."""
    settings = settings_or_exit()
    from congvu.inspect.organisation import api as organisation

    if password is None:
        if not sys.stdin.isatty():
            password = sys.stdin.readline().rstrip("\n")
        else:
            password = getpass.getpass("Mật khẩu mới / new password: ")
            if getpass.getpass("Nhập lại / again: ") != password:
                raise click.ClickException("Mật khẩu nhập lại không khớp / passwords differ.")
    secret = password
    run(lambda: organisation.reset_password(username, secret, settings))
    click.echo(f"Đã đặt lại mật khẩu / password reset: {username}")


@accounts_group.command("reset-2fa")
@click.argument("username")
def reset_second_factor(username: str) -> None:
    """Clear the second factor of USERNAME (a lost phone): its secret, recovery codes and
    remembered devices, and its open sessions end, as the web reset ends them; it enrols
    again at its next sign-in (audited)."""
    settings = settings_or_exit()
    from congvu.inspect.actor import SYSTEM
    from congvu.inspect.organisation import api as organisation
    from congvu.inspect.web import sessions

    async def reset() -> None:
        async with sessions.store_for(settings) as store:
            await organisation.reset_second_factor(username, SYSTEM, store=store)

    run(reset)
    click.echo(f"Đã đặt lại xác thực hai lớp / second factor reset: {username}")
