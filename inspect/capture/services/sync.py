"""Idempotent sync of records captured offline (đồng bộ dữ liệu từ máy tính bảng).

Each client record carries a UUID made on the device. The server keeps a receipt per
UUID with the hash of the record's canonical content and the answer it gave:

* same UUID, same content → "duplicate": the original answer again, nothing written;
* same UUID, other content → "conflict" (409): the original stays, the rejected
  content is kept as a SyncConflict for a reviewer;
* an edit is a new UUID naming the version it ``replaces``; replacing anything but the
  latest version is a conflict. Never last-write-wins.

A batch runs in one transaction on one connection, every record in a savepoint of its
own, so one bad record never loses the good ones; a record sent alone needs no
savepoint, its transaction is its undo. A replayed batch costs one query (all its
receipts at once); each inspection's context (team, unit, the officials the batch names)
is one query per batch.
"""

from __future__ import annotations

import hashlib
import json
import logging
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from congvu.inspect import clock, db
from congvu.inspect.actor import Actor, Role
from congvu.inspect.audit import api as audit
from congvu.inspect.capture.services.context import (
    CaptureContext,
    ClientRecord,
    context_from_rows,
    context_sql,
    load_context,
)
from congvu.inspect.capture.services.handlers import HANDLERS, ONE_STATEMENT
from congvu.inspect.capture.services.payloads import parse_moment
from congvu.inspect.capture.services.records import SyncedRecord
from congvu.inspect.db import atomic, engine, savepoint
from congvu.inspect.errors import Conflict, DomainError, Invalid, NotFound
from congvu.inspect.inspections import api as inspections
from congvu.inspect.inspections.tables import SyncConflict, SyncReceipt
from congvu.inspect.web.params import MAX_ID

MAX_RECORDS = 500

log = logging.getLogger("congvu.sync")


@dataclass(frozen=True)
class IncomingRecord:
    """A record as it arrived; only ``uuid`` and ``type`` are needed to answer it."""

    uuid: str
    type: str
    inspection_id: int
    payload: dict[str, Any]
    replaces: str | None = None
    device_time: str | None = None


@dataclass(frozen=True)
class RecordError:
    field: str | None
    message: str


@dataclass(frozen=True)
class RecordResult:
    uuid: str
    status: str  # created | duplicate | conflict | rejected
    http_status: int
    record: SyncedRecord | None
    error: RecordError | None


# Values that say nothing a missing key does not: ``"evidence": []`` and no ``evidence``
# key are the same content, so a resend differing only by them is a duplicate, not a 409.
_DEFAULTS: tuple[Any, ...] = (None, "", [], {})


def canonical_payload(payload: dict[str, Any]) -> dict[str, Any]:
    """The payload without keys holding an explicit default (top level: the handlers read
    a missing key and a default alike)."""
    return {
        k: v
        for k, v in payload.items()
        if not any(v == d and type(v) is type(d) for d in _DEFAULTS)
    }


def _hash(record: IncomingRecord, payload: dict[str, Any]) -> str:
    canonical = json.dumps(
        {
            "type": record.type,
            "inspection_id": record.inspection_id,
            "replaces": record.replaces,
            "payload": payload,
        },
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
    )
    return hashlib.sha256(canonical.encode()).hexdigest()


def content_hash(record: IncomingRecord) -> str:
    """sha256 of the canonical JSON of what the record says (device_time excluded: a
    resend of the same observation is the same record; explicit defaults dropped)."""
    return _hash(record, canonical_payload(record.payload))


def same_content(record: IncomingRecord, stored_hash: str, digest: str) -> bool:
    """Whether a receipt's hash is this record's content. Receipts written before the
    payload was canonicalised hold the hash of the payload as it was sent."""
    return stored_hash == digest or stored_hash == _hash(record, record.payload)


def _uuid(value: str | None, field: str) -> uuid.UUID | None:
    if value is None:
        return None
    try:
        return uuid.UUID(value)
    except (ValueError, AttributeError, TypeError):
        raise Invalid(f"UUID không hợp lệ: {value!r}.", field=field) from None


