"""Staging and merging the good rows of an import.

PostgreSQL: one transaction per batch, imports serialised by an advisory lock. Rows whose
code is not stored yet are COPYed straight into ``dossier`` (CSV written by Arrow); rows
whose content hash changed go through a temporary table to the due-date snapshots and a
set-based upsert. SQLite: executemany into a per-batch table, then the same set-based SQL.
Dossiers with due-date snapshots are evaluated again with them at the end."""

from __future__ import annotations

import asyncio
import re
import sqlite3
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
from congvu.inspect import clock, db
from congvu.inspect.dossiers.services.importing.lateness import FACTS, evaluate_frame
from congvu.inspect.dossiers.services.importing.rows import (
    MOMENTS,
    PAUSE_MOMENTS,
    ROW_COLUMNS,
    Rejection,
)
from congvu.inspect.dossiers.tables import RejectedRow
from congvu.rules.working_hours import SeasonalSchedule

# SQLite stages moments as UTC epoch seconds (its timestamps are text); PostgreSQL stages
# the dossier's own types, so one CSV serves the stage and ``dossier`` alike.
_SQLITE_STAGE_DDL = """
CREATE TABLE {name} (
    code TEXT, procedure TEXT, sector TEXT, unit INTEGER,
    official INTEGER, official_name TEXT, channel TEXT, {moments},
    extension_count INTEGER, source_status TEXT,
    content_hash BIGINT, status TEXT, working_days_late INTEGER, flags TEXT
)
""".replace("{moments}", ", ".join(f"{m} BIGINT" for m in MOMENTS))
_PG_STAGE_DDL = """
CREATE TEMP TABLE {name} (
    code TEXT, procedure TEXT, sector TEXT, unit INTEGER,
    official INTEGER, official_name TEXT, channel TEXT, {moments},
    extension_count INTEGER, source_status TEXT,
    content_hash BIGINT, status TEXT, working_days_late INTEGER, flags TEXT
) ON COMMIT DROP
""".replace("{moments}", ", ".join(f"{m} TIMESTAMPTZ" for m in MOMENTS))
_UPDATED = (*ROW_COLUMNS[1:], "batch", "evaluated_on", "updated_at")


def _timestamp(dialect: str, column: str) -> str:
    """A staged moment as the engine's timestamp (SQLite: Piccolo's text form)."""
    if dialect == "pg":
        return column
    return f"(datetime({column}, 'unixepoch') || '+00:00')"


def _due_moved(dialect: str) -> str:
    """Rows of the stage whose due date is a different day from the stored one (in
    Vietnam time: exports that drop or add the clock time are not a new appointment)."""
    if dialect == "pg":
        staged = "((s.due_at AT TIME ZONE 'UTC') + interval '7 hours')::date"
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
        "batch": "$1",
        "evaluated_on": "$3",
        "updated_at": "$4",
        **{m: _timestamp(dialect, f"s.{m}") for m in MOMENTS},
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
class Merge:
    batch_id: int
    seen_at: datetime
    as_of: date
    # Each unit's office hours (organisation.schedules_by_unit), for the verdicts.
    schedules: Mapping[int, SeasonalSchedule] = field(default_factory=dict)
    # Procedures whose term restarts after a supplement (NĐ 297/2025).
    restarting: frozenset[str] = frozenset()

    def params(self) -> dict[str, Any]:
        return {"$1": self.batch_id, "$2": self.seen_at, "$3": self.as_of, "$4": clock.now()}


class Stage:
    """Where good rows go before they reach ``Dossier``; one implementation per engine.
    ``good`` is an Arrow table with ``ROW_COLUMNS``. Nothing is visible to others
    before ``finish`` commits."""

    async def open(self) -> None: ...
    async def add(self, good: pa.Table | Path, counts: Counts) -> None: ...
    async def finish(
        self, counts: Counts, rejected: list[Rejection], batch: dict[str, Any]
    ) -> None: ...
    async def close(self) -> None: ...


def _csv(table: pa.Table) -> pa.Buffer:
    """Rows as PostgreSQL's CSV COPY reads them: text always quoted (an empty string stays
    one), NULL as an empty field. Arrow writes it in C++ without the GIL; moments go as
    text with their offset, which Arrow formats 25× faster than zoned timestamps."""
    columns = [
        pc.binary_join_element_wise(column.cast(pa.timestamp("s")).cast(pa.string()), "+00", "")
        if pa.types.is_timestamp(column.type)
        else column
        for column in table.columns
    ]
    sink = pa.BufferOutputStream()
    pacsv.write_csv(
        pa.table(columns, names=table.column_names),
        sink,
        write_options=pacsv.WriteOptions(include_header=False),
    )
    return sink.getvalue()


