"""The quarterly workbook: its aggregates (P5) and the whole file (P6) against baselines
measured in the same run.

    uv run python tests/bench/bench_report.py [--dossiers N] [--findings M] [--rounds R]
    # default 100,000 dossiers and 10,000 findings; the full size: 1000000 / 100000

Seeds a throw-away SQLite database (under a temporary directory, removed at the end) with
one province, 40 communes with a one-stop centre each, 25 officials a commune, a quarter of
inspections with people checked, N dossiers and M findings in Q1/2026, written with
sqlite3's ``executemany`` (the seed is not what is measured). Then, in R alternating
rounds (medians; the ratio is the median of the rounds' own ratios):

* P5: ``read_report_data`` + ``compute_figures`` (the dossiers counted in SQL, the small
  tables into pandas, then the aggregates) against pandas alone reading the same rows, the
  window's dossiers included, from CSV files and computing the same aggregates (target
  ≤ 1.0×);
* P6: the raw sheet's dossier rows read (``read_dossier_rows_here``) and ``write_workbook``
  (every sheet, formulas, charts, the raw data sheets) against bare
  xlsxwriter in ``constant_memory`` writing the same raw rows with ``write_row`` (target
  ≤ 1.2×) and against ``DataFrame.to_excel`` of the same frames (the workbook at least
  1.6× faster); the peak of Python allocations (tracemalloc) of each.

Prints timings and ratios; never fails on timing.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import shutil
import sqlite3
import sys
import tempfile
import time
import tracemalloc
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

# The repository root, for tests.bench.table.
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
RUN = Path(tempfile.mkdtemp(prefix="congvu-bench-report-"))
# The PostgreSQL server to read from instead of SQLite (a throw-away database on it).
POSTGRES_SERVER = os.environ.get("CONGVU_TEST_DATABASE_URL")
POSTGRES = False
os.environ["CONGVU_VAR_DIR"] = str(RUN / "var")
os.environ["CONGVU_DATABASE_URL"] = f"sqlite:///{RUN / 'bench.sqlite3'}"
os.environ["PICCOLO_CONF"] = "congvu.inspect.piccolo_conf"
for name in [
    k
    for k in os.environ
    if k.startswith("CONGVU_")
    and k
    not in (
        "CONGVU_VAR_DIR",
        "CONGVU_DATABASE_URL",
    )
]:
    del os.environ[name]

COMMUNES = 40
STAFF = 25
CODES = ["LATE_ARRIVAL", "EARLY_LEAVE", "NO_CARD", "PRIVATE_BUSINESS", "NO_HOTLINE_POSTED"]
STATUSES = ["early", "on_time", "on_time", "late", "in_progress", "overdue"]
APOLOGY_FLAGS = ("", "APOLOGY_MISSING", "APOLOGY_LATE")
FIRST = date(2025, 12, 15)


def _iso(moment: datetime) -> str:
    """As Piccolo stores a moment on SQLite: UTC, "2026-01-05 02:00:00+00:00"."""
    return str(moment.astimezone(UTC))


class Batches:
    """The seed's INSERTs, each with its rows as SQLite stores them (moments as UTC text,
    days as ISO text, booleans as 0/1), written by ``sqlite3`` or by PostgreSQL's COPY."""

    def __init__(self) -> None:
        self.batches: list[tuple[str, list[tuple[Any, ...]]]] = []

    def executemany(self, sql: str, rows: list[tuple[Any, ...]]) -> None:
        self.batches.append((sql, rows))

    def to_sqlite(self, database: Path) -> None:
        connection = sqlite3.connect(database)
        for sql, rows in self.batches:
            connection.executemany(sql, rows)
        connection.commit()
        connection.close()

    async def to_postgres(self, url: str) -> None:
        import asyncpg

        connection = await asyncpg.connect(url)
        try:
            for sql, rows in self.batches:
                table, _, rest = sql.removeprefix("INSERT INTO ").partition(" (")
                columns = [c.strip() for c in rest.partition(")")[0].split(",")]
                types = dict(
                    await connection.fetch(
                        "SELECT column_name, data_type FROM information_schema.columns"
                        " WHERE table_name = $1",
                        table,
                    )
                )
                convert = [_POSTGRES.get(types[c], str) for c in columns]
                records = [
                    tuple(None if v is None else f(v) for f, v in zip(convert, row, strict=True))
                    for row in rows
                ]
                await connection.copy_records_to_table(table, records=records, columns=columns)
            # Statistics, as autovacuum keeps them on a live database: plans of a fresh,
            # unanalysed table would be measured otherwise.
            await connection.execute("ANALYZE")
            for table in ("unit", "official", "inspection"):
                await connection.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'),"
                    f" (SELECT MAX(id) FROM {table}))"
                )
        finally:
            await connection.close()