def _rejected(record_uuid: str, error: DomainError) -> RecordResult:
    return RecordResult(
        uuid=record_uuid,
        status="conflict" if error.status_code == 409 else "rejected",
        http_status=error.status_code,
        record=None,
        error=RecordError(error.field, error.message),
    )


def _record_fields(actor: Actor, record: IncomingRecord) -> dict[str, Any]:
    """What a log line says about a record: ids and its type, never its content (a
    payload or an error message may quote what was typed on the device). The uuid and
    type are the device's own strings, cut short."""
    return {
        "client_uuid": str(record.uuid)[:64],
        "record_type": str(record.type)[:32],
        "inspection_id": record.inspection_id,
        "user_id": actor.id,
    }


def _logged(actor: Actor, record: IncomingRecord, result: RecordResult) -> RecordResult:
    """A refused record (4xx), logged for the operator who hears "my tablet won't sync"."""
    log.info(
        "sync record refused",
        extra={
            **_record_fields(actor, record),
            "status": result.status,
            "http_status": result.http_status,
            "field": result.error.field if result.error else None,
        },
    )
    return result


async def sync(actor: Actor, records: list[IncomingRecord]) -> list[RecordResult]:
    """Apply a batch of client records in order; one result per record, same order."""
    if len(records) > MAX_RECORDS:
        raise Invalid(f"Tối đa {MAX_RECORDS} bản ghi mỗi lần gửi.", field="records")
    ids: dict[str, uuid.UUID] = {}
    for record in records:
        try:
            ids[record.uuid] = uuid.UUID(record.uuid)
        except (ValueError, AttributeError, TypeError):
            continue
    if len(ids) == len(records) == 1 and engine().current_transaction.get() is None:
        return [await _sync_alone(actor, records[0], ids[records[0].uuid])]
    # One transaction (one connection, and on SQLite one turn of the write lock) for the
    # whole batch: reads reuse its connection instead of opening one each.
    async with atomic():
        receipts = await _receipts(list(set(ids.values())))
        contexts: dict[int, CaptureContext] = {}
        named = _named_officials(records)
        results: list[RecordResult] = []
        for record in records:
            key = str(ids[record.uuid]) if record.uuid in ids else None
            if key is None:
                invalid = _rejected(record.uuid, Invalid("UUID không hợp lệ.", field="uuid"))
                results.append(_logged(actor, record, invalid))
                continue
            digest = content_hash(record)
            receipt = receipts.get(key)
            if receipt is None:
                result, receipt = await _apply_in_batch(
                    actor, record, ids[record.uuid], digest, contexts, named
                )
                if receipt is not None:
                    receipts[key] = receipt
                results.append(result)
                continue
            results.append(await _answer_again(actor, record, receipt, digest))
    return results


async def _sync_alone(actor: Actor, record: IncomingRecord, record_id: uuid.UUID) -> RecordResult:
    """A record sent on its own, the tablet's most frequent request: its receipt and its
    inspection's context are one query, on one connection with its writes.

    A finding is then written as one statement on PostgreSQL (``db.one_statement``:
    finding, evidence, audit event and receipt, atomic with no BEGIN or COMMIT); any
    other record in a transaction of its own, whose rollback is its undo (no savepoint).
    """
    digest = content_hash(record)
    # A resend (the tablet lost the answer) is answered from its receipt by one read,
    # outside any write transaction: no SQLite write lock, no capture context query.
    stored = await _receipt(record_id)
    if stored is not None:
        return await _answer_again(actor, record, stored, digest)
    named = _named_officials([record])
    officials = sorted(named.get(record.inspection_id, ()))
    one_statement = record.type in ONE_STATEMENT
    reserve = one_statement and not db.is_sqlite()
    try:
        async with db.one_statement() if one_statement else atomic():
            rows = await db.raw(
                SyncReceipt,
                _RECEIPT_AND_CONTEXT.format(
                    reserve=_RESERVE_FINDING_ID if reserve else "NULL",
                    context=context_sql(len(officials)),
                ),
                record_id,
                *officials,
                record.inspection_id,
            )
            receipt = _receipt_of(record_id, rows[0])
            if receipt is None:
                contexts: dict[int, CaptureContext] = {}
                if record.type in HANDLERS:  # else _apply says the type is wrong
                    members = [r for r in rows if r["id"] is not None]
                    ctx = context_from_rows(actor, members, officials)
                    ctx.finding_id = rows[0]["finding_id"]
                    contexts[record.inspection_id] = ctx
                response = await _apply(actor, record, record_id, digest, contexts, named)
    except Exception as error:
        return await _answer_failure(actor, record, record_id, digest, error)
    if receipt is not None:  # answered after the block: it may write a conflict
        return await _answer_again(actor, record, receipt, digest)
    return RecordResult(record.uuid, "created", 201, response, None)


