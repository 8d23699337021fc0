# Long module: the snapshot's queries, both engines' readers and the pandas twins that pin
# what each aggregate query means share the column lists; to split (queries / twins) next.
"""Đọc số liệu: the rows a quarterly workbook is built from, read once with plain SQL
into pandas frames, and the hash that freezes them.

Everything is read for the reporting unit's subtree (a unit path prefix) and for the
span from the start of the reporting year (or of the previous quarter, whichever is
earlier) to the end of the period; findings reach a year further back, so a repeat
offence (tái phạm) is seen. Moments are stored in UTC; they are judged as local days in
``CONGVU_TIME_ZONE``.
"""

from __future__ import annotations

import asyncio
import hashlib
import io
import sqlite3
from dataclasses import dataclass, fields
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import asyncpg
import numpy as np
import pandas as pd
from congvu.inspect import cpu_pool, db
from congvu.inspect.settings import get_settings
from congvu.rules.periods import Period, PeriodKind
from piccolo.engine.sqlite import SQLiteEngine

# How far back a finding counts towards a repeat offence (tái phạm): twelve months, the
# escalation pack's window (rules/README.md, Escalation).
REPEAT_LOOKBACK = timedelta(days=366)

UNIT_COLUMNS = ["id", "code", "name", "kind", "parent", "path", "valid_from", "valid_to"]
INSPECTION_COLUMNS = [
    "id",
    "unit",
    "kind",
    "scheduled_date",
    "status",
    "started_at",
    "submitted_at",
    "minutes_number",
    "plan",
    "plan_title",
    "plan_document_no",
    "team_lead",
    "team_decision_number",
    "team_decision_date",
]
FINDING_COLUMNS = [
    "id",
    "inspection",
    "dossier_code",
    "official",
    "official_name",
    "unit",
    "violation_code",
    "rule_id",
    "rule_version",
    "legal_basis",
    "observed_at",
    "minutes_number",
    "state",
    "notified_at",
    "explanation_due",
    "explained_at",
    "outcome",
    "decided_at",
    "follow_up",
    "closed_at",
    "verified",
]
DOSSIER_COLUMNS = [
    "id",
    "code",
    "unit",
    "procedure",
    "status",
    "received_at",
    "due_at",
    "finished_at",
    "working_days_late",
    "flags",
]
# The dossiers counted per unit and status: those finished in the period, those still
# open at its end and, among them, those past due by then. At a million dossiers a few
# hundred rows leave the database instead of a million (tests/bench/README.md, P5). The
# apology counts are of the dossiers whose last verdict flagged the letter (thư xin lỗi)
# missing or sent too late: only late or overdue dossiers need one (rules/dossiers.py).
DOSSIER_COUNT_COLUMNS = [
    "unit",
    "status",
    "finished_in_period",
    "open_at_end",
    "open_overdue",
    "apology_missing",
    "apology_late",
]
APOLOGY_FLAGS = {"apology_missing": "APOLOGY_MISSING", "apology_late": "APOLOGY_LATE"}
COUNT_KEYS = ["unit", "status"]
# The dossiers a report covers: received before the period's end, not finished before its
# start. Arguments: the unit path pattern, the period's end, its start (UTC moments).
DOSSIERS_OF_WINDOW = (
    " FROM dossier d JOIN unit u ON u.id = d.unit"
    " WHERE u.path LIKE {} AND d.received_at < {}"
    " AND (d.finished_at IS NULL OR d.finished_at >= {})"
)
# The findings' aggregates the figures need, counted by the database: at a million
# dossiers a hundred thousand finding rows through COPY were most of P5's remaining time
# (tests/bench/README.md, P5); a few thousand counts leave it instead. The rows are read
# by the sheets that list them (``read_finding_rows_here``).
# Per unit, quarter (1: the period, 0: the previous quarter), follow-up form, whether an
# official is named, confirmed, handled (a follow-up decided or closed) and remedied
# (verified or closed): the violations, i.e. current findings not dismissed.
FINDING_COUNT_COLUMNS = [
    "unit",
    "quarter",
    "follow_up",
    "by_person",
    "confirmed",
    "handled",
    "remedied",
    "violations",
]
FINDING_COUNT_KEYS = FINDING_COUNT_COLUMNS[:-1]
# The period's violations per inspection and violation code (the Kết quả sheet).
FINDING_RESULT_COLUMNS = ["inspection", "violation_code", "violations"]
# Officials with a violation in the period and two or more over the read's twelve months
# (tái phạm), with the unit of their latest one.
FINDING_REPEAT_COLUMNS = ["official", "official_name", "unit", "quarter", "year"]
# The findings a report reads: current ones of the subtree observed in [{}, {}).
FINDINGS_OF_WINDOW = (
    " FROM finding f JOIN unit u ON u.id = f.unit"
    " LEFT JOIN finding_review r ON r.finding = f.id"
    " WHERE u.path LIKE {} AND f.version_state = 'current'"
    " AND f.observed_at >= {} AND f.observed_at < {}"
)
NOT_DISMISSED = " AND (r.outcome IS NULL OR r.outcome <> 'dismissed')"


