"""The audit trail is provable: events are hash-chained after commit, a change, a
deletion or a swap is found at its sequence number, a cut-off tail is found against a
signed checkpoint, and on PostgreSQL the application cannot edit or delete events."""

from __future__ import annotations

import contextlib
import hashlib
import itertools
import json
import os
import sqlite3
import subprocess
import sys
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import anyio
import anyio.lowlevel
import pytest
from congvu.inspect import db
from congvu.inspect.audit.services import chain as audit_chain
from congvu.inspect.audit.services import events as audit
from congvu.inspect.audit.services.chain import Checkpoint, CheckpointError
from congvu.inspect.audit.tables import AuditEvent

from tests.conftest import login, owner_engine, requires_server
from tests.worlds import World

pytestmark = pytest.mark.anyio

SECRET = "audit-test-secret-key-that-is-long-enough-0123"
CONGVU = str(Path(sys.executable).parent / "congvu")


async def write_events(count: int, object_id: str = "1") -> None:
    for n in range(count):
        await audit.record(
            "finding.update",
            "finding",
            object_id,
            actor_username="thanhtra",
            before={"status": "recorded", "n": n},
            after={"status": "confirmed", "n": n, "lý do": "vi phạm giờ làm việc"},
            reason=f"lần {n}",
        )


async def sealed_rows() -> list[dict[str, Any]]:
    return await AuditEvent.select(
        AuditEvent.id, AuditEvent.seq, AuditEvent.prev_hash, AuditEvent.hash
    ).order_by(AuditEvent.seq)


@contextlib.asynccontextmanager
async def as_superuser() -> AsyncIterator[None]:
    """Write audit rows as someone who can bypass the application's rules.

    SQLite has no trigger to bypass. On PostgreSQL the table owner switches the
    trigger off inside its own transaction, so nobody else ever sees it off; the block's
    writes go through the owner's connection (the application role may not do this:
    tests/test_db_roles.py).
    """
    if db.is_sqlite():
        yield
        return
    engine = owner_engine()
    async with as_owner(), engine.transaction():
        await engine.run_ddl("ALTER TABLE audit_event DISABLE TRIGGER audit_event_append_only")
        yield
        await engine.run_ddl("ALTER TABLE audit_event ENABLE TRIGGER audit_event_append_only")


@contextlib.asynccontextmanager
async def as_owner() -> AsyncIterator[None]:
    """AuditEvent's queries on a connection of the table's owner (the application's own
    when the run has one role), whose privileges leave the trigger as the only guard."""
    usual = AuditEvent._meta.db
    AuditEvent._meta.db = owner_engine()
    try:
        yield
    finally:
        AuditEvent._meta.db = usual


async def test_sealing_chains_the_events_in_the_order_they_were_written(clean_db) -> None:
    await write_events(5)
    assert await AuditEvent.count().where(AuditEvent.seq.is_null()) == 5

    assert await audit_chain.seal() == 5

    rows = await sealed_rows()
    assert [r["seq"] for r in rows] == [1, 2, 3, 4, 5]
    assert [r["id"] for r in rows] == sorted(r["id"] for r in rows)
    assert rows[0]["prev_hash"] == audit_chain.GENESIS
    assert all(b["prev_hash"] == a["hash"] for a, b in itertools.pairwise(rows))
    result = await audit_chain.verify()
    assert result.ok, result.problem
    assert (result.rows, result.head_seq, result.head_hash) == (5, 5, rows[-1]["hash"])


def test_the_hash_covers_a_documented_json_array_that_anyone_can_recompute() -> None:
    # An outside auditor needs only sha256 and JSON to check an exported trail.
    moment = datetime(2026, 3, 2, 1, 30, tzinfo=UTC)
    row = (
        7,
        3,
        moment,
        "thanhtra",
        "inspector",
        "finding.confirm",
        "finding",
        "42",
        None,
        '{"status": "confirmed"}',
        'Đến muộn "51" phút',
        "req-1",
        "10.0.0.1",
    )
    expected = json.dumps(
        [3, 7, "2026-03-02T01:30:00.000000+00:00", *row[3:]],
        ensure_ascii=False,
        separators=(",", ":"),
    ).encode()
    assert audit_chain.canonical(3, row) == expected
    prev = "ab" * 32
    assert (
        audit_chain.event_hash(prev, 3, row) == hashlib.sha256(prev.encode() + expected).hexdigest()
    )


