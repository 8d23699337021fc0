"""Database engine, transactions and migrations for both run modes.

SQLite (embedded) serialises writers, so every write transaction goes through one
asyncio lock and starts IMMEDIATE: concurrent writers queue in Python instead of
failing with "database is locked" (measured: p99 ~120 ms behind the lock vs >1 s
and timeouts with WAL alone). PostgreSQL needs its pool started in the lifespan.
"""

from __future__ import annotations

import asyncio
import contextvars
import functools
import os
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from pathlib import Path
from typing import Any

import aiosqlite
import msgspec
from congvu.inspect import db_roles
from congvu.inspect.settings import Settings, get_settings
from piccolo.apps.migrations.commands.forwards import run_forwards
from piccolo.apps.migrations.tables import Migration
from piccolo.conf.apps import Finder
from piccolo.engine.base import Engine
from piccolo.engine.finder import engine_finder
from piccolo.engine.postgres import PostgresEngine
from piccolo.engine.sqlite import SQLiteEngine, TransactionType
from piccolo.table import Table

# Piccolo finds its engine through a module named by PICCOLO_CONF. Pointing it at a
# module inside the package makes every entry point (CLI, tests, worker, piccolo's
# own CLI) work from any directory.
os.environ.setdefault("PICCOLO_CONF", "congvu.inspect.piccolo_conf")

_in_write = contextvars.ContextVar("congvu_in_write_transaction", default=False)
# The writes of an open ``one_statement()`` block and the connection it holds.
_collected: contextvars.ContextVar[list[tuple[str, tuple[Any, ...]]] | None] = (
    contextvars.ContextVar("congvu_collected_writes", default=None)
)
_pinned: contextvars.ContextVar[Any] = contextvars.ContextVar("congvu_pinned", default=None)
# True while one_statement() hands its connection back to the pool (see _reset_connection).
_statements_only = contextvars.ContextVar("congvu_statements_only", default=False)
_locks: dict[asyncio.AbstractEventLoop, asyncio.Lock] = {}


def engine_for(settings: Settings, *, owner: bool = False) -> Engine[Any]:
    """The application's engine, or with ``owner`` the schema owner's (migrations)."""
    if settings.is_sqlite:
        path = settings.sqlite_path
        path.parent.mkdir(parents=True, exist_ok=True)
        return SQLiteEngine(path=str(path), timeout=30)
    url = settings.owner_database_url if owner else settings.database_url
    # extensions=(): the application role is not a superuser and needs no extension.
    return PostgresEngine(config={"dsn": url}, extensions=())


@functools.cache
def engine() -> Engine[Any]:
    """This process's engine, fixed once piccolo_conf is imported (finding it imports
    and inspects that module: ~15 µs, which showed twice in the profile of a sync)."""
    found = engine_finder()
    if found is None:  # pragma: no cover - PICCOLO_CONF is set above
        raise RuntimeError("Piccolo engine not configured")
    return found


def is_sqlite() -> bool:
    return isinstance(engine(), SQLiteEngine)


def _write_lock() -> asyncio.Lock:
    loop = asyncio.get_running_loop()
    lock = _locks.get(loop)
    if lock is None:
        # One lock per event loop: tests and the CLI run several loops in one process.
        for stale in [other for other in _locks if other.is_closed()]:
            del _locks[stale]
        lock = _locks[loop] = asyncio.Lock()
    return lock


@asynccontextmanager
async def atomic() -> AsyncIterator[None]:
    """A short write transaction; nested calls join the outer one."""
    if _in_write.get():
        yield
        return
    db = engine()
    token = _in_write.set(True)
    try:
        if isinstance(db, SQLiteEngine):
            async with _write_lock(), db.transaction(transaction_type=TransactionType.immediate):
                yield
        else:
            async with db.transaction():
                yield
    finally:
        _in_write.reset(token)


