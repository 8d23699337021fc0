"""The database layer under load: short immediate write transactions behind one lock
on SQLite (WAL), the pool on PostgreSQL; concurrent writers all succeed."""

from __future__ import annotations

import anyio
import pytest
from congvu.inspect import db
from congvu.inspect.organisation.tables import Official, Unit
from congvu.inspect.settings import get_settings

from tests import builders

pytestmark = pytest.mark.anyio


@pytest.mark.skipif(not get_settings().is_sqlite, reason="SQLite only")
async def test_sqlite_runs_in_wal_mode(clean_db) -> None:
    rows = await db.engine().run_ddl("PRAGMA journal_mode;")
    assert rows[0]["journal_mode"] == "wal"


async def test_two_hundred_concurrent_writers_all_succeed(clean_db) -> None:
    unit = await builders.unit("C", "Xã Cồn Cỏ")

    async def write(n: int) -> None:
        await builders.official(unit, f"C{n:03d}", f"Nguyễn Văn Số {n}")

    async with anyio.create_task_group() as group:
        for n in range(200):
            group.start_soon(write, n)
    assert await Official.count() == 200


async def test_a_failed_write_transaction_leaves_nothing_behind(clean_db) -> None:
    with pytest.raises(RuntimeError):
        async with db.atomic():
            await builders.unit("R", "Xã Rồng")
            raise RuntimeError("boom")
    assert await Unit.count() == 0


async def test_nested_atomic_blocks_join_the_outer_transaction(clean_db) -> None:
    async with db.atomic():
        await builders.unit("N", "Xã Nam")
        async with db.atomic():
            await builders.unit("N-1", "Phòng 1", kind="sub_unit", parent="N")
    assert await Unit.count() == 2


_EVENT = (
    "INSERT INTO audit_event (occurred_at, action, object_type, object_id)"
    " VALUES (CURRENT_TIMESTAMP, {}, 'test', {})"
)


async def test_one_statement_writes_all_or_nothing(clean_db) -> None:
    """Writes collected by one_statement land together; a block that raises, or a
    write that fails, leaves none of them (one statement on PostgreSQL, a transaction
    on SQLite)."""
    from congvu.inspect.audit.tables import AuditEvent

    async with db.one_statement():
        for n in range(3):
            await db.write(AuditEvent, _EVENT, "kept", str(n))
    assert await AuditEvent.count().where(AuditEvent.action == "kept") == 3

    with pytest.raises(RuntimeError):
        async with db.one_statement():
            await db.write(AuditEvent, _EVENT, "raised", "1")
            raise RuntimeError("the record is invalid")
    assert await AuditEvent.count().where(AuditEvent.action == "raised") == 0

    with pytest.raises(Exception, match=r"(?i)null|constraint"):
        async with db.one_statement():
            await db.write(AuditEvent, _EVENT, "failed", "1")
            await db.write(AuditEvent, _EVENT, "failed", None)  # object_id is NOT NULL
    assert await AuditEvent.count().where(AuditEvent.action == "failed") == 0


async def test_writes_are_collected_only_on_postgresql(clean_db) -> None:
    from congvu.inspect.audit.tables import AuditEvent

    async with db.one_statement():
        await db.write(AuditEvent, _EVENT, "seen", "1")
        seen_inside = await AuditEvent.count().where(AuditEvent.action == "seen")
    # On PostgreSQL the write is sent when the block ends, so a read inside does not
    # see it; SQLite writes at once in the block's transaction.
    assert seen_inside == (1 if get_settings().is_sqlite else 0)


@pytest.mark.skipif(get_settings().is_sqlite, reason="PostgreSQL's pool only")
async def test_only_a_one_statement_connection_skips_the_pool_reset(clean_db) -> None:
    """A connection goes back to the pool reset (settings, locks, LISTEN), except one
    that ``one_statement`` used: its contract is autocommit statements only, so the reset
    round trip is saved. Shown with a setting each path leaves behind on purpose; the
    pool hands back the connection released last."""
    from congvu.inspect.audit.tables import AuditEvent

    show = "SELECT current_setting('application_name') AS name"
    await AuditEvent.raw("SET application_name = 'left by a request'")
    assert (await AuditEvent.raw(show))[0]["name"] != "left by a request"

    async with db.one_statement():
        await db.raw(AuditEvent, "SET application_name = 'left by one_statement'")
    assert (await AuditEvent.raw(show))[0]["name"] == "left by one_statement"