# Every ASCII character but NUL (which PostgreSQL text cannot hold), then Vietnamese,
# an emoji outside the BMP, a zero-width joiner and the separators JSON leaves alone.
AWKWARD_TEXT = [
    "".join(map(chr, range(1, 128))),
    "Nguyễn Thị Ánh Tuyết — Đoàn kiểm tra “công vụ” số 3/2026",
    '🙂 ảnh\u200d\u2028\u2029 tab\tnew\nline \\ "quoted" /slash',
    "",
]


async def test_the_sealer_hashes_any_text_as_the_documented_computation(clean_db) -> None:
    """On PostgreSQL the database seals (audit_seal), on SQLite this process does; either
    way each stored hash is the documented sha256 over the JSON array, recomputed here
    with nothing but json and hashlib."""
    moments = [
        datetime(2026, 11, 22, 5, 0, tzinfo=UTC),
        datetime(2026, 11, 22, 5, 0, 0, 7, tzinfo=UTC),
        datetime(2026, 11, 22, 5, 0, 59, 999999, tzinfo=UTC),
    ]
    for n, (text, moment) in enumerate(itertools.product(AWKWARD_TEXT, moments)):
        await AuditEvent.insert(
            AuditEvent(
                occurred_at=moment,
                actor_username=text[:64] or None,
                actor_role="inspector",
                action="finding.update",
                object_type="finding",
                object_id=text[-64:],
                before=None if n % 2 else {"lý do": text, "n": n},
                after={"text": text, "list": [text, n, None]},
                reason=text,
                request_id=text[:64],
                ip=None,
            )
        )
    assert await audit_chain.seal() == len(AWKWARD_TEXT) * len(moments)

    rows = await AuditEvent.raw(
        "SELECT id, seq, occurred_at, actor_username, actor_role, action, object_type,"
        " object_id, before, after, reason, request_id, ip, prev_hash, hash"
        " FROM audit_event ORDER BY seq"
    )
    prev = audit_chain.GENESIS
    for row in rows:
        moment = row["occurred_at"]
        if isinstance(moment, str):
            moment = datetime.fromisoformat(moment)
        moment = moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment
        fields = [
            row[k]
            for k in (
                "actor_username",
                "actor_role",
                "action",
                "object_type",
                "object_id",
                "before",
                "after",
                "reason",
                "request_id",
                "ip",
            )
        ]
        when = moment.astimezone(UTC).isoformat(timespec="microseconds")
        document = json.dumps(
            [row["seq"], row["id"], when, *fields],
            ensure_ascii=False,
            separators=(",", ":"),
        )
        assert row["prev_hash"] == prev
        assert row["hash"] == hashlib.sha256(prev.encode() + document.encode()).hexdigest(), row
        prev = row["hash"]
    assert (await audit_chain.verify()).ok


async def test_sealing_again_changes_nothing_and_new_events_extend_the_chain(clean_db) -> None:
    await write_events(3)
    await audit_chain.seal()
    before = await sealed_rows()

    assert await audit_chain.seal() == 0
    await write_events(2)
    assert await audit_chain.seal() == 2

    after = await sealed_rows()
    assert after[:3] == before
    assert after[3]["prev_hash"] == before[-1]["hash"]
    assert (await audit_chain.verify()).ok


async def test_a_seal_pass_larger_than_one_batch_seals_everything(clean_db) -> None:
    await write_events(25)
    assert await audit_chain.seal(batch=10) == 25
    result = await audit_chain.verify(batch=7)
    assert result.ok and result.head_seq == 25 and result.unsealed == 0


async def test_events_written_concurrently_are_all_sealed_exactly_once(clean_db) -> None:
    writers, each = 6, 20

    async def writer(number: int) -> None:
        for n in range(each):
            async with db.atomic():
                await audit.record("account.login", "user", f"{number}-{n}", after={"n": n})
            await anyio.lowlevel.checkpoint()

    async def competing_sealer(stop: anyio.Event) -> None:
        while not stop.is_set():
            await audit_chain.seal()
            await anyio.sleep(0.002)

    stop = anyio.Event()
    async with audit_chain.sealing(interval=0.01), anyio.create_task_group() as tasks:
        tasks.start_soon(competing_sealer, stop)
        tasks.start_soon(competing_sealer, stop)
        async with anyio.create_task_group() as writing:
            for number in range(writers):
                writing.start_soon(writer, number)
        stop.set()
    # Leaving sealing() ran a last pass that waited for the lock.

    rows = await AuditEvent.select(AuditEvent.seq, AuditEvent.object_id)
    assert len(rows) == writers * each
    assert sorted(r["seq"] for r in rows) == list(range(1, writers * each + 1))
    assert len({r["object_id"] for r in rows}) == writers * each
    result = await audit_chain.verify()
    assert result.ok and result.unsealed == 0