# One row whatever exists: an id drawn for a new finding (or NULL), the receipt's
# columns (NULL when there is none) beside each row of the context query (NULL when
# the inspection does not exist).
_RECEIPT_AND_CONTEXT = (
    'SELECT r.content_hash AS receipt_hash, r.response AS receipt_response, r."user"'
    " AS receipt_user, one.finding_id, c.* FROM (SELECT {reserve} AS finding_id) AS one"
    " LEFT JOIN sync_receipt r ON r.id = {{}}"
    " LEFT JOIN ({context}) AS c ON 1 = 1"
)
_RESERVE_FINDING_ID = "nextval(pg_get_serial_sequence('finding', 'id'))"


def _receipt_of(record_id: uuid.UUID, row: dict[str, Any]) -> dict[str, Any] | None:
    """The receipt in a row of ``_RECEIPT_AND_CONTEXT`` or ``_receipts``; None if none."""
    if row["receipt_hash"] is None:
        return None
    response = row["receipt_response"]
    return {
        "id": record_id,
        "content_hash": row["receipt_hash"],
        "response": json.loads(response) if isinstance(response, str) else response,
        "user": row["receipt_user"],
    }


# Receipts are read and written on every sync: raw SQL, like the rest of the hot path
# (see findings.INSERT_FINDING).
_INSERT_RECEIPT = (
    "INSERT INTO sync_receipt"
    ' (id, record_type, inspection_id, content_hash, http_status, response, "user", received_at)'
    " VALUES ({}, {}, {}, {}, {}, {}, {}, {})"
)


async def _receipts(record_ids: list[uuid.UUID]) -> dict[str, dict[str, Any]]:
    """The stored receipts of these record ids, by the id's text."""
    if not record_ids:
        return {}
    rows = await db.raw(
        SyncReceipt,
        "SELECT id, content_hash AS receipt_hash, response AS receipt_response,"
        ' "user" AS receipt_user FROM sync_receipt WHERE id IN ('
        + ", ".join("{}" for _ in record_ids)
        + ")",
        *record_ids,
    )
    return {str(r["id"]): receipt for r in rows if (receipt := _receipt_of(r["id"], r))}


async def _answer_again(
    actor: Actor, record: IncomingRecord, receipt: dict[str, Any], digest: str
) -> RecordResult:
    if same_content(record, receipt["content_hash"], digest) and receipt["user"] == actor.id:
        return RecordResult(record.uuid, "duplicate", 200, receipt["response"], None)
    await _keep_conflict(actor, record, receipt["content_hash"], digest)
    conflict = RecordResult(
        record.uuid,
        "conflict",
        409,
        None,
        RecordError(
            "uuid",
            "Mã bản ghi đã được dùng cho một nội dung khác; bản đã lưu được giữ nguyên.",
        ),
    )
    return _logged(actor, record, conflict)


