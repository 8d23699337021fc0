"""P1: end-to-end dossier import against ``psql \\copy`` of the same file.

    uv run python tests/bench/bench_dossier_import.py [--rows N]     # default 1,000,000

Generates a seeded one-stop export (CSV, UTF-8, no title rows so ``\\copy … HEADER`` reads
the same file), then, each phase in its own process so peak memory (ru_maxrss) is the
phase's own:

* PostgreSQL (CONGVU_TEST_DATABASE_URL, else the dev server on 127.0.0.1:55432):
  ``psql \\copy`` into an unindexed all-text table; the full import (parse, validate,
  upsert, compute flags); the same file again (must change 0 rows);
* SQLite: the full import and the re-import.

Prints times, the ratios to COPY (targets: import ≤ 3×, re-import ≤ 1.5×) and peak memory.
Timings only, no assertion. The PostgreSQL run uses a fresh database created on that
server (the role needs CREATEDB) and dropped at the end. Why the import is built as it is,
and the figures measured: tests/bench/README.md.
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

DEFAULT_PG = "postgresql://congvu@127.0.0.1:55432/congvu_test"
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


def _psql_copy(url: str, path: Path) -> float:
    from congvu.inspect.demo.dossier_export import HEADERS

    columns = ", ".join(f'"c{i}" text' for i in range(len(HEADERS)))
    subprocess.run(
        [
            "psql",
            url,
            "-q",
            "-c",
            f"DROP TABLE IF EXISTS bench_copy; CREATE TABLE bench_copy ({columns})",
        ],
        check=True,
    )
    started = time.perf_counter()
    subprocess.run(
        [
            "psql",
            url,
            "-q",
            "-c",
            f"\\copy bench_copy FROM '{path}' WITH (FORMAT csv, HEADER true)",
        ],
        check=True,
    )
    seconds = time.perf_counter() - started
    subprocess.run(["psql", url, "-q", "-c", "DROP TABLE bench_copy"], check=True)
    return seconds


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


async def _import_twice(path: Path) -> dict[str, Any]:
    from congvu.inspect import cpu_pool, db
    from congvu.inspect.actor import SYSTEM
    from congvu.inspect.dossiers.services.importing import ImportRequest, import_dossiers
    from congvu.inspect.dossiers.services.importing.chunking import warm_up
    from congvu.inspect.settings import get_settings

    pool = contextlib.AsyncExitStack()

    await db.prepare()
    try:
        await _prepare_database()
        request = ImportRequest(path=path, file_name=path.name)
        # As in a running server, the import's heavy steps go to the CPU pool, whose
        # processes have started (a first import after a start waits for them).
        await pool.enter_async_context(cpu_pool.running(get_settings().cpu_workers))
        await asyncio.gather(*(cpu_pool.run(warm_up, date.today()) for _ in range(2)))
        started = time.perf_counter()
        first = await import_dossiers(SYSTEM, request)
        import_seconds = time.perf_counter() - started
        peak_first = _peak_mb()
        started = time.perf_counter()
        again = await import_dossiers(SYSTEM, request)
        reimport_seconds = time.perf_counter() - started
        started = time.perf_counter()
        forced = await import_dossiers(
            SYSTEM, ImportRequest(path=path, file_name=path.name, force=True)
        )
        forced_seconds = time.perf_counter() - started
    finally:
        await pool.aclose()
        await db.close()
    return {
        "import_seconds": import_seconds,
        "reimport_seconds": reimport_seconds,
        "peak_mb_import": peak_first,
        "peak_mb": _peak_mb(),
        "imported": first["imported"],
        "rejected": first["rejected"],
        "by_status": first["by_status"],
        "reimport_changed": again["inserted"] + again["updated"],
        "forced_seconds": forced_seconds,
        "forced_changed": forced["inserted"] + forced["updated"],
        "reimport_unchanged": again["unchanged"],
    }


def _phase(args: argparse.Namespace) -> dict[str, Any]:
    import asyncio

    path = Path(args.file)
    if args.phase == "generate":
        return _generate(args.rows, path)
    result = asyncio.run(_import_twice(path))
    if args.phase == "pg":
        result["copy_seconds"] = _psql_copy(os.environ["CONGVU_DATABASE_URL"], path)
    return result


def _child(phase: str, file: Path, rows: int, env: dict[str, str]) -> dict[str, Any]:
    output = subprocess.run(
        [sys.executable, __file__, "--phase", phase, "--file", str(file), "--rows", str(rows)],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if output.returncode != 0:
        sys.stderr.write(output.stderr[-5000:])
        raise SystemExit(f"phase {phase} failed")
    return dict(json.loads(output.stdout.strip().splitlines()[-1]))


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--phase", choices=["generate", "pg", "sqlite"])
    parser.add_argument("--file")
    parser.add_argument("--skip-sqlite", action="store_true")
    args = parser.parse_args()
    if args.phase:
        print(json.dumps(_phase(args)))
        return

    pg_url = os.environ.get("CONGVU_TEST_DATABASE_URL", DEFAULT_PG)
    with tempfile.TemporaryDirectory(prefix="congvu-bench-") as folder:
        base = {k: v for k, v in os.environ.items() if not k.startswith("CONGVU_")}
        base["CONGVU_VAR_DIR"] = str(Path(folder) / "var")
        base["PYTHONPATH"] = str(Path(__file__).resolve().parents[2])
        file = Path(folder) / f"ho-so-{args.rows}.csv"
        made = _child("generate", file, args.rows, base)
        print(
            f"export: {args.rows:,} rows, {made['bytes'] / 1e6:.0f} MB, {made['bad_rows']} bad rows"
            f" (generated in {made['seconds']:.1f} s)"
        )
        server, _, _ = pg_url.rpartition("/")
        name = f"congvu_bench_dossiers_{os.getpid()}"
        subprocess.run(["psql", pg_url, "-q", "-c", f"CREATE DATABASE {name}"], check=True)
        try:
            pg = _child("pg", file, args.rows, {**base, "CONGVU_DATABASE_URL": f"{server}/{name}"})
        finally:
            subprocess.run(["psql", pg_url, "-q", "-c", f"DROP DATABASE {name}"], check=True)
        copy = pg["copy_seconds"]
        print(f"PostgreSQL ({pg_url.split('@')[-1]}):")
        print(f"  psql \\copy into an unindexed table  {copy:8.2f} s")
        print(
            f"  import (parse, validate, upsert, flags) {pg['import_seconds']:6.2f} s"
            f"  = {pg['import_seconds'] / copy:.2f}× COPY (target ≤ 3×)"
            f"  imported {pg['imported']:,}, rejected {pg['rejected']:,}"
        )
        print(
            f"  re-import of the same file           {pg['reimport_seconds']:6.2f} s"
            f"  = {pg['reimport_seconds'] / copy:.2f}× COPY (target ≤ 1.5×)"
            f"  changed rows {pg['reimport_changed']}"
        )
        print(
            f"  re-import read row by row (--force)  {pg['forced_seconds']:6.2f} s"
            f"  = {pg['forced_seconds'] / copy:.2f}× COPY  changed rows {pg['forced_changed']}"
        )
        print(
            f"  peak memory (RSS) import {pg['peak_mb_import']:.0f} MB,"
            f" with the re-imports {pg['peak_mb']:.0f} MB"
        )
        print(f"  by status: {pg['by_status']}")
        if not args.skip_sqlite:
            sqlite_url = f"sqlite:///{Path(folder) / 'bench.sqlite3'}"
            lite = _child("sqlite", file, args.rows, {**base, "CONGVU_DATABASE_URL": sqlite_url})
            print("SQLite (embedded mode):")
            print(
                f"  import {lite['import_seconds']:6.2f} s"
                f" ({lite['import_seconds'] / copy:.2f}× PG COPY),"
                f" re-import {lite['reimport_seconds']:6.2f} s,"
                f" changed rows {lite['reimport_changed']},"
                f" re-import --force {lite['forced_seconds']:6.2f} s"
                f" (changed {lite['forced_changed']}),"
                f" peak memory {lite['peak_mb']:.0f} MB"
            )


if __name__ == "__main__":
    main()