async def _blocks(payload: pa.Buffer, size: int = 1 << 20) -> AsyncIterator[memoryview]:
    view = memoryview(payload)
    for start in range(0, len(view), size):
        yield view[start : start + size]


class PostgresStage(Stage):
    """One pooled connection and one transaction for the whole batch, serialised with
    other imports by an advisory lock, so a code found missing stays missing until the
    batch commits. Per chunk: ask which rows are new or changed (content hash), COPY the
    new ones into ``dossier`` and the changed ones into a temporary table for the
    snapshots and the upsert; the server writes chunk k while Python parses k+1."""

    stage = "dossier_stage"
    lock = int.from_bytes(b"dossier", "big")  # pg_advisory_xact_lock key of dossier imports

    def __init__(self, merge: Merge) -> None:
        self.merge = merge
        self.conn: Any = None
        self.transaction: Any = None
        self.empty = False
        self.staged = False
        self.busy = asyncio.Lock()  # one statement at a time on the connection

    async def open(self) -> None:
        engine = db.engine()
        if getattr(engine, "pool", None) is None:
            await db.prepare()
        self._acquire = engine.pool.acquire()  # type: ignore[attr-defined]
        self.conn = await self._acquire.__aenter__()
        self.transaction = self.conn.transaction()
        await self.transaction.start()
        await self.conn.execute("SELECT pg_advisory_xact_lock($1)", self.lock)
        # A first load into an empty table (the file's duplicates are already removed):
        # every row is new, no need to look each code up.
        self.empty = not await self.conn.fetchval("SELECT EXISTS (SELECT 1 FROM dossier)")

    async def add(self, good: pa.Table | Path, counts: Counts) -> None:
        assert isinstance(good, pa.Table), "PostgreSQL stages Arrow tables"
        await self._add_rows(good, counts)

    async def _add_rows(self, good: pa.Table, counts: Counts) -> None:
        """May run while the previous chunk is being written: the connection is taken
        only to look codes up and to write, the CSV is made in between."""
        if not good.num_rows:
            return
        conn = self.conn
        if self.empty:
            new, changed = good, good.slice(0, 0)
        else:
            async with self.busy:
                known = await conn.fetch(
                    "SELECT c.i, d.code IS NULL AS new FROM unnest($1::text[], $2::bigint[])"
                    " WITH ORDINALITY AS c(code, h, i) LEFT JOIN dossier d ON d.code = c.code"
                    " WHERE d.content_hash IS DISTINCT FROM c.h",
                    good.column("code").to_pylist(),
                    good.column("content_hash").to_pylist(),
                )
            flags = np.zeros(good.num_rows, dtype=np.int8)  # 1 new, 2 changed
            for row in known:
                flags[row["i"] - 1] = 1 if row["new"] else 2
            new = good.filter(pa.array(flags == 1))
            changed = good.filter(pa.array(flags == 2))
        counts.inserted += new.num_rows
        counts.updated += changed.num_rows
        counts.unchanged += good.num_rows - new.num_rows - changed.num_rows
        params = self.merge.params()
        inserts = updates = None
        if new.num_rows:
            constants = {
                "batch": pa.scalar(self.merge.batch_id, pa.int64()),
                "evaluated_on": pa.scalar(self.merge.as_of, pa.date32()),
                "updated_at": pa.scalar(params["$4"].isoformat()),
                "due_seen_at": pa.scalar(self.merge.seen_at.isoformat()),
            }
            rows = new.select(list(ROW_COLUMNS))
            for name, value in constants.items():
                rows = rows.append_column(name, pa.repeat(value, rows.num_rows))
            inserts = (rows.column_names, await asyncio.to_thread(_csv, rows))
        if changed.num_rows:
            updates = await asyncio.to_thread(_csv, changed.select(list(ROW_COLUMNS)))
        async with self.busy:
            if inserts is not None:
                columns, payload = inserts
                await conn.copy_to_table(
                    "dossier", source=_blocks(payload), columns=columns, format="csv"
                )
            if updates is not None:
                await self._merge_changed(updates, params, counts)

    async def _merge_changed(
        self, payload: pa.Buffer, params: dict[str, Any], counts: Counts
    ) -> None:
        """Changed rows through the temporary table: due-date snapshots, then the upsert."""
        conn = self.conn
        if self.staged:
            await conn.execute(f"TRUNCATE {self.stage}")
        else:
            await conn.execute(_PG_STAGE_DDL.format(name=self.stage))
            self.staged = True
        await conn.copy_to_table(
            self.stage, source=_blocks(payload), columns=list(ROW_COLUMNS), format="csv"
        )
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
        await _reevaluate_snapshots(conn.fetch, conn.executemany, batch_id, self.merge)
        await conn.execute(*_renumber(*_finish_sql(batch_id, {**batch, **_count_columns(counts)})))
        await self.transaction.commit()
        self.transaction = None

    async def close(self) -> None:
        if self.conn is None:
            return
        try:
            if self.transaction is not None:
                await self.transaction.rollback()
        finally:
            await self._acquire.__aexit__(None, None, None)
            self.conn = None