async def _keep_conflict(
    actor: Actor, record: IncomingRecord, stored_hash: str, digest: str
) -> None:
    """Keep a rejected record in the conflict ledger (xung đột đồng bộ) for a reviewer."""
    async with atomic():
        await SyncConflict.insert(
            SyncConflict(
                client_uuid=_uuid(record.uuid, "uuid"),
                record_type=str(record.type)[:16],
                inspection_id=record.inspection_id,
                stored_hash=stored_hash,
                rejected_hash=digest,
                rejected_payload={
                    "type": record.type,
                    "inspection_id": record.inspection_id,
                    "replaces": record.replaces,
                    "device_time": record.device_time,
                    "payload": record.payload,
                },
                user=actor.id or None,
                received_at=clock.now(),
            )
        )


def _named_officials(records: list[IncomingRecord]) -> dict[int, set[int]]:
    """The officials each inspection's records name, so that one query per inspection
    answers whether they belong to its unit (an id of the wrong type is left to the
    record's validation, and any official not listed here is looked up on its own)."""
    named: dict[int, set[int]] = {}
    for record in records:
        official_id = record.payload.get("official_id")
        if type(official_id) is int and 0 < official_id <= MAX_ID:
            named.setdefault(record.inspection_id, set()).add(official_id)
    return named


async def _context(
    actor: Actor,
    inspection_id: int,
    contexts: dict[int, CaptureContext],
    named: dict[int, set[int]],
) -> CaptureContext:
    ctx = contexts.get(inspection_id)
    if ctx is None:
        ctx = contexts[inspection_id] = await load_context(
            actor, inspection_id, named.get(inspection_id, ())
        )
    return ctx


async def _apply(
    actor: Actor,
    record: IncomingRecord,
    record_id: uuid.UUID,
    digest: str,
    contexts: dict[int, CaptureContext],
    named: dict[int, set[int]],
) -> SyncedRecord:
    """Write one record and its receipt in the caller's transaction; its response."""
    handler = HANDLERS.get(record.type)
    if handler is None:
        raise Invalid(f"Loại bản ghi không hợp lệ: {record.type!r}.", field="type")
    if not 0 < record.inspection_id <= MAX_ID:  # no such id, and no driver would take it
        raise NotFound("Không tìm thấy cuộc kiểm tra.", field="inspection_id")
    ctx = await _context(actor, record.inspection_id, contexts, named)
    client_record = ClientRecord(
        uuid=record_id,
        type=record.type,
        inspection_id=record.inspection_id,
        replaces=_uuid(record.replaces, "replaces"),
        device_time=parse_moment(record.device_time, "device_time") if record.device_time else None,
        payload=record.payload,
    )
    response = await handler(ctx, client_record)
    await db.write(
        SyncReceipt,
        _INSERT_RECEIPT,
        record_id,
        record.type,
        record.inspection_id,
        digest,
        201,
        db.json_text(response),
        actor.id or None,
        clock.now(),
    )
    return response


async def _apply_in_batch(
    actor: Actor,
    record: IncomingRecord,
    record_id: uuid.UUID,
    digest: str,
    contexts: dict[int, CaptureContext],
    named: dict[int, set[int]],
) -> tuple[RecordResult, dict[str, Any] | None]:
    """``_apply`` in a savepoint of its own, so one bad record never loses the good ones;
    the result, and the receipt now stored if any."""
    try:
        # The batch read its receipts in this transaction: on SQLite nobody else can
        # have written since; on PostgreSQL a concurrent resend that won meanwhile makes
        # the receipt insert fail as a unique violation, answered in _answer_failure.
        async with savepoint():
            response = await _apply(actor, record, record_id, digest, contexts, named)
    except Exception as error:
        # The batch's view of the inspection may be ahead of what was rolled back.
        contexts.pop(record.inspection_id, None)
        return await _answer_failure(actor, record, record_id, digest, error), None
    receipt = {"id": record_id, "content_hash": digest, "response": response, "user": actor.id}
    return RecordResult(record.uuid, "created", 201, response, None), receipt