@requires_server("postgres")
async def test_an_event_that_commits_after_a_later_sealed_one_still_joins_the_chain(
    clean_db,
) -> None:
    # On PostgreSQL ids are drawn at INSERT: the slow transaction holds id 1 while id
    # 2 commits and is sealed. Its event must get the next seq, not be skipped.
    inserted, release = anyio.Event(), anyio.Event()

    async def slow_writer() -> None:
        async with db.atomic():
            await audit.record("slow", "finding", "1")
            inserted.set()
            await release.wait()

    async with anyio.create_task_group() as tasks:
        tasks.start_soon(slow_writer)
        await inserted.wait()
        await audit.record("fast", "finding", "2")
        assert await audit_chain.seal() == 1
        release.set()
    assert await audit_chain.seal() == 1

    rows = await AuditEvent.select(AuditEvent.id, AuditEvent.seq, AuditEvent.action).order_by(
        AuditEvent.seq
    )
    assert [(r["action"], r["seq"]) for r in rows] == [("fast", 1), ("slow", 2)]
    assert rows[1]["id"] < rows[0]["id"]
    assert (await audit_chain.verify()).ok


async def test_the_web_process_seals_within_seconds(client, world: World) -> None:
    await login(client, "head_a")
    await login(client, "official_a", password="sai-mat-khau")
    for _ in range(100):
        if not await AuditEvent.count().where(AuditEvent.seq.is_null()):
            break
        await anyio.sleep(0.05)
    result = await audit_chain.verify()
    assert result.ok and result.rows == await AuditEvent.count()


# --- tampering -------------------------------------------------------------------------


async def test_a_changed_event_is_found_at_its_seq(clean_db) -> None:
    await write_events(5)
    await audit_chain.seal()

    async with as_superuser():
        await AuditEvent.update({AuditEvent.after: {"status": "dismissed"}}).where(
            AuditEvent.seq == 3
        )

    result = await audit_chain.verify()
    assert not result.ok
    assert result.first_bad_seq == 3
    assert "changed" in (result.problem or "")


async def test_a_changed_actor_or_time_is_found_too(clean_db) -> None:
    await write_events(4)
    await audit_chain.seal()

    async with as_superuser():
        await AuditEvent.update({AuditEvent.actor_username: "nguoi-khac"}).where(
            AuditEvent.seq == 4
        )
    assert (await audit_chain.verify()).first_bad_seq == 4


async def test_a_deleted_event_is_found_at_its_seq(clean_db) -> None:
    await write_events(5)
    await audit_chain.seal()

    async with as_superuser():
        await AuditEvent.delete().where(AuditEvent.seq == 2)

    result = await audit_chain.verify()
    assert result.first_bad_seq == 2
    assert "missing" in (result.problem or "")


async def test_two_swapped_events_are_found_at_the_first_of_them(clean_db) -> None:
    await write_events(5)
    await audit_chain.seal()
    fields = [
        AuditEvent.occurred_at,
        AuditEvent.action,
        AuditEvent.object_id,
        AuditEvent.before,
        AuditEvent.after,
        AuditEvent.reason,
    ]
    second, fourth = [
        await AuditEvent.select(*fields).where(AuditEvent.seq == seq).first() for seq in (2, 4)
    ]
    assert second is not None and fourth is not None

    async with as_superuser():
        for seq, values in ((2, fourth), (4, second)):
            await AuditEvent.update({getattr(AuditEvent, k): v for k, v in values.items()}).where(
                AuditEvent.seq == seq
            )

    result = await audit_chain.verify()
    assert result.first_bad_seq == 2


