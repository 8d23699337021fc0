"""The hash chain over the audit trail (nhật ký kiểm tra): sealing, verification and
signed checkpoints.

Events are appended by ``audit.record`` inside the writer's own transaction and left
unsealed, so no request waits for a chain-wide lock. A sealer, after commit, takes
unsealed events in id order and gives each one the next ``seq`` and

    hash = sha256(prev_hash ‖ canonical JSON of the event, seq included)

with ``prev_hash`` the hash of seq − 1 (64 zeros for seq 1). The sequence is given
at sealing rather than taken from the id because on PostgreSQL ids are drawn at
INSERT: an event with a lower id can commit after one with a higher id has been
sealed, and would otherwise fall outside the chain.

On PostgreSQL the sealing itself is the database function ``audit_seal`` (same
canonical form, same hash; see its migration), so a pass costs the web process one
statement instead of reading every event back, hashing it and writing it again.
``verify`` recomputes every hash here in Python on both engines.

One sealer runs at a time: a transaction-scoped advisory lock on PostgreSQL (taken in
``audit_seal``), the write lock of ``atomic()`` (and SQLite's own) on SQLite. The web
process runs one in the background (``sealing``), the worker every few seconds, and the
CLI before exit.

A checkpoint is ``seq`` and head hash signed with Ed25519, so a tail cut off the
chain (which leaves a valid, shorter chain), or a rewrite that recomputed every later
hash, is caught by verifying against it. The signing key is derived from
CONGVU_CHECKPOINT_KEY (see ``_signing_key``); ``checkpoints`` takes them on its own
and keeps them in a directory.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import hmac
import json
import logging
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from functools import partial
from typing import Any

import aiosqlite
from congvu.inspect import db
from congvu.inspect.audit.tables import AuditEvent
from piccolo.engine.postgres import PostgresEngine
from piccolo.engine.sqlite import SQLiteEngine

log = logging.getLogger("congvu.audit")

GENESIS = "0" * 64
CHECKPOINT_FORMAT = "congvu-audit-checkpoint/1"
SEAL_BATCH = 1000

# Every event is read with these columns in this order; the hash covers all of them
# but the chain's own two. The JSON columns count as their stored text: both engines
# hand it back byte for byte (PostgreSQL's json type keeps it verbatim), and parsing
# it would halve the verification speed. A move to jsonb would need a re-seal.
_COLUMNS = (
    "id, seq, occurred_at, actor_username, actor_role, action, object_type, object_id, "
    "before, after, reason, request_id, ip, prev_hash, hash"
)
_ID, _SEQ, _OCCURRED_AT, _PREV_HASH, _HASH = 0, 1, 2, 13, 14
_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))
_quote = json.encoder.encode_basestring  # the encoder's own string quoting

Row = Sequence[Any]


def canonical(seq: int, row: Row) -> bytes:
    """The bytes an event's hash covers: a JSON array of seq, id, the time in UTC with
    microseconds, then actor, role, action, object, before, after, reason, request, ip."""
    moment = row[_OCCURRED_AT]
    if isinstance(moment, str):  # SQLite's stored text, read without the ORM
        moment = datetime.fromisoformat(moment)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)  # SQLite keeps UTC without an offset
    elif moment.utcoffset():
        moment = moment.astimezone(UTC)
    # The same text as json.dumps(list, ensure_ascii=False, separators=(",", ":")),
    # built field by field: the generic encoder is the costliest step of verifying.
    fields = [
        "null" if v is None else _quote(v) if isinstance(v, str) else _ENCODER.encode(v)
        for v in row[3:_PREV_HASH]
    ]
    moment_text = _quote(moment.isoformat(timespec="microseconds"))
    return f"[{seq},{row[_ID]},{moment_text},{','.join(fields)}]".encode()


def event_hash(prev_hash: str, seq: int, row: Row) -> str:
    return hashlib.sha256(prev_hash.encode("ascii") + canonical(seq, row)).hexdigest()


# --- sealing -------------------------------------------------------------------------


async def _head() -> tuple[int, str]:
    rows = await AuditEvent.raw(
        "SELECT seq, hash FROM audit_event WHERE seq IS NOT NULL ORDER BY seq DESC LIMIT 1"
    )
    return (rows[0]["seq"], rows[0]["hash"]) if rows else (0, GENESIS)


async def _seal_batch(limit: int) -> int | None:
    """Seal up to ``limit`` events; None when another sealer holds the lock."""
    if not db.is_sqlite():
        # The same computation as below, by the database (migration "audit sealing in
        # PostgreSQL"): the events never travel to this process and back.
        rows = await AuditEvent.raw("SELECT audit_seal({}) AS sealed", limit)
        count = int(rows[0]["sealed"])
        return None if count < 0 else count
    # SQLite: atomic() holds the database's only write lock, so no other sealer runs.
    async with db.atomic():
        pending = [
            tuple(row.values())
            for row in await AuditEvent.raw(
                f"SELECT {_COLUMNS} FROM audit_event WHERE seq IS NULL ORDER BY id LIMIT {{}}",
                limit,
            )
        ]
        if not pending:
            return 0
        seq, prev = await _head()
        sealed: list[tuple[int, int, str, str]] = []
        for k, row in enumerate(pending, 1):
            seq += 1
            digest = event_hash(prev, seq, row)
            sealed.append((row[_ID], seq, prev, digest))
            prev = digest
            if k % 100 == 0:
                # Hashing a full batch takes ~15 ms: let the web process's requests run
                # in between rather than stall behind it (their p99 showed it).
                await asyncio.sleep(0)
        # One statement per batch: a row-by-row UPDATE would make sealing, not
        # writing, the bottleneck. "seq IS NULL" keeps a second pass harmless.
        rows_sql = ", ".join(["(CAST({} AS INTEGER), CAST({} AS INTEGER), {}, {})"] * len(sealed))
        await AuditEvent.raw(
            f"WITH sealed(id, seq, prev_hash, hash) AS (VALUES {rows_sql}) "
            "UPDATE audit_event SET seq = sealed.seq, prev_hash = sealed.prev_hash, "
            "hash = sealed.hash FROM sealed "
            "WHERE audit_event.id = sealed.id AND audit_event.seq IS NULL",
            *[value for entry in sealed for value in entry],
        )
        return len(pending)


async def seal(*, wait: bool = False, batch: int = SEAL_BATCH) -> int:
    """Seal every event committed so far; returns how many this call sealed.

    With ``wait`` (the CLI before exit), a busy lock is waited for instead of left to
    the sealer that holds it, so the caller knows its own events are sealed.
    """
    total = 0
    while True:
        done = await _seal_batch(batch)
        if done is None:
            if not wait:
                return total
            await asyncio.sleep(0.05)
            continue
        total += done
        if done < batch:
            return total


async def oldest_unsealed_age() -> float | None:
    """Seconds since the oldest event still unsealed was written; None when all are
    sealed. One probe of the partial index of unsealed events."""
    rows = await AuditEvent.raw(
        "SELECT occurred_at FROM audit_event WHERE seq IS NULL ORDER BY id LIMIT 1"
    )
    if not rows:
        return None
    moment = rows[0]["occurred_at"]
    if isinstance(moment, str):  # SQLite's stored text
        moment = datetime.fromisoformat(moment)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return max(0.0, (datetime.now(UTC) - moment).total_seconds())


async def unsealed_count() -> int:
    """Events written but not sealed yet (the partial index of unsealed events)."""
    return await AuditEvent.count().where(AuditEvent.seq.is_null())


# The sealer reports at most once a REPORT_EVERY (seconds), and only when it sealed
# something or the oldest unsealed event is older than LAG_WARNING: a quiet process
# writes no lines, a stuck lock holder shows within a minute.
REPORT_EVERY = 60.0
LAG_WARNING = 60.0


class Sealer:
    """The web process's background sealer: wakes every ``interval`` seconds or when
    poked, seals what has been committed, and never lets an error stop it."""

    def __init__(
        self,
        interval: float = 1.0,
        *,
        report_every: float = REPORT_EVERY,
        lag_warning: float = LAG_WARNING,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.interval = interval
        self.report_every = report_every
        self.lag_warning = lag_warning
        self._clock = clock
        self._wake = asyncio.Event()
        self._stopping = False
        self._sealed_since_report = 0
        self._last_report = clock()

    def poke(self) -> None:
        self._wake.set()

    def stop(self) -> None:
        """Ask the loop to end after the current pass. Cancelling it instead could cut
        a pass between COMMIT and the release of its pooled connection, and closing the
        pool would then wait forever for that connection."""
        self._stopping = True
        self._wake.set()

    async def seal_once(self) -> int:
        """One pass: seal what is committed, then report if a report is due."""
        sealed = await seal()
        if sealed:
            log.debug("audit events sealed", extra={"events": sealed})
        self._sealed_since_report += sealed
        if self._clock() - self._last_report >= self.report_every:
            await self._report()
        return sealed

    async def _report(self) -> None:
        period = self._clock() - self._last_report
        sealed, self._sealed_since_report = self._sealed_since_report, 0
        self._last_report = self._clock()
        age = await oldest_unsealed_age()
        fields = {"events_sealed": sealed, "period_s": period, "oldest_unsealed_age_s": age}
        if age is not None and age > self.lag_warning:
            log.warning("audit sealing lags behind", extra=fields)
        elif sealed:
            log.info("audit sealer progress", extra=fields)

    async def run(self) -> None:
        while not self._stopping:
            try:
                await self.seal_once()
            except Exception:
                # A failed pass (database restarting, a migration running) is retried
                # on the next wake; the events wait unsealed, nothing is lost.
                log.exception("audit sealer pass failed")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), self.interval)
            self._wake.clear()


@contextlib.asynccontextmanager
async def sealing(interval: float = 1.0) -> AsyncIterator[Sealer]:
    """Run a ``Sealer`` for the duration of the block, with a last pass at the end."""
    sealer = Sealer(interval)
    task = asyncio.create_task(sealer.run(), name="congvu-audit-sealer")
    try:
        yield sealer
    finally:
        sealer.stop()
        await task
        try:
            # Bounded: a stuck lock holder must not keep the process from exiting.
            await asyncio.wait_for(seal(wait=True), timeout=10)
        except Exception:
            log.exception("audit sealer: final pass failed; the next start seals the rest")


# --- verification --------------------------------------------------------------------


@dataclass(frozen=True)
class Verification:
    rows: int
    head_seq: int
    head_hash: str
    unsealed: int
    seconds: float
    first_bad_seq: int | None = None
    problem: str | None = None

    @property
    def ok(self) -> bool:
        return self.first_bad_seq is None

    @property
    def rows_per_second(self) -> float:
        return self.rows / self.seconds if self.seconds > 0 else float("inf")


Fetch = Callable[[int, int], Awaitable[Sequence[Row]]]

# What verification found, Vietnamese first: the CLI prints them as they are.
_MISSING = "thiếu sự kiện / event missing (the next one is seq {seq})"
_UNLINKED = (
    "prev_hash không khớp sự kiện liền trước / prev_hash is not the hash of the event before it"
)
_CHANGED = "sự kiện {id} bị sửa sau khi niêm phong / event {id} was changed after sealing"
_DIFFERS = "chuỗi khác mốc tại seq của mốc / the chain differs from the checkpoint at its seq"
_DIFFERS_PREVIOUS = (
    "chuỗi khác mốc trước tại seq của mốc / "
    "the chain differs from the previous checkpoint at its seq"
)


@contextlib.asynccontextmanager
async def _snapshot() -> AsyncIterator[Fetch]:
    """Read sealed events from one snapshot, on a connection of its own, as the driver's
    own rows: going through the ORM's dict rows would halve the verification speed."""
    engine = db.engine()
    query = f"SELECT {_COLUMNS} FROM audit_event WHERE seq >= {{}} ORDER BY seq LIMIT {{}}"
    if isinstance(engine, PostgresEngine):
        pool = engine.pool
        connection = await (pool.acquire() if pool else engine.get_new_connection())
        try:
            async with connection.transaction(isolation="repeatable_read", readonly=True):
                yield partial(connection.fetch, query.format("$1", "$2"))
        finally:
            await (pool.release(connection) if pool else connection.close())
    else:
        assert isinstance(engine, SQLiteEngine)
        # Without the ORM's type converters: parsing every timestamp in Python on the
        # reading thread costs as much as hashing the row.
        lite = await aiosqlite.connect(**{**engine.connection_kwargs, "detect_types": 0})
        try:
            await lite.execute("BEGIN")

            async def fetch(seq: int, limit: int) -> Sequence[Row]:
                return await lite.execute_fetchall(query.format("?", "?"), (seq, limit))  # type: ignore[return-value]

            yield fetch
            await lite.execute("COMMIT")
        finally:
            await lite.close()


