"""Staging and merging the good rows of an import: PostgreSQL COPY into a temporary
table, SQLite executemany into a per-batch table, then set-based SQL (due-date snapshots,
upsert where the content hash changed) and re-evaluation of dossiers with snapshots."""

from __future__ import annotations

import asyncio
import io
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

import numpy as np
import pandas as pd
from congvu.inspect import db
from congvu.inspect.dossiers.tables import RejectedRow
from congvu.rules.dossiers import VIETNAM_TIME
from congvu.rules.dossiers_vector import evaluate_dossiers

_LOCAL_OFFSET = np.timedelta64(7, "h")  # Vietnam keeps UTC+7 all year


@dataclass
class Rejection:
    row_number: int
    column: str
    reason: str
    cells: dict[str, str]


STAGE_COLUMNS = (
    "row_number",
    "code",
    "procedure",
    "sector",
    "unit",
    "official",
    "official_name",
    "channel",
    "received_at",
    "due_at",
    "finished_at",
    "returned_at",
    "apology_at",
    "extended_due_at",
    "extension_count",
    "source_status",
    "content_hash",
    "status",
    "working_days_late",
    "flags",
)
_MOMENTS = ("received_at", "due_at", "finished_at", "returned_at", "apology_at", "extended_due_at")


def epoch_seconds(values: pd.Series) -> np.ndarray:
    """Local naive datetimes as UTC seconds since 1970 (the stage's form: integers cost
    nothing to send and each engine turns them into its timestamp type in SQL)."""
    moments = values.to_numpy(dtype="datetime64[s]")
    known = ~np.isnat(moments)
    seconds = (moments - _LOCAL_OFFSET).astype(np.int64)
    out = seconds.astype(object)
    out[~known] = None
    return out


# --- staging and merging ---------------------------------------------------------------

_STAGE_DDL = """
CREATE {temp} TABLE {name} (
    row_number INTEGER, code TEXT, procedure TEXT, sector TEXT, unit INTEGER,
    official INTEGER, official_name TEXT, channel TEXT,
    received_at BIGINT, due_at BIGINT, finished_at BIGINT, returned_at BIGINT,
    apology_at BIGINT, extended_due_at BIGINT, extension_count INTEGER, source_status TEXT,
    content_hash BIGINT, status TEXT, working_days_late INTEGER, flags TEXT
)
"""
_UPDATED = (
    "procedure",
    "sector",
    "unit",
    "official",
    "official_name",
    "channel",
    "received_at",
    "due_at",
    "finished_at",
    "returned_at",
    "apology_at",
    "extended_due_at",
    "extension_count",
    "source_status",
    "content_hash",
    "status",
    "working_days_late",
    "flags",
    "batch",
    "evaluated_on",
    "updated_at",
)


def _timestamp(dialect: str, column: str) -> str:
    """A staged UTC epoch second as the engine's timestamp (SQLite: Piccolo's text form)."""
    if dialect == "pg":
        return f"to_timestamp({column})"
    return f"(datetime({column}, 'unixepoch') || '+00:00')"


def _due_moved(dialect: str) -> str:
    """Rows of the stage whose due date is a different day from the stored one (in
    Vietnam time: exports that drop or add the clock time are not a new appointment)."""
    if dialect == "pg":
        staged = "(date '1970-01-01' + ((s.due_at + 25200) / 86400)::int)"
        stored = "((d.due_at AT TIME ZONE 'UTC') + interval '7 hours')::date"
    else:
        staged = "date(s.due_at + 25200, 'unixepoch')"
        stored = "date(d.due_at, '+7 hours')"
    return (
        "s.due_at IS NOT NULL AND d.due_at IS NOT NULL"
        f" AND s.content_hash <> d.content_hash AND {staged} <> {stored}"
    )