async def test_a_rehashed_rewrite_passes_alone_but_fails_against_the_checkpoint(clean_db) -> None:
    # The strongest insider: deletes an event and re-seals everything after it.
    await write_events(5)
    await audit_chain.seal()
    checkpoint = await audit_chain.make_checkpoint(SECRET)

    async with as_superuser():
        await AuditEvent.delete().where(AuditEvent.seq == 2)
        await AuditEvent.update(
            {AuditEvent.seq: None, AuditEvent.prev_hash: None, AuditEvent.hash: None}
        ).where(AuditEvent.seq > 2)
    await audit_chain.seal()

    assert (await audit_chain.verify()).ok
    result = await audit_chain.verify(checkpoint)
    assert not result.ok
    assert result.first_bad_seq == 5  # the rewritten chain ends at seq 4


async def test_a_cut_off_tail_fails_against_the_last_checkpoint(clean_db) -> None:
    await write_events(3)
    await audit_chain.seal()
    await audit_chain.make_checkpoint(SECRET)
    await write_events(3)
    checkpoint = await audit_chain.make_checkpoint(SECRET)
    assert checkpoint.seq == 6
    assert (await audit_chain.verify(checkpoint)).ok

    async with as_superuser():
        await AuditEvent.delete().where(AuditEvent.seq >= 5)

    assert (await audit_chain.verify()).ok  # what is left is a valid chain...
    result = await audit_chain.verify(checkpoint)  # ...but not the one that was vouched for
    assert result.first_bad_seq == 5
    assert "checkpoint vouches for seq 6" in (result.problem or "")


async def test_a_checkpoint_of_the_empty_trail_is_valid(clean_db) -> None:
    checkpoint = await audit_chain.make_checkpoint(SECRET)
    assert (checkpoint.seq, checkpoint.hash) == (0, audit_chain.GENESIS)
    audit_chain.check_signature(checkpoint, SECRET)
    assert (await audit_chain.verify(checkpoint)).ok


async def test_a_forged_or_foreign_checkpoint_is_refused(clean_db) -> None:
    await write_events(2)
    checkpoint = await audit_chain.make_checkpoint(SECRET)
    reread = Checkpoint.from_json(checkpoint.to_json())
    audit_chain.check_signature(reread, SECRET)

    lowered = Checkpoint.from_json(checkpoint.to_json().replace('"seq": 2', '"seq": 1'))
    with pytest.raises(CheckpointError, match="signature"):
        audit_chain.check_signature(lowered, SECRET)
    with pytest.raises(CheckpointError, match="another key"):
        audit_chain.check_signature(checkpoint, SECRET + "-rotated")
    with pytest.raises(CheckpointError, match="not a congvu audit checkpoint"):
        Checkpoint.from_json("{}")


# --- PostgreSQL: the application role cannot change the trail --------------------------


@requires_server("postgres")
async def test_not_even_the_tables_owner_can_change_or_delete_an_event(clean_db) -> None:
    """The trigger's refusals, as the owner: the application role is refused earlier
    still, for want of the privileges (tests/test_db_roles.py)."""
    await write_events(2)
    await audit_chain.seal()
    await write_events(1)  # one unsealed event too

    async with as_owner():
        await _owner_cannot_change_or_delete()

    assert await AuditEvent.count() == 3
    assert await audit_chain.seal() == 1  # the one thing allowed: sealing, once
    assert (await audit_chain.verify()).ok


async def _owner_cannot_change_or_delete() -> None:
    with pytest.raises(Exception, match="append-only"):
        await AuditEvent.update({AuditEvent.after: {"status": "dismissed"}}).where(
            AuditEvent.seq == 1
        )
    with pytest.raises(Exception, match="append-only"):
        await AuditEvent.update({AuditEvent.reason: "sửa"}).where(AuditEvent.seq.is_null())
    with pytest.raises(Exception, match="append-only"):
        await AuditEvent.delete().where(AuditEvent.seq == 2)
    with pytest.raises(Exception, match="append-only"):
        await AuditEvent.delete().where(AuditEvent.seq.is_null())
    with pytest.raises(Exception, match="append-only"):  # re-sealing a sealed event
        await AuditEvent.update({AuditEvent.hash: "0" * 64}).where(AuditEvent.seq == 1)
    with pytest.raises(Exception, match="only the sealer"):
        await AuditEvent.insert(
            AuditEvent(action="x", object_type="y", object_id="1", seq=99, hash="f" * 64)
        )