async def verify(
    checkpoint: Checkpoint | None = None,
    *,
    since: Checkpoint | None = None,
    batch: int = 20_000,
) -> Verification:
    """Recompute the chain from seq 1; stop at the first seq that does not hold.

    Against a checkpoint, the chain must also reach the checkpoint's seq with the
    same hash: a chain rewritten or cut short since the export fails there.

    ``since`` (a checkpoint already trusted) starts the recomputation at its seq
    instead of seq 1: the event there must still carry its hash, and everything after
    it must chain from it. Taking the hourly checkpoint costs an hour of events so.
    """
    started = time.perf_counter()
    expected_seq, prev, rows = 1, GENESIS, 0
    anchor = since if since is not None and since.seq > 0 else None
    if anchor is not None:
        expected_seq = anchor.seq
    bad: tuple[int, str] | None = None
    async with _snapshot() as fetch:
        following: asyncio.Future[Sequence[Row]] | None
        following = asyncio.ensure_future(fetch(expected_seq, batch))
        while bad is None and following is not None:
            chunk = await following
            # Read the next chunk while this one is hashed.
            following = (
                asyncio.ensure_future(fetch(chunk[-1][_SEQ] + 1, batch))
                if len(chunk) == batch
                else None
            )
            for row in chunk:
                seq = row[_SEQ]
                if anchor is not None and seq == anchor.seq:
                    if row[_HASH] != anchor.hash:
                        bad = (seq, _DIFFERS_PREVIOUS)
                        break
                    prev, expected_seq = anchor.hash, seq + 1
                    continue
                if seq != expected_seq:
                    bad = (expected_seq, _MISSING.format(seq=seq))
                    break
                if row[_PREV_HASH] != prev:
                    bad = (seq, _UNLINKED)
                    break
                digest = event_hash(prev, seq, row)
                if row[_HASH] != digest:
                    bad = (seq, _CHANGED.format(id=row[_ID]))
                    break
                if checkpoint and seq == checkpoint.seq and digest != checkpoint.hash:
                    bad = (seq, _DIFFERS)
                    break
                prev, expected_seq, rows = digest, seq + 1, rows + 1
        if following is not None:
            await following  # the snapshot's connection must be idle before it closes
    head_seq = expected_seq - 1
    vouched = max((c.seq for c in (checkpoint, anchor) if c is not None), default=0)
    if bad is None and head_seq < vouched:
        bad = (
            head_seq + 1,
            f"chuỗi dừng ở seq {head_seq} nhưng mốc xác nhận đến seq {vouched}, các sự kiện "
            f"cuối đã bị xóa / the chain ends at seq {head_seq} but the checkpoint vouches "
            f"for seq {vouched}: events were removed from its end",
        )
    unsealed = await AuditEvent.count().where(AuditEvent.seq.is_null())
    return Verification(
        rows=rows,
        head_seq=head_seq,
        head_hash=prev,
        unsealed=unsealed,
        seconds=time.perf_counter() - started,
        first_bad_seq=bad[0] if bad else None,
        problem=bad[1] if bad else None,
    )