@asynccontextmanager
async def sqlite_write_attached(path: Path, alias: str) -> AsyncIterator[Any]:
    """SQLite: a write transaction (behind the same lock, IMMEDIATE) on a connection of its
    own, with the database file ``path`` attached as ``alias``: rows prepared in another
    process are copied by SQLite's own code (``INSERT … SELECT``), not bound one by one in
    this one. A connection of its own because ATTACH cannot happen inside a transaction,
    and a Piccolo transaction begins as it opens."""
    db = engine()
    assert isinstance(db, SQLiteEngine), "SQLite only"
    async with _write_lock():
        conn = await aiosqlite.connect(db.path, timeout=30)
        try:
            await conn.execute(f"ATTACH DATABASE ? AS {alias}", (str(path),))
            await conn.execute("BEGIN IMMEDIATE")
            try:
                yield conn
            except BaseException:
                await conn.rollback()
                raise
            await conn.commit()
        finally:
            await conn.close()


@asynccontextmanager
async def one_statement() -> AsyncIterator[None]:
    """A write made of a few INSERT/UPDATE statements without results (``write``).

    PostgreSQL: they are collected and sent when the block ends, as one statement of
    data-modifying WITH queries, which is atomic on its own: no BEGIN, no COMMIT. The
    block holds one pooled connection, used by ``raw`` and by that statement: with the
    transaction's round trips, a second connection's acquire and reset would cost a
    sixth of a one-finding sync (P2, tests/bench/README.md). A block that raises sends
    nothing.

    The contract of a block: write only through ``write`` (Piccolo's writes would not be
    collected) and read only through ``raw`` (a Piccolo query would wait for a second
    pooled connection while holding one: enough such requests at once would wait for
    each other for ever), and change no session state (the connection goes back to the
    pool without asyncpg's reset). Reads do not see the block's own writes. SQLite:
    ``atomic()``.
    """
    db = engine()
    if not isinstance(db, PostgresEngine) or db.pool is None or _in_write.get():
        async with atomic():
            yield
        return
    writes: list[tuple[str, tuple[Any, ...]]] = []
    returned_clean = None
    try:
        async with db.pool.acquire() as connection:
            pinned, collected = _pinned.set(connection), _collected.set(writes)
            try:
                yield
            finally:
                _collected.reset(collected)
                _pinned.reset(pinned)
            if writes:
                # Placeholders stay in order: WITH w0 AS (first), w1 AS (second) … last.
                *first, (last_sql, _) = writes
                sql = ", ".join(f"w{n} AS ({w_sql})" for n, (w_sql, _) in enumerate(first))
                sql = f"WITH {sql} {last_sql}" if first else last_sql
                args = [a for _, w_args in writes for a in w_args]
                await connection.execute(_placeholders(sql, False), *args)
            returned_clean = _statements_only.set(True)
    finally:
        if returned_clean is not None:
            _statements_only.reset(returned_clean)


async def _reset_connection(connection: Any) -> None:
    """The pool's reset of a connection handed back (asyncpg has already rolled back any
    transaction left open). One that ``one_statement`` used ran nothing but statements in
    autocommit (its contract: reads through ``raw``, writes through ``write``), so there
    is nothing to undo and the round trip is saved; any other gets asyncpg's own reset
    query (advisory locks, cursors, LISTEN, settings) as before."""
    if _statements_only.get():
        return
    query = connection.get_reset_query()
    if query:
        await connection.execute(query)


async def write(table: type[Table], sql: str, *args: Any) -> None:
    """An INSERT/UPDATE whose result nobody reads: collected by an enclosing
    ``one_statement()`` on PostgreSQL, else run at once like ``raw``."""
    writes = _collected.get()
    if writes is not None:
        writes.append((sql, args))
        return
    await raw(table, sql, *args)


@asynccontextmanager
async def savepoint() -> AsyncIterator[None]:
    """Inside ``atomic()``: a part that is undone alone when its block raises, while the
    enclosing transaction (and its connection) carries on."""
    transaction = engine().current_transaction.get() if _in_write.get() else None
    if transaction is None:
        raise RuntimeError("savepoint() needs an enclosing atomic()")
    point = await transaction.savepoint()
    try:
        yield
    except BaseException:
        await point.rollback_to()
        await point.release()
        raise
    await point.release()


_JSON = msgspec.json.Encoder(enc_hook=str)