@dataclass(frozen=True)
class Window:
    """The days a report reads: the period, the year to date, the previous quarter."""

    period: Period
    year_start: date
    previous: Period

    @property
    def first_read_day(self) -> date:
        return min(self.year_start, self.previous.first_day)

    @staticmethod
    def of(period: Period) -> Window:
        year = Period(PeriodKind.YEAR, period.year, 1, period.scheme)
        index = period.year * 4 + period.number - 2
        previous = Period(PeriodKind.QUARTER, index // 4, index % 4 + 1, period.scheme)
        return Window(period, year.first_day, previous)


@dataclass(frozen=True)
class ReportData:
    """What a workbook's figures are computed from, each frame sorted (so the hash is
    stable). The dossiers come counted (``DOSSIER_COUNT_COLUMNS``), with a digest of
    their rows; the raw sheet reads the rows themselves (``read_dossier_rows_here``). The
    findings come counted too; their rows only when asked for, and the sheets that list
    them read their own (``read_finding_rows_here``)."""

    units: pd.DataFrame
    inspections: pd.DataFrame
    attendance: pd.DataFrame  # inspection, official: who was checked
    # The findings row by row (the dashboard's calibration and draw): empty when read
    # without ``finding_rows``; the figures use the counts below.
    findings: pd.DataFrame
    dossier_counts: pd.DataFrame
    finding_counts: pd.DataFrame  # FINDING_COUNT_COLUMNS
    finding_results: pd.DataFrame  # FINDING_RESULT_COLUMNS
    finding_repeats: pd.DataFrame  # FINDING_REPEAT_COLUMNS
    # Every dossier row of the window hashed by the database, when asked for (a build's
    # version check): "" otherwise. Not an aggregate: P5 reads without it.
    dossier_digest: str = ""
    # The same for the window's finding rows, so that a build need not read them to see
    # a changed legal basis or explanation date (the figures only count them).
    finding_digest: str = ""

    def data_hash(self) -> str:
        """sha256 over every frame's columns and rows and the rows' digests: same rows,
        same hash, whatever the order the database returned them in. The digests are the
        engine's own, so the hash differs between the two engines."""
        digest = hashlib.sha256()
        for field in fields(self):
            value = getattr(self, field.name)
            if isinstance(value, str):
                digest.update(f"{field.name}:{value}\n".encode())
                continue
            frame: pd.DataFrame = value
            digest.update(f"{field.name}:{','.join(frame.columns)}:{len(frame)}\n".encode())
            if len(frame):
                rows = pd.util.hash_pandas_object(_canonical(frame), index=False)
                digest.update(np.ascontiguousarray(rows.to_numpy(dtype=np.uint64)).tobytes())
        return digest.hexdigest()


def _canonical(frame: pd.DataFrame) -> pd.DataFrame:
    """Every cell as text: SQLite and PostgreSQL return the same value as different
    Python types (a bool as 0/1, a date as text), which would hash differently."""
    out = pd.DataFrame(index=frame.index)
    for column in frame.columns:
        values = frame[column]
        if pd.api.types.is_datetime64_any_dtype(values):
            out[column] = values.dt.strftime("%Y-%m-%dT%H:%M:%S").fillna("")
        elif pd.api.types.is_bool_dtype(values) or pd.api.types.is_integer_dtype(values):
            out[column] = values.astype("int64").astype(str)
        else:
            out[column] = values.map(_text)
    return out


def _text(value: object) -> str:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value)


def utc_bounds(first: date, last: date, zone: ZoneInfo) -> tuple[datetime, datetime]:
    """[start of ``first``, start of the day after ``last``) in local time, as UTC."""
    start = datetime.combine(first, time(0), zone)
    end = datetime.combine(last + timedelta(days=1), time(0), zone)
    return start.astimezone(UTC), end.astimezone(UTC)


def local_days(values: pd.Series, zone: ZoneInfo) -> pd.Series:
    """UTC moments (datetimes or the text SQLite returns for an expression) as naive
    local days (datetime64 at midnight); missing stays NaT."""
    moments = pd.to_datetime(values, utc=True, format="ISO8601")
    return moments.dt.tz_convert(zone).dt.tz_localize(None).dt.normalize()