def _snapshot_statements(stage: str, dialect: str) -> list[str]:
    """Due-date snapshots of changed dossiers ($1 batch, $2 seen_at): the previous due date
    (seen when it first appeared) the first time it changes, then the new one."""
    changed = f"FROM {stage} s JOIN dossier d ON d.code = s.code WHERE {_due_moved(dialect)}"
    return [
        f"INSERT INTO dossier_due_snapshot (dossier, batch, seen_at, due_at)"
        f" SELECT d.id, d.batch, COALESCE(d.due_seen_at, d.updated_at), d.due_at {changed}"
        f" AND NOT EXISTS (SELECT 1 FROM dossier_due_snapshot x WHERE x.dossier = d.id)",
        f"INSERT INTO dossier_due_snapshot (dossier, batch, seen_at, due_at)"
        f" SELECT d.id, $1, $2, {_timestamp(dialect, 's.due_at')} {changed}",
    ]


def _upsert_statement(stage: str, dialect: str) -> str:
    """The set-based upsert ($1 batch, $2 seen_at, $3 as_of, $4 now): a row whose content
    hash did not change is not written at all."""
    distinct = "IS DISTINCT FROM" if dialect == "pg" else "IS NOT"
    sets = ", ".join(f"{c} = excluded.{c}" for c in _UPDATED)
    insert_columns = ", ".join(("code", *_UPDATED, "due_seen_at"))
    special = {
        "official": "CASE WHEN s.official < 0 THEN NULL ELSE s.official END",
        "batch": "$1",
        "evaluated_on": "$3",
        "updated_at": "$4",
        **{m: _timestamp(dialect, f"s.{m}") for m in _MOMENTS},
    }
    select_columns = ", ".join(("s.code", *(special.get(c, f"s.{c}") for c in _UPDATED), "$2"))
    return (
        f"INSERT INTO dossier ({insert_columns}) SELECT {select_columns} FROM {stage} s"
        f" WHERE true ON CONFLICT (code) DO UPDATE SET {sets},"
        f" due_seen_at = CASE WHEN excluded.due_at {distinct} dossier.due_at"
        f" THEN excluded.due_seen_at ELSE dossier.due_seen_at END"
        f" WHERE dossier.content_hash <> excluded.content_hash"
    )


@dataclass
class Counts:
    read: int = 0
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    due_changes: int = 0
    by_status: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class _Merge:
    batch_id: int
    seen_at: datetime
    as_of: date

    def params(self) -> dict[str, Any]:
        return {"$1": self.batch_id, "$2": self.seen_at, "$3": self.as_of, "$4": datetime.now(UTC)}


class _Stage:
    """Where good rows go before they reach ``Dossier``; one implementation per engine.
    Nothing is visible to others before ``finish`` commits."""

    async def open(self) -> None: ...
    async def add(self, good: pd.DataFrame, counts: Counts) -> None: ...
    async def finish(
        self, counts: Counts, rejected: list[Rejection], batch: dict[str, Any]
    ) -> None: ...
    async def close(self) -> None: ...


def _stage_columns(good: pd.DataFrame) -> list[list[Any]]:
    columns = []
    for c in STAGE_COLUMNS:
        if c in _MOMENTS:
            columns.append(epoch_seconds(good[c]).tolist())
        else:
            columns.append(good[c].to_numpy(dtype=object).tolist())
    return columns


_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _copy_text(column: pd.Series) -> list[str]:
    """A column in COPY text format: escaped, NULL as \\N; escaped once per distinct value."""
    values = column.tolist()
    if None not in values:
        joined = "".join(values)
        if not any(ch in joined for ch in "\\\t\n\r"):
            return values
    codes, uniques = pd.factorize(column, use_na_sentinel=True)
    text = [str(u).translate(_COPY_ESCAPES) for u in uniques]
    table = np.array([*text, "\\N"], dtype=object)
    return list(table[codes])


def _copy_payload(good: pd.DataFrame) -> bytes:
    """The rows in COPY text format, built column-wise (pandas' CSV writer spends ~6 µs a
    row; this is well under 1)."""
    columns = []
    for c in STAGE_COLUMNS:
        series = good[c]
        if c in _MOMENTS:
            seconds = series.to_numpy(dtype="datetime64[s]")
            known = ~np.isnat(seconds)
            text = (seconds - _LOCAL_OFFSET).astype(np.int64).astype(str).astype(object)
            text[~known] = "\\N"
            columns.append(list(text))
        elif c == "code":
            values = series.tolist()
            if any(ch in "".join(values) for ch in "\\\t\n\r"):
                values = [v.translate(_COPY_ESCAPES) for v in values]
            columns.append(values)
        elif series.dtype.kind in "iu":
            columns.append(series.astype(str).tolist())
        else:
            columns.append(_copy_text(series))
    lines = "\n".join(map("\t".join, zip(*columns, strict=True)))
    return (lines + "\n").encode() if lines else b""