def write_stage_file(path: Path, good: pa.Table) -> None:
    """The good rows of a chunk as a SQLite file of their own (table ``rows``, moments as
    UTC epoch seconds), for ``SqliteStage.add``. Binding each value is Python work: it is
    done here, in the CPU pool, so the web process only copies the file's rows."""
    connection = sqlite3.connect(path)
    try:
        connection.execute(f"CREATE TABLE rows ({', '.join(ROW_COLUMNS)})")
        placeholders = ", ".join("?" for _ in ROW_COLUMNS)
        connection.executemany(f"INSERT INTO rows VALUES ({placeholders})", _records(good))
        connection.commit()
    finally:
        connection.close()


def _records(good: pa.Table) -> list[tuple[Any, ...]]:
    """Rows for SQLite's executemany, moments as UTC epoch seconds."""
    columns = []
    for name in ROW_COLUMNS:
        column = good.column(name)
        if name in MOMENTS:
            column = column.cast(pa.timestamp("s")).cast(pa.int64())
        columns.append(column.to_pylist())
    return list(zip(*columns, strict=True))


class SqliteStage(Stage):
    """A per-batch table written one short IMMEDIATE transaction per chunk (SQLite has
    one writer: the web app keeps working between chunks); the merge is one more."""

    def __init__(self, merge: Merge) -> None:
        self.merge = merge
        self.name = f"dossier_stage_b{merge.batch_id}"
        self.busy = asyncio.Lock()  # SQLite has one writer

    async def open(self) -> None:
        async with db.atomic():
            conn = _sqlite_connection()
            await conn.execute(f"DROP TABLE IF EXISTS {self.name}")
            await conn.execute(_SQLITE_STAGE_DDL.format(name=self.name))

    async def add(self, good: pa.Table | Path, counts: Counts) -> None:
        """``good``: the rows, or a file ``write_stage_file`` wrote them to (the import's
        way: only SQLite's code touches them here)."""
        if isinstance(good, Path):
            columns = ", ".join(ROW_COLUMNS)
            async with self.busy, db.sqlite_write_attached(good, "chunk") as conn:
                await conn.execute(
                    f"INSERT INTO main.{self.name} ({columns}) SELECT {columns} FROM chunk.rows"
                )
            await asyncio.to_thread(good.unlink)
            return
        records = await asyncio.to_thread(_records, good)
        placeholders = ", ".join("?" for _ in ROW_COLUMNS)
        async with self.busy, db.atomic():
            await _sqlite_connection().executemany(
                f"INSERT INTO {self.name} ({', '.join(ROW_COLUMNS)}) VALUES ({placeholders})",
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

            await _reevaluate_snapshots(fetch, executemany, batch_id, self.merge)
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
    merge: Merge,
) -> None:
    """Dossiers of this batch with a due-date history: evaluated again with it, so a due
    date moved later without an apology (or after it had passed) is flagged."""
    columns = ", ".join(f"d.{c}" for c in ("id", "unit", "procedure", *FACTS, *PAUSE_MOMENTS))
    rows = await fetch(
        f"SELECT {columns}, d.extension_count FROM dossier d WHERE d.batch = $1 AND EXISTS"
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
        pd.DataFrame([dict(r) for r in rows]),
        pd.DataFrame([dict(s) for s in snapshots]),
        merge.as_of,
        merge.schedules,
        merge.restarting,
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