def _dates(frame: pd.DataFrame, names: tuple[str, ...]) -> None:
    for name in names:
        frame[name] = pd.to_datetime(frame[name], format="ISO8601").astype("datetime64[ns]")


def _moments(frame: pd.DataFrame, names: tuple[str, ...], zone: ZoneInfo) -> None:
    for name in names:
        frame[name] = (
            pd.to_datetime(frame[name], utc=True, format="ISO8601")
            .dt.tz_convert(zone)
            .dt.tz_localize(None)
            .astype("datetime64[ns]")
        )


Query = tuple[
    str, tuple[object, ...], list[str]
]  # SQL with {} placeholders, its arguments, columns


def _finding_rows_query(like: str, start: datetime, end: datetime, *, names: bool) -> Query:
    """The current findings of the subtree observed in [start, end), one row each (with
    their unit's name for a sheet)."""
    unit_name = ", u.name AS unit_name" if names else ""
    return (
        "SELECT f.id, f.inspection,"
        # Looked up by its key: joined, PostgreSQL hashed the whole dossier table (a
        # million rows) for the few findings that name a dossier.
        " (SELECT d.code FROM dossier d WHERE d.id = f.dossier) AS dossier_code,"
        " f.official,"
        " o.full_name AS official_name, f.unit, f.violation_code, f.rule_id,"
        " f.rule_version, f.legal_basis, f.observed_at, i.minutes_number,"
        " r.state, r.notified_at, r.explanation_due,"
        " x.explained_at,"
        " r.outcome, r.decided_at, r.follow_up, r.closed_at,"
        " CASE WHEN r.verified_by_inspection IS NOT NULL"
        "  OR r.verified_by_evidence IS NOT NULL THEN 1 ELSE 0 END AS verified"
        + unit_name
        + " FROM finding f JOIN unit u ON u.id = f.unit"
        " LEFT JOIN official o ON o.id = f.official"
        " LEFT JOIN inspection i ON i.id = f.inspection"
        " LEFT JOIN finding_review r ON r.finding = f.id"
        # The first explanation of each review, grouped once: a subquery per finding
        # was most of the findings' time on the server (tests/bench/README.md, P5).
        " LEFT JOIN (SELECT e.review, MIN(e.submitted_at) AS explained_at"
        "  FROM explanation e GROUP BY e.review) x ON x.review = r.id"
        " WHERE u.path LIKE {} AND f.version_state = 'current'"
        " AND f.observed_at >= {} AND f.observed_at < {}",
        (like, start, end),
        [*FINDING_COLUMNS, "unit_name"] if names else FINDING_COLUMNS,
    )


def _finding_aggregates(
    like: str, start: datetime, end: datetime, window: Window, zone: ZoneInfo
) -> dict[str, Query]:
    """The three counts of the findings ``compute_figures`` uses, judged against the
    local-midnight bounds of the period and of the previous quarter as UTC instants (as
    the dossiers' counts are)."""
    period_start, _ = utc_bounds(window.period.first_day, window.period.last_day, zone)
    previous_start, previous_end = utc_bounds(
        window.previous.first_day, window.previous.last_day, zone
    )
    in_period = "f.observed_at >= {} AND f.observed_at < {}"
    flag = "CASE WHEN {} THEN 1 ELSE 0 END"
    return {
        "finding_counts": (
            "SELECT f.unit, "
            + flag.format(in_period)
            + " AS quarter, r.follow_up, "
            + flag.format("f.official IS NOT NULL")
            + " AS by_person, "
            + flag.format("r.outcome = 'confirmed'")
            + " AS confirmed, "
            + flag.format("r.follow_up IS NOT NULL OR r.closed_at IS NOT NULL")
            + " AS handled, "
            + flag.format(
                "r.verified_by_inspection IS NOT NULL OR r.verified_by_evidence IS NOT NULL"
                " OR r.closed_at IS NOT NULL"
            )
            + " AS remedied, COUNT(*) AS violations"
            + FINDINGS_OF_WINDOW
            + NOT_DISMISSED
            + " AND ((f.observed_at >= {} AND f.observed_at < {})"
            " OR (f.observed_at >= {} AND f.observed_at < {}))"
            " GROUP BY 1, 2, 3, 4, 5, 6, 7",
            (period_start, end, like, start, end, period_start, end, previous_start, previous_end),
            FINDING_COUNT_COLUMNS,
        ),
        "finding_results": (
            "SELECT f.inspection, f.violation_code, COUNT(*) AS violations"
            + FINDINGS_OF_WINDOW
            + NOT_DISMISSED
            + " AND f.inspection IS NOT NULL GROUP BY f.inspection, f.violation_code",
            (like, period_start, end),
            FINDING_RESULT_COLUMNS,
        ),
        # Grouped (hashed) rather than ranked by a window function: sorting the window's
        # findings per official took four times as long on PostgreSQL. The latest
        # violation (its unit) is then found among the repeat offenders' alone.
        "finding_repeats": (
            "WITH g AS (SELECT f.official, MAX(f.observed_at) AS latest,"
            " SUM(CASE WHEN f.observed_at >= {} THEN 1 ELSE 0 END) AS quarter,"
            " COUNT(*) AS year"
            + FINDINGS_OF_WINDOW
            + NOT_DISMISSED
            + " AND f.official IS NOT NULL GROUP BY f.official"
            " HAVING SUM(CASE WHEN f.observed_at >= {} THEN 1 ELSE 0 END) > 0"
            " AND COUNT(*) >= 2),"
            " l AS (SELECT f.official, MAX(f.id) AS id"
            + FINDINGS_OF_WINDOW.replace(
                " JOIN unit u",
                " JOIN g ON g.official = f.official AND g.latest = f.observed_at JOIN unit u",
                1,
            )
            + NOT_DISMISSED
            + " GROUP BY f.official)"
            " SELECT g.official, o.full_name AS official_name, lf.unit, g.quarter, g.year"
            " FROM g JOIN l ON l.official = g.official JOIN finding lf ON lf.id = l.id"
            " LEFT JOIN official o ON o.id = g.official",
            (period_start, like, start, end, period_start, like, start, end),
            FINDING_REPEAT_COLUMNS,
        ),
    }