class _PostgresStage(_Stage):
    """One pooled connection and one transaction for the whole batch. Per chunk: ask which
    rows are new or changed (content hash), COPY only those into a temporary table, then
    snapshots and upsert from it; the server merges chunk k while Python parses k+1."""

    stage = "dossier_stage"

    def __init__(self, merge: _Merge) -> None:
        self.merge = merge
        self.conn: Any = None
        self.transaction: Any = None
        self.empty = False

    async def open(self) -> None:
        engine = db.engine()
        if getattr(engine, "pool", None) is None:
            await db.prepare()
        self._acquire = engine.pool.acquire()  # type: ignore[attr-defined]
        self.conn = await self._acquire.__aenter__()
        await self.conn.execute(f"DROP TABLE IF EXISTS {self.stage}")
        await self.conn.execute(_STAGE_DDL.format(temp="TEMP", name=self.stage))
        self.transaction = self.conn.transaction()
        await self.transaction.start()
        # A first load into an empty table (the file's duplicates are already removed):
        # every row is new, no need to look each code up.
        self.empty = not await self.conn.fetchval("SELECT EXISTS (SELECT 1 FROM dossier)")

    async def add(self, good: pd.DataFrame, counts: Counts) -> None:
        if good.empty:
            return
        conn = self.conn
        if self.empty:
            changed, new = good, len(good)
        else:
            known = await conn.fetch(
                "SELECT c.i, d.code IS NULL AS new FROM unnest($1::text[], $2::bigint[])"
                " WITH ORDINALITY AS c(code, h, i) LEFT JOIN dossier d ON d.code = c.code"
                " WHERE d.content_hash IS DISTINCT FROM c.h",
                good["code"].tolist(),
                good["content_hash"].tolist(),
            )
            new = sum(1 for r in known if r["new"])
            changed = good.iloc[np.array([r["i"] for r in known], dtype=np.int64) - 1]
        counts.inserted += new
        counts.updated += len(changed) - new
        counts.unchanged += len(good) - len(changed)
        if changed.empty:
            return
        await conn.execute(f"TRUNCATE {self.stage}")
        payload = await asyncio.to_thread(_copy_payload, changed)
        await conn.copy_to_table(
            self.stage,
            source=io.BytesIO(payload),
            columns=list(STAGE_COLUMNS),
            format="text",
        )
        params = self.merge.params()
        if len(changed) > new:
            await conn.execute(f"ANALYZE {self.stage}")
            first, second = _snapshot_statements(self.stage, "pg")
            await conn.execute(*_renumber(first, params))
            status = await conn.execute(*_renumber(second, params))
            counts.due_changes += int(status.split()[-1])
        await conn.execute(*_renumber(_upsert_statement(self.stage, "pg"), params))

    async def finish(
        self, counts: Counts, rejected: list[Rejection], batch: dict[str, Any]
    ) -> None:
        conn = self.conn
        batch_id = self.merge.batch_id
        await conn.copy_records_to_table(
            RejectedRow._meta.tablename,
            records=[
                (batch_id, r.row_number, r.column[:255], r.reason, _json(r.cells)) for r in rejected
            ],
            columns=["batch", "row_number", "column", "reason", "cells"],
        )
        await _reevaluate_snapshots(conn.fetch, conn.executemany, batch_id, self.merge.as_of)
        await conn.execute(*_renumber(*_finish_sql(batch_id, {**batch, **_count_columns(counts)})))
        await self.transaction.commit()
        self.transaction = None

    async def close(self) -> None:
        if self.conn is None:
            return
        try:
            if self.transaction is not None:
                await self.transaction.rollback()
            await self.conn.execute(f"DROP TABLE IF EXISTS {self.stage}")
        finally:
            await self._acquire.__aexit__(None, None, None)
            self.conn = None