# --- checkpoints ---------------------------------------------------------------------


class CheckpointError(ValueError):
    """A checkpoint file that cannot vouch for anything: malformed or not ours."""


@dataclass(frozen=True)
class Checkpoint:
    seq: int
    hash: str
    created_at: str
    public_key: str
    signature: str
    format: str = CHECKPOINT_FORMAT

    def to_json(self) -> str:
        return json.dumps(asdict(self), indent=2) + "\n"

    @classmethod
    def from_json(cls, text: str) -> Checkpoint:
        try:
            data = json.loads(text)
            checkpoint = cls(
                seq=int(data["seq"]),
                hash=str(data["hash"]),
                created_at=str(data["created_at"]),
                public_key=str(data["public_key"]),
                signature=str(data["signature"]),
                format=str(data["format"]),
            )
        except (ValueError, KeyError, TypeError) as error:
            raise CheckpointError(f"not a congvu audit checkpoint: {error}") from None
        if checkpoint.format != CHECKPOINT_FORMAT:
            raise CheckpointError(f"unknown checkpoint format {checkpoint.format!r}")
        return checkpoint


def _signed_message(seq: int, head_hash: str) -> bytes:
    return f"{CHECKPOINT_FORMAT}\n{seq}\n{head_hash}\n".encode("ascii")