def _queries(
    unit_path: str,
    window: Window,
    zone: ZoneInfo,
    *,
    digest: bool = False,
    finding_rows: bool = True,
) -> dict[str, Query]:
    like = f"{unit_path}%"
    first, last = window.first_read_day, window.period.last_day
    start, end = utc_bounds(first, last, zone)
    period_start, _ = utc_bounds(window.period.first_day, last, zone)
    dossier_args = (like, end, period_start)
    queries: dict[str, Query] = {
        "units": (
            "SELECT id, code, name, kind, parent, path, valid_from, valid_to FROM unit"
            " WHERE path LIKE {}",
            (like,),
            UNIT_COLUMNS,
        ),
        "inspections": (
            "SELECT i.id, i.unit, i.kind, i.scheduled_date, i.status, i.started_at,"
            " i.submitted_at, i.minutes_number, i.plan, p.title AS plan_title,"
            " p.document_no AS plan_document_no,"
            " (SELECT MIN(a.display_name) FROM inspection_member m"
            '  JOIN account a ON a.id = m."user"'
            "  WHERE m.inspection = i.id AND m.role = 'truong_doan') AS team_lead,"
            " i.team_decision_number, i.team_decision_date"
            " FROM inspection i JOIN unit u ON u.id = i.unit"
            " LEFT JOIN inspection_plan p ON p.id = i.plan"
            " WHERE u.path LIKE {} AND i.scheduled_date >= {} AND i.scheduled_date <= {}",
            (like, first, last),
            INSPECTION_COLUMNS,
        ),
        "attendance": (
            "SELECT DISTINCT c.inspection AS inspection, c.official AS official"
            " FROM attendance_check c JOIN inspection i ON i.id = c.inspection"
            " JOIN unit u ON u.id = i.unit"
            " WHERE u.path LIKE {} AND i.scheduled_date >= {} AND i.scheduled_date <= {}",
            (like, first, last),
            ["inspection", "official"],
        ),
        # Grouped by unit and status only, the facts summed: grouped by the facts too,
        # PostgreSQL guessed a hundred thousand groups and sorted a million rows on disk
        # (2.4 s at a million dossiers, against 0.6 s hashed).
        "dossier_counts": (
            "SELECT d.unit, d.status,"
            " SUM(CASE WHEN d.finished_at >= {} AND d.finished_at < {} THEN 1 ELSE 0 END)"
            " AS finished_in_period,"
            " SUM(CASE WHEN d.finished_at IS NULL OR d.finished_at >= {} THEN 1 ELSE 0 END)"
            " AS open_at_end,"
            " SUM(CASE WHEN (d.finished_at IS NULL OR d.finished_at >= {}) AND d.due_at < {}"
            " THEN 1 ELSE 0 END) AS open_overdue, "
            + ", ".join(
                f"SUM(CASE WHEN d.flags LIKE '%{flag}%' THEN 1 ELSE 0 END) AS {name}"
                for name, flag in APOLOGY_FLAGS.items()
            )
            + DOSSIERS_OF_WINDOW
            + " GROUP BY d.unit, d.status",
            (period_start, end, end, end, end, *dossier_args),
            DOSSIER_COUNT_COLUMNS,
        ),
        **_finding_aggregates(like, start - REPEAT_LOOKBACK, end, window, zone),
    }
    findings = _finding_rows_query(like, start - REPEAT_LOOKBACK, end, names=False)
    if finding_rows:
        queries["findings"] = findings
    if digest:
        # Two 64-bit hashes of each row's text summed (order-free, no overflow: numeric)
        # and the count: the rows never leave the server. Moments enter as epoch numbers,
        # a third cheaper to write as text than timestamps. SQLite has no hash function:
        # ``_sqlite_read`` hashes the rows of ``SQLITE_DOSSIER_ROWS`` instead.
        queries["dossier_digest"] = (
            "SELECT md5(COUNT(*) || ':' || COALESCE(SUM(hashtextextended(t, 0)), 0)"
            " || ':' || COALESCE(SUM(hashtextextended(t, 1)), 0)) AS digest"
            " FROM (SELECT concat_ws('|', "
            + ", ".join(_digest_cell(c) for c in DOSSIER_COLUMNS)
            + ") AS t"
            + DOSSIERS_OF_WINDOW
            + ") s",
            dossier_args,
            ["digest"],
        )
        rows_sql, rows_args, rows_columns = findings
        queries["finding_digest"] = (
            "SELECT md5(COUNT(*) || ':' || COALESCE(SUM(hashtextextended(t, 0)), 0)"
            " || ':' || COALESCE(SUM(hashtextextended(t, 1)), 0)) AS digest"
            " FROM (SELECT concat_ws('|', "
            + ", ".join(_digest_cell(c, "q") for c in rows_columns)
            + ") AS t FROM ("
            + rows_sql
            + ") q) s",
            rows_args,
            ["digest"],
        )
    return queries