_POSTGRES: dict[str, Callable[[Any], Any]] = {
    "timestamp with time zone": datetime.fromisoformat,
    "date": date.fromisoformat,
    "boolean": bool,
    "uuid": uuid.UUID,
    "integer": int,
    "bigint": int,
    "smallint": int,
    "double precision": float,
    "numeric": str,
}


def seed(dossiers: int, findings: int) -> Batches:
    rng = random.Random(2026)
    cursor = Batches()
    cursor.executemany(
        "INSERT INTO unit (id, code, name, kind, path) VALUES (?, ?, ?, ?, ?)",
        [(1, "BT", "Tỉnh Thử", "province", "/BT/")],
    )
    units, centres, officials = [], [], []
    next_unit, next_official = 2, 1
    for n in range(COMMUNES):
        code = f"BT-X{n:02d}"
        units.append((next_unit, code, f"Xã Số {n}", "commune", 1, f"/BT/{code}/"))
        centres.append(
            (
                next_unit + 1,
                f"{code}-PV",
                f"Trung tâm xã {n}",
                "service_centre",
                next_unit,
                f"/BT/{code}/{code}-PV/",
            )
        )
        for _ in range(STAFF):
            officials.append(
                (
                    next_official,
                    f"CB{next_official:06d}",
                    f"Nguyễn Văn {next_official}",
                    f"{next_official}",
                    "nam",
                    "cong_chuc",
                    0,
                    "Chuyên viên",
                    next_unit + 1,
                    1,
                )
            )
            next_official += 1
        next_unit += 2
    cursor.executemany(
        "INSERT INTO unit (id, code, name, kind, parent, path) VALUES (?, ?, ?, ?, ?, ?)",
        units + centres,
    )
    cursor.executemany(
        "INSERT INTO official (id, code, full_name, sort_key, gender, category, is_leader,"
        " position, unit, active) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        officials,
    )
    now = _iso(datetime.now(UTC))
    inspections, checks = [], []
    for n, centre in enumerate(centres):
        day = FIRST + timedelta(days=2 + n * 2)
        kind = "SCHEDULED" if n % 4 else "SURPRISE_UNANNOUNCED"
        inspections.append((n + 1, centre[0], kind, day.isoformat(), "[]", "closed", 0, now))
        for s in range(STAFF):
            official = n * STAFF + s + 1
            checks.append(
                (
                    str(uuid.UUID(int=rng.getrandbits(128))),
                    n + 1,
                    official,
                    "present",
                    _iso(datetime(day.year, day.month, day.day, 1, 0, tzinfo=UTC)),
                    "ON_TIME",
                    0,
                    "working_hours",
                    "2025.1",
                    "CT 05/2008/CT-TTg",
                    "",
                    "",
                    1,
                    now,
                )
            )
    cursor.executemany(
        "INSERT INTO inspection (id, unit, kind, scheduled_date, topics, status, sealed,"
        " created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        inspections,
    )
    cursor.executemany(
        "INSERT INTO attendance_check (client_uuid, inspection, official, status, observed_at,"
        " verdict_status, minutes, rule_id, rule_version, legal_basis, explanation_vi,"
        " explanation_en, version, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        checks,
    )
    rows = []
    for _ in range(findings):
        inspection = rng.randrange(len(centres))
        official = inspection * STAFF + rng.randrange(STAFF) + 1
        code = rng.choice(CODES)
        day = FIRST + timedelta(days=rng.randrange(88))
        moment = _iso(datetime(day.year, day.month, day.day, 1, 30, tzinfo=UTC))
        rows.append(
            (
                str(uuid.UUID(int=rng.getrandbits(128))),
                inspection + 1,
                official,
                centres[inspection][0],
                code,
                f"conduct.{code}",
                "2025.1",
                "CT 05/2008/CT-TTg",
                "",
                "",
                "",
                moment,
                1,
                "current",
                moment,
            )
        )
    cursor.executemany(
        "INSERT INTO finding (client_uuid, inspection, official, unit, violation_code, rule_id,"
        " rule_version, legal_basis, explanation_vi, explanation_en, facts, observed_at,"
        " version, version_state, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        rows,
    )
    rows = []
    for n in range(dossiers):
        unit = centres[rng.randrange(len(centres))][0]
        received = datetime(2025, 12, 10, 2, tzinfo=UTC) + timedelta(minutes=rng.randrange(130_000))
        status = rng.choice(STATUSES)
        finished = None if status in ("in_progress", "overdue") else received + timedelta(days=5)
        rows.append(
            (
                f"HS-{n:08d}",
                "Đăng ký khai sinh",
                "Hộ tịch",
                unit,
                "",
                _iso(received),
                _iso(received + timedelta(days=4)),
                _iso(finished) if finished else None,
                0,
                "",
                0,
                status,
                2 if status == "late" else 0,
                # A late or overdue dossier's letter of apology: in time, late or missing.
                rng.choice(APOLOGY_FLAGS) if status in ("late", "overdue") else "",
                now,
            )
        )
    cursor.executemany(
        "INSERT INTO dossier (code, procedure, sector, unit, official_name, received_at, due_at,"
        " finished_at, extension_count, source_status, content_hash, status,"
        " working_days_late, flags, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
        " ?, ?)",
        rows,
    )
    return cursor


