"""The review queue's index on ``dossier``: the local anchor day (the missed return date,
receipt when none, at UTC+7) and the id of every dossier with a fault a head judges. The
queue's pages in the deadline order read a few anchor days through it instead of ordering
every flagged dossier in scope (tests/bench/README.md, "Review queue").

The expression and the predicate are ``services/queue_sql``'s, word for word (a test
compares them): a planner uses a partial expression index only for the same text. Spelt
out here so that the migration does not change when the services do."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine.finder import engine_finder
from piccolo.engine.sqlite import SQLiteEngine

ID = "2026-12-07T07:30:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "Index the flagged dossiers by local anchor day for the review queue"

NAME = "dossier_review_queue"
FAULTS = (
    "APOLOGY_LATE",
    "APOLOGY_MISSING",
    "DEADLINE_RESET",
    "OVERDUE_IN_PROGRESS",
    "RESOLVED_LATE",
    "SECOND_EXTENSION",
)


def anchor_sql(sqlite: bool) -> str:
    if sqlite:
        return "date(coalesce(due_at, received_at), '+7 hours')"
    return "(coalesce(due_at, received_at) AT TIME ZONE INTERVAL '+07:00')::date"


def fault_sql(sqlite: bool) -> str:
    find = "instr" if sqlite else "strpos"
    tests = " OR ".join(f"{find}(';' || flags || ';', ';{flag};') > 0" for flag in FAULTS)
    return f"flags <> '' AND ({tests})"


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="review", description=DESCRIPTION)

    async def create() -> None:
        engine = engine_finder()
        sqlite = isinstance(engine, SQLiteEngine)
        await engine.run_ddl(
            f"CREATE INDEX IF NOT EXISTS {NAME} ON dossier (({anchor_sql(sqlite)}), id)"
            f" WHERE {fault_sql(sqlite)}"
        )

    async def drop() -> None:
        await engine_finder().run_ddl(f"DROP INDEX IF EXISTS {NAME}")

    manager.add_raw(create)
    manager.add_raw_backwards(drop)
    return manager