def _digest_cell(column: str, table: str = "d") -> str:
    """A cell as the digest's text: NULL as its own mark (``concat_ws`` would skip it and
    shift the next cell), a moment as its epoch seconds."""
    if column.endswith("_at"):
        return f"COALESCE(date_part('epoch', {table}.{column})::text, '-')"
    return f"COALESCE({table}.{column}::text, '-')"


def _sqlite_argument(value: object) -> object:
    """An argument as SQLite stores the column: Piccolo writes a moment in UTC as
    "2026-01-05 02:00:00+00:00" and a day as "2026-01-05", compared as text."""
    if isinstance(value, datetime):
        return str(value.astimezone(UTC))
    if isinstance(value, date):
        return value.isoformat()
    return value


def _sqlite_read(path: str, queries: dict[str, Query]) -> dict[str, pd.DataFrame]:
    """Every query in one read transaction on a connection of its own, rows straight into
    pandas: no per-cell converter, no dict per row (tests/bench/README.md, P5). In WAL
    mode the transaction sees one consistent state while writers go on."""
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        connection.execute("BEGIN")
        frames = {}
        for name, (sql, args, columns) in queries.items():
            arguments = [_sqlite_argument(a) for a in args]
            if name in SQLITE_DIGEST_ROWS:
                digest = _sqlite_digest(connection, SQLITE_DIGEST_ROWS[name], arguments)
                frames[name] = pd.DataFrame({"digest": [digest]})
                continue
            # fetchall + from_records: a third of read_sql_query's time on pandas 3.
            rows = connection.execute(sql.replace("{}", "?"), arguments).fetchall()
            frames[name] = pd.DataFrame.from_records(rows, columns=columns)
        return frames
    finally:
        connection.close()


SQLITE_DOSSIER_ROWS = (
    "SELECT " + ", ".join(f"d.{c}" for c in DOSSIER_COLUMNS) + DOSSIERS_OF_WINDOW + " ORDER BY d.id"
)
# The rows each digest covers on SQLite, in a fixed order, with the digest query's
# arguments: the window's dossiers, the window's findings.
SQLITE_DIGEST_ROWS = {
    "dossier_digest": SQLITE_DOSSIER_ROWS,
    "finding_digest": _finding_rows_query("", datetime.min, datetime.min, names=False)[0]
    + " ORDER BY f.id",
}


def _sqlite_digest(connection: sqlite3.Connection, rows_sql: str, arguments: list[object]) -> str:
    """sha256 of a window's rows in id order, streamed: no frame is built."""
    digest = hashlib.sha256()
    cursor = connection.execute(rows_sql.replace("{}", "?"), arguments)
    while rows := cursor.fetchmany(10_000):
        digest.update(repr(rows).encode())
    return digest.hexdigest()


