"""What every command shares: strict settings, and one database coroutine run with the
engine prepared, the audit trail sealed and the engine closed around it."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine
from typing import Any, TypeVar

import click
from congvu.inspect.errors import DomainError
from congvu.inspect.settings import Settings, SettingsError, get_settings

T = TypeVar("T")


def settings_or_exit() -> Settings:
    try:
        return get_settings()
    except SettingsError as error:
        raise click.ClickException(f"cấu hình không hợp lệ / invalid setting: {error}") from None


def run(factory: Callable[[], Coroutine[Any, Any, T]], *, read_calendar: bool = True) -> T:
    """Run one database coroutine with the engine prepared and closed around it, after
    installing the announced calendar. ``read_calendar=False`` for the commands that
    bring the schema up themselves: before they run, its table may not exist yet."""
    from congvu.inspect import db

    async def main() -> T:
        from congvu.inspect.audit import api as audit
        from congvu.inspect.organisation import api as organisation

        await db.prepare()
        try:
            if read_calendar:
                # The announced calendar, as the web and the worker count with it.
                await organisation.refresh_calendar(force=True)
            result = await factory()
            # Nothing else may be running to seal what this command wrote.
            await audit.seal(wait=True)
            return result
        finally:
            await db.close()

    try:
        return asyncio.run(main())
    except DomainError as error:
        raise click.ClickException(error.message) from None
