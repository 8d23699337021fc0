"""The review queue's anchor-day index is read only when the queue's SQL spells its
expression and predicate as the migration that made it does: a planner matches a partial
expression index by its text (tests/bench/README.md, "Review queue")."""

from __future__ import annotations

import importlib

import pytest
from congvu.inspect.review.services import queue_sql

MIGRATION = importlib.import_module(
    "congvu.inspect.review.migrations.review_2026_12_07t07_30_00_000000"
)


@pytest.mark.parametrize("sqlite", [True, False])
def test_the_queue_reads_the_anchor_day_as_the_index_spells_it(sqlite: bool) -> None:
    assert queue_sql.anchor_sql(sqlite).replace("d.", "") == MIGRATION.anchor_sql(sqlite)


@pytest.mark.parametrize("sqlite", [True, False])
def test_the_queue_tests_a_fault_as_the_index_predicate_does(sqlite: bool) -> None:
    queue = f"d.flags <> '' AND {queue_sql.faults_sql(sqlite)}"
    assert queue.replace("d.", "") == MIGRATION.fault_sql(sqlite)


def test_the_index_lists_every_fault_family() -> None:
    assert list(MIGRATION.FAULTS) == sorted(queue_sql.FAMILIES)


COVERING = importlib.import_module(
    "congvu.inspect.review.migrations.review_2026_12_07t16_30_00_000000"
)


def test_the_covering_index_spells_the_anchor_day_and_predicate_as_the_queue() -> None:
    # PostgreSQL only: SQLite keeps the first index.
    assert queue_sql.anchor_sql(False).replace("d.", "") == COVERING.ANCHOR
    queue = f"d.flags <> '' AND {queue_sql.faults_sql(False)}"
    assert queue.replace("d.", "") == COVERING.fault_sql()
    assert list(COVERING.FAULTS) == sorted(queue_sql.FAMILIES)