async def _answer_failure(
    actor: Actor, record: IncomingRecord, record_id: uuid.UUID, digest: str, error: Exception
) -> RecordResult:
    """The answer to a record whose writes were undone."""
    if isinstance(error, DomainError):
        if error.status_code == 409 and error.field == "replaces":
            # An edit made on an outdated version: kept for a reviewer like a resend
            # with other content (no receipt holds its content: no stored hash).
            await _keep_conflict(actor, record, "", digest)
        return _logged(actor, record, _rejected(record.uuid, error))
    if not _is_unique_violation(error):
        raise error
    # A concurrent resend (or a concurrent edit of the same base) won the race.
    existing = await _receipt(record_id)
    log.warning(
        "sync race lost",
        extra={
            **_record_fields(actor, record),
            "winner": "same record" if existing is not None else "another version",
            "answer": "stored receipt" if existing is not None else "conflict",
        },
    )
    if existing is not None:
        return await _answer_again(actor, record, existing, digest)
    newer = Conflict(
        "Bản ghi này đã có phiên bản mới hơn; hãy sửa từ phiên bản mới nhất.", field="replaces"
    )
    await _keep_conflict(actor, record, "", digest)
    return _logged(actor, record, _rejected(record.uuid, newer))


async def _receipt(record_id: uuid.UUID) -> dict[str, Any] | None:
    return (await _receipts([record_id])).get(str(record_id))


def _is_unique_violation(error: Exception) -> bool:
    name = type(error).__name__
    text = str(error).lower()
    return name in ("UniqueViolationError", "IntegrityError") or "unique constraint" in text


@dataclass(frozen=True)
class ConflictView:
    id: int
    client_uuid: uuid.UUID
    record_type: str
    inspection_id: int | None
    stored_hash: str
    rejected_hash: str
    rejected_payload: dict[str, Any]
    username: str | None
    received_at: datetime


async def conflicts(actor: Actor, inspection_id: int | None = None) -> list[ConflictView]:
    """Xung đột đồng bộ for a reviewer: team leads and admins see all, an inspector
    those of the inspections on which they serve."""
    query = SyncConflict.select(*SyncConflict.all_columns(), SyncConflict.user.username)
    if inspection_id is not None:
        await inspections.readable_inspection(actor, inspection_id)
        query = query.where(SyncConflict.inspection_id == inspection_id)
    elif not actor.has_role(Role.ADMIN, Role.TEAM_LEAD):
        raise NotFound("Không tìm thấy cuộc kiểm tra.", field="inspection_id")
    rows = await query.order_by(SyncConflict.id, ascending=False).output(load_json=True)
    if inspection_id is None:
        # Team leads and admins: only the inspections their scope lets them read.
        readable: dict[int | None, bool] = {}
        for r in rows:
            key = r["inspection_id"]
            if key not in readable:
                if key is None:  # a record naming no inspection: the whole tree's admins
                    readable[key] = actor.role == Role.ADMIN and not actor.scope_path
                    continue
                try:
                    readable[key] = bool(await inspections.readable_inspection(actor, key))
                except NotFound:
                    readable[key] = False
        rows = [r for r in rows if readable[r["inspection_id"]]]
    rows = rows[:500]
    # Rejected payloads may name officials and what they did: who read which is audited.
    async with atomic():
        await audit.record(
            "sync_conflicts_viewed",
            "inspection" if inspection_id is not None else "sync_conflict",
            inspection_id if inspection_id is not None else "*",
            actor=actor,
            after={"conflict_ids": [r["id"] for r in rows]},
        )
    return [
        ConflictView(
            id=r["id"],
            client_uuid=r["client_uuid"],
            record_type=r["record_type"],
            inspection_id=r["inspection_id"],
            stored_hash=r["stored_hash"],
            rejected_hash=r["rejected_hash"],
            rejected_payload=r["rejected_payload"],
            username=r["user.username"],
            received_at=r["received_at"],
        )
        for r in rows
    ]