async def _read(queries: dict[str, Query]) -> dict[str, pd.DataFrame]:
    engine = db.engine()
    if isinstance(engine, SQLiteEngine):
        return await asyncio.to_thread(_sqlite_read, engine.path, queries)
    return await _postgres_read(get_settings().database_url, queries)


def _sorted(frame: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    return frame.sort_values(by, kind="stable").reset_index(drop=True) if len(frame) else frame


# The columns read as numbers (ids, counts, bits); every other column is text (a code
# "0012" keeps its zeros, a rule version "2025.1" is not a float), parsed into dates later.
NUMERIC_COLUMNS = frozenset(
    {"id", "unit", "parent", "inspection", "official", "plan", "working_days_late", "flags"}
    | {"verified", "finished_in_period", "open_at_end", "open_overdue", *APOLOGY_FLAGS}
    | {"quarter", "by_person", "confirmed", "handled", "remedied", "violations", "year"}
)
# COPY writes NULL as this mark, so an empty text stays "" and only NULL is missing.
COPY_NULL = "\\N"


def csv_frame(content: bytes, columns: list[str]) -> pd.DataFrame:
    """COPY's CSV into a frame by pandas' own C reader, no Python object per cell
    (tests/bench/README.md, P5). Types are inferred as the P5 baseline infers them (an
    explicit text dtype costs the reader three times as much); a text column inferred as
    numbers ("0012") is read again as text, one all missing becomes missing text."""
    if not content:
        return pd.DataFrame({c: pd.Series(dtype="float64" if c in NUMERIC_COLUMNS else "str")
                             for c in columns})  # fmt: skip
    options: dict[str, Any] = {
        "names": columns,
        "header": None,
        "keep_default_na": False,
        "na_values": [COPY_NULL],
    }
    frame = pd.read_csv(io.BytesIO(content), **options)
    texts = [c for c in columns if c not in NUMERIC_COLUMNS]
    empty = [c for c in texts if frame[c].isna().all()]
    for name in empty:
        frame[name] = pd.Series(np.full(len(frame), None, dtype=object)).astype("str")
    numeric = [c for c in texts if c not in empty and not pd.api.types.is_string_dtype(frame[c])]
    if numeric:
        again = pd.read_csv(
            io.BytesIO(content), usecols=numeric, dtype=dict.fromkeys(numeric, "str"), **options
        )
        for name in numeric:
            frame[name] = again[name]
    return frame


async def _postgres_read(dsn: str, queries: dict[str, Query]) -> dict[str, pd.DataFrame]:
    """Every query on a connection of its own (a process of the CPU pool has no pool of
    connections) in one snapshot of the database, each result streamed by ``COPY (query)
    TO STDOUT`` as CSV into ``csv_frame``: asyncpg's records and a DataFrame built from
    them cost a Python object per cell, the figures' main cost at a million dossiers.
    Moments are written in UTC, as SQLite stores them."""
    conn = await asyncpg.connect(dsn)
    try:
        frames = {}
        async with conn.transaction(isolation="repeatable_read", readonly=True):
            await conn.execute("SET LOCAL TIME ZONE 'UTC'")
            for name, (sql, args, columns) in queries.items():
                numbered = sql
                for n in range(1, sql.count("{}") + 1):
                    numbered = numbered.replace("{}", f"${n}", 1)
                out = io.BytesIO()
                await conn.copy_from_query(
                    numbered, *args, output=out, format="csv", null=COPY_NULL
                )
                frames[name] = csv_frame(out.getvalue(), columns)
        return frames
    finally:
        await conn.close()


def _read_here(queries: dict[str, Query]) -> dict[str, pd.DataFrame]:
    engine = db.engine()
    if isinstance(engine, SQLiteEngine):
        return _sqlite_read(engine.path, queries)
    return asyncio.run(_postgres_read(get_settings().database_url, queries))


def read_report_data_here(
    unit_path: str,
    window: Window,
    zone: ZoneInfo,
    *,
    digest: bool = False,
    finding_rows: bool = True,
) -> ReportData:
    """``read_report_data`` for a process of the CPU pool, where the frames are built and
    aggregated without holding up the web process (no event loop runs here)."""
    cpu_pool.off_loop()
    queries = _queries(unit_path, window, zone, digest=digest, finding_rows=finding_rows)
    return _report_data(_read_here(queries), zone)


async def read_report_data(
    unit_path: str,
    window: Window,
    zone: ZoneInfo,
    *,
    digest: bool = False,
    finding_rows: bool = True,
) -> ReportData:
    """The rows of ``unit_path``'s subtree a workbook for ``window`` needs (the dossiers
    and the findings counted, ``DOSSIER_COUNT_COLUMNS``, ``FINDING_COUNT_COLUMNS``…);
    the findings' rows too unless ``finding_rows`` is false (``compute_figures`` does not
    use them); with ``digest``, the dossier and finding rows' digests read in the same
    snapshot (``ReportData.dossier_digest``, ``finding_digest``)."""
    queries = _queries(unit_path, window, zone, digest=digest, finding_rows=finding_rows)
    return _report_data(await _read(queries), zone)


def _period_findings_query(unit_path: str, window: Window, zone: ZoneInfo) -> dict[str, Query]:
    start, end = utc_bounds(window.period.first_day, window.period.last_day, zone)
    return {"findings": _finding_rows_query(f"{unit_path}%", start, end, names=True)}


def read_finding_rows_here(unit_path: str, window: Window, zone: ZoneInfo) -> pd.DataFrame:
    """The period's findings row by row, dismissed ones included, with their unit's name,
    in the order the sheets list them (Phát hiện, DL Phát hiện); in a process of the CPU
    pool. Read apart from the figures, which only need them counted."""
    cpu_pool.off_loop()
    return _finding_rows(_read_here(_period_findings_query(unit_path, window, zone)), zone)


async def read_finding_rows(unit_path: str, window: Window, zone: ZoneInfo) -> pd.DataFrame:
    """``read_finding_rows_here`` on the event loop (benchmarks, tests)."""
    return _finding_rows(await _read(_period_findings_query(unit_path, window, zone)), zone)


def _finding_rows(frames: dict[str, pd.DataFrame], zone: ZoneInfo) -> pd.DataFrame:
    findings = _findings(frames["findings"], zone)
    return findings.sort_values(["observed_at", "id"]).reset_index(drop=True)


def _findings(frame: pd.DataFrame, zone: ZoneInfo) -> pd.DataFrame:
    findings = _sorted(frame, ["id"])
    _moments(
        findings,
        ("observed_at", "notified_at", "explained_at", "decided_at", "closed_at"),
        zone,
    )
    _dates(findings, ("explanation_due",))
    findings["verified"] = findings["verified"].fillna(0).astype("int64")
    return findings


def _dossier_rows_query(unit_path: str, window: Window, zone: ZoneInfo) -> dict[str, Query]:
    period_start, end = utc_bounds(window.period.first_day, window.period.last_day, zone)
    columns = ", ".join(f"d.{c}" for c in DOSSIER_COLUMNS)
    return {
        "dossiers": (
            f"SELECT {columns}, u.name AS unit_name" + DOSSIERS_OF_WINDOW,
            (f"{unit_path}%", end, period_start),
            [*DOSSIER_COLUMNS, "unit_name"],
        )
    }


def read_dossier_rows_here(unit_path: str, window: Window, zone: ZoneInfo) -> pd.DataFrame:
    """The window's dossiers row by row, with their unit's name (the raw data sheet, DL
    Hồ sơ), moments as local times; in a process of the CPU pool. Read apart from the
    figures, which only need them counted."""
    cpu_pool.off_loop()
    return _dossier_rows(_read_here(_dossier_rows_query(unit_path, window, zone)), zone)


async def read_dossier_rows(unit_path: str, window: Window, zone: ZoneInfo) -> pd.DataFrame:
    """``read_dossier_rows_here`` on the event loop (benchmarks, tests)."""
    return _dossier_rows(await _read(_dossier_rows_query(unit_path, window, zone)), zone)


def _dossier_rows(frames: dict[str, pd.DataFrame], zone: ZoneInfo) -> pd.DataFrame:
    dossiers = _sorted(frames["dossiers"], ["id"])
    _moments(dossiers, ("received_at", "due_at", "finished_at"), zone)
    return dossiers


def count_dossiers(rows: pd.DataFrame, window: Window) -> pd.DataFrame:
    """The ``dossier_counts`` query in pandas, from the rows (local times) of the same
    window: the equivalence tests' oracle and the P5 baseline's aggregate."""
    end = pd.Timestamp(window.period.last_day) + pd.Timedelta(days=1)
    finished = rows["finished_at"]
    still_open = finished.isna() | (finished >= end)
    facts = pd.DataFrame(
        {
            "unit": rows["unit"],
            "status": rows["status"],
            "finished_in_period": (finished >= pd.Timestamp(window.period.first_day))
            & (finished < end),
            "open_at_end": still_open,
            "open_overdue": still_open & (rows["due_at"] < end),
            **{
                name: rows["flags"].fillna("").str.contains(flag, regex=False)
                for name, flag in APOLOGY_FLAGS.items()
            },
        }
    )
    counted = facts.groupby(COUNT_KEYS, dropna=False).sum()
    return _counts(counted.reset_index())


def _counts(frame: pd.DataFrame) -> pd.DataFrame:
    """One dtype per column whatever the engine (CSV reads an empty result as floats)."""
    out = frame[DOSSIER_COUNT_COLUMNS].copy()
    for name in DOSSIER_COUNT_COLUMNS:
        if name != "status":
            out[name] = out[name].astype("int64")
    out["status"] = out["status"].astype("str")
    return _sorted(out, COUNT_KEYS)


def count_findings(rows: pd.DataFrame, window: Window) -> dict[str, pd.DataFrame]:
    """The findings' aggregate queries in pandas, from the rows (local times) the report
    reads (``ReportData.findings``): the equivalence tests' oracle and the P5 baseline's
    aggregates."""
    days = rows["observed_at"].dt.normalize()
    period, previous = window.period, window.previous
    in_period = days.between(pd.Timestamp(period.first_day), pd.Timestamp(period.last_day))
    in_previous = days.between(pd.Timestamp(previous.first_day), pd.Timestamp(previous.last_day))
    violations = rows[rows["outcome"].fillna("") != "dismissed"]
    # Masks over all rows, narrowed to the violations' index (no pandas reindex warning).
    counted = violations[(in_period | in_previous)[violations.index]]
    closed = counted["closed_at"].notna()
    facts = pd.DataFrame(
        {
            "unit": counted["unit"],
            "quarter": in_period[counted.index].astype("int64"),
            "follow_up": counted["follow_up"],
            "by_person": counted["official"].notna().astype("int64"),
            "confirmed": (counted["outcome"] == "confirmed").astype("int64"),
            "handled": (counted["follow_up"].notna() | closed).astype("int64"),
            "remedied": ((counted["verified"] == 1) | closed).astype("int64"),
        }
    )
    counts = facts.groupby(FINDING_COUNT_KEYS, dropna=False).size().rename("violations")
    current = violations[in_period[violations.index]]
    found = current[current["inspection"].notna()]
    results = found.groupby(["inspection", "violation_code"]).size().rename("violations")
    named = violations[violations["official"].notna()]
    ordered = named.sort_values(["observed_at", "id"])
    per_official = ordered.groupby("official")
    repeats = per_official.tail(1).set_index("official")[["official_name", "unit"]]
    repeats = repeats.assign(
        quarter=in_period[named.index].groupby(named["official"]).sum(),
        year=per_official.size(),
    )
    repeats = repeats[(repeats["quarter"] > 0) & (repeats["year"] >= 2)]
    return {
        "finding_counts": _finding_counts(counts.reset_index()),
        "finding_results": _finding_results(results.reset_index()),
        "finding_repeats": _finding_repeats(repeats.reset_index()),
    }


def _finding_counts(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame[FINDING_COUNT_COLUMNS].copy()
    for name in FINDING_COUNT_COLUMNS:
        if name != "follow_up":
            out[name] = out[name].astype("int64")
    out["follow_up"] = out["follow_up"].astype("str")
    return _sorted(out, FINDING_COUNT_KEYS)


def _finding_results(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame[FINDING_RESULT_COLUMNS].copy()
    out["inspection"] = out["inspection"].astype("int64")
    out["violations"] = out["violations"].astype("int64")
    out["violation_code"] = out["violation_code"].astype("str")
    return _sorted(out, ["inspection", "violation_code"])


def _finding_repeats(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame[FINDING_REPEAT_COLUMNS].copy()
    for name in ("official", "unit", "quarter", "year"):
        out[name] = out[name].astype("int64")
    out["official_name"] = out["official_name"].astype("str")
    return _sorted(out, ["official"])


def _report_data(frames: dict[str, pd.DataFrame], zone: ZoneInfo) -> ReportData:
    units = _sorted(frames["units"], ["id"])
    _dates(units, ("valid_from", "valid_to"))
    inspections = _sorted(frames["inspections"], ["id"])
    _dates(inspections, ("scheduled_date", "team_decision_date"))
    _moments(inspections, ("started_at", "submitted_at"), zone)
    attendance = _sorted(frames["attendance"], ["inspection", "official"])
    findings = _findings(
        frames.get("findings", pd.DataFrame({c: [] for c in FINDING_COLUMNS})), zone
    )

    def digest(name: str) -> str:
        return str(frames[name]["digest"].iloc[0]) if name in frames else ""

    return ReportData(
        units,
        inspections,
        attendance,
        findings,
        _counts(frames["dossier_counts"]),
        _finding_counts(frames["finding_counts"]),
        _finding_results(frames["finding_results"]),
        _finding_repeats(frames["finding_repeats"]),
        digest("dossier_digest"),
        digest("finding_digest"),
    )