def peak(run: Callable[[], Any]) -> int:
    """The peak of Python allocations in one more, untimed run (tracemalloc slows every
    allocation: never while timed)."""
    tracemalloc.start()
    run()
    result = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return result


def timed(run: Callable[[], Any]) -> Callable[[], Awaitable[None]]:
    """A synchronous side as ``table.alternate`` runs sides."""

    async def side() -> None:
        run()

    return side


def threaded(run: Callable[[], Any]) -> Callable[[], Awaitable[None]]:
    """A side that must run off the event loop (a function of the CPU pool) in a thread."""

    async def side() -> None:
        await asyncio.to_thread(run)

    return side


def mib(size: int) -> str:
    return f"{size / 2**20:,.0f} MiB"


async def main(
    dossiers: int, findings: int, rounds: int, skip_p6: bool = False, skip_peaks: bool = False
) -> None:
    import pandas as pd
    import xlsxwriter
    from congvu.inspect import clock, db
    from congvu.inspect.actor import SYSTEM
    from congvu.inspect.reports.api import quarter, write_workbook
    from congvu.inspect.reports.services.building import rule_versions
    from congvu.inspect.reports.services.figures import compute_figures
    from congvu.inspect.reports.services.layout import ReportContext
    from congvu.inspect.reports.services.reading import (
        DOSSIER_COLUMNS,
        ReportData,
        Window,
        count_dossiers,
        count_findings,
        read_dossier_rows,
        read_dossier_rows_here,
        read_finding_rows,
        read_finding_rows_here,
        read_report_data,
    )
    from congvu.inspect.reports.services.sheets import titles
    from congvu.inspect.reports.services.trends import read_trends

    from tests.bench.table import Row, alternate, at_least, at_most, emit, seconds

    await db.migrate()
    started = time.perf_counter()
    batches = seed(dossiers, findings)
    if POSTGRES:
        await batches.to_postgres(os.environ["CONGVU_DATABASE_URL"])
    else:
        batches.to_sqlite(RUN / "bench.sqlite3")
    del batches
    took = time.perf_counter() - started
    print(f"seeded {dossiers:,} dossiers, {findings:,} findings in {took:.1f} s")
    await db.prepare()
    period = quarter("2026Q1")
    window = Window.of(period)
    zone = clock.zone()
    loop = asyncio.get_running_loop()

    async def sql_side() -> tuple[ReportData, Any]:
        # As a build reads: the findings counted, their rows left to the sheets.
        data = await read_report_data("/BT/", window, zone, finding_rows=False)
        return data, compute_figures(data, 1, window)

    # P5 -----------------------------------------------------------------------------------
    data, figures = await sql_side()
    # The baseline reads every row the aggregates cover, the window's dossiers and
    # findings included (the SQL side has them counted by the database), and counts them
    # with pandas.
    rows = await read_dossier_rows("/BT/", window, zone)
    finding_rows = (await read_report_data("/BT/", window, zone)).findings
    csv_dir = RUN / "csv"
    csv_dir.mkdir()
    frames = {name: getattr(data, name) for name in ("units", "inspections", "attendance")}
    frames["findings"] = finding_rows
    frames["dossiers"] = rows[DOSSIER_COLUMNS]
    for name, frame in frames.items():
        frame.to_csv(csv_dir / f"{name}.csv", index=False)
    dates = {
        "units": ["valid_from", "valid_to"],
        "inspections": ["scheduled_date", "started_at", "submitted_at"],
        "findings": [
            "observed_at",
            "notified_at",
            "explanation_due",
            "explained_at",
            "decided_at",
            "closed_at",
        ],
        "dossiers": ["received_at", "due_at", "finished_at"],
    }

    def csv_side() -> Any:
        read = {
            name: pd.read_csv(csv_dir / f"{name}.csv", parse_dates=dates.get(name, []))
            for name in frames
        }
        counts = count_dossiers(read.pop("dossiers"), window)
        found = count_findings(read["findings"], window)
        return compute_figures(ReportData(**read, dossier_counts=counts, **found), 1, window)

    p5 = await alternate(rounds, {"sql": sql_side, "csv": timed(csv_side)})
    engine = "PostgreSQL" if POSTGRES else "SQLite"
    csv_peak = peak(csv_side)
    sql_time, csv_time = p5.median("sql"), p5.median("csv")
    print(f"P5 SQL read + aggregates   {sql_time:7.2f} s")
    print(f"P5 CSV read + aggregates   {csv_time:7.2f} s (pandas alone, peak {mib(csv_peak)})")
    print(f"P5 ratio {sql_time / csv_time:.2f}× (target ≤ 1.0×, {engine})")
    size_text = f"{dossiers:,} dossiers, {findings:,} findings"
    p5_row = Row("P5 report aggregates", f"read + aggregates of {size_text} vs pandas from CSV",
                 engine, seconds(csv_time), seconds(sql_time),
                 *at_most(p5.ratio("sql", "csv"), 1.0),
                 note=f"peak Python allocations: CSV side {mib(csv_peak)}")  # fmt: skip
    if skip_p6:
        emit([p5_row])
        await db.close()
        return

    # P6 -----------------------------------------------------------------------------------
    now = clock.now()
    ctx = ReportContext(
        unit_name="Tỉnh Thử",
        unit_code="BT",
        issuing_body="Tỉnh Thử",
        recipient="Bộ Nội vụ",
        place="Thử",
        period=period,
        previous=window.previous,
        year_start=window.year_start,
        cut_off=now,
        generated_at=now,
        generated_by="bench",
        snapshot_id=1,
        version=1,
        data_hash=data.data_hash(),
        rule_versions=rule_versions(period.last_day),
        calendar_version="bench",
        generator_version="bench",
        parameters={},
        contents=titles(),
    )
    out = RUN / "out"
    out.mkdir()
    # The dossiers over eight quarters, the 766-style estimates and the evidence register,
    # read on the event loop as a build reads them (as the personnel figures are, and
    # like them outside the timed workbook): timed here once.
    started = time.perf_counter()
    unit = {"id": 1, "path": "/BT/", "name": "Tỉnh Thử"}
    figures = replace(figures, trends=await read_trends(SYSTEM, unit, period))
    trends_time = time.perf_counter() - started
    print(f"P6 trends read (on the loop, not timed below) {trends_time:7.2f} s")

    def workbook() -> None:
        # As ``write_workbook_file`` does: the dossier and finding rows read by the
        # workbook itself (P5's figures only count them), then every sheet.
        dossiers = read_dossier_rows_here("/BT/", window, zone)
        findings = read_finding_rows_here("/BT/", window, zone)
        write_workbook(
            out / "report.xlsx", ctx, replace(figures, dossiers=dossiers, findings=findings)
        )

    raw = [figures.inspections, await read_finding_rows("/BT/", window, zone), rows]

    def bare() -> None:
        book = xlsxwriter.Workbook(str(out / "bare.xlsx"), {"constant_memory": True})
        for index, frame in enumerate(raw):
            sheet = book.add_worksheet(f"S{index}")
            sheet.write_row(0, 0, list(frame.columns))
            for row, values in enumerate(frame.itertuples(index=False), start=1):
                sheet.write_row(row, 0, [None if pd.isna(v) else v for v in values])
        book.close()

    def to_excel() -> None:
        with pd.ExcelWriter(out / "pandas.xlsx", engine="xlsxwriter") as writer:
            for index, frame in enumerate(raw):
                frame.to_excel(writer, sheet_name=f"S{index}", index=False)

    p6 = await alternate(
        rounds, {"workbook": threaded(workbook), "bare": timed(bare), "to_excel": timed(to_excel)}
    )
    subject, bare_time, pandas_time = (p6.median(n) for n in ("workbook", "bare", "to_excel"))
    # The timings first: at full size each peak below is another run under tracemalloc,
    # several minutes each, and a run stopped there still says what it measured.
    print(f"P6 workbook / bare {subject / bare_time:.2f}× (target ≤ 1.2×)", flush=True)
    print(f"P6 to_excel / workbook {pandas_time / subject:.2f}× (target ≥ 1.6×)", flush=True)
    size = (out / "report.xlsx").stat().st_size
    if skip_peaks:
        subject_peak = bare_peak = pandas_peak = 0
    else:
        subject_peak = await asyncio.to_thread(peak, workbook)
        bare_peak, pandas_peak = peak(bare), peak(to_excel)
    print(
        f"P6 workbook (every sheet)  {subject:7.2f} s  peak {mib(subject_peak)}  file {mib(size)}"
    )
    print(f"P6 bare xlsxwriter rows    {bare_time:7.2f} s  peak {mib(bare_peak)}")
    print(f"P6 DataFrame.to_excel      {pandas_time:7.2f} s  peak {mib(pandas_peak)}")
    emit(
        [
            p5_row,
            Row("P6 workbook", "every sheet vs bare xlsxwriter constant_memory rows", engine,
                seconds(bare_time), seconds(subject), *at_most(p6.ratio("workbook", "bare"), 1.2),
                note=(f"peak Python allocations: workbook {mib(subject_peak)}, bare"
                f" {mib(bare_peak)}, to_excel {mib(pandas_peak)}; " if not skip_peaks
                else "peaks not measured (--skip-peaks); ")
                + f"file {mib(size)}; trends read on the loop {trends_time:.2f} s"),
            Row("P6 to_excel", "DataFrame.to_excel vs the workbook (slower by)", engine,
                seconds(subject), seconds(pandas_time),
                *at_least(p6.ratio("to_excel", "workbook"), 1.6)),
        ]
    )  # fmt: skip
    await db.close()
    del loop


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dossiers", type=int, default=100_000)
    parser.add_argument("--findings", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument(
        "--engine",
        choices=("sqlite", "postgres"),
        default="postgres" if POSTGRES_SERVER else "sqlite",
        help="postgres: a throw-away database on CONGVU_TEST_DATABASE_URL's server",
    )
    parser.add_argument("--skip-p6", action="store_true", help="P5 only")
    parser.add_argument(
        "--skip-peaks", action="store_true", help="P6 timed only, no tracemalloc runs"
    )
    arguments = parser.parse_args()
    run = (
        arguments.dossiers,
        arguments.findings,
        arguments.rounds,
        arguments.skip_p6,
        arguments.skip_peaks,
    )
    try:
        if arguments.engine == "postgres":
            from tests.bench import scratch

            POSTGRES = True
            with scratch.database(POSTGRES_SERVER or scratch.DEFAULT_URL, "report") as url:
                os.environ["CONGVU_DATABASE_URL"] = url
                asyncio.run(main(*run))
        else:
            asyncio.run(main(*run))
    finally:
        shutil.rmtree(RUN, ignore_errors=True)
        sys.stdout.flush()
