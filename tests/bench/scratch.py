"""Throw-away PostgreSQL databases for the benchmarks: created on the server of a URL
(the role needs CREATEDB) and dropped on the way out, whatever happened in between."""

from __future__ import annotations

import asyncio
import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import urlsplit, urlunsplit

# The development server's test database, when CONGVU_TEST_DATABASE_URL is not set.
DEFAULT_URL = "postgresql://congvu@127.0.0.1:55432/congvu_test"
# A database already migrated, on the same server, that new ones are copied from (set by
# ``python -m tests.bench``): migrating a fresh database costs 5–15 s a benchmark, which
# would be most of a quick run.
TEMPLATE = "BENCH_TEMPLATE_DATABASE"


async def _admin(url: str, statement: str) -> None:
    import asyncpg

    connection = await asyncpg.connect(url)
    try:
        await connection.execute(statement)
    finally:
        await connection.close()


async def _drop(url: str, name: str) -> None:
    """DROP, retried while the servers just stopped still hold a connection for a moment.
    Not ``WITH (FORCE)``: a role without pg_signal_backend may not end the other
    backends it would have to end."""
    for attempt in range(50):
        try:
            await _admin(url, f'DROP DATABASE IF EXISTS "{name}"')
            return
        except Exception as error:  # asyncpg's ObjectInUseError, named lazily
            if type(error).__name__ != "ObjectInUseError" or attempt == 49:
                raise
            await asyncio.sleep(0.2)


@contextmanager
def database(url: str, label: str) -> Iterator[str]:
    """The URL of a fresh database on the server of ``url`` (a copy of the migrated
    template when there is one), dropped afterwards."""
    name = f"congvu_bench_{label}_{os.getpid()}_{secrets.token_hex(3)}"
    template = os.environ.get(TEMPLATE)
    copy = f' TEMPLATE "{template}"' if template else ""
    asyncio.run(_admin(url, f'CREATE DATABASE "{name}"{copy}'))
    try:
        yield urlunsplit(urlsplit(url)._replace(path=f"/{name}"))
    finally:
        asyncio.run(_drop(url, name))
