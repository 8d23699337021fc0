"""The nightly rescan's write: one set-based UPDATE per chunk of changed dossiers against
one UPDATE per dossier (the way it was written before), in the same run.

    uv run python tests/bench/bench_rescan.py [--rows N] [--rounds R]   # default 50,000, 3

Imports a seeded one-stop export of N dossiers (``congvu.inspect.demo.dossier_export``)
into a fresh database on the PostgreSQL server of CONGVU_TEST_DATABASE_URL (else the dev
server on 127.0.0.1:55432; the role needs CREATEDB), dropped at the end. Then each round
writes back the verdicts of every dossier, each time for another evaluation date so every
row really changes: per row (Piccolo's ``Dossier.update`` in one transaction, as before),
then set-based (``store_verdicts``, chunks of ``RESCAN_CHUNK``). Prints the best time of
each and their ratio, then one whole ``rescan_overdue``. Timings only, no assertion.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

DEFAULT_PG = "postgresql://congvu@127.0.0.1:55432/congvu_test"
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_dossier_import import _generate, _prepare_database  # noqa: E402


async def _per_row(rows: list[tuple[int, str, int, str]], day: date) -> None:
    from congvu.inspect import db
    from congvu.inspect.dossiers.tables import Dossier

    async with db.atomic():
        for dossier_id, status, late, flags in rows:
            await Dossier.update(
                {
                    Dossier.status: status,
                    Dossier.working_days_late: late,
                    Dossier.flags: flags,
                    Dossier.evaluated_on: day,
                }
            ).where(Dossier.id == dossier_id)


async def _set_based(rows: list[tuple[int, str, int, str]], day: date) -> None:
    from congvu.inspect import db
    from congvu.inspect.dossiers.services.queries import RESCAN_CHUNK, store_verdicts

    async with db.atomic():
        for start in range(0, len(rows), RESCAN_CHUNK):
            await store_verdicts(rows[start : start + RESCAN_CHUNK], day)


async def _run(path: Path, rounds: int) -> dict[str, Any]:
    from congvu.inspect import clock, db
    from congvu.inspect.actor import SYSTEM
    from congvu.inspect.dossiers.api import ImportRequest, import_dossiers, rescan_overdue
    from congvu.inspect.dossiers.tables import Dossier

    await db.prepare()
    try:
        await _prepare_database()
        await import_dossiers(SYSTEM, ImportRequest(path=path, file_name=path.name))
        stored = await Dossier.select(
            Dossier.id, Dossier.status, Dossier.working_days_late, Dossier.flags
        ).order_by(Dossier.id)
        rows = [(r["id"], r["status"], r["working_days_late"], r["flags"]) for r in stored]
        times: dict[str, list[float]] = {"per_row": [], "set_based": []}
        day = date(2030, 1, 1)
        for _ in range(rounds):
            for name, write in (("per_row", _per_row), ("set_based", _set_based)):
                day += timedelta(days=1)
                started = time.perf_counter()
                await write(rows, day)
                times[name].append(time.perf_counter() - started)
                written = await Dossier.count().where(Dossier.evaluated_on == day)
                assert written == len(rows), (name, written)
        started = time.perf_counter()
        summary = await rescan_overdue(clock.today())
        rescan_seconds = time.perf_counter() - started
    finally:
        await db.close()
    return {"rows": len(rows), "times": times, "rescan": summary, "rescan_s": rescan_seconds}


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    pg_url = os.environ.get("CONGVU_TEST_DATABASE_URL", DEFAULT_PG)
    server, _, _ = pg_url.rpartition("/")
    name = f"congvu_bench_rescan_{os.getpid()}"
    with tempfile.TemporaryDirectory(prefix="congvu-bench-") as folder:
        for key in [k for k in os.environ if k.startswith("CONGVU_")]:
            del os.environ[key]
        os.environ["CONGVU_VAR_DIR"] = str(Path(folder) / "var")
        os.environ["CONGVU_DATABASE_URL"] = f"{server}/{name}"
        file = Path(folder) / f"ho-so-{args.rows}.csv"
        _generate(args.rows, file)
        subprocess.run(["psql", pg_url, "-q", "-c", f"CREATE DATABASE {name}"], check=True)
        try:
            result = asyncio.run(_run(file, args.rounds))
        finally:
            subprocess.run(["psql", pg_url, "-q", "-c", f"DROP DATABASE {name}"], check=True)
    per_row, set_based = min(result["times"]["per_row"]), min(result["times"]["set_based"])
    print(f"PostgreSQL ({pg_url.split('@')[-1]}), {result['rows']:,} dossiers written back:")
    print(
        f"  one UPDATE per dossier        {per_row:8.2f} s  (rounds {result['times']['per_row']})"
    )
    print(
        f"  one UPDATE per chunk          {set_based:8.2f} s"
        f"  (rounds {result['times']['set_based']})"
    )
    print(f"  per row / set-based           {per_row / set_based:8.1f}×")
    print(f"  rescan_overdue (whole)        {result['rescan_s']:8.2f} s  {result['rescan']}")


if __name__ == "__main__":
    main()
