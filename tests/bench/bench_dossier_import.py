"""P1: the dossier import against PostgreSQL COPY of the same rows into a table with
``dossier``'s schema (columns, indexes, foreign keys), in alternating rounds.

    uv run python tests/bench/bench_dossier_import.py [--rows N] [--rounds R]
        [--skip-sqlite] [--skip-postgres]                       # default 1,000,000 rows, 3

Generates a seeded one-stop export (CSV, UTF-8, the Vietnamese headers), then, each engine
in its own process so peak memory (ru_maxrss) is that run's own:

* PostgreSQL (CONGVU_TEST_DATABASE_URL, else the dev server on 127.0.0.1:55432, in a
  throw-away database; the role needs CREATEDB): one untimed import (warm-up; it also
  gives the rows as ``dossier`` stores them), then R rounds of COPY of those rows into
  ``bench_dossier`` (``LIKE dossier INCLUDING ALL`` plus its foreign keys), the full
  import into an empty ``dossier``, and COPY into the same columns with no index; then
  the re-import of the same file and the re-import with ``force``;
* SQLite: the import and the re-imports (no COPY to compare with).

Prints the table rows (target: import ≤ 1.5× the COPY; re-import ≤ 1.5×). Timings only,
no assertion. Why the import is built as it is, and the figures: tests/bench/README.md.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path
from typing import Any

# The repository root, for tests.builders and tests.bench.table.
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

COMMUNES = [
    ("NA-TV", "Phường Trường Vinh", "phuong"),
    ("NA-TVI", "Phường Thành Vinh", "phuong"),
    ("NA-DC", "Xã Diễn Châu", "xa"),
    ("NA-NL", "Xã Nghi Lộc", "xa"),
]
# Codes as most exports write them, and one unit by its name.
UNITS = [*(f"{code}-PVHCC" for code, _, _ in COMMUNES), "Xã Nghi Lộc"]


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _generate(rows: int, path: Path) -> dict[str, Any]:
    from congvu.inspect.demo.dossier_export import ExportSpec, generate, write_csv

    started = time.perf_counter()
    officials = {u: [f"Cán bộ {k:02d} {u}" for k in range(6)] for u in UNITS}
    export = generate(ExportSpec(rows=rows, units=UNITS, officials=officials, seed=2026))
    write_csv(export, path, encoding="utf-8", title_rows=False)
    return {
        "seconds": time.perf_counter() - started,
        "bytes": path.stat().st_size,
        "bad_rows": len(export.bad_rows),
    }


async def _prepare_database() -> None:
    """The province and the four communes the export names, each with its one-stop
    centre, in a fresh database: nothing else (the demo's dossiers and what refers to
    them would only be in the way)."""
    from congvu.inspect import db
    from congvu.inspect.organisation.tables import Unit

    from tests import builders  # the repository root is on PYTHONPATH (see main)

    await db.migrate()
    if await Unit.exists().where(Unit.code == "NA"):
        return
    await builders.unit("NA", "Tỉnh Nghệ An", kind="province")
    for code, name, kind in COMMUNES:
        await builders.unit(code, name, parent="NA", commune_type=kind)
        await builders.unit(
            f"{code}-PVHCC",
            f"Trung tâm Phục vụ hành chính công {name}",
            kind="service_centre",
            parent=code,
        )


# Emptied before each import round, so every round imports into an empty `dossier` with no
# earlier batch to answer from; CASCADE reaches whatever refers to a dossier (empty here).
IMPORT_TABLES = "dossier, dossier_due_snapshot, dossier_rejected_row, dossier_import_batch"


async def _copy_tables(connection: Any) -> None:
    """``bench_dossier``: the schema of ``dossier`` (columns, defaults, constraints,
    indexes) and its foreign keys, which ``LIKE`` does not copy; ``bench_dossier_bare``:
    the same columns and nothing else."""
    await connection.execute(
        "DROP TABLE IF EXISTS bench_dossier, bench_dossier_bare;"
        " CREATE TABLE bench_dossier (LIKE dossier INCLUDING ALL);"
        " CREATE TABLE bench_dossier_bare (LIKE dossier INCLUDING DEFAULTS)"
    )
    keys = await connection.fetch(
        "SELECT pg_get_constraintdef(oid) AS definition FROM pg_constraint"
        " WHERE conrelid = 'dossier'::regclass AND contype = 'f'"
    )
    for key in keys:
        await connection.execute(f"ALTER TABLE bench_dossier ADD {key['definition']}")


async def _measure(path: Path, rounds: int) -> dict[str, Any]:
    """On PostgreSQL: the import against COPY of the same rows, in alternating rounds
    (COPY into a table shaped like ``dossier``, the import into an empty ``dossier``,
    COPY into the same columns with no index), then the re-imports. On SQLite: the
    import and the re-imports alone."""
    import asyncpg
    from congvu.inspect import cpu_pool, db
    from congvu.inspect.actor import SYSTEM
    from congvu.inspect.dossiers.services.importing import ImportRequest, import_dossiers
    from congvu.inspect.dossiers.services.importing.chunking import warm_up
    from congvu.inspect.settings import get_settings

    from tests.bench.table import alternate

    request = ImportRequest(path=path, file_name=path.name)
    pool = contextlib.AsyncExitStack()
    await db.prepare()
    try:
        await _prepare_database()
        # As in a running server, the import's heavy steps go to the CPU pool, whose
        # processes have started (a first import after a start waits for them).
        await pool.enter_async_context(cpu_pool.running(get_settings().cpu_workers))
        await asyncio.gather(*(cpu_pool.run(warm_up, date.today()) for _ in range(2)))
        result: dict[str, Any] = {}
        if db.is_sqlite():
            started = time.perf_counter()
            first = await import_dossiers(SYSTEM, request)
            result["import_seconds"] = [time.perf_counter() - started]
        else:
            connection = await asyncpg.connect(get_settings().database_url)
            try:
                # A first import, untimed: it warms the rule packs and calendar years up
                # and gives the rows as `dossier` holds them, which the COPYs load.
                first = await import_dossiers(SYSTEM, request)
                rows_csv = path.with_suffix(".dossier.csv")
                await connection.copy_from_table("dossier", output=str(rows_csv), format="csv")
                await _copy_tables(connection)

                async def empty() -> None:
                    await connection.execute(
                        f"TRUNCATE {IMPORT_TABLES}, bench_dossier, bench_dossier_bare CASCADE"
                    )

                async def copy(table: str) -> None:
                    await connection.copy_to_table(table, source=str(rows_csv), format="csv")

                async def copy_like() -> None:
                    await copy("bench_dossier")

                async def copy_bare() -> None:
                    await copy("bench_dossier_bare")

                async def run_import() -> None:
                    await import_dossiers(SYSTEM, request)

                timed = await alternate(
                    rounds,
                    {"copy": copy_like, "import": run_import, "copy_bare": copy_bare},
                    between=empty,
                )
                # The last side emptied `dossier`: import once more for the re-imports.
                await empty()
                first = await import_dossiers(SYSTEM, request)
            finally:
                await connection.close()
            result.update({f"{name}_seconds": times for name, times in timed.times.items()})
            result["ratio_copy"] = timed.ratio("import", "copy")
            result["ratio_bare"] = timed.ratio("import", "copy_bare")
        result["peak_mb_import"] = _peak_mb()
        started = time.perf_counter()
        again = await import_dossiers(SYSTEM, request)
        result["reimport_seconds"] = time.perf_counter() - started
        started = time.perf_counter()
        forced = await import_dossiers(
            SYSTEM, ImportRequest(path=path, file_name=path.name, force=True)
        )
        result["forced_seconds"] = time.perf_counter() - started
    finally:
        await pool.aclose()
        await db.close()
    return {
        **result,
        "peak_mb": _peak_mb(),
        "imported": first["imported"],
        "rejected": first["rejected"],
        "by_status": first["by_status"],
        "reimport_changed": again["inserted"] + again["updated"],
        "forced_changed": forced["inserted"] + forced["updated"],
    }


def _phase(args: argparse.Namespace) -> dict[str, Any]:
    import asyncio

    path = Path(args.file)
    if args.phase == "generate":
        return _generate(args.rows, path)
    return asyncio.run(_measure(path, args.rounds))


def _child(phase: str, file: Path, args: argparse.Namespace, env: dict[str, str]) -> dict[str, Any]:
    command = [sys.executable, __file__, "--phase", phase, "--file", str(file)]
    command += ["--rows", str(args.rows), "--rounds", str(args.rounds)]
    output = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if output.returncode != 0:
        sys.stderr.write(output.stderr[-5000:])
        raise SystemExit(f"phase {phase} failed")
    return dict(json.loads(output.stdout.strip().splitlines()[-1]))


def _rows(engine: str, rows: int, result: dict[str, Any]) -> list[Any]:
    from statistics import median

    from tests.bench.table import Row, at_most, seconds

    size = f"{rows:,} rows"
    memory = f"peak RSS {result['peak_mb_import']:.0f} MB import, {result['peak_mb']:.0f} MB all"
    imported = median(result["import_seconds"])
    if "copy_seconds" not in result:
        return [
            Row("P1 import", f"import of {size} (no COPY on SQLite)", engine, "–",
                seconds(imported), None, "–", None, note=memory),
        ]  # fmt: skip
    copy, bare = median(result["copy_seconds"]), median(result["copy_bare_seconds"])
    again, forced = result["reimport_seconds"], result["forced_seconds"]
    return [
        Row("P1 import", f"import of {size} vs COPY into dossier's schema", engine,
            seconds(copy), seconds(imported), *at_most(result["ratio_copy"], 1.5),
            note=f"{memory}; imported {result['imported']:,}, rejected {result['rejected']:,}"),
        Row("P1 import, unindexed", f"import of {size} vs COPY, no index", engine,
            seconds(bare), seconds(imported), result["ratio_bare"], "–", None),
        Row("P1 re-import", f"same file again, {result['reimport_changed']} rows changed",
            engine, seconds(copy), seconds(again), *at_most(again / copy, 1.5)),
        Row("P1 re-import --force", f"read row by row, {result['forced_changed']} changed",
            engine, seconds(copy), seconds(forced), forced / copy, "–", None),
    ]  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--phase", choices=["generate", "pg", "sqlite"])
    parser.add_argument("--file")
    parser.add_argument("--skip-sqlite", action="store_true")
    parser.add_argument("--skip-postgres", action="store_true")
    args = parser.parse_args()
    if args.phase:
        print(json.dumps(_phase(args)))
        return

    from tests.bench import scratch
    from tests.bench.table import emit

    pg_url = os.environ.get("CONGVU_TEST_DATABASE_URL", scratch.DEFAULT_URL)
    rows: list[Any] = []
    with tempfile.TemporaryDirectory(prefix="congvu-bench-") as folder:
        base = {k: v for k, v in os.environ.items() if not k.startswith("CONGVU_")}
        base["CONGVU_VAR_DIR"] = str(Path(folder) / "var")
        base["PYTHONPATH"] = str(Path(__file__).resolve().parents[2])
        file = Path(folder) / f"ho-so-{args.rows}.csv"
        made = _child("generate", file, args, base)
        print(
            f"export: {args.rows:,} rows, {made['bytes'] / 1e6:.0f} MB, {made['bad_rows']} bad rows"
            f" (generated in {made['seconds']:.1f} s)"
        )
        if not args.skip_postgres:
            with scratch.database(pg_url, "dossiers") as url:
                pg = _child("pg", file, args, {**base, "CONGVU_DATABASE_URL": url})
            print(f"PostgreSQL ({pg_url.split('@')[-1]}), by status: {pg['by_status']}")
            rows += _rows("PostgreSQL", args.rows, pg)
        if not args.skip_sqlite:
            sqlite_url = f"sqlite:///{Path(folder) / 'bench.sqlite3'}"
            lite = _child("sqlite", file, args, {**base, "CONGVU_DATABASE_URL": sqlite_url})
            rows += _rows("SQLite", args.rows, lite)
    emit(rows)


if __name__ == "__main__":
    main()
