"""The review queue's anchor-day index on PostgreSQL becomes a covering one: the anchor
day, unit, official and id of every dossier with a fault a head judges, with the columns
the queue's counts read (official_name, and due_at and received_at, which the anchor
day's expression is computed from: a planner reads an expression from an index only
when its columns are there too). The queue's counts, a GROUP BY (anchor day, unit,
official) of every flagged dossier in scope, then read the index alone instead of every
row of ``dossier`` (tests/bench/README.md, "Review queue"); the pages read a few anchor
days through it as they did through the index it replaces, so ``dossier`` keeps one
index for the queue, not two.

SQLite keeps ``dossier_review_queue`` as it is: it has no INCLUDE, and the target is the
server's. The expression and predicate are the earlier migration's, word for word (a
test compares them with ``services/queue_sql``'s)."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine.finder import engine_finder
from piccolo.engine.sqlite import SQLiteEngine

ID = "2026-12-07T16:30:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "Cover the review queue's counts with the anchor-day index (PostgreSQL)"

NAME = "dossier_review_counts"
REPLACED = "dossier_review_queue"
FAULTS = (
    "APOLOGY_LATE",
    "APOLOGY_MISSING",
    "DEADLINE_RESET",
    "OVERDUE_IN_PROGRESS",
    "RESOLVED_LATE",
    "SECOND_EXTENSION",
)
ANCHOR = "(coalesce(due_at, received_at) AT TIME ZONE INTERVAL '+07:00')::date"


def fault_sql() -> str:
    tests = " OR ".join(f"strpos(';' || flags || ';', ';{flag};') > 0" for flag in FAULTS)
    return f"flags <> '' AND ({tests})"


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="review", description=DESCRIPTION)

    async def create() -> None:
        engine = engine_finder()
        if isinstance(engine, SQLiteEngine):
            return
        await engine.run_ddl(
            f"CREATE INDEX IF NOT EXISTS {NAME} ON dossier (({ANCHOR}), unit, official, id)"
            f" INCLUDE (official_name, due_at, received_at) WHERE {fault_sql()}"
        )
        await engine.run_ddl(f"DROP INDEX IF EXISTS {REPLACED}")

    async def drop() -> None:
        engine = engine_finder()
        if isinstance(engine, SQLiteEngine):
            return
        await engine.run_ddl(
            f"CREATE INDEX IF NOT EXISTS {REPLACED} ON dossier (({ANCHOR}), id) WHERE {fault_sql()}"
        )
        await engine.run_ddl(f"DROP INDEX IF EXISTS {NAME}")

    manager.add_raw(create)
    manager.add_raw_backwards(drop)
    return manager