def json_text(value: Any) -> str:
    """The text of a JSON column written with raw SQL. Piccolo's own ``dump_json`` is
    ``json.dumps``, five times slower, and three of them were 5% of a one-finding
    sync's CPU (tests/bench/README.md). What JSON has no type for is stored as its ``str()``, as
    Piccolo does; the sealer hashes whatever text is stored."""
    return _JSON.encode(value).decode()


@functools.cache
def _placeholders(sql: str, sqlite: bool) -> str:
    """Piccolo's ``{}`` placeholders as the driver's own: ``?`` or ``$1``, ``$2``, …"""
    parts = sql.split("{}")
    if sqlite:
        return "?".join(parts)
    return "".join(f"{part}${n}" for n, part in enumerate(parts[:-1], 1)) + parts[-1]


async def raw(table: type[Table], sql: str, *args: Any) -> list[dict[str, Any]]:
    """``table.raw(sql, *args)``, sent straight on the connection of the current
    transaction when there is one. One round trip either way, but on SQLite one thread
    hop where Piccolo's takes four (it repeats ``PRAGMA foreign_keys`` before every
    statement, set once already when the transaction opened its connection, then runs,
    fetches and closes a cursor), and every hop is spent holding the write lock."""
    db = table._meta.db
    transaction = db.current_transaction.get()
    if transaction is None:
        connection = _pinned.get()
        if connection is not None:
            return [dict(row) for row in await connection.fetch(_placeholders(sql, False), *args)]
        return list(await table.raw(sql, *args))
    if isinstance(db, SQLiteEngine):
        rows = await transaction.connection.execute_fetchall(_placeholders(sql, True), args)
        return list(rows)
    return [
        dict(row) for row in await transaction.connection.fetch(_placeholders(sql, False), *args)
    ]


async def prepare() -> None:
    """Per-process start: WAL on SQLite (persistent in the file), the pool on PostgreSQL."""
    db = engine()
    if isinstance(db, SQLiteEngine):
        await db.run_ddl("PRAGMA journal_mode=WAL;")
    elif isinstance(db, PostgresEngine) and db.pool is None:
        await db.start_connection_pool(min_size=1, max_size=10, reset=_reset_connection)


async def close() -> None:
    """Idempotent: the web app and the embedded worker both call it on shutdown."""
    db = engine()
    if isinstance(db, PostgresEngine) and db.pool is not None:
        pool, db.pool = db.pool, None
        try:
            # A connection that a cancelled task never released would make a graceful
            # close wait forever; shutdown must finish all the same.
            await asyncio.wait_for(pool.close(), timeout=10)
        except TimeoutError:
            pool.terminate()


async def ping() -> None:
    await engine().run_ddl("SELECT 1;")


async def migrate(settings: Settings | None = None) -> None:
    """Run the committed Piccolo migrations (authoritative for PostgreSQL).

    With an owner role apart from the application's (``CONGVU_MIGRATE_DATABASE_URL``,
    see ``db_roles``) they run as the owner, who then grants the application role what
    it needs; this process's own engine stays the application's."""
    settings = settings or get_settings()
    if not settings.separate_owner:
        await _run_forwards()
        return
    owner = engine_for(settings, owner=True)
    app_login = db_roles.login_of(settings.database_url)
    with _engine_in_use(owner):
        await _run_forwards()
        async with owner.transaction():
            for statement in db_roles.grants_sql(app_login.role, app_login.database):
                await owner.run_ddl(statement)


async def _run_forwards() -> None:
    result = await run_forwards(app_name="all", migration_id="all")
    if not result.success:
        raise RuntimeError(f"migration failed: {result.message}")


@contextmanager
def _engine_in_use(other: Engine[Any]) -> Iterator[None]:
    """Piccolo finds its engine in the piccolo_conf module and each table keeps the one
    it found first: both point at ``other`` for the block, then back."""
    finder = Finder()
    conf = finder.get_piccolo_conf_module()
    if conf is None:  # pragma: no cover - PICCOLO_CONF is set above
        raise RuntimeError("Piccolo configuration not found")
    usual = conf.DB
    tables: list[type[Table]] = [*finder.get_table_classes(), Migration]
    conf.DB = other
    for table in tables:
        table._meta.db = other
    try:
        yield
    finally:
        conf.DB = usual
        for table in tables:
            table._meta.db = usual
