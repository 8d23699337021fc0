"""The head's review queue at the issue's scale: one page of ``/review`` against the bare
keyset SELECT of the same number of rows, in the same run.

    uv run python tests/bench/bench_review_queue.py [--items N] [--findings F] [--rounds R]
        [--skip-sqlite] [--skip-postgres]

Builds, in a fresh database (SQLite in a temporary folder, then a throw-away database on
the PostgreSQL server of CONGVU_TEST_DATABASE_URL, else the dev server on
127.0.0.1:55432; the role needs CREATEDB), a province of four wards with 40 officials, N
flagged dossiers not yet decided (default 100,000: a province's subtree after a year of
one-stop exports; COPY on PostgreSQL) and F notified findings (default a tenth of N,
written in bulk), all in the scope of one head. Then, in alternating rounds: the baseline
(the keyset SELECT of the 50 dossier rows of a first page, nothing else), the page through
HTTP (``GET /review?size=50``: index, filters and their counts, the page's facts, the
audit event, the HTML), the page of the overdue items (``due=overdue``), the next page
(its cursor) and a page filtered by one official (through the form's empty selects).
Prints each one's median time, its ratio to the baseline's and the HTML size. Timings
only: nothing is asserted on them (see tests/bench/README.md).
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Awaitable, Callable
from datetime import date, datetime, timedelta
from datetime import time as clock_time
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

DEFAULT_PG = "postgresql://congvu@127.0.0.1:55432/congvu_test"
ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

ZONE = ZoneInfo("Asia/Ho_Chi_Minh")
COMMUNES = ("NA-01", "NA-02", "NA-03", "NA-04")
PAGE = 50  # rows a page, as the issue measures it


async def _build(items: int, findings: int) -> dict[str, Any]:
    from congvu.inspect import db
    from congvu.inspect.inspections.tables import Finding
    from congvu.inspect.review.tables import FindingReview
    from congvu.rules import review as rules

    from tests import builders

    await db.migrate()
    await builders.unit("NA", "Tỉnh Nghệ An", kind="province")
    officials = []
    desks = []
    for n, code in enumerate(COMMUNES):
        await builders.unit(code, f"Phường {n + 1}", parent="NA", commune_type="phuong")
        desk = await builders.unit(
            f"{code}-PVHCC", f"Trung tâm PVHCC phường {n + 1}", kind="service_centre", parent=code
        )
        desks.append(desk)
        for k in range(10):
            officials.append(
                await builders.official(desk, f"{code}-{k:02d}", f"Nguyễn Văn Cán Bộ {n}{k}")
            )
    await builders.account("truong", role="unit_head", unit="NA")
    await builders.account("kiemtra", role="inspector", unit="NA")
    monday = datetime(2026, 11, 2, 9, 0, tzinfo=ZONE)
    await _dossiers(items, officials, monday)
    inspector = await builders.actor(await _user("kiemtra"))
    per_desk = -(-findings // len(desks))
    for n, desk in enumerate(desks):
        inspection = await builders.inspection(
            desk, monday.date(), status="submitted", created_at=monday
        )
        found = []
        for k in range(min(per_desk, findings - n * per_desk)):
            person = officials[n * 10 + k % 10]
            observed = monday - timedelta(days=k % 60)
            found.append(
                Finding(
                    client_uuid=uuid.uuid4(),
                    inspection=inspection.id,
                    official=person.id,
                    unit=desk.id,
                    violation_code="LATE_ARRIVAL",
                    rule_id="conduct.LATE_ARRIVAL",
                    rule_version="2025.1",
                    legal_basis="CT 05/2008/CT-TTg",
                    explanation_vi="Đến 08:10, giờ bắt đầu 07:30",
                    explanation_en="Arrived 08:10, start 07:30",
                    facts="Ghi nhận tại quầy",
                    observed_at=observed,
                    version_state="current",
                    recorded_by=inspector.id,
                    created_at=observed,
                )
            )
        for start in range(0, len(found), 500):
            await Finding.insert(*found[start : start + 500])
    # Notified as ``transition`` notifies, written in bulk: one transition per finding
    # would cost minutes at 10,000 findings and measure nothing the queue does.
    window = rules.windows(monday.date())
    reviews = []
    for row in await Finding.select(Finding.id, Finding.observed_at):
        day = row["observed_at"].astimezone(ZONE).date()
        reviews.append(
            FindingReview(
                finding=row["id"],
                state="notified",
                notified_at=row["observed_at"],
                explanation_due=rules.explanation_due(day),
                window_rule_id=window.rule.id,
                window_rule_version=window.rule.version,
                updated_at=row["observed_at"],
            )
        )
    for start in range(0, len(reviews), 500):
        await FindingReview.insert(*reviews[start : start + 500])
    head = await builders.actor(await _user("truong"))
    return {"official": officials[7].id, "head": head}


DOSSIER_COPY_COLUMNS = (
    "code", "procedure", "sector", "unit", "official", "official_name", "received_at",
    "due_at", "extension_count", "source_status", "content_hash", "status",
    "working_days_late", "flags", "evaluated_on", "updated_at",
)  # fmt: skip


async def _dossiers(items: int, officials: list[Any], monday: datetime) -> None:
    """``items`` flagged dossiers not yet decided, their missed dates spread over half a
    year: COPY on PostgreSQL (100,000 rows in seconds), inserts of 500 on SQLite."""
    from congvu.inspect import db
    from congvu.inspect.dossiers.tables import Dossier

    records = []
    for n in range(items):
        person = officials[n % len(officials)]
        due = date(2026, 6, 1) + timedelta(days=n % 180)
        records.append(
            (
                f"BQ-{n:06d}",
                "Chứng thực bản sao từ bản chính",
                "Chứng thực",
                person.unit,
                person.id,
                "",
                datetime.combine(due - timedelta(days=10), clock_time(8), ZONE),
                datetime.combine(due, clock_time(17), ZONE),
                0,
                "",
                0,
                "overdue",
                n % 20,
                "APOLOGY_MISSING;OVERDUE_IN_PROGRESS",
                date(2026, 12, 1),
                monday,
            )
        )
    if db.is_sqlite():
        for start in range(0, len(records), 500):
            rows = records[start : start + 500]
            await Dossier.insert(
                *(Dossier(**dict(zip(DOSSIER_COPY_COLUMNS, r, strict=True))) for r in rows)
            )
        return
    import asyncpg

    connection = await asyncpg.connect(os.environ["CONGVU_DATABASE_URL"])
    try:
        await connection.copy_records_to_table(
            "dossier", records=records, columns=list(DOSSIER_COPY_COLUMNS)
        )
        # A table at rest, as autovacuum leaves one after a large insert: its visibility
        # map set, so the queue's counts may read the covering index alone.
        await connection.execute("VACUUM ANALYZE dossier")
        await connection.execute("ANALYZE")
    finally:
        await connection.close()


async def _user(username: str) -> Any:
    from congvu.inspect.organisation.tables import User

    return await User.objects().where(User.username == username).first()


async def _baseline(size: int) -> int:
    """The keyset SELECT of one page of flagged dossiers in scope: the floor of any page."""
    from congvu.inspect.dossiers.tables import Dossier
    from congvu.inspect.review.services.dossier_items import DOSSIER_COLUMNS

    rows = await (
        Dossier.select(*DOSSIER_COLUMNS)
        .where(Dossier.unit.path.like("/%"), Dossier.flags != "", Dossier.id > 0)
        .order_by(Dossier.due_at, Dossier.id)
        .limit(size)
    )
    return len(rows)


async def _measure(items: int, findings: int, rounds: int) -> dict[str, Any]:
    import httpx
    from congvu.inspect import db
    from congvu.inspect.app import create_app
    from congvu.inspect.settings import get_settings

    from tests.builders import PASSWORD

    await db.prepare()
    try:
        built = await _build(items, findings)
        app = create_app(get_settings())
        async with app.lifespan():
            logging.disable(logging.INFO)  # the access log of every round
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
                await client.get("/login")
                signed = await client.post(
                    "/login",
                    data={
                        "username": "truong",
                        "password": PASSWORD,
                        "_csrf_token": client.cookies.get("csrftoken"),
                    },
                )
                assert signed.status_code in (200, 302, 303), signed.status_code
                first = await client.get(f"/review?size={PAGE}")
                assert first.status_code == 200, (first.status_code, first.text[:500])
                following = first.text.split('rel="next" href="')[1].split('"')[0]
                following = following.replace("&amp;", "&")
                official = built["official"]
                filtered = (
                    f"/review?kind=&unit=&official={official}&state=&severity=&due=&size={PAGE}"
                )
                overdue = f"/review?due=overdue&size={PAGE}"

                async def get(url: str) -> Callable[[], Awaitable[int]]:
                    async def call() -> int:
                        response = await client.get(url)
                        assert response.status_code == 200, (url, response.status_code)
                        return len(response.content)

                    return call

                subjects: dict[str, Callable[[], Awaitable[int]]] = {
                    f"baseline: keyset SELECT of {PAGE} rows": lambda: _baseline(PAGE),
                    f"GET /review (page 1 of {PAGE})": await get(f"/review?size={PAGE}"),
                    "GET /review, overdue (filter)": await get(overdue),
                    "GET /review, next page (cursor)": await get(following),
                    "GET /review, one official (form)": await get(filtered),
                }
                times: dict[str, list[float]] = {name: [] for name in subjects}
                sizes: dict[str, int] = {}
                for _ in range(rounds):
                    for name, call in subjects.items():
                        started = time.perf_counter()
                        sizes[name] = await call()
                        times[name].append(time.perf_counter() - started)
                scope_text = first.text.split('id="queue-summary">')[1].split("</p>")[0]
        return {"times": times, "sizes": sizes, "summary": " ".join(scope_text.split())}
    finally:
        await db.close()


def _report(engine: str, result: dict[str, Any]) -> None:
    from tests.bench.table import Row, at_most, emit, seconds

    times, sizes = result["times"], result["sizes"]
    names = list(times)
    base = statistics.median(times[names[0]])
    print(f"{engine}: {result['summary']}")
    rows = []
    for name in names:
        median = statistics.median(times[name])
        size = "" if name == names[0] else f"  {sizes[name] / 1024:7.1f} KiB"
        ratio = "" if name == names[0] else f"  {median / base:7.1f}× baseline"
        print(f"  {name:40s} {median * 1000:8.1f} ms{ratio}{size}")
        if name == names[0]:
            continue
        # The median of the rounds' own ratios (each against the baseline just before).
        ratios = [t / b for t, b in zip(times[name], times[names[0]], strict=True)]
        judged = name in names[1:3]  # the first page and the overdue one have a target
        rows.append(
            Row(
                f"review queue, {name.removeprefix('GET ')}",
                f"{name.removeprefix('GET ')} vs the keyset SELECT of {PAGE} rows",
                engine.split(" ")[0],
                seconds(base),
                seconds(median),
                *(at_most(statistics.median(ratios), 3.0) if judged else
                  (statistics.median(ratios), "–", None)),
                note=f"{result['summary']}; {sizes[name] / 1024:.0f} KiB" if judged else "",
            )
        )  # fmt: skip
    emit(rows)


def _run_engine(
    url: str | None, folder: Path, items: int, findings: int, rounds: int
) -> dict[str, Any]:
    for key in [k for k in os.environ if k.startswith("CONGVU_")]:
        del os.environ[key]
    os.environ["CONGVU_VAR_DIR"] = str(folder / "var")
    # The head signs in with a password only: this measures the queue, and a head's
    # second factor is required by default.
    os.environ["CONGVU_SECOND_FACTOR_ROLES"] = ""
    if url:
        os.environ["CONGVU_DATABASE_URL"] = url
    return asyncio.run(_measure(items, findings, rounds))


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--findings", type=int, help="default: a tenth of --items")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--skip-sqlite", action="store_true")
    parser.add_argument("--skip-postgres", action="store_true")
    parser.add_argument("--database", help=argparse.SUPPRESS)  # one engine, in a child
    args = parser.parse_args()
    findings = args.findings if args.findings is not None else args.items // 10
    if args.database is not None:
        with tempfile.TemporaryDirectory(prefix="congvu-bench-") as folder:
            url = None if args.database == "sqlite" else args.database
            engine = "SQLite" if url is None else f"PostgreSQL ({url.split('@')[-1]})"
            _report(engine, _run_engine(url, Path(folder), args.items, findings, args.rounds))
        return
    pg_url = os.environ.get("CONGVU_TEST_DATABASE_URL", DEFAULT_PG)
    scope = f"{args.items:,} flagged dossiers and {findings:,} findings in one head's scope"
    print(scope, flush=True)
    # Each engine in its own process: the ORM's engine is chosen once per process.
    child = [sys.executable, __file__, "--items", str(args.items), "--findings", str(findings)]
    child += ["--rounds", str(args.rounds)]
    if not args.skip_sqlite:
        subprocess.run([*child, "--database", "sqlite"], check=True)
    if not args.skip_postgres:
        from tests.bench import scratch

        with scratch.database(pg_url, "queue") as url:
            subprocess.run([*child, "--database", url], check=True)


if __name__ == "__main__":
    main()