def _signing_key(secret_key: str) -> Any:
    """Ed25519 key derived from CONGVU_CHECKPOINT_KEY (HMAC-SHA256 with a purpose label).

    Ed25519 rather than the HMAC itself: a checkpoint carries its public key, so an
    outside auditor given that key can check checkpoints without being able to make
    one. The key has its own setting, apart from CONGVU_SECRET_KEY, so that rotating
    the session secret does not orphan the checkpoints kept so far; embedded mode
    generates it under var/ like the session secret. Rotating it changes the key:
    take a fresh checkpoint right after, and keep the old public key with the old
    checkpoints.
    """
    # Imported here: only signing and checking checkpoints need the library.
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    seed = hmac.new(
        secret_key.encode(), b"congvu audit checkpoint ed25519 v1", hashlib.sha256
    ).digest()
    return Ed25519PrivateKey.from_private_bytes(seed)


def public_key_hex(secret_key: str) -> str:
    from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

    raw = _signing_key(secret_key).public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    return bytes(raw).hex()


async def make_checkpoint(secret_key: str) -> Checkpoint:
    """Seal what is pending, then sign the head of the chain."""
    await seal(wait=True)
    seq, head_hash = await _head()
    signature = _signing_key(secret_key).sign(_signed_message(seq, head_hash))
    return Checkpoint(
        seq=seq,
        hash=head_hash,
        created_at=datetime.now(UTC).isoformat(timespec="seconds"),
        public_key=public_key_hex(secret_key),
        signature=bytes(signature).hex(),
    )


def check_signature(checkpoint: Checkpoint, secret_key: str) -> None:
    """Raise CheckpointError unless this installation's key signed the checkpoint."""
    from cryptography.exceptions import InvalidSignature

    if not hmac.compare_digest(checkpoint.public_key, public_key_hex(secret_key)):
        raise CheckpointError(
            "the checkpoint was signed with another key (was CONGVU_CHECKPOINT_KEY changed?)"
        )
    try:
        _signing_key(secret_key).public_key().verify(
            bytes.fromhex(checkpoint.signature), _signed_message(checkpoint.seq, checkpoint.hash)
        )
    except (InvalidSignature, ValueError):
        raise CheckpointError("the checkpoint's signature is not valid") from None


# --- history -------------------------------------------------------------------------


async def history(object_type: str, object_id: str | int) -> Sequence[dict[str, Any]]:
    """Every audit event about one record, oldest first (lịch sử của hồ sơ)."""
    return await (
        AuditEvent.select()
        .where(AuditEvent.object_type == object_type, AuditEvent.object_id == str(object_id))
        .order_by(AuditEvent.occurred_at, AuditEvent.id)
        .output(load_json=True)
    )