class _SqliteStage(_Stage):
    """A per-batch table written one short IMMEDIATE transaction per chunk (SQLite has
    one writer: the web app keeps working between chunks); the merge is one more."""

    def __init__(self, merge: _Merge) -> None:
        self.merge = merge
        self.name = f"dossier_stage_b{merge.batch_id}"

    async def open(self) -> None:
        async with db.atomic():
            conn = _sqlite_connection()
            await conn.execute(f"DROP TABLE IF EXISTS {self.name}")
            await conn.execute(_STAGE_DDL.format(temp="", name=self.name))

    async def add(self, good: pd.DataFrame, counts: Counts) -> None:
        records = list(zip(*_stage_columns(good), strict=True))
        placeholders = ", ".join("?" for _ in STAGE_COLUMNS)
        async with db.atomic():
            await _sqlite_connection().executemany(
                f"INSERT INTO {self.name} ({', '.join(STAGE_COLUMNS)}) VALUES ({placeholders})",
                records,
            )

    async def finish(
        self, counts: Counts, rejected: list[Rejection], batch: dict[str, Any]
    ) -> None:
        batch_id = self.merge.batch_id
        async with db.atomic():
            conn = _sqlite_connection()
            await conn.execute(f"CREATE INDEX IF NOT EXISTS {self.name}_code ON {self.name} (code)")

            async def value(sql: str, *args: Any) -> Any:
                async with conn.execute(_qmarks(sql), args) as cursor:
                    row = await cursor.fetchone()
                return next(iter(row.values())) if row else None

            await _count_changes(value, self.name, counts)
            params = self.merge.params()
            for sql in [
                *_snapshot_statements(self.name, "sqlite"),
                _upsert_statement(self.name, "sqlite"),
            ]:
                await conn.execute(*_bind(sql, params))
            await conn.executemany(
                'INSERT INTO dossier_rejected_row (batch, row_number, "column", reason, cells)'
                " VALUES (?, ?, ?, ?, ?)",
                [
                    (batch_id, r.row_number, r.column[:255], r.reason, _json(r.cells))
                    for r in rejected
                ],
            )

            async def fetch(sql: str, *args: Any) -> list[dict[str, Any]]:
                async with conn.execute(_qmarks(sql), args) as cursor:
                    return list(await cursor.fetchall())

            async def executemany(sql: str, rows: list[tuple[Any, ...]]) -> None:
                await conn.executemany(_qmarks(sql), rows)

            await _reevaluate_snapshots(fetch, executemany, batch_id, self.merge.as_of)
            await conn.execute(*_bind(*_finish_sql(batch_id, {**batch, **_count_columns(counts)})))
            await conn.execute(f"DROP TABLE {self.name}")

    async def close(self) -> None:
        async with db.atomic():
            await _sqlite_connection().execute(f"DROP TABLE IF EXISTS {self.name}")


def _count_columns(counts: Counts) -> dict[str, Any]:
    return {
        "rows_inserted": counts.inserted,
        "rows_updated": counts.updated,
        "rows_unchanged": counts.unchanged,
        "due_changes": counts.due_changes,
    }


def _sqlite_connection() -> Any:
    transaction = db.engine().current_transaction.get()
    assert transaction is not None, "call inside db.atomic()"
    return transaction.connection


def _qmarks(sql: str) -> str:
    return re.sub(r"\$\d+", "?", sql)


def _bind(sql: str, params: dict[str, Any]) -> tuple[str, list[Any]]:
    """SQLite: positional ? in the order the $n appear."""
    args = [params[m] for m in re.findall(r"\$\d+", sql)]
    return _qmarks(sql), args


def _renumber(sql: str, params: dict[str, Any]) -> tuple[Any, ...]:
    """PostgreSQL wants exactly the parameters a statement uses, numbered from $1."""
    used = list(dict.fromkeys(re.findall(r"\$\d+", sql)))
    numbered = re.sub(r"\$\d+", lambda m: f"${used.index(m.group()) + 1}", sql)
    return (numbered, *(params[u] for u in used))


def _json(value: Any) -> str:
    import json

    return json.dumps(value, ensure_ascii=False)


