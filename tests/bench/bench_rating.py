"""Quarterly and yearly rating proposals for a whole organisation against loading the same
facts alone (the official's record, sheets, standings), in the same run.

    uv run python tests/bench/bench_rating.py [--officials N] [--rounds R]   # 5,000, 3

Builds a fresh database (SQLite under a temporary CONGVU_VAR_DIR, or the PostgreSQL of
CONGVU_DATABASE_URL when set): a province with 50 communes of N/50 công chức each, a year
of findings (one in three officials with a confirmed finding each quarter, one in ten
with a dismissed one), a head's Mẫu số 01 sheet per official per quarter, Q1–Q3 locked and
Q4 open. Then, in alternating rounds, ``facts.load`` for Q4 alone, the Q4 proposals
(``compute_quarter``: load + deductions + caps + quota) and the year's proposals
(``compute_year``: load, the locked quarters' snapshots, the open Q4 computed, titles).
Prints the median time of each and the medians of the rounds' ratios to the load; target:
quarter ≤ 2× the load.
Timings only, no assertion.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import sys
import tempfile
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

# The repository root, for tests.bench.table.
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
QUARTERS = ("2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4")


async def _seed(officials: int) -> None:
    from congvu.inspect import db, i18n
    from congvu.inspect.actor import SYSTEM
    from congvu.inspect.emulation import api as emulation
    from congvu.inspect.emulation.tables import RatingSheet
    from congvu.inspect.inspections.tables import Finding, Inspection
    from congvu.inspect.organisation import api as organisation
    from congvu.inspect.organisation.tables import Official
    from congvu.inspect.review.tables import FindingReview

    rng = random.Random(2026)
    await organisation.create_unit(code="BT", name="Tỉnh Thử Nghiệm", kind="province")
    per = officials // 50
    people: list[int] = []
    inspections: dict[int, int] = {}
    for n in range(50):
        unit = await organisation.create_unit(
            code=f"BT-{n:02d}", name=f"Xã Thử {n:02d}", kind="commune", parent_code="BT"
        )
        rows = [
            Official(
                code=f"BT{n:02d}{k:04d}",
                full_name=f"Nguyễn Văn Thử {n} {k}",
                sort_key=i18n.name_sort_key(f"Nguyễn Văn Thử {n} {k}"),
                gender="nam",
                category="cong_chuc",
                is_leader=False,
                position="Chuyên viên",
                unit=unit.id,
                active=True,
            )
            for k in range(per)
        ]
        await Official.insert(*rows)
        people += [
            r["id"] for r in await Official.select(Official.id).where(Official.unit == unit.id)
        ]
        row = Inspection(
            unit=unit.id,
            kind="scheduled",
            scheduled_date=date(2026, 1, 5),
            status="submitted",
            created_at=datetime(2026, 1, 5, tzinfo=UTC),
        )
        await row.save()
        inspections[unit.id] = int(row.id)
    units = {r["id"]: r["unit"] for r in await Official.select(Official.id, Official.unit)}
    codes = ["LATE_ARRIVAL", "RUDE_ATTITUDE", "NO_CARD", "ABSENT_NO_PERMISSION"]
    for q, month in enumerate((1, 4, 7, 10)):
        findings, outcomes = [], []
        for i, oid in enumerate(people):
            if (i + q) % 3 and (i + q) % 10:
                continue
            moment = datetime(2026, month, 10, 2, tzinfo=UTC)
            findings.append(
                Finding(
                    client_uuid=uuid.uuid4(),
                    inspection=inspections[units[oid]],
                    official=oid,
                    unit=units[oid],
                    violation_code=rng.choice(codes),
                    rule_id="conduct.X",
                    rule_version="2025.1",
                    legal_basis="CT 05/2008/CT-TTg",
                    explanation_vi="",
                    explanation_en="",
                    facts="",
                    observed_at=moment,
                    version_state="current",
                    created_at=moment,
                )
            )
            outcomes.append("dismissed" if (i + q) % 3 else "confirmed")
        async with db.atomic():
            for start in range(0, len(findings), 500):
                await Finding.insert(*findings[start : start + 500])
        ids = [r["id"] for r in await Finding.select(Finding.id).order_by(Finding.id)][
            -len(findings) :
        ]
        decided = datetime(2026, month, 25, 2, tzinfo=UTC)
        reviews = [
            FindingReview(
                finding=fid,
                state=outcome,
                notified_at=decided - timedelta(days=14),
                explanation_due=(decided - timedelta(days=7)).date(),
                window_rule_id="review",
                window_rule_version="2025.1",
                decided_at=decided,
                outcome=outcome,
                updated_at=decided,
            )
            for fid, outcome in zip(ids, outcomes, strict=True)
        ]
        async with db.atomic():
            for start in range(0, len(reviews), 500):
                await FindingReview.insert(*reviews[start : start + 500])
    for name in QUARTERS:
        period = await emulation.open_period(SYSTEM, name)
        sheets = [
            RatingSheet(
                key=f"{period['id']}:{oid}:head",
                period=period["id"],
                official=oid,
                author="head",
                task_group="",
                general="{}",
                results=json.dumps({p: str(rng.randint(70, 100)) for p in "abc"}),
                entered_at=datetime.now(UTC),
            )
            for oid in people
        ]
        async with db.atomic():
            for start in range(0, len(sheets), 500):
                await RatingSheet.insert(*sheets[start : start + 500])
        if name != "2026-Q4":
            await emulation.lock_period(SYSTEM, name)
    await emulation.open_period(SYSTEM, "2026")


async def _main(officials: int, rounds: int, skip_year: bool) -> dict[str, Any]:
    from congvu.inspect import db
    from congvu.inspect.emulation.api import period_row
    from congvu.inspect.emulation.services import boards, facts

    from tests.bench.table import Row, alternate, at_most, emit, seconds

    await db.migrate()
    await db.prepare()
    try:
        started = time.perf_counter()
        await _seed(officials)
        seeded = time.perf_counter() - started
        q4 = await period_row("2026-Q4")
        year = await period_row("2026")

        async def load() -> None:
            await facts.load("", q4["starts_on"], q4["ends_on"], period_id=q4["id"])

        async def quarter() -> None:
            await boards.compute_quarter(q4, "")

        async def whole_year() -> None:
            await boards.compute_year(year, "", None)

        sides = {"load": load, "quarter": quarter, **({} if skip_year else {"year": whole_year})}
        timed = await alternate(rounds, sides)
        engine = "SQLite" if db.is_sqlite() else "PostgreSQL"
        median = timed.median
        rows = [
            Row("rating proposals, quarter", f"Q4 proposals for {officials:,} officials"
                " vs loading their facts", engine, seconds(median("load")),
                seconds(median("quarter")), *at_most(timed.ratio("quarter", "load"), 2.0)),
        ]  # fmt: skip
        result = {
            "officials": officials,
            "seed_s": round(seeded, 1),
            "load_s": round(median("load"), 2),
            "quarter_s": round(median("quarter"), 2),
            "quarter_ratio": round(timed.ratio("quarter", "load"), 2),
        }
        if not skip_year:
            rows.append(
                Row("rating proposals, year", f"the year's proposals for {officials:,}"
                    " officials vs loading Q4's facts", engine, seconds(median("load")),
                    seconds(median("year")), timed.ratio("year", "load"), "–", None)
            )  # fmt: skip
            result["year_s"] = round(median("year"), 2)
            result["year_ratio"] = round(timed.ratio("year", "load"), 2)
        emit(rows)
        return result
    finally:
        await db.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--officials", type=int, default=5000)
    parser.add_argument("--rounds", type=int, default=3)
    # The year costs about three loads and has no target: the table's full run leaves it.
    parser.add_argument("--skip-year", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as var:
        os.environ.setdefault("CONGVU_VAR_DIR", var)
        result = asyncio.run(_main(args.officials, args.rounds, args.skip_year))
        print(json.dumps(result, indent=2), file=sys.stdout)


if __name__ == "__main__":
    main()
