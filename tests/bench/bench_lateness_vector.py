"""Dossier lateness: rows per second of the vectorised path against the scalar path.

    uv run python tests/bench/bench_lateness_vector.py [ROWS]   # default 100000

Generates seeded dossiers received over 2025–2026 (Tết, swap days and make-up Saturdays
included) in every processing unit, a share with apologies, extensions, supplement pauses and
due-date snapshots, evaluates them at one as-of date with both paths, checks that the answers
agree and prints the throughput and the ratio (both paths warmed up first: packs and calendar
years load once per process). Timings only, no assertion on them. Figures measured:
tests/bench/README.md.
"""

from __future__ import annotations

import sys
import time
from datetime import date, datetime, timedelta

import numpy as np
from congvu.rules.dossiers import DossierFacts, ProcessingUnit, evaluate_dossier
from congvu.rules.dossiers_vector import evaluate_dossiers, frames_from_facts

AS_OF = date(2026, 6, 30)


def generate(rows: int, seed: int = 2026) -> list[DossierFacts]:
    rng = np.random.default_rng(seed)
    start = datetime(2025, 1, 2)
    minutes = rng.integers(0, 540 * 24 * 60, rows)
    units = rng.choice(list(ProcessingUnit), rows, p=[0.7, 0.1, 0.1, 0.1])
    terms = rng.integers(1, 20, rows)
    took = rng.integers(0, 30 * 24 * 60, rows)
    kinds = rng.random((rows, 5))
    facts = []
    for i in range(rows):
        received = start + timedelta(minutes=int(minutes[i]))
        finished = received + timedelta(minutes=int(took[i]))
        facts.append(
            DossierFacts(
                received_at=received,
                processing_time=None if units[i] is ProcessingUnit.SAME_DAY else int(terms[i]),
                processing_unit=units[i],
                finished_at=finished if kinds[i, 0] < 0.8 else None,
                apology_at=received + timedelta(days=5) if kinds[i, 1] < 0.1 else None,
                extensions=[finished.date()] * (1 + (kinds[i, 2] < 0.02))
                if kinds[i, 2] < 0.1
                else [],
                pauses=[(received + timedelta(days=1), received + timedelta(days=4))]
                if kinds[i, 3] < 0.1
                else [],
                due_snapshots=[
                    (received, received.date() + timedelta(days=10)),
                    (received + timedelta(days=12), received.date() + timedelta(days=14)),
                ]
                if kinds[i, 4] < 0.05
                else [],
            )
        )
    return facts


def main(rows: int) -> None:
    facts = generate(rows)
    # Load the packs and the calendar years once, so neither path is timed paying for it.
    sample = frames_from_facts(facts[:1000])
    evaluate_dossiers(sample.dossiers, AS_OF, pauses=sample.pauses, snapshots=sample.snapshots)
    for f in facts[:1000]:
        evaluate_dossier(f, AS_OF)

    began = time.perf_counter()
    frames = frames_from_facts(facts)
    converted = time.perf_counter() - began
    began = time.perf_counter()
    vector = evaluate_dossiers(
        frames.dossiers, AS_OF, pauses=frames.pauses, snapshots=frames.snapshots
    )
    vector_s = time.perf_counter() - began

    began = time.perf_counter()
    scalar = [evaluate_dossier(f, AS_OF) for f in facts]
    scalar_s = time.perf_counter() - began

    same = all(
        (v.status.value, v.working_days_late, ";".join(v.flags))
        == (row.status, row.working_days_late, row.flags)
        for v, row in zip(scalar, vector.itertuples(), strict=True)
    )
    print(f"rows: {rows:,}  as of {AS_OF:%d/%m/%Y}  answers agree: {same}")
    print(f"scalar   evaluate_dossier   {scalar_s:8.2f} s  {rows / scalar_s:12,.0f} rows/s")
    print(f"vector   evaluate_dossiers  {vector_s:8.2f} s  {rows / vector_s:12,.0f} rows/s")
    print(f"         frames_from_facts  {converted:8.2f} s  (building the frames, not counted)")
    print(f"ratio vector/scalar: {scalar_s / vector_s:,.0f}×")
    print("statuses:", vector["status"].value_counts().to_dict())


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000)