async def _count_changes(value: Callable[..., Awaitable[Any]], stage: str, counts: Counts) -> None:
    join = f"FROM {stage} s JOIN dossier d ON d.code = s.code"
    staged = await value(f"SELECT count(*) FROM {stage}")
    existing = await value(f"SELECT count(*) {join}")
    changed = await value(f"SELECT count(*) {join} WHERE s.content_hash <> d.content_hash")
    due_changes = await value(f"SELECT count(*) {join} WHERE {_due_moved('sqlite')}")
    counts.inserted = int(staged) - int(existing)
    counts.updated = int(changed)
    counts.unchanged = int(existing) - int(changed)
    counts.due_changes = int(due_changes)


def _finish_sql(batch_id: int, finish: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """UPDATE of the batch's closing values, with its $n parameters by name."""
    params: dict[str, Any] = {"$1": batch_id}
    sets = []
    for number, (column, value) in enumerate(finish.items(), start=2):
        params[f"${number}"] = _json(value) if isinstance(value, dict) else value
        sets.append(f"{column} = ${number}")
    return f"UPDATE dossier_import_batch SET {', '.join(sets)} WHERE id = $1", params


async def _reevaluate_snapshots(
    fetch: Callable[..., Awaitable[Any]],
    executemany: Callable[..., Awaitable[Any]],
    batch_id: int,
    as_of: date,
) -> None:
    """Dossiers of this batch with a due-date history: evaluated again with it, so a due
    date moved later without an apology (or after it had passed) is flagged."""
    rows = await fetch(
        "SELECT d.id, d.received_at, d.due_at, d.finished_at, d.returned_at, d.apology_at,"
        " d.extension_count FROM dossier d WHERE d.batch = $1 AND EXISTS"
        " (SELECT 1 FROM dossier_due_snapshot x WHERE x.dossier = d.id)",
        batch_id,
    )
    if not rows:
        return
    ids = [r["id"] for r in rows]
    snapshots = []
    for start in range(0, len(ids), 500):
        part = ids[start : start + 500]
        marks = ", ".join(f"${i}" for i in range(1, len(part) + 1))
        snapshots += await fetch(
            f"SELECT dossier, seen_at, due_at FROM dossier_due_snapshot WHERE dossier IN ({marks})"
            " ORDER BY id",
            *part,
        )
    verdicts = evaluate_frame(
        pd.DataFrame([dict(r) for r in rows]), pd.DataFrame([dict(s) for s in snapshots]), as_of
    )
    await executemany(
        "UPDATE dossier SET status = $1, working_days_late = $2, flags = $3 WHERE id = $4",
        list(
            zip(
                verdicts["status"].astype(str),
                verdicts["working_days_late"].astype(int).tolist(),
                verdicts["flags"].astype(str),
                verdicts.index.astype(int).tolist(),
                strict=True,
            )
        ),
    )


def _local(values: pd.Series) -> pd.Series:
    """Database moments (aware, or SQLite text) → naive Vietnam wall-clock time."""
    parsed = pd.to_datetime(values, utc=True, format="ISO8601")
    return parsed.dt.tz_convert(VIETNAM_TIME).dt.tz_localize(None)


def evaluate_frame(
    dossiers: pd.DataFrame, snapshots: pd.DataFrame | None, as_of: date
) -> pd.DataFrame:
    """Verdicts for stored dossiers (columns as in the table; ``id`` becomes the index)."""
    frame = dossiers.set_index("id")
    facts = pd.DataFrame(
        {
            m: _local(frame[m])
            for m in ("received_at", "due_at", "finished_at", "returned_at", "apology_at")
        },
        index=frame.index,
    )
    facts["extension_count"] = frame["extension_count"].fillna(0).astype(np.int64)
    snaps = None
    if snapshots is not None and len(snapshots):
        snaps = pd.DataFrame(
            {
                "dossier": snapshots["dossier"].to_numpy(),
                "seen_at": _local(snapshots["seen_at"]).to_numpy(),
                "due_at": _local(snapshots["due_at"]).to_numpy(),
            }
        )
        snaps = snaps[snaps["dossier"].isin(frame.index)]
    return evaluate_dossiers(facts, as_of, snapshots=snaps)