@requires_server("postgres")
async def test_a_seal_that_also_changes_any_other_column_is_refused(clean_db) -> None:
    """The trigger lets a sealing UPDATE through only when every other column stays as
    it was. Each column of the table is tried, so a column added to AuditEvent without
    being added to the trigger's comparison fails here."""
    from piccolo.columns import JSON, Integer, Serial, Timestamptz

    chain = {"seq", "prev_hash", "hash"}
    columns = [c for c in AuditEvent._meta.columns if c._meta.db_column_name not in chain]
    assert len(columns) == 12
    for column in columns:
        await write_events(1)
        name = column._meta.db_column_name
        if isinstance(column, (Serial, Integer)):
            changed = f'"{name}" + 100000'
        elif isinstance(column, Timestamptz):
            changed = f"\"{name}\" + interval '1 second'"
        elif isinstance(column, JSON):
            changed = "to_json('changed'::text)"
        else:
            changed = "'changed'"
        # As the owner: the application role may not update these columns at all.
        with pytest.raises(Exception, match="append-only"):
            async with as_owner():
                await AuditEvent.raw(
                    f'UPDATE audit_event SET seq = 1, prev_hash = {{}}, hash = {{}}, "{name}" = '
                    f"{changed} WHERE seq IS NULL",
                    "0" * 64,
                    "f" * 64,
                )
    assert await audit_chain.seal() == len(columns)
    assert (await audit_chain.verify()).ok


# --- history ---------------------------------------------------------------------------


async def test_a_records_history_lists_its_events_oldest_first(clean_db) -> None:
    await write_events(3, object_id="7")
    await write_events(2, object_id="8")
    await audit.record("finding.close", "finding", 7, reason="đã khắc phục")

    events = await audit_chain.history("finding", 7)

    assert [e["reason"] for e in events] == ["lần 0", "lần 1", "lần 2", "đã khắc phục"]
    assert events[0]["after"]["lý do"] == "vi phạm giờ làm việc"
    assert await audit_chain.history("dossier", 7) == []


# --- the command line ------------------------------------------------------------------


def _congvu(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CONGVU_")}
    env["CONGVU_VAR_DIR"] = str(tmp_path / "var")
    return subprocess.run(
        [CONGVU, *args],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_verify_audit_exit_status_follows_the_chain(tmp_path: Path, demo_var: Path) -> None:
    intact = _congvu(tmp_path, "verify-audit")
    assert intact.returncode == 0, intact.stderr
    assert "0 chưa niêm phong / unsealed" in intact.stdout  # `demo` sealed before exit
    assert "rows/s" in intact.stdout

    exported = _congvu(tmp_path, "audit-checkpoint", "--out", "checkpoint.json")
    assert exported.returncode == 0, exported.stderr
    head = Checkpoint.from_json((tmp_path / "checkpoint.json").read_text()).seq
    assert head >= 3
    assert _congvu(tmp_path, "verify-audit", "--checkpoint", "checkpoint.json").returncode == 0

    database = sqlite3.connect(tmp_path / "var" / "congvu.sqlite3")
    with database:
        database.execute("UPDATE audit_event SET reason = 'sửa lén' WHERE seq = 2")
    changed = _congvu(tmp_path, "verify-audit")
    assert changed.returncode == 1
    assert "seq 2" in changed.stderr and "Traceback" not in changed.stderr

    with database:
        database.execute("DELETE FROM audit_event WHERE seq >= 2")
    database.close()
    assert _congvu(tmp_path, "verify-audit").returncode == 0
    cut = _congvu(tmp_path, "verify-audit", "--checkpoint", "checkpoint.json")
    assert cut.returncode == 1
    assert f"checkpoint vouches for seq {head}" in cut.stderr


def test_verify_audit_refuses_a_checkpoint_it_did_not_sign(tmp_path: Path) -> None:
    (tmp_path / "forged.json").write_text(
        Checkpoint(
            seq=1, hash="a" * 64, created_at="2026-01-01", public_key="00" * 32, signature="00"
        ).to_json()
    )
    assert _congvu(tmp_path, "migrate").returncode == 0
    result = _congvu(tmp_path, "verify-audit", "--checkpoint", "forged.json")
    assert result.returncode == 1
    assert "another key" in result.stderr
